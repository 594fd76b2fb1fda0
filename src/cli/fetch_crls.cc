#include "src/cli/fetch_crls.h"

#include <unistd.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "src/base/diagnostics.h"
#include "src/base/file_util.h"
#include "src/match/matcher.h"
#include "src/net/http_fetch.h"
#include "src/report/report.h"

namespace serialmatch::cli {
namespace {

void Print(absl::string_view text) { (void)WriteAll(STDERR_FILENO, text); }

}  // namespace

CrlFetch::CrlFetch(const inventory::CertificateInventory* certificates,
                   const inventory::CertificateInventory* endpoints) {
  Add(certificates, match::FindingKind::kCertificate);
  Add(endpoints, match::FindingKind::kEndpoint);
}

void CrlFetch::Add(const inventory::CertificateInventory* inventory, match::FindingKind kind) {
  if (inventory == nullptr) return;
  absl::flat_hash_map<std::string, size_t> position;
  for (size_t i = 0; i < urls_.size(); ++i) position[urls_[i].url] = i;
  for (const inventory::Certificate& cert : inventory->certificates) {
    if (cert.crl_urls.empty()) {
      ++without_crl_;  // said on standard error and in the summary
      continue;
    }
    Check check{&cert, kind, {}};
    for (const std::string& url : cert.crl_urls) {
      const auto [it, added] = position.try_emplace(url, urls_.size());
      if (added) {
        CrlUrl& u = urls_.emplace_back();
        u.url = url;
      }
      check.urls.push_back(it->second);
    }
    checks_.push_back(std::move(check));
  }
}

absl::Status CrlFetch::Fetch(const Options& options) {
  if (options.crl_cache.has_value()) {
    net::CrlCacheOptions cache_options;
    cache_options.max_age = options.crl_max_age;
    absl::StatusOr<net::CrlCache> cache = net::CrlCache::Open(*options.crl_cache, cache_options);
    if (!cache.ok()) {
      return absl::Status(cache.status().code(),
                          absl::StrCat("--crl-cache: ", cache.status().message()));
    }
    cache_ = *std::move(cache);
  }
  net::HttpFetchOptions fetch;
  fetch.timeout = options.timeout;
  fetch.concurrency = options.concurrency;
  const size_t total = urls_.size();
  if (!options.quiet && ::isatty(STDERR_FILENO) == 1) {
    fetch.progress = [total](size_t done) {
      Print(absl::StrCat("\rCRLs: ", GroupThousands(done), " of ", GroupThousands(total),
                         " fetched"));
      if (done == total) Print("\n");
    };
  }
  std::vector<std::string> names;
  names.reserve(urls_.size());
  for (const CrlUrl& u : urls_) names.push_back(u.url);
  uint64_t downloaded = 0, cached = 0, failed = 0;
  if (cache_.has_value()) {
    std::vector<net::CachedFetch> got = cache_->Fetch(names, fetch, absl::Now());
    for (size_t i = 0; i < got.size(); ++i) {
      CrlUrl& u = urls_[i];
      u.origin = got[i].source;
      u.body = std::move(got[i].body);
      u.error = std::move(got[i].error);
      u.note = std::move(got[i].warning);
      if (!got[i].cache_error.empty()) {
        Print(absl::StrCat("--crl-cache: ", report::EscapeForTerminal(u.url), ": ",
                           got[i].cache_error, "\n"));
      }
    }
  } else {
    std::vector<net::HttpRequest> requests;
    requests.reserve(names.size());
    for (const std::string& url : names) requests.push_back({url, "", ""});
    std::vector<net::FetchResult> got = net::FetchAll(requests, fetch);
    for (size_t i = 0; i < got.size(); ++i) {
      urls_[i].body = std::move(got[i].body);
      urls_[i].error = std::move(got[i].error);
    }
  }
  for (const CrlUrl& u : urls_) {
    if (!u.error.empty()) {
      ++failed;
      Print(absl::StrCat(report::EscapeForTerminal(u.url),
                         ": cannot fetch the CRL: ", report::EscapeForTerminal(u.error), "\n"));
      continue;
    }
    if (!u.note.empty()) {
      Print(absl::StrCat(report::EscapeForTerminal(u.url), ": ", report::EscapeForTerminal(u.note),
                         "\n"));
    }
    (u.origin == net::CrlSource::kNetwork ? downloaded : cached) += 1;
  }
  if (!options.quiet) {
    Print(absl::StrCat("--fetch-crls: ", GroupThousands(urls_.size()), " CRL",
                       urls_.size() == 1 ? "" : "s", " named by ", GroupThousands(checks_.size()),
                       " certificate", checks_.size() == 1 ? "" : "s", ": ",
                       GroupThousands(downloaded), " downloaded, ", GroupThousands(cached),
                       " from the cache, ", GroupThousands(failed), " failed\n"));
  }
  if (without_crl_ > 0) {
    Print(absl::StrCat("--fetch-crls: ", GroupThousands(without_crl_), " certificate",
                       without_crl_ == 1 ? " names" : "s name",
                       " no CRL distribution point: not checked for revocation\n"));
  }
  return absl::OkStatus();
}

void CrlFetch::Read(size_t i, std::vector<match::CrlVerdict> crls) {
  CrlUrl& u = urls_[i];
  u.body = std::string();
  if (cache_.has_value() && u.origin == net::CrlSource::kNetwork) {
    // The next run uses this copy without asking until the earliest nextUpdate it names.
    std::optional<absl::Time> next;
    for (const match::CrlVerdict& v : crls) {
      if (v.next_update.has_value() && (!next.has_value() || *v.next_update < *next)) {
        next = v.next_update;
      }
    }
    if (next.has_value()) {
      if (const absl::Status recorded = cache_->RecordNextUpdate(u.url, *next); !recorded.ok()) {
        Print(absl::StrCat("--crl-cache: ", recorded.message(), "\n"));
      }
    }
  }
  u.crls = std::move(crls);
}

void CrlFetch::Unusable(size_t i, std::string reason) {
  CrlUrl& u = urls_[i];
  u.body = std::string();
  u.error = std::move(reason);
  if (cache_.has_value()) {
    // Not kept for the next run either: it is fetched afresh.
    if (const absl::Status removed = cache_->Remove(u.url); !removed.ok()) {
      Print(absl::StrCat("--crl-cache: ", removed.message(), "\n"));
    }
  }
}

std::vector<match::Finding> CrlFetch::UnknownRevocations() const {
  std::vector<match::Finding> out;
  for (const Check& check : checks_) {
    std::vector<std::string> why;
    bool known = false;
    for (const size_t i : check.urls) {
      const CrlUrl& u = urls_[i];
      if (!u.error.empty()) {
        why.push_back(absl::StrCat(u.url, ": ", u.error));
        continue;
      }
      bool covered = false;
      for (const match::CrlVerdict& crl : u.crls)
        covered |= match::IssuedBy(*check.cert, crl.issuer, crl.authority_key_id);
      if (!covered) {
        why.push_back(absl::StrCat(
            u.url, ": the CRL there is issued by '", u.crls.empty() ? "" : u.crls.front().issuer,
            "', not by this certificate's issuer '", check.cert->issuer, "'"));
        continue;
      }
      known = true;
    }
    if (known) continue;
    match::Finding f = match::CertificateFinding(*check.cert, check.kind);
    f.status = match::FindingStatus::kError;
    f.reason = absl::StrCat("revocation status unknown: ", absl::StrJoin(why, "; "));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace serialmatch::cli
