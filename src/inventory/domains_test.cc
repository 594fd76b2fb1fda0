#include "src/inventory/domains.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::inventory {
namespace {

using ::testing::HasSubstr;

TEST(DomainInventoryTest, PlainListWithoutHeader) {
  Diagnostics diags("d.txt");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("example.com\r\nWWW.Example.org.\r\n\r\n# comment\n", "d.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[1].input, "WWW.Example.org.");
  EXPECT_EQ(inv->entries[1].name, "www.example.org");
  EXPECT_EQ(inv->entries[1].line, 2u);
  EXPECT_EQ(diags.count(), 0u);
}

TEST(DomainInventoryTest, CsvPicksNamedColumn) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "\xEF\xBB\xBF"
      "owner,Host Name,notes\nalice,a.example,\"x, y\"\nbob,\"b.example\",\n",
      "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].name, "a.example");
  EXPECT_EQ(inv->entries[1].name, "b.example");
  EXPECT_EQ(inv->entries[1].line, 3u);
}

TEST(DomainInventoryTest, SubtreeIdnAndWildcardEntries) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("domain\n.Example.com\nmünchen.de\n*.example.net\n", "d", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 3u);
  EXPECT_TRUE(inv->entries[0].subtree);
  EXPECT_EQ(inv->entries[0].name, "example.com");
  EXPECT_EQ(inv->entries[1].name, "xn--mnchen-3ya.de");
  EXPECT_EQ(inv->entries[2].name, "*.example.net");
  EXPECT_FALSE(inv->entries[2].subtree);
}

TEST(DomainInventoryTest, InvalidNamesAreReportedNotKept) {
  Diagnostics diags("d");
  const std::string long_label(300, 'a');
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "ok.example\nbad name.example\na..example\n" + long_label + ".example\n.*.example.com\n", "d",
      &diags);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->entries.size(), 1u);
  EXPECT_EQ(diags.count(), 4u);
  EXPECT_THAT(diags.Render(), HasSubstr("d:2: invalid name: character not allowed"));
  EXPECT_THAT(diags.Render(), HasSubstr("d:3: invalid name: empty label"));
}

TEST(DomainInventoryTest, KeepsEveryRowAsWritten) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("example.com\nEXAMPLE.COM\n.example.com\n", "d", &diags);
  ASSERT_TRUE(inv.ok());
  ASSERT_EQ(inv->entries.size(), 3u);  // duplicates are the index's business
  EXPECT_EQ(inv->entries[1].input, "EXAMPLE.COM");
  EXPECT_EQ(inv->entries[1].name, "example.com");
}

TEST(DomainInventoryTest, ViewsSurviveMovingTheInventory) {
  Diagnostics diags("d");
  // Short text (small-string optimisation) and a rewritten name (arena) must both stay valid.
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("A.example\n\"b.example\"\n", "d", &diags);
  ASSERT_TRUE(inv.ok());
  DomainInventory moved = *std::move(inv);
  DomainInventory moved_again = std::move(moved);
  ASSERT_EQ(moved_again.entries.size(), 2u);
  EXPECT_EQ(moved_again.entries[0].input, "A.example");
  EXPECT_EQ(moved_again.entries[0].name, "a.example");
  EXPECT_EQ(moved_again.entries[1].input, "b.example");
}

TEST(DomainInventoryTest, EmptyInventoryFails) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory("domain\n\n", "d", &diags);
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("d: no valid domain names"));
}

TEST(DomainInventoryTest, UnclosedQuoteLosesOnlyItsRow) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "host,notes\na.example,\"forgot to close,2024\nb.example,ok\nc.example,\"fine\"\n", "d.csv",
      &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].name, "b.example");
  EXPECT_EQ(inv->entries[1].name, "c.example");
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(), HasSubstr("d.csv:2: quoted field opened here is not closed"));
}

TEST(DomainInventoryTest, SemicolonExportWithCommentsAboveTheHeader) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "# exported 2024-05-01, by IT\n\nOwner;Hostname\nalice;www.example.com\nbob;b.example\n",
      "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].name, "www.example.com");
  EXPECT_EQ(inv->entries[0].line, 4u);
}

// `ascii` in UTF-16LE with its byte order mark, as Windows' "Unicode text" exports write it.
std::string Utf16Le(absl::string_view ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

TEST(DomainInventoryTest, Utf16FilesAreRead) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      Utf16Le("hostname\towner\r\nwww.example.com\talice\r\nb.example\tbob\r\n"), "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].input, "www.example.com");
  EXPECT_EQ(inv->entries[1].line, 3u);
  // Non-ASCII names survive: "münchen.de" in UTF-16BE.
  const std::string be = std::string("\xFE\xFF\0m\0\xFC\0n\0c\0h\0e\0n\0.\0d\0e", 22);
  inv = ParseDomainInventory(be, "d.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->entries[0].name, "xn--mnchen-3ya.de");
}

}  // namespace
}  // namespace serialmatch::inventory
