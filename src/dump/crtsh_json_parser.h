// Parser for crt.sh's JSON output (https://crt.sh/?q=...&output=json): one array of objects,
//
//   [{"issuer_ca_id":16418,"issuer_name":"C=US, O=Let's Encrypt, CN=R3","common_name":"a.example",
//     "name_value":"a.example\nb.example","id":2549490984,"entry_timestamp":"2020-03-06T23:14:48.1",
//     "not_before":"2020-03-06T22:14:48","not_after":"2020-06-04T22:14:48",
//     "serial_number":"03b5914e..."}, ...]
//
// name_value is newline-joined (common_name is used when it is missing); not_before is taken as the
// issue time. crt.sh lists a precertificate and its certificate as two objects with the same
// serial; the join reports such a pair once (see match::DedupeFindings). Parsed with simdjson's On
// Demand API straight from the dump's buffer: no tree, no second copy of the text.
//
// A file may hold several arrays one after the other, as appending one crt.sh answer per domain
// with `>>` makes (`[...][...]`, `[...]\n[...]`, with whitespace or byte order marks between
// them): every array is read. An element's line (dump_line) is the line of the file on which it
// starts, counted across the arrays. Anything else after an array, or an array the file ends in
// the middle of, fails the whole document (the run stops, exit status 2) with a message saying so:
// "trailing data after the JSON array at byte 1234 (line 5), got 'garbage'", "second JSON array
// truncated at byte 5678: ...". Byte offsets count from 0 at the start of the (decompressed) dump.
#ifndef SERIALMATCH_SRC_DUMP_CRTSH_JSON_PARSER_H_
#define SERIALMATCH_SRC_DUMP_CRTSH_JSON_PARSER_H_

#include <string>

#include "src/dump/parser.h"

namespace serialmatch::dump {

class CrtshJsonParser : public DumpParser {
 public:
  // Not a line format: every line is malformed.
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  // serial_number, name_value (or common_name), not_before and issuer_name.
  RecordFields fields() const override {
    return {.serial = true, .names = true, .issued_at = true, .issuer = true};
  }

  bool whole_document() const override { return true; }

  absl::Status ParseDocument(
      absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
      absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const override;

  // True when `head` starts like crt.sh JSON: a '[' and crt.sh's keys, or empty arrays only (used
  // by DetectFormat).
  static bool Looks(absl::string_view head);
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_CRTSH_JSON_PARSER_H_
