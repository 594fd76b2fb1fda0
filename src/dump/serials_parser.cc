#include "src/dump/serials_parser.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "src/base/serial.h"

namespace serialmatch::dump {

bool SerialsParser::IsHeader(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  for (absl::string_view header : {"serial", "serials", "serial_number", "serialnumber",
                                   "serial number", "serial #", "serial_hex", "cert_serial"}) {
    if (absl::EqualsIgnoreCase(line, header)) return true;
  }
  return false;
}

LineKind SerialsParser::Parse(absl::string_view line, DumpRecord* record,
                              std::string* reason) const {
  record->Clear();
  const absl::string_view text = absl::StripAsciiWhitespace(line);
  if (text.empty() || IsCommentLine(text) || IsHeader(text)) return LineKind::kSkip;
  absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(text, &record->serial_scratch);
  if (!serial.ok()) {
    *reason = std::string(serial.status().message());
    return LineKind::kMalformed;
  }
  record->serial = *serial;
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
