#include "src/index/domain_index.h"

#include <algorithm>

namespace serialmatch::index {
namespace {

// Names hashed, and their slots prefetched, before any of them is inserted: the inserts of a
// batch then wait for memory together instead of one cache miss after another.
constexpr size_t kBatch = 16;

// The parent under which a wildcard can cover the entry: any name but a wildcard, subtree apexes
// included; empty for none.
absl::string_view CoverableParent(const inventory::DomainEntry& e) {
  return e.name()[0] == '*' ? absl::string_view() : ParentName(e.name());
}

}  // namespace

DomainIndex::DomainIndex(absl::Span<const inventory::DomainEntry> entries) : entries_(entries) {
  size_t subtrees = 0;
  size_t coverable = 0;
  for (const inventory::DomainEntry& e : entries) {
    subtrees += e.subtree();
    coverable += e.name()[0] != '*';
  }
  exact_ = PositionTable(entries.size() - subtrees);
  subtree_ = PositionTable(subtrees);
  // Sized for one parent per entry, the most there can be.
  children_ = PositionTable(coverable);

  const NameOf name_of{entries.data()};
  std::vector<bool> duplicate(entries.size());
  uint64_t hashes[kBatch];
  for (size_t start = 0; start < entries.size(); start += kBatch) {
    const size_t end = std::min(entries.size(), start + kBatch);
    for (size_t i = start; i < end; ++i) {
      hashes[i - start] = HashBytes(entries[i].name());
      (entries[i].subtree() ? subtree_ : exact_).PrefetchForInsert(hashes[i - start]);
    }
    for (size_t i = start; i < end; ++i) {
      const uint32_t position = static_cast<uint32_t>(i);
      PositionTable& table = entries[i].subtree() ? subtree_ : exact_;
      if (table.Insert(entries[i].name(), hashes[i - start], position, name_of) != position) {
        duplicate[i] = true;
        ++duplicates_;
      }
    }
  }

  // Last entry first, each becoming the head of its parent's chain, so chains run in entry order.
  const ParentOf parent_of{entries.data()};
  next_child_.assign(entries.size(), PositionTable::kNone);
  absl::string_view parents[kBatch];
  for (size_t end = entries.size(); end > 0;) {
    const size_t start = end > kBatch ? end - kBatch : 0;
    for (size_t i = start; i < end; ++i) {
      // A duplicate is not matched, and an entry without a parent is covered by no wildcard:
      // neither is chained (an empty parent).
      parents[i - start] = duplicate[i] ? absl::string_view() : CoverableParent(entries[i]);
      if (parents[i - start].empty()) continue;
      hashes[i - start] = HashBytes(parents[i - start]);
      children_.PrefetchForInsert(hashes[i - start]);
    }
    for (size_t i = end; i-- > start;) {
      if (parents[i - start].empty()) continue;  // not chained, as above
      next_child_[i] = children_.Exchange(parents[i - start], hashes[i - start],
                                          static_cast<uint32_t>(i), parent_of);
    }
    end = start;
  }
}

}  // namespace serialmatch::index
