#include "src/net/test_dns_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace serialmatch::net {
namespace {

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::abort();
}

constexpr uint16_t kTypeA = 1;
constexpr int kHeaderSize = 12;

uint16_t Get16(const std::string& s, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(s[at]) << 8) |
                               static_cast<unsigned char>(s[at + 1]));
}

void Put16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v >> 8));
  s->push_back(static_cast<char>(v & 0xff));
}

// The answer to `query`, or "" when it is not a well-formed one-question query (then it is
// dropped, as a server would).
std::string Answer(const std::string& query, const std::map<std::string, std::string>& records) {
  if (query.size() < kHeaderSize || Get16(query, 4) != 1) return "";
  // The question: labels up to the root, then QTYPE and QCLASS.
  std::string name;
  size_t at = kHeaderSize;
  while (at < query.size() && query[at] != 0) {
    const size_t length = static_cast<unsigned char>(query[at]);
    if (length > 63 || at + 1 + length > query.size()) return "";  // compression or truncated
    if (!name.empty()) name.push_back('.');
    name.append(query, at + 1, length);
    at += 1 + length;
  }
  if (at + 5 > query.size()) return "";
  const size_t question_end = at + 5;
  const uint16_t type = Get16(query, at + 1);
  name = absl::AsciiStrToLower(name);

  const auto found = records.find(name);
  std::string reply = query.substr(0, 2);  // the ID
  // QR, opcode 0, AA, RD copied, RA; rcode NXDOMAIN (3) for unknown names.
  const uint16_t rd = static_cast<uint16_t>(Get16(query, 2) & 0x0100);
  Put16(&reply, static_cast<uint16_t>(0x8480 | rd | (found == records.end() ? 3 : 0)));
  const bool answer = found != records.end() && type == kTypeA;
  Put16(&reply, 1);               // QDCOUNT
  Put16(&reply, answer ? 1 : 0);  // ANCOUNT
  Put16(&reply, 0);               // NSCOUNT
  Put16(&reply, 0);               // ARCOUNT
  reply.append(query, kHeaderSize, question_end - kHeaderSize);
  if (answer) {
    in_addr address;
    if (inet_pton(AF_INET, found->second.c_str(), &address) != 1) Die("test DNS record address");
    Put16(&reply, 0xC000 | kHeaderSize);  // the name, as a pointer to the question's
    Put16(&reply, kTypeA);
    Put16(&reply, 1);  // IN
    Put16(&reply, 0);  // TTL, 60 s
    Put16(&reply, 60);
    Put16(&reply, 4);
    reply.append(reinterpret_cast<const char*>(&address), 4);
  }
  return reply;
}

}  // namespace

TestDnsServer::TestDnsServer(Mode mode, std::map<std::string, std::string> a_records)
    : mode_(mode), a_records_(std::move(a_records)) {
  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) Die("test DNS socket");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    Die("test DNS bind");
  }
  socklen_t size = sizeof(address);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) Die("getsockname");
  port_ = ntohs(address.sin_port);
  if (pipe2(stop_, O_CLOEXEC) != 0) Die("test DNS pipe");
  thread_ = std::thread([this] { Serve(); });
}

TestDnsServer::~TestDnsServer() {
  const char byte = 0;
  if (write(stop_[1], &byte, 1) != 1) Die("test DNS stop");
  thread_.join();
  close(fd_);
  close(stop_[0]);
  close(stop_[1]);
}

std::string TestDnsServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

void TestDnsServer::Serve() {
  while (true) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      Die("test DNS poll");
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    char buffer[512];
    sockaddr_storage from = {};
    socklen_t from_size = sizeof(from);
    const ssize_t n =
        recvfrom(fd_, buffer, sizeof(buffer), 0, reinterpret_cast<sockaddr*>(&from), &from_size);
    if (n < 0) continue;  // a transient error (ICMP from an earlier reply): wait for the next query
    ++queries_;
    if (mode_ == Mode::kSilent) continue;  // the point of this mode: read, never answer
    const std::string reply = Answer(std::string(buffer, static_cast<size_t>(n)), a_records_);
    if (reply.empty()) continue;  // malformed: dropped, as a real server would
    sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_size);
  }
}

}  // namespace serialmatch::net
