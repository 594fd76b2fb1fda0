// The fixture of the end-to-end tests: a fresh directory per test (removed with everything in it
// when the test ends), files written into it, and the built serialmatch binary run with
// posix_spawn (never through a shell) with its output captured.
#ifndef SERIALMATCH_TESTS_E2E_UTIL_H_
#define SERIALMATCH_TESTS_E2E_UTIL_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"

extern char** environ;

namespace serialmatch {

struct RunResult {
  int exit_code = -1;  // the exit status, or 128 + the signal that killed it
  std::string out;
  std::string err;
};

class E2eTest : public ::testing::Test {
 protected:
  // The user and group tests run serialmatch as when it must not be able to read a file (nobody).
  static constexpr int kUnprivilegedId = 65534;

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = MakeScratchDir(absl::StrCat("e2e_", info->name()));
    ASSERT_FALSE(dir_.empty());
  }

  void TearDown() override { RemoveTree(dir_); }

  // Writes `content` to `name` in the test's directory; returns the path.
  std::string Write(absl::string_view name, absl::string_view content) {
    const std::string path = absl::StrCat(dir_, "/", name);
    EXPECT_TRUE(WriteFileAtomically(path, content).ok());
    return path;
  }

  std::string Read(const std::string& path) {
    absl::StatusOr<std::string> text = ReadFileToString(path);
    return text.ok() ? *text : "<unreadable>";
  }

  // Starts serialmatch with `args`, standard input from `stdin_path`, standard output and error to
  // files in the test's directory (read back by Wait()). With `unprivileged` and when the test
  // runs as root, serialmatch runs as nobody (setpriv), for files root could read whatever their
  // mode; the test's directory is then made searchable for others. Returns the pid, -1 (and a
  // test failure) if it could not be started.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null",
              bool unprivileged = false) {
    std::vector<std::string> argv_storage;
    if (unprivileged && ::geteuid() == 0) {
      EXPECT_EQ(::chmod(dir_.c_str(), 0755), 0);
      argv_storage = {"setpriv", absl::StrCat("--reuid=", kUnprivilegedId),
                      absl::StrCat("--regid=", kUnprivilegedId), "--clear-groups", "--"};
    }
    argv_storage.push_back(SERIALMATCH_BINARY);
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, OutPath().c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, ErrPath().c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
    return rc == 0 ? pid : -1;
  }

  // Waits for the serialmatch started by Spawn() and collects what it wrote.
  RunResult Wait(pid_t pid) {
    RunResult result;
    if (pid < 0) return result;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = Read(OutPath());
    result.err = Read(ErrPath());
    return result;
  }

  // Runs serialmatch with `args`, standard input from `stdin_path` (or /dev/null).
  RunResult Run(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
    return Wait(Spawn(args, stdin_path));
  }

  // Runs serialmatch as a user that cannot read what a chmod made unreadable (see Spawn()).
  RunResult RunUnprivileged(const std::vector<std::string>& args) {
    return Wait(Spawn(args, "/dev/null", /*unprivileged=*/true));
  }

  std::string OutPath() const { return dir_ + "/.stdout"; }
  std::string ErrPath() const { return dir_ + "/.stderr"; }

  std::string dir_;
};

// The (input, status) of each finding of a jsonl report, the input by its file name (the part after
// the last '/'), sorted: what tests of statuses compare.
using StatusSet = std::multiset<std::pair<std::string, std::string>>;
inline StatusSet Statuses(absl::string_view jsonl) {
  StatusSet out;
  for (absl::string_view line : absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
    auto field = [&](absl::string_view key) -> std::string {
      const std::string quoted = absl::StrCat("\"", key, "\":\"");
      const size_t at = line.find(quoted);
      if (at == absl::string_view::npos) return "";
      const size_t start = at + quoted.size();
      return std::string(line.substr(start, line.find('"', start) - start));
    };
    const std::string input = field("input");
    out.emplace(input.substr(input.rfind('/') + 1), field("status"));
  }
  return out;
}

// One le2020 line for serial `serial` naming `names`.
inline std::string Le2020Line(absl::string_view serial, absl::string_view names,
                              absl::string_view time = "2020-02-01 10:00:00.5 +0000 UTC") {
  return absl::StrCat("serial ", serial, " 4242 0123abcd names: [", names,
                      "] missing CAA checking results for [", names.substr(0, names.find(' ')),
                      "] at ", time, "\n");
}

}  // namespace serialmatch

#endif  // SERIALMATCH_TESTS_E2E_UTIL_H_
