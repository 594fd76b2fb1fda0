#include "src/inventory/keys.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/inventory/openssl_util.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kEncrypted = "encrypted private key; not compared";

// Refuses every passphrase request: an encrypted key is counted, never unlocked.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

}  // namespace

bool IsPrivateKeyLabel(absl::string_view label) { return absl::EndsWith(label, "PRIVATE KEY"); }

bool IsEncryptedKeyError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition && status.message() == kEncrypted;
}

absl::StatusOr<std::string> PrivateKeySpkiSha256(absl::string_view pem_block) {
  // The header lines sit between the BEGIN line and the base64; a legacy encrypted key says so
  // there, a PKCS #8 one in its label.
  if (absl::StartsWith(pem_block, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
      absl::StrContains(pem_block.substr(0, 200), "Proc-Type: 4,ENCRYPTED")) {
    return absl::FailedPreconditionError(kEncrypted);
  }
  BioPtr bio(BIO_new_mem_buf(pem_block.data(), static_cast<int>(pem_block.size())));
  if (!bio) return OpenSslError("cannot read the private key");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return OpenSslError("unreadable private key");
  unsigned char* spki = nullptr;
  const int size = i2d_PUBKEY(key.get(), &spki);
  if (size <= 0) return OpenSslError("cannot encode the private key's public key");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  const bool hashed =
      EVP_Digest(spki, static_cast<size_t>(size), md, &md_size, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(spki);
  if (!hashed) return OpenSslError("cannot hash the public key");
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(md_size)));
}

absl::StatusOr<std::string> FirstPrivateKeySpkiSha256(absl::string_view content) {
  constexpr absl::string_view kBegin = "-----BEGIN ";
  for (size_t pos = content.find(kBegin); pos != absl::string_view::npos;
       pos = content.find(kBegin, pos + 1)) {
    if (pos > 0 && content[pos - 1] != '\n') continue;  // PEM blocks start a line
    const size_t label_start = pos + kBegin.size();
    const size_t label_end = content.find("-----", label_start);
    if (label_end == absl::string_view::npos) break;
    const absl::string_view label = content.substr(label_start, label_end - label_start);
    if (!IsPrivateKeyLabel(label) || label.find('\n') != absl::string_view::npos) continue;
    const std::string end_marker = absl::StrCat("-----END ", label, "-----");
    const size_t end = content.find(end_marker, label_end);
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("PEM block '", label, "' has no END line"));
    }
    return PrivateKeySpkiSha256(content.substr(pos, end + end_marker.size() - pos));
  }
  return absl::NotFoundError("no private key");
}

}  // namespace serialmatch::inventory
