#include "src/index/serial_index.h"

#include <algorithm>
#include <thread>

namespace serialmatch::index {
namespace {

// Serials hashed, and their slots prefetched, before any of them is inserted: the inserts of a
// batch then wait for memory together instead of one cache miss after another.
constexpr size_t kBatch = 16;

// Below this many entries a second thread costs more than it saves.
constexpr size_t kParallelEntries = 1 << 14;

}  // namespace

SerialIndex::SerialIndex(absl::Span<const inventory::SerialEntry> entries) : entries_(entries) {
  // Half the serials each, and some room for an uneven split (a table grows if it needs more).
  const size_t expected = entries.size() / 2 + entries.size() / 16 + 16;
  size_t duplicates[2] = {0, 0};
  // Each shard goes over every entry in order and inserts those of its own, so the first entry of
  // a repeated serial (which always falls in the same shard) is the one kept.
  auto build = [&](size_t shard) {
    PositionTable table(expected);
    const SerialOf serial_of{entries.data()};
    uint64_t hashes[kBatch];
    uint32_t positions[kBatch];
    size_t pending = 0;
    auto insert_batch = [&] {
      for (size_t k = 0; k < pending; ++k) {
        const uint32_t position = positions[k];
        duplicates[shard] +=
            table.Insert(entries[position].serial, hashes[k], position, serial_of) != position;
      }
      pending = 0;
    };
    for (size_t i = 0; i < entries.size(); ++i) {
      const uint64_t hash = HashBytes(entries[i].serial);
      if (Shard(hash) != shard) continue;  // the other shard's
      table.PrefetchForInsert(hash);
      hashes[pending] = hash;
      positions[pending] = static_cast<uint32_t>(i);
      if (++pending == kBatch) insert_batch();
    }
    insert_batch();
    shards_[shard] = std::move(table);
  };
  if (entries.size() >= kParallelEntries) {
    std::thread other(build, 1);
    build(0);
    other.join();
  } else {
    build(0);
    build(1);
  }
  duplicates_ = duplicates[0] + duplicates[1];
}

}  // namespace serialmatch::index
