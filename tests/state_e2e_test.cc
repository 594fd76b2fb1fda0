// End-to-end tests of --state and --only-new: the binary run twice (or more) against the same
// state file, as an hourly job runs it, with inputs that change between the runs.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using inventory::TestCrlSpec;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class StateE2eTest : public E2eTest {
 protected:
  // A dump listing serial 03e226 (for the serial list) and www.example.com.
  std::string Dump(absl::string_view name, absl::string_view before = "") {
    return Write(name, absl::StrCat(before, Le2020Line("03e226", "a.example"),
                                    Le2020Line("04aa", "www.example.com")));
  }
  std::string Serials() { return Write("serials.txt", "03:E2:26\n"); }
  std::string Domains() { return Write("domains.txt", "www.example.com\n"); }
  std::string State() const { return dir_ + "/state.json"; }

  // The "new" value of each line of a jsonl report, in order.
  static std::vector<std::string> NewFlags(absl::string_view jsonl) {
    std::vector<std::string> out;
    for (absl::string_view line : absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
      if (absl::StrContains(line, "\"new\":true")) {
        out.push_back("true");
      } else if (absl::StrContains(line, "\"new\":false")) {
        out.push_back("false");
      } else {
        out.push_back("none");
      }
    }
    return out;
  }
};

TEST_F(StateE2eTest, FirstRunEverythingNewThenNothingNew) {
  const std::string dump = Dump("affected.txt");
  const std::vector<std::string> args = {"--dump",  dump,      "--serials", Serials(),  "--domains",
                                         Domains(), "--state", State(),     "--format", "jsonl"};
  RunResult r = Run(args);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(NewFlags(r.out), (std::vector<std::string>{"true", "true"}));
  const std::string state = Read(State());
  EXPECT_THAT(state, StartsWith("{\"serialmatch_state\":1,\"run_at\":\""));
  EXPECT_THAT(state, HasSubstr("\"input\":\"03:E2:26\""));
  EXPECT_THAT(state, HasSubstr("\"input\":\"www.example.com\""));

  // The same inputs an hour later: the same findings, none new; the exit status still says that
  // something needs action.
  r = Run(args);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(NewFlags(r.out), (std::vector<std::string>{"false", "false"}));

  // --only-new: nothing to report, and nothing new needs action: exit 0.
  std::vector<std::string> only_new = args;
  only_new.push_back("--only-new");
  r = Run(only_new);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  only_new[only_new.size() - 2] = "text";  // --format text
  r = Run(only_new);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("No new findings.\nSince the last run ("));
  EXPECT_THAT(r.out, HasSubstr("0 new, 2 as before (not shown: --only-new), 0 no longer found."));
}

TEST_F(StateE2eTest, AMovedLineIsNotNewANewRecordIs) {
  const std::vector<std::string> common = {"--serials", Serials(), "--domains",
                                           Domains(),   "--state", State(),
                                           "--format",  "jsonl",   "--only-new"};
  std::vector<std::string> args = {"--dump", Dump("v1.txt")};
  args.insert(args.end(), common.begin(), common.end());
  ASSERT_EQ(Run(args).exit_code, 1);

  // The CA republishes the list under another name with lines added before: the same records.
  args[1] = Dump("v2.txt", absl::StrCat("# updated list\n", Le2020Line("0bbb", "other.example")));
  RunResult r = Run(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");

  // A third version lists www.example.com on a new certificate as well: that finding alone is new.
  args[1] = Write("v3.txt", absl::StrCat(Le2020Line("03e226", "a.example"),
                                         Le2020Line("04aa", "www.example.com"),
                                         Le2020Line("05cc", "www.example.com")));
  r = Run(args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_THAT(lines[0], HasSubstr("\"new\":true"));
  EXPECT_THAT(lines[0], HasSubstr("\"serial\":\"05cc\""));
}

TEST_F(StateE2eTest, ANewlyRevokedCertificateIsNewItsListingIsNot) {
  const TestCa ca("R10");
  TestCertSpec spec;
  spec.serial_hex = "0a0b0c";
  spec.names = {"www.example.com"};
  const std::string cert = Write("cert.pem", TestCa::ToPem(ca.Issue(spec)));
  const std::string dump = Dump("affected.txt");  // names www.example.com, issued after the cert
  const std::vector<std::string> first = {"--dump",  dump,    "--certs",  cert,
                                          "--state", State(), "--format", "jsonl"};
  RunResult r = Run(first);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"cert.pem", "listed"}}));

  TestCrlSpec crl_spec;
  crl_spec.entries.emplace_back().serial_hex = "0a0b0c";
  const std::string crl = Write("r10.crl", ca.IssueCrl(crl_spec));
  std::vector<std::string> second = first;
  second.insert(second.end(), {"--dump", crl, "--only-new"});
  r = Run(second);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"cert.pem", "revoked"}}));
  EXPECT_THAT(r.out, HasSubstr("\"new\":true"));

  // Without --only-new both are shown, and neither is new: the revocation was reported above.
  second.pop_back();
  r = Run(second);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(NewFlags(r.out), (std::vector<std::string>{"false", "false"}));
}

TEST_F(StateE2eTest, ACorruptStateStopsTheRunAndIsKept) {
  const std::string dump = Dump("affected.txt");
  const std::string serials = Serials();
  for (const std::string& corrupt :
       {std::string("{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\",\"findi"),
        std::string(
            "{\"serialmatch_state\":7,\"run_at\":\"2026-12-01T08:00:00Z\",\"findings\":[]}"),
        std::string("not json\n"), std::string()}) {
    Write("state.json", corrupt);
    const RunResult r = Run({"--dump", dump, "--serials", serials, "--state", State(), "--output",
                             dir_ + "/report.txt", "--metrics-file", dir_ + "/m.prom"});
    EXPECT_EQ(r.exit_code, 2) << corrupt;
    EXPECT_THAT(r.err, HasSubstr(State() + ": not a usable serialmatch state file: ")) << corrupt;
    EXPECT_EQ(Read(State()), corrupt);                      // never replaced by "everything new"
    EXPECT_EQ(Read(dir_ + "/report.txt"), "<unreadable>");  // no report either
    EXPECT_THAT(Read(dir_ + "/m.prom"), HasSubstr("\nserialmatch_last_run_exit_status 2\n"));
  }
}

TEST_F(StateE2eTest, AFailedRunLeavesTheStateAsItWas) {
  const std::string serials = Serials();
  const std::string good = Dump("affected.txt");
  ASSERT_EQ(Run({"--dump", good, "--serials", serials, "--state", State()}).exit_code, 1);
  const std::string kept = Read(State());
  // --strict and a malformed line: exit 2 after the report is written; the state stays.
  const std::string bad =
      Write("bad.txt", absl::StrCat("serial zz-not-hex\n", Le2020Line("0f0f", "b.example")));
  RunResult r = Run({"--dump", bad, "--dump-format", "le2020", "--serials", serials, "--state",
                     State(), "--strict"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(Read(State()), kept);
  // So the next good run finds nothing new: nothing was lost by the failed one.
  r = Run({"--dump", good, "--serials", serials, "--state", State(), "--only-new", "--format",
           "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(StateE2eTest, AStateThatCannotBeWrittenFailsTheRun) {
  const std::string dump = Dump("affected.txt");
  const std::string serials = Serials();
  // A directory the run may read but not write in (run as nobody when the test runs as root),
  // and one it may write the metrics in.
  const std::string locked = dir_ + "/locked";
  const std::string open = dir_ + "/open";
  ASSERT_EQ(::mkdir(locked.c_str(), 0555), 0);
  ASSERT_EQ(::mkdir(open.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(open.c_str(), 0777), 0);  // whatever the umask
  const RunResult r =
      RunUnprivileged({"--dump", dump, "--serials", serials, "--state", locked + "/state.json",
                       "--metrics-file", open + "/m.prom", "--format", "jsonl", "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(locked + "/state.json"));
  EXPECT_THAT(Read(open + "/m.prom"), HasSubstr("\nserialmatch_last_run_exit_status 2\n"));
  EXPECT_EQ(Read(locked + "/state.json"), "<unreadable>");
}

TEST_F(StateE2eTest, AResolvedFindingIsCountedAndReturnsAsNew) {
  const std::string serials = Serials();
  const std::vector<std::string> args = {"--serials", serials,    "--state",
                                         State(),     "--format", "json"};
  std::vector<std::string> run = {"--dump", Dump("affected.txt")};
  run.insert(run.end(), args.begin(), args.end());
  ASSERT_EQ(Run(run).exit_code, 1);
  run[1] = Write("later.txt", Le2020Line("0f0f", "b.example"));  // 03e226 no longer listed
  RunResult r = Run(run);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"only_new\":false,\"new\":0,\"unchanged\":0,\"resolved\":1}"));
  run[1] = Dump("again.txt");
  r = Run(run);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"new\":true"));
}

TEST_F(StateE2eTest, MetricsCountNewFindingsAndEveryFinding) {
  const std::string dump = Dump("affected.txt");
  const std::string metrics = dir_ + "/serialmatch.prom";
  const std::vector<std::string> args = {"--dump",     dump,     "--serials",      Serials(),
                                         "--state",    State(),  "--metrics-file", metrics,
                                         "--only-new", "--quiet"};
  ASSERT_EQ(Run(args).exit_code, 1);
  std::string text = Read(metrics);
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_new_findings{status=\"affected\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_exit_status 1\n"));
  const RunResult r = Run(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  text = Read(metrics);
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_new_findings{status=\"affected\"} 0\n"));
  // The certificate still needs action: the alert on findings keeps firing, the run succeeded.
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_findings{status=\"affected\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_exit_status 0\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_resolved_findings 0\n"));
}

TEST_F(StateE2eTest, EveryFormatMarksNewFindings) {
  const std::string dump = Dump("affected.txt");
  const std::string serials = Serials();
  RunResult r = Run({"--dump", dump, "--serials", serials, "--state", State(), "--format", "csv"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(",certificate_renew_note,new\n"));
  EXPECT_THAT(r.out, HasSubstr(",true\n"));
  r = Run({"--dump", dump, "--serials", serials, "--state", State(), "--format", "text"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, StartsWith("NEW  STATUS"));
  EXPECT_THAT(r.out, HasSubstr("\n-    affected"));
  EXPECT_THAT(r.out, HasSubstr("0 new, 1 as before, 0 no longer found."));
  // Without --state, no trace of it.
  r = Run({"--dump", dump, "--serials", serials, "--format", "csv"});
  EXPECT_THAT(r.out, Not(HasSubstr(",new")));
}

TEST_F(StateE2eTest, UsageAndUnusableStatePaths) {
  RunResult r = Run({"--help"});
  EXPECT_THAT(r.out, HasSubstr("\n  --state FILE "));
  EXPECT_THAT(r.out, HasSubstr("\n  --only-new "));
  EXPECT_THAT(r.out, HasSubstr("0 when nothing new needs action"));
  const std::string dump = Dump("affected.txt");
  const std::string serials = Serials();
  r = Run({"--dump", dump, "--serials", serials, "--only-new"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--only-new"));
  EXPECT_THAT(r.err, HasSubstr("--state FILE"));
  r = Run({"--dump", dump, "--serials", serials, "--state", "-"});
  EXPECT_EQ(r.exit_code, 2);
  r = Run({"--dump", dump, "--serials", serials, "--state", State(), "--state", State()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--state given more than once"));
  // A state in a directory that does not exist: said before the run, not after it.
  r = Run({"--dump", dump, "--serials", serials, "--state", dir_ + "/no/state.json", "--format",
           "jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
  EXPECT_EQ(r.out, "");
  // A directory where the state file should be.
  ASSERT_EQ(::mkdir((dir_ + "/d").c_str(), 0755), 0);
  r = Run({"--dump", dump, "--serials", serials, "--state", dir_ + "/d"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("is a directory"));
}

}  // namespace
}  // namespace serialmatch
