// Fuzzes the private key reader (src/inventory/keys.h): arbitrary bytes as a key file, and as the
// DER body of each private key label, through the DER reading of RSA and EC keys and OpenSSL's.
//
// Invariants: never crash; a success is a 64-digit lowercase hex hash; an encrypted key is never
// reported as read; where OpenSSL can read the key too, the public key hash is OpenSSL's.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/inventory/keys.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::inventory {
namespace {

bool IsHash(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

// OpenSSL's public key hash for the PEM `block`; empty when OpenSSL cannot read it.
std::string OpenSslHash(const std::string& block) {
  BIO* bio = BIO_new_mem_buf(block.data(), static_cast<int>(block.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(
      bio, nullptr, [](char*, int, int, void*) { return -1; }, nullptr);
  BIO_free(bio);
  ERR_clear_error();
  if (key == nullptr) return "";
  unsigned char* spki = nullptr;
  const int size = i2d_PUBKEY(key, &spki);
  EVP_PKEY_free(key);
  if (size <= 0) return "";
  unsigned char md[32];
  SHA256(spki, static_cast<size_t>(size), md);
  OPENSSL_free(spki);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(md), 32));
}

void Check(absl::string_view text, const std::string& block) {
  const absl::StatusOr<std::string> spki = FirstPrivateKeySpkiSha256(block);
  if (!spki.ok()) return;
  SM_FUZZ_CHECK(IsHash(*spki), text);
  SM_FUZZ_CHECK(block.find("ENCRYPTED") == std::string::npos, text);
  const std::string openssl = OpenSslHash(block);
  SM_FUZZ_CHECK(openssl.empty() || openssl == *spki, text);
}

void CheckKey(absl::string_view text) {
  const absl::StatusOr<std::string> file = FirstPrivateKeySpkiSha256(text);
  if (file.ok()) SM_FUZZ_CHECK(IsHash(*file), text);
  // The same bytes as the DER body of each label.
  std::string base64 = absl::Base64Escape(text);
  std::string body;
  for (size_t i = 0; i < base64.size(); i += 64) absl::StrAppend(&body, base64.substr(i, 64), "\n");
  for (absl::string_view label : {"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"}) {
    Check(text, absl::StrCat("-----BEGIN ", label, "-----\n", body, "-----END ", label, "-----\n"));
  }
}

}  // namespace
}  // namespace serialmatch::inventory

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::inventory::CheckKey(serialmatch::fuzz::AsText(data, size));
  return 0;
}
