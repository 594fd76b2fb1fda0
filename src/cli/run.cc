#include "src/cli/run.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "src/base/diagnostics.h"
#include "src/base/file_util.h"
#include "src/base/keep_until_exit.h"
#include "src/base/status_macros.h"
#include "src/cli/fetch_crls.h"
#include "src/cli/metrics.h"
#include "src/cli/progress.h"
#include "src/cli/signals.h"
#include "src/cli/state.h"
#include "src/dump/crl_parser.h"
#include "src/dump/dump_source.h"
#include "src/dump/parser.h"
#include "src/inventory/certificates.h"
#include "src/inventory/domains.h"
#include "src/inventory/endpoints.h"
#include "src/inventory/serials.h"
#include "src/match/crl_check.h"
#include "src/match/join.h"
#include "src/match/matcher.h"
#include "src/report/report.h"

namespace serialmatch::cli {
namespace {

// How much of a dump format detection looks at.
constexpr size_t kDetectBytes = 64 << 10;

void Print(absl::string_view text) { (void)WriteAll(STDERR_FILENO, text); }

void PrintError(absl::string_view message) { Print(absl::StrCat("serialmatch: ", message, "\n")); }

std::string Plural(uint64_t n, absl::string_view word) {
  return absl::StrCat(GroupThousands(n), " ", word, n == 1 ? "" : "s");
}

// Drops the paths that name a file already named earlier in `paths` (the same file given twice, or
// through a link or another spelling of its path, standard input and /dev/stdin), saying so on
// standard error: read twice, every finding and count of it would be doubled. Paths that cannot be
// examined are kept, for the reader to report.
std::vector<std::string> DistinctFiles(const std::vector<std::string>& paths,
                                       absl::string_view flag) {
  std::vector<std::string> distinct;
  std::vector<std::pair<std::pair<dev_t, ino_t>, size_t>> seen;  // file identity, index in distinct
  for (const std::string& path : paths) {
    struct stat st;
    const int examined = path == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(path.c_str(), &st);
    if (examined != 0) {
      distinct.push_back(path);
      continue;
    }
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    const auto earlier = std::find_if(seen.begin(), seen.end(),
                                      [&](const auto& entry) { return entry.first == id; });
    if (earlier != seen.end()) {
      Print(absl::StrCat(flag, " ", path, ": the same file as ", distinct[earlier->second],
                         "; read once\n"));
      continue;
    }
    seen.push_back({id, distinct.size()});
    distinct.push_back(path);
  }
  return distinct;
}

// Replaces each path of `paths` that names a directory by the regular files in it, sorted by name
// and not recursively (a folder of CRL shards, each file its own dump); other paths are kept as
// they are. Says on standard error how many files a directory gave (unless `quiet`) and which
// entries it skipped (always): subdirectories and whatever else is not a regular file. Files whose
// names start with '.' are read like the others, so that no shard is left out for its name (a
// stray .DS_Store then stops the run at format detection, naming it). An entry that cannot be
// examined (a dangling link) is kept, for the reader to report. Fails for a directory that cannot
// be read or that holds no regular file.
absl::StatusOr<std::vector<std::string>> ExpandDumpDirectories(
    const std::vector<std::string>& paths, bool quiet) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    struct stat st;
    if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      out.push_back(path);
      continue;
    }
    const std::string prefix = absl::EndsWith(path, "/") ? path : absl::StrCat(path, "/");
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
      return absl::ErrnoToStatus(errno, absl::StrCat(prefix, ": cannot read the directory"));
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const absl::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);  // the directory and its parent
    }
    const int read_errno = errno;
    ::closedir(dir);
    if (read_errno != 0) {
      return absl::ErrnoToStatus(read_errno, absl::StrCat(prefix, ": cannot read the directory"));
    }
    std::sort(names.begin(), names.end());
    uint64_t files = 0;
    std::vector<std::string> skipped;  // names, '/' after a subdirectory's
    for (const std::string& name : names) {
      const std::string child = prefix + name;
      struct stat child_st;
      if (::stat(child.c_str(), &child_st) == 0 && !S_ISREG(child_st.st_mode)) {
        skipped.push_back(
            absl::StrCat(report::EscapeForTerminal(name), S_ISDIR(child_st.st_mode) ? "/" : ""));
        continue;
      }
      out.push_back(child);
      ++files;
    }
    const std::string shown = report::EscapeForTerminal(prefix);
    if (files == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, ": no files to read",
                       skipped.empty() ? ""
                                       : absl::StrCat(" (only ", Plural(skipped.size(), "entry"),
                                                      " that is not a regular file)")));
    }
    std::string note = absl::StrCat(shown, ": ", Plural(files, "file"));
    if (!skipped.empty()) {
      constexpr size_t kShown = 5;
      const size_t n = std::min(skipped.size(), kShown);
      absl::StrAppend(&note, "; ", Plural(skipped.size(), "entry"),
                      " skipped, not a regular file (subdirectories are not read): ",
                      absl::StrJoin(skipped.begin(), skipped.begin() + n, ", "),
                      skipped.size() > n ? ", ..." : "");
    }
    if (!quiet || !skipped.empty()) Print(absl::StrCat(note, "\n"));
  }
  return out;
}

// Notes repeated inventory entries on standard error.
void ReportDuplicates(uint64_t duplicates, const std::string& path) {
  if (duplicates > 0) {
    Print(absl::StrCat(path, ": ", Plural(duplicates, "repeated entry"),
                       " merged with the first occurrence\n"));
  }
}

// Reads the --certs certificates and keeps those --issuer selects; prints what was skipped and
// accounts for every file in `summary`.
absl::StatusOr<inventory::CertificateInventory> LoadCertificates(const Options& options,
                                                                 report::InputSummary* summary) {
  Diagnostics diags;  // its reasons name their own files
  absl::StatusOr<inventory::CertificateInventory> loaded =
      inventory::LoadCertificates(options.certs, &diags);
  Print(diags.Render());
  summary->kind = "certs";
  summary->path = absl::StrJoin(options.certs, " ");
  if (!loaded.ok()) return loaded.status();
  summary->entries = loaded->certificates.size();
  summary->skipped = loaded->skipped.size();
  // Every problem is a diagnostic; those that are not a whole file left unread are corrupt
  // certificates in files that held others. Unreadable CSV inventory rows are their own reason,
  // and key files that could not be compared are diagnostics too, but no certificate left unread.
  const uint64_t files = loaded->unreadable + loaded->not_certificates +
                         loaded->unreadable_csv_rows + loaded->keys_encrypted +
                         loaded->keys_unreadable;
  summary->not_checked = {
      {"unreadable_files", loaded->unreadable},
      {"files_without_certificates", loaded->not_certificates},
      {"unreadable_csv_rows", loaded->unreadable_csv_rows},
      {"corrupt_certificates", diags.count() > files ? diags.count() - files : 0}};
  if (!options.quiet) {
    for (const std::string& skipped : loaded->skipped) {
      Print(absl::StrCat(skipped, ": no certificate in this file; skipped\n"));
    }
    const size_t keys =
        std::count_if(loaded->certificates.begin(), loaded->certificates.end(),
                      [](const inventory::Certificate& c) { return !c.key_spki_sha256.empty(); });
    if (keys > 0 || loaded->keys_encrypted > 0 || loaded->keys_unreadable > 0) {
      Print(absl::StrCat(
          "--certs: ", Plural(keys, "private key"),
          keys == 1 ? " compared with its certificate" : " compared with their certificates",
          loaded->keys_encrypted > 0
              ? absl::StrCat(", ", loaded->keys_encrypted, " encrypted (not compared)")
              : "",
          loaded->keys_unreadable > 0 ? absl::StrCat(", ", loaded->keys_unreadable, " unreadable")
                                      : "",
          "\n"));
    }
    // Opaque Secrets, tokens: nothing to check, noted like key files (not a problem).
    if (loaded->secrets_without_certificate > 0) {
      Print(absl::StrCat("--certs: ", Plural(loaded->secrets_without_certificate, "secret"),
                         " without a certificate (not TLS secrets, no tls.crt); skipped\n"));
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
    const std::vector<inventory::Certificate>& certs = loaded->certificates;
    const size_t cas = std::count_if(certs.begin(), certs.end(),
                                     [](const inventory::Certificate& c) { return c.is_ca; });
    const std::string ca_note =
        cas == 0 ? ""
                 : absl::StrCat(" (", cas, " of them ",
                                cas == 1 ? "a CA certificate" : "CA certificates",
                                ", judged by serial and issuer only)");
    Print(absl::StrCat("--certs: ", Plural(certs.size(), "certificate"), ca_note, " from ",
                       Plural(loaded->files, "file"), "\n"));
    // Certificates read more than once: in other files, or only again in their own.
    size_t in_files = 0, in_one_file = 0;
    for (const inventory::Certificate& c : certs) {
      if (c.also_at.empty()) continue;  // read once: nothing to say
      const std::string own = absl::StrCat(c.path, ":");
      const bool elsewhere =
          std::any_of(c.also_at.begin(), c.also_at.end(), [&](const std::string& at) {
            return !absl::StartsWith(at, own) || at.find(':', own.size()) != std::string::npos;
          });
      ++(elsewhere ? in_files : in_one_file);
    }
    if (in_files > 0) {
      Print(absl::StrCat("--certs: ", Plural(in_files, "certificate"),
                         " found in more than one file (one finding each)\n"));
    }
    if (in_one_file > 0) {
      Print(absl::StrCat("--certs: ", Plural(in_one_file, "certificate"),
                         " found more than once in one file (one finding each)\n"));
    }
  }
  return loaded;
}

// Reads the --endpoints list and fetches what each endpoint serves: the certificates obtained, and
// an error finding for each endpoint that could not be checked.
// Reads the --endpoints list at `path` and fetches what each endpoint serves: appends the
// certificates obtained to `served`, and an error finding for each endpoint that could not be
// checked to `errors`; accounts for every line in `summary`.
absl::Status FetchEndpoints(const Options& options, const std::string& path,
                            inventory::CertificateInventory* served,
                            std::vector<match::Finding>* errors, report::InputSummary* summary) {
  SM_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  Diagnostics diags(path);
  absl::StatusOr<std::vector<inventory::Endpoint>> endpoints =
      inventory::ParseEndpointList(text, path, &diags);
  Print(diags.Render());
  *summary = {"endpoints", path, 0, {{"invalid_lines", diags.count()}}};
  if (!endpoints.ok()) return endpoints.status();

  inventory::FetchOptions fetch;
  fetch.timeout = options.timeout;
  fetch.concurrency = options.concurrency;
  fetch.dns_server = options.dns_server;
  const size_t total = endpoints->size();
  const bool show_progress = !options.quiet && isatty(STDERR_FILENO);
  if (show_progress) {
    fetch.progress = [total](size_t done) {
      Print(absl::StrCat("\rendpoints: ", GroupThousands(done), " of ", GroupThousands(total),
                         " checked"));
      if (done == total) Print("\n");
    };
  }
  const std::vector<inventory::EndpointResult> results =
      inventory::FetchCertificates(*endpoints, fetch);
  uint64_t presented = 0, unreachable = 0;
  // Certificates presented with parts that could not be decoded: judged by serial and issuer only,
  // said at the endpoint's line.
  Diagnostics undecodable(path);
  uint64_t partly_decoded = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const inventory::Endpoint& e = (*endpoints)[i];
    if (results[i].certificate.has_value()) {
      served->certificates.push_back(*results[i].certificate);
      served->certificates.back().path = path;
      ++presented;
      for (const std::string& what : results[i].undecoded) {
        undecodable.Report(e.line,
                           absl::StrCat("endpoint '", QuoteForMessage(e.input), "': ", what));
      }
      partly_decoded += !results[i].undecoded.empty();
      continue;
    }
    ++unreachable;
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
  Print(undecodable.Render());
  ++served->files;
  summary->entries = presented;
  summary->not_checked.push_back({"unreachable_endpoints", unreachable});
  summary->not_checked.push_back({"partly_undecodable_certificates", partly_decoded});
  if (!options.quiet) {
    Print(absl::StrCat(path, ": ", Plural(presented, "endpoint"), " presented a certificate, ",
                       GroupThousands(unreachable), " could not be checked\n"));
  }
  return absl::OkStatus();
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

// The inventory flags given, each with whether a dump whose records carry `fields` can match it:
// domains need names, serials need serials, certificates and endpoints any of serials, names and
// certificate fingerprints.
std::vector<std::pair<absl::string_view, bool>> MatchableInventories(
    const Options& options, const dump::RecordFields& fields) {
  const bool any = fields.serial || fields.names || fields.sha256;
  std::vector<std::pair<absl::string_view, bool>> out;
  if (!options.domains.empty()) out.push_back({"--domains", fields.names});
  if (!options.serials.empty()) out.push_back({"--serials", fields.serial});
  if (!options.certs.empty()) out.push_back({"--certs", any});
  if (!options.endpoints.empty()) out.push_back({"--endpoints", any});
  return out;
}

// "a, b and c"
std::string JoinAnd(const std::vector<absl::string_view>& words) {
  if (words.size() <= 1) return absl::StrJoin(words, "");
  return absl::StrCat(absl::StrJoin(words.begin(), words.end() - 1, ", "), " and ", words.back());
}

// "serials but no names", "certificate fingerprints but no serials or names" and the like: what a
// dump's records carry, for a message.
std::string DescribeFields(const dump::RecordFields& fields) {
  std::vector<absl::string_view> carried, missing;
  (fields.serial ? carried : missing).push_back("serials");
  (fields.names ? carried : missing).push_back("names");
  if (fields.sha256) carried.push_back("certificate fingerprints");
  if (carried.empty()) return "neither serials nor names";
  if (missing.empty()) return JoinAnd(carried);
  return absl::StrCat(JoinAnd(carried), " but no ", absl::StrJoin(missing, " or "));
}

// What a dump must list to match the inventory flags `cannot`, for a message: "names" for
// --domains, "serials" for --serials.
std::string Needed(const std::vector<absl::string_view>& cannot) {
  std::vector<absl::string_view> needed;
  for (absl::string_view flag : cannot) {
    const absl::string_view what = flag == "--domains"   ? "names"
                                   : flag == "--serials" ? "serials"
                                                         : "serials or names";
    if (std::find(needed.begin(), needed.end(), what) == needed.end()) needed.push_back(what);
  }
  return JoinAnd(needed);
}

// Opens one dump, recognises (or takes) its format, and joins it against the inventories; draws
// a progress line on standard error meanwhile when `progress`. Fails, before reading it, when the
// dump's records cannot match any of the inventories given (a domain list against a list of
// serials); says on standard error which inventories it cannot match when it can match others,
// and adds to `*matched` (by flag) those it can.
// `format` overrides --dump-format and detection (a fetched CRL is a CRL or nothing); `size` is
// what a progress line counts against (0: unknown).
absl::StatusOr<match::JoinResult> JoinSource(const Options& options, dump::DumpSource& source,
                                             std::optional<dump::DumpFormat> format_override,
                                             uint64_t size, const match::Matcher& matcher,
                                             int threads, bool progress,
                                             absl::flat_hash_set<absl::string_view>* matched) {
  SM_ASSIGN_OR_RETURN(const absl::string_view head, source.Peek(kDetectBytes));
  dump::DumpFormat format;
  if (format_override.has_value()) {
    format = *format_override;
  } else if (options.dump_format.has_value()) {
    format = *options.dump_format;
  } else {
    absl::StatusOr<dump::DumpFormat> detected = dump::DetectFormat(head);
    if (!detected.ok()) {
      return absl::Status(detected.status().code(),
                          absl::StrCat(source.name(), ": ", detected.status().message()));
    }
    format = *detected;
    if (!options.quiet) {
      const dump::Compression compression = source.compression();
      Print(absl::StrCat(source.name(), ": ",
                         compression == dump::Compression::kNone
                             ? ""
                             : absl::StrCat(dump::CompressionName(compression), ", "),
                         "format ", dump::FormatName(format), " (detected)",
                         format == dump::DumpFormat::kSha256
                             ? ": every line a SHA-256 fingerprint or a crt.sh link (for a list "
                               "of 32-byte serials, give --dump-format serials)"
                             : "",
                         "\n"));
    }
  }
  dump::ParserOptions parser_options;
  parser_options.head = head;
  parser_options.pattern = options.dump_pattern.value_or("");
  absl::StatusOr<std::unique_ptr<dump::DumpParser>> parser =
      dump::MakeParser(format, parser_options);
  if (!parser.ok()) {
    return absl::Status(parser.status().code(),
                        absl::StrCat(source.name(), ": ", parser.status().message()));
  }
  const dump::RecordFields fields = (*parser)->fields();
  const std::vector<std::pair<absl::string_view, bool>> matchable =
      MatchableInventories(options, fields);
  std::vector<absl::string_view> cannot;
  for (const auto& [flag, can] : matchable) {
    if (can) {
      matched->insert(flag);
    } else {
      cannot.push_back(flag);
    }
  }
  if (!cannot.empty()) {
    const std::string what =
        absl::StrCat(source.name(), ": its records (format ", dump::FormatName(format), ") carry ",
                     DescribeFields(fields), ": ", absl::StrJoin(cannot, " and "));
    if (cannot.size() == matchable.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " cannot match them, so no answer could be trusted; give a dump that lists ",
          Needed(cannot), " (or describe them with --dump-pattern)"));
    }
    Print(absl::StrCat(what, " not checked against this dump\n"));
  }
  if (!progress) return match::JoinDump(source, **parser, matcher, threads);
  std::atomic<uint64_t> bytes_read{0};
  const ProgressMeter meter(source.name(), size, &bytes_read);
  return match::JoinDump(source, **parser, matcher, threads, &bytes_read);
}

// JoinSource() for the dump at `path` (a file, "-" or a device), as --dump names it.
absl::StatusOr<match::JoinResult> JoinOneDump(const Options& options, const std::string& path,
                                              const match::Matcher& matcher, int threads,
                                              bool progress,
                                              absl::flat_hash_set<absl::string_view>* matched) {
  SM_ASSIGN_OR_RETURN(std::unique_ptr<dump::DumpSource> source,
                      dump::DumpSource::Open(path, options.io));
  return JoinSource(options, *source, std::nullopt, KnownSize(path, *source), matcher, threads,
                    progress, matched);
}

// Loads every --domains (or --serials) file with `load`, printing its problems; appends one
// summary per file. Fails on the first inventory that cannot be used.
template <typename Inventory, typename Load>
absl::Status LoadInventories(const std::vector<std::string>& paths, absl::string_view flag,
                             absl::string_view kind, Load load, bool quiet,
                             std::vector<Inventory>* out,
                             std::vector<report::InputSummary>* summaries) {
  for (const std::string& path : DistinctFiles(paths, flag)) {
    Diagnostics diags(path);
    absl::StatusOr<Inventory> loaded = load(path, &diags);
    Print(diags.Render());
    if (!loaded.ok()) return loaded.status();
    if (!quiet) Print(absl::StrCat(loaded->path, ": ", kind, " from ", loaded->column_note, "\n"));
    summaries->push_back(
        {std::string(kind), path, loaded->entries.size(), {{"invalid_rows", diags.count()}}});
    out->push_back(*std::move(loaded));
  }
  return absl::OkStatus();
}

// Reads the --crl-issuer certificates: the CA certificates among them check CRL signatures. Fails
// when a file cannot be read or none of the certificates is a CA's.
absl::StatusOr<inventory::CertificateInventory> LoadCrlIssuers(const Options& options) {
  Diagnostics diags;  // its reasons name their own files
  absl::StatusOr<inventory::CertificateInventory> loaded =
      inventory::LoadCertificates(options.crl_issuers, &diags);
  Print(diags.Render());
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat("--crl-issuer: ", loaded.status().message()));
  }
  const size_t read = loaded->certificates.size();
  const size_t cas = std::count_if(loaded->certificates.begin(), loaded->certificates.end(),
                                   [](const inventory::Certificate& c) { return c.is_ca; });
  if (cas == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--crl-issuer: none of the ", Plural(read, "certificate"),
                     " read is a CA certificate (basicConstraints CA), which is what signs CRLs"));
  }
  if (cas < read) {
    Print(absl::StrCat("--crl-issuer: ", Plural(read - cas, "certificate"),
                       " that are not CA certificates ignored\n"));
  }
  return loaded;
}

// Reads the header of every CRL in `document` (a CRL dump JoinDump kept, read from `name`), checks
// each against `issuers` and appends its verdict; says on standard error what each is (with
// --quiet, only those that are invalid, stale or otherwise not to be relied on).
absl::Status CheckCrls(const Options& options, const std::string& name, absl::string_view document,
                       absl::Span<const inventory::Certificate* const> issuers,
                       std::vector<match::CrlVerdict>* verdicts, RunMetrics* metrics) {
  absl::StatusOr<std::vector<dump::CrlDocument>> crls = dump::ReadCrls(document);
  if (!crls.ok()) {
    return absl::Status(crls.status().code(), absl::StrCat(name, ": ", crls.status().message()));
  }
  const absl::Time now = absl::Now();
  for (const dump::CrlDocument& crl : *crls) {
    match::CrlVerdict v = match::CheckCrl(crl, name, issuers, now);
    const bool notable =
        v.signature == match::CrlSignature::kInvalid || v.stale || !v.problems.empty();
    if (!options.quiet || notable) {
      Print(absl::StrCat(report::EscapeForTerminal(name),
                         v.pem_line > 0 ? absl::StrCat(":", v.pem_line) : "", ": ",
                         report::EscapeForTerminal(match::DescribeCrl(v)), "\n"));
    }
    switch (v.signature) {
      case match::CrlSignature::kValid:
        ++metrics->crls_valid;
        break;
      case match::CrlSignature::kInvalid:
        ++metrics->crls_invalid;
        break;
      case match::CrlSignature::kUnchecked:
        ++metrics->crls_unchecked;
        break;
    }
    metrics->crls_stale += v.stale;
    verdicts->push_back(std::move(v));
  }
  return absl::OkStatus();
}

// Removes the findings of the CRLs that cannot be trusted (an invalid signature, a problem): a
// forged or damaged list decides nothing. Says so for each; returns the positions of those no
// trusted CRL of the same scope stands in for (match::Untrusted).
std::vector<size_t> SetAsideUntrustedCrls(const std::vector<match::CrlVerdict>& verdicts,
                                          std::vector<match::Finding>* findings) {
  const std::vector<size_t> untrusted = match::Untrusted(verdicts);
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const match::CrlVerdict& v = verdicts[i];
    if (!v.untrustworthy()) continue;
    const auto kept = std::remove_if(
        findings->begin(), findings->end(),
        [&](const match::Finding& f) { return f.dump_path == v.path && f.issuer == v.issuer; });
    const size_t set_aside = static_cast<size_t>(findings->end() - kept);
    findings->erase(kept, findings->end());
    const bool superseded = std::find(untrusted.begin(), untrusted.end(), i) == untrusted.end();
    Print(absl::StrCat(
        report::EscapeForTerminal(v.path), v.pem_line > 0 ? absl::StrCat(":", v.pem_line) : "",
        ": this CRL cannot be trusted; ", Plural(set_aside, "finding"), " from it set aside",
        superseded ? "; a trusted CRL of the same scope, as recent or more recent, "
                     "stands in for it"
                   : "",
        "\n"));
  }
  return untrusted;
}

// Adds what the join of the dump read from `path` (a file or a CRL's URL) found and counted to the
// run's summary, its metrics, `*issued_before` and `*findings` (moving the findings out of
// `*joined`).
void AddDump(const std::string& path, match::JoinResult* joined, report::ReportSummary* summary,
             RunMetrics* metrics, uint64_t* issued_before, std::vector<match::Finding>* findings) {
  ++summary->dumps;
  metrics->bytes += joined->counts.bytes;
  summary->records += joined->counts.records;
  summary->malformed += joined->counts.malformed;
  // Kept up to date dump by dump, so that a run failing at a later dump still reports those read
  // to the end.
  metrics->dumps = summary->dumps;
  metrics->records = summary->records;
  metrics->malformed = summary->malformed;
  summary->inputs.push_back({"dump",
                             path,
                             joined->counts.records,
                             {{"malformed_lines", joined->counts.malformed},
                              {"invalid_names", joined->counts.invalid_names},
                              {"unreadable_times", joined->counts.bad_times},
                              {"crtsh_id_lines", joined->counts.uncheckable}}});
  *issued_before += joined->counts.issued_before;
  // Moved as a range: one allocation, not one regrowth after another.
  findings->insert(findings->end(), std::make_move_iterator(joined->findings.begin()),
                   std::make_move_iterator(joined->findings.end()));
}

// A mismatch finding for each certificate whose private key, kept with it, is another key's: the
// pair cannot complete a handshake, whatever any dump says.
void AddKeyMismatches(const inventory::CertificateInventory& certificates,
                      std::vector<match::Finding>* findings) {
  for (const inventory::Certificate& c : certificates.certificates) {
    if (c.key_spki_sha256.empty() || c.key_spki_sha256 == c.spki_sha256) continue;
    match::Finding f = match::CertificateFinding(c, match::FindingKind::kCertificate);
    f.status = match::FindingStatus::kMismatch;
    f.serial = c.serial;
    f.reason = absl::StrCat("the private key ", c.key_at,
                            " is not the certificate's: certificate public key sha256 ",
                            c.spki_sha256, ", private key's ", c.key_spki_sha256);
    findings->push_back(std::move(f));
  }
}

// Run() without the metrics file and the state file; fills `metrics` as far as it gets, and
// `next_state` with the state file's text (--state) once the findings are known.
int RunJoin(const Options& options, RunMetrics* metrics, std::string* next_state) {
  const absl::Time start = absl::Now();
  report::ReportSummary summary;

  // --state first: a corrupt state file stops the run before any work, rather than making every
  // finding new.
  std::optional<State> previous;
  if (options.state.has_value()) {
    absl::StatusOr<std::optional<State>> read = ReadStateFile(*options.state);
    if (!read.ok()) {
      PrintError(report::EscapeForTerminal(read.status().message()));
      return kExitTrouble;
    }
    previous = *std::move(read);
  }

  std::vector<inventory::DomainInventory> domains;
  std::vector<inventory::SerialInventory> serials;
  absl::Status loaded =
      LoadInventories(options.domains, "--domains", "domains", inventory::LoadDomainInventory,
                      options.quiet, &domains, &summary.inputs);
  if (loaded.ok()) {
    loaded =
        LoadInventories(options.serials, "--serials", "serials", inventory::LoadSerialInventory,
                        options.quiet, &serials, &summary.inputs);
  }
  if (!loaded.ok()) {
    PrintError(loaded.message());
    return kExitTrouble;
  }

  // Never destroyed: freeing a quarter-million certificates string by string took a second at
  // the end of the run (keep_until_exit.h).
  std::optional<inventory::CertificateInventory>& certificates =
      KeepUntilExit(std::optional<inventory::CertificateInventory>());
  if (!options.certs.empty()) {
    report::InputSummary& certs_summary = summary.inputs.emplace_back();
    absl::StatusOr<inventory::CertificateInventory> certs =
        LoadCertificates(options, &certs_summary);
    if (!certs.ok()) {
      PrintError(certs.status().message());
      return kExitTrouble;
    }
    certificates = *std::move(certs);
  }

  std::vector<match::Finding> endpoint_errors;
  std::optional<inventory::CertificateInventory> endpoints;
  if (!options.endpoints.empty()) {
    endpoints.emplace();
    for (const std::string& path : DistinctFiles(options.endpoints, "--endpoints")) {
      const absl::Status fetched = FetchEndpoints(options, path, &*endpoints, &endpoint_errors,
                                                  &summary.inputs.emplace_back());
      if (!fetched.ok()) {
        PrintError(fetched.message());
        return kExitTrouble;
      }
    }
  }

  std::optional<inventory::CertificateInventory> crl_issuers;
  if (!options.crl_issuers.empty()) {
    absl::StatusOr<inventory::CertificateInventory> issuer_certs = LoadCrlIssuers(options);
    if (!issuer_certs.ok()) {
      PrintError(issuer_certs.status().message());
      return kExitTrouble;
    }
    crl_issuers = *std::move(issuer_certs);
  }
  // What can have signed the CRLs read: the CA certificates in --certs (certbot's chain.pem and
  // fullchain.pem hold the issuer) and in --crl-issuer.
  const std::vector<const inventory::Certificate*> issuers = match::CrlIssuerCandidates(
      certificates ? &*certificates : nullptr, crl_issuers ? &*crl_issuers : nullptr);

  match::MatchOptions match_options;
  match_options.issued_after = options.issued_after;
  match::Inventories inventories;
  for (const inventory::DomainInventory& d : domains) inventories.domains.push_back(&d);
  for (const inventory::SerialInventory& s : serials) inventories.serials.push_back(&s);
  inventories.certificates = certificates ? &*certificates : nullptr;
  inventories.endpoints = endpoints ? &*endpoints : nullptr;
  const match::Matcher matcher(inventories, match_options);
  if (!options.quiet) {
    for (size_t i = 0; i < domains.size(); ++i) {
      ReportDuplicates(matcher.duplicate_domains(i), domains[i].path);
    }
    for (size_t i = 0; i < serials.size(); ++i) {
      ReportDuplicates(matcher.duplicate_serials(i), serials[i].path);
    }
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  const bool progress = !options.quiet && ::isatty(STDERR_FILENO) == 1;
  std::vector<match::Finding> findings;
  uint64_t issued_before = 0;
  absl::flat_hash_set<absl::string_view> matched;  // inventory flags some dump can match
  absl::StatusOr<std::vector<std::string>> dumps =
      ExpandDumpDirectories(options.dumps, options.quiet);
  if (!dumps.ok()) {
    PrintError(dumps.status().message());
    return kExitTrouble;
  }
  if (options.line_offset > 0 && dumps->size() > 1) {
    // The offset places one part in a larger dump; the files of a directory are dumps of their own.
    PrintError(absl::StrCat("--line-offset needs one dump file; --dump ", options.dumps.front(),
                            " gives ", Plural(dumps->size(), "file")));
    return kExitTrouble;
  }
  for (const std::string& path : DistinctFiles(*dumps, "--dump")) {
    absl::StatusOr<match::JoinResult> joined =
        JoinOneDump(options, path, matcher, threads, progress, &matched);
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
    if (joined->counts.uncheckable > 0) {
      // The only lines a parser calls uncheckable are a sha256 list's crt.sh ids.
      Print(absl::StrCat(report::EscapeForTerminal(path == "-" ? "<stdin>" : path), ": ",
                         Plural(joined->counts.uncheckable, "line"),
                         joined->counts.uncheckable == 1 ? " names" : " name",
                         " a certificate only by its crt.sh id, which cannot be matched offline; "
                         "look them up on crt.sh or ask the CA for fingerprints\n"));
    }
    if (!joined->document.empty()) {
      // A CRL: its signature and freshness are judged once its entries are matched. One that
      // revokes nothing is a valid answer, not a dump without records.
      const absl::Status checked = CheckCrls(options, path == "-" ? "<stdin>" : path,
                                             joined->document, issuers, &summary.crls, metrics);
      if (!checked.ok()) {
        PrintError(checked.message());
        return kExitTrouble;
      }
      joined->document = std::string();
    } else if (joined->counts.records == 0) {
      PrintError(absl::StrCat(path == "-" ? "<stdin>" : path, ": no certificate records in ",
                              Plural(joined->counts.lines, "line")));
      return kExitTrouble;
    }
    AddDump(path, &*joined, &summary, metrics, &issued_before, &findings);
  }

  // --fetch-crls: the CRLs the certificates name, each joined as a CRL dump named by its URL.
  std::optional<CrlFetch> crl_fetch;
  if (options.fetch_crls) {
    crl_fetch.emplace(certificates ? &*certificates : nullptr, endpoints ? &*endpoints : nullptr);
    if (const absl::Status fetched = crl_fetch->Fetch(options); !fetched.ok()) {
      PrintError(fetched.message());
      return kExitTrouble;
    }
    // Every certificate is accounted for by this pass: revoked, not, or an error finding.
    matched.insert("--certs");
    matched.insert("--endpoints");
    std::vector<CrlUrl>& urls = crl_fetch->urls();
    for (size_t i = 0; i < urls.size(); ++i) {
      if (!urls[i].error.empty()) continue;  // an error finding for its certificates, below
      const std::unique_ptr<dump::DumpSource> source =
          dump::DumpSource::FromString(urls[i].url, std::move(urls[i].body));
      absl::StatusOr<match::JoinResult> joined =
          JoinSource(options, *source, dump::DumpFormat::kCrl, 0, matcher, threads,
                     /*progress=*/false, &matched);
      std::vector<match::CrlVerdict> verdicts;
      absl::Status read = joined.status();
      if (read.ok()) {
        read = CheckCrls(options, urls[i].url, joined->document, issuers, &verdicts, metrics);
      }
      if (!read.ok()) {
        // Not a CRL (an error page, a truncated download): its certificates' revocation status
        // is unknown, said as an error finding for each.
        Print(absl::StrCat(report::EscapeForTerminal(read.message()), "\n"));
        crl_fetch->Unusable(i, absl::StrCat("not a readable CRL (", read.message(), ")"));
        continue;
      }
      Print(joined->diagnostics.Render());
      summary.crls.insert(summary.crls.end(), verdicts.begin(), verdicts.end());
      crl_fetch->Read(i, std::move(verdicts));
      AddDump(urls[i].url, &*joined, &summary, metrics, &issued_before, &findings);
    }
  }

  // An inventory that no dump could match was not checked at all: no report rather than a "No
  // findings" that would be taken for an answer.
  for (const auto& [flag, can] : MatchableInventories(options, {})) {
    if (!matched.contains(flag)) {
      PrintError(absl::StrCat(flag, ": none of the dumps carries what could match it (see above)"));
      return kExitTrouble;
    }
  }
  const std::vector<size_t> untrusted_crls = SetAsideUntrustedCrls(summary.crls, &findings);
  if (crl_fetch.has_value()) {
    // A fetched CRL that cannot be trusted decides nothing for the certificates that name it.
    std::vector<CrlUrl>& urls = crl_fetch->urls();
    for (const size_t c : untrusted_crls) {
      const match::CrlVerdict& v = summary.crls[c];
      for (size_t i = 0; i < urls.size(); ++i) {
        if (urls[i].url == v.path && urls[i].error.empty()) {
          crl_fetch->Unusable(
              i, absl::StrCat("its CRL cannot be trusted (signature ",
                              match::CrlSignatureName(v.signature), ": ", v.signature_note, ")"));
        }
      }
    }
    std::vector<match::Finding> unknown = crl_fetch->UnknownRevocations();
    uint64_t usable = 0;
    for (const CrlUrl& u : urls) usable += u.error.empty();
    report::InputSummary crls{
        "crls", "--fetch-crls", usable, {{"revocation_unknown_certificates", unknown.size()}}};
    crls.skipped = crl_fetch->without_crl();
    summary.inputs.push_back(std::move(crls));
    findings.insert(findings.end(), std::make_move_iterator(unknown.begin()),
                    std::make_move_iterator(unknown.end()));
  }
  findings.insert(findings.end(), std::make_move_iterator(endpoint_errors.begin()),
                  std::make_move_iterator(endpoint_errors.end()));
  if (certificates.has_value()) AddKeyMismatches(*certificates, &findings);
  match::DropReplacedOfAffected(&findings);
  uint64_t by_status[match::kFindingStatusCount] = {};
  bool needs_action = false;
  for (const match::Finding& f : findings) {
    ++by_status[static_cast<int>(f.status)];
    needs_action |= match::NeedsAction(f.status);
  }
  metrics->inputs = summary.inputs;
  for (int i = 0; i < match::kFindingStatusCount; ++i) metrics->findings[i] = by_status[i];

  report::SortFindings(&findings);
  const size_t all_findings = findings.size();  // the summary line's, also with --only-new
  if (options.state.has_value()) {
    // The run's time to the second: the state file is read by people too.
    const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
    Comparison compared = CompareWithState(findings, previous ? &*previous : nullptr, now);
    *next_state = RenderState(compared.next);
    metrics->state = true;
    metrics->resolved_findings = compared.resolved;
    for (size_t i = 0; i < findings.size(); ++i) {
      if (compared.is_new[i]) ++metrics->new_findings[static_cast<int>(findings[i].status)];
    }
    report::StateSummary& state = summary.state.emplace();
    state.path = *options.state;
    if (previous.has_value()) state.previous_run = previous->run_at;
    state.only_new = options.only_new;
    state.new_findings = compared.new_findings;
    state.unchanged = compared.unchanged;
    state.resolved = compared.resolved;
    if (options.only_new) {
      // The report, and the exit status, are about what changed; the metrics keep every finding.
      std::vector<match::Finding> fresh;
      fresh.reserve(compared.new_findings);
      for (size_t i = 0; i < findings.size(); ++i) {
        if (compared.is_new[i]) fresh.push_back(std::move(findings[i]));
      }
      findings = std::move(fresh);
      state.is_new.assign(findings.size(), true);
      needs_action = std::any_of(findings.begin(), findings.end(), [](const match::Finding& f) {
        return match::NeedsAction(f.status);
      });
    } else {
      state.is_new = std::move(compared.is_new);
    }
  }
  const std::string report = report::RenderReport(findings, options.format, summary);
  const absl::Status written = options.output.has_value()
                                   ? WriteFileAtomically(*options.output, report)
                                   : WriteAll(STDOUT_FILENO, report);
  if (!written.ok()) {
    PrintError(written.message());
    return kExitTrouble;
  }

  const uint64_t not_checked = summary.NotChecked();
  if (!options.quiet) {
    if (issued_before > 0) {
      Print(absl::StrCat("--issued-after: ", Plural(issued_before, "record"),
                         " issued earlier ignored\n"));
    }
    uint64_t skipped = 0;
    for (const report::InputSummary& input : summary.inputs) {
      if (input.kind == "certs") skipped += input.skipped;
    }
    if (skipped > 0) {
      Print(absl::StrCat("--certs: ", Plural(skipped, "file"),
                         " without a certificate (keys, requests) skipped\n"));
    }
    std::string statuses;
    for (const match::FindingStatus status :
         {match::FindingStatus::kRevoked, match::FindingStatus::kAffected,
          match::FindingStatus::kListed, match::FindingStatus::kReplaced,
          match::FindingStatus::kMismatch, match::FindingStatus::kWarning,
          match::FindingStatus::kError}) {
      const uint64_t n = by_status[static_cast<int>(status)];
      if (n > 0 || status == match::FindingStatus::kAffected ||
          status == match::FindingStatus::kListed) {
        absl::StrAppend(&statuses, statuses.empty() ? "" : ", ", GroupThousands(n), " ",
                        match::StatusName(status));
      }
    }
    std::string state_note;
    if (summary.state.has_value()) {
      state_note =
          absl::StrCat(", ", GroupThousands(summary.state->new_findings),
                       summary.state->only_new ? " new (reported)" : " new", " and ",
                       GroupThousands(summary.state->resolved), " gone since the last run");
    }
    Print(absl::StrFormat(
        "serialmatch: %s, %s (%s malformed), %s (%s)%s, %s not checked in %.2f s\n",
        Plural(summary.dumps, "dump"), Plural(summary.records, "record"),
        GroupThousands(summary.malformed), Plural(all_findings, "finding"), statuses, state_note,
        GroupThousands(not_checked), absl::ToDoubleSeconds(absl::Now() - start)));
  }
  // What was not checked is a problem in the input: said even with --quiet, so that an answer
  // without findings is never taken for the whole answer.
  if (not_checked > 0) {
    Print(absl::StrCat("serialmatch: not checked: ", report::NotCheckedText(summary), "\n"));
  }
  if (options.strict && not_checked > 0) {
    PrintError(
        absl::StrCat("--strict: ", Plural(not_checked, "problem"), " in the input (see above)"));
    return kExitTrouble;
  }
  if (!untrusted_crls.empty()) {
    PrintError(absl::StrCat(Plural(untrusted_crls.size(), "CRL"),
                            " cannot be trusted (see above) and no trusted CRL of the same scope "
                            "stands in: what they would decide is unknown"));
    return kExitTrouble;
  }
  return needs_action ? kExitFindings : kExitClean;
}

}  // namespace

int Run(const Options& options) {
  InstallSignalHandlers({.mmap_dumps = options.io == dump::IoMode::kMmap});
  const absl::Time start = absl::Now();
  RunMetrics metrics;
  std::string next_state;
  metrics.exit_status = RunJoin(options, &metrics, &next_state);
  // The state is kept only after a run that succeeded: a failed one (exit 2, its findings
  // incomplete or untrusted) leaves the last good state, so nothing is lost or reported twice.
  if (options.state.has_value() &&
      (metrics.exit_status == kExitClean || metrics.exit_status == kExitFindings)) {
    if (const absl::Status kept = WriteFileAtomically(*options.state, next_state); !kept.ok()) {
      PrintError(report::EscapeForTerminal(kept.message()));
      metrics.exit_status = kExitTrouble;
    }
  }
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
