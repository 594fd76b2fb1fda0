// Fuzzes CrtshJsonParser::ParseDocument (src/dump/crtsh_json_parser.h) on arbitrary documents,
// padded as the dump reader pads them.
//
// Invariants: every record has a canonical serial and names without separators; elements are
// reported in order, on lines of the document; malformed elements and a failed document come with
// printable messages; the parser reads nothing past the padding (ASan).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/dump/crtsh_json_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

void CheckDocument(absl::string_view text) {
  // Exactly the bytes the parser may read, so ASan sees any read beyond them.
  const std::unique_ptr<char[]> padded(new char[text.size() + kDocumentPadding]);
  if (!text.empty()) std::memcpy(padded.get(), text.data(), text.size());
  std::memset(padded.get() + text.size(), 0, kDocumentPadding);
  const absl::string_view document(padded.get(), text.size());

  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  uint64_t last_line = 1;
  auto check_line = [&](uint64_t line) {
    SM_FUZZ_CHECK(line >= last_line && line <= lines, text);
    last_line = line;
  };
  const CrtshJsonParser parser{};
  DumpRecord record;
  const absl::Status status = parser.ParseDocument(
      document, &record,
      [&](uint64_t line) {
        check_line(line);
        fuzz::CheckRecord(record, text);
        fuzz::CheckSplitNames(record, text);
        SM_FUZZ_CHECK(!record.serial.empty(), text);
      },
      [&](uint64_t line, absl::string_view reason) {
        check_line(line);
        fuzz::CheckReason(reason, text);
      });
  SM_FUZZ_CHECK(fuzz::IsPrintable(status.message()), text);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::dump::CheckDocument(serialmatch::fuzz::AsText(data, size));
  return 0;
}
