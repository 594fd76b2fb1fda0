#include "src/dump/le2020_parser.h"

#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/base/time.h"

namespace serialmatch::dump {
namespace {

constexpr absl::string_view kSerialPrefix = "serial ";
constexpr absl::string_view kNamesOpen = " names: [";
constexpr absl::string_view kAt = " at ";

// The position of the last " at " in `text`, or npos. The time after it has no 'a', so the first
// 'a' from the end is usually the one: one memrchr instead of string_view::rfind's byte loop.
size_t FindLastAt(absl::string_view text) {
  const char* const begin = text.data();
  size_t size = text.size();
  while (const void* found = ::memrchr(begin, 'a', size)) {
    const char* a = static_cast<const char*>(found);
    const size_t pos = static_cast<size_t>(a - begin);
    if (pos >= 1 && pos + 2 < text.size() && a[-1] == ' ' && a[1] == 't' && a[2] == ' ') {
      return pos - 1;
    }
    size = pos;
  }
  return absl::string_view::npos;
}

// Whether c is a space for absl::StripAsciiWhitespace.
bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

#if defined(__SSE2__)
// The length of the word at `p` (up to the first ' ' before `end`) when it is a canonical serial
// (see src/base/serial.h: lowercase hex, an even number of digits, no leading "00") and a ' '
// follows it within the next 64 bytes; 0 otherwise, for the general path. Sixteen bytes at a time:
// the search for the space and the hex check in one pass.
size_t CanonicalSerialWord(const char* p, const char* end) {
  const __m128i d1 = _mm_set1_epi8('0' - 1), d2 = _mm_set1_epi8('9' + 1);
  const __m128i a1 = _mm_set1_epi8('a' - 1), f1 = _mm_set1_epi8('f' + 1);
  const __m128i space = _mm_set1_epi8(' ');
  for (size_t at = 0; at < 64 && end - p >= static_cast<ptrdiff_t>(at + 16); at += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    const __m128i hex = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, d1), _mm_cmplt_epi8(v, d2)),
                                     _mm_and_si128(_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, f1)));
    const unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    const unsigned not_hex = ~static_cast<unsigned>(_mm_movemask_epi8(hex)) & 0xFFFF;
    if (spaces == 0) {
      if (not_hex != 0) return 0;
      continue;
    }
    const unsigned first_space = static_cast<unsigned>(__builtin_ctz(spaces));
    if ((not_hex & ((1u << first_space) - 1)) != 0) return 0;
    const size_t n = at + first_space;
    if (n < 2 || n % 2 != 0 || (n > 2 && p[0] == '0' && p[1] == '0')) return 0;
    return n;
  }
  return 0;
}
#else
size_t CanonicalSerialWord(const char*, const char*) { return 0; }
#endif

// The serial that starts `line` ("serial <hex> ..."), canonical, into record->serial; sets
// `*end_of_serial` to the space after it. kRecord when it was read; otherwise what Parse answers
// for the line.
LineKind ReadSerial(absl::string_view line, DumpRecord* record, std::string* reason,
                    const char** end_of_serial) {
  if (!absl::StartsWith(line, kSerialPrefix)) {
    // Off the hot path: only lines that are not records get here.
    if (IsCommentLine(line) || absl::StripAsciiWhitespace(line).empty()) return LineKind::kSkip;
    return MalformedLine(reason, "expected a line starting with 'serial '", line);
  }
  // Short spans are scanned with plain loops: cheaper than a memchr call each.
  const char* const end = line.data() + line.size();
  const char* const serial_begin = line.data() + kSerialPrefix.size();
  if (const size_t n = CanonicalSerialWord(serial_begin, end); n != 0) {
    // The usual serial, already canonical (checked by the same rules as CanonicalizeSerial's).
    record->serial = absl::string_view(serial_begin, n);
    *end_of_serial = serial_begin + n;
    return LineKind::kRecord;
  }
  const char* p = serial_begin;
  while (p < end && *p != ' ') ++p;
  if (p == end) return MalformedLine(reason, "expected ' names: [' after the serial", line);
  absl::StatusOr<absl::string_view> serial =
      CanonicalizeSerial(absl::string_view(serial_begin, static_cast<size_t>(p - serial_begin)),
                         &record->serial_scratch);
  if (!serial.ok()) {
    *reason = std::string(serial.status().message());
    return LineKind::kMalformed;
  }
  record->serial = *serial;
  *end_of_serial = p;
  return LineKind::kRecord;
}

}  // namespace

bool Le2020Parser::Looks(absl::string_view line) {
  return absl::StartsWith(line, kSerialPrefix) && absl::StrContains(line, kNamesOpen);
}

LineKind Le2020Parser::ParseSerial(absl::string_view line, DumpRecord* record,
                                   std::string* reason) const {
  const char* end_of_serial;
  return ReadSerial(line, record, reason, &end_of_serial);
}

LineKind Le2020Parser::Parse(absl::string_view line, DumpRecord* record,
                             std::string* reason) const {
  record->Clear();
  const char* p;
  if (const LineKind kind = ReadSerial(line, record, reason, &p); kind != LineKind::kRecord) {
    return kind;
  }
  const char* const end = line.data() + line.size();

  // The names list opens at the first '[' (the account id and the names hash have none).
  const absl::string_view after_serial(p, static_cast<size_t>(end - p));
  const void* bracket = std::memchr(p, '[', static_cast<size_t>(end - p));
  const size_t open = bracket == nullptr
                          ? absl::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(bracket) - p);
  if (open == absl::string_view::npos || open + 1 < kNamesOpen.size() ||
      after_serial.substr(open + 1 - kNamesOpen.size(), kNamesOpen.size()) != kNamesOpen) {
    return MalformedLine(reason, "expected ' names: [' after the serial", line);
  }
  // Between the serial and the names: account id, then the names hash. The account is the first
  // word of that span, stripped of whitespace (a plain loop: the span is short and starts with it).
  {
    const char* a = p;
    const char* const a_end = p + (open + 1 - kNamesOpen.size());
    while (a < a_end && IsSpace(*a)) ++a;
    const char* word_end = a;
    while (word_end < a_end && *word_end != ' ') ++word_end;
    while (word_end > a && IsSpace(word_end[-1])) --word_end;
    record->account = absl::string_view(a, static_cast<size_t>(word_end - a));
  }

  p += open + 1;
  const void* close = std::memchr(p, ']', static_cast<size_t>(end - p));
  if (close == nullptr) {
    return MalformedLine(reason, "unterminated names list (no ']')",
                         line.substr(line.size() > 60 ? line.size() - 60 : 0));
  }
  record->SetNameList(
      absl::string_view(p, static_cast<size_t>(static_cast<const char*>(close) - p)));
  p = static_cast<const char*>(close);

  // The issue time follows the last " at ", near the end of the line.
  const absl::string_view rest(p + 1, static_cast<size_t>(end - p - 1));
  const size_t at = FindLastAt(rest);
  if (at == absl::string_view::npos ||
      !StartsWithShape(rest.substr(at + kAt.size()), "0000-00-00 00:00:00")) {
    return MalformedLine(reason, "expected ' at <issue time>' at the end of the line", rest);
  }
  record->issued_at = rest.substr(at + kAt.size());
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
