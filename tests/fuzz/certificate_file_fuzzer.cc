// Fuzzes ParseCertificateFile (src/inventory/certificates.h) on arbitrary file contents: PEM, PEM
// bundles with keys, DER, PKCS#7, junk.
//
// Invariants: the count returned is the number of certificates added; each has a canonical serial,
// SHA-256 digests of 64 hex digits, a line within the file, names normalised and unrepeated for
// matching, an ARI id of the form "<base64url>.<base64url>" or none; a file that gives no
// certificate is reported or listed as skipped, never both silent, and counted once (skipped or
// not_certificates); diagnostics are printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/inventory/certificates.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

bool IsLowerHex(absl::string_view s, size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

bool IsAriId(absl::string_view id) {
  const size_t dot = id.find('.');
  if (dot == 0 || dot == absl::string_view::npos || dot + 1 == id.size()) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) {
                       return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                              c == '_' || c == '.';
                     }) &&
         std::count(id.begin(), id.end(), '.') == 1;
}

void CheckFile(absl::string_view text) {
  CertificateInventory inventory;
  Diagnostics diags;
  const size_t found = ParseCertificateFile(text, "f.pem", &inventory, &diags);
  SM_FUZZ_CHECK(found == inventory.certificates.size(), text);
  SM_FUZZ_CHECK(found > 0 || diags.count() > 0 || !inventory.skipped.empty(), text);
  // A file without certificates is counted once: skipped (keys only) or not a certificate.
  SM_FUZZ_CHECK(inventory.skipped.size() + inventory.not_certificates == (found == 0 ? 1u : 0u),
                text);
  SM_FUZZ_CHECK(fuzz::IsPrintable(diags.Render(), /*allow_newline=*/true), text);
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  std::string scratch;
  for (const Certificate& c : inventory.certificates) {
    SM_FUZZ_CHECK(c.path == "f.pem" && c.line >= 1 && c.line <= lines, text);
    SM_FUZZ_CHECK(IsCanonicalSerial(c.serial), text);
    SM_FUZZ_CHECK(IsLowerHex(c.sha256, 64) && IsLowerHex(c.spki_sha256, 64), text);
    SM_FUZZ_CHECK(c.ari_cert_id.empty() || IsAriId(c.ari_cert_id), text);
    const NameList match_names = c.match_names();
    for (size_t i = 0; i < match_names.size(); ++i) {
      const absl::StatusOr<absl::string_view> normal = NormalizeName(match_names[i], &scratch);
      SM_FUZZ_CHECK(normal.ok() && *normal == match_names[i], text);
      SM_FUZZ_CHECK(std::count(match_names.begin(), match_names.end(), match_names[i]) == 1, text);
    }
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckFile(serialmatch::fuzz::AsText(data, size));
  return 0;
}
