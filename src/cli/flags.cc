#include "src/cli/flags.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
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

// A flag that names a file or directory: an empty value is a mistake, not "no file".
absl::Status AppendPath(const std::string& value, absl::string_view message,
                        std::vector<std::string>& to) {
  if (value.empty()) return Usage(message);
  to.push_back(value);
  return absl::OkStatus();
}

absl::Status SetText(const std::string& value, absl::string_view message,
                     std::optional<std::string>& to) {
  if (value.empty()) return Usage(message);
  to = value;
  return absl::OkStatus();
}

std::vector<std::string> DumpFormatNames() {
  return absl::StrSplit(dump::KnownFormatNames(), ", ", absl::SkipEmpty());
}

// The names report::ReportFormatByName accepts.
std::vector<std::string> ReportFormatNames() { return {"text", "json", "jsonl", "csv", "plan"}; }

std::vector<std::string> IoModeNames() { return {"read", "mmap"}; }

using G = FlagGroup;
using A = FlagArg;

// The flags, in --help's order within each group. Each entry: name, short name, argument, group,
// kind of value, repeatable, choices, help, and what it stores.
constexpr FlagSpec kFlags[] = {
    // Input.
    {"--dump", "", "PATH", G::kInput, A::kPath, true, nullptr,
     "the CA's list of affected certificates, or a CRL (DER or PEM); a directory reads each of its "
     "files as a dump (a folder of CRL shards); repeatable; '-' reads standard input",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--dump needs a file name", o.dumps);
     }},
    {"--dump-format", "", "NAME", G::kInput, A::kChoice, false, &DumpFormatNames,
     "{choices} (default: detected from the content)",
     [](const std::string& v, Options& o) -> absl::Status {
       SM_ASSIGN_OR_RETURN(o.dump_format, dump::FormatByName(v));
       return absl::OkStatus();
     }},
    {"--dump-pattern", "", "RE", G::kInput, A::kText, false, nullptr,
     "the dump's lines as an RE2 pattern with named groups serial, names, issued_at, not_after, "
     "account, issuer (implies --dump-format regex)",
     [](const std::string& v, Options& o) {
       return SetText(v, "--dump-pattern needs a pattern", o.dump_pattern);
     }},
    {"--domains", "", "FILE", G::kInput, A::kFile, true, nullptr,
     "your domains: CSV (column domain/hostname/host/name/fqdn, or the first) or one per line; "
     "'.example.com' means example.com and every name under it; repeatable (each list gets its "
     "own findings)",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--domains needs a file name", o.domains);
     }},
    {"--serials", "", "FILE", G::kInput, A::kFile, true, nullptr,
     "your certificate serials: CSV (column serial/serial_number) or one per line, any notation "
     "(03:E2:26, 0x3e226, ...); repeatable",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--serials needs a file name", o.serials);
     }},
    {"--certs", "", "PATH", G::kInput, A::kPath, true, nullptr,
     "your certificates: a PEM file or bundle, a DER file, or a directory searched recursively "
     "(certbot's live/, /etc/ssl); repeatable. Each is 'affected' (its serial is listed), "
     "'replaced' (a listed certificate for its names was issued before it) or 'listed' (its names "
     "are listed, nothing newer held)",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--certs needs a file or directory", o.certs);
     }},
    {"--issued-after", "", "TIME", G::kInput, A::kText, false, nullptr,
     "ignore dump records issued before TIME (2020-02-01 or 2020-02-01T12:00:00Z)",
     [](const std::string& v, Options& o) -> absl::Status {
       SM_ASSIGN_OR_RETURN(o.issued_after, ParseIssuedAfter(v));
       return absl::OkStatus();
     }},
    {"--issuer", "", "TEXT", G::kInput, A::kText, false, nullptr,
     "only --certs certificates whose issuer DN contains TEXT (case-insensitive)",
     [](const std::string& v, Options& o) {
       return SetText(v, "--issuer needs a text to look for", o.issuer);
     }},
    {"--endpoints", "", "FILE", G::kInput, A::kFile, true, nullptr,
     "live TLS endpoints, one per line: host, host:port, [v6addr]:port, or name@address:port "
     "(connect to the address, send name as SNI); '#' comments. The certificate each presents is "
     "judged like a --certs one; an endpoint that cannot be checked is an 'error' finding; "
     "repeatable",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--endpoints needs a file name", o.endpoints);
     }},
    {"--timeout", "", "SECONDS", G::kInput, A::kText, false, nullptr,
     "the time allowed per endpoint (resolve, connect and handshake) and per CRL download "
     "(default 5)",
     [](const std::string& v, Options& o) -> absl::Status {
       double seconds = 0;
       if (!absl::SimpleAtod(v, &seconds) || !(seconds > 0) || seconds > 3600) {
         return Usage(
             absl::StrCat("--timeout needs seconds, more than 0 and at most 3600, got '", v, "'"));
       }
       o.timeout = absl::Seconds(seconds);
       return absl::OkStatus();
     }},
    {"--concurrency", "", "N", G::kInput, A::kText, false, nullptr,
     "endpoints checked, or CRLs downloaded, at once (default 64)",
     [](const std::string& v, Options& o) -> absl::Status {
       if (!absl::SimpleAtoi(v, &o.concurrency) || o.concurrency < 1 || o.concurrency > 1024) {
         return Usage(absl::StrCat("--concurrency needs a number from 1 to 1024, got '", v, "'"));
       }
       return absl::OkStatus();
     }},
    {"--dns-server", "", "ADDR[:PORT]", G::kInput, A::kText, false, nullptr,
     "resolve endpoint names with this DNS server (an IPv4 or [IPv6] address, port 53 by default) "
     "instead of those of /etc/resolv.conf; /etc/hosts is still read first",
     [](const std::string& v, Options& o) -> absl::Status {
       if (const absl::Status checked = net::CheckDnsServer(v); !checked.ok()) {
         return Usage(absl::StrCat(
             "--dns-server needs ADDR[:PORT] (192.0.2.53, [2001:db8::53]:53): ", checked.message(),
             ", got '", v, "'"));
       }
       o.dns_server = v;
       return absl::OkStatus();
     }},
    // Revocation.
    {"--fetch-crls", "", "", G::kRevocation, A::kNone, false, nullptr,
     "download the CRLs named by the CRL distribution points of the --certs and --endpoints "
     "certificates (HTTP/HTTPS, each URL once) and check each certificate against its issuer's "
     "CRL: 'revoked', or an 'error' finding when the CRL cannot be had; works with or without "
     "--dump",
     [](const std::string&, Options& o) {
       o.fetch_crls = true;
       return absl::OkStatus();
     }},
    {"--crl-cache", "", "DIR", G::kRevocation, A::kDirectory, false, nullptr,
     "keep downloaded CRLs in DIR and reuse them until their nextUpdate (then ask the server again "
     "with their ETag/Last-Modified)",
     [](const std::string& v, Options& o) {
       return SetText(v, "--crl-cache needs a directory", o.crl_cache);
     }},
    {"--crl-max-age", "", "AGE", G::kRevocation, A::kText, false, nullptr,
     "ask again for a cached CRL older than AGE (30m, 1h, 6h), even before its nextUpdate: CAs "
     "publish new CRLs long before it during a mass revocation",
     [](const std::string& v, Options& o) -> absl::Status {
       absl::Duration age;
       if (!absl::ParseDuration(v, &age) || age < absl::ZeroDuration()) {
         return Usage(
             absl::StrCat("--crl-max-age needs a duration such as 30m, 1h or 6h, got '", v, "'"));
       }
       o.crl_max_age = age;
       return absl::OkStatus();
     }},
    {"--crl-issuer", "", "FILE", G::kRevocation, A::kFile, true, nullptr,
     "certificates of CRL issuers (PEM/DER), to check CRL signatures with, beside the CA "
     "certificates among --certs; repeatable",
     [](const std::string& v, Options& o) {
       return AppendPath(v, "--crl-issuer needs a file name", o.crl_issuers);
     }},
    // Output.
    {"--format", "", "FORMAT", G::kOutput, A::kChoice, false, &ReportFormatNames,
     "{choices} (default: text); plan is a shell script of the commands that renew each "
     "certificate needing action, for people to read and run",
     [](const std::string& v, Options& o) -> absl::Status {
       SM_ASSIGN_OR_RETURN(o.format, report::ReportFormatByName(v));
       return absl::OkStatus();
     }},
    {"--output", "", "FILE", G::kOutput, A::kFile, false, nullptr,
     "write the report to FILE (atomically) instead of standard output",
     [](const std::string& v, Options& o) {
       return SetText(v, "--output needs a file name", o.output);
     }},
    {"--quiet", "", "", G::kOutput, A::kNone, false, nullptr,
     "no summary and no progress display on standard error (problems in the input, and how many "
     "entries were not checked, are still reported)",
     [](const std::string&, Options& o) {
       o.quiet = true;
       return absl::OkStatus();
     }},
    {"--metrics-file", "", "FILE", G::kOutput, A::kFile, false, nullptr,
     "also write a Prometheus textfile (node exporter) with the run's counts, findings by status, "
     "duration and exit status, atomically",
     [](const std::string& v, Options& o) {
       return SetText(v, "--metrics-file needs a file name", o.metrics_file);
     }},
    {"--state", "", "FILE", G::kOutput, A::kFile, false, nullptr,
     "keep the findings in FILE (versioned JSON, written atomically, only when the run exits 0 "
     "or 1) and mark each finding new or not against the last run's: json/jsonl \"new\", csv "
     "column new, text column NEW; a missing FILE makes every finding new, a corrupt one exits 2",
     [](const std::string& v, Options& o) -> absl::Status {
       if (v.empty() || v == "-")
         return Usage("--state needs a file name (it is read and written)");
       o.state = v;
       return absl::OkStatus();
     }},
    {"--only-new", "", "", G::kOutput, A::kNone, false, nullptr,
     "report only the findings --state FILE does not hold (a finding is the inventory entry, its "
     "certificate, its status and the dump record; not the line numbers); the exit status is then "
     "1 only for new findings needing action, 0 when nothing new needs action; metrics count all "
     "findings",
     [](const std::string&, Options& o) {
       o.only_new = true;
       return absl::OkStatus();
     }},
    // Behaviour.
    {"--strict", "", "", G::kBehaviour, A::kNone, false, nullptr,
     "exit 2 if any input line or row is malformed, any --certs file unreadable or not a "
     "certificate, or any endpoint unreachable",
     [](const std::string&, Options& o) {
       o.strict = true;
       return absl::OkStatus();
     }},
    {"--threads", "", "N", G::kBehaviour, A::kText, false, nullptr,
     "worker threads for dump files (default: one per core)",
     [](const std::string& v, Options& o) -> absl::Status {
       if (!absl::SimpleAtoi(v, &o.threads) || o.threads < 1 || o.threads > 256) {
         return Usage(absl::StrCat("--threads needs a number from 1 to 256, got '", v, "'"));
       }
       return absl::OkStatus();
     }},
    {"--io", "", "read|mmap", G::kBehaviour, A::kChoice, false, &IoModeNames,
     "how dump files are read: pread() in 1 MB blocks (default) or a memory mapping; both give the "
     "same results, speed depends on the machine",
     [](const std::string& v, Options& o) -> absl::Status {
       if (v == "read") {
         o.io = dump::IoMode::kRead;
       } else if (v == "mmap") {
         o.io = dump::IoMode::kMmap;
       } else {
         return Usage(absl::StrCat("--io needs 'read' or 'mmap', got '", v, "'"));
       }
       return absl::OkStatus();
     }},
    {"--line-offset", "", "N", G::kBehaviour, A::kText, false, nullptr,
     "the dump is a part of a larger one that starts at its line N + 1: report dump lines of the "
     "whole (one --dump only; see docs/scale-out.md)",
     [](const std::string& v, Options& o) -> absl::Status {
       if (!absl::SimpleAtoi(v, &o.line_offset) || v.empty() || v[0] == '-' || v[0] == '+') {
         return Usage(absl::StrCat("--line-offset needs a line count (0 or more), got '", v, "'"));
       }
       return absl::OkStatus();
     }},
    {"--help", "-h", "", G::kBehaviour, A::kNone, false, nullptr, "this text, then exit",
     [](const std::string&, Options& o) {
       o.help = true;
       return absl::OkStatus();
     }},
    {"--version", "", "", G::kBehaviour, A::kNone, false, nullptr,
     "the version, the commit it was built from and the versions of the libraries that decide "
     "results, then exit",
     [](const std::string&, Options& o) {
       o.version = true;
       return absl::OkStatus();
     }},
};

constexpr FlagGroup kGroups[] = {FlagGroup::kInput, FlagGroup::kRevocation, FlagGroup::kOutput,
                                 FlagGroup::kBehaviour};

// Appends `text` to `out` wrapped at kWidth columns, every line indented by `indent` columns; the
// first line starts where `out` ends, at column `column`.
constexpr size_t kWidth = 100;
constexpr size_t kHelpColumn = 23;

void AppendWrapped(absl::string_view text, size_t column, size_t indent, std::string& out) {
  bool first_word = true;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!first_word && column + 1 + word.size() > kWidth) {
      absl::StrAppend(&out, "\n", std::string(indent, ' '));
      column = indent;
    } else if (!first_word) {
      out.push_back(' ');
      ++column;
    }
    out.append(word.data(), word.size());
    column += word.size();
    first_word = false;
  }
  out.push_back('\n');
}

}  // namespace

absl::Span<const FlagSpec> Flags() { return kFlags; }

const FlagSpec* FindFlag(absl::string_view name) {
  for (const FlagSpec& flag : kFlags) {
    if (name == flag.name || (!flag.short_name.empty() && name == flag.short_name)) return &flag;
  }
  return nullptr;
}

absl::string_view FlagGroupName(FlagGroup group) {
  switch (group) {
    case FlagGroup::kInput:
      return "Input";
    case FlagGroup::kRevocation:
      return "Revocation";
    case FlagGroup::kOutput:
      return "Output";
    case FlagGroup::kBehaviour:
      return "Behaviour";
  }
  return "";
}

std::string FlagHelp(const FlagSpec& flag) {
  if (flag.choices == nullptr) return std::string(flag.help);
  return absl::StrReplaceAll(flag.help, {{"{choices}", absl::StrJoin(flag.choices(), " | ")}});
}

std::string UsageText() {
  std::string out =
      R"(Usage: serialmatch --dump PATH [--dump PATH...]
                   (--domains FILE | --serials FILE | --certs PATH | --endpoints FILE)... [options]
       serialmatch (--certs PATH | --endpoints FILE)... --fetch-crls [--dump PATH...] [options]

Finds which of your certificates and domains are in a certificate authority's mass-revocation list.
)";
  for (FlagGroup group : kGroups) {
    absl::StrAppend(&out, "\n", FlagGroupName(group), ":\n");
    for (const FlagSpec& flag : kFlags) {
      if (flag.group != group) continue;  // listed under its own group
      std::string left = absl::StrCat("  ", flag.name);
      if (!flag.short_name.empty()) absl::StrAppend(&left, ", ", flag.short_name);
      if (flag.takes_value()) absl::StrAppend(&left, " ", flag.arg);
      out += left;
      if (left.size() + 2 <= kHelpColumn) {
        out.append(kHelpColumn - left.size(), ' ');
      } else {
        absl::StrAppend(&out, "\n", std::string(kHelpColumn, ' '));
      }
      AppendWrapped(FlagHelp(flag), kHelpColumn, kHelpColumn, out);
    }
  }
  out += R"(
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
not be fetched; 130/143 stopped by SIGINT/SIGTERM. See serialmatch(1).
)";
  return out;
}

absl::StatusOr<Options> ParseFlags(absl::Span<const std::string> args) {
  Options options;
  // The flags with a value that may be given once and were: a second one is a mistake to point
  // out, not a value to let win silently.
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* const flag = FindFlag(name);
    if (flag == nullptr) return Usage(absl::StrCat("unknown option '", args[i], "'"));
    if (!flag->takes_value()) {
      if (inline_value.has_value()) return Usage(absl::StrCat(name, " takes no value"));
      SM_RETURN_IF_ERROR(flag->apply("", options));
      continue;
    }
    if (!flag->repeatable && !seen.insert(flag->name).second) {
      return Usage(absl::StrCat(name, " given more than once"));
    }
    if (!inline_value.has_value()) {
      if (i + 1 >= args.size()) return Usage(absl::StrCat(name, " needs a value"));
      inline_value = args[++i];
    }
    SM_RETURN_IF_ERROR(flag->apply(*inline_value, options));
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
  if (options.only_new && !options.state.has_value()) {
    return Usage("--only-new reports the findings the last run did not have; give --state FILE");
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
