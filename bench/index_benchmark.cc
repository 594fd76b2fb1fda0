// Micro-benchmarks of the inventory indexes at the size of issue 6's inventories: SerialIndex over
// 250,000 serials and DomainIndex over 217,000 domains (a tenth of them children that a dump
// wildcard covers). Probes are dump serials / normalised dump names, either all misses (the usual
// case: a few percent of a dump concerns an inventory) or all hits. Also the cost of building each
// index. Reports items/s (probes or entries).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_corpus.h"
#include "benchmark/benchmark.h"
#include "src/base/diagnostics.h"
#include "src/index/domain_index.h"
#include "src/index/serial_index.h"
#include "src/inventory/domains.h"
#include "src/inventory/serials.h"

namespace serialmatch {
namespace {

constexpr int kSerialRows = 250'000;
constexpr int kDomainRows = 217'000;
constexpr int kHits = 5'000;  // inventory rows that are in the corpus

const inventory::SerialInventory& Serials() {
  static const inventory::SerialInventory* serials = [] {
    const std::vector<bench::Cert>& certs = bench::GetCorpus().certs();
    std::mt19937_64 rng(250);
    std::string text;
    for (int i = 0; i < kSerialRows; ++i) {
      absl::StrAppend(&text, i < kHits ? certs[static_cast<size_t>(i) * 7].serial
                                       : "05" + bench::RandomHex(rng, 34),
                      "\n");
    }
    Diagnostics diags("bench");
    return new inventory::SerialInventory(*inventory::ParseSerialInventory(text, "s", &diags));
  }();
  return *serials;
}

const inventory::DomainInventory& Domains() {
  static const inventory::DomainInventory* domains = [] {
    const std::vector<bench::Cert>& certs = bench::GetCorpus().certs();
    std::string text = "domain\n";
    for (int i = 0; i < kDomainRows; ++i) {
      const std::string& name = certs[static_cast<size_t>(i) % certs.size()].names[0];
      if (i < kHits) {
        absl::StrAppend(&text, certs[static_cast<size_t>(i) * 7].names.back(), "\n");
      } else if (i % 10 == 0) {  // a child a wildcard "*.<parent>" would cover, not in the dump
        absl::StrAppend(&text, "vpn-", i, ".", name, "\n");
      } else {
        absl::StrAppend(&text, "shop.miss", i, ".example.org\n");
      }
    }
    Diagnostics diags("bench");
    return new inventory::DomainInventory(*inventory::ParseDomainInventory(text, "d", &diags));
  }();
  return *domains;
}

void BM_SerialIndexBuild(benchmark::State& state) {
  const inventory::SerialInventory& serials = Serials();
  for (auto _ : state) {
    index::SerialIndex index(serials.entries);
    benchmark::DoNotOptimize(index.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * serials.entries.size()));
}
BENCHMARK(BM_SerialIndexBuild)->Unit(benchmark::kMillisecond);

void BM_SerialIndexFind(benchmark::State& state) {
  const bool hits = state.range(0) != 0;
  const index::SerialIndex index(Serials().entries);
  std::vector<std::string> probes;
  for (const bench::Cert& c : bench::GetCorpus().certs()) probes.push_back(c.serial);
  if (hits) {
    probes.clear();
    for (int i = 0; i < kHits; ++i) probes.push_back(std::string(Serials().entries[i].serial));
  }
  uint64_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const std::string& s : probes) found += index.Find(s).has_value();
  }
  state.counters["found"] = static_cast<double>(found);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * probes.size()));
}
BENCHMARK(BM_SerialIndexFind)->ArgName("hits")->Arg(0)->Arg(1);

void BM_DomainIndexBuild(benchmark::State& state) {
  const inventory::DomainInventory& domains = Domains();
  for (auto _ : state) {
    index::DomainIndex index(domains.entries);
    benchmark::DoNotOptimize(index.duplicates());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * domains.entries.size()));
}
BENCHMARK(BM_DomainIndexBuild)->Unit(benchmark::kMillisecond);

// Probes with every name of the corpus (mostly misses; 1 in 10 certificates has a wildcard, whose
// children are looked up too), or with the inventory's exact hits only.
void BM_DomainIndexProbe(benchmark::State& state) {
  const bool hits = state.range(0) != 0;
  const index::DomainIndex index(Domains().entries);
  std::vector<std::string> probes;
  if (hits) {
    for (int i = 0; i < kHits; ++i) probes.push_back(std::string(Domains().entries[i].name()));
  } else {
    for (const bench::Cert& c : bench::GetCorpus().certs()) {
      for (const std::string& n : c.names) probes.push_back(n);
    }
  }
  uint64_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const std::string& n : probes) {
      index.ForEachMatch(n, [&](uint32_t, index::NameMatch) { ++found; });
    }
  }
  state.counters["found"] = static_cast<double>(found);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * probes.size()));
}
BENCHMARK(BM_DomainIndexProbe)->ArgName("hits")->Arg(0)->Arg(1);

}  // namespace
}  // namespace serialmatch
