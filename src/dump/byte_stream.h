// ByteStream: a pull-based stream of bytes, and in-process decompression of gzip (ISA-L), zstd
// (libzstd), xz (liblzma) and bzip2 (libbz2) dumps, so `serialmatch dump.txt.gz` needs no `zcat`
// in front of it. Archives and compressors it does not read (zip, 7z, rar, lz4, lzip, compress,
// .lzma) are recognised too, so they are refused by name instead of parsed as text.
//
// The compression is detected from the first bytes (magic numbers), never from the file name:
//
//   char head[kMagicBytes];
//   ... read up to kMagicBytes bytes of `fd` into `head` (n of them) ...
//   SM_RETURN_IF_ERROR(CheckSupported(absl::string_view(head, n), "dump.txt.gz"));
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
// decompressed)". gzip members, zstd frames, xz streams and bzip2 streams may be concatenated
// (`cat a.gz b.gz`, pbzip2, xz -T); all of them are read. Bytes after the last one that do not
// start another are an error (zero padding after gzip, as tape tools write it, and xz's stream
// padding excepted).
//
// Memory is bounded: a decompressing stream holds one 1 MiB input buffer plus the decoder's state
// (about 100 KB for gzip; about 4 MB for bzip2; for zstd, the frame's window, at most 128 MiB —
// frames written with `zstd --long=31` are refused; for xz, the dictionary, at most 256 MiB, which
// every `xz` preset fits) and writes straight into the caller's buffer. Read in large pieces
// (256 KiB or more): the gzip decoder copies its 32 KiB history on every call.
#ifndef SERIALMATCH_SRC_DUMP_BYTE_STREAM_H_
#define SERIALMATCH_SRC_DUMP_BYTE_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
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

enum class Compression { kNone, kGzip, kZstd, kXz, kBzip2 };

// How many bytes of a stream's start DetectCompression and CheckSupported need to tell every
// format they know.
inline constexpr size_t kMagicBytes = 8;

// The compression of a stream that starts with `head`, by magic number: gzip 1f 8b, zstd
// 28 b5 2f fd, xz fd 37 7a 58 5a 00, bzip2 "BZh1" to "BZh9". Not by file name. kNone for anything
// else, including a `head` too short to tell (pass kMagicBytes unless the stream is shorter).
Compression DetectCompression(absl::string_view head);

// Fails, with "<name>: zip archive; not supported, extract it first" (or "lz4 compressed data;
// not supported, decompress it first", ...), when a stream that starts with `head` is an archive
// or compressed format that MakeDecompressingStream does not read: zip, 7z, rar, lz4, lzip,
// compress (.Z), lzma (.lzma). OK for anything else.
[[nodiscard]] absl::Status CheckSupported(absl::string_view head, absl::string_view name);

// "none", "gzip", "zstd", "xz" or "bzip2".
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
