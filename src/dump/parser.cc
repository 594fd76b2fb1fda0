#include "src/dump/parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/dump/crl_parser.h"
#include "src/dump/crtsh_json_parser.h"
#include "src/dump/csv_parsers.h"
#include "src/dump/le2020_parser.h"
#include "src/dump/line_scanner.h"
#include "src/dump/regex_parser.h"
#include "src/dump/serials_parser.h"
#include "src/dump/sha256_parser.h"

namespace serialmatch::dump {
namespace {

constexpr DumpFormat kFormats[] = {
    DumpFormat::kLe2020,    DumpFormat::kSerials,   DumpFormat::kSha256, DumpFormat::kLe2022Csv,
    DumpFormat::kCcadbCsv,  DumpFormat::kCrtshJson, DumpFormat::kCrl,    DumpFormat::kRegex};

// The first line of `head` that is neither blank nor a '#' comment, without a BOM and line
// terminator: the header of a ccadb-csv dump.
absl::string_view FirstLine(absl::string_view head) {
  absl::string_view first;
  bool found = false;
  ForEachLine(StripBom(head), [&](absl::string_view line, uint64_t) {
    if (!found && !IsCommentLine(line) && !absl::StripAsciiWhitespace(line).empty()) {
      first = line;
      found = true;
    }
  });
  return first;
}

// How many of the lines DetectFormat looks at fit one line format.
struct Vote {
  DumpFormat format;
  int lines = 0;
};

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
    case DumpFormat::kSha256:
      return std::make_unique<Sha256Parser>();
    case DumpFormat::kCrl:
      return std::make_unique<CrlParser>();
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
    case DumpFormat::kSha256:
      return "sha256";
    case DumpFormat::kCrl:
      return "crl";
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
  // First, by content: a DER CRL is binary, and a PEM one may follow any text.
  if (CrlParser::Looks(head)) return DumpFormat::kCrl;
  // A tar archive (perhaps out of a .tar.gz) starts with the text of a file name; its magic number
  // is at byte 257 of the header.
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") {
    return absl::InvalidArgumentError("tar archive; not supported, extract it first");
  }
  head = StripBom(head);
  if (CrtshJsonParser::Looks(head)) return DumpFormat::kCrtshJson;
  // The last line of `head` may be cut short; look only at complete lines unless that is all there
  // is.
  const size_t last_newline = head.rfind('\n');
  if (last_newline != absl::string_view::npos) head = head.substr(0, last_newline + 1);
  const absl::string_view first = FirstLine(head);
  if (CcadbCsvParser::LooksLikeHeader(first) && !Le2022CsvParser::Looks(first)) {
    return DumpFormat::kCcadbCsv;
  }

  // Each of the first lines votes for the line formats it fits. One damaged line (binary junk, a
  // line cut by a download, a stray line) must not hide the format of the others: it loses the
  // vote, and the parser then reports it as malformed like any other bad line.
  int seen = 0;
  Vote votes[] = {{DumpFormat::kLe2020},
                  {DumpFormat::kLe2022Csv},
                  {DumpFormat::kSerials},
                  {DumpFormat::kSha256}};
  Vote& sha256 = votes[3];
  std::string scratch;
  ForEachLine(head, [&](absl::string_view line, uint64_t) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    // Blank lines, comments and a serials or fingerprint list's header say nothing about the
    // format.
    if (text.empty() || seen >= kDetectLines) return;
    if (IsCommentLine(text) || SerialsParser::IsHeader(text) || Sha256Parser::IsHeader(text)) {
      return;
    }
    ++seen;
    votes[0].lines += Le2020Parser::Looks(text);
    votes[1].lines += Le2022CsvParser::Looks(text);
    votes[2].lines += CanonicalizeSerial(text, &scratch).ok();
    sha256.lines += Sha256Parser::Classify(text) != Sha256Parser::Shape::kOther;
  });
  // Every line a fingerprint or a crt.sh link: a fingerprint list, though bare fingerprints are
  // valid serials too (see the header).
  if (seen > 0 && sha256.lines == seen) return DumpFormat::kSha256;
  // The winner has every line, or a clear majority: at least two lines, more than half of them,
  // and no other format with two lines or more (a dump that mixes formats is not guessed at).
  const Vote* best = &votes[0];
  for (const Vote& v : votes) {
    if (v.lines > best->lines) best = &v;
  }
  bool rival = false;
  for (const Vote& v : votes) rival |= &v != best && v.lines >= 2;
  if (best->lines > 0 && !rival &&
      (best->lines == seen || (best->lines >= 2 && 2 * best->lines > seen))) {
    return best->format;
  }
  std::string why;
  if (seen == 0) {
    why = "no certificate lines found to recognise the format";
  } else {
    // "of the first 8 lines, 4 look like le2020, 4 like serials"
    std::string tally = absl::StrCat("of the first ", seen, seen == 1 ? " line" : " lines");
    bool any = false;
    for (const Vote& v : votes) {
      if (v.lines == 0) continue;  // a format no line fits is not worth naming
      absl::StrAppend(&tally, ", ", v.lines, any ? "" : (v.lines == 1 ? " looks" : " look"),
                      " like ", FormatName(v.format));
      any = true;
    }
    if (!any) absl::StrAppend(&tally, ", none looks like le2020, le2022-csv, serials or sha256");
    why = absl::StrCat("cannot recognise the dump format from its first lines (", tally, ")");
    if (votes[2].lines > 0 && sha256.lines > 0) {
      absl::StrAppend(&why,
                      "; a line of 64 hex digits is a SHA-256 fingerprint or a 32-byte serial: "
                      "say which with --dump-format sha256 or --dump-format serials");
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(why, "; known formats: ", KnownFormatNames(),
                   "; name one with --dump-format (or describe the lines with --dump-pattern)"));
}

}  // namespace serialmatch::dump
