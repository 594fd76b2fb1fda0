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
  EXPECT_EQ(inv->entries[1].input(), "WWW.Example.org.");
  EXPECT_EQ(inv->entries[1].name(), "www.example.org");
  EXPECT_EQ(inv->entries[1].line(), 2u);
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
  EXPECT_EQ(inv->entries[0].name(), "a.example");
  EXPECT_EQ(inv->entries[1].name(), "b.example");
  EXPECT_EQ(inv->entries[1].line(), 3u);
}

TEST(DomainInventoryTest, SubtreeIdnAndWildcardEntries) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("domain\n.Example.com\nmünchen.de\n*.example.net\n", "d", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 3u);
  EXPECT_TRUE(inv->entries[0].subtree());
  EXPECT_EQ(inv->entries[0].name(), "example.com");
  EXPECT_EQ(inv->entries[1].name(), "xn--mnchen-3ya.de");
  EXPECT_EQ(inv->entries[2].name(), "*.example.net");
  EXPECT_FALSE(inv->entries[2].subtree());
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
  EXPECT_EQ(inv->entries[1].input(), "EXAMPLE.COM");
  EXPECT_EQ(inv->entries[1].name(), "example.com");
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
  EXPECT_EQ(moved_again.entries[0].input(), "A.example");
  EXPECT_EQ(moved_again.entries[0].name(), "a.example");
  EXPECT_EQ(moved_again.entries[1].input(), "b.example");
}

TEST(DomainInventoryTest, EmptyInventoryFails) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory("domain\n\n", "d", &diags);
  ASSERT_FALSE(inv.ok());
  EXPECT_THAT(inv.status().message(), HasSubstr("d: no valid domain names"));
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

TEST(DomainInventoryTest, UnclosedQuoteLosesOnlyItsRow) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "host,notes\na.example,\"forgot to close,2024\nb.example,ok\nc.example,\"fine\"\n", "d.csv",
      &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].name(), "b.example");
  EXPECT_EQ(inv->entries[1].name(), "c.example");
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
  EXPECT_EQ(inv->entries[0].name(), "www.example.com");
  EXPECT_EQ(inv->entries[0].line(), 4u);
  EXPECT_EQ(inv->column_note, "column 2 'Hostname'");
}

TEST(DomainInventoryTest, UnknownHeaderTakesTheColumnOfHostNames) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "Owner,Address,Notes\nalice,www.example.com,web\nbob,shop.example.org,\ncarol,web1,\n",
      "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 'Address' (no known header; its values are host names)");
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].input(), "www.example.com");
  EXPECT_EQ(inv->entries[1].input(), "shop.example.org");
  EXPECT_EQ(diags.count(), 1u);  // "web1", not the header
  EXPECT_THAT(diags.Render(), HasSubstr("d.csv:4: not a domain name (a single label), got 'web1'"));
}

TEST(DomainInventoryTest, KnownHeaderOverOtherValuesGivesWayToTheHostNames) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("Name,Address\nalice,www.example.com\nbob,b.example\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note,
            "column 2 'Address' (its values are host names; those of column 1 'Name' are not)");
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].input(), "www.example.com");
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  // When no other column holds host names, the named column is read (and its rows reported).
  inv = ParseDomainInventory("Name,Team\nalice,web\nwww.example.com,ops\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 1 'Name'");
  EXPECT_EQ(diags.count(), 1u);
}

TEST(DomainInventoryTest, PlainListUnderAnUnknownHeader) {
  Diagnostics diags("d.txt");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("Sites\nwww.example.com\nb.example\n", "d.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 1 'Sites' (no known header; its values are host names)");
  EXPECT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  // A mistyped first name is data, and reported.
  inv = ParseDomainInventory("www.example .com\nwww.example.com\nb.example\n", "d.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 1 (a plain list)");
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(), HasSubstr("d.txt:1: invalid name"));
}

TEST(DomainInventoryTest, AddressesAreNotTheColumnOfHostNames) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("192.0.2.7,www.example.com\n198.51.100.1,b.example\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 (no header; its values are host names)");
  EXPECT_EQ(inv->entries.size(), 2u);
}

TEST(DomainInventoryTest, HeaderlessRowsTakeTheColumnOfHostNames) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("alice,www.example.com\nbob,b.example\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 (no header; its values are host names)");
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].line(), 1u);
  EXPECT_EQ(diags.count(), 0u);
  // A second name on a row of a list is not read, and said so.
  inv = ParseDomainInventory("a.example\nb.example\nc.example, d.example\n", "d", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 1 (no header; its values are host names)");
  EXPECT_EQ(inv->entries.size(), 3u);
  EXPECT_EQ(diags.count(), 1u);
  EXPECT_THAT(diags.Render(), HasSubstr("d.csv:3: column 2 holds host names too, got 'd.example'; "
                                        "only column 1 is read"));
}

TEST(DomainInventoryTest, HeaderWordsNameTheColumn) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv =
      ParseDomainInventory("id,Server Hostname\n1,www.example.com\n2,b.example\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 'Server Hostname' (its header names host names)");
  EXPECT_EQ(inv->entries.size(), 2u);
  // A header word over a column of something else does not win over the host names.
  inv = ParseDomainInventory("domain owner,site\nalice,www.example.com\n", "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->column_note, "column 2 'site' (no known header; its values are host names)");
}

TEST(DomainInventoryTest, NoColumnOrTwoColumnsOfHostNamesFail) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> none =
      ParseDomainInventory("Owner,Team\nalice,web\nbob,ops\n", "d.csv", &diags);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            "d.csv: no column holds host names (no known header; columns of line 1: 1 'Owner', "
            "2 'Team'); name the column to read 'domain' in a header row");
  absl::StatusOr<DomainInventory> two =
      ParseDomainInventory("a.example,b.example\nc.example,d.example\n", "d.csv", &diags);
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(),
              HasSubstr("d.csv: columns 1 and 2 both hold host names (columns of line 1: 1 "
                        "'a.example', 2 'b.example'); name the column"));
}

TEST(DomainInventoryTest, SingleLabelsAreNotDomainNames) {
  Diagnostics diags("d");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      "localhost\nalice.\nwww.example.com\n.com\n*.com\n.co.uk\n", "d", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].name(), "www.example.com");
  EXPECT_EQ(inv->entries[1].name(), "co.uk");  // two labels: whether it is a suffix is not known
  EXPECT_EQ(diags.count(), 4u);
  const std::string rendered = diags.Render();
  EXPECT_THAT(rendered, HasSubstr("d:1: not a domain name (a single label), got 'localhost'"));
  EXPECT_THAT(rendered, HasSubstr("d:2: not a domain name (a single label), got 'alice.'"));
  EXPECT_THAT(rendered, HasSubstr("d:4: a subtree of a top-level domain, got '.com'"));
  EXPECT_THAT(rendered, HasSubstr("d:5: a wildcard over a top-level domain, got '*.com'"));
}

TEST(DomainInventoryTest, Utf16FilesAreRead) {
  Diagnostics diags("d.csv");
  absl::StatusOr<DomainInventory> inv = ParseDomainInventory(
      Utf16Le("hostname\towner\r\nwww.example.com\talice\r\nb.example\tbob\r\n"), "d.csv", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  ASSERT_EQ(inv->entries.size(), 2u);
  EXPECT_EQ(inv->entries[0].input(), "www.example.com");
  EXPECT_EQ(inv->entries[1].line(), 3u);
  EXPECT_EQ(inv->column_note, "column 1 'hostname', UTF-16LE text");
  // Non-ASCII names survive: "münchen.de" in UTF-16BE.
  const std::string be = std::string("\xFE\xFF\0m\0\xFC\0n\0c\0h\0e\0n\0.\0d\0e", 22);
  inv = ParseDomainInventory(be, "d.txt", &diags);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->entries[0].name(), "xn--mnchen-3ya.de");
}

}  // namespace
}  // namespace serialmatch::inventory
