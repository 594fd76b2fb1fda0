// The state file of a scheduled job (--state FILE): the findings of the last successful run, so
// that each finding of this run can be told new or not and --only-new can report only what
// changed (a certificate newly revoked, a name newly listed), as an hourly job notifies on.
//
//   SM_ASSIGN_OR_RETURN(std::optional<State> previous, ReadStateFile(path));  // nullopt: none yet
//   const Comparison compared = CompareWithState(findings, previous ? &*previous : nullptr, now);
//   ... report, with compared.is_new ...
//   SM_RETURN_IF_ERROR(WriteFileAtomically(path, RenderState(compared.next)));
//
// What makes two findings of two runs the same finding (FindingKey): the inventory entry (its kind,
// its inventory file, its input as written, and for certificate and endpoint findings the SHA-256
// of the certificate held: a renewed certificate is another entry), the status, and the dump
// record (the name that matched, its serial, its issuer and its certificate SHA-256, as far as the
// dump gives them). Not part of it: line numbers (of the dump and of the inventory), the dump's
// path (a list downloaded under a new name each hour), times and reasons. So a finding whose
// status changes (listed -> revoked) is new, one whose dump line moves is not.
//
// Format, version 1 (JSON; strings that a finding lacks are null):
//   {"serialmatch_state":1,"run_at":"2026-12-02T17:00:00Z","findings":[
//    {"kind":"domain","inventory":"mine.csv","input":"www.example.com","certificate_sha256":null,
//     "status":"listed","name":"*.example.com","serial":"03e2...","issuer":null,
//     "record_sha256":null,"first_seen":"2026-12-01T09:00:00Z"}]}
// "run_at" is when the run that wrote it ended; "first_seen" when the finding was first found
// (carried over from run to run while it is found). Readers ignore other members (later versions
// of format 1 may add some); a file of another version is refused.
#ifndef SERIALMATCH_SRC_CLI_STATE_H_
#define SERIALMATCH_SRC_CLI_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/match/finding.h"

namespace serialmatch::cli {

inline constexpr int kStateVersion = 1;

// One finding as the state file keeps it: the fields of its key, and when it was first found.
struct StateEntry {
  std::string kind;                // match::KindName
  std::string inventory;           // the inventory file (or store), without a line
  std::string input;               // the inventory value as written
  std::string certificate_sha256;  // the certificate held (certificate and endpoint findings)
  std::string status;              // match::StatusName
  std::string name;                // the dump name that matched
  std::string serial;              // the dump record's canonical serial
  std::string issuer;              // the dump record's issuer
  std::string record_sha256;       // the dump record's certificate fingerprint
  absl::Time first_seen;
};

struct State {
  absl::Time run_at;
  std::vector<StateEntry> entries;  // as read; CompareWithState's: one per key, sorted by key
};

// The identity of `entry` across runs: its key fields, unambiguously joined.
std::string EntryKey(const StateEntry& entry);

// The state entry of `finding` (first_seen left at the epoch).
StateEntry EntryOf(const match::Finding& finding);

// Parses a state file's text. Fails with `path: reason` (`path` is only used in messages) for
// anything that is not a complete state of version kStateVersion: not JSON, cut short, another
// version, a member missing or of the wrong type, an unknown kind or status, an unreadable time.
[[nodiscard]] absl::StatusOr<State> ParseState(absl::string_view text, absl::string_view path);

// Reads the state file at `path`: nullopt when there is none yet (the first run: every finding is
// new), else ParseState of its content. Fails, `path: reason`, when it cannot be read (a
// directory, a device, no permission) or is corrupt, and when it is missing from a directory that
// does not exist (the run could not write it either).
[[nodiscard]] absl::StatusOr<std::optional<State>> ReadStateFile(const std::string& path);

// The state file's text for `state`.
std::string RenderState(const State& state);

// This run's findings against the previous state.
struct Comparison {
  std::vector<bool> is_new;  // one per finding, in the order given
  uint64_t new_findings = 0;
  uint64_t unchanged = 0;  // findings the previous state holds
  uint64_t resolved = 0;   // entries of the previous state that no finding of this run has
  State next;              // what to write for this run: run_at `now`, first_seen carried over
};

// Compares `findings` with `previous` (null: no state yet, every finding new). Findings that share
// a key (the same record found through two dumps) are one entry of the next state.
Comparison CompareWithState(const std::vector<match::Finding>& findings, const State* previous,
                            absl::Time now);

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_STATE_H_
