#include "src/base/der.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::der {
namespace {

using ::testing::HasSubstr;

absl::string_view Bytes(const char* s, size_t n) { return absl::string_view(s, n); }

TEST(DerReaderTest, ReadsShortAndLongFormElements) {
  std::string data("\x02\x01\x05", 3);
  data += std::string("\x04\x81\x80", 3) + std::string(0x80, 'x');
  data += std::string("\x30\x82\x01\x00", 4) + std::string(0x100, 'y');
  Reader reader(data, 10);
  Tlv tlv;
  ASSERT_TRUE(reader.Read(kInteger, "n", &tlv).ok());
  EXPECT_EQ(tlv.content, "\x05");
  EXPECT_EQ(tlv.element, Bytes("\x02\x01\x05", 3));
  EXPECT_EQ(tlv.offset, 10u);
  EXPECT_EQ(tlv.content_offset, 12u);
  ASSERT_TRUE(reader.Read(&tlv).ok());
  EXPECT_EQ(tlv.tag, kOctetString);
  EXPECT_EQ(tlv.content.size(), 0x80u);
  EXPECT_EQ(tlv.content_offset, 16u);
  ASSERT_TRUE(reader.Read(&tlv).ok());
  EXPECT_EQ(tlv.content.size(), 0x100u);
  EXPECT_EQ(tlv.element.size(), 0x104u);
  EXPECT_TRUE(reader.empty());
  EXPECT_EQ(reader.offset(), 10 + data.size());
}

TEST(DerReaderTest, InsideReadsTheContentsWithDocumentOffsets) {
  const std::string data("\x30\x05\x02\x01\x01\x05\x00\x00", 8);
  Reader reader(data);
  Tlv seq;
  ASSERT_TRUE(reader.Read(kSequence, "seq", &seq).ok());
  EXPECT_FALSE(reader.empty());  // one byte left over
  Reader inside = Reader::Inside(seq);
  EXPECT_TRUE(inside.PeekTag(kInteger));
  Tlv tlv;
  ASSERT_TRUE(inside.Read(&tlv).ok());
  ASSERT_TRUE(inside.Read(kNull, "null", &tlv).ok());
  EXPECT_EQ(tlv.offset, 5u);
  EXPECT_TRUE(inside.empty());
  EXPECT_FALSE(inside.PeekTag(kNull));
}

TEST(DerReaderTest, RefusesIndefiniteLength) {
  Reader reader(Bytes("\x00\x30\x80\x02\x01\x01\x00\x00", 8).substr(1));
  Tlv tlv;
  const absl::Status status = reader.Read(&tlv);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("at byte 0: indefinite length"));
  EXPECT_EQ(reader.offset(), 0u);  // nothing consumed
}

TEST(DerReaderTest, RefusesHighTagNumberForm) {
  Reader reader(Bytes("\x1f\x81\x01\x00", 4));
  Tlv tlv;
  EXPECT_THAT(reader.Read(&tlv).message(), HasSubstr("high tag number form"));
}

TEST(DerReaderTest, RefusesLengthBeyondTheInput) {
  Tlv tlv;
  Reader short_form(Bytes("\x04\x05"
                          "abc",
                          5),
                    100);
  const absl::Status status = short_form.Read(&tlv);
  EXPECT_THAT(status.message(), HasSubstr("at byte 100: length 5 runs past the end"));
  Reader long_form(
      Bytes("\x04\x82\x01\x00"
            "abc",
            7));
  EXPECT_THAT(long_form.Read(&tlv).message(), HasSubstr("runs past the end"));
  Reader cut_length(Bytes("\x04\x82\x01", 3));
  EXPECT_THAT(cut_length.Read(&tlv).message(), HasSubstr("truncated length field"));
  Reader no_length(Bytes("\x04", 1));
  EXPECT_THAT(no_length.Read(&tlv).message(), HasSubstr("truncated"));
  Reader empty("");
  EXPECT_THAT(empty.Read(&tlv).message(), HasSubstr("got the end of the data"));
}

TEST(DerReaderTest, RefusesOverlongLengthFields) {
  Tlv tlv;
  Reader five_bytes(Bytes("\x04\x85\x00\x00\x00\x00\x01\x00", 8));
  EXPECT_THAT(five_bytes.Read(&tlv).message(), HasSubstr("length field of 5 bytes is too long"));
  Reader leading_zero(Bytes("\x04\x82\x00\x01\x00", 5));
  EXPECT_THAT(leading_zero.Read(&tlv).message(), HasSubstr("not minimally encoded"));
  Reader long_for_short(Bytes("\x04\x81\x01\x00", 4));
  EXPECT_THAT(long_for_short.Read(&tlv).message(), HasSubstr("not minimally encoded"));
}

TEST(DerReaderTest, ReadWithTagNamesWhatWasExpected) {
  Reader reader(Bytes("\x31\x00", 2), 7);
  Tlv tlv;
  const absl::Status status = reader.Read(kSequence, "tbsCertList", &tlv);
  EXPECT_THAT(status.message(), HasSubstr("at byte 7: tbsCertList: expected tag 0x30, got 0x31"));
}

TEST(DerSmallNonNegativeTest, ReadsMinimalNonNegativeIntegers) {
  int64_t v = -1;
  EXPECT_TRUE(SmallNonNegative(Bytes("\x00", 1), &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(SmallNonNegative(Bytes("\x00\x80", 2), &v));
  EXPECT_EQ(v, 128);
  EXPECT_FALSE(SmallNonNegative(Bytes("\x00\x01", 2), &v));  // redundant leading byte
  EXPECT_FALSE(SmallNonNegative(Bytes("\xff", 1), &v));      // negative
  EXPECT_FALSE(SmallNonNegative("", &v));
  EXPECT_FALSE(SmallNonNegative(std::string(9, '\x01'), &v));
}

}  // namespace
}  // namespace serialmatch::der
