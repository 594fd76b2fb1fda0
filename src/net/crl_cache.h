// The --crl-cache directory: what was fetched from each CRL URL, with the server's validators
// (ETag, Last-Modified), so a job re-checking every hour neither downloads every shard again nor
// even asks the server while a CRL is before its nextUpdate. Knows nothing of CRL contents: the
// caller parses a body and records its nextUpdate (RecordNextUpdate).
//
//   absl::StatusOr<CrlCache> cache = CrlCache::Open("/var/cache/serialmatch");
//   std::vector<CachedFetch> crls = cache->Fetch(urls, fetch_options, absl::Now());
//   for (const CachedFetch& c : crls) {
//     if (!c.ok()) ...  // "revocation status unknown: <c.url>: <c.error>"
//     absl::StatusOr<Crl> crl = ParseCrl(c.body);  // the caller's parser
//     if (c.source == CrlSource::kNetwork && crl.ok()) (void)cache->RecordNextUpdate(c.url, ...);
//     if (!crl.ok()) (void)cache->Remove(c.url);  // not kept for the next run either
//   }
//
// Each URL has two files in the directory, named by a 64-bit FNV-1a hash of the URL: <hash>.crl
// (the body as served, decoded) and <hash>.meta (text lines: url, etag, last_modified, fetched_at,
// next_update, body_bytes, body_hash), each replaced with WriteFileAtomically, the body first. A
// metadata file that is missing, unreadable, malformed, names another URL or does not describe the
// body file beside it (size, hash) is a miss: the URL is fetched without validators and the entry
// rewritten.
//
// When an entry is used:
//   fresh  (now < next_update, and fetched less than max_age ago): the cached body, no request.
//   stale  (otherwise, or next_update never recorded): a conditional request with the entry's
//          validators; a 304 reuses the body and sets fetched_at to now, a 200 replaces the entry.
//   failed (the request of a stale entry fails): the cached body only while now < next_update (an
//          entry older than max_age), with `warning` saying why it is not fresher; past its
//          next_update (or with none recorded) the result is the error, saying a cached copy
//          exists but is out of date. A cached CRL past its nextUpdate is never a quiet success.
#ifndef SERIALMATCH_SRC_NET_CRL_CACHE_H_
#define SERIALMATCH_SRC_NET_CRL_CACHE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/net/http_fetch.h"

namespace serialmatch::net {

struct CrlCacheOptions {
  // An entry fetched (or confirmed by a 304) longer ago than this is revalidated even before its
  // nextUpdate, for CAs that publish a new CRL before the last one's nextUpdate (as in a mass
  // revocation). Infinite: the nextUpdate alone decides.
  absl::Duration max_age = absl::InfiniteDuration();
};

// The metadata of one cached body.
struct CacheEntry {
  std::string url;
  std::string etag;                              // as the server sent it; empty when it sent none
  std::string last_modified;                     // as the server sent it; empty when it sent none
  absl::Time fetched_at = absl::InfinitePast();  // when the server last gave or confirmed the body
  std::optional<absl::Time> next_update;         // recorded by the caller; unset: not known
};

enum class CrlSource {
  kNetwork,      // downloaded now (a 200)
  kCache,        // fresh in the cache: no request made
  kRevalidated,  // the server answered 304: the cached body is current
  kStaleCache,   // the request failed; the cached body is still before its nextUpdate (`warning`)
};

struct CachedFetch {
  std::string url;
  CrlSource source = CrlSource::kNetwork;
  std::string body;  // the CRL's bytes; empty on error
  // Empty on success; else why there is no body: FetchResult::error, with what the cache held
  // ("HTTP 404; the cached copy is past its nextUpdate 2026-12-01T00:00:00Z").
  std::string error;
  // For kStaleCache: why the cached body was used ("timed out after 5 s; using the copy fetched
  // at ...").
  std::string warning;
  // A body obtained but not stored or refreshed in the cache ("cannot write ..."); the body is
  // still good for this run.
  std::string cache_error;

  bool ok() const { return error.empty(); }
};

class CrlCache {
 public:
  // Opens the cache in `dir`, creating the directory (mode 0700; not its parents) when missing.
  // Fails, with a message naming `dir`, when it cannot be created, is not a directory or is not
  // writable.
  [[nodiscard]] static absl::StatusOr<CrlCache> Open(std::string dir, CrlCacheOptions options = {});

  // Fetches each of `urls` (distinct; results[i] belongs to urls[i]) through the cache as the
  // file comment says, the network part with net::FetchAll and `options` (its progress counts the
  // fresh entries too). `now` decides freshness and becomes fetched_at of what is fetched.
  std::vector<CachedFetch> Fetch(absl::Span<const std::string> urls,
                                 const HttpFetchOptions& options, absl::Time now);

  // Records the nextUpdate the caller read from the body cached for `url`. NotFound when there is
  // no (consistent) entry for `url`; the write's error otherwise.
  [[nodiscard]] absl::Status RecordNextUpdate(const std::string& url, absl::Time next_update);

  // Removes the entry of `url` (a body the caller could not use); OK when there is none.
  [[nodiscard]] absl::Status Remove(const std::string& url);

  // The entry for `url` and, when `body` is not null, its cached body; nullopt on a miss.
  std::optional<CacheEntry> Lookup(const std::string& url, std::string* body = nullptr) const;

  // Whether `entry` may be used at `now` without asking the server.
  bool IsFresh(const CacheEntry& entry, absl::Time now) const;

  // Stores `body` under `entry.url` with `entry`'s metadata, replacing what was there.
  [[nodiscard]] absl::Status Store(const CacheEntry& entry, absl::string_view body);

  const std::string& dir() const { return dir_; }
  // The files of `url`'s entry: "<dir>/<16 hex digits>.crl" and ".meta".
  std::string BodyPath(absl::string_view url) const;
  std::string MetadataPath(absl::string_view url) const;

 private:
  CrlCache(std::string dir, CrlCacheOptions options) : dir_(std::move(dir)), options_(options) {}

  std::string dir_;
  CrlCacheOptions options_;
};

}  // namespace serialmatch::net

#endif  // SERIALMATCH_SRC_NET_CRL_CACHE_H_
