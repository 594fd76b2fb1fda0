// The run's outcome as a Prometheus text-format file, for node exporter's textfile collector: a
// scheduled job (cron, a systemd timer) writes it with --metrics-file into the collector's
// directory, and alerts fire on findings or on a failed or stale run.
//
//   RunMetrics m;
//   m.records = 3048289; m.affected = 2; m.exit_status = 1; ...
//   SM_RETURN_IF_ERROR(WriteFileAtomically("/var/lib/node_exporter/serialmatch.prom",
//                                          RenderMetrics(m)));
#ifndef SERIALMATCH_SRC_CLI_METRICS_H_
#define SERIALMATCH_SRC_CLI_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "src/match/finding.h"
#include "src/report/report.h"

namespace serialmatch::cli {

struct RunMetrics {
  uint64_t dumps = 0;                                  // dumps read to the end
  uint64_t records = 0;                                // certificate records read
  uint64_t malformed = 0;                              // malformed dump lines
  uint64_t bytes = 0;                                  // dump bytes read (decompressed)
  uint64_t findings[match::kFindingStatusCount] = {};  // by match::FindingStatus
  std::vector<report::InputSummary> inputs;            // what each input gave and left unchecked
  uint64_t crls_valid = 0;                             // CRLs read whose signature was verified
  uint64_t crls_invalid = 0;                           // ... whose signature is not their issuer's
  uint64_t crls_unchecked = 0;  // ... that could not be verified (no issuer certificate at hand)
  uint64_t crls_stale = 0;      // CRLs read past their nextUpdate
  // --state: the findings the last run did not have, by status, and the last run's findings not
  // found any more.
  bool state = false;
  uint64_t new_findings[match::kFindingStatusCount] = {};
  uint64_t resolved_findings = 0;
  absl::Duration duration;
  absl::Time finished;
  int exit_status = 0;
};

// The metrics, each with HELP and TYPE lines, all gauges named serialmatch_last_run_*; the
// findings as one metric with a status label; the entries not checked as the total
// `_not_checked` and, per input and reason, `_input_not_checked{kind,input,reason}`; the CRLs read
// as `_crls{signature}` and `_stale_crls`; with --state (`state`), `_new_findings{status}` and
// `_resolved_findings`. `_findings` counts every finding, also with --only-new.
std::string RenderMetrics(const RunMetrics& metrics);

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_METRICS_H_
