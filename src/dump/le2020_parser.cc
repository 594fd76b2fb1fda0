#include "src/dump/le2020_parser.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"

namespace serialmatch::dump {
namespace {

constexpr absl::string_view kSerialPrefix = "serial ";
constexpr absl::string_view kNamesOpen = " names: [";
constexpr absl::string_view kAt = " at ";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "YYYY-MM-DD hh:mm:ss" at the start of `text`: the shape check done on every line; the full parse
// happens only for records that become findings.
bool LooksLikeTime(absl::string_view text) {
  static constexpr absl::string_view kShape = "0000-00-00 00:00:00";
  if (text.size() < kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == '0' ? !IsDigit(text[i]) : text[i] != kShape[i]) return false;
  }
  return true;
}

LineKind Malformed(std::string* reason, absl::string_view what, absl::string_view got) {
  *reason = absl::StrCat(what, ", got '", QuoteForMessage(got), "'");
  return LineKind::kMalformed;
}

}  // namespace

bool Le2020Parser::Looks(absl::string_view line) {
  return absl::StartsWith(line, kSerialPrefix) && absl::StrContains(line, kNamesOpen);
}

LineKind Le2020Parser::Parse(absl::string_view line, DumpRecord* record, std::string* reason) const {
  record->Clear();
  if (absl::StripAsciiWhitespace(line).empty()) return LineKind::kSkip;
  if (!absl::StartsWith(line, kSerialPrefix)) {
    return Malformed(reason, "expected a line starting with 'serial '", line);
  }
  absl::string_view rest = line.substr(kSerialPrefix.size());
  const size_t serial_end = rest.find(' ');
  if (serial_end == absl::string_view::npos) {
    return Malformed(reason, "expected ' names: [' after the serial", line);
  }
  absl::StatusOr<absl::string_view> serial =
      CanonicalizeSerial(rest.substr(0, serial_end), &record->serial_scratch);
  if (!serial.ok()) {
    *reason = std::string(serial.status().message());
    return LineKind::kMalformed;
  }
  record->serial = *serial;
  rest.remove_prefix(serial_end);

  const size_t names_open = rest.find(kNamesOpen);
  if (names_open == absl::string_view::npos) {
    return Malformed(reason, "expected ' names: [' after the serial", line);
  }
  // Between the serial and the names: account id, then the names hash.
  absl::string_view between = absl::StripAsciiWhitespace(rest.substr(0, names_open));
  record->account = between.substr(0, between.find(' '));
  rest.remove_prefix(names_open + kNamesOpen.size());

  const size_t names_close = rest.find(']');
  if (names_close == absl::string_view::npos) {
    return Malformed(reason, "unterminated names list (no ']')", line.substr(line.size() > 60 ? line.size() - 60 : 0));
  }
  absl::string_view names = rest.substr(0, names_close);
  while (!names.empty()) {
    const size_t space = names.find(' ');
    const absl::string_view name = names.substr(0, space);
    if (!name.empty()) record->names.push_back(name);
    if (space == absl::string_view::npos) break;
    names.remove_prefix(space + 1);
  }
  rest.remove_prefix(names_close + 1);

  const size_t at = rest.rfind(kAt);
  if (at == absl::string_view::npos || !LooksLikeTime(rest.substr(at + kAt.size()))) {
    return Malformed(reason, "expected ' at <issue time>' at the end of the line", rest);
  }
  record->issued_at = rest.substr(at + kAt.size());
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
