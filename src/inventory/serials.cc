#include "src/inventory/serials.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/base/text_encoding.h"
#include "src/inventory/column_reader.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kHeaders[] = {"serial",    "serialnumber", "serial#",
                                          "serialhex", "certserial",   "serials"};
constexpr absl::string_view kHeaderWords[] = {"serial"};

bool LooksLikeSerial(absl::string_view cell) {
  std::string scratch;
  return CanonicalizeSerial(cell, &scratch).ok();
}

constexpr ColumnKind kSerialColumn = {kHeaders, kHeaderWords, "serial numbers", LooksLikeSerial};

}  // namespace

absl::StatusOr<SerialInventory> ParseSerialInventory(std::string text, const std::string& path,
                                                     Diagnostics* diags) {
  SerialInventory inventory;
  inventory.path = path;
  TextEncoding encoding;
  inventory.text = std::make_unique<const std::string>(ToUtf8Text(std::move(text), &encoding));
  const absl::string_view all = *inventory.text;
  const StableViews stable(all, &inventory.arena);
  inventory.entries.reserve(stable.MaxRows());
  std::string scratch;
  absl::StatusOr<ColumnChoice> column =
      ForEachColumnValue(all, kSerialColumn, diags, [&](uint64_t line, absl::string_view value) {
        absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(value, &scratch);
        if (!serial.ok()) {
          diags->Report(line, serial.status().message());
          return;
        }
        inventory.entries.push_back({stable.Keep(value), stable.Keep(*serial), line});
      });
  if (!column.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", column.status().message()));
  }
  inventory.column_note = column->NoteWithEncoding(encoding);
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
