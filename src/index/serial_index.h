// SerialIndex: canonical serial -> inventory entry, for probing every serial of a dump.
//
//   SerialIndex index(inventory.entries);
//   if (std::optional<uint32_t> entry = index.Find(record.serial)) { ... }
//
// The index keeps positions into `entries` and reads an entry's serial only when a probe's hash
// agrees (index/position_table.h): the entries and the strings they view must outlive the index.
#ifndef SERIALMATCH_SRC_INDEX_SERIAL_INDEX_H_
#define SERIALMATCH_SRC_INDEX_SERIAL_INDEX_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/hash.h"
#include "src/index/position_table.h"
#include "src/inventory/serials.h"

namespace serialmatch::index {

class SerialIndex {
 public:
  // Indexes `entries` by position; for a serial listed more than once, the first entry.
  explicit SerialIndex(absl::Span<const inventory::SerialEntry> entries);

  // The position in `entries` of the entry with canonical serial `serial`, if any.
  std::optional<uint32_t> Find(absl::string_view serial) const {
    return Find(serial, HashBytes(serial));
  }

  // The same, for a caller that has the serial's hash (HashBytes(serial)) and may have prefetched
  // it (see ProbeFilter::Prefetch).
  std::optional<uint32_t> Find(absl::string_view serial, uint64_t hash) const {
    const uint32_t entry = shards_[Shard(hash)].Find(serial, hash, SerialOf{entries_.data()});
    if (entry == PositionTable::kNone) return std::nullopt;
    return entry;
  }
  void Prefetch(uint64_t hash) const { shards_[Shard(hash)].Prefetch(hash); }

  size_t size() const { return shards_[0].size() + shards_[1].size(); }

  // Entries whose serial repeats an earlier entry's; Find() returns the earliest.
  size_t duplicates() const { return duplicates_; }

 private:
  // The key of the table, read from the entries.
  struct SerialOf {
    const inventory::SerialEntry* entries;
    absl::string_view operator()(uint32_t i) const { return entries[i].serial; }
  };

  // Serials are split between two tables by one bit of their hash, so that two threads build
  // the index, each its table. (Bit 40: a table places keys by the hash's top bits, tags them with
  // the low 32, and its filter uses the low and the top bits.)
  static size_t Shard(uint64_t hash) { return static_cast<size_t>(hash >> 40) & 1; }

  absl::Span<const inventory::SerialEntry> entries_;
  PositionTable shards_[2];
  size_t duplicates_ = 0;
};

}  // namespace serialmatch::index

#endif  // SERIALMATCH_SRC_INDEX_SERIAL_INDEX_H_
