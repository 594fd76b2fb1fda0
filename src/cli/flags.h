// Command-line options of serialmatch and their parser. This folder is the only place that knows
// about flags; the libraries below take plain values.
#ifndef SERIALMATCH_SRC_CLI_FLAGS_H_
#define SERIALMATCH_SRC_CLI_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/dump/dump_source.h"
#include "src/dump/parser.h"
#include "src/report/report.h"

namespace serialmatch::cli {

struct Options {
  std::vector<std::string> dumps;               // --dump, repeatable; "-" is standard input
  std::optional<dump::DumpFormat> dump_format;  // --dump-format; detected when absent
  std::optional<std::string> dump_pattern;      // --dump-pattern; implies --dump-format regex
  std::vector<std::string> domains;             // --domains, repeatable
  std::vector<std::string> serials;             // --serials, repeatable
  std::vector<std::string> certs;               // --certs, repeatable: files or directories
  std::optional<absl::Time> issued_after;       // --issued-after
  std::optional<std::string> issuer;            // --issuer: certificates' issuer DN contains it
  std::vector<std::string> endpoints;           // --endpoints, repeatable: live TLS endpoints
  absl::Duration timeout = absl::Seconds(5);    // --timeout, per endpoint
  int concurrency = 64;                         // --concurrency: endpoints in flight
  std::string dns_server;  // --dns-server ADDR[:PORT]: resolve endpoints with it; empty: system's
  report::ReportFormat format = report::ReportFormat::kText;
  std::optional<std::string> output;  // --output; standard output when absent
  bool strict = false;
  bool quiet = false;
  int threads = 0;                          // 0: one per available core
  dump::IoMode io = dump::IoMode::kRead;    // --io: how regular dump files are read
  uint64_t line_offset = 0;                 // --line-offset: added to the dump's line numbers
  std::optional<std::string> metrics_file;  // --metrics-file: Prometheus textfile
  std::optional<std::string> state;         // --state: the findings of the last successful run
  bool only_new = false;                    // --only-new: report the findings --state lacks
  std::vector<std::string> crl_issuers;     // --crl-issuer, repeatable: certificates of CRL issuers
  bool fetch_crls = false;                  // --fetch-crls: the CRLs the certificates name
  std::optional<std::string> crl_cache;     // --crl-cache: where fetched CRLs are kept
  // --crl-max-age: a cached CRL older than this is asked for again even before its nextUpdate.
  absl::Duration crl_max_age = absl::InfiniteDuration();
  bool help = false;
  bool version = false;
};

// Parses `args` (without the program name). Accepts "--flag value" and "--flag=value". The input
// flags (--dump, --domains, --serials, --certs, --endpoints, --crl-issuer) are repeatable; every
// other flag that takes a value may be given once. Fails with a one-line message for unknown flags,
// missing values, bad values, repeated single-valued flags and missing required flags (unless
// --help or --version is given).
[[nodiscard]] absl::StatusOr<Options> ParseFlags(absl::Span<const std::string> args);

// The --help text.
std::string UsageText();

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_FLAGS_H_
