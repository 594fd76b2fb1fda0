#include "src/dump/record.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

#include "absl/strings/ascii.h"
#include "src/base/hash.h"
#include "src/base/name.h"
#include "src/dump/name_classes.h"

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

void DumpRecord::PlainNames(std::vector<absl::string_view>* words, std::vector<uint64_t>* hashes,
                            std::vector<uint32_t>* others) const {
  words->clear();
  hashes->clear();
  others->clear();
  auto add_other = [&](absl::string_view name) {
    others->push_back(static_cast<uint32_t>(words->size()));
    words->push_back(name);
    hashes->push_back(0);
  };
  // Names added one by one come first (as in names()); then the list's words, if not split yet.
  for (const absl::string_view name : names_) add_other(name);
  if (split_ || name_list_.empty()) return;
  const char* const text = name_list_.data();
  const size_t size = name_list_.size();
  // The list is read 64 bytes at a time; a certainly normal name is at most 63 bytes, so it lies
  // in the block where it ends and the one before.
  BlockClasses previous;
  size_t word = 0;  // where the current word starts
  for (size_t block = 0;; block += 64) {
    BlockClasses current;
    const bool last = size - block < 64;
    if (!last) {
      current = ClassifyBlock(text + block);
    } else {
      // The tail, padded with separators: the first pad byte ends the last word.
      char padded[64];
      std::memset(padded, ' ', sizeof padded);
      std::memcpy(padded, text + block, size - block);
      current = ClassifyBlock(padded);
    }
    // Bits 0..63 the block before, 64..127 this one.
    const __uint128_t bad = static_cast<__uint128_t>(current.bad) << 64 | previous.bad;
    const __uint128_t dots = static_cast<__uint128_t>(current.dot) << 64 | previous.dot;
    uint64_t separators = current.separator;
    while (separators != 0) {
      const size_t at = block + static_cast<size_t>(__builtin_ctzll(separators));
      separators &= separators - 1;
      if (at > size) break;  // padding after the end
      if (at > word) {
        const absl::string_view name(text + word, at - word);
        const size_t length = at - word;
        bool plain = false;
        if (length <= kMaxLabelLength) {
          // The name's bits, bit 0 its first byte.
          const unsigned shift = static_cast<unsigned>(word + 64 - block);
          const uint64_t mask = ~uint64_t{0} >> (64 - length);
          const uint64_t name_bad = static_cast<uint64_t>(bad >> shift) & mask;
          const uint64_t name_dots = static_cast<uint64_t>(dots >> shift) & mask;
          // No empty label, no trailing dot; only [a-z0-9-_.] but for a "*." wildcard label.
          plain = (name_dots & (name_dots >> 1)) == 0 && (name_dots >> (length - 1)) == 0 &&
                  (name_bad == 0 ? (name_dots & 1) == 0
                                 : name_bad == 1 && text[word] == '*' &&
                                       (name_dots & 2) != 0);  // "*." alone ends in a dot
        }
        if (plain) {
          words->push_back(name);
          hashes->push_back(HashBytes(name));
        } else if (const absl::string_view stripped = StripSanPrefix(name); !stripped.empty()) {
          add_other(stripped);  // a bare "DNS:" names nothing, as in SplitNameList
        }
      }
      word = at + 1;
    }
    if (last) break;
    previous = current;
  }
}

}  // namespace serialmatch::dump
