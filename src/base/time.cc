#include "src/base/time.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch {
namespace {

// The fields of a time as written, before they are checked.
struct TimeFields {
  int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;
  int offset_seconds = 0;                // east of UTC
  std::optional<absl::Weekday> weekday;  // when the text names one
  std::optional<int64_t> unix_seconds;   // a Unix time instead of the civil fields
};

constexpr absl::string_view kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr absl::Weekday kWeekdays[] = {absl::Weekday::monday,    absl::Weekday::tuesday,
                                       absl::Weekday::wednesday, absl::Weekday::thursday,
                                       absl::Weekday::friday,    absl::Weekday::saturday,
                                       absl::Weekday::sunday};

// Reads a time left to right; every method consumes input only when it succeeds.
class TimeReader {
 public:
  explicit TimeReader(absl::string_view text) : text_(text) {}

  bool done() const { return at_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  size_t at() const { return at_; }

  bool Eat(char c) {
    if (peek() != c || done()) return false;
    ++at_;
    return true;
  }
  bool EatWord(absl::string_view word) {  // case-insensitive
    if (!absl::StartsWithIgnoreCase(text_.substr(at_), word)) return false;
    at_ += word.size();
    return true;
  }
  // One or more spaces (OpenSSL pads the day of the month with one).
  bool Spaces() {
    const size_t start = at_;
    while (peek() == ' ' && !done()) ++at_;
    return at_ > start;
  }
  // A number of `min` to `max` digits, not followed by another digit unless `more_digits` allows
  // it (for "+0200").
  bool Number(int min, int max, int64_t* value, bool more_digits = false) {
    size_t n = 0;
    int64_t v = 0;
    while (n < static_cast<size_t>(max) && at_ + n < text_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[at_ + n]))) {
      v = v * 10 + (text_[at_ + n] - '0');
      ++n;
    }
    if (n < static_cast<size_t>(min)) return false;
    // A longer run of digits is not this field.
    if (!more_digits && at_ + n < text_.size() &&
        absl::ascii_isdigit(static_cast<unsigned char>(text_[at_ + n]))) {
      return false;
    }
    at_ += n;
    *value = v;
    return true;
  }
  bool Number(int min, int max, int* value, bool more_digits = false) {
    int64_t v = 0;
    if (!Number(min, max, &v, more_digits)) return false;
    *value = static_cast<int>(v);
    return true;
  }
  // ".fraction" of a second, any number of digits (nanoseconds kept).
  bool Fraction(int64_t* nanos) {
    if (peek() != '.' || at_ + 1 >= text_.size() ||
        !absl::ascii_isdigit(static_cast<unsigned char>(text_[at_ + 1]))) {
      return false;
    }
    ++at_;
    int64_t scale = 100000000;
    *nanos = 0;
    while (absl::ascii_isdigit(static_cast<unsigned char>(peek())) && !done()) {
      *nanos += (text_[at_] - '0') * scale;
      scale /= 10;
      ++at_;
    }
    return true;
  }
  // Three letters naming a month, in English.
  bool MonthName(int* month) {
    static constexpr absl::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; ++i) {
      if (EatWord(kMonths[i])) {
        *month = i + 1;
        return true;
      }
    }
    return false;
  }

 private:
  absl::string_view text_;
  size_t at_ = 0;
};

// "hh:mm[:ss[.fraction]]", the hour of `hour_digits_min` to 2 digits.
bool ReadClock(TimeReader& r, int hour_digits_min, TimeFields* f) {
  if (!r.Number(hour_digits_min, 2, &f->hour) || !r.Eat(':') || !r.Number(2, 2, &f->minute)) {
    return false;
  }
  if (r.Eat(':')) {
    if (!r.Number(2, 2, &f->second)) return false;
    r.Fraction(&f->nanos);
  }
  return true;
}

// The rest of the text after the time of day: nothing (UTC), "Z", "UTC" or "GMT", or a numeric
// offset ("+02:00", "+0200", "+02") optionally followed by a zone abbreviation ("+0000 UTC"),
// which the offset makes redundant. A bare abbreviation other than UTC and GMT is refused: "PST"
// would otherwise be read as UTC.
bool ReadZone(TimeReader& r, TimeFields* f) {
  if (r.done()) return true;
  r.Eat(' ');
  if (r.Eat('Z') || r.Eat('z')) return r.done();
  if (r.peek() == '+' || r.peek() == '-') {
    const int sign = r.peek() == '-' ? -1 : 1;
    r.Eat(r.peek());
    int hours = 0, minutes = 0;
    if (!r.Number(2, 2, &hours, /*more_digits=*/true)) return false;
    if (r.Eat(':')) {
      if (!r.Number(2, 2, &minutes)) return false;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(r.peek()))) {
      if (!r.Number(2, 2, &minutes)) return false;
    }
    if (hours > 23 || minutes > 59) return false;
    f->offset_seconds = sign * (hours * 3600 + minutes * 60);
    if (r.done()) return true;
    if (!r.Eat(' ')) return false;
    bool letters = false;
    while (absl::ascii_isalpha(static_cast<unsigned char>(r.peek())) && !r.done()) {
      r.Eat(r.peek());
      letters = true;
    }
    return letters && r.done();
  }
  return (r.EatWord("UTC") || r.EatWord("GMT")) && r.done();
}

// An optional time of day after a date: " hh:mm[:ss]" (or 'T'/'t' for ISO dates), with AM/PM when
// `twelve_hour` allows it, then the zone. Without a time of day the date means its midnight UTC.
bool ReadTimeOfDay(TimeReader& r, bool iso, bool twelve_hour, TimeFields* f) {
  if (r.done()) return true;
  if (!r.Eat(' ') && !(iso && (r.Eat('T') || r.Eat('t')))) return false;
  if (!ReadClock(r, iso ? 2 : 1, f)) return false;
  if (twelve_hour) {
    TimeReader probe = r;
    probe.Eat(' ');
    const bool am = probe.EatWord("AM");
    const bool pm = !am && probe.EatWord("PM");
    if (am || pm) {
      if (f->hour < 1 || f->hour > 12) return false;
      f->hour = f->hour % 12 + (pm ? 12 : 0);
      r = probe;
    }
  }
  return ReadZone(r, f);
}

// The spellings of ParseDumpTime (see time.h), into `f`; false when `text` is none of them.
bool ReadTime(absl::string_view text, TimeFields* f) {
  // `openssl x509 -dates` writes "notBefore=Dec  3 21:08:34 2019 GMT".
  for (absl::string_view prefix : {"notBefore=", "notAfter="}) {
    if (absl::StartsWithIgnoreCase(text, prefix)) text.remove_prefix(prefix.size());
  }
  TimeReader r(text);
  int64_t first = 0;
  if (absl::ascii_isalpha(static_cast<unsigned char>(r.peek()))) {
    // OpenSSL: "Dec  3 21:08:34 2019 GMT".
    if (r.MonthName(&f->month)) {
      return r.Spaces() && r.Number(1, 2, &f->day) && r.Spaces() && ReadClock(r, 2, f) &&
             r.Eat(' ') && r.Number(4, 4, &f->year) && ReadZone(r, f);
    }
    // RFC 1123 (HTTP, e-mail): "Tue, 03 Dec 2019 21:08:34 GMT"; the weekday is checked later.
    for (int i = 0; i < 7 && !f->weekday.has_value(); ++i) {
      if (r.EatWord(kDayNames[i])) f->weekday = kWeekdays[i];
    }
    return f->weekday.has_value() && r.Eat(',') && r.Eat(' ') && r.Number(1, 2, &f->day) &&
           r.Eat(' ') && r.MonthName(&f->month) && r.Eat(' ') && r.Number(4, 4, &f->year) &&
           r.Eat(' ') && ReadClock(r, 2, f) && ReadZone(r, f);
  }
  const size_t start = r.at();
  if (!r.Number(1, 14, &first)) return false;
  const size_t digits = r.at() - start;
  if (digits == 4 && r.Eat('-')) {
    // ISO 8601 / RFC 3339: "2019-12-03", "2019-12-03T21:08:34.826Z", "2019-12-03 21:08:34 UTC".
    f->year = first;
    return r.Number(2, 2, &f->month) && r.Eat('-') && r.Number(2, 2, &f->day) &&
           ReadTimeOfDay(r, /*iso=*/true, /*twelve_hour=*/false, f);
  }
  if (r.Eat('/')) {
    if (digits == 4) {
      // "2019/12/03 21:08:34".
      f->year = first;
      return r.Number(1, 2, &f->month) && r.Eat('/') && r.Number(1, 2, &f->day) &&
             ReadTimeOfDay(r, /*iso=*/false, /*twelve_hour=*/false, f);
    }
    // US order, as Excel writes it: "12/3/2019 21:08", "12/3/2019 9:08:34 PM".
    if (digits > 2) return false;
    f->month = static_cast<int>(first);
    return r.Number(1, 2, &f->day) && r.Eat('/') && r.Number(4, 4, &f->year) &&
           ReadTimeOfDay(r, /*iso=*/false, /*twelve_hour=*/true, f);
  }
  if (digits <= 2 && r.Eat('.')) {
    // Day first, with dots: "03.12.2019", "3.12.2019 21:08:34".
    f->day = static_cast<int>(first);
    return r.Number(1, 2, &f->month) && r.Eat('.') && r.Number(4, 4, &f->year) &&
           ReadTimeOfDay(r, /*iso=*/false, /*twelve_hour=*/false, f);
  }
  if ((digits == 12 || digits == 14) && (r.peek() == 'Z' || r.peek() == '.')) {
    // ASN.1 UTCTime "191203210834Z" (years 1950-2049, RFC 5280) and GeneralizedTime
    // "20191203210834Z", as `openssl ca` keeps them in index.txt.
    const int64_t div = 10000000000;  // mmddhhmmss
    const int64_t year = first / div;
    f->year = digits == 14 ? year : (year < 50 ? 2000 + year : 1900 + year);
    f->month = static_cast<int>(first / 100000000 % 100);
    f->day = static_cast<int>(first / 1000000 % 100);
    f->hour = static_cast<int>(first / 10000 % 100);
    f->minute = static_cast<int>(first / 100 % 100);
    f->second = static_cast<int>(first % 100);
    if (digits == 14) r.Fraction(&f->nanos);
    return r.Eat('Z') && r.done();
  }
  if (digits == 9 || digits == 10) {
    // Unix time in seconds (1973 to 2286): "1575407314", "1575407314.826".
    f->unix_seconds = first;
    r.Fraction(&f->nanos);
    return r.done();
  }
  return false;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

absl::StatusOr<absl::Time> ParseDumpTime(absl::string_view text) {
  const absl::string_view s = absl::StripAsciiWhitespace(text);
  TimeFields f;
  // A NUL or another control byte ends no time: nothing after one is ignored.
  bool control = false;
  for (char c : s) control |= static_cast<unsigned char>(c) < 0x20;
  if (control || !ReadTime(s, &f)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid time, expected a date and time such as 2019-12-03T21:08:34Z, 2019-12-03, "
        "12/3/2019 9:08 PM, 03.12.2019 or Dec  3 21:08:34 2019 GMT, got '",
        QuoteForMessage(text), "'"));
  }
  absl::Time t;
  if (f.unix_seconds.has_value()) {
    t = absl::FromUnixSeconds(*f.unix_seconds) + absl::Nanoseconds(f.nanos);
  } else {
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > DaysInMonth(f.year, f.month) ||
        f.hour > 23 || f.minute > 59 || f.second > 60 || f.year < 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid time, no such date or time of day (or a year before 1000): '",
                       QuoteForMessage(text), "'"));
    }
    // A leap second (23:59:60) is the instant after 23:59:59.
    t = absl::FromCivil(
            absl::CivilSecond(f.year, f.month, f.day, f.hour, f.minute, std::min(f.second, 59)),
            absl::UTCTimeZone()) +
        absl::Seconds(f.second == 60 ? 1 : 0) + absl::Nanoseconds(f.nanos) -
        absl::Seconds(f.offset_seconds);
    if (f.weekday.has_value() &&
        absl::GetWeekday(absl::CivilDay(f.year, f.month, f.day)) != *f.weekday) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid time, the weekday does not match the date: '", QuoteForMessage(text), "'"));
    }
  }
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
