// Certificate revocation lists (RFC 5280 §5) as dumps, format "crl". A CRL is a CA's signed list
// of the serials it has revoked, scoped to one issuer: Let's Encrypt publishes revocation only in
// CRLs (128 shards per issuer, up to ~70 MB each), so a mass revocation arrives as a set of CRLs.
// Read straight from the DER with the bounds-checked reader of der.h, without OpenSSL objects:
// nothing is built per entry, and a 1M-entry CRL is walked in well under a second.
//
//   CrlParser parser;                 // via MakeParser(DumpFormat::kCrl, {})
//   parser.ParseDocument(text, &record, on_record, on_malformed);
//   // record: serial "03e226...", revoked_at "2024-07-30T12:00:00Z", revocation_reason
//   // "keyCompromise", issuer "C=US, O=Let's Encrypt, CN=R3", issuer_key_id "14 2e b3...",
//   // issuer_exact true.
//
//   // Afterwards, from the document JoinDump kept (JoinResult::document):
//   SM_ASSIGN_OR_RETURN(std::vector<CrlDocument> crls, ReadCrls(result.document));
//   for (const CrlDocument& crl : crls) { /* print crl.issuer, check crl.signature ... */ }
//
// `text` is one DER CRL, or PEM: one or more "-----BEGIN X509 CRL-----" blocks (LF or CRLF line
// ends; text before, between and after the blocks is ignored). Each entry of revokedCertificates
// is one record; the `line` passed to on_record / on_malformed is the entry's 1-based position in
// revokedCertificates, numbering on across the CRLs of one PEM file (the second CRL's first entry
// follows the first CRL's last), so every entry of a file has its own number.
//
// Per entry: the serial (canonical, SerialFromDerInteger: zero and negative serials work), the
// revocation time as RFC 3339 UTC ("2024-07-30T12:00:00Z", a GeneralizedTime's fraction kept), the
// reasonCode as its RFC 5280 name (an unlisted value, e.g. 7 or 11, gives "reason 11" rather than
// hiding the revocation), the CRL's issuer and authority key identifier. An entry with a
// certificateIssuer extension (an indirect CRL) and the entries after it (RFC 5280 §5.3.3) are
// attributed to the directoryName it gives, rendered the same way, with no key identifier; when it
// gives no readable directoryName, those entries are reported malformed rather than attributed to
// the CRL's issuer. An unrecognised critical entry extension makes its entry malformed too.
//
// A damaged entry whose outer SEQUENCE is intact is reported (on_malformed) and the walk goes on;
// a structure that cannot be read on (truncated, a bad outer length, a damaged header) fails the
// document with a Status naming the byte offset in the DER ("CRL 2 (PEM block at line 40): at byte
// 1234: ...").
#ifndef SERIALMATCH_SRC_DUMP_CRL_PARSER_H_
#define SERIALMATCH_SRC_DUMP_CRL_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/dump/parser.h"

namespace serialmatch::dump {

// The header of one CRL: what a caller needs to print it, check its signature and its freshness.
// The views point into the DER: into the text given to ParseCrl/ReadCrls for a DER CRL, into
// `*storage` for one decoded from PEM (so a CrlDocument from ReadCrls of PEM text owns its bytes).
struct CrlDocument {
  absl::string_view der;  // the whole CertificateList
  // The whole tbsCertList element (identifier and length included): the bytes the signature covers.
  absl::string_view tbs_cert_list;
  // The whole signatureAlgorithm AlgorithmIdentifier after tbsCertList, and the one inside
  // tbsCertList, which RFC 5280 §5.1.1.2 requires to be equal.
  absl::string_view signature_algorithm;
  absl::string_view tbs_signature_algorithm;
  // The signatureValue BIT STRING's bits: its contents after the unused-bits byte (which must be
  // 0).
  absl::string_view signature;
  int version = 1;               // 1 (version absent) or 2
  absl::string_view issuer_der;  // the whole issuer Name element
  // The issuer in the notation certificates' issuers get (inventory's NameToString, OpenSSL's
  // X509_NAME_print_ex with RFC 2253 escaping, short names, ", " and " + "): "C=US, O=Let's
  // Encrypt, CN=R3".
  std::string issuer;
  absl::Time this_update;
  std::optional<absl::Time> next_update;
  // crlExtensions. Key identifier of authorityKeyIdentifier, lowercase hex ("" when absent).
  std::string authority_key_id;
  std::string crl_number;       // cRLNumber in decimal (up to 20 bytes); "" when absent
  bool delta_crl = false;       // deltaCRLIndicator present
  std::string base_crl_number;  // its BaseCRLNumber in decimal, when delta_crl
  // issuingDistributionPoint: the fullName's URIs, and whether it says indirectCRL.
  std::vector<std::string> distribution_point_uris;
  bool indirect_crl = false;
  // Dotted OIDs of critical CRL extensions this reader does not understand; RFC 5280 §5.2 says
  // such a CRL must not be used to decide revocation status. Its entries are still read.
  std::vector<std::string> unrecognized_critical_extensions;
  // The revokedCertificates contents (the entries, without the SEQUENCE's own header); empty when
  // the CRL revokes nothing (the element is then absent, a valid and common case).
  absl::string_view revoked_certificates;
  size_t revoked_certificates_offset = 0;  // of its first entry, in `der`
  uint64_t entries = 0;  // number of entries (filled by ReadCrls; ParseCrl leaves 0)
  // 0 for a DER document; for PEM, the 1-based line of the text where this CRL's BEGIN line is.
  uint64_t pem_line = 0;
  std::shared_ptr<const std::string> storage;  // the decoded DER of a PEM block, or null
};

// Reads the header of the DER CRL `der` (the whole CertificateList, nothing after it): everything
// in CrlDocument except `entries`, `pem_line` and `storage`. The views point into `der`. Fails,
// naming the byte offset, when the structure cannot be read; the entries are not looked at beyond
// the outer length of revokedCertificates.
[[nodiscard]] absl::StatusOr<CrlDocument> ParseCrl(absl::string_view der);

// Every CRL of `text` (one DER CRL, or PEM with one or more X509 CRL blocks), in order, with
// `entries` counted (outer TLVs of revokedCertificates). The documents view `text` (DER) or own
// their decoded bytes (PEM): `text` must outlive the result when it is DER. Fails as ParseCrl,
// when an entry's outer TLV cannot be read, and when `text` holds no CRL.
[[nodiscard]] absl::StatusOr<std::vector<CrlDocument>> ReadCrls(absl::string_view text);

// The RFC 5280 name of CRLReason `code` ("keyCompromise"), or "" for a value it does not list
// (7, and 11 on).
absl::string_view CrlReasonName(int64_t code);

class CrlParser : public DumpParser {
 public:
  // Not a line format: every line is malformed ("a CRL is a whole document").
  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  RecordFields fields() const override {
    return {.serial = true, .issuer = true, .revocation = true};
  }

  bool whole_document() const override { return true; }
  // The caller reads the header and checks the signature afterwards (ReadCrls).
  bool keeps_document() const override { return true; }

  // See the top of this file. `text` needs no padding (the parser reads only inside it).
  absl::Status ParseDocument(
      absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
      absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const override;

  // True when `head`, the start of a dump, is a CRL: a PEM "-----BEGIN X509 CRL-----" line in it,
  // or DER whose outer SEQUENCE (long-form length) holds a tbsCertList SEQUENCE that starts with
  // an optional INTEGER, an AlgorithmIdentifier SEQUENCE, a Name SEQUENCE and a UTCTime or
  // GeneralizedTime. A DER certificate (tbsCertificate starts with [0] version, or has a validity
  // SEQUENCE after its Name) is not one. Reads only `head`; the CRL may go on past it.
  static bool Looks(absl::string_view head);
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_CRL_PARSER_H_
