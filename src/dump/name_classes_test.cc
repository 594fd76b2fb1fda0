#include "src/dump/name_classes.h"

#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using name_classes_internal::ClassifyBlockPortable;

// The classes of one block, as three bit strings, for messages.
std::string Describe(const BlockClasses& c) {
  auto bits = [](uint64_t v) {
    std::string s;
    for (int i = 0; i < 64; ++i) s += (v >> i & 1) ? '1' : '0';
    return s;
  };
  return "separator " + bits(c.separator) + "\ndot       " + bits(c.dot) + "\nbad       " +
         bits(c.bad);
}

bool Same(const BlockClasses& a, const BlockClasses& b) {
  return a.separator == b.separator && a.dot == b.dot && a.bad == b.bad;
}

// Every implementation this build and processor have, with the one ClassifyBlock uses.
std::vector<ClassifyBlockFn> Implementations() {
  std::vector<ClassifyBlockFn> fns = {name_classes_internal::kClassifyBlock};
  if (name_classes_internal::kClassifyBlockSse2 != nullptr) {
    fns.push_back(name_classes_internal::kClassifyBlockSse2);
  }
  if (name_classes_internal::kClassifyBlockAvx2 != nullptr) {
    fns.push_back(name_classes_internal::kClassifyBlockAvx2);
  }
  return fns;
}

TEST(NameClassesTest, EveryByteValueIsClassedAsTheRulesSay) {
  // Each byte value at each position of a block: 256 blocks, byte b at position (b + k) % 64.
  for (int shift = 0; shift < 64; shift += 21) {
    for (int value = 0; value < 256; ++value) {
      char block[64];
      std::memset(block, 'a', sizeof block);
      const int at = (value + shift) % 64;
      block[at] = static_cast<char>(value);
      const BlockClasses got = ClassifyBlockPortable(block);
      const unsigned char c = static_cast<unsigned char>(value);
      const bool separator =
          c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r';
      const bool name =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      EXPECT_EQ(got.separator, separator ? uint64_t{1} << at : 0) << value;
      EXPECT_EQ(got.dot, c == '.' ? uint64_t{1} << at : 0) << value;
      EXPECT_EQ(got.bad, separator || name ? 0 : uint64_t{1} << at) << value;
      for (ClassifyBlockFn fn : Implementations()) {
        EXPECT_TRUE(Same(fn(block), got)) << "byte " << value << " at " << at << "\n"
                                          << Describe(fn(block)) << "\nwanted\n"
                                          << Describe(got);
      }
    }
  }
}

TEST(NameClassesTest, ImplementationsAgreeOnRandomBlocks) {
  std::mt19937_64 rng(64);
  // Mostly name bytes, as in a dump; then any byte at all.
  const std::string usual = "abcxyz0189-_. ,;\t\r\n*AZ:/\x80\xff\x7f@";
  for (int round = 0; round < 20000; ++round) {
    char block[64];
    for (char& c : block) {
      c = round % 2 == 0 ? usual[rng() % usual.size()] : static_cast<char>(rng());
    }
    const BlockClasses want = ClassifyBlockPortable(block);
    for (ClassifyBlockFn fn : Implementations()) {
      ASSERT_TRUE(Same(fn(block), want)) << Describe(fn(block)) << "\nwanted\n" << Describe(want);
    }
  }
}

}  // namespace
}  // namespace serialmatch::dump
