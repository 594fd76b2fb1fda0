// Micro-benchmarks of the two canonicalisations every inventory value and dump field goes through:
// CanonicalizeSerial over each notation inventories use and over the generator's mix of them, and
// NormalizeName on its ASCII fast path (already normal), on ASCII that needs rewriting, and on
// Unicode (IDN) names that go through libidn2. Reports items/s.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bench/bench_corpus.h"
#include "benchmark/benchmark.h"
#include "src/base/name.h"
#include "src/base/serial.h"

namespace serialmatch {
namespace {

enum Notation { kPlain, kUpper, kColon, kLead00, k0x, kMixed };

// The generator's mix (scripts/gen_fake_dump.py NOTATIONS): 22 plain, 3 upper, 3 colon, 2 lead00,
// 2 0x in 32.
Notation MixedNotation(size_t i) {
  const size_t slot = i % 32;
  return slot < 22 ? kPlain : slot < 25 ? kUpper : slot < 28 ? kColon : slot < 30 ? kLead00 : k0x;
}

void BM_CanonicalizeSerial(benchmark::State& state) {
  const auto notation = static_cast<Notation>(state.range(0));
  std::vector<std::string> serials;
  uint64_t bytes = 0;
  for (const bench::Cert& c : bench::GetCorpus().certs()) {
    const Notation n = notation == kMixed ? MixedNotation(serials.size()) : notation;
    switch (n) {
      case kUpper: serials.push_back(absl::AsciiStrToUpper(c.serial)); break;
      case kColon: serials.push_back(bench::ColonUpper(c.serial)); break;
      case kLead00: serials.push_back("00" + c.serial); break;
      case k0x: serials.push_back("0x" + c.serial); break;
      default: serials.push_back(c.serial); break;
    }
    bytes += serials.back().size();
  }
  std::string scratch;
  for (auto _ : state) {
    for (const std::string& s : serials) benchmark::DoNotOptimize(CanonicalizeSerial(s, &scratch));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * serials.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_CanonicalizeSerial)
    ->ArgName("notation")
    ->Arg(kPlain)
    ->Arg(kUpper)
    ->Arg(kColon)
    ->Arg(kLead00)
    ->Arg(k0x)
    ->Arg(kMixed);

enum NameShape { kNormal, kUpperDot, kUnicode };

void BM_NormalizeName(benchmark::State& state) {
  const auto shape = static_cast<NameShape>(state.range(0));
  static constexpr const char* kUnicodeLabels[] = {"münchen", "bücher", "café", "straße",
                                                   "παράδειγμα", "пример", "例え", "ñandú"};
  std::vector<std::string> names;
  for (const bench::Cert& c : bench::GetCorpus().certs()) {
    for (const std::string& n : c.names) {
      switch (shape) {
        case kUpperDot: names.push_back(absl::AsciiStrToUpper(n) + "."); break;
        case kUnicode:
          names.push_back(absl::StrCat(kUnicodeLabels[names.size() % 8], "-", names.size(), ".",
                                       ParentName(n)));
          break;
        default: names.push_back(n); break;
      }
    }
    if (names.size() >= 100'000) break;
  }
  std::string scratch;
  for (auto _ : state) {
    for (const std::string& n : names) benchmark::DoNotOptimize(NormalizeName(n, &scratch));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * names.size()));
}
BENCHMARK(BM_NormalizeName)->ArgName("shape")->Arg(kNormal)->Arg(kUpperDot)->Arg(kUnicode);

}  // namespace
}  // namespace serialmatch
