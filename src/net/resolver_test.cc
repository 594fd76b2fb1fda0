#include "src/net/resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/net/test_dns_server.h"

namespace serialmatch::net {
namespace {

using ::testing::HasSubstr;

constexpr char kName[] = "tls.serialmatch.test";

// The dotted IPv4 address and port of `a`; "" when it is not IPv4.
std::string Ipv4(const ResolvedAddress& a) {
  if (a.family != AF_INET) return "";
  sockaddr_in v4;
  std::memcpy(&v4, &a.address, sizeof(v4));
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
  return absl::StrCat(text, ":", ntohs(v4.sin_port));
}

TEST(ResolverTest, ResolvesANameThroughTheGivenServer) {
  TestDnsServer dns(TestDnsServer::Mode::kAnswer, {{kName, "127.0.0.1"}});
  absl::StatusOr<std::vector<ResolvedAddress>> addresses =
      Resolve(kName, 8443, absl::Now() + absl::Seconds(10), {.dns_server = dns.address()});
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  ASSERT_EQ(addresses->size(), 1u);
  EXPECT_EQ(Ipv4((*addresses)[0]), "127.0.0.1:8443");
  EXPECT_GE(dns.queries(), 1);
}

TEST(ResolverTest, UnknownNameIsNoSuchHost) {
  TestDnsServer dns(TestDnsServer::Mode::kAnswer, {{kName, "127.0.0.1"}});
  absl::StatusOr<std::vector<ResolvedAddress>> addresses =
      Resolve("missing.serialmatch.test", 443, absl::Now() + absl::Seconds(10),
              {.dns_server = dns.address()});
  ASSERT_FALSE(addresses.ok());
  EXPECT_EQ(addresses.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(addresses.status().message(), "resolve missing.serialmatch.test: no such host");
}

TEST(ResolverTest, SilentServerFailsAtTheDeadline) {
  TestDnsServer dns(TestDnsServer::Mode::kSilent, {});
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<ResolvedAddress>> addresses =
      Resolve(kName, 443, start + absl::Seconds(1), {.dns_server = dns.address()});
  const absl::Duration took = absl::Now() - start;
  ASSERT_FALSE(addresses.ok());
  EXPECT_EQ(addresses.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(addresses.status().message(), absl::StrCat("resolve ", kName, ": timed out after 1s"));
  EXPECT_GE(took, absl::Seconds(1));
  // The resolver's own retries (8 tries, doubling from 1 s) would take minutes: a bound of 20 s
  // is generous for a loaded machine and still fails a resolver that ignores the deadline.
  EXPECT_LT(took, absl::Seconds(20));
  EXPECT_GE(dns.queries(), 1);  // it did ask the given server
}

TEST(ResolverTest, NumericAddressesNeedNoLookup) {
  TestDnsServer dns(TestDnsServer::Mode::kSilent, {});
  for (const char* host : {"127.0.0.1", "::1"}) {
    absl::StatusOr<std::vector<ResolvedAddress>> addresses =
        Resolve(host, 443, absl::Now() + absl::Seconds(10), {.dns_server = dns.address()});
    ASSERT_TRUE(addresses.ok()) << host << ": " << addresses.status();
    ASSERT_EQ(addresses->size(), 1u);
    EXPECT_EQ((*addresses)[0].family, std::string(host) == "::1" ? AF_INET6 : AF_INET);
  }
  EXPECT_EQ(Ipv4(Resolve("192.0.2.7", 8443, absl::Now(), {})->at(0)), "192.0.2.7:8443");
  EXPECT_EQ(dns.queries(), 0);
}

TEST(ResolverTest, HostsFileComesBeforeTheServer) {
  // "localhost" is in every /etc/hosts; the silent server would make a DNS lookup time out.
  TestDnsServer dns(TestDnsServer::Mode::kSilent, {});
  absl::StatusOr<std::vector<ResolvedAddress>> addresses =
      Resolve("localhost", 443, absl::Now() + absl::Seconds(10), {.dns_server = dns.address()});
  ASSERT_TRUE(addresses.ok()) << addresses.status();
  EXPECT_FALSE(addresses->empty());
  EXPECT_EQ(dns.queries(), 0);
}

TEST(ResolverTest, ChecksTheDnsServerValue) {
  EXPECT_TRUE(CheckDnsServer("192.0.2.53").ok());
  EXPECT_TRUE(CheckDnsServer("127.0.0.1:5353").ok());
  EXPECT_TRUE(CheckDnsServer("[::1]:53").ok());
  EXPECT_FALSE(CheckDnsServer("").ok());
  EXPECT_FALSE(CheckDnsServer("dns.example").ok());
  EXPECT_FALSE(CheckDnsServer("192.0.2.53,192.0.2.54").ok());
}

}  // namespace
}  // namespace serialmatch::net
