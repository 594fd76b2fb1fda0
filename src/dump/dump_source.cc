#include "src/dump/dump_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/mapped_file.h"
#include "src/base/status_macros.h"

namespace serialmatch::dump {
namespace {

class MappedDumpSource : public DumpSource {
 public:
  MappedDumpSource(std::string name, MappedFile file)
      : name_(std::move(name)), file_(std::move(file)) {}

  const std::string& name() const override { return name_; }
  std::optional<absl::string_view> Mapped() const override { return file_.data(); }
  absl::StatusOr<absl::string_view> Peek(size_t n) override { return file_.data().substr(0, n); }
  absl::StatusOr<absl::string_view> NextBlock() override {
    if (consumed_) return absl::string_view();
    consumed_ = true;
    return file_.data();
  }

 private:
  std::string name_;
  MappedFile file_;
  bool consumed_ = false;
};

// Reads `fd` into a buffer of whole lines. buffer_[begin_, end_) holds bytes read but not yet handed
// out; a block handed out is [begin_, cut), and the remainder moves to the front on the next read.
class StreamDumpSource : public DumpSource {
 public:
  // Reads `fd`; closes it on destruction when `owned`.
  StreamDumpSource(int fd, bool owned, std::string name)
      : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~StreamDumpSource() override {
    if (owned_) ::close(fd_);
  }
  StreamDumpSource(const StreamDumpSource&) = delete;
  StreamDumpSource& operator=(const StreamDumpSource&) = delete;

  const std::string& name() const override { return name_; }
  std::optional<absl::string_view> Mapped() const override { return std::nullopt; }

  absl::StatusOr<absl::string_view> Peek(size_t n) override {
    while (end_ - begin_ < n && !eof_) {
      absl::Status status = Fill(n);
      if (!status.ok()) return status;
    }
    return absl::string_view(buffer_.data() + begin_, std::min(n, end_ - begin_));
  }

  absl::StatusOr<absl::string_view> NextBlock() override {
    while (true) {
      const absl::string_view pending(buffer_.data() + begin_, end_ - begin_);
      const size_t last_newline = pending.rfind('\n');
      if (last_newline != absl::string_view::npos && (pending.size() >= kBlockSize || eof_)) {
        begin_ += last_newline + 1;
        return pending.substr(0, last_newline + 1);
      }
      if (eof_) {
        begin_ = end_;
        return pending;  // the last line has no newline, or nothing is left
      }
      absl::Status status = Fill(std::max(kBlockSize, pending.size() + kReadSize));
      if (!status.ok()) return status;
    }
  }

 private:
  // Reads until at least `want` bytes are pending or the input ends, moving pending bytes to the
  // front and growing the buffer as needed. Memory stays at about `want` plus one read.
  absl::Status Fill(size_t want) {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() < want + kReadSize) buffer_.resize(want + kReadSize);
    while (end_ < want && !eof_) {
      const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        return absl::ErrnoToStatus(err, absl::StrCat(name_, ": read failed after ", total_,
                                                     " bytes"));
      }
      if (n == 0) {
        eof_ = true;
        break;
      }
      end_ += static_cast<size_t>(n);
      total_ += static_cast<uint64_t>(n);
    }
    return absl::OkStatus();
  }

  static constexpr size_t kReadSize = 1 << 20;

  int fd_;
  bool owned_;
  std::string name_;
  std::string buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t total_ = 0;
  bool eof_ = false;
};

}  // namespace

std::unique_ptr<DumpSource> DumpSource::FromFd(int fd, std::string name) {
  return std::make_unique<StreamDumpSource>(fd, /*owned=*/false, std::move(name));
}

absl::StatusOr<std::unique_ptr<DumpSource>> DumpSource::Open(const std::string& path) {
  if (path == "-") return FromFd(STDIN_FILENO, "<stdin>");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot open"));
  }
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
    SM_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
    return std::make_unique<MappedDumpSource>(path, std::move(file));
  }
  // A pipe or a device (e.g. bash's <(zcat dump.gz)): stream it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot open"));
  }
  return std::make_unique<StreamDumpSource>(fd, /*owned=*/true, path);
}

}  // namespace serialmatch::dump
