#include "src/dump/csv_parsers.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr absl::string_view kLe2022 =
    "123456,\"03e1ce2c0324f9ca93417fc8886f87f34857\",\"2022-02-25T18:25:29Z\","
    "\"letsencrypt.org\",\"www.letsencrypt.org\"";

TEST(Le2022CsvParserTest, ParsesAllFields) {
  Le2022CsvParser parser;
  DumpRecord record;
  std::string reason;
  ASSERT_EQ(parser.Parse(kLe2022, &record, &reason), LineKind::kRecord) << reason;
  EXPECT_EQ(record.account, "123456");
  EXPECT_EQ(record.serial, "03e1ce2c0324f9ca93417fc8886f87f34857");
  EXPECT_EQ(record.not_after, "2022-02-25T18:25:29Z");
  EXPECT_TRUE(record.issued_at.empty());  // the 2022 list gives the expiry, not the issue time
  EXPECT_THAT(record.names(), ElementsAre("letsencrypt.org", "www.letsencrypt.org"));
}

TEST(Le2022CsvParserTest, UnquotedFieldsAndNoNames) {
  Le2022CsvParser parser;
  DumpRecord record;
  std::string reason;
  ASSERT_EQ(parser.Parse("7,3E:1C,2022-02-25T18:25:29Z", &record, &reason), LineKind::kRecord)
      << reason;
  EXPECT_EQ(record.serial, "3e1c");
  EXPECT_THAT(record.names(), IsEmpty());
}

TEST(Le2022CsvParserTest, BadLines) {
  Le2022CsvParser parser;
  DumpRecord record;
  std::string reason;
  EXPECT_EQ(parser.Parse("", &record, &reason), LineKind::kSkip);
  EXPECT_EQ(parser.Parse("123456,\"03e1\"", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("found 2 fields"));
  EXPECT_EQ(parser.Parse("abc,03e1,2022-02-25T18:25:29Z", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("account id"));
  EXPECT_EQ(parser.Parse("1,xyz,2022-02-25T18:25:29Z", &record, &reason), LineKind::kMalformed);
  EXPECT_EQ(parser.Parse("1,03e1,yesterday", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("expiry"));
  EXPECT_EQ(parser.Parse("1,\"03e1,2022-02-25T18:25:29Z", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("not closed"));
}

// The serial-only read gives the serial the whole parse gives, and answers as it does for lines
// whose serial cannot be read; a line whose serial reads is a record whatever follows the serial.
TEST(Le2022CsvParserTest, ParseSerialGivesTheSerialParseGives) {
  const Le2022CsvParser parser;
  const std::vector<std::string> serials = {"03e1ce2c0324f9ca93417fc8886f87f34857",
                                            "\"03e1ce2c0324f9ca93417fc8886f87f34857\"",
                                            "3E1C",
                                            "\"3E1C\"",
                                            "0003e1",
                                            "\"00\"",
                                            "3e:1c",
                                            "\"3E:1C\"",
                                            "0x3e1c",
                                            "-03e1",
                                            "\" 03e1 \"",
                                            " 03e1",
                                            "\"03e1\"\"x\"",
                                            "\"03e1",
                                            "03e1\"",
                                            "xyz",
                                            "\"\"",
                                            "",
                                            std::string(80, 'a'),
                                            "\"" + std::string(64, 'F') + "\""};
  const std::vector<std::string> accounts = {"123456", "7", " 7", "abc", "", "#1"};
  const std::vector<std::string> rests = {
      ",\"2022-02-25T18:25:29Z\",\"letsencrypt.org\",\"www.letsencrypt.org\"",
      ",2022-02-25T18:25:29Z",
      ",yesterday,a.example",
      ",\"2022-02-25T18:25:29Z",
      "",
      ","};
  int fast = 0;
  for (const std::string& account : accounts) {
    for (const std::string& serial : serials) {
      for (const std::string& rest : rests) {
        const std::string line = account + "," + serial + rest;
        DumpRecord whole, alone;
        std::string whole_reason, alone_reason;
        const LineKind want = parser.Parse(line, &whole, &whole_reason);
        const LineKind got = parser.ParseSerial(line, &alone, &alone_reason);
        if (want == LineKind::kRecord) {
          ASSERT_EQ(got, LineKind::kRecord) << line;
          EXPECT_EQ(alone.serial, whole.serial) << line;
          ++fast;
        } else if (got == LineKind::kRecord) {
          // Allowed only when the serial itself is what Parse would have read.
          const std::string usual = account + "," + serial + ",2022-02-25T18:25:29Z";
          DumpRecord serial_only;
          std::string reason;
          ASSERT_EQ(parser.Parse(usual, &serial_only, &reason), LineKind::kRecord) << line;
          EXPECT_EQ(alone.serial, serial_only.serial) << line;
        } else {
          EXPECT_EQ(got, want) << line;
          EXPECT_EQ(alone_reason, whole_reason) << line;
        }
      }
    }
  }
  EXPECT_GT(fast, 50);
}

TEST(Le2022CsvParserTest, CommentLinesAreSkippedNotMalformed) {
  Le2022CsvParser parser;
  DumpRecord record;
  std::string reason;
  for (absl::string_view line : {"# account,serial,expiry,names", " #", "#123456,\"03e1\""}) {
    EXPECT_EQ(parser.Parse(line, &record, &reason), LineKind::kSkip) << line;
  }
  EXPECT_EQ(parser.Parse("1 # 03e1", &record, &reason), LineKind::kMalformed);
}

TEST(Le2022CsvParserTest, RecordsCarrySerialAndNamesButNoIssueTime) {
  const Le2022CsvParser parser;
  EXPECT_EQ(parser.fields(), (RecordFields{.serial = true, .names = true}));
}

TEST(Le2022CsvParserTest, Looks) {
  EXPECT_TRUE(Le2022CsvParser::Looks(kLe2022));
  EXPECT_TRUE(Le2022CsvParser::Looks("1,03e1,2022-02-25T18:25:29Z"));
  EXPECT_FALSE(Le2022CsvParser::Looks("domain,owner"));
  EXPECT_FALSE(Le2022CsvParser::Looks("03e226"));
}

constexpr absl::string_view kCcadbHeader =
    "Precertificate SHA-256 hash,Certificate SHA-256 hash,Subject,Issuer,Not before,Not after,"
    "Serial #,dNSNames,Is revoked?,Revocation date,Revocation reason";

TEST(CcadbCsvParserTest, ParsesRowByHeaderNames) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = CcadbCsvParser::Create(kCcadbHeader);
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  const std::string row =
      "aa11,bb22,\"CN=a.example\",\"C=US, O=DigiCert Inc, CN=DigiCert TLS RSA SHA256 2020 CA1\","
      "2024-07-01T00:00:00Z,2025-07-01T23:59:59Z,0A:BC:DE,\"a.example, www.a.example\",TRUE,"
      "2024-07-31,superseded";
  ASSERT_EQ((*parser)->Parse(row, &record, &reason), LineKind::kRecord) << reason;
  EXPECT_EQ(record.serial, "0abcde");
  EXPECT_EQ(record.issuer, "C=US, O=DigiCert Inc, CN=DigiCert TLS RSA SHA256 2020 CA1");
  EXPECT_EQ(record.issued_at, "2024-07-01T00:00:00Z");
  EXPECT_EQ(record.not_after, "2025-07-01T23:59:59Z");
  EXPECT_EQ(record.cert_sha256, "bb22");
  EXPECT_EQ(record.precert_sha256, "aa11");
  EXPECT_THAT(record.names(), ElementsAre("a.example", "www.a.example"));
  EXPECT_EQ((*parser)->Parse(kCcadbHeader, &record, &reason), LineKind::kSkip);
}

TEST(CcadbCsvParserTest, AnotherHeaderIsSkippedOnlyWhenItNamesTheSameColumns) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Serial #,dNSNames,Not Before");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  // Spelled otherwise, same columns: a header of a concatenated export.
  EXPECT_EQ((*parser)->Parse("serial number,DNS Names,not_before", &record, &reason),
            LineKind::kSkip)
      << reason;
  // Other columns: the rows after it would be misread, which must be said.
  EXPECT_EQ((*parser)->Parse("dNSNames,Serial #,Not Before", &record, &reason),
            LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("a header naming other columns than the first one"));
  EXPECT_EQ((*parser)->Parse("Serial #,dNSNames", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("a header naming other columns than the first one"));
  // A row with a bad serial is still a bad serial.
  EXPECT_EQ((*parser)->Parse("zz,a.example,2024-07-01", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, Not(HasSubstr("header")));
}

TEST(CcadbCsvParserTest, FingerprintAloneIsARecord) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Precertificate SHA-256 hash,Certificate SHA-256 hash,Notes");
  ASSERT_TRUE(parser.ok()) << parser.status();
  EXPECT_TRUE((*parser)->fields().sha256);
  EXPECT_FALSE((*parser)->fields().serial);
  DumpRecord record;
  std::string reason;
  const std::string sha = std::string(64, 'a');
  const std::string row = ",\"" + sha + "\",x";  // the record views it
  ASSERT_EQ((*parser)->Parse(row, &record, &reason), LineKind::kRecord) << reason;
  EXPECT_EQ(record.cert_sha256, sha);
  EXPECT_EQ((*parser)->Parse(sha + ",,x", &record, &reason), LineKind::kMalformed);
  EXPECT_FALSE(CcadbCsvParser::Create("Notes,Subject").ok());
}

TEST(CcadbCsvParserTest, ToleratesMissingExtraAndReorderedColumns) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = CcadbCsvParser::Create(
      "\xEF\xBB\xBF"
      "Notes,DNSNAMES, serial number \r");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  ASSERT_EQ((*parser)->Parse("x,\"b.example\",03aa\r", &record, &reason), LineKind::kRecord)
      << reason;
  EXPECT_EQ(record.serial, "03aa");
  EXPECT_TRUE(record.issuer.empty());
  EXPECT_THAT(record.names(), ElementsAre("b.example"));
  EXPECT_EQ((*parser)->Parse("x,\";,\",", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("neither a serial, names nor a certificate fingerprint"));
  EXPECT_EQ((*parser)->Parse("only-one-field", &record, &reason), LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("expected at least 3 fields"));
}

TEST(CcadbCsvParserTest, CommentLinesAreSkippedButRowsStartingWithHashAreRows) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Notes,Serial #,dNSNames");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  for (absl::string_view line :
       {"# exported 2024-07-31", "  # Notes,Serial #,dNSNames", "#,zz,x"}) {
    EXPECT_EQ((*parser)->Parse(line, &record, &reason), LineKind::kSkip) << line;
  }
  // A row whose free-text first column starts with '#' is still a row.
  ASSERT_EQ((*parser)->Parse("#12 rotated,03aa,a.example", &record, &reason), LineKind::kRecord)
      << reason;
  EXPECT_EQ(record.serial, "03aa");
  EXPECT_THAT(record.names(), ElementsAre("a.example"));
  EXPECT_EQ((*parser)->Parse("note,zz,a.example", &record, &reason), LineKind::kMalformed);
}

TEST(CcadbCsvParserTest, RecordsCarryWhatTheHeaderNames) {
  struct Case {
    absl::string_view header;
    RecordFields fields;
  };
  const Case cases[] = {
      {kCcadbHeader,
       {.serial = true,
        .names = true,
        .issued_at = true,
        .issuer = true,
        .sha256 = true,
        .revocation = true}},
      {"Serial #,Not after,Revocation date", {.serial = true, .revocation = true}},
      {"Serial #,Revocation reason", {.serial = true, .revocation = true}},
      {"Serial #,Is revoked?", {.serial = true, .revocation = true}},
      {"Serial #,Certificate SHA-256 hash", {.serial = true, .sha256 = true}},
      {"Serial #,Precertificate SHA-256 hash", {.serial = true}},
      {"Notes,dNSNames,Not After", {.names = true}},
      {"Issuer DN,SANs,Valid from", {.names = true, .issued_at = true, .issuer = true}},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = CcadbCsvParser::Create(c.header);
    ASSERT_TRUE(parser.ok()) << c.header << ": " << parser.status();
    EXPECT_EQ((*parser)->fields(), c.fields) << c.header;
  }
}

TEST(CcadbCsvParserTest, IsRevokedYesMakesARevocationWithDateAndReason) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Serial #,Is revoked?,Revocation date,Revocation reason");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  struct Case {
    absl::string_view row;
    absl::string_view revoked_at;  // empty: no revocation
    absl::string_view reason;
  };
  const Case cases[] = {
      {"03aa,yes,2024-07-31T12:00:00Z,keyCompromise", "2024-07-31T12:00:00Z", "keyCompromise"},
      {"03aa,TRUE,7/31/2024 12:00, Key Compromise ", "7/31/2024 12:00", "keyCompromise"},
      {"03aa,Y,2024-07-31,1", "2024-07-31", "keyCompromise"},
      {"03aa,1,2024-07-31,cessation of operation", "2024-07-31", "cessationOfOperation"},
      {"03aa,Yes,2024-07-31,4", "2024-07-31", "superseded"},
      {"03aa,yes,2024-07-31,CA's DCV bug", "2024-07-31", "CA's DCV bug"},  // kept as written
      {"03aa,yes,2024-07-31,", "2024-07-31", ""},
      {"03aa,yes,,", kRevokedAtUnknown, ""},  // revoked, the CA does not say when
      {"03aa,no,2024-07-31,keyCompromise", "", ""},
      {"03aa,FALSE,,", "", ""},
      {"03aa,n,,", "", ""},
      {"03aa,0,,", "", ""},
      {"03aa,,2024-07-31,keyCompromise", "", ""},  // unknown: the column is there and says nothing
  };
  for (const Case& c : cases) {
    ASSERT_EQ((*parser)->Parse(c.row, &record, &reason), LineKind::kRecord) << c.row << reason;
    EXPECT_EQ(record.serial, "03aa");
    EXPECT_EQ(record.revoked_at, c.revoked_at) << c.row;
    EXPECT_EQ(record.revocation_reason, c.reason) << c.row;
  }
}

TEST(CcadbCsvParserTest, UnreadableIsRevokedIsMalformed) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Serial #,dNSNames,Is revoked?");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  for (absl::string_view row : {"03aa,a.example,maybe", "03aa,a.example,revoked", "03aa,,2"}) {
    ASSERT_EQ((*parser)->Parse(row, &record, &reason), LineKind::kMalformed) << row;
    EXPECT_THAT(reason, HasSubstr("Is revoked? is neither yes nor no, got '")) << row;
  }
}

TEST(CcadbCsvParserTest, WithoutIsRevokedARevocationDateMakesARevocation) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Serial #,Revocation date,Revocation reason");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  ASSERT_EQ((*parser)->Parse("03aa, 2024-07-31 ,Superseded", &record, &reason), LineKind::kRecord);
  EXPECT_EQ(record.revoked_at, "2024-07-31");
  EXPECT_EQ(record.revocation_reason, "superseded");
  ASSERT_EQ((*parser)->Parse("03ab,,keyCompromise", &record, &reason), LineKind::kRecord);
  EXPECT_THAT(record.revoked_at, IsEmpty());
  EXPECT_THAT(record.revocation_reason, IsEmpty());  // a reason without a revocation says nothing
}

TEST(CcadbCsvParserTest, CertificateFingerprintIsCarried) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = CcadbCsvParser::Create(kCcadbHeader);
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  ASSERT_EQ((*parser)->Parse("aa11,bb22,CN=a.example,CN=R3,2024-01-01,2024-04-01,03aa,a.example,"
                             "yes,2024-07-31,keyCompromise",
                             &record, &reason),
            LineKind::kRecord)
      << reason;
  EXPECT_EQ(record.precert_sha256, "aa11");
  EXPECT_EQ(record.cert_sha256, "bb22");
  EXPECT_EQ(record.revoked_at, "2024-07-31");
  EXPECT_EQ(record.revocation_reason, "keyCompromise");
}

TEST(CcadbCsvParserTest, RepeatedHeaderWithOtherRevocationColumnsIsSaid) {
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser =
      CcadbCsvParser::Create("Serial #,dNSNames,Is revoked?");
  ASSERT_TRUE(parser.ok()) << parser.status();
  DumpRecord record;
  std::string reason;
  EXPECT_EQ((*parser)->Parse("Serial Number,DNS Names,Is Revoked", &record, &reason),
            LineKind::kSkip);
  ASSERT_EQ((*parser)->Parse("Serial #,dNSNames,Revocation date", &record, &reason),
            LineKind::kMalformed);
  EXPECT_THAT(reason, HasSubstr("a header naming other columns"));
}

TEST(CcadbCsvParserTest, RejectsHeaderWithoutSerialOrNames) {
  EXPECT_FALSE(CcadbCsvParser::Create("domain,owner").ok());
  EXPECT_FALSE(CcadbCsvParser::LooksLikeHeader("03e226"));
  EXPECT_FALSE(CcadbCsvParser::LooksLikeHeader("serial"));  // a serials list's header
  EXPECT_TRUE(CcadbCsvParser::Create("serial").ok());       // but usable when forced
  EXPECT_TRUE(CcadbCsvParser::LooksLikeHeader(kCcadbHeader));
}

}  // namespace
}  // namespace serialmatch::dump
