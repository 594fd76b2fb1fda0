// CrlParser::ParseDocument over a generated 1M-entry CRL (~36 MB, the size of a large Let's
// Encrypt shard): 18-byte serials, UTCTime revocation dates, a reasonCode on one entry in four.
// Reports bytes/s of DER and entries/s. The CRL is built by hand (its signature is a dummy: the
// parser does not check it).
#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "src/dump/crl_parser.h"
#include "src/base/der.h"
#include "src/dump/record.h"

namespace serialmatch {
namespace {

std::string Enc(uint8_t tag, absl::string_view content) { return der::Element(tag, content); }

const std::string& Crl() {
  static const std::string* crl = [] {
    constexpr int kEntries = 1'000'000;
    std::mt19937_64 rng(2024);
    const std::string reason =
        Enc(0x30, Enc(0x30, Enc(0x06, "\x55\x1d\x15") + Enc(0x04, std::string("\x0a\x01\x01", 3))));
    std::string entries;
    entries.reserve(static_cast<size_t>(kEntries) * 56);
    for (int i = 0; i < kEntries; ++i) {
      std::string serial(18, '\0');
      serial[0] = static_cast<char>(0x03 + (i & 1));
      for (size_t k = 1; k < serial.size(); ++k) serial[k] = static_cast<char>(rng());
      entries += Enc(0x30, Enc(0x02, serial) + Enc(0x17, "240730120000Z") +
                               (i % 4 == 0 ? reason : std::string()));
    }
    const std::string algorithm("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);
    const std::string name =
        Enc(0x30, Enc(0x31, Enc(0x30, Enc(0x06, "\x55\x04\x03") + Enc(0x13, "R3"))));
    const std::string tbs =
        Enc(0x30, std::string("\x02\x01\x01", 3) + algorithm + name + Enc(0x17, "240730120000Z") +
                      Enc(0x17, "240806120000Z") + Enc(0x30, entries));
    return new std::string(Enc(0x30, tbs + algorithm + Enc(0x03, std::string("\x00\x01", 2))));
  }();
  return *crl;
}

void BM_CrlParseDocument(benchmark::State& state) {
  const std::string& crl = Crl();
  const dump::CrlParser parser;
  dump::DumpRecord record;
  uint64_t records = 0;
  for (auto _ : state) {
    records = 0;
    const absl::Status status = parser.ParseDocument(
        crl, &record,
        [&](uint64_t) {
          ++records;
          benchmark::DoNotOptimize(record.serial.data());
        },
        [&](uint64_t, absl::string_view) {});
    if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * crl.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
}
BENCHMARK(BM_CrlParseDocument)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace serialmatch
