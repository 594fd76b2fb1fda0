#include "src/index/certificate_index.h"

#include <thread>
#include <utility>

namespace serialmatch::index {
namespace {

// Certificate positions by group while building: (group, position) in the order met, each group's
// positions increasing (the certificates are visited in order), a position at most once a group.
class GroupBuilder {
 public:
  explicit GroupBuilder(size_t expected_members) { members_.reserve(expected_members); }

  uint32_t next_group() const { return static_cast<uint32_t>(last_of_group_.size()); }

  // Adds `position` to `group`, which is either a group met before or next_group().
  void Add(uint32_t group, uint32_t position) {
    if (group == last_of_group_.size()) {
      last_of_group_.push_back(position);
    } else if (last_of_group_[group] == position) {
      return;  // a name the certificate has twice
    } else {
      last_of_group_[group] = position;
    }
    members_.emplace_back(group, position);
  }

  size_t groups() const { return last_of_group_.size(); }
  const std::vector<std::pair<uint32_t, uint32_t>>& members() const { return members_; }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> members_;
  std::vector<uint32_t> last_of_group_;  // the last position added to each group
};

}  // namespace

CertificateIndex::CertificateIndex(absl::Span<const inventory::Certificate> certificates)
    : serials_(certificates.size()), fingerprints_(certificates.size()) {
  size_t name_count = 0;
  for (const inventory::Certificate& cert : certificates) {
    if (!cert.is_ca) name_count += cert.match_names().size();
  }
  // Serials and fingerprints on one thread, names on another (the names are most of the work for
  // a fleet's certificates with their SANs): two numberings of groups, the names' after the
  // others'.
  GroupBuilder by_key(2 * certificates.size());
  auto index_keys = [&] {
    for (size_t i = 0; i < certificates.size(); ++i) {
      const inventory::Certificate& cert = certificates[i];
      const uint32_t position = static_cast<uint32_t>(i);
      by_key.Add(serials_.Insert(cert.serial, by_key.next_group()), position);
      if (!cert.sha256.empty()) {
        by_key.Add(fingerprints_.Insert(cert.sha256, by_key.next_group()), position);
      }
    }
  };
  GroupBuilder by_name(name_count);
  auto index_names = [&] {
    // Not reserved for name_count: fleets repeat names (a wildcard on many servers), and a table
    // for every name with its repeats could be larger than the index.
    FilteredMap<uint32_t> entry_of_name;
    for (size_t i = 0; i < certificates.size(); ++i) {
      const inventory::Certificate& cert = certificates[i];
      // A CA certificate is judged by serial and issuer only (see the header): no name entries.
      if (cert.is_ca) continue;
      for (absl::string_view name : cert.match_names()) {
        const uint32_t entry = entry_of_name.Insert(name, static_cast<uint32_t>(entries_.size()));
        if (entry == entries_.size()) {
          entries_.push_back({name, name, false, cert.line});
          entry_group_.push_back(by_name.next_group());
          if (name.size() > 2 && name[0] == '*' && name[1] == '.') {
            wildcard_parents_.Insert(absl::string_view(name).substr(2), entry);
          }
        }
        by_name.Add(entry_group_[entry], static_cast<uint32_t>(i));
      }
    }
    names_ = std::make_unique<DomainIndex>(entries_);
  };
  if (name_count > 10000 && std::thread::hardware_concurrency() > 1) {
    std::thread names_thread(index_names);
    index_keys();
    names_thread.join();
  } else {
    index_keys();
    index_names();
  }
  const uint32_t name_groups_from = static_cast<uint32_t>(by_key.groups());
  for (uint32_t& group : entry_group_) group += name_groups_from;
  // Counting sort of the members by group: group g is positions_[group_start_[g], [g + 1]).
  group_start_.assign(by_key.groups() + by_name.groups() + 1, 0);
  for (const auto& [group, position] : by_key.members()) ++group_start_[group + 1];
  for (const auto& [group, position] : by_name.members()) {
    ++group_start_[name_groups_from + group + 1];
  }
  for (size_t g = 1; g < group_start_.size(); ++g) group_start_[g] += group_start_[g - 1];
  positions_.resize(by_key.members().size() + by_name.members().size());
  std::vector<uint32_t> fill(group_start_.begin(), group_start_.end() - 1);
  for (const auto& [group, position] : by_key.members()) positions_[fill[group]++] = position;
  for (const auto& [group, position] : by_name.members()) {
    positions_[fill[name_groups_from + group]++] = position;
  }
}

}  // namespace serialmatch::index
