#include "src/base/hash.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

// The hash must depend only on the bytes inside the view, whatever surrounds them in memory.
TEST(HashBytesTest, DependsOnlyOnTheViewedBytes) {
  for (size_t length = 0; length <= 70; ++length) {
    std::string a(length + 32, 'a');
    std::string b(length + 32, 'b');
    for (size_t i = 0; i < length; ++i) a[16 + i] = b[16 + i] = static_cast<char>('0' + i % 40);
    EXPECT_EQ(HashBytes(absl::string_view(a).substr(16, length)),
              HashBytes(absl::string_view(b).substr(16, length)))
        << length;
  }
}

TEST(HashBytesTest, DistinguishesNearbyKeys) {
  std::set<uint64_t> hashes;
  int keys = 0;
  for (int i = 0; i < 20000; ++i) {
    for (const std::string& k : {std::to_string(i), "www.site-" + std::to_string(i) + ".example",
                                 std::string(static_cast<size_t>(i % 40), 'x')}) {
      hashes.insert(HashBytes(k));
      ++keys;
    }
  }
  // The 'x'-runs repeat every 40 keys; everything else is distinct.
  EXPECT_EQ(hashes.size(), 40000u + 40u);
  EXPECT_GT(keys, 0);
}

TEST(HashBytesTest, LengthMatters) {
  const std::string zeros(32, '\0');
  std::set<uint64_t> hashes;
  for (size_t n = 0; n <= 32; ++n) hashes.insert(HashBytes(absl::string_view(zeros).substr(0, n)));
  EXPECT_EQ(hashes.size(), 33u);
}

}  // namespace
}  // namespace serialmatch
