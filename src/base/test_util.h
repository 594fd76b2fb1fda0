// Helpers shared by the unit tests.
#ifndef SERIALMATCH_SRC_BASE_TEST_UTIL_H_
#define SERIALMATCH_SRC_BASE_TEST_UTIL_H_

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace serialmatch {

// A path in the test temporary directory that no other test process uses: ctest runs every test
// case as its own process, several at a time, so fixed file names would collide.
inline std::string TestTempPath(absl::string_view name) {
  return absl::StrCat(::testing::TempDir(), "/", name, "_", ::getpid());
}

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_TEST_UTIL_H_
