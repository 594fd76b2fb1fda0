// Timestamps as CAs write them in incident lists, parsed into absl::Time and written back as
// RFC 3339 UTC.
//
//   ParseDumpTime("2019-12-03 21:08:34.826011675 +0000 UTC")  // Go's time.String(), LE 2020
//   ParseDumpTime("2022-02-25T18:25:29Z")                     // RFC 3339, LE 2022
//   ParseDumpTime("2020-03-06T23:14:48")                      // crt.sh; no zone means UTC
//   FormatRfc3339(t)                                          // "2019-12-03T21:08:34.826011675Z"
#ifndef SERIALMATCH_SRC_BASE_TIME_H_
#define SERIALMATCH_SRC_BASE_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace serialmatch {

// Parses a date and time with optional fractional seconds, 'T' or ' ' between date and time, and an
// optional zone: "Z", "+hh:mm", "+hhmm", optionally followed by a zone abbreviation ("+0000 UTC").
[[nodiscard]] absl::StatusOr<absl::Time> ParseDumpTime(absl::string_view text);

// "YYYY-MM-DDThh:mm:ss[.fraction]Z", fraction without trailing zeros.
std::string FormatRfc3339(absl::Time t);

// True when `text` starts with `shape`, where each '0' of the shape stands for any digit and every
// other character for itself: the cheap check parsers make on every line ("0000-00-00 00:00:00"),
// leaving the full parse to the few records that become findings.
bool StartsWithShape(absl::string_view text, absl::string_view shape);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_TIME_H_
