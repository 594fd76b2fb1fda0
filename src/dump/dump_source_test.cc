#include "src/dump/dump_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"
#include "src/dump/test_compress.h"

namespace serialmatch::dump {
namespace {

// Everything `reader` hands out, checking that each block but the last ends with a newline.
std::string Drain(LineReader& reader, int* blocks = nullptr) {
  std::string all;
  std::string previous;
  int count = 0;
  while (true) {
    absl::StatusOr<absl::string_view> block = reader.NextBlock();
    EXPECT_TRUE(block.ok()) << block.status();
    if (!block.ok() || block->empty()) break;
    if (count > 0) {
      EXPECT_EQ(previous.back(), '\n');
    }
    previous = std::string(*block);
    all += previous;
    ++count;
  }
  if (blocks != nullptr) *blocks = count;
  return all;
}

// Feeds `content` through a pipe; returns what the stream source peeks and hands out.
std::string StreamThrough(const std::string& content, std::string* peeked, size_t peek,
                          int* blocks) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    EXPECT_TRUE(WriteAll(fds[1], content).ok());
    ::close(fds[1]);
  });
  std::unique_ptr<DumpSource> source = *DumpSource::FromFd(fds[0], "<pipe>");
  absl::StatusOr<absl::string_view> head = source->Peek(peek);
  EXPECT_TRUE(head.ok());
  *peeked = std::string(*head);
  std::vector<std::unique_ptr<LineReader>> readers = source->Split(4);
  EXPECT_EQ(readers.size(), 1u);  // a stream cannot be split
  std::string all = Drain(*readers[0], blocks);
  writer.join();
  ::close(fds[0]);
  return all;
}

TEST(DumpSourceTest, FromStringGivesItsBytesUnderItsName) {
  const std::string bytes = std::string("\x30\x82\x01\x00", 4) + "line\nlast";
  std::unique_ptr<DumpSource> source = DumpSource::FromString("http://c.example/1.crl", bytes);
  EXPECT_EQ(source->name(), "http://c.example/1.crl");
  EXPECT_EQ(*source->Peek(3), bytes.substr(0, 3));
  std::vector<std::unique_ptr<LineReader>> readers = source->Split(4);
  ASSERT_EQ(readers.size(), 1u);
  EXPECT_EQ(Drain(*readers[0]), bytes);
}

TEST(DumpSourceTest, StreamHandsOutWholeLinesAndEverything) {
  std::string content;
  for (int i = 0; i < 400'000; ++i) content += "serial " + std::to_string(i) + "\n";
  content += "last";
  std::string peeked;
  int blocks = 0;
  EXPECT_EQ(StreamThrough(content, &peeked, 100, &blocks), content);
  EXPECT_EQ(peeked, content.substr(0, 100));
  EXPECT_GT(blocks, 1);  // the dump is bigger than one block
}

TEST(DumpSourceTest, StreamHandlesLineLongerThanBlock) {
  const std::string content =
      "a\n" + std::string(DumpSource::kBlockSize * 3 + 12345, 'x') + "\nb\n";
  std::string peeked;
  int blocks = 0;
  EXPECT_EQ(StreamThrough(content, &peeked, 1, &blocks), content);
}

class SplitTest : public ::testing::TestWithParam<IoMode> {};

// Whatever the number of parts, the parts' lines in order are exactly the file's lines.
TEST_P(SplitTest, PartsCoverEveryLineOnce) {
  std::string lines;
  for (int64_t i = 0; i < 300000; ++i) lines += "line " + std::to_string(i * 7919 % 100003) + "\n";
  const std::string long_line(DumpSource::kBlockSize + 777, 'L');
  const std::vector<std::string> contents = {
      lines, lines + "no newline at the end", "\n\n\n",          "one line",
      "",    long_line + "\n" + lines,        lines + long_line, std::string(3 << 20, '\n')};
  // Unique per mode and process: ctest runs the two modes at the same time.
  const std::string path =
      TestTempPath(absl::StrCat("dump_source_split_", static_cast<int>(GetParam())));
  for (size_t c = 0; c < contents.size(); ++c) {
    ASSERT_TRUE(WriteFileAtomically(path, contents[c]).ok());
    for (int parts : {1, 2, 3, 8}) {
      absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path, GetParam());
      ASSERT_TRUE(source.ok()) << source.status();
      absl::StatusOr<absl::string_view> head = (*source)->Peek(10);
      ASSERT_TRUE(head.ok());
      EXPECT_EQ(*head, absl::string_view(contents[c]).substr(0, 10));
      std::vector<std::unique_ptr<LineReader>> readers = (*source)->Split(parts);
      ASSERT_GE(readers.size(), 1u);
      ASSERT_LE(readers.size(), static_cast<size_t>(parts));
      std::string all;
      for (auto& reader : readers) {
        all += Drain(*reader);
        // Each part ends at a line boundary: after a newline or at the end of the file.
        EXPECT_TRUE(all.empty() || all.back() == '\n' || all.size() == contents[c].size())
            << "content " << c << ", " << parts << " parts";
      }
      // Not EXPECT_EQ: gtest's diff of two multi-megabyte strings would take gigabytes.
      EXPECT_TRUE(all == contents[c]) << "content " << c << ", " << parts << " parts: got "
                                      << all.size() << " bytes of " << contents[c].size();
    }
  }
  ::unlink(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(IoModes, SplitTest, ::testing::Values(IoMode::kRead, IoMode::kMmap),
                         [](const ::testing::TestParamInfo<IoMode>& param_info) {
                           return param_info.param == IoMode::kRead ? std::string("Read")
                                                                    : std::string("Mmap");
                         });

TEST(DumpSourceTest, MissingFileAndDirectoryFail) {
  for (IoMode mode : {IoMode::kRead, IoMode::kMmap}) {
    absl::StatusOr<std::unique_ptr<DumpSource>> missing =
        DumpSource::Open("/nonexistent/dump.txt", mode);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.status().message().find("/nonexistent/dump.txt"), absl::string_view::npos);
    absl::StatusOr<std::unique_ptr<DumpSource>> dir = DumpSource::Open(::testing::TempDir(), mode);
    ASSERT_FALSE(dir.ok());
    EXPECT_NE(dir.status().message().find("is a directory"), absl::string_view::npos);
  }
}

// Offsets past 4 GiB: a sparse file whose data sits after a 4 GiB hole. Split into as many parts
// as it allows, the last part starts past 4 GiB; it is read alone (the hole is one long line of
// zero bytes that belongs to the parts before it).
TEST(DumpSourceTest, PartsPastFourGibReadTheirLines) {
  const std::string path = TestTempPath("dump_source_sparse");
  const uint64_t tail_offset = (uint64_t{4} << 30) + 1000;
  std::string tail = "\n";
  for (int i = 0; i < 20'000; ++i) tail += absl::StrCat("serial ", 100'000 + i, "\n");
  {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "first\n", 6, 0), 6);
    ASSERT_EQ(::pwrite(fd, tail.data(), tail.size(), static_cast<off_t>(tail_offset)),
              static_cast<ssize_t>(tail.size()));
    ::close(fd);
  }
  absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.status();
  std::vector<std::unique_ptr<LineReader>> readers = (*source)->Split(100'000);
  ASSERT_EQ(readers.size(), 4097u);  // one part per MB, plus one
  EXPECT_EQ(Drain(*readers.back()), tail.substr(1));
  ::unlink(path.c_str());
}

// The default (pread) path and a dump truncated during the run: the readers see the file end
// early — no crash, no error, only lines that were in the file.
TEST(DumpSourceTest, FileTruncatedWhileReadEndsEarlyWithoutCrashing) {
  const std::string path = TestTempPath("dump_source_truncated");
  std::string content;
  for (int i = 0; i < 300'000; ++i) content += absl::StrCat("serial ", i, "\n");
  ASSERT_TRUE(WriteFileAtomically(path, content).ok());
  absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.status();
  std::vector<std::unique_ptr<LineReader>> readers = (*source)->Split(2);
  ASSERT_EQ(readers.size(), 2u);
  absl::StatusOr<absl::string_view> first = readers[0]->NextBlock();
  ASSERT_TRUE(first.ok()) << first.status();
  std::string got(*first);
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(content.size() / 5)), 0);
  got += Drain(*readers[0]);
  got += Drain(*readers[1]);
  EXPECT_LT(got.size(), content.size());
  EXPECT_EQ(content.substr(0, got.size()), got);  // a prefix of the dump, in whole lines
  ::unlink(path.c_str());
}

TEST(DumpSourceTest, XzAndBzip2FilesAreDecompressedAndArchivesRefusedByName) {
  std::string content;
  for (int i = 0; i < 50'000; ++i) content += absl::StrCat("serial ", i, "\n");
  const std::string path = TestTempPath("dump_source_compressed");
  for (const auto& [compression, data] :
       {std::pair<Compression, std::string>{Compression::kXz, XzForTest(content)},
        {Compression::kBzip2, Bzip2ForTest(content)}}) {
    ASSERT_TRUE(WriteFileAtomically(path, data).ok());
    for (IoMode mode : {IoMode::kRead, IoMode::kMmap}) {
      absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path, mode);
      ASSERT_TRUE(source.ok()) << source.status();
      EXPECT_EQ((*source)->compression(), compression);
      std::vector<std::unique_ptr<LineReader>> readers = (*source)->Split(4);
      ASSERT_EQ(readers.size(), 1u);
      EXPECT_TRUE(Drain(*readers[0]) == content) << CompressionName(compression);
    }
  }
  // A zip archive, from a file and from a pipe: refused before any byte is parsed.
  const std::string zip(
      "PK\x03\x04\x14\x00\x00\x00\x08\x00"
      "affected.txt",
      22);
  ASSERT_TRUE(WriteFileAtomically(path, zip).ok());
  for (IoMode mode : {IoMode::kRead, IoMode::kMmap}) {
    absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::Open(path, mode);
    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.status().message(), path + ": zip archive; not supported, extract it first");
  }
  ::unlink(path.c_str());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_TRUE(WriteAll(fds[1], zip).ok());
  ::close(fds[1]);
  absl::StatusOr<std::unique_ptr<DumpSource>> piped = DumpSource::FromFd(fds[0], "<stdin>");
  ::close(fds[0]);
  ASSERT_FALSE(piped.ok());
  EXPECT_EQ(piped.status().message(), "<stdin>: zip archive; not supported, extract it first");
}

}  // namespace
}  // namespace serialmatch::dump
