// DumpSource: the bytes of one dump, handed out as blocks of whole lines by one or more
// LineReaders.
//
// A regular uncompressed file is split by byte range among several readers, one per worker thread:
// reader i owns the lines that *start* in its range — it skips the partial line at its start and
// finishes the line that crosses its end — so every line is read by exactly one reader, and the
// readers' lines, in reader order, are the dump's lines. Standard input, pipes and devices give a
// single reader.
//
//   SM_ASSIGN_OR_RETURN(std::unique_ptr<DumpSource> source, DumpSource::Open("affected.txt"));
//   SM_ASSIGN_OR_RETURN(absl::string_view head, source->Peek(64 << 10));  // format detection
//   for (auto& reader : source->Split(2)) { ...in its own thread: while (NextBlock()) ... }
//
// Regular files are read with pread() into a small per-reader buffer by default (IoMode::kRead), or
// memory-mapped (IoMode::kMmap). Which is faster depends on the machine: on virtual machines where
// a page fault or TLB miss is expensive, copying 1 MB blocks that stay in cache beats touching
// every page of a mapping (see bench/results/). Both give the same lines.
#ifndef SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_
#define SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/dump/byte_stream.h"

namespace serialmatch::dump {

enum class IoMode { kRead, kMmap };

// The bytes of one block, owned by whoever holds them (LineReader::NextBlockInto), so that a block
// read by one thread can be parsed by another while the reader goes on. Grows without clearing
// memory first, and keeps its capacity from block to block.
class OwnedBlock {
 public:
  absl::string_view view() const { return absl::string_view(data_.get(), size_); }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }

  // Makes room for `n` more bytes after size(), keeping the bytes held, and returns where they go;
  // Commit(k) then adds the first k of them.
  char* Grow(size_t n);
  void Commit(size_t n) { size_ += n; }
  void Truncate(size_t n) { size_ = n < size_ ? n : size_; }
  void Append(absl::string_view bytes);

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class LineReader {
 public:
  virtual ~LineReader() = default;

  // The next block of whole lines, ending just after a '\n' except for the dump's last block when
  // the dump does not end in a newline; empty when the reader's part is done. The view is valid
  // until the next call. A line longer than the block size makes the block as long as that line.
  [[nodiscard]] virtual absl::StatusOr<absl::string_view> NextBlock() = 0;

  // The same next block, moved into `block` (its old bytes replaced) for the caller to keep. A
  // stream reads straight into `block`; other readers copy what NextBlock() returns. Do not mix
  // with NextBlock() calls on one reader.
  [[nodiscard]] virtual absl::Status NextBlockInto(OwnedBlock* block);
};

class DumpSource {
 public:
  // Bytes read at a time: small enough that a block is still in cache when it is parsed.
  static constexpr size_t kBlockSize = 1 << 20;

  virtual ~DumpSource() = default;

  // Opens `path`: "-" is standard input (read by range like a file when it is redirected from an
  // uncompressed regular file, from where it stands); a pipe or a device (e.g. bash's <(zcat
  // dump.gz)) is streamed; a gzip, zstd, xz or bzip2 file or stream (by magic number) is
  // decompressed as it is read, in one part; another regular file is read by range (or mapped, with
  // kMmap). Fails for a missing or unreadable file, for a directory, and for an archive or
  // compression it cannot read (zip, 7z, lz4, ...: see CheckSupported), with a message naming the
  // path.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DumpSource>> Open(
      const std::string& path, IoMode mode = IoMode::kRead);

  // Reads `fd` (not owned, not closed) as a dump named `name` in messages: from its current offset
  // by range when it is an uncompressed regular file, else streamed and decompressed when its
  // first bytes are a gzip, zstd, xz or bzip2 magic number. Fails when those bytes cannot be read
  // or name an archive or compression it cannot read.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DumpSource>> FromFd(int fd, std::string name);

  // The dump `bytes`, held in memory (a CRL downloaded from its distribution point), named `name`
  // in messages (its URL). Not decompressed: what a server sends compressed, the HTTP client
  // decodes.
  static std::unique_ptr<DumpSource> FromString(std::string name, std::string bytes);

  // The name used in messages: the path, or "<stdin>".
  virtual const std::string& name() const = 0;

  // How the dump is compressed (detected from its first bytes); its lines are the decompressed
  // ones.
  virtual Compression compression() const { return Compression::kNone; }

  // How many bytes the dump holds, when that is known before reading it (an uncompressed regular
  // file, a dump in memory); 0 otherwise. A whole-document reader reserves that much at once.
  virtual uint64_t size() const { return 0; }

  // Up to `n` bytes from the start of the dump, without consuming them (for format detection).
  // Call before Split().
  [[nodiscard]] virtual absl::StatusOr<absl::string_view> Peek(size_t n) = 0;

  // Readers for at most `parts` parts of the dump (fewer for small or streamed dumps; at least
  // one), in dump order. Call once. The readers must not outlive the source.
  virtual std::vector<std::unique_ptr<LineReader>> Split(int parts) = 0;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_
