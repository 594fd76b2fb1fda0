#include "src/dump/dump_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "src/base/file_util.h"

namespace serialmatch::dump {
namespace {

// Feeds `content` through a pipe and collects what the stream source hands out.
std::vector<std::string> StreamBlocks(const std::string& content, std::string* peeked,
                                      size_t peek) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    EXPECT_TRUE(WriteAll(fds[1], content).ok());
    ::close(fds[1]);
  });
  std::unique_ptr<DumpSource> source = DumpSource::FromFd(fds[0], "<pipe>");
  EXPECT_FALSE(source->Mapped().has_value());
  absl::StatusOr<absl::string_view> head = source->Peek(peek);
  EXPECT_TRUE(head.ok());
  *peeked = std::string(*head);
  std::vector<std::string> blocks;
  while (true) {
    absl::StatusOr<absl::string_view> block = source->NextBlock();
    EXPECT_TRUE(block.ok());
    if (!block.ok() || block->empty()) break;
    blocks.emplace_back(*block);
  }
  writer.join();
  ::close(fds[0]);
  return blocks;
}

TEST(DumpSourceTest, StreamHandsOutWholeLinesAndEverything) {
  std::string content;
  for (int i = 0; i < 2'000'000; ++i) content += "serial " + std::to_string(i) + "\n";
  content += "last";
  std::string peeked;
  const std::vector<std::string> blocks = StreamBlocks(content, &peeked, 100);
  EXPECT_EQ(peeked, content.substr(0, 100));
  ASSERT_GT(blocks.size(), 1u);  // more than one block: the dump is bigger than kBlockSize
  std::string joined;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i + 1 < blocks.size()) {
      EXPECT_EQ(blocks[i].back(), '\n');
    }
    joined += blocks[i];
  }
  EXPECT_EQ(joined, content);
}

TEST(DumpSourceTest, StreamHandlesLineLongerThanBlock) {
  const std::string content = "a\n" + std::string(DumpSource::kBlockSize + 12345, 'x') + "\nb\n";
  std::string peeked;
  const std::vector<std::string> blocks = StreamBlocks(content, &peeked, 1);
  std::string joined;
  for (const std::string& b : blocks) joined += b;
  EXPECT_EQ(joined, content);
}

TEST(DumpSourceTest, RegularFileIsMapped) {
  const std::string path = std::string(::testing::TempDir()) + "/dump_source_mapped";
  ASSERT_TRUE(WriteFileAtomically(path, "03e226\n").ok());
  absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_TRUE((*source)->Mapped().has_value());
  EXPECT_EQ(*(*source)->Mapped(), "03e226\n");
  EXPECT_EQ((*source)->name(), path);
  ::unlink(path.c_str());
}

TEST(DumpSourceTest, MissingFileAndDirectoryFail) {
  absl::StatusOr<std::unique_ptr<DumpSource>> missing = DumpSource::Open("/nonexistent/dump.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/dump.txt"), absl::string_view::npos);
  absl::StatusOr<std::unique_ptr<DumpSource>> dir = DumpSource::Open(::testing::TempDir());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find("is a directory"), absl::string_view::npos);
}

}  // namespace
}  // namespace serialmatch::dump
