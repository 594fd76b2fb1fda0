#include "src/dump/byte_stream.h"

#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch::dump {
namespace {

// Compressed bytes read from the underlying stream at a time.
constexpr size_t kInputBufferSize = 1 << 20;

// "after 1,234,567 compressed bytes (5,678,901 bytes decompressed)".
std::string Progress(uint64_t compressed, uint64_t decompressed) {
  return absl::StrCat("after ", GroupThousands(compressed), " compressed bytes (",
                      GroupThousands(decompressed), " bytes decompressed)");
}

class FdStream : public ByteStream {
 public:
  FdStream(int fd, std::string name, std::string prefix)
      : fd_(fd), name_(std::move(name)), prefix_(std::move(prefix)) {}

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0) return 0;
    if (prefix_pos_ < prefix_.size()) {
      const size_t take = std::min(n, prefix_.size() - prefix_pos_);
      std::memcpy(buf, prefix_.data() + prefix_pos_, take);
      prefix_pos_ += take;
      offset_ += take;
      return take;
    }
    // read() of more than SSIZE_MAX is implementation-defined; Linux caps a read at ~2 GiB anyway.
    n = std::min<size_t>(n, 1 << 30);
    while (true) {
      const ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) {
        offset_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno == EINTR) continue;
      const int err = errno;
      return absl::ErrnoToStatus(
          err, absl::StrCat(name_, ": read failed after ", GroupThousands(offset_), " bytes"));
    }
  }

 private:
  const int fd_;
  const std::string name_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  uint64_t offset_ = 0;  // bytes handed out so far
};

// What the decoders below share: the compressed input, the dump's name for messages, the byte
// counts that say how far a failure got, and the first failure, which every later Read() returns.
class Decoder : public ByteStream {
 protected:
  Decoder(std::unique_ptr<ByteStream> compressed, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)) {}

  // Compressed bytes the decoder has taken so far.
  virtual uint64_t consumed() const = 0;

  // Records `status` as the stream's failure and returns it.
  absl::Status Fail(absl::Status status) {
    failure_ = status;
    return status;
  }

  // Fails with "<name>: <what> after N compressed bytes (M bytes decompressed)".
  absl::Status DataLoss(absl::string_view what) {
    return Fail(absl::DataLossError(
        absl::StrCat(name_, ": ", what, " ", Progress(consumed(), decompressed_))));
  }

  absl::Status TrailingGarbage() { return DataLoss("trailing garbage"); }

  std::unique_ptr<ByteStream> compressed_;
  const std::string name_;
  uint64_t compressed_read_ = 0;
  uint64_t decompressed_ = 0;
  absl::Status failure_;
};

// gzip with ISA-L's igzip inflate. The state machine around isal_inflate():
//   kMember:  inside a member (header, deflate blocks, CRC32/ISIZE trailer, all checked by ISA-L
//             because crc_flag is ISAL_GZIP). block_state == ISAL_BLOCK_FINISH ends the member.
//   kBetween: after a member. The end of the input ends the stream; a zero byte starts padding;
//             anything else must be the next member (ISA-L rejects a bad header).
//   kPadding: zero bytes up to the end of the input (as written by tape tools); a non-zero byte
//             is an error.
class GzipStream : public Decoder {
 public:
  GzipStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : Decoder(std::move(compressed), std::move(name)),
        input_(new uint8_t[kInputBufferSize]),
        state_(std::make_unique<inflate_state>()) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0 || phase_ == Phase::kDone) return 0;
    if (!failure_.ok()) return failure_;
    // avail_out is 32 bits.
    const uint32_t want = static_cast<uint32_t>(std::min<size_t>(n, 1u << 30));
    while (true) {
      switch (phase_) {
        case Phase::kMember: {
          if (state_->avail_in == 0 && !eof_) {
            absl::Status status = Refill();
            if (!status.ok()) return Fail(std::move(status));
          }
          const uint32_t avail_in_before = state_->avail_in;
          state_->next_out = reinterpret_cast<uint8_t*>(buf);
          state_->avail_out = want;
          const int ret = isal_inflate(state_.get());
          const uint32_t produced = want - state_->avail_out;
          decompressed_ += produced;
          if (ret != ISAL_DECOMP_OK) {
            return DataLoss(absl::StrCat("corrupt gzip data (", InflateErrorName(ret), ")"));
          }
          if (state_->block_state == ISAL_BLOCK_FINISH) {
            phase_ = Phase::kBetween;
          } else if (produced == 0 && avail_in_before == 0 && eof_) {
            // No input left and ISA-L, given nothing more, made no progress: the member was cut.
            return DataLoss("truncated gzip data");
          } else if (produced == 0 && state_->avail_in == avail_in_before && avail_in_before > 0) {
            return Fail(absl::InternalError(absl::StrCat(name_, ": gzip decoder made no progress ",
                                                         Progress(consumed(), decompressed_))));
          }
          if (produced > 0) return produced;
          break;
        }
        case Phase::kBetween: {
          if (state_->avail_in == 0) {
            if (eof_) {
              phase_ = Phase::kDone;
              return 0;
            }
            absl::Status status = Refill();
            if (!status.ok()) return Fail(std::move(status));
            break;
          }
          if (state_->next_in[0] == 0) {
            phase_ = Phase::kPadding;
            break;
          }
          if (state_->next_in[0] != 0x1f) return TrailingGarbage();
          isal_inflate_reset(state_.get());  // keeps next_in/avail_in, crc_flag and hist_bits
          state_->crc_flag = ISAL_GZIP;
          phase_ = Phase::kMember;
          break;
        }
        case Phase::kPadding: {
          const uint8_t* begin = state_->next_in;
          const uint8_t* end = begin + state_->avail_in;
          const uint8_t* nonzero = std::find_if(begin, end, [](uint8_t b) { return b != 0; });
          state_->next_in += nonzero - begin;
          state_->avail_in -= static_cast<uint32_t>(nonzero - begin);
          if (nonzero != end) return TrailingGarbage();
          if (eof_) {
            phase_ = Phase::kDone;
            return 0;
          }
          absl::Status status = Refill();
          if (!status.ok()) return Fail(std::move(status));
          break;
        }
        case Phase::kDone:
          return 0;
      }
    }
  }

 private:
  enum class Phase { kMember, kBetween, kPadding, kDone };

  static const char* InflateErrorName(int ret) {
    switch (ret) {
      case ISAL_INVALID_BLOCK:
        return "invalid deflate block";
      case ISAL_INVALID_SYMBOL:
        return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK:
        return "invalid lookback distance";
      case ISAL_INVALID_WRAPPER:
        return "invalid gzip header";
      case ISAL_UNSUPPORTED_METHOD:
        return "unsupported compression method";
      case ISAL_INCORRECT_CHECKSUM:
        return "checksum mismatch";
      case ISAL_NEED_DICT:
        return "needs a preset dictionary";
      default:
        return "ISA-L inflate error";
    }
  }

  // Compressed bytes handed to ISA-L so far.
  uint64_t consumed() const override { return compressed_read_ - state_->avail_in; }

  // Reads the next piece of compressed input; call only when avail_in is 0.
  absl::Status Refill() {
    absl::StatusOr<size_t> got =
        compressed_->Read(reinterpret_cast<char*>(input_.get()), kInputBufferSize);
    if (!got.ok()) return got.status();
    state_->next_in = input_.get();
    state_->avail_in = static_cast<uint32_t>(*got);
    compressed_read_ += *got;
    if (*got == 0) eof_ = true;
    return absl::OkStatus();
  }

  std::unique_ptr<uint8_t[]> input_;
  std::unique_ptr<inflate_state> state_;  // ~90 KB: on the heap, not in the stream object
  Phase phase_ = Phase::kMember;
  bool eof_ = false;
};

struct ZstdDStreamDeleter {
  void operator()(ZSTD_DStream* ds) const { ZSTD_freeDStream(ds); }
};

// zstd with libzstd's streaming decoder; consecutive frames (and skippable frames) are read in
// turn.
class ZstdStream : public Decoder {
 public:
  ZstdStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : Decoder(std::move(compressed), std::move(name)),
        input_(new char[kInputBufferSize]),
        dstream_(ZSTD_createDStream()) {
    if (dstream_ != nullptr) ZSTD_initDStream(dstream_.get());
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0 || done_) return 0;
    if (!failure_.ok()) return failure_;
    if (dstream_ == nullptr) {
      return Fail(absl::ResourceExhaustedError(
          absl::StrCat(name_, ": cannot allocate a zstd decompression context")));
    }
    while (true) {
      if (in_.pos == in_.size && !eof_) {
        absl::StatusOr<size_t> got = compressed_->Read(input_.get(), kInputBufferSize);
        if (!got.ok()) return Fail(got.status());
        in_ = ZSTD_inBuffer{input_.get(), *got, 0};
        compressed_read_ += *got;
        if (*got == 0) eof_ = true;
      }
      const bool had_input = in_.pos < in_.size;
      if (!had_input && !frame_open_) {  // the input ended right after a frame
        done_ = true;
        return 0;
      }
      ZSTD_outBuffer out{buf, n, 0};
      const size_t ret = ZSTD_decompressStream(dstream_.get(), &out, &in_);
      decompressed_ += out.pos;
      if (ZSTD_isError(ret)) {
        return DataLoss(absl::StrCat("corrupt zstd data (", ZSTD_getErrorName(ret), ")"));
      }
      // 0: a frame just ended and is fully flushed; otherwise the frame needs more input (or has
      // output left to flush, which the next call delivers).
      frame_open_ = ret != 0;
      if (out.pos > 0) return out.pos;
      if (!had_input && frame_open_) {  // at the end of the input, with no output left: cut
        return DataLoss("truncated zstd data");
      }
    }
  }

 private:
  uint64_t consumed() const override { return compressed_read_ - (in_.size - in_.pos); }

  std::unique_ptr<char[]> input_;
  std::unique_ptr<ZSTD_DStream, ZstdDStreamDeleter> dstream_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool eof_ = false;
  bool done_ = false;
  bool frame_open_ = true;  // an empty input is not a zstd stream
};

// Memory the xz decoder may use: enough for every preset of `xz` (-9 and -9e use a 64 MiB
// dictionary), refusing files made with a custom dictionary of hundreds of MiB or more.
constexpr uint64_t kXzMemoryLimit = 256 << 20;

constexpr absl::string_view kXzMagic(
    "\xFD"
    "7zXZ\x00",
    6);

// xz with liblzma's stream decoder, one .xz stream at a time. Consecutive streams (`cat a.xz
// b.xz`) are read in turn, with the stream padding the format allows between and after them
// (zero bytes, a multiple of four); anything else after a stream is an error, as for gzip.
class XzStream : public Decoder {
 public:
  XzStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : Decoder(std::move(compressed), std::move(name)), input_(new uint8_t[kInputBufferSize]) {
    init_ = lzma_stream_decoder(&strm_, kXzMemoryLimit, 0);
  }
  ~XzStream() override { lzma_end(&strm_); }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0 || done_) return 0;
    if (!failure_.ok()) return failure_;
    while (true) {
      if (init_ != LZMA_OK) {
        return Fail(absl::ResourceExhaustedError(
            absl::StrCat(name_, ": cannot set up the xz decoder (", ErrorName(init_), ")")));
      }
      if (strm_.avail_in == 0 && !eof_) {
        absl::StatusOr<size_t> got =
            compressed_->Read(reinterpret_cast<char*>(input_.get()), kInputBufferSize);
        if (!got.ok()) return Fail(got.status());
        strm_.next_in = input_.get();
        strm_.avail_in = *got;
        compressed_read_ += *got;
        if (*got == 0) eof_ = true;
      }
      if (between_streams_) {
        while (strm_.avail_in > 0 && strm_.next_in[0] == 0) {
          ++strm_.next_in;
          --strm_.avail_in;
          ++padding_;
        }
        if (strm_.avail_in == 0) {
          if (!eof_) continue;
          if (padding_ % 4 != 0) return TrailingGarbage();
          done_ = true;
          return 0;
        }
        // Another stream must follow; the decoder checks what the bytes here cannot tell yet.
        const size_t have = std::min<size_t>(strm_.avail_in, kXzMagic.size());
        if (padding_ % 4 != 0 || absl::string_view(reinterpret_cast<const char*>(strm_.next_in),
                                                   have) != kXzMagic.substr(0, have)) {
          return TrailingGarbage();
        }
        init_ = lzma_stream_decoder(&strm_, kXzMemoryLimit, 0);  // keeps next_in/avail_in
        between_streams_ = false;
        padding_ = 0;
        continue;
      }
      strm_.next_out = reinterpret_cast<uint8_t*>(buf);
      strm_.avail_out = n;
      const lzma_ret ret = lzma_code(&strm_, eof_ ? LZMA_FINISH : LZMA_RUN);
      const size_t produced = n - strm_.avail_out;
      decompressed_ += produced;
      switch (ret) {
        case LZMA_OK:
          break;
        case LZMA_STREAM_END:
          between_streams_ = true;
          ++streams_;
          break;
        case LZMA_BUF_ERROR:  // given the end of the input, no progress is possible: cut
          return DataLoss("truncated xz data");
        case LZMA_FORMAT_ERROR:
          if (streams_ > 0) return TrailingGarbage();
          return Corrupt(ret);
        case LZMA_MEMLIMIT_ERROR:
          return Fail(absl::ResourceExhaustedError(
              absl::StrCat(name_, ": xz data that needs more than ", kXzMemoryLimit >> 20,
                           " MiB of memory to decompress (a very large dictionary) ",
                           Progress(consumed(), decompressed_))));
        default:
          return Corrupt(ret);
      }
      if (produced > 0) return produced;
      // No output yet: the decoder took input (headers, a block still filling); go on.
    }
  }

 private:
  static const char* ErrorName(lzma_ret ret) {
    switch (ret) {
      case LZMA_MEM_ERROR:
        return "out of memory";
      case LZMA_FORMAT_ERROR:
        return "not in the xz format";
      case LZMA_OPTIONS_ERROR:
        return "unsupported options";
      case LZMA_DATA_ERROR:
        return "data is corrupt";
      case LZMA_UNSUPPORTED_CHECK:
        return "unsupported integrity check";
      default:
        return "liblzma error";
    }
  }

  uint64_t consumed() const override { return compressed_read_ - strm_.avail_in; }

  absl::Status Corrupt(lzma_ret ret) {
    return DataLoss(absl::StrCat("corrupt xz data (", ErrorName(ret), ")"));
  }

  std::unique_ptr<uint8_t[]> input_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  lzma_ret init_ = LZMA_PROG_ERROR;
  bool between_streams_ = false;
  uint64_t padding_ = 0;  // zero bytes since the last stream
  int streams_ = 0;       // streams read to their end
  bool eof_ = false;
  bool done_ = false;
};

constexpr absl::string_view kBzip2Magic = "BZh";

// bzip2 with libbz2. One decoder reads one stream; consecutive streams (`cat a.bz2 b.bz2`,
// pbzip2, lbzip2) are read in turn with a fresh decoder, and anything after a stream that is not
// another stream is an error, as for gzip.
class Bzip2Stream : public Decoder {
 public:
  Bzip2Stream(std::unique_ptr<ByteStream> compressed, std::string name)
      : Decoder(std::move(compressed), std::move(name)), input_(new char[kInputBufferSize]) {
    init_ = BZ2_bzDecompressInit(&strm_, /*verbosity=*/0, /*small=*/0);
  }
  ~Bzip2Stream() override {
    if (init_ == BZ_OK) BZ2_bzDecompressEnd(&strm_);
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0 || done_) return 0;
    if (!failure_.ok()) return failure_;
    // avail_out is 32 bits.
    const unsigned want = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    while (true) {
      if (init_ != BZ_OK) {
        return Fail(absl::ResourceExhaustedError(
            absl::StrCat(name_, ": cannot set up the bzip2 decoder (", ErrorName(init_), ")")));
      }
      if (strm_.avail_in == 0 && !eof_) {
        absl::StatusOr<size_t> got = compressed_->Read(input_.get(), kInputBufferSize);
        if (!got.ok()) return Fail(got.status());
        strm_.next_in = input_.get();
        strm_.avail_in = static_cast<unsigned>(*got);
        compressed_read_ += *got;
        if (*got == 0) eof_ = true;
      }
      if (between_streams_) {
        if (strm_.avail_in == 0) {  // the input ended right after a stream
          done_ = true;
          return 0;
        }
        // More bytes: the next stream, with a decoder of its own (it keeps next_in/avail_in).
        const size_t have = std::min<size_t>(strm_.avail_in, kBzip2Magic.size());
        if (absl::string_view(strm_.next_in, have) != kBzip2Magic.substr(0, have)) {
          return TrailingGarbage();
        }
        BZ2_bzDecompressEnd(&strm_);
        init_ = BZ2_bzDecompressInit(&strm_, 0, 0);
        between_streams_ = false;
        continue;
      }
      const unsigned avail_in_before = strm_.avail_in;
      strm_.next_out = buf;
      strm_.avail_out = want;
      const int ret = BZ2_bzDecompress(&strm_);
      const unsigned produced = want - strm_.avail_out;
      decompressed_ += produced;
      if (ret == BZ_STREAM_END) {
        between_streams_ = true;
        ++streams_;
      } else if (ret == BZ_DATA_ERROR_MAGIC && streams_ > 0) {
        return TrailingGarbage();
      } else if (ret != BZ_OK) {
        return DataLoss(absl::StrCat("corrupt bzip2 data (", ErrorName(ret), ")"));
      } else if (produced == 0 && avail_in_before == 0 && eof_) {
        // No input left and the decoder, given nothing more, made no progress: the stream was cut.
        return DataLoss("truncated bzip2 data");
      } else if (produced == 0 && strm_.avail_in == avail_in_before) {
        return Fail(absl::InternalError(absl::StrCat(name_, ": bzip2 decoder made no progress ",
                                                     Progress(consumed(), decompressed_))));
      }
      if (produced > 0) return produced;
    }
  }

 private:
  static const char* ErrorName(int ret) {
    switch (ret) {
      case BZ_MEM_ERROR:
        return "out of memory";
      case BZ_DATA_ERROR:
        return "data is corrupt";
      case BZ_DATA_ERROR_MAGIC:
        return "not bzip2 data";
      case BZ_PARAM_ERROR:
        return "bad parameter";
      case BZ_CONFIG_ERROR:
        return "libbz2 misconfigured";
      default:
        return "libbz2 error";
    }
  }

  uint64_t consumed() const override { return compressed_read_ - strm_.avail_in; }

  std::unique_ptr<char[]> input_;
  bz_stream strm_{};
  int init_ = BZ_CONFIG_ERROR;
  bool between_streams_ = false;
  int streams_ = 0;  // streams read to their end
  bool eof_ = false;
  bool done_ = false;
};

// A format this tool recognises but does not read, and what to do about it.
struct Unsupported {
  absl::string_view magic;
  absl::string_view what;
  absl::string_view advice;
};

constexpr absl::string_view kExtract = "extract it first";
constexpr absl::string_view kDecompress = "decompress it first";
constexpr Unsupported kUnsupported[] = {
    {absl::string_view("PK\x03\x04", 4), "zip archive", kExtract},
    {absl::string_view("PK\x05\x06", 4), "zip archive", kExtract},  // an empty one
    {absl::string_view("PK\x07\x08", 4), "zip archive", kExtract},  // a spanned one
    {absl::string_view("7z\xBC\xAF\x27\x1C", 6), "7z archive", kExtract},
    {absl::string_view("Rar!\x1A\x07", 6), "rar archive", kExtract},
    {absl::string_view("\x04\x22\x4D\x18", 4), "lz4 compressed data", kDecompress},
    {absl::string_view("\x02\x21\x4C\x18", 4), "lz4 compressed data", kDecompress},  // legacy
    {absl::string_view("LZIP", 4), "lzip compressed data", kDecompress},
    {absl::string_view("\x1F\x9D", 2), "compress (.Z) data", kDecompress},
    {absl::string_view("\x5D\x00\x00", 3), "lzma (.lzma) compressed data", kDecompress},
};

}  // namespace

Compression DetectCompression(absl::string_view head) {
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return Compression::kGzip;
  if (head.size() >= 4 && head.substr(0, 4) == absl::string_view("\x28\xb5\x2f\xfd", 4)) {
    return Compression::kZstd;
  }
  if (head.size() >= 6 && head.substr(0, 6) == absl::string_view("\xFD"
                                                                 "7zXZ\x00",
                                                                 6)) {
    return Compression::kXz;
  }
  if (head.size() >= 4 && head.substr(0, 3) == "BZh" && head[3] >= '1' && head[3] <= '9') {
    return Compression::kBzip2;
  }
  return Compression::kNone;
}

absl::Status CheckSupported(absl::string_view head, absl::string_view name) {
  for (const Unsupported& u : kUnsupported) {
    if (head.substr(0, u.magic.size()) == u.magic) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", u.what, "; not supported, ", u.advice));
    }
  }
  return absl::OkStatus();
}

absl::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kXz:
      return "xz";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "unknown";
}

std::unique_ptr<ByteStream> MakeFdStream(int fd, std::string name, std::string prefix) {
  return std::make_unique<FdStream>(fd, std::move(name), std::move(prefix));
}

std::unique_ptr<ByteStream> MakeDecompressingStream(Compression c,
                                                    std::unique_ptr<ByteStream> compressed,
                                                    std::string name) {
  switch (c) {
    case Compression::kNone:
      return compressed;
    case Compression::kGzip:
      return std::make_unique<GzipStream>(std::move(compressed), std::move(name));
    case Compression::kZstd:
      return std::make_unique<ZstdStream>(std::move(compressed), std::move(name));
    case Compression::kXz:
      return std::make_unique<XzStream>(std::move(compressed), std::move(name));
    case Compression::kBzip2:
      return std::make_unique<Bzip2Stream>(std::move(compressed), std::move(name));
  }
  return compressed;
}

}  // namespace serialmatch::dump
