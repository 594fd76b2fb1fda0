// DumpParser: turns the text of a CA's incident dump into DumpRecords. One implementation per
// format the CAs publish; DetectFormat recognises the format and MakeParser builds its parser.
//
//   SM_ASSIGN_OR_RETURN(DumpFormat format, DetectFormat(head));
//   SM_ASSIGN_OR_RETURN(std::unique_ptr<DumpParser> parser, MakeParser(format, {.head = head}));
//   DumpRecord record;
//   std::string reason;
//   switch (parser->Parse(line, &record, &reason)) { ... }
//
// Line formats are parsed one line at a time; Parse() is const and keeps no state, so one parser
// serves several worker threads, each with its own DumpRecord. A whole-document format (JSON) says
// so with whole_document() and is parsed with ParseDocument().
#ifndef SERIALMATCH_SRC_DUMP_PARSER_H_
#define SERIALMATCH_SRC_DUMP_PARSER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/dump/record.h"

namespace serialmatch::dump {

enum class LineKind {
  kRecord,     // `record` holds a certificate
  kSkip,       // blank line, comment or header: no certificate, not a problem
  kMalformed,  // not a valid line of this format; `reason` says why
  // A certificate the line names but that cannot be matched: a sha256 list's crt.sh link with an id
  // and no fingerprint. Counted (DumpCounts::uncheckable), not reported line by line.
  kUncheckable,
};

// True when the first byte of `line` that is not ASCII whitespace is '#': a comment, which every
// line format skips (kSkip) and format detection ignores. Formats whose lines can themselves start
// with '#' (ccadb-csv's first column, a --dump-pattern) skip such a line only when it is not a
// record. Looks at the leading whitespace and one byte.
inline bool IsCommentLine(absl::string_view line) {
  for (const char c : line) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return c == '#';
  }
  return false;
}

enum class DumpFormat {
  kLe2020,  // Let's Encrypt 2020 CAA-rechecking list: "serial <hex> <acct> <hash> names: [...] ..."
  kSerials,    // one serial per line, any notation CanonicalizeSerial accepts
  kLe2022Csv,  // Let's Encrypt 2022 TLS-ALPN-01 list: account,"serial","expiry","name",...
  kCcadbCsv,   // CCADB incident-report appendix: CSV with a header naming the columns
  kCrtshJson,  // crt.sh JSON: an array of objects with serial_number, name_value, ...
  kRegex,      // any line format, described by --dump-pattern with named groups
  kSha256,     // one SHA-256 certificate fingerprint per line, bare or in a crt.sh link
  kCrl,        // an RFC 5280 certificate revocation list, DER or PEM (crl_parser.h)
};

// Which fields of DumpRecord the records of a dump can carry (any one record may still leave one
// empty). A job that needs a field no record carries cannot find anything — a domain inventory
// against a list of serials — and a caller can say so instead of answering "no findings".
struct RecordFields {
  bool serial = false;      // DumpRecord::serial
  bool names = false;       // DumpRecord::names()
  bool issued_at = false;   // DumpRecord::issued_at: the issue time (notBefore)
  bool issuer = false;      // DumpRecord::issuer
  bool sha256 = false;      // DumpRecord::cert_sha256: the certificate's own fingerprint
  bool revocation = false;  // DumpRecord::revoked_at: the record may say its certificate is revoked

  friend bool operator==(const RecordFields&, const RecordFields&) = default;
};

class DumpParser {
 public:
  virtual ~DumpParser() = default;

  // The fields this parser's records can carry: fixed by the format, or for ccadb-csv by the
  // columns its header names and for regex by the groups of the pattern.
  virtual RecordFields fields() const = 0;

  // Parses `line` (no line terminator) into `*record`, which it clears first. On kMalformed, sets
  // `*reason` to a message naming what was wrong and quoting the offending text.
  virtual LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const = 0;

  // For a join that looks at nothing but serials (Matcher::serial_only): reads only as much of
  // `line` as gives its serial, into record->serial; the record's other fields are not read and
  // must not be used. The caller parses the whole line with Parse() when the serial is one it
  // looks for. Answers as Parse() would for blank lines, comments and lines whose serial cannot be
  // read; a line whose serial is readable is a record, whatever follows it (for a serial-only
  // join, the serial is all of the line that is checked). The default parses the whole line.
  virtual LineKind ParseSerial(absl::string_view line, DumpRecord* record,
                               std::string* reason) const {
    return Parse(line, record, reason);
  }

  // True for formats that must see the whole dump at once; they implement ParseDocument.
  virtual bool whole_document() const { return false; }

  // True for whole-document formats whose caller needs the document itself after the join (a
  // CRL's header and signature, see crl_parser.h): JoinDump then hands it over in
  // JoinResult::document instead of freeing it.
  virtual bool keeps_document() const { return false; }

  // Parses a whole dump `text`, which must be followed by at least kDocumentPadding readable bytes.
  // Calls on_record(line) with `*record` filled for each certificate, on_malformed(line, reason)
  // for each element that is not one; `line` is where the element starts (1-based). Fails only when
  // the document itself cannot be read on (e.g. a JSON syntax error), saying where.
  virtual absl::Status ParseDocument(
      absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
      absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const;
};

// Sets `*reason` to "what, got 'quoted text'" and returns kMalformed: the one shape of every
// parser's line messages.
LineKind MalformedLine(std::string* reason, absl::string_view what, absl::string_view got);

// Bytes of readable padding a whole-document parser needs after the text (simdjson's).
inline constexpr size_t kDocumentPadding = 64;

struct ParserOptions {
  // The start of the dump: its first line that is not blank or a '#' comment is the header naming
  // the columns of ccadb-csv (the line DetectFormat looked at).
  absl::string_view head;
  std::string pattern;  // --dump-pattern, for kRegex
};

// The parser for `format`. Fails for ccadb-csv without a usable header and for an invalid pattern.
[[nodiscard]] absl::StatusOr<std::unique_ptr<DumpParser>> MakeParser(DumpFormat format,
                                                                     const ParserOptions& options);

// The format's name as users write it with --dump-format ("le2020", "serials", ...).
absl::string_view FormatName(DumpFormat format);

// The format named `name`; fails with a message listing the known names.
[[nodiscard]] absl::StatusOr<DumpFormat> FormatByName(absl::string_view name);

// How many lines DetectFormat weighs at most: the first ones that are not blank, '#' comments or a
// serials list's header.
inline constexpr int kDetectLines = 16;

// Recognises the format from the start of a dump (a few KB are enough). A CRL is recognised by
// its content before anything else (CrlParser::Looks: a PEM X509 CRL block in the head, or DER
// shaped like a CertificateList, not a certificate). A leading '[' with
// crt.sh's keys is crtsh-json; a first line (after blank lines and comments) that is a CSV header
// naming ccadb-csv's columns is ccadb-csv. Otherwise each of the first kDetectLines lines votes for
// the line formats it fits (le2020, le2022-csv, serials, sha256), and the format wins that has all
// of them, or at least two, more than half, and no other format with two or more: one damaged line
// near the top does not hide the format, and a dump that mixes formats is refused.
//
// A bare fingerprint (64 hex digits, or 32 colon-separated bytes) is also a valid serial and votes
// for both serials and sha256. sha256 is preferred only when every voting line fits it (each a
// 64-digit fingerprint or a crt.sh link): a list of 32-byte serials, rare but possible, then needs
// --dump-format serials. When some line fits only serials, those fingerprint-shaped lines count for
// both, so a mix of them and shorter serials (two or more of each) is refused as ambiguous.
//
// Never answers kRegex (that needs a pattern). Fails when no format wins, with a message that says
// how the lines voted, lists the formats and suggests --dump-format; and for a tar archive.
[[nodiscard]] absl::StatusOr<DumpFormat> DetectFormat(absl::string_view head);

// "le2020, serials, ...": every format name, for messages.
std::string KnownFormatNames();

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_PARSER_H_
