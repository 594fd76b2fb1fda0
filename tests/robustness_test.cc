// Robustness tests of the serialmatch binary: bad input of every kind, output that cannot be
// written, signals, the progress display, a dump split among machines, the metrics file. Inputs are
// generated at test time; the binary is run with fork/exec so a test can feed standard input from a
// pipe, give it a terminal, limit its file size or signal it.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

struct Spawned {
  pid_t pid = -1;
};

struct Outcome {
  bool exited = false;  // by exit(), not killed by a signal
  int code = -1;        // the exit status, or 128 + the signal
  std::string out;
  std::string err;
};

class RobustnessTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    // A child that exits early must not kill the test with SIGPIPE while it is fed through a pipe.
    ::signal(SIGPIPE, SIG_IGN);
  }

  // The names in the test's directory (without . and ..).
  std::vector<std::string> Files() {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return names;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  // Starts serialmatch with `args`. Standard input is `stdin_fd` when >= 0, else `stdin_path`;
  // standard output goes to .stdout in the test's directory, standard error to `stderr_fd` when
  // >= 0, else to .stderr. `max_file_size` > 0 sets RLIMIT_FSIZE.
  Spawned Start(const std::vector<std::string>& args, int stdin_fd = -1,
                const std::string& stdin_path = "/dev/null", int stderr_fd = -1,
                rlim_t max_file_size = 0) {
    std::vector<std::string> argv_storage = {SERIALMATCH_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out_path = dir_ + "/.stdout";
    const std::string err_path = dir_ + "/.stderr";
    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls from here on
      const int in = stdin_fd >= 0 ? stdin_fd : ::open(stdin_path.c_str(), O_RDONLY);
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err =
          stderr_fd >= 0 ? stderr_fd : ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
          ::dup2(err, 2) < 0) {
        ::_exit(125);
      }
      for (const int signo : {SIGINT, SIGTERM, SIGPIPE}) ::signal(signo, SIG_DFL);
      if (max_file_size > 0) {
        const rlimit limit = {max_file_size, max_file_size};
        ::setrlimit(RLIMIT_FSIZE, &limit);
      }
      ::execv(SERIALMATCH_BINARY, argv.data());
      ::_exit(126);
    }
    EXPECT_GT(pid, 0);
    return Spawned{pid};
  }

  Outcome Wait(Spawned child, bool read_stderr_file = true) {
    Outcome o;
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    o.exited = WIFEXITED(status);
    o.code = o.exited ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.out = Read(dir_ + "/.stdout");
    if (read_stderr_file) o.err = Read(dir_ + "/.stderr");
    return o;
  }

  Outcome Run(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null",
              rlim_t max_file_size = 0) {
    return Wait(Start(args, -1, stdin_path, -1, max_file_size));
  }

};

std::string Le2020Line(absl::string_view serial, absl::string_view names) {
  return absl::StrCat("serial ", serial, " 4242 0123abcd names: [", names,
                      "] missing CAA checking results for [", names.substr(0, names.find(' ')),
                      "] at 2020-02-01 10:00:00.5 +0000 UTC\n");
}

std::vector<std::string> SortedLines(absl::string_view text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::sort(lines.begin(), lines.end());
  return lines;
}

// --- Bad dumps: each gives a clear message and the right status, and good records still count.

TEST_F(RobustnessTest, CorruptZstdAndEmptyArchivesAreErrors) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += Le2020Line(absl::StrCat("07", 1000 + i), "a.example");
  std::string zst = dump::ZstdForTest(text);
  for (size_t i = zst.size() / 2; i < zst.size() / 2 + 64; ++i) zst[i] ^= 0x5a;
  const std::string domains = Write("d.txt", "a.example\n");
  Outcome r = Run({"--dump", Write("bad.zst", zst), "--domains", domains});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("bad.zst: "));
  EXPECT_THAT(r.err, HasSubstr("zstd"));
  EXPECT_THAT(r.err, HasSubstr("bytes decompressed"));
  EXPECT_THAT(r.out, IsEmpty());
  for (const auto& [name, data] : {std::pair<std::string, std::string>{"empty.gz",
                                                                        dump::GzipForTest("")},
                                   {"empty.zst", dump::ZstdForTest("")}}) {
    r = Run({"--dump", Write(name, data), "--domains", domains});
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(name + ": no certificate lines found")) << name;
    EXPECT_THAT(r.out, IsEmpty());
  }
}

TEST_F(RobustnessTest, RandomBytesAreUnrecognisedOrMalformedAndGoodLinesStillMatch) {
  std::mt19937 rng(7);
  std::string junk(1 << 20, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  junk[0] = 'J';  // not a gzip or zstd magic number
  Outcome r = Run({"--dump", Write("junk.bin", junk), "--domains", Write("d.txt", "hit.example\n")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("junk.bin: "));
  EXPECT_THAT(r.err, HasSubstr("name one with --dump-format"));

  // Forced to a format, the junk is malformed lines; the good line after it is still found.
  const std::string dump = Write("junk-and-good.txt", junk + "\n" + Le2020Line("07aa01", "hit.example"));
  r = Run({"--dump", dump, "--dump-format", "le2020", "--domains", dir_ + "/d.txt", "--format",
           "csv"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("listed,domain,hit.example,hit.example,exact,07aa01"));
  EXPECT_THAT(r.err, HasSubstr(dump + ":1: "));
  EXPECT_THAT(r.err, HasSubstr("more problems not shown"));
  EXPECT_LT(r.err.size(), 4000u);  // samples are quoted short, not the junk itself
  for (char c : r.err) {
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << "unprintable byte " << int(c);
  }
}

TEST_F(RobustnessTest, TenMegabyteLineIsOneMalformedLine) {
  const std::string big(10 << 20, 'x');
  const std::string dump = Write("long.txt", Le2020Line("07bb01", "a.example") + "serial 07bb02 " +
                                                 big + "\n" + Le2020Line("07bb03", "b.example"));
  for (const char* io : {"read", "mmap"}) {
    const Outcome r = Run({"--dump", dump, "--domains", Write("d.txt", "a.example\nb.example\n"),
                           "--format", "csv", "--io", io, "--threads", "2"});
    EXPECT_EQ(r.code, 1) << io << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("exact,07bb01," + dump + ",1,")) << io;
    EXPECT_THAT(r.out, HasSubstr("exact,07bb03," + dump + ",3,")) << io;
    EXPECT_THAT(r.err, HasSubstr(dump + ":2: expected ' names: [' after the serial")) << io;
    EXPECT_THAT(r.err, HasSubstr("2 records (1 malformed)")) << io;
    EXPECT_LT(r.err.size(), 2000u) << io;
  }
}

TEST_F(RobustnessTest, NulBytesInLinesNeverMatchAndAreReported) {
  using namespace std::string_literals;
  // A NUL inside a name, inside a serial, and a whole line of them; then a good line.
  const std::string dump =
      Write("nul.txt", Le2020Line("07cc01", "a.exa\0mple.com"s) + "serial 07cc\0" "02 x\n"s +
                           std::string(100, '\0') + "\n" + Le2020Line("07cc04", "b.example.com"));
  const Outcome r =
      Run({"--dump", dump, "--dump-format", "le2020", "--domains",
           Write("d.txt", "a.example.com\nexample.com\n.example.com\nb.example.com\n"),
           "--format", "csv"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr(",07cc01,")));
  EXPECT_THAT(r.out, Not(HasSubstr(",07cc02,")));
  EXPECT_THAT(r.out, HasSubstr("listed,domain,b.example.com,b.example.com,exact,07cc04"));
  EXPECT_THAT(r.err, HasSubstr(dump + ":2: "));
  EXPECT_THAT(r.err, HasSubstr(dump + ":3: "));
  EXPECT_THAT(r.err, HasSubstr("\\x00"));

  // The serials format: a NUL makes a serial malformed, not a shorter serial.
  const std::string serials_dump = Write("nul-serials.txt", "serial\n07dd\0"s "01\n07dd02\n");
  const Outcome s = Run({"--dump", serials_dump, "--dump-format", "serials", "--serials", Write("s.txt", "07dd01\n07dd02\n"),
                         "--format", "csv"});
  EXPECT_EQ(s.code, 1) << s.err;
  EXPECT_THAT(s.out, Not(HasSubstr(",07dd01,")));
  EXPECT_THAT(s.out, HasSubstr("affected,serial,07dd02,,serial,07dd02,"));
  EXPECT_THAT(s.err, HasSubstr(serials_dump + ":2: "));
}

// More than 4 GiB through standard input: byte and line counts past 32 bits, and the record after
// them still found at its line. Mostly 1 MB comment lines, so it costs little more than the copy.
TEST_F(RobustnessTest, DumpLargerThanFourGibFromAStream) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  const std::string serials = Write("s.txt", "07ee01\n");
  const Spawned child = Start({"--dump", "-", "--dump-format", "serials", "--serials", serials,
                               "--format", "csv", "--metrics-file", dir_ + "/m.prom"},
                              fds[0]);
  ::close(fds[0]);
  std::string comment(1 << 20, 'c');
  comment.front() = '#';
  comment.back() = '\n';
  constexpr int kComments = 4097;  // 4 GiB + 1 MiB
  std::thread writer([&] {
    for (int i = 0; i < kComments; ++i) {
      if (!WriteAll(fds[1], comment).ok()) break;
    }
    EXPECT_TRUE(WriteAll(fds[1], "07:ee:01\n").ok());
    ::close(fds[1]);
  });
  const Outcome r = Wait(child);
  writer.join();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("affected,serial,07ee01,,serial,07ee01,<stdin>,",
                                            kComments + 1, ",")));
  EXPECT_THAT(Read(dir_ + "/m.prom"),
              HasSubstr(absl::StrCat("\nserialmatch_last_run_bytes ",
                                     uint64_t{kComments} * comment.size() + 9, "\n")));
}

// --- Inventory rows with invalid names: reported as path:line, never matched.

TEST_F(RobustnessTest, InvalidInventoryNamesAreReportedNotMatched) {
  const std::string long_label(300, 'a');
  const std::string dump =
      Write("dump.txt", Le2020Line("07ff01", absl::StrCat(long_label, ".example a..example")) +
                            Le2020Line("07ff02", "ok.example"));
  const std::string domains = Write(
      "d.txt", absl::StrCat("bad name.example\na..example\n", long_label, ".example\nok.example\n"));
  const Outcome r = Run({"--dump", dump, "--domains", domains, "--format", "csv"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(domains + ":1: "));
  EXPECT_THAT(r.err, HasSubstr(domains + ":2: "));
  EXPECT_THAT(r.err, HasSubstr(domains + ":3: "));
  EXPECT_THAT(r.err, Not(HasSubstr(domains + ":4: ")));
  const std::vector<std::string> rows = SortedLines(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;  // the header and ok.example
  EXPECT_THAT(rows[0], HasSubstr("listed,domain,ok.example,ok.example,exact,07ff02"));
  // --strict makes them fatal: the three inventory rows and the dump's two invalid names.
  const Outcome strict = Run({"--dump", dump, "--domains", domains, "--strict"});
  EXPECT_EQ(strict.code, 2);
  EXPECT_THAT(strict.err, HasSubstr("--strict: 5 problems in the input"));
}

// --- Output that cannot be written: status 2, a message, no partial file, the old report kept.

TEST_F(RobustnessTest, UnwritableOutputFailsCleanlyAndKeepsTheOldReport) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += Le2020Line(absl::StrCat("08", 1000 + i), "a.example");
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "a.example\n");
  const std::vector<std::string> run = {"--dump", dump, "--domains", domains, "--format", "jsonl"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = run;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  // A full disk (/dev/full, through a link of the test's own: a regression that renamed over the
  // path would replace the link, not the device). The metrics file still tells what was read, and
  // that the run failed.
  const std::string full_disk = dir_ + "/full";
  ASSERT_EQ(::symlink("/dev/full", full_disk.c_str()), 0);
  Outcome r = Run(with({"--output", full_disk, "--metrics-file", dir_ + "/m.prom"}));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(full_disk + ": "));
  EXPECT_THAT(r.err, HasSubstr("No space left on device"));
  EXPECT_THAT(Read(dir_ + "/m.prom"), HasSubstr("\nserialmatch_last_run_records 2000\n"));
  EXPECT_THAT(Read(dir_ + "/m.prom"), HasSubstr("\nserialmatch_last_run_exit_status 2\n"));
  // A path under a file, not a directory.
  r = Run(with({"--output", dump + "/report.jsonl"}));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Not a directory"));
  // Standard output on a full disk.
  {
    const int full = ::open("/dev/full", O_WRONLY);
    ASSERT_GE(full, 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(full, 1);
      const int err = ::open((dir_ + "/.stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(err, 2);
      std::vector<std::string> storage = with({});
      storage.insert(storage.begin(), SERIALMATCH_BINARY);
      std::vector<char*> argv;
      for (std::string& a : storage) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(SERIALMATCH_BINARY, argv.data());
      ::_exit(126);
    }
    ::close(full);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_THAT(Read(dir_ + "/.stderr"), HasSubstr("write failed"));
  }
  // The file size limit reached while the report is written beside an existing one: the old report
  // stays, and no temporary file is left.
  const std::string report = Write("report.jsonl", "old report\n");
  const std::vector<std::string> before = Files();
  r = Run(with({"--output", report}), "/dev/null", /*max_file_size=*/64 << 10);
  EXPECT_TRUE(r.exited);  // not killed by SIGXFSZ
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(report + ": cannot write report: "));
  EXPECT_THAT(r.err, HasSubstr("File too large"));
  EXPECT_EQ(Read(report), "old report\n");
  EXPECT_EQ(Files(), before);
  // A read-only directory of the user's own (root writes anyway, so there the directory is
  // nobody's and the run is as nobody).
  const std::string ro = dir_ + "/ro";
  ASSERT_EQ(::mkdir(ro.c_str(), 0755), 0);
  ASSERT_TRUE(WriteFileAtomically(ro + "/report.jsonl", "old\n").ok());
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(ro.c_str(), kUnprivilegedId, kUnprivilegedId), 0);
  }
  ASSERT_EQ(::chmod(ro.c_str(), 0555), 0);
  const RunResult ro_run = RunUnprivileged(with({"--output", ro + "/report.jsonl"}));
  EXPECT_EQ(ro_run.exit_code, 2) << ro_run.err;
  EXPECT_THAT(ro_run.err, HasSubstr(ro + "/report.jsonl: cannot create a temporary file beside "
                                         "it: Permission denied"));
  EXPECT_EQ(Read(ro + "/report.jsonl"), "old\n");
  ::chmod(ro.c_str(), 0755);
}

// --- Signals: stop at once, no report and no temporary file, 130 / 143.

TEST_F(RobustnessTest, InterruptedRunStopsAtOnceWithoutOutput) {
  for (const int signo : {SIGINT, SIGTERM}) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const std::string report = dir_ + "/report.jsonl";
    const Spawned child = Start({"--dump", "-", "--domains", Write("d.txt", "a.example\n"),
                                 "--format", "jsonl", "--output", report},
                                fds[0]);
    ::close(fds[0]);
    // A slow producer: once a few MB have gone into the pipe, serialmatch is reading the dump.
    std::string chunk;
    for (int i = 0; i < 10000; ++i) chunk += Le2020Line(absl::StrCat("09", 1000 + i), "a.example");
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(WriteAll(fds[1], chunk).ok());
    const auto sent = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(child.pid, signo), 0);
    const Outcome r = Wait(child);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    ::close(fds[1]);
    EXPECT_TRUE(r.exited) << "killed by the signal, not handled: " << r.code;
    EXPECT_EQ(r.code, 128 + signo);
    // At once, not after the dump: the pipe stays open until the child is gone, so a run that
    // went on would never end. The bound only leaves room for a sanitizer build under load.
    EXPECT_LT(seconds, 10.0);
    EXPECT_THAT(r.out, IsEmpty());
    for (const std::string& name : Files()) {
      EXPECT_THAT(name, Not(HasSubstr("report.jsonl"))) << "left behind: " << name;
    }
  }
}

// --- Progress: on a terminal only, and not with --quiet.

TEST_F(RobustnessTest, ProgressIsDrawnOnATerminalOnly) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += Le2020Line(absl::StrCat("0a", 1000 + i), "a.example");
  const std::string dump = Write("dump.txt", text);
  const std::string domains = Write("d.txt", "zzz.example\n");
  auto on_terminal = [&](std::vector<std::string> args, const std::string& stdin_path) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(master, 0);
    EXPECT_EQ(::grantpt(master), 0);
    EXPECT_EQ(::unlockpt(master), 0);
    const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(slave, 0);
    const Spawned child = Start(args, -1, stdin_path, slave);
    ::close(slave);
    std::string seen;
    char buf[4096];
    while (true) {  // until the child has closed the terminal (EIO) or output stops
      pollfd p = {master, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<size_t>(n));
    }
    ::close(master);
    Outcome o = Wait(child, /*read_stderr_file=*/false);
    o.err = seen;
    return o;
  };
  const std::vector<std::string> args = {"--dump", dump, "--domains", domains};
  Outcome r = on_terminal(args, "/dev/null");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("\r", dump, ": ")));
  EXPECT_THAT(r.err, HasSubstr(absl::StrFormat(" MB of %.1f MB (", text.size() / 1e6)));
  EXPECT_THAT(r.err, HasSubstr(" MB (100%), "));
  EXPECT_THAT(r.err, HasSubstr("B/s, ETA 0:00"));
  // Through standard input the size is unknown: bytes and rate, no share and no ETA.
  r = on_terminal({"--dump", "-", "--domains", domains}, dump);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrFormat("\r<stdin>: %.1f MB, ", text.size() / 1e6)));
  EXPECT_THAT(r.err, Not(HasSubstr(" of ")));
  EXPECT_THAT(r.err, Not(HasSubstr("ETA")));
  r = on_terminal({"--quiet", "--dump", dump, "--domains", domains}, "/dev/null");
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.err, Not(HasSubstr("B/s")));
  r = Run(args);
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.err, Not(HasSubstr("B/s")));
  EXPECT_THAT(r.err, Not(HasSubstr("\r")));
}

// --- Scale-out: a dump split at any line boundaries gives, part by part, the findings of the
// whole, with --line-offset making line numbers global.

TEST_F(RobustnessTest, FindingsOfPartsAreTheFindingsOfTheWhole) {
  std::mt19937 rng(42);
  std::vector<std::string> lines;
  for (int i = 0; i < 30000; ++i) {
    const std::string serial = absl::StrCat("0b", 100000 + i);
    switch (rng() % 50) {
      case 0:
        lines.push_back(Le2020Line(serial, absl::StrCat("www.hit", i % 7, ".example hit.example")));
        break;
      case 1:
        lines.push_back(absl::StrCat("serial ", serial, " broken\n"));
        break;
      case 2:
        lines.push_back("\n");
        break;
      default:
        lines.push_back(Le2020Line(serial, absl::StrCat("h", i, ".example")));
    }
  }
  std::string whole;
  for (const std::string& l : lines) whole += l;
  const std::string domains = Write("d.txt", "hit.example\n.hit3.example\n*.hit5.example\n");
  const std::string serials = Write("s.txt", "0b100007\n0b129999\n0b115000\n");
  const std::vector<std::string> inventory = {"--domains", domains,       "--serials", serials,
                                              "--format",  "jsonl",       "--dump-format",
                                              "le2020",    "--threads",   "1"};
  auto run_stdin = [&](const std::string& path, uint64_t offset) {
    std::vector<std::string> args = {"--dump", "-", "--line-offset", absl::StrCat(offset)};
    args.insert(args.end(), inventory.begin(), inventory.end());
    return Run(args, path);
  };
  const Outcome all = run_stdin(Write("whole.txt", whole), 0);
  EXPECT_EQ(all.code, 1) << all.err;
  const std::vector<std::string> expected = SortedLines(all.out);
  ASSERT_GT(expected.size(), 600u);

  for (const int parts : {2, 5}) {
    // Random cut points at line boundaries; a part may be a single line.
    std::vector<size_t> cuts = {0, lines.size()};
    while (static_cast<int>(cuts.size()) < parts + 1) {
      const size_t c = 1 + rng() % (lines.size() - 1);
      if (std::find(cuts.begin(), cuts.end(), c) == cuts.end()) cuts.push_back(c);
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string> union_of_parts;
    bool saw_global_diagnostic = false;
    for (int p = 0; p < parts; ++p) {
      std::string part;
      for (size_t i = cuts[p]; i < cuts[p + 1]; ++i) part += lines[i];
      const Outcome r = run_stdin(Write(absl::StrCat("part", p), part), cuts[p]);
      EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
      for (std::string& f : SortedLines(r.out)) union_of_parts.push_back(std::move(f));
      // The first malformed line of this part, by its global number.
      for (size_t i = cuts[p]; i < cuts[p + 1]; ++i) {
        if (absl::StrContains(lines[i], " broken")) {
          EXPECT_THAT(r.err, HasSubstr(absl::StrCat("<stdin>:", i + 1, ": ")));
          saw_global_diagnostic = true;
          break;
        }
      }
    }
    std::sort(union_of_parts.begin(), union_of_parts.end());
    EXPECT_TRUE(union_of_parts == expected) << parts << " parts: " << union_of_parts.size()
                                            << " findings, whole: " << expected.size();
    EXPECT_TRUE(saw_global_diagnostic);
  }
}

// --- Metrics: written atomically for scheduled runs, on success and on failure.

TEST_F(RobustnessTest, MetricsFileForTheTextfileCollector) {
  const std::string dump = Write("dump.txt", Le2020Line("0c01", "a.example") +
                                                 Le2020Line("0c02", "b.example") + "junk\n");
  const std::string domains = Write("d.txt", "a.example\n");
  const std::string serials = Write("s.txt", "0c02\n");
  const std::string metrics = dir_ + "/serialmatch.prom";
  Outcome r = Run({"--dump", dump, "--dump-format", "le2020", "--domains", domains, "--serials",
                   serials, "--metrics-file", metrics, "--quiet"});
  EXPECT_EQ(r.code, 1) << r.err;
  std::string text = Read(metrics);
  EXPECT_THAT(text, HasSubstr("serialmatch_last_run_findings{status=\"affected\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("serialmatch_last_run_findings{status=\"listed\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_records 2\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_malformed_lines 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_exit_status 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_duration_seconds "));
  // A failed run says so, for an alert.
  r = Run({"--dump", dir_ + "/missing.txt", "--domains", domains, "--metrics-file", metrics});
  EXPECT_EQ(r.code, 2);
  text = Read(metrics);
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_exit_status 2\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_records 0\n"));
  // A metrics file that cannot be written is trouble too (/dev/full through a link, as above).
  const std::string full = dir_ + "/full";
  ASSERT_EQ(::symlink("/dev/full", full.c_str()), 0);
  r = Run({"--dump", dump, "--domains", domains, "--metrics-file", full});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr(full + ": "));
}

}  // namespace
}  // namespace serialmatch
