// The fixture of the end-to-end tests: a directory per test, files written into it, and the built
// serialmatch binary run with posix_spawn (never through a shell) with its output captured.
#ifndef SERIALMATCH_TESTS_E2E_UTIL_H_
#define SERIALMATCH_TESTS_E2E_UTIL_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"

extern char** environ;

namespace serialmatch {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = absl::StrCat(::testing::TempDir(), "/e2e_", info->name(), "_", ::getpid());
    ::mkdir(dir_.c_str(), 0755);
  }

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

  // Runs serialmatch with `args`, standard input from `stdin_path` (or /dev/null), in the test's
  // directory.
  RunResult Run(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
    const std::string out_path = dir_ + "/.stdout";
    const std::string err_path = dir_ + "/.stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> argv_storage = {SERIALMATCH_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    RunResult result;
    const int rc = posix_spawn(&pid, SERIALMATCH_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0);
    if (rc != 0) return result;
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = Read(out_path);
    result.err = Read(err_path);
    return result;
  }

  std::string dir_;
};

// One le2020 line for serial `serial` naming `names`.
inline std::string Le2020Line(absl::string_view serial, absl::string_view names,
                              absl::string_view time = "2020-02-01 10:00:00.5 +0000 UTC") {
  return absl::StrCat("serial ", serial, " 4242 0123abcd names: [", names,
                      "] missing CAA checking results for [", names.substr(0, names.find(' ')),
                      "] at ", time, "\n");
}

}  // namespace serialmatch

#endif  // SERIALMATCH_TESTS_E2E_UTIL_H_
