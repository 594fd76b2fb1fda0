#include "src/report/report.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::report {
namespace {

using match::Finding;
using ::testing::HasSubstr;

std::vector<Finding> TwoFindings() {
  Finding serial;
  serial.status = match::FindingStatus::kAffected;
  serial.kind = match::FindingKind::kSerial;
  serial.match = match::MatchType::kSerial;
  serial.input = "03:E2:26";
  serial.inventory_path = "s.txt";
  serial.inventory_line = 1;
  serial.serial = "03e226";
  serial.dump_path = "dump.txt";
  serial.dump_line = 9;
  serial.names = {"a.example"};
  serial.issued_at = "2019-12-03T21:08:34Z";
  serial.account = "131";
  serial.not_after = "2020-03-02T21:08:34Z";
  serial.issuer = "C=US, O=Let's Encrypt, CN=R3";
  serial.cert_sha256 = "ab12";
  Finding domain;
  domain.input = "München.de";
  domain.inventory_path = "d.csv";
  domain.inventory_line = 2;
  domain.name = "xn--mnchen-3ya.de";
  domain.serial = "04aa";
  domain.dump_path = "dump.txt";
  domain.dump_line = 3;
  domain.names = {"xn--mnchen-3ya.de", "a,\"b"};
  std::vector<Finding> findings = {serial, domain};
  SortFindings(&findings);
  return findings;
}

TEST(ReportTest, JsonlIsExactAndSortedDomainsFirst) {
  EXPECT_EQ(RenderReport(TwoFindings(), ReportFormat::kJsonl, {}),
            "{\"status\":\"listed\",\"kind\":\"domain\",\"input\":\"München.de\","
            "\"name\":\"xn--mnchen-3ya.de\",\"match\":\"exact\",\"serial\":\"04aa\","
            "\"dump\":\"dump.txt\",\"dump_line\":3,\"names\":[\"xn--mnchen-3ya.de\",\"a,\\\"b\"],"
            "\"issued_at\":null,\"not_after\":null,\"account\":null,\"issuer\":null,"
            "\"cert_sha256\":null,\"precert_sha256\":null,\"inventory\":\"d.csv:2\",\"reason\":null,\"certificate\":null}\n"
            "{\"status\":\"affected\",\"kind\":\"serial\",\"input\":\"03:E2:26\",\"name\":null,"
            "\"match\":\"serial\",\"serial\":\"03e226\",\"dump\":\"dump.txt\",\"dump_line\":9,"
            "\"names\":[\"a.example\"],\"issued_at\":\"2019-12-03T21:08:34Z\","
            "\"not_after\":\"2020-03-02T21:08:34Z\",\"account\":\"131\","
            "\"issuer\":\"C=US, O=Let's Encrypt, CN=R3\",\"cert_sha256\":\"ab12\","
            "\"precert_sha256\":null,\"inventory\":\"s.txt:1\",\"reason\":null,\"certificate\":null}\n");
}

TEST(ReportTest, JsonDocumentHasSummary) {
  const std::string json = RenderReport(TwoFindings(), ReportFormat::kJson, {1, 100, 2});
  EXPECT_THAT(json, HasSubstr("\"summary\":{\"dumps\":1,\"records\":100,\"malformed\":2,"
                              "\"findings\":2}}"));
  EXPECT_EQ(RenderReport({}, ReportFormat::kJson, {}),
            "{\"findings\":[],\"summary\":{\"dumps\":0,\"records\":0,\"malformed\":0,"
            "\"findings\":0}}\n");
}

TEST(ReportTest, CsvQuotesFields) {
  const std::string csv = RenderReport(TwoFindings(), ReportFormat::kCsv, {});
  EXPECT_THAT(csv, HasSubstr("status,kind,input,name,match,serial,dump,dump_line,names,"));
  EXPECT_THAT(csv, HasSubstr(",\"xn--mnchen-3ya.de a,\"\"b\","));
}

TEST(ReportTest, TextTableHasHeaderAndRows) {
  const std::string text = RenderReport(TwoFindings(), ReportFormat::kText, {});
  EXPECT_THAT(text, HasSubstr("STATUS"));
  EXPECT_THAT(text, HasSubstr("dump.txt:9"));
  EXPECT_THAT(RenderReport({}, ReportFormat::kText, {}), HasSubstr("No findings"));
}

TEST(JsonQuoteTest, EscapesControlAndInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\u000a\\u0001\"");
  EXPECT_EQ(JsonQuote("ü"), "\"ü\"");
  EXPECT_EQ(JsonQuote("\xff"
                      "x\xc3"),
            "\"\\ufffdx\\ufffd\"");
  EXPECT_EQ(JsonQuote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // UTF-16 surrogate
}

TEST(ReportFormatTest, Names) {
  EXPECT_EQ(*ReportFormatByName("jsonl"), ReportFormat::kJsonl);
  EXPECT_FALSE(ReportFormatByName("xml").ok());
}

}  // namespace
}  // namespace serialmatch::report
