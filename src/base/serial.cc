#include "src/base/serial.h"

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

absl::Status Invalid(absl::string_view why, absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid serial: ", why, ", got '", QuoteForMessage(text), "'"));
}

}  // namespace

bool IsCanonicalSerial(absl::string_view text) {
  const size_t n = text.size();
  if (n < 2 || n % 2 != 0 || n > kMaxSerialHexDigits) return false;
  if (n > 2 && text[0] == '0' && text[1] == '0') return false;
  const char* p = text.data();
#if defined(__SSE2__)
  if (n >= 16) {
    // Sixteen bytes at a time; the last block overlaps the one before.
    const __m128i d1 = _mm_set1_epi8('0' - 1), d2 = _mm_set1_epi8('9' + 1);
    const __m128i a1 = _mm_set1_epi8('a' - 1), f1 = _mm_set1_epi8('f' + 1);
    for (size_t at = 0;; at += 16) {
      if (at + 16 > n) at = n - 16;
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      const __m128i hex = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, d1), _mm_cmplt_epi8(v, d2)),
                                       _mm_and_si128(_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, f1)));
      if (_mm_movemask_epi8(hex) != 0xFFFF) return false;
      if (at + 16 == n) return true;
    }
  }
#endif
  for (size_t i = 0; i < n; ++i) {
    if (!IsLowerHex(p[i])) return false;
  }
  return true;
}

absl::StatusOr<absl::string_view> CanonicalizeSerial(absl::string_view text, std::string* scratch) {
  if (IsCanonicalSerial(text)) return text;

  const absl::string_view original = text;
  text = absl::StripAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(text, "serial=")) {
    text = absl::StripLeadingAsciiWhitespace(text.substr(7));
  }
  if (absl::StartsWithIgnoreCase(text, "0x")) text.remove_prefix(2);
  if (text.empty()) return Invalid("empty", original);

  // Collect digits group by group; a group is a run of hex digits between separators.
  std::string& out = *scratch;
  out.clear();
  bool separated = false;
  size_t group_start = 0;
  auto close_group = [&](size_t digits) -> bool {
    if (digits == 0 || digits > 2) return false;
    if (digits == 1) out.insert(out.begin() + static_cast<std::ptrdiff_t>(group_start), '0');
    return true;
  };
  size_t digits = 0;
  for (char c : text) {
    if (c == ':' || c == ' ') {
      separated = true;
      if (!close_group(digits)) {
        return Invalid("bytes separated by ':' or ' ' must be 1 or 2 hex digits each", original);
      }
      group_start = out.size();
      digits = 0;
      continue;
    }
    const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (!IsLowerHex(lower)) {
      return Invalid(
          absl::StrCat("'", QuoteForMessage(absl::string_view(&c, 1)), "' is not a hex digit"),
          original);
    }
    out.push_back(lower);
    ++digits;
  }
  if (separated) {
    if (!close_group(digits)) {
      return Invalid("bytes separated by ':' or ' ' must be 1 or 2 hex digits each", original);
    }
  } else if (out.size() % 2 != 0) {
    out.insert(out.begin(), '0');
  }
  size_t zeros = 0;
  while (out.size() - zeros > 2 && out[zeros] == '0' && out[zeros + 1] == '0') zeros += 2;
  out.erase(0, zeros);
  if (out.size() > kMaxSerialHexDigits) {
    return Invalid(absl::StrCat("longer than ", kMaxSerialHexDigits / 2, " bytes"), original);
  }
  return absl::string_view(out);
}

}  // namespace serialmatch
