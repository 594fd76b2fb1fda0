#include "src/index/domain_index.h"

namespace serialmatch::index {

DomainIndex::DomainIndex(absl::Span<const inventory::DomainEntry> entries)
    : exact_(entries.size()), children_(entries.size()) {
  // Entries that a wildcard can cover: any name but a wildcard, subtree apexes included.
  auto coverable_parent = [](const inventory::DomainEntry& e) {
    return e.name()[0] == '*' ? absl::string_view() : ParentName(e.name());
  };
  size_t subtrees = 0;
  for (const inventory::DomainEntry& e : entries) subtrees += e.subtree();
  subtree_ = FilteredMap<uint32_t>(subtrees);
  // Two passes group entries by parent without sorting: count, then place.
  std::vector<bool> duplicate(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const inventory::DomainEntry& e = entries[i];
    const uint32_t position = static_cast<uint32_t>(i);
    if ((e.subtree() ? subtree_ : exact_).Insert(e.name(), position) != position) {
      duplicate[i] = true;
      ++duplicates_;
      continue;
    }
    const absl::string_view parent = coverable_parent(e);
    if (!parent.empty()) ++children_.Insert(parent, Range{}).end;
  }
  uint32_t next = 0;
  children_.ForEach([&](absl::string_view, Range& range) {
    range.begin = next;
    next += range.end;
    range.end = range.begin;  // advanced as entries are placed
  });
  child_entries_.resize(next);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (duplicate[i]) continue;
    const absl::string_view parent = coverable_parent(entries[i]);
    if (!parent.empty()) {
      child_entries_[children_.FindMutable(parent)->end++] = static_cast<uint32_t>(i);
    }
  }
}

}  // namespace serialmatch::index
