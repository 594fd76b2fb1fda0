// End-to-end tests of the key comparison (status mismatch), the renew fields and --format plan,
// on certbot, acme.sh and Kubernetes stores written at test time.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class RenewE2eTest : public E2eTest {
 protected:
  RenewE2eTest() : ca_("R3") {}

  // Makes every directory of `relative` (a path under the test's directory).
  void MakeDirs(absl::string_view relative) {
    std::string path = dir_;
    for (absl::string_view part : absl::StrSplit(relative, '/', absl::SkipEmpty())) {
      absl::StrAppend(&path, "/", part);
      ::mkdir(path.c_str(), 0755);
    }
  }

  // A leaf for `name` with `serial`; its key in `*key_pem`.
  std::string Leaf(absl::string_view serial, absl::string_view name, std::string* key_pem) {
    TestCertSpec spec;
    spec.serial_hex = std::string(serial);
    spec.names = {std::string(name)};
    return TestCa::ToPem(ca_.Issue(spec, key_pem));
  }

  // certbot's live/NAME/ with cert.pem, chain.pem, fullchain.pem and privkey.pem (the
  // certificate's own key, or another one when `mismatched`).
  void CertbotLineage(absl::string_view name, absl::string_view serial, bool mismatched) {
    const std::string dir = absl::StrCat("letsencrypt/live/", name);
    MakeDirs(dir);
    std::string key;
    const std::string leaf = Leaf(serial, name, &key);
    const std::string chain = TestCa::ToPem(ca_.certificate());
    Write(dir + "/cert.pem", leaf);
    Write(dir + "/chain.pem", chain);
    Write(dir + "/fullchain.pem", absl::StrCat(leaf, chain));
    Write(dir + "/privkey.pem", mismatched ? TestCa::PrivateKeyPem() : key);
  }

  // The lines of a plan that are commands (neither comments nor blank).
  static std::vector<std::string> Commands(absl::string_view plan) {
    std::vector<std::string> out;
    for (absl::string_view line : absl::StrSplit(plan, '\n', absl::SkipEmpty())) {
      if (line[0] != '#') out.emplace_back(line);
    }
    return out;
  }

  TestCa ca_;
};

TEST_F(RenewE2eTest, CertbotKeyMismatchIsAFindingWithoutAnyDumpHit) {
  CertbotLineage("good.example", "0a01", /*mismatched=*/false);
  CertbotLineage("racy.example", "0a02", /*mismatched=*/true);
  const std::string dump =
      Write("dump.txt", Le2020Line("0bff", "unrelated.example", "2020-02-01 00:00:00 +0000 UTC"));
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/letsencrypt", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"cert.pem", "mismatch"}}));
  EXPECT_THAT(r.out, HasSubstr("/live/racy.example/cert.pem"));
  EXPECT_THAT(r.out, Not(HasSubstr("/live/good.example/cert.pem\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"reason\":\"the private key ", dir_,
                                            "/letsencrypt/live/racy.example/privkey.pem is not "
                                            "the certificate's: certificate public key sha256 ")));
  EXPECT_THAT(r.out, HasSubstr("\"store\":\"certbot\",\"renew\":\"certbot renew --cert-name "
                               "racy.example --force-renewal\""));
  EXPECT_THAT(r.err, HasSubstr("--certs: 2 private keys compared with their certificates"));
  EXPECT_THAT(r.err, HasSubstr("1 mismatch"));
}

TEST_F(RenewE2eTest, AffectedAndMismatchOfOneLineageGiveOneCommandInThePlan) {
  CertbotLineage("www.example", "0a03", /*mismatched=*/true);
  CertbotLineage("shop.example", "0a04", /*mismatched=*/false);
  MakeDirs("acme/api.example_ecc");
  std::string key;
  const std::string api = Leaf("0a05", "api.example", &key);
  Write("acme/api.example_ecc/api.example.cer", api);
  Write("acme/api.example_ecc/api.example.key", key);
  Write("acme/api.example_ecc/fullchain.cer", absl::StrCat(api, TestCa::ToPem(ca_.certificate())));
  Write("plain.pem", Leaf("0a06", "plain.example", &key));
  const std::string dump =
      Write("dump.txt",
            absl::StrCat(Le2020Line("0a03", "www.example", "2020-02-01 00:00:00 +0000 UTC"),
                         Le2020Line("0a05", "api.example", "2020-02-01 00:00:00 +0000 UTC"),
                         Le2020Line("0a06", "plain.example", "2020-02-01 00:00:00 +0000 UTC"),
                         Le2020Line("0fff", "shop.example", "2020-02-01 00:00:00 +0000 UTC")));
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/letsencrypt", "--certs",
                           dir_ + "/acme", "--certs", dir_ + "/plain.pem", "--format", "plan"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, testing::StartsWith("#!/bin/sh\n"));
  // www.example: affected and mismatch, one command; shop.example: listed by name (another serial).
  EXPECT_THAT(Commands(r.out),
              ElementsAre("acme.sh --renew -d api.example --force --ecc",
                          "certbot renew --cert-name shop.example --force-renewal",
                          "certbot renew --cert-name www.example --force-renewal"));
  EXPECT_THAT(r.out, HasSubstr("#   affected: " + dir_ + "/letsencrypt/live/www.example/cert.pem"));
  EXPECT_THAT(r.out, HasSubstr("#   mismatch: " + dir_ + "/letsencrypt/live/www.example/cert.pem"));
  EXPECT_THAT(r.out, HasSubstr("# Without a command:\n#   affected: " + dir_ + "/plain.pem"));
  EXPECT_THAT(r.out, HasSubstr("no known store for " + dir_ + "/plain.pem"));
}

TEST_F(RenewE2eTest, HostileLineageNamesNeverBecomeCommandLines) {
  // A directory name is third-party text: quoted when it can be, left out when it cannot.
  CertbotLineage("x'; touch pwned; '", "0a07", /*mismatched=*/false);
  CertbotLineage("-rf", "0a08", /*mismatched=*/false);
  const std::string dump = Write(
      "dump.txt", absl::StrCat(Le2020Line("0a07", "a.example", "2020-02-01 00:00:00 +0000 UTC"),
                               Le2020Line("0a08", "b.example", "2020-02-01 00:00:00 +0000 UTC")));
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/letsencrypt", "--format", "plan"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(
      Commands(r.out),
      ElementsAre("certbot renew --cert-name 'x'\\''; touch pwned; '\\''' --force-renewal"));
  EXPECT_THAT(r.out, HasSubstr("the certbot lineage name cannot be written safely"));
}

TEST_F(RenewE2eTest, SecretsRenewWithCmctlOrSayTheyMustBeReissued) {
  std::string key;
  const std::string managed = Leaf("0a09", "www.example", &key);
  const std::string unmanaged = Leaf("0a0a", "old.example", &key);
  auto secret = [](absl::string_view name, absl::string_view annotations, absl::string_view crt,
                   absl::string_view tls_key) {
    return absl::StrCat("{\"kind\":\"Secret\",\"type\":\"kubernetes.io/tls\",\"metadata\":{",
                        "\"name\":\"", name, "\",\"namespace\":\"prod\",\"annotations\":{",
                        annotations, "}},\"data\":{\"tls.crt\":\"", absl::Base64Escape(crt),
                        "\",\"tls.key\":\"", absl::Base64Escape(tls_key), "\"}}");
  };
  const std::string secrets = Write(
      "secrets.json", absl::StrCat("{\"kind\":\"List\",\"items\":[",
                                   secret("www-tls", "\"cert-manager.io/certificate-name\":\"www\"",
                                          managed, TestCa::PrivateKeyPem()),
                                   ",", secret("old-tls", "", unmanaged, key), "]}"));
  const std::string dump = Write(
      "dump.txt", absl::StrCat(Le2020Line("0a09", "www.example", "2020-02-01 00:00:00 +0000 UTC"),
                               Le2020Line("0a0a", "old.example", "2020-02-01 00:00:00 +0000 UTC")));
  const RunResult json = Run({"--dump", dump, "--certs", secrets, "--format", "jsonl"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  EXPECT_EQ(Statuses(json.out),
            (StatusSet{{"www-tls", "affected"}, {"www-tls", "mismatch"}, {"old-tls", "affected"}}));
  EXPECT_THAT(json.out, HasSubstr("\"renew\":\"cmctl renew -n prod www\""));
  EXPECT_THAT(json.out, HasSubstr("secret/prod/old-tls is not managed by cert-manager"));
  EXPECT_THAT(json.out, HasSubstr("secrets.json: secret/prod/www-tls tls.key is not the "
                                  "certificate's"));

  const RunResult plan = Run({"--dump", dump, "--certs", secrets, "--format", "plan"});
  EXPECT_THAT(Commands(plan.out), ElementsAre("cmctl renew -n prod www"));
}

TEST_F(RenewE2eTest, EncryptedKeysAreCountedNotCompared) {
  MakeDirs("letsencrypt/live/enc.example");
  std::string key;
  Write("letsencrypt/live/enc.example/cert.pem", Leaf("0a0b", "enc.example", &key));
  Write("letsencrypt/live/enc.example/privkey.pem",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
  const std::string dump =
      Write("dump.txt", Le2020Line("0bff", "unrelated.example", "2020-02-01 00:00:00 +0000 UTC"));
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/letsencrypt", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--certs: 0 private keys compared with their certificates, 1 "
                               "encrypted (not compared)"));
  EXPECT_THAT(r.err, HasSubstr("privkey.pem: encrypted private key; not compared"));
  // A key not compared is no certificate left unchecked.
  EXPECT_THAT(r.out, HasSubstr("\"corrupt_certificates\":0"));

  // The same in a bundle (a key block beside its certificate), read by a parallel worker: counted.
  std::string bundle_key;
  const std::string leaf = Leaf("0a0c", "bundle.example", &bundle_key);
  Write("bundle.pem", absl::StrCat("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END "
                                   "ENCRYPTED PRIVATE KEY-----\n",
                                   leaf));
  std::string matching_key;
  const std::string matching = Leaf("0a0d", "matching.example", &matching_key);
  Write("matching.pem", absl::StrCat(bundle_key, matching, matching_key));
  const RunResult bundle = Run({"--dump", dump, "--certs", dir_ + "/bundle.pem", "--certs",
                                dir_ + "/matching.pem", "--format", "jsonl"});
  EXPECT_THAT(bundle.err, HasSubstr("--certs: 1 private key compared with its certificate, 1 "
                                    "encrypted (not compared)"));
  EXPECT_THAT(bundle.err, HasSubstr("bundle.pem:1: encrypted private key; not compared"));
  // matching.pem's first key is another certificate's: the bundle's leaf is paired with it.
  EXPECT_EQ(Statuses(bundle.out), (StatusSet{{"matching.pem", "mismatch"}}));
}

TEST_F(RenewE2eTest, ShippedStoreExamplesGiveTheirRenewCommands) {
  const std::string src = SERIALMATCH_SOURCE_DIR;
  const RunResult r = Run({"--dump", src + "/examples/affected-le2020.txt", "--certs",
                           src + "/examples/stores", "--format", "plan"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> commands = Commands(r.out);
  ASSERT_EQ(commands.size(), 3u) << r.out;
  EXPECT_EQ(commands[0], "acme.sh --renew -d payments-example.io --force --ecc");
  EXPECT_THAT(commands[1], HasSubstr("/myshop-example.com.replaced && systemctl restart caddy"));
  EXPECT_EQ(commands[2], "certbot renew --cert-name example.com --force-renewal");
  EXPECT_THAT(r.out, HasSubstr("#   mismatch: " + src +
                               "/examples/stores/letsencrypt/live/example.com/cert.pem"));
  EXPECT_THAT(r.err, HasSubstr("--certs: 3 private keys compared with their certificates"));
}

}  // namespace
}  // namespace serialmatch
