#include "src/index/serial_index.h"

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

}  // namespace
}  // namespace serialmatch::index
