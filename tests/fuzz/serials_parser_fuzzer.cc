// Fuzzes SerialsParser::Parse (src/dump/serials_parser.h) on every line of the input, reusing one
// DumpRecord as a dump worker does.
//
// Invariants: a record's serial is CanonicalizeSerial of the trimmed line, and the record has no
// other field; a skipped line is blank, a '#' comment or a header word; a malformed line is one
// CanonicalizeSerial rejects, with a printable reason.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/base/serial.h"
#include "src/dump/line_scanner.h"
#include "src/dump/serials_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

void CheckLine(const SerialsParser& parser, absl::string_view line, DumpRecord* record) {
  const absl::string_view text = absl::StripAsciiWhitespace(line);
  std::string scratch;
  const absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(text, &scratch);
  std::string reason;
  switch (parser.Parse(line, record, &reason)) {
    case LineKind::kSkip:
      SM_FUZZ_CHECK(text.empty() || text[0] == '#' || SerialsParser::IsHeader(text), line);
      return;
    case LineKind::kMalformed:
      fuzz::CheckReason(reason, line);
      SM_FUZZ_CHECK(!serial.ok(), line);
      return;
    case LineKind::kUncheckable:
      SM_FUZZ_CHECK(false, line);  // every serial can be matched
      return;
    case LineKind::kRecord:
      break;
  }
  fuzz::CheckRecord(*record, line);
  SM_FUZZ_CHECK(serial.ok() && record->serial == *serial, line);
  SM_FUZZ_CHECK(
      fuzz::Within(record->serial, line) || fuzz::Within(record->serial, record->serial_scratch),
      line);
  SM_FUZZ_CHECK(record->names().empty() && record->account.empty() && record->issued_at.empty(),
                line);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const serialmatch::dump::SerialsParser parser{};
  serialmatch::dump::DumpRecord record;
  serialmatch::dump::ForEachLine(serialmatch::fuzz::AsText(data, size),
                                 [&](absl::string_view line, uint64_t) {
                                   serialmatch::dump::CheckLine(parser, line, &record);
                                 });
  return 0;
}
