// DumpRecord: one certificate as listed in a CA's incident dump, viewing the dump's own bytes.
#ifndef SERIALMATCH_SRC_DUMP_RECORD_H_
#define SERIALMATCH_SRC_DUMP_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/base/csv.h"

namespace serialmatch::dump {

// DumpRecord::revoked_at of a record that says its certificate is revoked without saying when (a
// CCADB row with "Is revoked?" yes and no Revocation date): not a time, so compare with it before
// reading revoked_at as one.
inline constexpr absl::string_view kRevokedAtUnknown = "unknown";

// Filled by a DumpParser for each line (or each element of a JSON dump). The views point into the
// text being parsed or into the record's own scratch members, so they are valid only until the next
// record is parsed; whoever keeps a record copies what it needs. A worker reuses one DumpRecord for
// all its lines, so parsing does not allocate once the buffers have grown.
//
// Names are split lazily: a format that lists them in one field hands the field over with
// SetNameList(), and only a caller that needs them (a domain join, a finding) pays for splitting.
struct DumpRecord {
  absl::string_view serial;       // canonical (see src/base/serial.h); empty if the format has none
  absl::string_view issued_at;    // issue time (or notBefore), in the dump's notation; may be empty
  absl::string_view not_after;    // expiry, in the dump's notation; may be empty
  absl::string_view account;      // the CA's account id; may be empty
  absl::string_view issuer;       // issuer DN as the dump writes it; may be empty
  absl::string_view cert_sha256;  // certificate fingerprint, hex; may be empty
  absl::string_view precert_sha256;  // precertificate fingerprint, hex; may be empty

  // Revocation, for a record that says its certificate has been revoked (a CRL entry, a CCADB row
  // with "Is revoked?" yes): the revocation time in the dump's notation (non-empty exactly when the
  // record is a revocation), and the RFC 5280 reason name ("keyCompromise", ...) or empty.
  // A revocation whose time the dump does not give has kRevokedAtUnknown.
  absl::string_view revoked_at;
  absl::string_view revocation_reason;
  // The keyIdentifier of the issuer's key (a CRL's authority key identifier), lowercase hex; may be
  // empty.
  absl::string_view issuer_key_id;
  // True when `issuer` is the exact distinguished name of the issuer that vouches for the record (a
  // CRL's issuer): the serial belongs to that issuer alone, and a certificate of another issuer
  // with the same serial is not this one.
  bool issuer_exact = false;

  // Parser scratch space, reused from record to record.
  std::string serial_scratch;  // backing store when the serial needed rewriting
  std::string time_scratch;    // backing store for a time the parser wrote out itself
  CsvReader csv;               // for CSV formats
  CsvRow csv_row;

  void Clear() {
    serial = issued_at = not_after = account = issuer = cert_sha256 = precert_sha256 = {};
    revoked_at = revocation_reason = issuer_key_id = {};
    issuer_exact = false;
    name_list_ = {};
    names_.clear();
    split_ = true;
  }

  // The names are the words of `list`, separated by runs of spaces, commas, semicolons, tabs or
  // line breaks (none of which a DNS name can contain), each without the "DNS:" of OpenSSL's
  // subjectAltName text ("DNS:www.example.com, DNS:example.com"), in any case.
  void SetNameList(absl::string_view list) {
    name_list_ = list;
    names_.clear();
    split_ = false;
  }

  // Adds one name, for formats that list names separately; a "DNS:" prefix is dropped as above.
  void AddName(absl::string_view name);

  // The DNS names on the certificate as the dump writes them, without "DNS:" prefixes.
  const std::vector<absl::string_view>& names() const {
    if (!split_) {
      SplitNameList(name_list_, &names_);
      split_ = true;
    }
    return names_;
  }

  // Appends the words of `text` (see SetNameList) to `words`.
  static void SplitNameList(absl::string_view text, std::vector<absl::string_view>* words);

  // The names() for matching, in one pass over the list that splits it, checks each name's form
  // and hashes it: `*words` gets every name, position for position with names(); `*hashes` the
  // HashBytes (src/base/hash.h) of each name that is certainly in normal form already
  // (NormalizeName in src/base/name.h returns it unchanged: 1..63 bytes of [a-z0-9-_.] after
  // perhaps a "*." wildcard label, no empty label, no trailing dot); `*others` the positions of the
  // rest, whose hashes are 0 and which NormalizeName must look at. Each vector is cleared first.
  void PlainNames(std::vector<absl::string_view>* words, std::vector<uint64_t>* hashes,
                  std::vector<uint32_t>* others) const;

 private:
  absl::string_view name_list_;
  mutable std::vector<absl::string_view> names_;
  mutable bool split_ = true;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_RECORD_H_
