#include "src/dump/dump_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/huge_pages.h"
#include "src/base/mapped_file.h"
#include "src/base/status_macros.h"
#include "src/dump/byte_stream.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::dump {
namespace {

// Parts smaller than this are not worth a thread.
constexpr uint64_t kMinPartBytes = 1 << 20;

int PartsFor(uint64_t size, int parts) {
  const uint64_t by_size = size / kMinPartBytes + 1;
  return static_cast<int>(
      std::max<uint64_t>(1, std::min<uint64_t>(parts < 1 ? 1 : parts, by_size)));
}

// Reads whole lines from a ByteStream (standard input, a pipe, a decompressor), or with pread()
// over the lines that start in [begin, end) of a regular file. buffer_[pos_, end_) holds bytes read
// but not yet handed out; they move to the front before the next read.
class FdLineReader : public LineReader {
 public:
  static constexpr uint64_t kToEnd = std::numeric_limits<uint64_t>::max();

  // A stream: everything `stream` returns.
  FdLineReader(std::unique_ptr<ByteStream> stream, std::string name)
      : fd_(-1), positional_(false), stream_(std::move(stream)), name_(std::move(name)) {}

  // The lines of a regular file that start in [begin, end); `begin` is the start of a line when
  // `at_line_start` (the start of the dump), else the first line is the one after byte begin - 1.
  FdLineReader(int fd, std::string name, uint64_t begin, uint64_t end, bool at_line_start)
      : fd_(fd),
        positional_(true),
        name_(std::move(name)),
        offset_(at_line_start ? begin : begin - 1),
        end_offset_(end),
        skip_partial_line_(!at_line_start) {}

  // Makes at least `n` bytes pending unless the input ends first; returns them (for Peek).
  absl::StatusOr<absl::string_view> Pending(size_t n) {
    while (end_ - pos_ < n && !eof_) SM_RETURN_IF_ERROR(Fill(n));
    return absl::string_view(buffer_.data() + pos_, std::min(n, end_ - pos_));
  }

  absl::StatusOr<absl::string_view> NextBlock() override {
    while (!done_) {
      if (skip_partial_line_) {
        // The line that starts before `begin` belongs to the previous reader.
        // (Nothing read yet means no buffer either: memchr must not see its null pointer.)
        const void* nl =
            end_ > pos_ ? std::memchr(buffer_.data() + pos_, '\n', end_ - pos_) : nullptr;
        if (nl == nullptr) {
          if (eof_) break;
          pos_ = end_;
          SM_RETURN_IF_ERROR(Fill(DumpSource::kBlockSize));
          continue;
        }
        pos_ = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
        skip_partial_line_ = false;
      }
      const absl::string_view pending(buffer_.data() + pos_, end_ - pos_);
      const uint64_t pending_offset = consumed_offset();
      if (end_offset_ != kToEnd) {
        if (pending_offset >= end_offset_) {
          done_ = true;  // the next line starts in the next reader's range
          break;
        }
        if (pending_offset + pending.size() >= end_offset_) {
          // The last owned line holds byte end_offset_ - 1 and ends at the next newline.
          const size_t nl = pending.find('\n', end_offset_ - 1 - pending_offset);
          if (nl != absl::string_view::npos) {
            done_ = true;
            pos_ += nl + 1;
            return pending.substr(0, nl + 1);
          }
        }
      }
      const size_t last_newline = pending.rfind('\n');
      if (last_newline != absl::string_view::npos &&
          (pending.size() >= DumpSource::kBlockSize || eof_)) {
        pos_ += last_newline + 1;
        return pending.substr(0, last_newline + 1);
      }
      if (eof_) {
        done_ = true;
        pos_ = end_;
        return pending;  // the last line has no newline, or nothing is left
      }
      SM_RETURN_IF_ERROR(
          Fill(std::max(DumpSource::kBlockSize, pending.size() + DumpSource::kBlockSize)));
    }
    return absl::string_view();
  }

  absl::Status NextBlockInto(OwnedBlock* block) override {
    if (positional_) return LineReader::NextBlockInto(block);
    // A stream: read straight into `block`, after the bytes read ahead (by Pending(), or past the
    // previous block's last newline); what follows this block's last newline is read ahead for
    // the next.
    block->clear();
    if (done_) return absl::OkStatus();
    block->Append(absl::string_view(buffer_.data() + pos_, end_ - pos_));
    pos_ = end_ = 0;
    size_t searched = 0;  // block bytes known to hold no newline
    while (true) {
      if (block->size() >= DumpSource::kBlockSize || eof_) {
        const absl::string_view held = block->view();
        const void* nl = held.size() > searched
                             ? ::memrchr(held.data() + searched, '\n', held.size() - searched)
                             : nullptr;
        if (nl != nullptr) {
          const size_t keep = static_cast<size_t>(static_cast<const char*>(nl) - held.data()) + 1;
          const size_t ahead = held.size() - keep;
          if (buffer_.size() < ahead) buffer_.resize(ahead);
          std::memcpy(buffer_.data(), held.data() + keep, ahead);
          end_ = ahead;
          block->Truncate(keep);
          return absl::OkStatus();
        }
        searched = held.size();
        if (eof_) {
          done_ = true;  // the last line has no newline, or nothing is left
          return absl::OkStatus();
        }
      }
      char* room = block->Grow(DumpSource::kBlockSize);
      SM_ASSIGN_OR_RETURN(const size_t got, stream_->Read(room, DumpSource::kBlockSize));
      if (got == 0) eof_ = true;
      block->Commit(got);
    }
  }

 private:
  // File offset of buffer_[pos_].
  uint64_t consumed_offset() const { return offset_ - (end_ - pos_); }

  // Reads until at least `want` bytes are pending or the input ends. Memory stays at about `want`
  // plus one block.
  absl::Status Fill(size_t want) {
    if (pos_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (buffer_.size() < want + DumpSource::kBlockSize)
      buffer_.resize(want + DumpSource::kBlockSize);
    while (end_ < want && !eof_) {
      const size_t room = buffer_.size() - end_;
      ssize_t n;
      if (positional_) {
        n = ::pread(fd_, buffer_.data() + end_, room, static_cast<off_t>(offset_));
        if (n < 0) {
          if (errno == EINTR) continue;
          const int err = errno;
          return absl::ErrnoToStatus(err, absl::StrCat(name_, ": read failed at byte ", offset_));
        }
      } else {
        SM_ASSIGN_OR_RETURN(const size_t got, stream_->Read(buffer_.data() + end_, room));
        n = static_cast<ssize_t>(got);
      }
      if (n == 0) {
        eof_ = true;
        break;
      }
      end_ += static_cast<size_t>(n);
      offset_ += static_cast<uint64_t>(n);
    }
    return absl::OkStatus();
  }

  int fd_;
  bool positional_;
  std::unique_ptr<ByteStream> stream_;  // when not positional
  std::string name_;
  // In huge pages: a fresh 2 MB buffer per worker costs one page fault instead of 512.
  std::vector<char, HugePageAllocator<char>> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t offset_ = 0;           // file offset of the next byte to read
  uint64_t end_offset_ = kToEnd;  // lines starting at or after this belong to the next reader
  bool skip_partial_line_ = false;
  bool eof_ = false;
  bool done_ = false;
};

// Standard input, a pipe, a device or a compressed file: one reader, which also serves Peek().
class StreamDumpSource : public DumpSource {
 public:
  StreamDumpSource(int fd, bool owned, std::string name, Compression compression,
                   std::unique_ptr<ByteStream> stream)
      : fd_(fd, owned),
        name_(std::move(name)),
        compression_(compression),
        reader_(std::make_unique<FdLineReader>(std::move(stream), name_)) {}

  const std::string& name() const override { return name_; }
  Compression compression() const override { return compression_; }
  absl::StatusOr<absl::string_view> Peek(size_t n) override { return reader_->Pending(n); }
  std::vector<std::unique_ptr<LineReader>> Split(int) override {
    std::vector<std::unique_ptr<LineReader>> readers;
    readers.push_back(std::move(reader_));
    return readers;
  }

 private:
  ScopedFd fd_;
  std::string name_;
  Compression compression_;
  std::unique_ptr<FdLineReader> reader_;
};

// Streams `fd` (closed by the source when `owned`), decompressing it when its first bytes say so;
// fails for an archive or compression it cannot read.
absl::StatusOr<std::unique_ptr<DumpSource>> OpenStream(int fd, bool owned, std::string name) {
  // A pipe holds 64 KB by default: the writer and this reader would take turns 16 times a block.
  // A larger one (Linux allows 1 MB without privileges) lets both run. Best effort.
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
    (void)::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(DumpSource::kBlockSize));
  }
  std::string head(kMagicBytes, '\0');
  size_t got = 0;
  while (got < head.size()) {
    const ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      if (owned) ::close(fd);
      return absl::ErrnoToStatus(err, absl::StrCat(name, ": read failed"));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  head.resize(got);
  if (absl::Status supported = CheckSupported(head, name); !supported.ok()) {
    if (owned) ::close(fd);
    return supported;
  }
  const Compression compression = DetectCompression(head);
  std::unique_ptr<ByteStream> stream =
      MakeDecompressingStream(compression, MakeFdStream(fd, name, std::move(head)), name);
  return std::make_unique<StreamDumpSource>(fd, owned, std::move(name), compression,
                                            std::move(stream));
}

// A regular file read by byte range with pread(), from byte `start` (0 for a file opened by name;
// where standard input stands for a redirected file) to its end.
class FileDumpSource : public DumpSource {
 public:
  FileDumpSource(int fd, bool owned, std::string name, uint64_t start, uint64_t size)
      : fd_(fd, owned), name_(std::move(name)), start_(start), size_(size) {}

  const std::string& name() const override { return name_; }
  uint64_t size() const override { return size_; }
  absl::StatusOr<absl::string_view> Peek(size_t n) override {
    if (!peeker_) {
      peeker_ = std::make_unique<FdLineReader>(fd_.get(), name_, start_, start_ + size_,
                                               /*at_line_start=*/true);
    }
    return peeker_->Pending(n);
  }
  std::vector<std::unique_ptr<LineReader>> Split(int parts) override {
    const int n = PartsFor(size_, parts);
    std::vector<std::unique_ptr<LineReader>> readers;
    for (int i = 0; i < n; ++i) {
      const uint64_t begin = size_ / static_cast<uint64_t>(n) * static_cast<uint64_t>(i);
      const uint64_t end =
          i + 1 == n ? FdLineReader::kToEnd
                     : start_ + size_ / static_cast<uint64_t>(n) * static_cast<uint64_t>(i + 1);
      readers.push_back(std::make_unique<FdLineReader>(fd_.get(), name_, start_ + begin, end,
                                                       /*at_line_start=*/i == 0));
    }
    return readers;
  }

 private:
  ScopedFd fd_;
  std::string name_;
  uint64_t start_;
  uint64_t size_;
  std::unique_ptr<FdLineReader> peeker_;
};

// One chunk of a mapping, handed out as a single block.
class MappedLineReader : public LineReader {
 public:
  explicit MappedLineReader(absl::string_view chunk) : chunk_(chunk) {}
  absl::StatusOr<absl::string_view> NextBlock() override { return std::exchange(chunk_, {}); }

 private:
  absl::string_view chunk_;
};

class MappedDumpSource : public DumpSource {
 public:
  MappedDumpSource(std::string name, MappedFile file)
      : name_(std::move(name)), file_(std::move(file)) {}

  const std::string& name() const override { return name_; }
  uint64_t size() const override { return file_.data().size(); }
  absl::StatusOr<absl::string_view> Peek(size_t n) override { return file_.data().substr(0, n); }
  std::vector<std::unique_ptr<LineReader>> Split(int parts) override {
    std::vector<std::unique_ptr<LineReader>> readers;
    for (absl::string_view chunk :
         SplitAtLineBoundaries(file_.data(), PartsFor(file_.data().size(), parts))) {
      readers.push_back(std::make_unique<MappedLineReader>(chunk));
    }
    if (readers.empty()) readers.push_back(std::make_unique<MappedLineReader>(absl::string_view()));
    return readers;
  }

 private:
  std::string name_;
  MappedFile file_;
};

// Bytes held in memory, handed out in one part.
class StringDumpSource : public DumpSource {
 public:
  StringDumpSource(std::string name, std::string bytes)
      : name_(std::move(name)), bytes_(std::move(bytes)) {}

  const std::string& name() const override { return name_; }
  uint64_t size() const override { return bytes_.size(); }
  absl::StatusOr<absl::string_view> Peek(size_t n) override {
    return absl::string_view(bytes_).substr(0, n);
  }
  std::vector<std::unique_ptr<LineReader>> Split(int) override {
    std::vector<std::unique_ptr<LineReader>> readers;
    readers.push_back(std::make_unique<MappedLineReader>(bytes_));
    return readers;
  }

 private:
  std::string name_;
  std::string bytes_;
};

// A regular file `fd` (closed by the source when `owned`) from byte `start`, of `st`: read by
// range, or mapped (with kMmap, which only a file opened by its path asks for: `name` is that
// path), unless it is compressed (or refused by CheckSupported), when it is streamed from `start`.
absl::StatusOr<std::unique_ptr<DumpSource>> OpenRegular(int fd, bool owned, std::string name,
                                                        const struct stat& st, uint64_t start,
                                                        IoMode mode) {
  char magic[kMagicBytes];
  const ssize_t n = ::pread(fd, magic, sizeof magic, static_cast<off_t>(start));
  // (A failed pread fails again, with its message, when the readers read the same bytes.)
  if (n > 0) {
    const absl::string_view head(magic, static_cast<size_t>(n));
    if (DetectCompression(head) != Compression::kNone || !CheckSupported(head, name).ok()) {
      return OpenStream(fd, owned, std::move(name));
    }
  }
  if (mode == IoMode::kMmap) {
    if (owned) ::close(fd);
    SM_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(name));
    return std::make_unique<MappedDumpSource>(std::move(name), std::move(file));
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  return std::make_unique<FileDumpSource>(fd, owned, std::move(name), start,
                                          size > start ? size - start : 0);
}

}  // namespace

char* OwnedBlock::Grow(size_t n) {
  if (capacity_ - size_ < n) {
    const size_t capacity = std::max(size_ + n, capacity_ * 2);
    std::unique_ptr<char[]> data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
  return data_.get() + size_;
}

void OwnedBlock::Append(absl::string_view bytes) {
  if (bytes.empty()) return;
  std::memcpy(Grow(bytes.size()), bytes.data(), bytes.size());
  size_ += bytes.size();
}

absl::Status LineReader::NextBlockInto(OwnedBlock* block) {
  SM_ASSIGN_OR_RETURN(const absl::string_view next, NextBlock());
  block->clear();
  block->Append(next);
  return absl::OkStatus();
}

std::unique_ptr<DumpSource> DumpSource::FromString(std::string name, std::string bytes) {
  return std::make_unique<StringDumpSource>(std::move(name), std::move(bytes));
}

absl::StatusOr<std::unique_ptr<DumpSource>> DumpSource::FromFd(int fd, std::string name) {
  // Redirected from a regular file ("< dump.txt"): readable by range, on every core.
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    const off_t at = ::lseek(fd, 0, SEEK_CUR);
    if (at >= 0) {
      return OpenRegular(fd, /*owned=*/false, std::move(name), st, static_cast<uint64_t>(at),
                         IoMode::kRead);
    }
  }
  return OpenStream(fd, /*owned=*/false, std::move(name));
}

absl::StatusOr<std::unique_ptr<DumpSource>> DumpSource::Open(const std::string& path, IoMode mode) {
  if (path == "-") return FromFd(STDIN_FILENO, "<stdin>");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot open"));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot stat"));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a file"));
  }
  if (!S_ISREG(st.st_mode)) return OpenStream(fd, /*owned=*/true, path);
  return OpenRegular(fd, /*owned=*/true, path, st, 0, mode);
}

}  // namespace serialmatch::dump
