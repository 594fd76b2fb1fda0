// Fuzzes ParseStoreFile and ParseYamlStoreFile (src/inventory/stores.h) on arbitrary input:
// Kubernetes Secret Lists, single Secrets (JSON and YAML), Traefik acme.json (v2 and v1), other and
// broken JSON and YAML.
//
// Invariants: the count returned is the number of certificates added; each is labelled with its
// store's location ("secret/..." or "traefik/...") and a line within the file; a file that gives
// no certificate is counted once (skipped or not_certificates), and not silently (a diagnostic or
// a skipped entry); LooksLikeJsonStore agrees with ParseCertificateFile's dispatch (a store file
// parsed either way gives the same certificates; likewise LooksLikeYamlStore); JSON read in place
// with padding past its end gives what a copy gives; a key compared is
// a 64-digit hash with the place it was read; diagnostics are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"
#include "src/inventory/stores.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

void CheckStore(absl::string_view text, bool yaml) {
  CertificateInventory inventory;
  Diagnostics diags;
  const size_t found = yaml ? ParseYamlStoreFile(text, "s.json", &inventory, &diags)
                            : ParseStoreFile(text, "s.json", &inventory, &diags);
  SM_FUZZ_CHECK(found == inventory.certificates.size(), text);
  SM_FUZZ_CHECK(found > 0 || diags.count() > 0 || !inventory.skipped.empty(), text);
  SM_FUZZ_CHECK(inventory.skipped.size() + inventory.not_certificates == (found == 0 ? 1u : 0u),
                text);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const Certificate& c : inventory.certificates) {
    SM_FUZZ_CHECK(c.path == "s.json" && c.line >= 1 && c.line <= lines, text);
    SM_FUZZ_CHECK(
        absl::StartsWith(c.location, "secret/") || absl::StartsWith(c.location, "traefik/"), text);
    SM_FUZZ_CHECK(c.key_spki_sha256.empty() == c.key_at.empty(), text);
    SM_FUZZ_CHECK(c.key_spki_sha256.empty() || c.key_spki_sha256.size() == 64, text);
  }
  if (!yaml) {  // read in place, past the end into padding: the same as from a copy
    std::string padded(text);
    padded.append(64, '\0');
    CertificateInventory in_place;
    Diagnostics in_place_diags;
    SM_FUZZ_CHECK(ParseStoreFile(absl::string_view(padded.data(), text.size()), "s.json", &in_place,
                                 &in_place_diags, 64) == found,
                  text);
    SM_FUZZ_CHECK(in_place_diags.Render() == diags.Render(), text);
  }
  if (yaml ? LooksLikeYamlStore(text) && !LooksLikeJsonStore(text) : LooksLikeJsonStore(text)) {
    CertificateInventory again;
    Diagnostics again_diags;
    SM_FUZZ_CHECK(ParseCertificateFile(text, "s.json", &again, &again_diags) == found, text);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = serialmatch::fuzz::AsText(data, size);
  serialmatch::inventory::CheckStore(text, /*yaml=*/false);
  serialmatch::inventory::CheckStore(text, /*yaml=*/true);
  return 0;
}
