#include "src/inventory/serials.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::inventory {
namespace {

TEST(SerialInventoryTest, CsvWithSerialNumberColumn) {
  Diagnostics diags("s.csv");
  absl::StatusOr<SerialInventory> inv = ParseSerialInventory(
      "host,Serial Number\nweb1,03:E2:26\nweb2,\"0x4AA\"\nweb3,zz\n", "s.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].serial, "03e226");
  EXPECT_EQ(inv->entries[0].input, "03:E2:26");
  EXPECT_EQ(inv->entries[1].serial, "04aa");
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(), ::testing::HasSubstr("s.csv:4: invalid serial"));
}

TEST(SerialInventoryTest, PlainListCanonicalizesEveryNotation) {
  Diagnostics diags("s");
  absl::StatusOr<SerialInventory> inv =
      ParseSerialInventory("03e226\n00:03:E2:26\n3e226\n", "s", &diags);
  ASSERT_TRUE(inv.ok());
  ASSERT_EQ(inv->entries.size(), 3u);
  for (const SerialEntry& e : inv->entries) EXPECT_EQ(e.serial, "03e226") << e.input;
}

TEST(SerialInventoryTest, MissingColumnIsReported) {
  Diagnostics diags("s");
  absl::StatusOr<SerialInventory> inv =
      ParseSerialInventory("name,serial\nweb1,03e226\nweb2\n", "s", &diags);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->entries.size(), 1u);
  EXPECT_THAT(diags.Render(), ::testing::HasSubstr("s:3: row has 1 column, expected at least 2"));
}

TEST(SerialInventoryTest, Utf16AndUnclosedQuotes) {
  std::string text = "\xFE\xFF";  // UTF-16BE
  for (char c : absl::string_view("serial\n\"03e226\n04aa\n")) {
    text.push_back('\0');
    text.push_back(c);
  }
  Diagnostics diags("s.txt");
  absl::StatusOr<SerialInventory> inv = ParseSerialInventory(text, "s.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 1u);
  EXPECT_EQ(inv->entries[0].serial, "04aa");
  EXPECT_THAT(diags.Render(), ::testing::HasSubstr("s.txt:2: quoted field opened here"));
}

}  // namespace
}  // namespace serialmatch::inventory
