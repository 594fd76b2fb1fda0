// End-to-end tests of how the domain, serial and endpoint inventories are read: CSV quoting and
// its failures, comments and delimiters.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class InventoryE2eTest : public E2eTest {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A dump listing www.example.com (serial 03aa01) and shop.example.org (serial 03aa02).
  std::string Dump() {
    return Write("dump.txt", Le2020Line("03aa01", "www.example.com") +
                                 Le2020Line("03aa02", "shop.example.org"));
  }
};

TEST_F(InventoryE2eTest, UnclosedQuoteLosesOnlyItsRow) {
  // Rows after the open quote used to be swallowed into it: "0 findings", exit status 0.
  const std::string domains = Write(
      "domains.csv",
      "host,notes\nwww.example.com,\"forgot to close,2024\nshop.example.org,ok\nb.example,\"x\"\n");
  const RunResult r = Run({"--dump", Dump(), "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"shop.example.org\""));
  EXPECT_THAT(r.out, Not(HasSubstr("www.example.com")));
  EXPECT_THAT(r.err, HasSubstr(domains + ":2: quoted field opened here is not closed"));
  const RunResult strict = Run({"--dump", Dump(), "--domains", domains, "--strict"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;

  const std::string serials =
      Write("serials.csv", "serial,notes\n03aa01,\"open\n03aa02,\"closed\"\n");
  const RunResult s = Run({"--dump", Dump(), "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(s.exit_code, 1) << s.err;
  EXPECT_THAT(s.out, HasSubstr("\"serial\":\"03aa02\""));
  EXPECT_THAT(s.err, HasSubstr(serials + ":2: quoted field opened here is not closed"));
}

TEST_F(InventoryE2eTest, CommentAboveASemicolonExport) {
  const std::string domains = Write(
      "domains.csv", "# exported 2024-05-01, by IT\n\nOwner;Hostname\nalice;www.example.com\n");
  const RunResult r = Run({"--dump", Dump(), "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"www.example.com\""));
  EXPECT_THAT(r.err, Not(ContainsRegex(domains + ":[0-9]")));  // no row reported
}

}  // namespace
}  // namespace serialmatch
