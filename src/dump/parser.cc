#include "src/dump/parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/serials_parser.h"

namespace serialmatch::dump {
namespace {

constexpr DumpFormat kFormats[] = {DumpFormat::kLe2020, DumpFormat::kSerials};

// How many non-empty lines DetectFormat looks at.
constexpr int kDetectLines = 8;

}  // namespace

std::unique_ptr<DumpParser> MakeParser(DumpFormat format) {
  switch (format) {
    case DumpFormat::kLe2020:
      return std::make_unique<Le2020Parser>();
    case DumpFormat::kSerials:
      return std::make_unique<SerialsParser>();
  }
  return nullptr;
}

absl::string_view FormatName(DumpFormat format) {
  switch (format) {
    case DumpFormat::kLe2020:
      return "le2020";
    case DumpFormat::kSerials:
      return "serials";
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
  // The last line of `head` may be cut short; look only at complete lines unless that is all there
  // is.
  const size_t last_newline = head.rfind('\n');
  if (last_newline != absl::string_view::npos) head = head.substr(0, last_newline + 1);

  int seen = 0;
  int le2020 = 0;
  int serials = 0;
  std::string scratch;
  ForEachLine(head, [&](absl::string_view line, uint64_t) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || seen >= kDetectLines) return;
    if (text[0] == '#' || SerialsParser::IsHeader(text)) return;
    ++seen;
    if (Le2020Parser::Looks(text)) ++le2020;
    if (CanonicalizeSerial(text, &scratch).ok()) ++serials;
  });
  if (seen > 0 && le2020 == seen) return DumpFormat::kLe2020;
  if (seen > 0 && serials == seen) return DumpFormat::kSerials;
  return absl::InvalidArgumentError(
      absl::StrCat(seen == 0 ? "no certificate lines found to recognise the format"
                             : "cannot recognise the dump format from its first lines",
                   "; known formats: ", KnownFormatNames(), "; name one with --dump-format"));
}

}  // namespace serialmatch::dump
