// ByteStream: a pull-based stream of bytes, and in-process decompression of gzip (ISA-L) and zstd
// (libzstd) dumps, so `serialmatch dump.txt.gz` needs no `zcat` in front of it.
//
// The compression is detected from the first bytes (magic numbers), never from the file name:
//
//   char head[4];
//   ... read up to 4 bytes of `fd` into `head` (n of them) ...
//   const Compression c = DetectCompression(absl::string_view(head, n));
//   std::unique_ptr<ByteStream> bytes = MakeDecompressingStream(
//       c, MakeFdStream(fd, "dump.txt.gz", std::string(head, n)), "dump.txt.gz");
//   std::vector<char> buf(1 << 20);
//   while (true) {
//     SM_ASSIGN_OR_RETURN(size_t got, bytes->Read(buf.data(), buf.size()));
//     if (got == 0) break;  // the end of the (decompressed) dump
//     ... consume buf[0, got) ...
//   }
//
// A truncated, corrupt or otherwise unreadable input is an error, never a silent early end: the
// message names the input and how far decompression got, e.g.
// "dump.txt.gz: truncated gzip data after 1,234,567 compressed bytes (5,678,901 bytes
// decompressed)". gzip members and zstd frames may be concatenated (`cat a.gz b.gz`); all of them
// are read.
//
// Memory is bounded: a decompressing stream holds one 1 MiB input buffer plus the decoder's state
// (about 100 KB for gzip; for zstd, the frame's window, at most 128 MiB — frames written with
// `zstd --long=31` are refused) and writes straight into the caller's buffer. Read in large pieces
// (256 KiB or more): the gzip decoder copies its 32 KiB history on every call.
#ifndef SERIALMATCH_SRC_DUMP_BYTE_STREAM_H_
#define SERIALMATCH_SRC_DUMP_BYTE_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch::dump {

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  // Reads up to `n` bytes into `buf`; returns how many, 0 only at the end of the stream (or when
  // `n` is 0). Fails with a message naming the input and how far it got for unreadable, truncated
  // or corrupt input, e.g. "dump.txt.gz: truncated gzip data after 1,234,567 compressed bytes
  // (5,678,901 bytes decompressed)". After a failure the stream is unusable.
  [[nodiscard]] virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

enum class Compression { kNone, kGzip, kZstd };

// The compression of a stream that starts with `head`, by magic number: gzip 1f 8b, zstd
// 28 b5 2f fd. Not by file name. kNone for anything else, including a `head` too short to tell
// (pass at least 4 bytes unless the stream is shorter).
Compression DetectCompression(absl::string_view head);

// "none", "gzip" or "zstd".
absl::string_view CompressionName(Compression c);

// A stream over `fd`, read with read() and retried on EINTR. `fd` is not owned and never closed;
// it must outlive the stream. `prefix` holds bytes already read from the fd's start (e.g. for
// DetectCompression) and is returned first. `name` is used in messages.
std::unique_ptr<ByteStream> MakeFdStream(int fd, std::string name, std::string prefix = "");

// A stream of the decompressed bytes of `compressed` (owned), decompressed as they are read; for
// kNone, `compressed` itself. `name` (the compressed input's name) is used in messages.
std::unique_ptr<ByteStream> MakeDecompressingStream(Compression c,
                                                    std::unique_ptr<ByteStream> compressed,
                                                    std::string name);

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_BYTE_STREAM_H_
