#include "src/net/http_fetch.h"

#include <stdlib.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/net/test_http_server.h"

namespace serialmatch::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Response = TestHttpServer::Response;

Response Body(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

Response Status(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Redirect(int status, std::string location) {
  Response r = Status(status);
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

HttpRequest Get(std::string url, std::string etag = "", std::string last_modified = "") {
  HttpRequest request;
  request.url = std::move(url);
  request.etag = std::move(etag);
  request.last_modified = std::move(last_modified);
  return request;
}

class FetchAllTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The loopback server is reached directly whatever proxy the environment names.
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
  }

  FetchResult FetchOne(const std::string& url, const HttpFetchOptions& options = {}) {
    std::vector<FetchResult> results = FetchAll({Get(url)}, options);
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? FetchResult{} : results[0];
  }

  TestHttpServer server_;
};

TEST_F(FetchAllTest, OkGivesBodyValidatorsAndSendsTheUserAgent) {
  Response crl = Body(std::string("\x30\x82\x01\x00crl", 7));
  crl.etag = "\"v1\"";
  crl.last_modified = "Wed, 02 Dec 2026 05:00:00 GMT";
  server_.Serve("/r3.crl", crl);
  const FetchResult r = FetchOne(server_.Url("/r3.crl"));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.url, server_.Url("/r3.crl"));
  EXPECT_EQ(r.effective_url, server_.Url("/r3.crl"));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_FALSE(r.not_modified);
  EXPECT_EQ(r.body, std::string("\x30\x82\x01\x00crl", 7));
  EXPECT_EQ(r.etag, "\"v1\"");
  EXPECT_EQ(r.last_modified, "Wed, 02 Dec 2026 05:00:00 GMT");
  EXPECT_EQ(server_.requests("/r3.crl"), 1);
  const auto headers = server_.last_request_headers("/r3.crl");
  EXPECT_EQ(headers.at("user-agent"), absl::StrCat("serialmatch/", SERIALMATCH_VERSION));
  EXPECT_EQ(UserAgent(), absl::StrCat("serialmatch/", SERIALMATCH_VERSION));
  EXPECT_EQ(headers.count("if-none-match"), 0u);
  EXPECT_EQ(headers.count("if-modified-since"), 0u);
}

TEST_F(FetchAllTest, NotFoundAndServerErrorsAreHttpStatusErrors) {
  Response broken = Status(500);
  broken.body = "oops";
  server_.Serve("/broken.crl", broken);
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/missing.crl")), Get(server_.Url("/broken.crl"))}, {});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].error, "HTTP 404");
  EXPECT_EQ(results[0].http_status, 404);
  EXPECT_TRUE(results[0].body.empty());
  EXPECT_EQ(results[1].error, "HTTP 500");
  EXPECT_TRUE(results[1].body.empty());
}

TEST_F(FetchAllTest, NeverAnsweringServerTimesOutAtTheDeadline) {
  Response hang;
  hang.hang = true;
  server_.Serve("/hang.crl", hang);
  HttpFetchOptions options;
  options.timeout = absl::Seconds(1);
  const absl::Time start = absl::Now();
  const FetchResult r = FetchOne(server_.Url("/hang.crl"), options);
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(r.error, "timed out after 1 s");
  EXPECT_EQ(r.http_status, 0);
  EXPECT_GE(took, absl::Milliseconds(900));
  EXPECT_LT(took, absl::Milliseconds(2500));
  EXPECT_EQ(server_.requests("/hang.crl"), 1);
}

TEST_F(FetchAllTest, RefusedConnectionSaysSo) {
  const RefusedPort refused;
  const FetchResult r = FetchOne(absl::StrCat("http://127.0.0.1:", refused.port(), "/a.crl"));
  EXPECT_EQ(r.error, "connection refused");
}

TEST_F(FetchAllTest, UnresolvableHostSaysSo) {
  // RFC 6761: resolvers answer names under .invalid negatively at once, without asking the network.
  HttpFetchOptions options;
  options.timeout = absl::Seconds(10);
  EXPECT_EQ(FetchOne("http://serialmatch-test.invalid/a.crl", options).error,
            "could not resolve host");
}

TEST_F(FetchAllTest, OtherSchemesAndMalformedUrlsAreNotFetched) {
  std::vector<FetchResult> results =
      FetchAll({Get("ldap://ldap.example.com/cn=CA?certificateRevocationList"),
                Get("file:///etc/passwd"), Get("FTP://crl.example/a.crl"), Get("crl.example/a.crl"),
                Get("http://"), Get("http://crl.example/a b.crl"), Get("")},
               {});
  ASSERT_EQ(results.size(), 7u);
  EXPECT_EQ(results[0].error, "unsupported scheme 'ldap' (only http and https are fetched)");
  EXPECT_EQ(results[1].error, "unsupported scheme 'file' (only http and https are fetched)");
  EXPECT_EQ(results[2].error, "unsupported scheme 'FTP' (only http and https are fetched)");
  EXPECT_EQ(results[3].error, "malformed URL (no scheme)");
  EXPECT_THAT(results[4].error, StartsWith("malformed URL ("));
  EXPECT_EQ(results[5].error, "malformed URL (it holds a space or a control character)");
  EXPECT_EQ(results[6].error, "malformed URL (no scheme)");
  for (const FetchResult& r : results) EXPECT_EQ(r.http_status, 0) << r.url;
}

TEST_F(FetchAllTest, BodyLargerThanTheLimitIsAnError) {
  server_.Serve("/big.crl", Body(std::string(2000, 'x')));
  Response unsized = Body(std::string(2000, 'x'));
  unsized.no_content_length = true;
  server_.Serve("/big-unsized.crl", unsized);
  Response fits = Body(std::string(1000, 'x'));
  fits.no_content_length = true;
  server_.Serve("/fits.crl", fits);
  HttpFetchOptions options;
  options.max_bytes = 1000;
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/big.crl")), Get(server_.Url("/big-unsized.crl")),
                Get(server_.Url("/fits.crl"))},
               options);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].error, "body larger than 1000 bytes");  // said by Content-Length
  EXPECT_EQ(results[1].error, "body larger than 1000 bytes");  // counted while reading
  EXPECT_TRUE(results[0].body.empty());
  EXPECT_TRUE(results[1].body.empty());
  EXPECT_TRUE(results[2].ok()) << results[2].error;
  EXPECT_EQ(results[2].body.size(), 1000u);
}

TEST_F(FetchAllTest, TransfersRunConcurrentlyAndResultsKeepRequestOrder) {
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 8; ++i) {
    const std::string path = absl::StrCat("/", i, ".crl");
    Response slow = Body(absl::StrCat("crl ", i));
    slow.delay = absl::Milliseconds(400);
    server_.Serve(path, slow);
    requests.push_back(Get(server_.Url(path)));
  }
  requests.push_back(Get("ldap://ldap.example/cn=CA"));
  std::vector<size_t> progress;
  HttpFetchOptions options;
  options.concurrency = 4;
  options.progress = [&](size_t done) { progress.push_back(done); };
  const absl::Time start = absl::Now();
  std::vector<FetchResult> results = FetchAll(requests, options);
  const absl::Duration took = absl::Now() - start;
  ASSERT_EQ(results.size(), 9u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].error;
    EXPECT_EQ(results[i].url, requests[i].url);
    EXPECT_EQ(results[i].body, absl::StrCat("crl ", i));
  }
  EXPECT_THAT(results[8].error, StartsWith("unsupported scheme"));
  // Two rounds of four, not eight in a row (3.2 s), nor all eight at once (0.4 s).
  EXPECT_GE(took, absl::Milliseconds(790));
  EXPECT_LT(took, absl::Milliseconds(2400));
  EXPECT_THAT(progress, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9));
}

TEST_F(FetchAllTest, ConditionalRequestsGetNotModified) {
  Response by_etag = Body("new");
  by_etag.etag = "\"v2\"";
  server_.Serve("/by-etag.crl", by_etag);
  Response by_date = Body("new");
  by_date.last_modified = "Tue, 01 Dec 2026 00:00:00 GMT";
  server_.Serve("/by-date.crl", by_date);
  Response changed = Body("newer");
  changed.etag = "\"v3\"";
  server_.Serve("/changed.crl", changed);
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/by-etag.crl"), "\"v2\""),
                Get(server_.Url("/by-date.crl"), "", "Tue, 01 Dec 2026 00:00:00 GMT"),
                Get(server_.Url("/changed.crl"), "\"v2\"")},
               {});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].error;
  EXPECT_TRUE(results[0].not_modified);
  EXPECT_EQ(results[0].http_status, 304);
  EXPECT_EQ(results[0].body, "");
  EXPECT_EQ(results[0].etag, "\"v2\"");
  EXPECT_EQ(server_.last_request_headers("/by-etag.crl").at("if-none-match"), "\"v2\"");
  EXPECT_TRUE(results[1].ok()) << results[1].error;
  EXPECT_TRUE(results[1].not_modified);
  EXPECT_EQ(server_.last_request_headers("/by-date.crl").at("if-modified-since"),
            "Tue, 01 Dec 2026 00:00:00 GMT");
  EXPECT_TRUE(results[2].ok()) << results[2].error;
  EXPECT_FALSE(results[2].not_modified);
  EXPECT_EQ(results[2].body, "newer");
  EXPECT_EQ(results[2].etag, "\"v3\"");
}

TEST_F(FetchAllTest, NotModifiedToAnUnconditionalRequestIsAnError) {
  server_.Serve("/odd.crl", Status(304));
  EXPECT_EQ(FetchOne(server_.Url("/odd.crl")).error,
            "HTTP 304 to a request that was not conditional");
}

TEST_F(FetchAllTest, ValidatorsWithLineBreaksAreNotSent) {
  Response crl = Body("crl");
  crl.etag = "\"v1\"";
  server_.Serve("/a.crl", crl);
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/a.crl"), "\"v1\"\r\nX-Injected: 1")}, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok()) << results[0].error;
  EXPECT_FALSE(results[0].not_modified);
  const auto headers = server_.last_request_headers("/a.crl");
  EXPECT_EQ(headers.count("x-injected"), 0u);
  EXPECT_EQ(headers.count("if-none-match"), 0u);
}

TEST_F(FetchAllTest, RedirectsAreFollowedWithinLimitsAndOnlyToHttp) {
  server_.Serve("/old.crl", Redirect(301, "/new.crl"));
  Response moved = Body("moved crl");
  moved.etag = "\"n\"";
  server_.Serve("/new.crl", moved);
  server_.Serve("/loop.crl", Redirect(302, "/loop.crl"));
  server_.Serve("/to-ftp.crl", Redirect(302, "ftp://127.0.0.1/x.crl"));
  server_.Serve("/nowhere.crl", Status(302));
  HttpFetchOptions options;
  options.max_redirects = 3;
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/old.crl")), Get(server_.Url("/loop.crl")),
                Get(server_.Url("/to-ftp.crl")), Get(server_.Url("/nowhere.crl"))},
               options);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].ok()) << results[0].error;
  EXPECT_EQ(results[0].body, "moved crl");
  EXPECT_EQ(results[0].etag, "\"n\"");
  EXPECT_EQ(results[0].effective_url, server_.Url("/new.crl"));
  EXPECT_EQ(results[1].error, "more than 3 redirects");
  EXPECT_EQ(server_.requests("/loop.crl"), 4);
  EXPECT_THAT(results[2].error, StartsWith("redirected to an unsupported scheme"));
  EXPECT_EQ(results[3].error, "HTTP 302");  // no Location to follow
}

TEST_F(FetchAllTest, GzipAndDeflateBodiesAreDecoded) {
  // "gzip-encoded CRL bytes\n" as `gzip -9n` and zlib.compress write it.
  Response gzip = Body(absl::HexStringToBytes(
      "1f8b08000000000002034bafca2cd04dcd4bce4f494d51700ef25148aa2c492de6020007001b0317000000"));
  gzip.headers.emplace_back("Content-Encoding", "gzip");
  server_.Serve("/gzip.crl", gzip);
  Response deflate = Body(
      absl::HexStringToBytes("789c4bafca2cd04dcd4bce4f494d51700ef25148aa2c492de6020065a2080c"));
  deflate.headers.emplace_back("Content-Encoding", "deflate");
  server_.Serve("/deflate.crl", deflate);
  Response corrupt = Body("not gzip at all");
  corrupt.headers.emplace_back("Content-Encoding", "gzip");
  server_.Serve("/corrupt.crl", corrupt);
  std::vector<FetchResult> results =
      FetchAll({Get(server_.Url("/gzip.crl")), Get(server_.Url("/deflate.crl")),
                Get(server_.Url("/corrupt.crl"))},
               {});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].body, "gzip-encoded CRL bytes\n") << results[0].error;
  EXPECT_EQ(results[1].body, "gzip-encoded CRL bytes\n") << results[1].error;
  EXPECT_THAT(results[2].error, StartsWith("cannot decode the body"));
  EXPECT_THAT(server_.last_request_headers("/gzip.crl").at("accept-encoding"), HasSubstr("gzip"));
}

TEST_F(FetchAllTest, NoRequestsNoResults) { EXPECT_TRUE(FetchAll({}, {}).empty()); }

TEST(FormatSecondsTest, WholeAndFractionalSecondsAndMilliseconds) {
  EXPECT_EQ(FormatSeconds(absl::Seconds(5)), "5 s");
  EXPECT_EQ(FormatSeconds(absl::Milliseconds(1500)), "1.5 s");
  EXPECT_EQ(FormatSeconds(absl::Milliseconds(250)), "250 ms");
}

}  // namespace
}  // namespace serialmatch::net
