#include "src/dump/le2020_parser.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/base/time.h"

namespace serialmatch::dump {
namespace {

constexpr absl::string_view kSerialPrefix = "serial ";
constexpr absl::string_view kNamesOpen = " names: [";
constexpr absl::string_view kAt = " at ";

// How lines of the 2020 list usually end: " at " and a UTC time as Go prints it ('0' for a digit),
// with nanoseconds (nine digits, unless the last ones are zeros) or whole seconds.
constexpr absl::string_view kUsualEnds[] = {" at 0000-00-00 00:00:00.000000000 +0000 UTC",
                                            " at 0000-00-00 00:00:00 +0000 UTC"};

// Where the " at " of a usual end of `text` is (a usual end holds no other " at "), or npos.
size_t UsualEndAt(absl::string_view text) {
  for (const absl::string_view end : kUsualEnds) {
    if (text.size() >= end.size() && StartsWithShape(text.substr(text.size() - end.size()), end)) {
      return text.size() - end.size();
    }
  }
  return absl::string_view::npos;
}

// The position of the last " at " in `text`, or npos. The time after it has no 'a', so the first
// 'a' from the end is usually the one: one memrchr instead of string_view::rfind's byte loop.
size_t FindLastAt(absl::string_view text) {
  const char* const begin = text.data();
  size_t size = text.size();
  while (const void* found = ::memrchr(begin, 'a', size)) {
    const char* a = static_cast<const char*>(found);
    const size_t pos = static_cast<size_t>(a - begin);
    if (pos >= 1 && pos + 2 < text.size() && a[-1] == ' ' && a[1] == 't' && a[2] == ' ') {
      return pos - 1;
    }
    size = pos;
  }
  return absl::string_view::npos;
}

// Whether c is a space for absl::StripAsciiWhitespace.
bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

// The serial that starts `line` ("serial <hex> ..."), canonical, into record->serial; sets
// `*end_of_serial` to the space after it. kRecord when it was read; otherwise what Parse answers
// for the line.
LineKind ReadSerial(absl::string_view line, DumpRecord* record, std::string* reason,
                    const char** end_of_serial) {
  if (!absl::StartsWith(line, kSerialPrefix)) {
    // Off the hot path: only lines that are not records get here.
    if (IsCommentLine(line) || absl::StripAsciiWhitespace(line).empty()) return LineKind::kSkip;
    return MalformedLine(reason, "expected a line starting with 'serial '", line);
  }
  // Short spans are scanned with plain loops: cheaper than a memchr call each.
  const char* const end = line.data() + line.size();
  const char* const serial_begin = line.data() + kSerialPrefix.size();
  if (const size_t n = CanonicalSerialWord(
          absl::string_view(serial_begin, static_cast<size_t>(end - serial_begin)));
      n != 0) {
    // The usual serial, already canonical (checked by the same rules as CanonicalizeSerial's).
    record->serial = absl::string_view(serial_begin, n);
    *end_of_serial = serial_begin + n;
    return LineKind::kRecord;
  }
  const char* p = serial_begin;
  while (p < end && *p != ' ') ++p;
  if (p == end) return MalformedLine(reason, "expected ' names: [' after the serial", line);
  absl::StatusOr<absl::string_view> serial =
      CanonicalizeSerial(absl::string_view(serial_begin, static_cast<size_t>(p - serial_begin)),
                         &record->serial_scratch);
  if (!serial.ok()) {
    *reason = std::string(serial.status().message());
    return LineKind::kMalformed;
  }
  record->serial = *serial;
  *end_of_serial = p;
  return LineKind::kRecord;
}

}  // namespace

bool Le2020Parser::Looks(absl::string_view line) {
  return absl::StartsWith(line, kSerialPrefix) && absl::StrContains(line, kNamesOpen);
}

LineKind Le2020Parser::ParseSerial(absl::string_view line, DumpRecord* record,
                                   std::string* reason) const {
  const char* end_of_serial;
  return ReadSerial(line, record, reason, &end_of_serial);
}

LineKind Le2020Parser::Parse(absl::string_view line, DumpRecord* record,
                             std::string* reason) const {
  record->Clear();
  const char* p;
  if (const LineKind kind = ReadSerial(line, record, reason, &p); kind != LineKind::kRecord) {
    return kind;
  }
  const char* const end = line.data() + line.size();

  // The names list opens at the first '[' (the account id and the names hash have none).
  const absl::string_view after_serial(p, static_cast<size_t>(end - p));
  const void* bracket = std::memchr(p, '[', static_cast<size_t>(end - p));
  const size_t open = bracket == nullptr
                          ? absl::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(bracket) - p);
  if (open == absl::string_view::npos || open + 1 < kNamesOpen.size() ||
      after_serial.substr(open + 1 - kNamesOpen.size(), kNamesOpen.size()) != kNamesOpen) {
    return MalformedLine(reason, "expected ' names: [' after the serial", line);
  }
  // Between the serial and the names: account id, then the names hash. The account is the first
  // word of that span, stripped of whitespace (a plain loop: the span is short and starts with it).
  {
    const char* a = p;
    const char* const a_end = p + (open + 1 - kNamesOpen.size());
    while (a < a_end && IsSpace(*a)) ++a;
    const char* word_end = a;
    while (word_end < a_end && *word_end != ' ') ++word_end;
    while (word_end > a && IsSpace(word_end[-1])) --word_end;
    record->account = absl::string_view(a, static_cast<size_t>(word_end - a));
  }

  p += open + 1;
  const void* close = std::memchr(p, ']', static_cast<size_t>(end - p));
  if (close == nullptr) {
    return MalformedLine(reason, "unterminated names list (no ']')",
                         line.substr(line.size() > 60 ? line.size() - 60 : 0));
  }
  record->SetNameList(
      absl::string_view(p, static_cast<size_t>(static_cast<const char*>(close) - p)));
  p = static_cast<const char*>(close);

  // The issue time follows the last " at ", near the end of the line: a usual end has it in its
  // shape, any other is looked for and checked.
  const absl::string_view rest(p + 1, static_cast<size_t>(end - p - 1));
  size_t at = UsualEndAt(rest);
  if (at == absl::string_view::npos) {
    at = FindLastAt(rest);
    if (at == absl::string_view::npos ||
        !StartsWithShape(rest.substr(at + kAt.size()), "0000-00-00 00:00:00")) {
      return MalformedLine(reason, "expected ' at <issue time>' at the end of the line", rest);
    }
  }
  record->issued_at = rest.substr(at + kAt.size());
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
