// DNS names in one normal form, so that names from a CA's list and from an inventory compare equal
// byte for byte: ASCII lowercase, the trailing root dot dropped, Unicode labels converted to
// IDNA2008 A-labels (libidn2, UTS #46 non-transitional mapping). A leading "*." wildcard label is
// kept.
//
//   std::string scratch;
//   NormalizeName("WWW.Example.COM.", &scratch);  // "www.example.com"
//   NormalizeName("münchen.de", &scratch);        // "xn--mnchen-3ya.de"
//   NormalizeName("*.example.net", &scratch);     // "*.example.net"
//   NormalizeName("a..example", &scratch);        // error: empty label
#ifndef SERIALMATCH_SRC_BASE_NAME_H_
#define SERIALMATCH_SRC_BASE_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch {

inline constexpr size_t kMaxNameLength = 253;
inline constexpr size_t kMaxLabelLength = 63;

// Returns the normal form of `name`: a view of `name` itself when it is already normal (the common
// case for CA lists, checked in one pass without allocating), otherwise of `*scratch`, which it
// overwrites. Fails with kInvalidArgument for what cannot be a DNS name in a certificate: empty
// name or label, spaces or other characters outside [a-z0-9-_], a label over 63 or a name over 253
// bytes, '*' anywhere but as the whole first label, a Unicode label IDNA2008 rejects.
[[nodiscard]] absl::StatusOr<absl::string_view> NormalizeName(absl::string_view name,
                                                              std::string* scratch);

// What a NormalizeName failure says is wrong, without the name it quotes: "empty label" for
// "invalid name: empty label, got 'a..b'". Any other status's whole message.
absl::string_view NameErrorReason(const absl::Status& status);

// The name with its first label removed ("a.b.example" -> "b.example"); empty for a single label.
inline absl::string_view ParentName(absl::string_view name) {
  const size_t dot = name.find('.');
  return dot == absl::string_view::npos ? absl::string_view() : name.substr(dot + 1);
}

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_NAME_H_
