#include "src/base/time.h"

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

std::string Rfc3339(absl::string_view text) {
  absl::StatusOr<absl::Time> t = ParseDumpTime(text);
  return t.ok() ? FormatRfc3339(*t) : "ERROR";
}

TEST(DumpTimeTest, ParsesGoTimeString) {
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34.826011675 +0000 UTC"), "2019-12-03T21:08:34.826011675Z");
}

TEST(DumpTimeTest, ParsesRfc3339AndOffsets) {
  EXPECT_EQ(Rfc3339("2022-02-25T18:25:29Z"), "2022-02-25T18:25:29Z");
  EXPECT_EQ(Rfc3339("2022-02-25T20:25:29+02:00"), "2022-02-25T18:25:29Z");
  EXPECT_EQ(Rfc3339("2022-02-25 13:25:29 -0500"), "2022-02-25T18:25:29Z");
}

TEST(DumpTimeTest, NoZoneMeansUtc) {
  EXPECT_EQ(Rfc3339("2020-03-06T23:14:48"), "2020-03-06T23:14:48Z");
  EXPECT_EQ(Rfc3339("2020-03-06 23:14:48 UTC"), "2020-03-06T23:14:48Z");
}

TEST(DumpTimeTest, RejectsGarbage) {
  EXPECT_EQ(Rfc3339(""), "ERROR");
  EXPECT_EQ(Rfc3339("yesterday"), "ERROR");
  EXPECT_EQ(Rfc3339("2020-13-06 23:14:48"), "ERROR");
  EXPECT_EQ(Rfc3339("infinite-future"), "ERROR");      // absl::ParseTime would take it
  EXPECT_EQ(Rfc3339("9-1-1T5:5:5"), "ERROR");          // one-digit fields
  EXPECT_EQ(Rfc3339("0548-01-01 00:00:00"), "ERROR");  // not writable as four digits
  EXPECT_EQ(Rfc3339("2020-03-06"), "ERROR");
  EXPECT_EQ(Rfc3339(absl::string_view("2020-01-01T00:00:00Z\0garbage", 28)), "ERROR");
}

// Found by the time fuzzer: a leap second or an offset can carry the UTC instant out of the
// four-digit years that every report writes.
TEST(DumpTimeTest, RejectsInstantsOutsideFourDigitYearsInUtc) {
  EXPECT_EQ(Rfc3339("9999-12-31T23:59:60.99990"), "ERROR");
  EXPECT_EQ(Rfc3339("9999-12-31T23:00:00-05:00"), "ERROR");
  EXPECT_EQ(Rfc3339("1000-01-01T00:00:00+01:00"), "ERROR");
  EXPECT_EQ(Rfc3339("9999-12-31T23:59:59Z"), "9999-12-31T23:59:59Z");
  EXPECT_EQ(Rfc3339("1000-01-01T00:00:00-01:00"), "1000-01-01T01:00:00Z");
}

TEST(StartsWithShapeTest, DigitsWhereTheShapeHasZeros) {
  EXPECT_TRUE(StartsWithShape("2019-12-03 21:08:34.8 +0000 UTC", "0000-00-00 00:00:00"));
  EXPECT_FALSE(StartsWithShape("2019-12-03T21:08:34", "0000-00-00 00:00:00"));
  EXPECT_FALSE(StartsWithShape("2019-1a-03", "0000-00-00"));
  EXPECT_FALSE(StartsWithShape("2019-12", "0000-00-00"));
  EXPECT_TRUE(StartsWithShape("anything", ""));
}

TEST(StartsWithShapeTest, LongShapesCheckEveryByte) {  // the 16-byte blocks
  const absl::string_view shape = "0000-00-00 00:00:00";
  EXPECT_TRUE(StartsWithShape("2019-12-03 21:08:34", shape));
  EXPECT_FALSE(StartsWithShape("2019-12-03 21:08:3x", shape));        // last byte
  EXPECT_FALSE(StartsWithShape("x019-12-03 21:08:34", shape));        // first byte
  EXPECT_FALSE(StartsWithShape("2019-12-03 21:08:\xB3\x34", shape));  // a byte above 0x7f
  EXPECT_FALSE(StartsWithShape("2019-12-03 21:08:/4", shape));        // just below '0'
  EXPECT_FALSE(StartsWithShape("2019-12-03 21:08::4", shape));        // just above '9'
  EXPECT_FALSE(StartsWithShape("2019-12-03 21:08:34", "0000-00-00 00:00:00 "));  // too short
}

}  // namespace
}  // namespace serialmatch
