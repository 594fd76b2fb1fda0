#include "src/report/report.h"

#include <memory>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::report {
namespace {

using match::Finding;
using ::testing::HasSubstr;
using ::testing::Not;

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

TEST(ReportTest, RevocationTimeAndReasonInEveryFormat) {
  Finding f;
  f.status = match::FindingStatus::kRevoked;
  f.kind = match::FindingKind::kSerial;
  f.match = match::MatchType::kSerial;
  f.input = "04aa";
  f.serial = "04aa";
  f.dump_path = "r10.crl";
  f.dump_line = 7;
  f.inventory_path = "s.txt";
  f.inventory_line = 1;
  f.revoked_at = "2024-07-30T12:00:00Z";
  f.revocation_reason = "keyCompromise";
  const std::string jsonl = RenderReport({f}, ReportFormat::kJsonl, {});
  EXPECT_THAT(jsonl, HasSubstr("\"status\":\"revoked\""));
  EXPECT_THAT(jsonl, HasSubstr("\"revoked_at\":\"2024-07-30T12:00:00Z\","
                               "\"revocation_reason\":\"keyCompromise\""));
  const std::string csv = RenderReport({f}, ReportFormat::kCsv, {});
  EXPECT_THAT(csv, HasSubstr(",revoked_at,revocation_reason,"));
  EXPECT_THAT(csv, HasSubstr(",2024-07-30T12:00:00Z,keyCompromise,"));
  const std::string text = RenderReport({f}, ReportFormat::kText, {});
  EXPECT_THAT(text, HasSubstr("REVOKED"));
  EXPECT_THAT(text, HasSubstr("2024-07-30T12:00:00Z keyCompromise"));
  // Without a revocation among the findings, the text table has no REVOKED column.
  f.revoked_at.reset();
  f.revocation_reason.reset();
  EXPECT_THAT(RenderReport({f}, ReportFormat::kText, {}), Not(HasSubstr("REVOKED")));
}

TEST(ReportTest, JsonlIsExactAndSortedDomainsFirst) {
  EXPECT_EQ(RenderReport(TwoFindings(), ReportFormat::kJsonl, {}),
            "{\"status\":\"listed\",\"kind\":\"domain\",\"input\":\"München.de\","
            "\"name\":\"xn--mnchen-3ya.de\",\"match\":\"exact\",\"serial\":\"04aa\","
            "\"dump\":\"dump.txt\",\"dump_line\":3,\"names\":[\"xn--mnchen-3ya.de\",\"a,\\\"b\"],"
            "\"issued_at\":null,\"not_after\":null,\"account\":null,\"issuer\":null,"
            "\"cert_sha256\":null,\"precert_sha256\":null,\"revoked_at\":null,"
            "\"revocation_reason\":null,\"inventory\":\"d.csv:2\",\"reason\":null,"
            "\"certificate\":null}\n"
            "{\"status\":\"affected\",\"kind\":\"serial\",\"input\":\"03:E2:26\",\"name\":null,"
            "\"match\":\"serial\",\"serial\":\"03e226\",\"dump\":\"dump.txt\",\"dump_line\":9,"
            "\"names\":[\"a.example\"],\"issued_at\":\"2019-12-03T21:08:34Z\","
            "\"not_after\":\"2020-03-02T21:08:34Z\",\"account\":\"131\","
            "\"issuer\":\"C=US, O=Let's Encrypt, CN=R3\",\"cert_sha256\":\"ab12\","
            "\"precert_sha256\":null,\"revoked_at\":null,\"revocation_reason\":null,"
            "\"inventory\":\"s.txt:1\",\"reason\":null,\"certificate\":null}\n");
}

ReportSummary SummaryWithUnchecked() {
  ReportSummary summary;
  summary.dumps = 1;
  summary.records = 100;
  summary.malformed = 2;
  summary.inputs.push_back(
      {"dump", "dump.txt", 100, {{"malformed_lines", 2}, {"invalid_names", 1}}});
  summary.inputs.push_back({"domains", "d.csv", 7, {}});
  return summary;
}

TEST(ReportTest, JsonDocumentHasSummaryWithWhatWasNotChecked) {
  const std::string json = RenderReport(TwoFindings(), ReportFormat::kJson, SummaryWithUnchecked());
  EXPECT_THAT(json, HasSubstr("\"summary\":{\"dumps\":1,\"records\":100,\"malformed\":2,"
                              "\"findings\":2,\"not_checked\":3,\"inputs\":["
                              "{\"kind\":\"dump\",\"path\":\"dump.txt\",\"entries\":100,"
                              "\"not_checked\":3,\"skipped\":0,\"reasons\":{\"malformed_lines\":2,"
                              "\"invalid_names\":1}},"
                              "{\"kind\":\"domains\",\"path\":\"d.csv\",\"entries\":7,"
                              "\"not_checked\":0,\"skipped\":0,\"reasons\":{}}],"
                              "\"crls\":[]}}"));
  EXPECT_EQ(RenderReport({}, ReportFormat::kJson, {}),
            "{\"findings\":[],\"summary\":{\"dumps\":0,\"records\":0,\"malformed\":0,"
            "\"findings\":0,\"not_checked\":0,\"inputs\":[],\"crls\":[]}}\n");
}

TEST(ReportTest, JsonSummaryDescribesEachCrl) {
  ReportSummary summary;
  match::CrlVerdict& v = summary.crls.emplace_back();
  v.path = "r10.crl";
  v.issuer = "C=US, O=\"Let's Encrypt\", CN=R10";
  v.crl_number = "1234";
  v.this_update = absl::FromUnixSeconds(1722340800);
  v.entries = 3;
  v.signature = match::CrlSignature::kInvalid;
  v.signature_note = "not signed by the key of the issuer certificate r10.pem:1";
  v.stale = true;
  EXPECT_THAT(RenderReport({}, ReportFormat::kJson, summary),
              HasSubstr("\"crls\":[{\"path\":\"r10.crl\",\"pem_line\":null,"
                        "\"issuer\":\"C=US, O=\\\"Let's Encrypt\\\", CN=R10\","
                        "\"authority_key_id\":null,\"crl_number\":\"1234\",\"delta\":false,"
                        "\"this_update\":\"2024-07-30T12:00:00Z\",\"next_update\":null,"
                        "\"entries\":3,\"distribution_points\":[],\"signature\":\"invalid\","
                        "\"signature_note\":\"not signed by the key of the issuer certificate "
                        "r10.pem:1\",\"stale\":true,\"problems\":[]}]"));
}

TEST(ReportTest, TextNeverSaysNoFindingsWithoutWhatWasNotChecked) {
  EXPECT_EQ(RenderReport({}, ReportFormat::kText, {}),
            "No findings: nothing in the inventory is in the dump.\n");
  const std::string text = RenderReport({}, ReportFormat::kText, SummaryWithUnchecked());
  EXPECT_THAT(text, Not(HasSubstr("nothing in the inventory is in the dump")));
  EXPECT_EQ(text,
            "No findings among the entries checked.\n"
            "Not checked: 3 entries (dump.txt: 2 malformed lines, 1 invalid name); see standard "
            "error.\n");
  EXPECT_THAT(RenderReport(TwoFindings(), ReportFormat::kText, SummaryWithUnchecked()),
              HasSubstr("Not checked: 3 entries"));
}

TEST(ReportTest, EndpointErrorHasNullsForTheRecordItDoesNotHave) {
  Finding error;
  error.status = match::FindingStatus::kError;
  error.kind = match::FindingKind::kEndpoint;
  error.input = "www.example.com:443";
  error.inventory_path = "e.txt";
  error.inventory_line = 4;
  error.reason = "connection refused";
  EXPECT_EQ(RenderReport({error}, ReportFormat::kJsonl, {}),
            "{\"status\":\"error\",\"kind\":\"endpoint\",\"input\":\"www.example.com:443\","
            "\"name\":null,\"match\":null,\"serial\":null,\"dump\":null,\"dump_line\":null,"
            "\"names\":null,\"issued_at\":null,\"not_after\":null,\"account\":null,"
            "\"issuer\":null,\"cert_sha256\":null,\"precert_sha256\":null,"
            "\"revoked_at\":null,\"revocation_reason\":null,\"inventory\":\"e.txt:4\",\"reason\":"
            "\"connection refused\",\"certificate\":null}\n");
  const std::string csv = RenderReport({error}, ReportFormat::kCsv, {});
  EXPECT_THAT(csv, HasSubstr("\nerror,endpoint,www.example.com:443,,,,,,,"));
  const std::string text = RenderReport({error}, ReportFormat::kText, {});
  EXPECT_THAT(text, Not(HasSubstr("exact")));
  EXPECT_THAT(text, Not(HasSubstr(":0")));
}

TEST(ReportTest, TextAndCsvEscapeWhatTheDumpControls) {
  std::vector<Finding> findings = TwoFindings();
  findings[0].names = {"evil\x1b]0;pwned\x07.example",
                       "bidi\xe2\x80\xae"
                       "example"};
  findings[0].issuer =
      "CA\x9b"
      "2J";  // a raw C1 byte, not UTF-8
  findings[1].reason =
      "x\xc2\x9b"
      "y\rz";  // U+009B CSI, and a carriage return
  for (const ReportFormat format : {ReportFormat::kText, ReportFormat::kCsv}) {
    const std::string out = RenderReport(findings, format, {});
    for (const char c : out) {
      const unsigned char u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u == '\n' || (u >= 0x20 && u != 0x7f)) << "byte " << int{u};
    }
    EXPECT_THAT(out, Not(HasSubstr("\xc2\x9b")));
    EXPECT_THAT(out, Not(HasSubstr("\xe2\x80\xae")));
    EXPECT_THAT(out, HasSubstr("evil\\x1b]0;pwned\\x07.example"));
  }
  EXPECT_THAT(RenderReport(findings, ReportFormat::kCsv, {}), HasSubstr("CA\\x9b2J"));
  EXPECT_THAT(RenderReport(findings, ReportFormat::kText, {}), HasSubstr("x\\x9by\\x0dz"));
}

TEST(EscapeForTerminalTest, KeepsPrintableUtf8EscapesTheRest) {
  EXPECT_EQ(EscapeForTerminal("www.münchen.de"), "www.münchen.de");
  EXPECT_EQ(EscapeForTerminal("a\tb\x1b[2J"), "a\\x09b\\x1b[2J");
  EXPECT_EQ(EscapeForTerminal("back\\slash"), "back\\\\slash");
  EXPECT_EQ(EscapeForTerminal("\x7f\xff\xc3"), "\\x7f\\xff\\xc3");
  EXPECT_EQ(EscapeForTerminal("\xc2\x85"), "\\x85");            // U+0085, a C1 control
  EXPECT_EQ(EscapeForTerminal("\xe2\x81\xa6x"), "\\u{2066}x");  // left-to-right isolate
  EXPECT_EQ(EscapeForTerminal(absl::string_view("a\0b", 3)), "a\\x00b");
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

// A certificate finding with `renew` (empty: none) and `note`, from `input`.
Finding CertificateWith(absl::string_view input, absl::string_view renew, absl::string_view note,
                        match::FindingStatus status = match::FindingStatus::kAffected) {
  Finding f;
  f.status = status;
  f.kind = match::FindingKind::kCertificate;
  f.input = std::string(input);
  f.inventory_path = std::string(input);
  f.inventory_line = 1;
  f.serial = "0a";
  f.dump_path = "dump.txt";
  f.dump_line = 1;
  auto facts = std::make_shared<match::CertificateFacts>();
  facts->serial = "0a";
  facts->store = "certbot";
  facts->renew = std::string(renew);
  facts->renew_note = std::string(note);
  f.certificate = facts;
  return f;
}

TEST(ReportTest, PlanGivesEachCommandOnceAndNoTextOutsideComments) {
  std::vector<Finding> findings = {
      CertificateWith("live/a/cert.pem", "certbot renew --cert-name a --force-renewal",
                      "lineage a"),
      CertificateWith("live/a/cert.pem", "certbot renew --cert-name a --force-renewal", "lineage a",
                      match::FindingStatus::kMismatch),
      CertificateWith("evil\nrm -rf /\r#", "", "no known store for evil\nrm -rf /"),
      // Replaced: nothing to do, so no command.
      CertificateWith("live/b/cert.pem", "certbot renew --cert-name b --force-renewal", "lineage b",
                      match::FindingStatus::kReplaced)};
  SortFindings(&findings);
  const std::string plan = RenderReport(findings, ReportFormat::kPlan, {});
  std::vector<std::string> commands;
  for (absl::string_view line : absl::StrSplit(plan, '\n', absl::SkipEmpty())) {
    if (line[0] != '#') commands.emplace_back(line);
  }
  EXPECT_THAT(commands, ::testing::ElementsAre("certbot renew --cert-name a --force-renewal"));
  EXPECT_THAT(plan, HasSubstr("#   affected: evil\\x0arm -rf /\\x0d#"));
  EXPECT_THAT(plan, HasSubstr("# 1 command for 2 findings; 1 certificate finding without a "
                              "command (at the end)"));
  EXPECT_THAT(plan, Not(HasSubstr("--cert-name b")));
}

TEST(ReportTest, RenewFieldsOnlyForFindingsThatNeedAction) {
  std::vector<Finding> findings = {
      CertificateWith("a.pem", "certbot renew --cert-name a --force-renewal", "lineage a"),
      CertificateWith("b.pem", "certbot renew --cert-name b --force-renewal", "lineage b",
                      match::FindingStatus::kReplaced)};
  SortFindings(&findings);
  const std::string jsonl = RenderReport(findings, ReportFormat::kJsonl, {});
  EXPECT_THAT(jsonl, HasSubstr("\"store\":\"certbot\",\"renew\":\"certbot renew --cert-name a "
                               "--force-renewal\",\"renew_note\":\"lineage a\"}"));
  EXPECT_THAT(jsonl, HasSubstr("\"store\":\"certbot\",\"renew\":null,\"renew_note\":null}"));
  const std::string csv = RenderReport(findings, ReportFormat::kCsv, {});
  EXPECT_THAT(csv, HasSubstr(",certbot,certbot renew --cert-name a --force-renewal,lineage a\n"));
  EXPECT_THAT(csv, HasSubstr(",certbot,,\n"));
}

// TwoFindings() with a state that holds the serial finding (second in report order) but not the
// domain one.
ReportSummary WithState(bool only_new) {
  ReportSummary summary;
  StateSummary& state = summary.state.emplace();
  state.path = "/var/lib/serialmatch/state.json";
  state.previous_run = absl::FromUnixSeconds(1796112000);  // 2026-12-01T08:00:00Z
  state.only_new = only_new;
  state.is_new = {true, false};
  state.new_findings = 1;
  state.unchanged = 1;
  state.resolved = 2;
  return summary;
}

TEST(ReportTest, NewFieldInEveryFormatWithAState) {
  const std::vector<Finding> findings = TwoFindings();
  const ReportSummary summary = WithState(/*only_new=*/false);
  const std::vector<std::string> jsonl = absl::StrSplit(
      RenderReport(findings, ReportFormat::kJsonl, summary), '\n', absl::SkipEmpty());
  ASSERT_EQ(jsonl.size(), 2u);
  EXPECT_THAT(jsonl[0], HasSubstr("{\"status\":\"listed\",\"new\":true,\"kind\":\"domain\""));
  EXPECT_THAT(jsonl[1], HasSubstr("{\"status\":\"affected\",\"new\":false,\"kind\":\"serial\""));

  const std::string json = RenderReport(findings, ReportFormat::kJson, summary);
  EXPECT_THAT(json, HasSubstr("\"new\":true,"));
  EXPECT_THAT(json, HasSubstr("\"new\":false,"));
  EXPECT_THAT(json, HasSubstr(",\"state\":{\"path\":\"/var/lib/serialmatch/state.json\","
                              "\"previous_run\":\"2026-12-01T08:00:00Z\",\"only_new\":false,"
                              "\"new\":1,\"unchanged\":1,\"resolved\":2}}}\n"));

  const std::vector<std::string> csv =
      absl::StrSplit(RenderReport(findings, ReportFormat::kCsv, summary), '\n', absl::SkipEmpty());
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_THAT(csv[0], ::testing::EndsWith(",certificate_renew_note,new"));
  EXPECT_THAT(csv[1], ::testing::EndsWith(",true"));
  EXPECT_THAT(csv[2], ::testing::EndsWith(",false"));

  const std::vector<std::string> text =
      absl::StrSplit(RenderReport(findings, ReportFormat::kText, summary), '\n', absl::SkipEmpty());
  ASSERT_EQ(text.size(), 4u);
  EXPECT_THAT(text[0], ::testing::StartsWith("NEW  STATUS"));
  EXPECT_THAT(text[1], ::testing::StartsWith("new  listed"));
  EXPECT_THAT(text[2], ::testing::StartsWith("-    affected"));
  EXPECT_EQ(text[3],
            "Since the last run (2026-12-01T08:00:00Z): 1 new, 1 as before, 2 no longer found.");
}

TEST(ReportTest, WithoutAStateTheOutputHasNoNewField) {
  const std::vector<Finding> findings = TwoFindings();
  for (const ReportFormat format : {ReportFormat::kJson, ReportFormat::kJsonl, ReportFormat::kCsv,
                                    ReportFormat::kText, ReportFormat::kPlan}) {
    const std::string out = RenderReport(findings, format, {});
    EXPECT_THAT(out, Not(HasSubstr("\"new\"")));
    EXPECT_THAT(out, Not(HasSubstr(",new")));
    EXPECT_THAT(out, Not(HasSubstr("NEW")));
    EXPECT_THAT(out, Not(HasSubstr("\"state\"")));
    EXPECT_THAT(out, Not(HasSubstr("last run")));
  }
}

TEST(ReportTest, OnlyNewWithNothingNewSaysSoInsteadOfNoFindings) {
  ReportSummary summary = WithState(/*only_new=*/true);
  summary.state->is_new.clear();
  summary.state->new_findings = 0;
  summary.state->unchanged = 2;
  summary.state->resolved = 0;
  EXPECT_EQ(RenderReport({}, ReportFormat::kText, summary),
            "No new findings.\nSince the last run (2026-12-01T08:00:00Z): 0 new, 2 as before "
            "(not shown: --only-new), 0 no longer found.\n");
  EXPECT_THAT(RenderReport({}, ReportFormat::kJson, summary), HasSubstr("\"findings\":0,"));
  EXPECT_EQ(RenderReport({}, ReportFormat::kJsonl, summary), "");
  // A first run has no earlier one to compare with.
  summary.state->previous_run.reset();
  summary.state->unchanged = 0;
  EXPECT_EQ(RenderReport({}, ReportFormat::kText, summary),
            "No findings: nothing in the inventory is in the dump.\nNo earlier run in the state "
            "file, every finding is new: 0 new, 0 as before, 0 no longer found.\n");
  EXPECT_THAT(RenderReport({}, ReportFormat::kJson, summary), HasSubstr("\"previous_run\":null,"));
}

TEST(ReportTest, PlanMarksNewFindings) {
  std::vector<Finding> findings = TwoFindings();
  ReportSummary summary = WithState(/*only_new=*/false);
  const std::string plan = RenderReport(findings, ReportFormat::kPlan, summary);
  // Neither has a certificate: both are counted, not listed; a certificate finding is.
  Finding cert = findings[1];
  cert.kind = match::FindingKind::kCertificate;
  auto facts = std::make_shared<match::CertificateFacts>();
  facts->renew = "certbot renew --cert-name a.example --force-renewal";
  facts->renew_note = "certbot lineage a.example";
  cert.certificate = facts;
  summary.state->is_new = {true};
  EXPECT_THAT(RenderReport({cert}, ReportFormat::kPlan, summary),
              HasSubstr("#   affected: 03:E2:26, serial 03e226, dump.txt:9, new\n"));
  summary.state->is_new = {false};
  EXPECT_THAT(RenderReport({cert}, ReportFormat::kPlan, summary),
              HasSubstr("#   affected: 03:E2:26, serial 03e226, dump.txt:9\n"));
  EXPECT_THAT(plan, HasSubstr("2 domain or serial findings need action too"));
}

TEST(ReportFormatTest, Names) {
  EXPECT_EQ(*ReportFormatByName("plan"), ReportFormat::kPlan);
  EXPECT_EQ(*ReportFormatByName("jsonl"), ReportFormat::kJsonl);
  EXPECT_FALSE(ReportFormatByName("xml").ok());
}

}  // namespace
}  // namespace serialmatch::report
