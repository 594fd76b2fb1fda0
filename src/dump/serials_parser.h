// Parser for the plainest dump a CA publishes: one serial per line, in any notation that
// CanonicalizeSerial accepts ("03e226", "03:E2:26", "0x3e226", ...). Blank lines, '#' comments and
// a header line ("serial", "serial_number", "Serial Number", "serial #") are skipped.
#ifndef SERIALMATCH_SRC_DUMP_SERIALS_PARSER_H_
#define SERIALMATCH_SRC_DUMP_SERIALS_PARSER_H_

#include "src/dump/parser.h"

namespace serialmatch::dump {

class SerialsParser : public DumpParser {
 public:
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  // The serial only.
  RecordFields fields() const override { return {.serial = true}; }

  // True for the header words a serials list may start with.
  static bool IsHeader(absl::string_view line);
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_SERIALS_PARSER_H_
