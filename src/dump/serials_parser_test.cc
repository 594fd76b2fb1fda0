#include "src/dump/serials_parser.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

TEST(SerialsParserTest, ParsesAnyNotation) {
  SerialsParser parser;
  DumpRecord record;
  std::string reason;
  for (absl::string_view line : {"03e226", "03:E2:26", "  0x3E226  ", "serial=00:03:e2:26"}) {
    ASSERT_EQ(parser.Parse(line, &record, &reason), LineKind::kRecord) << line << ": " << reason;
    EXPECT_EQ(record.serial, "03e226") << line;
    EXPECT_TRUE(record.names().empty());
  }
}

TEST(SerialsParserTest, SkipsBlankCommentAndHeader) {
  SerialsParser parser;
  DumpRecord record;
  std::string reason;
  for (absl::string_view line :
       {"", "  ", "# affected serials", "\t#03aa", "serial", "Serial Number"}) {
    EXPECT_EQ(parser.Parse(line, &record, &reason), LineKind::kSkip) << line;
  }
}

TEST(SerialsParserTest, RecordsCarryTheSerialOnly) {
  const SerialsParser parser;
  EXPECT_EQ(parser.fields(), RecordFields{.serial = true});
  EXPECT_FALSE(parser.fields().names);
}

TEST(SerialsParserTest, GarbageIsMalformed) {
  SerialsParser parser;
  DumpRecord record;
  std::string reason;
  EXPECT_EQ(parser.Parse("03e226,extra", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, ::testing::HasSubstr("not a hex digit"));
}

}  // namespace
}  // namespace serialmatch::dump
