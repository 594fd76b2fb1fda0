// Fuzzes CcadbCsvParser (src/dump/csv_parsers.h): the first line of the input is the header that
// Create() reads, the others are parsed with the parser it built, reusing one DumpRecord.
//
// Invariants: a record has a canonical serial or names, names without separators, trimmed fields,
// a revocation reason only with a revocation time, and only the fields fields() names;
// the header line itself (and its repeats) is skipped; a malformed line, and a header Create()
// rejects, come with a printable message.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "src/dump/csv_parsers.h"
#include "src/dump/line_scanner.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

bool IsTrimmed(absl::string_view text) { return absl::StripAsciiWhitespace(text) == text; }

void CheckDump(absl::string_view text) {
  text = StripBom(text);
  const absl::string_view header = text.substr(0, text.find('\n'));
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = CcadbCsvParser::Create(header);
  if (!parser.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(parser.status().message()), text);
    SM_FUZZ_CHECK(!CcadbCsvParser::LooksLikeHeader(header), text);
    return;
  }
  DumpRecord record;
  std::string reason;
  ForEachLine(text, [&](absl::string_view line, uint64_t number) {
    const LineKind kind = (*parser)->Parse(line, &record, &reason);
    if (number == 1) SM_FUZZ_CHECK(kind == LineKind::kSkip, text);
    switch (kind) {
      case LineKind::kSkip:
        return;
      case LineKind::kMalformed:
        fuzz::CheckReason(reason, line);
        return;
      case LineKind::kUncheckable:
        SM_FUZZ_CHECK(false, line);  // every row can be matched
        return;
      case LineKind::kRecord:
        break;
    }
    fuzz::CheckRecord(record, line);
    fuzz::CheckSplitNames(record, line);
    SM_FUZZ_CHECK(IsTrimmed(record.issued_at) && IsTrimmed(record.not_after) &&
                      IsTrimmed(record.issuer) && IsTrimmed(record.cert_sha256) &&
                      IsTrimmed(record.precert_sha256) && IsTrimmed(record.revoked_at) &&
                      IsTrimmed(record.revocation_reason),
                  line);
    // A reason is given only for a revocation; the parser's fields() says it reads revocations.
    SM_FUZZ_CHECK(!record.revoked_at.empty() || record.revocation_reason.empty(), line);
    fuzz::CheckFields(record, (*parser)->fields(), line);
  });
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::dump::CheckDump(serialmatch::fuzz::AsText(data, size));
  return 0;
}
