// End-to-end tests: run the built serialmatch binary on inputs written at test time (and on the
// shipped examples, against a golden report) and check its report, standard error and exit status.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/dump/test_compress.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST_F(E2eTest, ExamplesMatchGoldenReport) {
  const std::string src = SERIALMATCH_SOURCE_DIR;
  // Run from the source tree so paths in the report are the relative ones of the golden file.
  const RunResult r = Run({"--dump", src + "/examples/affected-le2020.txt", "--domains",
                           src + "/examples/domains.csv", "--serials",
                           src + "/examples/serials.txt", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::string expected = Read(absl::StrCat(SERIALMATCH_TESTDATA, "/e2e/examples.jsonl"));
  std::string actual = r.out;
  // The golden file names the inputs relative to the source tree.
  for (std::string* s : {&actual}) {
    size_t pos;
    while ((pos = s->find(src + "/")) != std::string::npos) s->erase(pos, src.size() + 1);
  }
  EXPECT_EQ(actual, expected);
  EXPECT_THAT(r.err, HasSubstr("affected-le2020.txt:6: unterminated names list"));
  EXPECT_THAT(r.err, HasSubstr("10 records (1 malformed), 5 findings (1 affected, 4 listed)"));
}

TEST_F(E2eTest, SubstringTrapsDoNotMatch) {
  const std::string dump = Write("dump.txt", Le2020Line("03aa01", "example.com www.example.com") +
                                                 Le2020Line("03aa02", "myexample.com") +
                                                 Le2020Line("03aa03", "example.com.evil.net") +
                                                 Le2020Line("03aa04", "*.b.example.org"));
  const std::string domains =
      Write("d.txt", "ample.com\nexample\nxample.com\nevil.net\n.ample.com\na.b.c.example.org\n");
  const RunResult r = Run({"--dump", dump, "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("0 findings"));
}

TEST_F(E2eTest, WildcardSubtreeAndIdnRules) {
  const std::string dump = Write("dump.txt", Le2020Line("03bb01", "*.example.net") +
                                                 Le2020Line("03bb02", "a.b.corp.example") +
                                                 Le2020Line("03bb03", "xn--mnchen-3ya.de"));
  const std::string domains =
      Write("d.csv",
            "domain\nwww.example.net\na.b.example.net\nexample.net\n.corp.example\n"
            "MÜNCHEN.de.\n");
  const RunResult r = Run({"--dump", dump, "--domains", domains, "--format", "csv"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> rows = Lines(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  EXPECT_THAT(rows[1], HasSubstr("listed,domain,.corp.example,a.b.corp.example,subtree,03bb02"));
  EXPECT_THAT(rows[2], HasSubstr("listed,domain,MÜNCHEN.de.,xn--mnchen-3ya.de,exact,03bb03"));
  EXPECT_THAT(rows[3], HasSubstr("listed,domain,www.example.net,*.example.net,wildcard,03bb01"));
}

TEST_F(E2eTest, SerialNotationsMatchAcrossDumpAndInventory) {
  const std::string dump = Write("dump.txt", "serial\n03:E2:26\n0x0087654321\n04aa\n");
  const std::string serials = Write("s.csv", "host,serial_number\nweb,3e226\napi,87:65:43:21\n");
  const RunResult r = Run({"--dump", dump, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("format serials (detected)"));
  const std::vector<std::string> rows = Lines(r.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0], HasSubstr("\"status\":\"affected\",\"kind\":\"serial\",\"input\":\"3e226\","
                                 "\"name\":null,\"match\":\"serial\",\"serial\":\"03e226\""));
  EXPECT_THAT(rows[0], HasSubstr("\"dump_line\":2,\"names\":[],\"issued_at\":null"));
  EXPECT_THAT(rows[1], HasSubstr("\"input\":\"87:65:43:21\""));
  EXPECT_THAT(rows[1], HasSubstr("\"serial\":\"87654321\",\"dump\":"));
}

TEST_F(E2eTest, MalformedLinesReportedCountedAndSkipped) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += "serial 03cc0" + std::to_string(i) + " broken line\n";
  text += std::string("\x00\xff\xfe binary junk\n", 16);
  text += Le2020Line("03cc99", "hit.example");
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "hit.example\n");
  RunResult r =
      Run({"--dump", dump, "--dump-format", "le2020", "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(dump + ":1: expected ' names: [' after the serial"));
  EXPECT_THAT(r.err, HasSubstr(dump + ":5: "));
  EXPECT_THAT(r.err, Not(HasSubstr(dump + ":6: ")));
  EXPECT_THAT(r.err, HasSubstr(dump + ": 4 more problems not shown (9 in all)"));
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":10"));

  const std::string report = dir_ + "/report.jsonl";
  r = Run({"--dump", dump, "--dump-format", "le2020", "--domains", domains, "--format", "jsonl",
           "--strict", "--output", report});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--strict: 9 problems in the input"));
  EXPECT_THAT(Read(report), HasSubstr("\"dump_line\":10"));
}

TEST_F(E2eTest, CommentLinesInLineFormatsAreSkippedEvenWithStrict) {
  const std::string domains = Write("d.txt", "hit.example\n");
  struct Case {
    std::string name;
    std::string text;  // the hit is on line 5
    std::vector<std::string> extra_args;
  };
  const std::vector<Case> cases = {
      {"le2020.txt",
       absl::StrCat("# CAA rechecking incident, affected serials\n",
                    Le2020Line("03c001", "a.example"), "  # indented comment\n\n",
                    Le2020Line("03c002", "hit.example")),
       {}},
      {"le2022.csv",
       "# account,serial,expiry,names\n1,\"03c001\",\"2022-02-25T18:25:29Z\",\"a.example\"\n#\n"
       "\t#1,\"03c003\",\"2022-02-25T18:25:29Z\",\"hit.example\"\n"
       "2,\"03c002\",\"2022-02-25T18:25:29Z\",\"hit.example\"\n",
       {}},
      {"custom.txt",
       "# serial|names\n03c001|a.example\n#\n# 03c003|hit.example\n03c002|hit.example\n",
       {"--dump-pattern", R"(^(?P<serial>[0-9a-f]+)\|(?P<names>.*)$)"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {
        "--dump", Write(c.name, c.text), "--domains", domains, "--strict", "--format", "jsonl"};
    args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("2 records (0 malformed)")) << c.name;
    EXPECT_THAT(r.out, HasSubstr("\"serial\":\"03c002\"")) << c.name;
    EXPECT_THAT(r.out, HasSubstr("\"dump_line\":5")) << c.name;
    EXPECT_THAT(r.out, Not(HasSubstr("03c003"))) << c.name;
  }
}

TEST_F(E2eTest, DamagedLinesNearTheTopAreMalformedNotUnrecognisable) {
  const std::string domains = Write("d.txt", "hit.example\n");
  const std::string junk("\x00\xff\xfe binary junk\n", 16);
  struct Case {
    std::string name;
    std::string text;  // the hit is on line 4
    const char* format;
    const char* problem;  // what is said about the damaged line
  };
  const std::vector<Case> cases = {
      {"le2020.txt",
       absl::StrCat(junk, Le2020Line("03d001", "a.example"), Le2020Line("03d002", "b.example"),
                    Le2020Line("03d003", "hit.example")),
       "le2020", ":1: expected a line starting with 'serial '"},
      {"le2022.csv",
       "1,\"03d001\",\"2022-02-25T18:25:29Z\",\"a.example\"\n"
       "1,\"03d0\n"  // cut by a download
       "1,\"03d002\",\"2022-02-25T18:25:29Z\",\"b.example\"\n"
       "1,\"03d003\",\"2022-02-25T18:25:29Z\",\"hit.example\"\n",
       "le2022-csv", ":2: a quoted field is not closed"},
      {"serials.txt", "03d001\nAffected serials follow\n03d002\n03d003\n", "serials",
       ":2: invalid serial"},
  };
  for (const Case& c : cases) {
    const std::string dump = Write(c.name, c.text);
    const std::string serials = Write("s.txt", "03d003\n");
    // A list of serials carries no names for a domain inventory to match.
    std::vector<std::string> args = {"--dump", dump, "--serials", serials, "--format", "jsonl"};
    if (absl::string_view(c.format) != "serials") args.insert(args.end(), {"--domains", domains});
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << c.name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat(dump, ": format ", c.format, " (detected)")));
    EXPECT_THAT(r.err, HasSubstr(dump + c.problem)) << r.err;
    EXPECT_THAT(r.err, HasSubstr("3 records (1 malformed)")) << r.err;
    EXPECT_THAT(r.out, HasSubstr("\"dump_line\":4")) << c.name;
    r = Run({"--dump", dump, "--serials", serials, "--strict"});
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
  }

  // Comment and blank lines before a ccadb-csv header.
  const std::string ccadb = Write("ccadb.csv",
                                  "# Incident 1234, appendix A\n\nSerial #,dNSNames,Issuer\n"
                                  "03:D0:04,\"hit.example, www.hit.example\",CN=Example CA\n");
  RunResult r = Run({"--dump", ccadb, "--domains", domains, "--strict", "--format", "csv"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(ccadb + ": format ccadb-csv (detected)"));
  EXPECT_THAT(r.out,
              HasSubstr("listed,domain,hit.example,hit.example,exact,03d004," + ccadb + ",4,"));

  // Half le2020, half serials: not guessed at.
  std::string mixed;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&mixed, Le2020Line(absl::StrCat("03d1", i), "a.example"), "03d2", i, "\n");
  }
  r = Run({"--dump", Write("mixed.txt", mixed), "--domains", domains});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("(of the first 8 lines, 4 look like le2020, 4 like serials)"));
  EXPECT_THAT(r.err, HasSubstr("name one with --dump-format"));
}

TEST_F(E2eTest, CrlfBomAndBlankLinesGiveSameFindings) {
  const std::string lf =
      Le2020Line("03dd01", "a.example") + "\n" + Le2020Line("03dd02", "b.example");
  std::string crlf = "\xEF\xBB\xBF";
  for (absl::string_view line : absl::StrSplit(lf, '\n')) absl::StrAppend(&crlf, line, "\r\n");
  const std::string domains = Write("d.txt", "b.example\n");
  const RunResult a = Run({"--dump", Write("lf.txt", lf), "--domains", domains, "--format", "csv"});
  const RunResult b =
      Run({"--dump", Write("crlf.txt", crlf), "--domains", domains, "--format", "csv"});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(b.exit_code, 1) << b.err;
  EXPECT_THAT(b.err, HasSubstr("format le2020 (detected)"));
  EXPECT_THAT(b.err, HasSubstr("(0 malformed)"));
  std::string a_out = a.out;
  std::string b_out = b.out;
  a_out.replace(a_out.find("lf.txt"), 6, "X");
  b_out.replace(b_out.find("crlf.txt"), 8, "X");
  EXPECT_EQ(a_out, b_out);
  EXPECT_THAT(a.out, HasSubstr(",3,b.example,"));  // line 3: the blank line counts
}

TEST_F(E2eTest, StdinAndThreadCountsGiveSameFindings) {
  std::string text;
  for (int i = 0; i < 60000; ++i) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "04%08x", i);
    text += Le2020Line(
        serial, i % 9973 == 0 ? "hit.example www.hit.example" : absl::StrCat("h", i, ".example"));
  }
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "hit.example\n");
  const std::string serials = Write("s.txt", "04:00:00:00:2a\n");
  std::vector<std::string> outputs;
  for (const char* threads : {"1", "2", "5"}) {
    const RunResult r = Run({"--dump", dump, "--domains", domains, "--serials", serials, "--format",
                             "jsonl", "--threads", threads});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    outputs.push_back(r.out);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[0], outputs[2]);
  EXPECT_EQ(Lines(outputs[0]).size(), 8u);  // 7 listed (0, 9973, ... 59838) + 1 affected

  const RunResult piped =
      Run({"--dump", "-", "--domains", domains, "--serials", serials, "--format", "jsonl"}, dump);
  EXPECT_EQ(piped.exit_code, 1) << piped.err;
  std::string expected = outputs[0];
  size_t pos;
  while ((pos = expected.find(dump)) != std::string::npos)
    expected.replace(pos, dump.size(), "<stdin>");
  EXPECT_EQ(piped.out, expected);
}

// One incident written in every format a CA has published it in: the findings (what is affected or
// listed, and how) must be the same whatever the format.
TEST_F(E2eTest, SameIncidentInEveryFormatGivesSameFindings) {
  struct Cert {
    std::string serial;  // canonical
    std::vector<std::string> names;
  };
  std::vector<Cert> certs;
  for (int i = 0; i < 300; ++i) {
    char serial[40];
    std::snprintf(serial, sizeof serial, "04%06x%028x", i, i * 7919);
    Cert c{serial, {absl::StrCat("site", i, ".example"), absl::StrCat("www.site", i, ".example")}};
    if (i % 10 == 0) c.names.push_back(absl::StrCat("*.wild", i, ".example"));
    certs.push_back(c);
  }
  auto upper_colons = [](absl::string_view hex) {
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) {
      absl::StrAppend(&out, i == 0 ? "" : ":", absl::AsciiStrToUpper(hex.substr(i, 2)));
    }
    return out;
  };
  std::string le2020, le2022, ccadb, crtsh = "[", custom;
  ccadb =
      "Precertificate SHA-256 hash,Certificate SHA-256 hash,Subject,Issuer,Not before,"
      "Not after,Serial #,dNSNames,Is revoked?,Revocation date,Revocation reason\r\n";
  for (size_t i = 0; i < certs.size(); ++i) {
    const Cert& c = certs[i];
    const std::string spaced = absl::StrJoin(c.names, " ");
    absl::StrAppend(&le2020, "serial ", c.serial, " ", 1000 + i, " 00ff names: [", spaced,
                    "] missing CAA checking results for [", c.names[0],
                    "] at 2020-01-01 00:00:00.5 +0000 UTC\n");
    absl::StrAppend(&le2022, 1000 + i, ",\"", c.serial, "\",\"2020-04-01T00:00:00Z\"");
    for (const std::string& n : c.names) absl::StrAppend(&le2022, ",\"", n, "\"");
    absl::StrAppend(&le2022, "\n");
    absl::StrAppend(&ccadb, ",,CN=", c.names[0], ",\"C=US, O=Example CA\",2020-01-01T00:00:00Z,",
                    "2020-04-01T00:00:00Z,", upper_colons(c.serial), ",\"",
                    absl::StrJoin(c.names, ", "), "\",FALSE,,\r\n");
    // crt.sh lists the precertificate and the certificate: the same serial twice.
    for (int copy = 0; copy < 2; ++copy) {
      absl::StrAppend(
          &crtsh, crtsh.size() > 1 ? ",\n" : "\n", "{\"issuer_ca_id\":1,",
          "\"issuer_name\":\"C=US, O=Example CA\",\"common_name\":\"", c.names[0],
          "\",\"name_value\":\"", absl::StrJoin(c.names, "\\n"), "\",\"id\":", i * 2 + copy,
          ",\"not_before\":\"2020-01-01T00:00:00\",\"not_after\":\"2020-04-01T00:00:00\",",
          "\"serial_number\":\"", c.serial, "\"}");
    }
    absl::StrAppend(&custom, "0x", c.serial, "|", absl::StrJoin(c.names, ";"), "|2020-01-01\n");
  }
  crtsh += "\n]\n";
  const std::string domains =
      Write("d.csv",
            "domain\nsite7.example\nWWW.SITE8.EXAMPLE.\nx.wild20.example\n.site9.example\n"
            "ite7.example\nsite700.example\n");
  const std::string serials = Write("s.txt", absl::StrCat(upper_colons(certs[3].serial), "\n00",
                                                          certs[150].serial, "\n05ffff\n"));

  // status,kind,input,name,match,serial of each finding, sorted.
  auto findings = [&](const std::vector<std::string>& dump_args) {
    std::vector<std::string> args = dump_args;
    for (const char* a : {"--domains", "", "--serials", "", "--format", "csv"}) args.push_back(a);
    args[args.size() - 5] = domains;
    args[args.size() - 3] = serials;
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("(0 malformed)")) << r.err;
    std::vector<std::string> keys;
    for (const std::string& row : Lines(r.out)) {
      const std::vector<absl::string_view> cells = absl::StrSplit(row, ',');
      if (cells.size() < 6 || cells[0] == "status") continue;
      keys.push_back(absl::StrJoin(cells.begin(), cells.begin() + 6, ","));
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  };
  const std::vector<std::string> expected = findings({"--dump", Write("le2020.txt", le2020)});
  EXPECT_THAT(
      expected,
      ::testing::UnorderedElementsAre(
          absl::StrCat("listed,domain,.site9.example,site9.example,subtree,", certs[9].serial),
          absl::StrCat("listed,domain,WWW.SITE8.EXAMPLE.,www.site8.example,exact,",
                       certs[8].serial),
          absl::StrCat("listed,domain,site7.example,site7.example,exact,", certs[7].serial),
          absl::StrCat("listed,domain,x.wild20.example,*.wild20.example,wildcard,",
                       certs[20].serial),
          absl::StrCat("affected,serial,00", certs[150].serial, ",,serial,", certs[150].serial),
          absl::StrCat("affected,serial,", upper_colons(certs[3].serial), ",,serial,",
                       certs[3].serial)));
  EXPECT_EQ(findings({"--dump", Write("le2020.txt.gz", dump::GzipForTest(le2020))}), expected);
  EXPECT_EQ(findings({"--dump", Write("le2020.zst", dump::ZstdForTest(le2020))}), expected);
  EXPECT_EQ(findings({"--dump", Write("le2022.csv", le2022)}), expected);
  EXPECT_EQ(findings({"--dump", Write("ccadb.csv", ccadb)}), expected);
  EXPECT_EQ(findings({"--dump", Write("crtsh.json", crtsh)}), expected);
  EXPECT_EQ(findings({"--dump", Write("custom.txt", custom), "--dump-pattern",
                      R"(^(?P<serial>[^|]+)\|(?P<names>[^|]*)\|(?P<issued_at>.*)$)"}),
            expected);
  // The same dumps as exported on another system: BOM, CRLF line ends, blank lines.
  auto messy = [](absl::string_view text) {
    std::string out = "\xEF\xBB\xBF\r\n";
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      absl::StrAppend(&out, line, line.empty() ? "" : "\r\n\r\n");
    }
    return out;
  };
  EXPECT_EQ(findings({"--dump", Write("m-le2020.txt", messy(le2020))}), expected);
  EXPECT_EQ(findings({"--dump", Write("m-le2022.csv", messy(le2022))}), expected);
  EXPECT_EQ(findings({"--dump", Write("m-ccadb.csv", messy(ccadb))}), expected);
  EXPECT_EQ(findings({"--dump", Write("m-crtsh.json", messy(crtsh))}), expected);
  EXPECT_EQ(findings({"--dump", Write("m-custom.txt", messy(custom)), "--dump-pattern",
                      R"(^(?P<serial>[^|]+)\|(?P<names>[^|]*)\|(?P<issued_at>.*)$)"}),
            expected);
  // Through standard input, with the format detected from the stream.
  const RunResult piped =
      Run({"--dump", "-", "--domains", domains, "--format", "csv"}, Write("crtsh2.json", crtsh));
  EXPECT_THAT(piped.err, HasSubstr("<stdin>: format crtsh-json (detected)"));
}

TEST_F(E2eTest, CrtshAnswersAppendedToOneFileAreAllRead) {
  // One crt.sh answer per domain, appended with >>: no newline after each, or one; an empty answer.
  auto answer = [](absl::string_view serial, absl::string_view name) {
    return absl::StrCat("[{\"issuer_ca_id\":1,\"issuer_name\":\"C=US, O=Example CA\",",
                        "\"common_name\":\"", name, "\",\"name_value\":\"", name, "\",",
                        "\"not_before\":\"2020-01-01T00:00:00\",\"serial_number\":\"", serial,
                        "\"}]");
  };
  const std::string json =
      absl::StrCat(answer("03e001", "a.example"), answer("03e002", "b.example"), "\n[]\n",
                   answer("03e003", "c.example"), "\n");
  const std::string domains = Write("d.txt", "a.example\nb.example\nc.example\n");
  const std::string dump = Write("crtsh.json", json);
  for (const std::string& stdin_path : {std::string("/dev/null"), dump}) {
    const bool piped = stdin_path != "/dev/null";
    const RunResult r =
        Run({"--dump", piped ? "-" : dump, "--domains", domains, "--strict", "--format", "csv"},
            stdin_path);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("format crtsh-json (detected)"));
    EXPECT_THAT(r.err, HasSubstr("3 records (0 malformed), 3 findings"));
    EXPECT_THAT(r.out, HasSubstr("exact,03e002,"));
    EXPECT_THAT(r.out, HasSubstr(",1,b.example"));  // dump_line: the line the element starts on
    EXPECT_THAT(r.out, HasSubstr(",3,c.example"));
  }
  // What follows the arrays must be another array: anything else stops the run.
  const std::vector<std::pair<std::string, std::string>> broken = {
      {absl::StrCat(json, "<html>rate limited</html>"),
       absl::StrCat("trailing data after the fourth JSON array at byte ", json.size(),
                    " (line 4), got '<html>rate limited</html>'")},
      {absl::StrCat(json, answer("03e004", "d.example").substr(0, 50)),
       absl::StrCat("fifth JSON array truncated at byte ", json.size() + 50)},
  };
  for (const auto& [text, message] : broken) {
    const RunResult r = Run({"--dump", Write("broken.json", text), "--domains", domains});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_THAT(r.out, IsEmpty());
  }
}

TEST_F(E2eTest, CrtshElementWhoseNamesAreNotAStringIsMalformedNotNameless) {
  // Not crt.sh's shape: taken without its names, the element could never match a domain.
  const std::string dump = Write(
      "crtsh.json",
      "[{\"serial_number\":\"03e101\",\"name_value\":\"a.example\"},\n"
      " {\"serial_number\":\"03e102\",\"name_value\":[\"hit.example\"],\"common_name\":null}]\n");
  const std::string domains = Write("d.txt", "hit.example\n");
  RunResult r = Run({"--dump", dump, "--domains", domains});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(dump + ":2: 'name_value' is not a string"));
  EXPECT_THAT(r.err, HasSubstr("1 record (1 malformed)"));
  r = Run({"--dump", dump, "--domains", domains, "--strict"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(E2eTest, CompressedDumpsFromFilesAndStandardInput) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "05%08x", i);
    text += Le2020Line(serial, absl::StrCat("h", i, ".example"));
  }
  const std::string domains = Write("d.txt", "h19999.example\nh7.example\n");
  // Two gzip members, as `cat a.gz b.gz` makes; detection is by content, not by name.
  const std::string gz = Write("dump.bin", dump::GzipForTest(text.substr(0, text.size() / 3)) +
                                               dump::GzipForTest(text.substr(text.size() / 3)));
  for (const std::string& stdin_path : {std::string("/dev/null"), gz}) {
    const bool piped = stdin_path != "/dev/null";
    const RunResult r =
        Run({"--dump", piped ? "-" : gz, "--domains", domains, "--format", "csv"}, stdin_path);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(": gzip, format le2020 (detected)"));
    EXPECT_THAT(r.err, HasSubstr("20,000 records (0 malformed), 2 findings"));
    EXPECT_THAT(r.out, HasSubstr(",20000,h19999.example,"));
  }
  const RunResult zst = Run({"--dump", Write("dump.zst", dump::ZstdForTest(text)), "--domains",
                             domains, "--format", "csv"});
  EXPECT_EQ(zst.exit_code, 1) << zst.err;
  EXPECT_THAT(zst.err, HasSubstr(": zstd, format le2020 (detected)"));
  EXPECT_THAT(zst.out, HasSubstr(",20000,h19999.example,"));
}

TEST_F(E2eTest, TruncatedOrCorruptArchiveIsAnErrorSayingHowFarItGot) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += Le2020Line(absl::StrCat("06", i * 2 + 10), "a.example");
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string gz = dump::GzipForTest(text);
  const std::string zst = dump::ZstdForTest(text);
  std::string corrupt = gz;
  for (size_t i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i) corrupt[i] ^= 0x5a;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Write("cut.gz", gz.substr(0, gz.size() * 2 / 3)), "truncated gzip data after"},
      {Write("cut.zst", zst.substr(0, zst.size() * 2 / 3)), "truncated zstd data after"},
      {Write("bad.gz", corrupt), "corrupt gzip data"},
  };
  for (const auto& [path, message] : cases) {
    const RunResult r = Run({"--dump", path, "--domains", domains, "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(message)) << path;
    EXPECT_THAT(r.err, HasSubstr("bytes decompressed")) << path;
    EXPECT_THAT(r.out, IsEmpty()) << path;  // no partial report
  }
}

TEST_F(E2eTest, XzAndBzip2DumpsAreReadAndArchivesAreRefusedByName) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "08%08x", i);
    text += Le2020Line(serial, absl::StrCat("h", i, ".example"));
  }
  const std::string domains = Write("d.txt", "h19999.example\nh7.example\n");
  // Two streams each, as `cat a.xz b.xz` makes; detection is by content, not by name.
  const std::vector<std::pair<std::string, std::string>> dumps = {
      {"xz", dump::XzForTest(text.substr(0, text.size() / 3)) +
                 dump::XzForTest(text.substr(text.size() / 3))},
      {"bzip2", dump::Bzip2ForTest(text.substr(0, text.size() / 3), 1) +
                    dump::Bzip2ForTest(text.substr(text.size() / 3), 1)},
  };
  for (const auto& [name, data] : dumps) {
    const std::string path = Write(name + ".bin", data);
    for (const std::string& stdin_path : {std::string("/dev/null"), path}) {
      const bool piped = stdin_path != "/dev/null";
      const RunResult r =
          Run({"--dump", piped ? "-" : path, "--domains", domains, "--format", "csv"}, stdin_path);
      EXPECT_EQ(r.exit_code, 1) << name << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr(absl::StrCat(piped ? "<stdin>" : path, ": ", name,
                                                ", format le2020 (detected)")));
      EXPECT_THAT(r.err, HasSubstr("20,000 records (0 malformed), 2 findings"));
      EXPECT_THAT(r.out, HasSubstr(",20000,h19999.example,"));
    }
    // Cut short, it is an error that says how far it got, and no report is written.
    const std::string cut = Write(name + ".cut", data.substr(0, data.size() * 2 / 3));
    const RunResult r = Run({"--dump", cut, "--domains", domains, "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat(cut, ": truncated ", name, " data after ")));
    EXPECT_THAT(r.err, HasSubstr("bytes decompressed)"));
    EXPECT_THAT(r.out, IsEmpty());
  }

  std::string tar(512, '\0');
  tar.replace(0, 12, "affected.txt");
  tar.replace(257, 8,
              std::string("ustar\x00"
                          "00",
                          8));
  tar += text;
  const std::vector<std::pair<std::string, std::string>> refused = {
      {Write("dump.zip", std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + text),
       "zip archive; not supported, extract it first"},
      {Write("dump.7z", std::string("7z\xBC\xAF\x27\x1C\x00\x04", 8) + text),
       "7z archive; not supported, extract it first"},
      {Write("dump.lz4", std::string("\x04\x22\x4D\x18\x64\x40\xA7", 7) + text),
       "lz4 compressed data; not supported, decompress it first"},
      {Write("dump.tar.gz", dump::GzipForTest(tar)),
       "tar archive; not supported, extract it first"},
  };
  for (const auto& [path, message] : refused) {
    for (const std::string& stdin_path : {std::string("/dev/null"), path}) {
      const bool piped = stdin_path != "/dev/null";
      const RunResult r = Run({"--dump", piped ? "-" : path, "--domains", domains}, stdin_path);
      EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr(absl::StrCat(piped ? "<stdin>" : path, ": ", message)));
      EXPECT_THAT(r.out, IsEmpty());
    }
  }
}

TEST_F(E2eTest, SeveralDumps) {
  const std::string d1 = Write("one.txt", Le2020Line("03ee01", "a.example"));
  const std::string d2 = Write("two.txt", "03ee02\n");
  const std::string serials = Write("s.txt", "03ee02\n03ee01\n3:ee:01\n");
  const RunResult r = Run({"--dump", d1, "--dump", d2, "--serials", serials, "--format", "csv"});
  EXPECT_THAT(r.err, HasSubstr(serials + ": 1 repeated entry merged with the first occurrence"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("affected,serial,03ee01,,serial,03ee01," + d1 + ",1,"));
  EXPECT_THAT(r.out, HasSubstr("affected,serial,03ee02,,serial,03ee02," + d2 + ",1,"));
  EXPECT_THAT(r.err, HasSubstr("2 dumps, 2 records"));
}

TEST_F(E2eTest, OutputFileIsWrittenWholeOrNotAtAll) {
  const std::string dump = Write("dump.txt", Le2020Line("03ff01", "a.example"));
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string report = dir_ + "/out.json";
  RunResult r = Run({"--dump", dump, "--domains", domains, "--format", "json", "--output", report});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(Read(report), HasSubstr("\"summary\":{\"dumps\":1,\"records\":1,\"malformed\":0,"
                                      "\"findings\":1,\"not_checked\":0,"));
  r = Run({"--dump", dump, "--domains", domains, "--output", dir_ + "/no/such/dir/out.txt"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot create a temporary file"));
}

TEST_F(E2eTest, UnusableInputExitsTwoWithOneLine) {
  const std::string dump = Write("dump.txt", Le2020Line("03ab01", "a.example"));
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string empty_dir = dir_ + "/empty";
  ASSERT_EQ(::mkdir(empty_dir.c_str(), 0755), 0);
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"--dump", dir_ + "/missing.txt", "--domains", domains}, "missing.txt: cannot open"},
      {{"--dump", empty_dir, "--domains", domains}, "empty/: no files to read"},
      {{"--dump", dump, "--domains", dir_ + "/missing.csv"}, "missing.csv: cannot open"},
      {{"--dump", dump, "--domains", dir_}, "is a directory"},
      {{"--dump", dump, "--domains", Write("empty.csv", "domain\n\n")}, "no valid domain names"},
      {{"--dump", Write("empty.txt", ""), "--domains", domains}, "no certificate lines found"},
      {{"--dump", Write("weird.txt", "hello,world\n"), "--domains", domains},
       "le2022-csv, ccadb-csv, crtsh-json, crl, regex; name one with --dump-format"},
      {{"--dump", Write("blank.txt", "\n\n"), "--dump-format", "serials", "--serials",
        Write("s.txt", "03d003\n")},
       "no certificate records in 2 lines"},
      {{"--dump", dump}, "give an inventory"},
      {{"--domains", domains, "--dump", dump, "--format", "yaml"}, "unknown --format 'yaml'"},
  };
  for (const Case& c : cases) {
    const RunResult r = Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_THAT(r.out, IsEmpty()) << c.message;
  }
}

TEST_F(E2eTest, HelpAndVersion) {
  RunResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("Usage: serialmatch --dump PATH"));
  r = Run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  // The version and commit, then one line per library (src/cli/version_test.cc checks those).
  EXPECT_THAT(r.out, ::testing::MatchesRegex(
                         "serialmatch [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit [^)]+\\)\n(.*\n)+"));
  EXPECT_THAT(r.out, HasSubstr("\n  OpenSSL "));
}

TEST_F(E2eTest, TextReportIsATable) {
  const std::string dump = Write("dump.txt", Le2020Line("03ac01",
                                                        "a.example b.example c.example "
                                                        "d.example e.example"));
  const std::string domains = Write("d.txt", "c.example\n");
  const RunResult r = Run({"--dump", dump, "--domains", domains});
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> rows = Lines(r.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0], ::testing::StartsWith("STATUS  KIND    INPUT      NAME       MATCH"));
  EXPECT_THAT(rows[1], HasSubstr("a.example b.example c.example (+2 more)"));
  EXPECT_THAT(rows[1], HasSubstr("2020-02-01T10:00:00.5Z"));
}

}  // namespace
}  // namespace serialmatch
