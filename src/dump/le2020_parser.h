// Parser for Let's Encrypt's 2020 CAA-rechecking incident list (caa-rechecking-incident-affected-
// serials.txt.gz, 3,048,289 lines), one certificate per line:
//
//   serial 0362...8fdb 131 b8dc...ed3f names: [a.example b.example] missing CAA checking results
//   for [a.example] at 2019-12-03 21:08:34.826011675 +0000 UTC
//
// serial, account id, a hash of the names (ignored), the names on the certificate space-separated
// in brackets, and the time the certificate was issued after the last " at ". Blank lines and
// '#' comments are skipped.
#ifndef SERIALMATCH_SRC_DUMP_LE2020_PARSER_H_
#define SERIALMATCH_SRC_DUMP_LE2020_PARSER_H_

#include "src/dump/parser.h"

namespace serialmatch::dump {

class Le2020Parser : public DumpParser {
 public:
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;
  // The word after "serial ": the line's names, account and time are not looked at.
  LineKind ParseSerial(absl::string_view line, DumpRecord* record,
                       std::string* reason) const override;

  // Serial, names and issue time; no issuer.
  RecordFields fields() const override {
    return {.serial = true, .names = true, .issued_at = true};
  }

  // True when `line` looks like this format (used by DetectFormat).
  static bool Looks(absl::string_view line);
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_LE2020_PARSER_H_
