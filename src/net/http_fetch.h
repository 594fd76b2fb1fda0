// HTTP(S) GETs of many URLs at once (libcurl's multi interface on the calling thread), each within
// a deadline, for fetching CRLs named by certificates' CRL Distribution Points.
//
//   std::vector<HttpRequest> requests = {{.url = "http://r3.c.lencr.org/17.crl"},
//                                        {.url = "http://c.example/1.crl", .etag = "\"v7\""}};
//   std::vector<FetchResult> results = FetchAll(requests, {.timeout = absl::Seconds(5)});
//   for (const FetchResult& r : results) {
//     if (!r.ok()) ...        // r.error: "HTTP 404", "timed out after 5 s", "connection refused"
//     if (r.not_modified) ... // 304: the caller's copy (its etag) is current; r.body is empty
//   }
//
// Only http:// and https:// URLs are fetched, and redirects are followed only to those; anything
// else (ldap://, file://, a malformed URL) is an error result without any network access. HTTPS
// verifies the server against the system's trust store. The proxy environment variables
// (http_proxy, https_proxy, no_proxy) are honoured, as by curl(1).
#ifndef SERIALMATCH_SRC_NET_HTTP_FETCH_H_
#define SERIALMATCH_SRC_NET_HTTP_FETCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace serialmatch::net {

struct HttpRequest {
  std::string url;
  // Validators of a copy the caller already holds (both may be empty): sent as If-None-Match and
  // If-Modified-Since, so an unchanged resource comes back as a 304 without a body. A validator
  // holding a line break is not sent.
  std::string etag;
  std::string last_modified;
};

struct HttpFetchOptions {
  // Per transfer, from its start: resolving, connecting, TLS, redirects and the whole body. The
  // connect phase alone is bounded by the same value.
  absl::Duration timeout = absl::Seconds(5);
  int concurrency = 16;                      // transfers in flight at once (at least 1)
  uint64_t max_bytes = uint64_t{256} << 20;  // largest body accepted, after decoding
  int max_redirects = 5;                     // Location hops followed (http and https only)
  // Called after each transfer completes (on the calling thread), with the number done so far.
  std::function<void(size_t done)> progress;
};

struct FetchResult {
  std::string url;            // as requested
  std::string effective_url;  // the last URL fetched (after redirects); empty when none was
  int http_status = 0;        // of the last response; 0 when none was received
  bool not_modified = false;  // a 304 to a conditional request: the caller's copy is current
  std::string body;           // the decoded body of a 200; empty otherwise
  std::string etag;           // validators of the last response, as sent; empty when absent
  std::string last_modified;
  // Empty on success (a 200, or a 304 to a conditional request); otherwise a short reason without
  // the URL: "HTTP 404", "timed out after 5 s", "connection refused", "could not resolve host",
  // "unsupported scheme 'ldap' (only http and https are fetched)", "body larger than N bytes".
  std::string error;

  bool ok() const { return error.empty(); }
};

// Fetches every request with GET, options.concurrency at a time, following redirects and accepting
// gzip and deflate Content-Encoding; sends User-Agent UserAgent(). results[i] belongs to
// requests[i] (a URL given twice is fetched twice: callers pass distinct URLs). Never fails as a
// whole; thread-safe (each call has its own handles).
std::vector<FetchResult> FetchAll(absl::Span<const HttpRequest> requests,
                                  const HttpFetchOptions& options);

// "serialmatch/<project version>", the User-Agent sent.
absl::string_view UserAgent();

// "5 s", "1.5 s", "250 ms": a duration as the error messages write it.
std::string FormatSeconds(absl::Duration d);

}  // namespace serialmatch::net

#endif  // SERIALMATCH_SRC_NET_HTTP_FETCH_H_
