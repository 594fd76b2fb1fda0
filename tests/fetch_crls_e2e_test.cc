// End-to-end tests of --fetch-crls: certificates naming CRL distribution points on a loopback HTTP
// server (127.0.0.1 only) that serves generated CRLs, a 404, a server that never answers, a
// corrupt CRL, a CRL of another issuer and one signed by the wrong key; --crl-cache reuse.
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "src/net/test_http_server.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using inventory::TestCrlEntry;
using inventory::TestCrlSpec;
using inventory::TestTlsServer;
using net::TestHttpServer;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kFar = absl::FromUnixSeconds(4102444800);  // 2100-01-01

// A 200 answer with `body` and, when given, an ETag.
TestHttpServer::Response Served(std::string body, std::string etag = "") {
  TestHttpServer::Response response;
  response.body = std::move(body);
  response.etag = std::move(etag);
  return response;
}

class FetchCrlsE2eTest : public E2eTest {
 protected:
  FetchCrlsE2eTest() : r10_("R10") {
    // Whatever proxy the environment names, the loopback server is reached directly.
    ::setenv("no_proxy", "*", 1);
  }

  // A leaf of `ca` naming `crl_urls` as its CRL distribution points, written as PEM to `file`.
  std::string Leaf(const TestCa& ca, const std::string& serial, std::vector<std::string> crl_urls,
                   const std::string& file) {
    TestCertSpec spec;
    spec.serial_hex = serial;
    spec.names = {absl::StrCat("s", serial, ".example")};
    spec.crl_urls = std::move(crl_urls);
    return Write(file, TestCa::ToPem(ca.Issue(spec)));
  }

  static std::string Crl(const TestCa& ca, const std::vector<std::string>& serials,
                         absl::Time next_update = kFar) {
    TestCrlSpec spec;
    spec.next_update = next_update;
    for (const std::string& serial : serials) {
      TestCrlEntry entry;
      entry.serial_hex = serial;
      entry.reason = 1;
      spec.entries.push_back(entry);
    }
    return ca.IssueCrl(spec);
  }

  TestCa r10_;
  TestHttpServer server_;
};

TEST_F(FetchCrlsE2eTest, CertificatesCheckedAgainstTheCrlTheyNameWithoutADump) {
  const std::string url = server_.Url("/r10/1.crl");
  server_.Serve("/r10/1.crl", Served(Crl(r10_, {"0a", "77"})));
  ::mkdir((dir_ + "/live").c_str(), 0755);
  Leaf(r10_, "0a", {url}, "live/revoked.pem");
  Leaf(r10_, "0b", {url}, "live/fine.pem");
  Leaf(r10_, "0c", {}, "live/short-lived.pem");
  const RunResult r = Run({"--certs", dir_ + "/live", "--fetch-crls", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"revoked.pem", "revoked"}}));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"dump\":\"", url, "\"")));
  EXPECT_THAT(r.out, HasSubstr("\"revocation_reason\":\"keyCompromise\""));
  EXPECT_THAT(r.err, HasSubstr("1 CRL named by 2 certificates: 1 downloaded"));
  EXPECT_THAT(r.err, HasSubstr("1 certificate names no CRL distribution point"));
  EXPECT_EQ(server_.requests("/r10/1.crl"), 1);  // one URL, fetched once for both
}

TEST_F(FetchCrlsE2eTest, UnavailableCrlIsAnErrorForEachCertificateNeverASilentNo) {
  TestHttpServer::Response hang;
  hang.hang = true;
  server_.Serve("/hang.crl", hang);
  server_.Serve("/corrupt.crl", Served("<html>captive portal</html>"));
  const std::string missing = Leaf(r10_, "01", {server_.Url("/missing.crl")}, "missing.pem");
  const std::string hung = Leaf(r10_, "02", {server_.Url("/hang.crl")}, "hung.pem");
  const std::string corrupt = Leaf(r10_, "03", {server_.Url("/corrupt.crl")}, "corrupt.pem");
  const absl::Time start = absl::Now();
  const RunResult r = Run({"--certs", missing, "--certs", hung, "--certs", corrupt, "--fetch-crls",
                           "--timeout", "1", "--format", "jsonl"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // errors need looking at, but are not findings to act on
  EXPECT_EQ(Statuses(r.out),
            (StatusSet{{"missing.pem", "error"}, {"hung.pem", "error"}, {"corrupt.pem", "error"}}));
  EXPECT_THAT(
      r.out, HasSubstr("revocation status unknown: " + server_.Url("/missing.crl") + ": HTTP 404"));
  EXPECT_THAT(r.out, HasSubstr("timed out"));
  EXPECT_THAT(r.out, HasSubstr("not a readable CRL"));
  EXPECT_THAT(r.err, HasSubstr("not checked: --fetch-crls: 3 revocation unknown certificates"));

  const RunResult strict = Run({"--certs", missing, "--fetch-crls", "--strict"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
}

TEST_F(FetchCrlsE2eTest, CrlOfAnotherIssuerOrTheWrongKeyDecidesNothing) {
  const TestCa other("R11");
  const TestCa impostor("R10");
  server_.Serve("/other.crl", Served(Crl(other, {"0a"})));
  TestCrlSpec forged;
  forged.next_update = kFar;
  forged.authority_key_id = false;
  TestCrlEntry entry;
  entry.serial_hex = "0b";
  forged.entries.push_back(entry);
  server_.Serve("/forged.crl", Served(impostor.IssueCrl(forged)));
  const std::string a = Leaf(r10_, "0a", {server_.Url("/other.crl")}, "a.pem");
  const std::string b = Leaf(r10_, "0b", {server_.Url("/forged.crl")}, "b.pem");
  const std::string ca = Write("r10.pem", TestCa::ToPem(r10_.certificate()));
  const RunResult r =
      Run({"--certs", a, "--certs", b, "--crl-issuer", ca, "--fetch-crls", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the forged CRL cannot be trusted
  EXPECT_THAT(r.err, HasSubstr("signature invalid"));
  // a.pem: the other issuer's CRL lists its serial, which is not a revocation of it (a warning),
  // and says nothing of it (an error: its own issuer's CRL was not to be had).
  EXPECT_EQ(Statuses(r.out),
            (StatusSet{{"a.pem", "error"}, {"a.pem", "warning"}, {"b.pem", "error"}}));
  EXPECT_THAT(r.out, HasSubstr("the CRL there is issued by 'C=US, O=serialmatch tests, CN=R11'"));
  EXPECT_THAT(r.out, HasSubstr("its CRL cannot be trusted"));
  EXPECT_THAT(r.out, Not(HasSubstr("\"status\":\"revoked\"")));
}

TEST_F(FetchCrlsE2eTest, CacheAvoidsDownloadingAgainUntilNextUpdate) {
  server_.Serve("/fresh.crl", Served(Crl(r10_, {"0a"}), "\"v1\""));
  server_.Serve("/old.crl", Served(Crl(r10_, {"0b"}, absl::FromUnixSeconds(1722945600)), "\"v7\""));
  const std::string a = Leaf(r10_, "0a", {server_.Url("/fresh.crl")}, "a.pem");
  const std::string b = Leaf(r10_, "0b", {server_.Url("/old.crl")}, "b.pem");
  const std::string cache = dir_ + "/cache";
  for (int run = 0; run < 2; ++run) {
    const RunResult r = Run(
        {"--certs", a, "--certs", b, "--fetch-crls", "--crl-cache", cache, "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(Statuses(r.out), (StatusSet{{"a.pem", "revoked"}, {"b.pem", "revoked"}})) << run;
  }
  // Before its nextUpdate the cached CRL is used without a request; past it, the server is asked
  // again with its ETag (and answers 304).
  EXPECT_EQ(server_.requests("/fresh.crl"), 1);
  EXPECT_EQ(server_.requests("/old.crl"), 2);
  EXPECT_EQ(server_.last_request_headers("/old.crl")["if-none-match"], "\"v7\"");

  // --crl-max-age: a cached CRL older than that is asked for again, nextUpdate or not.
  const RunResult aged = Run({"--certs", a, "--fetch-crls", "--crl-cache", cache, "--crl-max-age",
                              "0s", "--format", "jsonl"});
  EXPECT_EQ(aged.exit_code, 1) << aged.err;
  EXPECT_EQ(server_.requests("/fresh.crl"), 2);
  EXPECT_EQ(server_.last_request_headers("/fresh.crl")["if-none-match"], "\"v1\"");
}

TEST_F(FetchCrlsE2eTest, EndpointCertificatesAndDumpsTogether) {
  const std::string url = server_.Url("/r10.crl");
  server_.Serve("/r10.crl", Served(Crl(r10_, {"0e"})));
  TestCertSpec spec;
  spec.serial_hex = "0e";
  spec.names = {"live.example"};
  spec.crl_urls = {url};
  TestTlsServer::Served served;
  served.der = r10_.Issue(spec, &served.key_pem);
  TestTlsServer tls({}, served);
  const std::string endpoints =
      Write("endpoints.txt", absl::StrCat("live.example@127.0.0.1:", tls.port(), "\n"));
  const std::string dump = Write("serials.txt", "0f\n");
  const std::string serials = Write("mine.txt", "0f\n");
  const RunResult r = Run({"--dump", dump, "--serials", serials, "--endpoints", endpoints,
                           "--fetch-crls", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out),
            (StatusSet{{absl::StrCat("live.example@127.0.0.1:", tls.port()), "revoked"},
                       {"0f", "affected"}}));
  EXPECT_THAT(r.out, HasSubstr("\"kind\":\"endpoint\""));
}

}  // namespace
}  // namespace serialmatch
