#include "src/cli/signals.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/mapped_file.h"
#include "src/base/test_util.h"

namespace serialmatch::cli {
namespace {

TEST(SignalsDeathTest, TermAndIntExitWith128PlusTheSignal) {
  EXPECT_EXIT(
      {
        InstallSignalHandlers({});
        ::raise(SIGTERM);
      },
      ::testing::ExitedWithCode(143), "");
  EXPECT_EXIT(
      {
        InstallSignalHandlers({});
        ::raise(SIGINT);
      },
      ::testing::ExitedWithCode(130), "");
}

// --io mmap: a dump truncated while it is mapped raises SIGBUS on the next access to a page past
// the new end. That is reported on one line and the run ends with status 2, not with a crash.
TEST(SignalsDeathTest, BusErrorOnAShrunkMappingIsOneLineAndStatusTwo) {
  const std::string path = TestTempPath("signals_sigbus");
  ASSERT_TRUE(WriteFileAtomically(path, std::string(64 << 10, 'x')).ok());
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EXIT(
      {
        InstallSignalHandlers({.mmap_dumps = true});
        if (::truncate(path.c_str(), 0) != 0) ::_exit(99);
        volatile const char* data = file->data().data();
        (void)data[32 << 10];
        ::_exit(98);  // not reached: the access raises SIGBUS
      },
      ::testing::ExitedWithCode(2), "memory-mapped dump was truncated while it was being read");
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace serialmatch::cli
