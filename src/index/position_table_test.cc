#include "src/index/position_table.h"

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace serialmatch::index {
namespace {

// Keys of 1..6 bytes from a four-letter alphabet: many repeats, and some keys never drawn.
std::string RandomKey(std::mt19937_64& rng) {
  std::string key(1 + rng() % 6, 'a');
  for (char& c : key) c = static_cast<char>('a' + rng() % 4);
  return key;
}

struct KeyOf {
  const std::vector<std::string>* keys;
  absl::string_view operator()(uint32_t i) const { return (*keys)[i]; }
};

TEST(PositionTableTest, EmptyTableFindsNothing) {
  const std::vector<std::string> keys;
  const PositionTable table;
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.Find("a", HashBytes("a"), KeyOf{&keys}), PositionTable::kNone);
}

TEST(PositionTableTest, InsertKeepsTheFirstPositionOfEqualKeys) {
  const std::vector<std::string> keys = {"a.example", "b.example", "a.example"};
  PositionTable table(keys.size());
  const KeyOf key_of{&keys};
  for (uint32_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(table.Insert(keys[i], HashBytes(keys[i]), i, key_of), i == 2 ? 0u : i);
  }
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.Find("a.example", HashBytes("a.example"), key_of), 0u);
  EXPECT_EQ(table.Find("b.example", HashBytes("b.example"), key_of), 1u);
  EXPECT_EQ(table.Find("c.example", HashBytes("c.example"), key_of), PositionTable::kNone);
}

// Random keys against a std::map, from a table sized for none of them (so it grows many times)
// and from one sized for all; every key drawn is found at its first position, no other is found.
TEST(PositionTableTest, InsertAndFindAgreeWithAMap) {
  for (const size_t expected : {size_t{0}, size_t{3000}}) {
    std::mt19937_64 rng(expected + 1);
    std::vector<std::string> keys;
    for (int i = 0; i < 3000; ++i) keys.push_back(RandomKey(rng));
    const KeyOf key_of{&keys};
    PositionTable table(expected);
    std::map<std::string, uint32_t> first;
    for (uint32_t i = 0; i < keys.size(); ++i) {
      const uint32_t stored = table.Insert(keys[i], HashBytes(keys[i]), i, key_of);
      const uint32_t want = first.emplace(keys[i], i).first->second;
      ASSERT_EQ(stored, want) << keys[i];
    }
    EXPECT_EQ(table.size(), first.size());
    for (const auto& [key, position] : first) {
      EXPECT_EQ(table.Find(key, HashBytes(key), key_of), position) << key;
    }
    for (int i = 0; i < 2000; ++i) {
      const std::string probe = RandomKey(rng) + (i % 2 ? "" : "z");
      const auto it = first.find(probe);
      EXPECT_EQ(table.Find(probe, HashBytes(probe), key_of),
                it == first.end() ? PositionTable::kNone : it->second)
          << probe;
    }
  }
}

TEST(PositionTableTest, ExchangeStoresTheNewPositionAndReturnsTheOld) {
  std::mt19937_64 rng(7);
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back(RandomKey(rng));
  const KeyOf key_of{&keys};
  PositionTable table(16);
  std::map<std::string, uint32_t> last;
  for (uint32_t i = 0; i < keys.size(); ++i) {
    const auto it = last.find(keys[i]);
    const uint32_t want = it == last.end() ? PositionTable::kNone : it->second;
    ASSERT_EQ(table.Exchange(keys[i], HashBytes(keys[i]), i, key_of), want) << keys[i];
    last[keys[i]] = i;
  }
  EXPECT_EQ(table.size(), last.size());
  for (const auto& [key, position] : last) {
    EXPECT_EQ(table.Find(key, HashBytes(key), key_of), position) << key;
  }
}

// A table large enough for its slots to come from AllocateHugePages, moved twice.
TEST(PositionTableTest, LargeTableSurvivesMoves) {
  std::vector<std::string> keys;
  for (int i = 0; i < 200000; ++i) keys.push_back("host" + std::to_string(i) + ".example");
  const KeyOf key_of{&keys};
  PositionTable table(keys.size());
  for (uint32_t i = 0; i < keys.size(); ++i) table.Insert(keys[i], HashBytes(keys[i]), i, key_of);
  PositionTable moved(std::move(table));
  PositionTable again;
  again = std::move(moved);
  EXPECT_EQ(again.size(), keys.size());
  for (uint32_t i = 0; i < keys.size(); i += 997) {
    EXPECT_EQ(again.Find(keys[i], HashBytes(keys[i]), key_of), i);
  }
  EXPECT_EQ(again.Find("host.example", HashBytes("host.example"), key_of), PositionTable::kNone);
}

}  // namespace
}  // namespace serialmatch::index
