#include "src/inventory/csv_inventory.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LooksLikeCsvInventoryTest, NeedsSerialAndNamesColumns) {
  EXPECT_TRUE(LooksLikeCsvInventory("id,Serial Number,dns_names\n1,01,a.example\n"));
  EXPECT_TRUE(LooksLikeCsvInventory("# export\n\nserial;domains\n01;a.example\n"));
  EXPECT_FALSE(LooksLikeCsvInventory("serial\n01\n"));
  EXPECT_FALSE(LooksLikeCsvInventory("domain,owner\na.example,me\n"));
  EXPECT_FALSE(LooksLikeCsvInventory("-----BEGIN CERTIFICATE-----\nMIIB\n"));
}

TEST(ParseCsvInventoryTest, ReadsEveryColumn) {
  CertificateInventory inventory;
  Diagnostics diags;
  const std::string text =
      "\xEF\xBB\xBFid,serial,san,issuer,not_before,not_after,fingerprint\r\n"
      "web-1,03:A1:00:FF,\"WWW.Example.com, example.com;*.example.com\",\"C=US, O=Let's "
      "Encrypt, CN=R3\",2020-01-01,2020-04-01T00:00:00Z,"
      "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:"
      "67:89\r\n";
  ASSERT_EQ(ParseCsvInventory(text, "inv.csv", &inventory, &diags), 1u);
  EXPECT_EQ(diags.count(), 0u) << diags.Render();
  const Certificate& c = inventory.certificates[0];
  EXPECT_EQ(c.serial, "03a100ff");
  EXPECT_EQ(c.path, "inv.csv");
  EXPECT_EQ(c.line, 2u);
  EXPECT_EQ(c.location, "web-1");
  EXPECT_EQ(c.issuer, "C=US, O=Let's Encrypt, CN=R3");
  EXPECT_EQ(c.issuer_cn, "R3");
  EXPECT_THAT(c.names(), ElementsAre("WWW.Example.com", "example.com", "*.example.com"));
  EXPECT_THAT(c.match_names(), ElementsAre("www.example.com", "example.com", "*.example.com"));
  EXPECT_EQ(c.not_before, absl::FromUnixSeconds(1577836800));
  EXPECT_EQ(c.not_after, absl::FromUnixSeconds(1585699200));
  EXPECT_EQ(c.sha256, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
}

TEST(ParseCsvInventoryTest, BareIssuerIsTheCommonName) {
  CertificateInventory inventory;
  Diagnostics diags;
  ASSERT_EQ(ParseCsvInventory("serial,names,issuer\n01,a.example,R3\n", "f", &inventory, &diags),
            1u);
  EXPECT_EQ(inventory.certificates[0].issuer, "CN=R3");
  EXPECT_EQ(inventory.certificates[0].issuer_cn, "R3");
  EXPECT_EQ(inventory.certificates[0].location, "f:2");  // no id column
}

TEST(ParseCsvInventoryTest, ReportsAndCountsBadRowsAndReadsTheRest) {
  CertificateInventory inventory;
  Diagnostics diags;
  const std::string text =
      "serial,san,not_after\n"
      ",a.example,2020-01-01\n"      // 2: no serial
      "zz,a.example,2020-01-01\n"    // 3: bad serial
      "02,a.example,yesterday\n"     // 4: bad time
      "03,a.example\n"               // 5: too few cells
      "04,\"a.example,2020-01-01\n"  // 6: open quote
      "05,b.example,2020-01-01\n"    // 7: good
      "06,a..example,2020-01-01\n";  // 8: bad name
  ASSERT_EQ(ParseCsvInventory(text, "inv.csv", &inventory, &diags), 1u);
  EXPECT_EQ(inventory.unreadable_csv_rows, 6u);
  EXPECT_EQ(diags.count(), 6u);
  EXPECT_EQ(inventory.certificates[0].serial, "05");
  const std::string rendered = diags.Render();
  EXPECT_THAT(rendered, HasSubstr("inv.csv:2: no serial"));
  EXPECT_THAT(rendered, HasSubstr("inv.csv:3: "));
  EXPECT_THAT(rendered, HasSubstr("inv.csv:4: "));
  EXPECT_THAT(rendered, HasSubstr("inv.csv:5: 2 cells, the header has 3"));
  EXPECT_THAT(rendered, HasSubstr("inv.csv:6: "));
}

TEST(ParseCsvInventoryTest, RepeatedRowsAreOneCertificate) {
  CertificateInventory inventory;
  Diagnostics diags;
  const std::string fp(64, 'a');
  const std::string text =
      "serial,san,issuer,sha256\n01,a.example,R3,\n0x01,a.example,R3,\n02,"
      "b.example,R3," +
      fp + "\n03,b.example,R3," + fp + "\n01,a.example,E1,\n";
  ASSERT_EQ(ParseCsvInventory(text, "f", &inventory, &diags), 3u);
  EXPECT_THAT(inventory.certificates[0].also_at, ElementsAre("f:3"));
  EXPECT_THAT(inventory.certificates[1].also_at, ElementsAre("f:5"));
  EXPECT_TRUE(inventory.certificates[2].also_at.empty());  // another issuer
}

TEST(ParseCsvInventoryTest, ReadsUtf16) {
  const std::string utf8 = "serial,domains\n0a,a.example\n";
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  EXPECT_TRUE(LooksLikeCsvInventory(utf16));
  CertificateInventory inventory;
  Diagnostics diags;
  ASSERT_EQ(ParseCsvInventory(utf16, "f", &inventory, &diags), 1u);
  EXPECT_EQ(inventory.certificates[0].serial, "0a");
}

}  // namespace
}  // namespace serialmatch::inventory
