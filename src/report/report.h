// Reports: findings rendered as a table for people (text), one JSON document (json), one JSON
// object per line (jsonl) or CSV, always in FindingLess order so the same inputs give
// byte-identical output.
//
//   std::string out = RenderReport(findings, ReportFormat::kJsonl, summary);
//
// JSONL object, one per finding (fields in this order):
//   {"status":"listed","kind":"domain","input":"Example.com","name":"example.com","match":"exact",
//    "serial":"03e2...","dump":"affected.txt","dump_line":17,"names":["example.com"],
//    "issued_at":"2019-12-03T21:08:34.826011675Z","not_after":null,"account":"131","issuer":null,
//    "cert_sha256":null,"precert_sha256":null,"revoked_at":null,"revocation_reason":null,
//    "inventory":"mine.csv:4","reason":null,"certificate":null}
// "name" is null for serial findings; the dump-record fields (serial through revocation_reason)
// are null when the dump does not give them: "revoked_at" (RFC 3339) and "revocation_reason"
// (RFC 5280 name, "keyCompromise") for a CRL entry or a dump row that says it was revoked.
// Certificate findings ("kind":"certificate", "input" the file) describe the inventory certificate
// in "certificate":
//   {"serial":"87654321","issuer":"C=US, O=Let's Encrypt, CN=R3","subject_cn":"example.com",
//    "names":["example.com"],"not_before":"2020-02-01T00:00:00Z","not_after":"...",
//    "sha256":"...","spki_sha256":"...","ari_cert_id":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
//    "verification":null,"ca":false,"also_at":["live/example.com/fullchain.pem:1"],
//    "store":"certbot","renew":"certbot renew --cert-name example.com --force-renewal",
//    "renew_note":"certbot lineage example.com (/etc/letsencrypt/live/example.com/)"}
// and say in "reason" why a replaced, warning or listed status was given. "ca" is true for a CA
// certificate (basicConstraints CA), which is found by serial and issuer only, never by name;
// "also_at" lists the other places ("path:line", in read order) the same certificate was read
// from, [] when none: the finding concerns every copy. CSV gives them as certificate_ca and
// certificate_also_at (space-separated); the text table in the INPUT cell, "cert.pem (also
// fullchain.pem:1)". "store" names where the certificate is kept (file, certbot, acme.sh, caddy,
// kubernetes, traefik, endpoint); "renew" is the shell command that replaces it there and
// "renew_note" what to do in words, both null unless the status asks for action (affected,
// listed, revoked, mismatch) and null when there is no command (a plain file, a Secret outside
// cert-manager). CSV: certificate_store, certificate_renew, certificate_renew_note, last.
//
// With a StateSummary (--state), each finding says whether the last run had it: "new":true or
// false right after "status" in json and jsonl, a last CSV column "new" (true/false), a first
// text column NEW ("new" or "-"), ", new" on its plan line; the json summary gains "state"
// ({"path", "previous_run" (RFC 3339, null on the first run), "only_new", "new", "unchanged",
// "resolved"}) and the text report a closing "Since the last run" line. Without one, the output
// is as it was before --state existed.
#ifndef SERIALMATCH_SRC_REPORT_REPORT_H_
#define SERIALMATCH_SRC_REPORT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/match/crl_check.h"
#include "src/match/finding.h"

namespace serialmatch::report {

// kPlan: a shell script of the commands that renew the certificates needing action (RenderPlan:
// each command once, commented with its findings; never run by serialmatch).
enum class ReportFormat { kText, kJson, kJsonl, kCsv, kPlan };

[[nodiscard]] absl::StatusOr<ReportFormat> ReportFormatByName(absl::string_view name);

// What became of one input: how many of its entries were used, and how many could not be checked,
// by reason. Every dump line and every inventory row or file is one or the other.
struct InputSummary {
  // "dump", "domains", "serials", "certs", "endpoints", or "crls" (--fetch-crls: entries the CRL
  // URLs that gave a usable CRL, not_checked the certificates whose revocation status is unknown,
  // skipped the certificates that name no CRL distribution point)
  std::string kind;
  std::string path;      // as given on the command line ("-" for standard input)
  uint64_t entries = 0;  // records, names, serials, certificates or endpoints used
  // Entries not checked, by reason ("malformed_lines", "invalid_names", ...), in a fixed order for
  // each kind of input, zeros included (so a scheduled job's consumer sees the same keys each run).
  std::vector<std::pair<std::string, uint64_t>> not_checked;
  uint64_t skipped = 0;  // files with nothing to check (only keys or requests), noted not counted

  uint64_t NotChecked() const;
};

// What the state file (--state) says of the findings rendered.
struct StateSummary {
  std::string path;                        // the state file, as given
  std::optional<absl::Time> previous_run;  // when the last run ended; none on the first run
  bool only_new = false;                   // --only-new: only the new findings are rendered
  std::vector<bool> is_new;  // one per finding rendered, in the order given to RenderReport
  uint64_t new_findings = 0;
  uint64_t unchanged = 0;  // findings the last run had too (with only_new, not rendered)
  uint64_t resolved = 0;   // findings of the last run that this run did not find
};

// The run's counts: the json document's "summary", and the text report's closing lines when some
// entries were not checked (jsonl and csv carry findings only; the counts are on standard error and
// in the metrics file).
struct ReportSummary {
  uint64_t dumps = 0;
  uint64_t records = 0;
  uint64_t malformed = 0;
  std::vector<InputSummary> inputs;
  // Every CRL read (from --dump or --fetch-crls): the json summary's "crls", each
  // {"path", "pem_line", "issuer", "authority_key_id", "crl_number", "delta", "this_update",
  //  "next_update", "entries", "distribution_points", "signature" (valid/invalid/unchecked),
  //  "signature_note", "stale", "problems"}.
  std::vector<match::CrlVerdict> crls;
  std::optional<StateSummary> state;  // with --state

  // Entries not checked, over all inputs.
  uint64_t NotChecked() const;
};

// "malformed_lines" -> "malformed lines", with the count: "3 malformed lines", "1 malformed line".
std::string DescribeNotChecked(absl::string_view reason, uint64_t count);

// "affected.txt: 2 malformed lines; mine.csv: 1 invalid name" for the inputs with entries not
// checked; empty when every entry was checked. Paths are escaped for a terminal.
std::string NotCheckedText(const ReportSummary& summary);

// Sorts `findings` into report order.
void SortFindings(std::vector<match::Finding>* findings);

// Renders sorted `findings`. Strings are escaped for the format; bytes that are not UTF-8 become
// U+FFFD in JSON.
std::string RenderReport(const std::vector<match::Finding>& findings, ReportFormat format,
                         const ReportSummary& summary);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view text);

// `text` safe to write to a terminal or a spreadsheet cell: valid UTF-8 is kept as it is, except
// control characters (C0, DEL, C1), bidirectional-override characters and bytes that are not UTF-8,
// which become \xNN (\u{NNNN} for the code points above U+00FF); a backslash becomes \\. A dump is
// third-party input: without this, an ESC sequence in a name could rewrite the user's terminal.
std::string EscapeForTerminal(absl::string_view text);

}  // namespace serialmatch::report

#endif  // SERIALMATCH_SRC_REPORT_REPORT_H_
