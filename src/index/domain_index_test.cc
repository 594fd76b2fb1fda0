#include "src/index/domain_index.h"

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
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

// How entry `e` matches dump name `name` by the rules in the header, tested one entry at a time.
std::optional<NameMatch> Classify(absl::string_view name, const inventory::DomainEntry& e) {
  if (!e.subtree() && name == e.name()) return NameMatch::kExact;
  const absl::string_view parent = ParentName(e.name());
  if (e.name()[0] != '*' && !parent.empty() && name == absl::StrCat("*.", parent)) {
    return NameMatch::kWildcard;
  }
  if (e.subtree() && (name == e.name() || absl::EndsWith(name, absl::StrCat(".", e.name())))) {
    return NameMatch::kSubtree;
  }
  return std::nullopt;
}

// Random inventories of names over few labels (so that parents, duplicates and subtrees overlap)
// against a scan of every entry: the same (entry, how) pairs, each once, no duplicate matched, and
// a wildcard's matches in entry order.
TEST(DomainIndexRandomTest, MatchesAScanOfEveryEntry) {
  std::mt19937_64 rng(20220623);
  constexpr const char* kLabels[] = {"a", "b", "www", "mail", "x-1"};
  auto random_name = [&] {
    std::string name = absl::StrCat(kLabels[rng() % 5], ".example");
    for (int labels = static_cast<int>(rng() % 4); labels > 0; --labels) {
      name = absl::StrCat(kLabels[rng() % 5], ".", name);
    }
    return name;
  };
  for (int round = 0; round < 20; ++round) {
    std::string text;
    for (int i = 0; i < 300; ++i) {
      const uint64_t shape = rng() % 10;
      absl::StrAppend(&text, shape == 0 ? "*." : shape == 1 ? "." : "", random_name(), "\n");
    }
    Diagnostics diags("inv");
    const inventory::DomainInventory inv = *inventory::ParseDomainInventory(text, "inv", &diags);
    const DomainIndex index(inv.entries);
    std::vector<bool> duplicate(inv.entries.size());
    size_t duplicates = 0;
    for (size_t i = 0; i < inv.entries.size(); ++i) {
      for (size_t j = 0; j < i && !duplicate[i]; ++j) {
        duplicate[i] = inv.entries[j].name() == inv.entries[i].name() &&
                       inv.entries[j].subtree() == inv.entries[i].subtree();
      }
      duplicates += duplicate[i];
    }
    EXPECT_EQ(index.duplicates(), duplicates);
    for (int probe = 0; probe < 300; ++probe) {
      const uint64_t shape = rng() % 3;
      const std::string name =
          absl::StrCat(shape == 0 ? "*." : "", random_name(), shape == 1 ? ".other" : "");
      std::vector<std::tuple<NameMatch, uint32_t>> want;
      for (uint32_t i = 0; i < inv.entries.size(); ++i) {
        if (duplicate[i]) continue;
        if (const std::optional<NameMatch> how = Classify(name, inv.entries[i])) {
          want.emplace_back(*how, i);
        }
      }
      std::vector<std::tuple<NameMatch, uint32_t>> got;
      index.ForEachMatch(name,
                         [&](uint32_t entry, NameMatch how) { got.emplace_back(how, entry); });
      std::vector<uint32_t> wildcard;  // as reported
      for (const auto& [how, entry] : got) {
        if (how == NameMatch::kWildcard) wildcard.push_back(entry);
      }
      EXPECT_TRUE(std::is_sorted(wildcard.begin(), wildcard.end())) << name;
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, want) << name << " in round " << round;
    }
  }
}

}  // namespace
}  // namespace serialmatch::index
