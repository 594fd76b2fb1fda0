#include "src/inventory/certificates.h"

#include <dirent.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/file_util.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/inventory/csv_inventory.h"
#include "src/inventory/openssl_util.h"
#include "src/inventory/stores.h"

namespace serialmatch::inventory {
namespace {

// Larger files are not certificate files (the biggest CA bundles are a few hundred kilobytes).
constexpr off_t kMaxFileBytes = 64 << 20;

constexpr absl::string_view kBegin = "-----BEGIN ";
constexpr absl::string_view kDashes = "-----";

std::string Sha256Hex(const unsigned char* data, size_t size) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  if (EVP_Digest(data, size, md, &md_size, EVP_sha256(), nullptr) != 1) return "";
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(md_size)));
}

// The DER encoding of `object` with OpenSSL's i2d function `encode`; empty on failure.
template <typename T>
std::string ToDer(const T* object, int (*encode)(const T*, unsigned char**)) {
  unsigned char* buffer = nullptr;
  const int size = encode(object, &buffer);
  if (size <= 0) return "";
  std::string der(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  return der;
}

// The content octets of a DER TLV (tag and length removed); empty when malformed.
absl::string_view DerContent(absl::string_view tlv) {
  if (tlv.size() < 2) return {};
  size_t length = static_cast<unsigned char>(tlv[1]);
  size_t header = 2;
  if (length & 0x80) {
    const size_t length_bytes = length & 0x7f;
    if (length_bytes == 0 || length_bytes > 4 || tlv.size() < 2 + length_bytes) return {};
    length = 0;
    for (size_t i = 0; i < length_bytes; ++i) {
      length = (length << 8) | static_cast<unsigned char>(tlv[2 + i]);
    }
    header += length_bytes;
  }
  if (tlv.size() - header != length) return {};
  return tlv.substr(header);
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return "";
  constexpr unsigned long kFlags =
      (XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_UTF8_CONVERT) &
      ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

// The last commonName of `name` in UTF-8; empty when there is none.
std::string CommonName(const X509_NAME* name) {
  int index = -1;
  for (int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) {
    index = i;
  }
  if (index < 0) return "";
  unsigned char* utf8 = nullptr;
  const int size =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (size < 0) return "";
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

absl::StatusOr<absl::Time> ToTime(const ASN1_TIME* t, absl::string_view which) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return OpenSslError(absl::StrCat("unreadable ", which));
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

// The URIs of the fullNames of `x509`'s CRL Distribution Points, in order, without repeats.
std::vector<std::string> CrlUrls(X509* x509) {
  std::vector<std::string> urls;
  CrlDistPointsPtr points(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(x509, NID_crl_distribution_points, nullptr, nullptr)));
  ERR_clear_error();  // left when the extension is absent
  for (int i = 0; points && i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    // A point with only a cRLIssuer or a nameRelativeToCRLIssuer names no location to fetch.
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; names != nullptr && j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* general = sk_GENERAL_NAME_value(names, j);
      if (general->type != GEN_URI) continue;  // a directoryName or dNSName is not fetchable
      const ASN1_IA5STRING* uri = general->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<size_t>(ASN1_STRING_length(uri)));
      if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
    }
  }
  return urls;
}

absl::StatusOr<Certificate> Describe(X509* x509) {
  Certificate cert;
  const std::string der = ToDer<X509>(x509, i2d_X509);
  if (der.empty()) return OpenSslError("cannot re-encode the certificate");
  cert.sha256 = Sha256Hex(reinterpret_cast<const unsigned char*>(der.data()), der.size());
  const std::string spki = ToDer<X509_PUBKEY>(X509_get_X509_PUBKEY(x509), i2d_X509_PUBKEY);
  if (spki.empty()) return OpenSslError("cannot encode the subject public key info");
  cert.spki_sha256 = Sha256Hex(reinterpret_cast<const unsigned char*>(spki.data()), spki.size());

  const std::string serial_der =
      ToDer<ASN1_INTEGER>(X509_get0_serialNumber(x509), i2d_ASN1_INTEGER);
  const absl::string_view serial_content = DerContent(serial_der);
  if (serial_content.empty()) return absl::InvalidArgumentError("unreadable serial number");
  SM_ASSIGN_OR_RETURN(cert.serial, SerialFromDerInteger(serial_content));
  std::string scratch;

  cert.issuer = NameToString(X509_get_issuer_name(x509));
  cert.issuer_cn = CommonName(X509_get_issuer_name(x509));
  cert.subject_cn = CommonName(X509_get_subject_name(x509));
  if (const ASN1_OCTET_STRING* key_id = X509_get0_authority_key_id(x509)) {
    const absl::string_view id(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                               static_cast<size_t>(ASN1_STRING_length(key_id)));
    cert.authority_key_id = absl::BytesToHexString(id);
    cert.ari_cert_id = AriCertId(id, serial_content);
  }
  cert.subject = NameToString(X509_get_subject_name(x509));
  if (const ASN1_OCTET_STRING* key_id = X509_get0_subject_key_id(x509)) {
    cert.subject_key_id = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                          static_cast<size_t>(ASN1_STRING_length(key_id))));
  }
  cert.is_ca = (X509_get_extension_flags(x509) & EXFLAG_CA) != 0;
  if (cert.is_ca) cert.public_key_der = spki;
  SM_ASSIGN_OR_RETURN(cert.not_before, ToTime(X509_get0_notBefore(x509), "notBefore"));
  SM_ASSIGN_OR_RETURN(cert.not_after, ToTime(X509_get0_notAfter(x509), "notAfter"));

  GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* general = sk_GENERAL_NAME_value(sans.get(), i);
    if (general->type != GEN_DNS) continue;  // addresses, e-mail: dumps list DNS names only
    const ASN1_IA5STRING* dns = general->d.dNSName;
    cert.names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                            static_cast<size_t>(ASN1_STRING_length(dns)));
  }
  ERR_clear_error();  // X509_get_ext_d2i leaves an error when the extension is absent
  cert.crl_urls = CrlUrls(x509);

  // Certificates without SAN dNSNames are matched by their subject CN, as legacy clients did.
  std::vector<absl::string_view> candidates(cert.names.begin(), cert.names.end());
  if (candidates.empty() && !cert.subject_cn.empty()) candidates.push_back(cert.subject_cn);
  for (absl::string_view candidate : candidates) {
    absl::StatusOr<absl::string_view> normal = NormalizeName(candidate, &scratch);
    // A name that does not normalise (a CA's CN "Example Root CA") can equal no dump name, whose
    // names are normalised too; the certificate is still matched by its serial.
    if (!normal.ok()) continue;
    if (std::find(cert.match_names.begin(), cert.match_names.end(), *normal) ==
        cert.match_names.end()) {
      cert.match_names.emplace_back(*normal);
    }
  }
  return cert;
}

bool IsCertificateLabel(absl::string_view label) {
  return label == "CERTIFICATE" || label == "TRUSTED CERTIFICATE" || label == "X509 CERTIFICATE";
}

// PKCS#7 (and CMS) SignedData: a bundle of certificates, as in .p7b and .p7c files.
bool IsPkcs7Label(absl::string_view label) {
  return label == "PKCS7" || label == "PKCS #7 SIGNED DATA" || label == "CMS";
}

// True when `rest` is empty or only whitespace (the newline an editor or `echo >>` leaves after
// DER bytes).
bool IsTrailingSpace(absl::string_view rest) {
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// The bytes of one PEM block, `block` running from its BEGIN line through its END line.
absl::StatusOr<std::string> DecodePem(absl::string_view block) {
  BioPtr bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &size) != 1) {
    return OpenSslError("corrupt PEM block");
  }
  std::string der(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return der;
}

// Describes `x509` and appends it to the inventory as read from `path` at `line`; a diagnostic at
// `where` ("path" or "path:line") when it cannot be described. Returns whether it was added.
bool AddCertificate(X509* x509, const std::string& path, uint64_t line, absl::string_view where,
                    CertificateInventory* inventory, Diagnostics* diags) {
  absl::StatusOr<Certificate> cert = Describe(x509);
  if (!cert.ok()) {
    diags->Report(0, absl::StrCat(where, ": ", cert.status().message()));
    return false;
  }
  cert->path = path;
  cert->line = line;
  inventory->certificates.push_back(*std::move(cert));
  return true;
}

// Appends every certificate of the DER PKCS#7 structure `p7`; returns how many.
size_t AddPkcs7Certificates(const PKCS7* p7, const std::string& path, uint64_t line,
                            absl::string_view where, CertificateInventory* inventory,
                            Diagnostics* diags) {
  const STACK_OF(X509)* certs = nullptr;
  if (PKCS7_type_is_signed(p7) && p7->d.sign != nullptr) {
    certs = p7->d.sign->cert;
  } else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped != nullptr) {
    certs = p7->d.signed_and_enveloped->cert;
  } else {
    diags->Report(0, absl::StrCat(where,
                                  ": PKCS#7 data that is not SignedData holds no "
                                  "certificate"));
    return 0;
  }
  const int count = certs == nullptr ? 0 : sk_X509_num(certs);
  if (count <= 0) {
    diags->Report(0, absl::StrCat(where, ": PKCS#7 bundle without certificates"));
    return 0;
  }
  size_t found = 0;
  for (int i = 0; i < count; ++i) {
    found += AddCertificate(sk_X509_value(certs, i), path, line, where, inventory, diags);
  }
  return found;
}

// Parses one DER PKCS#7 bundle found at `where`; returns the number of certificates added.
size_t ParsePkcs7Der(absl::string_view der, const std::string& path, uint64_t line,
                     absl::string_view where, CertificateInventory* inventory, Diagnostics* diags) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
  if (!p7) {
    diags->Report(0, absl::StrCat(where, ": ", OpenSslError("corrupt PKCS#7 bundle").message()));
    return 0;
  }
  return AddPkcs7Certificates(p7.get(), path, line, where, inventory, diags);
}

// Parses the PEM blocks of `content`; returns the number of certificates found.
size_t ParsePem(absl::string_view content, const std::string& path, CertificateInventory* inventory,
                Diagnostics* diags) {
  size_t found = 0;
  std::set<std::string> other_labels;
  uint64_t line = 1;
  size_t counted_to = 0;  // `line` is the line number of content[counted_to]
  for (size_t pos = content.find(kBegin); pos != absl::string_view::npos;
       pos = content.find(kBegin, pos + 1)) {
    line += std::count(content.begin() + counted_to, content.begin() + pos, '\n');
    counted_to = pos;
    const std::string where = absl::StrCat(path, ":", line);
    if (pos > 0 && content[pos - 1] != '\n') {
      // Indented or inside other text (a YAML value, a README): PEM blocks start a line.
      diags->Report(0, absl::StrCat(where, ": '", kBegin,
                                    "...' not at the start of a line; not "
                                    "read"));
      continue;
    }
    const size_t label_start = pos + kBegin.size();
    const size_t label_end = content.find(kDashes, label_start);
    const size_t eol = content.find('\n', label_start);
    if (label_end == absl::string_view::npos ||
        (eol != absl::string_view::npos && eol < label_end)) {
      diags->Report(0, absl::StrCat(where, ": malformed PEM BEGIN line"));
      continue;
    }
    const absl::string_view label = content.substr(label_start, label_end - label_start);
    const std::string end_marker = absl::StrCat("-----END ", label, kDashes);
    const size_t end = content.find(end_marker, label_end);
    if (end == absl::string_view::npos) {
      diags->Report(
          0, absl::StrCat(where, ": PEM block '", QuoteForMessage(label), "' has no END line"));
      continue;
    }
    const bool pkcs7 = IsPkcs7Label(label);
    if (!pkcs7 && !IsCertificateLabel(label)) {
      other_labels.emplace(QuoteForMessage(label));  // never decoded: it may be a private key
      continue;
    }
    absl::StatusOr<std::string> der = DecodePem(content.substr(pos, end + end_marker.size() - pos));
    if (!der.ok()) {
      diags->Report(0, absl::StrCat(where, ": ", der.status().message()));
      continue;
    }
    if (pkcs7) {
      found += ParsePkcs7Der(*der, path, line, where, inventory, diags);
      continue;
    }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
    X509Ptr x509(label == "TRUSTED CERTIFICATE"
                     ? d2i_X509_AUX(nullptr, &p, static_cast<long>(der->size()))
                     : d2i_X509(nullptr, &p, static_cast<long>(der->size())));
    if (!x509) {
      diags->Report(0, absl::StrCat(where, ": ", OpenSslError("corrupt certificate").message()));
      continue;
    }
    found += AddCertificate(x509.get(), path, line, where, inventory, diags);
  }
  if (found == 0 && !other_labels.empty()) {
    inventory->skipped.push_back(absl::StrCat(path, " (", absl::StrJoin(other_labels, ", "), ")"));
  }
  return found;
}

// Parses a file that is not PEM: one DER certificate, several one after the other, or a DER
// PKCS#7 bundle, each perhaps followed by whitespace. Returns the number of certificates found.
size_t ParseDer(absl::string_view content, const std::string& path, CertificateInventory* inventory,
                Diagnostics* diags) {
  const unsigned char* const begin = reinterpret_cast<const unsigned char*>(content.data());
  const unsigned char* const end = begin + content.size();
  const unsigned char* p = begin;
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(content.size())));
  if (x509) {
    size_t found = 0;
    while (true) {
      found += AddCertificate(x509.get(), path, 1, path, inventory, diags);
      const absl::string_view rest(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p));
      if (IsTrailingSpace(rest)) return found;
      const unsigned char* next = p;
      x509.reset(d2i_X509(nullptr, &next, static_cast<long>(rest.size())));
      if (!x509) {
        ERR_clear_error();
        diags->Report(0, absl::StrCat(path, ": the ", rest.size(),
                                      " bytes after the DER "
                                      "certificate ending at byte ",
                                      p - begin, " are not a certificate; not read"));
        return found;
      }
      p = next;
    }
  }
  ERR_clear_error();
  p = begin;
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(content.size())));
  if (p7) {
    const size_t found = AddPkcs7Certificates(p7.get(), path, 1, path, inventory, diags);
    const absl::string_view rest(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p));
    if (!IsTrailingSpace(rest)) {
      diags->Report(0, absl::StrCat(path, ": the ", rest.size(),
                                    " bytes after the PKCS#7 bundle are not read"));
    }
    return found;
  }
  ERR_clear_error();
  diags->Report(0, absl::StrCat(path,
                                ": not a certificate (no PEM block, and neither a DER "
                                "certificate nor PKCS#7)"));
  return 0;
}

struct FileId {
  dev_t dev;
  ino_t ino;
  bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
  template <typename H>
  friend H AbslHashValue(H h, const FileId& id) {
    return H::combine(std::move(h), id.dev, id.ino);
  }
};

// Walks files and directories, reading each file once whatever the links leading to it.
class Walker {
 public:
  Walker(CertificateInventory* inventory, Diagnostics* diags)
      : inventory_(inventory), diags_(diags) {}

  void Visit(const std::string& path, const struct stat& st) {
    if (!seen_.insert(FileId{st.st_dev, st.st_ino}).second) return;  // read once already
    if (S_ISDIR(st.st_mode)) {
      VisitDirectory(path);
    } else if (S_ISREG(st.st_mode)) {
      VisitFile(path, st);
    } else {
      ++inventory_->unreadable;
      diags_->Report(0, absl::StrCat(path, ": not a regular file or directory; skipped"));
    }
  }

 private:
  void VisitDirectory(const std::string& path) {
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) {
      ++inventory_->unreadable;
      diags_->Report(0, absl::StrCat(path, ": cannot read directory: ", std::strerror(errno)));
      return;
    }
    std::vector<std::string> names;
    while (const dirent* entry = readdir(dir)) {
      const absl::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);  // not the tree's own links
    }
    closedir(dir);
    // Visible entries first, so a file reached both as "tls.crt" and through a hidden link farm
    // (Kubernetes' "..data/") is reported under its visible name.
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return std::make_pair(a[0] == '.', a) < std::make_pair(b[0] == '.', b);
    });
    const std::string prefix = absl::EndsWith(path, "/") ? path : absl::StrCat(path, "/");
    for (const std::string& name : names) {
      const std::string child = prefix + name;
      struct stat st;
      if (stat(child.c_str(), &st) != 0) {
        ++inventory_->unreadable;
        diags_->Report(0, absl::StrCat(child, ": cannot read: ", std::strerror(errno)));
        continue;
      }
      Visit(child, st);
    }
  }

  void VisitFile(const std::string& path, const struct stat& st) {
    if (st.st_size > kMaxFileBytes) {
      ++inventory_->unreadable;
      diags_->Report(0, absl::StrCat(path, ": ", st.st_size,
                                     " bytes is too large for a certificate file; skipped"));
      return;
    }
    absl::StatusOr<std::string> content = ReadFileToString(path);
    if (!content.ok()) {
      ++inventory_->unreadable;
      diags_->Report(0, std::string(content.status().message()));
      return;
    }
    ++inventory_->files;
    ParseCertificateFile(*content, path, inventory_, diags_);
  }

  CertificateInventory* inventory_;
  Diagnostics* diags_;
  absl::flat_hash_set<FileId> seen_;
};

}  // namespace

std::string AriCertId(absl::string_view key_identifier, absl::string_view serial_content_octets) {
  return absl::StrCat(absl::WebSafeBase64Escape(key_identifier), ".",
                      absl::WebSafeBase64Escape(serial_content_octets));
}

absl::StatusOr<bool> VerifySignature(absl::string_view signed_data, absl::string_view algorithm_der,
                                     absl::string_view signature,
                                     absl::string_view public_key_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(algorithm_der.data());
  OpenSslPtr<X509_ALGOR, X509_ALGOR_free> algorithm(
      d2i_X509_ALGOR(nullptr, &p, static_cast<long>(algorithm_der.size())));
  if (!algorithm) return OpenSslError("unreadable signature algorithm");
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm.get());
  const int algorithm_nid = OBJ_obj2nid(oid);
  int digest_nid = NID_undef, key_nid = NID_undef;
  if (algorithm_nid == NID_undef ||
      OBJ_find_sigid_algs(algorithm_nid, &digest_nid, &key_nid) != 1) {
    char text[80];
    OBJ_obj2txt(text, sizeof text, oid, /*no_name=*/1);
    ERR_clear_error();
    return absl::UnimplementedError(absl::StrCat("unknown signature algorithm ", text));
  }
  if (algorithm_nid == NID_rsassaPss) {
    return absl::UnimplementedError("RSASSA-PSS signatures are not checked");
  }
  p = reinterpret_cast<const unsigned char*>(public_key_der.data());
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(public_key_der.size())));
  if (!key) return OpenSslError("unreadable issuer public key");
  // A signature of another key type cannot be this key's (an RSA key and an ECDSA signature).
  if (EVP_PKEY_get_base_id(key.get()) != key_nid) return false;
  const EVP_MD* digest = digest_nid == NID_undef ? nullptr : EVP_get_digestbynid(digest_nid);
  if (digest_nid != NID_undef && digest == nullptr) {
    return absl::UnimplementedError(
        absl::StrCat("unsupported signature digest ", OBJ_nid2sn(digest_nid)));
  }
  OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.get()) != 1) {
    return OpenSslError("cannot set up the signature check");
  }
  const int verified = EVP_DigestVerify(
      context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size());
  ERR_clear_error();  // an invalid signature leaves its reason in the queue
  return verified == 1;
}

absl::StatusOr<Certificate> DescribeDerCertificate(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x509) return OpenSslError("not a DER certificate");
  return Describe(x509.get());
}

size_t ParseCertificateFile(absl::string_view content, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags) {
  if (LooksLikeJsonStore(content)) return ParseStoreFile(content, path, inventory, diags);
  // A CSV export of a certificate database (csv_inventory.h): rows, not certificates.
  if (LooksLikeCsvInventory(content)) return ParseCsvInventory(content, path, inventory, diags);
  return ParseCertificateData(content, path, inventory, diags);
}

size_t ParseCertificateData(absl::string_view content, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags) {
  const size_t skipped = inventory->skipped.size();
  size_t found = 0;
  if (content.empty()) {
    diags->Report(0, absl::StrCat(path, ": empty file, not a certificate"));
  } else if (content.find(kBegin) != absl::string_view::npos) {
    const uint64_t problems = diags->count();
    found = ParsePem(content, path, inventory, diags);
    if (found == 0 && diags->count() == problems && inventory->skipped.size() == skipped) {
      diags->Report(0, absl::StrCat(path, ": no PEM block could be read"));
    }
  } else {
    found = ParseDer(content, path, inventory, diags);
  }
  if (found == 0 && inventory->skipped.size() == skipped) ++inventory->not_certificates;
  return found;
}

absl::StatusOr<CertificateInventory> LoadCertificates(absl::Span<const std::string> paths,
                                                      Diagnostics* diags) {
  CertificateInventory inventory;
  Walker walker(&inventory, diags);
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat("--certs ", path));
    }
    walker.Visit(path, st);
  }
  // One certificate read in several places is one certificate: the first place keeps it, the
  // others are recorded in its also_at (one finding per dump record, listing every place).
  absl::flat_hash_map<std::string, size_t> first_of;  // sha256 -> position kept
  first_of.reserve(inventory.certificates.size());
  size_t kept = 0;
  for (size_t i = 0; i < inventory.certificates.size(); ++i) {
    Certificate& cert = inventory.certificates[i];
    if (!cert.sha256.empty()) {
      const auto [it, inserted] = first_of.try_emplace(cert.sha256, kept);
      if (!inserted) {
        inventory.certificates[it->second].also_at.push_back(
            absl::StrCat(cert.path, ":", cert.line));
        continue;  // counted in the also_at of its first place
      }
    }
    if (kept != i) inventory.certificates[kept] = std::move(cert);
    ++kept;
  }
  inventory.certificates.resize(kept);
  if (inventory.certificates.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--certs: no certificate found in ", absl::StrJoin(paths, ", "), " (",
                     inventory.files, " file", inventory.files == 1 ? "" : "s", " read)"));
  }
  return inventory;
}

}  // namespace serialmatch::inventory
