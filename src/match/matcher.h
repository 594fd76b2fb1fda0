// Matcher: probes one dump record against the inventory indexes and turns hits into Findings.
//
// The join is built on the inventory side and probed with the dump: inventories are small
// (thousands to a few hundred thousand entries) and dumps are large (millions of lines, gigabytes),
// so memory stays proportional to the inventory while the dump streams past.
//
//   Matcher matcher({{&domains}, {&serials}, &certificates});   // any may be empty or null
//   Matcher::Scratch scratch;              // one per worker thread
//   scratch.diagnostics = &diags;          // unreadable times, invalid names: `line: reason`
//   matcher.Match(record, line, &scratch, &findings);
#ifndef SERIALMATCH_SRC_MATCH_MATCHER_H_
#define SERIALMATCH_SRC_MATCH_MATCHER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "src/base/diagnostics.h"
#include "src/dump/record.h"
#include "src/index/certificate_index.h"
#include "src/index/domain_index.h"
#include "src/index/serial_index.h"
#include "src/inventory/certificates.h"
#include "src/inventory/domains.h"
#include "src/inventory/serials.h"
#include "src/match/finding.h"

namespace serialmatch::match {

// The inventories to join against; any may be empty or null. They must outlive the Matcher. Each
// domain and serial inventory (several customer lists in one run) is indexed and matched on its
// own: a name in two lists gives a finding for each.
struct Inventories {
  std::vector<const inventory::DomainInventory*> domains;
  std::vector<const inventory::SerialInventory*> serials;
  const inventory::CertificateInventory* certificates = nullptr;
  const inventory::CertificateInventory* endpoints = nullptr;  // certificates live servers present
};

struct MatchOptions {
  // Records issued before this time are ignored (records without a readable issue time are kept).
  std::optional<absl::Time> issued_after;
};

class Matcher {
 public:
  // Per-thread working memory, reused from record to record.
  struct Scratch {
    struct Hit {
      uint32_t entry;
      index::NameMatch how;
      uint32_t name;  // position in the record's names
    };
    struct CertHit {
      uint32_t cert;
      uint32_t name;  // position in the record's names
      index::NameMatch how;
      bool newer = false;       // the certificate was issued after the record
      bool superseded = false;  // some certificate for this name was issued after the record
    };
    std::vector<Hit> hits;
    std::vector<CertHit> cert_hits;
    std::vector<uint32_t> affected_certs;
    std::string name;
    uint64_t issued_before = 0;  // records ignored by MatchOptions::issued_after

    // Where Match() reports what it cannot use in a record, as `reason` at the line it is given
    // (not owned; when null the problems are only counted below).
    Diagnostics* diagnostics = nullptr;
    // Issue, expiry and revocation times that were needed (for a finding, a certificate's status
    // or MatchOptions::issued_after) and could not be read: one per field of a record.
    uint64_t bad_times = 0;
    // Record names that are not valid DNS names, counted once per name of a record when a domain
    // or certificate inventory looks at the names.
    uint64_t invalid_names = 0;

    // The record being matched, read at most once, and only when needed; reset by Match().
    struct Current {
      bool issued_read = false;
      std::optional<absl::Time> issued;  // empty when absent or unreadable
      bool not_after_read = false;
      std::optional<std::string> not_after;  // RFC 3339 UTC; empty when absent or unreadable
      bool revoked_read = false;
      std::optional<std::string> revoked_at;  // RFC 3339 UTC; empty when absent or unreadable
      bool names_read = false;
      // The record's names in normal form, position for position: views of the dump's text or of
      // `normal_text`; empty for a name that is not a valid DNS name.
      std::vector<absl::string_view> names;
      std::string normal_text;
      struct Rewritten {
        size_t name, offset, size;
      };
      std::vector<Rewritten> rewritten;
      std::vector<uint64_t> hashes;  // HashBytes of each of `names`, position for position
      std::vector<uint32_t> others;  // positions of the names that needed NormalizeName
    } current;
  };

  explicit Matcher(const Inventories& inventories, const MatchOptions& options = {});
  // One domain and one serial inventory; either may be null.
  Matcher(const inventory::DomainInventory* domains, const inventory::SerialInventory* serials);

  // Appends to `*out` the findings of `record`, found at `line` of its dump: one per inventory
  // serial equal to the record's serial, and one per inventory domain that any of the record's
  // names matches (with the best match kind: exact, then wildcard, then subtree; first such name).
  // For inventory certificates: affected when the record's SHA-256 fingerprint is theirs (match
  // sha256), or its serial is theirs (a warning when the record names another issuer, see
  // IssuerAgrees; for a record whose issuer is exact, a CRL's, see IssuerEquals); revoked instead
  // of affected when the record is a revocation (DumpRecord::revoked_at), and so are inventory
  // serials, whose findings from a CRL say that a bare serial has no issuer; for each certificate
  // valid for one of the record's names, replaced when it was issued after the record, otherwise
  // listed unless another inventory certificate for that name was issued after the record.
  // Certificates presented by live endpoints are judged the same way, as their own set (kind
  // endpoint). The findings' dump_path is left empty for the caller to fill in. Names that are not
  // valid DNS names cannot match: when a domain or certificate inventory looks at the names, each
  // is reported to scratch->diagnostics as "invalid name 'X': reason" and counted in
  // scratch->invalid_names (a serial-only join never splits the names). Records issued before
  // options.issued_after are counted in scratch->issued_before and not matched. An issue or expiry
  // time that is needed and cannot be read is reported to scratch->diagnostics as "unreadable issue
  // time 'X'" (or expiry time) and counted in scratch->bad_times; the record is matched all the
  // same, as one without that time. Thread-safe with one Scratch per thread.
  void Match(const dump::DumpRecord& record, uint64_t line, Scratch* scratch,
             std::vector<Finding>* out) const;

  // Whether Match() looks at nothing of a record but its serial: serial inventories only, and no
  // MatchOptions::issued_after. A record whose serial no inventory holds (HasSerial) then gives
  // nothing, and a join need not read the rest of its line (DumpParser::ParseSerial).
  bool serial_only() const {
    return domain_sets_.empty() && !certificates_.has_value() && !endpoints_.has_value() &&
           !options_.issued_after.has_value();
  }

  // Whether some serial inventory holds the canonical `serial`, whose hash is `hash`
  // (HashBytes(serial)). PrefetchSerial(hash) first, for several serials, lets their probes wait
  // for memory together.
  bool HasSerial(absl::string_view serial, uint64_t hash) const {
    for (const SerialSet& set : serial_sets_) {
      if (set.index.Find(serial, hash).has_value()) return true;
    }
    return false;
  }
  void PrefetchSerial(uint64_t hash) const {
    for (const SerialSet& set : serial_sets_) set.index.Prefetch(hash);
  }

  // Entries of the i-th domain (serial) inventory that repeat an earlier one of the same inventory
  // and are matched as that one.
  size_t duplicate_domains(size_t i) const { return domain_sets_[i].index.duplicates(); }
  size_t duplicate_serials(size_t i) const { return serial_sets_[i].index.duplicates(); }

 private:
  Finding MakeFinding(const dump::DumpRecord& record, uint64_t line, Scratch* scratch) const;
  // Certificates held in files, or presented by endpoints, with their index.
  struct CertificateSet {
    CertificateSet(const inventory::CertificateInventory* certs, FindingKind finding_kind)
        : inventory(certs), kind(finding_kind), index(certs->certificates) {}
    const inventory::CertificateInventory* inventory;
    FindingKind kind;
    index::CertificateIndex index;
  };
  Finding MakeCertificateFinding(const dump::DumpRecord& record, uint64_t line,
                                 const CertificateSet& set, uint32_t cert, Scratch* scratch) const;
  void MatchCertificates(const dump::DumpRecord& record, uint64_t line, const CertificateSet& set,
                         Scratch* scratch, std::vector<Finding>* out) const;

  struct DomainSet {
    explicit DomainSet(const inventory::DomainInventory* domains)
        : inventory(domains), index(domains->entries) {}
    const inventory::DomainInventory* inventory;
    index::DomainIndex index;
  };
  struct SerialSet {
    explicit SerialSet(const inventory::SerialInventory* serials)
        : inventory(serials), index(serials->entries) {}
    const inventory::SerialInventory* inventory;
    index::SerialIndex index;
  };
  void MatchDomains(const dump::DumpRecord& record, uint64_t line, const DomainSet& set,
                    Scratch* scratch, std::vector<Finding>* out) const;

  MatchOptions options_;
  std::vector<DomainSet> domain_sets_;
  std::vector<SerialSet> serial_sets_;
  std::optional<CertificateSet> certificates_;
  std::optional<CertificateSet> endpoints_;
};

// Whether a dump's issuer names the issuer of `cert`. A distinguished name in any common notation
// ("C=US, O=Let's Encrypt, CN=R3", "/C=US/O=Let's Encrypt/CN=R3", "CN=R3,O=Let's Encrypt,C=US",
// "commonName=R3, organizationName=Let's Encrypt", "O=\"Let's Encrypt, Inc.\"", "2.5.4.3=R3")
// agrees when every attribute it gives, in any order, is one of the certificate's issuer: the same
// type (short, long or OID spelling) and the same value, compared case-insensitively with runs of
// white space as one space — "O=Let's Encrypt" alone agrees with every Let's Encrypt issuer. A bare
// name ("R3", "Let's Encrypt R3") agrees when it equals the issuer CN or the whole DN, spaces and
// case aside. An empty dump issuer agrees with any.
bool IssuerAgrees(absl::string_view dump_issuer, const inventory::Certificate& cert);

// The facts of inventory certificate `cert` as findings describe it.
std::shared_ptr<const CertificateFacts> FactsOf(const inventory::Certificate& cert);

// A finding about `cert` that comes from no dump record (kind kCertificate, or kEndpoint for a
// certificate a live server presents): its facts and inventory position; status and reason are the
// caller's to set.
Finding CertificateFinding(const inventory::Certificate& cert, FindingKind kind);

// Whether two distinguished names, in the notations IssuerAgrees reads, name the same entity: the
// same attributes, each as often, in any order, compared as IssuerAgrees compares them. Two bare
// names are compared whole, spaces and case aside.
bool SameDistinguishedName(absl::string_view a, absl::string_view b);

// Whether `cert` was issued by the issuer named `issuer` whose key identifier is `key_id` (empty:
// not known): the same distinguished name (SameDistinguishedName) and, when both the key id and
// the certificate's authority key identifier are given, the same key.
bool IssuedBy(const inventory::Certificate& cert, absl::string_view issuer,
              absl::string_view key_id);

// Whether the exact issuer of a record (a CRL's: DumpRecord::issuer_exact) is the issuer of `cert`:
// the same attributes, each exactly once, in any order (compared as IssuerAgrees compares them),
// and, when both give one, the same key identifier (the CRL's authority key identifier and the
// certificate's). A CRL revokes only certificates of its own issuer. See SameDistinguishedName.
bool IssuerEquals(const dump::DumpRecord& record, const inventory::Certificate& cert);

}  // namespace serialmatch::match

#endif  // SERIALMATCH_SRC_MATCH_MATCHER_H_
