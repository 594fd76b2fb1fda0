#include "src/dump/prefetch_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

// Hands out fixed blocks, then optionally an error.
class ScriptedReader : public LineReader {
 public:
  ScriptedReader(std::vector<std::string> blocks, absl::Status end)
      : blocks_(std::move(blocks)), end_(std::move(end)) {}
  absl::StatusOr<absl::string_view> NextBlock() override {
    if (next_ < blocks_.size()) return absl::string_view(blocks_[next_++]);
    if (!end_.ok()) return end_;
    return absl::string_view();
  }

 private:
  std::vector<std::string> blocks_;
  absl::Status end_;
  size_t next_ = 0;
};

std::vector<std::string> Blocks(int n) {
  std::vector<std::string> blocks;
  for (int i = 0; i < n; ++i) blocks.push_back("line " + std::to_string(i) + "\n");
  return blocks;
}

TEST(PrefetchLineReaderTest, HandsOutEveryBlockInOrder) {
  PrefetchLineReader reader(std::make_unique<ScriptedReader>(Blocks(1000), absl::OkStatus()));
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<absl::string_view> block = reader.NextBlock();
    ASSERT_TRUE(block.ok());
    EXPECT_EQ(*block, "line " + std::to_string(i) + "\n");
  }
  absl::StatusOr<absl::string_view> end = reader.NextBlock();
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->empty());
}

TEST(PrefetchLineReaderTest, ErrorComesAfterTheBlocksBeforeIt) {
  PrefetchLineReader reader(std::make_unique<ScriptedReader>(
      Blocks(5), absl::DataLossError("dump.gz: truncated gzip data")));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(reader.NextBlock().ok());
  absl::StatusOr<absl::string_view> failed = reader.NextBlock();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "dump.gz: truncated gzip data");
}

TEST(PrefetchLineReaderTest, ConsumerMayStopEarly) {
  auto reader = std::make_unique<PrefetchLineReader>(
      std::make_unique<ScriptedReader>(Blocks(100000), absl::OkStatus()));
  ASSERT_TRUE(reader->NextBlock().ok());
  reader.reset();  // must not hang or leak the producer thread
  SUCCEED();
}

}  // namespace
}  // namespace serialmatch::dump
