// DomainIndex: answers "which inventory domains does this dump name concern?" with three hash
// probes at most, never a substring test (`ample.com` never matches `example.com`).
//
// For an inventory entry D and a normalised dump name N:
//   kExact     N == D, wildcards included ("*.example.com" == "*.example.com");
//   kWildcard  N is "*." + the parent of D: the wildcard covers exactly one label, so
//   "*.example.net"
//              covers "www.example.net" but not "a.b.example.net" nor "example.net";
//   kSubtree   D was written ".example.com" and N is example.com or any name under it (wildcards
//              under it included). The apex of a subtree entry is also matched by a wildcard over
//              it, as kWildcard.
//
//   DomainIndex index(inventory.entries);
//   index.ForEachMatch("*.example.net", [](uint32_t entry, NameMatch how) { ... });
//
// The index keeps positions into `entries` and reads the entries' names when a probe's hash agrees
// (index/position_table.h): the entries and the strings they view must outlive the index.
#ifndef SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_
#define SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/hash.h"
#include "src/base/huge_pages.h"
#include "src/base/name.h"
#include "src/index/position_table.h"
#include "src/inventory/domains.h"

namespace serialmatch::index {

enum class NameMatch : uint8_t { kExact, kWildcard, kSubtree };

class DomainIndex {
 public:
  // Indexes `entries` by position. An entry equal to an earlier one (same name, same subtree flag)
  // is a duplicate: only the earliest is matched.
  explicit DomainIndex(absl::Span<const inventory::DomainEntry> entries);

  size_t duplicates() const { return duplicates_; }

  // Starts loading what ForEachMatch(name, hash, ...) reads first for a name that is not a
  // wildcard.
  void Prefetch(uint64_t hash) const { exact_.Prefetch(hash); }

  // Calls fn(entry_position, how) for every (non-duplicate) inventory entry the normalised dump
  // name `name` matches; an entry is reported at most once per call.
  template <typename Fn>
  void ForEachMatch(absl::string_view name, Fn&& fn) const {
    ForEachMatch(name, HashBytes(name), fn);
  }

  // The same, for a caller that has the name's hash (`hash` == HashBytes(name)) and may have
  // called Prefetch(hash) for several names first, so that their probes wait for memory together.
  template <typename Fn>
  void ForEachMatch(absl::string_view name, uint64_t hash, Fn&& fn) const {
    const NameOf name_of{entries_.data()};
    const uint32_t exact = exact_.Find(name, hash, name_of);
    if (exact != PositionTable::kNone) fn(exact, NameMatch::kExact);
    if (name.size() > 2 && name[0] == '*' && name[1] == '.') {
      const absl::string_view parent = name.substr(2);
      for (uint32_t child = children_.Find(parent, HashBytes(parent), ParentOf{entries_.data()});
           child != PositionTable::kNone; child = next_child_[child]) {
        fn(child, NameMatch::kWildcard);
      }
    }
    if (!subtree_.empty()) {
      for (absl::string_view suffix = name; !suffix.empty(); suffix = ParentName(suffix)) {
        const uint32_t entry = subtree_.Find(suffix, HashBytes(suffix), name_of);
        if (entry != PositionTable::kNone) fn(entry, NameMatch::kSubtree);
      }
    }
  }

 private:
  // The keys of the tables, read from the entries.
  struct NameOf {
    const inventory::DomainEntry* entries;
    absl::string_view operator()(uint32_t i) const { return entries[i].name(); }
  };
  struct ParentOf {
    const inventory::DomainEntry* entries;
    absl::string_view operator()(uint32_t i) const { return ParentName(entries[i].name()); }
  };

  absl::Span<const inventory::DomainEntry> entries_;
  PositionTable exact_;    // exact entries by name
  PositionTable subtree_;  // subtree entries by apex
  // The entries a wildcard "*.P" covers, in order, as a chain: children_ holds the first by P,
  // next_child_[e] the one after e (kNone after the last).
  PositionTable children_;
  std::vector<uint32_t, HugePageAllocator<uint32_t>> next_child_;
  size_t duplicates_ = 0;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_
