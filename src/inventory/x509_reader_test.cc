// x509_reader against OpenSSL: every field ReadX509Certificate gives equals the one the former
// OpenSSL describer (kept here, as the oracle, and nowhere else) gives, on certificates of many
// shapes from the test CA, the repository's example and test certificates, and the system's trust
// store when there is one; and the certificates OpenSSL refused or misread are judged by serial.
#include "src/inventory/x509_reader.h"

#include <dirent.h>
#include <openssl/pem.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/base/test_util.h"
#include "src/inventory/certificates.h"
#include "src/inventory/openssl_util.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---- The oracle: the OpenSSL describer that certificates.cc used until x509_reader.

std::string Sha256Hex(const unsigned char* data, size_t size) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  if (EVP_Digest(data, size, md, &md_size, EVP_sha256(), nullptr) != 1) return "";
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(md_size)));
}

// The DER encoding of `object` with OpenSSL's i2d function `encode`; empty on failure.
template <typename T>
std::string ToDer(const T* object, int (*encode)(const T*, unsigned char**)) {
  unsigned char* buffer = nullptr;
  const int size = encode(object, &buffer);
  if (size <= 0) return "";
  std::string der(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  return der;
}

// The content octets of a DER TLV (tag and length removed); empty when malformed.
absl::string_view DerContent(absl::string_view tlv) {
  if (tlv.size() < 2) return {};
  size_t length = static_cast<unsigned char>(tlv[1]);
  size_t header = 2;
  if (length & 0x80) {
    const size_t length_bytes = length & 0x7f;
    if (length_bytes == 0 || length_bytes > 4 || tlv.size() < 2 + length_bytes) return {};
    length = 0;
    for (size_t i = 0; i < length_bytes; ++i) {
      length = (length << 8) | static_cast<unsigned char>(tlv[2 + i]);
    }
    header += length_bytes;
  }
  if (tlv.size() - header != length) return {};
  return tlv.substr(header);
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return "";
  constexpr unsigned long kFlags =
      (XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_UTF8_CONVERT) &
      ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

// The last commonName of `name` in UTF-8; empty when there is none.
std::string CommonName(const X509_NAME* name) {
  int index = -1;
  for (int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) {
    index = i;
  }
  if (index < 0) return "";
  unsigned char* utf8 = nullptr;
  const int size =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (size < 0) return "";
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

absl::StatusOr<absl::Time> ToTime(const ASN1_TIME* t, absl::string_view which) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return OpenSslError(absl::StrCat("unreadable ", which));
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

// The URIs of the fullNames of `x509`'s CRL Distribution Points, in order, without repeats.
std::vector<std::string> CrlUrls(X509* x509) {
  std::vector<std::string> urls;
  CrlDistPointsPtr points(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(x509, NID_crl_distribution_points, nullptr, nullptr)));
  ERR_clear_error();  // left when the extension is absent
  for (int i = 0; points && i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    // A point with only a cRLIssuer or a nameRelativeToCRLIssuer names no location to fetch.
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; names != nullptr && j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* general = sk_GENERAL_NAME_value(names, j);
      if (general->type != GEN_URI) continue;  // a directoryName or dNSName is not fetchable
      const ASN1_IA5STRING* uri = general->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<size_t>(ASN1_STRING_length(uri)));
      if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
    }
  }
  return urls;
}

absl::StatusOr<Certificate> Describe(X509* x509) {
  Certificate cert;
  const std::string der = ToDer<X509>(x509, i2d_X509);
  if (der.empty()) return OpenSslError("cannot re-encode the certificate");
  cert.sha256 = Sha256Hex(reinterpret_cast<const unsigned char*>(der.data()), der.size());
  const std::string spki = ToDer<X509_PUBKEY>(X509_get_X509_PUBKEY(x509), i2d_X509_PUBKEY);
  if (spki.empty()) return OpenSslError("cannot encode the subject public key info");
  cert.spki_sha256 = Sha256Hex(reinterpret_cast<const unsigned char*>(spki.data()), spki.size());

  const std::string serial_der =
      ToDer<ASN1_INTEGER>(X509_get0_serialNumber(x509), i2d_ASN1_INTEGER);
  const absl::string_view serial_content = DerContent(serial_der);
  if (serial_content.empty()) return absl::InvalidArgumentError("unreadable serial number");
  SM_ASSIGN_OR_RETURN(cert.serial, SerialFromDerInteger(serial_content));
  std::string scratch;

  cert.issuer = NameToString(X509_get_issuer_name(x509));
  cert.issuer_cn = CommonName(X509_get_issuer_name(x509));
  cert.subject_cn = CommonName(X509_get_subject_name(x509));
  if (const ASN1_OCTET_STRING* key_id = X509_get0_authority_key_id(x509)) {
    const absl::string_view id(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                               static_cast<size_t>(ASN1_STRING_length(key_id)));
    cert.authority_key_id = absl::BytesToHexString(id);
    cert.ari_cert_id = AriCertId(id, serial_content);
  }
  cert.subject = NameToString(X509_get_subject_name(x509));
  if (const ASN1_OCTET_STRING* key_id = X509_get0_subject_key_id(x509)) {
    cert.subject_key_id = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                          static_cast<size_t>(ASN1_STRING_length(key_id))));
  }
  cert.is_ca = (X509_get_extension_flags(x509) & EXFLAG_CA) != 0;
  if (cert.is_ca) cert.public_key_der = spki;
  SM_ASSIGN_OR_RETURN(cert.not_before, ToTime(X509_get0_notBefore(x509), "notBefore"));
  SM_ASSIGN_OR_RETURN(cert.not_after, ToTime(X509_get0_notAfter(x509), "notAfter"));

  std::vector<std::string> names;
  GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* general = sk_GENERAL_NAME_value(sans.get(), i);
    if (general->type != GEN_DNS) continue;  // addresses, e-mail: dumps list DNS names only
    const ASN1_IA5STRING* dns = general->d.dNSName;
    names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<size_t>(ASN1_STRING_length(dns)));
  }
  ERR_clear_error();  // X509_get_ext_d2i leaves an error when the extension is absent
  cert.crl_urls = CrlUrls(x509);

  // A name that does not normalise (a CA's CN "Example Root CA") can equal no dump name, whose
  // names are normalised too; the certificate is still matched by its serial.
  auto normal_form = [&scratch](absl::string_view name) {
    absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    return normal.ok() ? *normal : absl::string_view();
  };
  for (const std::string& name : names) cert.dns_names.Add(name, normal_form(name));
  // Certificates without SAN dNSNames are matched by their subject CN, as legacy clients did.
  if (names.empty() && !cert.subject_cn.empty()) {
    cert.dns_names.AddMatchOnly(normal_form(cert.subject_cn));
  }
  return cert;
}

absl::StatusOr<Certificate> DescribeWithOpenSsl(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x509) return OpenSslError("not a DER certificate");
  return Describe(x509.get());
}

// ---- The corpus.

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The DER of every CERTIFICATE block of `pem`.
std::vector<std::string> PemCertificates(const std::string& pem) {
  std::vector<std::string> ders;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (true) {
    X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x509) break;
    unsigned char* der = nullptr;
    const int size = i2d_X509(x509.get(), &der);
    if (size > 0) ders.emplace_back(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
    OPENSSL_free(der);
  }
  ERR_clear_error();
  return ders;
}

// Files with certificates under `dir` (recursively), sorted.
void FindCertificateFiles(const std::string& dir, std::vector<std::string>* out) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string path = absl::StrCat(dir, "/", name);
    if (absl::EndsWith(name, ".pem") || absl::EndsWith(name, ".crt")) {
      out->push_back(path);
    } else if (name.find('.') == std::string::npos) {
      FindCertificateFiles(path, out);
    }
  }
}

std::vector<std::string> TestCaCorpus(const TestCa& ca) {
  std::vector<std::string> ders = {ca.certificate()};
  TestCertSpec spec;
  ders.push_back(ca.Issue(spec));  // no SAN, no CN
  spec.subject_cn = "only-cn.example";
  ders.push_back(ca.Issue(spec));
  spec.subject_cn = "Ünïcödé CN, with + specials; \"quoted\" #";
  ders.push_back(ca.Issue(spec));
  spec.subject_cn.clear();
  for (int n : {1, 2, 7, 50}) {
    spec.names.clear();
    for (int i = 0; i < n; ++i) spec.names.push_back(absl::StrCat("host", i, ".example.com"));
    spec.serial_hex = absl::StrCat("0", n, "ab");
    ders.push_back(ca.Issue(spec));
  }
  spec.names = {"xn--mnchen-3ya.de", "*.Example.NET", "EXAMPLE.net.", "example.net"};
  spec.serial_hex = "00ffeeddccbbaa99887766554433221100";
  ders.push_back(ca.Issue(spec));
  spec.serial_hex = "-ff";
  ders.push_back(ca.Issue(spec));
  spec.serial_hex = "7f";
  spec.authority_key_id = std::string("\x01\x02\x03", 3);
  spec.crl_urls = {"http://crl.example/1.crl ldap://ldap.example/c", "dns:crl.example",
                   "relative:Shard 1", "http://crl.example/1.crl http://crl.example/2.crl"};
  ders.push_back(ca.Issue(spec));
  spec.not_before = absl::FromUnixSeconds(2524608000);  // 2050: GeneralizedTime
  spec.not_after = absl::FromUnixSeconds(2556144000);
  ders.push_back(ca.Issue(spec));
  return ders;
}

void ExpectSameAsOpenSsl(const std::string& der, const std::string& label) {
  SCOPED_TRACE(label);
  absl::StatusOr<Certificate> want = DescribeWithOpenSsl(der);
  ASSERT_TRUE(want.ok()) << want.status();
  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> got = ReadX509Certificate(der, &undecoded);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(undecoded, IsEmpty());
  EXPECT_EQ(got->serial, want->serial);
  EXPECT_EQ(got->issuer, want->issuer);
  EXPECT_EQ(got->issuer_cn, want->issuer_cn);
  EXPECT_EQ(got->subject, want->subject);
  EXPECT_EQ(got->subject_cn, want->subject_cn);
  EXPECT_EQ(got->authority_key_id, want->authority_key_id);
  EXPECT_EQ(got->subject_key_id, want->subject_key_id);
  EXPECT_EQ(got->is_ca, want->is_ca);
  EXPECT_EQ(got->public_key_der, want->public_key_der);
  EXPECT_EQ(got->names(), want->names());
  EXPECT_EQ(got->match_names(), want->match_names());
  EXPECT_EQ(got->not_before, want->not_before);
  EXPECT_EQ(got->not_after, want->not_after);
  EXPECT_EQ(got->sha256, want->sha256);
  EXPECT_EQ(got->spki_sha256, want->spki_sha256);
  EXPECT_EQ(got->ari_cert_id, want->ari_cert_id);
  EXPECT_EQ(got->crl_urls, want->crl_urls);
}

TEST(X509ReaderTest, EqualsOpenSslOnTestCaCertificates) {
  TestCa ca("serialmatch Test CA, Ω");
  const std::vector<std::string> ders = TestCaCorpus(ca);
  for (size_t i = 0; i < ders.size(); ++i) ExpectSameAsOpenSsl(ders[i], absl::StrCat("test ", i));
}

TEST(X509ReaderTest, EqualsOpenSslOnRepositoryAndSystemCertificates) {
  std::vector<std::string> files;
  FindCertificateFiles(SERIALMATCH_SOURCE_DIR "/examples", &files);
  FindCertificateFiles(SERIALMATCH_SOURCE_DIR "/tests/testdata", &files);
  FindCertificateFiles("/etc/ssl/certs", &files);  // when present: RSA and EC roots, old names
  size_t compared = 0;
  for (const std::string& file : files) {
    for (const std::string& der : PemCertificates(ReadFile(file))) {
      ExpectSameAsOpenSsl(der, file);
      ++compared;
    }
  }
  EXPECT_GT(compared, 0u);
}

// The offset of `needle` in `der`, which must hold it once.
size_t FindOnce(const std::string& der, absl::string_view needle) {
  const size_t at = der.find(needle.data(), 0, needle.size());
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(der.find(needle.data(), at + 1, needle.size()), std::string::npos);
  return at;
}

TEST(X509ReaderTest, UndecodableSanIsJudgedBySerialNotTakenForNoSan) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "0abc";
  spec.subject_cn = "cn.example";
  spec.names = {"san.example"};
  std::string der = ca.Issue(spec);
  // The dNSName's tag [2] becomes [9], which no GeneralName has.
  der[FindOnce(der, "\x82\x0bsan.example")] = static_cast<char>(0x89);
  // OpenSSL took it for a certificate without SAN and matched it by its CN.
  absl::StatusOr<Certificate> openssl = DescribeWithOpenSsl(der);
  ASSERT_TRUE(openssl.ok());
  EXPECT_THAT(openssl->match_names(), ElementsAre("cn.example"));

  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->serial, "0abc");
  EXPECT_EQ(cert->subject_cn, "cn.example");
  EXPECT_THAT(cert->names(), IsEmpty());
  EXPECT_THAT(cert->match_names(), IsEmpty());
  EXPECT_THAT(undecoded,
              ElementsAre("subject alternative names not decodable; judged by serial only"));
}

TEST(X509ReaderTest, SubjectThatIsNotUtf8IsJudgedBySerial) {
  TestCa ca;
  TestCertSpec spec;
  spec.serial_hex = "0def";
  spec.subject_cn = "bad-subject";
  std::string der = ca.Issue(spec);
  const size_t at = FindOnce(der, "bad-subject");
  der[at - 2] = static_cast<char>(0x0c);        // a UTF8String
  der[at] = static_cast<char>(0xff);            // which is not UTF-8
  EXPECT_FALSE(DescribeWithOpenSsl(der).ok());  // OpenSSL refuses it whole

  std::vector<std::string> undecoded;
  absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->serial, "0def");
  EXPECT_EQ(cert->issuer, "C=US, O=serialmatch tests, CN=serialmatch Test CA");
  EXPECT_EQ(cert->subject, "");
  EXPECT_THAT(cert->match_names(), IsEmpty());
  EXPECT_THAT(undecoded, ElementsAre("subject name not decodable; judged by serial only"));
}

TEST(X509ReaderTest, BrokenStructureOrSerialIsFatal) {
  TestCa ca;
  const std::string der = ca.IssueLeaf("01", {"a.example"});
  std::vector<std::string> undecoded;
  EXPECT_THAT(ReadX509Certificate(der.substr(0, der.size() - 1), &undecoded).status().message(),
              HasSubstr("corrupt certificate"));
  EXPECT_FALSE(ReadX509Certificate(der + "x", &undecoded).ok());
  EXPECT_FALSE(ReadX509Certificate("", &undecoded).ok());
  // The serial INTEGER's tag made a BOOLEAN: no serial.
  std::string no_serial = der;
  const size_t serial_at = FindOnce(der, std::string("\x02\x01\x01\x30", 4));
  no_serial[serial_at] = 0x01;
  EXPECT_THAT(ReadX509Certificate(no_serial, &undecoded).status().message(),
              HasSubstr("serialNumber"));
  EXPECT_THAT(undecoded, IsEmpty());
}

TEST(X509ReaderTest, AttributeValueToUtf8ConvertsAsOpenSsl) {
  std::string out;
  EXPECT_TRUE(AttributeValueToUtf8(std::string("\x13\x02\x41\xe9", 4), &out));  // Latin-1
  EXPECT_EQ(out, "A\xc3\xa9");
  EXPECT_TRUE(AttributeValueToUtf8(std::string("\x1e\x02\x03\xa9", 4), &out));  // BMP Ω
  EXPECT_EQ(out, "\xce\xa9");
  EXPECT_FALSE(AttributeValueToUtf8(std::string("\x1e\x02\xd8\x00", 4), &out));  // surrogate
  EXPECT_FALSE(AttributeValueToUtf8(std::string("\x0c\x02\xc0\x80", 4), &out));  // overlong
  EXPECT_FALSE(AttributeValueToUtf8(std::string("\x04\x01\x41", 3), &out));      // OCTET STRING
}

// LoadCertificates parses on every core; what it gives must not depend on which worker finished
// first: certificates in walk order (directories sorted), a repeat kept at its first place with
// the others in also_at, diagnostics in walk order.
TEST(LoadCertificatesParallelTest, KeepsWalkOrderForCertificatesRepeatsAndDiagnostics) {
  TestCa ca;
  const ScratchDir scratch("x509_parallel");
  const std::string first = ca.IssueLeaf("0a01", {"first.example"});
  std::vector<std::string> want_serials, want_diags;
  for (int i = 0; i < 60; ++i) {
    const std::string name = absl::StrCat(scratch.path(), "/", absl::StrFormat("f%03d.pem", i));
    std::ofstream out(name, std::ios::binary);
    if (i % 7 == 3) {
      out << "not a certificate\n";
      want_diags.push_back(absl::StrCat(name, ": not a certificate"));
    } else if (i % 10 == 5) {
      out << TestCa::ToPem(first);  // the same certificate again
    } else {
      const std::string serial = absl::StrCat("0b", absl::StrFormat("%02x", i));
      out << TestCa::ToPem(ca.IssueLeaf(serial, {absl::StrCat("h", i, ".example")}));
      want_serials.push_back(serial);
    }
  }
  {
    std::ofstream out(absl::StrCat(scratch.path(), "/a-first.pem"), std::ios::binary);
    out << TestCa::ToPem(first);
  }
  want_serials.insert(want_serials.begin(), "0a01");
  Diagnostics diags("", 1000);
  absl::StatusOr<CertificateInventory> inventory = LoadCertificates({scratch.path()}, &diags);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  std::vector<std::string> serials;
  for (const Certificate& cert : inventory->certificates) serials.push_back(cert.serial);
  EXPECT_EQ(serials, want_serials);
  EXPECT_EQ(
      inventory->certificates[0].also_at,
      (std::vector<std::string>{
          absl::StrCat(scratch.path(), "/f005.pem:1"), absl::StrCat(scratch.path(), "/f015.pem:1"),
          absl::StrCat(scratch.path(), "/f025.pem:1"), absl::StrCat(scratch.path(), "/f035.pem:1"),
          absl::StrCat(scratch.path(), "/f055.pem:1")}));
  ASSERT_EQ(diags.samples().size(), want_diags.size());
  for (size_t i = 0; i < want_diags.size(); ++i) {
    EXPECT_THAT(diags.samples()[i].reason, HasSubstr(want_diags[i])) << i;
  }
  EXPECT_EQ(inventory->files, 61u);
  EXPECT_EQ(inventory->not_certificates, want_diags.size());
}

}  // namespace
}  // namespace serialmatch::inventory
