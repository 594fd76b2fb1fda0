// Fuzzes CanonicalizeSerial (src/base/serial.h) on arbitrary bytes, as found in dump and inventory
// serial columns.
//
// Invariants: a result is canonical and canonicalises to itself without a copy; an already
// canonical input is returned as is; upper and lower case give the same result; a plain run of hex
// digits gives the result computed here independently; the canonical form written with ':' between
// its bytes, or with a "0x" prefix, canonicalises back to itself; a minus sign before a serial
// gives its negative (zero has none), which equals no non-negative serial.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/base/serial.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch {
namespace {

bool IsHexDigit(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }

// The canonical form of `text`, 1 or more hex digits and nothing else, computed the obvious way;
// empty when it is too long.
std::string ReferenceCanonical(absl::string_view text) {
  std::string out = absl::AsciiStrToLower(text);
  if (out.size() % 2 != 0) out.insert(out.begin(), '0');
  while (out.size() > 2 && out[0] == '0' && out[1] == '0') out.erase(0, 2);
  if (out.size() > kMaxSerialHexDigits) return "";
  return out;
}

void CheckSerial(absl::string_view text) {
  std::string scratch;
  const absl::StatusOr<absl::string_view> canonical = CanonicalizeSerial(text, &scratch);
  if (IsCanonicalSerial(text)) {
    SM_FUZZ_CHECK(canonical.ok() && canonical->data() == text.data() && *canonical == text, text);
  }

  // Case does not matter ("serial=", "0x" and the hex digits alike).
  std::string upper_scratch;
  const std::string upper = absl::AsciiStrToUpper(text);
  const absl::StatusOr<absl::string_view> from_upper = CanonicalizeSerial(upper, &upper_scratch);
  SM_FUZZ_CHECK(from_upper.ok() == canonical.ok(), text);
  if (canonical.ok()) SM_FUZZ_CHECK(*from_upper == *canonical, text);

  bool plain_hex = !text.empty();
  for (char c : text) plain_hex &= IsHexDigit(c);
  if (plain_hex) {
    const std::string expected = ReferenceCanonical(text);
    SM_FUZZ_CHECK(canonical.ok() == !expected.empty(), text);
    if (canonical.ok()) SM_FUZZ_CHECK(*canonical == expected, text);
  }

  if (!canonical.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(canonical.status().message()), text);
    return;
  }
  const std::string result(*canonical);
  SM_FUZZ_CHECK(IsCanonicalSerial(result), text);
  const bool negative = result[0] == '-';
  const absl::string_view magnitude = absl::string_view(result).substr(negative ? 1 : 0);
  SM_FUZZ_CHECK(magnitude.size() >= 2 && magnitude.size() <= kMaxSerialHexDigits, text);
  SM_FUZZ_CHECK(!negative || magnitude != "00", text);

  // Idempotent, and free for canonical input: the result views its argument.
  std::string again_scratch;
  const absl::StatusOr<absl::string_view> again = CanonicalizeSerial(result, &again_scratch);
  SM_FUZZ_CHECK(again.ok() && again->data() == result.data() && *again == result, text);

  // The notations of openssl ("03:E2:26"), of hex literals ("0x3e226") and of spreadsheets with a
  // sign byte ("00 87 65") name the same serial.
  const absl::string_view sign = negative ? "-" : "";
  std::string colons(sign);
  for (size_t i = 0; i < magnitude.size(); i += 2) {
    absl::StrAppend(&colons, i == 0 ? "" : ":", magnitude.substr(i, 2));
  }
  std::string other_scratch;
  absl::StatusOr<absl::string_view> other = CanonicalizeSerial(colons, &other_scratch);
  SM_FUZZ_CHECK(other.ok() && *other == result, text);
  // The texts live in locals: a canonical argument comes back as a view of itself.
  const std::string hex_literal = absl::StrCat(sign, "0x", magnitude);
  other = CanonicalizeSerial(hex_literal, &other_scratch);
  SM_FUZZ_CHECK(other.ok() && *other == result, text);
  std::string spaced = absl::StrCat(sign, "00");
  for (size_t i = 0; i < magnitude.size(); i += 2) {
    absl::StrAppend(&spaced, " ", absl::AsciiStrToUpper(magnitude.substr(i, 2)));
  }
  other = CanonicalizeSerial(spaced, &other_scratch);
  SM_FUZZ_CHECK(other.ok() && *other == result, text);

  // The negative of a serial: never a non-negative serial, and no sign for zero.
  if (!negative) {
    const std::string negated = absl::StrCat("-", result);
    other = CanonicalizeSerial(negated, &other_scratch);
    SM_FUZZ_CHECK(other.ok(), text);
    SM_FUZZ_CHECK(result == "00" ? *other == "00" : *other == absl::StrCat("-", result), text);
  }
}

}  // namespace
}  // namespace serialmatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::CheckSerial(serialmatch::fuzz::AsText(data, size));
  return 0;
}
