#include "src/base/name.h"

#include <idn2.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch {
namespace {

enum class Check { kNormal, kNeedsMapping, kInvalid };

// One pass over `name`: kNormal when it is already in normal form, kNeedsMapping when lowercasing,
// dropping a trailing dot or IDNA conversion may make it so, kInvalid otherwise (`why` says why).
Check CheckName(absl::string_view name, const char** why) {
  if (name.empty()) {
    *why = "empty name";
    return Check::kInvalid;
  }
  bool needs_mapping = false;
  size_t label_length = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      ++label_length;
    } else if (c == '.') {
      if (label_length == 0) {
        *why = "empty label";
        return Check::kInvalid;
      }
      if (i + 1 == name.size()) {
        needs_mapping = true;  // trailing root dot
        break;
      }
      label_length = 0;
      continue;
    } else if (c == '*') {
      if (i != 0 || name.size() < 3 || name[1] != '.') {
        *why = "'*' is allowed only as the whole first label";
        return Check::kInvalid;
      }
      ++label_length;
    } else if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
      needs_mapping = true;
      ++label_length;
    } else {
      *why = "character not allowed in a DNS name";
      return Check::kInvalid;
    }
    if (!needs_mapping && label_length > kMaxLabelLength) {
      *why = "label longer than 63 bytes";
      return Check::kInvalid;
    }
  }
  if (needs_mapping) return Check::kNeedsMapping;
  if (name.size() > kMaxNameLength) {
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
