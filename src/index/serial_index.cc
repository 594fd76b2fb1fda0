#include "src/index/serial_index.h"

namespace serialmatch::index {

SerialIndex::SerialIndex(absl::Span<const inventory::SerialEntry> entries) : map_(entries.size()) {
  for (size_t i = 0; i < entries.size(); ++i) map_.Insert(entries[i].serial, static_cast<uint32_t>(i));
}

}  // namespace serialmatch::index
