// End-to-end tests of live endpoints (--endpoints), on loopback only: TLS servers run in the test
// process on 127.0.0.1 with certificates issued at test time, plus a port that never answers and
// a port that refuses (held by the test for as long as it runs).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "src/net/test_dns_server.h"
#include "src/net/test_http_server.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using inventory::TestTlsServer;
using ::testing::HasSubstr;

class EndpointsE2eTest : public E2eTest {
 protected:
  TestTlsServer::Served Leaf(const std::string& serial, const std::string& name,
                             absl::Time not_before) {
    TestCertSpec spec;
    spec.serial_hex = serial;
    spec.names = {name};
    spec.not_before = not_before;
    spec.not_after = not_before + absl::Hours(90 * 24);
    TestTlsServer::Served served;
    served.der = ca_.Issue(spec, &served.key_pem);
    return served;
  }
  TestCa ca_{"R3"};
};

// The status of the finding for the endpoint written `input`, "" if none (one finding expected).
std::string StatusOf(const std::string& jsonl, const std::string& input) {
  const std::string key = absl::StrCat("\"input\":\"", input, "\"");
  for (absl::string_view line : absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
    if (line.find(key) == absl::string_view::npos) continue;
    const size_t start = line.find("\"status\":\"") + 10;
    return std::string(line.substr(start, line.find('"', start) - start));
  }
  return "";
}

TEST_F(EndpointsE2eTest, JudgesWhatEachServerPresents) {
  const absl::Time feb = absl::FromUnixSeconds(1580515200);
  const absl::Time march = absl::FromUnixSeconds(1583020800);
  // One server, certificates chosen by SNI: an affected one, a renewed one, an untouched one.
  TestTlsServer server({{"old.example", Leaf("87654321", "old.example", feb)},
                        {"renewed.example", Leaf("0b0b", "renewed.example", march)}},
                       Leaf("0c0c", "default.example", feb));
  inventory::SilentListener silent;
  const std::string port = absl::StrCat(server.port());
  const std::string affected = "old.example@127.0.0.1:" + port;
  const std::string replaced = "renewed.example@127.0.0.1:" + port;
  const std::string untouched = "127.0.0.1:" + port;
  const std::string timeout = absl::StrCat("127.0.0.1:", silent.port());
  const net::RefusedPort refusing;
  const std::string refused = absl::StrCat("127.0.0.1:", refusing.port());
  const std::string list =
      Write("endpoints.txt", absl::StrCat("# pool\n", affected, "\n", replaced, "\n", untouched,
                                          "\n", timeout, "\n", refused, "\n"));
  const std::string dump =
      Write("dump.txt",
            absl::StrCat(Le2020Line("87654321", "old.example", "2020-02-01 00:00:00 +0000 UTC"),
                         Le2020Line("0a0a", "renewed.example", "2020-02-01 00:00:00 +0000 UTC")));

  const RunResult r =
      Run({"--dump", dump, "--endpoints", list, "--timeout", "1", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(StatusOf(r.out, affected), "affected") << r.out;
  EXPECT_EQ(StatusOf(r.out, replaced), "replaced");
  EXPECT_EQ(StatusOf(r.out, untouched), "");
  EXPECT_EQ(StatusOf(r.out, timeout), "error");
  EXPECT_EQ(StatusOf(r.out, refused), "error");
  EXPECT_THAT(r.out, HasSubstr("\"kind\":\"endpoint\""));
  EXPECT_THAT(r.out, HasSubstr("timed out in the TLS handshake"));
  EXPECT_THAT(r.out, HasSubstr("Connection refused"));
  EXPECT_THAT(r.out, HasSubstr("\"verification\":\"unable to get local issuer certificate\""));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", list, ":2\"")));
  EXPECT_THAT(r.err, HasSubstr("3 endpoints presented a certificate, 2 could not be checked"));

  // Unreachable endpoints make the run fail only with --strict.
  const RunResult strict =
      Run({"--dump", dump, "--endpoints", list, "--timeout", "1", "--format", "jsonl", "--strict"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_THAT(strict.err, HasSubstr("--strict: 2 problems"));
}

// A served certificate whose subject alternative names cannot be decoded is still judged by its
// serial, and the run says so at the endpoint's line, rather than taking it for one without names.
TEST_F(EndpointsE2eTest, UndecodableSanOfAServedCertificateIsReported) {
  const absl::Time feb = absl::FromUnixSeconds(1580515200);
  TestTlsServer::Served served = Leaf("87654321", "old.example", feb);
  // The dNSName's tag [2] becomes [9], which no GeneralName has.
  const size_t at = served.der.find("\x82\x0bold.example");
  ASSERT_NE(at, std::string::npos);
  served.der[at] = static_cast<char>(0x89);
  TestTlsServer server({}, served);
  const std::string endpoint = absl::StrCat("127.0.0.1:", server.port());
  const std::string list = Write("endpoints.txt", absl::StrCat("# pool\n", endpoint, "\n"));
  const std::string dump =
      Write("dump.txt", Le2020Line("87654321", "old.example", "2020-02-01 00:00:00 +0000 UTC"));

  const RunResult r =
      Run({"--dump", dump, "--endpoints", list, "--timeout", "5", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(StatusOf(r.out, endpoint), "affected") << r.out;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(list, ":2: endpoint '", endpoint,
                                            "': subject alternative names not decodable; "
                                            "judged by serial only")));
  EXPECT_THAT(r.err, HasSubstr("1 partly undecodable certificate"));
}

// Not a timing test: 50 silent endpoints at a 1 s timeout would take 50 s one after the other;
// checked concurrently they take about 1 s. The bound leaves room for a loaded machine.
TEST_F(EndpointsE2eTest, ManySilentEndpointsFinishTogether) {
  inventory::SilentListener silent;
  std::string list;
  for (int i = 0; i < 50; ++i) absl::StrAppend(&list, "127.0.0.1:", silent.port(), "\n");
  const std::string path = Write("silent.txt", list);
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  const absl::Time start = absl::Now();
  const RunResult r =
      Run({"--dump", dump, "--endpoints", path, "--timeout", "1", "--format", "jsonl"});
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // errors alone need no action
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 50) << r.out;
}

TEST_F(EndpointsE2eTest, BadEndpointLinesAreReported) {
  const std::string list = Write("eps.txt", "example.com:notaport\n[::1\n");
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  const RunResult r = Run({"--dump", dump, "--endpoints", list});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("eps.txt:1: bad port 'notaport'"));
  EXPECT_THAT(r.err, HasSubstr("no valid endpoint"));
}

// A name is resolved through --dns-server (a loopback DNS server answering 127.0.0.1 for it), then
// the certificate served under that name is judged as any other.
TEST_F(EndpointsE2eTest, NamesAreResolvedThroughTheDnsServer) {
  const absl::Time feb = absl::FromUnixSeconds(1580515200);
  TestTlsServer server({{"tls.serialmatch.test", Leaf("87654321", "tls.serialmatch.test", feb)}},
                       Leaf("0c0c", "default.example", feb));
  net::TestDnsServer dns(net::TestDnsServer::Mode::kAnswer,
                         {{"tls.serialmatch.test", "127.0.0.1"}});
  const std::string endpoint = absl::StrCat("tls.serialmatch.test:", server.port());
  const std::string list = Write("endpoints.txt", endpoint + "\n");
  const std::string dump = Write(
      "dump.txt", Le2020Line("87654321", "tls.serialmatch.test", "2020-02-01 00:00:00 +0000 UTC"));
  const RunResult r = Run({"--dump", dump, "--endpoints", list, "--dns-server", dns.address(),
                           "--timeout", "5", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(StatusOf(r.out, endpoint), "affected") << r.out;
  EXPECT_GE(dns.queries(), 1);
}

// A DNS server that never answers: the lookup ends at the endpoint's --timeout and the endpoint is
// an 'error' finding saying so, like any unreachable endpoint (exit 0 without --strict, 2 with).
TEST_F(EndpointsE2eTest, SilentDnsServerIsATimedOutEndpoint) {
  net::TestDnsServer dns(net::TestDnsServer::Mode::kSilent, {});
  const std::string endpoint = "tls.serialmatch.test:443";
  const std::string list = Write("endpoints.txt", endpoint + "\n");
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  const absl::Time start = absl::Now();
  const RunResult r = Run({"--dump", dump, "--endpoints", list, "--dns-server", dns.address(),
                           "--timeout", "1", "--format", "jsonl"});
  // Generous: c-ares's own retries, without the deadline, would take minutes.
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StatusOf(r.out, endpoint), "error") << r.out;
  EXPECT_THAT(r.out, HasSubstr("resolve tls.serialmatch.test: timed out after 1s"));
  EXPECT_THAT(r.err, HasSubstr("1 could not be checked"));
  EXPECT_GE(dns.queries(), 1);

  const RunResult strict = Run({"--dump", dump, "--endpoints", list, "--dns-server", dns.address(),
                                "--timeout", "1", "--strict"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
}

TEST_F(EndpointsE2eTest, BadDnsServerIsAUsageError) {
  const std::string list = Write("endpoints.txt", "example.com\n");
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  const RunResult r = Run({"--dump", dump, "--endpoints", list, "--dns-server", "dns.example.com"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dns-server needs ADDR[:PORT]"));
  EXPECT_THAT(r.err, HasSubstr("got 'dns.example.com'"));
}

}  // namespace
}  // namespace serialmatch
