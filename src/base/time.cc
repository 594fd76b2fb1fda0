#include "src/base/time.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch {

absl::StatusOr<absl::Time> ParseDumpTime(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  // Drop a trailing zone abbreviation after a numeric offset ("+0000 UTC"), and a bare "UTC".
  const size_t space = s.rfind(' ');
  if (space != std::string::npos && space + 1 < s.size()) {
    const absl::string_view tail(s.data() + space + 1, s.size() - space - 1);
    bool alpha = true;
    for (char c : tail) alpha &= absl::ascii_isalpha(static_cast<unsigned char>(c));
    if (alpha) s.resize(space);
  }
  // The shape is checked here: absl::ParseTime also takes one-digit fields, "infinite-future" and
  // years this tool could not write back as four digits.
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  // absl::ParseTime reads its input as a C string: a NUL would hide whatever follows it.
  if (!StartsWithShape(s, "0000-00-00T00:00:00") || s[0] == '0' ||
      s.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid time, expected YYYY-MM-DD hh:mm:ss (year 1000 or later), got '",
                     QuoteForMessage(text), "'"));
  }
  static constexpr const char* kFormats[] = {
      "%Y-%m-%dT%H:%M:%E*S%Ez",
      "%Y-%m-%dT%H:%M:%E*S %z",
      "%Y-%m-%dT%H:%M:%E*S%z",
      "%Y-%m-%dT%H:%M:%E*S",
  };
  for (const char* format : kFormats) {
    absl::Time t;
    std::string err;
    if (!absl::ParseTime(format, s, absl::UTCTimeZone(), &t, &err)) continue;
    // A zone offset or a leap second can carry the instant out of the four-digit years
    // ("9999-12-31T23:59:60", "1000-01-01T00:00:00+01:00"), which FormatRfc3339 could not write.
    const int64_t year = absl::ToCivilYear(t, absl::UTCTimeZone()).year();
    if (year < 1000 || year > 9999) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid time, in UTC it falls outside the years 1000-9999: '",
                       QuoteForMessage(text), "'"));
    }
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid time, got '", QuoteForMessage(text), "'"));
}

bool StartsWithShape(absl::string_view text, absl::string_view shape) {
  const size_t n = shape.size();
  if (text.size() < n) return false;
#if defined(__SSE2__)
  if (n >= 16) {
    // Sixteen bytes at a time (the last block overlaps the one before): where the shape has a
    // '0' the text needs a digit, elsewhere the shape's byte.
    const __m128i zero = _mm_set1_epi8('0');
    const __m128i below = _mm_set1_epi8('0' - 1), above = _mm_set1_epi8('9' + 1);
    for (size_t at = 0;; at += 16) {
      if (at + 16 > n) at = n - 16;
      const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
      const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(shape.data() + at));
      const __m128i digit_wanted = _mm_cmpeq_epi8(s, zero);
      const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(t, below), _mm_cmplt_epi8(t, above));
      const __m128i ok = _mm_or_si128(_mm_and_si128(digit_wanted, digit),
                                      _mm_andnot_si128(digit_wanted, _mm_cmpeq_epi8(t, s)));
      if (_mm_movemask_epi8(ok) != 0xFFFF) return false;
      if (at + 16 == n) return true;
    }
  }
#endif
  for (size_t i = 0; i < n; ++i) {
    if (shape[i] == '0' ? !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))
                        : text[i] != shape[i]) {
      return false;
    }
  }
  return true;
}

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

}  // namespace serialmatch
