#include "src/inventory/serials.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/inventory/column_reader.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kHeaders[] = {"serial",    "serialnumber", "serial#",
                                          "serialhex", "certserial",   "serials"};

}  // namespace

absl::StatusOr<SerialInventory> ParseSerialInventory(std::string text, const std::string& path,
                                                     Diagnostics* diags) {
  SerialInventory inventory;
  inventory.path = path;
  inventory.text = std::make_unique<const std::string>(std::move(text));
  const absl::string_view all = *inventory.text;
  auto stable = [&](absl::string_view s) {  // a view that outlives the parsing buffers
    const bool in_text = s.data() >= all.data() && s.data() + s.size() <= all.data() + all.size();
    return in_text ? s : inventory.arena.Store(s);
  };
  // One entry per line at most: reserving avoids regrowing the vector while loading.
  const size_t rows = static_cast<size_t>(std::count(all.begin(), all.end(), '\n')) + 1;
  inventory.entries.reserve(rows);
  std::string scratch;
  ForEachColumnValue(all, kHeaders, diags, [&](uint64_t line, absl::string_view value) {
    absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(value, &scratch);
    if (!serial.ok()) {
      diags->Report(line, serial.status().message());
      return;
    }
    inventory.entries.push_back({stable(value), stable(*serial), line});
  });
  if (inventory.entries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no valid serial numbers found"));
  }
  return inventory;
}

absl::StatusOr<SerialInventory> LoadSerialInventory(const std::string& path, Diagnostics* diags) {
  SM_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseSerialInventory(std::move(text), path, diags);
}

}  // namespace serialmatch::inventory
