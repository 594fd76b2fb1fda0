#include "src/dump/regex_parser.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(RegexParserTest, NamedGroupsFillTheRecord) {
  absl::StatusOr<std::unique_ptr<RegexParser>> parser = RegexParser::Create(
      R"(^cert (?P<serial>[0-9A-Fa-f:]+) issued (?P<issued_at>\S+) for (?P<names>.*?) by (?P<issuer>.+)$)");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  ASSERT_EQ((*parser)->Parse("cert 03:E2:26 issued 2024-07-01T00:00:00Z for a.example;b.example, "
                             "c.example by CN=Example CA",
                             &record, &reason),
            LineKind::kRecord)
      << reason;
  EXPECT_EQ(record.serial, "03e226");
  EXPECT_EQ(record.issued_at, "2024-07-01T00:00:00Z");
  EXPECT_EQ(record.issuer, "CN=Example CA");
  EXPECT_THAT(record.names(), ElementsAre("a.example", "b.example", "c.example"));
}

TEST(RegexParserTest, NonMatchingAndBadSerialLinesAreMalformed) {
  absl::StatusOr<std::unique_ptr<RegexParser>> parser =
      RegexParser::Create(R"(^(?P<serial>\S+)\s+(?P<names>.*)$)");
  ASSERT_TRUE(parser.ok());
  DumpRecord record;
  std::string reason;
  EXPECT_EQ((*parser)->Parse("   ", &record, &reason), LineKind::kSkip);
  EXPECT_EQ((*parser)->Parse("lonely", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("does not match --dump-pattern"));
  EXPECT_EQ((*parser)->Parse("zz a.example", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("invalid serial"));
}

TEST(RegexParserTest, CommentsThePatternDoesNotMatchAreSkipped) {
  absl::StatusOr<std::unique_ptr<RegexParser>> parser =
      RegexParser::Create(R"(^#?(?P<serial>[0-9a-f]+)\|(?P<names>.*)$)");
  ASSERT_TRUE(parser.ok());
  DumpRecord record;
  std::string reason;
  EXPECT_EQ((*parser)->Parse("# serial|names", &record, &reason), LineKind::kSkip);
  EXPECT_EQ((*parser)->Parse("  #", &record, &reason), LineKind::kSkip);
  // A line the pattern matches is a record, even when it starts with '#'.
  ASSERT_EQ((*parser)->Parse("#03aa|a.example", &record, &reason), LineKind::kRecord) << reason;
  EXPECT_EQ(record.serial, "03aa");
  EXPECT_EQ((*parser)->Parse("serial|names", &record, &reason), LineKind::kMalformed);
}

TEST(RegexParserTest, RecordsCarryWhatThePatternsGroupsName) {
  struct Case {
    const char* pattern;
    RecordFields fields;
  };
  const Case cases[] = {
      {R"(^(?P<serial>\S+)$)", {.serial = true}},
      {R"(^(?P<names>.*)\t(?P<not_after>\S+)\t(?P<account>\d+)$)", {.names = true}},
      {R"(^(?P<serial>\S+) (?P<names>.*) (?P<issued_at>\S+) (?P<issuer>.*)$)",
       {.serial = true, .names = true, .issued_at = true, .issuer = true}},
      {R"(^(?P<serial>\S+) (\S+) (?P<issuer>.*)$)", {.serial = true, .issuer = true}},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::unique_ptr<RegexParser>> parser = RegexParser::Create(c.pattern);
    ASSERT_TRUE(parser.ok()) << c.pattern << ": " << parser.status();
    EXPECT_EQ((*parser)->fields(), c.fields) << c.pattern;
  }
}

TEST(RegexParserTest, RejectsBadPatterns) {
  EXPECT_THAT(RegexParser::Create("(?P<serial>[").status().message(), HasSubstr("--dump-pattern"));
  EXPECT_THAT(RegexParser::Create("(?P<serial>\\S+) (?P<owner>\\S+)").status().message(),
              HasSubstr("unknown group name 'owner'"));
  EXPECT_THAT(RegexParser::Create("(\\S+) (\\S+)").status().message(),
              HasSubstr("needs a (?P<serial>...) or a (?P<names>...) group"));
}

}  // namespace
}  // namespace serialmatch::dump
