// The serial inventory: serial numbers of certificates a customer holds, from a CSV file or a plain
// list, in any notation CanonicalizeSerial accepts. Invalid values are reported to the diagnostics
// sink and not matched; repeated serials are kept once (the first as written).
#ifndef SERIALMATCH_SRC_INVENTORY_SERIALS_H_
#define SERIALMATCH_SRC_INVENTORY_SERIALS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "src/base/diagnostics.h"

namespace serialmatch::inventory {

struct SerialEntry {
  std::string input;   // the value as written, trimmed
  std::string serial;  // canonical
  uint64_t line = 0;
};

struct SerialInventory {
  std::string path;
  std::vector<SerialEntry> entries;
  uint64_t duplicates = 0;
};

[[nodiscard]] absl::StatusOr<SerialInventory> ParseSerialInventory(absl::string_view text,
                                                                   const std::string& path,
                                                                   Diagnostics* diags);

[[nodiscard]] absl::StatusOr<SerialInventory> LoadSerialInventory(const std::string& path,
                                                                  Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_SERIALS_H_
