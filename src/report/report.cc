#include "src/report/report.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "src/base/text_encoding.h"
#include "src/base/time.h"

namespace serialmatch::report {
namespace {

using match::Finding;

// The code point of the valid UTF-8 sequence of `n` bytes at s[i].
uint32_t CodePoint(absl::string_view s, size_t i, size_t n) {
  uint32_t cp = static_cast<unsigned char>(s[i]) & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// Code points a terminal acts on instead of showing: C1 controls, and the bidirectional embeddings,
// overrides and isolates that can make a line read differently from what it holds.
bool IsHiddenControl(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

std::string JsonNullable(absl::string_view text, bool present) {
  return present ? JsonQuote(text) : "null";
}

std::string JsonStrings(const std::vector<std::string>& strings) {
  std::vector<std::string> quoted;
  quoted.reserve(strings.size());
  for (const std::string& s : strings) quoted.push_back(JsonQuote(s));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

// The renew fields for a finding that asks for action; null for the others (a replaced
// certificate needs no renewal).
std::string RenewJson(const match::CertificateFacts& c, bool action) {
  return absl::StrCat(
      ",\"store\":", JsonQuote(c.store),
      ",\"renew\":", JsonNullable(c.renew, action && !c.renew.empty()),
      ",\"renew_note\":", JsonNullable(c.renew_note, action && !c.renew_note.empty()));
}

std::string CertificateJson(const match::CertificateFacts& c, bool action) {
  return absl::StrCat(
      "{\"serial\":", JsonQuote(c.serial), ",\"issuer\":", JsonQuote(c.issuer),
      ",\"subject_cn\":", JsonNullable(c.subject_cn, !c.subject_cn.empty()),
      ",\"names\":", JsonStrings(c.names), ",\"not_before\":", JsonQuote(c.not_before),
      ",\"not_after\":", JsonQuote(c.not_after), ",\"sha256\":", JsonQuote(c.sha256),
      ",\"spki_sha256\":", JsonQuote(c.spki_sha256),
      ",\"ari_cert_id\":", JsonNullable(c.ari_cert_id, !c.ari_cert_id.empty()),
      ",\"verification\":", JsonNullable(c.verification, !c.verification.empty()),
      ",\"ca\":", c.ca ? "true" : "false", ",\"also_at\":", JsonStrings(c.also_at),
      RenewJson(c, action), "}");
}

std::string CrlJson(const match::CrlVerdict& v) {
  return absl::StrCat(
      "{\"path\":", JsonQuote(v.path),
      ",\"pem_line\":", v.pem_line == 0 ? "null" : absl::StrCat(v.pem_line),
      ",\"issuer\":", JsonQuote(v.issuer),
      ",\"authority_key_id\":", JsonNullable(v.authority_key_id, !v.authority_key_id.empty()),
      ",\"crl_number\":", JsonNullable(v.crl_number, !v.crl_number.empty()),
      ",\"delta\":", v.delta ? "true" : "false",
      ",\"this_update\":", JsonQuote(FormatRfc3339(v.this_update)), ",\"next_update\":",
      v.next_update.has_value() ? JsonQuote(FormatRfc3339(*v.next_update)) : "null",
      ",\"entries\":", v.entries, ",\"distribution_points\":", JsonStrings(v.distribution_points),
      ",\"signature\":", JsonQuote(match::CrlSignatureName(v.signature)),
      ",\"signature_note\":", JsonNullable(v.signature_note, !v.signature_note.empty()),
      ",\"stale\":", v.stale ? "true" : "false", ",\"problems\":", JsonStrings(v.problems), "}");
}

// With --state, whether finding `i` is new; nullopt without.
std::optional<bool> NewFlag(const ReportSummary& summary, size_t i) {
  if (!summary.state.has_value()) return std::nullopt;
  return i < summary.state->is_new.size() && summary.state->is_new[i];
}

// Whether the finding comes from a dump record; an endpoint that could not be checked has none, and
// its record fields are null, not placeholders.
bool HasRecord(const Finding& f) { return !f.dump_path.empty(); }

std::string JsonObject(const Finding& f, std::optional<bool> is_new) {
  const bool has_record = HasRecord(f);
  return absl::StrCat(
      "{\"status\":", JsonQuote(match::StatusName(f.status)),
      !is_new.has_value() ? ""
      : *is_new           ? ",\"new\":true"
                          : ",\"new\":false",
      ",\"kind\":", JsonQuote(match::KindName(f.kind)), ",\"input\":", JsonQuote(f.input),
      ",\"name\":", JsonNullable(f.name, !f.name.empty()),
      ",\"match\":", has_record ? JsonQuote(match::MatchName(f.match)) : "null",
      ",\"serial\":", JsonNullable(f.serial, !f.serial.empty()),
      ",\"dump\":", JsonNullable(f.dump_path, has_record),
      ",\"dump_line\":", has_record ? absl::StrCat(f.dump_line) : "null",
      ",\"names\":", has_record ? JsonStrings(f.names) : "null",
      ",\"issued_at\":", JsonNullable(f.issued_at.value_or(""), f.issued_at.has_value()),
      ",\"not_after\":", JsonNullable(f.not_after.value_or(""), f.not_after.has_value()),
      ",\"account\":", JsonNullable(f.account, !f.account.empty()),
      ",\"issuer\":", JsonNullable(f.issuer, !f.issuer.empty()),
      ",\"cert_sha256\":", JsonNullable(f.cert_sha256, !f.cert_sha256.empty()),
      ",\"precert_sha256\":", JsonNullable(f.precert_sha256, !f.precert_sha256.empty()),
      ",\"revoked_at\":", JsonNullable(f.revoked_at.value_or(""), f.revoked_at.has_value()),
      ",\"revocation_reason\":",
      JsonNullable(f.revocation_reason.value_or(""), f.revocation_reason.has_value()),
      ",\"inventory\":", JsonQuote(absl::StrCat(f.inventory_path, ":", f.inventory_line)),
      ",\"reason\":", JsonNullable(f.reason, !f.reason.empty()), ",\"certificate\":",
      f.certificate ? CertificateJson(*f.certificate, match::NeedsAction(f.status)) : "null", "}");
}

// A CSV cell: escaped as for a terminal (a spreadsheet shows control bytes as they are, and a
// viewer such as `column` or `less` passes them on), then quoted when it holds ',' or '"'.
std::string CsvQuote(absl::string_view raw) {
  const std::string text = EscapeForTerminal(raw);
  if (text.find_first_of(",\"") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string RenderCsv(const std::vector<Finding>& findings, const ReportSummary& summary) {
  std::string out =
      "status,kind,input,name,match,serial,dump,dump_line,names,issued_at,not_after,account,issuer,"
      "cert_sha256,precert_sha256,revoked_at,revocation_reason,inventory,reason,certificate_serial,"
      "certificate_issuer,"
      "certificate_not_before,certificate_not_after,certificate_sha256,certificate_spki_sha256,"
      "certificate_ari_cert_id,certificate_verification,certificate_ca,certificate_also_at,"
      "certificate_store,certificate_renew,certificate_renew_note";
  out += summary.state.has_value() ? ",new\n" : "\n";
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const match::CertificateFacts* c = f.certificate.get();
    const std::string fields[] = {
        std::string(match::StatusName(f.status)),
        std::string(match::KindName(f.kind)),
        CsvQuote(f.input),
        CsvQuote(f.name),
        HasRecord(f) ? std::string(match::MatchName(f.match)) : "",
        CsvQuote(f.serial),
        CsvQuote(f.dump_path),
        HasRecord(f) ? absl::StrCat(f.dump_line) : "",
        CsvQuote(absl::StrJoin(f.names, " ")),
        f.issued_at.value_or(""),
        f.not_after.value_or(""),
        CsvQuote(f.account),
        CsvQuote(f.issuer),
        CsvQuote(f.cert_sha256),
        CsvQuote(f.precert_sha256),
        f.revoked_at.value_or(""),
        CsvQuote(f.revocation_reason.value_or("")),
        CsvQuote(absl::StrCat(f.inventory_path, ":", f.inventory_line)),
        CsvQuote(f.reason),
        c ? CsvQuote(c->serial) : "",
        c ? CsvQuote(c->issuer) : "",
        c ? c->not_before : "",
        c ? c->not_after : "",
        c ? c->sha256 : "",
        c ? c->spki_sha256 : "",
        c ? c->ari_cert_id : "",
        c ? CsvQuote(c->verification) : "",
        c ? (c->ca ? "true" : "false") : "",
        c ? CsvQuote(absl::StrJoin(c->also_at, " ")) : "",
        c ? CsvQuote(c->store) : "",
        c && match::NeedsAction(f.status) ? CsvQuote(c->renew) : "",
        c && match::NeedsAction(f.status) ? CsvQuote(c->renew_note) : "",
    };
    const std::optional<bool> is_new = NewFlag(summary, i);
    absl::StrAppend(&out, absl::StrJoin(fields, ","),
                    !is_new.has_value() ? ""
                    : *is_new           ? ",true"
                                        : ",false",
                    "\n");
  }
  return out;
}

// Columns a cell takes on a terminal, counting one per UTF-8 code point (no wide-character
// handling).
size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

// The text report's line on the comparison with the last run (--state).
std::string StateText(const StateSummary& state) {
  const std::string since =
      state.previous_run.has_value()
          ? absl::StrCat("Since the last run (", FormatRfc3339(*state.previous_run), "): ")
          : "No earlier run in the state file, every finding is new: ";
  return absl::StrCat(since, state.new_findings, " new, ", state.unchanged, " as before",
                      state.only_new && state.unchanged > 0 ? " (not shown: --only-new)" : "", ", ",
                      state.resolved, " no longer found.\n");
}

// A table for people: one row per finding, columns padded to their widest cell. Names beyond the
// first few are summarised so huge SAN lists do not swamp the screen.
// When entries were not checked, "No findings" is not the whole answer: say how many and where.
std::string RenderText(const std::vector<Finding>& findings, const ReportSummary& summary) {
  const uint64_t not_checked = summary.NotChecked();
  std::string unchecked =
      not_checked == 0
          ? ""
          : absl::StrCat("Not checked: ", not_checked, " entr", not_checked == 1 ? "y" : "ies",
                         " (", NotCheckedText(summary), "); see standard error.\n");
  const StateSummary* state = summary.state.has_value() ? &*summary.state : nullptr;
  if (state != nullptr) absl::StrAppend(&unchecked, StateText(*state));
  if (findings.empty()) {
    if (state != nullptr && state->only_new && state->unchanged > 0) {
      return absl::StrCat("No new findings.\n", unchecked);
    }
    if (not_checked == 0) {
      return absl::StrCat("No findings: nothing in the inventory is in the dump.\n", unchecked);
    }
    return absl::StrCat("No findings among the entries checked.\n", unchecked);
  }
  constexpr size_t kNamesShown = 3;
  // A REVOKED column ("2024-07-30T12:00:00Z keyCompromise") only when some record is a revocation.
  const bool revocations = std::any_of(findings.begin(), findings.end(),
                                       [](const Finding& f) { return f.revoked_at.has_value(); });
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"STATUS", "KIND", "INPUT", "NAME", "MATCH", "SERIAL", "DUMP:LINE", "ISSUED",
                  "NAMES", "NOTE"});
  if (revocations) rows[0].insert(rows[0].begin() + 8, "REVOKED");
  if (state != nullptr) rows[0].insert(rows[0].begin(), "NEW");
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    std::vector<std::string> shown(f.names.begin(),
                                   f.names.begin() + std::min(f.names.size(), kNamesShown));
    std::string names = absl::StrJoin(shown, " ");
    if (f.names.size() > kNamesShown) {
      absl::StrAppend(&names, " (+", f.names.size() - kNamesShown, " more)");
    }
    const bool has_record = HasRecord(f);
    std::string input = f.input;
    if (f.certificate != nullptr && !f.certificate->also_at.empty()) {
      absl::StrAppend(&input, " (also ", absl::StrJoin(f.certificate->also_at, ", "), ")");
    }
    rows.push_back(
        {std::string(match::StatusName(f.status)), std::string(match::KindName(f.kind)),
         EscapeForTerminal(input), f.name.empty() ? "-" : EscapeForTerminal(f.name),
         has_record ? std::string(match::MatchName(f.match)) : "-",
         f.serial.empty() ? "-" : EscapeForTerminal(f.serial),
         has_record ? EscapeForTerminal(absl::StrCat(f.dump_path, ":", f.dump_line)) : "-",
         f.issued_at.value_or("-"), names.empty() ? "-" : EscapeForTerminal(names),
         f.reason.empty() ? "-" : EscapeForTerminal(f.reason)});
    if (revocations) {
      std::string revoked = f.revoked_at.value_or("-");
      if (f.revocation_reason.has_value()) {
        absl::StrAppend(&revoked, " ", EscapeForTerminal(*f.revocation_reason));
      }
      rows.back().insert(rows.back().begin() + 8, std::move(revoked));
    }
    if (state != nullptr)
      rows.back().insert(rows.back().begin(), *NewFlag(summary, i) ? "new" : "-");
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i + 1 == row.size()) {
        line += row[i];
      } else {
        absl::StrAppend(&line, row[i], std::string(widths[i] - DisplayWidth(row[i]) + 2, ' '));
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  return absl::StrCat(out, unchecked);
}

// A line of the plan's comments: third-party text escaped, so no newline or control byte in a
// name can end the comment and become a command.
std::string PlanComment(absl::string_view text) {
  return absl::StrCat("# ", EscapeForTerminal(text), "\n");
}

// One line per finding under its command: "affected: cert.pem, serial 03e2, affected.txt:17".
std::string PlanFindingLine(const Finding& f, std::optional<bool> is_new) {
  std::string line = absl::StrCat("  ", match::StatusName(f.status), ": ", f.input);
  if (!f.serial.empty()) absl::StrAppend(&line, ", serial ", f.serial);
  if (HasRecord(f)) absl::StrAppend(&line, ", ", f.dump_path, ":", f.dump_line);
  if (f.status == match::FindingStatus::kMismatch) absl::StrAppend(&line, " (", f.reason, ")");
  if (is_new.value_or(false)) absl::StrAppend(&line, ", new");
  return PlanComment(line);
}

// A shell script for people to read and run: each command that replaces a certificate needing
// action, once, under comments naming the findings it answers; then the findings without a command.
std::string RenderPlan(const std::vector<Finding>& findings, const ReportSummary& summary) {
  struct Step {
    std::string command;
    std::string note;
    std::string lines;
  };
  std::vector<Step> steps;  // in the order of their first finding
  absl::flat_hash_map<std::string, size_t> step_of;
  std::string by_hand;
  uint64_t answered = 0, without = 0, no_certificate = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const std::optional<bool> is_new = NewFlag(summary, i);
    if (!match::NeedsAction(f.status)) continue;
    if (f.certificate == nullptr) {
      ++no_certificate;  // a domain or serial of the inventory: no certificate here to renew
      continue;
    }
    const match::CertificateFacts& c = *f.certificate;
    if (c.renew.empty()) {
      ++without;
      absl::StrAppend(&by_hand, PlanFindingLine(f, is_new),
                      PlanComment(absl::StrCat("    ", c.renew_note)));
      continue;
    }
    ++answered;
    const auto [it, inserted] = step_of.try_emplace(c.renew, steps.size());
    if (inserted) steps.push_back({c.renew, c.renew_note, ""});
    steps[it->second].lines += PlanFindingLine(f, is_new);
  }
  std::string out = absl::StrCat(
      "#!/bin/sh\n"
      "# serialmatch renewal plan: the commands that replace the certificates needing action.\n"
      "# serialmatch never runs them. Read each one, then run what applies; each is independent.\n",
      PlanComment(absl::StrCat(steps.size(), " command", steps.size() == 1 ? "" : "s", " for ",
                               answered, " finding", answered == 1 ? "" : "s",
                               without == 0 ? ""
                                            : absl::StrCat("; ", without, " certificate finding",
                                                           without == 1 ? "" : "s",
                                                           " without a command (at the end)"))));
  if (no_certificate > 0) {
    out += PlanComment(absl::StrCat(no_certificate, " domain or serial finding",
                                    no_certificate == 1 ? "" : "s",
                                    " need action too; they name no certificate file or store "
                                    "here (see the report)"));
  }
  for (const Step& step : steps) {
    absl::StrAppend(&out, "\n", PlanComment(step.note), step.lines, step.command, "\n");
  }
  if (!by_hand.empty()) absl::StrAppend(&out, "\n# Without a command:\n", by_hand);
  return out;
}

}  // namespace

absl::StatusOr<ReportFormat> ReportFormatByName(absl::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "jsonl") return ReportFormat::kJsonl;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "plan") return ReportFormat::kPlan;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown --format '", name, "'; use text, json, jsonl, csv or plan"));
}

uint64_t InputSummary::NotChecked() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : not_checked) n += count;
  return n;
}

uint64_t ReportSummary::NotChecked() const {
  uint64_t n = 0;
  for (const InputSummary& input : inputs) n += input.NotChecked();
  return n;
}

std::string DescribeNotChecked(absl::string_view reason, uint64_t count) {
  std::string words = absl::StrReplaceAll(reason, {{"_", " "}});
  // Reasons are plural nouns ("malformed_lines", "unreadable_files", "invalid_names"): drop the
  // final 's' for one.
  if (count == 1 && absl::EndsWith(words, "s")) words.pop_back();
  return absl::StrCat(count, " ", words);
}

std::string NotCheckedText(const ReportSummary& summary) {
  std::vector<std::string> parts;
  for (const InputSummary& input : summary.inputs) {
    std::vector<std::string> reasons;
    for (const auto& [reason, count] : input.not_checked) {
      if (count > 0) reasons.push_back(DescribeNotChecked(reason, count));
    }
    if (!reasons.empty()) {
      parts.push_back(absl::StrCat(EscapeForTerminal(input.path == "-" ? "<stdin>" : input.path),
                                   ": ", absl::StrJoin(reasons, ", ")));
    }
  }
  return absl::StrJoin(parts, "; ");
}

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const size_t n = c < 0x80 ? 1 : Utf8SequenceLength(text, i);
    if (n == 0) {  // not UTF-8: the byte itself
      absl::StrAppendFormat(&out, "\\x%02x", c);
      ++i;
      continue;
    }
    const uint32_t cp = n == 1 ? c : CodePoint(text, i, n);
    if (cp < 0x20 || cp == 0x7f || IsHiddenControl(cp)) {
      if (cp <= 0xff) {
        absl::StrAppendFormat(&out, "\\x%02x", cp);
      } else {
        absl::StrAppendFormat(&out, "\\u{%04x}", cp);
      }
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
  return out;
}

void SortFindings(std::vector<Finding>* findings) {
  std::sort(findings->begin(), findings->end(), match::FindingLess);
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", absl::string_view(text.data() + i, 1));
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const size_t n = Utf8SequenceLength(text, i); n != 0) {
      out.append(text.data() + i, n);
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out.push_back('"');
  return out;
}

std::string RenderReport(const std::vector<Finding>& findings, ReportFormat format,
                         const ReportSummary& summary) {
  switch (format) {
    case ReportFormat::kText:
      return RenderText(findings, summary);
    case ReportFormat::kJsonl: {
      std::string out;
      for (size_t i = 0; i < findings.size(); ++i) {
        absl::StrAppend(&out, JsonObject(findings[i], NewFlag(summary, i)), "\n");
      }
      return out;
    }
    case ReportFormat::kJson: {
      std::string out = "{\"findings\":[";
      for (size_t i = 0; i < findings.size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "\n" : ",\n", JsonObject(findings[i], NewFlag(summary, i)));
      }
      absl::StrAppend(&out, findings.empty() ? "" : "\n",
                      "],\"summary\":{\"dumps\":", summary.dumps, ",\"records\":", summary.records,
                      ",\"malformed\":", summary.malformed, ",\"findings\":", findings.size(),
                      ",\"not_checked\":", summary.NotChecked(), ",\"inputs\":[");
      for (size_t i = 0; i < summary.inputs.size(); ++i) {
        const InputSummary& input = summary.inputs[i];
        absl::StrAppend(&out, i == 0 ? "" : ",", "{\"kind\":", JsonQuote(input.kind),
                        ",\"path\":", JsonQuote(input.path), ",\"entries\":", input.entries,
                        ",\"not_checked\":", input.NotChecked(), ",\"skipped\":", input.skipped,
                        ",\"reasons\":{");
        for (size_t k = 0; k < input.not_checked.size(); ++k) {
          absl::StrAppend(&out, k == 0 ? "" : ",", JsonQuote(input.not_checked[k].first), ":",
                          input.not_checked[k].second);
        }
        out += "}}";
      }
      out += "],\"crls\":[";
      for (size_t i = 0; i < summary.crls.size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "" : ",", CrlJson(summary.crls[i]));
      }
      out += "]";
      if (const std::optional<StateSummary>& state = summary.state; state.has_value()) {
        absl::StrAppend(
            &out, ",\"state\":{\"path\":", JsonQuote(state->path), ",\"previous_run\":",
            state->previous_run.has_value() ? JsonQuote(FormatRfc3339(*state->previous_run))
                                            : "null",
            ",\"only_new\":", state->only_new ? "true" : "false", ",\"new\":", state->new_findings,
            ",\"unchanged\":", state->unchanged, ",\"resolved\":", state->resolved, "}");
      }
      out += "}}\n";
      return out;
    }
    case ReportFormat::kCsv:
      return RenderCsv(findings, summary);
    case ReportFormat::kPlan:
      return RenderPlan(findings, summary);
  }
  return "";
}

}  // namespace serialmatch::report
