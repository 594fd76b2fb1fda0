// End-to-end tests of certificate stores among --certs (src/inventory/stores.h): a `kubectl get
// secrets -A -o json` export and a Traefik acme.json, written from a throwaway CA's certificates
// and joined against a serials dump.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kKeyMarker = "E2EKEYBYTES";

std::string KeyPem() {
  return absl::StrCat("-----BEGIN EC PRIVATE KEY-----\n", kKeyMarker,
                      "AAAA\n-----END EC PRIVATE KEY-----\n");
}

std::string Secret(absl::string_view ns, absl::string_view name, absl::string_view type,
                   absl::string_view crt_pem) {
  std::string data = absl::StrCat("\"tls.key\": \"", absl::Base64Escape(KeyPem()), "\"");
  if (!crt_pem.empty()) {
    absl::StrAppend(&data, ", \"tls.crt\": \"", absl::Base64Escape(crt_pem), "\"");
  }
  return absl::StrCat("    {\n      \"apiVersion\": \"v1\",\n      \"data\": {", data,
                      "},\n      \"kind\": \"Secret\",\n      \"metadata\": {\"name\": \"", name,
                      "\", \"namespace\": \"", ns, "\"},\n      \"type\": \"", type, "\"\n    }");
}

class StoresE2eTest : public E2eTest {
 protected:
  StoresE2eTest() : ca_("R3") {}

  std::string Pem(absl::string_view serial, absl::string_view name) {
    TestCertSpec spec;
    spec.serial_hex = std::string(serial);
    spec.names = {std::string(name)};
    return TestCa::ToPem(ca_.Issue(spec));
  }

  // A serials dump listing 0a01 and 0c01.
  std::string SerialsDump() { return Write("serials.txt", "serial\n0a01\n0c01\n"); }

  TestCa ca_;
};

TEST_F(StoresE2eTest, KubernetesSecretsExportGivesSecretInputs) {
  const std::string dump = SerialsDump();
  const std::vector<std::string> items = {
      Secret("prod", "www-tls", "kubernetes.io/tls",
             absl::StrCat(Pem("0a01", "www.example.com"), TestCa::ToPem(ca_.certificate()))),
      Secret("prod", "api-tls", "kubernetes.io/tls", Pem("0a02", "api.example.com")),
      Secret("prod", "db-password", "Opaque", ""),
      Secret("prod", "broken-tls", "kubernetes.io/tls", "not a certificate"),
  };
  const std::string secrets =
      Write("secrets.json",
            absl::StrCat("{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n",
                         absl::StrJoin(items, ",\n"), "\n  ],\n  \"kind\": \"List\"\n}\n"));
  const RunResult r =
      Run({"--dump", dump, "--dump-format", "serials", "--certs", secrets, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"secret/prod/www-tls\""));
  EXPECT_THAT(r.out, HasSubstr("secrets.json:4\""));  // the Secret's line
  EXPECT_THAT(r.out, Not(HasSubstr("api-tls")));
  EXPECT_THAT(r.err, HasSubstr("secrets.json: secret/prod/broken-tls: not a certificate"));
  EXPECT_THAT(r.err, HasSubstr("--certs: 1 secret without a certificate"));
  EXPECT_THAT(r.err, HasSubstr("--certs: 3 certificates (1 of them a CA certificate, judged by "
                               "serial and issuer only) from 1 file"));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr(kKeyMarker)));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr(absl::Base64Escape(KeyPem()))));
}

TEST_F(StoresE2eTest, AcmeJsonGivesTraefikInputs) {
  const std::string dump = SerialsDump();
  ::mkdir((dir_ + "/traefik").c_str(), 0755);
  Write("traefik/acme.json",
        absl::StrCat(
            "{\n  \"le\": {\n    \"Account\": {\"Email\": \"ops@example.com\"},\n"
            "    \"Certificates\": [\n      {\n        \"domain\": {\"main\": "
            "\"example.com\", \"sans\": [\"www.example.com\"]},\n        \"certificate\": \"",
            absl::Base64Escape(Pem("0c01", "example.com")), "\",\n        \"key\": \"",
            absl::Base64Escape(KeyPem()),
            "\",\n        \"Store\": \"default\"\n      }\n    ]\n  },\n"
            "  \"staging\": {\"Account\": null, \"Certificates\": null}\n}\n"));
  const RunResult r = Run({"--dump", dump, "--dump-format", "serials", "--certs", dir_ + "/traefik",
                           "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"traefik/le/example.com\""));
  EXPECT_THAT(r.out, HasSubstr("acme.json:5\""));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr(kKeyMarker)));
}

TEST_F(StoresE2eTest, OtherJsonAndBrokenJsonAreNotCertificates) {
  const std::string dump = SerialsDump();
  ::mkdir((dir_ + "/etc").c_str(), 0755);
  Write("etc/leaf.pem", Pem("0a01", "www.example.com"));
  Write("etc/package.json", "{\"name\": \"x\"}\n");
  Write("etc/cut.json", "{\n\"kind\": \"List\",\n\"items\": [\n");
  const RunResult r = Run(
      {"--dump", dump, "--dump-format", "serials", "--certs", dir_ + "/etc", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("etc/package.json: not a certificate (JSON, but neither"));
  EXPECT_THAT(r.err, HasSubstr("etc/cut.json:"));
  EXPECT_THAT(r.err, HasSubstr("invalid JSON"));
  EXPECT_THAT(r.out, HasSubstr("\"files_without_certificates\":2"));
}

TEST_F(StoresE2eTest, ShippedExamplesGiveStoreInputs) {
  const std::string src = SERIALMATCH_SOURCE_DIR;
  const RunResult r = Run({"--dump", src + "/examples/affected-le2020.txt", "--certs",
                           src + "/examples/secrets.json", "--certs", src + "/examples/acme.json",
                           "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"shop-tls", "affected"},
                                        {"example-com-tls", "replaced"},
                                        {"payments-example.io", "listed"}}));
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"secret/shop/shop-tls\""));
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"traefik/letsencrypt/payments-example.io\""));
  EXPECT_THAT(r.err, HasSubstr("--certs: 1 secret without a certificate"));

  // The same Secrets exported as YAML give the same findings.
  const RunResult yaml = Run({"--dump", src + "/examples/affected-le2020.txt", "--certs",
                              src + "/examples/secrets.yaml", "--format", "jsonl"});
  EXPECT_EQ(yaml.exit_code, 1) << yaml.err;
  EXPECT_EQ(Statuses(yaml.out),
            (StatusSet{{"shop-tls", "affected"}, {"example-com-tls", "replaced"}}));
  EXPECT_THAT(yaml.out, HasSubstr("\"renew\":\"cmctl renew -n shop shop\""));
  EXPECT_THAT(yaml.out, HasSubstr("\"inventory\":\"" + src + "/examples/secrets.yaml:4\""));
}

}  // namespace
}  // namespace serialmatch
