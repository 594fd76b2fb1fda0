#include "src/inventory/stores.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/certificates.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::inventory {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A key whose bytes must appear in no message: a marker inside real-looking PEM.
constexpr absl::string_view kKeyMarker = "S3CRETKEYBYTES";

std::string KeyPem() {
  return absl::StrCat("-----BEGIN PRIVATE KEY-----\n", kKeyMarker,
                      "AAAA\n-----END PRIVATE KEY-----\n");
}

std::string Base64(absl::string_view bytes) { return absl::Base64Escape(bytes); }

// A real private key (not the certificates' key): read for its public key only.
const std::string& RealKeyPem() {
  static const std::string* key = new std::string(TestCa::PrivateKeyPem());
  return *key;
}

// One Secret object, as kubectl writes it (metadata after data; `data_crt` already encoded, or
// empty for no tls.crt).
std::string SecretJson(absl::string_view ns, absl::string_view name, absl::string_view type,
                       absl::string_view data_crt, absl::string_view annotations = "") {
  std::string data = absl::StrCat("\"tls.key\": \"", Base64(RealKeyPem()), "\"");
  if (!data_crt.empty()) absl::StrAppend(&data, ", \"tls.crt\": \"", data_crt, "\"");
  return absl::StrCat(
      "{\n  \"apiVersion\": \"v1\",\n  \"data\": {", data,
      "},\n  \"kind\": \"Secret\",\n  \"metadata\": {\"name\": \"", name, "\", \"namespace\": \"",
      ns, "\"", annotations.empty() ? "" : absl::StrCat(", \"annotations\": {", annotations, "}"),
      "},\n  \"type\": \"", type, "\"\n}");
}

std::string ListJson(const std::vector<std::string>& items, absl::string_view kind = "List") {
  return absl::StrCat("{\n\"apiVersion\": \"v1\",\n\"items\": [\n", absl::StrJoin(items, ",\n"),
                      "\n],\n\"kind\": \"", kind,
                      "\",\n\"metadata\": {\"resourceVersion\": \"\"}\n}\n");
}

class StoresTest : public ::testing::Test {
 protected:
  StoresTest() : ca_("Store CA") {}

  std::string Leaf(absl::string_view serial, absl::string_view name) {
    TestCertSpec spec;
    spec.serial_hex = std::string(serial);
    spec.names = {std::string(name)};
    return TestCa::ToPem(ca_.Issue(spec));
  }
  std::string Chain(absl::string_view serial, absl::string_view name) {
    return absl::StrCat(Leaf(serial, name), TestCa::ToPem(ca_.certificate()));
  }

  size_t Parse(absl::string_view content) {
    return ParseCertificateFile(content, "s.json", &inventory_, &diags_);
  }

  TestCa ca_;
  CertificateInventory inventory_;
  Diagnostics diags_;
};

TEST_F(StoresTest, ListReadsTlsAndOpaqueSecretsCountsOthersAndReportsBrokenOnes) {
  const std::string json = ListJson({
      SecretJson("prod", "www-tls", "kubernetes.io/tls", Base64(Chain("0a01", "www.example.com")),
                 "\"cert-manager.io/certificate-name\": \"www\""),
      SecretJson("prod", "db-password", "Opaque", ""),
      SecretJson("legacy", "old-cert", "Opaque", Base64(Leaf("0a02", "old.example.com"))),
      SecretJson("prod", "broken-tls", "kubernetes.io/tls", "bm90IGEgY2VydA=="),  // "not a cert"
      SecretJson("prod", "garbled-tls", "kubernetes.io/tls", "%%%"),
      SecretJson("prod", "keyless-tls", "kubernetes.io/tls", Base64(KeyPem())),
      SecretJson("prod", "missing-tls", "kubernetes.io/tls", ""),
  });
  EXPECT_EQ(Parse(json), 3u);
  ASSERT_EQ(inventory_.certificates.size(), 3u);
  const Certificate& www = inventory_.certificates[0];
  EXPECT_EQ(www.serial, "0a01");
  EXPECT_EQ(www.location, "secret/prod/www-tls");
  EXPECT_EQ(www.store_name, "www");
  EXPECT_EQ(www.path, "s.json");
  EXPECT_EQ(www.line, 4u);                        // the Secret's '{'
  EXPECT_TRUE(inventory_.certificates[1].is_ca);  // the chain is read too
  EXPECT_EQ(inventory_.certificates[1].location, "secret/prod/www-tls");
  EXPECT_EQ(inventory_.certificates[2].location, "secret/legacy/old-cert");
  EXPECT_EQ(inventory_.certificates[2].store_name, "");
  EXPECT_GT(inventory_.certificates[2].line, www.line);
  EXPECT_EQ(inventory_.secrets_without_certificate, 1u);
  EXPECT_EQ(inventory_.not_certificates, 0u);
  EXPECT_TRUE(inventory_.skipped.empty());

  const std::string messages = diags_.Render();
  EXPECT_EQ(diags_.count(), 4u) << messages;
  EXPECT_THAT(messages, HasSubstr("s.json: secret/prod/broken-tls: not a certificate"));
  EXPECT_THAT(messages, HasSubstr("s.json: secret/prod/garbled-tls: tls.crt is not base64"));
  EXPECT_THAT(messages, HasSubstr("s.json: secret/prod/keyless-tls (PRIVATE KEY): tls.crt holds no "
                                  "certificate"));
  EXPECT_THAT(messages, HasSubstr("s.json: secret/prod/missing-tls: TLS secret without tls.crt"));
  EXPECT_THAT(messages, Not(HasSubstr(kKeyMarker)));
  EXPECT_THAT(messages, Not(HasSubstr(Base64(KeyPem()))));
  EXPECT_THAT(messages, Not(HasSubstr("db-password")));
}

TEST_F(StoresTest, NoKeyBytesInAnyCertificateField) {
  Parse(ListJson({SecretJson("a", "b", "kubernetes.io/tls",
                             Base64(absl::StrCat(KeyPem(), Leaf("0b", "b.example"))))}));
  ASSERT_EQ(inventory_.certificates.size(), 1u);
  const Certificate& c = inventory_.certificates[0];
  for (const std::string* field : {&c.path, &c.location, &c.store_name, &c.subject, &c.issuer,
                                   &c.key_at, &c.key_spki_sha256}) {
    EXPECT_THAT(*field, Not(HasSubstr(kKeyMarker)));
  }
  // The bundle's key is unreadable (it is no key): said, without its bytes. The Secret's own
  // tls.key, a real key, is the one compared.
  EXPECT_EQ(diags_.count(), 1u) << diags_.Render();
  EXPECT_THAT(diags_.Render(), HasSubstr("unreadable private key"));
  EXPECT_THAT(diags_.Render(), Not(HasSubstr(kKeyMarker)));
  EXPECT_EQ(inventory_.keys_unreadable, 1u);
  EXPECT_EQ(c.key_at, "s.json: secret/a/b tls.key");
  EXPECT_EQ(c.key_spki_sha256.size(), 64u);
}

TEST_F(StoresTest, SecretListAndSingleSecretAndStringData) {
  EXPECT_EQ(Parse(ListJson(
                {SecretJson("ns", "one", "kubernetes.io/tls", Base64(Leaf("01", "one.example")))},
                "SecretList")),
            1u);
  EXPECT_EQ(Parse(SecretJson("ns", "two", "kubernetes.io/tls", Base64(Leaf("02", "two.example")))),
            1u);
  // A manifest as written by hand: stringData in PEM, no namespace.
  std::string pem = Leaf("03", "three.example");
  absl::StrReplaceAll({{"\n", "\\n"}}, &pem);
  EXPECT_EQ(Parse(absl::StrCat("{\"kind\": \"Secret\", \"metadata\": {\"name\": \"three\"}, "
                               "\"type\": \"kubernetes.io/tls\", \"stringData\": {\"tls.crt\": \"",
                               pem, "\", \"tls.key\": \"x\"}}")),
            1u);
  // "x" is no PEM key: said, and the certificate is still read.
  EXPECT_EQ(inventory_.keys_unreadable, 1u);
  ASSERT_EQ(inventory_.certificates.size(), 3u);
  EXPECT_EQ(inventory_.certificates[0].location, "secret/ns/one");
  EXPECT_EQ(inventory_.certificates[1].location, "secret/ns/two");
  EXPECT_EQ(inventory_.certificates[1].line, 1u);
  EXPECT_EQ(inventory_.certificates[2].location, "secret/three");
  EXPECT_EQ(inventory_.certificates[0].store, Store::kKubernetes);
  EXPECT_EQ(inventory_.certificates[0].store_group, "ns");
  EXPECT_EQ(diags_.count(), 1u) << diags_.Render();
  EXPECT_THAT(diags_.Render(), HasSubstr("secret/three: tls.key: no private key"));
}

// Every way a List's Secret can be broken, each said in the List's order (a bad tls.crt is found
// where its certificates are parsed, on any core), with every sample kept.
TEST_F(StoresTest, BrokenSecretsAreReportedInListOrder) {
  std::string pem = Leaf("0e03", "plain.example");
  absl::StrReplaceAll({{"\n", "\\n"}}, &pem);
  const std::string json = ListJson({
      SecretJson("p", "bad-base64", "kubernetes.io/tls", "%%%"),
      SecretJson("p", "no-crt", "kubernetes.io/tls", ""),
      SecretJson("p", "good", "kubernetes.io/tls", Base64(Leaf("0e01", "good.example"))),
      absl::StrCat("{\"kind\": \"Secret\", \"type\": \"kubernetes.io/tls\", \"metadata\": "
                   "{\"name\": \"number\"}, \"data\": {\"tls.crt\": 12}}"),
      absl::StrCat("{\"kind\": \"Secret\", \"metadata\": {\"name\": \"bad-key\"}, \"data\": "
                   "{\"tls.crt\": \"",
                   Base64(Leaf("0e02", "bad-key.example")), "\", \"tls.key\": \"***\"}}"),
      absl::StrCat("{\"kind\": \"Secret\", \"metadata\": {\"name\": \"plain\"}, \"stringData\": "
                   "{\"tls.crt\": \"",
                   pem, "\"}}"),
      "{\"kind\": \"Secret\", \"metadata\": {\"name\": \"empty\"}, \"data\": "
      "{\"tls.crt\": \"\"}}",
      SecretJson("p", "junk", "kubernetes.io/tls", Base64("junk")),
  });
  Diagnostics all("", 100);
  EXPECT_EQ(ParseCertificateFile(json, "s.json", &inventory_, &all), 3u);
  ASSERT_EQ(inventory_.certificates.size(), 3u);
  EXPECT_EQ(inventory_.certificates[0].serial, "0e01");
  EXPECT_EQ(inventory_.certificates[1].serial, "0e02");
  EXPECT_EQ(inventory_.certificates[1].key_at, "");  // its key is not base64: not compared
  EXPECT_EQ(inventory_.certificates[2].serial, "0e03");
  EXPECT_EQ(inventory_.certificates[2].location, "secret/plain");
  EXPECT_EQ(inventory_.keys_unreadable, 1u);
  EXPECT_EQ(all.Render(),
            "s.json: secret/p/bad-base64: tls.crt is not base64\n"
            "s.json: secret/p/no-crt: TLS secret without tls.crt\n"
            "s.json: secret/number: tls.crt is not a string\n"
            "s.json: secret/bad-key: tls.key is not base64; the certificate's key is not "
            "compared\n"
            "s.json: secret/empty: tls.crt is empty\n"
            "s.json: secret/p/junk: not a certificate (no PEM block, and neither a DER "
            "certificate nor PKCS#7)\n");
}

// A Secret's key that is not its certificate's own is read for its public key, which differs
// from the certificate's (the matcher reports the mismatch); its own key gives the same hash.
TEST_F(StoresTest, SecretKeysAreComparedByTheirPublicKey) {
  TestCertSpec spec;
  spec.serial_hex = "0f01";
  spec.names = {"own.example"};
  const std::string own_pem = TestCa::ToPem(ca_.Issue(spec));
  Parse(ListJson({SecretJson("k", "other-key", "kubernetes.io/tls", Base64(own_pem))}));
  ASSERT_EQ(inventory_.certificates.size(), 1u);
  const Certificate& cert = inventory_.certificates[0];
  EXPECT_EQ(cert.key_at, "s.json: secret/k/other-key tls.key");
  EXPECT_EQ(cert.key_spki_sha256.size(), 64u);
  EXPECT_NE(cert.key_spki_sha256, cert.spki_sha256);  // RealKeyPem is the CA's, not the leaf's
  EXPECT_EQ(diags_.count(), 0u) << diags_.Render();
}

// Strings with JSON escapes (a writer that escapes '/' as "\/", \u escapes in base64 and names,
// spaces around values) read as the same bytes as plain ones.
TEST_F(StoresTest, EscapedStringsReadLikePlainOnes) {
  const std::string crt = Base64(Chain("0e11", "escaped.example"));
  const std::string key = Base64(RealKeyPem());
  const std::string plain = ListJson({SecretJson("ns", "www-tls", "kubernetes.io/tls", crt,
                                                 "\"cert-manager.io/certificate-name\": \"www\"")});
  // 'L' is in every tls.crt (the base64 of "-----BEGIN" starts "LS0t"); 'A' is in most.
  std::string escaped = absl::StrReplaceAll(
      plain, {{"/", "\\/"}, {"A", "\\u0041"}, {"L", "\\u004c"}, {"www", "w\\u0077w"}});
  absl::StrReplaceAll({{"\": \"", "\"  :\n  \""}, {"\", ", "\"  ,  "}}, &escaped);
  ASSERT_NE(escaped, plain);
  ASSERT_THAT(crt, HasSubstr("L"));  // so that the escaped tls.crt has escapes
  EXPECT_EQ(Parse(plain), 2u);
  EXPECT_EQ(Parse(escaped), 2u);
  EXPECT_EQ(diags_.count(), 0u) << diags_.Render();
  ASSERT_EQ(inventory_.certificates.size(), 4u);
  for (size_t i = 0; i < 2; ++i) {
    const Certificate& a = inventory_.certificates[i];
    const Certificate& b = inventory_.certificates[i + 2];
    EXPECT_EQ(a.sha256, b.sha256);
    EXPECT_EQ(b.location, "secret/ns/www-tls");
    EXPECT_EQ(b.store_name, "www");
    EXPECT_EQ(b.store_group, "ns");
  }
  EXPECT_EQ(inventory_.certificates[2].key_spki_sha256, inventory_.certificates[0].key_spki_sha256);
  EXPECT_EQ(inventory_.certificates[2].key_spki_sha256.size(), 64u);
}

// A file read with padding past its end is parsed where it is, without a copy: the same
// certificates, lines and messages as from a copy.
TEST_F(StoresTest, PaddedContentReadsLikeACopy) {
  const std::string json = ListJson({
      SecretJson("p", "one", "kubernetes.io/tls", Base64(Chain("0e21", "one.example"))),
      SecretJson("p", "bad", "kubernetes.io/tls", "%%%"),
      SecretJson("p", "two", "kubernetes.io/tls", Base64(Leaf("0e22", "two.example"))),
  });
  for (const std::string& text : {json, std::string("{\n\"kind\": \"List\",\n\"items\": [1,,]}")}) {
    std::string padded = text + std::string(64, '\0');
    const absl::string_view in_place(padded.data(), text.size());
    CertificateInventory copied, read_in_place;
    Diagnostics copied_diags("", 100), in_place_diags("", 100);
    const size_t found = ParseStoreFile(text, "s.json", &copied, &copied_diags);
    EXPECT_EQ(ParseStoreFile(in_place, "s.json", &read_in_place, &in_place_diags, 64), found);
    EXPECT_EQ(in_place_diags.Render(), copied_diags.Render());
    EXPECT_GT(copied_diags.count(), 0u);
    ASSERT_EQ(read_in_place.certificates.size(), copied.certificates.size());
    for (size_t i = 0; i < copied.certificates.size(); ++i) {
      EXPECT_EQ(read_in_place.certificates[i].sha256, copied.certificates[i].sha256);
      EXPECT_EQ(read_in_place.certificates[i].line, copied.certificates[i].line);
      EXPECT_EQ(read_in_place.certificates[i].location, copied.certificates[i].location);
    }
  }
}

TEST_F(StoresTest, OnlySecretsWithoutCertificatesIsSkippedNotAProblem) {
  EXPECT_EQ(Parse(ListJson({SecretJson("a", "token", "Opaque", ""),
                            SecretJson("a", "docker", "kubernetes.io/dockerconfigjson", "")})),
            0u);
  EXPECT_EQ(inventory_.secrets_without_certificate, 2u);
  EXPECT_THAT(inventory_.skipped,
              ::testing::ElementsAre("s.json (2 secrets without a certificate)"));
  EXPECT_EQ(inventory_.not_certificates, 0u);
  EXPECT_EQ(diags_.count(), 0u);
}

TEST_F(StoresTest, AcmeJsonWithTwoResolversAndNullCertificates) {
  const std::string json = absl::StrCat(
      "{\n  \"le\": {\n    \"Account\": {\"Email\": \"a@example.com\", \"PrivateKey\": \"",
      Base64(KeyPem()),
      "\"},\n    \"Certificates\": [\n      {\n        \"domain\": {\"main\": \"example.com\", "
      "\"sans\": [\"www.example.com\"]},\n        \"certificate\": \"",
      Base64(Chain("0c01", "example.com")), "\",\n        \"key\": \"", Base64(RealKeyPem()),
      "\",\n        \"Store\": \"default\"\n      },\n      {\"domain\": {\"main\": "
      "\"bad.example\"}, \"certificate\": \"",
      Base64("junk"), "\", \"key\": \"", Base64(KeyPem()),
      "\"}\n    ]\n  },\n  \"staging\": {\"Account\": null, \"Certificates\": null},\n"
      "  \"other\": {\"Account\": {}, \"Certificates\": [{\"domain\": {\"main\": "
      "\"shop.example\"}, "
      "\"certificate\": \"",
      Base64(Leaf("0c02", "shop.example")), "\"}]}\n}\n");
  EXPECT_EQ(Parse(json), 3u);
  ASSERT_EQ(inventory_.certificates.size(), 3u);
  EXPECT_EQ(inventory_.certificates[0].location, "traefik/le/example.com");
  EXPECT_EQ(inventory_.certificates[0].serial, "0c01");
  EXPECT_EQ(inventory_.certificates[0].line, 5u);
  EXPECT_EQ(inventory_.certificates[1].location, "traefik/le/example.com");
  EXPECT_EQ(inventory_.certificates[2].location, "traefik/other/shop.example");
  EXPECT_EQ(inventory_.certificates[0].store, Store::kTraefik);
  EXPECT_EQ(inventory_.certificates[0].store_group, "le");
  EXPECT_EQ(inventory_.certificates[0].store_name, "example.com");
  EXPECT_EQ(inventory_.certificates[0].key_at, "s.json: traefik/le/example.com key");
  EXPECT_EQ(diags_.count(), 1u) << diags_.Render();
  EXPECT_THAT(diags_.Render(), HasSubstr("s.json: traefik/le/bad.example: not a certificate"));
  EXPECT_THAT(diags_.Render(), Not(HasSubstr(kKeyMarker)));
}

// `kubectl get secrets -A -o yaml`: the same Secrets as JSON, with YAML's line numbers.
TEST_F(StoresTest, YamlListOfSecretsReadsLikeJson) {
  const std::string yaml = absl::StrCat(
      "# exported for the incident\napiVersion: v1\nitems:\n"
      "- apiVersion: v1\n  data:\n    tls.crt: ",
      Base64(Chain("0d01", "www.example")), "\n    tls.key: ", Base64(RealKeyPem()),
      "\n  kind: Secret\n  metadata:\n    annotations:\n"
      "      cert-manager.io/certificate-name: www\n    name: www-tls\n    namespace: prod\n"
      "  type: kubernetes.io/tls\n"
      "- apiVersion: v1\n  data:\n    password: ",
      Base64("db-password"),
      "\n  kind: Secret\n  metadata:\n    name: db\n    namespace: prod\n  type: Opaque\n"
      "- kind: Secret\n  metadata:\n    name: broken\n    namespace: prod\n"
      "  type: kubernetes.io/tls\n  data:\n    tls.crt: {nested: map}\n"
      "kind: List\nmetadata:\n  resourceVersion: \"\"\n");
  EXPECT_TRUE(LooksLikeYamlStore(yaml));
  EXPECT_EQ(Parse(yaml), 2u);
  ASSERT_EQ(inventory_.certificates.size(), 2u);
  const Certificate& www = inventory_.certificates[0];
  EXPECT_EQ(www.serial, "0d01");
  EXPECT_EQ(www.location, "secret/prod/www-tls");
  EXPECT_EQ(www.line, 4u);
  EXPECT_EQ(www.store, Store::kKubernetes);
  EXPECT_EQ(www.store_name, "www");
  EXPECT_EQ(www.store_group, "prod");
  EXPECT_EQ(www.key_spki_sha256.size(), 64u);
  EXPECT_EQ(inventory_.certificates[1].is_ca, true);  // the chain's CA
  EXPECT_EQ(inventory_.secrets_without_certificate, 1u);
  EXPECT_EQ(diags_.count(), 1u) << diags_.Render();
  EXPECT_THAT(diags_.Render(), HasSubstr("s.json: secret/prod/broken: tls.crt is not a string"));
  EXPECT_THAT(diags_.Render(), Not(HasSubstr("db-password")));
}

TEST_F(StoresTest, YamlSecretDocumentsAndStringData) {
  std::string pem = Leaf("0d02", "two.example");
  std::string indented;
  for (absl::string_view line : absl::StrSplit(pem, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&indented, "    ", line, "\n");
  }
  const std::string yaml = absl::StrCat(
      "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: one\ntype: kubernetes.io/tls\n"
      "data:\n  tls.crt: ",
      Base64(Leaf("0d01", "one.example")),
      "\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: two\n  namespace: ns\n"
      "type: kubernetes.io/tls\nstringData:\n  tls.crt: |\n",
      indented);
  EXPECT_EQ(Parse(yaml), 2u);
  ASSERT_EQ(inventory_.certificates.size(), 2u);
  EXPECT_EQ(inventory_.certificates[0].location, "secret/one");
  EXPECT_EQ(inventory_.certificates[0].line, 2u);
  EXPECT_EQ(inventory_.certificates[1].location, "secret/ns/two");
  EXPECT_EQ(inventory_.certificates[1].serial, "0d02");
  EXPECT_EQ(diags_.count(), 0u) << diags_.Render();
}

TEST_F(StoresTest, InvalidYamlIsReportedWithItsLine) {
  EXPECT_EQ(Parse("apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  data: [unclosed\n"), 0u);
  EXPECT_EQ(inventory_.not_certificates, 1u);
  EXPECT_THAT(diags_.Render(), testing::MatchesRegex("s\\.json:[0-9]+: invalid YAML: .*\n"));
  // YAML that is no Secrets: not a certificate, said as such.
  EXPECT_EQ(Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"), 0u);
  EXPECT_THAT(diags_.Render(), HasSubstr("s.json: not a certificate (YAML, but neither"));
  EXPECT_EQ(inventory_.not_certificates, 2u);
  EXPECT_FALSE(LooksLikeYamlStore("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_FALSE(LooksLikeYamlStore("# only a comment\n"));
}

TEST_F(StoresTest, TraefikV1Certificates) {
  const std::string json = absl::StrCat(
      "{\"Account\": {\"PrivateKey\": \"x\"}, \"Certificates\": [{\"Domain\": {\"Main\": "
      "\"v1.example\", \"SANs\": null}, \"Certificate\": {\"Domain\": \"v1.example\", "
      "\"PrivateKey\": \"",
      Base64(KeyPem()), "\", \"Certificate\": \"", Base64(Leaf("0d", "v1.example")),
      "\"}}], \"HTTPChallenges\": {}}");
  EXPECT_EQ(Parse(json), 1u);
  ASSERT_EQ(inventory_.certificates.size(), 1u);
  EXPECT_EQ(inventory_.certificates[0].location, "traefik/v1.example");
}

TEST_F(StoresTest, AcmeJsonWithoutCertificatesIsSkipped) {
  EXPECT_EQ(Parse("{\"le\": {\"Account\": {}, \"Certificates\": null}}"), 0u);
  EXPECT_THAT(inventory_.skipped,
              ::testing::ElementsAre("s.json (acme.json without certificates)"));
  EXPECT_EQ(diags_.count(), 0u);
}

TEST_F(StoresTest, InvalidJsonGivesItsLine) {
  EXPECT_EQ(Parse("{\n\"kind\": \"List\",\n\"items\": [\n{\"kind\": \"Secret\",, }\n]}"), 0u);
  EXPECT_EQ(inventory_.not_certificates, 1u);
  EXPECT_THAT(diags_.Render(), HasSubstr("s.json:4: invalid JSON"));
}

TEST_F(StoresTest, OtherJsonIsNotACertificate) {
  EXPECT_EQ(Parse("  {\"name\": \"package.json\", \"version\": \"1.0.0\"}\n"), 0u);
  EXPECT_EQ(inventory_.not_certificates, 1u);
  EXPECT_THAT(diags_.Render(), HasSubstr("s.json: not a certificate (JSON, but neither"));
  EXPECT_EQ(Parse("{\"a\": 1} trailing"), 0u);
  EXPECT_EQ(inventory_.not_certificates, 2u);
  EXPECT_THAT(diags_.Render(), HasSubstr("invalid JSON"));
}

TEST(LooksLikeJsonStoreTest, FirstByteDecides) {
  EXPECT_TRUE(LooksLikeJsonStore(" \n{\"kind\": \"List\"}"));
  EXPECT_TRUE(LooksLikeJsonStore("\xEF\xBB\xBF{}"));
  EXPECT_FALSE(LooksLikeJsonStore("-----BEGIN CERTIFICATE-----"));
  EXPECT_FALSE(LooksLikeJsonStore("[{}]"));
  EXPECT_FALSE(LooksLikeJsonStore(""));
}

}  // namespace
}  // namespace serialmatch::inventory
