#include "src/inventory/endpoints.h"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "src/base/file_util.h"
#include "src/base/name.h"
#include "src/base/text_encoding.h"
#include "src/inventory/openssl_util.h"
#include "src/net/resolver.h"

namespace serialmatch::inventory {
namespace {

using SslCtxPtr = OpenSslPtr<SSL_CTX, SSL_CTX_free>;
using SslPtr = OpenSslPtr<SSL, SSL_free>;

bool IsAddress(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

absl::StatusOr<std::string> ServerName(absl::string_view name) {
  std::string scratch;
  absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
  if (!normal.ok()) return normal.status();
  if (normal->find('*') != absl::string_view::npos) {
    return absl::InvalidArgumentError("a wildcard is not a server name");
  }
  return std::string(*normal);
}

// Waits until `fd` is ready for `events` or `deadline` passes; false on timeout.
bool WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p = {fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let the next call report the error
  }
}

// Connects to one of the endpoint's addresses before `deadline`, resolving its name first (the
// lookup counts against the same deadline); returns the socket or the error to report.
absl::StatusOr<int> Connect(const Endpoint& e, absl::Time deadline, const std::string& dns_server) {
  absl::StatusOr<std::vector<net::ResolvedAddress>> addresses =
      net::Resolve(e.connect_host, e.port, deadline, {.dns_server = dns_server});
  if (!addresses.ok()) return addresses.status();
  std::string error = "no address";
  for (const net::ResolvedAddress& a : *addresses) {
    const int fd = socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = absl::StrCat("socket: ", std::strerror(errno));
      continue;  // the next address may be of a family this host supports
    }
    int so_error = 0;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&a.address), a.size) != 0) {
      so_error = errno;
      if (so_error == EINPROGRESS) {
        if (!WaitFor(fd, POLLOUT, deadline)) {
          close(fd);
          error = "timed out connecting";
          break;
        }
        socklen_t size = sizeof(so_error);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &size);
      }
    }
    if (so_error != 0) {
      close(fd);
      error = absl::StrCat("connect: ", std::strerror(so_error));
      continue;  // try the next address
    }
    return fd;
  }
  return absl::UnavailableError(error);
}

EndpointResult FetchOne(const Endpoint& e, SSL_CTX* ctx, const FetchOptions& options) {
  EndpointResult result;
  const absl::Time deadline = absl::Now() + options.timeout;
  absl::StatusOr<int> connected = Connect(e, deadline, options.dns_server);
  if (!connected.ok()) {
    result.error = std::string(connected.status().message());
    return result;
  }
  const ScopedFd fd(*connected);
  SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
    result.error = std::string(OpenSslError("cannot set up TLS").message());
    return result;
  }
  if (!e.server_name.empty()) {
    SSL_set_tlsext_host_name(ssl.get(), e.server_name.c_str());
    SSL_set1_host(ssl.get(), e.server_name.c_str());  // checked into the verification result
  }
  ERR_clear_error();
  while (true) {
    const int rc = SSL_connect(ssl.get());
    if (rc == 1) break;
    const int err = SSL_get_error(ssl.get(), rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!WaitFor(fd.get(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
        result.error = "timed out in the TLS handshake";
        ERR_clear_error();
        return result;
      }
      continue;
    }
    if (err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN) {
      result.error = errno != 0 && err == SSL_ERROR_SYSCALL
                         ? absl::StrCat("TLS handshake: ", std::strerror(errno))
                         : "connection closed during the TLS handshake (not a TLS server?)";
      ERR_clear_error();
    } else {
      result.error = std::string(OpenSslError("TLS handshake failed").message());
    }
    return result;
  }
  X509Ptr peer(SSL_get1_peer_certificate(ssl.get()));
  if (!peer) {
    result.error = "the server presented no certificate";
    return result;
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509(peer.get(), &der);
  absl::StatusOr<Certificate> cert =
      size > 0 ? DescribeDerCertificate(absl::string_view(reinterpret_cast<const char*>(der),
                                                          static_cast<size_t>(size)),
                                        &result.undecoded)
               : absl::StatusOr<Certificate>(OpenSslError("cannot encode the certificate"));
  OPENSSL_free(der);
  if (!cert.ok()) {
    result.error = absl::StrCat("unreadable certificate: ", cert.status().message());
    return result;
  }
  cert->endpoint = e.input;
  cert->line = e.line;
  const long verify = SSL_get_verify_result(ssl.get());
  cert->verification = verify == X509_V_OK ? "ok" : X509_verify_cert_error_string(verify);
  result.certificate = *std::move(cert);
  SSL_shutdown(ssl.get());  // best effort: a close_notify, without waiting for the reply
  return result;
}

}  // namespace

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  Endpoint e;
  e.input = std::string(absl::StripAsciiWhitespace(text));
  absl::string_view rest = e.input;
  std::optional<std::string> sni;
  if (const size_t at = rest.find('@'); at != absl::string_view::npos) {
    absl::StatusOr<std::string> name = ServerName(rest.substr(0, at));
    if (!name.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("server name before '@': ", name.status().message()));
    }
    sni = *name;
    rest = rest.substr(at + 1);
  }
  absl::string_view host = rest;
  absl::string_view port;
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("no ']' after '['");
    host = rest.substr(1, close - 1);
    const absl::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return absl::InvalidArgumentError("expected ':port' after ']'");
      port = after.substr(1);
    }
    if (!IsAddress(std::string(host))) {
      return absl::InvalidArgumentError("brackets hold an IPv6 address");
    }
  } else if (const size_t colon = rest.find(':'); colon != absl::string_view::npos) {
    if (rest.find(':', colon + 1) != absl::string_view::npos) {
      return absl::InvalidArgumentError("an IPv6 address needs brackets: [2001:db8::1]:443");
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return absl::InvalidArgumentError("no host");
  if (!port.empty() || rest.back() == ':') {
    uint32_t number = 0;
    if (!absl::SimpleAtoi(port, &number) || number < 1 || number > 65535 ||
        !absl::ascii_isdigit(static_cast<unsigned char>(port[0]))) {
      return absl::InvalidArgumentError(absl::StrCat("bad port '", QuoteForMessage(port), "'"));
    }
    e.port = static_cast<uint16_t>(number);
  }
  e.connect_host = std::string(host);
  if (sni.has_value()) {
    e.server_name = *sni;
  } else if (!IsAddress(e.connect_host)) {
    absl::StatusOr<std::string> name = ServerName(host);
    if (!name.ok()) return name.status();
    e.server_name = *name;
    e.connect_host = *name;
  }
  return e;
}

absl::StatusOr<std::vector<Endpoint>> ParseEndpointList(absl::string_view text,
                                                        const std::string& path,
                                                        Diagnostics* diags) {
  std::vector<Endpoint> endpoints;
  uint64_t line = 0;
  const std::string utf8 = ToUtf8Text(std::string(text));
  text = utf8;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line;
    absl::string_view value = raw.substr(0, raw.find('#'));
    value = absl::StripAsciiWhitespace(value);
    if (value.empty()) continue;  // a blank or comment line names no endpoint
    absl::StatusOr<Endpoint> e = ParseEndpoint(value);
    if (!e.ok()) {
      diags->Report(line,
                    absl::StrCat(e.status().message(), ", got '", QuoteForMessage(value), "'"));
      continue;
    }
    e->line = line;
    endpoints.push_back(*std::move(e));
  }
  if (endpoints.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no valid endpoint"));
  }
  return endpoints;
}

std::vector<EndpointResult> FetchCertificates(absl::Span<const Endpoint> endpoints,
                                              const FetchOptions& options) {
  // A server closing the connection while the handshake writes must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<EndpointResult> results(endpoints.size());
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    const std::string error(OpenSslError("cannot create a TLS context").message());
    for (EndpointResult& r : results) r.error = error;
    return results;
  }
  // See what is served, however old: verification is reported, never enforced.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_default_verify_paths(ctx.get());
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  ERR_clear_error();

  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  size_t done = 0;
  auto work = [&] {
    for (size_t i = next++; i < endpoints.size(); i = next++) {
      results[i] = FetchOne(endpoints[i], ctx.get(), options);
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(++done);
      }
    }
  };
  const size_t workers =
      std::min<size_t>(endpoints.size(), static_cast<size_t>(std::max(1, options.concurrency)));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace serialmatch::inventory
