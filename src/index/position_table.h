// PositionTable: a hash set of positions in a table of entries that carry their own string keys
// (an inventory's names), with a ProbeFilter in front, for indexes of millions of keys.
//
// FilteredMap keeps each key's view beside its value: 24 bytes a slot, in a flat_hash_map that a
// reserve() for n keys sizes at up to 2n slots, 100 MB for two million names. A slot here is 8
// bytes, the entry's position and 32 bits of its key's hash; the key itself is asked of the caller
// (`key_of(position)`) only when those bits agree, so two million names take 32 MB of slots and a
// probe reads the same memory as a flat_hash_map's (the slot, then the entry and its key). Open
// addressing with linear probing, at most 7/8 full, growing when needed; no removal. The slot
// array starts as fresh zeroed memory, with nothing written before the first insert.
//
//   auto name_of = [&](uint32_t i) { return entries[i].name(); };
//   PositionTable table(entries.size());
//   const uint64_t hash = HashBytes(name);
//   table.Insert(name, hash, position, name_of);  // the position stored for `name`
//   const uint32_t found = table.Find(name, hash, name_of);  // or PositionTable::kNone
#ifndef SERIALMATCH_SRC_INDEX_POSITION_TABLE_H_
#define SERIALMATCH_SRC_INDEX_POSITION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include "absl/strings/string_view.h"
#include "src/base/hash.h"
#include "src/base/huge_pages.h"
#include "src/index/probe_filter.h"

namespace serialmatch::index {

class PositionTable {
 public:
  // What Find and Exchange return for a key that is not in the table; never a stored position.
  static constexpr uint32_t kNone = UINT32_MAX;

  // Sized for `expected_keys` keys (the filter stays at that size when more are inserted, with
  // more false positives).
  explicit PositionTable(size_t expected_keys = 0) : filter_(expected_keys) {
    size_t capacity = 2;
    while (capacity / 8 * 7 < expected_keys) capacity *= 2;
    Allocate(capacity);
  }
  ~PositionTable() { Free(); }

  PositionTable(PositionTable&& other) noexcept
      : filter_(std::move(other.filter_)),
        slots_(std::exchange(other.slots_, nullptr)),
        capacity_(std::exchange(other.capacity_, 0)),
        shift_(other.shift_),
        size_(std::exchange(other.size_, 0)) {}
  PositionTable& operator=(PositionTable&& other) noexcept {
    if (this != &other) {
      Free();
      filter_ = std::move(other.filter_);
      slots_ = std::exchange(other.slots_, nullptr);
      capacity_ = std::exchange(other.capacity_, 0);
      shift_ = other.shift_;
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  PositionTable(const PositionTable&) = delete;
  PositionTable& operator=(const PositionTable&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Starts loading the filter word Find(.., hash, ..) reads first (see ProbeFilter::Prefetch).
  void Prefetch(uint64_t hash) const { filter_.Prefetch(hash); }

  // Starts loading what Insert or Exchange with `hash` writes, so that the inserts of a batch of
  // keys wait for memory together.
  void PrefetchForInsert(uint64_t hash) const {
    filter_.Prefetch(hash);
    __builtin_prefetch(&slots_[Home(hash)], 1);
  }

  // Stores `position` for `key` (`hash` == HashBytes(key), key_of(position) == key) unless a
  // position with an equal key is stored; returns the position stored for `key`.
  template <typename KeyOf>
  uint32_t Insert(absl::string_view key, uint64_t hash, uint32_t position, const KeyOf& key_of) {
    Slot& slot = Locate(key, hash, key_of);
    if (slot.position_plus_one != 0) return slot.position_plus_one - 1;
    Fill(slot, hash, position, key_of);
    return position;
  }

  // Stores `position` for `key` in place of any position stored for it, which it returns (kNone
  // when there was none).
  template <typename KeyOf>
  uint32_t Exchange(absl::string_view key, uint64_t hash, uint32_t position, const KeyOf& key_of) {
    Slot& slot = Locate(key, hash, key_of);
    if (slot.position_plus_one == 0) {
      Fill(slot, hash, position, key_of);
      return kNone;
    }
    return std::exchange(slot.position_plus_one, position + 1) - 1;
  }

  // The position stored for `key` (`hash` == HashBytes(key)), or kNone.
  template <typename KeyOf>
  uint32_t Find(absl::string_view key, uint64_t hash, const KeyOf& key_of) const {
    if (!filter_.MayContain(hash)) return kNone;
    const uint32_t tag = Tag(hash);
    for (size_t i = Home(hash);; i = (i + 1) & (capacity_ - 1)) {
      const Slot slot = slots_[i];
      if (slot.position_plus_one == 0) return kNone;
      if (slot.tag == tag && key_of(slot.position_plus_one - 1) == key) {
        return slot.position_plus_one - 1;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag;
    uint32_t position_plus_one;  // 0: empty, as fresh zeroed memory is
  };

  // The home slot from the hash's top bits, the tag from its low half: the filter picks its word
  // from the low bits too, so a key that passes the filter by sharing a word with a stored key
  // does not also land in that key's run of slots.
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash); }

  // The slot holding `key`, or the empty slot where it belongs.
  template <typename KeyOf>
  Slot& Locate(absl::string_view key, uint64_t hash, const KeyOf& key_of) {
    const uint32_t tag = Tag(hash);
    for (size_t i = Home(hash);; i = (i + 1) & (capacity_ - 1)) {
      Slot& slot = slots_[i];
      if (slot.position_plus_one == 0) return slot;
      if (slot.tag == tag && key_of(slot.position_plus_one - 1) == key) return slot;
    }
  }

  // Stores a new key's position in the empty `slot` Locate found, growing the table when it is
  // 7/8 full (which moves the slots: `slot` is not used after).
  template <typename KeyOf>
  void Fill(Slot& slot, uint64_t hash, uint32_t position, const KeyOf& key_of) {
    filter_.Add(hash);
    slot = Slot{Tag(hash), position + 1};
    if (++size_ > capacity_ / 8 * 7) Grow(key_of);
  }

  template <typename KeyOf>
  void Grow(const KeyOf& key_of) {
    Slot* const old = slots_;
    const size_t old_capacity = capacity_;
    Allocate(old_capacity * 2);
    for (size_t i = 0; i < old_capacity; ++i) {
      if (old[i].position_plus_one == 0) continue;  // an empty slot holds no key
      const uint64_t hash = HashBytes(key_of(old[i].position_plus_one - 1));
      size_t at = Home(hash);
      while (slots_[at].position_plus_one != 0) at = (at + 1) & (capacity_ - 1);
      slots_[at] = old[i];
    }
    FreeSlots(old, old_capacity);
  }

  void Allocate(size_t capacity) {
    capacity_ = capacity;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c /= 2) --shift_;
    const size_t bytes = capacity * sizeof(Slot);
    // Large tables come from their own mapping, zeroed by the kernel page by page on first touch;
    // small ones from calloc.
    void* memory = bytes >= kHugeAllocationMin ? AllocateHugePages(bytes)
                                               : std::calloc(capacity, sizeof(Slot));
    if (memory == nullptr) throw std::bad_alloc();
    slots_ = static_cast<Slot*>(memory);
  }

  static void FreeSlots(Slot* slots, size_t capacity) {
    if (slots == nullptr) return;
    const size_t bytes = capacity * sizeof(Slot);
    if (bytes >= kHugeAllocationMin) {
      FreeHugePages(slots, bytes);
    } else {
      std::free(slots);
    }
  }
  void Free() { FreeSlots(slots_, capacity_); }

  ProbeFilter filter_;
  Slot* slots_ = nullptr;
  size_t capacity_ = 0;  // a power of two, at least 2
  int shift_ = 63;       // 64 - log2(capacity_)
  size_t size_ = 0;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_POSITION_TABLE_H_
