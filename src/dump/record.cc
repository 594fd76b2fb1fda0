#include "src/dump/record.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

#include "absl/strings/ascii.h"
#include "src/base/hash.h"
#include "src/base/name.h"

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

#if defined(__SSE2__)
// What each byte of a 64-byte block is, one bit a byte: a separator (see IsSeparator), a '.', or
// neither a separator nor one of [a-z0-9-_.] ("bad": the name holding it is not certainly normal).
struct BlockClasses {
  uint64_t separator = 0, dot = 0, bad = 0;
};

BlockClasses ClassifyBlock(const char* p) {
  const __m128i space = _mm_set1_epi8(' '), comma = _mm_set1_epi8(',');
  const __m128i semicolon = _mm_set1_epi8(';'), tab = _mm_set1_epi8('\t');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  const __m128i a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
  const __m128i d1 = _mm_set1_epi8('0' - 1), d2 = _mm_set1_epi8('9' + 1);
  const __m128i dash = _mm_set1_epi8('-'), under = _mm_set1_epi8('_'), dot = _mm_set1_epi8('.');
  BlockClasses classes;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i sep = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, comma)),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, semicolon), _mm_cmpeq_epi8(v, tab)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
    // Signed compares: bytes of 0x80 and above are below 'a' - 1 and '0' - 1, so never "ok".
    const __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, z1));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d1), _mm_cmplt_epi8(v, d2));
    const __m128i is_dot = _mm_cmpeq_epi8(v, dot);
    const __m128i ok = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(lower, digit), sep),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, under)), is_dot));
    const int shift = 16 * i;
    classes.separator |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(sep)))
                         << shift;
    classes.dot |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(is_dot))) << shift;
    classes.bad |= static_cast<uint64_t>(static_cast<uint16_t>(~_mm_movemask_epi8(ok))) << shift;
  }
  return classes;
}
#endif

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
#if defined(__SSE2__)
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
#else
  std::vector<absl::string_view> split;
  SplitNameList(name_list_, &split);
  for (const absl::string_view name : split) add_other(name);
#endif
}

}  // namespace serialmatch::dump
