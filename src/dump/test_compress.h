// Compression for tests: gzip (ISA-L deflate), zstd, xz (liblzma) and bzip2 (libbz2) writers, so
// tests make compressed dumps at test time instead of shipping binary files. Test code only.
#ifndef SERIALMATCH_SRC_DUMP_TEST_COMPRESS_H_
#define SERIALMATCH_SRC_DUMP_TEST_COMPRESS_H_

#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch::dump {

// One gzip member of `data` (or, with `flag` IGZIP_ZLIB / IGZIP_DEFLATE, another container).
inline std::string GzipForTest(absl::string_view data, uint16_t flag = IGZIP_GZIP) {
  auto stream = std::make_unique<isal_zstream>();
  isal_deflate_init(stream.get());
  std::vector<uint8_t> level_buf(ISAL_DEF_LVL1_DEFAULT);
  stream->level = 1;
  stream->level_buf = level_buf.data();
  stream->level_buf_size = static_cast<uint32_t>(level_buf.size());
  stream->gzip_flag = flag;
  stream->end_of_stream = 1;
  stream->flush = NO_FLUSH;
  stream->next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(data.data()));
  stream->avail_in = static_cast<uint32_t>(data.size());
  std::string out;
  std::vector<uint8_t> chunk(1 << 16);
  do {
    stream->next_out = chunk.data();
    stream->avail_out = static_cast<uint32_t>(chunk.size());
    if (isal_deflate(stream.get()) != COMP_OK) return "";
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - stream->avail_out);
  } while (stream->internal_state.state != ZSTATE_END);
  return out;
}

// One zstd frame of `data`, with the content checksum the zstd tool writes by default; empty if
// compression fails.
inline std::string ZstdForTest(absl::string_view data, bool checksum = true) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t size = ZSTD_compress2(cctx.get(), out.data(), out.size(), data.data(), data.size());
  out.resize(ZSTD_isError(size) ? 0 : size);
  return out;
}

// One .xz stream of `data` (preset 1, CRC64 check, as `xz -1` writes); empty if compression fails.
inline std::string XzForTest(absl::string_view data) {
  std::string out(lzma_stream_buffer_bound(data.size()), '\0');
  size_t size = 0;
  if (lzma_easy_buffer_encode(
          1, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(data.data()), data.size(),
          reinterpret_cast<uint8_t*>(out.data()), &size, out.size()) != LZMA_OK) {
    return "";
  }
  out.resize(size);
  return out;
}

// One bzip2 stream of `data` (blocks of `block_100k` * 100 kB, as `bzip2 -1` to `-9` writes);
// empty if compression fails.
inline std::string Bzip2ForTest(absl::string_view data, int block_100k = 9) {
  unsigned size = static_cast<unsigned>(data.size() + data.size() / 100 + 600);
  std::string out(size, '\0');
  std::string in(data);  // libbz2 takes a non-const source
  if (BZ2_bzBuffToBuffCompress(out.data(), &size, in.data(), static_cast<unsigned>(in.size()),
                               block_100k, 0, 0) != BZ_OK) {
    return "";
  }
  out.resize(size);
  return out;
}

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_TEST_COMPRESS_H_
