// Parsers for the CSV lists CAs publish.
//
// le2022-csv — Let's Encrypt's 2022 TLS-ALPN-01 incident list, headerless, variable width:
//   123456,"03e1ce2c0324f9ca93417fc8886f87f34857","2022-02-25T18:25:29Z","letsencrypt.org","www.letsencrypt.org"
// account id, serial, expiry (not_after — not the issue time), then any number of DNS names.
//
// ccadb-csv — the appendix of a CCADB incident report, with a header row; columns are found by name
// (case, spaces and punctuation ignored), missing and extra columns are tolerated:
//   Precertificate SHA-256 hash, Certificate SHA-256 hash, Subject, Issuer, Not before, Not after,
//   Serial #, dNSNames (comma-joined in one quoted field), Is revoked?, Revocation date,
//   Revocation reason, ...
// A row is a revocation when Is revoked? says yes (yes/no, true/false, y/n, 1/0, any case; empty
// says nothing), or, without an Is revoked? column, when its Revocation date is not empty: its
// revoked_at is then the date as written (kRevokedAtUnknown when none is given) and its
// revocation_reason the RFC 5280 name of the reason ("Key Compromise" and 1 are keyCompromise), or
// the text as written when it is none.
// A CSV record must fit on one line: a quoted field with a line break in it is a malformed line.
//
// Both skip blank lines and '#' comments (in ccadb-csv, a line starting with '#' that is a valid
// row is a row).
#ifndef SERIALMATCH_SRC_DUMP_CSV_PARSERS_H_
#define SERIALMATCH_SRC_DUMP_CSV_PARSERS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "src/dump/parser.h"

namespace serialmatch::dump {

class Le2022CsvParser : public DumpParser {
 public:
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;
  // The usual row's serial (digits, a comma, hex digits quoted or not, a comma) without splitting
  // the row; any other line is parsed whole.
  LineKind ParseSerial(absl::string_view line, DumpRecord* record,
                       std::string* reason) const override;

  // Serial and names; the time it gives is the expiry, not the issue time.
  RecordFields fields() const override { return {.serial = true, .names = true}; }

  // True when `line` looks like this format (used by DetectFormat).
  static bool Looks(absl::string_view line);
};

class CcadbCsvParser : public DumpParser {
 public:
  // Builds the parser from the dump's header line; fails when it names neither a serial nor a
  // dNSNames column.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CcadbCsvParser>> Create(
      absl::string_view header);

  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  // What the header's columns give: serial, dNSNames, Not before, Issuer, Certificate SHA-256 hash,
  // and revocation (Is revoked?, Revocation date or Revocation reason).
  RecordFields fields() const override {
    return {.serial = serial_ >= 0,
            .names = names_ >= 0,
            .issued_at = not_before_ >= 0,
            .issuer = issuer_ >= 0,
            .sha256 = cert_sha256_ >= 0,
            .revocation = is_revoked_ >= 0 || revocation_date_ >= 0 || revocation_reason_ >= 0};
  }

  // True when `line` is a header naming at least two columns this parser knows (DetectFormat).
  static bool LooksLikeHeader(absl::string_view line);

 private:
  CcadbCsvParser() = default;

  // Parse() without the comment rule.
  LineKind ParseRow(absl::string_view line, DumpRecord* record, std::string* reason) const;

  // Sets record->revoked_at and revocation_reason from the row's revocation columns; kMalformed
  // when Is revoked? says neither yes nor no.
  LineKind SetRevocation(absl::string_view line, DumpRecord* record, std::string* reason) const;

  // A row that failed to parse and may be another header (exports concatenated): kSkip when it
  // names the same columns as the first header, kMalformed saying so in `*reason` when it names
  // others; nullopt when it is no header.
  std::optional<LineKind> OtherHeader(absl::string_view line, std::string* reason) const;

  std::string header_;  // the header line, to skip it (and repeats of it) in the data
  // Column positions, -1 when the header lacks the column.
  int serial_ = -1;
  int names_ = -1;
  int not_before_ = -1;
  int not_after_ = -1;
  int issuer_ = -1;
  int cert_sha256_ = -1;
  int precert_sha256_ = -1;
  int is_revoked_ = -1;
  int revocation_date_ = -1;
  int revocation_reason_ = -1;
  int last_ = -1;  // highest position used
  int known_columns_ = 0;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_CSV_PARSERS_H_
