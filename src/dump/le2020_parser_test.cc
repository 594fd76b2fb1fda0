#include "src/dump/le2020_parser.h"

#include <cctype>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::string_view kLine =
    "serial 03e2267b786b7e338317ddd62e764fcb3c71 46961809 "
    "b8dc3b7b1d7e2eb6d9a55b5f4d5a0b6c0f6a8e3c names: [dpuebla.com www.dpuebla.com] missing CAA "
    "checking results for [dpuebla.com www.dpuebla.com] at 2019-12-03 21:08:34.826011675 +0000 UTC";

class Le2020ParserTest : public ::testing::Test {
 protected:
  LineKind Parse(absl::string_view line) { return parser_.Parse(line, &record_, &reason_); }

  Le2020Parser parser_;
  DumpRecord record_;
  std::string reason_;
};

TEST_F(Le2020ParserTest, ParsesAllFields) {
  ASSERT_EQ(Parse(kLine), LineKind::kRecord) << reason_;
  EXPECT_EQ(record_.serial, "03e2267b786b7e338317ddd62e764fcb3c71");
  EXPECT_EQ(record_.account, "46961809");
  EXPECT_THAT(record_.names(), ElementsAre("dpuebla.com", "www.dpuebla.com"));
  EXPECT_EQ(record_.issued_at, "2019-12-03 21:08:34.826011675 +0000 UTC");
}

TEST_F(Le2020ParserTest, CanonicalizesUppercaseSerial) {
  ASSERT_EQ(Parse("serial 3E226 1 h names: [a.example] missing CAA checking results for "
                  "[a.example] at 2020-01-01 00:00:00 +0000 UTC"),
            LineKind::kRecord)
      << reason_;
  EXPECT_EQ(record_.serial, "03e226");
}

TEST_F(Le2020ParserTest, HugeSanListAndEmptyList) {
  std::string names;
  for (int i = 0; i < 100; ++i) names += "n" + std::to_string(i) + ".example ";
  // The record views the line: keep it alive while the names are used.
  const std::string line =
      "serial 03aa 1 h names: [" + names +
      "] missing CAA checking results for [x] at 2020-01-01 00:00:00 +0000 UTC";
  ASSERT_EQ(Parse(line), LineKind::kRecord);
  EXPECT_EQ(record_.names().size(), 100u);
  ASSERT_EQ(Parse("serial 03aa 1 h names: [] missing CAA checking results for [] at "
                  "2020-01-01 00:00:00 +0000 UTC"),
            LineKind::kRecord);
  EXPECT_THAT(record_.names(), IsEmpty());
}

TEST_F(Le2020ParserTest, BlankLineIsSkipped) {
  EXPECT_EQ(Parse(""), LineKind::kSkip);
  EXPECT_EQ(Parse("   \t"), LineKind::kSkip);
}

TEST_F(Le2020ParserTest, CommentLinesAreSkippedNotMalformed) {
  for (absl::string_view line :
       {"# affected serials, 2020-03-03", "#", "  \t# indented", "#serial 03aa"}) {
    EXPECT_EQ(Parse(line), LineKind::kSkip) << line;
  }
  // A '#' later in the line does not make it a comment.
  EXPECT_EQ(Parse("x # serial 03aa"), LineKind::kMalformed);
}

TEST_F(Le2020ParserTest, TruncatedLinesAreMalformed) {
  EXPECT_EQ(Parse(kLine.substr(0, 60)), LineKind::kMalformed);
  EXPECT_THAT(reason_, HasSubstr("names: ["));
  EXPECT_EQ(Parse(kLine.substr(0, 120)), LineKind::kMalformed);
  EXPECT_THAT(reason_, HasSubstr("unterminated names list"));
  EXPECT_EQ(Parse(kLine.substr(0, kLine.size() - 30)), LineKind::kMalformed);
  EXPECT_THAT(reason_, HasSubstr("issue time"));
  EXPECT_EQ(Parse("serial"), LineKind::kMalformed);
}

// The issue time is what follows the last " at " of the line, when it starts as a time does:
// for the usual endings (read by their shape) and every other one alike.
TEST_F(Le2020ParserTest, IssueTimeFollowsTheLastAt) {
  const std::string start =
      "serial 03aa 1 h names: [a.example] missing CAA checking results for [a.example]";
  const std::vector<std::string> endings = {
      " at 2020-01-01 00:00:00 +0000 UTC",
      " at 2019-12-03 21:08:34.826011675 +0000 UTC",
      " at 2019-12-03 21:08:34.82601 +0000 UTC",
      " at 2019-12-03 21:08:34.8 +0000 UTC",
      " at 2019-12-03 21:08:34.826011675 +0100 CET",
      " at 2019-12-03 21:08:34.826011675 +0000 UTC m=+0.000000001",
      " at 2019-12-03 21:08:34.826011675 +0000 UTC ",
      " at 2019-12-03 21:08:34 +0000 UTC at 2020-01-01 00:00:00 +0000 UTC",
      " at 2019-12-03 21:08:34.826011675 +0000 UTC at 2020-01-01 00:00:00.000000001 +0000 UTC",
      " at 2019-12-03 21:08:3x.826011675 +0000 UTC",
      " at 2019-12-03 21:08:34.82601167x +0000 UTC",
      " at 2019-12-03 21:08:34.826011675 +0000 UTx",
      " at 2019-12-03 21:08:34 +0000 UTx",
      " at 2019-12-03",
      " at2019-12-03 21:08:34 +0000 UTC",
      "x at 2019-12-03 21:08:34 +0000 UTC",
      "",
  };
  for (const std::string& ending : endings) {
    const std::string line = start + ending;
    const size_t at = ending.rfind(" at ");
    const bool time = at != std::string::npos && ending.size() >= at + 4 + 19 &&
                      std::isdigit(static_cast<unsigned char>(ending[at + 4 + 18]));
    ASSERT_EQ(Parse(line), time ? LineKind::kRecord : LineKind::kMalformed) << line;
    if (time) {
      EXPECT_EQ(record_.issued_at, ending.substr(at + 4)) << line;
    } else {
      EXPECT_THAT(reason_, HasSubstr("issue time")) << line;
    }
  }
}

TEST_F(Le2020ParserTest, BadSerialIsMalformed) {
  EXPECT_EQ(Parse("serial 03zz 1 h names: [a.example] missing CAA checking results for [a] at "
                  "2020-01-01 00:00:00 +0000 UTC"),
            LineKind::kMalformed);
  EXPECT_THAT(reason_, HasSubstr("'z' is not a hex digit"));
}

TEST_F(Le2020ParserTest, OtherTextIsMalformedAndQuoted) {
  EXPECT_EQ(Parse("\x01\x02garbage"), LineKind::kMalformed);
  EXPECT_THAT(reason_, HasSubstr("\\x01\\x02garbage"));
}

TEST_F(Le2020ParserTest, RecordsCarrySerialNamesAndIssueTimeButNoIssuer) {
  EXPECT_EQ(parser_.fields(), (RecordFields{.serial = true, .names = true, .issued_at = true}));
  EXPECT_FALSE(parser_.fields().issuer);
}

// The serial-only read must give the serial the whole parse gives, for every notation: the fast
// path for canonical serials and the general one for the rest, at any length and wherever the
// line ends.
TEST_F(Le2020ParserTest, ParseSerialGivesTheSerialParseGives) {
  const std::string tail =
      " 7 h names: [a.example] missing CAA checking results for [a.example] at "
      "2020-01-01 00:00:00 +0000 UTC";
  std::vector<std::string> serials = {"03",
                                      "0a",
                                      "ff",
                                      "0001",
                                      "00",
                                      "3",
                                      "abc",
                                      "ABCDEF",
                                      "03E2",
                                      "03:e2:26",
                                      "-03e2",
                                      "0x03e2",
                                      "(Negative)ff",
                                      "7f" + std::string(38, 'e'),
                                      std::string(128, 'a'),
                                      "00" + std::string(30, '1'),
                                      "0" + std::string(31, '2'),
                                      std::string(14, 'b') + "c",
                                      std::string(64, 'd'),
                                      std::string(62, 'd') + "Dd",
                                      "1g",
                                      "03e2\\x"};
  for (int digits = 2; digits <= 80; digits += 2) serials.push_back(std::string(digits, '7'));
  for (int digits = 1; digits <= 81; digits += 2) serials.push_back(std::string(digits, '7'));
  for (const std::string& serial : serials) {
    const std::string line = "serial " + serial + tail;
    const LineKind whole = Parse(line);
    const std::string whole_serial(record_.serial);
    const std::string whole_reason = reason_;
    DumpRecord alone;
    std::string alone_reason;
    const LineKind kind = parser_.ParseSerial(line, &alone, &alone_reason);
    ASSERT_EQ(kind, whole) << serial << ": " << whole_reason;
    if (kind == LineKind::kRecord) {
      EXPECT_EQ(alone.serial, whole_serial) << serial;
    } else {
      EXPECT_EQ(alone_reason, whole_reason) << serial;
    }
    // Cut right after the serial's space: the fast path must not read past the line.
    const std::string cut = "serial " + serial + " ";
    EXPECT_EQ(parser_.ParseSerial(cut, &alone, &alone_reason), whole) << serial;
    if (whole == LineKind::kRecord) {
      EXPECT_EQ(alone.serial, whole_serial) << serial;
    }
  }
}

TEST_F(Le2020ParserTest, ParseSerialReadsNothingAfterTheSerial) {
  // Damaged after the serial: malformed for the whole parse, a record for the serial alone (which
  // is all a serial-only join checks).
  for (absl::string_view line :
       {kLine.substr(0, 60), kLine.substr(0, 120), kLine.substr(0, kLine.size() - 30)}) {
    EXPECT_EQ(Parse(line), LineKind::kMalformed) << line;
    ASSERT_EQ(parser_.ParseSerial(line, &record_, &reason_), LineKind::kRecord) << line;
    EXPECT_EQ(record_.serial, "03e2267b786b7e338317ddd62e764fcb3c71");
  }
  // No serial to read: as the whole parse answers.
  for (absl::string_view line : {"serial", "serial 03e2", "x # serial 03aa", "\x01garbage"}) {
    EXPECT_EQ(parser_.ParseSerial(line, &record_, &reason_), LineKind::kMalformed) << line;
  }
  EXPECT_EQ(parser_.ParseSerial("# comment", &record_, &reason_), LineKind::kSkip);
  EXPECT_EQ(parser_.ParseSerial("  ", &record_, &reason_), LineKind::kSkip);
}

TEST(Le2020LooksTest, RecognisesFormat) {
  EXPECT_TRUE(Le2020Parser::Looks(kLine));
  EXPECT_FALSE(Le2020Parser::Looks("03e226"));
}

}  // namespace
}  // namespace serialmatch::dump
