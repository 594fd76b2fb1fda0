#include "src/cli/version.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(VersionTest, FirstLineIsVersionAndCommit) {
  const std::string text = VersionText();
  EXPECT_TRUE(absl::StartsWith(
      text, absl::StrCat("serialmatch ", Version(), " (commit ", GitCommit(), ")\n")))
      << text;
  EXPECT_THAT(Version(), MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
  EXPECT_THAT(GitCommit(), MatchesRegex("unknown|[0-9a-zA-Z._-]+"));
}

TEST(VersionTest, EveryLibraryThatDecidesResultsIsNamedWithItsSource) {
  // true: the version the loaded library reports; false: the headers' or the package's.
  const std::map<std::string, bool> expected = {
      {"OpenSSL", true}, {"libidn2", true}, {"ISA-L", false},    {"zstd", true},
      {"liblzma", true}, {"libbz2", true},  {"simdjson", false}, {"RE2", false},
      {"Abseil", false}, {"c-ares", true},  {"yaml-cpp", false}, {"libcurl", true}};
  std::map<std::string, bool> got;
  const std::string text = VersionText();
  for (const LibraryVersion& library : LibraryVersions()) {
    got[library.name] = library.runtime;
    EXPECT_FALSE(library.version.empty()) << library.name;
    EXPECT_NE(library.version, "unknown") << library.name;
    EXPECT_THAT(library.version, MatchesRegex("[0-9].*")) << library.name;
    EXPECT_THAT(text, HasSubstr(absl::StrCat("  ", library.name, " ")));
    EXPECT_THAT(text, HasSubstr(library.version));
  }
  EXPECT_EQ(got, expected);
  for (const LibraryVersion& library : LibraryVersions()) {
    if (library.name == "OpenSSL") {
      EXPECT_TRUE(absl::StartsWith(library.version, "3.")) << library.version;
    }
  }
}

}  // namespace
}  // namespace serialmatch::cli
