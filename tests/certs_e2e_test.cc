// End-to-end tests of the certificate inventory (--certs): certificates issued at test time by a
// throwaway CA, written as PEM, bundles, DER and directory trees, joined against generated dumps.
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

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
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kJan = absl::FromUnixSeconds(1577836800);    // 2020-01-01
const absl::Time kFeb = absl::FromUnixSeconds(1580515200);    // 2020-02-01
const absl::Time kMarch = absl::FromUnixSeconds(1583020800);  // 2020-03-01

std::string Issue(const TestCa& ca, std::string serial, std::vector<std::string> names,
                  absl::Time not_before) {
  TestCertSpec spec;
  spec.serial_hex = std::move(serial);
  spec.names = std::move(names);
  spec.not_before = not_before;
  spec.not_after = not_before + absl::Hours(90 * 24);
  return ca.Issue(spec);
}

class CertsE2eTest : public E2eTest {
 protected:
  CertsE2eTest() : ca_("R3") {}

  // A Let's Encrypt 2020-style dump: old.pem's serial, a newer listing for shop.example.org, and
  // münchen.de.
  std::string IncidentDump() {
    return Write(
        "dump.txt",
        absl::StrCat(
            Le2020Line("87654321", "www.example.com example.com", "2020-02-01 00:00:00 +0000 UTC"),
            Le2020Line("03aa", "shop.example.org", "2020-02-15 00:00:00 +0000 UTC"),
            Le2020Line("03bb", "münchen.de", "2020-02-15 00:00:00 +0000 UTC"),
            Le2020Line("03cc", "ample.com", "2020-02-15 00:00:00 +0000 UTC")));
  }

  TestCa ca_;
};

TEST_F(CertsE2eTest, AffectedReplacedAndListed) {
  const std::string dump = IncidentDump();
  ::mkdir((dir_ + "/live").c_str(), 0755);
  // First serial byte >= 0x80: its DER content starts with 00.
  Write("live/old.pem",
        TestCa::ToPem(Issue(ca_, "87654321", {"www.example.com", "example.com"}, kFeb)));
  Write("live/new.pem",
        TestCa::ToPem(Issue(ca_, "0a0b", {"*.example.com", "example.com"}, kMarch)));
  Write("live/shop.pem", TestCa::ToPem(Issue(ca_, "0c", {"shop.example.org"}, kFeb)));
  Write("live/idn.pem", TestCa::ToPem(Issue(ca_, "0d", {"xn--mnchen-3ya.de"}, kJan)));
  Write("live/example.pem", TestCa::ToPem(Issue(ca_, "0e", {"example.com.au"}, kJan)));

  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/live", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const StatusSet expected = {
      {"idn.pem", "listed"},
      {"new.pem", "replaced"},
      {"old.pem", "affected"},
      {"shop.pem", "listed"},
  };
  EXPECT_EQ(Statuses(r.out), expected) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"kind\":\"certificate\""));
  EXPECT_THAT(r.out,
              HasSubstr("\"serial\":\"87654321\",\"issuer\":\"C=US, O=serialmatch tests, CN=R3\""));
  EXPECT_THAT(r.out, HasSubstr("\"not_before\":\"2020-02-01T00:00:00Z\""));
  EXPECT_THAT(r.out, HasSubstr("\"spki_sha256\":\""));
  EXPECT_THAT(r.out, HasSubstr("\"ari_cert_id\":\""));
  EXPECT_THAT(r.out, HasSubstr(".AIdlQyE\""));  // base64url of 00 87 65 43 21
  EXPECT_THAT(r.out, HasSubstr("\"name\":\"xn--mnchen-3ya.de\""));
  EXPECT_THAT(r.err, HasSubstr("--certs: 5 certificates from 5 files"));
  EXPECT_THAT(r.err, HasSubstr("1 affected, 2 listed, 1 replaced"));
}

TEST_F(CertsE2eTest, OnlyReplacedNeedsNoAction) {
  const std::string dump = IncidentDump();
  const std::string cert =
      Write("new.pem", TestCa::ToPem(Issue(ca_, "0a0b", {"www.example.com"}, kMarch)));
  const RunResult r = Run({"--dump", dump, "--certs", cert, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"new.pem", "replaced"}}));
  EXPECT_THAT(r.out, HasSubstr("after the listed certificate (issued 2020-02-01T00:00:00Z)"));
}

TEST_F(CertsE2eTest, BundlesDerAndATreeWithJunk) {
  const std::string dump = IncidentDump();
  ::mkdir((dir_ + "/tree").c_str(), 0755);
  ::mkdir((dir_ + "/tree/nested").c_str(), 0755);
  Write("tree/fullchain.pem",
        absl::StrCat(TestCa::ToPem(Issue(ca_, "87654321", {"www.example.com"}, kFeb)),
                     TestCa::ToPem(ca_.certificate())));
  Write("tree/privkey.pem", TestCa::PrivateKeyPem());
  Write("tree/nested/shop.der", Issue(ca_, "0c", {"shop.example.org"}, kFeb));
  Write("tree/nested/notes.txt", "renew me\n");
  Write("tree/nested/random.bin", std::string("\x30\x03\x02\x01", 4));
  ASSERT_EQ(::symlink("missing.pem", (dir_ + "/tree/dangling.pem").c_str()), 0);

  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/tree", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"fullchain.pem", "affected"}, {"shop.der", "listed"}}));
  EXPECT_THAT(r.out, HasSubstr("fullchain.pem:1\""));
  EXPECT_THAT(r.err, HasSubstr("tree/privkey.pem (PRIVATE KEY): no certificate in this file"));
  EXPECT_THAT(r.err, HasSubstr("tree/nested/notes.txt: not a certificate"));
  EXPECT_THAT(r.err, HasSubstr("tree/nested/random.bin: not a certificate"));
  EXPECT_THAT(r.err, HasSubstr("tree/dangling.pem: cannot read"));
  EXPECT_THAT(r.err,
              HasSubstr("--certs: 3 certificates (1 of them a CA certificate, judged by serial and "
                        "issuer only) from 5 files"));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr("PRIVATE KEY-----")));

  // The same with --strict: the unreadable and junk files are problems.
  const RunResult strict =
      Run({"--dump", dump, "--certs", dir_ + "/tree", "--format", "jsonl", "--strict"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  EXPECT_THAT(strict.err, HasSubstr("--strict: 3 problems"));
}

TEST_F(CertsE2eTest, Pkcs7BundlesAndDerWithANewlineAreCertificates) {
  const std::string dump = IncidentDump();
  ::mkdir((dir_ + "/p7").c_str(), 0755);
  // A Windows certificate export (DER .p7b) of the listed certificate and its CA, a PEM .p7c of
  // shop.example.org's, and a DER certificate with a newline after it, under names saying nothing.
  Write("p7/export.p7b",
        TestCa::ToPkcs7({Issue(ca_, "87654321", {"www.example.com"}, kFeb), ca_.certificate()}));
  Write("p7/shop.bin", TestCa::ToPkcs7({Issue(ca_, "0c", {"shop.example.org"}, kFeb)}, true));
  Write("p7/munich.crt", Issue(ca_, "0d", {"xn--mnchen-3ya.de"}, kFeb) + "\n");
  Write("p7/empty.p7b", TestCa::ToPkcs7({}));

  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/p7", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(
      Statuses(r.out),
      (StatusSet{{"export.p7b", "affected"}, {"munich.crt", "listed"}, {"shop.bin", "listed"}}));
  EXPECT_THAT(r.err,
              HasSubstr("--certs: 4 certificates (1 of them a CA certificate, judged by serial and "
                        "issuer only) from 4 files"));
  EXPECT_THAT(r.err, HasSubstr("p7/empty.p7b: PKCS#7 bundle without certificates"));
  EXPECT_THAT(r.err, Not(HasSubstr("no certificate in this file")));
  EXPECT_THAT(r.err, Not(HasSubstr("not a certificate")));
}

// Run as nobody: root reads any file whatever its mode.
TEST_F(CertsE2eTest, UnreadableFileIsReported) {
  const std::string dump = IncidentDump();
  const std::string good =
      Write("good.pem", TestCa::ToPem(Issue(ca_, "0c", {"shop.example.org"}, kFeb)));
  const std::string secret =
      Write("secret.pem", TestCa::ToPem(Issue(ca_, "0f", {"x.example"}, kFeb)));
  ASSERT_EQ(::chmod(secret.c_str(), 0), 0);
  ::mkdir((dir_ + "/d").c_str(), 0755);
  ASSERT_EQ(::symlink(good.c_str(), (dir_ + "/d/good.pem").c_str()), 0);
  ASSERT_EQ(::symlink(secret.c_str(), (dir_ + "/d/unreadable.pem").c_str()), 0);
  const RunResult r =
      RunUnprivileged({"--dump", dump, "--certs", dir_ + "/d", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("/d/unreadable.pem: cannot open: Permission denied"));
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"good.pem", "listed"}}));
}

TEST_F(CertsE2eTest, SerialUnderAnotherIssuerIsAWarning) {
  const std::string dump =
      Write("crtsh.json",
            R"([{"issuer_name":"C=US, O=Other CA, CN=Other CA 1","common_name":"z.example",)"
            R"("name_value":"z.example","id":1,"not_before":"2020-02-01T00:00:00",)"
            R"("not_after":"2020-05-01T00:00:00","serial_number":"0c"},)"
            R"({"issuer_name":"C=US, O=serialmatch tests, CN=R3","common_name":"q.example",)"
            R"("name_value":"q.example","id":2,"not_before":"2020-02-01T00:00:00",)"
            R"("not_after":"2020-05-01T00:00:00","serial_number":"0d"}])");
  Write("a.pem", TestCa::ToPem(Issue(ca_, "0c", {"shop.example.org"}, kFeb)));
  Write("b.pem", TestCa::ToPem(Issue(ca_, "0d", {"other.example.org"}, kFeb)));
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/a.pem", "--certs", dir_ + "/b.pem",
                           "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"a.pem", "warning"}, {"b.pem", "affected"}}));
  EXPECT_THAT(r.out, HasSubstr("listed for issuer 'C=US, O=Other CA, CN=Other CA 1'"));
}

TEST_F(CertsE2eTest, IssuedAfterAndIssuerNarrowTheJob) {
  const std::string dump = IncidentDump();
  Write("old.pem", TestCa::ToPem(Issue(ca_, "87654321", {"www.example.com"}, kFeb)));
  Write("shop.pem", TestCa::ToPem(Issue(ca_, "0c", {"shop.example.org"}, kFeb)));
  const std::string old_pem = dir_ + "/old.pem";
  const std::string shop_pem = dir_ + "/shop.pem";

  const RunResult later = Run({"--dump", dump, "--certs", old_pem, "--certs", shop_pem,
                               "--issued-after", "2020-02-10", "--format", "jsonl"});
  EXPECT_EQ(later.exit_code, 1) << later.err;
  EXPECT_EQ(Statuses(later.out), (StatusSet{{"shop.pem", "listed"}}));
  EXPECT_THAT(later.err, HasSubstr("--issued-after: 1 record issued earlier ignored"));

  const RunResult other = Run({"--dump", dump, "--certs", old_pem, "--issuer", "O=Other CA"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err,
              HasSubstr("--issuer 'O=Other CA' matches the issuer of none of the 1 certificate"));

  const RunResult ours =
      Run({"--dump", dump, "--certs", old_pem, "--issuer", "cn=r3", "--format", "jsonl"});
  EXPECT_EQ(ours.exit_code, 1) << ours.err;
  EXPECT_EQ(Statuses(ours.out), (StatusSet{{"old.pem", "affected"}}));
}

// A fullchain.pem: a leaf and the intermediate that issued it, whose CN is a DNS name.
TEST_F(CertsE2eTest, IntermediateIsJudgedBySerialAndIssuerOnly) {
  const TestCa intermediate("ca.example.net");  // serial 01, notBefore 2017
  const std::string fullchain =
      Write("fullchain.pem",
            absl::StrCat(TestCa::ToPem(Issue(intermediate, "0c", {"shop.example.org"}, kFeb)),
                         TestCa::ToPem(intermediate.certificate())));

  // A record naming the intermediate's CN: no finding for the CA.
  const std::string by_name =
      Write("names.txt", Le2020Line("03aa", "ca.example.net", "2020-02-15 00:00:00 +0000 UTC"));
  const RunResult named = Run({"--dump", by_name, "--certs", fullchain, "--format", "jsonl"});
  EXPECT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out, "");
  EXPECT_THAT(named.err, HasSubstr("--certs: 2 certificates (1 of them a CA certificate, judged "
                                   "by serial and issuer only) from 1 file"));

  // A record listing its serial under its issuer: the CA is affected, and says it is a CA.
  const std::string by_serial =
      Write("crtsh.json", R"([{"issuer_name":"C=US, O=serialmatch tests, CN=ca.example.net",)"
                          R"("common_name":"ca.example.net","name_value":"ca.example.net","id":1,)"
                          R"("not_before":"2017-07-14T02:40:00","not_after":"2033-05-18T03:33:20",)"
                          R"("serial_number":"01"}])");
  const RunResult listed = Run({"--dump", by_serial, "--certs", fullchain, "--format", "jsonl"});
  EXPECT_EQ(listed.exit_code, 1) << listed.err;
  EXPECT_EQ(Statuses(listed.out), (StatusSet{{"fullchain.pem", "affected"}}));
  EXPECT_THAT(listed.out, HasSubstr("\"match\":\"serial\""));
  EXPECT_THAT(listed.out, HasSubstr("\"ca\":true,\"also_at\":[],\"store\":\"file\","
                                    "\"renew\":null,\"renew_note\":\"a CA certificate ("));
}

// certbot's live/ directory: cert.pem, chain.pem and fullchain.pem repeat two certificates.
TEST_F(CertsE2eTest, OneCertificateInSeveralFilesGivesOneFinding) {
  const std::string dump = IncidentDump();
  ::mkdir((dir_ + "/live").c_str(), 0755);
  const std::string leaf =
      TestCa::ToPem(Issue(ca_, "87654321", {"www.example.com", "example.com"}, kFeb));
  const std::string chain = TestCa::ToPem(ca_.certificate());
  Write("live/cert.pem", leaf);
  Write("live/chain.pem", chain);
  Write("live/fullchain.pem", absl::StrCat(leaf, chain));

  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/live", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"cert.pem", "affected"}}));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"ca\":false,\"also_at\":[\"", dir_,
                                            "/live/fullchain.pem:1\"],\"store\":\"file\"")));
  EXPECT_THAT(r.err, HasSubstr("--certs: 2 certificates (1 of them a CA certificate, judged by "
                               "serial and issuer only) from 3 files"));
  EXPECT_THAT(r.err, HasSubstr("--certs: 2 certificates found in more than one file (one "
                               "finding each)"));

  // The summary counts distinct certificates; the text table names the other place.
  const RunResult json = Run({"--dump", dump, "--certs", dir_ + "/live", "--format", "json"});
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"kind\":\"certs\",\"path\":\"", dir_,
                                               "/live\",\"entries\":2,")));
  const RunResult text = Run({"--dump", dump, "--certs", dir_ + "/live"});
  EXPECT_THAT(text.out,
              HasSubstr(absl::StrCat("/live/cert.pem (also ", dir_, "/live/fullchain.pem:1)")));
}

TEST_F(CertsE2eTest, MissingCertsPathIsUnusableInput) {
  const std::string dump = IncidentDump();
  const RunResult r = Run({"--dump", dump, "--certs", dir_ + "/no-such-dir"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--certs " + dir_ + "/no-such-dir: No such file or directory"));
}

}  // namespace
}  // namespace serialmatch
