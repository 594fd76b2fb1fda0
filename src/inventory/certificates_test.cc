#include "src/inventory/certificates.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"
#include "src/inventory/openssl_util.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// RFC 9773 §4.1's example.
const std::string kRfcKeyId = absl::HexStringToBytes("69885b6b87464041e1b37b847ba0ae2cde01c8d4");

TEST(AriCertIdTest, MatchesTheRfcExample) {
  EXPECT_EQ(AriCertId(kRfcKeyId, absl::HexStringToBytes("0087654321")),
            "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

TEST(DescribeCertificateTest, HighBitSerialGivesTheRfcIdentifier) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "87654321";
  spec.names = {"example.com"};
  spec.authority_key_id = kRfcKeyId;
  absl::StatusOr<Certificate> cert = DescribeDerCertificate(ca.Issue(spec));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->serial, "87654321");
  EXPECT_EQ(cert->authority_key_id, "69885b6b87464041e1b37b847ba0ae2cde01c8d4");
  EXPECT_EQ(cert->ari_cert_id, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

TEST(DescribeCertificateTest, ReadsNamesDatesIssuerAndDigests) {
  TestCa ca("Test R3");
  TestCertSpec spec;
  spec.serial_hex = "03e2267b786b7e338317ddd62e764fcb3c71";
  spec.names = {"www.example.com", "*.Example.com", "xn--mnchen-3ya.de", "www.example.com"};
  spec.not_before = absl::FromUnixSeconds(1583020800);  // 2020-03-01
  const std::string der = ca.Issue(spec);
  absl::StatusOr<Certificate> cert = DescribeDerCertificate(der);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->serial, "03e2267b786b7e338317ddd62e764fcb3c71");
  EXPECT_EQ(cert->issuer, "C=US, O=serialmatch tests, CN=Test R3");
  EXPECT_EQ(cert->issuer_cn, "Test R3");
  EXPECT_EQ(cert->subject_cn, "www.example.com");
  EXPECT_THAT(cert->names(), ElementsAre("www.example.com", "*.Example.com", "xn--mnchen-3ya.de",
                                         "www.example.com"));
  EXPECT_THAT(cert->match_names(),
              ElementsAre("www.example.com", "*.example.com", "xn--mnchen-3ya.de"));
  EXPECT_EQ(cert->not_before, absl::FromUnixSeconds(1583020800));
  EXPECT_EQ(cert->not_after, spec.not_after);
  EXPECT_EQ(cert->sha256.size(), 64u);
  EXPECT_EQ(cert->spki_sha256.size(), 64u);
  EXPECT_NE(cert->sha256, cert->spki_sha256);
  // A second certificate for the same names has its own key, so its own SPKI digest.
  absl::StatusOr<Certificate> other = DescribeDerCertificate(ca.Issue(spec));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->spki_sha256, cert->spki_sha256);
  EXPECT_EQ(other->authority_key_id, cert->authority_key_id);
}

TEST(DescribeCertificateTest, CaCertificateKeepsItsKeyLeavesDoNot) {
  const TestCa ca("Issuer CA");
  const absl::StatusOr<Certificate> root = DescribeDerCertificate(ca.certificate());
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_TRUE(root->is_ca);
  EXPECT_EQ(root->subject, "C=US, O=serialmatch tests, CN=Issuer CA");
  EXPECT_FALSE(root->public_key_der.empty());
  const absl::StatusOr<Certificate> leaf =
      DescribeDerCertificate(ca.IssueLeaf("05", {"a.example"}));
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_FALSE(leaf->is_ca);
  EXPECT_TRUE(leaf->public_key_der.empty());
  // The CA's subject key identifier is what its certificates name as their authority's.
  EXPECT_EQ(root->subject_key_id, leaf->authority_key_id);
}

// The signed part, algorithm and signature of a DER certificate, as a CRL gives them.
struct SignedParts {
  std::string tbs, algorithm, signature;
};
SignedParts Split(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  SignedParts parts;
  unsigned char* buffer = nullptr;
  int size = i2d_re_X509_tbs(x509.get(), &buffer);
  parts.tbs.assign(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(&signature, &algorithm, x509.get());
  buffer = nullptr;
  size = i2d_X509_ALGOR(algorithm, &buffer);
  parts.algorithm.assign(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  parts.signature.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature)),
                         static_cast<size_t>(ASN1_STRING_length(signature)));
  return parts;
}

TEST(VerifySignatureTest, ValidInvalidAndOtherKey) {
  const TestCa ca("Signer");
  const TestCa other("Signer");  // the same name, another key
  const std::string key = DescribeDerCertificate(ca.certificate())->public_key_der;
  const std::string other_key = DescribeDerCertificate(other.certificate())->public_key_der;
  SignedParts parts = Split(ca.IssueLeaf("07"));
  EXPECT_EQ(VerifySignature(parts.tbs, parts.algorithm, parts.signature, key).value_or(false),
            true);
  EXPECT_EQ(VerifySignature(parts.tbs, parts.algorithm, parts.signature, other_key).value_or(true),
            false);
  parts.tbs[parts.tbs.size() / 2] ^= 1;
  EXPECT_EQ(VerifySignature(parts.tbs, parts.algorithm, parts.signature, key).value_or(true),
            false);
  EXPECT_FALSE(VerifySignature(parts.tbs, "\x30\x00", parts.signature, key).ok());
  EXPECT_FALSE(VerifySignature(parts.tbs, parts.algorithm, parts.signature, "junk").ok());
}

TEST(DescribeCertificateTest, WithoutSanMatchesBySubjectCommonName) {
  TestCa ca;
  TestCertSpec spec;
  spec.subject_cn = "Legacy.Example.org";
  absl::StatusOr<Certificate> cert = DescribeDerCertificate(ca.Issue(spec));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_TRUE(cert->names().empty());
  EXPECT_THAT(cert->match_names(), ElementsAre("legacy.example.org"));
}

TEST(DescribeCertificateTest, CrlUrlsAreTheFullNameUrisInOrderWithoutRepeats) {
  TestCa ca;
  TestCertSpec spec;
  spec.names = {"example.com"};
  spec.crl_urls = {"http://crl.example/b.crl",
                   "relative:Shard 7",  // only nameRelativeToCRLIssuer: nothing to fetch
                   "dns:crl.example http://crl.example/a.crl ldap://ldap.example/cn=CA",
                   "http://crl.example/b.crl", "dns:only-a-dns-name.example"};
  absl::StatusOr<Certificate> cert = DescribeDerCertificate(ca.Issue(spec));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_THAT(cert->crl_urls, ElementsAre("http://crl.example/b.crl", "http://crl.example/a.crl",
                                          "ldap://ldap.example/cn=CA"));
}

TEST(DescribeCertificateTest, NoCrlDistributionPointsGiveNoUrls) {
  TestCa ca;
  TestCertSpec spec;
  spec.names = {"example.com"};
  absl::StatusOr<Certificate> cert = DescribeDerCertificate(ca.Issue(spec));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_TRUE(cert->crl_urls.empty());
}

TEST(ParseCertificateFileTest, CrlUrlsAreReadFromPemFiles) {
  TestCa ca;
  TestCertSpec spec;
  spec.names = {"example.com"};
  spec.crl_urls = {"http://r3.c.lencr.org/17.crl"};
  CertificateInventory inventory;
  Diagnostics diags;
  ASSERT_EQ(ParseCertificateFile(TestCa::ToPem(ca.Issue(spec)), "a.pem", &inventory, &diags), 1u);
  EXPECT_THAT(inventory.certificates[0].crl_urls, ElementsAre("http://r3.c.lencr.org/17.crl"));
}

TEST(ParseCertificateFileTest, BundleSkipsKeysAndNumbersLines) {
  TestCa ca;
  TestCertSpec a;
  a.serial_hex = "0a";
  a.names = {"a.example"};
  TestCertSpec b;
  b.serial_hex = "0b";
  b.names = {"b.example"};
  const std::string key = TestCa::PrivateKeyPem();
  const std::string first = TestCa::ToPem(ca.Issue(a));
  const std::string content =
      absl::StrCat(key, first, "junk between blocks\n", TestCa::ToPem(ca.Issue(b)));
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile(content, "bundle.pem", &inventory, &diags), 2u);
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(inventory.certificates.size(), 2u);
  EXPECT_EQ(inventory.certificates[0].serial, "0a");
  const uint64_t key_lines = std::count(key.begin(), key.end(), '\n');
  EXPECT_EQ(inventory.certificates[0].line, key_lines + 1);
  EXPECT_EQ(inventory.certificates[1].line,
            key_lines + std::count(first.begin(), first.end(), '\n') + 2);
  EXPECT_EQ(inventory.certificates[1].path, "bundle.pem");
  EXPECT_TRUE(inventory.skipped.empty());
}

TEST(ParseCertificateFileTest, KeyOnlyFileIsListedAsSkipped) {
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile(TestCa::PrivateKeyPem(), "privkey.pem", &inventory, &diags), 0u);
  EXPECT_EQ(diags.count(), 0u);
  EXPECT_THAT(inventory.skipped, ElementsAre("privkey.pem (PRIVATE KEY)"));
}

TEST(ParseCertificateFileTest, ReadsDer) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "00ff01";
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile(ca.Issue(spec), "cert.der", &inventory, &diags), 1u);
  ASSERT_EQ(inventory.certificates.size(), 1u);
  EXPECT_EQ(inventory.certificates[0].serial, "ff01");
  EXPECT_EQ(inventory.certificates[0].line, 1u);
}

TEST(ParseCertificateFileTest, Pkcs7BundlesAreReadWhole) {
  TestCa ca;
  TestCertSpec spec;
  std::vector<std::string> ders;
  for (const char* serial : {"0a", "0b", "0c"}) {
    spec.serial_hex = serial;
    ders.push_back(ca.Issue(spec));
  }
  CertificateInventory inventory;
  Diagnostics diags;
  // DER, as a .p7b from Windows' certificate export or a CA's download page; the name says nothing.
  EXPECT_EQ(ParseCertificateFile(TestCa::ToPkcs7(ders), "chain.bin", &inventory, &diags), 3u);
  ASSERT_EQ(inventory.certificates.size(), 3u);
  EXPECT_EQ(inventory.certificates[2].serial, "0c");
  EXPECT_EQ(inventory.certificates[2].line, 1u);
  // PEM, after a key, with a trailing newline.
  const std::string key = TestCa::PrivateKeyPem();
  const std::string pem = absl::StrCat(key, TestCa::ToPkcs7({ders[0], ca.certificate()}, true));
  EXPECT_THAT(pem, HasSubstr("-----BEGIN PKCS7-----"));
  EXPECT_EQ(ParseCertificateFile(pem, "bundle.p7c", &inventory, &diags), 2u);
  ASSERT_EQ(inventory.certificates.size(), 5u);
  EXPECT_EQ(inventory.certificates[3].serial, "0a");
  EXPECT_EQ(inventory.certificates[3].line, std::count(key.begin(), key.end(), '\n') + 1);
  EXPECT_EQ(inventory.certificates[4].subject_cn, "serialmatch Test CA");
  EXPECT_EQ(inventory.certificates[4].path, "bundle.p7c");
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  EXPECT_TRUE(inventory.skipped.empty());
  EXPECT_EQ(inventory.not_certificates, 0u);
}

TEST(ParseCertificateFileTest, Pkcs7WithoutCertificatesIsReported) {
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile(TestCa::ToPkcs7({}), "empty.p7b", &inventory, &diags), 0u);
  EXPECT_EQ(ParseCertificateFile(TestCa::ToPkcs7({}, true), "empty.p7c", &inventory, &diags), 0u);
  EXPECT_EQ(diags.count(), 2u);
  EXPECT_THAT(diags.Render(), HasSubstr("empty.p7b: PKCS#7 bundle without certificates"));
  EXPECT_THAT(diags.Render(), HasSubstr("empty.p7c:1: PKCS#7 bundle without certificates"));
  EXPECT_EQ(inventory.not_certificates, 2u);
  EXPECT_TRUE(inventory.skipped.empty());
}

TEST(ParseCertificateFileTest, DerWithTrailingWhitespaceOrSeveralCertificates) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "0d";
  const std::string first = ca.Issue(spec);
  spec.serial_hex = "0e";
  const std::string second = ca.Issue(spec);
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile(first + "\n", "nl.der", &inventory, &diags), 1u);
  EXPECT_EQ(ParseCertificateFile(first + " \r\n\t\n", "spaces.der", &inventory, &diags), 1u);
  EXPECT_EQ(ParseCertificateFile(first + second + "\n", "two.der", &inventory, &diags), 2u);
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(inventory.certificates.size(), 4u);
  EXPECT_EQ(inventory.certificates[3].serial, "0e");
  // Junk after a certificate: the certificate is read, the junk reported.
  EXPECT_EQ(ParseCertificateFile(first + "junk", "junk.der", &inventory, &diags), 1u);
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(),
              HasSubstr("junk.der: the 4 bytes after the DER certificate ending at"));
  EXPECT_EQ(inventory.not_certificates, 0u);
}

TEST(ParseCertificateFileTest, ReportsJunkEmptyAndCorruptBlocks) {
  TestCa ca;
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(ParseCertificateFile("hello, not a certificate\n", "README", &inventory, &diags), 0u);
  EXPECT_EQ(ParseCertificateFile("", "empty.pem", &inventory, &diags), 0u);
  EXPECT_EQ(
      ParseCertificateFile(std::string("\x30\x82\x01\x00\x00junk", 9), "x.der", &inventory, &diags),
      0u);
  std::string corrupt = TestCa::ToPem(ca.Issue({}));
  corrupt[40] = corrupt[40] == 'A' ? 'B' : 'A';  // inside the base64 body
  corrupt[41] = '*';
  const std::string good = TestCa::ToPem(ca.Issue({}));
  EXPECT_EQ(ParseCertificateFile(absl::StrCat(corrupt, good, "-----BEGIN CERTIFICATE-----\nAAAA\n"),
                                 "mixed.pem", &inventory, &diags),
            1u);
  EXPECT_EQ(diags.count(), 5u);
  const std::string rendered = diags.Render();
  EXPECT_THAT(rendered, HasSubstr("README: not a certificate"));
  EXPECT_THAT(rendered, HasSubstr("empty.pem: empty file"));
  EXPECT_THAT(rendered, HasSubstr("x.der: not a certificate"));
  EXPECT_THAT(rendered, HasSubstr("mixed.pem:1: corrupt"));
  EXPECT_THAT(rendered, HasSubstr("has no END line"));
  EXPECT_EQ(inventory.certificates.size(), 1u);
  EXPECT_EQ(inventory.not_certificates, 3u);  // README, empty.pem, x.der
}

TEST(ParseCertificateFileTest, BeginLineNotAtALineStartIsReported) {
  TestCa ca;
  const std::string pem = TestCa::ToPem(ca.Issue({}));
  CertificateInventory inventory;
  Diagnostics diags;
  EXPECT_EQ(
      ParseCertificateFile(absl::StrCat(pem, "tls.crt: ", pem), "secret.yaml", &inventory, &diags),
      1u);
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(),
              HasSubstr(absl::StrCat("secret.yaml:", std::count(pem.begin(), pem.end(), '\n') + 1,
                                     ": '-----BEGIN ...' not at the start of a line; not read")));
}

class LoadCertificatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = TestTempPath("certs");
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ + "/live/example.com");
    std::filesystem::create_directories(root_ + "/archive");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& relative, absl::string_view content) {
    ASSERT_TRUE(WriteFileAtomically(root_ + "/" + relative, content).ok());
  }
  std::string root_;
};

TEST_F(LoadCertificatesTest, WalksTreesOnceAndReportsWhatIsNotACertificate) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "01";
  Write("archive/cert1.pem", TestCa::ToPem(ca.Issue(spec)));
  spec.serial_hex = "02";
  Write("live/example.com/fullchain.pem",
        absl::StrCat(TestCa::ToPem(ca.Issue(spec)), TestCa::ToPem(ca.certificate())));
  Write("live/example.com/privkey.pem", TestCa::PrivateKeyPem());
  Write("live/README", "This directory contains your keys and certificates.\n");
  // The same file through a link is read once; a dangling link and a FIFO are reported.
  std::filesystem::create_symlink(root_ + "/archive/cert1.pem",
                                  root_ + "/live/example.com/cert.pem");
  std::filesystem::create_symlink(root_ + "/nowhere.pem", root_ + "/live/dangling.pem");
  ASSERT_EQ(mkfifo((root_ + "/live/pipe").c_str(), 0600), 0);
  std::filesystem::create_symlink(root_, root_ + "/live/loop");  // a directory cycle
  // A hard link is the same file too, though nothing but its inode number says so.
  std::filesystem::create_hard_link(root_ + "/archive/cert1.pem", root_ + "/live/cert1-copy.pem");
  // Larger than any certificate file (sparse: nothing is written): reported, never read.
  {
    std::ofstream huge(root_ + "/live/huge.pem");
  }
  std::filesystem::resize_file(root_ + "/live/huge.pem", (uintmax_t{4} << 30) + 1);

  Diagnostics diags;
  absl::StatusOr<CertificateInventory> inventory = LoadCertificates({root_}, &diags);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->certificates.size(), 3u);
  EXPECT_EQ(inventory->certificates[0].path, root_ + "/archive/cert1.pem");
  EXPECT_THAT(inventory->certificates[0].also_at, ::testing::IsEmpty());  // read once
  EXPECT_EQ(inventory->certificates[1].serial, "02");
  EXPECT_EQ(inventory->certificates[2].subject_cn, "serialmatch Test CA");
  EXPECT_EQ(inventory->files, 4u);
  EXPECT_THAT(inventory->skipped,
              ElementsAre(root_ + "/live/example.com/privkey.pem (PRIVATE KEY)"));
  EXPECT_EQ(inventory->not_certificates, 1u);  // README
  EXPECT_EQ(inventory->unreadable, 3u);        // the dangling link, the FIFO, the huge file
  const std::string rendered = diags.Render();
  EXPECT_EQ(diags.count(), 4u) << rendered;
  EXPECT_THAT(rendered, HasSubstr("/live/huge.pem: 4294967297 bytes is too large for a "
                                  "certificate file; skipped"));
  EXPECT_THAT(rendered, HasSubstr("/live/README: not a certificate"));
  EXPECT_THAT(rendered, HasSubstr("/live/dangling.pem: cannot read"));
  EXPECT_THAT(rendered, HasSubstr("/live/pipe: not a regular file"));
  EXPECT_THAT(rendered, ::testing::Not(HasSubstr("PRIVATE KEY-----")));
}

// Root reads any file whatever its mode, so the files are read in a child process that runs as
// nobody when the test runs as root; it prints what it found for the parent to check.
TEST_F(LoadCertificatesTest, UnreadableFileIsADiagnostic) {
  TestCa ca;
  Write("secret.pem", TestCa::ToPem(ca.Issue({})));
  Write("ok.pem", TestCa::ToPem(ca.Issue({})));
  ASSERT_EQ(chmod((root_ + "/secret.pem").c_str(), 0), 0);
  EXPECT_EXIT(
      {
        constexpr uid_t kNobody = 65534;
        if (geteuid() == 0 &&
            (setgroups(0, nullptr) != 0 || setresgid(kNobody, kNobody, kNobody) != 0 ||
             setresuid(kNobody, kNobody, kNobody) != 0)) {
          _exit(3);
        }
        Diagnostics diags;
        absl::StatusOr<CertificateInventory> inventory = LoadCertificates({root_}, &diags);
        if (!inventory.ok()) _exit(4);
        std::fprintf(stderr, "%s%zu certificate(s)\n", diags.Render().c_str(),
                     inventory->certificates.size());
        _exit(diags.count() == 1 ? 0 : 5);
      },
      ::testing::ExitedWithCode(0), "/secret.pem: cannot open: Permission denied\n1 certificate");
}

TEST_F(LoadCertificatesTest, OneCertificateInSeveralFilesIsOneWithItsOtherPlaces) {
  TestCa ca;
  const std::string leaf = TestCa::ToPem(ca.Issue({}));
  const std::string chain = TestCa::ToPem(ca.certificate());
  Write("live/example.com/cert.pem", leaf);
  Write("live/example.com/chain.pem", chain);
  Write("live/example.com/fullchain.pem", absl::StrCat(leaf, chain));
  Write("archive/bundle.pem", absl::StrCat(chain, chain));  // twice in one file

  Diagnostics diags;
  absl::StatusOr<CertificateInventory> inventory = LoadCertificates({root_}, &diags);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  const uint64_t chain_line = 1 + std::count(leaf.begin(), leaf.end(), '\n');     // after the leaf
  const uint64_t second_line = 1 + std::count(chain.begin(), chain.end(), '\n');  // after the CA
  ASSERT_EQ(inventory->certificates.size(), 2u);
  // Read order: archive/ first, then cert.pem, chain.pem, fullchain.pem.
  const Certificate& ca_cert = inventory->certificates[0];
  EXPECT_EQ(ca_cert.path, root_ + "/archive/bundle.pem");
  EXPECT_TRUE(ca_cert.is_ca);
  EXPECT_THAT(ca_cert.also_at,
              ElementsAre(absl::StrCat(root_, "/archive/bundle.pem:", second_line),
                          root_ + "/live/example.com/chain.pem:1",
                          absl::StrCat(root_, "/live/example.com/fullchain.pem:", chain_line)));
  const Certificate& leaf_cert = inventory->certificates[1];
  EXPECT_EQ(leaf_cert.path, root_ + "/live/example.com/cert.pem");
  EXPECT_FALSE(leaf_cert.is_ca);
  EXPECT_THAT(leaf_cert.also_at, ElementsAre(root_ + "/live/example.com/fullchain.pem:1"));
  // Every file is still counted, and every certificate read is one kept or one place.
  EXPECT_EQ(inventory->files, 4u);
  EXPECT_EQ(inventory->not_certificates, 0u);
  EXPECT_EQ(inventory->certificates.size() + ca_cert.also_at.size() + leaf_cert.also_at.size(), 6u);
}

TEST_F(LoadCertificatesTest, MissingPathOrNoCertificateFails) {
  Diagnostics diags;
  absl::StatusOr<CertificateInventory> missing =
      LoadCertificates({root_ + "/does-not-exist"}, &diags);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  Write("live/README", "nothing here\n");
  absl::StatusOr<CertificateInventory> empty = LoadCertificates({root_}, &diags);
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("no certificate found"));
}

}  // namespace
}  // namespace serialmatch::inventory
