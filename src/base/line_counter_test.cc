#include "src/base/line_counter.h"

#include <string>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

TEST(CountNewlinesTest, CountsAcrossBlocksAndTheTail) {
  // Newlines at every distance from a 16-byte block's start, and in a tail shorter than a block.
  std::string text;
  uint64_t expected = 0;
  for (int i = 0; i < 100; ++i) {
    text.append(static_cast<size_t>(i % 19), 'x');
    text.push_back('\n');
    ++expected;
  }
  for (size_t start = 0; start < 20; ++start) {
    uint64_t in_range = 0;
    for (size_t i = start; i < text.size(); ++i) in_range += text[i] == '\n';
    EXPECT_EQ(CountNewlines(text.data() + start, text.data() + text.size()), in_range) << start;
  }
  EXPECT_EQ(CountNewlines(text.data(), text.data() + text.size()), expected);
  EXPECT_EQ(CountNewlines(text.data(), text.data()), 0u);
  // Newlines only, past the 255 blocks a byte lane counts before it is summed.
  const std::string all(16 * 255 * 2 + 37, '\n');
  EXPECT_EQ(CountNewlines(all.data(), all.data() + all.size()), all.size());
}

TEST(LineCounterTest, LinesOfIncreasingPositions) {
  const std::string text = "{\n\"a\": 1,\n" + std::string(40, ' ') + "\n\"b\": 2\n}\n";
  LineCounter lines(text);
  EXPECT_EQ(lines.LineOf(nullptr), 1u);
  EXPECT_EQ(lines.LineOf(text.data()), 1u);
  EXPECT_EQ(lines.LineOf(text.data() + text.find("\"a\"")), 2u);
  EXPECT_EQ(lines.LineOf(text.data() + text.find("\"b\"")), 4u);
  EXPECT_EQ(lines.LineOf(text.data() + text.find("\"a\"")), 4u);  // backwards: the line so far
  EXPECT_EQ(lines.LineOf(text.data() + text.size() + 100), 6u);   // clamped to the end
}

}  // namespace
}  // namespace serialmatch
