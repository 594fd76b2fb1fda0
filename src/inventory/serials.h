// The serial inventory: serial numbers of certificates a customer holds, from a CSV file or a plain
// list (UTF-8 or UTF-16, the column chosen as column_reader.h says), in any notation
// CanonicalizeSerial accepts. Invalid values are reported to the diagnostics sink and not matched.
// Repeated serials are all kept here; the index matches the first.
#ifndef SERIALMATCH_SRC_INVENTORY_SERIALS_H_
#define SERIALMATCH_SRC_INVENTORY_SERIALS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/huge_pages.h"
#include "src/base/string_arena.h"

namespace serialmatch::inventory {

// Views into the SerialInventory that holds the entry.
struct SerialEntry {
  absl::string_view input;   // the value as written, trimmed
  absl::string_view serial;  // canonical
  uint64_t line = 0;
};

// Owns the file's text and the rewritten strings its entries view (see DomainInventory).
struct SerialInventory {
  std::string path;
  // Which column the serials were read from and why ("column 2 'cert_serial_hex' (its header
  // names serial numbers)"), and the file's encoding when it was not UTF-8.
  std::string column_note;
  std::vector<SerialEntry, HugePageAllocator<SerialEntry>> entries;
  std::unique_ptr<const std::string> text;
  StringArena arena;
};

[[nodiscard]] absl::StatusOr<SerialInventory> ParseSerialInventory(std::string text,
                                                                   const std::string& path,
                                                                   Diagnostics* diags);

[[nodiscard]] absl::StatusOr<SerialInventory> LoadSerialInventory(const std::string& path,
                                                                  Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_SERIALS_H_
