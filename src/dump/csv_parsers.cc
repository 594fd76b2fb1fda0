#include "src/dump/csv_parsers.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"
#include "src/base/serial.h"
#include "src/base/time.h"
#include "src/dump/line_scanner.h"

namespace serialmatch::dump {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An RFC 3339 time at the start of `text` ("YYYY-MM-DDThh...").
bool LooksLikeRfc3339(absl::string_view text) { return StartsWithShape(text, "0000-00-00T00"); }

// Splits `line` as one CSV record into record->csv_row; false (with `reason`) when it is not one.
bool SplitCsvLine(absl::string_view line, DumpRecord* record, std::string* reason) {
  record->csv.Reset(line);
  if (!record->csv.Next(&record->csv_row)) {
    *reason = "empty line";
    return false;
  }
  if (!record->csv_row.error.empty()) {
    *reason = "a quoted field is not closed on this line";
    return false;
  }
  return true;
}

LineKind SetSerial(absl::string_view text, DumpRecord* record, std::string* reason) {
  absl::StatusOr<absl::string_view> serial =
      CanonicalizeSerial(absl::StripAsciiWhitespace(text), &record->serial_scratch);
  if (!serial.ok()) {
    *reason = std::string(serial.status().message());
    return LineKind::kMalformed;
  }
  record->serial = *serial;
  return LineKind::kRecord;
}

// The header key of a column name: lowercase letters and digits only ("Serial #" -> "serial").
std::string ColumnKey(absl::string_view name) {
  std::string key;
  for (char c : name) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return key;
}

// "yes" -> true, "no" -> false, in the spellings of Is revoked?; nullopt for anything else.
std::optional<bool> ReadYesNo(absl::string_view text) {
  for (absl::string_view yes : {"yes", "y", "true", "1"}) {
    if (absl::EqualsIgnoreCase(text, yes)) return true;
  }
  for (absl::string_view no : {"no", "n", "false", "0"}) {
    if (absl::EqualsIgnoreCase(text, no)) return false;
  }
  return std::nullopt;
}

// The RFC 5280 CRLReason name of `text`, written as the name, with spaces ("Key Compromise"), or as
// its code ("1"); `text` itself when it is none of them.
absl::string_view RevocationReasonName(absl::string_view text) {
  struct Reason {
    absl::string_view code, key, name;
  };
  static constexpr Reason kReasons[] = {
      {"0", "unspecified", "unspecified"},
      {"1", "keycompromise", "keyCompromise"},
      {"2", "cacompromise", "cACompromise"},
      {"3", "affiliationchanged", "affiliationChanged"},
      {"4", "superseded", "superseded"},
      {"5", "cessationofoperation", "cessationOfOperation"},
      {"6", "certificatehold", "certificateHold"},
      {"8", "removefromcrl", "removeFromCRL"},
      {"9", "privilegewithdrawn", "privilegeWithdrawn"},
      {"10", "aacompromise", "aACompromise"},
  };
  const std::string key = ColumnKey(text);
  for (const Reason& reason : kReasons) {
    if (key == reason.code || key == reason.key) return reason.name;
  }
  return text;
}

struct Column {
  int CcadbCsvParser::*slot;
  std::vector<absl::string_view> keys;
};

}  // namespace

bool Le2022CsvParser::Looks(absl::string_view line) {
  // 123456,"03e1...","2022-02-25T18:25:29Z"
  size_t i = 0;
  while (i < line.size() && IsDigit(line[i])) ++i;
  if (i == 0 || i >= line.size() || line[i] != ',') return false;
  absl::string_view rest = line.substr(i + 1);
  const size_t comma = rest.find(',');
  if (comma == absl::string_view::npos) return false;
  absl::string_view serial = rest.substr(0, comma);
  if (serial.size() >= 2 && serial.front() == '"' && serial.back() == '"') {
    serial = serial.substr(1, serial.size() - 2);
  }
  std::string scratch;
  if (serial.empty() || !CanonicalizeSerial(serial, &scratch).ok()) return false;
  absl::string_view time = rest.substr(comma + 1);
  if (!time.empty() && time.front() == '"') time.remove_prefix(1);
  return LooksLikeRfc3339(time);
}

LineKind Le2022CsvParser::Parse(absl::string_view line, DumpRecord* record,
                                std::string* reason) const {
  record->Clear();
  // A record starts with the account number, never with '#'.
  if (absl::StripAsciiWhitespace(line).empty() || IsCommentLine(line)) return LineKind::kSkip;
  if (!SplitCsvLine(line, record, reason)) return LineKind::kMalformed;
  const std::vector<absl::string_view>& fields = record->csv_row.fields;
  if (fields.size() < 3) {
    return MalformedLine(reason,
                         absl::StrCat("expected account,serial,expiry,names..., found ",
                                      fields.size(), " field", fields.size() == 1 ? "" : "s"),
                         line);
  }
  const absl::string_view account = absl::StripAsciiWhitespace(fields[0]);
  for (char c : account) {
    if (!IsDigit(c)) return MalformedLine(reason, "account id is not a number", account);
  }
  record->account = account;
  if (SetSerial(fields[1], record, reason) != LineKind::kRecord) return LineKind::kMalformed;
  const absl::string_view expiry = absl::StripAsciiWhitespace(fields[2]);
  if (!LooksLikeRfc3339(expiry)) {
    return MalformedLine(reason, "expiry is not an RFC 3339 time", expiry);
  }
  record->not_after = expiry;
  for (size_t i = 3; i < fields.size(); ++i) {
    const absl::string_view name = absl::StripAsciiWhitespace(fields[i]);
    if (!name.empty()) record->AddName(name);  // an empty field (a trailing comma) names nothing
  }
  return LineKind::kRecord;
}

LineKind Le2022CsvParser::ParseSerial(absl::string_view line, DumpRecord* record,
                                      std::string* reason) const {
  const char* p = line.data();
  const char* const end = p + line.size();
  const char* const account = p;
  while (p < end && IsDigit(*p)) ++p;
  if (p == account || p == end || *p != ',') return Parse(line, record, reason);
  ++p;
  const bool quoted = p < end && *p == '"';
  if (quoted) ++p;
  const char* const serial = p;
  while (p < end && absl::ascii_isxdigit(static_cast<unsigned char>(*p))) ++p;
  const char* const serial_end = p;
  if (quoted && (p == end || *p++ != '"')) return Parse(line, record, reason);
  if (serial_end == serial || p == end || *p != ',') return Parse(line, record, reason);
  return SetSerial(absl::string_view(serial, static_cast<size_t>(serial_end - serial)), record,
                   reason);
}

std::optional<LineKind> CcadbCsvParser::OtherHeader(absl::string_view line,
                                                    std::string* reason) const {
  if (!LooksLikeHeader(line)) return std::nullopt;
  const std::unique_ptr<CcadbCsvParser> other = *Create(line);
  if (std::tie(other->serial_, other->names_, other->not_before_, other->not_after_, other->issuer_,
               other->cert_sha256_, other->precert_sha256_, other->is_revoked_,
               other->revocation_date_, other->revocation_reason_) ==
      std::tie(serial_, names_, not_before_, not_after_, issuer_, cert_sha256_, precert_sha256_,
               is_revoked_, revocation_date_, revocation_reason_)) {
    return LineKind::kSkip;  // the same columns, spelled otherwise: a header, no certificate
  }
  return MalformedLine(reason,
                       "a header naming other columns than the first one: the rows after it are "
                       "read with the first header's columns and may be misread; split the dump "
                       "here and give each part with its own --dump",
                       line);
}

bool CcadbCsvParser::LooksLikeHeader(absl::string_view line) {
  // Stricter than Create(): a lone "serial" header is a serials list, not a CCADB report.
  absl::StatusOr<std::unique_ptr<CcadbCsvParser>> parser = Create(line);
  return parser.ok() && (*parser)->known_columns_ >= 2;
}

absl::StatusOr<std::unique_ptr<CcadbCsvParser>> CcadbCsvParser::Create(absl::string_view header) {
  header = absl::StripTrailingAsciiWhitespace(StripBom(header));
  auto parser = std::unique_ptr<CcadbCsvParser>(new CcadbCsvParser());
  parser->header_ = std::string(header);
  const Column kColumns[] = {
      {&CcadbCsvParser::serial_, {"serial", "serialnumber", "serialno", "certificateserialnumber"}},
      {&CcadbCsvParser::names_,
       {"dnsnames", "dnsname", "sans", "subjectalternativenames", "subjectaltnames"}},
      {&CcadbCsvParser::not_before_, {"notbefore", "validfrom"}},
      {&CcadbCsvParser::not_after_, {"notafter", "validto", "expiry"}},
      {&CcadbCsvParser::issuer_, {"issuer", "issuerdn", "issuername"}},
      {&CcadbCsvParser::cert_sha256_,
       {"certificatesha256hash", "certificatesha256", "certsha256", "sha256fingerprint"}},
      {&CcadbCsvParser::precert_sha256_,
       {"precertificatesha256hash", "precertificatesha256", "precertsha256"}},
      {&CcadbCsvParser::is_revoked_, {"isrevoked", "revoked"}},
      {&CcadbCsvParser::revocation_date_,
       {"revocationdate", "revocationtime", "revocationdatetime", "revokedat", "revokedon",
        "revocationdateutc"}},
      {&CcadbCsvParser::revocation_reason_,
       {"revocationreason", "reasonforrevocation", "revocationreasoncode", "crlreason"}},
  };
  CsvReader reader(header);
  CsvRow row;
  if (!reader.Next(&row) || !row.error.empty()) {
    return absl::InvalidArgumentError("ccadb-csv: the first line is not a CSV header");
  }
  for (size_t i = 0; i < row.fields.size(); ++i) {
    const std::string key = ColumnKey(row.fields[i]);
    for (const Column& column : kColumns) {
      int& slot = parser.get()->*column.slot;
      for (absl::string_view k : column.keys) {
        if (key == k && slot < 0) {
          slot = static_cast<int>(i);
          ++parser->known_columns_;
        }
      }
    }
  }
  if (parser->serial_ < 0 && parser->names_ < 0 && parser->cert_sha256_ < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ccadb-csv: the header names neither a serial, a dNSNames nor a Certificate SHA-256 hash "
        "column, got '",
        QuoteForMessage(header), "'"));
  }
  for (const Column& column : kColumns) {
    parser->last_ = std::max(parser->last_, parser.get()->*column.slot);
  }
  return parser;
}

LineKind CcadbCsvParser::Parse(absl::string_view line, DumpRecord* record,
                               std::string* reason) const {
  const LineKind kind = ParseRow(line, record, reason);
  // The first column is free text and may start with '#': such a line is a comment only when it
  // is not a valid row, so no row is ever skipped.
  if (kind == LineKind::kMalformed && IsCommentLine(line)) {
    record->Clear();
    return LineKind::kSkip;
  }
  return kind;
}

LineKind CcadbCsvParser::ParseRow(absl::string_view line, DumpRecord* record,
                                  std::string* reason) const {
  record->Clear();
  if (absl::StripAsciiWhitespace(line).empty()) return LineKind::kSkip;
  // The header (and repeats of it, as when exports are concatenated) names columns, no certificate.
  if (absl::StripTrailingAsciiWhitespace(StripBom(line)) == header_) return LineKind::kSkip;
  if (!SplitCsvLine(line, record, reason)) return LineKind::kMalformed;
  const std::vector<absl::string_view>& fields = record->csv_row.fields;
  if (static_cast<int>(fields.size()) <= last_) {
    if (const std::optional<LineKind> header = OtherHeader(line, reason)) return *header;
    return MalformedLine(reason,
                         absl::StrCat("expected at least ", last_ + 1,
                                      " fields as in the header, found ", fields.size()),
                         line);
  }
  auto field = [&](int column) {
    return column < 0 ? absl::string_view() : absl::StripAsciiWhitespace(fields[column]);
  };
  record->SetNameList(field(names_));
  if (!field(serial_).empty()) {
    if (SetSerial(field(serial_), record, reason) != LineKind::kRecord) {
      // A header in the middle of the data has a column name where the serial should be.
      if (const std::optional<LineKind> header = OtherHeader(line, reason)) return *header;
      return LineKind::kMalformed;
    }
  } else if (record->names().empty() && field(cert_sha256_).empty()) {
    // A fingerprint alone names the certificate exactly (for --certs and --endpoints).
    return MalformedLine(reason, "row has neither a serial, names nor a certificate fingerprint",
                         line);
  }
  record->issued_at = field(not_before_);
  record->not_after = field(not_after_);
  record->issuer = field(issuer_);
  record->cert_sha256 = field(cert_sha256_);
  record->precert_sha256 = field(precert_sha256_);
  return SetRevocation(line, record, reason);
}

LineKind CcadbCsvParser::SetRevocation(absl::string_view line, DumpRecord* record,
                                       std::string* reason) const {
  const std::vector<absl::string_view>& fields = record->csv_row.fields;
  auto field = [&](int column) {
    return column < 0 ? absl::string_view() : absl::StripAsciiWhitespace(fields[column]);
  };
  const absl::string_view date = field(revocation_date_);
  bool revoked = !date.empty();
  if (is_revoked_ >= 0) {
    const absl::string_view says = field(is_revoked_);
    const std::optional<bool> yes = ReadYesNo(says);
    if (!says.empty() && !yes.has_value()) {
      // A header repeated with other columns has a column name here.
      if (const std::optional<LineKind> header = OtherHeader(line, reason)) return *header;
      return MalformedLine(reason, "Is revoked? is neither yes nor no", says);
    }
    revoked = yes.value_or(false);  // empty: the row does not say, so it is no revocation
  }
  if (!revoked) return LineKind::kRecord;
  record->revoked_at = date.empty() ? kRevokedAtUnknown : date;
  const absl::string_view why = field(revocation_reason_);
  record->revocation_reason = why.empty() ? why : RevocationReasonName(why);
  return LineKind::kRecord;
}

}  // namespace serialmatch::dump
