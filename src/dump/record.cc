#include "src/dump/record.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace serialmatch::dump {

void DumpRecord::SplitOnSpaces(absl::string_view text, std::vector<absl::string_view>* words) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* word = p;
  auto add = [&](const char* at) {
    if (at > word) words->emplace_back(word, static_cast<size_t>(at - word));
    word = at + 1;
  };
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  for (; end - p >= 16; p += 16) {
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), space)));
    while (mask != 0) {
      add(p + __builtin_ctz(mask));
      mask &= mask - 1;
    }
  }
#endif
  for (; p < end; ++p) {
    if (*p == ' ') add(p);
  }
  add(end);
}

}  // namespace serialmatch::dump
