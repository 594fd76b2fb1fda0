// Test-only: an HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) serving registered paths,
// so fetch tests never touch the network. Each connection is answered on its own thread and then
// closed; everything stops when the server is destroyed. Dies on socket failure (tests only).
//
//   TestHttpServer server;
//   server.Serve("/r3.crl", {.body = crl_der, .etag = "\"v1\""});
//   FetchAll({{.url = server.Url("/r3.crl")}}, {});
//   server.requests("/r3.crl");  // 1; a request with If-None-Match: "v1" gets a 304
//
// A path not registered gets a 404.
#ifndef SERIALMATCH_SRC_NET_TEST_HTTP_SERVER_H_
#define SERIALMATCH_SRC_NET_TEST_HTTP_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace serialmatch::net {

class TestHttpServer {
 public:
  struct Response {
    int status = 200;
    std::string body;
    // Sent as ETag / Last-Modified; a request whose If-None-Match equals `etag` (or, without
    // If-None-Match, whose If-Modified-Since equals `last_modified`) is answered 304 without body.
    std::string etag;
    std::string last_modified;
    // Other headers, as written: {"Location", "/other"}, {"Content-Encoding", "gzip"}.
    std::vector<std::pair<std::string, std::string>> headers;
    absl::Duration delay = absl::ZeroDuration();  // before answering
    bool hang = false;                            // read the request and never answer
    bool no_content_length = false;               // end the body by closing the connection
  };

  TestHttpServer();
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  // Answers GETs of `path` (the request target as sent, "/a/b.crl?x=1") with `response` from now
  // on, replacing an earlier registration.
  void Serve(const std::string& path, Response response);

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>".
  std::string Url(absl::string_view path) const;
  // How many requests for `path` were received so far (answered or not).
  int requests(const std::string& path) const;
  // The header fields of the last request for `path`, names lowercased; empty if none came.
  std::map<std::string, std::string> last_request_headers(const std::string& path) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  int port_ = 0;
};

// A port on 127.0.0.1 that refuses connections for the life of the object: a socket bound to it
// that never listens, so no other process can take the port meanwhile.
class RefusedPort {
 public:
  RefusedPort();
  ~RefusedPort();
  RefusedPort(const RefusedPort&) = delete;
  RefusedPort& operator=(const RefusedPort&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace serialmatch::net

#endif  // SERIALMATCH_SRC_NET_TEST_HTTP_SERVER_H_
