// Test-only: a throwaway certificate authority that issues leaf certificates with chosen serials,
// names and validity, so tests never depend on downloaded certificates. Dies on OpenSSL failure
// (tests only).
//
//   TestCa ca("Test CA R3");
//   std::string der = ca.Issue({.serial_hex = "00876543", .names = {"example.com"}});
//   std::string pem = TestCa::ToPem(der);
#ifndef SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_
#define SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_

#include <string>
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
};

class TestCa {
 public:
  explicit TestCa(std::string common_name = "serialmatch Test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // A DER leaf certificate signed by this CA, with a fresh P-256 key.
  std::string Issue(const TestCertSpec& spec) const;

  // The CA's own self-signed certificate, DER.
  const std::string& certificate() const { return certificate_; }
  // A PEM private key (of a fresh key), to put beside certificates in test files.
  static std::string PrivateKeyPem();
  // `der` as a PEM CERTIFICATE block.
  static std::string ToPem(absl::string_view der);

 private:
  std::string common_name_;
  void* key_;  // EVP_PKEY*, kept opaque so tests need not include OpenSSL
  std::string certificate_;
};

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_TEST_CERTS_H_
