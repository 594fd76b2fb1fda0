// Fuzzes ParseCsvInventory (src/inventory/csv_inventory.h) on arbitrary text: CSV exports of a
// certificate database, with broken quotes, cells, serials, times and encodings.
//
// Invariants: the count returned is the number of certificates added; each has a canonical serial,
// its file's path, a line within the file and a location; a row not read is counted, never dropped
// silently (every unreadable row is a diagnostic); a text that gives no certificate is counted as
// not a certificate; LooksLikeCsvInventory (for text that is not a JSON store) agrees with
// ParseCertificateFile's dispatch; diagnostics are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/inventory/certificates.h"
#include "src/inventory/csv_inventory.h"
#include "src/inventory/stores.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

void CheckCsvInventory(absl::string_view text) {
  CertificateInventory inventory;
  Diagnostics diags;
  const size_t found = ParseCsvInventory(text, "i.csv", &inventory, &diags);
  SM_FUZZ_CHECK(found == inventory.certificates.size(), text);
  SM_FUZZ_CHECK(diags.count() >= inventory.unreadable_csv_rows, text);
  SM_FUZZ_CHECK(inventory.not_certificates == (found == 0 ? 1u : 0u), text);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  // UTF-16 text has more bytes than lines; a line of the UTF-8 text is at most one per byte.
  const uint64_t lines = static_cast<uint64_t>(text.size()) + 1;
  for (const Certificate& c : inventory.certificates) {
    SM_FUZZ_CHECK(c.path == "i.csv" && c.line >= 1 && c.line <= lines, text);
    SM_FUZZ_CHECK(IsCanonicalSerial(c.serial), text);
    SM_FUZZ_CHECK(!c.location.empty(), text);
    SM_FUZZ_CHECK(c.sha256.empty() || c.sha256.size() == 64, text);
  }
  if (LooksLikeCsvInventory(text) && !LooksLikeJsonStore(text)) {
    CertificateInventory again;
    Diagnostics again_diags;
    SM_FUZZ_CHECK(ParseCertificateFile(text, "i.csv", &again, &again_diags) == found, text);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckCsvInventory(serialmatch::fuzz::AsText(data, size));
  return 0;
}
