#include "src/base/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/test_util.h"

namespace serialmatch {
namespace {

TEST(FileUtilTest, WriteThenReadRoundTrips) {
  const ScratchDir scratch("file_util");
  const std::string path = scratch.path() + "/roundtrip.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "one\ntwo\n").ok());
  absl::StatusOr<std::string> got = ReadFileToString(path);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "one\ntwo\n");
}

TEST(FileUtilTest, RegularFileIsReadWithZeroPaddingPastItsEnd) {
  const ScratchDir scratch("file_util");
  const std::string path = scratch.path() + "/padded.json";
  const std::string content(1000, 'x');
  ASSERT_TRUE(WriteFileAtomically(path, content).ok());
  absl::StatusOr<std::string> read = ReadFileToString(path, 1 << 20, "a test file");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, content);
  ASSERT_GE(read->capacity(), read->size() + kReadFilePadding);
  const absl::string_view padding(read->data() + read->size(), kReadFilePadding);
  EXPECT_EQ(padding, std::string(kReadFilePadding, '\0'));
}

TEST(FileUtilTest, FailedWriteLeavesExistingFileAndNoTemp) {
  const ScratchDir scratch("file_util");
  const std::string& dir = scratch.path();
  const std::string path = dir + "/report.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  // The path of a directory cannot be replaced by a file: rename fails after the temp was written.
  const std::string blocked = dir + "/sub";
  ::mkdir(blocked.c_str(), 0755);
  EXPECT_FALSE(WriteFileAtomically(blocked, "new").ok());
  absl::StatusOr<std::string> old = ReadFileToString(path);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, "old");
  struct stat st;
  EXPECT_EQ(::stat(blocked.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  DIR* d = ::opendir(dir.c_str());
  ASSERT_NE(d, nullptr);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  EXPECT_THAT(names, ::testing::UnorderedElementsAre(".", "..", "report.txt", "sub"));
}

// Through a link of the test's own, so that a regression renames over the link, not /dev/null.
TEST(FileUtilTest, DeviceIsWrittenNotReplaced) {
  const ScratchDir scratch("file_util");
  const std::string link = scratch.path() + "/null";
  ASSERT_EQ(::symlink("/dev/null", link.c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(link, "discarded").ok());
  struct stat st;
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(::stat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(FileUtilTest, FifoIsWrittenNotReplaced) {
  const ScratchDir scratch("file_util");
  const std::string fifo = scratch.path() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    absl::StatusOr<std::string> got = ReadFileToString(fifo);
    if (got.ok()) received = *got;
  });
  const absl::Status status = WriteFileAtomically(fifo, "through the pipe\n");
  reader.join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(received, "through the pipe\n");
  struct stat st;
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// A new file is created as `>` in a shell creates one: 0666 minus the umask.
TEST(FileUtilTest, NewFileGetsTheDefaultModeMinusTheUmask) {
  const ScratchDir scratch("file_util");
  const mode_t saved = ::umask(022);
  const std::string usual = scratch.path() + "/usual.txt";
  const absl::Status written_usual = WriteFileAtomically(usual, "a\n");
  ::umask(027);
  const std::string strict = scratch.path() + "/strict.txt";
  const absl::Status written_strict = WriteFileAtomically(strict, "b\n");
  ::umask(saved);
  ASSERT_TRUE(written_usual.ok()) << written_usual;
  ASSERT_TRUE(written_strict.ok()) << written_strict;
  EXPECT_EQ(ModeOf(usual), 0644u);
  EXPECT_EQ(ModeOf(strict), 0640u);
}

// A report kept private (0600), or shared with a group (0640), stays so when it is rewritten,
// whatever the umask of the run that rewrites it.
TEST(FileUtilTest, ReplacedFileKeepsItsMode) {
  const ScratchDir scratch("file_util");
  const std::string path = scratch.path() + "/report.txt";
  for (const mode_t mode : {0600u, 0640u, 0444u, 0660u}) {
    ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    const mode_t saved = ::umask(022);
    const absl::Status status = WriteFileAtomically(path, "new\n");
    ::umask(saved);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(ModeOf(path), mode) << std::oct << mode;
    absl::StatusOr<std::string> got = ReadFileToString(path);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, "new\n");
  }
}

// The group of the file replaced is kept: as root, any group; else a supplementary group of the
// user's, if there is one.
TEST(FileUtilTest, ReplacedFileKeepsItsGroup) {
  gid_t other = 0;
  if (::geteuid() == 0) {
    other = 65534;
  } else {
    std::vector<gid_t> groups(static_cast<size_t>(std::max(0, ::getgroups(0, nullptr))));
    groups.resize(static_cast<size_t>(std::max(0, ::getgroups(groups.size(), groups.data()))));
    for (const gid_t g : groups) {
      if (g != ::getegid()) other = g;
    }
    if (other == 0) GTEST_SKIP() << "the user belongs to no group but its own";
  }
  const ScratchDir scratch("file_util");
  const std::string path = scratch.path() + "/report.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "old\n").ok());
  ASSERT_EQ(::chown(path.c_str(), static_cast<uid_t>(-1), other), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "new\n").ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_gid, other);
  EXPECT_EQ(st.st_uid, ::geteuid());
}

TEST(FileUtilTest, ReadingDirectoryFails) {
  absl::StatusOr<std::string> got = ReadFileToString(::testing::TempDir());
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("is a directory"), absl::string_view::npos);
}

TEST(FileUtilTest, ReadingMissingFileNamesIt) {
  absl::StatusOr<std::string> got = ReadFileToString("/nonexistent/x.csv");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("/nonexistent/x.csv"), absl::string_view::npos);
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  return names;
}

// What the SIGINT/SIGTERM handler does while a report is being written: the temporary file goes,
// the write fails, and no report appears. The handler is simulated by a call as soon as the
// temporary file shows up; if the write wins the race (done before the call), try again.
TEST(FileUtilTest, PendingTempFileIsRemovedMidWrite) {
  const ScratchDir scratch("file_util");
  const std::string& dir = scratch.path();
  const std::string path = dir + "/report.txt";
  const std::string content(16 << 20, 'x');
  bool interrupted = false;
  for (int attempt = 0; attempt < 10 && !interrupted; ++attempt) {
    absl::Status status;
    std::thread writer([&] { status = WriteFileAtomically(path, content); });
    bool seen = false;
    for (int i = 0; i < 1'000'000 && !seen; ++i) seen = !FilesIn(dir).empty();
    RemovePendingTempFile();
    writer.join();
    if (status.ok()) {
      ::unlink(path.c_str());
      continue;
    }
    interrupted = true;
    EXPECT_NE(status.message().find("cannot write report"), absl::string_view::npos) << status;
    EXPECT_THAT(FilesIn(dir), ::testing::IsEmpty());
  }
  EXPECT_TRUE(interrupted);
  // With no write going on, there is nothing to remove.
  ASSERT_TRUE(WriteFileAtomically(path, "done").ok());
  RemovePendingTempFile();
  EXPECT_THAT(FilesIn(dir), ::testing::ElementsAre("report.txt"));
}

}  // namespace
}  // namespace serialmatch
