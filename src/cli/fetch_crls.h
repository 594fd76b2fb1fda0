// --fetch-crls: the CRLs the inventory's certificates name in their CRL Distribution Points,
// each URL fetched once (through --crl-cache when given), to be joined as CRL dumps; and, for
// every certificate none of whose CRLs could be had and read, an error finding — never a silent
// "not revoked".
//
//   CrlFetch fetch(&certificates, &endpoints);
//   SM_RETURN_IF_ERROR(fetch.Fetch(options));
//   for (size_t i = 0; i < fetch.urls().size(); ++i) {
//     ... join fetch.urls()[i].body as a CRL named by its URL; then fetch.Read(i, verdicts) or
//     fetch.Unusable(i, "not a CRL: ...")
//   }
//   std::vector<match::Finding> errors = fetch.UnknownRevocations();
#ifndef SERIALMATCH_SRC_CLI_FETCH_CRLS_H_
#define SERIALMATCH_SRC_CLI_FETCH_CRLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/cli/flags.h"
#include "src/inventory/certificates.h"
#include "src/match/crl_check.h"
#include "src/match/finding.h"
#include "src/net/crl_cache.h"

namespace serialmatch::cli {

// One distinct CRL URL and what became of it.
struct CrlUrl {
  std::string url;
  std::string body;   // the CRL as served (or kept in the cache); empty once read, or on error
  std::string error;  // why it gave no usable CRL; empty while it is usable
  std::string note;   // a fetch that succeeded with a caveat (an older cached copy was used)
  net::CrlSource origin = net::CrlSource::kNetwork;
  std::vector<match::CrlVerdict> crls;  // what was read from it
};

class CrlFetch {
 public:
  // Collects the CRL distribution point URLs of `certificates` and `endpoints` (either may be
  // null; they must outlive this object), each distinct URL once, in the order first named.
  CrlFetch(const inventory::CertificateInventory* certificates,
           const inventory::CertificateInventory* endpoints);

  // Fetches every URL, options.concurrency at a time within options.timeout each, through the
  // cache in options.crl_cache when given; says on standard error what it got (unless
  // options.quiet; failures always). Fails only when the cache directory cannot be used.
  [[nodiscard]] absl::Status Fetch(const Options& options);

  std::vector<CrlUrl>& urls() { return urls_; }
  uint64_t certificates() const { return checks_.size() + without_crl_; }
  // Certificates that name no CRL distribution point (short-lived certificates, roots): their
  // revocation cannot be looked up here.
  uint64_t without_crl() const { return without_crl_; }

  // The CRLs of urls()[i] were read; keeps the cache in step (their nextUpdate recorded).
  void Read(size_t i, std::vector<match::CrlVerdict> crls);
  // urls()[i] gave nothing usable (not a CRL, a CRL that cannot be trusted): every certificate
  // that depends on it alone gets an error finding; the cache forgets it.
  void Unusable(size_t i, std::string reason);

  // An error finding for each certificate for which no URL gave a usable CRL of its own issuer
  // (name, and key identifier when both have one): "revocation status unknown: <url>: <reason>".
  std::vector<match::Finding> UnknownRevocations() const;

 private:
  struct Check {
    const inventory::Certificate* cert;
    match::FindingKind kind;
    std::vector<size_t> urls;  // positions in urls_
  };
  void Add(const inventory::CertificateInventory* inventory, match::FindingKind kind);

  std::vector<CrlUrl> urls_;
  std::vector<Check> checks_;
  uint64_t without_crl_ = 0;
  std::optional<net::CrlCache> cache_;
};

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_FETCH_CRLS_H_
