#include "src/dump/sha256_parser.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dump/parser.h"

namespace serialmatch::dump {
namespace {

using ::testing::HasSubstr;

constexpr absl::string_view kHex =
    "3b5a6e3c6f8d2a1b0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c";

// kHex as 32 colon-separated upper-case bytes.
std::string ColonSeparated(absl::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    absl::StrAppend(&out, i == 0 ? "" : ":", absl::AsciiStrToUpper(hex.substr(i, 2)));
  }
  return out;
}

TEST(Sha256ParserTest, ReadsEveryNotationAsLowercaseHex) {
  const Sha256Parser parser;
  DumpRecord record;
  std::string reason;
  const std::string upper = absl::AsciiStrToUpper(kHex);
  for (const std::string& line : {
           std::string(kHex),
           upper,
           absl::StrCat("  ", kHex, " \r"),
           ColonSeparated(kHex),
           absl::StrCat("https://crt.sh/?sha256=", kHex),
           absl::StrCat("HTTPS://CRT.SH/?SHA256=", upper),
           absl::StrCat("http://crt.sh/?sha256=", kHex, "\r"),
           absl::StrCat("https://crt.sh?sha256=", kHex),
           absl::StrCat("https://crt.sh/?q=", upper),
           absl::StrCat("https://crt.sh/?d=", kHex),
           absl::StrCat("https://crt.sh/?sha256=", kHex, "&opt=ocsp,nometadata#top"),
           absl::StrCat("https://crt.sh/?showSQL&id=1234&sha256=", kHex),
           absl::StrCat("https://crt.sh/?sha256=", ColonSeparated(kHex)),
           absl::StrCat("https://crt.sh/?sha256=",
                        absl::StrReplaceAll(ColonSeparated(kHex), {{":", "%3A"}})),
           absl::StrCat("\t\"https://crt.sh/?sha256=", kHex, "\" "),
           absl::StrCat("sha256 Fingerprint=", ColonSeparated(kHex)),
       }) {
    ASSERT_EQ(parser.Parse(line, &record, &reason), LineKind::kRecord) << line << ": " << reason;
    EXPECT_EQ(record.cert_sha256, kHex) << line;
    EXPECT_TRUE(record.serial.empty()) << line;
    EXPECT_TRUE(record.names().empty()) << line;
  }
}

TEST(Sha256ParserTest, RecordsCarryTheFingerprintOnly) {
  EXPECT_EQ(Sha256Parser().fields(), RecordFields{.sha256 = true});
}

TEST(Sha256ParserTest, SkipsBlankCommentAndHeader) {
  const Sha256Parser parser;
  DumpRecord record;
  std::string reason;
  for (absl::string_view line :
       {"", " \r", "# crt.sh links of incident 1234", "\t# 3b5a", "sha256", "SHA-256 fingerprint",
        "Fingerprint", "url", "crt.sh link", "Certificate SHA-256 hash"}) {
    EXPECT_EQ(parser.Parse(line, &record, &reason), LineKind::kSkip) << line;
  }
}

TEST(Sha256ParserTest, CrtshIdAloneIsUncheckable) {
  const Sha256Parser parser;
  DumpRecord record;
  std::string reason;
  for (absl::string_view line :
       {"https://crt.sh/?id=12345", "http://crt.sh/?id=12345\r", "  HTTPS://crt.sh/?ID=9 ",
        "https://crt.sh/?q=12345", "https://crt.sh/?d=12345", "https://crt.sh/?id=1&opt=ocsp"}) {
    EXPECT_EQ(parser.Parse(line, &record, &reason), LineKind::kUncheckable) << line;
    EXPECT_TRUE(record.cert_sha256.empty()) << line;
  }
}

TEST(Sha256ParserTest, WrongLengthsAndNonHexAreMalformedQuotingTheLine) {
  const Sha256Parser parser;
  DumpRecord record;
  std::string reason;
  struct Case {
    std::string line;
    const char* why;
  };
  const std::string sha1(kHex.substr(0, 40));
  const std::vector<Case> cases = {
      {sha1, "64 hex digits, found 40"},
      {absl::StrCat(kHex, "00"), "64 hex digits, found 66"},
      {absl::StrCat("https://crt.sh/?sha256=", sha1), "64 hex digits, found 40"},
      {absl::StrCat(kHex.substr(0, 63), "g"), "not a hex digit"},
      {absl::StrCat(kHex.substr(0, 32), " ", kHex.substr(32)), "not a hex digit"},
      {absl::StrReplaceAll(ColonSeparated(kHex), {{"3B:5A", "3B5A:"}}), "32 bytes of 2 digits"},
      {"https://crt.sh/?q=example.com", "names no certificate"},
      {"https://crt.sh/?id=abc", "names no certificate"},
      {"https://crt.sh/", "names no certificate"},
      {absl::StrCat("https://crt.sh/atom?sha256=", kHex), "names no certificate"},
      {absl::StrCat("https://example.com/?sha256=", kHex), "another site than crt.sh"},
      {"serial 03e226", "not a hex digit"},
  };
  for (const Case& c : cases) {
    ASSERT_EQ(parser.Parse(c.line, &record, &reason), LineKind::kMalformed) << c.line;
    EXPECT_THAT(reason, HasSubstr(c.why)) << c.line;
    EXPECT_THAT(reason, HasSubstr(", got '")) << c.line;
  }
}

TEST(Sha256ParserTest, ClassifiesBareAndLabelledLines) {
  EXPECT_EQ(Sha256Parser::Classify(kHex), Sha256Parser::Shape::kBare);
  EXPECT_EQ(Sha256Parser::Classify(ColonSeparated(kHex)), Sha256Parser::Shape::kBare);
  EXPECT_EQ(Sha256Parser::Classify(absl::StrCat("https://crt.sh/?sha256=", kHex)),
            Sha256Parser::Shape::kLabelled);
  EXPECT_EQ(Sha256Parser::Classify("https://crt.sh/?id=5"), Sha256Parser::Shape::kLabelled);
  EXPECT_EQ(Sha256Parser::Classify("03e226"), Sha256Parser::Shape::kOther);
  EXPECT_EQ(Sha256Parser::Classify("https://crt.sh/?q=example.com"), Sha256Parser::Shape::kOther);
}

// `n` fingerprints, one per line, each a variant of kHex.
std::string Fingerprints(int n, absl::string_view before = "") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    absl::StrAppend(&out, before, kHex.substr(0, 62), absl::Hex(i, absl::kZeroPad2), "\n");
  }
  return out;
}

TEST(Sha256DetectTest, ListsOfFingerprintsOrLinksAreSha256) {
  for (const std::string& head : {
           Fingerprints(3),
           absl::StrCat("sha256\r\n", Fingerprints(20)),
           Fingerprints(4, "https://crt.sh/?sha256="),
           absl::StrCat("# incident 1234\nurl\n", Fingerprints(2, "https://crt.sh/?sha256="),
                        "https://crt.sh/?id=12345\n", Fingerprints(2)),
           absl::StrCat(ColonSeparated(kHex), "\n", ColonSeparated(kHex), "\n"),
           std::string("https://crt.sh/?id=1\nhttps://crt.sh/?id=2\n"),
       }) {
    const absl::StatusOr<DumpFormat> f = DetectFormat(head);
    ASSERT_TRUE(f.ok()) << head << ": " << f.status();
    EXPECT_EQ(*f, DumpFormat::kSha256) << head;
  }
}

TEST(Sha256DetectTest, LinksWinAMajorityOverADamagedLine) {
  const absl::StatusOr<DumpFormat> f =
      DetectFormat(absl::StrCat("junk line\n", Fingerprints(5, "https://crt.sh/?sha256=")));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kSha256);
}

TEST(Sha256DetectTest, SerialsWithAFewLongOnesStaySerials) {
  const absl::StatusOr<DumpFormat> f =
      DetectFormat(absl::StrCat("serial\n03e226\n04aa\n0x0087654321\n", Fingerprints(1)));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, DumpFormat::kSerials);
}

TEST(Sha256DetectTest, BareFingerprintsMixedWithOtherLinesAreRefusedNamingBoth) {
  for (const std::string& head : {
           absl::StrCat("03e226\n04aa\n", Fingerprints(2)),  // short serials and 64-digit ones
           absl::StrCat(Fingerprints(5), "junk line\n"),     // a damaged fingerprint list
       }) {
    const absl::StatusOr<DumpFormat> f = DetectFormat(head);
    ASSERT_FALSE(f.ok()) << head;
    EXPECT_THAT(f.status().message(), HasSubstr("like sha256")) << head;
    EXPECT_THAT(f.status().message(),
                HasSubstr("say which with --dump-format sha256 or --dump-format serials"))
        << head;
  }
}

TEST(Sha256DetectTest, MakeParserAndFormatNameKnowSha256) {
  EXPECT_EQ(FormatName(DumpFormat::kSha256), "sha256");
  EXPECT_EQ(*FormatByName("sha256"), DumpFormat::kSha256);
  EXPECT_THAT(KnownFormatNames(), HasSubstr("sha256"));
  const absl::StatusOr<std::unique_ptr<DumpParser>> parser = MakeParser(DumpFormat::kSha256, {});
  ASSERT_TRUE(parser.ok());
  EXPECT_TRUE((*parser)->fields().sha256);
}

}  // namespace
}  // namespace serialmatch::dump
