// CertificateIndex: finds the inventory certificates a dump record concerns — by serial, by
// fingerprint, and by the names the certificates are valid for.
//
// Name matching follows DomainIndex (exact names, a dump wildcard covering one label), and adds the
// other direction, which only certificates have: an inventory wildcard certificate "*.example.com"
// is valid for, so concerns, a dump name "www.example.com".
//
// CA certificates (basicConstraints CA: the intermediates of a fullchain.pem, the roots of
// /etc/ssl) are found by serial and fingerprint only, never by name: a CA is listed or revoked by
// its serial and issuer, and a dump name equal to a CA's CN says nothing about the CA (nor, through
// it, about the leaves for that name).
//
//   CertificateIndex index(inventory.certificates);
//   for (uint32_t cert : index.FindSerial("03e2...")) ...
//   for (uint32_t cert : index.FindSha256("9f86d081...")) ...
//   index.ForEachNameMatch("www.example.com", [](uint32_t cert, NameMatch how) { ... });
//
// Keys view the certificates' strings: the certificates must outlive the index.
#ifndef SERIALMATCH_SRC_INDEX_CERTIFICATE_INDEX_H_
#define SERIALMATCH_SRC_INDEX_CERTIFICATE_INDEX_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/hash.h"
#include "src/base/name.h"
#include "src/index/domain_index.h"
#include "src/index/filtered_map.h"
#include "src/inventory/certificates.h"
#include "src/inventory/domains.h"

namespace serialmatch::index {

class CertificateIndex {
 public:
  explicit CertificateIndex(absl::Span<const inventory::Certificate> certificates);

  // Positions of the certificates whose canonical serial is `serial` (several issuers may have used
  // one serial); empty when none.
  absl::Span<const uint32_t> FindSerial(absl::string_view serial) const {
    const uint32_t* group = serials_.Find(serial);
    return group == nullptr ? absl::Span<const uint32_t>() : Group(*group);
  }

  // Positions of the certificates whose DER SHA-256 is `sha256` (lowercase hex): one, or more
  // when the span holds the same certificate several times (several endpoints presenting it;
  // LoadCertificates keeps one per certificate); empty when none.
  absl::Span<const uint32_t> FindSha256(absl::string_view sha256) const {
    const uint32_t* group = fingerprints_.Find(sha256);
    return group == nullptr ? absl::Span<const uint32_t>() : Group(*group);
  }

  bool has_names() const { return !entries_.empty(); }

  // Calls fn(certificate_position, how) for every certificate that is not a CA's that a normalised
  // dump name concerns; a certificate may be reported more than once per call (through several of
  // its names).
  template <typename Fn>
  void ForEachNameMatch(absl::string_view name, Fn&& fn) const {
    ForEachNameMatch(name, HashBytes(name), fn);
  }
  // The same, for a caller that has the name's hash (`hash` == HashBytes(name)).
  template <typename Fn>
  void ForEachNameMatch(absl::string_view name, uint64_t hash, Fn&& fn) const {
    auto report = [&](uint32_t entry, NameMatch how) {
      for (uint32_t cert : Group(entry_group_[entry])) fn(cert, how);
    };
    names_->ForEachMatch(name, hash, report);
    if (name.size() > 1 && name[0] != '*') {
      if (const uint32_t* entry = wildcard_parents_.Find(ParentName(name))) {
        report(*entry, NameMatch::kWildcard);
      }
    }
  }

 private:
  absl::Span<const uint32_t> Group(uint32_t group) const {
    return absl::MakeConstSpan(positions_.data() + group_start_[group],
                               group_start_[group + 1] - group_start_[group]);
  }

  // The certificate positions sharing a serial, a fingerprint or a name (a group), group after
  // group: one allocation, where a vector a group cost millions for a quarter-million
  // certificates with their names.
  std::vector<uint32_t> positions_;
  std::vector<uint32_t> group_start_;            // group -> its first index in positions_; + end
  FilteredMap<uint32_t> serials_;                // serial -> group
  FilteredMap<uint32_t> fingerprints_;           // sha256 -> group
  std::vector<inventory::DomainEntry> entries_;  // each distinct name of a non-CA certificate once
  std::vector<uint32_t> entry_group_;            // entry -> group
  std::unique_ptr<DomainIndex> names_;
  FilteredMap<uint32_t> wildcard_parents_;  // "example.com" -> entry of "*.example.com"
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_CERTIFICATE_INDEX_H_
