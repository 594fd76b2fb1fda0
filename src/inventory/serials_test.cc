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

TEST(SerialInventoryTest, HeaderNamingASerialInALongerWord) {
  Diagnostics diags("s.csv");
  absl::StatusOr<SerialInventory> inv =
      ParseSerialInventory("id,cert_serial_hex\n1,03e226\n2,04aa\n", "s.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 'cert_serial_hex' (its header names serial numbers)");
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].serial, "03e226");
  EXPECT_EQ(inv->entries[1].serial, "04aa");
  EXPECT_EQ(diags.count(), 0u);
}

TEST(SerialInventoryTest, UnknownHeaderTakesTheColumnOfSerials) {
  Diagnostics diags("s.csv");
  absl::StatusOr<SerialInventory> inv =
      ParseSerialInventory("Server,Number\nweb1,03:E2:26\nweb2,04aa\n", "s.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 'Number' (no known header; its values are serial numbers)");
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].line, 2u);
  EXPECT_EQ(diags.count(), 0u);
  // Two columns that both read as hex are ambiguous.
  absl::StatusOr<SerialInventory> two = ParseSerialInventory("1,03e226\n2,04aa\n", "s.csv", &diags);
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(),
              ::testing::HasSubstr("columns 1 and 2 both hold serial numbers"));
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
  EXPECT_EQ(inv->column_note, "column 1 'serial', UTF-16BE text");
}

}  // namespace
}  // namespace serialmatch::inventory
