// Live endpoints: the certificate each TLS server actually presents, fetched concurrently, so the
// join can say whether what is being served right now is the listed certificate.
//
//   host                     port 443, SNI host
//   host:8443                SNI host
//   192.0.2.7:443            no SNI (an address is not a server name)
//   [2001:db8::1]:443        IPv6
//   www.example.com@192.0.2.7:443   connect to the address, send www.example.com as SNI
//
//   Diagnostics diags("endpoints.txt");
//   absl::StatusOr<std::vector<Endpoint>> list = ParseEndpointList(text, "endpoints.txt", &diags);
//   std::vector<EndpointResult> results = FetchCertificates(*list, {.timeout = absl::Seconds(5)});
//
// The certificate is taken whatever its chain: an untrusted, expired or misnamed certificate is
// still what is served, so verification problems are reported in `verification`, not as failures.
#ifndef SERIALMATCH_SRC_INVENTORY_ENDPOINTS_H_
#define SERIALMATCH_SRC_INVENTORY_ENDPOINTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {

struct Endpoint {
  std::string input;         // as written, trimmed
  std::string server_name;   // sent as SNI; empty for an address
  std::string connect_host;  // name or address to connect to
  uint16_t port = 443;
  uint64_t line = 0;
};

// Parses an endpoint list (UTF-8, or UTF-16 as ToUtf8Text reads it): one endpoint per line, '#'
// comments and blank lines allowed. Invalid lines go to `diags`. Fails when no endpoint remains.
[[nodiscard]] absl::StatusOr<std::vector<Endpoint>> ParseEndpointList(absl::string_view text,
                                                                      const std::string& path,
                                                                      Diagnostics* diags);

// Parses one endpoint (without comments); the error says what is wrong with it.
[[nodiscard]] absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text);

struct FetchOptions {
  absl::Duration timeout = absl::Seconds(5);  // per endpoint: resolve, connect and handshake
  int concurrency = 64;                       // endpoints in flight at once
  // The DNS server to resolve names with, "ADDR[:PORT]" (net::ResolveOptions); empty for the
  // system's (/etc/resolv.conf). /etc/hosts is read first either way.
  std::string dns_server;
  // Called after each endpoint completes (from worker threads, serialised), with the number done.
  std::function<void(size_t done)> progress;
};

struct EndpointResult {
  // The leaf presented, with `endpoint`, `line` and `verification` set; unset on failure.
  std::optional<Certificate> certificate;
  // Why no certificate was obtained: "connect: Connection refused", "resolve www.example.com:
  // timed out after 5s", ...
  std::string error;
  // What of the certificate could not be decoded, which is then judged by serial and issuer only
  // ("subject alternative names not decodable; judged by serial only"): see ReadX509Certificate.
  std::vector<std::string> undecoded;
};

// Connects to every endpoint (TLS 1.2 or 1.3, SNI as given) and describes the leaf certificate it
// presents. results[i] belongs to endpoints[i]; the certificate's `path` is left for the caller
// (the endpoint list's). Never fails as a whole.
std::vector<EndpointResult> FetchCertificates(absl::Span<const Endpoint> endpoints,
                                              const FetchOptions& options);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_ENDPOINTS_H_
