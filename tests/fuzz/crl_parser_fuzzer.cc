// Fuzzes CrlParser::ParseDocument and ReadCrls (src/dump/crl_parser.h) on arbitrary documents, DER
// or PEM.
//
// Invariants: no crash and no read outside the document (ASan: the copy has no padding); every
// entry is either a record or malformed, numbered in order from 1; records have a canonical serial,
// an RFC 3339 UTC revoked_at, an issuer marked exact, no issue or expiry time; messages are
// printable; ReadCrls agrees with ParseDocument on whether the document can be read and counts
// every entry reported.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/base/serial.h"
#include "src/dump/crl_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

void CheckDocument(absl::string_view input) {
  // Exactly the bytes given, so ASan sees any read beyond them.
  const std::unique_ptr<char[]> copy(new char[input.size() + 1]);
  if (!input.empty()) std::memcpy(copy.get(), input.data(), input.size());
  const absl::string_view text(copy.get(), input.size());

  const CrlParser parser;
  DumpRecord record;
  uint64_t expected_line = 1;
  const absl::Status status = parser.ParseDocument(
      text, &record,
      [&](uint64_t line) {
        SM_FUZZ_CHECK(line == expected_line, input);
        ++expected_line;
        fuzz::CheckRecord(record, input);
        fuzz::CheckFields(record, parser.fields(), input);
        SM_FUZZ_CHECK(IsCanonicalSerial(record.serial), input);
        SM_FUZZ_CHECK(fuzz::LooksLikeRfc3339Utc(record.revoked_at), input);
        SM_FUZZ_CHECK(record.issuer_exact, input);
        SM_FUZZ_CHECK(record.issued_at.empty() && record.not_after.empty(), input);
      },
      [&](uint64_t line, absl::string_view reason) {
        SM_FUZZ_CHECK(line == expected_line, input);
        ++expected_line;
        fuzz::CheckReason(reason, input);
      });
  SM_FUZZ_CHECK(fuzz::IsPrintable(status.message()), input);

  absl::StatusOr<std::vector<CrlDocument>> crls = ReadCrls(text);
  SM_FUZZ_CHECK(crls.ok() == status.ok(), input);
  if (crls.ok()) {
    uint64_t entries = 0;
    for (const CrlDocument& crl : *crls) {
      entries += crl.entries;
      SM_FUZZ_CHECK(crl.version == 1 || crl.version == 2, input);
      SM_FUZZ_CHECK(!crl.tbs_cert_list.empty() && !crl.issuer_der.empty(), input);
    }
    SM_FUZZ_CHECK(entries == expected_line - 1, input);
  }
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::dump::CheckDocument(serialmatch::fuzz::AsText(data, size));
  return 0;
}
