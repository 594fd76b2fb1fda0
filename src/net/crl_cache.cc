#include "src/net/crl_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "src/base/file_util.h"
#include "src/base/time.h"

namespace serialmatch::net {
namespace {

constexpr absl::string_view kMagic = "serialmatch crl-cache 1";

// 64-bit FNV-1a: fixed by its definition, so file names stay the same across versions and builds.
uint64_t Fnv1a64(absl::string_view data) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::string Hex64(uint64_t value) { return absl::StrFormat("%016x", value); }

bool HasLineBreak(absl::string_view value) {
  return value.find_first_of("\r\n") != absl::string_view::npos;
}

std::string Serialize(const CacheEntry& entry, absl::string_view body) {
  std::string out = absl::StrCat(kMagic, "\n", "url ", entry.url, "\n");
  if (!entry.etag.empty()) absl::StrAppend(&out, "etag ", entry.etag, "\n");
  if (!entry.last_modified.empty()) {
    absl::StrAppend(&out, "last_modified ", entry.last_modified, "\n");
  }
  absl::StrAppend(&out, "fetched_at ", FormatRfc3339(entry.fetched_at), "\n");
  if (entry.next_update.has_value()) {
    absl::StrAppend(&out, "next_update ", FormatRfc3339(*entry.next_update), "\n");
  }
  absl::StrAppend(&out, "body_bytes ", body.size(), "\n", "body_hash ", Hex64(Fnv1a64(body)), "\n");
  return out;
}

struct Metadata {
  CacheEntry entry;
  uint64_t body_bytes = 0;
  std::string body_hash;
};

// The metadata in `text`; nullopt when it is not a complete metadata file of this version.
std::optional<Metadata> Parse(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines.empty() || lines[0] != kMagic) return std::nullopt;
  Metadata m;
  bool has_url = false, has_fetched = false, has_bytes = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    if (line.empty()) continue;  // the final newline
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) return std::nullopt;
    const absl::string_view key = line.substr(0, space);
    const absl::string_view value = line.substr(space + 1);
    std::string error;
    if (key == "url") {
      m.entry.url = std::string(value);
      has_url = true;
    } else if (key == "etag") {
      m.entry.etag = std::string(value);
    } else if (key == "last_modified") {
      m.entry.last_modified = std::string(value);
    } else if (key == "fetched_at") {
      if (!absl::ParseTime(absl::RFC3339_full, value, &m.entry.fetched_at, &error)) {
        return std::nullopt;
      }
      has_fetched = true;
    } else if (key == "next_update") {
      absl::Time t;
      if (!absl::ParseTime(absl::RFC3339_full, value, &t, &error)) return std::nullopt;
      m.entry.next_update = t;
    } else if (key == "body_bytes") {
      if (!absl::SimpleAtoi(value, &m.body_bytes)) return std::nullopt;
      has_bytes = true;
    } else if (key == "body_hash") {
      m.body_hash = std::string(value);
    }
    // Other keys: written by a later version, which keeps this version's keys meaningful.
  }
  if (!has_url || !has_fetched || !has_bytes || m.body_hash.empty()) return std::nullopt;
  return m;
}

}  // namespace

absl::StatusOr<CrlCache> CrlCache::Open(std::string dir, CrlCacheOptions options) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) return absl::InvalidArgumentError("the CRL cache directory is an empty path");
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot create the CRL cache directory ", dir));
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("CRL cache directory ", dir));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("CRL cache directory ", dir, ": not a directory"));
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("CRL cache directory ", dir, " is not writable"));
  }
  return CrlCache(std::move(dir), options);
}

std::string CrlCache::BodyPath(absl::string_view url) const {
  return absl::StrCat(dir_, "/", Hex64(Fnv1a64(url)), ".crl");
}

std::string CrlCache::MetadataPath(absl::string_view url) const {
  return absl::StrCat(dir_, "/", Hex64(Fnv1a64(url)), ".meta");
}

std::optional<CacheEntry> CrlCache::Lookup(const std::string& url, std::string* body) const {
  absl::StatusOr<std::string> text = ReadFileToString(MetadataPath(url));
  if (!text.ok()) return std::nullopt;  // missing or unreadable: a miss, refetched and rewritten
  std::optional<Metadata> m = Parse(*text);
  // Another URL with the same hash, or a file this version cannot read: a miss as well.
  if (!m.has_value() || m->entry.url != url) return std::nullopt;
  absl::StatusOr<std::string> cached = ReadFileToString(BodyPath(url));
  // A body that is not the one described (a run that stopped between the two writes, two runs
  // writing at once, a truncated file) is not used.
  if (!cached.ok() || cached->size() != m->body_bytes || Hex64(Fnv1a64(*cached)) != m->body_hash) {
    return std::nullopt;
  }
  if (body != nullptr) *body = *std::move(cached);
  return std::move(m->entry);
}

bool CrlCache::IsFresh(const CacheEntry& entry, absl::Time now) const {
  return entry.next_update.has_value() && now < *entry.next_update &&
         now - entry.fetched_at < options_.max_age;
}

absl::Status CrlCache::Store(const CacheEntry& entry, absl::string_view body) {
  if (HasLineBreak(entry.url) || HasLineBreak(entry.etag) || HasLineBreak(entry.last_modified)) {
    return absl::InvalidArgumentError("a URL or validator with a line break is not cached");
  }
  if (absl::Status s = WriteFileAtomically(BodyPath(entry.url), body); !s.ok()) return s;
  return WriteFileAtomically(MetadataPath(entry.url), Serialize(entry, body));
}

absl::Status CrlCache::RecordNextUpdate(const std::string& url, absl::Time next_update) {
  std::string body;
  std::optional<CacheEntry> entry = Lookup(url, &body);
  if (!entry.has_value()) {
    return absl::NotFoundError(absl::StrCat("no CRL cache entry for ", url));
  }
  entry->next_update = next_update;
  return WriteFileAtomically(MetadataPath(url), Serialize(*entry, body));
}

absl::Status CrlCache::Remove(const std::string& url) {
  // The metadata first: without it the body is never used.
  for (const std::string& path : {MetadataPath(url), BodyPath(url)}) {
    if (unlink(path.c_str()) != 0 && errno != ENOENT) {
      return absl::ErrnoToStatus(errno, absl::StrCat("cannot remove ", path));
    }
  }
  return absl::OkStatus();
}

std::vector<CachedFetch> CrlCache::Fetch(absl::Span<const std::string> urls,
                                         const HttpFetchOptions& options, absl::Time now) {
  std::vector<CachedFetch> results(urls.size());
  struct Cached {
    CacheEntry entry;
    std::string body;
  };
  std::vector<std::optional<Cached>> cached(urls.size());
  std::vector<HttpRequest> requests;
  std::vector<size_t> requested;  // requests[j] is for urls[requested[j]]
  size_t fresh = 0;
  for (size_t i = 0; i < urls.size(); ++i) {
    results[i].url = urls[i];
    std::string body;
    if (std::optional<CacheEntry> entry = Lookup(urls[i], &body)) {
      if (IsFresh(*entry, now)) {
        results[i].source = CrlSource::kCache;
        results[i].body = std::move(body);
        ++fresh;
        if (options.progress) options.progress(fresh);
        continue;
      }
      cached[i] = Cached{*std::move(entry), std::move(body)};
    }
    HttpRequest request;
    request.url = urls[i];
    if (cached[i].has_value()) {
      request.etag = cached[i]->entry.etag;
      request.last_modified = cached[i]->entry.last_modified;
    }
    requests.push_back(std::move(request));
    requested.push_back(i);
  }
  if (requests.empty()) return results;

  HttpFetchOptions network = options;
  if (options.progress) {
    network.progress = [&options, fresh](size_t done) { options.progress(fresh + done); };
  }
  std::vector<FetchResult> fetched = FetchAll(requests, network);
  for (size_t j = 0; j < fetched.size(); ++j) {
    const size_t i = requested[j];
    FetchResult& f = fetched[j];
    CachedFetch& r = results[i];
    std::optional<Cached>& c = cached[i];
    if (f.ok() && f.not_modified && c.has_value()) {
      r.source = CrlSource::kRevalidated;
      // A 304 may carry updated validators; the body and its nextUpdate stay.
      if (!f.etag.empty()) c->entry.etag = f.etag;
      if (!f.last_modified.empty()) c->entry.last_modified = f.last_modified;
      c->entry.fetched_at = now;
      if (absl::Status s = Store(c->entry, c->body); !s.ok()) r.cache_error = s.ToString();
      r.body = std::move(c->body);
    } else if (f.ok() && !f.not_modified) {
      r.source = CrlSource::kNetwork;
      CacheEntry entry;
      entry.url = urls[i];
      entry.etag = f.etag;
      entry.last_modified = f.last_modified;
      entry.fetched_at = now;
      if (absl::Status s = Store(entry, f.body); !s.ok()) r.cache_error = s.ToString();
      r.body = std::move(f.body);
    } else if (f.ok()) {
      // A 304 is only possible to a conditional request, which is only sent with an entry.
      r.error = "HTTP 304 without a cached copy";
    } else if (!c.has_value()) {
      r.error = f.error;
    } else if (c->entry.next_update.has_value() && now < *c->entry.next_update) {
      r.source = CrlSource::kStaleCache;
      r.warning =
          absl::StrCat(f.error, "; using the copy fetched at ", FormatRfc3339(c->entry.fetched_at),
                       ", before its nextUpdate ", FormatRfc3339(*c->entry.next_update));
      r.body = std::move(c->body);
    } else if (c->entry.next_update.has_value()) {
      r.error = absl::StrCat(f.error, "; the cached copy is past its nextUpdate ",
                             FormatRfc3339(*c->entry.next_update));
    } else {
      r.error = absl::StrCat(f.error, "; the cached copy fetched at ",
                             FormatRfc3339(c->entry.fetched_at), " has no known nextUpdate");
    }
  }
  return results;
}

}  // namespace serialmatch::net
