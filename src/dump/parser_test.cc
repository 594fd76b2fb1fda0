#include "src/dump/parser.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;
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

constexpr absl::string_view kLe2022 =
    "123456,\"03e1ce2c\",\"2022-02-25T18:25:29Z\",\"a.example\"\n";

std::string Repeat(absl::string_view line, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(line.data(), line.size());
  return out;
}

TEST(DetectFormatTest, OneDamagedLineNearTheTopDoesNotHideTheFormat) {
  const std::string junk("\x00\xff\x1f\x8b binary junk\n", 17);
  const std::string cut_le2020(kLe2020.substr(0, 40));  // a line cut short by a download
  struct Case {
    std::string head;
    DumpFormat format;
  };
  const std::vector<Case> cases = {
      {absl::StrCat(junk, Repeat(kLe2020, 7)), DumpFormat::kLe2020},
      {absl::StrCat(kLe2020, kLe2020, cut_le2020, "\n", Repeat(kLe2020, 5)), DumpFormat::kLe2020},
      {absl::StrCat("Affected certificates, 2020-03-03\n", Repeat(kLe2020, 2)),
       DumpFormat::kLe2020},
      {absl::StrCat(kLe2020, "03aa\n", kLe2020), DumpFormat::kLe2020},  // a stray serial
      {absl::StrCat(junk, Repeat(kLe2022, 3)), DumpFormat::kLe2022Csv},
      {absl::StrCat("123456,\"03e1\n", Repeat(kLe2022, 3)), DumpFormat::kLe2022Csv},
      {absl::StrCat("03e226\n", junk, "0x04aa\n03:E2:27\n"), DumpFormat::kSerials},
      {absl::StrCat("serial\n03e226\n", cut_le2020, "\n03e227\n"), DumpFormat::kSerials},
  };
  for (const Case& c : cases) {
    absl::StatusOr<DumpFormat> f = DetectFormat(c.head);
    ASSERT_TRUE(f.ok()) << c.head << ": " << f.status();
    EXPECT_EQ(*f, c.format) << c.head;
  }
}

TEST(DetectFormatTest, RandomTextAndTooFewAgreeingLinesAreRefused) {
  std::mt19937 rng(12);
  std::string random(4096, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  std::string words;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&words, "the quick brown fox ", i, " jumps\n");
  for (const std::string& head :
       {random, words, std::string("Dear customer,\nyour certificates\n"),
        absl::StrCat("hello\n", kLe2020),                  // one good line of two
        absl::StrCat("hello\nworld\n03aa\n", kLe2020),     // one line each, no majority
        absl::StrCat("a\nb\nc\n", Repeat(kLe2020, 2))}) {  // two of five
    absl::StatusOr<DumpFormat> f = DetectFormat(head);
    EXPECT_FALSE(f.ok()) << head << ": " << FormatName(*f);
  }
  absl::StatusOr<DumpFormat> f = DetectFormat(words);
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(),
              HasSubstr("(of the first 16 lines, none looks like le2020, le2022-csv, serials or "
                        "sha256)"));
}

TEST(DetectFormatTest, MixedFormatsAreRefusedSayingHowTheLinesVoted) {
  const std::string serials = Repeat("03e226\n", 4);
  for (const std::string& head :
       {absl::StrCat(Repeat(kLe2020, 4), serials), absl::StrCat(serials, Repeat(kLe2020, 4)),
        absl::StrCat(Repeat(kLe2020, 6), Repeat("03e226\n", 2)),  // a majority, but a rival
        absl::StrCat(Repeat(kLe2022, 5), Repeat(kLe2020, 3))}) {
    absl::StatusOr<DumpFormat> f = DetectFormat(head);
    EXPECT_FALSE(f.ok()) << head << ": " << FormatName(*f);
  }
  absl::StatusOr<DumpFormat> f = DetectFormat(absl::StrCat(Repeat(kLe2020, 4), serials));
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(),
              HasSubstr("(of the first 8 lines, 4 look like le2020, 4 like serials)"));
  EXPECT_THAT(f.status().message(), HasSubstr("--dump-format"));
}

TEST(DetectFormatTest, CommentsAndBlankLinesBeforeACsvHeaderAreSkipped) {
  const std::string head =
      "\xEF\xBB\xBF# CCADB incident 1234, appendix\r\n\r\n  # exported 2024-07-31\r\n"
      "Serial #,dNSNames\r\n# first batch\r\n03aa,\"a.example, b.example\"\r\n";
  absl::StatusOr<DumpFormat> f = DetectFormat(head);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kCcadbCsv);
  ParserOptions options;
  options.head = head;
  absl::StatusOr<std::unique_ptr<DumpParser>> parser = MakeParser(*f, options);
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  std::vector<LineKind> kinds;
  ForEachLine(StripBom(head), [&](absl::string_view line, uint64_t) {
    kinds.push_back((*parser)->Parse(line, &record, &reason));
  });
  EXPECT_THAT(kinds, ElementsAre(LineKind::kSkip, LineKind::kSkip, LineKind::kSkip, LineKind::kSkip,
                                 LineKind::kSkip, LineKind::kRecord));
  EXPECT_EQ(record.serial, "03aa");
  // A headerless list whose first line is a commented-out header is not a ccadb-csv report.
  f = DetectFormat(absl::StrCat("# account,serial,expiry,names\n", Repeat(kLe2022, 2)));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kLe2022Csv);
}

TEST(DetectFormatTest, TarArchiveIsRefusedByName) {
  std::string tar(512, '\0');
  tar.replace(0, 12, "affected.txt");
  tar.replace(257, 8,
              std::string("ustar\x00"
                          "00",
                          8));
  absl::StatusOr<DumpFormat> f = DetectFormat(absl::StrCat(tar, Repeat(kLe2020, 8)));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "tar archive; not supported, extract it first");
}

TEST(DetectFormatTest, UnknownFormatListsFormatsAndHint) {
  absl::StatusOr<DumpFormat> f = DetectFormat("hello,world\nfoo,bar\n");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(),
              HasSubstr("le2020, serials, sha256, le2022-csv, ccadb-csv, crtsh-json, crl, regex"));
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
    // Every format's records can carry a serial or names; serials lists carry no names, and
    // neither does a pattern without a names group.
    const RecordFields fields = (*parser)->fields();
    EXPECT_TRUE(fields.serial || fields.names) << FormatName(f);
    EXPECT_EQ(fields.names, f != DumpFormat::kSerials && f != DumpFormat::kRegex) << FormatName(f);
  }
  EXPECT_FALSE(MakeParser(DumpFormat::kRegex, {}).ok());
  EXPECT_FALSE(MakeParser(DumpFormat::kCcadbCsv, {}).ok());
  EXPECT_FALSE(FormatByName("le2021").ok());
}

}  // namespace
}  // namespace serialmatch::dump
