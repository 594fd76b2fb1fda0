// Fuzzes ParseSerialInventory (src/inventory/serials.h) on arbitrary file contents.
//
// Invariants: every entry's serial is canonical and is the canonical form of its input; inputs are
// trimmed and non-empty; a column was chosen and said; entries come in file order, on lines of the
// file; the views survive moving the inventory; the diagnostics and the error are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/inventory/serials.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

void CheckInventory(absl::string_view text) {
  Diagnostics diags("serials.csv");
  absl::StatusOr<SerialInventory> parsed =
      ParseSerialInventory(std::string(text), "serials.csv", &diags);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  if (!parsed.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(parsed.status().message()), text);
    return;
  }
  const SerialInventory inventory = std::move(*parsed);  // the views must not dangle
  parsed = absl::InternalError("moved from");
  SM_FUZZ_CHECK(!inventory.entries.empty(), text);
  SM_FUZZ_CHECK(absl::StartsWith(inventory.column_note, "column "), text);
  SM_FUZZ_CHECK(fuzz::IsPrintable(inventory.column_note), text);
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  uint64_t last_line = 0;
  std::string scratch;
  for (const SerialEntry& e : inventory.entries) {
    SM_FUZZ_CHECK(e.line >= 1 && e.line <= lines && e.line >= last_line, text);
    last_line = e.line;
    SM_FUZZ_CHECK(!e.input.empty() && absl::StripAsciiWhitespace(e.input) == e.input, text);
    SM_FUZZ_CHECK(IsCanonicalSerial(e.serial), text);
    const absl::StatusOr<absl::string_view> serial = CanonicalizeSerial(e.input, &scratch);
    SM_FUZZ_CHECK(serial.ok() && *serial == e.serial, text);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckInventory(serialmatch::fuzz::AsText(data, size));
  return 0;
}
