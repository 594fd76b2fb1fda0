#include "src/dump/crtsh_json_parser.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "simdjson.h"
#include "src/base/serial.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::dump {
namespace {

static_assert(kDocumentPadding >= simdjson::SIMDJSON_PADDING);

absl::string_view View(std::string_view s) { return {s.data(), s.size()}; }

// Tracks the line of positions in the text, moving forward only.
class LineCounter {
 public:
  explicit LineCounter(absl::string_view text) : text_(text) {}
  uint64_t LineOf(const char* at) {
    const size_t offset =
        std::min(static_cast<size_t>(std::max<ptrdiff_t>(at - text_.data(), 0)), text_.size());
    if (offset > counted_) {
      line_ +=
          static_cast<uint64_t>(std::count(text_.begin() + static_cast<ptrdiff_t>(counted_),
                                           text_.begin() + static_cast<ptrdiff_t>(offset), '\n'));
      counted_ = offset;
    }
    return line_;
  }

 private:
  absl::string_view text_;
  size_t counted_ = 0;
  uint64_t line_ = 1;
};

}  // namespace

bool CrtshJsonParser::Looks(absl::string_view head) {
  head = absl::StripLeadingAsciiWhitespace(StripBom(head));
  return absl::StartsWith(head, "[") &&
         (absl::StrContains(head, "\"serial_number\"") ||
          absl::StrContains(head, "\"name_value\"") || absl::StripAsciiWhitespace(head) == "[]");
}

LineKind CrtshJsonParser::Parse(absl::string_view, DumpRecord* record, std::string* reason) const {
  record->Clear();
  *reason = "crtsh-json is parsed as a whole document, not line by line";
  return LineKind::kMalformed;
}

absl::Status CrtshJsonParser::ParseDocument(
    absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
    absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const {
  text = StripBom(text);
  simdjson::ondemand::parser parser;
  LineCounter lines(text);
  auto fail = [&](simdjson::error_code error, const char* at) {
    return absl::InvalidArgumentError(absl::StrCat("invalid JSON at line ", lines.LineOf(at), ": ",
                                                   simdjson::error_message(error)));
  };
  simdjson::ondemand::document doc;
  if (auto error =
          parser.iterate(text.data(), text.size(), text.size() + kDocumentPadding).get(doc)) {
    return fail(error, text.data());
  }
  simdjson::ondemand::array array;
  if (auto error = doc.get_array().get(array)) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a JSON array of certificates: ", simdjson::error_message(error)));
  }
  for (auto element : array) {
    simdjson::ondemand::value value;
    if (auto error = element.get(value)) return fail(error, text.data() + text.size());
    const std::string_view token = value.raw_json_token();
    const uint64_t line = lines.LineOf(token.data());
    simdjson::ondemand::object object;
    if (value.get_object().get(object)) {
      on_malformed(line, "array element is not an object");
      continue;
    }
    record->Clear();
    absl::string_view serial_text;
    absl::string_view names;
    absl::string_view common_name;
    bool bad_field = false;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return fail(error, token.data());
      std::string_view string_value;
      const bool is_string = !field.value().get_string().get(string_value);
      const absl::string_view v = is_string ? View(string_value) : absl::string_view();
      if (key == "serial_number") {
        bad_field |= !is_string;
        serial_text = v;
      } else if (key == "name_value") {
        names = v;
      } else if (key == "common_name") {
        common_name = v;
      } else if (key == "issuer_name") {
        record->issuer = v;
      } else if (key == "not_before") {
        record->issued_at = v;
      } else if (key == "not_after") {
        record->not_after = v;
      }
    }
    if (bad_field || serial_text.empty()) {
      on_malformed(line, "object without a serial_number string");
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

}  // namespace serialmatch::dump
