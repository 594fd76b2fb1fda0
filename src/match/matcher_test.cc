#include "src/match/matcher.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::match {
namespace {

TEST(MatcherTest, SerialAndDomainFindingsWithBestMatchPerEntry) {
  Diagnostics diags("inv");
  const inventory::DomainInventory domains = *inventory::ParseDomainInventory(
      "www.example.com\n.example.com\nother.example\n", "d.csv", &diags);
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("03:E2:26\n", "s.txt", &diags);
  const Matcher matcher(&domains, &serials);

  dump::DumpRecord record;
  record.serial = "03e226";
  for (absl::string_view name : {"*.EXAMPLE.com", "www.example.com", "bad name"}) {
    record.AddName(name);
  }
  record.issued_at = "2019-12-03 21:08:34.826011675 +0000 UTC";
  record.account = "131";
  Matcher::Scratch scratch;
  std::vector<Finding> findings;
  matcher.Match(record, 42, &scratch, &findings);

  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].kind, FindingKind::kSerial);
  EXPECT_EQ(findings[0].status, FindingStatus::kAffected);
  EXPECT_EQ(findings[0].input, "03:E2:26");
  EXPECT_EQ(findings[0].serial, "03e226");
  EXPECT_EQ(findings[0].dump_line, 42u);
  EXPECT_EQ(findings[0].issued_at, "2019-12-03T21:08:34.826011675Z");
  EXPECT_EQ(findings[0].account, "131");
  EXPECT_TRUE(findings[0].name.empty());

  // www.example.com: exact (via the second name) beats wildcard (via the first).
  EXPECT_EQ(findings[1].input, "www.example.com");
  EXPECT_EQ(findings[1].match, MatchType::kExact);
  EXPECT_EQ(findings[1].name, "www.example.com");
  EXPECT_EQ(findings[1].status, FindingStatus::kListed);
  // .example.com: subtree, through the first name, normalised.
  EXPECT_EQ(findings[2].input, ".example.com");
  EXPECT_EQ(findings[2].match, MatchType::kSubtree);
  EXPECT_EQ(findings[2].name, "*.example.com");
  EXPECT_THAT(findings[2].names,
              ::testing::ElementsAre("*.EXAMPLE.com", "www.example.com", "bad name"));
}

TEST(MatcherTest, NoInventoryHitNoFinding) {
  Diagnostics diags("inv");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("ample.com\n", "d", &diags);
  const Matcher matcher(&domains, nullptr);
  dump::DumpRecord record;
  record.serial = "03e226";
  record.SetNameList("example.com  www.example.com ");
  Matcher::Scratch scratch;
  std::vector<Finding> findings;
  matcher.Match(record, 1, &scratch, &findings);
  EXPECT_TRUE(findings.empty());
}

inventory::Certificate Cert(const inventory::TestCa& ca, std::string serial,
                            std::vector<std::string> names, absl::Time not_before,
                            std::string path) {
  inventory::TestCertSpec spec;
  spec.serial_hex = std::move(serial);
  spec.names = std::move(names);
  spec.not_before = not_before;
  spec.not_after = not_before + absl::Hours(90 * 24);
  absl::StatusOr<inventory::Certificate> cert = inventory::DescribeDerCertificate(ca.Issue(spec));
  EXPECT_TRUE(cert.ok()) << cert.status();
  cert->path = std::move(path);
  return *cert;
}

std::vector<Finding> MatchOne(const Matcher& matcher, const dump::DumpRecord& record) {
  Matcher::Scratch scratch;
  std::vector<Finding> findings;
  matcher.Match(record, 7, &scratch, &findings);
  std::sort(findings.begin(), findings.end(), FindingLess);
  return findings;
}

class CertificateMatchTest : public ::testing::Test {
 protected:
  CertificateMatchTest() : ca_("R3") {
    const absl::Time feb = absl::FromUnixSeconds(1580515200);    // 2020-02-01
    const absl::Time march = absl::FromUnixSeconds(1583020800);  // 2020-03-01
    certs_.certificates = {
        Cert(ca_, "87654321", {"www.example.com", "example.com"}, feb, "old.pem"),
        Cert(ca_, "0a0b", {"*.example.com"}, march, "new.pem"),
        Cert(ca_, "0c", {"shop.example.org"}, feb, "shop.pem"),
    };
  }
  inventory::TestCa ca_;
  inventory::CertificateInventory certs_;
};

TEST_F(CertificateMatchTest, AffectedWhenTheSerialIsListedAndReplacedByANewerCertificate) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  dump::DumpRecord record;
  record.serial = "87654321";
  record.issuer = "CN=R3, O=serialmatch tests, C=US";
  record.issued_at = "2020-02-01 00:00:00 +0000 UTC";
  record.SetNameList("www.example.com example.com");
  const std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].status, FindingStatus::kReplaced);
  EXPECT_EQ(findings[0].input, "new.pem");
  EXPECT_EQ(findings[0].name, "www.example.com");
  EXPECT_EQ(findings[0].match, MatchType::kWildcard);
  EXPECT_THAT(findings[0].reason, ::testing::HasSubstr("issued 2020-03-01T00:00:00Z"));
  EXPECT_EQ(findings[1].status, FindingStatus::kAffected);
  EXPECT_EQ(findings[1].kind, FindingKind::kCertificate);
  EXPECT_EQ(findings[1].input, "old.pem");
  ASSERT_NE(findings[1].certificate, nullptr);
  EXPECT_EQ(findings[1].certificate->serial, "87654321");
  EXPECT_EQ(findings[1].certificate->not_before, "2020-02-01T00:00:00Z");
  EXPECT_EQ(findings[1].certificate->issuer, "C=US, O=serialmatch tests, CN=R3");
  EXPECT_EQ(findings[1].certificate->spki_sha256.size(), 64u);
  EXPECT_FALSE(findings[1].certificate->ari_cert_id.empty());
}

TEST_F(CertificateMatchTest, AStoreCertificateIsShownByItsLocationAndFoundInItsFile) {
  certs_.certificates[0].path = "secrets.json";
  certs_.certificates[0].line = 12;
  certs_.certificates[0].location = "secret/prod/www-tls";
  const Matcher matcher(Inventories{{}, {}, &certs_});
  dump::DumpRecord record;
  record.serial = "87654321";
  const std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].input, "secret/prod/www-tls");
  EXPECT_EQ(findings[0].inventory_path, "secrets.json");
  EXPECT_EQ(findings[0].inventory_line, 12u);
  EXPECT_EQ(CertificateFinding(certs_.certificates[0], FindingKind::kCertificate).input,
            "secret/prod/www-tls");
}

TEST_F(CertificateMatchTest, ListedWhenNoInventoryCertificateIsNewer) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  dump::DumpRecord record;
  record.serial = "ffff";
  record.issued_at = "2020-02-15T00:00:00Z";  // after old.pem and shop.pem, before new.pem
  record.SetNameList("example.com shop.example.org");
  const std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].input, "old.pem");
  EXPECT_EQ(findings[0].status, FindingStatus::kListed);
  EXPECT_EQ(findings[0].name, "example.com");
  EXPECT_EQ(findings[1].input, "shop.pem");
  EXPECT_EQ(findings[1].status, FindingStatus::kListed);

  // www.example.com has a newer certificate (new.pem): the older one is not listed for it.
  dump::DumpRecord www;
  www.serial = "fffe";
  www.issued_at = "2020-02-15T00:00:00Z";
  www.SetNameList("www.example.com");
  const std::vector<Finding> replaced = MatchOne(matcher, www);
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].input, "new.pem");
  EXPECT_EQ(replaced[0].status, FindingStatus::kReplaced);

  // Without an issue time nothing can be called newer.
  www.issued_at = {};
  const std::vector<Finding> unknown = MatchOne(matcher, www);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].status, FindingStatus::kListed);
  EXPECT_EQ(unknown[1].status, FindingStatus::kListed);
  EXPECT_THAT(unknown[0].reason, ::testing::HasSubstr("no issue time"));
}

// An intermediate whose CN is a leaf's name: a dump listing that name says nothing about the CA,
// and the CA, newer than the record, does not make the leaf replaced; its serial and issuer do
// make it affected, and its facts say it is a CA's, with the other places it was read.
TEST(CaCertificateMatchTest, JudgedBySerialAndIssuerOnly) {
  const inventory::TestCa intermediate("www.example.net");  // notBefore 2017-07-14
  inventory::CertificateInventory certs;
  certs.certificates = {Cert(intermediate, "0e", {"www.example.net"},
                             absl::FromUnixSeconds(1420070400), "fullchain.pem")};  // 2015
  absl::StatusOr<inventory::Certificate> ca =
      inventory::DescribeDerCertificate(intermediate.certificate());
  ASSERT_TRUE(ca.ok()) << ca.status();
  ASSERT_TRUE(ca->is_ca);
  ASSERT_THAT(ca->match_names(), ::testing::ElementsAre("www.example.net"));
  ca->path = "fullchain.pem";
  ca->line = 14;
  ca->also_at = {"chain.pem:1"};
  certs.certificates.push_back(*ca);
  const Matcher matcher(Inventories{{}, {}, &certs});

  dump::DumpRecord by_name;
  by_name.serial = "ffff";
  by_name.issued_at = "2016-01-01T00:00:00Z";
  by_name.SetNameList("www.example.net");
  const std::vector<Finding> listed = MatchOne(matcher, by_name);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].status, FindingStatus::kListed);
  EXPECT_EQ(listed[0].inventory_line, 1u);  // the leaf
  EXPECT_FALSE(listed[0].certificate->ca);

  dump::DumpRecord by_serial;
  by_serial.serial = "01";
  by_serial.issuer = "C=US, O=serialmatch tests, CN=www.example.net";
  const std::vector<Finding> affected = MatchOne(matcher, by_serial);
  ASSERT_EQ(affected.size(), 1u);
  EXPECT_EQ(affected[0].status, FindingStatus::kAffected);
  EXPECT_EQ(affected[0].inventory_line, 14u);
  ASSERT_NE(affected[0].certificate, nullptr);
  EXPECT_TRUE(affected[0].certificate->ca);
  EXPECT_THAT(affected[0].certificate->also_at, ::testing::ElementsAre("chain.pem:1"));

  // Under another issuer the serial is a warning, as for any certificate.
  by_serial.issuer = "CN=Other CA";
  const std::vector<Finding> warning = MatchOne(matcher, by_serial);
  ASSERT_EQ(warning.size(), 1u);
  EXPECT_EQ(warning[0].status, FindingStatus::kWarning);
}

TEST_F(CertificateMatchTest, SerialUnderAnotherIssuerIsAWarning) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  dump::DumpRecord record;
  record.serial = "0c";
  record.issuer = "/C=US/O=Other CA/CN=Other Issuing CA 1";
  const std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kWarning);
  EXPECT_THAT(findings[0].reason, ::testing::HasSubstr("Other Issuing CA 1"));
  EXPECT_FALSE(NeedsAction(findings[0].status));
}

// A CRL entry: the issuer is exact (the CRL's own), and the record is a revocation.
dump::DumpRecord CrlEntry(absl::string_view serial, absl::string_view issuer,
                          absl::string_view key_id = {}) {
  dump::DumpRecord record;
  record.serial = serial;
  record.issuer = issuer;
  record.issuer_key_id = key_id;
  record.issuer_exact = true;
  record.revoked_at = "2024-07-30T12:00:00Z";
  record.revocation_reason = "keyCompromise";
  return record;
}

TEST_F(CertificateMatchTest, RevokedByACrlOfItsOwnIssuer) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  // The same attributes in another order and case are the same name.
  const std::vector<Finding> findings =
      MatchOne(matcher, CrlEntry("0c", "CN=R3, o=SERIALMATCH tests, C=US"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kRevoked);
  EXPECT_EQ(findings[0].input, "shop.pem");
  EXPECT_EQ(findings[0].match, MatchType::kSerial);
  EXPECT_EQ(findings[0].revoked_at, "2024-07-30T12:00:00Z");
  EXPECT_EQ(findings[0].revocation_reason, "keyCompromise");
  EXPECT_TRUE(NeedsAction(findings[0].status));
}

TEST_F(CertificateMatchTest, CrlOfAnotherIssuerDoesNotRevoke) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  // A subset of the issuer's attributes agrees with a dump's issuer column, but a CRL's issuer
  // must be the whole name.
  for (const absl::string_view issuer : {"O=serialmatch tests, CN=R3", "C=US, O=Other, CN=R3",
                                         "C=US, O=serialmatch tests, CN=R3, OU=x"}) {
    const std::vector<Finding> findings = MatchOne(matcher, CrlEntry("0c", issuer));
    ASSERT_EQ(findings.size(), 1u) << issuer;
    EXPECT_EQ(findings[0].status, FindingStatus::kWarning) << issuer;
    EXPECT_THAT(findings[0].reason, ::testing::HasSubstr("not revoked by it"));
    EXPECT_FALSE(NeedsAction(findings[0].status));
  }
}

TEST_F(CertificateMatchTest, CrlKeyIdentifierMustAgreeWhenBothHaveOne) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  const std::string& aki = certs_.certificates[2].authority_key_id;
  ASSERT_FALSE(aki.empty());
  const std::string issuer = certs_.certificates[2].issuer;
  EXPECT_EQ(MatchOne(matcher, CrlEntry("0c", issuer, aki))[0].status, FindingStatus::kRevoked);
  const std::vector<Finding> other = MatchOne(matcher, CrlEntry("0c", issuer, "00ff"));
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].status, FindingStatus::kWarning);
  EXPECT_THAT(other[0].reason, ::testing::HasSubstr("key id 00ff"));
}

TEST(MatcherTest, BareSerialRevokedByACrlSaysItHasNoIssuer) {
  Diagnostics diags("inv");
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("0c\n", "s.txt", &diags);
  const Matcher matcher(nullptr, &serials);
  const std::vector<Finding> findings =
      MatchOne(matcher, CrlEntry("0c", "C=US, O=serialmatch tests, CN=R3"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kRevoked);
  EXPECT_EQ(findings[0].kind, FindingKind::kSerial);
  EXPECT_THAT(findings[0].reason, ::testing::HasSubstr("no issuer"));
  EXPECT_EQ(findings[0].revocation_reason, "keyCompromise");
}

TEST(MatcherTest, UnreadableRevocationTimeIsReportedAndTheStatusKept) {
  Diagnostics diags("inv");
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("0c\n", "s.txt", &diags);
  const Matcher matcher(nullptr, &serials);
  dump::DumpRecord record = CrlEntry("0c", "CN=R3");
  record.revoked_at = "soon";
  Diagnostics reported("dump");
  Matcher::Scratch scratch;
  scratch.diagnostics = &reported;
  std::vector<Finding> findings;
  matcher.Match(record, 3, &scratch, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kRevoked);
  EXPECT_FALSE(findings[0].revoked_at.has_value());
  EXPECT_EQ(scratch.bad_times, 1u);
  EXPECT_THAT(reported.Render(), ::testing::HasSubstr("unreadable revocation time 'soon'"));
}

TEST_F(CertificateMatchTest, FingerprintIsExactIdentity) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  std::string upper = certs_.certificates[1].sha256;
  for (char& c : upper) c = absl::ascii_toupper(static_cast<unsigned char>(c));
  dump::DumpRecord record;
  record.cert_sha256 = upper;  // any case
  std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kAffected);
  EXPECT_EQ(findings[0].match, MatchType::kSha256);
  EXPECT_EQ(findings[0].input, "new.pem");

  // The fingerprint and the serial of one record find the certificate once, as sha256, whatever
  // issuer the record names.
  record.serial = "0a0b";
  record.issuer = "CN=Someone Else";
  findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].match, MatchType::kSha256);

  // Another certificate's fingerprint, or something that is not a fingerprint, finds nothing.
  record.serial = {};
  const std::string unknown(64, 'a');  // the record views it
  record.cert_sha256 = unknown;
  EXPECT_TRUE(MatchOne(matcher, record).empty());
  record.cert_sha256 = "not-a-fingerprint";
  EXPECT_TRUE(MatchOne(matcher, record).empty());
}

// The serial is on another CA's record, which also names the certificate's name: a warning for the
// serial and listed for the name, both kept through the join's dedupe.
TEST_F(CertificateMatchTest, WarningDoesNotHideTheListedName) {
  const Matcher matcher(Inventories{{}, {}, &certs_});
  dump::DumpRecord record;
  record.serial = "0c";
  record.issuer = "C=US, O=Other CA, CN=Other Issuing CA 1";
  record.issued_at = "2020-02-15T00:00:00Z";
  record.SetNameList("shop.example.org");
  std::vector<Finding> findings = MatchOne(matcher, record);
  DedupeFindings(&findings);
  ASSERT_EQ(findings.size(), 2u);
  std::sort(findings.begin(), findings.end(),
            [](const Finding& a, const Finding& b) { return a.status < b.status; });
  EXPECT_EQ(findings[0].status, FindingStatus::kListed);
  EXPECT_EQ(findings[0].input, "shop.pem");
  EXPECT_EQ(findings[0].name, "shop.example.org");
  EXPECT_EQ(findings[1].status, FindingStatus::kWarning);
  EXPECT_EQ(findings[1].input, "shop.pem");

  // Affected still covers its own name on the same record: that is one fact.
  record.issuer = "C=US, O=serialmatch tests, CN=R3";
  findings = MatchOne(matcher, record);
  DedupeFindings(&findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kAffected);
}

TEST_F(CertificateMatchTest, IssuedAfterIgnoresOlderRecords) {
  MatchOptions options;
  options.issued_after = absl::FromUnixSeconds(1581000000);  // 2020-02-06
  const Matcher matcher(Inventories{{}, {}, &certs_}, options);
  dump::DumpRecord record;
  record.serial = "0c";
  record.issued_at = "2020-02-01T00:00:00Z";
  Matcher::Scratch scratch;
  std::vector<Finding> findings;
  matcher.Match(record, 1, &scratch, &findings);
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(scratch.issued_before, 1u);
  record.issued_at = "2020-02-07T00:00:00Z";
  matcher.Match(record, 2, &scratch, &findings);
  EXPECT_EQ(findings.size(), 1u);
  record.issued_at = {};  // unknown: kept
  matcher.Match(record, 3, &scratch, &findings);
  EXPECT_EQ(findings.size(), 2u);
  EXPECT_EQ(scratch.issued_before, 1u);
}

TEST(CertificateSerialTest, NegativeSerialMeetsNoPositiveOne) {
  const inventory::TestCa ca("R3");
  // -255: the certificate's INTEGER holds ff01, its two's complement.
  inventory::CertificateInventory certs;
  certs.certificates = {Cert(ca, "-FF", {"neg.example"}, absl::FromUnixSeconds(1580515200), "n")};
  EXPECT_EQ(certs.certificates[0].serial, "-ff");
  const Matcher matcher(Inventories{{}, {}, &certs});
  dump::DumpRecord record;
  for (absl::string_view other : {"ff", "ff01", "01"}) {
    record.serial = other;
    EXPECT_TRUE(MatchOne(matcher, record).empty()) << other;
  }
  record.serial = "-ff";
  const std::vector<Finding> findings = MatchOne(matcher, record);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, FindingStatus::kAffected);
  EXPECT_EQ(findings[0].certificate->serial, "-ff");
}

TEST_F(CertificateMatchTest, UnreadableTimesAreReportedOncePerRecordAndStillMatched) {
  Diagnostics domain_diags("inv");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("www.example.com\n", "d", &domain_diags);
  const Matcher matcher(Inventories{{&domains}, {}, &certs_, &certs_});
  dump::DumpRecord record;
  record.serial = "87654321";
  record.issued_at = "the third of December";
  record.not_after = "2020-13-01";
  record.SetNameList("www.example.com");
  Diagnostics diags("dump");
  Matcher::Scratch scratch;
  scratch.diagnostics = &diags;
  std::vector<Finding> findings;
  matcher.Match(record, 12, &scratch, &findings);
  // old.pem affected twice (certificate and endpoint), new.pem listed twice, the domain listed:
  // the issue time was needed five times, and for the certificates' statuses.
  EXPECT_EQ(findings.size(), 5u);
  for (const Finding& f : findings) {
    EXPECT_FALSE(f.issued_at.has_value());
    EXPECT_FALSE(f.not_after.has_value());
  }
  EXPECT_EQ(scratch.bad_times, 2u);
  ASSERT_EQ(diags.samples().size(), 2u);
  EXPECT_EQ(diags.samples()[0].line, 12u);
  EXPECT_EQ(diags.samples()[0].reason, "unreadable issue time 'the third of December'");
  EXPECT_EQ(diags.samples()[1].reason, "unreadable expiry time '2020-13-01'");

  // The next record is read afresh.
  record.issued_at = "2020-02-15";
  record.not_after = {};
  findings.clear();
  matcher.Match(record, 13, &scratch, &findings);
  EXPECT_EQ(scratch.bad_times, 2u);
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].issued_at, "2020-02-15T00:00:00Z");
}

TEST_F(CertificateMatchTest, TimesAreReadOnlyWhereNeeded) {
  dump::DumpRecord record;
  record.serial = "fff0";  // in no inventory
  record.issued_at = "soon";
  record.SetNameList("nobody.example");
  Matcher::Scratch scratch;
  std::vector<Finding> findings;
  const Matcher matcher(Inventories{{}, {}, &certs_});
  matcher.Match(record, 1, &scratch, &findings);
  EXPECT_EQ(scratch.bad_times, 0u);  // no finding: not read

  // With --issued-after every record's issue time is read, and a bad one is counted; the record
  // is kept.
  MatchOptions options;
  options.issued_after = absl::FromUnixSeconds(1581000000);
  const Matcher after(Inventories{{}, {}, &certs_}, options);
  after.Match(record, 2, &scratch, &findings);
  EXPECT_EQ(scratch.bad_times, 1u);
  EXPECT_EQ(scratch.issued_before, 0u);
  record.serial = "0c";
  after.Match(record, 3, &scratch, &findings);
  EXPECT_EQ(scratch.bad_times, 2u);
  EXPECT_EQ(findings.size(), 1u);
}

TEST_F(CertificateMatchTest, InvalidNamesAreReportedOncePerRecordName) {
  Diagnostics domain_diags("inv");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("www.example.com\n", "d", &domain_diags);
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("0c\n", "s", &domain_diags);
  dump::DumpRecord record;
  record.serial = "0c";
  record.SetNameList("a..example, DNS:WWW.Example.com shop!.example");
  Diagnostics diags("dump");
  Matcher::Scratch scratch;
  scratch.diagnostics = &diags;
  // Domains, certificates and endpoints all look at the names: each bad name is counted once.
  const Matcher matcher(Inventories{{&domains}, {&serials}, &certs_, &certs_});
  std::vector<Finding> findings;
  matcher.Match(record, 3, &scratch, &findings);
  EXPECT_EQ(scratch.invalid_names, 2u);
  ASSERT_EQ(diags.samples().size(), 2u);
  EXPECT_EQ(diags.samples()[0].line, 3u);
  EXPECT_EQ(diags.samples()[0].reason, "invalid name 'a..example': empty label");
  EXPECT_THAT(diags.samples()[1].reason,
              ::testing::StartsWith("invalid name 'shop!.example': character"));
  // The valid name still matches, normalised, and the serial too.
  const auto domain = std::find_if(findings.begin(), findings.end(),
                                   [](const Finding& f) { return f.kind == FindingKind::kDomain; });
  ASSERT_NE(domain, findings.end());
  EXPECT_EQ(domain->name, "www.example.com");
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const Finding& f) { return f.kind == FindingKind::kSerial; }),
            1);

  // A serial-only join does not look at the names.
  const Matcher serial_only(nullptr, &serials);
  serial_only.Match(record, 4, &scratch, &findings);
  EXPECT_EQ(scratch.invalid_names, 2u);
}

TEST(IssuerAgreesTest, ComparesCommonNamesInAnyNotation) {
  inventory::Certificate cert;
  cert.issuer = "C=US, O=Let's Encrypt, CN=R3";
  cert.issuer_cn = "R3";
  EXPECT_TRUE(IssuerAgrees("", cert));
  EXPECT_TRUE(IssuerAgrees("C=US, O=Let's Encrypt, CN=R3", cert));
  EXPECT_TRUE(IssuerAgrees("/C=US/O=Let's Encrypt/CN=R3", cert));
  EXPECT_TRUE(IssuerAgrees("CN = r3, O = Let's Encrypt, C = US", cert));
  EXPECT_TRUE(IssuerAgrees("R3", cert));
  EXPECT_FALSE(IssuerAgrees("C=US, O=Let's Encrypt, CN=R10", cert));
  EXPECT_FALSE(IssuerAgrees("E1", cert));
}

inventory::Certificate LetsEncryptR3() {
  inventory::Certificate cert;
  cert.issuer = "C=US, O=Let's Encrypt, CN=R3";  // as inventory/certificates.cc writes it
  cert.issuer_cn = "R3";
  return cert;
}

TEST(IssuerAgreesTest, FewerAttributesAgree) {
  const inventory::Certificate cert = LetsEncryptR3();
  EXPECT_TRUE(IssuerAgrees("O=Let's Encrypt", cert));
  EXPECT_TRUE(IssuerAgrees("C=US, O=Let's Encrypt", cert));
  EXPECT_TRUE(IssuerAgrees("CN=R3", cert));
  EXPECT_FALSE(IssuerAgrees("O=Let's Encrypt Inc", cert));
  EXPECT_FALSE(IssuerAgrees("C=GB, O=Let's Encrypt", cert));
  EXPECT_FALSE(IssuerAgrees("O=Let's Encrypt, L=San Francisco", cert));  // one the cert lacks
}

TEST(IssuerAgreesTest, LongAttributeNamesAndOids) {
  const inventory::Certificate cert = LetsEncryptR3();
  EXPECT_TRUE(IssuerAgrees("commonName=R3, organizationName=Let's Encrypt, countryName=US", cert));
  EXPECT_TRUE(IssuerAgrees("2.5.4.3=R3, 2.5.4.10=Let's Encrypt", cert));
  EXPECT_TRUE(IssuerAgrees("OID.2.5.4.6=US + OID.2.5.4.3=R3", cert));
  EXPECT_TRUE(IssuerAgrees("COMMONNAME=r3", cert));
  EXPECT_FALSE(IssuerAgrees("commonName=R10, organizationName=Let's Encrypt", cert));
  EXPECT_FALSE(IssuerAgrees("organizationalUnitName=R3", cert));  // the type matters
}

TEST(IssuerAgreesTest, AnyOrder) {
  const inventory::Certificate cert = LetsEncryptR3();
  EXPECT_TRUE(IssuerAgrees("CN=R3,O=Let's Encrypt,C=US", cert));  // RFC 4514 order
  EXPECT_TRUE(IssuerAgrees("/CN=R3/O=Let's Encrypt/C=US", cert));
  EXPECT_TRUE(IssuerAgrees("O=Let's Encrypt; CN=R3", cert));
}

TEST(IssuerAgreesTest, SeparatorsEscapesQuotesAndWhiteSpace) {
  inventory::Certificate cert;
  // X509_NAME_print_ex with RFC 2253 escaping, as inventory/certificates.cc calls it.
  cert.issuer =
      "C=US, O=DigiCert\\, Inc., OU=www.digicert.com, CN=DigiCert TLS RSA SHA256 2020 CA1";
  cert.issuer_cn = "DigiCert TLS RSA SHA256 2020 CA1";
  EXPECT_TRUE(IssuerAgrees("CN=DigiCert TLS RSA SHA256 2020 CA1,O=DigiCert\\, Inc.,C=US", cert));
  EXPECT_TRUE(
      IssuerAgrees("C=US, O=\"DigiCert, Inc.\", CN=DigiCert TLS RSA SHA256 2020 CA1", cert));
  EXPECT_TRUE(IssuerAgrees("C=US, O=DigiCert, Inc., CN=DigiCert TLS RSA SHA256 2020 CA1", cert));
  EXPECT_TRUE(IssuerAgrees("/C=US/O=DigiCert, Inc./OU=www.digicert.com", cert));
  EXPECT_TRUE(IssuerAgrees("CN =  digicert  tls rsa\tSHA256 2020 CA1 ", cert));
  EXPECT_TRUE(IssuerAgrees("O=DigiCert\\2C Inc.", cert));  // RFC 4514 hex escape
  EXPECT_FALSE(IssuerAgrees("O=DigiCert", cert));
  EXPECT_FALSE(IssuerAgrees("CN=DigiCert TLS RSA SHA256 2020 CA2, O=DigiCert\\, Inc.", cert));

  inventory::Certificate utf8;
  utf8.issuer =
      "C=DE, O=Musterstadt Zertifizierungsstelle, CN=Stra\xC3\x9F"
      "e CA 1";
  utf8.issuer_cn =
      "Stra\xC3\x9F"
      "e CA 1";
  EXPECT_TRUE(IssuerAgrees("CN=Stra\\C3\\9Fe CA 1", utf8));
  EXPECT_TRUE(
      IssuerAgrees("cn=STRA\xC3\x9F"
                   "E ca 1",
                   utf8));

  inventory::Certificate multi;
  multi.issuer = "DC=com, DC=example + CN=Example Issuing CA, emailAddress=pki@example.com";
  multi.issuer_cn = "Example Issuing CA";
  EXPECT_TRUE(IssuerAgrees("CN=Example Issuing CA, DC=example, DC=com", multi));
  EXPECT_TRUE(IssuerAgrees("E=PKI@example.com", multi));
  EXPECT_TRUE(IssuerAgrees("domainComponent=example", multi));
  EXPECT_FALSE(IssuerAgrees("DC=org, CN=Example Issuing CA", multi));
}

TEST(IssuerAgreesTest, BareNamesKeepTheWholeNameRule) {
  const inventory::Certificate cert = LetsEncryptR3();
  EXPECT_TRUE(IssuerAgrees("R3", cert));
  EXPECT_TRUE(IssuerAgrees("r3", cert));
  EXPECT_TRUE(IssuerAgrees("\"R3\"", cert));
  EXPECT_FALSE(IssuerAgrees("Let's Encrypt R3", cert));
  EXPECT_FALSE(IssuerAgrees("Let's Encrypt", cert));
  EXPECT_FALSE(IssuerAgrees("R3 (Let's Encrypt) CN=R3", cert));
}

TEST(DropReplacedOfAffectedTest, AffectedCertificateIsNotAlsoReplaced) {
  Finding affected;
  affected.kind = FindingKind::kCertificate;
  affected.status = FindingStatus::kAffected;
  affected.certificate = std::make_shared<const CertificateFacts>();
  affected.inventory_path = "a.pem";
  affected.inventory_line = 1;
  Finding replaced = affected;
  replaced.status = FindingStatus::kReplaced;
  replaced.dump_line = 9;
  Finding other = replaced;
  other.inventory_path = "b.pem";
  std::vector<Finding> findings = {affected, replaced, other};
  DropReplacedOfAffected(&findings);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].status, FindingStatus::kAffected);
  EXPECT_EQ(findings[1].inventory_path, "b.pem");
}

}  // namespace
}  // namespace serialmatch::match
