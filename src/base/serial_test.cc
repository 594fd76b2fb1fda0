#include "src/base/serial.h"

#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace serialmatch {
namespace {

struct Case {
  const char* input;
  const char* canonical;
};

void PrintTo(const Case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class SerialCanonTest : public testing::TestWithParam<Case> {};

TEST_P(SerialCanonTest, ProducesCanonicalForm) {
  std::string scratch;
  absl::StatusOr<absl::string_view> got = CanonicalizeSerial(GetParam().input, &scratch);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, GetParam().canonical);
  EXPECT_TRUE(IsCanonicalSerial(*got));
}

INSTANTIATE_TEST_SUITE_P(
    Notations, SerialCanonTest,
    testing::Values(
        Case{"03e226", "03e226"}, Case{"03:E2:26", "03e226"}, Case{"00:87:65:43:21", "87654321"},
        Case{"3e226", "03e226"}, Case{"0x03E226", "03e226"}, Case{"0X3e226", "03e226"},
        Case{"serial=03E226", "03e226"}, Case{"SERIAL=0003e226", "03e226"},
        Case{"03 e2 26", "03e226"}, Case{"3:e2:26", "03e226"}, Case{"  03e226\t", "03e226"},
        Case{"00", "00"}, Case{"0", "00"}, Case{"0000", "00"}, Case{"00:00:01", "01"},
        Case{"03e2267b786b7e338317ddd62e764fcb3c71", "03e2267b786b7e338317ddd62e764fcb3c71"},
        Case{"8765", "8765"}, Case{"0087", "87"}));

INSTANTIATE_TEST_SUITE_P(Negative, SerialCanonTest,
                         testing::Values(Case{"-FF", "-ff"}, Case{"-ff", "-ff"},
                                         Case{"serial=-FF", "-ff"}, Case{"-ff:01", "-ff01"},
                                         Case{"-0xF", "-0f"}, Case{"- 00 ff", "-ff"},
                                         Case{"(Negative)ff:01", "-ff01"},
                                         Case{"(NEGATIVE) 0F", "-0f"}, Case{"-0", "00"},
                                         Case{"-00:00", "00"}));

TEST(SerialCanonTest, AlreadyCanonicalViewsTheInput) {
  std::string scratch;
  const absl::string_view input = "03e226";
  absl::StatusOr<absl::string_view> got = CanonicalizeSerial(input, &scratch);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data(), input.data());
}

TEST(SerialCanonTest, RejectsNonHex) {
  std::string scratch;
  absl::StatusOr<absl::string_view> got = CanonicalizeSerial("03g226", &scratch);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("'g' is not a hex digit"), absl::string_view::npos)
      << got.status();
}

TEST(SerialCanonTest, RejectsEmptyAndBareAffixes) {
  std::string scratch;
  EXPECT_FALSE(CanonicalizeSerial("", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("   ", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("0x", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("serial=", &scratch).ok());
}

TEST(SerialCanonTest, RejectsBadByteGroups) {
  std::string scratch;
  EXPECT_FALSE(CanonicalizeSerial("03::e2", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("03:e2:", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("03e:226", &scratch).ok());
}

TEST(SerialCanonTest, RejectsOverlongSerial) {
  std::string scratch;
  EXPECT_TRUE(CanonicalizeSerial(std::string(kMaxSerialHexDigits, 'a'), &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial(std::string(kMaxSerialHexDigits + 2, 'a'), &scratch).ok());
}

// Every position of every length up to 64: one bad byte anywhere makes a serial non-canonical.
TEST(SerialCanonTest, IsCanonicalChecksEveryByte) {
  for (size_t n = 2; n <= 64; n += 2) {
    const std::string good(n, 'a');
    EXPECT_TRUE(IsCanonicalSerial(good)) << n;
    for (size_t i = 0; i < n; ++i) {
      for (char bad : {'g', 'A', '/', ':', '`', '\xff', ' '}) {
        std::string s = good;
        s[i] = bad;
        EXPECT_FALSE(IsCanonicalSerial(s)) << n << " at " << i << " '" << bad << "'";
      }
    }
  }
}

TEST(SerialCanonTest, NegativeSerialsCollideWithNoPositiveOne) {
  // -255: "-ff" as OpenSSL prints it; ff01 are its two's complement content octets, 01 its last.
  std::string a, b, c, d;
  const absl::string_view negative = *CanonicalizeSerial("-FF", &a);
  const absl::string_view positive = *CanonicalizeSerial("FF", &b);
  const absl::string_view low = *CanonicalizeSerial("01", &c);
  const absl::string_view twos = *CanonicalizeSerial("ff01", &d);
  EXPECT_EQ(negative, "-ff");
  EXPECT_NE(negative, positive);
  EXPECT_NE(negative, low);
  EXPECT_NE(negative, twos);
  // What a certificate's DER INTEGER gives.
  EXPECT_EQ(*SerialFromDerInteger("\xff\x01"), "-ff");
  EXPECT_EQ(*SerialFromDerInteger(absl::string_view("\x00\xff", 2)), "ff");
  EXPECT_EQ(*SerialFromDerInteger(absl::string_view("\x00\xff\x01", 3)), "ff01");
  EXPECT_EQ(*SerialFromDerInteger("\x01"), "01");
}

TEST(SerialCanonTest, SerialFromDerIntegerTakesTwosComplement) {
  EXPECT_EQ(*SerialFromDerInteger("\xff"), "-01");
  EXPECT_EQ(*SerialFromDerInteger("\x80"), "-80");
  EXPECT_EQ(*SerialFromDerInteger(absl::string_view("\x80\x00", 2)), "-8000");
  EXPECT_EQ(*SerialFromDerInteger("\xfe\xdc"), "-0124");
  EXPECT_EQ(*SerialFromDerInteger(absl::string_view("\x00", 1)), "00");
  EXPECT_EQ(*SerialFromDerInteger(absl::string_view("\x03\xe2\x26")), "03e226");
  EXPECT_FALSE(SerialFromDerInteger("").ok());
  EXPECT_TRUE(SerialFromDerInteger(std::string(kMaxSerialHexDigits / 2, '\x7f')).ok());
  EXPECT_FALSE(SerialFromDerInteger(std::string(kMaxSerialHexDigits / 2 + 1, '\x7f')).ok());
  // Every result is canonical and reads back to itself.
  for (int first = 0; first < 256; ++first) {
    const std::string content = {static_cast<char>(first), '\x12'};
    const std::string serial = *SerialFromDerInteger(content);
    std::string scratch;
    EXPECT_TRUE(IsCanonicalSerial(serial)) << serial;
    EXPECT_EQ(*CanonicalizeSerial(serial, &scratch), serial);
  }
}

TEST(SerialCanonTest, IsCanonicalTakesASignBeforeACanonicalMagnitude) {
  EXPECT_TRUE(IsCanonicalSerial("-ff"));
  EXPECT_TRUE(IsCanonicalSerial("-03e2267b786b7e338317ddd62e764fcb3c71"));
  EXPECT_FALSE(IsCanonicalSerial("-00"));  // zero has no sign
  EXPECT_FALSE(IsCanonicalSerial("-"));
  EXPECT_FALSE(IsCanonicalSerial("--ff"));
  EXPECT_FALSE(IsCanonicalSerial("-0ff"));
  EXPECT_FALSE(IsCanonicalSerial("-00ff"));
  EXPECT_FALSE(IsCanonicalSerial("-FF"));
  std::string scratch;
  EXPECT_FALSE(CanonicalizeSerial("-", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("--ff", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("ff-", &scratch).ok());
  EXPECT_FALSE(CanonicalizeSerial("(Negative)", &scratch).ok());
  EXPECT_TRUE(
      CanonicalizeSerial(absl::StrCat("-", std::string(kMaxSerialHexDigits, 'a')), &scratch).ok());
  EXPECT_FALSE(
      CanonicalizeSerial(absl::StrCat("-", std::string(kMaxSerialHexDigits + 2, 'a')), &scratch)
          .ok());
}

TEST(SerialCanonTest, IsCanonicalRejectsNonCanonical) {
  EXPECT_FALSE(IsCanonicalSerial("3e226"));
  EXPECT_FALSE(IsCanonicalSerial("03E226"));
  EXPECT_FALSE(IsCanonicalSerial("0003"));
  EXPECT_FALSE(IsCanonicalSerial(""));
  EXPECT_TRUE(IsCanonicalSerial("00"));
}

}  // namespace
}  // namespace serialmatch
