// Fuzzes NormalizeName (src/base/name.h) on arbitrary bytes, as found in dump name lists and
// domain inventories (UTF-8 or not).
//
// Invariants: a normal name is 1..253 bytes of [a-z0-9-_.*], labels of 1..63 bytes, '*' only as
// the whole first label; it normalises to itself without a copy; ASCII case and a trailing root
// dot do not change the result; an invalid name's message is printable.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/base/name.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch {
namespace {

bool IsNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '*';
}

void CheckNormalShape(absl::string_view name, absl::string_view input) {
  SM_FUZZ_CHECK(!name.empty() && name.size() <= kMaxNameLength, input);
  for (char c : name) SM_FUZZ_CHECK(IsNameByte(c), input);
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') continue;
    const absl::string_view label = name.substr(label_start, i - label_start);
    SM_FUZZ_CHECK(!label.empty() && label.size() <= kMaxLabelLength, input);
    if (label_start != 0) SM_FUZZ_CHECK(label.find('*') == absl::string_view::npos, input);
    if (label_start == 0 && label.find('*') != absl::string_view::npos) {
      // The wildcard is a whole label and never the whole name.
      SM_FUZZ_CHECK(label == "*" && name.size() > 2, input);
    }
    label_start = i + 1;
  }
}

void CheckName(absl::string_view text) {
  std::string scratch;
  const absl::StatusOr<absl::string_view> normal = NormalizeName(text, &scratch);

  // ASCII case is folded before anything else.
  std::string upper_scratch;
  const std::string upper = absl::AsciiStrToUpper(text);
  const absl::StatusOr<absl::string_view> from_upper = NormalizeName(upper, &upper_scratch);
  SM_FUZZ_CHECK(from_upper.ok() == normal.ok(), text);
  if (normal.ok()) SM_FUZZ_CHECK(*from_upper == *normal, text);

  if (!normal.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(normal.status().message()), text);
    return;
  }
  SM_FUZZ_CHECK(fuzz::Within(*normal, text) || fuzz::Within(*normal, scratch), text);
  const std::string result(*normal);
  CheckNormalShape(result, text);

  // Idempotent, and free for normal input: the result views its argument.
  std::string again_scratch;
  const absl::StatusOr<absl::string_view> again = NormalizeName(result, &again_scratch);
  SM_FUZZ_CHECK(again.ok() && again->data() == result.data() && *again == result, text);

  // The fully qualified spelling names the same host.
  if (text.back() != '.') {
    std::string dotted_scratch;
    const std::string fqdn = absl::StrCat(text, ".");  // the result may view it: kept alive
    const absl::StatusOr<absl::string_view> dotted = NormalizeName(fqdn, &dotted_scratch);
    SM_FUZZ_CHECK(dotted.ok() && *dotted == result, text);
  }
}

}  // namespace
}  // namespace serialmatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::CheckName(serialmatch::fuzz::AsText(data, size));
  return 0;
}
