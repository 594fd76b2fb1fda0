#include "src/base/text_encoding.h"

#include <string>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

// `text` (ASCII or two-byte UTF-8 only) as UTF-16 code units, little- or big-endian.
std::string Utf16(absl::string_view ascii, bool little_endian) {
  std::string out;
  for (char c : ascii) {
    out.push_back(little_endian ? c : '\0');
    out.push_back(little_endian ? '\0' : c);
  }
  return out;
}

TEST(TextEncodingTest, Utf16WithByteOrderMarkBecomesUtf8) {
  TextEncoding encoding;
  EXPECT_EQ(ToUtf8Text("\xFF\xFE" + Utf16("domain\r\nwww.example.com\r\n", true), &encoding),
            "domain\r\nwww.example.com\r\n");
  EXPECT_EQ(encoding, TextEncoding::kUtf16Le);
  EXPECT_EQ(ToUtf8Text("\xFE\xFF" + Utf16("a.example\n", false), &encoding), "a.example\n");
  EXPECT_EQ(encoding, TextEncoding::kUtf16Be);
  EXPECT_EQ(TextEncodingName(encoding), "UTF-16BE");
}

TEST(TextEncodingTest, NonAsciiAndSurrogatePairs) {
  // "münchen.de" and U+1F600 (a surrogate pair), little-endian.
  const std::string le = std::string("\xFF\xFE", 2) + std::string("m\0\xFC\0n\0", 6) +
                         std::string("\x3D\xD8\x00\xDE", 4);
  EXPECT_EQ(ToUtf8Text(le), "m\xC3\xBCn\xF0\x9F\x98\x80");
  // CJK in big-endian: U+4E2D.
  EXPECT_EQ(ToUtf8Text(std::string("\xFE\xFF\x4E\x2D", 4)), "\xE4\xB8\xAD");
}

TEST(TextEncodingTest, BrokenUnitsBecomeReplacementCharacters) {
  // A lone high surrogate before 'a', a lone low surrogate, and an odd last byte.
  const std::string le =
      std::string("\xFF\xFE\x3D\xD8", 4) + std::string("a\0", 2) + std::string("\x00\xDC", 2) + "x";
  EXPECT_EQ(ToUtf8Text(le),
            "\xEF\xBF\xBD"
            "a"
            "\xEF\xBF\xBD"
            "\xEF\xBF\xBD");
}

TEST(TextEncodingTest, AsciiInUtf16WithoutByteOrderMarkIsRecognised) {
  TextEncoding encoding;
  EXPECT_EQ(ToUtf8Text(Utf16("serial\n03e226\n", true), &encoding), "serial\n03e226\n");
  EXPECT_EQ(encoding, TextEncoding::kUtf16Le);
  EXPECT_EQ(ToUtf8Text(Utf16("serial\n03e226\n", false), &encoding), "serial\n03e226\n");
  EXPECT_EQ(encoding, TextEncoding::kUtf16Be);
}

TEST(TextEncodingTest, Utf8AndOtherBytesAreLeftAsTheyAre) {
  TextEncoding encoding;
  const std::string utf8 = "\xEF\xBB\xBFm\xC3\xBCnchen.de\n";
  EXPECT_EQ(ToUtf8Text(utf8, &encoding), utf8);
  EXPECT_EQ(encoding, TextEncoding::kUtf8);
  // A NUL here and there is junk for the parsers to report, not UTF-16.
  const std::string nul = std::string("a.example\0\nb.example\n", 21);
  EXPECT_EQ(ToUtf8Text(nul, &encoding), nul);
  EXPECT_EQ(encoding, TextEncoding::kUtf8);
  EXPECT_EQ(ToUtf8Text("", &encoding), "");
  EXPECT_EQ(ToUtf8Text(std::string("\x30\x82\x01\x0a", 4), &encoding).size(), 4u);
  EXPECT_EQ(encoding, TextEncoding::kUtf8);
}

TEST(Utf8Test, SequenceLengthsAndReplacement) {
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9", 0), 2u);          // é
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC", 0), 3u);      // €
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x94\x92", 0), 4u);  // a padlock
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // a surrogate
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82", 0), 0u);          // cut short
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // past U+10FFFF
  EXPECT_EQ(ValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b\xE2\x82"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace serialmatch
