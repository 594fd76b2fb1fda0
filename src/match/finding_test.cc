#include "src/match/finding.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace serialmatch::match {
namespace {

Finding CertificateFinding(FindingStatus status, uint64_t dump_line, std::string issuer = "") {
  Finding f;
  f.kind = FindingKind::kCertificate;
  f.status = status;
  f.input = "cert.pem";
  f.inventory_path = "cert.pem";
  f.inventory_line = 1;
  f.dump_path = "dump.csv";
  f.dump_line = dump_line;
  f.serial = "0a0b";
  f.issuer = std::move(issuer);
  return f;
}

// crt.sh lists a precertificate and its certificate, some CAs a certificate several times: one
// finding, whatever order the findings come in.
TEST(DedupeFindingsTest, RepeatedFindingIsKeptOnceFromTheEarliestLine) {
  std::vector<Finding> findings;
  for (uint64_t line : {9, 3, 12, 5}) {
    findings.push_back(CertificateFinding(FindingStatus::kAffected, line, "C=US, CN=R3"));
  }
  std::mt19937 rng(1);
  for (int round = 0; round < 8; ++round) {
    std::vector<Finding> shuffled = findings;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    DedupeFindings(&shuffled);
    ASSERT_EQ(shuffled.size(), 1u);
    EXPECT_EQ(shuffled[0].dump_line, 3u);
  }
}

// Serials are unique per issuer only: the records of two CAs are two certificates.
TEST(DedupeFindingsTest, SameSerialUnderTwoIssuersStaysTwoFindings) {
  std::vector<Finding> findings = {CertificateFinding(FindingStatus::kAffected, 4, "CN=R3"),
                                   CertificateFinding(FindingStatus::kAffected, 2, "CN=Other CA"),
                                   CertificateFinding(FindingStatus::kAffected, 8, "CN=R3")};
  DedupeFindings(&findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].dump_line, 2u);
  EXPECT_EQ(findings[0].issuer, "CN=Other CA");
  EXPECT_EQ(findings[1].dump_line, 4u);
  EXPECT_EQ(findings[1].issuer, "CN=R3");
}

// A serial listed under another issuer (warning) and the certificate's name on the same record
// (listed) are two facts; the warning must not hide the finding that needs action.
TEST(DedupeFindingsTest, KeepsFindingsOfDifferentStatuses) {
  Finding warning = CertificateFinding(FindingStatus::kWarning, 7, "CN=Other CA");
  Finding listed = CertificateFinding(FindingStatus::kListed, 7, "CN=Other CA");
  listed.name = "www.example.com";
  std::vector<Finding> findings = {listed, warning};
  DedupeFindings(&findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(),
                          [](const Finding& f) { return f.status == FindingStatus::kListed; }));
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(),
                          [](const Finding& f) { return f.status == FindingStatus::kWarning; }));
}

TEST(DedupeFindingsTest, FindingsWithoutSerialAreAllKept) {
  Finding a = CertificateFinding(FindingStatus::kListed, 3);
  a.serial.clear();
  Finding b = a;
  b.dump_line = 4;
  std::vector<Finding> findings = {b, a};
  DedupeFindings(&findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].dump_line, 3u);  // FindingLess order
}

}  // namespace
}  // namespace serialmatch::match
