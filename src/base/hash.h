// A fast, inlined 64-bit hash for short strings (DNS names, hex serials), computed once per dump
// name and shared by the index's prefilter and its hash map, so the hot loop neither calls into the
// shared Abseil hash library nor hashes the same bytes twice.
//
//   struct Hash { size_t operator()(absl::string_view s) const { return HashBytes(s); } };
//   absl::flat_hash_map<absl::string_view, uint32_t, StringViewHash, StringViewEq> map;
//
// Not for untrusted keys in long-lived tables (no seed, so no flooding resistance); the tables here
// are built from the user's own inventory.
#ifndef SERIALMATCH_SRC_BASE_HASH_H_
#define SERIALMATCH_SRC_BASE_HASH_H_

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"

namespace serialmatch {

namespace hash_internal {

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint64_t Mix(uint64_t a, uint64_t b) {
  const __uint128_t m = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

inline constexpr uint64_t kK0 = 0xa0761d6478bd642full;
inline constexpr uint64_t kK1 = 0xe7037ed1a0b428dbull;
inline constexpr uint64_t kK2 = 0x8ebc6af09c88c6e3ull;

}  // namespace hash_internal

// Hashes the bytes of `s` (wyhash-style multiply-fold over 8-byte words; reads only inside `s`).
inline uint64_t HashBytes(absl::string_view s) {
  using namespace hash_internal;  // NOLINT(build/namespaces)
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = kK0 ^ (n * kK1);
  if (n > 16) {
    const char* const end = p + n;
    for (; end - p > 16; p += 16) h = Mix(Load64(p) ^ kK1, Load64(p + 8) ^ h);
    // The last 1..16 bytes, read as the string's last 16 (overlapping words already mixed).
    h = Mix(Load64(end - 16) ^ kK2, Load64(end - 8) ^ h);
  } else if (n >= 8) {
    h = Mix(Load64(p) ^ kK2, Load64(p + n - 8) ^ h);  // two possibly overlapping words
  } else if (n >= 4) {
    h = Mix((Load32(p) << 32 | Load32(p + n - 4)) ^ kK2, h);
  } else if (n > 0) {
    const uint64_t v = (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
                       (static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
                       static_cast<unsigned char>(p[n - 1]);
    h = Mix(v ^ kK2, h);
  }
  return Mix(h ^ kK1, h ^ kK0);
}

// Hash and equality functors for Abseil hash containers keyed by absl::string_view.
struct StringViewHash {
  size_t operator()(absl::string_view s) const { return HashBytes(s); }
};
struct StringViewEq {
  bool operator()(absl::string_view a, absl::string_view b) const { return a == b; }
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_HASH_H_
