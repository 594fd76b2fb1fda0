#include "src/index/certificate_index.h"

#include <set>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::index {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Match = std::pair<uint32_t, NameMatch>;

inventory::Certificate Cert(std::string serial, std::vector<std::string> names) {
  inventory::Certificate cert;
  cert.serial = std::move(serial);
  for (const std::string& name : names) cert.dns_names.AddMatchOnly(name);
  return cert;
}

std::set<Match> Matches(const CertificateIndex& index, absl::string_view name) {
  std::set<Match> out;
  index.ForEachNameMatch(name, [&](uint32_t cert, NameMatch how) { out.insert({cert, how}); });
  return out;
}

TEST(CertificateIndexTest, FindsEveryCertificateWithASerial) {
  const std::vector<inventory::Certificate> certs = {Cert("0a", {}), Cert("0b", {}),
                                                     Cert("0a", {})};
  const CertificateIndex index(certs);
  EXPECT_THAT(index.FindSerial("0a"), ElementsAre(0u, 2u));
  EXPECT_THAT(index.FindSerial("0b"), ElementsAre(1u));
  EXPECT_THAT(index.FindSerial("0c"), IsEmpty());
  EXPECT_FALSE(index.has_names());
}

TEST(CertificateIndexTest, CaCertificatesAreFoundBySerialAndFingerprintNotByName) {
  std::vector<inventory::Certificate> certs = {Cert("01", {"ca.example.com", "*.example.com"}),
                                               Cert("02", {"ca.example.com"})};
  certs[0].is_ca = true;
  certs[0].sha256 = "aa";
  const CertificateIndex index(certs);
  EXPECT_THAT(index.FindSerial("01"), ElementsAre(0u));
  EXPECT_THAT(index.FindSha256("aa"), ElementsAre(0u));
  EXPECT_EQ(Matches(index, "ca.example.com"), (std::set<Match>{{1, NameMatch::kExact}}));
  EXPECT_THAT(Matches(index, "www.example.com"), IsEmpty());

  const std::vector<inventory::Certificate> only_ca = {certs[0]};
  EXPECT_FALSE(CertificateIndex(only_ca).has_names());
}

TEST(CertificateIndexTest, MatchesNamesInBothWildcardDirections) {
  const std::vector<inventory::Certificate> certs = {
      Cert("01", {"www.example.com", "example.com"}),
      Cert("02", {"*.example.com"}),
      Cert("03", {"www.example.com"}),
  };
  const CertificateIndex index(certs);
  ASSERT_TRUE(index.has_names());
  EXPECT_EQ(
      Matches(index, "www.example.com"),
      (std::set<Match>{{0, NameMatch::kExact}, {1, NameMatch::kWildcard}, {2, NameMatch::kExact}}));
  // A listed wildcard concerns the certificates for the names it covers, and the same wildcard.
  EXPECT_EQ(Matches(index, "*.example.com"),
            (std::set<Match>{
                {0, NameMatch::kWildcard}, {1, NameMatch::kExact}, {2, NameMatch::kWildcard}}));
  EXPECT_EQ(Matches(index, "example.com"), (std::set<Match>{{0, NameMatch::kExact}}));
  // One label only, and never a suffix match.
  EXPECT_THAT(Matches(index, "a.www.example.com"), IsEmpty());
  EXPECT_THAT(Matches(index, "ample.com"), IsEmpty());
  EXPECT_THAT(Matches(index, "wwwexample.com"), IsEmpty());
}

}  // namespace
}  // namespace serialmatch::index
