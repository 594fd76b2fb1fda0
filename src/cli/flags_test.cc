#include "src/cli/flags.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dump/parser.h"
#include "src/report/report.h"

namespace serialmatch::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<Options> Parse(std::vector<std::string> args) { return ParseFlags(args); }

std::vector<absl::string_view> NamesOf(const FlagSpec& flag) {
  std::vector<absl::string_view> names = {flag.name};
  if (!flag.short_name.empty()) names.push_back(flag.short_name);
  return names;
}

// The words of `text` that look like a long flag ("--dump-format"), trailing punctuation cut.
std::set<std::string> FlagsMentioned(absl::string_view text) {
  std::set<std::string> out;
  for (absl::string_view word :
       absl::StrSplit(text, absl::ByAnyChar(" \n\t(),;'\"[]/=:"), absl::SkipEmpty())) {
    if (!absl::StartsWith(word, "--") || word.size() < 3) continue;  // not a flag
    while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
    out.emplace(word);
  }
  return out;
}

TEST(FlagTableTest, NamesAreUniqueAndWellFormed) {
  std::set<std::string> names;
  for (const FlagSpec& flag : Flags()) {
    for (absl::string_view name : NamesOf(flag)) {
      EXPECT_TRUE(names.emplace(name).second) << name << " is in the table twice";
      EXPECT_EQ(name.find_first_not_of("-abcdefghijklmnopqrstuvwxyz0123456789"),
                absl::string_view::npos)
          << name;
    }
    EXPECT_TRUE(absl::StartsWith(flag.name, "--")) << flag.name;
    EXPECT_FALSE(flag.help.empty()) << flag.name;
    EXPECT_EQ(flag.takes_value(), flag.kind != FlagArg::kNone) << flag.name;
    EXPECT_EQ(flag.choices != nullptr, flag.kind == FlagArg::kChoice) << flag.name;
    EXPECT_TRUE(flag.apply != nullptr) << flag.name;
  }
}

TEST(FlagTableTest, TheInputsAndOnlyTheyAreRepeatable) {
  std::set<std::string> repeatable;
  for (const FlagSpec& flag : Flags()) {
    if (flag.repeatable) repeatable.emplace(flag.name);
  }
  EXPECT_EQ(repeatable, (std::set<std::string>{"--dump", "--domains", "--serials", "--certs",
                                               "--endpoints", "--crl-issuer"}));
}

TEST(FlagTableTest, GroupsAreInHelpOrder) {
  FlagGroup last = FlagGroup::kInput;
  for (const FlagSpec& flag : Flags()) {
    EXPECT_GE(static_cast<int>(flag.group), static_cast<int>(last)) << flag.name;
    last = flag.group;
  }
}

TEST(FlagTableTest, ParserKnowsEveryTableFlag) {
  for (const FlagSpec& flag : Flags()) {
    for (absl::string_view name : NamesOf(flag)) {
      std::vector<std::string> args = {std::string(name)};
      if (flag.takes_value()) args.push_back("x");
      EXPECT_EQ(FindFlag(name), &flag) << name;
      const absl::StatusOr<Options> o = ParseFlags(args);
      if (!o.ok()) {
        EXPECT_THAT(o.status().message(), Not(HasSubstr("unknown option"))) << name;
        EXPECT_THAT(o.status().message(), Not(HasSubstr("needs a value"))) << name;
      }
    }
  }
}

TEST(FlagTableTest, SingleValuedMeansNotRepeatable) {
  for (const FlagSpec& flag : Flags()) {
    if (!flag.takes_value()) continue;  // a switch given twice is the same switch
    // A value each flag takes (a flag that checks its value needs one here).
    static const auto* const kValid =
        new std::map<std::string, std::string>{{"--issued-after", "2020-02-01"},
                                               {"--timeout", "3"},
                                               {"--concurrency", "8"},
                                               {"--dns-server", "192.0.2.53"},
                                               {"--crl-max-age", "1h"},
                                               {"--threads", "2"},
                                               {"--line-offset", "1"}};
    const std::string name(flag.name);
    std::string value = "x";
    if (flag.choices != nullptr) value = flag.choices().front();
    if (const auto it = kValid->find(name); it != kValid->end()) value = it->second;
    const absl::StatusOr<Options> o =
        ParseFlags(std::vector<std::string>{name + "=" + value, name, value});
    if (flag.repeatable) {
      EXPECT_THAT(o.status().message(), Not(HasSubstr("given more than once"))) << name;
    } else {
      EXPECT_THAT(o.status().message(), HasSubstr(name + " given more than once")) << name;
    }
  }
}

TEST(FlagTableTest, ParserRefusesWhatIsNotInTheTable) {
  for (const char* name : {"--bogus", "--dumps", "--dump-formats", "-d", "--", "-", "dump"}) {
    EXPECT_EQ(FindFlag(name), nullptr) << name;
    EXPECT_THAT(ParseFlags(std::vector<std::string>{name, "x"}).status().message(),
                HasSubstr("unknown option"))
        << name;
  }
}

TEST(FlagTableTest, EveryFlagTheHelpMentionsIsInTheTable) {
  const std::set<std::string> mentioned = FlagsMentioned(UsageText());
  ASSERT_GT(mentioned.size(), 20u);
  for (const std::string& name : mentioned) EXPECT_NE(FindFlag(name), nullptr) << name;
}

TEST(FlagTableTest, HelpListsEveryFlagWithItsArgument) {
  const std::string help = UsageText();
  for (const FlagSpec& flag : Flags()) {
    std::string entry = absl::StrCat("\n  ", flag.name);
    if (!flag.short_name.empty()) absl::StrAppend(&entry, ", ", flag.short_name);
    if (flag.takes_value()) absl::StrAppend(&entry, " ", flag.arg);
    EXPECT_THAT(help, HasSubstr(entry)) << flag.name;
  }
  for (absl::string_view line : absl::StrSplit(help, '\n')) {
    EXPECT_LE(line.size(), 100u) << line;
    EXPECT_FALSE(absl::EndsWith(line, " ")) << line;
  }
}

TEST(FlagTableTest, ChoicesAreTheNamesTheParserAccepts) {
  const FlagSpec* dump_format = FindFlag("--dump-format");
  ASSERT_NE(dump_format, nullptr);
  std::vector<std::string> known = absl::StrSplit(dump::KnownFormatNames(), ", ");
  EXPECT_EQ(dump_format->choices(), known);
  for (const std::string& name : dump_format->choices()) {
    EXPECT_TRUE(dump::FormatByName(name).ok()) << name;
  }

  const FlagSpec* format = FindFlag("--format");
  ASSERT_NE(format, nullptr);
  const std::vector<std::string> format_names = format->choices();
  std::set<report::ReportFormat> formats;
  for (const std::string& name : format_names) {
    const absl::StatusOr<report::ReportFormat> f = report::ReportFormatByName(name);
    ASSERT_TRUE(f.ok()) << name;
    formats.insert(*f);
  }
  EXPECT_EQ(formats.size(), format_names.size());
  // The parser's own list of names, in its message for an unknown one: "use a, b or c".
  std::string listed(report::ReportFormatByName("").status().message());
  ASSERT_TRUE(absl::StrContains(listed, "use ")) << listed;
  listed = listed.substr(listed.find("use ") + 4);
  std::vector<std::string> parser_names =
      absl::StrSplit(absl::StrReplaceAll(listed, {{" or ", ", "}}), ", ");
  EXPECT_EQ(std::set<std::string>(parser_names.begin(), parser_names.end()),
            std::set<std::string>(format_names.begin(), format_names.end()));

  for (const FlagSpec& flag : Flags()) {
    if (flag.kind != FlagArg::kChoice) continue;
    for (const std::string& name : flag.choices()) {
      Options options;
      EXPECT_TRUE(flag.apply(name, options).ok()) << flag.name << " " << name;
      EXPECT_TRUE(absl::StrContains(FlagHelp(flag), name) || absl::StrContains(flag.arg, name))
          << flag.name << " does not say " << name;
    }
    Options options;
    EXPECT_FALSE(flag.apply("no-such-choice", options).ok()) << flag.name;
  }
}

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
