#include "src/cli/flags.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<Options> Parse(std::vector<std::string> args) { return ParseFlags(args); }

TEST(FlagsTest, ParsesEverything) {
  absl::StatusOr<Options> o =
      Parse({"--dump", "a.txt", "--dump=-", "--domains", "d.csv", "--serials=s.txt", "--format",
             "jsonl", "--output", "out.jsonl", "--strict", "--threads", "3", "--dump-format",
             "le2020", "--quiet", "--io", "mmap"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->dumps, ElementsAre("a.txt", "-"));
  EXPECT_THAT(o->domains, ElementsAre("d.csv"));
  EXPECT_THAT(o->serials, ElementsAre("s.txt"));
  EXPECT_EQ(o->format, report::ReportFormat::kJsonl);
  EXPECT_EQ(o->output, "out.jsonl");
  EXPECT_TRUE(o->strict);
  EXPECT_TRUE(o->quiet);
  EXPECT_EQ(o->threads, 3);
  EXPECT_EQ(o->dump_format, dump::DumpFormat::kLe2020);
  EXPECT_EQ(o->io, dump::IoMode::kMmap);
}

TEST(FlagsTest, DumpPatternImpliesRegexFormat) {
  absl::StatusOr<Options> o =
      Parse({"--dump", "a", "--serials", "s", "--dump-pattern", "(?P<serial>\\S+)"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->dump_format, dump::DumpFormat::kRegex);
  EXPECT_EQ(o->dump_pattern, "(?P<serial>\\S+)");
}

TEST(FlagsTest, CertificateInventoryFlags) {
  absl::StatusOr<Options> o = Parse({"--dump", "a", "--certs", "/etc/ssl", "--certs=b.pem",
                                     "--issued-after", "2020-02-01", "--issuer", "Let's Encrypt"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->certs, ElementsAre("/etc/ssl", "b.pem"));
  EXPECT_EQ(o->issued_after, absl::FromUnixSeconds(1580515200));
  EXPECT_EQ(o->issuer, "Let's Encrypt");
  o = Parse({"--dump", "a", "--serials", "s", "--issued-after=2020-02-01T12:00:00+01:00"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->issued_after, absl::FromUnixSeconds(1580515200 + 11 * 3600));
}

TEST(FlagsTest, HelpAndVersionNeedNothingElse) {
  EXPECT_TRUE(Parse({"--help"})->help);
  EXPECT_TRUE(Parse({"--version"})->version);
}

TEST(FlagsTest, UsageErrors) {
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const Case cases[] = {
      {{}, "--dump is required"},
      {{"--dump", "a"}, "give an inventory"},
      {{"--dump", "a", "--domains"}, "--domains needs a value"},
      {{"--dump", "a", "--domains", "x", "--format", "json", "--format=csv"},
       "--format given more than once"},
      {{"--dump", "a", "--domains", "x", "--format", "xml"}, "unknown --format"},
      {{"--dump", "a", "--domains", "x", "--threads", "0"}, "--threads needs a number"},
      {{"--dump", "a", "--domains", "x", "--bogus"}, "unknown option '--bogus'"},
      {{"--dump", "a", "--domains", "x", "--strict=yes"}, "takes no value"},
      {{"--dump", "-", "--domains", "-"}, "only one input can be standard input"},
      {{"--dump", "a", "--domains", "x", "--dump-format", "pem"}, "unknown dump format"},
      {{"--dump", "a", "--domains", "x", "--io", "aio"}, "--io needs 'read' or 'mmap'"},
      {{"--dump", "a", "--domains", "x", "--dump-format", "regex"}, "needs --dump-pattern"},
      {{"--dump", "a", "--certs", "c", "--issued-after", "last week"}, "--issued-after needs"},
      {{"--dump", "a", "--domains", "x", "--issuer", "R3"}, "give --certs PATH"},
      {{"--dump", "a", "--certs", ""}, "--certs needs a file"},
      {{"--dump", "a", "--domains", "x", "--dump-format", "le2020", "--dump-pattern",
        "(?P<serial>.*)"},
       "cannot be used with another --dump-format"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Options> o = Parse(c.args);
    ASSERT_FALSE(o.ok()) << c.message;
    EXPECT_THAT(o.status().message(), HasSubstr(c.message));
  }
}

TEST(FlagsTest, InputFlagsAreRepeatable) {
  absl::StatusOr<Options> o =
      Parse({"--dump", "a", "--dump", "b", "--domains", "d1.csv", "--domains=d2.csv", "--serials",
             "s1", "--serials", "s2", "--endpoints", "e1", "--endpoints", "e2", "--certs", "c1",
             "--certs", "c2"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->dumps, ElementsAre("a", "b"));
  EXPECT_THAT(o->domains, ElementsAre("d1.csv", "d2.csv"));
  EXPECT_THAT(o->serials, ElementsAre("s1", "s2"));
  EXPECT_THAT(o->endpoints, ElementsAre("e1", "e2"));
  EXPECT_THAT(o->certs, ElementsAre("c1", "c2"));
  EXPECT_THAT(Parse({"--dump", "a", "--serials", "s", "--domains", "-", "--endpoints", "-"})
                  .status()
                  .message(),
              HasSubstr("only one input can be standard input"));
}

TEST(FlagsTest, EverySingleValuedFlagGivenTwiceIsAnError) {
  const std::vector<std::pair<std::string, std::string>> flags = {
      {"--dump-format", "le2020"}, {"--issued-after", "2020-02-01"},
      {"--issuer", "R3"},          {"--timeout", "3"},
      {"--concurrency", "8"},      {"--format", "json"},
      {"--output", "o"},           {"--io", "read"},
      {"--metrics-file", "m"},     {"--line-offset", "1"},
      {"--threads", "2"},          {"--dump-pattern", "x"},
      {"--crl-cache", "dir"},      {"--crl-max-age", "1h"}};
  for (const auto& [flag, value] : flags) {
    std::vector<std::string> args = {"--dump", "a", "--certs", "c", flag, value};
    if (flag == "--dump-pattern") args = {"--dump", "a", "--certs", "c", "--dump-format", "regex"};
    if (flag == "--crl-cache") args.push_back("--fetch-crls");
    if (flag == "--crl-max-age") args.insert(args.begin(), {"--fetch-crls", "--crl-cache", "d"});
    args.push_back(flag + "=" + value);
    args.push_back(flag);
    args.push_back(value);
    const absl::StatusOr<Options> o = Parse(args);
    ASSERT_FALSE(o.ok()) << flag;
    EXPECT_THAT(o.status().message(), HasSubstr(flag + " given more than once"));
  }
}

TEST(FlagsTest, FetchCrlsNeedsCertificatesButNoDump) {
  absl::StatusOr<Options> o = Parse({"--certs", "live", "--fetch-crls", "--crl-cache", "cache",
                                     "--crl-issuer", "r10.pem", "--crl-issuer=r11.pem"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->fetch_crls);
  EXPECT_TRUE(o->dumps.empty());
  EXPECT_EQ(o->crl_cache, "cache");
  EXPECT_THAT(o->crl_issuers, ElementsAre("r10.pem", "r11.pem"));
  EXPECT_THAT(Parse({"--domains", "d", "--fetch-crls"}).status().message(),
              HasSubstr("--fetch-crls fetches the CRLs of certificates"));
  EXPECT_THAT(Parse({"--certs", "c"}).status().message(), HasSubstr("--dump is required"));
  EXPECT_THAT(Parse({"--dump", "a", "--certs", "c", "--crl-cache", "x"}).status().message(),
              HasSubstr("--crl-cache keeps the CRLs --fetch-crls downloads"));
  EXPECT_THAT(Parse({"--dump", "a", "--certs", "c", "--fetch-crls=yes"}).status().message(),
              HasSubstr("takes no value"));
  EXPECT_EQ(Parse({"--certs", "c", "--fetch-crls", "--crl-cache", "d", "--crl-max-age", "90m"})
                ->crl_max_age,
            absl::Minutes(90));
  EXPECT_THAT(Parse({"--certs", "c", "--fetch-crls", "--crl-max-age", "1h"}).status().message(),
              HasSubstr("give --crl-cache DIR"));
  EXPECT_THAT(Parse({"--certs", "c", "--fetch-crls", "--crl-cache", "d", "--crl-max-age", "soon"})
                  .status()
                  .message(),
              HasSubstr("--crl-max-age needs a duration"));
}

TEST(FlagsTest, LineOffsetAndMetricsFile) {
  absl::StatusOr<Options> o = Parse(
      {"--dump", "-", "--serials", "s", "--line-offset", "5000000000", "--metrics-file=m.prom"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->line_offset, 5000000000u);
  EXPECT_EQ(o->metrics_file, "m.prom");
  for (const char* bad : {"-1", "x", "", "+3", "1.5"}) {
    absl::StatusOr<Options> b = Parse({"--dump", "-", "--serials", "s", "--line-offset", bad});
    EXPECT_THAT(b.status().message(), HasSubstr("--line-offset needs a line count")) << bad;
  }
  EXPECT_THAT(Parse({"--dump", "a", "--dump", "b", "--serials", "s", "--line-offset", "3"})
                  .status()
                  .message(),
              HasSubstr("--line-offset applies to one dump"));
  EXPECT_THAT(Parse({"--dump", "a", "--serials", "s", "--metrics-file", ""}).status().message(),
              HasSubstr("--metrics-file needs a file name"));
}

}  // namespace
}  // namespace serialmatch::cli
