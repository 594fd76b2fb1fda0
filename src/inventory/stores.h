// Certificate stores: JSON (and YAML) files that keep certificates where a service reads them,
// recognised by content among the --certs files (ParseCertificateFile calls in here for a JSON
// object, and for a Kubernetes YAML export).
//
//   kubectl get secrets -A -o json > secrets.json      // a List, a SecretList, or one Secret
//   serialmatch --certs secrets.json ...              // input "secret/prod/www-tls"
//   serialmatch --certs /data/traefik/acme.json ...   // input "traefik/le/example.com"
//
// - Kubernetes: a `"kind": "List"` or `"SecretList"` with `items`, or one `"kind": "Secret"`.
//   Every Secret of type kubernetes.io/tls, and any Secret with a `tls.crt` key, is read: its
//   `data` values are base64 (`stringData`, plain PEM, is read when `data` has no tls.crt). All
//   certificates of tls.crt are read (the leaf first, then the chain, as a PEM bundle is); their
//   `location` is "secret/NAMESPACE/NAME" ("secret/NAME" without a namespace) and `store_name`
//   the annotation cert-manager.io/certificate-name. Other Secrets are counted in
//   `secrets_without_certificate`; objects of other kinds in a List are not read.
// - Traefik's acme.json: an object of resolvers, each with `Certificates` (an array or null) of
//   {"domain": {"main", "sans"}, "certificate": base64 PEM chain, "key", "Store"}, or Traefik v1's
//   top-level `Certificates` of {"Domain": {"Main"}, "Certificate": {"Certificate": base64}}.
//   `location` is "traefik/RESOLVER/MAIN" ("traefik/MAIN" for v1).
// A TLS entry whose certificate is missing, empty, not base64 or holds no certificate is a
// diagnostic "path: secret/NS/NAME: reason" (counted by the CLI as a corrupt certificate). Keys
// ("PrivateKey") and other secret values are never read, kept or printed; tls.key and "key" are
// read only for their public key (keys.h), to compare with the certificate's; messages quote only
// names. Invalid JSON is a diagnostic "path:line: invalid JSON: reason", and a JSON object that is
// neither store is "not a certificate"; both count the file in `not_certificates`.
#ifndef SERIALMATCH_SRC_INVENTORY_STORES_H_
#define SERIALMATCH_SRC_INVENTORY_STORES_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {

// True when `content`'s first byte other than whitespace (and a byte order mark) is '{': a JSON
// object, which no PEM or DER file starts with. Looks at no more than that.
bool LooksLikeJsonStore(absl::string_view content);

// Parses one JSON file's `content` as a store (see above), appending its certificates to
// `inventory` with `path` and the line where their Secret or acme.json entry starts. Returns how
// many; a file giving none is counted once, in `skipped` (only Secrets without certificates, no
// entries) or `not_certificates` (with a diagnostic), as ParseCertificateFile does. With `padding`
// of at least 64 readable bytes past the end of `content` (ReadFileToString's), the file is parsed
// where it is; otherwise it is copied into a padded buffer first. The certificates keep nothing
// of `content`.
size_t ParseStoreFile(absl::string_view content, const std::string& path,
                      CertificateInventory* inventory, Diagnostics* diags, size_t padding = 0);

// True when `content`'s first line other than blank lines, comments and `---` starts with
// `apiVersion:`, `kind:` or `items:`: a Kubernetes manifest or `kubectl -o yaml` output, which no
// PEM or DER file starts with.
bool LooksLikeYamlStore(absl::string_view content);

// The same as ParseStoreFile for Kubernetes Secrets written as YAML (`kubectl get secrets -A -o
// yaml`): a List or SecretList, one Secret, or several Secret documents separated by `---`, read
// with the same rules and messages ("path:line: invalid YAML: reason").
size_t ParseYamlStoreFile(absl::string_view content, const std::string& path,
                          CertificateInventory* inventory, Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_STORES_H_
