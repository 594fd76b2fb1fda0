// End-to-end tests of CRLs as dumps: CRLs and certificates issued at test time by throwaway CAs,
// joined with --dump; issuer scoping, the revoked status and its fields, signature checks
// (--crl-issuer, a --certs chain, the wrong key), staleness, empty and damaged CRLs.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using inventory::TestCrlEntry;
using inventory::TestCrlSpec;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kFar = absl::FromUnixSeconds(4102444800);  // 2100-01-01: never stale here

class CrlE2eTest : public E2eTest {
 protected:
  CrlE2eTest() : r10_("R10"), r11_("R11") {}

  // A leaf of `ca` with serial `serial`, as PEM.
  std::string Leaf(const TestCa& ca, const std::string& serial, const std::string& name) {
    TestCertSpec spec;
    spec.serial_hex = serial;
    spec.names = {name};
    return TestCa::ToPem(ca.Issue(spec));
  }

  // A CRL of `ca` revoking `serials` (the first with keyCompromise), never stale.
  static TestCrlSpec Revoking(const std::vector<std::string>& serials) {
    TestCrlSpec spec;
    spec.next_update = kFar;
    for (size_t i = 0; i < serials.size(); ++i) {
      TestCrlEntry entry;
      entry.serial_hex = serials[i];
      if (i == 0) entry.reason = 1;  // keyCompromise
      spec.entries.push_back(entry);
    }
    return spec;
  }

  TestCa r10_;
  TestCa r11_;
};

TEST_F(CrlE2eTest, CertificateListedByItsIssuersCrlIsRevoked) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string crl = Write("r10.crl", r10_.IssueCrl(Revoking({"77", "0a", "78"})));
  const RunResult r = Run({"--dump", crl, "--certs", leaf, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"leaf.pem", "revoked"}}));
  EXPECT_THAT(r.out, HasSubstr("\"match\":\"serial\""));
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":2,"));  // its position in the list
  EXPECT_THAT(r.out, HasSubstr("\"revoked_at\":\"2024-07-30T12:00:00Z\""));
  EXPECT_THAT(r.out, HasSubstr("\"revocation_reason\":null"));  // only the first has a reason
  EXPECT_THAT(r.out, HasSubstr("\"issuer\":\"C=US, O=serialmatch tests, CN=R10\""));
  EXPECT_THAT(r.err, HasSubstr("format crl (detected)"));
  EXPECT_THAT(r.err, HasSubstr("CRL of C=US, O=serialmatch tests, CN=R10, number 1"));
  EXPECT_THAT(r.err, HasSubstr("3 entries, signature unchecked"));

  // The reason of an entry that has one.
  const std::string first = Write("first.crl", r10_.IssueCrl(Revoking({"0a"})));
  const RunResult k = Run({"--dump", first, "--certs", leaf, "--format", "csv"});
  EXPECT_EQ(k.exit_code, 1) << k.err;
  EXPECT_THAT(k.out, HasSubstr(",2024-07-30T12:00:00Z,keyCompromise,"));
}

TEST_F(CrlE2eTest, AnotherIssuersCrlDoesNotRevoke) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string crl = Write("r11.crl", r11_.IssueCrl(Revoking({"0a"})));
  const RunResult r = Run({"--dump", crl, "--certs", leaf, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"leaf.pem", "warning"}}));
  EXPECT_THAT(r.out, HasSubstr("not revoked by it"));
}

TEST_F(CrlE2eTest, BareSerialsAreRevokedAndSayTheyHaveNoIssuer) {
  const std::string serials = Write("serials.txt", "0A\n99\n");
  const std::string crl = Write("r10.crl", r10_.IssueCrl(Revoking({"0a"})));
  const RunResult r = Run({"--dump", crl, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"0A", "revoked"}}));
  EXPECT_THAT(r.out, HasSubstr("--serials give no issuer"));
  EXPECT_THAT(r.out, HasSubstr("\"revocation_reason\":\"keyCompromise\""));
}

TEST_F(CrlE2eTest, SignatureCheckedWithTheChainOrCrlIssuer) {
  // certbot's fullchain.pem: the leaf, then its issuer's certificate.
  const std::string chain = Write("fullchain.pem", absl::StrCat(Leaf(r10_, "0a", "a.example"),
                                                                TestCa::ToPem(r10_.certificate())));
  const std::string crl = Write("r10.crl", r10_.IssueCrl(Revoking({"0a"})));
  const RunResult r = Run({"--dump", crl, "--certs", chain, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("signature valid"));
  EXPECT_THAT(r.out, HasSubstr("\"signature\":\"valid\""));
  EXPECT_THAT(r.out, HasSubstr("\"crls\":[{"));

  // The same CRL, PEM, checked with --crl-issuer.
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string issuer = Write("r10.pem", TestCa::ToPem(r10_.certificate()));
  const std::string pem = Write("r10.pem.crl", r10_.IssueCrl(Revoking({"0a"}), /*pem=*/true));
  const RunResult p =
      Run({"--dump", pem, "--certs", leaf, "--crl-issuer", issuer, "--format", "jsonl"});
  EXPECT_EQ(p.exit_code, 1) << p.err;
  EXPECT_THAT(p.err, HasSubstr("signature valid"));
  EXPECT_EQ(Statuses(p.out), (StatusSet{{"leaf.pem", "revoked"}}));
}

TEST_F(CrlE2eTest, CrlSignedByTheWrongKeyIsSetAsideAndFailsTheRun) {
  const TestCa impostor("R10");  // the same name, another key
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string issuer = Write("r10.pem", TestCa::ToPem(r10_.certificate()));
  TestCrlSpec forged = Revoking({"0a"});
  forged.authority_key_id = false;  // a forger need not name the key
  const std::string bad = Write("forged.crl", impostor.IssueCrl(forged));
  const RunResult r =
      Run({"--dump", bad, "--certs", leaf, "--crl-issuer", issuer, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("signature invalid"));
  EXPECT_EQ(Statuses(r.out), StatusSet{});  // nothing it says is believed

  // A later, valid CRL for the same scope supersedes it: the run stands on that one.
  TestCrlSpec later = Revoking({"0a"});
  later.authority_key_id = false;
  later.this_update += absl::Hours(1);
  later.crl_number = "2";
  const std::string good = Write("good.crl", r10_.IssueCrl(later));
  const RunResult s = Run({"--dump", bad, "--dump", good, "--certs", leaf, "--crl-issuer", issuer,
                           "--format", "jsonl"});
  EXPECT_EQ(s.exit_code, 1) << s.err;
  EXPECT_THAT(s.err, HasSubstr("signature invalid"));
  EXPECT_EQ(Statuses(s.out), (StatusSet{{"leaf.pem", "revoked"}}));
  EXPECT_THAT(s.out, HasSubstr("good.crl"));
  EXPECT_THAT(s.out, Not(HasSubstr("forged.crl")));
}

TEST_F(CrlE2eTest, StaleCrlIsSaidAndUsed) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  TestCrlSpec spec = Revoking({"0a"});
  spec.next_update = absl::FromUnixSeconds(1722945600);  // 2024-08-06, long past
  const std::string crl = Write("old.crl", r10_.IssueCrl(spec));
  const std::string metrics = dir_ + "/m.prom";
  const RunResult r =
      Run({"--dump", crl, "--certs", leaf, "--format", "json", "--metrics-file", metrics});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stale: past its nextUpdate, used all the same"));
  EXPECT_THAT(r.out, HasSubstr("\"stale\":true"));
  EXPECT_THAT(r.out, HasSubstr("\"status\":\"revoked\""));
  EXPECT_THAT(Read(metrics), HasSubstr("serialmatch_last_run_stale_crls 1\n"));
  EXPECT_THAT(Read(metrics), HasSubstr("serialmatch_last_run_crls{signature=\"unchecked\"} 1\n"));
  EXPECT_THAT(Read(metrics), HasSubstr("serialmatch_last_run_findings{status=\"revoked\"} 1\n"));
}

TEST_F(CrlE2eTest, EmptyCrlRevokesNothingAndIsNoError) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string crl = Write("empty.crl", r10_.IssueCrl(Revoking({})));
  const RunResult r = Run({"--dump", crl, "--certs", leaf});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("No findings"));
  EXPECT_THAT(r.err, HasSubstr("0 entries"));
}

TEST_F(CrlE2eTest, TruncatedCrlIsUnusable) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  std::string der = r10_.IssueCrl(Revoking({"01", "02", "03", "0a"}));
  der.resize(der.size() * 2 / 3);
  const std::string crl = Write("cut.crl", der);
  const RunResult r = Run({"--dump", crl, "--dump-format", "crl", "--certs", leaf});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cut.crl"));
  EXPECT_THAT(r.err, HasSubstr("byte"));
}

TEST_F(CrlE2eTest, TextReportShowsTheRevocation) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string crl = Write("r10.crl", r10_.IssueCrl(Revoking({"0a"})));
  const RunResult r = Run({"--dump", crl, "--certs", leaf});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("REVOKED"));
  EXPECT_THAT(r.out, HasSubstr("2024-07-30T12:00:00Z keyCompromise"));
  EXPECT_THAT(r.err, HasSubstr("1 revoked"));
}

TEST_F(CrlE2eTest, CcadbRevocationColumnsGiveTheRevokedStatus) {
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string serials = Write("serials.txt", "0b\n0c\n");
  const std::string ccadb = Write(
      "appendix.csv",
      "Serial #,Issuer,dNSNames,Is revoked?,Revocation date,Revocation reason\n"
      "0a,\"C=US, O=serialmatch tests, CN=R10\",a.example,yes,2024-07-30 12:00:00,Key Compromise\n"
      "0b,\"C=US, O=serialmatch tests, CN=R10\",b.example,no,,\n"
      "0c,\"C=US, O=serialmatch tests, CN=R10\",c.example,TRUE,,\n");
  const RunResult r =
      Run({"--dump", ccadb, "--certs", leaf, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out),
            (StatusSet{{"leaf.pem", "revoked"}, {"0b", "affected"}, {"0c", "revoked"}}));
  EXPECT_THAT(r.out, HasSubstr("\"revoked_at\":\"2024-07-30T12:00:00Z\","
                               "\"revocation_reason\":\"keyCompromise\""));
  // Revoked without a date: the status, and no time made up or reported unreadable.
  EXPECT_THAT(r.out, HasSubstr("\"revoked_at\":null"));
  EXPECT_THAT(r.err, Not(HasSubstr("unreadable")));
}

TEST_F(CrlE2eTest, FingerprintListFindsTheVeryCertificate) {
  const std::string pem = Leaf(r10_, "0a", "a.example");
  const std::string leaf = Write("leaf.pem", pem);
  const std::string other = Write("other.pem", Leaf(r11_, "0a", "b.example"));
  // The fingerprint of leaf.pem, as a crt.sh link; other.pem has the same serial, another issuer.
  const RunResult probe =
      Run({"--dump", Write("s.txt", "0a\n"), "--certs", leaf, "--format", "jsonl"});
  const size_t at = probe.out.find("\"sha256\":\"");
  ASSERT_NE(at, std::string::npos) << probe.out;
  const std::string sha256 = probe.out.substr(at + 10, 64);
  const std::string list =
      Write("fingerprints.txt", absl::StrCat("https://crt.sh/?sha256=", sha256, "\n",
                                             std::string(64, 'b'), "\nhttps://crt.sh/?id=42\n"));
  const RunResult r = Run({"--dump", list, "--certs", leaf, "--certs", other, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"leaf.pem", "affected"}}));
  EXPECT_THAT(r.out, HasSubstr("\"match\":\"sha256\""));
  EXPECT_THAT(r.err, HasSubstr("crt.sh id"));
  // A fingerprint list cannot match domains: said, exit 2.
  const RunResult d = Run({"--dump", list, "--domains", Write("d.txt", "a.example\n")});
  EXPECT_EQ(d.exit_code, 2) << d.err;
}

TEST_F(CrlE2eTest, DirectoryOfShardsIsReadShardByShard) {
  ::mkdir((dir_ + "/shards").c_str(), 0755);
  const std::string leaf = Write("leaf.pem", Leaf(r10_, "0a", "a.example"));
  const std::string other = Write("other.pem", Leaf(r10_, "2b", "b.example"));
  TestCrlSpec first = Revoking({"01", "02"});
  first.distribution_point = "http://r10.c.example/1.crl";
  TestCrlSpec second = Revoking({"0a", "03"});
  second.distribution_point = "http://r10.c.example/2.crl";
  Write("shards/1.crl", r10_.IssueCrl(first));
  Write("shards/2.crl", r10_.IssueCrl(second, /*pem=*/true));
  Write("shards/3.crl", r10_.IssueCrl(Revoking({})));
  const RunResult r =
      Run({"--dump", dir_ + "/shards", "--certs", leaf, "--certs", other, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("3 files"));
  EXPECT_THAT(r.out, HasSubstr("\"status\":\"revoked\""));
  EXPECT_THAT(r.out, HasSubstr("shards/2.crl\",\"dump_line\":1,"));
  EXPECT_THAT(r.out, HasSubstr("\"distribution_points\":[\"http://r10.c.example/2.crl\"]"));
  EXPECT_THAT(r.out, Not(HasSubstr("other.pem\",\"name\"")));  // in no shard: no finding
  EXPECT_THAT(r.out, HasSubstr("\"dumps\":3,"));
}

}  // namespace
}  // namespace serialmatch
