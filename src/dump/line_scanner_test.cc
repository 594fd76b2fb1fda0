#include "src/dump/line_scanner.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Lines(absl::string_view text) {
  std::vector<std::string> out;
  ForEachLine(text, [&](absl::string_view line, uint64_t number) {
    out.push_back(std::to_string(number) + ":" + std::string(line));
  });
  return out;
}

TEST(LineScannerTest, SplitsLfAndCrlfAndUnterminatedLastLine) {
  EXPECT_THAT(Lines("a\nb\r\n\nc"), ElementsAre("1:a", "2:b", "3:", "4:c"));
  EXPECT_THAT(Lines("a\n"), ElementsAre("1:a"));
  EXPECT_THAT(Lines(""), ElementsAre());
  EXPECT_THAT(Lines("x\r"), ElementsAre("1:x"));
}

TEST(LineScannerTest, KeepsNulBytesInsideLines) {
  const std::string text("a\0b\nc", 5);
  const std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string("1:a\0b", 5));
}

TEST(SplitAtLineBoundariesTest, EveryLineInExactlyOnePiece) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  text += "last without newline";
  for (int parts : {1, 2, 3, 7, 64, 5000}) {
    const std::vector<absl::string_view> pieces = SplitAtLineBoundaries(text, parts);
    ASSERT_LE(pieces.size(), static_cast<size_t>(parts));
    std::string joined;
    uint64_t lines = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
      EXPECT_FALSE(pieces[i].empty());
      if (i + 1 < pieces.size()) {
        EXPECT_EQ(pieces[i].back(), '\n') << parts;
      }
      joined.append(pieces[i].data(), pieces[i].size());
      lines += ForEachLine(pieces[i], [](absl::string_view, uint64_t) {});
    }
    EXPECT_EQ(joined, text) << parts;
    EXPECT_EQ(lines, 1001u) << parts;
  }
}

TEST(SplitAtLineBoundariesTest, OneLongLine) {
  const std::string text(10000, 'x');
  EXPECT_EQ(SplitAtLineBoundaries(text, 4).size(), 1u);
}

TEST(StripBomTest, RemovesOnlyLeadingBom) {
  EXPECT_EQ(StripBom("\xEF\xBB\xBFserial"), "serial");
  EXPECT_EQ(StripBom("serial"), "serial");
}

}  // namespace
}  // namespace serialmatch::dump
