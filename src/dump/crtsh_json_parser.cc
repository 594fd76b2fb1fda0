#include "src/dump/crtsh_json_parser.h"

#include <algorithm>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "simdjson.h"
#include "src/base/diagnostics.h"
#include "src/base/line_counter.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::dump {
namespace {

static_assert(kDocumentPadding >= simdjson::SIMDJSON_PADDING);

absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

// JSON's whitespace, and a byte order mark (files saved by an editor, then appended), between the
// arrays of a sequence.
size_t SkipSpace(absl::string_view text, size_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else if (text.substr(pos, 3) == "\xEF\xBB\xBF") {
      pos += 3;
    } else {
      break;
    }
  }
  return pos;
}

// Finds where a JSON array ends, a byte at a time or 16 at a time: only quotes, backslashes and
// brackets matter, and Step() is called for each of them in order.
class ArrayEndFinder {
 public:
  // Whether the byte at `p` (a '"', '\\', '[' or ']') closes the array.
  bool Step(const char* p) {
    if (p == escaped_) return false;  // the byte after a backslash in a string
    const char c = *p;
    if (in_string_) {
      if (c == '"') {
        in_string_ = false;
      } else if (c == '\\') {
        escaped_ = p + 1;
      }
      return false;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '[') {
      ++depth_;
    } else if (c == ']') {
      return --depth_ == 0;
    }
    return false;  // a backslash outside a string: simdjson reports it
  }

 private:
  bool in_string_ = false;
  const char* escaped_ = nullptr;
  uint64_t depth_ = 0;
};

bool IsArrayByte(char c) { return c == '"' || c == '\\' || c == '[' || c == ']'; }

// The offset just after the ']' that closes the array opening at text[start] ('['), or npos when
// the text ends first. Strings are skipped with their escapes; only brackets are counted, so an
// array that is otherwise broken is still cut where its brackets balance and simdjson then says
// what is wrong inside it.
size_t FindArrayEnd(absl::string_view text, size_t start) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin + start;
  ArrayEndFinder finder;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('[');
  const __m128i close = _mm_set1_epi8(']');
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, open), _mm_cmpeq_epi8(v, close)));
    for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0;
         mask &= mask - 1) {
      const char* at = p + __builtin_ctz(mask);
      if (finder.Step(at)) return static_cast<size_t>(at + 1 - begin);
    }
  }
#endif
  for (; p < end; ++p) {
    if (IsArrayByte(*p) && finder.Step(p)) return static_cast<size_t>(p + 1 - begin);
  }
  return absl::string_view::npos;
}

// "second JSON array", "12th JSON array"; the first is "JSON array" (most files hold one).
std::string ArrayName(int n) {
  static constexpr const char* kWords[] = {"",        "",       "second ", "third ",
                                           "fourth ", "fifth ", "sixth ",  "seventh ",
                                           "eighth ", "ninth ", "tenth "};
  if (n <= 10) return absl::StrCat(kWords[n], "JSON array");
  const int mod100 = n % 100;
  const int mod10 = n % 10;
  const char* suffix = mod100 >= 11 && mod100 <= 13 ? "th"
                       : mod10 == 1                 ? "st"
                       : mod10 == 2                 ? "nd"
                       : mod10 == 3                 ? "rd"
                                                    : "th";
  return absl::StrCat(n, suffix, " JSON array");
}

// Parses `text`, one JSON array of the dump (the `array`th), followed by readable memory up to
// `capacity` bytes from its start; reports its elements as ParseDocument does.
absl::Status ParseArray(
    simdjson::ondemand::parser& parser, absl::string_view text, size_t capacity, int array,
    LineCounter* lines, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
    absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) {
  const std::string where = array == 1 ? "" : absl::StrCat(" (in the ", ArrayName(array), ")");
  auto fail = [&](simdjson::error_code error, const char* at) {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON at line ", lines->LineOf(at),
                                                   where, ": ", simdjson::error_message(error)));
  };
  simdjson::ondemand::document doc;
  if (auto error = parser.iterate(text.data(), text.size(), capacity).get(doc)) {
    return fail(error, text.data());
  }
  simdjson::ondemand::array elements;
  if (auto error = doc.get_array().get(elements)) return fail(error, text.data());
  for (auto element : elements) {
    simdjson::ondemand::value value;
    if (auto error = element.get(value)) return fail(error, text.data() + text.size());
    const std::string_view token = value.raw_json_token();
    const uint64_t line = lines->LineOf(token.data());
    simdjson::ondemand::object object;
    if (value.get_object().get(object)) {
      on_malformed(line, "array element is not an object");
      continue;
    }
    record->Clear();
    absl::string_view serial_text;
    absl::string_view names;
    absl::string_view common_name;
    // A key this parser reads whose value is neither a string nor null: the element is not what
    // crt.sh writes, and taking it without the field (names above all) would hide a certificate.
    absl::string_view bad_field;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return fail(error, token.data());
      absl::string_view* slot = key == "serial_number" ? &serial_text
                                : key == "name_value"  ? &names
                                : key == "common_name" ? &common_name
                                : key == "issuer_name" ? &record->issuer
                                : key == "not_before"  ? &record->issued_at
                                : key == "not_after"   ? &record->not_after
                                                       : nullptr;
      if (slot == nullptr) continue;  // crt.sh's other keys (id, entry_timestamp, ...): not used
      std::string_view string_value;
      if (!field.value().get_string().get(string_value)) {
        *slot = View(string_value);
        continue;
      }
      // A serial_number that is not a string leaves serial_text empty, which is reported below.
      bool is_null = false;
      if (key != "serial_number" && (field.value().is_null().get(is_null) || !is_null)) {
        bad_field = View(key);
      }
    }
    if (serial_text.empty()) {
      on_malformed(line, "object without a serial_number string");
      continue;
    }
    if (!bad_field.empty()) {
      on_malformed(line, absl::StrCat("'", QuoteForMessage(bad_field), "' is not a string"));
      continue;
    }
    absl::StatusOr<absl::string_view> serial =
        CanonicalizeSerial(serial_text, &record->serial_scratch);
    if (!serial.ok()) {
      on_malformed(line, serial.status().message());
      continue;
    }
    record->serial = *serial;
    record->SetNameList(names.empty() ? common_name : names);
    on_record(line);
  }
  return absl::OkStatus();
}

}  // namespace

bool CrtshJsonParser::Looks(absl::string_view head) {
  head = absl::StripLeadingAsciiWhitespace(StripBom(head));
  if (!absl::StartsWith(head, "[")) return false;
  if (absl::StrContains(head, "\"serial_number\"") || absl::StrContains(head, "\"name_value\"")) {
    return true;
  }
  // "[]", "[]\n[]": crt.sh's answers for names it has no certificates of.
  for (size_t pos = SkipSpace(head, 0); pos < head.size(); pos = SkipSpace(head, pos + 2)) {
    if (head.substr(pos, 2) != "[]") return false;
  }
  return true;
}

LineKind CrtshJsonParser::Parse(absl::string_view, DumpRecord* record, std::string* reason) const {
  record->Clear();
  *reason = "crtsh-json is parsed as a whole document, not line by line";
  return LineKind::kMalformed;
}

absl::Status CrtshJsonParser::ParseDocument(
    absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
    absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const {
  simdjson::ondemand::parser parser;
  LineCounter lines(text);
  size_t pos = SkipSpace(text, 0);
  if (pos == text.size()) {
    return absl::InvalidArgumentError("expected a JSON array of certificates, got an empty dump");
  }
  for (int array = 1; pos < text.size(); ++array) {
    const uint64_t line = lines.LineOf(text.data() + pos);
    if (text[pos] != '[') {
      const absl::string_view got = text.substr(pos, 40);
      if (array == 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("expected a JSON array of certificates at line ", line, ", got '",
                         QuoteForMessage(got), "'"));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("trailing data after the ", ArrayName(array - 1), " at byte ", pos,
                       " (line ", line, "), got '", QuoteForMessage(got), "'"));
    }
    const size_t end = FindArrayEnd(text, pos);
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          ArrayName(array), " truncated at byte ", text.size(), ": the dump ends before the ']' of",
          " the array that starts at byte ", pos, " (line ", line, ")"));
    }
    // The bytes after the array, then the padding after `text`, are its simdjson padding.
    SM_RETURN_IF_ERROR(ParseArray(parser, text.substr(pos, end - pos),
                                  text.size() - pos + kDocumentPadding, array, &lines, record,
                                  on_record, on_malformed));
    pos = SkipSpace(text, end);
  }
  return absl::OkStatus();
}

}  // namespace serialmatch::dump
