// Fuzzes Sha256Parser::Parse and Classify (src/dump/sha256_parser.h) on every line of the input,
// reusing one DumpRecord as a dump worker does.
//
// Invariants: a record's cert_sha256 is 64 lowercase hex digits, kept in the record's scratch,
// found in the line (case, colons and %3A aside), and the record has no other field; an uncheckable
// line is a crt.sh link and fills nothing; a skipped line is blank, a '#' comment or a header word;
// a malformed line comes with a printable reason; Classify says kOther exactly for the lines Parse
// neither reads nor calls uncheckable, and kBare only for lines that are valid serials too (what
// DetectFormat's rule assumes).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "src/base/serial.h"
#include "src/dump/line_scanner.h"
#include "src/dump/sha256_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void CheckLine(const Sha256Parser& parser, absl::string_view line, DumpRecord* record) {
  const absl::string_view text = absl::StripAsciiWhitespace(line);
  std::string reason;
  const LineKind kind = parser.Parse(line, record, &reason);
  const Sha256Parser::Shape shape = Sha256Parser::Classify(line);
  SM_FUZZ_CHECK((shape == Sha256Parser::Shape::kOther) ==
                    (kind != LineKind::kRecord && kind != LineKind::kUncheckable),
                line);
  if (shape == Sha256Parser::Shape::kBare) {
    std::string scratch;
    SM_FUZZ_CHECK(CanonicalizeSerial(text, &scratch).ok(), line);
  }
  switch (kind) {
    case LineKind::kSkip:
      SM_FUZZ_CHECK(text.empty() || text[0] == '#' || Sha256Parser::IsHeader(text), line);
      return;
    case LineKind::kMalformed:
      fuzz::CheckReason(reason, line);
      return;
    case LineKind::kUncheckable:
      SM_FUZZ_CHECK(absl::StrContains(absl::AsciiStrToLower(line), "crt.sh"), line);
      SM_FUZZ_CHECK(record->cert_sha256.empty(), line);
      return;
    case LineKind::kRecord:
      break;
  }
  fuzz::CheckRecord(*record, line);
  fuzz::CheckFields(*record, parser.fields(), line);
  SM_FUZZ_CHECK(record->cert_sha256.size() == 64 && IsLowerHex(record->cert_sha256), line);
  SM_FUZZ_CHECK(fuzz::Within(record->cert_sha256, record->serial_scratch), line);
  const std::string plain =
      absl::StrReplaceAll(absl::AsciiStrToLower(line), {{"%3a", ""}, {":", ""}});
  SM_FUZZ_CHECK(absl::StrContains(plain, record->cert_sha256), line);
  SM_FUZZ_CHECK(record->serial.empty() && record->names().empty() && record->issued_at.empty() &&
                    record->revoked_at.empty(),
                line);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const serialmatch::dump::Sha256Parser parser{};
  serialmatch::dump::DumpRecord record;
  serialmatch::dump::ForEachLine(serialmatch::fuzz::AsText(data, size),
                                 [&](absl::string_view line, uint64_t) {
                                   serialmatch::dump::CheckLine(parser, line, &record);
                                 });
  return 0;
}
