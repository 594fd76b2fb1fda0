// Fuzzes Le2022CsvParser::Parse (src/dump/csv_parsers.h) on every line of the input, reusing one
// DumpRecord as a dump worker does.
//
// Invariants: a record has a numeric account, a canonical serial, an expiry shaped like RFC 3339
// and trimmed, non-empty names; a skipped line is blank or a '#' comment; a malformed one has a
// printable reason. The serial-only read agrees with the whole parse.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/dump/csv_parsers.h"
#include "src/dump/line_scanner.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

bool IsTrimmed(absl::string_view text) { return absl::StripAsciiWhitespace(text) == text; }

void CheckLine(const Le2022CsvParser& parser, absl::string_view line, DumpRecord* record) {
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
  fuzz::CheckRecord(*record, line);
  SM_FUZZ_CHECK(!record->serial.empty(), line);
  for (char c : record->account)
    SM_FUZZ_CHECK(absl::ascii_isdigit(static_cast<unsigned char>(c)), line);
  SM_FUZZ_CHECK(record->not_after.size() >= 13 && record->not_after[10] == 'T', line);
  SM_FUZZ_CHECK(IsTrimmed(record->not_after), line);
  for (absl::string_view name : record->names()) SM_FUZZ_CHECK(IsTrimmed(name), line);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const serialmatch::dump::Le2022CsvParser parser{};
  serialmatch::dump::DumpRecord record;
  serialmatch::dump::ForEachLine(serialmatch::fuzz::AsText(data, size),
                                 [&](absl::string_view line, uint64_t) {
                                   serialmatch::dump::CheckLine(parser, line, &record);
                                 });
  return 0;
}
