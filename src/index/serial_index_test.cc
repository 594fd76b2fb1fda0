#include "src/index/serial_index.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace serialmatch::index {
namespace {

TEST(SerialIndexTest, FindsCanonicalSerialsOnly) {
  Diagnostics diags("s");
  const inventory::SerialInventory inv =
      *inventory::ParseSerialInventory("03:E2:26\n0x04aa\n", "s", &diags);
  const SerialIndex index(inv.entries);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Find("03e226"), 0u);
  EXPECT_EQ(index.Find("04aa"), 1u);
  EXPECT_EQ(index.Find("e226"), std::nullopt);
  EXPECT_EQ(index.Find("03e22600"), std::nullopt);
}

TEST(SerialIndexTest, RepeatedSerialMatchesFirstEntryAndIsCounted) {
  Diagnostics diags("s");
  const inventory::SerialInventory inv =
      *inventory::ParseSerialInventory("03e226\n04aa\n00:03:E2:26\n3e226\n", "s", &diags);
  const SerialIndex index(inv.entries);
  EXPECT_EQ(index.Find("03e226"), 0u);
  EXPECT_EQ(index.duplicates(), 2u);
}

// Against a plain map of first occurrences: every serial of a large inventory with repeats is
// found at its first entry, and serials next to them (one digit more or less, another digit) are
// not found.
TEST(SerialIndexTest, AgreesWithAMapOfFirstEntries) {
  std::mt19937_64 rng(250000);
  std::string text;
  std::vector<std::string> serials;
  for (int i = 0; i < 60000; ++i) {
    std::string serial = i % 7 == 6 && !serials.empty() ? serials[rng() % serials.size()]
                                                        : absl::StrCat("0", absl::Hex(rng()));
    absl::StrAppend(&text, serial, "\n");
    serials.push_back(std::move(serial));
  }
  Diagnostics diags("s");
  const inventory::SerialInventory inv = *inventory::ParseSerialInventory(text, "s", &diags);
  ASSERT_EQ(inv.entries.size(), serials.size());
  const SerialIndex index(inv.entries);
  std::map<std::string, uint32_t> first;
  for (size_t i = 0; i < inv.entries.size(); ++i) {
    first.emplace(std::string(inv.entries[i].serial), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(index.size(), first.size());
  EXPECT_EQ(index.duplicates(), inv.entries.size() - first.size());
  for (const auto& [serial, entry] : first) {
    ASSERT_EQ(index.Find(serial), entry) << serial;
    for (const std::string& near : {serial + "0", serial.substr(0, serial.size() - 1),
                                    serial.substr(0, serial.size() - 1) + "x"}) {
      if (first.count(near) == 0) {
        EXPECT_EQ(index.Find(near), std::nullopt) << near;
      }
    }
  }
}

}  // namespace
}  // namespace serialmatch::index
