// Owning pointers for OpenSSL objects and the one place that turns OpenSSL's thread-local error
// queue into an absl::Status. Only src/inventory includes OpenSSL.
//
//   BioPtr bio(BIO_new_mem_buf(data, size));
//   if (X509Ptr cert(d2i_X509_bio(bio.get(), nullptr)); !cert) return OpenSslError("not DER");
#ifndef SERIALMATCH_SRC_INVENTORY_OPENSSL_UTIL_H_
#define SERIALMATCH_SRC_INVENTORY_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace serialmatch::inventory {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};

template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

inline void FreeBio(BIO* bio) { BIO_free_all(bio); }
inline void FreeGeneralNames(GENERAL_NAMES* names) { GENERAL_NAMES_free(names); }
inline void FreeCrlDistPoints(CRL_DIST_POINTS* points) { CRL_DIST_POINTS_free(points); }

using BioPtr = OpenSslPtr<BIO, FreeBio>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, FreeGeneralNames>;
using CrlDistPointsPtr = OpenSslPtr<CRL_DIST_POINTS, FreeCrlDistPoints>;
using Pkcs7Ptr = OpenSslPtr<PKCS7, PKCS7_free>;

// Drains this thread's OpenSSL error queue into the message of a kInvalidArgument status:
// "`what`: <first OpenSSL reason>" (or `what` alone when the queue is empty).
inline absl::Status OpenSslError(absl::string_view what) {
  std::string message(what);
  if (const unsigned long code = ERR_get_error(); code != 0) {
    const char* reason = ERR_reason_error_string(code);
    message.append(": ");
    message.append(reason != nullptr ? reason : "unknown OpenSSL error");
  }
  ERR_clear_error();
  return absl::InvalidArgumentError(message);
}

// SHA-256 in lowercase hex. The EVP_MD is fetched once: an implicit fetch per call (EVP_sha256()
// with EVP_Digest, or SHA256()) takes OpenSSL 3.0's provider store lock every time.
inline std::string Sha256Hex(absl::string_view data) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  if (kSha256 == nullptr ||
      EVP_Digest(data.data(), data.size(), md, &md_size, kSha256, nullptr) != 1) {
    return "";
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(md_size)));
}

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_OPENSSL_UTIL_H_
