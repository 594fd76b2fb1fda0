// Helpers shared by the unit tests.
#ifndef SERIALMATCH_SRC_BASE_TEST_UTIL_H_
#define SERIALMATCH_SRC_BASE_TEST_UTIL_H_

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace serialmatch {

// A path in the test temporary directory that no other test process uses: ctest runs every test
// case as its own process, several at a time, so fixed file names would collide.
inline std::string TestTempPath(absl::string_view name) {
  return absl::StrCat(::testing::TempDir(), "/", name, "_", ::getpid());
}

// Creates a new, empty directory `<test temporary directory>/<prefix>_XXXXXX` with mkdtemp (mode
// 0700; never one an earlier run left behind) and returns its path; "" and a test failure if it
// cannot be created.
inline std::string MakeScratchDir(absl::string_view prefix) {
  std::string root = ::testing::TempDir();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::string path = absl::StrCat(root, "/", prefix, "_XXXXXX");
  if (::mkdtemp(path.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << path << ": " << std::strerror(errno);
    return "";
  }
  return path;
}

// Removes `path` and everything under it, without following links out of it. Directories a test
// made read-only or unsearchable are made accessible first, so that a user other than root can
// remove them too. A test failure if something is left.
inline void RemoveTree(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (!ec) return;
  // Restores owner access to every directory, from the top down, then tries again.
  auto make_accessible = [](const std::filesystem::path& dir, auto& self) -> void {
    ::chmod(dir.c_str(), 0700);
    std::error_code walk_ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, walk_ec)) {
      if (entry.is_directory(walk_ec) && !entry.is_symlink(walk_ec)) self(entry.path(), self);
    }
  };
  make_accessible(path, make_accessible);
  ec.clear();
  std::filesystem::remove_all(path, ec);
  EXPECT_FALSE(ec) << "cannot remove " << path << ": " << ec.message();
}

// A scratch directory (MakeScratchDir) for the life of the object, removed with its content
// (RemoveTree) when it goes.
//
//   const ScratchDir scratch("file_util");
//   const std::string report = scratch.path() + "/report.txt";
class ScratchDir {
 public:
  explicit ScratchDir(absl::string_view prefix) : path_(MakeScratchDir(prefix)) {}
  ~ScratchDir() { RemoveTree(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_TEST_UTIL_H_
