#include "src/inventory/endpoints.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "src/net/test_dns_server.h"
#include "src/net/test_http_server.h"

namespace serialmatch::inventory {
namespace {

using ::testing::HasSubstr;

TEST(ParseEndpointTest, AcceptsEveryNotation) {
  struct Case {
    const char* text;
    const char* server_name;
    const char* connect_host;
    uint16_t port;
  };
  const Case cases[] = {
      {"Example.COM", "example.com", "example.com", 443},
      {"example.com:8443", "example.com", "example.com", 8443},
      {"127.0.0.1:4433", "", "127.0.0.1", 4433},
      {"[::1]:4433", "", "::1", 4433},
      {"[::1]", "", "::1", 443},
      {"www.example.com@127.0.0.1:4433", "www.example.com", "127.0.0.1", 4433},
      {"münchen.de", "xn--mnchen-3ya.de", "xn--mnchen-3ya.de", 443},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Endpoint> e = ParseEndpoint(c.text);
    ASSERT_TRUE(e.ok()) << c.text << ": " << e.status();
    EXPECT_EQ(e->input, c.text);
    EXPECT_EQ(e->server_name, c.server_name) << c.text;
    EXPECT_EQ(e->connect_host, c.connect_host) << c.text;
    EXPECT_EQ(e->port, c.port) << c.text;
  }
}

TEST(ParseEndpointTest, RejectsBadOnes) {
  for (const char* text : {"example.com:0", "example.com:99999", "example.com:https", "::1:443",
                           "[::1", "[example.com]:443", "*.example.com", "bad name:443", ":443",
                           "example.com:", "@127.0.0.1"}) {
    EXPECT_FALSE(ParseEndpoint(text).ok()) << text;
  }
}

TEST(ParseEndpointListTest, SkipsCommentsAndReportsBadLines) {
  Diagnostics diags("eps.txt");
  absl::StatusOr<std::vector<Endpoint>> list = ParseEndpointList(
      "# load balancers\n\nexample.com\r\nexample.com:99999\n  127.0.0.1:8443  # direct\n",
      "eps.txt", &diags);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].line, 3u);
  EXPECT_EQ((*list)[1].input, "127.0.0.1:8443");
  EXPECT_EQ((*list)[1].line, 5u);
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(), HasSubstr("eps.txt:4: bad port '99999'"));
  EXPECT_FALSE(ParseEndpointList("# nothing\n", "e", &diags).ok());
}

TEST(ParseEndpointListTest, ReadsUtf16Lists) {
  std::string text = "\xFF\xFE";  // PowerShell's Out-File writes UTF-16LE with this mark
  for (char c : absl::string_view("# pool\r\nwww.example.com:8443\r\n192.0.2.7\r\n")) {
    text.push_back(c);
    text.push_back('\0');
  }
  Diagnostics diags("eps.txt");
  absl::StatusOr<std::vector<Endpoint>> list = ParseEndpointList(text, "eps.txt", &diags);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].server_name, "www.example.com");
  EXPECT_EQ((*list)[0].port, 8443);
  EXPECT_EQ((*list)[1].connect_host, "192.0.2.7");
  EXPECT_EQ((*list)[1].line, 3u);
}

class FetchTest : public ::testing::Test {
 protected:
  TestTlsServer::Served Leaf(const std::string& serial, const std::string& name) {
    TestCertSpec spec;
    spec.serial_hex = serial;
    spec.names = {name};
    TestTlsServer::Served served;
    served.der = ca_.Issue(spec, &served.key_pem);
    return served;
  }
  Endpoint At(const std::string& text) {
    absl::StatusOr<Endpoint> e = ParseEndpoint(text);
    EXPECT_TRUE(e.ok()) << text;
    return *e;
  }
  TestCa ca_{"Loopback Test CA"};
};

TEST_F(FetchTest, TakesTheCertificateServedForEachServerName) {
  TestTlsServer server(
      {{"a.example", Leaf("0a", "a.example")}, {"b.example", Leaf("0b", "b.example")}},
      Leaf("0f", "default.example"));
  const std::string port = absl::StrCat(server.port());
  const std::vector<Endpoint> endpoints = {At("a.example@127.0.0.1:" + port),
                                           At("b.example@127.0.0.1:" + port),
                                           At("127.0.0.1:" + port)};
  const std::vector<EndpointResult> results = FetchCertificates(endpoints, {});
  ASSERT_EQ(results.size(), 3u);
  for (const EndpointResult& r : results) ASSERT_TRUE(r.certificate.has_value()) << r.error;
  EXPECT_EQ(results[0].certificate->serial, "0a");
  EXPECT_EQ(results[0].certificate->endpoint, endpoints[0].input);
  EXPECT_EQ(results[1].certificate->serial, "0b");
  EXPECT_EQ(results[2].certificate->serial, "0f");
  // Served by an unknown CA: taken, and the problem reported.
  EXPECT_THAT(results[0].certificate->verification, HasSubstr("local issuer"));
}

TEST_F(FetchTest, FailuresAreResultsNotErrors) {
  SilentListener silent;
  const net::RefusedPort refusing;
  const std::vector<Endpoint> endpoints = {
      At(absl::StrCat("127.0.0.1:", refusing.port())),
      At(absl::StrCat("127.0.0.1:", silent.port())),
      At("nonexistent.invalid@no-such-host.invalid:443"),
  };
  FetchOptions options;
  options.timeout = absl::Milliseconds(500);
  const std::vector<EndpointResult> results = FetchCertificates(endpoints, options);
  ASSERT_EQ(results.size(), 3u);
  for (const EndpointResult& r : results) EXPECT_FALSE(r.certificate.has_value());
  EXPECT_THAT(results[0].error, HasSubstr("refused"));
  EXPECT_THAT(results[1].error, HasSubstr("timed out in the TLS handshake"));
  // Without network the system's resolver may time out rather than say NXDOMAIN: either way the
  // error names the lookup and the host.
  EXPECT_THAT(results[2].error, HasSubstr("resolve no-such-host.invalid: "));
}

TEST_F(FetchTest, NamesAreResolvedThroughTheGivenDnsServer) {
  TestTlsServer server({}, Leaf("0d", "tls.serialmatch.test"));
  net::TestDnsServer dns(net::TestDnsServer::Mode::kAnswer,
                         {{"tls.serialmatch.test", "127.0.0.1"}});
  FetchOptions options;
  options.dns_server = dns.address();
  const std::vector<EndpointResult> results =
      FetchCertificates({At(absl::StrCat("tls.serialmatch.test:", server.port())),
                         At(absl::StrCat("gone.serialmatch.test:", server.port()))},
                        options);
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].certificate.has_value()) << results[0].error;
  EXPECT_EQ(results[0].certificate->serial, "0d");
  EXPECT_FALSE(results[1].certificate.has_value());
  EXPECT_EQ(results[1].error, "resolve gone.serialmatch.test: no such host");
  EXPECT_GE(dns.queries(), 2);
}

// The lookup is inside the endpoint's timeout: a DNS server that never answers ends the endpoint
// at its deadline, not at whatever the resolver's own retries add up to.
TEST_F(FetchTest, SilentDnsServerTimesOutWithinTheEndpointTimeout) {
  net::TestDnsServer dns(net::TestDnsServer::Mode::kSilent, {});
  FetchOptions options;
  options.timeout = absl::Seconds(1);
  options.dns_server = dns.address();
  const absl::Time start = absl::Now();
  const std::vector<EndpointResult> results =
      FetchCertificates({At("tls.serialmatch.test:443")}, options);
  EXPECT_LT(absl::Now() - start,
            absl::Seconds(20));  // generous: c-ares alone would retry for minutes
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].certificate.has_value());
  EXPECT_EQ(results[0].error, "resolve tls.serialmatch.test: timed out after 1s");
  EXPECT_GE(dns.queries(), 1);
}

TEST_F(FetchTest, PlainTcpServerIsNotTls) {
  int port = 0;
  const int fd = ListenOnLoopback(&port);
  std::thread server([fd] {
    const int client = accept(fd, nullptr, nullptr);
    if (client < 0) return;
    constexpr char kReply[] = "HTTP/1.0 400 Bad Request\r\n\r\n";
    (void)!write(client, kReply, sizeof(kReply) - 1);
    close(client);
  });
  const std::vector<EndpointResult> results =
      FetchCertificates({At(absl::StrCat("127.0.0.1:", port))}, {});
  server.join();
  close(fd);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].certificate.has_value());
  EXPECT_FALSE(results[0].error.empty());
  EXPECT_THAT(results[0].error,
              ::testing::AnyOf(HasSubstr("TLS handshake"), HasSubstr("not a TLS")));
}

// Not a timing test: 40 silent endpoints at a 1 s timeout take 40 s one after the other; in
// parallel they take about 1 s. The bound leaves a wide margin for a loaded machine.
TEST_F(FetchTest, SilentEndpointsTimeOutConcurrently) {
  SilentListener silent;
  std::vector<Endpoint> endpoints(40, At(absl::StrCat("127.0.0.1:", silent.port())));
  FetchOptions options;
  options.timeout = absl::Seconds(1);
  size_t progress_calls = 0;
  options.progress = [&](size_t done) { progress_calls = done; };
  const absl::Time start = absl::Now();
  const std::vector<EndpointResult> results = FetchCertificates(endpoints, options);
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(progress_calls, 40u);
  for (const EndpointResult& r : results) EXPECT_THAT(r.error, HasSubstr("timed out"));
}

}  // namespace
}  // namespace serialmatch::inventory
