#include "src/index/domain_index.h"

#include <algorithm>
#include <utility>

namespace serialmatch::index {

DomainIndex::DomainIndex(absl::Span<const inventory::DomainEntry> entries) {
  std::vector<std::pair<absl::string_view, uint32_t>> by_parent;
  for (size_t i = 0; i < entries.size(); ++i) {
    const inventory::DomainEntry& e = entries[i];
    const uint32_t position = static_cast<uint32_t>(i);
    if (e.subtree) {
      subtree_.emplace(e.name, position);
    } else {
      exact_.emplace(e.name, position);
    }
    // A wildcard name is matched only exactly; any other name (subtree apexes too) can be covered
    // by a wildcard over its parent.
    const absl::string_view parent = ParentName(e.name);
    if (e.name[0] != '*' && !parent.empty()) by_parent.emplace_back(parent, position);
  }
  std::sort(by_parent.begin(), by_parent.end());
  child_entries_.reserve(by_parent.size());
  for (size_t i = 0; i < by_parent.size();) {
    const absl::string_view parent = by_parent[i].first;
    const uint32_t begin = static_cast<uint32_t>(child_entries_.size());
    for (; i < by_parent.size() && by_parent[i].first == parent; ++i) {
      child_entries_.push_back(by_parent[i].second);
    }
    children_.emplace(parent, Range{begin, static_cast<uint32_t>(child_entries_.size())});
  }
}

}  // namespace serialmatch::index
