// Timestamps as CAs write them in incident lists, parsed into absl::Time and written back as
// RFC 3339 UTC.
//
//   ParseDumpTime("2019-12-03 21:08:34.826011675 +0000 UTC")  // Go's time.String(), LE 2020
//   ParseDumpTime("2022-02-25T18:25:29Z")                     // RFC 3339, LE 2022
//   ParseDumpTime("2020-03-06T23:14:48")                      // crt.sh; no zone means UTC
//   ParseDumpTime("12/3/2019 9:08:34 PM")                     // Excel, US order
//   ParseDumpTime("Dec  3 21:08:34 2019 GMT")                 // OpenSSL
//   FormatRfc3339(t)                                          // "2019-12-03T21:08:34.826011675Z"
#ifndef SERIALMATCH_SRC_BASE_TIME_H_
#define SERIALMATCH_SRC_BASE_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace serialmatch {

// Parses a time in one of the spellings CA lists and spreadsheets use, in UTC unless it says
// otherwise:
//   - ISO 8601 / RFC 3339: "2019-12-03T21:08:34.826Z", with 't' or 'z' in lower case, ' ' for 'T',
//     seconds or fraction left out ("2019-12-03 21:08"), a zone "Z", "+hh:mm", "+hhmm" or "+hh"
//     (optionally after a space, optionally followed by an abbreviation: "+0000 UTC"), or a bare
//     "UTC" or "GMT"; a date alone ("2019-12-03") is its midnight UTC. A bare abbreviation other
//     than UTC and GMT ("PST") is refused, not taken for UTC.
//   - Slashes: "2019/12/03", or month first, in US order as Excel writes it: "12/3/2019",
//     "12/3/2019 21:08", "12/3/2019 9:08:34 PM". "3/12/2019" is March 12. Two-digit years are
//     refused.
//   - Dots, day first: "03.12.2019", "3.12.2019 21:08:34".
//   - OpenSSL: "Dec  3 21:08:34 2019 GMT", also after "notBefore=" or "notAfter=".
//   - RFC 1123: "Tue, 03 Dec 2019 21:08:34 GMT" (the weekday must match the date).
//   - ASN.1 as `openssl ca` keeps it: UTCTime "191203210834Z" (years 1950-2049), GeneralizedTime
//     "20191203210834Z".
//   - Unix time: 9 or 10 digits of seconds ("1575407314", optionally with a fraction), that is
//     1973 to 2286; other runs of digits are refused.
// Fields have their usual number of digits (month, day and hour in the US, dotted and OpenSSL
// forms may have one); the instant must fall in the years 1000-9999 in UTC. Fails with
// kInvalidArgument quoting `text`.
[[nodiscard]] absl::StatusOr<absl::Time> ParseDumpTime(absl::string_view text);

// "YYYY-MM-DDThh:mm:ss[.fraction]Z", fraction without trailing zeros.
std::string FormatRfc3339(absl::Time t);

// True when `text` starts with `shape`, where each '0' of the shape stands for any digit and every
// other character for itself: the cheap check parsers make on every line ("0000-00-00 00:00:00"),
// leaving the full parse to the few records that become findings.
bool StartsWithShape(absl::string_view text, absl::string_view shape);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_TIME_H_
