// Test-only: a throwaway certificate authority that issues leaf certificates with chosen serials,
// names and validity, so tests never depend on downloaded certificates. Dies on OpenSSL failure
// (tests only).
//
//   TestCa ca("Test CA R3");
//   std::string der = ca.IssueLeaf("00876543", {"example.com"});
//   std::string pem = TestCa::ToPem(der);
#ifndef SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_
#define SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace serialmatch::inventory {

struct TestCertSpec {
  std::string serial_hex = "01";
  std::vector<std::string> names;  // SAN dNSNames (A-labels, as certificates carry them)
  std::string subject_cn;          // empty: the first name, if any
  absl::Time not_before = absl::FromUnixSeconds(1577836800);  // 2020-01-01T00:00:00Z
  absl::Time not_after = absl::FromUnixSeconds(1585612800);   // 2020-03-31T00:00:00Z
  std::string authority_key_id;  // raw bytes; empty: the CA's own key identifier
  // CRL Distribution Points, one point per entry, in order; none: no extension. An entry is the
  // point's fullName URIs separated by spaces ("http://a/1.crl ldap://b/c"); a name written
  // "dns:crl.example" is a dNSName instead of a URI, and an entry "relative:Shard 1" is a point
  // with only nameRelativeToCRLIssuer (CN=Shard 1).
  std::vector<std::string> crl_urls;
};

// One revokedCertificates entry of a test CRL.
struct TestCrlEntry {
  std::string serial_hex = "01";  // as BN_hex2bn reads it; "-ff" is a negative serial
  // Times before 2050 are encoded as UTCTime, later ones as GeneralizedTime (RFC 5280).
  absl::Time revoked_at = absl::FromUnixSeconds(1722340800);  // 2024-07-30T12:00:00Z
  std::optional<int> reason;  // CRLReason code; none: no reasonCode extension
};

// A CRL for TestCa::IssueCrl.
struct TestCrlSpec {
  std::vector<TestCrlEntry> entries;  // none: no revokedCertificates element
  absl::Time this_update = absl::FromUnixSeconds(1722340800);                 // 2024-07-30T12Z
  std::optional<absl::Time> next_update = absl::FromUnixSeconds(1722945600);  // 2024-08-06T12Z
  std::string crl_number = "1";    // decimal; empty: no cRLNumber extension
  bool authority_key_id = true;    // the CA's key identifier (TestCa::KeyIdHex()) as AKI
  std::string distribution_point;  // issuingDistributionPoint fullName URI; empty: none
};

class TestCa {
 public:
  explicit TestCa(std::string common_name = "serialmatch Test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // A DER leaf certificate signed by this CA, with a fresh P-256 key.
  std::string Issue(const TestCertSpec& spec) const { return Issue(spec, nullptr); }
  // The same for a leaf with serial `serial_hex` and SAN `names`, the rest of TestCertSpec's
  // defaults.
  std::string IssueLeaf(const std::string& serial_hex, std::vector<std::string> names = {}) const {
    TestCertSpec spec;
    spec.serial_hex = serial_hex;
    spec.names = std::move(names);
    return Issue(spec);
  }
  // The same, also giving the leaf's private key as PEM.
  std::string Issue(const TestCertSpec& spec, std::string* key_pem) const;

  // A v2 CRL of this CA (issuer: the CA's name), signed by its key with ECDSA-SHA256, DER; `pem`
  // gives it as a PEM X509 CRL block. Entries appear in the order of `spec.entries`. A TestCa of
  // the same common name but another key (`TestCa other("same CN")`) issues CRLs with the same
  // issuer whose signatures do not verify with this CA's key.
  std::string IssueCrl(const TestCrlSpec& spec, bool pem = false) const;
  // The key identifier leaves and CRLs of this CA carry as authority key identifier, lowercase hex.
  std::string KeyIdHex() const;

  // The CA's own self-signed certificate, DER.
  const std::string& certificate() const { return certificate_; }
  // A PEM private key (of a fresh key), to put beside certificates in test files.
  static std::string PrivateKeyPem();
  // `der` as a PEM CERTIFICATE block.
  static std::string ToPem(absl::string_view der);
  // The DER certificates `ders` in a "certs-only" PKCS#7 SignedData bundle (what .p7b and .p7c
  // files hold), DER; `pem` gives it as a PEM PKCS7 block instead.
  static std::string ToPkcs7(const std::vector<std::string>& ders, bool pem = false);

 private:
  std::string common_name_;
  void* key_;  // EVP_PKEY*, kept opaque so tests need not include OpenSSL
  std::string certificate_;
};

// A TLS server on 127.0.0.1 for endpoint tests: presents, for each connection, the certificate
// registered for the SNI name the client sent (or the default one), completes the handshake and
// closes. Runs on its own thread until destroyed.
class TestTlsServer {
 public:
  struct Served {
    std::string der;
    std::string key_pem;
  };
  // `by_name`: certificates by SNI name; `fallback` for other names and no SNI.
  TestTlsServer(std::vector<std::pair<std::string, Served>> by_name, Served fallback);
  ~TestTlsServer();
  TestTlsServer(const TestTlsServer&) = delete;
  TestTlsServer& operator=(const TestTlsServer&) = delete;

  int port() const { return port_; }

 private:
  void Serve();
  struct State;
  State* state_;
  int port_ = 0;
};

// A port on 127.0.0.1 that accepts TCP connections and never says anything (for timeouts); closed
// when destroyed.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A TCP socket listening on 127.0.0.1 on a free port, which it stores in `*port`; the caller closes
// it.
int ListenOnLoopback(int* port);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_
