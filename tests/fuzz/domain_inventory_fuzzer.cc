// Fuzzes ParseDomainInventory (src/inventory/domains.h) on arbitrary file contents.
//
// Invariants: every entry's name is a normal name (NormalizeName gives it back unchanged) and is
// the normal form of its input, without the leading '.' of a subtree entry; a subtree entry is not
// a wildcard; names have at least two labels besides a wildcard's '*'; a column was chosen and
// said; inputs are trimmed and non-empty; entries come in file order, on lines of the file;
// the views survive moving the inventory; the diagnostics and the error are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "src/base/diagnostics.h"
#include "src/base/name.h"
#include "src/inventory/domains.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

void CheckInventory(absl::string_view text) {
  Diagnostics diags("domains.csv");
  absl::StatusOr<DomainInventory> parsed =
      ParseDomainInventory(std::string(text), "domains.csv", &diags);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  if (!parsed.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(parsed.status().message()), text);
    return;
  }
  const DomainInventory inventory = std::move(*parsed);  // the views must not dangle
  parsed = absl::InternalError("moved from");
  SM_FUZZ_CHECK(!inventory.entries.empty(), text);
  SM_FUZZ_CHECK(absl::StartsWith(inventory.column_note, "column "), text);
  SM_FUZZ_CHECK(fuzz::IsPrintable(inventory.column_note), text);
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  uint64_t last_line = 0;
  std::string scratch;
  for (const DomainEntry& e : inventory.entries) {
    SM_FUZZ_CHECK(e.line() >= 1 && e.line() <= lines && e.line() >= last_line, text);
    last_line = e.line();
    SM_FUZZ_CHECK(!e.input().empty() && absl::StripAsciiWhitespace(e.input()) == e.input(), text);
    SM_FUZZ_CHECK(e.subtree() == (e.input()[0] == '.'), text);

    const absl::StatusOr<absl::string_view> again = NormalizeName(e.name(), &scratch);
    SM_FUZZ_CHECK(again.ok() && *again == e.name(), text);
    SM_FUZZ_CHECK(!e.subtree() || e.name()[0] != '*', text);
    absl::string_view base = e.name();
    absl::ConsumePrefix(&base, "*.");
    SM_FUZZ_CHECK(absl::StrContains(base, '.'), text);

    absl::string_view input = e.input();
    if (e.subtree()) input.remove_prefix(1);
    const absl::StatusOr<absl::string_view> normal = NormalizeName(input, &scratch);
    SM_FUZZ_CHECK(normal.ok() && *normal == e.name(), text);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckInventory(serialmatch::fuzz::AsText(data, size));
  return 0;
}
