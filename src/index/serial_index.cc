#include "src/index/serial_index.h"

namespace serialmatch::index {

SerialIndex::SerialIndex(absl::Span<const inventory::SerialEntry> entries) : map_(entries.size()) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const uint32_t position = static_cast<uint32_t>(i);
    duplicates_ += map_.Insert(entries[i].serial, position) != position;
  }
}

}  // namespace serialmatch::index
