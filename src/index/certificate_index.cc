#include "src/index/certificate_index.h"

namespace serialmatch::index {

CertificateIndex::CertificateIndex(absl::Span<const inventory::Certificate> certificates)
    : serials_(certificates.size()), fingerprints_(certificates.size()) {
  FilteredMap<uint32_t> entry_of_name;
  for (size_t i = 0; i < certificates.size(); ++i) {
    const inventory::Certificate& cert = certificates[i];
    const uint32_t position = static_cast<uint32_t>(i);
    const uint32_t serial_group =
        serials_.Insert(cert.serial, static_cast<uint32_t>(groups_.size()));
    if (serial_group == groups_.size()) groups_.emplace_back();
    groups_[serial_group].push_back(position);
    if (!cert.sha256.empty()) {
      const uint32_t sha_group =
          fingerprints_.Insert(cert.sha256, static_cast<uint32_t>(groups_.size()));
      if (sha_group == groups_.size()) groups_.emplace_back();
      groups_[sha_group].push_back(position);
    }
    // A CA certificate is judged by serial and issuer only (see the header): no name entries.
    if (cert.is_ca) continue;
    for (const std::string& name : cert.match_names) {
      const uint32_t entry = entry_of_name.Insert(name, static_cast<uint32_t>(entries_.size()));
      if (entry == entries_.size()) {
        entries_.push_back({name, name, false, cert.line});
        entry_group_.push_back(static_cast<uint32_t>(groups_.size()));
        groups_.emplace_back();
        if (name.size() > 2 && name[0] == '*' && name[1] == '.') {
          wildcard_parents_.Insert(absl::string_view(name).substr(2), entry);
        }
      }
      std::vector<uint32_t>& group = groups_[entry_group_[entry]];
      if (group.empty() || group.back() != position) group.push_back(position);
    }
  }
  names_ = std::make_unique<DomainIndex>(entries_);
}

}  // namespace serialmatch::index
