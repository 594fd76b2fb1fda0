#include "src/base/huge_pages.h"

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

TEST(HugePageAllocatorTest, LargeAllocationsAre2MbAlignedAndUsable) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> v(3'000'000);  // 24 MB
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageSize, 0u);
  std::iota(v.begin(), v.end(), uint64_t{0});
  EXPECT_EQ(v.back(), 2'999'999u);
  v.resize(5'000'000);  // reallocates and frees the first mapping
  EXPECT_EQ(v[2'999'999], 2'999'999u);
}

TEST(HugePageAllocatorTest, SmallAllocationsWork) {
  std::vector<int, HugePageAllocator<int>> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i);
  EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), 999 * 1000 / 2);
}

TEST(AdviseHugePagesTest, AcceptsRangesOfAnyAlignment) {
  std::string text(5 << 20, 'x');
  AdviseHugePages(text.data() + 1, text.size() - 1);
  AdviseHugePages(text.data(), 100);
  AdviseHugePages(nullptr, 0);
  text[4 << 20] = 'y';
  EXPECT_EQ(text[4 << 20], 'y');
}

}  // namespace
}  // namespace serialmatch
