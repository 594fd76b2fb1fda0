// Parser for fingerprint lists: one SHA-256 certificate fingerprint per line, what a CCADB incident
// report may attach instead of a CSV for an incident of 10,000 certificates or more. A line gives
// the fingerprint bare, colon-separated, or inside a crt.sh link, in any case, with surrounding
// whitespace or CRLF:
//
//   3b5a6e3c...(64 hex digits)
//   3B:5A:6E:3C:...(32 colon-separated bytes)
//   https://crt.sh/?sha256=3B5A6E3C...     (also http://, ?q=HEX, other query parameters)
//   sha256 Fingerprint=3B:5A:...           (openssl x509 -fingerprint -sha256)
//
// record->cert_sha256 is the fingerprint as 64 lowercase hex digits. Blank lines, '#' comments and
// a header line ("sha256", "fingerprint", "url", ...) are skipped. A link that names a certificate
// only by its crt.sh id (https://crt.sh/?id=12345) is kUncheckable: the certificate it names cannot
// be matched offline. Any other line is malformed.
#ifndef SERIALMATCH_SRC_DUMP_SHA256_PARSER_H_
#define SERIALMATCH_SRC_DUMP_SHA256_PARSER_H_

#include <string>

#include "src/dump/parser.h"

namespace serialmatch::dump {

class Sha256Parser : public DumpParser {
 public:
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  // The certificate's fingerprint only.
  RecordFields fields() const override { return {.sha256 = true}; }

  // True for the header words a fingerprint list may start with.
  static bool IsHeader(absl::string_view line);

  // What a line of a dump is to this format, for DetectFormat.
  enum class Shape {
    kOther,     // not a line of this format
    kBare,      // 64 hex digits, bare or colon-separated: a valid serial too
    kLabelled,  // a crt.sh link (with a fingerprint or an id), a quoted or labelled fingerprint:
                // no other format's line
  };
  static Shape Classify(absl::string_view line);
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_SHA256_PARSER_H_
