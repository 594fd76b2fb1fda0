#include "src/index/serial_index.h"

#include <algorithm>

namespace serialmatch::index {
namespace {

// Serials hashed, and their slots prefetched, before any of them is inserted: the inserts of a
// batch then wait for memory together instead of one cache miss after another.
constexpr size_t kBatch = 16;

}  // namespace

SerialIndex::SerialIndex(absl::Span<const inventory::SerialEntry> entries)
    : entries_(entries), table_(entries.size()) {
  const SerialOf serial_of{entries.data()};
  uint64_t hashes[kBatch];
  for (size_t start = 0; start < entries.size(); start += kBatch) {
    const size_t end = std::min(entries.size(), start + kBatch);
    for (size_t i = start; i < end; ++i) {
      hashes[i - start] = HashBytes(entries[i].serial);
      table_.PrefetchForInsert(hashes[i - start]);
    }
    for (size_t i = start; i < end; ++i) {
      const uint32_t position = static_cast<uint32_t>(i);
      duplicates_ +=
          table_.Insert(entries[i].serial, hashes[i - start], position, serial_of) != position;
    }
  }
}

}  // namespace serialmatch::index
