// Micro-benchmarks of in-process dump decompression through ByteStream: gzip (ISA-L inflate) and
// zstd (libzstd) over ~64 MB of generated Let's Encrypt 2020-format text, compressed once at setup
// (gzip by ISA-L at level 1, as `igzip` writes; zstd at level 3 with checksums, as `zstd` writes).
// Reports decompressed bytes/s for several read sizes. The compressed bytes come from memory, so
// this is the decoder's speed; `igzip -dc` / `zstd -dc` on a real file are compared in
// bench/results/.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "src/dump/byte_stream.h"
#include "src/dump/test_compress.h"

namespace serialmatch::dump {
namespace {

constexpr size_t kTextBytes = 64 << 20;

std::string Hex(std::mt19937_64& rng, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back(kHex[rng() % 16]);
  return out;
}

std::string LeText() {
  std::mt19937_64 rng(2020);
  std::string text;
  text.reserve(kTextBytes + 1024);
  while (text.size() < kTextBytes) {
    std::string names;
    std::string last;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      last = absl::StrCat(k == 0 ? "" : "www.", "site-", rng() % 1000000, ".example",
                          rng() % 2 ? ".com" : ".net");
      absl::StrAppend(&names, k == 0 ? "" : " ", last);
    }
    absl::StrAppend(&text, "serial 03", Hex(rng, 34), " ", rng() % 80000000, " ", Hex(rng, 64),
                    " names: [", names, "] missing CAA checking results for [", last,
                    "] at 2019-12-03 21:08:34.826011675 +0000 UTC\n");
  }
  return text;
}

struct Corpus {
  std::string text;
  std::string gzip;
  std::string zstd;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    c->text = LeText();
    c->gzip = dump::GzipForTest(c->text);
    c->zstd = dump::ZstdForTest(c->text);
    return c;
  }();
  return *corpus;
}

// Compressed bytes from memory, as a file in the page cache would give them.
class MemoryStream : public ByteStream {
 public:
  explicit MemoryStream(absl::string_view data) : data_(data) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t take = std::min(n, data_.size());
    std::memcpy(buf, data_.data(), take);
    data_.remove_prefix(take);
    return take;
  }

 private:
  absl::string_view data_;
};

void Decompress(benchmark::State& state, Compression c, const std::string& compressed) {
  const Corpus& corpus = GetCorpus();
  std::vector<char> buffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::unique_ptr<ByteStream> stream =
        MakeDecompressingStream(c, std::make_unique<MemoryStream>(compressed), "bench");
    uint64_t total = 0;
    while (true) {
      absl::StatusOr<size_t> got = stream->Read(buffer.data(), buffer.size());
      if (!got.ok()) {
        state.SkipWithError(std::string(got.status().message()).c_str());
        return;
      }
      if (*got == 0) break;
      total += *got;
    }
    if (total != corpus.text.size()) {
      state.SkipWithError("decompressed size differs from the original");
      return;
    }
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.text.size()));
  state.counters["ratio"] =
      static_cast<double>(corpus.text.size()) / static_cast<double>(compressed.size());
}

void BM_GzipDecompress(benchmark::State& state) {
  Decompress(state, Compression::kGzip, GetCorpus().gzip);
}
BENCHMARK(BM_GzipDecompress)
    ->Arg(64 << 10)
    ->Arg(1 << 20)
    ->ArgName("read")
    ->Unit(benchmark::kMillisecond);

void BM_ZstdDecompress(benchmark::State& state) {
  Decompress(state, Compression::kZstd, GetCorpus().zstd);
}
BENCHMARK(BM_ZstdDecompress)
    ->Arg(64 << 10)
    ->Arg(1 << 20)
    ->ArgName("read")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace serialmatch::dump
