#include "src/inventory/certificates.h"

#include <dirent.h>
#include <linux/magic.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/der.h"
#include "src/base/file_util.h"
#include "src/base/name.h"
#include "src/base/parallel.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/inventory/csv_inventory.h"
#include "src/inventory/keys.h"
#include "src/inventory/openssl_util.h"
#include "src/inventory/renew.h"
#include "src/inventory/stores.h"
#include "src/inventory/x509_reader.h"

namespace serialmatch::inventory {
namespace {

// Larger files are not certificate files. The biggest CA bundles are a few hundred kilobytes, but
// one `kubectl get secrets -A -o json` of a large cluster, or a CSV export of a quarter-million
// certificates, is hundreds of megabytes (about 1.1 KB a Secret with its key, 4 KB with a chain).
constexpr uint64_t kMaxFileBytes = uint64_t{4} << 30;

constexpr absl::string_view kBegin = "-----BEGIN ";
constexpr absl::string_view kDashes = "-----";

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
absl::StatusOr<std::string> DecodePemWithOpenSsl(absl::string_view block) {
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

// The same, faster: PEM_read_bio took ~half of a certificate's parse (its BIO line reads and
// EVP_Decode). A body of base64 lines alone, the shape of nearly every certificate, is decoded
// here; a block with headers (RFC 1421 "Proc-Type:" lines) or whose base64 does not decode goes
// to OpenSSL, which then says what is wrong as before.
absl::StatusOr<std::string> DecodePem(absl::string_view block) {
  const size_t body = block.find('\n');
  const size_t end_line = block.rfind("-----END ");
  if (body != absl::string_view::npos && end_line != absl::string_view::npos && end_line > body) {
    const absl::string_view base64 = block.substr(body + 1, end_line - body - 1);
    if (base64.find(':') == absl::string_view::npos) {
      // absl skips the line breaks (and any ASCII whitespace) itself: no copy without them.
      std::string der;
      if (absl::Base64Unescape(base64, &der) && !der.empty()) return der;
    }
  }
  return DecodePemWithOpenSsl(block);
}

// Describes the DER certificate `der` and appends it to the inventory as read from `path` at
// `line`; a diagnostic at `where` ("path" or "path:line") when it cannot be described, and one for
// each part that could not be decoded. Returns whether it was added.
// `cert` and `undecoded` are what ReadX509Certificate gave.
bool AddRead(absl::StatusOr<Certificate> cert, const std::vector<std::string>& undecoded,
             const std::string& path, uint64_t line, absl::string_view where,
             CertificateInventory* inventory, Diagnostics* diags) {
  if (!cert.ok()) {
    diags->Report(0, absl::StrCat(where, ": ", cert.status().message()));
    return false;
  }
  for (const std::string& what : undecoded) diags->Report(0, absl::StrCat(where, ": ", what));
  cert->path = path;
  cert->line = line;
  inventory->certificates.push_back(*std::move(cert));
  return true;
}

bool AddCertificate(absl::string_view der, const std::string& path, uint64_t line,
                    absl::string_view where, CertificateInventory* inventory, Diagnostics* diags) {
  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
  return AddRead(std::move(cert), undecoded, path, line, where, inventory, diags);
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
    // The certificates are OpenSSL's objects already; their DER (kept as read) goes through the
    // same reader as every other certificate.
    unsigned char* der = nullptr;
    const int size = i2d_X509(sk_X509_value(certs, i), &der);
    if (size <= 0) {
      diags->Report(0,
                    absl::StrCat(where, ": ",
                                 OpenSslError("cannot re-encode a PKCS#7 certificate").message()));
      continue;
    }
    found += AddCertificate(
        absl::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(size)), path,
        line, where, inventory, diags);
    OPENSSL_free(der);
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

// A bundle holding a private key and certificates (key, leaf, chain: what many servers are given
// as one file): the key belongs to the bundle's first leaf, the certificates from `first` on.
void PairBundleKey(absl::string_view key_block, const std::string& path, uint64_t line,
                   size_t first, CertificateInventory* inventory, Diagnostics* diags) {
  auto leaf = std::find_if(inventory->certificates.begin() + first, inventory->certificates.end(),
                           [](const Certificate& c) { return !c.is_ca; });
  if (leaf == inventory->certificates.end()) return;  // only CA certificates: no key of theirs
  const std::string where = absl::StrCat(path, ":", line);
  RecordKey(PrivateKeySpkiSha256(key_block), where, where, &*leaf, inventory, diags);
}

// Parses the PEM blocks of `content`; returns the number of certificates found.
size_t ParsePem(absl::string_view content, const std::string& path, CertificateInventory* inventory,
                Diagnostics* diags) {
  size_t found = 0;
  const size_t first = inventory->certificates.size();
  std::set<std::string> other_labels;
  absl::string_view key_block;  // the first private key block
  uint64_t key_line = 0;
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
    if (IsPrivateKeyLabel(label) && key_block.empty()) {
      // The bundle's key, read only for its public key (keys.h), once its certificates are.
      key_block = content.substr(pos, end + end_marker.size() - pos);
      key_line = line;
    }
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
    // The certificate is the block's first element; a TRUSTED CERTIFICATE has OpenSSL's trust
    // settings (X509_CERT_AUX) after it, which say nothing about the certificate's identity.
    der::Reader reader(*der);
    der::Tlv element;
    if (const absl::Status status = reader.Read(der::kSequence, "Certificate", &element);
        !status.ok()) {
      diags->Report(0, absl::StrCat(where, ": corrupt certificate: ", status.message()));
      continue;
    }
    found += AddCertificate(element.element, path, line, where, inventory, diags);
  }
  if (found == 0 && !other_labels.empty()) {
    inventory->skipped.push_back(absl::StrCat(path, " (", absl::StrJoin(other_labels, ", "), ")"));
  }
  if (found > 0 && !key_block.empty())
    PairBundleKey(key_block, path, key_line, first, inventory, diags);
  return found;
}

// Parses a file that is not PEM: one DER certificate, several one after the other, or a DER
// PKCS#7 bundle, each perhaps followed by whitespace. Returns the number of certificates found.
size_t ParseDer(absl::string_view content, const std::string& path, CertificateInventory* inventory,
                Diagnostics* diags) {
  const unsigned char* const begin = reinterpret_cast<const unsigned char*>(content.data());
  const unsigned char* const end = begin + content.size();
  der::Reader reader(content);
  der::Tlv element;
  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> cert = absl::InvalidArgumentError("");
  // A certificate first: the file is certificates one after the other. Otherwise (a PKCS#7
  // bundle is a SEQUENCE too) it is read as PKCS#7 below.
  if (reader.Read(der::kSequence, "Certificate", &element).ok() &&
      (cert = ReadX509Certificate(element.element, &undecoded)).ok()) {
    size_t found = 0;
    while (true) {
      found += AddRead(std::move(cert), undecoded, path, 1, path, inventory, diags);
      if (IsTrailingSpace(reader.rest())) return found;
      const size_t at = reader.offset();
      const size_t left = reader.rest().size();
      undecoded.clear();
      if (!reader.Read(der::kSequence, "Certificate", &element).ok() ||
          !(cert = ReadX509Certificate(element.element, &undecoded)).ok()) {
        diags->Report(0, absl::StrCat(path, ": the ", left,
                                      " bytes after the DER "
                                      "certificate ending at byte ",
                                      at, " are not a certificate; not read"));
        return found;
      }
    }
  }
  const unsigned char* p = begin;
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

// One step of a walk, in walk order: a file to read, or a problem met while walking.
struct WalkItem {
  std::string path;
  std::string problem;  // non-empty: a path that cannot be read (counted in `unreadable`)
};

// Whether readdir()'s d_ino of a regular file is its st_ino on the file system holding `dir`, so
// a walk can tell files apart without a stat() of each (250k stats were a second of a 250k-file
// walk). True for the local file systems that keep one inode number per file; elsewhere (overlayfs
// without xino, FUSE, network file systems) every file is stat()ed.
bool ReaddirInodesAreStatInodes(DIR* dir) {
  struct statfs fs;
  if (fstatfs(dirfd(dir), &fs) != 0) return false;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case EXT4_SUPER_MAGIC:  // also ext2 and ext3
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
      return true;
    default:
      return false;
  }
}

// Walks files and directories, listing each file once whatever the links leading to it. Files are
// read and parsed afterwards, in parallel (ReadAndParse); the walk itself only lists, and stats
// what readdir() does not say enough about (links, directories, other file systems' entries).
class Walker {
 public:
  explicit Walker(std::vector<WalkItem>* items) : items_(items) {}

  void Visit(const std::string& path, const struct stat& st) {
    if (!seen_.insert(FileId{st.st_dev, st.st_ino}).second) return;  // read once already
    if (S_ISDIR(st.st_mode)) {
      VisitDirectory(path, st.st_dev);
    } else if (S_ISREG(st.st_mode)) {
      items_->push_back(WalkItem{path, ""});
    } else {
      Problem(absl::StrCat(path, ": not a regular file or directory; skipped"));
    }
  }

 private:
  struct Entry {
    std::string name;
    ino_t ino;
    bool regular;  // readdir() says a regular file, and its inode number can be trusted
  };

  void VisitDirectory(const std::string& path, dev_t dev) {
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) {
      Problem(absl::StrCat(path, ": cannot read directory: ", std::strerror(errno)));
      return;
    }
    const bool trust_d_ino = ReaddirInodesAreStatInodes(dir);
    std::vector<Entry> entries;
    while (const dirent* entry = readdir(dir)) {
      const absl::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;  // not the tree's own links
      entries.push_back(
          Entry{std::string(name), entry->d_ino, trust_d_ino && entry->d_type == DT_REG});
    }
    closedir(dir);
    // Visible entries first, so a file reached both as "tls.crt" and through a hidden link farm
    // (Kubernetes' "..data/") is reported under its visible name.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return std::make_pair(a.name[0] == '.', absl::string_view(a.name)) <
             std::make_pair(b.name[0] == '.', absl::string_view(b.name));
    });
    const std::string prefix = absl::EndsWith(path, "/") ? path : absl::StrCat(path, "/");
    for (const Entry& entry : entries) {
      std::string child = prefix + entry.name;
      if (entry.regular) {
        // A regular file in this directory is on its file system (only a directory can be a
        // mount point), so (dev, d_ino) is what stat() would say.
        if (seen_.insert(FileId{dev, entry.ino}).second) {
          items_->push_back(WalkItem{std::move(child), ""});
        }
        continue;  // else read once already, through another link
      }
      struct stat st;
      if (stat(child.c_str(), &st) != 0) {
        Problem(absl::StrCat(child, ": cannot read: ", std::strerror(errno)));
        continue;
      }
      Visit(child, st);
    }
  }

  void Problem(std::string message) { items_->push_back(WalkItem{"", std::move(message)}); }

  std::vector<WalkItem>* items_;
  absl::flat_hash_set<FileId> seen_;
};

// What reading and parsing one walk item gave, merged in walk order.
struct ItemResult {
  CertificateInventory inventory;                             // its certificates and counts
  Diagnostics diags{"", std::numeric_limits<size_t>::max()};  // all kept; the merge caps them
};

void ReadAndParse(const WalkItem& item, ItemResult* result) {
  if (!item.problem.empty()) {
    ++result->inventory.unreadable;
    result->diags.Report(0, item.problem);
    return;
  }
  absl::StatusOr<std::string> content =
      ReadFileToString(item.path, kMaxFileBytes, "a certificate file");
  if (!content.ok()) {
    ++result->inventory.unreadable;
    result->diags.Report(0, std::string(content.status().message()));
    return;
  }
  ++result->inventory.files;
  ParseCertificateFile(*content, item.path, &result->inventory, &result->diags,
                       content->capacity() - content->size());
}

// Reads and parses `items` on every core, and appends what they gave to `inventory` and `diags`
// in the order of `items`, as one thread reading them one after the other would.
void ReadAndParseAll(const std::vector<WalkItem>& items, CertificateInventory* inventory,
                     Diagnostics* diags) {
  std::vector<ItemResult> results(items.size());
  ParallelFor(items.size(), [&](size_t i) { ReadAndParse(items[i], &results[i]); });
  size_t total = inventory->certificates.size();
  for (const ItemResult& r : results) total += r.inventory.certificates.size();
  inventory->certificates.reserve(total);
  for (ItemResult& r : results) {
    AppendInventory(std::move(r.inventory), inventory);
    diags->Merge(r.diags);
  }
}

}  // namespace

void AppendInventory(CertificateInventory part, CertificateInventory* into) {
  for (Certificate& cert : part.certificates) into->certificates.push_back(std::move(cert));
  for (std::string& skipped : part.skipped) into->skipped.push_back(std::move(skipped));
  into->files += part.files;
  into->not_certificates += part.not_certificates;
  into->unreadable += part.unreadable;
  into->secrets_without_certificate += part.secrets_without_certificate;
  into->unreadable_csv_rows += part.unreadable_csv_rows;
  into->keys_encrypted += part.keys_encrypted;
  into->keys_unreadable += part.keys_unreadable;
}

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

absl::StatusOr<Certificate> DescribeDerCertificate(absl::string_view der,
                                                   std::vector<std::string>* undecoded) {
  std::vector<std::string> ignored;
  return ReadX509Certificate(der, undecoded != nullptr ? undecoded : &ignored);
}

size_t ParseCertificateFile(absl::string_view content, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags, size_t padding) {
  if (LooksLikeJsonStore(content)) return ParseStoreFile(content, path, inventory, diags, padding);
  if (LooksLikeYamlStore(content)) return ParseYamlStoreFile(content, path, inventory, diags);
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
  std::vector<WalkItem> items;
  Walker walker(&items);
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return absl::ErrnoToStatus(errno, absl::StrCat("--certs ", path));
    }
    walker.Visit(path, st);
  }
  ReadAndParseAll(items, &inventory, diags);
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
        Certificate& kept_cert = inventory.certificates[it->second];
        kept_cert.also_at.push_back(absl::StrCat(cert.path, ":", cert.line));
        if (kept_cert.key_at.empty() && !cert.key_at.empty()) {  // the key of a later bundle
          kept_cert.key_spki_sha256 = std::move(cert.key_spki_sha256);
          kept_cert.key_at = std::move(cert.key_at);
        }
        if (kept_cert.store == Store::kFile && cert.store != Store::kFile) {
          // A copy of a Secret's or acme.json's certificate on disk: the store renews it.
          kept_cert.store = cert.store;
          kept_cert.store_name = std::move(cert.store_name);
          kept_cert.store_group = std::move(cert.store_group);
          kept_cert.store_path = std::move(cert.store_path);
        }
        continue;  // counted in the also_at of its first place
      }
    }
    if (kept != i) inventory.certificates[kept] = std::move(cert);
    ++kept;
  }
  inventory.certificates.resize(kept);
  ParallelFor(inventory.certificates.size(),
              [&](size_t i) { DescribeLayout(&inventory.certificates[i]); });
  PairKeys(&inventory, diags);
  if (inventory.certificates.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--certs: no certificate found in ", absl::StrJoin(paths, ", "), " (",
                     inventory.files, " file", inventory.files == 1 ? "" : "s", " read)"));
  }
  return inventory;
}

}  // namespace serialmatch::inventory
