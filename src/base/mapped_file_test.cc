#include "src/base/mapped_file.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"

namespace serialmatch {
namespace {

std::string TempPath(const char* name) {
  return TestTempPath(std::string("mapped_file_test_") + name);
}

TEST(MappedFileTest, MapsContentWithZeroPadding) {
  const std::string path = TempPath("content");
  const std::string content(4096 * 2, 'x');  // ends exactly on a page boundary
  ASSERT_TRUE(WriteFileAtomically(path, content).ok());
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->data(), content);
  for (size_t i = 0; i < MappedFile::kPadding; ++i) {
    EXPECT_EQ(file->data().data()[content.size() + i], 0);
  }
  std::remove(path.c_str());
}

TEST(MappedFileTest, EmptyFileIsEmptyAndPadded) {
  const std::string path = TempPath("empty");
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->data().empty());
  EXPECT_EQ(file->data().data()[0], 0);
  std::remove(path.c_str());
}

TEST(MappedFileTest, MissingFileIsNotFound) {
  absl::StatusOr<MappedFile> file = MappedFile::Open(TempPath("does-not-exist"));
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(absl::IsNotFound(file.status())) << file.status();
}

TEST(MappedFileTest, DirectoryIsRejected) {
  absl::StatusOr<MappedFile> file = MappedFile::Open(::testing::TempDir());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("is a directory"), absl::string_view::npos);
}

TEST(MappedFileTest, MoveKeepsMapping) {
  const std::string path = TempPath("move");
  ASSERT_TRUE(WriteFileAtomically(path, "abc\n").ok());
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok());
  MappedFile moved = std::move(*file);
  EXPECT_EQ(moved.data(), "abc\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace serialmatch
