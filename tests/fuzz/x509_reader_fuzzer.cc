// Fuzzes ReadX509Certificate (src/inventory/x509_reader.h) on arbitrary bytes taken as one DER
// certificate.
//
// Invariants: no crash and no read outside the input (ASan: the copy has no padding); a result
// is the same when read twice; a certificate returned has a canonical serial, SHA-256s of 64 hex
// digits, a public key exactly when it is a CA, match names that are normal names without
// repeats, and none at all when its SAN could not be decoded; every message is printable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/inventory/x509_reader.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

bool IsLowerHex(absl::string_view s, size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void CheckCertificate(absl::string_view input) {
  const std::unique_ptr<char[]> copy(new char[input.size() + 1]);
  if (!input.empty()) std::memcpy(copy.get(), input.data(), input.size());
  const absl::string_view der(copy.get(), input.size());

  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
  std::vector<std::string> again_undecoded;
  absl::StatusOr<Certificate> again = ReadX509Certificate(der, &again_undecoded);
  SM_FUZZ_CHECK(cert.ok() == again.ok() && undecoded == again_undecoded, input);
  if (!cert.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(cert.status().message()), input);
    SM_FUZZ_CHECK(undecoded.empty() || cert.status().message() == again.status().message(), input);
    return;
  }
  for (const std::string& what : undecoded) SM_FUZZ_CHECK(fuzz::IsPrintable(what), input);
  SM_FUZZ_CHECK(IsCanonicalSerial(cert->serial), input);
  SM_FUZZ_CHECK(cert->serial == again->serial && cert->issuer == again->issuer, input);
  SM_FUZZ_CHECK(cert->dns_names == again->dns_names, input);
  SM_FUZZ_CHECK(IsLowerHex(cert->sha256, 64) && IsLowerHex(cert->spki_sha256, 64), input);
  SM_FUZZ_CHECK(cert->is_ca == !cert->public_key_der.empty(), input);
  // An ARI id is "<keyIdentifier>.<serial>", base64url (an empty keyIdentifier gives ".<serial>",
  // as OpenSSL's describer did).
  SM_FUZZ_CHECK(cert->ari_cert_id.empty() || absl::StrContains(cert->ari_cert_id, "."), input);
  SM_FUZZ_CHECK(!cert->ari_cert_id.empty() || cert->authority_key_id.empty(), input);
  std::string scratch;
  const NameList match_names = cert->match_names();
  for (size_t i = 0; i < match_names.size(); ++i) {
    const absl::string_view name = match_names[i];
    absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    SM_FUZZ_CHECK(normal.ok() && *normal == name, input);
    SM_FUZZ_CHECK(std::find(match_names.begin() + static_cast<ptrdiff_t>(i) + 1, match_names.end(),
                            name) == match_names.end(),
                  input);
  }
  const bool san_undecodable =
      std::any_of(undecoded.begin(), undecoded.end(), [](const std::string& what) {
        return absl::StartsWith(what, "subject alternative names") ||
               absl::StartsWith(what, "extensions");
      });
  if (san_undecodable) {
    SM_FUZZ_CHECK(cert->names().empty() && cert->match_names().empty(), input);
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckCertificate(serialmatch::fuzz::AsText(data, size));
  return 0;
}
