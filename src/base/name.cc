#include "src/base/name.h"

#include <idn2.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "src/base/diagnostics.h"

namespace serialmatch {
namespace {

enum class Check { kNormal, kNeedsMapping, kInvalid };

// Byte classes for the one-pass check; kLabel (a-z 0-9 - _) is by far the most common.
enum ByteClass : uint8_t { kLabel, kDot, kMapped, kStar, kBad };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = kBad;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      k = kLabel;
    } else if (c == '.') {
      k = kDot;
    } else if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
      k = kMapped;
    } else if (c == '*') {
      k = kStar;
    }
    classes[static_cast<size_t>(c)] = k;
  }
  return classes;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

// One pass over `name`: kNormal when it is already in normal form, kNeedsMapping when lowercasing,
// dropping a trailing dot or IDNA conversion may make it so, kInvalid otherwise (`why` says why).
// Label lengths are checked here only for names that need no mapping; mapped names are checked
// again after mapping.
Check CheckName(absl::string_view name, const char** why) {
  const size_t n = name.size();
  if (n == 0) {
    *why = "empty name";
    return Check::kInvalid;
  }
  const auto* s = reinterpret_cast<const unsigned char*>(name.data());
  bool needs_mapping = false;
  size_t label_start = 0;
  for (size_t i = 0; i < n; ++i) {
    switch (kClasses[s[i]]) {
      case kLabel:
        continue;
      case kDot:
        if (i == label_start) {
          *why = "empty label";
          return Check::kInvalid;
        }
        if (!needs_mapping && i - label_start > kMaxLabelLength) {
          *why = "label longer than 63 bytes";
          return Check::kInvalid;
        }
        if (i + 1 == n) needs_mapping = true;  // trailing root dot
        label_start = i + 1;
        continue;
      case kMapped:
        needs_mapping = true;
        continue;
      case kStar:
        if (i != 0 || n < 3 || s[1] != '.') {
          *why = "'*' is allowed only as the whole first label";
          return Check::kInvalid;
        }
        continue;
      default:
        *why = "character not allowed in a DNS name";
        return Check::kInvalid;
    }
  }
  if (needs_mapping) return Check::kNeedsMapping;
  if (n - label_start > kMaxLabelLength) {
    *why = "label longer than 63 bytes";
    return Check::kInvalid;
  }
  if (n > kMaxNameLength) {
    *why = "name longer than 253 bytes";
    return Check::kInvalid;
  }
  return Check::kNormal;
}

#if defined(__SSE2__)
// True when `name` is certainly normal: 1..63 bytes of [a-z0-9-_.], not starting or ending with
// '.', no "..". Sixteen bytes at a time; false (and CheckName decides) for anything else, including
// wildcards, upper case, non-ASCII and long names.
bool IsPlainNormalName(absl::string_view name) {
  const size_t n = name.size();
  if (n == 0 || n > kMaxLabelLength) return false;
  alignas(16) char padded[64];
  const char* p = name.data();
  if (n < 16) {  // copy short names so the 16-byte load stays inside memory we own
    std::memcpy(padded, p, n);
    std::memset(padded + n, 'a', 16 - n);
    p = padded;
  }
  const __m128i a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
  const __m128i d1 = _mm_set1_epi8('0' - 1), d2 = _mm_set1_epi8('9' + 1);
  const __m128i dash = _mm_set1_epi8('-'), under = _mm_set1_epi8('_'), dot = _mm_set1_epi8('.');
  uint64_t dots = 0;
  const size_t blocks = n < 16 ? 1 : (n + 15) / 16;
  for (size_t b = 0; b < blocks; ++b) {
    // The last block of a name of 16 or more bytes is its last 16 bytes, overlapping the one
    // before.
    const size_t at = (n >= 16 && b + 1 == blocks) ? n - 16 : b * 16;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    const __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, z1));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d1), _mm_cmplt_epi8(v, d2));
    const __m128i is_dot = _mm_cmpeq_epi8(v, dot);
    const __m128i ok = _mm_or_si128(
        _mm_or_si128(lower, digit),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, under)), is_dot));
    if (_mm_movemask_epi8(ok) != 0xFFFF) return false;
    dots |= static_cast<uint64_t>(_mm_movemask_epi8(is_dot)) << at;
  }
  if (n < 64) dots &= (uint64_t{1} << n) - 1;
  const uint64_t last = uint64_t{1} << (n - 1);
  return (dots & 1) == 0 && (dots & last) == 0 && (dots & (dots >> 1)) == 0;
}
#else
bool IsPlainNormalName(absl::string_view) { return false; }
#endif

constexpr absl::string_view kInvalidPrefix = "invalid name: ";
constexpr absl::string_view kGot = ", got '";

absl::Status Invalid(absl::string_view why, absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat(kInvalidPrefix, why, kGot, QuoteForMessage(name), "'"));
}

}  // namespace

absl::string_view NameErrorReason(const absl::Status& status) {
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, kInvalidPrefix)) return status.message();
  // The quoted name is printable ASCII, but may hold ", got '" itself: cut at the first.
  return message.substr(0, message.find(kGot));
}

absl::StatusOr<absl::string_view> NormalizeName(absl::string_view name, std::string* scratch) {
  if (IsPlainNormalName(name)) return name;
  const char* why = "";
  switch (CheckName(name, &why)) {
    case Check::kNormal:
      return name;
    case Check::kInvalid:
      return Invalid(why, name);
    case Check::kNeedsMapping:
      break;
  }

  std::string& out = *scratch;
  out.assign(name.data(), name.size());
  if (out.size() > 1 && out.back() == '.') out.pop_back();
  bool non_ascii = false;
  for (char& c : out) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
    non_ascii |= static_cast<unsigned char>(c) >= 0x80;
  }
  if (non_ascii) {
    const bool wildcard = out.size() > 2 && out[0] == '*' && out[1] == '.';
    const std::string unicode = wildcard ? out.substr(2) : out;
    char* ascii = nullptr;
    const int rc = idn2_to_ascii_8z(unicode.c_str(), &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
      return Invalid(absl::StrCat("not a valid IDNA2008 name (", idn2_strerror(rc), ")"), name);
    }
    out.assign(wildcard ? "*." : "");
    out.append(ascii);
    idn2_free(ascii);
  }
  switch (CheckName(out, &why)) {
    case Check::kNormal:
      return absl::string_view(out);
    case Check::kInvalid:
      return Invalid(why, name);
    case Check::kNeedsMapping:
      return Invalid("not a DNS name", name);
  }
  return Invalid("not a DNS name", name);
}

}  // namespace serialmatch
