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
  EXPECT_EQ(Rfc3339("infinite-future"), "ERROR");  // absl::ParseTime would take it
  EXPECT_EQ(Rfc3339("9-1-1T5:5:5"), "ERROR");      // one-digit fields
  EXPECT_EQ(Rfc3339("2019-12-03T9:08:34"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12-03T21:08:34 garbage"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12-03T21:08:34Z UTC"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12-03T24:00:00Z"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-02-29"), "ERROR");  // not a leap year
  EXPECT_EQ(Rfc3339("2019-12-03\n21:08:34"), "ERROR");
  EXPECT_EQ(Rfc3339("0548-01-01 00:00:00"), "ERROR");  // not writable as four digits
  EXPECT_EQ(Rfc3339(absl::string_view("2020-01-01T00:00:00Z\0garbage", 28)), "ERROR");
}

TEST(DumpTimeTest, DateAloneIsItsMidnightUtc) {
  EXPECT_EQ(Rfc3339("2019-12-03"), "2019-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339(" 2019-12-03\t"), "2019-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339("12/3/2019"), "2019-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339("03.12.2019"), "2019-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339("2019/12/03"), "2019-12-03T00:00:00Z");
  EXPECT_EQ(Rfc3339("2019-12-3"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12"), "ERROR");
}

TEST(DumpTimeTest, ParsesRfc3339Variants) {
  EXPECT_EQ(Rfc3339("2019-12-03t21:08:34z"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03T21:08:34.826Z"), "2019-12-03T21:08:34.826Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 UTC"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 gmt"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34Z"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08"), "2019-12-03T21:08:00Z");
  EXPECT_EQ(Rfc3339("2019-12-03T23:08:34+02"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 16:08:34 -0500 EST"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34.000000001 +00:00"), "2019-12-03T21:08:34.000000001Z");
}

TEST(DumpTimeTest, ZoneAbbreviationAloneMustBeUtc) {
  // "PST" without an offset says a zone this tool does not know: not silently UTC.
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 PST"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 +0000 UTC"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 +0000 U2C"), "ERROR");
  EXPECT_EQ(Rfc3339("2019-12-03 21:08:34 +24:00"), "ERROR");
}

TEST(DumpTimeTest, ParsesUsMonthFirstAsExcelWritesIt) {
  EXPECT_EQ(Rfc3339("12/3/2019 21:08"), "2019-12-03T21:08:00Z");
  EXPECT_EQ(Rfc3339("12/03/2019 21:08:34"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("12/3/2019 9:08:34 PM"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("12/3/2019 9:08 pm"), "2019-12-03T21:08:00Z");
  EXPECT_EQ(Rfc3339("12/3/2019 12:08 AM"), "2019-12-03T00:08:00Z");
  EXPECT_EQ(Rfc3339("12/3/2019 12:08 PM"), "2019-12-03T12:08:00Z");
  EXPECT_EQ(Rfc3339("3/12/2019"), "2019-03-12T00:00:00Z");  // US order: March 12
  EXPECT_EQ(Rfc3339("12/3/2019 21:08 PM"), "ERROR");
  EXPECT_EQ(Rfc3339("13/3/2019"), "ERROR");  // no month 13: not read as day first
  EXPECT_EQ(Rfc3339("12/3/19"), "ERROR");    // two-digit year
  EXPECT_EQ(Rfc3339("2/30/2020"), "ERROR");
  EXPECT_EQ(Rfc3339("2/29/2020"), "2020-02-29T00:00:00Z");
}

TEST(DumpTimeTest, ParsesDayFirstWithDots) {
  EXPECT_EQ(Rfc3339("03.12.2019 21:08:34"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("3.12.2019 21:08"), "2019-12-03T21:08:00Z");
  EXPECT_EQ(Rfc3339("31.12.2019"), "2019-12-31T00:00:00Z");
  EXPECT_EQ(Rfc3339("12.31.2019"), "ERROR");
  EXPECT_EQ(Rfc3339("2019.12.03"), "ERROR");
}

TEST(DumpTimeTest, ParsesOpenSslAndRfc1123) {
  EXPECT_EQ(Rfc3339("Dec  3 21:08:34 2019 GMT"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("Dec 13 21:08:34 2019 GMT"), "2019-12-13T21:08:34Z");
  EXPECT_EQ(Rfc3339("notAfter=Mar  2 21:08:34.5 2020 GMT"), "2020-03-02T21:08:34.5Z");
  EXPECT_EQ(Rfc3339("dec 3 21:08:34 2019"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("Tue, 03 Dec 2019 21:08:34 GMT"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("Tue, 03 Dec 2019 22:08:34 +0100"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("Wed, 03 Dec 2019 21:08:34 GMT"), "ERROR");  // 2019-12-03 was a Tuesday
  EXPECT_EQ(Rfc3339("Dex  3 21:08:34 2019 GMT"), "ERROR");
  EXPECT_EQ(Rfc3339("Dec  3 21:08:34 19 GMT"), "ERROR");
}

TEST(DumpTimeTest, ParsesAsn1TimesAndUnixSeconds) {
  EXPECT_EQ(Rfc3339("191203210834Z"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("491203210834Z"), "2049-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("501203210834Z"), "1950-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("20191203210834Z"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("20191203210834.25Z"), "2019-12-03T21:08:34.25Z");
  EXPECT_EQ(Rfc3339("1575407314"), "2019-12-03T21:08:34Z");
  EXPECT_EQ(Rfc3339("1575407314.826"), "2019-12-03T21:08:34.826Z");
  EXPECT_EQ(Rfc3339("1575407314826"), "ERROR");  // milliseconds: not guessed
  EXPECT_EQ(Rfc3339("20191203"), "ERROR");       // nor a date without separators
  EXPECT_EQ(Rfc3339("191203210834"), "ERROR");
  EXPECT_EQ(Rfc3339("-1575407314"), "ERROR");
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
