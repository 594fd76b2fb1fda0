#include "src/cli/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, RendersEveryGaugeWithHelpAndType) {
  RunMetrics m;
  m.dumps = 1;
  m.records = 3048289;
  m.malformed = 7;
  m.bytes = 1390000000;
  m.findings[static_cast<int>(match::FindingStatus::kAffected)] = 2;
  m.findings[static_cast<int>(match::FindingStatus::kListed)] = 5;
  m.findings[static_cast<int>(match::FindingStatus::kError)] = 1;
  m.crls_invalid = 1;
  m.crls_stale = 2;
  m.duration = absl::Milliseconds(1250);
  m.finished = absl::FromUnixSeconds(1700000000);
  m.exit_status = 1;
  m.inputs.push_back({"dump", "a\"b.txt", 3048289, {{"malformed_lines", 7}, {"invalid_names", 2}}});
  m.inputs.push_back({"domains", "mine.csv", 10, {{"invalid_rows", 0}}});
  const std::string text = RenderMetrics(m);
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_not_checked 9\n"));
  EXPECT_THAT(
      text, HasSubstr("# TYPE serialmatch_last_run_input_not_checked gauge\n"
                      "serialmatch_last_run_input_not_checked{kind=\"dump\",input=\"a\\\"b.txt\","
                      "reason=\"malformed_lines\"} 7\n"
                      "serialmatch_last_run_input_not_checked{kind=\"dump\",input=\"a\\\"b.txt\","
                      "reason=\"invalid_names\"} 2\n"
                      "serialmatch_last_run_input_not_checked{kind=\"domains\",input=\"mine.csv\","
                      "reason=\"invalid_rows\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE serialmatch_last_run_findings gauge\n"
                              "serialmatch_last_run_findings{status=\"affected\"} 2\n"
                              "serialmatch_last_run_findings{status=\"listed\"} 5\n"
                              "serialmatch_last_run_findings{status=\"replaced\"} 0\n"
                              "serialmatch_last_run_findings{status=\"warning\"} 0\n"
                              "serialmatch_last_run_findings{status=\"error\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_records 3048289\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_crls{signature=\"invalid\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_stale_crls 2\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_malformed_lines 7\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_bytes 1390000000\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_duration_seconds 1.250\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_exit_status 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_timestamp_seconds 1700000000.000\n"));
  // Every sample line names a metric that has HELP and TYPE lines before it.
  size_t samples = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line[0] == '#') continue;
    ++samples;
    const std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_THAT(text, HasSubstr("# HELP " + name + " ")) << name;
    EXPECT_THAT(text, HasSubstr("# TYPE " + name + " gauge\n")) << name;
  }
  EXPECT_EQ(samples, 22u);  // seven statuses and three CRL signature states among them
}

TEST(MetricsTest, NewAndResolvedFindingsOnlyWithAState) {
  RunMetrics m;
  m.findings[static_cast<int>(match::FindingStatus::kRevoked)] = 3;
  EXPECT_THAT(RenderMetrics(m), Not(HasSubstr("new_findings")));
  EXPECT_THAT(RenderMetrics(m), Not(HasSubstr("resolved_findings")));
  m.state = true;
  m.new_findings[static_cast<int>(match::FindingStatus::kRevoked)] = 1;
  m.resolved_findings = 4;
  const std::string text = RenderMetrics(m);
  EXPECT_THAT(text, HasSubstr("# TYPE serialmatch_last_run_new_findings gauge\n"
                              "serialmatch_last_run_new_findings{status=\"affected\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_new_findings{status=\"revoked\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nserialmatch_last_run_findings{status=\"revoked\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE serialmatch_last_run_resolved_findings gauge\n"
                              "serialmatch_last_run_resolved_findings 4\n"));
}

}  // namespace
}  // namespace serialmatch::cli
