#include "src/base/keep_until_exit.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace serialmatch {
namespace {

// Counts the destructions of the objects that hold a value (not of moved-from shells).
struct Counted {
  explicit Counted(int* destroyed) : destroyed_(destroyed) {}
  Counted(Counted&& other) noexcept : destroyed_(other.destroyed_) { other.destroyed_ = nullptr; }
  ~Counted() {
    if (destroyed_ != nullptr) ++*destroyed_;
  }
  int* destroyed_;
};

TEST(KeepUntilExitTest, KeepsTheValueAtAStableAddress) {
  std::vector<std::string>& kept = KeepUntilExit(std::vector<std::string>{"a", "b"});
  const std::string* first = &kept[0];
  for (int i = 0; i < 1000; ++i) KeepUntilExit(std::string(100, 'x'));  // more kept objects
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(&kept[0], first);
  EXPECT_EQ(kept[1], "b");
  kept.push_back("c");  // a mutable object, as a run fills it
  EXPECT_EQ(kept.size(), 3u);
}

TEST(KeepUntilExitTest, NeverDestroysTheKeptObject) {
  static int destroyed = 0;  // static: the kept object outlives this test
  {
    Counted& kept = KeepUntilExit(Counted(&destroyed));
    EXPECT_EQ(kept.destroyed_, &destroyed);
  }
  KeepUntilExit(std::string("later"));
  EXPECT_EQ(destroyed, 0);
}

}  // namespace
}  // namespace serialmatch
