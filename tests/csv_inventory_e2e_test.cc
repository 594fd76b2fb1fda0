// End-to-end tests of CSV certificate inventories among --certs (src/inventory/csv_inventory.h):
// a database export joined against the le2020 example dump and against a CRL, its findings named
// by the id column or path:line, its unreadable rows reported and counted as not checked.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCrlEntry;
using inventory::TestCrlSpec;
using ::testing::HasSubstr;

const std::string kLe2020 = absl::StrCat(SERIALMATCH_SOURCE_DIR, "/examples/affected-le2020.txt");

class CsvInventoryE2eTest : public E2eTest {};

TEST_F(CsvInventoryE2eTest, RowsAreAffectedReplacedOrListed) {
  const std::string csv =
      Write("inventory.csv",
            "id,serial,san,not_before,not_after\r\n"
            "shop-1,03e2267b786b7e338317ddd62e764fcb3c71,shop-example.com,2019-12-03 21:08:34,"
            "2020-03-02\r\n"
            "example-new,0abc,\"example.com www.example.com\",2020-03-01,2020-05-30\r\n"
            "blog-old,0def,blog-example.net,2019-11-01,2020-01-30\r\n"
            "bad,not-a-serial,x.example,2020-01-01,2020-02-01\r\n");
  const RunResult r = Run({"--dump", kLe2020, "--certs", csv, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(
      Statuses(r.out),
      (StatusSet{{"shop-1", "affected"}, {"example-new", "replaced"}, {"blog-old", "listed"}}))
      << r.out;
  EXPECT_THAT(r.err, HasSubstr("inventory.csv:5: "));
  EXPECT_THAT(r.err, HasSubstr("inventory.csv: 1 unreadable csv row"));  // not checked
}

TEST_F(CsvInventoryE2eTest, WithoutIdTheInputIsPathAndLine) {
  const std::string csv =
      Write("inv.csv",
            "# exported nightly\n"
            "serial;domains\n"
            "03:e2:26:7b:78:6b:7e:33:83:17:dd:d6:2e:76:4f:cb:3c:71;x.example\n");
  const RunResult r = Run({"--dump", kLe2020, "--certs", csv, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"inv.csv:3", "affected"}})) << r.out;
}

TEST_F(CsvInventoryE2eTest, RowRevokedByItsIssuersCrl) {
  const TestCa r10("R10");
  TestCrlSpec spec;
  spec.next_update = absl::FromUnixSeconds(4102444800);  // 2100: never stale here
  TestCrlEntry entry;
  entry.serial_hex = "0a";
  spec.entries.push_back(entry);
  const std::string crl = Write("r10.crl", r10.IssueCrl(spec));
  const std::string csv = Write("inv.csv",
                                "id,serial,names,issuer\n"
                                "db-7,0a,a.example,\"C=US, O=serialmatch tests, CN=R10\"\n"
                                "db-8,0b,b.example,\"C=US, O=serialmatch tests, CN=R10\"\n");
  const RunResult r = Run({"--dump", crl, "--certs", csv, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"db-7", "revoked"}})) << r.out;
}

TEST_F(CsvInventoryE2eTest, RepeatedRowsAreOneFindingAndABareCnIsNotTheCrlsDn) {
  const TestCa r10("R10");
  TestCrlSpec spec;
  spec.next_update = absl::FromUnixSeconds(4102444800);
  for (const char* serial : {"0a", "0c"}) {
    TestCrlEntry entry;
    entry.serial_hex = serial;
    spec.entries.push_back(entry);
  }
  const std::string crl = Write("r10.crl", r10.IssueCrl(spec));
  const std::string csv = Write("inv.csv",
                                "id,serial,names,issuer\n"
                                "db-7,0a,a.example,\"C=US, O=serialmatch tests, CN=R10\"\n"
                                "db-7-copy,0x0A,a.example,\"C=US, O=serialmatch tests, CN=R10\"\n"
                                // Only the CN: the CRL's whole DN cannot be told to be this issuer.
                                "db-9,0c,c.example,R10\n");
  const RunResult r = Run({"--dump", crl, "--certs", csv, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // db-9's serial is on the CRL, but its issuer is not known to be the CRL's: a warning.
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"db-7", "revoked"}, {"db-9", "warning"}})) << r.out;
  EXPECT_THAT(r.out, HasSubstr("inv.csv:3"));  // the repeat, in the finding's other places
}

}  // namespace
}  // namespace serialmatch
