// End-to-end tests of promises the README makes that no other test checks: each runs the built
// binary the way a user would and fails if the promise is broken. Grouped by the README's sections
// (dumps, certificate inventory, output, scheduled runs, exit status, signals).
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dump/test_compress.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class PromisesE2eTest : public E2eTest {
 protected:
  // The names in the test's directory that start with `prefix`.
  std::vector<std::string> FilesStartingWith(absl::string_view prefix) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      const std::string name = entry.path().filename();
      if (absl::StartsWith(name, prefix)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // A certificate of the test CA with `serial` for `names`, as PEM.
  std::string CertificatePem(const std::string& serial, std::vector<std::string> names) {
    TestCertSpec spec;
    spec.serial_hex = serial;
    spec.names = std::move(names);
    return TestCa::ToPem(ca_.Issue(spec));
  }

  TestCa ca_{"R3"};
};

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The value of the metric `name` (a full line "name value") in a Prometheus textfile; NaN if
// absent.
double MetricValue(absl::string_view text, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, " ")) continue;
    double value;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return std::nan("");
}

// --- Dumps

// "The pattern may match anywhere in a line": a pattern without ^ and $ finds its record in the
// middle of log-like lines; a line it does not match anywhere is malformed.
TEST_F(PromisesE2eTest, DumpPatternMatchesInTheMiddleOfALine) {
  const std::string dump = Write(
      "revocations.log",
      "2024-03-01T10:00:00Z ca7 revoke serial=03:aa:01 names=a.example,www.a.example reason=1\n"
      "2024-03-01T10:00:01Z ca7 heartbeat ok\n"
      "2024-03-01T10:00:02Z ca7 revoke serial=03:aa:02 names=b.example reason=4\n");
  const std::string domains = Write("d.txt", "www.a.example\nb.example\n");
  const RunResult r = Run({"--dump", dump, "--dump-pattern",
                           R"(serial=(?P<serial>[0-9a-f:]+) names=(?P<names>\S+))", "--domains",
                           domains, "--format", "csv"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(
                         "listed,domain,www.a.example,www.a.example,exact,03aa01,", dump, ",1,")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("listed,domain,b.example,b.example,exact,03aa02,", dump,
                                            ",3,")));
  EXPECT_THAT(r.err, HasSubstr(dump + ":2: line does not match --dump-pattern"));
  EXPECT_THAT(r.err, HasSubstr("2 records (1 malformed), 2 findings"));
}

// --- Certificate inventory

// A Kubernetes projected secret: the real files in a timestamped hidden directory, "..data" a link
// to it, and the visible names links through "..data". The certificate is read once and reported
// under its visible name.
TEST_F(PromisesE2eTest, VisibleNamesArePreferredOverDataLinkFarms) {
  const std::string secret = dir_ + "/secret";
  ASSERT_EQ(::mkdir(secret.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((secret + "/..2024_01_01_00_00_00.123456789").c_str(), 0755), 0);
  TestCertSpec spec;
  spec.serial_hex = "0a0b0c";
  spec.names = {"shop.example"};
  std::string key;
  Write("secret/..2024_01_01_00_00_00.123456789/tls.crt", TestCa::ToPem(ca_.Issue(spec, &key)));
  Write("secret/..2024_01_01_00_00_00.123456789/tls.key", key);
  ASSERT_EQ(::symlink("..2024_01_01_00_00_00.123456789", (secret + "/..data").c_str()), 0);
  ASSERT_EQ(::symlink("..data/tls.crt", (secret + "/tls.crt").c_str()), 0);
  ASSERT_EQ(::symlink("..data/tls.key", (secret + "/tls.key").c_str()), 0);
  const std::string dump = Write("dump.txt", Le2020Line("0a0b0c", "shop.example"));
  const RunResult r = Run({"--dump", dump, "--certs", secret, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> findings = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(findings.size(), 1u) << r.out;
  EXPECT_THAT(findings[0], HasSubstr(absl::StrCat("\"input\":\"", secret, "/tls.crt\"")));
  EXPECT_THAT(findings[0], HasSubstr(absl::StrCat("\"inventory\":\"", secret, "/tls.crt:1\"")));
  EXPECT_THAT(r.err, HasSubstr("--certs: 1 certificate from 2 files"));
  EXPECT_THAT(r.err, HasSubstr(secret + "/tls.key (PRIVATE KEY): no certificate in this file"));
  // tls.key beside tls.crt is its key: compared, and it matches (no mismatch finding above).
  EXPECT_THAT(r.err, HasSubstr("--certs: 1 private key compared with its certificate"));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr("..2024")));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr("..data")));
}

// "A file with only keys or CSRs is noted and skipped": not a problem (--strict passes), not a
// certificate (the names it asks for are in the dump, and give no finding).
TEST_F(PromisesE2eTest, CertificateRequestIsNotedAndSkipped) {
  ASSERT_EQ(::mkdir((dir_ + "/certs").c_str(), 0755), 0);
  // A CSR for csr.example made once with `openssl req -new` (its key thrown away).
  const std::string csr =
      Write("certs/request.csr", Read(absl::StrCat(SERIALMATCH_TESTDATA, "/promises/request.csr")));
  ASSERT_THAT(Read(csr), HasSubstr("-----BEGIN CERTIFICATE REQUEST-----"));
  Write("certs/shop.pem", CertificatePem("0d0e", {"shop.example"}));
  const std::string dump =
      Write("dump.txt", Le2020Line("0d0e", "shop.example") + Le2020Line("0f0f", "csr.example"));
  for (const bool strict : {false, true}) {
    std::vector<std::string> args = {"--dump",        dump,       "--certs",
                                     dir_ + "/certs", "--format", "jsonl"};
    if (strict) args.push_back("--strict");
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << "strict " << strict << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(csr + " (CERTIFICATE REQUEST): no certificate in this file; "
                                       "skipped"));
    EXPECT_THAT(r.err, HasSubstr("--certs: 1 certificate from 2 files"));
    EXPECT_THAT(r.err, Not(HasSubstr("problem")));
    const std::vector<std::string> findings = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
    ASSERT_EQ(findings.size(), 1u) << r.out;
    EXPECT_THAT(findings[0], HasSubstr("\"status\":\"affected\""));
    EXPECT_THAT(findings[0], HasSubstr("/certs/shop.pem\""));
  }
}

// --- Output

// "--quiet drops [the summary]" and the progress display; problems in the input are still
// reported, and so is what makes the run fail.
TEST_F(PromisesE2eTest, QuietLeavesOnlyTheProblemsOnStandardError) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += Le2020Line(absl::StrCat("0e0", i), "x.example");
  text += "serial 0e09 names: [unterminated\n";
  text += Le2020Line("0e10", "hit.example");
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "hit.example\nhit.example\n");
  const std::vector<std::string> args = {"--dump", dump, "--domains", domains, "--format", "csv"};

  const RunResult loud = Run(args);
  EXPECT_EQ(loud.exit_code, 1) << loud.err;
  EXPECT_THAT(loud.err, HasSubstr("format le2020 (detected)"));
  EXPECT_THAT(loud.err, HasSubstr("1 repeated entry"));
  EXPECT_THAT(loud.err, HasSubstr("serialmatch: 1 dump, 9 records (1 malformed), 1 finding"));

  std::vector<std::string> quiet_args = args;
  quiet_args.push_back("--quiet");
  const RunResult quiet = Run(quiet_args);
  EXPECT_EQ(quiet.exit_code, 1) << quiet.err;
  EXPECT_EQ(quiet.out, loud.out);
  const std::vector<std::string> lines = absl::StrSplit(quiet.err, '\n', absl::SkipEmpty());
  // The problem, and the count of what was not checked: the input's problems stay.
  ASSERT_EQ(lines.size(), 2u) << quiet.err;
  EXPECT_THAT(lines[0], ::testing::StartsWith(dump + ":9: "));
  EXPECT_EQ(lines[1], absl::StrCat("serialmatch: not checked: ", dump, ": 1 malformed line"));
  EXPECT_THAT(quiet.err, Not(HasSubstr("\r")));

  // What makes the run fail is said whatever --quiet.
  quiet_args.push_back("--strict");
  const RunResult strict = Run(quiet_args);
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_THAT(strict.err, HasSubstr(dump + ":9: "));
  EXPECT_THAT(strict.err, HasSubstr("--strict: 1 problem in the input"));
  EXPECT_THAT(strict.err, Not(HasSubstr("records")));
}

// The report and the metrics file: a new one gets 0666 minus the umask; one that is replaced keeps
// its mode, whatever the umask of the run.
TEST_F(PromisesE2eTest, ReportAndMetricsFileModes) {
  const std::string dump = Write("dump.txt", Le2020Line("0c0c", "a.example"));
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string report = dir_ + "/report.jsonl";
  const std::string metrics = dir_ + "/serialmatch.prom";
  const std::vector<std::string> args = {"--dump",         dump,    "--domains", domains,
                                         "--format",       "jsonl", "--output",  report,
                                         "--metrics-file", metrics};
  const mode_t saved = ::umask(027);
  const RunResult created = Run(args);
  ::umask(022);
  EXPECT_EQ(created.exit_code, 1) << created.err;
  EXPECT_EQ(ModeOf(report), 0640u);
  EXPECT_EQ(ModeOf(metrics), 0640u);

  ASSERT_EQ(::chmod(report.c_str(), 0600), 0);
  ASSERT_EQ(::chmod(metrics.c_str(), 0604), 0);
  const RunResult replaced = Run(args);
  ::umask(saved);
  EXPECT_EQ(replaced.exit_code, 1) << replaced.err;
  EXPECT_EQ(ModeOf(report), 0600u);
  EXPECT_EQ(ModeOf(metrics), 0604u);
  EXPECT_THAT(Read(report), HasSubstr("\"serial\":\"0c0c\""));
  EXPECT_THAT(FilesStartingWith("report.jsonl"), ::testing::ElementsAre("report.jsonl"));
}

// "A truncated or corrupt archive stops the run with exit status 2 [...]; no partial report is
// written": with --output, no report appears, an old one stays as it was, no temporary file.
TEST_F(PromisesE2eTest, NoPartialReportWhenAnArchiveIsTruncated) {
  std::string text;
  for (int i = 0; i < 30000; ++i) text += Le2020Line(absl::StrCat("0b", 10000 + i), "a.example");
  const std::string gz = dump::GzipForTest(text);
  const std::string zst = dump::ZstdForTest(text);
  const std::string domains = Write("d.txt", "a.example\n");
  for (const auto& [name, archive] :
       {std::pair<std::string, std::string>{"cut.gz", gz.substr(0, gz.size() / 2)},
        {"cut.zst", zst.substr(0, zst.size() / 2)}}) {
    const std::string dump = Write(name, archive);
    const std::string fresh = dir_ + "/fresh.jsonl";
    RunResult r =
        Run({"--dump", dump, "--domains", domains, "--format", "jsonl", "--output", fresh});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("truncated")) << name;
    EXPECT_FALSE(Exists(fresh)) << name;

    const std::string old = Write("old.jsonl", "the report of yesterday\n");
    r = Run({"--dump", dump, "--domains", domains, "--format", "jsonl", "--output", old});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_EQ(Read(old), "the report of yesterday\n") << name;
    EXPECT_THAT(FilesStartingWith("fresh.jsonl"), IsEmpty()) << name;
    EXPECT_THAT(FilesStartingWith("old.jsonl"), ::testing::ElementsAre("old.jsonl")) << name;
  }
}

// --- Scheduled runs

// _dumps counts the dumps, _timestamp_seconds is when the run ended (Unix time).
TEST_F(PromisesE2eTest, MetricsCountTheDumpsAndStampTheRun) {
  const std::string one = Write("one.txt", Le2020Line("0a01", "a.example"));
  const std::string two = Write("two.txt", "0a02\n0a03\n");
  const std::string three = Write("three.txt", Le2020Line("0a04", "b.example"));
  const std::string metrics = dir_ + "/serialmatch.prom";
  const double before = std::floor(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  const RunResult r = Run({"--dump", one, "--dump", two, "--dump", three, "--serials",
                           Write("s.txt", "0a03\n"), "--metrics-file", metrics, "--quiet"});
  const double after = std::ceil(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string text = Read(metrics);
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_dumps"), 3) << text;
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_records"), 4) << text;
  const double stamp = MetricValue(text, "serialmatch_last_run_timestamp_seconds");
  EXPECT_TRUE(stamp >= before && stamp <= after)
      << absl::StrFormat("%.3f is not within the run, [%.0f, %.0f]", stamp, before, after);
  EXPECT_THAT(text, HasSubstr("# TYPE serialmatch_last_run_dumps gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE serialmatch_last_run_timestamp_seconds gauge\n"));
}

// A run that fails at its second dump still counts the first, read to the end ("Dumps read to the
// end"), with its records and bytes.
TEST_F(PromisesE2eTest, MetricsOfARunFailingAtItsSecondDumpCountTheFirst) {
  const std::string one = Write("one.txt", Le2020Line("0a01", "a.example"));
  const std::string metrics = dir_ + "/serialmatch.prom";
  const RunResult r = Run({"--dump", one, "--dump", dir_ + "/missing.txt", "--domains",
                           Write("d.txt", "a.example\n"), "--metrics-file", metrics});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string text = Read(metrics);
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_exit_status"), 2) << text;
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_bytes"), Read(one).size()) << text;
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_dumps"), 1) << text;
  EXPECT_EQ(MetricValue(text, "serialmatch_last_run_records"), 1) << text;
}

// --- Exit status

// "An inventory with no valid entries" is trouble (2), even beside a valid one: an empty serial
// list must not pass for "nothing affected".
TEST_F(PromisesE2eTest, EmptySerialInventoryExitsTwo) {
  const std::string dump = Write("dump.txt", "0a01\n0a02\n");
  const std::string domains = Write("d.txt", "a.example\n");
  for (const auto& [name, content] : {std::pair<std::string, std::string>{"empty.txt", ""},
                                      {"header.csv", "host,serial_number\n"},
                                      {"blank.txt", "\n\n  \n"},
                                      {"invalid.txt", "not-a-serial\nzz:zz\n"}}) {
    const std::string serials = Write(name, content);
    const RunResult r = Run({"--dump", dump, "--serials", serials, "--domains", domains});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(serials + ": no valid serial numbers found")) << name;
    EXPECT_THAT(r.out, IsEmpty()) << name;
  }
}

// --- Endpoints: --concurrency and the default --timeout

// 8 endpoints that accept and never answer, 1 s each: 8 at a time take about 1 s (one after the
// other, 8 s); 2 at a time, at least 4 s. Upper bounds leave room for a loaded machine; the lower
// one cannot be met early.
TEST_F(PromisesE2eTest, ConcurrencyIsHowManyEndpointsAreCheckedAtOnce) {
  inventory::SilentListener silent;
  std::string list;
  for (int i = 0; i < 8; ++i) absl::StrAppend(&list, "127.0.0.1:", silent.port(), "\n");
  const std::string endpoints = Write("silent.txt", list);
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  for (const int concurrency : {8, 2}) {
    const absl::Time start = absl::Now();
    const RunResult r = Run({"--dump", dump, "--endpoints", endpoints, "--timeout", "1",
                             "--concurrency", absl::StrCat(concurrency), "--format", "jsonl"});
    const absl::Duration took = absl::Now() - start;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 8) << r.out;
    EXPECT_THAT(r.out, HasSubstr("timed out"));
    if (concurrency == 8) {
      EXPECT_LT(took, absl::Seconds(6)) << concurrency;
    } else {
      EXPECT_GE(took, absl::Milliseconds(3900)) << concurrency;
    }
  }
}

// "--timeout seconds (default 5)": an endpoint that never answers is given up after 5 s.
TEST_F(PromisesE2eTest, DefaultEndpointTimeoutIsFiveSeconds) {
  inventory::SilentListener silent;
  const std::string endpoints =
      Write("silent.txt", absl::StrCat("127.0.0.1:", silent.port(), "\n"));
  const std::string dump = Write("dump.txt", Le2020Line("0a0a", "x.example"));
  const absl::Time start = absl::Now();
  const RunResult r = Run({"--dump", dump, "--endpoints", endpoints, "--format", "jsonl"});
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"status\":\"error\""));
  EXPECT_THAT(r.out, HasSubstr("timed out"));
  EXPECT_GE(took, absl::Milliseconds(4900));
  EXPECT_LT(took, absl::Seconds(10));
}

// --- Signals

// "Stopped by SIGTERM: at once, with no report and no temporary file left", with the signal sent
// while the temporary report really exists: the run is frozen (SIGSTOP) as soon as the temporary
// file appears beside the report (inotify), and sent SIGTERM then SIGCONT. A report of ~30 MB
// takes long enough to write that the freeze almost always comes before the rename; if it comes
// after (the report complete, or the run over), the attempt does not count and is made again.
TEST_F(PromisesE2eTest, SigtermWhileTheReportIsWrittenLeavesNoTemporaryFile) {
  std::string text;
  for (int i = 0; i < 60000; ++i) text += Le2020Line(absl::StrCat("0c", 100000 + i), "hit.example");
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "hit.example\n");
  const std::string report = dir_ + "/report.jsonl";
  bool caught = false;
  for (int attempt = 0; attempt < 5 && !caught; ++attempt) {
    const int watch = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    ASSERT_GE(watch, 0);
    ASSERT_GE(::inotify_add_watch(watch, dir_.c_str(), IN_CREATE), 0);
    const pid_t pid = Spawn(
        {"--dump", dump, "--domains", domains, "--format", "jsonl", "--output", report, "--quiet"});
    ASSERT_GT(pid, 0);
    // The least priority for its main thread, the one that writes the report: on a busy machine
    // the test still gets to freeze it in time.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), 19);
    std::string temp;
    while (temp.empty()) {
      pollfd p = {watch, POLLIN, 0};
      if (::poll(&p, 1, 60'000) <= 0) break;
      alignas(inotify_event) char buf[4096];
      const ssize_t n = ::read(watch, buf, sizeof buf);
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buf + at);
        if (event->len > 0 && absl::StartsWith(event->name, "report.jsonl.tmp-")) {
          temp = dir_ + "/" + event->name;
        }
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    ::close(watch);
    if (temp.empty()) {
      ::kill(pid, SIGKILL);
      Wait(pid);
      FAIL() << "no temporary report appeared";
    }
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
    if (!WIFSTOPPED(status)) {  // frozen too late: the run had ended
      ::unlink(report.c_str());
      continue;
    }
    caught = Exists(temp) && !Exists(report);
    if (caught) {
      ASSERT_EQ(::kill(pid, SIGTERM), 0);
    }
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    const RunResult r = Wait(pid);
    if (!caught) {  // frozen too late: the report was complete
      ::unlink(report.c_str());
      continue;
    }
    ::testing::Test::RecordProperty("attempts", attempt + 1);
    EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r.err;
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(FilesStartingWith("report.jsonl"), IsEmpty());
  }
  EXPECT_TRUE(caught) << "the run was never frozen while its temporary report existed";
}

}  // namespace
}  // namespace serialmatch
