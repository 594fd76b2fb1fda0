// Micro-benchmarks of each dump parser on the same generated certificates written in its format
// (bench_corpus.h): le2020, serials, le2022-csv, ccadb-csv, crtsh-json and regex. Reports bytes/s of
// dump text and records/s. With names:1 every record's names are split too, as the domain join
// needs them; with names:0 only what the serial join reads is parsed (names are split lazily).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/bench_corpus.h"
#include "benchmark/benchmark.h"
#include "src/dump/line_scanner.h"
#include "src/dump/parser.h"
#include "src/dump/record.h"

namespace serialmatch {
namespace {

void BM_Parse(benchmark::State& state, dump::DumpFormat format) {
  const bench::Corpus& corpus = bench::GetCorpus();
  const std::string& text = corpus.Text(format);
  dump::ParserOptions options;
  options.head = absl::string_view(text).substr(0, 64 << 10);
  options.pattern = bench::kRegexPattern;
  absl::StatusOr<std::unique_ptr<dump::DumpParser>> parser = dump::MakeParser(format, options);
  if (!parser.ok()) {
    state.SkipWithError(std::string(parser.status().message()).c_str());
    return;
  }
  const bool split_names = state.range(0) != 0;
  dump::DumpRecord record;
  std::string reason;
  uint64_t records = 0;
  uint64_t names = 0;
  auto on_record = [&] {
    ++records;
    if (split_names) names += record.names().size();
    benchmark::DoNotOptimize(record.serial.data());
  };
  for (auto _ : state) {
    records = names = 0;
    if ((*parser)->whole_document()) {
      const absl::Status status = (*parser)->ParseDocument(
          text, &record, [&](uint64_t) { on_record(); },
          [&](uint64_t, absl::string_view) {});
      if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
    } else {
      dump::ForEachLine(text, [&](absl::string_view line, uint64_t) {
        if ((*parser)->Parse(line, &record, &reason) == dump::LineKind::kRecord) on_record();
      });
    }
  }
  if (records != corpus.certs().size()) {
    state.SkipWithError(absl::StrCat("parsed ", records, " records of ", corpus.certs().size())
                            .c_str());
  }
  state.counters["names"] = static_cast<double>(names);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
}

#define SM_PARSER_BENCHMARK(name, format) \
  BENCHMARK_CAPTURE(BM_Parse, name, format)->Arg(0)->Arg(1)->ArgName("names")

SM_PARSER_BENCHMARK(le2020, dump::DumpFormat::kLe2020);
SM_PARSER_BENCHMARK(serials, dump::DumpFormat::kSerials);
SM_PARSER_BENCHMARK(le2022_csv, dump::DumpFormat::kLe2022Csv);
SM_PARSER_BENCHMARK(ccadb_csv, dump::DumpFormat::kCcadbCsv);
SM_PARSER_BENCHMARK(crtsh_json, dump::DumpFormat::kCrtshJson);
SM_PARSER_BENCHMARK(regex, dump::DumpFormat::kRegex);

}  // namespace
}  // namespace serialmatch
