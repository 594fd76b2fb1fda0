#include "src/cli/run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
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
#include "src/inventory/certificates.h"
#include "src/inventory/domains.h"
#include "src/inventory/endpoints.h"
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

// Reads the --certs certificates and keeps those --issuer selects; prints what was skipped.
absl::StatusOr<inventory::CertificateInventory> LoadCertificates(const Options& options,
                                                                 uint64_t* input_problems) {
  Diagnostics diags;  // its reasons name their own files
  absl::StatusOr<inventory::CertificateInventory> loaded =
      inventory::LoadCertificates(options.certs, &diags);
  Print(diags.Render());
  *input_problems += diags.count();
  if (!loaded.ok()) return loaded.status();
  if (!options.quiet) {
    for (const std::string& skipped : loaded->skipped) {
      Print(absl::StrCat(skipped, ": no certificate in this file; skipped\n"));
    }
  }
  if (options.issuer.has_value()) {
    const std::string wanted = absl::AsciiStrToLower(*options.issuer);
    std::vector<inventory::Certificate>& certs = loaded->certificates;
    const size_t before = certs.size();
    certs.erase(std::remove_if(certs.begin(), certs.end(),
                               [&](const inventory::Certificate& c) {
                                 return absl::AsciiStrToLower(c.issuer).find(wanted) ==
                                        std::string::npos;
                               }),
                certs.end());
    if (certs.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--issuer '", *options.issuer,
                                                     "' matches the issuer of none of the ",
                                                     Plural(before, "certificate"), " read"));
    }
    if (!options.quiet && certs.size() < before) {
      Print(absl::StrCat("--certs: ", Plural(before - certs.size(), "certificate"),
                         " from other issuers than '", *options.issuer, "' ignored\n"));
    }
  }
  if (!options.quiet) {
    Print(absl::StrCat("--certs: ", Plural(loaded->certificates.size(), "certificate"), " from ",
                       Plural(loaded->files, "file"), "\n"));
  }
  return loaded;
}

// Reads the --endpoints list and fetches what each endpoint serves: the certificates obtained, and
// an error finding for each endpoint that could not be checked.
absl::StatusOr<inventory::CertificateInventory> FetchEndpoints(
    const Options& options, uint64_t* input_problems, std::vector<match::Finding>* errors) {
  const std::string& path = *options.endpoints;
  SM_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  Diagnostics diags(path);
  absl::StatusOr<std::vector<inventory::Endpoint>> endpoints =
      inventory::ParseEndpointList(text, path, &diags);
  Print(diags.Render());
  *input_problems += diags.count();
  if (!endpoints.ok()) return endpoints.status();

  inventory::FetchOptions fetch;
  fetch.timeout = options.timeout;
  fetch.concurrency = options.concurrency;
  const size_t total = endpoints->size();
  const bool show_progress = !options.quiet && isatty(STDERR_FILENO);
  if (show_progress) {
    fetch.progress = [total](size_t done) {
      Print(absl::StrCat("\rendpoints: ", Grouped(done), " of ", Grouped(total), " checked"));
      if (done == total) Print("\n");
    };
  }
  const std::vector<inventory::EndpointResult> results =
      inventory::FetchCertificates(*endpoints, fetch);
  inventory::CertificateInventory served;
  for (size_t i = 0; i < results.size(); ++i) {
    const inventory::Endpoint& e = (*endpoints)[i];
    if (results[i].certificate.has_value()) {
      served.certificates.push_back(*results[i].certificate);
      served.certificates.back().path = path;
      continue;
    }
    match::Finding f;
    f.status = match::FindingStatus::kError;
    f.kind = match::FindingKind::kEndpoint;
    f.match = match::MatchType::kExact;
    f.input = e.input;
    f.inventory_path = path;
    f.inventory_line = e.line;
    f.reason = results[i].error;
    errors->push_back(std::move(f));
  }
  served.files = 1;
  if (!options.quiet) {
    Print(absl::StrCat(path, ": ", Plural(served.certificates.size(), "endpoint"),
                       " presented a certificate, ", Grouped(errors->size()),
                       " could not be checked\n"));
  }
  return served;
}

// Opens one dump, recognises (or takes) its format, and joins it against the inventories.
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
    if (!options.quiet)
      Print(absl::StrCat(loaded->path, ": domains from ", loaded->column_note, "\n"));
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
    if (!options.quiet)
      Print(absl::StrCat(loaded->path, ": serials from ", loaded->column_note, "\n"));
    serials = *std::move(loaded);
  }

  std::optional<inventory::CertificateInventory> certificates;
  if (!options.certs.empty()) {
    absl::StatusOr<inventory::CertificateInventory> loaded =
        LoadCertificates(options, &input_problems);
    if (!loaded.ok()) {
      PrintError(loaded.status().message());
      return kExitTrouble;
    }
    certificates = *std::move(loaded);
  }

  std::vector<match::Finding> endpoint_errors;
  std::optional<inventory::CertificateInventory> endpoints;
  if (options.endpoints.has_value()) {
    absl::StatusOr<inventory::CertificateInventory> fetched =
        FetchEndpoints(options, &input_problems, &endpoint_errors);
    if (!fetched.ok()) {
      PrintError(fetched.status().message());
      return kExitTrouble;
    }
    endpoints = *std::move(fetched);
    input_problems += endpoint_errors.size();
  }

  match::MatchOptions match_options;
  match_options.issued_after = options.issued_after;
  const match::Matcher matcher(
      match::Inventories{domains ? &*domains : nullptr, serials ? &*serials : nullptr,
                         certificates ? &*certificates : nullptr,
                         endpoints ? &*endpoints : nullptr},
      match_options);
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
  uint64_t issued_before = 0;
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
    issued_before += joined->counts.issued_before;
    input_problems += joined->counts.malformed;
    // Moved as a range: one allocation, not one regrowth after another.
    findings.insert(findings.end(), std::make_move_iterator(joined->findings.begin()),
                    std::make_move_iterator(joined->findings.end()));
  }

  findings.insert(findings.end(), std::make_move_iterator(endpoint_errors.begin()),
                  std::make_move_iterator(endpoint_errors.end()));
  match::DropReplacedOfAffected(&findings);
  uint64_t by_status[match::kFindingStatusCount] = {};
  bool needs_action = false;
  for (const match::Finding& f : findings) {
    ++by_status[static_cast<int>(f.status)];
    needs_action |= match::NeedsAction(f.status);
  }
  metrics->dumps = summary.dumps;
  metrics->records = summary.records;
  metrics->malformed = summary.malformed;
  for (int i = 0; i < match::kFindingStatusCount; ++i) metrics->findings[i] = by_status[i];

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
    if (issued_before > 0) {
      Print(absl::StrCat("--issued-after: ", Plural(issued_before, "record"),
                         " issued earlier ignored\n"));
    }
    std::string statuses;
    for (const match::FindingStatus status :
         {match::FindingStatus::kAffected, match::FindingStatus::kListed,
          match::FindingStatus::kReplaced, match::FindingStatus::kWarning,
          match::FindingStatus::kError}) {
      const uint64_t n = by_status[static_cast<int>(status)];
      if (n > 0 || status == match::FindingStatus::kAffected ||
          status == match::FindingStatus::kListed) {
        absl::StrAppend(&statuses, statuses.empty() ? "" : ", ", Grouped(n), " ",
                        match::StatusName(status));
      }
    }
    Print(absl::StrFormat("serialmatch: %s, %s (%s malformed), %s (%s) in %.2f s\n",
                          Plural(summary.dumps, "dump"), Plural(summary.records, "record"),
                          Grouped(summary.malformed), Plural(findings.size(), "finding"), statuses,
                          absl::ToDoubleSeconds(absl::Now() - start)));
  }
  if (options.strict && input_problems > 0) {
    PrintError(
        absl::StrCat("--strict: ", Plural(input_problems, "problem"), " in the input (see above)"));
    return kExitTrouble;
  }
  return needs_action ? kExitFindings : kExitClean;
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
