#include "src/dump/regex_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"

namespace serialmatch::dump {
namespace {

re2::RE2::Options PatternOptions() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(re2::RE2::Options::EncodingLatin1);  // dumps are bytes, not always UTF-8
  return options;
}

absl::string_view View(const re2::StringPiece& piece) { return {piece.data(), piece.size()}; }

}  // namespace

RegexParser::RegexParser(absl::string_view pattern)
    : re_(re2::StringPiece(pattern.data(), pattern.size()), PatternOptions()) {}

absl::StatusOr<std::unique_ptr<RegexParser>> RegexParser::Create(absl::string_view pattern) {
  auto parser = std::unique_ptr<RegexParser>(new RegexParser(pattern));
  if (!parser->re_.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--dump-pattern: ", parser->re_.error(),
                                                   ", in '", QuoteForMessage(pattern), "'"));
  }
  parser->groups_ = parser->re_.NumberOfCapturingGroups();
  if (parser->groups_ >= kMaxGroups) {
    return absl::InvalidArgumentError(
        absl::StrCat("--dump-pattern: at most ", kMaxGroups - 1, " capturing groups"));
  }
  struct Slot {
    const char* name;
    int RegexParser::*group;
  };
  static constexpr Slot kSlots[] = {
      {"serial", &RegexParser::serial_},       {"names", &RegexParser::names_},
      {"issued_at", &RegexParser::issued_at_}, {"not_after", &RegexParser::not_after_},
      {"account", &RegexParser::account_},     {"issuer", &RegexParser::issuer_},
  };
  for (const auto& [name, group] : parser->re_.NamedCapturingGroups()) {
    bool known = false;
    for (const Slot& slot : kSlots) {
      if (name == slot.name) {
        parser.get()->*slot.group = group;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("--dump-pattern: unknown group name '", name,
                       "'; use serial, names, issued_at, not_after, account, issuer"));
    }
  }
  if (parser->serial_ == 0 && parser->names_ == 0) {
    return absl::InvalidArgumentError(
        "--dump-pattern: needs a (?P<serial>...) or a (?P<names>...) group");
  }
  return parser;
}

LineKind RegexParser::Parse(absl::string_view line, DumpRecord* record, std::string* reason) const {
  const LineKind kind = ParseMatch(line, record, reason);
  // The pattern decides first: a '#' line it matches is a record, one it does not is a comment.
  if (kind == LineKind::kMalformed && IsCommentLine(line)) {
    record->Clear();
    return LineKind::kSkip;
  }
  return kind;
}

LineKind RegexParser::ParseMatch(absl::string_view line, DumpRecord* record,
                                 std::string* reason) const {
  record->Clear();
  if (absl::StripAsciiWhitespace(line).empty()) return LineKind::kSkip;
  re2::StringPiece groups[kMaxGroups];
  if (!re_.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), re2::RE2::UNANCHORED,
                 groups, groups_ + 1)) {
    *reason = absl::StrCat("line does not match --dump-pattern, got '", QuoteForMessage(line), "'");
    return LineKind::kMalformed;
  }
  auto group = [&](int number) {
    return number == 0 ? absl::string_view() : absl::StripAsciiWhitespace(View(groups[number]));
  };
  record->SetNameList(group(names_));
  if (!group(serial_).empty()) {
    absl::StatusOr<absl::string_view> serial =
        CanonicalizeSerial(group(serial_), &record->serial_scratch);
    if (!serial.ok()) {
      *reason = std::string(serial.status().message());
      return LineKind::kMalformed;
    }
    record->serial = *serial;
  } else if (record->names().empty()) {
    *reason = absl::StrCat("the pattern matched neither a serial nor names in '",
                           QuoteForMessage(line), "'");
    return LineKind::kMalformed;
  }
  record->issued_at = group(issued_at_);
  record->not_after = group(not_after_);
  record->account = group(account_);
  record->issuer = group(issuer_);
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
