#include "src/dump/parser.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::HasSubstr;

constexpr absl::string_view kLe2020 =
    "serial 03aa 1 h names: [a.example] missing CAA checking results for [a.example] at "
    "2020-01-01 00:00:00.5 +0000 UTC\n";

TEST(DetectFormatTest, RecognisesLe2020WithBomAndBlankLines) {
  absl::StatusOr<DumpFormat> f = DetectFormat(absl::StrCat("\xEF\xBB\xBF\n\r\n", kLe2020, kLe2020));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kLe2020);
}

TEST(DetectFormatTest, RecognisesSerialsWithHeaderAndComments) {
  absl::StatusOr<DumpFormat> f = DetectFormat("# list\nserial\n03:E2:26\n0x04aa\n");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kSerials);
}

TEST(DetectFormatTest, IgnoresCutLastLine) {
  absl::StatusOr<DumpFormat> f = DetectFormat(absl::StrCat(kLe2020, "serial 03bb 2 h nam"));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kLe2020);
}

TEST(DetectFormatTest, RecognisesCsvAndJsonFormats) {
  EXPECT_EQ(*DetectFormat("123456,\"03e1ce2c\",\"2022-02-25T18:25:29Z\",\"a.example\"\n"),
            DumpFormat::kLe2022Csv);
  EXPECT_EQ(*DetectFormat(
                "Certificate SHA-256 hash,Issuer,Serial #,dNSNames\r\naa,CN=x,03,a.example\r\n"),
            DumpFormat::kCcadbCsv);
  EXPECT_EQ(*DetectFormat("[{\"issuer_ca_id\":16418,\"serial_number\":\"03b5\"}]"),
            DumpFormat::kCrtshJson);
}

TEST(DetectFormatTest, UnknownFormatListsFormatsAndHint) {
  absl::StatusOr<DumpFormat> f = DetectFormat("hello,world\nfoo,bar\n");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(),
              HasSubstr("le2020, serials, le2022-csv, ccadb-csv, crtsh-json, regex"));
  EXPECT_THAT(f.status().message(), HasSubstr("--dump-format"));
  EXPECT_FALSE(DetectFormat("").ok());
}

TEST(FormatByNameTest, RoundTripsAndRejectsUnknown) {
  for (DumpFormat f : {DumpFormat::kLe2020, DumpFormat::kSerials, DumpFormat::kLe2022Csv,
                       DumpFormat::kCcadbCsv, DumpFormat::kCrtshJson, DumpFormat::kRegex}) {
    absl::StatusOr<DumpFormat> got = FormatByName(FormatName(f));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, f);
  }
  ParserOptions options;
  options.head = "Serial #,dNSNames\n";
  options.pattern = "(?P<serial>\\S+)";
  for (DumpFormat f : {DumpFormat::kLe2020, DumpFormat::kSerials, DumpFormat::kLe2022Csv,
                       DumpFormat::kCcadbCsv, DumpFormat::kCrtshJson, DumpFormat::kRegex}) {
    absl::StatusOr<std::unique_ptr<DumpParser>> parser = MakeParser(f, options);
    ASSERT_TRUE(parser.ok()) << FormatName(f) << ": " << parser.status();
    EXPECT_EQ((*parser)->whole_document(), f == DumpFormat::kCrtshJson);
  }
  EXPECT_FALSE(MakeParser(DumpFormat::kRegex, {}).ok());
  EXPECT_FALSE(MakeParser(DumpFormat::kCcadbCsv, {}).ok());
  EXPECT_FALSE(FormatByName("le2021").ok());
}

}  // namespace
}  // namespace serialmatch::dump
