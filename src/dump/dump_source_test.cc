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

// The same, through NextBlockInto(), checking that each block it hands out is whole lines too.
std::string DrainInto(LineReader& reader, int* blocks = nullptr) {
  std::string all;
  int count = 0;
  OwnedBlock block;
  while (true) {
    const absl::Status status = reader.NextBlockInto(&block);
    EXPECT_TRUE(status.ok()) << status;
    if (!status.ok() || block.size() == 0) break;
    if (count > 0) {
      EXPECT_EQ(all.back(), '\n');
    }
    absl::StrAppend(&all, block.view());
    ++count;
  }
  if (blocks != nullptr) *blocks = count;
  return all;
}

// How a test reads a reader's blocks.
enum class Reading { kView, kInto };

// Feeds `content` through a pipe; returns what the stream source peeks and hands out.
std::string StreamThrough(const std::string& content, std::string* peeked, size_t peek, int* blocks,
                          Reading reading = Reading::kView) {
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
  std::string all =
      reading == Reading::kView ? Drain(*readers[0], blocks) : DrainInto(*readers[0], blocks);
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
  for (Reading reading : {Reading::kView, Reading::kInto}) {
    std::string peeked;
    int blocks = 0;
    EXPECT_TRUE(StreamThrough(content, &peeked, 100, &blocks, reading) == content);
    EXPECT_EQ(peeked, content.substr(0, 100));
    EXPECT_GT(blocks, 1);  // the dump is bigger than one block
  }
}

TEST(DumpSourceTest, StreamHandlesLineLongerThanBlock) {
  const std::string content =
      "a\n" + std::string(DumpSource::kBlockSize * 3 + 12345, 'x') + "\nb\n";
  for (Reading reading : {Reading::kView, Reading::kInto}) {
    std::string peeked;
    int blocks = 0;
    EXPECT_TRUE(StreamThrough(content, &peeked, 1, &blocks, reading) == content);
  }
}

// Streamed contents of every kind read into owned blocks: each block whole lines, nothing lost or
// repeated, whatever was peeked first.
TEST(DumpSourceTest, StreamReadIntoOwnedBlocksKeepsEveryByte) {
  std::string lines;
  for (int i = 0; i < 200'000; ++i) lines += "line " + std::to_string(i * 7919 % 100003) + "\n";
  const std::string long_line(DumpSource::kBlockSize * 2 + 5, 'L');
  const std::vector<std::string> contents = {lines,
                                             lines + "no newline at the end",
                                             "",
                                             "one line",
                                             "\n\n\n",
                                             long_line,
                                             long_line + "\n" + lines + long_line,
                                             std::string(3 << 20, '\n')};
  for (size_t c = 0; c < contents.size(); ++c) {
    for (size_t peek : {size_t{1}, size_t{64 << 10}, DumpSource::kBlockSize + 3}) {
      std::string peeked;
      int blocks = 0;
      EXPECT_TRUE(StreamThrough(contents[c], &peeked, peek, &blocks, Reading::kInto) == contents[c])
          << "content " << c << ", peek " << peek;
      EXPECT_EQ(peeked, contents[c].substr(0, peek)) << "content " << c;
    }
  }
}

// Standard input redirected from a file ("< dump.txt") is read like the file, by range and in
// several parts, from where the descriptor stands; redirected from a compressed file, it is
// decompressed.
TEST(DumpSourceTest, RegularFileDescriptorIsReadByRangeFromItsOffset) {
  std::string lines;
  for (int i = 0; i < 300'000; ++i) lines += "serial " + std::to_string(i) + "\n";
  const std::string head = "skipped by the caller\n";
  const std::string path = TestTempPath("dump_source_fd");
  ASSERT_TRUE(WriteFileAtomically(path, head + lines).ok());
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::lseek(fd, static_cast<off_t>(head.size()), SEEK_SET),
            static_cast<off_t>(head.size()));
  absl::StatusOr<std::unique_ptr<DumpSource>> source = DumpSource::FromFd(fd, "<stdin>");
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->name(), "<stdin>");
  EXPECT_EQ((*source)->size(), lines.size());
  EXPECT_EQ(*(*source)->Peek(9), "serial 0\n");
  std::vector<std::unique_ptr<LineReader>> readers = (*source)->Split(3);
  EXPECT_EQ(readers.size(), 3u);
  std::string all;
  for (auto& reader : readers) all += Drain(*reader);
  EXPECT_TRUE(all == lines) << all.size() << " bytes of " << lines.size();
  readers.clear();
  source->reset();
  EXPECT_EQ(::fcntl(fd, F_GETFD), 0);  // not the source's to close
  ::close(fd);

  ASSERT_TRUE(WriteFileAtomically(path, GzipForTest(lines)).ok());
  const int gz = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(gz, 0);
  absl::StatusOr<std::unique_ptr<DumpSource>> compressed = DumpSource::FromFd(gz, "<stdin>");
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  EXPECT_EQ((*compressed)->compression(), Compression::kGzip);
  readers = (*compressed)->Split(3);
  ASSERT_EQ(readers.size(), 1u);
  EXPECT_TRUE(DrainInto(*readers[0]) == lines);
  readers.clear();
  ::close(gz);
  ::unlink(path.c_str());
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
