#include "src/cli/progress.h"

#include "gtest/gtest.h"

namespace serialmatch::cli {
namespace {

TEST(ProgressTest, KnownSizeShowsShareRateAndEta) {
  EXPECT_EQ(RenderProgress("affected.txt", 500'000'000, 1'400'000'000, absl::Seconds(2)),
            "affected.txt: 500.0 MB of 1.4 GB (35%), 250.0 MB/s, ETA 0:04");
  EXPECT_EQ(RenderProgress("big.txt", 1'000'000'000, 5'000'000'000'000, absl::Seconds(1)),
            "big.txt: 1.0 GB of 5.0 TB (0%), 1.0 GB/s, ETA 1:23:19");
}

TEST(ProgressTest, UnknownSizeShowsBytesAndRateOnly) {
  EXPECT_EQ(RenderProgress("<stdin>", 12'345, 0, absl::Seconds(1)), "<stdin>: 12.3 kB, 12.3 kB/s");
  EXPECT_EQ(RenderProgress("<stdin>", 0, 0, absl::ZeroDuration()), "<stdin>: 0 B, 0 B/s");
}

TEST(ProgressTest, DoneNeverShowsMoreThanAll) {
  // A file that grew after it was measured.
  EXPECT_EQ(RenderProgress("a", 2000, 1000, absl::Seconds(1)),
            "a: 2.0 kB of 1.0 kB (100%), 2.0 kB/s, ETA 0:00");
}

}  // namespace
}  // namespace serialmatch::cli
