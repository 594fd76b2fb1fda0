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

}  // namespace

std::string RenderMetrics(const RunMetrics& m) {
  std::string out;
  absl::StrAppend(&out,
                  "# HELP serialmatch_last_run_findings Findings of the last run, by status "
                  "(affected, listed, replaced, warning, error; see the README).\n"
                  "# TYPE serialmatch_last_run_findings gauge\n");
  for (int i = 0; i < match::kFindingStatusCount; ++i) {
    absl::StrAppend(&out, "serialmatch_last_run_findings{status=\"",
                    match::StatusName(static_cast<match::FindingStatus>(i)), "\"} ", m.findings[i],
                    "\n");
  }
  Gauge(&out, "records", "Certificate records read from the dumps.", absl::StrCat(m.records));
  Gauge(&out, "malformed_lines", "Dump lines that were not valid records.",
        absl::StrCat(m.malformed));
  Gauge(&out, "dumps", "Dumps read to the end.", absl::StrCat(m.dumps));
  Gauge(&out, "bytes", "Dump bytes read (after decompression).", absl::StrCat(m.bytes));
  Gauge(&out, "duration_seconds", "Wall-clock time of the run.",
        absl::StrFormat("%.3f", absl::ToDoubleSeconds(m.duration)));
  Gauge(&out, "exit_status",
        "0: nothing needs action, 1: affected or listed findings, 2: trouble (see the job's log).",
        absl::StrCat(m.exit_status));
  Gauge(&out, "timestamp_seconds", "When the run ended (Unix time).",
        absl::StrFormat("%.3f", absl::ToDoubleSeconds(m.finished - absl::UnixEpoch())));
  return out;
}

}  // namespace serialmatch::cli
