// Micro-benchmarks of the dump hot path on generated Let's Encrypt 2020-format text: the newline
// scan, the le2020 parser, serial and name canonicalisation, and the whole per-line join. Each
// reports bytes/s or items/s. Whole-dump timings against wc -l and the peers are in
// scripts/bench_join.sh and bench/results/.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/match/matcher.h"

namespace serialmatch {
namespace {

constexpr int kLines = 100'000;  // ~45 MB, larger than the caches

std::string Hex(std::mt19937_64& rng, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back(kHex[rng() % 16]);
  return out;
}

struct Corpus {
  std::string text;
  std::vector<std::string> names;    // every name in the dump
  std::vector<std::string> serials;  // every serial in the dump
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::mt19937_64 rng(2020);
    for (int i = 0; i < kLines; ++i) {
      const std::string serial = "03" + Hex(rng, 34);
      std::string names;
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < n; ++k) {
        std::string name = absl::StrCat(k == 0 ? "" : "www.", "site-", rng() % 1000000, ".example",
                                        rng() % 2 ? ".com" : ".net");
        absl::StrAppend(&names, k == 0 ? "" : " ", name);
        c->names.push_back(std::move(name));
      }
      absl::StrAppend(&c->text, "serial ", serial, " ", rng() % 80000000, " ", Hex(rng, 64),
                      " names: [", names, "] missing CAA checking results for [", c->names.back(),
                      "] at 2019-12-03 21:08:34.826011675 +0000 UTC\n");
      c->serials.push_back(serial);
    }
    return c;
  }();
  return *corpus;
}

void BM_ScanLines(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    uint64_t bytes = 0;
    dump::ForEachLine(c.text, [&](absl::string_view line, uint64_t) { bytes += line.size(); });
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text.size()));
}
BENCHMARK(BM_ScanLines);

void BM_ParseLe2020(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const dump::Le2020Parser parser;
  dump::DumpRecord record;
  std::string reason;
  for (auto _ : state) {
    uint64_t records = 0;
    dump::ForEachLine(c.text, [&](absl::string_view line, uint64_t) {
      records += parser.Parse(line, &record, &reason) == dump::LineKind::kRecord;
    });
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text.size()));
}
BENCHMARK(BM_ParseLe2020);

void BM_CanonicalizeSerial(benchmark::State& state) {
  const bool slow = state.range(0) != 0;
  std::vector<std::string> serials = GetCorpus().serials;
  if (slow) {
    for (std::string& s : serials) {  // "03:E2:..." notation: the rewriting path
      std::string colons;
      for (size_t i = 0; i < s.size(); i += 2) {
        absl::StrAppend(&colons, i == 0 ? "" : ":", absl::AsciiStrToUpper(s.substr(i, 2)));
      }
      s = colons;
    }
  }
  std::string scratch;
  for (auto _ : state) {
    for (const std::string& s : serials) benchmark::DoNotOptimize(CanonicalizeSerial(s, &scratch));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * serials.size()));
}
BENCHMARK(BM_CanonicalizeSerial)->Arg(0)->Arg(1)->ArgName("colon_upper");

void BM_NormalizeName(benchmark::State& state) {
  const bool slow = state.range(0) != 0;
  std::vector<std::string> names = GetCorpus().names;
  if (slow) {
    for (std::string& n : names) n = absl::AsciiStrToUpper(n) + ".";
  }
  std::string scratch;
  for (auto _ : state) {
    for (const std::string& n : names) benchmark::DoNotOptimize(NormalizeName(n, &scratch));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * names.size()));
}
BENCHMARK(BM_NormalizeName)->Arg(0)->Arg(1)->ArgName("upper_dot");

// The one-pass split, normal-form check and hash of each line's name list (DumpRecord::PlainNames),
// after the parse that finds the list: names/s.
void BM_PlainNames(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const dump::Le2020Parser parser;
  dump::DumpRecord record;
  std::string reason;
  std::vector<absl::string_view> words;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> others;
  uint64_t names = 0;
  for (auto _ : state) {
    dump::ForEachLine(c.text, [&](absl::string_view line, uint64_t) {
      if (parser.Parse(line, &record, &reason) != dump::LineKind::kRecord) return;
      record.PlainNames(&words, &hashes, &others);
      names += words.size();
      benchmark::DoNotOptimize(hashes.data());
    });
  }
  state.SetItemsProcessed(static_cast<int64_t>(names));
}
BENCHMARK(BM_PlainNames);

// Parse + probe, one thread, against inventories of N domains and N serials: 20,000 (their probe
// filters stay in the L2 cache) and 250,000 (the size of issue 6's jobs). Every 50th entry is a hit
// while the corpus has names and serials to hit, so the larger inventory also makes more findings.
void BM_JoinLines(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const int size = static_cast<int>(state.range(0));
  std::string domains_text;
  std::string serials_text;
  for (int i = 0; i < size; ++i) {
    const bool hit = i % 50 == 0 && static_cast<size_t>(i) * 3 < c.names.size() &&
                     static_cast<size_t>(i) < c.serials.size();
    absl::StrAppend(
        &domains_text,
        hit ? c.names[static_cast<size_t>(i) * 3] : absl::StrCat("miss-", i, ".example.org"), "\n");
    absl::StrAppend(&serials_text,
                    hit ? c.serials[static_cast<size_t>(i)] : absl::StrCat("05", i * 7919), "\n");
  }
  Diagnostics diags("bench");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory(domains_text, "d", &diags);
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory(serials_text, "s", &diags);
  const match::Matcher matcher(&domains, &serials);
  const dump::Le2020Parser parser;
  dump::DumpRecord record;
  match::Matcher::Scratch scratch;
  std::vector<match::Finding> findings;
  std::string reason;
  for (auto _ : state) {
    findings.clear();
    dump::ForEachLine(c.text, [&](absl::string_view line, uint64_t number) {
      if (parser.Parse(line, &record, &reason) == dump::LineKind::kRecord) {
        matcher.Match(record, number, &scratch, &findings);
      }
    });
    benchmark::DoNotOptimize(findings.size());
  }
  state.counters["findings"] = static_cast<double>(findings.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text.size()));
}
BENCHMARK(BM_JoinLines)->Arg(20000)->Arg(250000)->ArgName("inventory");

}  // namespace
}  // namespace serialmatch
