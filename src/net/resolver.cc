#include "src/net/resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace serialmatch::net {
namespace {

// ares_library_init is not thread-safe and must run once before any channel exists.
int LibraryInit() {
  static std::once_flag once;
  static int rc = ARES_SUCCESS;
  std::call_once(once, [] { rc = ares_library_init(ARES_LIB_INIT_ALL); });
  return rc;
}

// Owns one c-ares channel; destroying it cancels what is still pending (the callback then runs
// with ARES_EDESTRUCTION, before the destructor returns).
class Channel {
 public:
  Channel() = default;
  ~Channel() {
    if (channel_ != nullptr) ares_destroy(channel_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Creates the channel: reads /etc/resolv.conf, then uses `dns_server` instead of its servers
  // when not empty.
  absl::Status Init(absl::string_view dns_server) {
    const int init = LibraryInit();
    if (init != ARES_SUCCESS) {
      return absl::InternalError(absl::StrCat("c-ares: ", ares_strerror(init)));
    }
    ares_options options = {};
    // The caller's deadline ends the lookup; these only pace the retries within it (c-ares doubles
    // the wait at each round), so a lost UDP datagram is asked again.
    options.timeout = 1000;
    options.tries = 8;
    const int rc = ares_init_options(&channel_, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
    if (rc != ARES_SUCCESS) {
      channel_ = nullptr;
      return absl::InternalError(absl::StrCat("c-ares: ", ares_strerror(rc)));
    }
    if (!dns_server.empty()) {
      const std::string csv(dns_server);
      if (const int set = ares_set_servers_ports_csv(channel_, csv.c_str()); set != ARES_SUCCESS) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad DNS server '", dns_server, "': ", ares_strerror(set)));
      }
    }
    return absl::OkStatus();
  }

  ares_channel get() const { return channel_; }

 private:
  ares_channel channel_ = nullptr;
};

struct Lookup {
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<ResolvedAddress> addresses;
};

void OnAddrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
  auto* lookup = static_cast<Lookup*>(arg);
  lookup->done = true;
  lookup->status = status;
  if (result == nullptr) return;
  for (const ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
    if (node->ai_family != AF_INET && node->ai_family != AF_INET6) continue;  // not connectable
    if (node->ai_addrlen > sizeof(sockaddr_storage)) continue;  // cannot happen for INET/INET6
    ResolvedAddress a;
    a.family = node->ai_family;
    std::memcpy(&a.address, node->ai_addr, node->ai_addrlen);
    a.size = static_cast<socklen_t>(node->ai_addrlen);
    lookup->addresses.push_back(a);
  }
  ares_freeaddrinfo(result);
}

// A numeric address as a ResolvedAddress, or false when `host` is not one.
bool NumericAddress(const std::string& host, uint16_t port, ResolvedAddress* out) {
  sockaddr_in v4 = {};
  if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    out->family = AF_INET;
    std::memcpy(&out->address, &v4, sizeof(v4));
    out->size = sizeof(v4);
    return true;
  }
  sockaddr_in6 v6 = {};
  if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    out->family = AF_INET6;
    std::memcpy(&out->address, &v6, sizeof(v6));
    out->size = sizeof(v6);
    return true;
  }
  return false;
}

// "5s", "1.5s": how long the lookup was given. The deadline was set a moment before the lookup
// started, so the budget is rounded up to 10 ms to print the timeout the user asked for.
std::string Budget(absl::Duration budget) {
  return absl::FormatDuration(absl::Ceil(budget, absl::Milliseconds(10)));
}

}  // namespace

absl::Status CheckDnsServer(absl::string_view server) {
  if (server.empty()) return absl::InvalidArgumentError("no address");
  if (server.find(',') != absl::string_view::npos) {
    return absl::InvalidArgumentError("one server only");
  }
  Channel channel;
  return channel.Init(server);
}

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(absl::string_view host, uint16_t port,
                                                     absl::Time deadline,
                                                     const ResolveOptions& options) {
  const std::string name(host);
  ResolvedAddress numeric;
  if (NumericAddress(name, port, &numeric)) return std::vector<ResolvedAddress>{numeric};

  const absl::Time start = absl::Now();
  const auto failure = [&](absl::string_view reason) {
    return absl::StrCat("resolve ", name, ": ", reason);
  };
  Channel channel;
  if (absl::Status s = channel.Init(options.dns_server); !s.ok()) {
    return absl::Status(s.code(), failure(s.message()));
  }
  ares_addrinfo_hints hints = {};
  hints.ai_flags = ARES_AI_NUMERICSERV;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string service = absl::StrCat(port);
  Lookup lookup;
  ares_getaddrinfo(channel.get(), name.c_str(), service.c_str(), &hints, OnAddrinfo, &lookup);

  // Drive the channel until the callback has run or the deadline passes. poll, not select: the
  // endpoint workers may hold more than FD_SETSIZE descriptors between them.
  while (!lookup.done) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          failure(absl::StrCat("timed out after ", Budget(deadline - start))));
    }
    ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel.get(), sockets, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    nfds_t count = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events == 0) continue;
      fds[count++] = {sockets[i], events, 0};
    }
    // Wake for c-ares's own retry timer or the deadline, whichever comes first.
    timeval max_wait = absl::ToTimeval(left);
    timeval wait_tv;
    const timeval* next = ares_timeout(channel.get(), &max_wait, &wait_tv);
    const int wait_ms =
        static_cast<int>(absl::ToInt64Milliseconds(absl::DurationFromTimeval(*next))) + 1;
    const int n = poll(fds, count, wait_ms);
    if (n < 0 && errno != EINTR) {
      return absl::UnavailableError(failure(absl::StrCat("poll: ", std::strerror(errno))));
    }
    if (n <= 0) {
      // Nothing ready: let c-ares expire and resend what timed out.
      ares_process_fd(channel.get(), ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      continue;
    }
    for (nfds_t i = 0; i < count; ++i) {
      const bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      const bool writable = (fds[i].revents & POLLOUT) != 0;
      ares_process_fd(channel.get(), readable ? fds[i].fd : ARES_SOCKET_BAD,
                      writable ? fds[i].fd : ARES_SOCKET_BAD);
    }
  }

  switch (lookup.status) {
    case ARES_SUCCESS:
      if (lookup.addresses.empty()) return absl::NotFoundError(failure("no address"));
      return std::move(lookup.addresses);
    case ARES_ENOTFOUND:
    case ARES_ENONAME:
      return absl::NotFoundError(failure("no such host"));
    case ARES_ENODATA:
      return absl::NotFoundError(failure("no address"));
    case ARES_ETIMEOUT:
      // c-ares ran out of tries before the deadline.
      return absl::DeadlineExceededError(
          failure(absl::StrCat("timed out after ", Budget(absl::Now() - start))));
    default:
      return absl::UnavailableError(failure(ares_strerror(lookup.status)));
  }
}

}  // namespace serialmatch::net
