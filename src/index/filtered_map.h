// FilteredMap: a hash map from string keys (viewing storage that outlives the map) to small values,
// with a ProbeFilter in front so that the usual probe, for a key that is absent, costs one hash and
// one cached word. Keys are hashed with HashBytes, once per probe; callers that probe several maps
// with the same key can hash it once and pass the hash.
//
//   FilteredMap<uint32_t> map(entries.size());
//   map.Insert(entry.name, position);
//   if (const uint32_t* position = map.Find(name)) { ... }
#ifndef SERIALMATCH_SRC_INDEX_FILTERED_MAP_H_
#define SERIALMATCH_SRC_INDEX_FILTERED_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "src/base/hash.h"
#include "src/base/huge_pages.h"
#include "src/index/probe_filter.h"

namespace serialmatch::index {

template <typename V>
class FilteredMap {
 public:
  // Sized for about `expected_keys` keys; more may be inserted, with more false positives.
  explicit FilteredMap(size_t expected_keys = 0) : filter_(expected_keys) {
    map_.reserve(expected_keys);
  }

  // Inserts `key` -> `value` unless `key` is present; returns the value stored for `key`.
  V& Insert(absl::string_view key, V value) {
    const uint64_t hash = HashBytes(key);
    filter_.Add(hash);
    return map_.try_emplace(key, value).first->second;
  }

  // The value for `key`, or null. `hash` must be HashBytes(key).
  const V* Find(absl::string_view key, uint64_t hash) const {
    if (!filter_.MayContain(hash)) return nullptr;
    const auto it = map_.find(key, hash);
    return it == map_.end() ? nullptr : &it->second;
  }
  const V* Find(absl::string_view key) const { return Find(key, HashBytes(key)); }

  // Starts loading what Find(key, hash) reads first (see ProbeFilter::Prefetch).
  void Prefetch(uint64_t hash) const { filter_.Prefetch(hash); }

  // Mutable access for building; null when absent.
  V* FindMutable(absl::string_view key) {
    const auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }

  bool empty() const { return map_.empty(); }
  size_t size() const { return map_.size(); }

  template <typename Fn>
  void ForEach(Fn&& fn) {
    for (auto& [key, value] : map_) fn(key, value);
  }

 private:
  // Large tables in huge pages: building one touches every page of its slot array.
  absl::flat_hash_map<absl::string_view, V, StringViewHash, StringViewEq,
                      HugePageAllocator<std::pair<const absl::string_view, V>>>
      map_;
  ProbeFilter filter_;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_FILTERED_MAP_H_
