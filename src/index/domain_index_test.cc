#include "src/index/domain_index.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::index {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class DomainIndexTest : public ::testing::Test {
 protected:
  DomainIndexTest() {
    Diagnostics diags("inv");
    inventory_ = *inventory::ParseDomainInventory(
        "www.example.net\nexample.com\nample.com\n*.wild.example\n.corp.example\nb.example.net\n",
        "inv", &diags);
    index_.emplace(inventory_.entries);
  }

  // "input/how" for every match of dump name `name`.
  std::vector<std::string> Matches(absl::string_view name) {
    std::vector<std::string> out;
    index_->ForEachMatch(name, [&](uint32_t entry, NameMatch how) {
      static constexpr const char* kHow[] = {"exact", "wildcard", "subtree"};
      out.push_back(
          absl::StrCat(inventory_.entries[entry].input(), "/", kHow[static_cast<int>(how)]));
    });
    return out;
  }

  inventory::DomainInventory inventory_;
  std::optional<DomainIndex> index_;
};

TEST_F(DomainIndexTest, Exact) {
  EXPECT_THAT(Matches("example.com"), UnorderedElementsAre("example.com/exact"));
  EXPECT_THAT(Matches("*.wild.example"), UnorderedElementsAre("*.wild.example/exact"));
}

TEST_F(DomainIndexTest, NeverSubstring) {
  EXPECT_THAT(Matches("ample.com"), UnorderedElementsAre("ample.com/exact"));
  EXPECT_THAT(Matches("xample.com"), IsEmpty());
  EXPECT_THAT(Matches("www.example.com"), IsEmpty());
  EXPECT_THAT(Matches("example.com.evil"), IsEmpty());
  EXPECT_THAT(Matches("notexample.net"), IsEmpty());
}

TEST_F(DomainIndexTest, WildcardCoversExactlyOneLabel) {
  EXPECT_THAT(Matches("*.example.net"),
              UnorderedElementsAre("www.example.net/wildcard", "b.example.net/wildcard"));
  // *.net covers example.net-level names only, not www.example.net.
  EXPECT_THAT(Matches("*.net"), IsEmpty());
  // The wildcard's own parent is not covered.
  EXPECT_THAT(Matches("*.com"), UnorderedElementsAre("example.com/wildcard", "ample.com/wildcard"));
  EXPECT_THAT(Matches("*.www.example.net"), IsEmpty());
}

TEST_F(DomainIndexTest, WildcardInventoryEntryOnlyMatchesItself) {
  EXPECT_THAT(Matches("a.wild.example"), IsEmpty());
  EXPECT_THAT(Matches("*.*.wild.example"), IsEmpty());
}

TEST_F(DomainIndexTest, SubtreeCoversApexAndEverythingUnder) {
  EXPECT_THAT(Matches("corp.example"), UnorderedElementsAre(".corp.example/subtree"));
  EXPECT_THAT(Matches("a.b.corp.example"), UnorderedElementsAre(".corp.example/subtree"));
  EXPECT_THAT(Matches("*.corp.example"), UnorderedElementsAre(".corp.example/subtree"));
  EXPECT_THAT(Matches("*.example"), UnorderedElementsAre(".corp.example/wildcard"));
  EXPECT_THAT(Matches("xcorp.example"), IsEmpty());
  EXPECT_THAT(Matches("corp.example.org"), IsEmpty());
}

TEST(DomainIndexDuplicatesTest, RepeatedEntryMatchesOnceAsTheFirst) {
  Diagnostics diags("inv");
  const inventory::DomainInventory inv = *inventory::ParseDomainInventory(
      "www.example.com\nWWW.Example.com.\n.example.com\nexample.com\n", "inv", &diags);
  const DomainIndex index(inv.entries);
  EXPECT_EQ(index.duplicates(), 1u);  // the subtree entry differs from the exact one
  std::vector<uint32_t> exact;
  index.ForEachMatch("www.example.com", [&](uint32_t entry, NameMatch how) {
    if (how == NameMatch::kExact) exact.push_back(entry);
  });
  EXPECT_THAT(exact, ::testing::ElementsAre(0u));
  std::vector<uint32_t> wildcard;
  index.ForEachMatch("*.example.com", [&](uint32_t entry, NameMatch how) {
    if (how == NameMatch::kWildcard) wildcard.push_back(entry);
  });
  EXPECT_THAT(wildcard, ::testing::UnorderedElementsAre(0u));  // not the duplicate at 1
}

}  // namespace
}  // namespace serialmatch::index
