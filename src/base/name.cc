#include "src/base/name.h"

#include <idn2.h>

#include <array>
#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
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
// Label lengths are checked here only for names that need no mapping; mapped names are checked again
// after mapping.
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

absl::Status Invalid(absl::string_view why, absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid name: ", why, ", got '", QuoteForMessage(name), "'"));
}

}  // namespace

absl::StatusOr<absl::string_view> NormalizeName(absl::string_view name, std::string* scratch) {
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
