// Finding: one inventory item concerned by one dump record — the unit of every report.
#ifndef SERIALMATCH_SRC_MATCH_FINDING_H_
#define SERIALMATCH_SRC_MATCH_FINDING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch::match {

enum class FindingStatus : uint8_t {
  kAffected,  // an inventory serial is in the dump: that very certificate is to be revoked
  kListed,    // an inventory domain (or a name of an inventory certificate) is named by a dump
              // record, and no inventory certificate for it is newer than that record
  kReplaced,  // an inventory certificate for a listed name was issued after the listed record:
              // the listed certificate has been superseded
  kWarning,   // an inventory certificate's serial is listed, but under another issuer
  kError,     // a live endpoint could not be checked (refused, timed out, no TLS, ...), or the
              // revocation status of a certificate could not be learnt (its CRL unavailable)
  kRevoked,   // an inventory serial (or certificate) is revoked: a CRL of its issuer lists it, or
              // a dump row says it was revoked
  kMismatch,  // an inventory certificate's private key, kept with it, is not its key: it cannot
              // serve (found without any dump)
};

inline constexpr int kFindingStatusCount = 7;

enum class FindingKind : uint8_t { kDomain, kSerial, kCertificate, kEndpoint };

// kSha256: the dump gives the certificate's SHA-256 fingerprint, which equals the inventory
// certificate's: exact identity, whatever the serial and issuer.
enum class MatchType : uint8_t { kSerial, kExact, kWildcard, kSubtree, kSha256 };

// "affected", "listed", "replaced", "warning", "error", "revoked", "mismatch"
absl::string_view StatusName(FindingStatus status);
// "domain", "serial", "certificate", "endpoint"
absl::string_view KindName(FindingKind kind);
// "serial", "exact", "wildcard", "subtree", "sha256"
absl::string_view MatchName(MatchType match);

// The inventory certificate of a certificate finding (times RFC 3339 UTC, digests lowercase hex).
struct CertificateFacts {
  std::string serial;
  std::string issuer;
  std::string subject_cn;
  std::vector<std::string> names;
  std::string not_before;
  std::string not_after;
  std::string sha256;
  std::string spki_sha256;
  std::string ari_cert_id;   // empty when the certificate has no authority key identifier
  std::string verification;  // endpoints: "ok" or why a verifying client would reject it
  bool ca = false;  // a CA certificate (basicConstraints CA), judged by serial and issuer only
  // The other places ("path:line") the same certificate was read from, in read order; the finding
  // is theirs too.
  std::vector<std::string> also_at;
  // The store it came from ("file", "certbot", "kubernetes", ...; inventory::StoreKindName) and
  // what replaces it there (inventory::RenewalOf): a shell command, or empty, and a sentence.
  std::string store;
  std::string renew;
  std::string renew_note;
};

struct Finding {
  FindingStatus status = FindingStatus::kListed;
  FindingKind kind = FindingKind::kDomain;
  MatchType match = MatchType::kExact;

  std::string input;           // the inventory value as written, trimmed
  std::string inventory_path;  // where the inventory value was read
  uint64_t inventory_line = 0;

  std::string name;    // normalised dump name that matched; empty for serial findings
  std::string serial;  // canonical serial of the dump record
  std::string dump_path;
  uint64_t dump_line = 0;                // 1-based line of the record in its dump
  std::vector<std::string> names;        // the record's names as the dump writes them
  std::optional<std::string> issued_at;  // RFC 3339 UTC, when the dump gives it
  std::optional<std::string> not_after;  // RFC 3339 UTC, when the dump gives it
  std::string account;                   // the CA account id, when the dump gives it
  std::string issuer;                    // issuer DN, when the dump gives it
  std::string cert_sha256;               // fingerprints, when the dump gives them
  std::string precert_sha256;
  // When the dump record says the certificate was revoked (a CRL entry, a CCADB row): the time,
  // RFC 3339 UTC, and the RFC 5280 reason name when given.
  std::optional<std::string> revoked_at;
  std::optional<std::string> revocation_reason;

  // For certificate and endpoint findings; null for the others. Shared and immutable: it is half
  // the size of a finding, and domain and serial findings, the many, do without it.
  std::shared_ptr<const CertificateFacts> certificate;
  std::string reason;  // for certificate findings: why the status was given; may be empty
};

// True for the statuses that ask for action: affected, listed, revoked and mismatch.
bool NeedsAction(FindingStatus status);

// A certificate whose serial is in a dump is affected (or revoked), whatever else: removes its
// replaced findings (from other records naming its names). Keeps the order of the rest.
void DropReplacedOfAffected(std::vector<Finding>* findings);

// Orders findings for reports: by kind, inventory value, inventory position, dump, dump line, name.
// Every report is written in this order, so reports of the same inputs are byte-identical.
bool FindingLess(const Finding& a, const Finding& b);

// Removes repeated findings of one certificate: findings of the same inventory entry and status,
// in the same dump, for records with the same serial and issuer (crt.sh lists a precertificate and
// its certificate separately; some CAs list a certificate twice). The one from the earliest dump
// line is kept. Findings of different statuses are all kept (a warning for a serial listed under
// another issuer does not hide the certificate's name listed on the same record), and so are
// records of one serial under two issuers, and findings for records without a serial. Leaves the
// findings in FindingLess order.
void DedupeFindings(std::vector<Finding>* findings);

}  // namespace serialmatch::match

#endif  // SERIALMATCH_SRC_MATCH_FINDING_H_
