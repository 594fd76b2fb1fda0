#include "src/dump/parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/dump/crtsh_json_parser.h"
#include "src/dump/csv_parsers.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/regex_parser.h"
#include "src/dump/serials_parser.h"

namespace serialmatch::dump {
namespace {

constexpr DumpFormat kFormats[] = {DumpFormat::kLe2020,    DumpFormat::kSerials,
                                   DumpFormat::kLe2022Csv, DumpFormat::kCcadbCsv,
                                   DumpFormat::kCrtshJson, DumpFormat::kRegex};

// How many non-empty lines DetectFormat looks at.
constexpr int kDetectLines = 8;

// The first non-empty line of `head`, without a BOM and line terminator.
absl::string_view FirstLine(absl::string_view head) {
  absl::string_view first;
  ForEachLine(StripBom(head), [&](absl::string_view line, uint64_t) {
    if (first.empty() && !absl::StripAsciiWhitespace(line).empty()) first = line;
  });
  return first;
}

}  // namespace

LineKind MalformedLine(std::string* reason, absl::string_view what, absl::string_view got) {
  *reason = absl::StrCat(what, ", got '", QuoteForMessage(got), "'");
  return LineKind::kMalformed;
}

absl::Status DumpParser::ParseDocument(absl::string_view, DumpRecord*,
                                       absl::FunctionRef<void(uint64_t)>,
                                       absl::FunctionRef<void(uint64_t, absl::string_view)>) const {
  return absl::UnimplementedError("this dump format is parsed line by line");
}

absl::StatusOr<std::unique_ptr<DumpParser>> MakeParser(DumpFormat format,
                                                       const ParserOptions& options) {
  switch (format) {
    case DumpFormat::kLe2020:
      return std::make_unique<Le2020Parser>();
    case DumpFormat::kSerials:
      return std::make_unique<SerialsParser>();
    case DumpFormat::kLe2022Csv:
      return std::make_unique<Le2022CsvParser>();
    case DumpFormat::kCcadbCsv: {
      SM_ASSIGN_OR_RETURN(std::unique_ptr<CcadbCsvParser> parser,
                          CcadbCsvParser::Create(FirstLine(options.head)));
      return parser;
    }
    case DumpFormat::kCrtshJson:
      return std::make_unique<CrtshJsonParser>();
    case DumpFormat::kRegex: {
      if (options.pattern.empty()) {
        return absl::InvalidArgumentError("--dump-format regex needs --dump-pattern");
      }
      SM_ASSIGN_OR_RETURN(std::unique_ptr<RegexParser> parser,
                          RegexParser::Create(options.pattern));
      return parser;
    }
  }
  return absl::InternalError("unknown dump format");
}

absl::string_view FormatName(DumpFormat format) {
  switch (format) {
    case DumpFormat::kLe2020:
      return "le2020";
    case DumpFormat::kSerials:
      return "serials";
    case DumpFormat::kLe2022Csv:
      return "le2022-csv";
    case DumpFormat::kCcadbCsv:
      return "ccadb-csv";
    case DumpFormat::kCrtshJson:
      return "crtsh-json";
    case DumpFormat::kRegex:
      return "regex";
  }
  return "?";
}

std::string KnownFormatNames() {
  std::string out;
  for (DumpFormat f : kFormats) absl::StrAppend(&out, out.empty() ? "" : ", ", FormatName(f));
  return out;
}

absl::StatusOr<DumpFormat> FormatByName(absl::string_view name) {
  for (DumpFormat f : kFormats) {
    if (name == FormatName(f)) return f;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown dump format '", QuoteForMessage(name),
                                                 "'; known formats: ", KnownFormatNames()));
}

absl::StatusOr<DumpFormat> DetectFormat(absl::string_view head) {
  head = StripBom(head);
  if (CrtshJsonParser::Looks(head)) return DumpFormat::kCrtshJson;
  // The last line of `head` may be cut short; look only at complete lines unless that is all there
  // is.
  const size_t last_newline = head.rfind('\n');
  if (last_newline != absl::string_view::npos) head = head.substr(0, last_newline + 1);
  if (CcadbCsvParser::LooksLikeHeader(FirstLine(head)) &&
      !Le2022CsvParser::Looks(FirstLine(head))) {
    return DumpFormat::kCcadbCsv;
  }

  int seen = 0;
  int le2020 = 0;
  int le2022 = 0;
  int serials = 0;
  std::string scratch;
  ForEachLine(head, [&](absl::string_view line, uint64_t) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || seen >= kDetectLines) return;
    if (text[0] == '#' || SerialsParser::IsHeader(text)) return;
    ++seen;
    le2020 += Le2020Parser::Looks(text);
    le2022 += Le2022CsvParser::Looks(text);
    serials += CanonicalizeSerial(text, &scratch).ok();
  });
  if (seen > 0 && le2020 == seen) return DumpFormat::kLe2020;
  if (seen > 0 && le2022 == seen) return DumpFormat::kLe2022Csv;
  if (seen > 0 && serials == seen) return DumpFormat::kSerials;
  return absl::InvalidArgumentError(
      absl::StrCat(seen == 0 ? "no certificate lines found to recognise the format"
                             : "cannot recognise the dump format from its first lines",
                   "; known formats: ", KnownFormatNames(),
                   "; name one with --dump-format (or describe the lines with --dump-pattern)"));
}

}  // namespace serialmatch::dump
