// Fuzzes DetectFormat and MakeParser (src/dump/parser.h) on the head of a dump, then parses the
// whole input with the parser they chose, as `serialmatch` does with a dump of unknown format.
//
// Invariants: DetectFormat never answers kRegex; a leading BOM, and CRLF instead of LF line ends,
// do not change its answer; the parser of the format it chose can be built from the same head;
// when it chose serials, le2020, le2022-csv or sha256, the lines it weighed fit that format
// (serials and sha256 to their parsers, the others by Looks) all of them or at least two and more
// than half, and no other of the four formats fits two of them -- except that sha256 wins outright
// when every line fits it, and never loses then; every record the parser then returns passes
// CheckRecord, and fills only the fields its parser's fields() names; every malformed line comes
// with a printable reason; failures have printable messages.
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
#include "src/dump/csv_parsers.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/parser.h"
#include "src/dump/serials_parser.h"
#include "src/dump/sha256_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch::dump {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

bool SameAnswer(const absl::StatusOr<DumpFormat>& a, const absl::StatusOr<DumpFormat>& b) {
  return a.ok() == b.ok() && (!a.ok() || *a == *b);
}

// The lines DetectFormat decides on: complete lines (unless there is only one), not blank, not
// comments or headers, the first kDetectLines.
template <typename Fn>
void ForEachDecidingLine(absl::string_view head, Fn&& fn) {
  head = StripBom(head);
  const size_t last_newline = head.rfind('\n');
  if (last_newline != absl::string_view::npos) head = head.substr(0, last_newline + 1);
  int seen = 0;
  ForEachLine(head, [&](absl::string_view line, uint64_t) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || seen >= kDetectLines || IsCommentLine(text) ||
        SerialsParser::IsHeader(text) || Sha256Parser::IsHeader(text)) {
      return;
    }
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
          fuzz::CheckFields(record, parser.fields(), text);
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
        fuzz::CheckFields(record, parser.fields(), line);
        break;
      case LineKind::kMalformed:
        fuzz::CheckReason(reason, line);
        break;
      case LineKind::kSkip:
      case LineKind::kUncheckable:
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

  if (*format == DumpFormat::kSerials || *format == DumpFormat::kLe2020 ||
      *format == DumpFormat::kLe2022Csv || *format == DumpFormat::kSha256) {
    const SerialsParser serials{};
    const Sha256Parser sha256{};
    DumpRecord record;
    std::string reason;
    int seen = 0;
    int fit[4] = {0, 0, 0, 0};  // serials, le2020, le2022-csv, sha256
    ForEachDecidingLine(head, [&](absl::string_view line) {
      const absl::string_view text = absl::StripAsciiWhitespace(line);
      ++seen;
      fit[0] += serials.Parse(line, &record, &reason) == LineKind::kRecord;
      fit[1] += Le2020Parser::Looks(text);
      fit[2] += Le2022CsvParser::Looks(text);
      const LineKind kind = sha256.Parse(line, &record, &reason);
      fit[3] += kind == LineKind::kRecord || kind == LineKind::kUncheckable;
    });
    const int chosen = *format == DumpFormat::kSerials     ? 0
                       : *format == DumpFormat::kLe2020    ? 1
                       : *format == DumpFormat::kLe2022Csv ? 2
                                                           : 3;
    // sha256 wins outright when every line fits it (bare fingerprints are serials too).
    if (chosen != 3 || fit[3] != seen) {
      SM_FUZZ_CHECK(fit[chosen] == seen || (fit[chosen] >= 2 && 2 * fit[chosen] > seen), head);
      for (int i = 0; i < 4; ++i) SM_FUZZ_CHECK(i == chosen || fit[i] < 2, head);
    }
    if (chosen != 3) SM_FUZZ_CHECK(fit[3] < seen || seen == 0, head);
  }
  ParseAll(**parser, head);
}

}  // namespace
}  // namespace serialmatch::dump

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::dump::CheckDetect(serialmatch::fuzz::AsText(data, size));
  return 0;
}
