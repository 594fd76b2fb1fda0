// Test-only: a DNS server on 127.0.0.1 UDP (port chosen by the kernel), so resolver tests never
// touch the network. In kAnswer mode it answers A queries for the registered names with their
// address, AAAA queries for them with no data, and everything else with NXDOMAIN; in kSilent mode
// it reads every query and never answers. Stops when destroyed. Dies on socket failure.
//
//   TestDnsServer dns(TestDnsServer::Mode::kAnswer, {{"tls.serialmatch.test", "127.0.0.1"}});
//   Resolve("tls.serialmatch.test", 443, deadline, {.dns_server = dns.address()});
#ifndef SERIALMATCH_SRC_NET_TEST_DNS_SERVER_H_
#define SERIALMATCH_SRC_NET_TEST_DNS_SERVER_H_

#include <atomic>
#include <map>
#include <string>
#include <thread>

namespace serialmatch::net {

class TestDnsServer {
 public:
  enum class Mode { kAnswer, kSilent };
  // `a_records`: lowercase name (no trailing dot) to dotted IPv4 address.
  TestDnsServer(Mode mode, std::map<std::string, std::string> a_records);
  ~TestDnsServer();
  TestDnsServer(const TestDnsServer&) = delete;
  TestDnsServer& operator=(const TestDnsServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>", as --dns-server takes it.
  std::string address() const;
  // Queries received so far (answered or not).
  int queries() const { return queries_.load(); }

 private:
  void Serve();

  const Mode mode_;
  const std::map<std::string, std::string> a_records_;
  int fd_ = -1;
  int stop_[2] = {-1, -1};  // a pipe: writing to it ends Serve()
  int port_ = 0;
  std::atomic<int> queries_{0};
  std::thread thread_;
};

}  // namespace serialmatch::net

#endif  // SERIALMATCH_SRC_NET_TEST_DNS_SERVER_H_
