#include "src/cli/flags.h"

#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "src/base/time.h"
#include "src/net/resolver.h"

namespace serialmatch::cli {
namespace {

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

// --issued-after: any time ParseDumpTime reads (a bare date is its midnight UTC).
absl::StatusOr<absl::Time> ParseIssuedAfter(absl::string_view text) {
  absl::StatusOr<absl::Time> t = ParseDumpTime(text);
  if (!t.ok()) {
    return Usage(absl::StrCat("--issued-after needs a date or time such as 2020-02-01 or ",
                              "2020-02-01T12:00:00Z, got '", text, "'"));
  }
  return *t;
}

}  // namespace

std::string UsageText() {
  return R"(Usage: serialmatch --dump PATH [--dump PATH...]
                   (--domains FILE | --serials FILE | --certs PATH | --endpoints FILE)... [options]
       serialmatch (--certs PATH | --endpoints FILE)... --fetch-crls [--dump PATH...] [options]

Finds which of your certificates and domains are in a certificate authority's mass-revocation list.

Input:
  --dump PATH          the CA's list of affected certificates, or a CRL (DER or PEM); a directory
                       reads each of its files as a dump (a folder of CRL shards); repeatable;
                       '-' reads standard input
  --dump-format NAME   le2020 | serials | sha256 | le2022-csv | ccadb-csv | crtsh-json | crl |
                       regex (default: detected from the content)
  --dump-pattern RE    the dump's lines as an RE2 pattern with named groups serial, names,
                       issued_at, not_after, account, issuer (implies --dump-format regex)
  --domains FILE       your domains: CSV (column domain/hostname/host/name/fqdn, or the first) or
                       one per line; '.example.com' means example.com and every name under it;
                       repeatable (each list gets its own findings)
  --serials FILE       your certificate serials: CSV (column serial/serial_number) or one per line,
                       any notation (03:E2:26, 0x3e226, ...); repeatable
  --certs PATH         your certificates: a PEM file or bundle, a DER file, or a directory searched
                       recursively (certbot's live/, /etc/ssl); repeatable. Each is 'affected'
                       (its serial is listed), 'replaced' (a listed certificate for its names was
                       issued before it) or 'listed' (its names are listed, nothing newer held)
  --issued-after TIME  ignore dump records issued before TIME (2020-02-01 or 2020-02-01T12:00:00Z)
  --issuer TEXT        only --certs certificates whose issuer DN contains TEXT (case-insensitive)
  --endpoints FILE     live TLS endpoints, one per line: host, host:port, [v6addr]:port, or
                       name@address:port (connect to the address, send name as SNI); '#'
                       comments. The certificate each presents is judged like a --certs one;
                       an endpoint that cannot be checked is an 'error' finding; repeatable
  --timeout SECONDS    per endpoint (resolve, connect and handshake) and per CRL download
                       (default 5)
  --concurrency N      endpoints checked, or CRLs downloaded, at once (default 64)
  --dns-server ADDR[:PORT]
                       resolve endpoint names with this DNS server (an IPv4 or [IPv6] address,
                       port 53 by default) instead of those of /etc/resolv.conf; /etc/hosts is
                       still read first

Revocation:
  --fetch-crls         download the CRLs named by the CRL distribution points of the --certs and
                       --endpoints certificates (HTTP/HTTPS, each URL once) and check each
                       certificate against its issuer's CRL: 'revoked', or an 'error' finding
                       when the CRL cannot be had; works with or without --dump
  --crl-cache DIR      keep downloaded CRLs in DIR and reuse them until their nextUpdate (then
                       ask the server again with their ETag/Last-Modified)
  --crl-max-age AGE    ask again for a cached CRL older than AGE (30m, 1h, 6h), even before its
                       nextUpdate: CAs publish new CRLs long before it during a mass revocation
  --crl-issuer FILE    certificates of CRL issuers (PEM/DER), to check CRL signatures with, beside
                       the CA certificates among --certs; repeatable

Output:
  --format FORMAT      text (default) | json | jsonl | csv | plan (a shell script of the commands
                       that renew each certificate needing action, for people to read and run)
  --output FILE        write the report to FILE (atomically) instead of standard output
  --quiet              no summary and no progress display on standard error (problems in the
                       input, and how many entries were not checked, are still reported)
  --metrics-file FILE  also write a Prometheus textfile (node exporter) with the run's counts,
                       findings by status, duration and exit status, atomically
  --state FILE         keep the findings in FILE (versioned JSON, written atomically, only when
                       the run exits 0 or 1) and mark each finding new or not against the last
                       run's: json/jsonl "new", csv column new, text column NEW; a missing FILE
                       makes every finding new, a corrupt one exits 2
  --only-new           report only the findings --state FILE does not hold (a finding is the
                       inventory entry, its certificate, its status and the dump record; not the
                       line numbers); the exit status is then 1 only for new findings needing
                       action, 0 when nothing new needs action; metrics count all findings

Behaviour:
  --strict             exit 2 if any input line or row is malformed, any --certs file unreadable
                       or not a certificate, or any endpoint unreachable
  --threads N          worker threads for dump files (default: one per core)
  --io read|mmap       how dump files are read: pread() in 1 MB blocks (default) or a memory
                       mapping; both give the same results, speed depends on the machine
  --line-offset N      the dump is a part of a larger one that starts at its line N + 1: report
                       dump lines of the whole (one --dump only; see docs/scale-out.md)
  --help, --version

Nothing is skipped silently: malformed dump lines, invalid names and rows, unreadable certificate
files and unreachable endpoints are reported as path:line: reason and counted as "not checked" --
on standard error ("serialmatch: not checked: ..."), in the text report, in --format json's
summary.inputs and in the metrics file. The text report says "No findings" alone only when every
entry was checked. An inventory the dumps cannot match (names against a dump without names) exits 2.

A CRL's signature is checked when its issuer's certificate is at hand (valid/invalid/unchecked,
on standard error and in the json summary); a CRL past its nextUpdate is said to be stale and
used all the same.

Exit status: 0 nothing needs action (no findings, or only replaced/warning/error ones), 1 affected,
listed, revoked or mismatch (a certificate whose private key is not its own) findings (with
--only-new: new ones; a finding already reported by the last run exits 0), 2 usage
error, unreadable input, a CRL whose signature is invalid (and no valid CRL for the same scope), or
--strict and malformed input, unreadable certificate files, unreachable endpoints or CRLs that could
not be fetched; 130/143 stopped by SIGINT/SIGTERM.
)";
}

absl::StatusOr<Options> ParseFlags(absl::Span<const std::string> args) {
  Options options;
  // The flags that take a value and may be given once: a second one is a mistake to point out, not
  // a value to let win silently.
  static constexpr absl::string_view kSingleValued[] = {
      "--dump-format", "--dump-pattern", "--issued-after", "--issuer",
      "--timeout",     "--concurrency",  "--format",       "--output",
      "--io",          "--metrics-file", "--line-offset",  "--threads",
      "--crl-cache",   "--crl-max-age",  "--dns-server",   "--state"};
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    if (std::find(std::begin(kSingleValued), std::end(kSingleValued), flag) !=
            std::end(kSingleValued) &&
        !seen.insert(flag).second) {
      return Usage(absl::StrCat(flag, " given more than once"));
    }
    auto value = [&]() -> absl::StatusOr<std::string> {
      if (inline_value.has_value()) return *inline_value;
      if (i + 1 >= args.size()) return Usage(absl::StrCat(flag, " needs a value"));
      return args[++i];
    };
    bool* const switch_target = flag == "--help" || flag == "-h" ? &options.help
                                : flag == "--version"            ? &options.version
                                : flag == "--strict"             ? &options.strict
                                : flag == "--quiet"              ? &options.quiet
                                : flag == "--fetch-crls"         ? &options.fetch_crls
                                : flag == "--only-new"           ? &options.only_new
                                                                 : nullptr;
    if (switch_target != nullptr) {
      if (inline_value.has_value()) return Usage(absl::StrCat(flag, " takes no value"));
      *switch_target = true;
    } else if (flag == "--dump") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--dump needs a file name");
      options.dumps.push_back(std::move(v));
    } else if (flag == "--dump-format") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      SM_ASSIGN_OR_RETURN(options.dump_format, dump::FormatByName(v));
    } else if (flag == "--dump-pattern") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--dump-pattern needs a pattern");
      options.dump_pattern = std::move(v);
    } else if (flag == "--domains") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--domains needs a file name");
      options.domains.push_back(std::move(v));
    } else if (flag == "--serials") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--serials needs a file name");
      options.serials.push_back(std::move(v));
    } else if (flag == "--certs") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--certs needs a file or directory");
      options.certs.push_back(std::move(v));
    } else if (flag == "--issued-after") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      SM_ASSIGN_OR_RETURN(options.issued_after, ParseIssuedAfter(v));
    } else if (flag == "--issuer") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--issuer needs a text to look for");
      options.issuer = std::move(v);
    } else if (flag == "--endpoints") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--endpoints needs a file name");
      options.endpoints.push_back(std::move(v));
    } else if (flag == "--timeout") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      double seconds = 0;
      if (!absl::SimpleAtod(v, &seconds) || !(seconds > 0) || seconds > 3600) {
        return Usage(
            absl::StrCat("--timeout needs seconds, more than 0 and at most 3600, got '", v, "'"));
      }
      options.timeout = absl::Seconds(seconds);
    } else if (flag == "--dns-server") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (const absl::Status checked = net::CheckDnsServer(v); !checked.ok()) {
        return Usage(absl::StrCat(
            "--dns-server needs ADDR[:PORT] (192.0.2.53, [2001:db8::53]:53): ", checked.message(),
            ", got '", v, "'"));
      }
      options.dns_server = std::move(v);
    } else if (flag == "--concurrency") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (!absl::SimpleAtoi(v, &options.concurrency) || options.concurrency < 1 ||
          options.concurrency > 1024) {
        return Usage(absl::StrCat("--concurrency needs a number from 1 to 1024, got '", v, "'"));
      }
    } else if (flag == "--format") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      SM_ASSIGN_OR_RETURN(options.format, report::ReportFormatByName(v));
    } else if (flag == "--output") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--output needs a file name");
      options.output = std::move(v);
    } else if (flag == "--io") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v == "read") {
        options.io = dump::IoMode::kRead;
      } else if (v == "mmap") {
        options.io = dump::IoMode::kMmap;
      } else {
        return Usage(absl::StrCat("--io needs 'read' or 'mmap', got '", v, "'"));
      }
    } else if (flag == "--metrics-file") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--metrics-file needs a file name");
      options.metrics_file = std::move(v);
    } else if (flag == "--state") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty() || v == "-") return Usage("--state needs a file name (it is read and written)");
      options.state = std::move(v);
    } else if (flag == "--line-offset") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (!absl::SimpleAtoi(v, &options.line_offset) || v.empty() || v[0] == '-' || v[0] == '+') {
        return Usage(absl::StrCat("--line-offset needs a line count (0 or more), got '", v, "'"));
      }
    } else if (flag == "--crl-issuer") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--crl-issuer needs a file name");
      options.crl_issuers.push_back(std::move(v));
    } else if (flag == "--crl-cache") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (v.empty()) return Usage("--crl-cache needs a directory");
      options.crl_cache = std::move(v);
    } else if (flag == "--crl-max-age") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      absl::Duration age;
      if (!absl::ParseDuration(v, &age) || age < absl::ZeroDuration()) {
        return Usage(
            absl::StrCat("--crl-max-age needs a duration such as 30m, 1h or 6h, got '", v, "'"));
      }
      options.crl_max_age = age;
    } else if (flag == "--threads") {
      SM_ASSIGN_OR_RETURN(std::string v, value());
      if (!absl::SimpleAtoi(v, &options.threads) || options.threads < 1 || options.threads > 256) {
        return Usage(absl::StrCat("--threads needs a number from 1 to 256, got '", v, "'"));
      }
    } else {
      return Usage(absl::StrCat("unknown option '", args[i], "'"));
    }
  }
  if (options.help || options.version) return options;
  if (options.dump_pattern.has_value()) {
    if (options.dump_format.has_value() && *options.dump_format != dump::DumpFormat::kRegex) {
      return Usage(
          "--dump-pattern describes the regex format; it cannot be used with another "
          "--dump-format");
    }
    options.dump_format = dump::DumpFormat::kRegex;
  } else if (options.dump_format == dump::DumpFormat::kRegex) {
    return Usage("--dump-format regex needs --dump-pattern");
  }
  if (options.only_new && !options.state.has_value()) {
    return Usage("--only-new reports the findings the last run did not have; give --state FILE");
  }
  if (options.dumps.empty() && !options.fetch_crls) {
    return Usage("--dump is required (or --fetch-crls, to check certificates against their CRLs)");
  }
  if (options.fetch_crls && options.certs.empty() && options.endpoints.empty()) {
    return Usage("--fetch-crls fetches the CRLs of certificates; give --certs PATH or --endpoints");
  }
  if (options.crl_cache.has_value() && !options.fetch_crls) {
    return Usage("--crl-cache keeps the CRLs --fetch-crls downloads; give --fetch-crls");
  }
  if (options.crl_max_age != absl::InfiniteDuration() && !options.crl_cache.has_value()) {
    return Usage("--crl-max-age says how long --crl-cache keeps a CRL; give --crl-cache DIR");
  }
  if (options.line_offset > 0 && options.dumps.size() > 1) {
    return Usage("--line-offset applies to one dump; give one --dump with it");
  }
  if (options.domains.empty() && options.serials.empty() && options.certs.empty() &&
      options.endpoints.empty()) {
    return Usage(
        "give an inventory to match: --domains FILE, --serials FILE, --certs PATH and/or "
        "--endpoints FILE");
  }
  if (options.issuer.has_value() && options.certs.empty()) {
    return Usage("--issuer selects among --certs certificates; give --certs PATH");
  }
  int stdin_users = 0;
  for (const std::vector<std::string>* paths :
       {&options.dumps, &options.domains, &options.serials, &options.endpoints}) {
    stdin_users += static_cast<int>(std::count(paths->begin(), paths->end(), "-"));
  }
  if (stdin_users > 1) return Usage("only one input can be standard input ('-')");
  return options;
}

}  // namespace serialmatch::cli
