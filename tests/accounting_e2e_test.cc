// End-to-end tests of the accounting of inputs: every dump line and inventory entry is either used
// or counted as not checked (standard error, the json summary, the text report, the metrics file);
// inputs given twice are read once; repeatable inventories; escaping of dump bytes in reports.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "src/net/test_http_server.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using AccountingTest = E2eTest;

TEST_F(AccountingTest, TextReportWithoutFindingsSaysWhatWasNotChecked) {
  const std::string dump = Write(
      "dump.txt", absl::StrCat(Le2020Line("03ff01", "a.example"), "serial zz-not-hex garbage\n"));
  const std::string domains = Write("d.txt", "other.example\nnot a name\n");
  const RunResult r = Run({"--dump", dump, "--dump-format", "le2020", "--domains", domains});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("nothing in the inventory is in the dump")));
  EXPECT_THAT(r.out, HasSubstr("No findings among the entries checked."));
  EXPECT_THAT(r.out, HasSubstr("Not checked: 2 entries ("));
  EXPECT_THAT(r.out, HasSubstr("d.txt: 1 invalid row"));
  EXPECT_THAT(r.out, HasSubstr("dump.txt: 1 malformed line"));
  EXPECT_THAT(r.err, HasSubstr("serialmatch: not checked: "));
  EXPECT_THAT(r.err, HasSubstr("2 not checked"));

  // Everything checked: the plain answer.
  const std::string clean = Write("clean.txt", Le2020Line("03ff01", "a.example"));
  const RunResult ok = Run({"--dump", clean, "--domains", Write("d2.txt", "other.example\n")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "No findings: nothing in the inventory is in the dump.\n");
  EXPECT_THAT(ok.err, Not(HasSubstr("not checked:")));
}

TEST_F(AccountingTest, NotCheckedIsSaidEvenWithQuietAndFailsStrict) {
  const std::string dump = Write(
      "dump.txt", absl::StrCat(Le2020Line("03ff01", "a.example"), "serial zz-not-hex garbage\n"));
  const std::string serials = Write("s.txt", "03ff02\n");
  RunResult r = Run({"--dump", dump, "--dump-format", "le2020", "--serials", serials, "--quiet"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("serialmatch: not checked: "));
  EXPECT_THAT(r.err, Not(HasSubstr(" records (")));  // no summary line
  r = Run({"--dump", dump, "--dump-format", "le2020", "--serials", serials, "--strict"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--strict: 1 problem"));
}

TEST_F(AccountingTest, JsonSummaryAndMetricsCountWhatWasNotCheckedPerInput) {
  const std::string dump =
      Write("dump.txt", absl::StrCat(Le2020Line("03ff01", "a.example"), "junk\n", "more junk\n"));
  const std::string domains = Write("d.txt", "a.example\nbad..name\n");
  const std::string metrics = dir_ + "/m.prom";
  const RunResult r = Run({"--dump", dump, "--dump-format", "le2020", "--domains", domains,
                           "--format", "json", "--metrics-file", metrics});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"not_checked\":3,\"inputs\":["));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("{\"kind\":\"domains\",\"path\":\"", domains,
                                            "\",\"entries\":1,\"not_checked\":1,\"skipped\":0,"
                                            "\"reasons\":{\"invalid_rows\":1}}")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("{\"kind\":\"dump\",\"path\":\"", dump,
                                            "\",\"entries\":1,\"not_checked\":2,\"skipped\":0,"
                                            "\"reasons\":{\"malformed_lines\":2")));
  const std::string m = Read(metrics);
  EXPECT_THAT(m, HasSubstr("\nserialmatch_last_run_not_checked 3\n"));
  EXPECT_THAT(
      m, HasSubstr(absl::StrCat("serialmatch_last_run_input_not_checked{kind=\"dump\",input=\"",
                                dump, "\",reason=\"malformed_lines\"} 2\n")));
}

TEST_F(AccountingTest, SameDumpGivenTwiceIsReadOnce) {
  const std::string dump = Write("dump.txt", Le2020Line("03ff01", "a.example"));
  ASSERT_EQ(::symlink(dump.c_str(), (dir_ + "/link.txt").c_str()), 0);
  const std::string domains = Write("d.txt", "a.example\n");
  const RunResult once = Run({"--dump", dump, "--domains", domains, "--format", "jsonl"});
  const RunResult twice =
      Run({"--dump", dump, "--dump", dir_ + "/link.txt", "--dump", dir_ + "/./dump.txt",
           "--domains", domains, "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(twice.exit_code, 1) << twice.err;
  EXPECT_EQ(twice.out, once.out);
  EXPECT_THAT(twice.err, HasSubstr("link.txt: the same file as " + dump + "; read once"));
  EXPECT_THAT(twice.err, HasSubstr("--domains " + domains + ": the same file as"));
  EXPECT_THAT(twice.err, HasSubstr("1 dump, 1 record"));
  // Standard input given again as /dev/stdin.
  const RunResult stdin_twice =
      Run({"--dump", "-", "--dump", "/dev/stdin", "--domains", domains, "--format", "jsonl"}, dump);
  EXPECT_EQ(stdin_twice.exit_code, 1) << stdin_twice.err;
  EXPECT_EQ(std::count(stdin_twice.out.begin(), stdin_twice.out.end(), '\n'), 1) << stdin_twice.out;
  EXPECT_THAT(stdin_twice.out, HasSubstr("\"dump\":\"<stdin>\""));
  EXPECT_THAT(stdin_twice.err, HasSubstr("/dev/stdin: the same file as -; read once"));
}

TEST_F(AccountingTest, SeveralDomainAndSerialListsEachGetTheirFindings) {
  const std::string dump =
      Write("dump.txt", absl::StrCat(Le2020Line("03ff01", "a.example"),
                                     Le2020Line("03ff02", "b.example shared.example")));
  const std::string alice = Write("alice.txt", "a.example\nshared.example\n");
  const std::string bob = Write("bob.txt", "shared.example\n");
  const std::string s1 = Write("s1.txt", "03ff01\n");
  const std::string s2 = Write("s2.txt", "03:FF:02\n");
  const RunResult r = Run({"--dump", dump, "--domains", alice, "--domains", bob, "--serials", s1,
                           "--serials", s2, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"input\":\"shared.example\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", alice, ":1\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", alice, ":2\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", bob, ":1\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", s1, ":1\"")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"inventory\":\"", s2, ":1\"")));
  EXPECT_THAT(r.err, HasSubstr("5 findings"));
}

TEST_F(AccountingTest, RepeatedSingleValuedFlagIsAUsageError) {
  const std::string dump = Write("dump.txt", Le2020Line("03ff01", "a.example"));
  const std::string domains = Write("d.txt", "a.example\n");
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--format", "json", "--format", "csv"},
        std::vector<std::string>{"--dump-format", "le2020", "--dump-format=serials"},
        std::vector<std::string>{"--output", dir_ + "/a", "--output", dir_ + "/b"},
        std::vector<std::string>{"--threads", "1", "--threads", "2"}}) {
    std::vector<std::string> args = {"--dump", dump, "--domains", domains};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << extra[0];
    EXPECT_THAT(r.err, HasSubstr(extra[0] + " given more than once"));
  }
}

TEST_F(AccountingTest, DumpBytesAreEscapedInTextAndCsvReports) {
  // A name carrying a terminal escape sequence (CSI: clear the screen) and a BEL, with a valid
  // name beside it that matches.
  const std::string dump =
      Write("dump.txt", Le2020Line("03ff01", "a.example \x1b[2J\x07owned.example"));
  const std::string domains = Write("d.txt", "a.example\n");
  for (const char* format : {"text", "csv"}) {
    const RunResult r = Run({"--dump", dump, "--domains", domains, "--format", format});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.out, Not(HasSubstr("\x1b"))) << format;
    EXPECT_THAT(r.out, Not(HasSubstr("\x07"))) << format;
    EXPECT_THAT(r.out, HasSubstr("\\x1b[2J\\x07owned.example")) << format;
  }
}

TEST_F(AccountingTest, EndpointErrorHasNullsNotPlaceholders) {
  const net::RefusedPort refusing;
  const std::string endpoints = Write("e.txt", absl::StrCat("127.0.0.1:", refusing.port(), "\n"));
  const std::string dump = Write("dump.txt", Le2020Line("03ff01", "a.example"));
  const RunResult r =
      Run({"--dump", dump, "--endpoints", endpoints, "--format", "jsonl", "--timeout", "5"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"status\":\"error\""));
  EXPECT_THAT(r.out, HasSubstr("\"match\":null,\"serial\":null,\"dump\":null,\"dump_line\":null,"
                               "\"names\":null"));
  EXPECT_THAT(r.err, HasSubstr("1 unreachable endpoint"));
}

TEST_F(AccountingTest, InventoryTheDumpsCannotMatchStopsTheRun) {
  const std::string serials_dump = Write("serials.txt", "03ff01\n03ff02\n");
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string serials = Write("s.txt", "03ff09\n");
  // Names against a list of serials: no answer at all, not "No findings".
  RunResult r = Run({"--dump", serials_dump, "--domains", domains});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("carry serials but no names: --domains cannot match them"));
  EXPECT_EQ(r.out, "");
  // Serials against a pattern without a serial group.
  const std::string names_dump = Write("names.txt", "name=a.example\nname=b.example\n");
  r = Run({"--dump", names_dump, "--dump-pattern", "name=(?P<names>\\S+)", "--serials", serials});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("carry names but no serials: --serials cannot match them"));
  // A dump that matches one of two inventories: said, and the other is checked.
  r = Run({"--dump", serials_dump, "--domains", domains, "--serials", serials});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--domains not checked against this dump"));
  EXPECT_THAT(r.err, HasSubstr("--domains: none of the dumps carries what could match it"));
  // With a second dump that has names, both inventories are checked: an answer.
  const std::string le2020 = Write("le.txt", Le2020Line("03ff05", "a.example"));
  r = Run({"--dump", serials_dump, "--dump", le2020, "--domains", domains, "--serials", serials});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--domains not checked against this dump"));
  // Serials alone against a list of serials: an answer.
  r = Run({"--dump", serials_dump, "--serials", serials, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace serialmatch
