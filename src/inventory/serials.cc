#include "src/inventory/serials.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/inventory/column_reader.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kHeaders[] = {"serial",   "serialnumber", "serial#", "serialhex",
                                         "certserial", "serials"};

}  // namespace

absl::StatusOr<SerialInventory> ParseSerialInventory(absl::string_view text, const std::string& path,
                                                     Diagnostics* diags) {
  SerialInventory inventory;
  inventory.path = path;
  std::vector<ColumnValue> values = ReadColumn(text, kHeaders, diags);
  // Reserved up front: the duplicate set views serials inside `entries`, which must not move.
  inventory.entries.reserve(values.size());
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(values.size());
  std::string scratch;
  for (ColumnValue& value : values) {
    absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(value.value, &scratch);
    if (!serial.ok()) {
      diags->Report(value.line, serial.status().message());
      continue;
    }
    std::string canonical(*serial);  // may view value.value: copy it before moving the input
    inventory.entries.push_back({std::move(value.value), std::move(canonical), value.line});
    if (!seen.insert(inventory.entries.back().serial).second) {
      inventory.entries.pop_back();
      ++inventory.duplicates;
    }
  }
  if (inventory.entries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no valid serial numbers found"));
  }
  return inventory;
}

absl::StatusOr<SerialInventory> LoadSerialInventory(const std::string& path, Diagnostics* diags) {
  SM_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseSerialInventory(text, path, diags);
}

}  // namespace serialmatch::inventory
