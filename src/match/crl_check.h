// CRL checks: whether a CRL read as a dump can be trusted — its signature, checked with the key of
// an issuer certificate at hand — and whether it is still current.
//
//   std::vector<const inventory::Certificate*> issuers = CrlIssuerCandidates(certs, crl_issuers);
//   for (const dump::CrlDocument& crl : *dump::ReadCrls(joined.document)) {
//     CrlVerdict verdict = CheckCrl(crl, "r10-17.crl", issuers, absl::Now());
//     // verdict.signature: valid / invalid / unchecked; verdict.stale; verdict.problems
//   }
//   for (size_t i : Untrusted(verdicts)) ...  // invalid and not superseded: exit status 2
//
// A CRL whose signature is invalid must not decide anything: neither that a certificate is revoked
// nor that it is not. It is set aside unless a CRL for the same scope (issuer, key, distribution
// point) as recent or more recent is valid.
#ifndef SERIALMATCH_SRC_MATCH_CRL_CHECK_H_
#define SERIALMATCH_SRC_MATCH_CRL_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/dump/crl_parser.h"
#include "src/inventory/certificates.h"

namespace serialmatch::match {

enum class CrlSignature : uint8_t {
  kValid,      // verified with the key of a certificate of its issuer
  kInvalid,    // an issuer certificate is at hand and the signature is not its key's
  kUnchecked,  // no certificate of its issuer at hand, or an algorithm that cannot be checked
};

// "valid", "invalid", "unchecked"
absl::string_view CrlSignatureName(CrlSignature signature);

// What a run says about one CRL: on standard error, in the json summary ("crls").
struct CrlVerdict {
  std::string path;       // the dump it was read from: a file, or the URL it was fetched from
  uint64_t pem_line = 0;  // the line of its BEGIN X509 CRL in a PEM file; 0 for DER
  std::string issuer;
  std::string authority_key_id;  // lowercase hex; may be empty
  std::string crl_number;        // decimal; may be empty
  absl::Time this_update;
  std::optional<absl::Time> next_update;
  uint64_t entries = 0;
  bool delta = false;                            // a delta CRL (lists changes since a base)
  std::vector<std::string> distribution_points;  // its issuingDistributionPoint URIs
  CrlSignature signature = CrlSignature::kUnchecked;
  std::string signature_note;  // why, for invalid and unchecked; the certificate used for valid
  bool stale = false;          // past its nextUpdate at the time of the check
  // Reasons not to rely on the CRL besides its signature (an unrecognised critical extension,
  // signature algorithms that disagree); any makes it untrusted as an invalid signature does.
  std::vector<std::string> problems;

  // Whether its signature is valid and nothing else speaks against it.
  bool trusted() const { return signature == CrlSignature::kValid && problems.empty(); }
  // Whether the CRL must be set aside: an invalid signature or a problem.
  bool untrustworthy() const { return signature == CrlSignature::kInvalid || !problems.empty(); }
  // The CRLs this one stands in for: the same issuer, key and distribution points.
  std::string Scope() const;
};

// The certificates that may have signed CRLs: the CA certificates (basicConstraints CA, with their
// public key) among `certificates` and `crl_issuers`; null inventories are skipped.
std::vector<const inventory::Certificate*> CrlIssuerCandidates(
    const inventory::CertificateInventory* certificates,
    const inventory::CertificateInventory* crl_issuers);

// Checks `crl`, read from `path`, at time `now`: its signature with each candidate whose subject is
// the CRL's issuer (SameDistinguishedName) and whose subject key identifier, when both have one,
// is the CRL's authority key identifier — valid when one of them verifies it, invalid when some
// candidate is such a certificate and none does, unchecked when there is none or the algorithm
// cannot be checked; staleness against nextUpdate; the problems above.
CrlVerdict CheckCrl(const dump::CrlDocument& crl, absl::string_view path,
                    absl::Span<const inventory::Certificate* const> issuers, absl::Time now);

// The positions of the verdicts that are untrustworthy and not superseded by a trusted CRL of the
// same Scope() whose thisUpdate is not earlier.
std::vector<size_t> Untrusted(const std::vector<CrlVerdict>& verdicts);

// "C=US, O=Let's Encrypt, CN=R10, number 1234, thisUpdate 2024-07-30T12:00:00Z, nextUpdate
// 2024-08-09T12:00:00Z, 1,234 entries, signature valid": one line, escaped for a terminal by the
// caller.
std::string DescribeCrl(const CrlVerdict& verdict);

}  // namespace serialmatch::match

#endif  // SERIALMATCH_SRC_MATCH_CRL_CHECK_H_
