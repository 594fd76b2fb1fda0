#include "src/dump/byte_stream.h"

#include <isa-l/igzip_lib.h>
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

namespace serialmatch::dump {
namespace {

// Compressed bytes read from the underlying stream at a time.
constexpr size_t kInputBufferSize = 1 << 20;

// "1234567" -> "1,234,567", for counts in messages.
std::string GroupThousands(uint64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

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

// gzip with ISA-L's igzip inflate. The state machine around isal_inflate():
//   kMember:  inside a member (header, deflate blocks, CRC32/ISIZE trailer, all checked by ISA-L
//             because crc_flag is ISAL_GZIP). block_state == ISAL_BLOCK_FINISH ends the member.
//   kBetween: after a member. The end of the input ends the stream; a zero byte starts padding;
//             anything else must be the next member (ISA-L rejects a bad header).
//   kPadding: zero bytes up to the end of the input (as written by tape tools); a non-zero byte
//             is an error.
class GzipStream : public ByteStream {
 public:
  GzipStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : compressed_(std::move(compressed)),
        name_(std::move(name)),
        input_(new uint8_t[kInputBufferSize]),
        state_(std::make_unique<inflate_state>()) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (n == 0 || phase_ == Phase::kDone) return 0;
    if (phase_ == Phase::kFailed) return failure_;
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
            return Fail(absl::DataLossError(absl::StrCat(name_, ": corrupt gzip data (",
                                                         InflateErrorName(ret), ") ",
                                                         Progress(consumed(), decompressed_))));
          }
          if (state_->block_state == ISAL_BLOCK_FINISH) {
            phase_ = Phase::kBetween;
          } else if (produced == 0 && avail_in_before == 0 && eof_) {
            // No input left and ISA-L, given nothing more, made no progress: the member was cut.
            return Fail(absl::DataLossError(absl::StrCat(name_, ": truncated gzip data ",
                                                         Progress(consumed(), decompressed_))));
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
        case Phase::kFailed:
          return failure_;
      }
    }
  }

 private:
  enum class Phase { kMember, kBetween, kPadding, kDone, kFailed };

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
  uint64_t consumed() const { return compressed_read_ - state_->avail_in; }

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

  absl::Status TrailingGarbage() {
    return Fail(absl::DataLossError(
        absl::StrCat(name_, ": trailing garbage ", Progress(consumed(), decompressed_))));
  }

  absl::Status Fail(absl::Status status) {
    phase_ = Phase::kFailed;
    failure_ = status;
    return status;
  }

  std::unique_ptr<ByteStream> compressed_;
  const std::string name_;
  std::unique_ptr<uint8_t[]> input_;
  std::unique_ptr<inflate_state> state_;  // ~90 KB: on the heap, not in the stream object
  Phase phase_ = Phase::kMember;
  bool eof_ = false;
  uint64_t compressed_read_ = 0;
  uint64_t decompressed_ = 0;  // not state_->total_out: that is 32 bits and per member
  absl::Status failure_;
};

struct ZstdDStreamDeleter {
  void operator()(ZSTD_DStream* ds) const { ZSTD_freeDStream(ds); }
};

// zstd with libzstd's streaming decoder; consecutive frames (and skippable frames) are read in
// turn.
class ZstdStream : public ByteStream {
 public:
  ZstdStream(std::unique_ptr<ByteStream> compressed, std::string name)
      : compressed_(std::move(compressed)),
        name_(std::move(name)),
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
        return Fail(
            absl::DataLossError(absl::StrCat(name_, ": corrupt zstd data (", ZSTD_getErrorName(ret),
                                             ") ", Progress(consumed(), decompressed_))));
      }
      // 0: a frame just ended and is fully flushed; otherwise the frame needs more input (or has
      // output left to flush, which the next call delivers).
      frame_open_ = ret != 0;
      if (out.pos > 0) return out.pos;
      if (!had_input && frame_open_) {  // at the end of the input, with no output left: cut
        return Fail(absl::DataLossError(
            absl::StrCat(name_, ": truncated zstd data ", Progress(consumed(), decompressed_))));
      }
    }
  }

 private:
  uint64_t consumed() const { return compressed_read_ - (in_.size - in_.pos); }

  absl::Status Fail(absl::Status status) {
    failure_ = status;
    return status;
  }

  std::unique_ptr<ByteStream> compressed_;
  const std::string name_;
  std::unique_ptr<char[]> input_;
  std::unique_ptr<ZSTD_DStream, ZstdDStreamDeleter> dstream_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool eof_ = false;
  bool done_ = false;
  bool frame_open_ = true;  // an empty input is not a zstd stream
  uint64_t compressed_read_ = 0;
  uint64_t decompressed_ = 0;
  absl::Status failure_;
};

}  // namespace

Compression DetectCompression(absl::string_view head) {
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return Compression::kGzip;
  if (head.size() >= 4 && head.substr(0, 4) == absl::string_view("\x28\xb5\x2f\xfd", 4)) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

absl::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
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
  }
  return compressed;
}

}  // namespace serialmatch::dump
