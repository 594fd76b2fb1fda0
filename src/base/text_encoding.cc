#include "src/base/text_encoding.h"

#include <algorithm>
#include <cstdint>

namespace serialmatch {
namespace {

// How many leading bytes decide whether text without a byte order mark is UTF-16.
constexpr size_t kSniffBytes = 64;

void AppendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// True when every byte at an odd (`nul_at_odd`) or even index of the first bytes is NUL and no
// other one is: ASCII text in UTF-16LE (or BE).
bool LooksLikeAsciiUtf16(absl::string_view bytes, bool nul_at_odd) {
  const size_t n = std::min(bytes.size(), kSniffBytes) & ~size_t{1};
  if (n < 4) return false;
  for (size_t i = 0; i < n; ++i) {
    const bool should_be_nul = (i % 2 == 1) == nul_at_odd;
    if ((bytes[i] == '\0') != should_be_nul) return false;
  }
  return true;
}

std::string DecodeUtf16(absl::string_view bytes, bool little_endian) {
  std::string out;
  out.reserve(bytes.size() / 2 + bytes.size() / 8);
  auto unit = [&](size_t i) -> uint32_t {
    const uint32_t a = static_cast<unsigned char>(bytes[i]);
    const uint32_t b = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (a | (b << 8)) : ((a << 8) | b);
  };
  size_t i = 0;
  while (i + 1 < bytes.size()) {
    const uint32_t u = unit(i);
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 < bytes.size()) {
        const uint32_t low = unit(i);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          i += 2;
          AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), &out);
          continue;
        }
      }
      AppendUtf8(kReplacement, &out);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      AppendUtf8(kReplacement, &out);
    } else {
      AppendUtf8(u, &out);
    }
  }
  if (i < bytes.size()) AppendUtf8(kReplacement, &out);  // a lone last byte
  return out;
}

}  // namespace

absl::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "UTF-8";
}

TextEncoding DetectTextEncoding(absl::string_view bytes) {
  if (bytes.substr(0, 2) == "\xFF\xFE") return TextEncoding::kUtf16Le;
  if (bytes.substr(0, 2) == "\xFE\xFF") return TextEncoding::kUtf16Be;
  if (LooksLikeAsciiUtf16(bytes, /*nul_at_odd=*/true)) return TextEncoding::kUtf16Le;
  if (LooksLikeAsciiUtf16(bytes, /*nul_at_odd=*/false)) return TextEncoding::kUtf16Be;
  return TextEncoding::kUtf8;
}

std::string ToUtf8Text(std::string bytes, TextEncoding* encoding) {
  const TextEncoding found = DetectTextEncoding(bytes);
  if (encoding != nullptr) *encoding = found;
  if (found == TextEncoding::kUtf8) return bytes;
  absl::string_view units = bytes;
  if (units.substr(0, 2) == "\xFF\xFE" || units.substr(0, 2) == "\xFE\xFF") units.remove_prefix(2);
  return DecodeUtf16(units, found == TextEncoding::kUtf16Le);
}

size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  unsigned cp = c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string ValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (const size_t n = Utf8SequenceLength(text, i); n != 0) {
      out.append(text.data() + i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace serialmatch
