#include "src/net/crl_cache.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"
#include "src/net/test_http_server.h"

namespace serialmatch::net {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using Response = TestHttpServer::Response;

const absl::Time kNow = absl::FromUnixSeconds(1796169600);  // 2026-12-02T00:00:00Z

Response Crl(std::string body, std::string etag) {
  Response r;
  r.body = std::move(body);
  r.etag = std::move(etag);
  return r;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

class CrlCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
    url_ = server_.Url("/r3/17.crl");
    server_.Serve("/r3/17.crl", Crl("crl v1", "\"v1\""));
  }

  CrlCache OpenCache(CrlCacheOptions options = {}) {
    absl::StatusOr<CrlCache> cache = CrlCache::Open(dir(), options);
    EXPECT_TRUE(cache.ok()) << cache.status();
    return *std::move(cache);
  }

  CachedFetch FetchOne(CrlCache& cache, absl::Time now) {
    std::vector<CachedFetch> results = cache.Fetch({url_}, options_, now);
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? CachedFetch{} : results[0];
  }

  std::string dir() const { return scratch_.path() + "/cache"; }

  const ScratchDir scratch_{"crl_cache"};
  TestHttpServer server_;
  HttpFetchOptions options_;
  std::string url_;
};

TEST_F(CrlCacheTest, OpenCreatesAPrivateDirectory) {
  CrlCache cache = OpenCache();
  EXPECT_EQ(cache.dir(), dir());
  struct stat st;
  ASSERT_EQ(stat(dir().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // Opening again (the next run) is fine.
  EXPECT_TRUE(CrlCache::Open(dir() + "/").ok());
}

TEST_F(CrlCacheTest, OpenFailsForAFileAMissingParentOrAnUnwritableDirectory) {
  const std::string file = scratch_.path() + "/file";
  ASSERT_TRUE(WriteFileAtomically(file, "x").ok());
  absl::StatusOr<CrlCache> not_dir = CrlCache::Open(file);
  ASSERT_FALSE(not_dir.ok());
  EXPECT_THAT(not_dir.status().message(), HasSubstr("not a directory"));
  absl::StatusOr<CrlCache> no_parent = CrlCache::Open(scratch_.path() + "/no/such/dir");
  ASSERT_FALSE(no_parent.ok());
  EXPECT_THAT(no_parent.status().message(), HasSubstr("cannot create the CRL cache directory"));
  EXPECT_FALSE(CrlCache::Open("").ok());
  if (geteuid() == 0) GTEST_SKIP() << "root may write to any directory";
  const std::string read_only = scratch_.path() + "/read-only";
  ASSERT_EQ(mkdir(read_only.c_str(), 0500), 0);
  absl::StatusOr<CrlCache> unwritable = CrlCache::Open(read_only);
  ASSERT_FALSE(unwritable.ok());
  EXPECT_THAT(unwritable.status().message(), HasSubstr("is not writable"));
}

TEST_F(CrlCacheTest, FirstFetchDownloadsAndStoresBodyAndValidators) {
  CrlCache cache = OpenCache();
  const CachedFetch r = FetchOne(cache, kNow);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.source, CrlSource::kNetwork);
  EXPECT_EQ(r.body, "crl v1");
  EXPECT_EQ(r.cache_error, "");
  EXPECT_TRUE(Exists(cache.BodyPath(url_)));
  EXPECT_TRUE(Exists(cache.MetadataPath(url_)));
  EXPECT_THAT(cache.BodyPath(url_), MatchesRegex(".*/[0-9a-f]{16}\\.crl"));
  EXPECT_NE(cache.BodyPath(url_), cache.BodyPath(url_ + "x"));
  std::string body;
  std::optional<CacheEntry> entry = cache.Lookup(url_, &body);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(body, "crl v1");
  EXPECT_EQ(entry->url, url_);
  EXPECT_EQ(entry->etag, "\"v1\"");
  EXPECT_EQ(entry->fetched_at, kNow);
  EXPECT_FALSE(entry->next_update.has_value());
}

TEST_F(CrlCacheTest, FreshEntryIsUsedWithoutAnyRequest) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  std::vector<size_t> progress;
  options_.progress = [&](size_t done) { progress.push_back(done); };
  for (int hour = 1; hour <= 5; ++hour) {
    const CachedFetch r = FetchOne(cache, kNow + absl::Hours(hour));
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.source, CrlSource::kCache);
    EXPECT_EQ(r.body, "crl v1");
  }
  EXPECT_EQ(server_.requests("/r3/17.crl"), 1);
  EXPECT_EQ(progress, std::vector<size_t>(5, 1));
}

TEST_F(CrlCacheTest, StaleEntryIsRevalidatedAndA304ReusesTheBody) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  const absl::Time later = kNow + absl::Hours(7);
  const CachedFetch r = FetchOne(cache, later);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.source, CrlSource::kRevalidated);
  EXPECT_EQ(r.body, "crl v1");
  EXPECT_EQ(server_.requests("/r3/17.crl"), 2);
  EXPECT_EQ(server_.last_request_headers("/r3/17.crl").at("if-none-match"), "\"v1\"");
  std::optional<CacheEntry> entry = cache.Lookup(url_);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->fetched_at, later);
  EXPECT_EQ(entry->next_update, kNow + absl::Hours(6));  // the same body's, until recorded again
}

TEST_F(CrlCacheTest, StaleEntryChangedOnTheServerIsReplaced) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  server_.Serve("/r3/17.crl", Crl("crl v2", "\"v2\""));
  const CachedFetch r = FetchOne(cache, kNow + absl::Hours(7));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.source, CrlSource::kNetwork);
  EXPECT_EQ(r.body, "crl v2");
  std::string body;
  std::optional<CacheEntry> entry = cache.Lookup(url_, &body);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(body, "crl v2");
  EXPECT_EQ(entry->etag, "\"v2\"");
  EXPECT_FALSE(entry->next_update.has_value());  // the new body's is not known yet
}

TEST_F(CrlCacheTest, WithoutARecordedNextUpdateEveryRunRevalidates) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  EXPECT_EQ(FetchOne(cache, kNow + absl::Minutes(1)).source, CrlSource::kRevalidated);
  EXPECT_EQ(server_.requests("/r3/17.crl"), 2);
}

TEST_F(CrlCacheTest, MaxAgeRevalidatesBeforeTheNextUpdate) {
  CrlCacheOptions cache_options;
  cache_options.max_age = absl::Hours(1);
  CrlCache cache = OpenCache(cache_options);
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(24 * 7)).ok());
  EXPECT_EQ(FetchOne(cache, kNow + absl::Minutes(59)).source, CrlSource::kCache);
  EXPECT_EQ(FetchOne(cache, kNow + absl::Minutes(61)).source, CrlSource::kRevalidated);
  // The 304 restarted the age.
  EXPECT_EQ(FetchOne(cache, kNow + absl::Minutes(100)).source, CrlSource::kCache);
  EXPECT_EQ(server_.requests("/r3/17.crl"), 2);
}

TEST_F(CrlCacheTest, CorruptOrForeignMetadataOrAChangedBodyIsAMiss) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  const std::string meta = cache.MetadataPath(url_);
  absl::StatusOr<std::string> good = ReadFileToString(meta);
  ASSERT_TRUE(good.ok());

  const std::vector<std::string> corruptions = {
      "",
      "garbage\n\x01\x02",
      good->substr(0, good->size() / 2),  // cut short
      absl::StrCat("serialmatch crl-cache 1\nurl ", url_, "\nfetched_at yesterday\n"),
  };
  for (const std::string& corrupt : corruptions) {
    ASSERT_TRUE(WriteFileAtomically(meta, corrupt).ok());
    EXPECT_FALSE(cache.Lookup(url_).has_value()) << corrupt;
  }
  // Metadata of another URL (a hash collision) is not this URL's.
  std::string foreign = *good;
  foreign.replace(foreign.find(url_), url_.size(), "http://other.example/x.crl");
  ASSERT_TRUE(WriteFileAtomically(meta, foreign).ok());
  EXPECT_FALSE(cache.Lookup(url_).has_value());
  // A body that is not the one the metadata describes.
  ASSERT_TRUE(WriteFileAtomically(meta, *good).ok());
  ASSERT_TRUE(cache.Lookup(url_).has_value());
  ASSERT_TRUE(WriteFileAtomically(cache.BodyPath(url_), "crl v0").ok());
  EXPECT_FALSE(cache.Lookup(url_).has_value());
  ASSERT_EQ(unlink(cache.BodyPath(url_).c_str()), 0);
  EXPECT_FALSE(cache.Lookup(url_).has_value());

  // A miss is fetched without validators and the entry rewritten.
  ASSERT_TRUE(WriteFileAtomically(meta, "garbage").ok());
  const CachedFetch r = FetchOne(cache, kNow + absl::Hours(1));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.source, CrlSource::kNetwork);
  EXPECT_EQ(server_.requests("/r3/17.crl"), 2);
  EXPECT_EQ(server_.last_request_headers("/r3/17.crl").count("if-none-match"), 0u);
  EXPECT_TRUE(cache.Lookup(url_).has_value());
}

TEST_F(CrlCacheTest, FailedFetchPastTheNextUpdateIsAnErrorNotTheCachedCopy) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  Response gone;
  gone.status = 404;
  server_.Serve("/r3/17.crl", gone);
  const CachedFetch r = FetchOne(cache, kNow + absl::Hours(7));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "HTTP 404; the cached copy is past its nextUpdate 2026-12-02T06:00:00Z");
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(cache.Lookup(url_).has_value());  // kept: the server may answer next time
}

TEST_F(CrlCacheTest, FailedFetchWithoutAKnownNextUpdateIsAnError) {
  CrlCache cache = OpenCache();
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  Response gone;
  gone.status = 503;
  server_.Serve("/r3/17.crl", gone);
  const CachedFetch r = FetchOne(cache, kNow + absl::Hours(1));
  EXPECT_EQ(r.error,
            "HTTP 503; the cached copy fetched at 2026-12-02T00:00:00Z has no known nextUpdate");
}

TEST_F(CrlCacheTest, FailedFetchBeforeTheNextUpdateUsesTheCachedCopyWithAWarning) {
  CrlCacheOptions cache_options;
  cache_options.max_age = absl::Hours(1);
  CrlCache cache = OpenCache(cache_options);
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(24)).ok());
  Response hang;
  hang.hang = true;
  server_.Serve("/r3/17.crl", hang);
  options_.timeout = absl::Milliseconds(300);
  const CachedFetch r = FetchOne(cache, kNow + absl::Hours(2));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.source, CrlSource::kStaleCache);
  EXPECT_EQ(r.body, "crl v1");
  EXPECT_EQ(r.warning,
            "timed out after 300 ms; using the copy fetched at 2026-12-02T00:00:00Z, before its "
            "nextUpdate 2026-12-03T00:00:00Z");
}

TEST_F(CrlCacheTest, FailedFetchWithoutACachedCopyIsTheFetchError) {
  CrlCache cache = OpenCache();
  std::vector<CachedFetch> results =
      cache.Fetch({server_.Url("/missing.crl"), "ldap://ldap.example/cn=CA"}, options_, kNow);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].error, "HTTP 404");
  EXPECT_EQ(results[1].error, "unsupported scheme 'ldap' (only http and https are fetched)");
  EXPECT_FALSE(Exists(cache.MetadataPath(server_.Url("/missing.crl"))));
}

TEST_F(CrlCacheTest, ManyUrlsMixFreshAndFetchedInRequestOrder) {
  CrlCache cache = OpenCache();
  server_.Serve("/a.crl", Crl("a", "\"a\""));
  server_.Serve("/b.crl", Crl("b", "\"b\""));
  const std::vector<std::string> urls = {server_.Url("/a.crl"), url_, server_.Url("/b.crl")};
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  ASSERT_TRUE(cache.RecordNextUpdate(url_, kNow + absl::Hours(6)).ok());
  std::vector<size_t> progress;
  options_.progress = [&](size_t done) { progress.push_back(done); };
  std::vector<CachedFetch> results = cache.Fetch(urls, options_, kNow + absl::Hours(1));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].body, "a");
  EXPECT_EQ(results[0].source, CrlSource::kNetwork);
  EXPECT_EQ(results[1].body, "crl v1");
  EXPECT_EQ(results[1].source, CrlSource::kCache);
  EXPECT_EQ(results[2].body, "b");
  for (size_t i = 0; i < urls.size(); ++i) EXPECT_EQ(results[i].url, urls[i]);
  EXPECT_EQ(progress, (std::vector<size_t>{1, 2, 3}));
}

TEST_F(CrlCacheTest, UnwritableCacheStillGivesTheBodyAndSaysWhy) {
  if (geteuid() == 0) GTEST_SKIP() << "root may write to any directory";
  CrlCache cache = OpenCache();
  ASSERT_EQ(chmod(dir().c_str(), 0500), 0);
  const CachedFetch r = FetchOne(cache, kNow);
  ASSERT_EQ(chmod(dir().c_str(), 0700), 0);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, "crl v1");
  EXPECT_THAT(r.cache_error, HasSubstr(cache.BodyPath(url_)));
}

TEST_F(CrlCacheTest, RecordNextUpdateNeedsAnEntryAndRemoveDropsIt) {
  CrlCache cache = OpenCache();
  EXPECT_EQ(cache.RecordNextUpdate(url_, kNow).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(cache.Remove(url_).ok());  // nothing to remove
  ASSERT_TRUE(FetchOne(cache, kNow).ok());
  EXPECT_TRUE(cache.Remove(url_).ok());
  EXPECT_FALSE(Exists(cache.BodyPath(url_)));
  EXPECT_FALSE(Exists(cache.MetadataPath(url_)));
  EXPECT_FALSE(cache.Lookup(url_).has_value());
}

}  // namespace
}  // namespace serialmatch::net
