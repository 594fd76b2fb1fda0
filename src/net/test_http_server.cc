#include "src/net/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace serialmatch::net {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::perror(what);
    std::abort();
  }
}

// A TCP socket bound to 127.0.0.1 on a port the kernel chooses, stored in `*port`.
int BindLoopback(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  Check(fd >= 0, "TestHttpServer: socket");
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  Check(bind(fd, reinterpret_cast<sockaddr*>(&addr), size) == 0, "TestHttpServer: bind");
  Check(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0,
        "TestHttpServer: getsockname");
  *port = ntohs(addr.sin_port);
  return fd;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

void SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went away: nothing more to answer
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

struct TestHttpServer::State {
  int listen_fd = -1;
  std::thread acceptor;
  mutable std::mutex mutex;
  std::map<std::string, Response> responses;
  std::map<std::string, int> counts;
  std::map<std::string, std::map<std::string, std::string>> last_headers;
  std::vector<std::thread> connections;
  std::vector<int> held;  // connections of `hang` responses, closed at destruction

  void Accept() {
    while (true) {
      const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;  // shut down
      std::lock_guard<std::mutex> lock(mutex);
      connections.emplace_back([this, fd] { Answer(fd); });
    }
  }

  void Answer(int fd) {
    timeval timeout = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < (1 << 20)) {
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    const size_t head_end = request.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      close(fd);
      return;
    }
    std::vector<absl::string_view> lines =
        absl::StrSplit(absl::string_view(request).substr(0, head_end), "\r\n");
    std::vector<absl::string_view> request_line = absl::StrSplit(lines[0], ' ');
    const std::string path = request_line.size() >= 2 ? std::string(request_line[1]) : "";
    std::map<std::string, std::string> headers;
    for (size_t i = 1; i < lines.size(); ++i) {
      const size_t colon = lines[i].find(':');
      if (colon == absl::string_view::npos) continue;  // not a header field; curl sends none
      headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
          std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    }
    Response response;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++counts[path];
      last_headers[path] = headers;
      if (auto it = responses.find(path); it != responses.end()) {
        response = it->second;
      } else {
        response.status = 404;
        response.body = "not found\n";
      }
      if (response.hang) {
        held.push_back(fd);
        return;
      }
    }
    if (response.delay > absl::ZeroDuration()) absl::SleepFor(response.delay);
    const auto inm = headers.find("if-none-match");
    const auto ims = headers.find("if-modified-since");
    const bool not_modified =
        response.status == 200 &&
        (inm != headers.end()
             ? !response.etag.empty() && (inm->second == response.etag || inm->second == "*")
             : ims != headers.end() && !response.last_modified.empty() &&
                   ims->second == response.last_modified);
    const int status = not_modified ? 304 : response.status;
    std::string head = absl::StrCat("HTTP/1.1 ", status, " ", Reason(status), "\r\n");
    if (!response.etag.empty()) absl::StrAppend(&head, "ETag: ", response.etag, "\r\n");
    if (!response.last_modified.empty()) {
      absl::StrAppend(&head, "Last-Modified: ", response.last_modified, "\r\n");
    }
    for (const auto& [name, value] : response.headers) {
      absl::StrAppend(&head, name, ": ", value, "\r\n");
    }
    const absl::string_view body = not_modified ? absl::string_view() : response.body;
    if (!response.no_content_length || not_modified) {
      absl::StrAppend(&head, "Content-Length: ", body.size(), "\r\n");
    }
    absl::StrAppend(&head, "Connection: close\r\n\r\n");
    SendAll(fd, head);
    SendAll(fd, body);
    shutdown(fd, SHUT_WR);
    // Reads what the client still sends until it closes, so closing here does not reset the
    // connection before the client has read the response.
    while (recv(fd, buffer, sizeof buffer, 0) > 0) {
    }
    close(fd);
  }
};

TestHttpServer::TestHttpServer() : state_(std::make_unique<State>()) {
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the test
  state_->listen_fd = BindLoopback(&port_);
  Check(listen(state_->listen_fd, 128) == 0, "TestHttpServer: listen");
  state_->acceptor = std::thread([this] { state_->Accept(); });
}

TestHttpServer::~TestHttpServer() {
  shutdown(state_->listen_fd, SHUT_RDWR);  // wakes accept()
  state_->acceptor.join();
  close(state_->listen_fd);
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    connections.swap(state_->connections);
    for (const int fd : state_->held) {
      shutdown(fd, SHUT_RDWR);
      close(fd);
    }
    state_->held.clear();
  }
  for (std::thread& t : connections) t.join();
}

void TestHttpServer::Serve(const std::string& path, Response response) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->responses[path] = std::move(response);
}

std::string TestHttpServer::Url(absl::string_view path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

int TestHttpServer::requests(const std::string& path) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const auto it = state_->counts.find(path);
  return it == state_->counts.end() ? 0 : it->second;
}

std::map<std::string, std::string> TestHttpServer::last_request_headers(
    const std::string& path) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const auto it = state_->last_headers.find(path);
  return it == state_->last_headers.end() ? std::map<std::string, std::string>{} : it->second;
}

RefusedPort::RefusedPort() { fd_ = BindLoopback(&port_); }

RefusedPort::~RefusedPort() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace serialmatch::net
