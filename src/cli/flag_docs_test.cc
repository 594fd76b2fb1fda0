#include "src/cli/flag_docs.h"

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/flags.h"

namespace serialmatch::cli {
namespace {

using ::testing::HasSubstr;

std::vector<absl::string_view> NamesOf(const FlagSpec& flag) {
  std::vector<absl::string_view> names = {flag.name};
  if (!flag.short_name.empty()) names.push_back(flag.short_name);
  return names;
}

TEST(ManPageTest, OptionsListEveryFlagByGroup) {
  const std::string options = ManOptions();
  for (const FlagSpec& flag : Flags()) {
    for (absl::string_view name : NamesOf(flag)) {
      EXPECT_THAT(options, HasSubstr(absl::StrCat("\\fB", RoffEscape(name), "\\fR"))) << name;
    }
    if (flag.takes_value()) {
      EXPECT_THAT(options, HasSubstr(absl::StrCat("\\fI", RoffEscape(flag.arg), "\\fR")));
    }
  }
  size_t at = 0;
  for (absl::string_view group : {"Input", "Revocation", "Output", "Behaviour"}) {
    at = options.find(absl::StrCat(".SS ", group, "\n"), at);
    EXPECT_NE(at, std::string::npos) << group;
  }
  // No line a roff request by accident: every line is a macro of ours or text not starting with
  // '.' or '\''.
  for (absl::string_view line : absl::StrSplit(options, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, ".SH ") || absl::StartsWith(line, ".SS ") || line == ".TP") {
      continue;  // a macro the generator writes
    }
    EXPECT_FALSE(absl::StartsWith(line, ".") || absl::StartsWith(line, "'")) << line;
  }
}

TEST(ManPageTest, RoffEscapeMakesTextLiteral) {
  EXPECT_EQ(RoffEscape("--dump"), "\\-\\-dump");
  EXPECT_EQ(RoffEscape("a\\b"), "a\\eb");
  EXPECT_EQ(RoffEscape(".example.com"), "\\&.example.com");
  EXPECT_EQ(RoffEscape("'-'"), "\\&'\\-'");
}

TEST(ManPageTest, RenderFillsInOptionsAndVersion) {
  const absl::StatusOr<std::string> page = RenderManPage(
      absl::StrCat(".TH X 1 \"\" \"serialmatch @VERSION@\"\n", kManOptionsMarker, "\n.SH END\n"),
      "9.8.7");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(*page, absl::StrCat(".TH X 1 \"\" \"serialmatch 9.8.7\"\n", ManOptions(), ".SH END\n"));
  EXPECT_FALSE(RenderManPage(".TH X 1\n.SH OPTIONS\n", "1").ok());
}

TEST(CompletionTest, BashOffersEveryFlagAndChoice) {
  const std::string bash = BashCompletion();
  EXPECT_THAT(bash, HasSubstr("complete -F _serialmatch serialmatch\n"));
  // The words offered for a flag: the last compgen -W list, after the case of flag values.
  const size_t list = bash.rfind("compgen -W '");
  ASSERT_NE(list, std::string::npos);
  const size_t start = list + std::strlen("compgen -W '");
  const std::vector<std::string> offered =
      absl::StrSplit(bash.substr(start, bash.find('\'', start) - start), ' ');
  std::vector<std::string> names;
  for (const FlagSpec& flag : Flags()) {
    for (absl::string_view name : NamesOf(flag)) names.emplace_back(name);
  }
  EXPECT_EQ(offered, names);
  for (const FlagSpec& flag : Flags()) {
    if (flag.kind == FlagArg::kChoice) {
      EXPECT_THAT(bash, HasSubstr(absl::StrCat("    ", flag.name,
                                               ")\n      mapfile -t COMPREPLY "
                                               "< <(compgen -W '",
                                               absl::StrJoin(flag.choices(), " "), "'")));
    }
  }
}

TEST(CompletionTest, ZshOffersEveryFlagAndChoice) {
  const std::string zsh = ZshCompletion();
  EXPECT_TRUE(absl::StartsWith(zsh, "#compdef serialmatch\n"));
  for (const FlagSpec& flag : Flags()) {
    if (flag.short_name.empty()) {
      EXPECT_THAT(zsh, HasSubstr(absl::StrCat("'", flag.repeatable ? "*" : "", flag.name,
                                              flag.takes_value() ? "=[" : "[")))
          << flag.name;
    } else {
      EXPECT_THAT(zsh, HasSubstr(absl::StrCat("{", flag.name, ",", flag.short_name, "}")));
    }
    if (flag.kind == FlagArg::kChoice) {
      EXPECT_THAT(zsh, HasSubstr(absl::StrCat(":", flag.arg, ":(",
                                              absl::StrJoin(flag.choices(), " "), ")'")));
    }
  }
}

}  // namespace
}  // namespace serialmatch::cli
