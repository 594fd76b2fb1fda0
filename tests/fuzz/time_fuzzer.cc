// Fuzzes ParseDumpTime and FormatRfc3339 (src/base/time.h) on arbitrary bytes, as found in the time
// columns of dumps.
//
// Invariants: a time that parses has no NUL byte in it (nothing is ignored after one) and is
// written as RFC 3339 UTC ("YYYY-MM-DDThh:mm:ss[.f]Z"), and that text parses back to the same
// instant; the 'T' and ' ' spellings of the same ISO text agree, and an ISO date alone is its
// midnight UTC; an invalid time's message is printable.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/base/time.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch {
namespace {

void CheckTime(absl::string_view text) {
  const absl::StatusOr<absl::Time> t = ParseDumpTime(text);
  if (!t.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(t.status().message()), text);
    return;
  }
  // A NUL byte ends no time: it must not hide what follows it.
  SM_FUZZ_CHECK(!absl::StrContains(text, '\0'), text);
  const std::string rfc3339 = FormatRfc3339(*t);
  SM_FUZZ_CHECK(fuzz::LooksLikeRfc3339Utc(rfc3339), absl::StrCat(text, " -> ", rfc3339));
  const absl::StatusOr<absl::Time> back = ParseDumpTime(rfc3339);
  SM_FUZZ_CHECK(back.ok() && *back == *t, absl::StrCat(text, " -> ", rfc3339));

  // Go's time.String() writes ' ' where RFC 3339 writes 'T'; both name the same instant.
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (trimmed.size() > 11 && StartsWithShape(trimmed, "0000-00-00") &&
      (trimmed[10] == 'T' || trimmed[10] == ' ')) {
    std::string other(trimmed);
    other[10] = trimmed[10] == 'T' ? ' ' : 'T';
    const absl::StatusOr<absl::Time> t2 = ParseDumpTime(other);
    SM_FUZZ_CHECK(t2.ok() && *t2 == *t, text);
  }
  // A date alone is its midnight UTC.
  if (trimmed.size() == 10 && StartsWithShape(trimmed, "0000-00-00")) {
    const absl::StatusOr<absl::Time> midnight = ParseDumpTime(absl::StrCat(trimmed, "T00:00:00Z"));
    SM_FUZZ_CHECK(midnight.ok() && *midnight == *t, text);
  }
}

}  // namespace
}  // namespace serialmatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::CheckTime(serialmatch::fuzz::AsText(data, size));
  return 0;
}
