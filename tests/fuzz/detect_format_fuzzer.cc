// Fuzzes DetectFormat and MakeParser (src/dump/parser.h) on the head of a dump, then parses the
// whole input with the parser they chose, as `serialmatch` does with a dump of unknown format.
//
// Invariants: DetectFormat never answers kRegex; a leading BOM, and CRLF instead of LF line ends,
// do not change its answer; the parser of the format it chose can be built from the same head;
// when it chose serials, the lines it looked at are serials to SerialsParser, and when it chose
// le2020 they look like le2020; every record the parser then returns passes CheckRecord, every
// malformed line comes with a printable reason; failures have printable messages.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/parser.h"
#include "src/dump/serials_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

bool SameAnswer(const absl::StatusOr<DumpFormat>& a, const absl::StatusOr<DumpFormat>& b) {
  return a.ok() == b.ok() && (!a.ok() || *a == *b);
}

// The lines DetectFormat decides on: complete lines (unless there is only one), not blank, not
// comments or headers, the first eight.
template <typename Fn>
void ForEachDecidingLine(absl::string_view head, Fn&& fn) {
  head = StripBom(head);
  const size_t last_newline = head.rfind('\n');
  if (last_newline != absl::string_view::npos) head = head.substr(0, last_newline + 1);
  int seen = 0;
  ForEachLine(head, [&](absl::string_view line, uint64_t) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || seen >= 8 || text[0] == '#' || SerialsParser::IsHeader(text)) return;
    ++seen;
    fn(line);
  });
}

void ParseAll(const DumpParser& parser, absl::string_view text) {
  DumpRecord record;
  if (parser.whole_document()) {
    std::string padded(text);
    padded.resize(text.size() + kDocumentPadding);
    const absl::string_view document(padded.data(), text.size());
    const absl::Status status = parser.ParseDocument(
        document, &record,
        [&](uint64_t) {
          fuzz::CheckRecord(record, text);
          fuzz::CheckSplitNames(record, text);
        },
        [&](uint64_t, absl::string_view reason) { fuzz::CheckReason(reason, text); });
    SM_FUZZ_CHECK(fuzz::IsPrintable(status.message()), text);
    return;
  }
  ForEachLine(StripBom(text), [&](absl::string_view line, uint64_t) {
    std::string reason;
    switch (parser.Parse(line, &record, &reason)) {
      case LineKind::kRecord:
        fuzz::CheckRecord(record, line);
        break;
      case LineKind::kMalformed:
        fuzz::CheckReason(reason, line);
        break;
      case LineKind::kSkip:
        break;
    }
  });
}

void CheckDetect(absl::string_view head) {
  const absl::StatusOr<DumpFormat> format = DetectFormat(head);
  if (!absl::StartsWith(head, kBom)) {
    SM_FUZZ_CHECK(SameAnswer(format, DetectFormat(absl::StrCat(kBom, head))), head);
  }
  if (!absl::StrContains(head, '\r')) {
    SM_FUZZ_CHECK(SameAnswer(format, DetectFormat(absl::StrReplaceAll(head, {{"\n", "\r\n"}}))),
                  head);
  }
  if (!format.ok()) {
    SM_FUZZ_CHECK(fuzz::IsPrintable(format.status().message()), head);
    return;
  }
  SM_FUZZ_CHECK(*format != DumpFormat::kRegex, head);
  ParserOptions options;
  options.head = head;
  absl::StatusOr<std::unique_ptr<DumpParser>> parser = MakeParser(*format, options);
  SM_FUZZ_CHECK(parser.ok(), head);

  if (*format == DumpFormat::kSerials) {
    const SerialsParser serials{};
    DumpRecord record;
    std::string reason;
    ForEachDecidingLine(head, [&](absl::string_view line) {
      SM_FUZZ_CHECK(serials.Parse(line, &record, &reason) == LineKind::kRecord, head);
    });
  } else if (*format == DumpFormat::kLe2020) {
    ForEachDecidingLine(head, [&](absl::string_view line) {
      SM_FUZZ_CHECK(Le2020Parser::Looks(absl::StripAsciiWhitespace(line)), head);
    });
  }
  ParseAll(**parser, head);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::dump::CheckDetect(serialmatch::fuzz::AsText(data, size));
  return 0;
}
