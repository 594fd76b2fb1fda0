#include "src/match/join.h"

#include <thread>
#include <utility>

#include "src/base/status_macros.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::match {
namespace {

// Everything one worker learns from one block; line numbers are relative to the block.
struct BlockResult {
  std::vector<Finding> findings;
  DumpCounts counts;
  Diagnostics diagnostics;
};

void ProcessBlock(absl::string_view block, const dump::DumpParser& parser, const Matcher& matcher,
                  BlockResult* result) {
  dump::DumpRecord record;
  Matcher::Scratch scratch;
  std::string reason;
  result->counts.bytes += block.size();
  result->counts.lines += dump::ForEachLine(block, [&](absl::string_view line, uint64_t number) {
    switch (parser.Parse(line, &record, &reason)) {
      case dump::LineKind::kRecord:
        ++result->counts.records;
        matcher.Match(record, number, &scratch, &result->findings);
        break;
      case dump::LineKind::kSkip:
        break;
      case dump::LineKind::kMalformed:
        ++result->counts.malformed;
        result->diagnostics.Report(number, reason);
        break;
    }
  });
}

// Appends `block` (whose first line is line `line_offset + 1` of the dump) to `total`.
void MergeBlock(BlockResult&& block, uint64_t line_offset, JoinResult* total) {
  for (Finding& f : block.findings) {
    f.dump_line += line_offset;
    total->findings.push_back(std::move(f));
  }
  total->counts.lines += block.counts.lines;
  total->counts.records += block.counts.records;
  total->counts.malformed += block.counts.malformed;
  total->counts.bytes += block.counts.bytes;
  total->diagnostics.Merge(block.diagnostics, line_offset);
}

// Chunks smaller than this are not worth a thread.
constexpr size_t kMinChunkBytes = 1 << 20;

}  // namespace

absl::StatusOr<JoinResult> JoinDump(dump::DumpSource& source, const dump::DumpParser& parser,
                                    const Matcher& matcher, int threads) {
  JoinResult result;
  result.diagnostics = Diagnostics(source.name());

  if (const std::optional<absl::string_view> mapped = source.Mapped()) {
    const absl::string_view text = dump::StripBom(*mapped);
    const int parts = static_cast<int>(
        std::max<size_t>(1, std::min<size_t>(threads < 1 ? 1 : threads,
                                             text.size() / kMinChunkBytes + 1)));
    const std::vector<absl::string_view> chunks = dump::SplitAtLineBoundaries(text, parts);
    std::vector<BlockResult> results(chunks.size());
    if (chunks.size() == 1) {
      ProcessBlock(chunks[0], parser, matcher, &results[0]);
    } else {
      std::vector<std::thread> workers;
      workers.reserve(chunks.size());
      for (size_t i = 0; i < chunks.size(); ++i) {
        workers.emplace_back(ProcessBlock, chunks[i], std::cref(parser), std::cref(matcher),
                             &results[i]);
      }
      for (std::thread& w : workers) w.join();
    }
    for (BlockResult& r : results) {
      const uint64_t offset = result.counts.lines;
      MergeBlock(std::move(r), offset, &result);
    }
  } else {
    bool first = true;
    while (true) {
      SM_ASSIGN_OR_RETURN(absl::string_view block, source.NextBlock());
      if (block.empty()) break;
      if (first) block = dump::StripBom(block);
      first = false;
      BlockResult r;
      ProcessBlock(block, parser, matcher, &r);
      const uint64_t offset = result.counts.lines;
      MergeBlock(std::move(r), offset, &result);
    }
  }
  for (Finding& f : result.findings) f.dump_path = source.name();
  return result;
}

}  // namespace serialmatch::match
