// End-to-end tests of how the domain, serial and endpoint inventories are read: CSV quoting and
// its failures, comments and delimiters, which column is read, UTF-16 files.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "src/net/test_http_server.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// `text` in UTF-16LE with its byte order mark (Excel's "Unicode Text", PowerShell's Out-File).
std::string Utf16Le(absl::string_view text) {
  std::string out = "\xFF\xFE";
  for (char c : text) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

class InventoryE2eTest : public E2eTest {
 protected:
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
  EXPECT_THAT(r.err, HasSubstr(domains + ": domains from column 2 'Hostname'\n"));
  EXPECT_THAT(r.err, Not(ContainsRegex(domains + ":[0-9]")));  // no row reported
}

TEST_F(InventoryE2eTest, UnknownHeaderReadsTheColumnOfHostNamesAndSaysSo) {
  const std::string domains =
      Write("domains.csv", "Owner,Address\nalice,www.example.com\nbob,localhost\n");
  const RunResult r = Run({"--dump", Dump(), "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"www.example.com\""));
  EXPECT_THAT(r.out, HasSubstr("\"inventory\":\"" + domains + ":2\""));
  EXPECT_THAT(r.err,
              HasSubstr(domains + ": domains from column 2 'Address' (no known header; its values "
                                  "are host names)\n"));
  EXPECT_THAT(r.err,
              HasSubstr(domains + ":3: not a domain name (a single label), got 'localhost'"));
  EXPECT_THAT(r.err, Not(HasSubstr("alice")));
  const RunResult quiet = Run({"--dump", Dump(), "--domains", domains, "--quiet"});
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_THAT(quiet.err, Not(HasSubstr("domains from")));

  // "Name" is a known header, but of people here.
  const std::string people = Write("people.csv", "Name,Address\nalice,shop.example.org\n");
  const RunResult p = Run({"--dump", Dump(), "--domains", people, "--format", "jsonl"});
  EXPECT_EQ(p.exit_code, 1) << p.err;
  EXPECT_THAT(p.out, HasSubstr("\"input\":\"shop.example.org\""));
  EXPECT_THAT(p.err, HasSubstr(people + ": domains from column 2 'Address'"));

  const std::string serials = Write("serials.csv", "id,cert_serial_hex\n1,03aa02\n");
  const RunResult s = Run({"--dump", Dump(), "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(s.exit_code, 1) << s.err;
  EXPECT_THAT(s.out, HasSubstr("\"serial\":\"03aa02\""));
  EXPECT_THAT(s.err, HasSubstr(serials + ": serials from column 2 'cert_serial_hex'"));
}

TEST_F(InventoryE2eTest, NoColumnOfHostNamesIsUnusableInput) {
  const std::string domains = Write("domains.csv", "Owner,Team\nalice,web\nbob,ops\n");
  const RunResult r = Run({"--dump", Dump(), "--domains", domains});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(domains + ": no column holds host names"));
  EXPECT_THAT(r.err, HasSubstr("1 'Owner', 2 'Team'"));
}

TEST_F(InventoryE2eTest, Utf16InventoriesAreRead) {
  const std::string domains =
      Write("domains.txt", Utf16Le("hostname\towner\r\nshop.example.org\tbob\r\n"));
  const std::string serials = Write("serials.txt", Utf16Le("serial\r\n03:AA:01\r\n"));
  const RunResult r =
      Run({"--dump", Dump(), "--domains", domains, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"shop.example.org\""));
  EXPECT_THAT(r.out, HasSubstr("\"input\":\"03:AA:01\""));
  EXPECT_THAT(r.err, HasSubstr(domains + ": domains from column 1 'hostname', UTF-16LE text"));
  EXPECT_THAT(r.err, Not(ContainsRegex(domains + ":[0-9]")));

  // An endpoint list too: its one endpoint is parsed (and refused: nothing listens there).
  const net::RefusedPort refusing;
  const std::string endpoint = absl::StrCat("127.0.0.1:", refusing.port());
  const std::string endpoints =
      Write("endpoints.txt", Utf16Le(absl::StrCat("# pool\r\n", endpoint, "\r\n")));
  const RunResult e =
      Run({"--dump", Dump(), "--endpoints", endpoints, "--timeout", "2", "--format", "jsonl"});
  EXPECT_EQ(e.exit_code, 0) << e.err;
  EXPECT_THAT(e.out,
              HasSubstr(absl::StrCat("\"status\":\"error\",\"kind\":\"endpoint\",\"input\":\"",
                                     endpoint, "\"")));
  EXPECT_THAT(e.err, Not(ContainsRegex(endpoints + ":[0-9]")));
}

}  // namespace
}  // namespace serialmatch
