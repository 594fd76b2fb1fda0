#include "src/base/name.h"

#include <string>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

std::string Normal(absl::string_view name) {
  std::string scratch;
  absl::StatusOr<absl::string_view> got = NormalizeName(name, &scratch);
  return got.ok() ? std::string(*got) : "ERROR: " + std::string(got.status().message());
}

TEST(NameNormalizeTest, KeepsNormalNamesAndViewsThem) {
  std::string scratch;
  const absl::string_view name = "www.example.com";
  absl::StatusOr<absl::string_view> got = NormalizeName(name, &scratch);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data(), name.data());
}

TEST(NameNormalizeTest, LowercasesAndDropsTrailingDot) {
  EXPECT_EQ(Normal("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(Normal("Example.com"), "example.com");
}

TEST(NameNormalizeTest, ConvertsUnicodeToALabels) {
  EXPECT_EQ(Normal("münchen.de"), "xn--mnchen-3ya.de");
  EXPECT_EQ(Normal("MÜNCHEN.DE"), "xn--mnchen-3ya.de");
  EXPECT_EQ(Normal("*.münchen.de"), "*.xn--mnchen-3ya.de");
  EXPECT_EQ(Normal("xn--mnchen-3ya.de"), "xn--mnchen-3ya.de");
}

TEST(NameNormalizeTest, KeepsWildcardFirstLabel) {
  EXPECT_EQ(Normal("*.example.net"), "*.example.net");
  EXPECT_EQ(Normal("*.EXAMPLE.net."), "*.example.net");
}

TEST(NameNormalizeTest, AllowsUnderscoreAndDigits) {
  EXPECT_EQ(Normal("_dmarc.example.com"), "_dmarc.example.com");
  EXPECT_EQ(Normal("10.0.0.1"), "10.0.0.1");
}

TEST(NameNormalizeTest, RejectsWhatCannotBeADnsName) {
  for (const char* bad : {"", ".", "a..example", ".example.com", "exa mple.com", "a.*.example",
                          "*example.com", "**.example.com", "*", "*.", "ex\"ample.com",
                          "a/b.example", "example.com..", "ex\x01.com"}) {
    std::string scratch;
    EXPECT_FALSE(NormalizeName(bad, &scratch).ok()) << "accepted '" << bad << "'";
  }
}

TEST(NameNormalizeTest, EnforcesLengthLimits) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  EXPECT_EQ(Normal(label63 + ".com"), label63 + ".com");
  EXPECT_NE(Normal(label64 + ".com").find("label longer than 63"), std::string::npos);
  EXPECT_NE(Normal(std::string(300, 'A') + ".com").find("ERROR"), std::string::npos);
  std::string long_name;
  while (long_name.size() < 260) long_name += label63 + ".";
  long_name += "com";
  EXPECT_NE(Normal(long_name).find("longer than 253"), std::string::npos);
}

TEST(NameNormalizeTest, RejectsInvalidIdna) {
  // U+2615 HOT BEVERAGE is DISALLOWED in IDNA2008 (it was valid in IDNA2003).
  EXPECT_NE(Normal("\xe2\x98\x95.example").find("IDNA2008"), std::string::npos);
  // Bytes that are not UTF-8.
  EXPECT_NE(Normal("\xff\xfe.example").find("ERROR"), std::string::npos);
}

TEST(ParentNameTest, DropsFirstLabel) {
  EXPECT_EQ(ParentName("a.b.example"), "b.example");
  EXPECT_EQ(ParentName("*.example.net"), "example.net");
  EXPECT_EQ(ParentName("com"), "");
}

}  // namespace
}  // namespace serialmatch
