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
// Keys view the inventory's strings: the inventory must outlive the index.
#ifndef SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_
#define SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/hash.h"
#include "src/base/name.h"
#include "src/index/filtered_map.h"
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
    if (const uint32_t* entry = exact_.Find(name, hash)) fn(*entry, NameMatch::kExact);
    if (name.size() > 2 && name[0] == '*' && name[1] == '.') {
      if (const Range* range = children_.Find(name.substr(2))) {
        for (uint32_t i = range->begin; i < range->end; ++i) {
          fn(child_entries_[i], NameMatch::kWildcard);
        }
      }
    }
    if (!subtree_.empty()) {
      for (absl::string_view suffix = name; !suffix.empty(); suffix = ParentName(suffix)) {
        if (const uint32_t* entry = subtree_.Find(suffix)) fn(*entry, NameMatch::kSubtree);
      }
    }
  }

 private:
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };

  FilteredMap<uint32_t> exact_;    // exact entries by name
  FilteredMap<uint32_t> subtree_;  // subtree entries by apex
  // Entries that a wildcard "*.P" covers, grouped by P: children_[P] is a range of child_entries_.
  FilteredMap<Range> children_;
  std::vector<uint32_t> child_entries_;
  size_t duplicates_ = 0;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_DOMAIN_INDEX_H_
