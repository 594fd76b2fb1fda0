// Whole-file reading for small inputs (inventories) and all-or-nothing writing for reports.
#ifndef SERIALMATCH_SRC_BASE_FILE_UTIL_H_
#define SERIALMATCH_SRC_BASE_FILE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch {

// Zero bytes kept past the end of a regular file's contents (ReadFileToString); simdjson's
// SIMDJSON_PADDING.
inline constexpr size_t kReadFilePadding = 64;

// Reads the whole file at `path` ("-" for standard input). Fails with a message naming the path for
// a missing or unreadable file and for a directory.
[[nodiscard]] absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// The same, refusing a regular file larger than `max_bytes` without reading it, with the message
// "path: N bytes is too large for `what`; skipped" (`what`: "a certificate file"). The string of a
// regular file has at least kReadFilePadding zero bytes of capacity past its end, so that a parser
// that reads a little past the end (simdjson) can read it where it is.
[[nodiscard]] absl::StatusOr<std::string> ReadFileToString(const std::string& path,
                                                           uint64_t max_bytes,
                                                           absl::string_view what);

// Writes `content` to `path` so that readers see either the old file or the complete new one: the
// bytes go to a temporary file in the same directory, are flushed, and are renamed over `path`.
// On failure the temporary file is removed and an existing `path` is left untouched. A `path` that
// is a device or a pipe (/dev/stdout, a FIFO) is written directly, since it cannot be renamed over.
// The file written has the permission bits of the regular file it replaces (0600 stays 0600) and
// its group when the user may give it that group; a new file gets 0666 minus the umask (0644 with
// the usual umask 022), as a file created by `>` in a shell.
[[nodiscard]] absl::Status WriteFileAtomically(const std::string& path, absl::string_view content);

// Removes the temporary file that WriteFileAtomically is writing at this moment, if any. Only
// async-signal-safe calls: meant for a SIGINT/SIGTERM handler that then calls _exit(), so an
// interrupted run leaves neither a partial report nor a temporary file behind.
void RemovePendingTempFile();

// Closes a file descriptor when it goes out of scope, unless it is not owned (standard input).
class ScopedFd {
 public:
  explicit ScopedFd(int fd, bool owned = true) : fd_(fd), owned_(owned) {}
  ~ScopedFd();
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// Writes all of `content` to the file descriptor `fd`, retrying short writes and EINTR.
[[nodiscard]] absl::Status WriteAll(int fd, absl::string_view content);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_FILE_UTIL_H_
