// ProbeFilter: a blocked Bloom filter in front of an inventory hash map. Almost every dump name and
// serial is *not* in the inventory (a few percent are), so the common probe should not touch the
// map's slot array: the filter answers "certainly absent" from one 64-bit word that, at 16 bits per
// key, stays in the L2 cache for inventories of a few hundred thousand entries. False positives
// (~0.5%) fall through to the map; there are no false negatives.
//
//   ProbeFilter filter(keys.size());
//   for (auto k : keys) filter.Add(HashBytes(k));
//   if (filter.MayContain(HashBytes(name))) { ...look in the map... }
#ifndef SERIALMATCH_SRC_INDEX_PROBE_FILTER_H_
#define SERIALMATCH_SRC_INDEX_PROBE_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "src/base/huge_pages.h"

namespace serialmatch::index {

class ProbeFilter {
 public:
  // Sized for `expected_keys` keys at about 16 bits each (a power of two of 64-bit words).
  explicit ProbeFilter(size_t expected_keys) {
    size_t words = 1;
    while (words * 64 < expected_keys * 16) words *= 2;
    words_.assign(words, 0);
    mask_ = words - 1;
  }

  void Add(uint64_t hash) { words_[Word(hash)] |= Bits(hash); }

  // Starts loading the word MayContain(hash) reads, so that probes of several keys wait for memory
  // together rather than one after another.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&words_[Word(hash)]); }

  // False only if no key with this hash was added.
  bool MayContain(uint64_t hash) const {
    const uint64_t bits = Bits(hash);
    return (words_[Word(hash)] & bits) == bits;
  }

 private:
  // The word comes from the low bits, the three bit positions from three 6-bit fields of the high
  // bits, so they are independent of the word choice.
  size_t Word(uint64_t hash) const { return static_cast<size_t>(hash) & mask_; }
  static uint64_t Bits(uint64_t hash) {
    return (uint64_t{1} << ((hash >> 46) & 63)) | (uint64_t{1} << ((hash >> 52) & 63)) |
           (uint64_t{1} << ((hash >> 58) & 63));
  }

  std::vector<uint64_t, HugePageAllocator<uint64_t>> words_;
  size_t mask_ = 0;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_PROBE_FILTER_H_
