#include "src/match/join.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/base/hash.h"
#include "src/base/status_macros.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::match {
namespace {

// Everything one worker learns from its part of the dump; line numbers are relative to the part.
struct PartResult {
  absl::Status status;
  std::vector<Finding> findings;
  DumpCounts counts;
  Diagnostics diagnostics;
  std::string document;  // the whole document, for a parser that keeps_document()
};

// Serials probed together by ProcessSerialBlock: their filter words are fetched from memory at
// once rather than one cache miss after another.
constexpr size_t kProbeBatch = 16;

// A record line waiting for its serial to be probed.
struct SerialProbe {
  absl::string_view line;
  uint64_t number = 0;  // in the block
  absl::string_view serial;
  uint64_t hash = 0;
  std::string own;  // the serial's text when the parser had to rewrite it
};

// Per-worker working memory, reused from line to line.
struct Workspace {
  dump::DumpRecord record;
  Matcher::Scratch scratch;
  std::string reason;
  std::vector<SerialProbe> probes;  // ProcessSerialBlock's batch
  std::string hit_reason;           // and why a line it parses whole is malformed
};

// Counts a line of kind `kind` at `line` of the part; a malformed one is reported with `reason`.
void CountLine(dump::LineKind kind, uint64_t line, const std::string& reason, PartResult* part) {
  switch (kind) {
    case dump::LineKind::kRecord:
      ++part->counts.records;
      break;
    case dump::LineKind::kSkip:
      // A blank line, a comment or a header, as the parser says: no certificate to match. Counted
      // in lines (lines - records - malformed are the skipped ones).
      break;
    case dump::LineKind::kMalformed:
      ++part->counts.malformed;
      part->diagnostics.Report(line, reason);
      break;
    case dump::LineKind::kUncheckable:
      // A certificate named in a way no inventory can be compared with: counted for the summary,
      // said once per dump by the caller rather than once per line.
      ++part->counts.uncheckable;
      break;
  }
}

// Parses and matches the lines of `block`, which follow the part's lines read so far.
void ProcessBlock(absl::string_view block, const dump::DumpParser& parser, const Matcher& matcher,
                  Workspace* ws, PartResult* part) {
  const uint64_t before = part->counts.lines;
  part->counts.bytes += block.size();
  part->counts.lines += dump::ForEachLine(block, [&](absl::string_view line, uint64_t number) {
    const dump::LineKind kind = parser.Parse(line, &ws->record, &ws->reason);
    if (kind == dump::LineKind::kRecord) {
      matcher.Match(ws->record, before + number, &ws->scratch, &part->findings);
    }
    CountLine(kind, before + number, ws->reason, part);
  });
}

// Whether `part` views bytes of `text`.
bool Within(absl::string_view part, absl::string_view text) {
  const auto begin = reinterpret_cast<uintptr_t>(text.data());
  const auto at = reinterpret_cast<uintptr_t>(part.data());
  return at >= begin && at + part.size() <= begin + text.size();
}

// ProcessBlock for a matcher that looks at serials only (Matcher::serial_only): each line is read
// only as far as its serial, and parsed whole only when an inventory holds that serial. Lines are
// probed kProbeBatch at a time; a line that is not a record first finishes the batch before it, so
// that diagnostics stay in line order.
void ProcessSerialBlock(absl::string_view block, const dump::DumpParser& parser,
                        const Matcher& matcher, Workspace* ws, PartResult* part) {
  const uint64_t before = part->counts.lines;
  part->counts.bytes += block.size();
  std::vector<SerialProbe>& batch = ws->probes;
  batch.resize(kProbeBatch);
  size_t pending = 0;
  auto finish_batch = [&] {
    for (size_t i = 0; i < pending; ++i) {
      const SerialProbe& probe = batch[i];
      if (!matcher.HasSerial(probe.serial, probe.hash)) {
        ++part->counts.records;  // a record nobody looks for
        continue;
      }
      // A hit: the whole line, as the full join would read it.
      // (Its own reason: the line that ends a batch early has one waiting in ws->reason.)
      const dump::LineKind kind = parser.Parse(probe.line, &ws->record, &ws->hit_reason);
      if (kind == dump::LineKind::kRecord) {
        matcher.Match(ws->record, before + probe.number, &ws->scratch, &part->findings);
      }
      CountLine(kind, before + probe.number, ws->hit_reason, part);
    }
    pending = 0;
  };
  part->counts.lines += dump::ForEachLine(block, [&](absl::string_view line, uint64_t number) {
    const dump::LineKind kind = parser.ParseSerial(line, &ws->record, &ws->reason);
    if (kind != dump::LineKind::kRecord) {
      finish_batch();
      CountLine(kind, before + number, ws->reason, part);
      return;
    }
    SerialProbe& probe = batch[pending++];
    probe.line = line;
    probe.number = number;
    probe.serial = ws->record.serial;
    if (!Within(probe.serial, line)) {
      // Rewritten by the parser into the record's scratch space, which the next line reuses.
      probe.own.assign(probe.serial.data(), probe.serial.size());
      probe.serial = probe.own;
    }
    probe.hash = HashBytes(probe.serial);
    matcher.PrefetchSerial(probe.hash);
    if (pending == kProbeBatch) finish_batch();
  });
  finish_batch();
}

// Parses and matches `block`, which follows the lines `part` holds so far; the first block of the
// dump drops a leading byte order mark.
void ProcessAnyBlock(absl::string_view block, bool first_block, const dump::DumpParser& parser,
                     const Matcher& matcher, std::atomic<uint64_t>* bytes_read, Workspace* ws,
                     PartResult* part) {
  if (first_block) block = dump::StripBom(block);
  ws->scratch.diagnostics = &part->diagnostics;  // at part-relative lines, as malformed ones
  // The workspace's counts run on over the blocks of other parts: the part gets what this adds.
  const uint64_t issued_before = ws->scratch.issued_before;
  const uint64_t bad_times = ws->scratch.bad_times;
  const uint64_t invalid_names = ws->scratch.invalid_names;
  if (matcher.serial_only()) {
    ProcessSerialBlock(block, parser, matcher, ws, part);
  } else {
    ProcessBlock(block, parser, matcher, ws, part);
  }
  part->counts.issued_before += ws->scratch.issued_before - issued_before;
  part->counts.bad_times += ws->scratch.bad_times - bad_times;
  part->counts.invalid_names += ws->scratch.invalid_names - invalid_names;
  if (bytes_read != nullptr) bytes_read->fetch_add(block.size(), std::memory_order_relaxed);
}

// Reads every block of one part, in this thread.
void ProcessPart(dump::LineReader* reader, bool first_part, const dump::DumpParser& parser,
                 const Matcher& matcher, std::atomic<uint64_t>* bytes_read, PartResult* part) {
  Workspace ws;
  bool first_block = first_part;
  while (true) {
    absl::StatusOr<absl::string_view> block = reader->NextBlock();
    if (!block.ok()) {
      part->status = block.status();
      return;
    }
    if (block->empty()) return;
    ProcessAnyBlock(*block, first_block, parser, matcher, bytes_read, &ws, part);
    first_block = false;
  }
}

// A dump only one reader can read (standard input, a pipe, a compressed file): this thread reads
// (and decompresses) its blocks while `workers` threads parse them, each block into a part of its
// own, so that parts come out in dump order whichever worker took them. At most a few blocks per
// worker wait to be parsed; their buffers are reused. A read error ends the parts with a part
// holding it, after the blocks read before it.
std::deque<PartResult> ProcessStream(dump::LineReader* reader, int workers,
                                     const dump::DumpParser& parser, const Matcher& matcher,
                                     std::atomic<uint64_t>* bytes_read) {
  const size_t depth = 2 * static_cast<size_t>(workers) + 2;
  struct Ready {
    dump::OwnedBlock block;
    PartResult* part;
    bool first;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Ready> ready;             // blocks read, in order
  std::vector<dump::OwnedBlock> free;  // buffers parsed, to read into again
  bool done = false;                   // the reader has finished (or failed)
  // One part per block. A deque: growing it keeps the parts that workers are filling in place.
  std::deque<PartResult> parts;

  auto work = [&] {
    Workspace ws;
    while (true) {
      Ready next;
      {
        std::unique_lock<std::mutex> lock(mu);
        changed.wait(lock, [&] { return !ready.empty() || done; });
        if (ready.empty()) return;
        next = std::move(ready.front());
        ready.pop_front();
      }
      changed.notify_all();
      ProcessAnyBlock(next.block.view(), next.first, parser, matcher, bytes_read, &ws, next.part);
      {
        std::lock_guard<std::mutex> lock(mu);
        free.push_back(std::move(next.block));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) threads.emplace_back(work);

  bool first = true;
  while (true) {
    dump::OwnedBlock block;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return ready.size() < depth; });
      if (!free.empty()) {
        block = std::move(free.back());
        free.pop_back();
      }
    }
    const absl::Status status = reader->NextBlockInto(&block);
    std::lock_guard<std::mutex> lock(mu);
    if (!status.ok() || block.size() == 0) {
      if (!status.ok()) parts.emplace_back().status = status;
      done = true;
      break;
    }
    ready.push_back({std::move(block), &parts.emplace_back(), first});
    first = false;
    changed.notify_all();
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  return parts;
}

// Reads the whole dump into memory (with the padding the parser needs) and parses it as one
// document.
void ProcessDocument(dump::DumpSource& source, const dump::DumpParser& parser,
                     const Matcher& matcher, std::atomic<uint64_t>* bytes_read, PartResult* part) {
  std::string text;
  // One allocation for a dump of known size: no regrowth copying tens of megabytes again.
  if (source.size() > 0) text.reserve(source.size() + dump::kDocumentPadding);
  std::vector<std::unique_ptr<dump::LineReader>> readers = source.Split(1);
  for (auto& reader : readers) {
    while (true) {
      absl::StatusOr<absl::string_view> block = reader->NextBlock();
      if (!block.ok()) {
        part->status = block.status();
        return;
      }
      if (block->empty()) break;
      text.append(block->data(), block->size());
      if (bytes_read != nullptr) bytes_read->fetch_add(block->size(), std::memory_order_relaxed);
    }
  }
  const size_t size = text.size();
  text.append(dump::kDocumentPadding, '\0');
  const absl::string_view document(text.data(), size);
  part->counts.bytes = size;
  part->counts.lines = static_cast<uint64_t>(std::count(document.begin(), document.end(), '\n')) +
                       (size > 0 && document.back() != '\n');
  Workspace ws;
  ws.scratch.diagnostics = &part->diagnostics;
  const absl::Status status = parser.ParseDocument(
      document, &ws.record,
      [&](uint64_t line) {
        ++part->counts.records;
        matcher.Match(ws.record, line, &ws.scratch, &part->findings);
      },
      [&](uint64_t line, absl::string_view reason) {
        ++part->counts.malformed;
        part->diagnostics.Report(line, reason);
      });
  part->counts.issued_before = ws.scratch.issued_before;
  part->counts.bad_times = ws.scratch.bad_times;
  part->counts.invalid_names = ws.scratch.invalid_names;
  if (!status.ok()) {
    part->status = absl::Status(status.code(), absl::StrCat(source.name(), ": ", status.message()));
  }
  if (parser.keeps_document()) {
    text.resize(size);  // without the padding
    part->document = std::move(text);
  }
}

// Joins the parts' results in dump order, making line numbers global, and drops repeated findings
// of one certificate.
template <typename Parts>
absl::StatusOr<JoinResult> Merge(const dump::DumpSource& source, Parts parts) {
  JoinResult result;
  result.diagnostics = Diagnostics(source.name());
  // One allocation: findings are large, and each regrowth would move them into fresh pages.
  size_t findings = 0;
  for (const PartResult& part : parts) findings += part.findings.size();
  result.findings.reserve(findings);
  for (PartResult& part : parts) {
    SM_RETURN_IF_ERROR(part.status);
    const uint64_t offset = result.counts.lines;
    for (Finding& f : part.findings) {
      f.dump_line += offset;
      f.dump_path = source.name();
      result.findings.push_back(std::move(f));
    }
    result.counts.lines += part.counts.lines;
    result.counts.records += part.counts.records;
    result.counts.malformed += part.counts.malformed;
    result.counts.uncheckable += part.counts.uncheckable;
    result.counts.issued_before += part.counts.issued_before;
    result.counts.bad_times += part.counts.bad_times;
    result.counts.invalid_names += part.counts.invalid_names;
    result.counts.bytes += part.counts.bytes;
    result.diagnostics.Merge(part.diagnostics, offset);
    // Only a whole document (one part) has one to keep.
    if (!part.document.empty()) result.document = std::move(part.document);
  }
  DedupeFindings(&result.findings);
  return result;
}

}  // namespace

absl::StatusOr<JoinResult> JoinDump(dump::DumpSource& source, const dump::DumpParser& parser,
                                    const Matcher& matcher, int threads,
                                    std::atomic<uint64_t>* bytes_read) {
  if (parser.whole_document()) {
    PartResult part;
    ProcessDocument(source, parser, matcher, bytes_read, &part);
    std::vector<PartResult> parts;
    parts.push_back(std::move(part));
    return Merge(source, std::move(parts));
  }
  std::vector<std::unique_ptr<dump::LineReader>> readers = source.Split(threads);
  if (readers.size() == 1 && threads > 1 && source.size() == 0) {
    // A dump that cannot be split (a stream, a compressed file): read (and decompress) here, parse
    // in `threads` workers.
    return Merge(source, ProcessStream(readers[0].get(), threads, parser, matcher, bytes_read));
  }
  std::vector<PartResult> parts(readers.size());
  if (readers.size() == 1) {
    ProcessPart(readers[0].get(), true, parser, matcher, bytes_read, &parts[0]);
  } else {
    std::vector<std::thread> workers;
    workers.reserve(readers.size());
    for (size_t i = 0; i < readers.size(); ++i) {
      workers.emplace_back(ProcessPart, readers[i].get(), i == 0, std::cref(parser),
                           std::cref(matcher), bytes_read, &parts[i]);
    }
    for (std::thread& w : workers) w.join();
  }

  return Merge(source, std::move(parts));
}

}  // namespace serialmatch::match
