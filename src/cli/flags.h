// Command-line options of serialmatch and their parser. This folder is the only place that knows
// about flags; the libraries below take plain values.
#ifndef SERIALMATCH_SRC_CLI_FLAGS_H_
#define SERIALMATCH_SRC_CLI_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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

// The sections of --help and of the man page's OPTIONS, in their order.
enum class FlagGroup { kInput, kRevocation, kOutput, kBehaviour };

// What a flag's value is, for the completions: a switch takes none; a file, a directory or either
// completes as a path; a choice completes to the names of `choices`; text is typed by hand.
enum class FlagArg { kNone, kFile, kDirectory, kPath, kChoice, kText };

// One command-line flag: everything the parser, --help, the man page and the shell completions
// know about it. Flags() is the one list of them; adding a flag is adding one entry there.
//
//   {"--output", "", "FILE", FlagGroup::kOutput, FlagArg::kFile, false, nullptr,
//    "write the report to FILE (atomically) instead of standard output",
//    [](const std::string& v, Options& o) { ... o.output = v; return absl::OkStatus(); }}
struct FlagSpec {
  absl::string_view name;        // "--dump"
  absl::string_view short_name;  // "-h", or empty
  absl::string_view arg;         // "PATH" as --help writes it; empty for a switch
  FlagGroup group;
  FlagArg kind;
  // May be given more than once (the inputs); a flag with a value that is not repeatable given
  // twice is a usage error. A switch given twice is the same switch.
  bool repeatable;
  // For kChoice: the names the parser accepts, in the order --help lists them.
  std::vector<std::string> (*choices)();
  // --help's text for the flag, one paragraph (wrapped when printed). "{choices}" stands for the
  // choices joined with " | ".
  absl::string_view help;
  // Stores the flag's value (empty for a switch) in `options`; fails with a one-line message.
  absl::Status (*apply)(const std::string& value, Options& options);

  bool takes_value() const { return !arg.empty(); }
};

// Every flag, grouped as --help shows them (the groups in FlagGroup's order, then table order).
absl::Span<const FlagSpec> Flags();

// The flag named `name` ("--dump", or a short name such as "-h"); nullptr when there is none.
const FlagSpec* FindFlag(absl::string_view name);

// "Input", "Revocation", "Output", "Behaviour".
absl::string_view FlagGroupName(FlagGroup group);

// The help paragraph of `flag` with "{choices}" filled in.
std::string FlagHelp(const FlagSpec& flag);

// Parses `args` (without the program name) with Flags(). Accepts "--flag value" and
// "--flag=value". The input flags (--dump, --domains, --serials, --certs, --endpoints,
// --crl-issuer) are repeatable; every other flag that takes a value may be given once. Fails with a
// one-line message for unknown flags, missing values, bad values, repeated single-valued flags and
// missing required flags (unless --help or --version is given).
[[nodiscard]] absl::StatusOr<Options> ParseFlags(absl::Span<const std::string> args);

// The --help text: a usage line, the flags of Flags() by group, then notes on what is reported and
// the exit statuses.
std::string UsageText();

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_FLAGS_H_
