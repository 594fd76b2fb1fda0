#include "src/match/crl_check.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::match {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

inventory::Certificate Describe(const std::string& der) {
  absl::StatusOr<inventory::Certificate> cert = inventory::DescribeDerCertificate(der);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return *cert;
}

dump::CrlDocument First(const std::string& der) {
  absl::StatusOr<std::vector<dump::CrlDocument>> crls = dump::ReadCrls(der);
  EXPECT_TRUE(crls.ok()) << crls.status();
  return (*crls)[0];
}

TEST(CheckCrlTest, ValidInvalidAndUnchecked) {
  const inventory::TestCa ca("R10");
  const inventory::TestCa impostor("R10");  // the same name, another key
  const inventory::TestCa other("R11");
  const inventory::Certificate issuer = Describe(ca.certificate());
  const inventory::Certificate other_issuer = Describe(other.certificate());
  const std::vector<const inventory::Certificate*> issuers = {&other_issuer, &issuer};
  const absl::Time now = absl::FromUnixSeconds(1722340800 + 3600);

  const std::string crl = ca.IssueCrl({});
  const CrlVerdict valid = CheckCrl(First(crl), "r10.crl", issuers, now);
  EXPECT_EQ(valid.signature, CrlSignature::kValid) << valid.signature_note;
  EXPECT_TRUE(valid.trusted());
  EXPECT_FALSE(valid.stale);
  EXPECT_THAT(DescribeCrl(valid), HasSubstr("CRL of C=US, O=serialmatch tests, CN=R10, number 1"));

  inventory::TestCrlSpec unnamed;
  unnamed.authority_key_id = false;
  const CrlVerdict forged = CheckCrl(First(impostor.IssueCrl(unnamed)), "f.crl", issuers, now);
  EXPECT_EQ(forged.signature, CrlSignature::kInvalid);
  EXPECT_TRUE(forged.untrustworthy());

  const CrlVerdict alone = CheckCrl(First(crl), "r10.crl", {&other_issuer}, now);
  EXPECT_EQ(alone.signature, CrlSignature::kUnchecked);
  EXPECT_THAT(alone.signature_note, HasSubstr("--crl-issuer"));
  EXPECT_FALSE(alone.untrustworthy());

  // Past its nextUpdate (2024-08-06T12:00:00Z).
  EXPECT_TRUE(CheckCrl(First(crl), "r10.crl", issuers, absl::FromUnixSeconds(1800000000)).stale);
}

TEST(CheckCrlTest, UntrustedUnlessATrustedCrlOfTheScopeIsAsRecent) {
  CrlVerdict bad;
  bad.issuer = "CN=R10";
  bad.signature = CrlSignature::kInvalid;
  bad.this_update = absl::FromUnixSeconds(2000);
  CrlVerdict older = bad;
  older.signature = CrlSignature::kValid;
  older.this_update = absl::FromUnixSeconds(1000);
  CrlVerdict other_scope = older;
  other_scope.issuer = "CN=R11";
  other_scope.this_update = absl::FromUnixSeconds(3000);
  EXPECT_THAT(Untrusted({bad, older, other_scope}), ElementsAre(0));
  CrlVerdict newer = older;
  newer.this_update = absl::FromUnixSeconds(2000);
  EXPECT_TRUE(Untrusted({bad, newer}).empty());
  // A problem makes a CRL untrustworthy even with a valid signature.
  CrlVerdict odd = newer;
  odd.problems.push_back("unrecognised critical extension 1.2.3");
  EXPECT_THAT(Untrusted({odd}), ElementsAre(0));
}

TEST(CrlIssuerCandidatesTest, OnlyCaCertificatesEachOnce) {
  const inventory::TestCa ca("R10");
  inventory::CertificateInventory certs;
  certs.certificates = {Describe(ca.certificate()), Describe(ca.IssueLeaf("05")),
                        Describe(ca.certificate())};
  const std::vector<const inventory::Certificate*> found = CrlIssuerCandidates(&certs, nullptr);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0]->is_ca);
}

}  // namespace
}  // namespace serialmatch::match
