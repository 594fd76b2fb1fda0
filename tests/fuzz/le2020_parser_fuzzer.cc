// Fuzzes Le2020Parser::Parse (src/dump/le2020_parser.h) on every line of the input, reusing one
// DumpRecord as a dump worker does.
//
// Invariants for a record: the line looks like le2020 (Looks), the serial is the canonical form of
// the first word after "serial ", the account has no space, the names are non-empty and contain no
// space or other separator, the issue time is the "YYYY-MM-DD hh:mm:ss" tail of the line, and every
// field views the line (the serial may view the record's scratch). A skipped line is blank or a
// '#' comment; a malformed one comes with a printable reason. The serial-only read agrees with the
// whole parse, and the one-pass split of the names with names() and NormalizeName.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "src/base/serial.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

bool LooksLikeGoTime(absl::string_view text) {
  static constexpr absl::string_view kShape = "0000-00-00 00:00:00";
  if (text.size() < kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == '0' ? !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))
                         : text[i] != kShape[i]) {
      return false;
    }
  }
  return true;
}

void CheckLine(const Le2020Parser& parser, absl::string_view line, DumpRecord* record) {
  std::string reason;
  const LineKind kind = parser.Parse(line, record, &reason);
  fuzz::CheckParseSerial(parser, line, kind,
                         kind == LineKind::kRecord ? std::string(record->serial) : "");
  switch (kind) {
    case LineKind::kSkip:
      SM_FUZZ_CHECK(absl::StripAsciiWhitespace(line).empty() || IsCommentLine(line), line);
      return;
    case LineKind::kMalformed:
      fuzz::CheckReason(reason, line);
      return;
    case LineKind::kUncheckable:
      SM_FUZZ_CHECK(false, line);  // every certificate of this format can be matched
      return;
    case LineKind::kRecord:
      break;
  }
  fuzz::CheckPlainNames(*record, line);
  fuzz::CheckRecord(*record, line);
  fuzz::CheckSplitNames(*record, line);
  SM_FUZZ_CHECK(Le2020Parser::Looks(line), line);

  SM_FUZZ_CHECK(!record->serial.empty(), line);
  SM_FUZZ_CHECK(
      fuzz::Within(record->serial, line) || fuzz::Within(record->serial, record->serial_scratch),
      line);
  absl::string_view word = line.substr(7);
  word = word.substr(0, word.find(' '));
  std::string scratch;
  const absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(word, &scratch);
  SM_FUZZ_CHECK(serial.ok() && *serial == record->serial, line);

  SM_FUZZ_CHECK(fuzz::Within(record->account, line), line);
  SM_FUZZ_CHECK(record->account.find(' ') == absl::string_view::npos, line);
  for (absl::string_view name : record->names()) {
    SM_FUZZ_CHECK(fuzz::Within(name, line), line);
    SM_FUZZ_CHECK(name.find(']') == absl::string_view::npos, line);
  }
  SM_FUZZ_CHECK(fuzz::Within(record->issued_at, line), line);
  SM_FUZZ_CHECK(LooksLikeGoTime(record->issued_at), line);
  SM_FUZZ_CHECK(absl::EndsWith(line, record->issued_at), line);
  SM_FUZZ_CHECK(record->not_after.empty() && record->issuer.empty(), line);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const serialmatch::dump::Le2020Parser parser{};
  serialmatch::dump::DumpRecord record;
  serialmatch::dump::ForEachLine(serialmatch::fuzz::AsText(data, size),
                                 [&](absl::string_view line, uint64_t) {
                                   serialmatch::dump::CheckLine(parser, line, &record);
                                 });
  return 0;
}
