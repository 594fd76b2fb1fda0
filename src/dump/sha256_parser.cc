#include "src/dump/sha256_parser.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace serialmatch::dump {
namespace {

constexpr size_t kHexDigits = 64;  // 32 bytes
constexpr size_t kColonSeparatedSize = kHexDigits + kHexDigits / 2 - 1;

bool IsHex(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }

bool IsDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// True when `text` is 64 hex digits, bare or as 32 colon-separated bytes.
bool IsFingerprint(absl::string_view text) {
  if (text.size() == kHexDigits) {
    for (char c : text) {
      if (!IsHex(c)) return false;
    }
    return true;
  }
  if (text.size() != kColonSeparatedSize) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % 3 == 2 ? text[i] != ':' : !IsHex(text[i])) return false;
  }
  return true;
}

// Sets record->cert_sha256 to the fingerprint `text` (see IsFingerprint) in lowercase hex without
// colons, kept in record->serial_scratch; kMalformed saying what is wrong with it otherwise.
LineKind SetFingerprint(absl::string_view text, DumpRecord* record, std::string* reason) {
  if (!IsFingerprint(text)) {
    size_t digits = 0;
    for (char c : text) {
      if (c == ':') continue;
      if (!IsHex(c)) return MalformedLine(reason, "not a hex digit in a SHA-256 fingerprint", text);
      ++digits;
    }
    if (digits == kHexDigits) {
      return MalformedLine(reason, "a colon-separated SHA-256 fingerprint has 32 bytes of 2 digits",
                           text);
    }
    return MalformedLine(
        reason, absl::StrCat("a SHA-256 fingerprint has 64 hex digits, found ", digits), text);
  }
  std::string& out = record->serial_scratch;
  out.clear();
  for (char c : text) {
    if (c != ':') out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  record->cert_sha256 = out;
  return LineKind::kRecord;
}

// True when `text` starts with http:// or https://, in any case.
bool IsLink(absl::string_view text) {
  return absl::StartsWithIgnoreCase(text, "https://") ||
         absl::StartsWithIgnoreCase(text, "http://");
}

// Reads a crt.sh link: the certificate's fingerprint from its sha256=, q= or d= parameter, or
// kUncheckable when it names the certificate only by its crt.sh id (id=, q= or d= with digits).
LineKind ParseLink(absl::string_view link, DumpRecord* record, std::string* reason) {
  absl::string_view rest = link.substr(link.find("//") + 2);
  const absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (!absl::EqualsIgnoreCase(host, "crt.sh") && !absl::EqualsIgnoreCase(host, "www.crt.sh")) {
    return MalformedLine(reason, "a link to another site than crt.sh", link);
  }
  rest.remove_prefix(host.size());
  rest = rest.substr(0, rest.find('#'));
  const size_t question = rest.find('?');
  const absl::string_view path = rest.substr(0, question);
  const absl::string_view query =
      question == absl::string_view::npos ? absl::string_view() : rest.substr(question + 1);
  absl::string_view fingerprint;
  bool id = false;
  if (path.empty() || path == "/") {
    for (absl::string_view parameter : absl::StrSplit(query, absl::ByAnyChar("&;"))) {
      const size_t equals = parameter.find('=');
      if (equals == absl::string_view::npos) continue;  // a flag ("&showSQL"): names nothing
      const absl::string_view key = parameter.substr(0, equals);
      const absl::string_view value = parameter.substr(equals + 1);
      if (absl::EqualsIgnoreCase(key, "sha256")) {
        fingerprint = value;  // read even when not 64 digits, to say what is wrong with it
      } else if (absl::EqualsIgnoreCase(key, "id")) {
        id |= IsDigits(value);
      } else if (absl::EqualsIgnoreCase(key, "q") || absl::EqualsIgnoreCase(key, "d")) {
        // A search (q=) or download (d=) by fingerprint or by id; a search for a name or anything
        // else names no one certificate.
        if (fingerprint.empty() && IsFingerprint(value)) fingerprint = value;
        id |= IsDigits(value);
      }
    }
  }
  if (!fingerprint.empty()) {
    if (absl::StrContains(fingerprint, '%')) {
      // Colons percent-encoded: 3B%3A5A%3A...
      const std::string decoded = absl::StrReplaceAll(fingerprint, {{"%3A", ":"}, {"%3a", ":"}});
      return SetFingerprint(decoded, record, reason);
    }
    return SetFingerprint(fingerprint, record, reason);
  }
  if (id) return LineKind::kUncheckable;
  return MalformedLine(reason, "a crt.sh link that names no certificate (no sha256= or id=)", link);
}

}  // namespace

bool Sha256Parser::IsHeader(absl::string_view line) {
  // Letters and digits only, lowercase: "SHA-256 fingerprint" and "sha256_fingerprint" alike.
  std::string key;
  for (char c : line) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  for (absl::string_view header : {"sha256",
                                   "sha256s",
                                   "fingerprint",
                                   "fingerprints",
                                   "sha256fingerprint",
                                   "sha256fingerprints",
                                   "sha256hash",
                                   "certsha256",
                                   "certificatesha256",
                                   "certificatesha256hash",
                                   "certificatefingerprint",
                                   "hash",
                                   "url",
                                   "urls",
                                   "link",
                                   "links",
                                   "crtsh",
                                   "crtshlink",
                                   "crtshlinks",
                                   "crtshurl",
                                   "crtshurls"}) {
    if (key == header) return true;
  }
  return false;
}

LineKind Sha256Parser::Parse(absl::string_view line, DumpRecord* record,
                             std::string* reason) const {
  record->Clear();
  absl::string_view text = absl::StripAsciiWhitespace(line);
  if (text.empty() || IsCommentLine(text) || IsHeader(text)) return LineKind::kSkip;
  // A spreadsheet's export may quote the cell.
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = absl::StripAsciiWhitespace(text.substr(1, text.size() - 2));
  }
  if (IsLink(text)) return ParseLink(text, record, reason);
  // openssl x509 -noout -fingerprint -sha256
  if (absl::StartsWithIgnoreCase(text, "sha256 fingerprint=")) {
    text.remove_prefix(text.find('=') + 1);
  }
  return SetFingerprint(text, record, reason);
}

Sha256Parser::Shape Sha256Parser::Classify(absl::string_view line) {
  const absl::string_view text = absl::StripAsciiWhitespace(line);
  DumpRecord record;
  std::string reason;
  const LineKind kind = Sha256Parser().Parse(text, &record, &reason);
  if (kind != LineKind::kRecord && kind != LineKind::kUncheckable) return Shape::kOther;
  return IsFingerprint(text) ? Shape::kBare : Shape::kLabelled;
}

}  // namespace serialmatch::dump
