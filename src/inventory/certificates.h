// The certificate inventory: the certificates a customer actually holds, read from PEM files, PEM
// bundles, DER files and directory trees (certbot's live/, /etc/ssl, a Kubernetes secrets export),
// so the join can say whether the certificate in hand is the listed one (affected) or a newer one
// (replaced).
//
//   Diagnostics diags;  // problems name their own files
//   absl::StatusOr<CertificateInventory> certs = LoadCertificates({"/etc/letsencrypt/live"},
//   &diags); for (const Certificate& c : certs->certificates) c.serial, c.ari_cert_id ...
//
// Files are recognised by their contents, not their names: PEM (CERTIFICATE, TRUSTED CERTIFICATE,
// and PKCS7 blocks, whose certificates are all read), DER certificates (one or several one after
// the other; trailing whitespace allowed) and DER PKCS#7 bundles (.p7b, .p7c). PEM blocks other
// than these (CSRs, parameters) are skipped without being decoded and never printed; a private
// key is read only for its public key, to compare with the certificate kept with it (keys.h,
// renew.h). A file holding only such blocks is listed in `skipped`. A JSON object is read as a
// store (stores.h: Kubernetes Secrets, Traefik's acme.json), and so is a Kubernetes YAML export; a
// CSV export with a serial and a names column as a CSV inventory (csv_inventory.h). A file that is
// none of these, an unreadable file, a corrupt certificate: a diagnostic `path: reason`, a count in
// the inventory, and the rest is read. Only this folder includes OpenSSL.
#ifndef SERIALMATCH_SRC_INVENTORY_CERTIFICATES_H_
#define SERIALMATCH_SRC_INVENTORY_CERTIFICATES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificate_names.h"

namespace serialmatch::inventory {

// Where a certificate is kept, for what renews it.
enum class Store : uint8_t {
  kFile,        // a plain file or directory: no known way to renew it
  kCertbot,     // certbot's live/NAME/ or archive/NAME/
  kAcmeSh,      // acme.sh's DOMAIN/ or DOMAIN_ecc/ with DOMAIN.cer
  kCaddy,       // Caddy's certificates/ISSUER/DOMAIN/DOMAIN.crt
  kKubernetes,  // a Secret of a `kubectl get secrets -o json` export
  kTraefik,     // an entry of Traefik's acme.json
};

// "file", "certbot", "acme.sh", "caddy", "kubernetes", "traefik"
absl::string_view StoreKindName(Store store);

struct Certificate {
  std::string path;   // the file it was read from
  uint64_t line = 1;  // line of its "-----BEGIN CERTIFICATE-----" (1 for DER)
  // The same certificate (the same DER SHA-256) read again after `path`:`line`, as "path:line" in
  // read order: certbot's cert.pem and fullchain.pem, /etc/ssl/certs and a bundle. It is one
  // certificate, matched once; empty when it was read once. (LoadCertificates only.)
  std::vector<std::string> also_at;

  std::string serial;            // canonical (src/base/serial.h)
  std::string issuer;            // issuer DN, "C=US, O=Let's Encrypt, CN=R3"
  std::string issuer_cn;         // issuer commonName; empty if none
  std::string subject_cn;        // subject commonName; empty if none
  std::string authority_key_id;  // keyIdentifier of the AKI extension, lowercase hex; may be empty
  std::string subject;           // subject DN, in the notation of `issuer`
  std::string subject_key_id;  // the subject key identifier extension, lowercase hex; may be empty
  // basicConstraints says CA: an issuer (of certificates and CRLs). The join judges a CA
  // certificate by serial and issuer only, never by its names (see CertificateIndex).
  bool is_ca = false;
  // A CA's DER SubjectPublicKeyInfo, to check the signatures of the CRLs it issues; empty for
  // other certificates (kept small: an inventory holds hundreds of thousands of leaves).
  std::string public_key_der;
  // The SAN dNSNames, each stored once (certificate_names.h): names() as written, match_names()
  // normalised (NormalizeName), without repeats (the subject CN's, for a certificate without a
  // SAN dNSName). Valid until the certificate is changed or destroyed.
  CertificateNames dns_names;
  NameList names() const { return dns_names.written(); }
  NameList match_names() const { return dns_names.normal(); }
  absl::Time not_before;
  absl::Time not_after;
  std::string sha256;       // of the DER certificate, lowercase hex
  std::string spki_sha256;  // of the DER SubjectPublicKeyInfo, lowercase hex
  std::string ari_cert_id;  // RFC 9773 §4.1 renewal-info id; empty without an AKI keyIdentifier
  // The uniformResourceIdentifier fullNames of the CRL Distribution Points extension, as written,
  // in extension order, without repeats. Every scheme is kept (an ldap:// URI too: the fetcher
  // says it cannot fetch it); points naming only nameRelativeToCRLIssuer or non-URI names add
  // nothing. Empty without the extension.
  std::vector<std::string> crl_urls;

  // For a certificate presented by a live endpoint (see endpoints.h): the endpoint as written, and
  // "ok" or what a verifying client would reject. Empty for certificates read from files.
  std::string endpoint;
  std::string verification;

  // For a certificate read from a store (stores.h): where the store keeps it, shown as the
  // finding's input ("secret/prod/www-tls", "traefik/le/example.com"); empty for plain files.
  std::string location;
  // The store that keeps it, which says how it is renewed (renew.h): recognised by content (a
  // Secrets export, an acme.json) or by the layout of the directories it was read from.
  Store store = Store::kFile;
  // The store's name for what renews it: cert-manager's Certificate (the Secret's annotation
  // cert-manager.io/certificate-name), certbot's lineage, the acme.sh or Caddy domain directory,
  // Traefik's main domain; empty when the store names none.
  std::string store_name;
  // Where in the store that name lives: the Secret's namespace, Traefik's resolver, Caddy's
  // issuer directory; for acme.sh "ecc" for a DOMAIN_ecc directory. Empty when none.
  std::string store_group;
  // The file the store was read from (the acme.json, the directory of a lineage), for commands
  // that name it; empty for plain files.
  std::string store_path;

  // The private key kept with the certificate (the same PEM bundle, certbot's privkey.pem,
  // acme.sh's DOMAIN.key, Caddy's DOMAIN.key), when one is at hand: the SHA-256 of its public key's
  // DER SubjectPublicKeyInfo, to compare with spki_sha256, and where it was read ("path" or
  // "path:line"). Both empty when no key was found or it could not be read (encrypted).
  std::string key_spki_sha256;
  std::string key_at;
};

// Every file found is counted once: files = (files with a certificate) + skipped.size() +
// not_certificates; files + unreadable = every file and directory entry met. A file whose
// certificates were all read earlier from other files is still a file with a certificate (its
// places are in their `also_at`). Every certificate read is counted once too: certificates.size()
// + (the sum of their also_at.size()) = certificates read.
struct CertificateInventory {
  // Distinct certificates (by DER SHA-256), in the order first read: paths as given, directories
  // sorted.
  std::vector<Certificate> certificates;
  uint64_t files = 0;  // files read
  // "path (PRIVATE KEY)": files read holding PEM blocks that are not certificates (keys, CSRs)
  // and no certificate.
  std::vector<std::string> skipped;
  // Files read that hold no certificate and are not in `skipped`: empty, neither PEM nor DER, only
  // corrupt certificates. Each is also reported to the diagnostics.
  uint64_t not_certificates = 0;
  // Paths met but not read: no permission, a dangling link, not a regular file or directory, too
  // large. Each is also reported to the diagnostics.
  uint64_t unreadable = 0;
  // Kubernetes Secrets without tls.crt that are not TLS secrets (Opaque passwords, tokens): no
  // certificate to check. A file holding only those is also listed in `skipped`.
  uint64_t secrets_without_certificate = 0;
  // Private keys found with a certificate but not compared with it: encrypted (no passphrase is
  // asked for), or unreadable (each also reported to the diagnostics).
  uint64_t keys_encrypted = 0;
  uint64_t keys_unreadable = 0;
  // Rows of CSV inventories (csv_inventory.h) that could not be read: no serial, an unreadable
  // serial, time or fingerprint, the wrong number of cells, a quote left open. Each is also
  // reported to the diagnostics.
  uint64_t unreadable_csv_rows = 0;
};

// Appends what `part` holds to `into`: its certificates and skipped files after `into`'s, and every
// count added (a counter added to CertificateInventory is added here too). For parts read in
// parallel and merged in order.
void AppendInventory(CertificateInventory part, CertificateInventory* into);

// Reads every certificate under `paths` (files or directories, searched recursively, symbolic links
// followed, each file read once). A certificate read more than once (the same DER, in several files
// or twice in one) is kept at its first place, the others listed in its `also_at`. Fails when a
// path does not exist or when no certificate at all is found; per-file problems go to `diags` as
// "path: reason" or "path:line: reason".
[[nodiscard]] absl::StatusOr<CertificateInventory> LoadCertificates(
    absl::Span<const std::string> paths, Diagnostics* diags);

// Parses the certificates in one file's contents (`path` is used in messages and recorded in each
// certificate). Returns how many certificates were found; appends them to `inventory`. `padding`
// bytes past the end of `content` may be read (a JSON store with 64 or more is parsed in place,
// not copied; see ParseStoreFile).
size_t ParseCertificateFile(absl::string_view content, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags,
                            size_t padding = 0);

// The same for content that is not a store (no JSON): PEM, DER, PKCS#7. For the certificates a
// store holds; `path` may be a label ("f.json: secret/ns/name"), used as given.
size_t ParseCertificateData(absl::string_view content, const std::string& path,
                            CertificateInventory* inventory, Diagnostics* diags);

// Checks `signature` over `signed_data` (a CRL's tbsCertList) with the DER SubjectPublicKeyInfo
// `public_key_der`, by the algorithm the DER AlgorithmIdentifier `algorithm_der` names (RSA
// PKCS #1 v1.5, ECDSA or EdDSA, with the digest the algorithm names). True for a valid signature;
// false for an invalid one, or one the key cannot have made (another key type). Fails when the
// algorithm is unknown or not supported (RSASSA-PSS), or the key cannot be read, saying which.
[[nodiscard]] absl::StatusOr<bool> VerifySignature(absl::string_view signed_data,
                                                   absl::string_view algorithm_der,
                                                   absl::string_view signature,
                                                   absl::string_view public_key_der);

// Describes one DER certificate (for certificates obtained other than from files, e.g. a TLS
// handshake) with ReadX509Certificate (x509_reader.h); `path` and `line` are left default. What
// could not be decoded (the certificate then judged by serial only) is appended to `*undecoded`
// when given; a caller that passes none accepts such certificates as they are.
[[nodiscard]] absl::StatusOr<Certificate> DescribeDerCertificate(
    absl::string_view der, std::vector<std::string>* undecoded = nullptr);

// The RFC 9773 §4.1 ACME Renewal Information certificate identifier: base64url (no padding) of the
// AKI keyIdentifier, ".", base64url of the serial's DER INTEGER content octets (leading 00 kept).
std::string AriCertId(absl::string_view key_identifier, absl::string_view serial_content_octets);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_CERTIFICATES_H_
