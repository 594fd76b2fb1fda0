#include "src/dump/byte_stream.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/dump/test_compress.h"

namespace serialmatch::dump {
namespace {

using ::testing::HasSubstr;

// About `bytes` of text shaped like Let's Encrypt's 2020 mass-revocation list: compressible but
// not trivially (random serials and hashes).
std::string LeText(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::mt19937_64 rng(2020);
  auto hex = [&](int digits) {
    std::string out;
    for (int i = 0; i < digits; ++i) out.push_back(kHex[rng() % 16]);
    return out;
  };
  std::string text;
  text.reserve(bytes + 512);
  while (text.size() < bytes) {
    const std::string name = absl::StrCat("site-", rng() % 1000000, ".example.com");
    absl::StrAppend(&text, "serial 03", hex(34), " ", rng() % 80000000, " ", hex(64), " names: [",
                    name, " www.", name, "] missing CAA checking results for [", name,
                    "] at 2019-12-03 21:08:34.826011675 +0000 UTC\n");
  }
  return text;
}

// A ByteStream over a string that hands out at most `chunk` bytes per Read, as a pipe might.
class StringStream : public ByteStream {
 public:
  explicit StringStream(std::string data, size_t chunk = SIZE_MAX)
      : data_(std::move(data)), chunk_(chunk) {}

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t take = std::min({n, chunk_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string data_;
  size_t chunk_;
  size_t pos_ = 0;
};

struct Drained {
  std::string data;  // everything returned before the end or the error
  absl::Status status;
};

// Reads `stream` to its end or first error, `buffer_size` bytes at a time.
Drained Drain(ByteStream& stream, size_t buffer_size) {
  Drained result;
  std::vector<char> buffer(buffer_size);
  while (true) {
    absl::StatusOr<size_t> got = stream.Read(buffer.data(), buffer.size());
    if (!got.ok()) {
      result.status = got.status();
      break;
    }
    if (*got == 0) break;
    EXPECT_LE(*got, buffer_size);
    result.data.append(buffer.data(), *got);
  }
  return result;
}

Drained Decompress(Compression c, std::string compressed, size_t buffer_size = 1 << 16,
                   size_t input_chunk = SIZE_MAX) {
  std::unique_ptr<ByteStream> stream = MakeDecompressingStream(
      c, std::make_unique<StringStream>(std::move(compressed), input_chunk), "dump.gz");
  return Drain(*stream, buffer_size);
}

// "1234567" -> "1,234,567", written independently of the code under test.
std::string Commas(uint64_t n) {
  std::string reversed;
  for (int digit = 0; digit == 0 || n > 0; ++digit, n /= 10) {
    if (digit > 0 && digit % 3 == 0) reversed.push_back(',');
    reversed.push_back(static_cast<char>('0' + n % 10));
  }
  return std::string(reversed.rbegin(), reversed.rend());
}

const std::string& Text() {
  static const std::string* text = new std::string(LeText(3 << 20));
  return *text;
}

TEST(ByteStreamTest, CommasHelperGroupsThousands) {
  EXPECT_EQ(Commas(0), "0");
  EXPECT_EQ(Commas(999), "999");
  EXPECT_EQ(Commas(1000), "1,000");
  EXPECT_EQ(Commas(1234567), "1,234,567");
}

TEST(DetectCompressionTest, RecognisesMagicNumbers) {
  EXPECT_EQ(DetectCompression(absl::string_view("\x1f\x8b\x08\x00", 4)), Compression::kGzip);
  EXPECT_EQ(DetectCompression(absl::string_view("\x1f\x8b", 2)), Compression::kGzip);
  EXPECT_EQ(DetectCompression(absl::string_view("\x28\xb5\x2f\xfd\x24", 5)), Compression::kZstd);
  EXPECT_EQ(DetectCompression(GzipForTest("x")), Compression::kGzip);
  EXPECT_EQ(DetectCompression(ZstdForTest("x")), Compression::kZstd);
}

TEST(DetectCompressionTest, RecognisesXzAndBzip2) {
  EXPECT_EQ(DetectCompression(absl::string_view("\xFD"
                                                "7zXZ\x00\x00",
                                                7)),
            Compression::kXz);
  EXPECT_EQ(DetectCompression(XzForTest("x")), Compression::kXz);
  EXPECT_EQ(DetectCompression("BZh91AY&SY"), Compression::kBzip2);
  EXPECT_EQ(DetectCompression(Bzip2ForTest("x", 1)), Compression::kBzip2);
  EXPECT_EQ(DetectCompression(absl::string_view("\xFD"
                                                "7zXZ",
                                                5)),
            Compression::kNone);
  EXPECT_EQ(DetectCompression("BZh0"), Compression::kNone);
  EXPECT_EQ(DetectCompression("BZh"), Compression::kNone);
  EXPECT_EQ(DetectCompression("BZhello"), Compression::kNone);
}

TEST(CheckSupportedTest, NamesArchivesAndCompressionsItDoesNotRead) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("PK\x03\x04\x14\x00\x00\x00", 8),
       "zip archive; not supported, extract it first"},
      {std::string("PK\x05\x06\x00\x00\x00\x00", 8),
       "zip archive; not supported, extract it first"},
      {std::string("7z\xBC\xAF\x27\x1C\x00\x04", 8), "7z archive; not supported, extract it first"},
      {std::string("Rar!\x1A\x07\x01\x00", 8), "rar archive; not supported, extract it first"},
      {std::string("\x04\x22\x4D\x18\x64\x40\xA7", 7),
       "lz4 compressed data; not supported, decompress it first"},
      {"LZIP\x01\x0c", "lzip compressed data; not supported, decompress it first"},
      {std::string("\x1F\x9D\x90", 3), "compress (.Z) data; not supported, decompress it first"},
      {std::string("\x5D\x00\x00\x80\x00", 5),
       "lzma (.lzma) compressed data; not supported, decompress it first"},
  };
  for (const auto& [head, message] : cases) {
    const absl::Status status = CheckSupported(head, "dump.bin");
    EXPECT_FALSE(status.ok()) << message;
    EXPECT_EQ(status.message(), "dump.bin: " + message);
  }
  for (const std::string& head :
       {std::string(""), std::string("P"), std::string("PK,serial\n"), GzipForTest("x"),
        ZstdForTest("x"), XzForTest("x"), Bzip2ForTest("x"), std::string("serial 03aa 1 h")}) {
    EXPECT_TRUE(CheckSupported(head, "dump.bin").ok()) << head;
  }
}

TEST(DetectCompressionTest, ShortOrPlainInputIsNone) {
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
  EXPECT_EQ(DetectCompression(absl::string_view("\x1f", 1)), Compression::kNone);
  EXPECT_EQ(DetectCompression(absl::string_view("\x28\xb5\x2f", 3)), Compression::kNone);
  EXPECT_EQ(DetectCompression(absl::string_view("\x1f\x8c", 2)), Compression::kNone);
  EXPECT_EQ(DetectCompression(absl::string_view("\x8b\x1f", 2)), Compression::kNone);
  EXPECT_EQ(DetectCompression("serial 03a1b2 names: [example.com]\n"), Compression::kNone);
  EXPECT_EQ(DetectCompression("dump.txt.gz"), Compression::kNone);  // names don't count
}

TEST(CompressionNameTest, NamesEachKind) {
  EXPECT_EQ(CompressionName(Compression::kNone), "none");
  EXPECT_EQ(CompressionName(Compression::kGzip), "gzip");
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
  EXPECT_EQ(CompressionName(Compression::kXz), "xz");
  EXPECT_EQ(CompressionName(Compression::kBzip2), "bzip2");
}

TEST(MakeDecompressingStreamTest, NoneReturnsTheInputStreamItself) {
  auto input = std::make_unique<StringStream>("plain text\n");
  ByteStream* raw = input.get();
  std::unique_ptr<ByteStream> stream =
      MakeDecompressingStream(Compression::kNone, std::move(input), "dump.txt");
  EXPECT_EQ(stream.get(), raw);
  EXPECT_EQ(Drain(*stream, 3).data, "plain text\n");
}

class GzipRoundTripTest : public ::testing::TestWithParam<size_t> {};

TEST_P(GzipRoundTripTest, ReturnsTheOriginalText) {
  const Drained out = Decompress(Compression::kGzip, GzipForTest(Text()), GetParam());
  ASSERT_TRUE(out.status.ok()) << out.status;
  ASSERT_EQ(out.data.size(), Text().size());
  EXPECT_TRUE(out.data == Text());
}

class ZstdRoundTripTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ZstdRoundTripTest, ReturnsTheOriginalText) {
  const Drained out = Decompress(Compression::kZstd, ZstdForTest(Text()), GetParam());
  ASSERT_TRUE(out.status.ok()) << out.status;
  ASSERT_EQ(out.data.size(), Text().size());
  EXPECT_TRUE(out.data == Text());
}

INSTANTIATE_TEST_SUITE_P(BufferSizes, GzipRoundTripTest,
                         ::testing::Values(size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20));
INSTANTIATE_TEST_SUITE_P(BufferSizes, ZstdRoundTripTest,
                         ::testing::Values(size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20));

// The compressed input arriving in small pieces splits headers, blocks and trailers across reads.
TEST(GzipStreamTest, HandlesCompressedInputInSmallPieces) {
  const std::string text = Text().substr(0, 256 << 10);
  const std::string compressed = GzipForTest(text) + GzipForTest(text);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{4093}}) {
    const Drained out = Decompress(Compression::kGzip, compressed, 1 << 16, chunk);
    ASSERT_TRUE(out.status.ok()) << "chunk " << chunk << ": " << out.status;
    EXPECT_TRUE(out.data == text + text) << "chunk " << chunk;
  }
}

TEST(ZstdStreamTest, HandlesCompressedInputInSmallPieces) {
  const std::string text = Text().substr(0, 256 << 10);
  const std::string compressed = ZstdForTest(text) + ZstdForTest(text);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{4093}}) {
    const Drained out = Decompress(Compression::kZstd, compressed, 1 << 16, chunk);
    ASSERT_TRUE(out.status.ok()) << "chunk " << chunk << ": " << out.status;
    EXPECT_TRUE(out.data == text + text) << "chunk " << chunk;
  }
}

TEST(GzipStreamTest, ReadsEveryMemberOfAConcatenation) {
  const std::string a = Text().substr(0, 1 << 20);
  const std::string b = "serial 03ff names: [b.example] last line without newline";
  const Drained out = Decompress(Compression::kGzip, GzipForTest(a) + GzipForTest(b));
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_EQ(out.data.size(), a.size() + b.size());
  EXPECT_TRUE(out.data == a + b);
}

TEST(GzipStreamTest, ReadsAMemberOfAnEmptyFile) {
  const std::string a = "first\n";
  const std::string b = "third\n";
  const Drained middle =
      Decompress(Compression::kGzip, GzipForTest(a) + GzipForTest("") + GzipForTest(b), 1);
  ASSERT_TRUE(middle.status.ok()) << middle.status;
  EXPECT_EQ(middle.data, a + b);

  const Drained alone = Decompress(Compression::kGzip, GzipForTest(""));
  ASSERT_TRUE(alone.status.ok()) << alone.status;
  EXPECT_EQ(alone.data, "");

  const Drained last = Decompress(Compression::kGzip, GzipForTest(a) + GzipForTest(""));
  ASSERT_TRUE(last.status.ok()) << last.status;
  EXPECT_EQ(last.data, a);
}

TEST(GzipStreamTest, ReadsAHeaderWithAFileName) {
  // What `gzip dump.txt` writes: FLG.FNAME set, the name NUL-terminated after the fixed header.
  const std::string text = Text().substr(0, 100000);
  const std::string header(
      "\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\x03"
      "dump.txt\0",
      19);
  const std::string compressed = header + GzipForTest(text, IGZIP_GZIP_NO_HDR);
  for (size_t chunk : {size_t{1}, size_t{12}, SIZE_MAX}) {
    const Drained out = Decompress(Compression::kGzip, compressed, 4096, chunk);
    ASSERT_TRUE(out.status.ok()) << out.status;
    EXPECT_TRUE(out.data == text);
  }
}

TEST(GzipStreamTest, ToleratesZeroPaddingAfterTheLastMember) {
  const std::string text = "serial 0301 names: [a.example]\n";
  const Drained out =
      Decompress(Compression::kGzip, GzipForTest(text) + std::string(1000, '\0'), 4096, 7);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_EQ(out.data, text);
}

TEST(GzipStreamTest, RejectsGarbageAfterAMember) {
  const std::string text = "serial 0301 names: [a.example]\n";
  const std::string member = GzipForTest(text);
  for (const std::string& tail :
       {std::string("garbage"), std::string("\n"), std::string(10, '\0') + "x",
        std::string("\x1f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12),
        std::string("\x1f\x8b\x09\x00\x00\x00\x00\x00\x00\x03", 10)}) {
    const Drained out = Decompress(Compression::kGzip, member + tail);
    EXPECT_FALSE(out.status.ok()) << "tail of " << tail.size() << " bytes was accepted";
    EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: "));
  }
  const Drained out = Decompress(Compression::kGzip, member + "garbage");
  EXPECT_EQ(out.status.message(),
            absl::StrCat("dump.gz: trailing garbage after ", member.size(), " compressed bytes (",
                         text.size(), " bytes decompressed)"));
}

// Every cut point must end in an error mentioning "truncated", after a prefix of the original.
void ExpectTruncationIsAnError(Compression c, const std::string& compressed,
                               const std::string& original, const std::vector<size_t>& cuts) {
  for (size_t cut : cuts) {
    for (size_t buffer_size : {size_t{7}, size_t{1} << 20}) {
      SCOPED_TRACE(absl::StrCat(CompressionName(c), " cut at ", cut, " of ", compressed.size(),
                                ", buffer ", buffer_size));
      const Drained out = Decompress(c, compressed.substr(0, cut), buffer_size);
      ASSERT_FALSE(out.status.ok()) << "returned " << out.data.size() << " bytes as complete";
      EXPECT_EQ(out.status.code(), absl::StatusCode::kDataLoss);
      EXPECT_THAT(out.status.message(),
                  HasSubstr(absl::StrCat("dump.gz: truncated ", CompressionName(c), " data after ",
                                         Commas(cut), " compressed bytes (",
                                         Commas(out.data.size()), " bytes decompressed)")));
      EXPECT_LE(out.data.size(), original.size());
      if (cut <= compressed.size() / 2) {
        EXPECT_LT(out.data.size(), original.size());
      }
      EXPECT_TRUE(original.compare(0, out.data.size(), out.data) == 0) << "not a prefix";
    }
  }
}

TEST(GzipStreamTest, TruncatedInputIsAnError) {
  const std::string text = Text();
  const std::string compressed = GzipForTest(text);
  ASSERT_GT(compressed.size(), 100000u);
  // Inside the 10-byte header, in the deflate data, just before and inside the 8-byte trailer.
  ExpectTruncationIsAnError(
      Compression::kGzip, compressed, text,
      {0, 1, 2, 5, 9, 10, 11, compressed.size() / 3, compressed.size() / 2, compressed.size() - 9,
       compressed.size() - 8, compressed.size() - 4, compressed.size() - 1});
}

TEST(GzipStreamTest, TruncatedSecondMemberIsAnError) {
  const std::string a = "serial 0301 names: [a.example]\n";
  const std::string b = Text().substr(0, 300000);
  const std::string first = GzipForTest(a);
  const std::string compressed = first + GzipForTest(b);
  ExpectTruncationIsAnError(Compression::kGzip, compressed, a + b,
                            {first.size() + 1, first.size() + 10, compressed.size() - 8});
}

TEST(ZstdStreamTest, TruncatedInputIsAnError) {
  const std::string text = Text();
  const std::string compressed = ZstdForTest(text);
  ASSERT_GT(compressed.size(), 100000u);
  // Inside the magic and frame header, in the blocks, just before and inside the checksum.
  ExpectTruncationIsAnError(Compression::kZstd, compressed, text,
                            {0, 1, 3, 4, 6, 12, compressed.size() / 3, compressed.size() / 2,
                             compressed.size() - 5, compressed.size() - 4, compressed.size() - 1});
}

TEST(ZstdStreamTest, TruncatedSecondFrameIsAnError) {
  const std::string a = "serial 0301 names: [a.example]\n";
  const std::string b = Text().substr(0, 300000);
  const std::string first = ZstdForTest(a);
  const std::string compressed = first + ZstdForTest(b);
  ExpectTruncationIsAnError(Compression::kZstd, compressed, a + b,
                            {first.size() + 2, first.size() + 10, compressed.size() - 4});
}

TEST(GzipStreamTest, FlippedBytesAreAnError) {
  const std::string text = Text();
  const std::string compressed = GzipForTest(text);
  for (size_t at : {compressed.size() / 4, compressed.size() / 2, compressed.size() * 3 / 4}) {
    for (uint8_t mask : {0x01, 0x10, 0xff}) {
      std::string corrupt = compressed;
      corrupt[at] = static_cast<char>(corrupt[at] ^ mask);
      const Drained out = Decompress(Compression::kGzip, corrupt);
      ASSERT_FALSE(out.status.ok()) << "flip at " << at;
      EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: corrupt gzip data ("));
      EXPECT_THAT(out.status.message(), HasSubstr(" bytes decompressed)"));
    }
  }
}

TEST(GzipStreamTest, WrongTrailerIsAChecksumError) {
  const std::string text = Text().substr(0, 100000);
  for (size_t from_end : {size_t{8}, size_t{1}}) {  // CRC32, then ISIZE
    std::string corrupt = GzipForTest(text);
    corrupt[corrupt.size() - from_end] ^= 0x01;
    const Drained out = Decompress(Compression::kGzip, corrupt);
    ASSERT_FALSE(out.status.ok());
    EXPECT_THAT(out.status.message(), HasSubstr("corrupt gzip data (checksum mismatch)"));
  }
}

TEST(ZstdStreamTest, FlippedBytesAreAnError) {
  const std::string text = Text();
  const std::string compressed = ZstdForTest(text);
  for (size_t at : {compressed.size() / 4, compressed.size() / 2, compressed.size() * 3 / 4}) {
    for (uint8_t mask : {0x01, 0x10, 0xff}) {
      std::string corrupt = compressed;
      corrupt[at] = static_cast<char>(corrupt[at] ^ mask);
      const Drained out = Decompress(Compression::kZstd, corrupt);
      ASSERT_FALSE(out.status.ok()) << "flip at " << at;
      EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: corrupt zstd data ("));
    }
  }
}

TEST(ZstdStreamTest, ReadsEveryFrame) {
  const std::string a = Text().substr(0, 1 << 20);
  const std::string b = "serial 03ff names: [b.example]\n";
  const std::string compressed =
      ZstdForTest(a) + ZstdForTest("") + ZstdForTest(b, /*checksum=*/false);
  const Drained out = Decompress(Compression::kZstd, compressed, 4096);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_TRUE(out.data == a + b);
}

TEST(ZstdStreamTest, RejectsGarbageAfterAFrame) {
  const Drained out = Decompress(Compression::kZstd, ZstdForTest("serial 0301\n") + "garbage!");
  ASSERT_FALSE(out.status.ok());
  EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: corrupt zstd data ("));
}

// The compressed form of `text` in `c`, as the tests' writers make it.
std::string Compress(Compression c, absl::string_view text) {
  switch (c) {
    case Compression::kNone:
      return std::string(text);
    case Compression::kGzip:
      return GzipForTest(text);
    case Compression::kZstd:
      return ZstdForTest(text);
    case Compression::kXz:
      return XzForTest(text);
    case Compression::kBzip2:
      return Bzip2ForTest(text, /*block_100k=*/1);  // several blocks in a few hundred KB
  }
  return "";
}

class XzAndBzip2Test : public ::testing::TestWithParam<Compression> {};

TEST_P(XzAndBzip2Test, ReturnsTheOriginalTextWhateverTheReadSizes) {
  const std::string text = Text().substr(0, 400 << 10);
  const std::string compressed = Compress(GetParam(), text);
  ASSERT_FALSE(compressed.empty());
  ASSERT_EQ(DetectCompression(compressed), GetParam());
  for (size_t buffer_size : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
    const Drained out = Decompress(GetParam(), compressed, buffer_size);
    ASSERT_TRUE(out.status.ok()) << buffer_size << ": " << out.status;
    ASSERT_EQ(out.data.size(), text.size());
    EXPECT_TRUE(out.data == text);
  }
  const std::string small = Text().substr(0, 256 << 10);
  const std::string two = Compress(GetParam(), small) + Compress(GetParam(), small);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{4093}}) {
    const Drained out = Decompress(GetParam(), two, 1 << 16, chunk);
    ASSERT_TRUE(out.status.ok()) << "chunk " << chunk << ": " << out.status;
    EXPECT_TRUE(out.data == small + small) << "chunk " << chunk;
  }
}

TEST_P(XzAndBzip2Test, ReadsEveryStreamOfAConcatenationEmptyOnesToo) {
  const Compression c = GetParam();
  const std::string a = "first\n";
  const std::string b = "serial 03ff names: [b.example] last line without newline";
  const Drained out = Decompress(c, Compress(c, a) + Compress(c, "") + Compress(c, b), 1);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_EQ(out.data, a + b);
  const Drained empty = Decompress(c, Compress(c, ""));
  ASSERT_TRUE(empty.status.ok()) << empty.status;
  EXPECT_EQ(empty.data, "");
}

TEST_P(XzAndBzip2Test, TruncatedInputIsAnErrorSayingHowFarItGot) {
  const Compression c = GetParam();
  const std::string text = Text().substr(0, 400 << 10);
  const std::string compressed = Compress(c, text);
  ASSERT_GT(compressed.size(), 100000u);
  ExpectTruncationIsAnError(c, compressed, text,
                            {0, 1, 3, 5, 6, 12, compressed.size() / 3, compressed.size() / 2,
                             compressed.size() - 12, compressed.size() - 4, compressed.size() - 1});
  const std::string a = "serial 0301 names: [a.example]\n";
  const std::string b = Text().substr(0, 300000);
  const std::string first = Compress(c, a);
  const std::string two = first + Compress(c, b);
  ExpectTruncationIsAnError(c, two, a + b, {first.size() + 2, first.size() + 10, two.size() - 4});
}

TEST_P(XzAndBzip2Test, FlippedBytesAndTrailingGarbageAreErrors) {
  const Compression c = GetParam();
  const std::string name(CompressionName(c));
  const std::string compressed = Compress(c, Text().substr(0, 400 << 10));
  for (size_t at : {compressed.size() / 4, compressed.size() / 2, compressed.size() - 2}) {
    std::string corrupt = compressed;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x10);
    const Drained out = Decompress(c, corrupt);
    ASSERT_FALSE(out.status.ok()) << "flip at " << at;
    EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: corrupt " + name + " data ("));
    EXPECT_THAT(out.status.message(), HasSubstr(" bytes decompressed)"));
  }
  const std::string text = "serial 0301 names: [a.example]\n";
  for (const std::string& tail : {std::string("garbage"), std::string("\n"), std::string("x")}) {
    const Drained out = Decompress(c, Compress(c, text) + tail);
    EXPECT_FALSE(out.status.ok()) << "tail '" << tail << "' was accepted";
    EXPECT_THAT(out.status.message(), HasSubstr("dump.gz: "));
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, XzAndBzip2Test,
                         ::testing::Values(Compression::kXz, Compression::kBzip2),
                         [](const ::testing::TestParamInfo<Compression>& param_info) {
                           return std::string(CompressionName(param_info.param));
                         });

TEST(XzStreamTest, GarbageAfterAStreamIsTrailingGarbageButStreamPaddingIsNot) {
  const std::string text = "serial 0301 names: [a.example]\n";
  const std::string stream = XzForTest(text);
  for (const std::string& tail : {std::string("garbage!"), std::string("\n"),
                                  std::string(4, '\0') + "x", std::string(3, '\0')}) {
    const Drained garbage = Decompress(Compression::kXz, stream + tail);
    // Zero bytes count as stream padding until they turn out not to be.
    const size_t zeros = std::min(tail.find_first_not_of('\0'), tail.size());
    EXPECT_EQ(garbage.status.message(),
              absl::StrCat("dump.gz: trailing garbage after ", stream.size() + zeros,
                           " compressed bytes (", text.size(), " bytes decompressed)"))
        << tail;
    EXPECT_EQ(garbage.data, text);
  }
  // Stream padding: zero bytes in multiples of four, as the xz format allows between streams.
  const Drained padded = Decompress(Compression::kXz, stream + std::string(8, '\0') + stream);
  ASSERT_TRUE(padded.status.ok()) << padded.status;
  EXPECT_EQ(padded.data, text + text);
  const Drained trailing = Decompress(Compression::kXz, stream + std::string(4, '\0'));
  ASSERT_TRUE(trailing.status.ok()) << trailing.status;
  EXPECT_EQ(trailing.data, text);
}

TEST(Bzip2StreamTest, GarbageAfterAStreamIsTrailingGarbage) {
  const std::string text = "serial 0301 names: [a.example]\n";
  const std::string stream = Bzip2ForTest(text);
  const Drained out = Decompress(Compression::kBzip2, stream + "garbage");
  EXPECT_EQ(out.status.message(),
            absl::StrCat("dump.gz: trailing garbage after ", stream.size(), " compressed bytes (",
                         text.size(), " bytes decompressed)"));
  EXPECT_EQ(out.data, text);
}

TEST(DecompressingStreamTest, ErrorsAreSticky) {
  for (Compression c :
       {Compression::kGzip, Compression::kZstd, Compression::kXz, Compression::kBzip2}) {
    const std::string compressed = Compress(c, Text().substr(0, 400 << 10));
    std::unique_ptr<ByteStream> stream = MakeDecompressingStream(
        c, std::make_unique<StringStream>(compressed.substr(0, compressed.size() / 2)), "d");
    Drained out = Drain(*stream, 1 << 16);
    ASSERT_FALSE(out.status.ok());
    char buf[16];
    absl::StatusOr<size_t> again = stream->Read(buf, sizeof(buf));
    EXPECT_FALSE(again.ok()) << "a second Read after the error reported " << *again << " bytes";
  }
}

TEST(DecompressingStreamTest, ZeroByteReadReturnsZeroWithoutConsuming) {
  const std::string text = "serial 0301\n";
  std::unique_ptr<ByteStream> stream = MakeDecompressingStream(
      Compression::kGzip, std::make_unique<StringStream>(GzipForTest(text)), "d");
  char buf[64];
  absl::StatusOr<size_t> got = stream->Read(buf, 0);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 0u);
  EXPECT_EQ(Drain(*stream, 64).data, text);
}

TEST(DecompressingStreamTest, EmptyInputIsTruncated) {
  for (Compression c :
       {Compression::kGzip, Compression::kZstd, Compression::kXz, Compression::kBzip2}) {
    const Drained out = Decompress(c, "");
    ASSERT_FALSE(out.status.ok()) << CompressionName(c);
    EXPECT_THAT(out.status.message(), HasSubstr("truncated"));
  }
}

// Writes `content` to a pipe from another thread; fd() is the read end. If the reader stops early,
// the destructor's close makes the writer fail with EPIPE (SIGPIPE is ignored) instead of blocking.
class PipeWriter {
 public:
  explicit PipeWriter(std::string content) {
    std::signal(SIGPIPE, SIG_IGN);
    EXPECT_EQ(::pipe(fds_), 0);
    writer_ = std::thread([this, content = std::move(content)] {
      EXPECT_TRUE(WriteAll(fds_[1], content).ok()) << "the reader stopped before the end";
      ::close(fds_[1]);
    });
  }
  ~PipeWriter() {
    ::close(fds_[0]);
    writer_.join();
  }
  int fd() const { return fds_[0]; }

 private:
  int fds_[2] = {-1, -1};
  std::thread writer_;
};

TEST(FdStreamTest, ReturnsThePrefixThenTheFdData) {
  PipeWriter pipe(" and then the pipe's bytes\n");
  std::unique_ptr<ByteStream> stream = MakeFdStream(pipe.fd(), "<pipe>", "prefix first");
  char buf[5];
  absl::StatusOr<size_t> first = stream->Read(buf, sizeof(buf));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(absl::string_view(buf, *first), "prefi");
  EXPECT_EQ(Drain(*stream, 4).data, "x first and then the pipe's bytes\n");
  absl::StatusOr<size_t> after_end = stream->Read(buf, sizeof(buf));
  ASSERT_TRUE(after_end.ok());
  EXPECT_EQ(*after_end, 0u);
}

TEST(FdStreamTest, WithoutPrefixReadsTheFd) {
  const std::string text = Text().substr(0, 1 << 20);
  PipeWriter pipe(text);
  std::unique_ptr<ByteStream> stream = MakeFdStream(pipe.fd(), "<pipe>");
  const Drained out = Drain(*stream, 65536);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_TRUE(out.data == text);
}

TEST(FdStreamTest, ReadErrorNamesTheInput) {
  const int fd = ::open("/", O_RDONLY | O_DIRECTORY);  // read() on a directory fails: EISDIR
  ASSERT_GE(fd, 0);
  std::unique_ptr<ByteStream> stream = MakeFdStream(fd, "some/dir", "ab");
  const Drained out = Drain(*stream, 16);
  ::close(fd);
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.data, "ab");
  EXPECT_THAT(out.status.message(), HasSubstr("some/dir: read failed after 2 bytes"));
  EXPECT_THAT(out.status.message(), HasSubstr(std::strerror(EISDIR)));
}

TEST(FdStreamTest, DetectsAndDecompressesAGzipPipe) {
  // What the CLI does with `serialmatch <(cat dump.gz)`: peek, detect, hand the peeked bytes back.
  const std::string text = Text();
  PipeWriter pipe(GzipForTest(text.substr(0, text.size() / 2)) +
                  GzipForTest(text.substr(text.size() / 2)));
  char head[4];
  size_t have = 0;
  while (have < sizeof(head)) {
    const ssize_t got = ::read(pipe.fd(), head + have, sizeof(head) - have);
    ASSERT_GT(got, 0);
    have += static_cast<size_t>(got);
  }
  const Compression c = DetectCompression(absl::string_view(head, have));
  ASSERT_EQ(c, Compression::kGzip);
  std::unique_ptr<ByteStream> stream = MakeDecompressingStream(
      c, MakeFdStream(pipe.fd(), "<pipe>", std::string(head, have)), "<pipe>");
  const Drained out = Drain(*stream, 1 << 20);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_TRUE(out.data == text);
}

TEST(FdStreamTest, DecompressesAZstdPipeWithReadErrorsPassedThrough) {
  const std::string text = Text().substr(0, 1 << 20);
  PipeWriter pipe(ZstdForTest(text));
  std::unique_ptr<ByteStream> stream =
      MakeDecompressingStream(Compression::kZstd, MakeFdStream(pipe.fd(), "<pipe>"), "<pipe>");
  const Drained out = Drain(*stream, 1 << 20);
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_TRUE(out.data == text);

  const int dir = ::open("/", O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dir, 0);
  std::unique_ptr<ByteStream> broken =
      MakeDecompressingStream(Compression::kZstd, MakeFdStream(dir, "some/dir"), "some/dir");
  const Drained failed = Drain(*broken, 16);
  ::close(dir);
  ASSERT_FALSE(failed.status.ok());
  EXPECT_THAT(failed.status.message(), HasSubstr("some/dir: read failed"));
}

}  // namespace
}  // namespace serialmatch::dump
