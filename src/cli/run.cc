#include "src/cli/run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "src/base/diagnostics.h"
#include "src/base/file_util.h"
#include "src/base/status_macros.h"
#include "src/cli/metrics.h"
#include "src/cli/progress.h"
#include "src/cli/signals.h"
#include "src/dump/dump_source.h"
#include "src/dump/parser.h"
#include "src/inventory/domains.h"
#include "src/inventory/serials.h"
#include "src/match/join.h"
#include "src/match/matcher.h"
#include "src/report/report.h"

namespace serialmatch::cli {
namespace {

// How much of a dump format detection looks at.
constexpr size_t kDetectBytes = 64 << 10;

void Print(absl::string_view text) { (void)WriteAll(STDERR_FILENO, text); }

void PrintError(absl::string_view message) { Print(absl::StrCat("serialmatch: ", message, "\n")); }

// "1,234,567"
std::string Grouped(uint64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Plural(uint64_t n, absl::string_view word) {
  return absl::StrCat(Grouped(n), " ", word, n == 1 ? "" : "s");
}

// Notes repeated inventory entries on standard error.
void ReportDuplicates(uint64_t duplicates, const std::string& path) {
  if (duplicates > 0) {
    Print(absl::StrCat(path, ": ", Plural(duplicates, "repeated entry"),
                       " merged with the first occurrence\n"));
  }
}

// The size of the dump at `path` when it is an uncompressed regular file (what a progress display
// can count against), else 0.
uint64_t KnownSize(const std::string& path, const dump::DumpSource& source) {
  struct stat st;
  if (path == "-" || source.compression() != dump::Compression::kNone ||
      ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return 0;
  }
  return static_cast<uint64_t>(st.st_size);
}

// Opens one dump, recognises (or takes) its format, and joins it against the inventories; draws
// a progress line on standard error meanwhile when `progress`.
absl::StatusOr<match::JoinResult> JoinOneDump(const Options& options, const std::string& path,
                                              const match::Matcher& matcher, int threads,
                                              bool progress) {
  SM_ASSIGN_OR_RETURN(std::unique_ptr<dump::DumpSource> source,
                      dump::DumpSource::Open(path, options.io));
  SM_ASSIGN_OR_RETURN(const absl::string_view head, source->Peek(kDetectBytes));
  dump::DumpFormat format;
  if (options.dump_format.has_value()) {
    format = *options.dump_format;
  } else {
    absl::StatusOr<dump::DumpFormat> detected = dump::DetectFormat(head);
    if (!detected.ok()) {
      return absl::Status(detected.status().code(),
                          absl::StrCat(source->name(), ": ", detected.status().message()));
    }
    format = *detected;
    if (!options.quiet) {
      const dump::Compression compression = source->compression();
      Print(absl::StrCat(source->name(), ": ",
                         compression == dump::Compression::kNone
                             ? ""
                             : absl::StrCat(dump::CompressionName(compression), ", "),
                         "format ", dump::FormatName(format), " (detected)\n"));
    }
  }
  dump::ParserOptions parser_options;
  parser_options.head = head;
  parser_options.pattern = options.dump_pattern.value_or("");
  absl::StatusOr<std::unique_ptr<dump::DumpParser>> parser =
      dump::MakeParser(format, parser_options);
  if (!parser.ok()) {
    return absl::Status(parser.status().code(),
                        absl::StrCat(source->name(), ": ", parser.status().message()));
  }
  if (!progress) return match::JoinDump(*source, **parser, matcher, threads);
  std::atomic<uint64_t> bytes_read{0};
  const ProgressMeter meter(source->name(), KnownSize(path, *source), &bytes_read);
  return match::JoinDump(*source, **parser, matcher, threads, &bytes_read);
}

// Run() without the metrics file; fills `metrics` as far as it gets.
int RunJoin(const Options& options, RunMetrics* metrics) {
  const absl::Time start = absl::Now();
  uint64_t input_problems = 0;

  std::optional<inventory::DomainInventory> domains;
  if (options.domains.has_value()) {
    Diagnostics diags(*options.domains);
    absl::StatusOr<inventory::DomainInventory> loaded =
        inventory::LoadDomainInventory(*options.domains, &diags);
    Print(diags.Render());
    if (!loaded.ok()) {
      PrintError(loaded.status().message());
      return kExitTrouble;
    }
    input_problems += diags.count();
    domains = *std::move(loaded);
  }
  std::optional<inventory::SerialInventory> serials;
  if (options.serials.has_value()) {
    Diagnostics diags(*options.serials);
    absl::StatusOr<inventory::SerialInventory> loaded =
        inventory::LoadSerialInventory(*options.serials, &diags);
    Print(diags.Render());
    if (!loaded.ok()) {
      PrintError(loaded.status().message());
      return kExitTrouble;
    }
    input_problems += diags.count();
    serials = *std::move(loaded);
  }

  const match::Matcher matcher(domains ? &*domains : nullptr, serials ? &*serials : nullptr);
  if (!options.quiet) {
    if (domains) ReportDuplicates(matcher.duplicate_domains(), domains->path);
    if (serials) ReportDuplicates(matcher.duplicate_serials(), serials->path);
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  const bool progress = !options.quiet && ::isatty(STDERR_FILENO) == 1;
  std::vector<match::Finding> findings;
  report::ReportSummary summary;
  for (const std::string& path : options.dumps) {
    absl::StatusOr<match::JoinResult> joined =
        JoinOneDump(options, path, matcher, threads, progress);
    if (!joined.ok()) {
      PrintError(joined.status().message());
      return kExitTrouble;
    }
    if (options.line_offset > 0) {
      // A part of a larger dump: line numbers of the whole (see docs/scale-out.md).
      for (match::Finding& f : joined->findings) f.dump_line += options.line_offset;
      Diagnostics whole(joined->diagnostics.path());
      whole.Merge(joined->diagnostics, options.line_offset);
      joined->diagnostics = std::move(whole);
    }
    Print(joined->diagnostics.Render());
    if (joined->counts.records == 0) {
      PrintError(absl::StrCat(path == "-" ? "<stdin>" : path, ": no certificate records in ",
                              Plural(joined->counts.lines, "line")));
      return kExitTrouble;
    }
    ++summary.dumps;
    metrics->bytes += joined->counts.bytes;
    summary.records += joined->counts.records;
    summary.malformed += joined->counts.malformed;
    input_problems += joined->counts.malformed;
    for (match::Finding& f : joined->findings) findings.push_back(std::move(f));
  }

  uint64_t affected = 0;
  for (const match::Finding& f : findings) affected += f.status == match::FindingStatus::kAffected;
  metrics->dumps = summary.dumps;
  metrics->records = summary.records;
  metrics->malformed = summary.malformed;
  metrics->affected = affected;
  metrics->listed = findings.size() - affected;

  report::SortFindings(&findings);
  const std::string report = report::RenderReport(findings, options.format, summary);
  const absl::Status written = options.output.has_value()
                                   ? WriteFileAtomically(*options.output, report)
                                   : WriteAll(STDOUT_FILENO, report);
  if (!written.ok()) {
    PrintError(written.message());
    return kExitTrouble;
  }

  if (!options.quiet) {
    Print(absl::StrFormat(
        "serialmatch: %s, %s (%s malformed), %s (%s affected, %s listed) in %.2f s\n",
        Plural(summary.dumps, "dump"), Plural(summary.records, "record"),
        Grouped(summary.malformed), Plural(findings.size(), "finding"), Grouped(affected),
        Grouped(findings.size() - affected), absl::ToDoubleSeconds(absl::Now() - start)));
  }
  if (options.strict && input_problems > 0) {
    PrintError(
        absl::StrCat("--strict: ", Plural(input_problems, "problem"), " in the input (see above)"));
    return kExitTrouble;
  }
  return findings.empty() ? kExitClean : kExitFindings;
}

}  // namespace

int Run(const Options& options) {
  InstallSignalHandlers({.mmap_dumps = options.io == dump::IoMode::kMmap});
  const absl::Time start = absl::Now();
  RunMetrics metrics;
  metrics.exit_status = RunJoin(options, &metrics);
  if (options.metrics_file.has_value()) {
    metrics.finished = absl::Now();
    metrics.duration = metrics.finished - start;
    const absl::Status written = WriteFileAtomically(*options.metrics_file, RenderMetrics(metrics));
    if (!written.ok()) {
      PrintError(written.message());
      return kExitTrouble;
    }
  }
  return metrics.exit_status;
}

}  // namespace serialmatch::cli
