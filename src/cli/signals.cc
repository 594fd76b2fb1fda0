#include "src/cli/signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "src/base/file_util.h"

namespace serialmatch::cli {
namespace {

constexpr char kShrankMessage[] =
    "\nserialmatch: a memory-mapped dump was truncated while it was being read (SIGBUS); "
    "no report was written. Run again when the file is complete, or without --io mmap\n";

void WriteStderr(const char* text, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(STDERR_FILENO, text, size);
    if (n <= 0) return;
    text += n;
    size -= static_cast<size_t>(n);
  }
}

extern "C" void OnTerminate(int signo) {
  RemovePendingTempFile();
  ::_exit(128 + signo);
}

extern "C" void OnBusError(int) {
  RemovePendingTempFile();
  WriteStderr(kShrankMessage, sizeof kShrankMessage - 1);
  ::_exit(2);
}

// Installs `handler` for `signo`, except over a signal the parent ignored (`nohup`, a background
// job of a non-interactive shell): that stays ignored, as the shell meant.
void Handle(int signo, void (*handler)(int)) {
  struct sigaction old;
  if (::sigaction(signo, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) return;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  sigfillset(&action.sa_mask);  // one handler at a time; each of them ends the process
  ::sigaction(signo, &action, nullptr);
}

}  // namespace

void InstallSignalHandlers(const SignalOptions& options) {
  Handle(SIGINT, OnTerminate);
  Handle(SIGTERM, OnTerminate);
  if (options.mmap_dumps) Handle(SIGBUS, OnBusError);
  ::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace serialmatch::cli
