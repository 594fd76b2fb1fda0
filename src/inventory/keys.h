// Private keys kept beside certificates, read for one thing only: the public key they hold, to say
// whether the certificate beside them can serve (a renewal that replaced the key but not the
// certificate, or the reverse, leaves a pair that no TLS handshake completes).
//
//   absl::StatusOr<std::string> spki = PrivateKeySpkiSha256(pem);  // lowercase hex
//   if (!spki.ok() && IsEncryptedKeyError(spki.status())) ... counted, not compared
//
// The key's private parts are decoded by OpenSSL into its own memory and freed; nothing of them is
// copied, kept, hashed or printed. Messages name PEM labels and positions only.
#ifndef SERIALMATCH_SRC_INVENTORY_KEYS_H_
#define SERIALMATCH_SRC_INVENTORY_KEYS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch::inventory {

// The SHA-256 (lowercase hex) of the DER SubjectPublicKeyInfo of the private key in `pem_block`,
// one PEM block from its BEGIN line through its END line, labelled PRIVATE KEY (PKCS #8), RSA
// PRIVATE KEY or EC PRIVATE KEY. Fails for an encrypted key (ENCRYPTED PRIVATE KEY, or a legacy
// "Proc-Type: 4,ENCRYPTED" header: see IsEncryptedKeyError), and for one OpenSSL cannot read.
[[nodiscard]] absl::StatusOr<std::string> PrivateKeySpkiSha256(absl::string_view pem_block);

// The same for the first private key block of `content` (a key file, a bundle). Fails with
// kNotFound when `content` holds no private key block.
[[nodiscard]] absl::StatusOr<std::string> FirstPrivateKeySpkiSha256(absl::string_view content);

// True for a PEM label of a private key block ("PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED
// PRIVATE KEY", ...).
bool IsPrivateKeyLabel(absl::string_view label);

// True when `status` is PrivateKeySpkiSha256's failure for an encrypted key.
bool IsEncryptedKeyError(const absl::Status& status);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_KEYS_H_
