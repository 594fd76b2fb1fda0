#include "src/base/serial.h"

#include <array>
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// kLowerHex[c]: the hex digit c in lower case, or 0 when c is not a hex digit.
constexpr std::array<char, 256> kLowerHex = [] {
  std::array<char, 256> table{};
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c = 'a'; c <= 'f'; ++c) {
    table[static_cast<unsigned char>(c)] = c;
    table[static_cast<unsigned char>(c - 'a' + 'A')] = c;
  }
  return table;
}();

absl::Status Invalid(absl::string_view why, absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid serial: ", why, ", got '", QuoteForMessage(text), "'"));
}

// Whether `n` digits at `p`, all lowercase hex, are the length and start of a canonical magnitude:
// an even number, at most kMaxSerialHexDigits, no leading "00" byte (but zero itself, "00").
bool CanonicalMagnitudeShape(const char* p, size_t n) {
  return n >= 2 && n % 2 == 0 && n <= kMaxSerialHexDigits && !(n > 2 && p[0] == '0' && p[1] == '0');
}

#if defined(__SSE2__)
// A bit for each of the 16 bytes of `v` that is not a lowercase hex digit.
unsigned NotLowerHexMask(__m128i v) {
  const __m128i d1 = _mm_set1_epi8('0' - 1), d2 = _mm_set1_epi8('9' + 1);
  const __m128i a1 = _mm_set1_epi8('a' - 1), f1 = _mm_set1_epi8('f' + 1);
  const __m128i hex = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, d1), _mm_cmplt_epi8(v, d2)),
                                   _mm_and_si128(_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, f1)));
  return ~static_cast<unsigned>(_mm_movemask_epi8(hex)) & 0xFFFF;
}
#endif

// True when `text` is the canonical form of a magnitude (no sign).
bool IsCanonicalMagnitude(absl::string_view text) {
  const size_t n = text.size();
  const char* p = text.data();
  if (!CanonicalMagnitudeShape(p, n)) return false;
#if defined(__SSE2__)
  if (n >= 16) {
    // Sixteen bytes at a time; the last block overlaps the one before.
    for (size_t at = 0;; at += 16) {
      if (at + 16 > n) at = n - 16;
      if (NotLowerHexMask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at))) != 0) {
        return false;
      }
      if (at + 16 == n) return true;
    }
  }
#endif
  for (size_t i = 0; i < n; ++i) {
    if (!IsLowerHex(p[i])) return false;
  }
  return true;
}

}  // namespace

bool IsCanonicalSerial(absl::string_view text) {
  if (!text.empty() && text[0] == '-') {
    text.remove_prefix(1);
    return text != "00" && IsCanonicalMagnitude(text);  // zero has no sign
  }
  return IsCanonicalMagnitude(text);
}

size_t CanonicalSerialWord(absl::string_view text) {
#if defined(__SSE2__)
  const char* const p = text.data();
  const __m128i space = _mm_set1_epi8(' ');
  for (size_t at = 0; at < 64 && at + 16 <= text.size(); at += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    const unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    const unsigned not_hex = NotLowerHexMask(v);
    if (spaces == 0) {
      if (not_hex != 0) return 0;
      continue;
    }
    const unsigned first_space = static_cast<unsigned>(__builtin_ctz(spaces));
    if ((not_hex & ((1u << first_space) - 1)) != 0) return 0;
    const size_t n = at + first_space;
    return CanonicalMagnitudeShape(p, n) ? n : 0;
  }
  return 0;
#else
  (void)text;
  return 0;
#endif
}

absl::StatusOr<absl::string_view> CanonicalizeSerial(absl::string_view text, std::string* scratch) {
  if (IsCanonicalSerial(text)) return text;

  const absl::string_view original = text;
  text = absl::StripAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(text, "serial=")) {
    text = absl::StripLeadingAsciiWhitespace(text.substr(7));
  }
  // A negative serial: "-FF" (`openssl x509 -serial`), "(Negative)ff" (`openssl x509 -text`).
  bool negative = false;
  if (absl::StartsWithIgnoreCase(text, "(negative)")) {
    negative = true;
    text = absl::StripLeadingAsciiWhitespace(text.substr(10));
  } else if (!text.empty() && text[0] == '-') {
    negative = true;
    text = absl::StripLeadingAsciiWhitespace(text.substr(1));
  }
  if (absl::StartsWithIgnoreCase(text, "0x")) text.remove_prefix(2);
  if (text.empty()) return Invalid("empty", original);

  // Collect digits group by group; a group is a run of hex digits between separators. The digits
  // are written straight into the scratch buffer, sized once for the worst case: each digit gives
  // one byte, a one-digit group one more (its leading 0, paid for by the separator after it, except
  // for the last group), and the first two bytes are kept free for the 0 an odd serial needs and
  // the sign of a negative one.
  std::string& out = *scratch;
  out.resize(text.size() + 3);
  char* const base = out.data();
  char* first = base + 2;
  char* w = first;
  char* group = w;
  bool separated = false;
  auto close_group = [&]() -> bool {
    const ptrdiff_t digits = w - group;
    if (digits == 0 || digits > 2) return false;
    if (digits == 1) {  // "3" -> "03"
      group[1] = group[0];
      group[0] = '0';
      ++w;
    }
    return true;
  };
  for (char c : text) {
    const char lower = kLowerHex[static_cast<unsigned char>(c)];
    if (lower != 0) {
      *w++ = lower;
      continue;
    }
    if (c == ':' || c == ' ') {
      separated = true;
      if (!close_group()) {
        return Invalid("bytes separated by ':' or ' ' must be 1 or 2 hex digits each", original);
      }
      group = w;
      continue;
    }
    return Invalid(
        absl::StrCat("'", QuoteForMessage(absl::string_view(&c, 1)), "' is not a hex digit"),
        original);
  }
  if (separated) {
    if (!close_group()) {
      return Invalid("bytes separated by ':' or ' ' must be 1 or 2 hex digits each", original);
    }
  } else if ((w - first) % 2 != 0) {
    *--first = '0';
  }
  while (w - first > 2 && first[0] == '0' && first[1] == '0') first += 2;
  if (w - first > static_cast<ptrdiff_t>(kMaxSerialHexDigits)) {
    return Invalid(absl::StrCat("longer than ", kMaxSerialHexDigits / 2, " bytes"), original);
  }
  if (negative && !(w - first == 2 && first[0] == '0' && first[1] == '0')) *--first = '-';
  return absl::string_view(first, static_cast<size_t>(w - first));
}

absl::StatusOr<std::string> SerialFromDerInteger(absl::string_view content) {
  if (content.empty()) return absl::InvalidArgumentError("invalid serial: an empty INTEGER");
  const bool negative = (static_cast<unsigned char>(content[0]) & 0x80) != 0;
  std::string bytes(content);
  if (negative) {
    // The magnitude of a two's complement number: invert every bit, then add one.
    for (char& b : bytes) b = static_cast<char>(~static_cast<unsigned char>(b));
    for (size_t i = bytes.size(); i-- > 0;) {
      bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) + 1);
      if (bytes[i] != 0) break;  // no carry into the next byte
    }
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex = negative ? "-" : "";
  size_t skip = 0;  // leading zero bytes of the magnitude
  while (skip + 1 < bytes.size() && bytes[skip] == 0) ++skip;
  for (size_t i = skip; i < bytes.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(bytes[i]);
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0x0f]);
  }
  if (hex.size() - negative > kMaxSerialHexDigits) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid serial: longer than ", kMaxSerialHexDigits / 2, " bytes"));
  }
  return hex;
}

}  // namespace serialmatch
