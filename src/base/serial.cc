#include "src/base/serial.h"

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
  if (text.size() < 2 || text.size() % 2 != 0 || text.size() > kMaxSerialHexDigits) return false;
  for (char c : text) {
    if (!IsLowerHex(c)) return false;
  }
  return text.size() == 2 || text[0] != '0' || text[1] != '0';
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
      return Invalid(absl::StrCat("'", QuoteForMessage(absl::string_view(&c, 1)), "' is not a hex digit"),
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
