#include "src/base/file_util.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "src/base/huge_pages.h"

namespace serialmatch {
namespace {

absl::Status ErrnoError(int err, absl::string_view path, absl::string_view what) {
  return absl::ErrnoToStatus(err, absl::StrCat(path, ": ", what));
}

// The temporary file WriteFileAtomically is writing, for RemovePendingTempFile(): a fixed buffer
// and a flag, since a signal handler may read them at any moment.
char pending_temp[PATH_MAX];
std::atomic<bool> temp_pending{false};

// Blocks every signal for the life of the object (in this thread), so that creating a temporary
// file and recording its name happen as one step as far as a signal handler can see.
class SignalBlocker {
 public:
  SignalBlocker() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved_);
  }
  ~SignalBlocker() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  SignalBlocker(const SignalBlocker&) = delete;
  SignalBlocker& operator=(const SignalBlocker&) = delete;

 private:
  sigset_t saved_;
};

// mkstemp() on `temp` (a template), recording the name for RemovePendingTempFile() when it fits.
int CreateTempFile(std::string* temp) {
  const SignalBlocker blocker;
  const int fd = ::mkstemp(temp->data());
  if (fd >= 0 && temp->size() < sizeof pending_temp) {
    std::memcpy(pending_temp, temp->c_str(), temp->size() + 1);
    temp_pending.store(true);
  }
  return fd;
}

}  // namespace

void RemovePendingTempFile() {
  if (temp_pending.exchange(false)) ::unlink(pending_temp);
}

ScopedFd::~ScopedFd() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  return ReadFileToString(path, std::numeric_limits<uint64_t>::max(), "");
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes,
                                             absl::string_view what) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, path, "cannot open");
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!is_stdin) ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a file"));
  }
  const bool regular = S_ISREG(st.st_mode);
  if (regular && static_cast<uint64_t>(st.st_size) > max_bytes) {
    if (!is_stdin) ::close(fd);
    return absl::ResourceExhaustedError(
        absl::StrCat(path, ": ", st.st_size, " bytes is too large for ", what, "; skipped"));
  }
  // A regular file is read straight into a buffer of its size plus the padding, so that the read
  // that fills it is followed by the one that says it ended, and the padding stays as capacity
  // once the string is cut to what was read; a pipe, or a file that grew meanwhile, grows the
  // buffer.
  std::string out(regular ? static_cast<size_t>(st.st_size) + kReadFilePadding : size_t{1} << 16,
                  '\0');
  if (regular) AdviseHugePages(out.data(), out.size());  // an inventory of a few MB: fewer faults
  size_t got = 0;
  while (true) {
    if (got == out.size()) out.resize(out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      if (!is_stdin) ::close(fd);
      return ErrnoError(err, path, "read failed");
    }
    got += static_cast<size_t>(n);
  }
  if (!is_stdin) ::close(fd);
  out.resize(got);
  return out;
}

absl::Status WriteAll(int fd, absl::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "write failed");
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, absl::string_view content) {
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0;
  // A device or a pipe (/dev/stdout, /dev/null, a FIFO) cannot be replaced by rename(): write to
  // it.
  if (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoError(errno, path, "cannot open for writing");
    absl::Status status = WriteAll(fd, content);
    ::close(fd);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
    }
    return absl::OkStatus();
  }
  std::string temp = absl::StrCat(path, ".tmp-XXXXXX");
  const int fd = CreateTempFile(&temp);
  if (fd < 0) return ErrnoError(errno, path, "cannot create a temporary file beside it");
  // mkstemp creates the file 0600. The file replaced keeps its permission bits, and its group
  // when the user belongs to it (else the new file is in the user's group, as a copy would be); a
  // new file is as readable as any file the user creates. Where the file system refuses a chmod,
  // the file stays 0600: never more open than meant.
  mode_t mode;
  if (exists && S_ISREG(st.st_mode)) {
    // Before fchmod, since a chown may clear the set-group-ID bit.
    (void)!::fchown(fd, static_cast<uid_t>(-1), st.st_gid);
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  (void)!::fchmod(fd, mode);
  absl::Status status = WriteAll(fd, content);
  if (status.ok() && ::fsync(fd) != 0) status = absl::ErrnoToStatus(errno, "fsync failed");
  if (::close(fd) != 0 && status.ok()) status = absl::ErrnoToStatus(errno, "close failed");
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = absl::ErrnoToStatus(errno, "rename failed");
  }
  if (!status.ok()) ::unlink(temp.c_str());
  temp_pending.store(false);  // only now: until here a signal handler may still have to remove it
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(path, ": cannot write report: ", status.message()));
  }
  return absl::OkStatus();
}

}  // namespace serialmatch
