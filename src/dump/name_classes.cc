#include "src/dump/name_classes.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace serialmatch::dump {
namespace name_classes_internal {
namespace {

bool IsSeparatorByte(unsigned char c) {
  return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r';
}

bool IsNameByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

#if defined(__SSE2__)
BlockClasses ClassifySse2(const char* p) {
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

#if defined(__x86_64__)
// Each byte is looked up by its two nibbles; a byte is in a class when the bits of its low nibble
// and of its high nibble share one. Eight bits, each one high nibble and a set of low nibbles:
//   high 0: 9 A D ('\t' '\n' '\r')        separator
//   high 2: 0 C (' ' ',')                 separator
//   high 2: D E ('-' '.')
//   high 3: B (';')                       separator
//   high 3: 0-9 (digits)
//   high 5: F ('_')
//   high 6: 1-F ('a'-'o')
//   high 7: 0-A ('p'-'z')
// A byte of 0x80 or more has a high nibble with no bit: in no class, so bad.
constexpr uint8_t kTab = 1, kSpace = 2, kDashDot = 4, kSemicolon = 8, kDigit = 16, kUnder = 32,
                  kAtoO = 64, kPtoZ = 128;
constexpr uint8_t kSeparators = kTab | kSpace | kSemicolon;

// The classes of each low nibble 0..F, and of each high nibble.
alignas(16) constexpr uint8_t kByLow[16] = {kSpace | kDigit | kPtoZ, kDigit | kAtoO | kPtoZ,
                                            kDigit | kAtoO | kPtoZ,  kDigit | kAtoO | kPtoZ,
                                            kDigit | kAtoO | kPtoZ,  kDigit | kAtoO | kPtoZ,
                                            kDigit | kAtoO | kPtoZ,  kDigit | kAtoO | kPtoZ,
                                            kDigit | kAtoO | kPtoZ,  kTab | kDigit | kAtoO | kPtoZ,
                                            kTab | kAtoO | kPtoZ,    kSemicolon | kAtoO,
                                            kSpace | kAtoO,          kTab | kDashDot | kAtoO,
                                            kDashDot | kAtoO,        kUnder | kAtoO};
alignas(16) constexpr uint8_t kByHigh[16] = {
    kTab, 0, kSpace | kDashDot, kSemicolon | kDigit, 0, kUnder, kAtoO, kPtoZ, 0, 0, 0, 0, 0, 0,
    0,    0};

__attribute__((target("avx2"))) BlockClasses ClassifyAvx2(const char* p) {
  const __m256i by_low =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByLow)));
  const __m256i by_high =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByHigh)));
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i separators = _mm256_set1_epi8(kSeparators);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i dot = _mm256_set1_epi8('.');
  BlockClasses classes;
  for (int i = 0; i < 2; ++i) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    const __m256i low = _mm256_and_si256(v, nibble);
    const __m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
    const __m256i cls =
        _mm256_and_si256(_mm256_shuffle_epi8(by_low, low), _mm256_shuffle_epi8(by_high, high));
    const uint64_t none = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(cls, zero)));
    const uint64_t not_sep = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(cls, separators), zero)));
    const uint64_t is_dot = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, dot)));
    const int shift = 32 * i;
    classes.bad |= none << shift;
    classes.separator |= (~not_sep & 0xFFFFFFFFu) << shift;
    classes.dot |= is_dot << shift;
  }
  return classes;
}
#endif

ClassifyBlockFn Choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();  // this may run before the constructor that would have done it
  if (__builtin_cpu_supports("avx2")) return ClassifyAvx2;
#endif
#if defined(__SSE2__)
  return ClassifySse2;
#else
  return ClassifyBlockPortable;
#endif
}

}  // namespace

BlockClasses ClassifyBlockPortable(const char* p) {
  BlockClasses classes;
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const uint64_t bit = uint64_t{1} << i;
    if (IsSeparatorByte(c)) classes.separator |= bit;
    if (c == '.') classes.dot |= bit;
    if (!IsSeparatorByte(c) && !IsNameByte(c)) classes.bad |= bit;
  }
  return classes;
}

#if defined(__SSE2__)
const ClassifyBlockFn kClassifyBlockSse2 = ClassifySse2;
#else
const ClassifyBlockFn kClassifyBlockSse2 = nullptr;
#endif
#if defined(__x86_64__)
const ClassifyBlockFn kClassifyBlockAvx2 = __builtin_cpu_supports("avx2") ? ClassifyAvx2 : nullptr;
#else
const ClassifyBlockFn kClassifyBlockAvx2 = nullptr;
#endif
const ClassifyBlockFn kClassifyBlock = Choose();

}  // namespace name_classes_internal
}  // namespace serialmatch::dump
