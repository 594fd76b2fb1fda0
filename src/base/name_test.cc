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

// Every name up to 70 bytes built from a small alphabet: the vector fast path and the byte-by-byte
// check must agree (IsPlainNormalName only ever says "normal" for names CheckName finds normal).
TEST(NameNormalizeTest, FastPathAgreesWithFullCheck) {
  const std::string alphabet = "a.-_9*Z";
  for (size_t length = 1; length <= 70; ++length) {
    for (int variant = 0; variant < 400; ++variant) {
      std::string name;
      unsigned state = static_cast<unsigned>(length * 1000 + static_cast<size_t>(variant));
      for (size_t i = 0; i < length; ++i) {
        state = state * 1103515245u + 12345u;
        // Mostly 'a', sometimes a special character, so names are often valid.
        const unsigned pick = (state >> 16) % 24;
        name.push_back(pick < alphabet.size() ? alphabet[pick] : 'a');
      }
      std::string scratch;
      absl::StatusOr<absl::string_view> got = NormalizeName(name, &scratch);
      // Reference: valid iff labels are non-empty, <= 63 bytes, '*' only as "*." prefix.
      bool valid = name.size() <= kMaxNameLength;
      std::string lowered;
      for (char c : name) lowered.push_back(c == 'Z' ? 'z' : c);
      std::string body = lowered;
      if (body.size() > 1 && body.back() == '.') body.pop_back();
      size_t start = 0;
      for (size_t i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body[i] == '.') {
          const std::string label = body.substr(start, i - start);
          if (label.empty() || label.size() > kMaxLabelLength) valid = false;
          if (label.find('*') != std::string::npos && (start != 0 || label != "*")) valid = false;
          start = i + 1;
        }
      }
      if (body == "*") valid = false;
      EXPECT_EQ(got.ok(), valid) << "'" << name << "'";
      if (got.ok() && valid) {
        EXPECT_EQ(*got, body) << "'" << name << "'";
      }
    }
  }
}

TEST(NameErrorReasonTest, SaysWhatIsWrongWithoutTheName) {
  std::string scratch;
  EXPECT_EQ(NameErrorReason(NormalizeName("a..example", &scratch).status()), "empty label");
  EXPECT_EQ(NameErrorReason(NormalizeName("DNS:a.example", &scratch).status()),
            "character not allowed in a DNS name");
  EXPECT_EQ(NameErrorReason(NormalizeName("a.*.example", &scratch).status()),
            "'*' is allowed only as the whole first label");
  EXPECT_EQ(NameErrorReason(absl::InvalidArgumentError("something else")), "something else");
}

TEST(ParentNameTest, DropsFirstLabel) {
  EXPECT_EQ(ParentName("a.b.example"), "b.example");
  EXPECT_EQ(ParentName("*.example.net"), "example.net");
  EXPECT_EQ(ParentName("com"), "");
}

}  // namespace
}  // namespace serialmatch
