#include "src/base/diagnostics.h"

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

TEST(DiagnosticsTest, KeepsFirstSamplesAndCountsAll) {
  Diagnostics diags("dump.txt", 2);
  diags.Report(3, "bad one");
  diags.Report(7, "bad two");
  diags.Report(9, "bad three");
  EXPECT_EQ(diags.count(), 3u);
  EXPECT_EQ(diags.Render(),
            "dump.txt:3: bad one\ndump.txt:7: bad two\n"
            "dump.txt: 1 more problem not shown (3 in all)\n");
}

TEST(DiagnosticsTest, MergeOffsetsLinesInOrder) {
  Diagnostics total("d", 3);
  total.Report(2, "first");
  Diagnostics chunk("d", 3);
  chunk.Report(1, "second");
  chunk.Report(4, "third");
  chunk.Report(5, "fourth");
  total.Merge(chunk, 100);
  EXPECT_EQ(total.count(), 4u);
  ASSERT_EQ(total.samples().size(), 3u);
  EXPECT_EQ(total.samples()[1].line, 101u);
  EXPECT_EQ(total.samples()[2].line, 104u);
}

TEST(DiagnosticsTest, WholeFileProblemHasNoLine) {
  Diagnostics diags("inv.csv");
  diags.Report(0, "no rows");
  EXPECT_EQ(diags.Render(), "inv.csv: no rows\n");
}

TEST(QuoteForMessageTest, EscapesAndCuts) {
  EXPECT_EQ(QuoteForMessage("a\tb\xff"), "a\\x09b\\xff");
  EXPECT_EQ(QuoteForMessage("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace serialmatch
