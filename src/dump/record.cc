#include "src/dump/record.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/ascii.h"

namespace serialmatch::dump {
namespace {

bool IsSeparator(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r';
}

// `word` without the "DNS:" (any case) OpenSSL writes before each subjectAltName dNSName. No DNS
// name contains ':', so nothing that could match is lost.
absl::string_view StripSanPrefix(absl::string_view word) {
  if (word.size() >= 4 && word[3] == ':' && (word[0] | 0x20) == 'd' && (word[1] | 0x20) == 'n' &&
      (word[2] | 0x20) == 's') {
    word.remove_prefix(4);
  }
  return word;
}

}  // namespace

void DumpRecord::AddName(absl::string_view name) {
  name = absl::StripLeadingAsciiWhitespace(StripSanPrefix(name));
  // A bare "DNS:" names nothing.
  if (!name.empty()) names_.push_back(name);
}

void DumpRecord::SplitNameList(absl::string_view text, std::vector<absl::string_view>* words) {
  if (text.empty()) return;  // also: no pointer arithmetic on a null view
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* word = p;
  auto add = [&](const char* at) {
    if (at > word) {
      // A "DNS:" alone is the prefix of the next word ("DNS: www.example.com"): no name of its own.
      const absl::string_view name =
          StripSanPrefix(absl::string_view(word, static_cast<size_t>(at - word)));
      if (!name.empty()) words->push_back(name);
    }
    word = at + 1;
  };
#if defined(__SSE2__)
  // Sixteen bytes at a time: a bitmask of separators, then one word per set bit.
  const __m128i space = _mm_set1_epi8(' '), comma = _mm_set1_epi8(',');
  const __m128i semicolon = _mm_set1_epi8(';'), tab = _mm_set1_epi8('\t');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i sep = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, comma)),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, semicolon), _mm_cmpeq_epi8(v, tab)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(sep));
    while (mask != 0) {
      add(p + __builtin_ctz(mask));
      mask &= mask - 1;
    }
  }
#endif
  for (; p < end; ++p) {
    if (IsSeparator(*p)) add(p);
  }
  add(end);
}

}  // namespace serialmatch::dump
