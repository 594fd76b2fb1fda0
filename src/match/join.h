// JoinDump: one pass over a dump — scan lines, parse records, probe the inventory indexes —
// producing the findings, the dump's counts and its diagnostics.
//
// A regular file is split into one part per thread (see DumpSource::Split); each worker reads,
// parses and matches its part block by block with its own scratch space, and the results are merged
// in part order with line numbers made global, so the outcome does not depend on the number of
// threads. A dump that cannot be split (a pipe, a compressed file) is read, and decompressed, by
// one thread while the workers parse its blocks, each block a part of its own, merged the same
// way. Memory is a few blocks per worker, whatever the size of the dump.
#ifndef SERIALMATCH_SRC_MATCH_JOIN_H_
#define SERIALMATCH_SRC_MATCH_JOIN_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/base/diagnostics.h"
#include "src/dump/dump_source.h"
#include "src/dump/parser.h"
#include "src/match/finding.h"
#include "src/match/matcher.h"

namespace serialmatch::match {

// What a join read and what it could not use. Every line is a record, malformed, uncheckable, or
// skippable (blank, a comment, a header); within records, the values the join needed and could not
// read are counted below, each also reported in JoinResult::diagnostics.
struct DumpCounts {
  uint64_t lines = 0;      // lines in the dump, blank ones included
  uint64_t records = 0;    // certificate records parsed
  uint64_t malformed = 0;  // lines that were neither records nor skippable
  // Lines naming a certificate that cannot be matched (LineKind::kUncheckable: a crt.sh id without
  // a fingerprint); counted only, not reported line by line.
  uint64_t uncheckable = 0;
  uint64_t issued_before = 0;  // records ignored as issued before MatchOptions::issued_after
  // Issue or expiry times the join needed and could not read (`path:line: unreadable issue time
  // 'X'`), one per field of a record; such a record is still matched, as one without that time.
  // Times are read only where they matter: for a finding, a certificate's status, and for every
  // record with --issued-after. Not a malformed line.
  uint64_t bad_times = 0;
  // Record names that are not valid DNS names (`path:line: invalid name 'X': reason`), once per
  // name of a record; they cannot match, the record's other names and serial still do. Names are
  // looked at only by a domain or certificate join: a serial-only join counts none.
  uint64_t invalid_names = 0;
  uint64_t bytes = 0;
};

struct JoinResult {
  std::vector<Finding>
      findings;  // FindingLess order, repeats removed (DedupeFindings); dump_path set
  DumpCounts counts;
  // `path:line: reason` for malformed lines and for the values counted in DumpCounts (bad_times,
  // invalid_names), in line order.
  Diagnostics diagnostics;
  // The whole (decompressed) dump, without padding, when the parser keeps_document() (a CRL,
  // whose header and signature the caller reads afterwards with dump::ReadCrls); empty otherwise.
  std::string document;
};

// Reads all of `source` with `parser`, matching every record with `matcher`, on up to `threads`
// threads. Fails only when the dump cannot be read; bad lines are counted in the result. When
// `bytes_read` is given (not owned), the workers add each block's size to it as they go (for a
// progress display; relaxed order).
[[nodiscard]] absl::StatusOr<JoinResult> JoinDump(dump::DumpSource& source,
                                                  const dump::DumpParser& parser,
                                                  const Matcher& matcher, int threads,
                                                  std::atomic<uint64_t>* bytes_read = nullptr);

}  // namespace serialmatch::match

#endif  // SERIALMATCH_SRC_MATCH_JOIN_H_
