#include "src/match/matcher.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

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

}  // namespace
}  // namespace serialmatch::match
