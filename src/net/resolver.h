// Host name resolution with a deadline: A and AAAA lookups through c-ares, so a resolver that never
// answers costs at most the caller's deadline, where a blocking getaddrinfo could wait for as long
// as the system resolver likes. /etc/hosts is read first, as the system resolver does ("files"
// before "dns"); a numeric address is returned as it is, without a lookup.
//
//   absl::StatusOr<std::vector<ResolvedAddress>> addresses =
//       Resolve("www.example.com", 443, absl::Now() + absl::Seconds(5), {});
//   // on failure: "resolve www.example.com: timed out after 5s", "... : no such host"
//
// Safe to call from many threads at once: every call has its own c-ares channel.
#ifndef SERIALMATCH_SRC_NET_RESOLVER_H_
#define SERIALMATCH_SRC_NET_RESOLVER_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace serialmatch::net {

// One address to connect to: `address` holds `size` bytes of a sockaddr_in or sockaddr_in6 with
// the port set.
struct ResolvedAddress {
  int family = AF_UNSPEC;
  sockaddr_storage address = {};
  socklen_t size = 0;
};

struct ResolveOptions {
  // The one DNS server to ask, "ADDR[:PORT]" ("192.0.2.53", "192.0.2.53:5353",
  // "[2001:db8::53]:53"); empty for the servers of /etc/resolv.conf.
  std::string dns_server;
};

// Checks a `ResolveOptions::dns_server` value; the error says what is wrong with it.
[[nodiscard]] absl::Status CheckDnsServer(absl::string_view server);

// Resolves `host` (a name or a numeric IPv4/IPv6 address) to the addresses to connect to on
// `port`, IPv4 and IPv6 in the order c-ares returns them (never empty on success). Gives up at
// `deadline`. Errors name the host and the reason: NotFound for a name that does not exist or has
// no address, DeadlineExceeded for a timeout, Unavailable for other resolver failures.
[[nodiscard]] absl::StatusOr<std::vector<ResolvedAddress>> Resolve(absl::string_view host,
                                                                   uint16_t port,
                                                                   absl::Time deadline,
                                                                   const ResolveOptions& options);

}  // namespace serialmatch::net

#endif  // SERIALMATCH_SRC_NET_RESOLVER_H_
