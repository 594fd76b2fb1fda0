#include "src/inventory/keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/der.h"
#include "src/inventory/openssl_util.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kEncrypted = "encrypted private key; not compared";

// Refuses every passphrase request: an encrypted key is counted, never unlocked.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

constexpr absl::string_view kOidRsa("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9);  // rsaEncryption
constexpr absl::string_view kOidEcPublicKey("\x2a\x86\x48\xce\x3d\x02\x01", 7);  // id-ecPublicKey

// The bytes of a PEM block whose body is base64 lines alone (what every tool writes for an
// unencrypted key); false for anything else (headers, junk), which OpenSSL then reads.
bool PemBody(absl::string_view block, std::string* der) {
  const size_t begin_end = block.find('\n');
  const size_t end = block.rfind("-----END ");
  if (begin_end == absl::string_view::npos || end == absl::string_view::npos || end < begin_end) {
    return false;
  }
  std::string compact;
  compact.reserve(end - begin_end);
  for (const char c : block.substr(begin_end + 1, end - begin_end - 1)) {
    if (c == '\n' || c == '\r') continue;
    if (c == ':') return false;  // a header line ("Proc-Type: ..."): not a plain body
    compact.push_back(c);
  }
  return !compact.empty() && absl::Base64Unescape(compact, der);
}

// The DER SubjectPublicKeyInfo of an RSA key: the modulus and public exponent of its PKCS #1
// RSAPrivateKey `rsa` (version, n, e, ...), under rsaEncryption with NULL parameters, as OpenSSL's
// i2d_PUBKEY writes it. False when `rsa` is not one.
bool RsaSpki(absl::string_view rsa, std::string* spki) {
  der::Reader outer(rsa);
  der::Tlv seq, version, n, e;
  if (!outer.Read(der::kSequence, "RSAPrivateKey", &seq).ok() || !outer.empty()) return false;
  der::Reader fields = der::Reader::Inside(seq);
  if (!fields.Read(der::kInteger, "version", &version).ok() ||
      !fields.Read(der::kInteger, "modulus", &n).ok() ||
      !fields.Read(der::kInteger, "publicExponent", &e).ok()) {
    return false;
  }
  const std::string algorithm = der::Element(
      der::kSequence,
      absl::StrCat(der::Element(der::kOid, kOidRsa), absl::string_view("\x05\x00", 2)));
  const std::string key = der::Element(der::kSequence, absl::StrCat(n.element, e.element));
  *spki = der::Element(
      der::kSequence,
      absl::StrCat(algorithm,
                   der::Element(der::kBitString, absl::StrCat(std::string(1, '\0'), key))));
  return true;
}

// The DER SubjectPublicKeyInfo of an EC key from its RFC 5915 ECPrivateKey `ec` (version,
// privateKey, [0] parameters, [1] publicKey), the curve `curve_oid` (a DER OID element) when the
// PKCS #8 wrapper gives it. False when the key carries no public key or names no curve (OpenSSL
// then computes it).
bool EcSpki(absl::string_view ec, absl::string_view curve_oid, std::string* spki) {
  der::Reader outer(ec);
  der::Tlv seq, version, secret, field;
  if (!outer.Read(der::kSequence, "ECPrivateKey", &seq).ok() || !outer.empty()) return false;
  der::Reader fields = der::Reader::Inside(seq);
  if (!fields.Read(der::kInteger, "version", &version).ok() ||
      !fields.Read(der::kOctetString, "privateKey", &secret).ok()) {
    return false;
  }
  std::string curve(curve_oid);
  absl::string_view point;  // the BIT STRING's contents: unused-bits octet and the point
  while (!fields.empty()) {
    if (!fields.Read(&field).ok()) return false;
    der::Reader inside = der::Reader::Inside(field);
    der::Tlv value;
    if (field.tag == der::ContextTag(0, true)) {
      if (!inside.Read(der::kOid, "namedCurve", &value).ok()) return false;
      if (!curve.empty() && curve != value.element) return false;  // two curves: let OpenSSL say
      curve = std::string(value.element);
    } else if (field.tag == der::ContextTag(1, true)) {
      if (!inside.Read(der::kBitString, "publicKey", &value).ok()) return false;
      point = value.content;
    }
  }
  if (curve.empty() || point.size() < 2 || point[0] != '\0') return false;
  const std::string algorithm =
      der::Element(der::kSequence, absl::StrCat(der::Element(der::kOid, kOidEcPublicKey), curve));
  *spki =
      der::Element(der::kSequence, absl::StrCat(algorithm, der::Element(der::kBitString, point)));
  return true;
}

// The SubjectPublicKeyInfo of the unencrypted key `der` labelled `label`, read from the DER: what
// the key itself holds (an RSA key's modulus and exponent, an EC key's public point), without
// OpenSSL's decoders, which take hundreds of microseconds a key and serialise threads. False for
// what it does not cover (Ed25519, an EC key without its public point, RSA-PSS, anything odd):
// OpenSSL reads those.
bool SpkiFromDer(absl::string_view label, absl::string_view der, std::string* spki) {
  if (label == "RSA PRIVATE KEY") return RsaSpki(der, spki);
  if (label == "EC PRIVATE KEY") return EcSpki(der, "", spki);
  if (label != "PRIVATE KEY") return false;
  // PKCS #8 PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING privateKey, ...
  der::Reader outer(der);
  der::Tlv info, version, algorithm, oid, key;
  if (!outer.Read(der::kSequence, "PrivateKeyInfo", &info).ok() || !outer.empty()) return false;
  der::Reader fields = der::Reader::Inside(info);
  if (!fields.Read(der::kInteger, "version", &version).ok() ||
      !fields.Read(der::kSequence, "privateKeyAlgorithm", &algorithm).ok() ||
      !fields.Read(der::kOctetString, "privateKey", &key).ok()) {
    return false;
  }
  der::Reader algorithm_fields = der::Reader::Inside(algorithm);
  if (!algorithm_fields.Read(der::kOid, "algorithm", &oid).ok()) return false;
  if (oid.content == kOidRsa) return RsaSpki(key.content, spki);
  if (oid.content != kOidEcPublicKey) return false;
  der::Tlv curve;
  if (!algorithm_fields.Read(der::kOid, "namedCurve", &curve).ok()) return false;
  return EcSpki(key.content, curve.element, spki);
}

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
  constexpr absl::string_view kBegin = "-----BEGIN ";
  if (absl::StartsWith(pem_block, kBegin)) {
    const size_t label_end = pem_block.find("-----", kBegin.size());
    std::string der, spki;
    if (label_end != absl::string_view::npos && PemBody(pem_block, &der) &&
        SpkiFromDer(pem_block.substr(kBegin.size(), label_end - kBegin.size()), der, &spki)) {
      const std::string hash = Sha256Hex(spki);
      OPENSSL_cleanse(der.data(), der.size());  // the private key's bytes: not left in the heap
      if (!hash.empty()) return hash;
    }
    OPENSSL_cleanse(der.data(), der.size());
  }
  BioPtr bio(BIO_new_mem_buf(pem_block.data(), static_cast<int>(pem_block.size())));
  if (!bio) return OpenSslError("cannot read the private key");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return OpenSslError("unreadable private key");
  unsigned char* spki = nullptr;
  const int size = i2d_PUBKEY(key.get(), &spki);
  if (size <= 0) return OpenSslError("cannot encode the private key's public key");
  const std::string hash =
      Sha256Hex(absl::string_view(reinterpret_cast<const char*>(spki), static_cast<size_t>(size)));
  OPENSSL_free(spki);
  if (hash.empty()) return OpenSslError("cannot hash the public key");
  return hash;
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
