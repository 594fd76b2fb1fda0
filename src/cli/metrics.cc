#include "src/cli/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace serialmatch::cli {
namespace {

void Gauge(std::string* out, absl::string_view name, absl::string_view help,
           absl::string_view value) {
  absl::StrAppend(out, "# HELP serialmatch_last_run_", name, " ", help, "\n",
                  "# TYPE serialmatch_last_run_", name, " gauge\n", "serialmatch_last_run_", name,
                  " ", value, "\n");
}

// A label value in the text format: backslash, double quote and line feed escaped.
std::string LabelValue(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string RenderMetrics(const RunMetrics& m) {
  std::string out;
  absl::StrAppend(
      &out,
      "# HELP serialmatch_last_run_findings Findings of the last run, by status "
      "(affected, listed, replaced, warning, error, revoked, mismatch; see the README).\n"
      "# TYPE serialmatch_last_run_findings gauge\n");
  for (int i = 0; i < match::kFindingStatusCount; ++i) {
    absl::StrAppend(&out, "serialmatch_last_run_findings{status=\"",
                    match::StatusName(static_cast<match::FindingStatus>(i)), "\"} ", m.findings[i],
                    "\n");
  }
  if (m.state) {
    absl::StrAppend(
        &out,
        "# HELP serialmatch_last_run_new_findings Findings of the last run that the run "
        "before it did not have (--state), by status.\n"
        "# TYPE serialmatch_last_run_new_findings gauge\n");
    for (int i = 0; i < match::kFindingStatusCount; ++i) {
      absl::StrAppend(&out, "serialmatch_last_run_new_findings{status=\"",
                      match::StatusName(static_cast<match::FindingStatus>(i)), "\"} ",
                      m.new_findings[i], "\n");
    }
    Gauge(&out, "resolved_findings",
          "Findings of the run before the last (--state) that the last run did not find.",
          absl::StrCat(m.resolved_findings));
  }
  Gauge(&out, "records", "Certificate records read from the dumps.", absl::StrCat(m.records));
  Gauge(&out, "malformed_lines", "Dump lines that were not valid records.",
        absl::StrCat(m.malformed));
  uint64_t not_checked = 0;
  for (const report::InputSummary& input : m.inputs) not_checked += input.NotChecked();
  Gauge(&out, "not_checked",
        "Input entries that could not be checked: malformed dump lines, invalid names and rows, "
        "unreadable certificate files, unreachable endpoints. Not zero: no findings is not the "
        "whole answer.",
        absl::StrCat(not_checked));
  if (!m.inputs.empty()) {
    absl::StrAppend(&out,
                    "# HELP serialmatch_last_run_input_not_checked Entries of each input that "
                    "could not be checked, by reason.\n"
                    "# TYPE serialmatch_last_run_input_not_checked gauge\n");
    for (const report::InputSummary& input : m.inputs) {
      for (const auto& [reason, count] : input.not_checked) {
        absl::StrAppend(&out, "serialmatch_last_run_input_not_checked{kind=\"", input.kind,
                        "\",input=\"", LabelValue(input.path), "\",reason=\"", reason, "\"} ",
                        count, "\n");
      }
    }
  }
  absl::StrAppend(&out,
                  "# HELP serialmatch_last_run_crls CRLs read, by the state of their signature "
                  "(valid, invalid, unchecked: no issuer certificate at hand).\n"
                  "# TYPE serialmatch_last_run_crls gauge\n",
                  "serialmatch_last_run_crls{signature=\"valid\"} ", m.crls_valid, "\n",
                  "serialmatch_last_run_crls{signature=\"invalid\"} ", m.crls_invalid, "\n",
                  "serialmatch_last_run_crls{signature=\"unchecked\"} ", m.crls_unchecked, "\n");
  Gauge(&out, "stale_crls",
        "CRLs read past their nextUpdate: the CA has not published a newer one, or it could not "
        "be fetched.",
        absl::StrCat(m.crls_stale));
  Gauge(&out, "dumps", "Dumps read to the end.", absl::StrCat(m.dumps));
  Gauge(&out, "bytes", "Dump bytes read (after decompression).", absl::StrCat(m.bytes));
  Gauge(&out, "duration_seconds", "Wall-clock time of the run.",
        absl::StrFormat("%.3f", absl::ToDoubleSeconds(m.duration)));
  Gauge(&out, "exit_status",
        "0: nothing needs action, 1: affected, listed, revoked or mismatch findings (with "
        "--only-new: new ones), 2: trouble (see the job's log).",
        absl::StrCat(m.exit_status));
  Gauge(&out, "timestamp_seconds", "When the run ended (Unix time).",
        absl::StrFormat("%.3f", absl::ToDoubleSeconds(m.finished - absl::UnixEpoch())));
  return out;
}

}  // namespace serialmatch::cli
