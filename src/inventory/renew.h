// Where a certificate file sits in a certificate manager's tree, and the command that replaces the
// certificate in the store it came from. serialmatch never runs these commands: they are printed
// (a finding's "renew", `--format plan`) for people to read and run.
//
//   /etc/letsencrypt/live/NAME/{cert,fullchain,chain}.pem      certbot lineage NAME
//   /etc/letsencrypt/archive/NAME/{cert,fullchain,chain}N.pem  certbot lineage NAME (older ones)
//   ~/.acme.sh/DOMAIN/DOMAIN.cer, fullchain.cer, ca.cer        acme.sh domain (DOMAIN_ecc: ECDSA)
//   .../certificates/ISSUER/DOMAIN/DOMAIN.crt                  Caddy, issued by ISSUER
//
//   DescribeLayout(&cert);                  // sets store, store_name, store_group, store_path
//   PairKeys(&inventory, &diags);           // key_spki_sha256 from privkey.pem, DOMAIN.key ...
//   Renewal r = RenewalOf(cert);            // "certbot renew --cert-name NAME --force-renewal"
#ifndef SERIALMATCH_SRC_INVENTORY_RENEW_H_
#define SERIALMATCH_SRC_INVENTORY_RENEW_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {

// Recognises the certbot, acme.sh and Caddy layouts from `cert->path` (or, when that is a plain
// file, the first of its `also_at` places that is in one) and records the store in `cert`.
// Leaves store certificates (Kubernetes, Traefik) and plain files as they are.
void DescribeLayout(Certificate* cert);

// The private key file a layout keeps beside a certificate file: live/NAME/privkey.pem,
// archive/NAME/privkeyN.pem, DOMAIN/DOMAIN.key, and tls.key beside a mounted Secret's tls.crt;
// empty for other paths.
std::string KeyFileOf(const Certificate& cert);

// For every leaf (not CA) certificate without a key yet whose layout keeps a key file beside it:
// reads the key and records its public key's hash in key_spki_sha256 and the file in key_at. A
// missing key file says nothing (a deployment may keep keys elsewhere); an encrypted or
// unreadable one is counted in the inventory and reported, "path: reason".
void PairKeys(CertificateInventory* inventory, Diagnostics* diags);

// Records what reading the private key kept with `cert` gave: the hash of its public key (in
// key_spki_sha256, with `key_at` saying where it was read), or, when it could not be read, a count
// in `inventory` (encrypted or unreadable) and a diagnostic "WHERE: reason; the certificate's key
// is not compared". For every place keys are found: bundles, layouts' key files, store entries.
void RecordKey(absl::StatusOr<std::string> spki, absl::string_view where, std::string key_at,
               Certificate* cert, CertificateInventory* inventory, Diagnostics* diags);

// What replaces a certificate: `command`, a shell command line with every argument quoted, or
// empty when there is none (a plain file, a Secret not managed by cert-manager, a name that cannot
// be written safely); `note` says what to do, or why there is no command, in a sentence.
struct Renewal {
  std::string command;
  std::string note;
};
Renewal RenewalOf(const Certificate& cert);

// `word` as one shell word: as it is when it holds only [A-Za-z0-9_./:=@%+,-] (and is not empty),
// otherwise in single quotes, a quote written '\''.
std::string ShellQuote(absl::string_view word);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_RENEW_H_
