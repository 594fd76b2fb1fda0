#include "src/inventory/csv_inventory.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "src/base/csv.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/base/text_encoding.h"
#include "src/base/time.h"

namespace serialmatch::inventory {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// The header cells naming each column, lowercase without spaces, '_' or '-'.
constexpr absl::string_view kSerialHeaders[] = {"serial", "serialnumber", "serialhex", "certserial",
                                                "certificateserial"};
constexpr absl::string_view kNamesHeaders[] = {
    "san", "sans", "dnsnames", "domains", "names", "subjectaltnames", "subjectalternativenames"};
constexpr absl::string_view kIssuerHeaders[] = {"issuer", "issuerdn", "issuercn", "issuername"};
constexpr absl::string_view kNotBeforeHeaders[] = {"notbefore", "issued", "issuedat", "issuetime",
                                                   "validfrom"};
constexpr absl::string_view kNotAfterHeaders[] = {"notafter",  "expires", "expiry",
                                                  "expiresat", "validto", "validuntil"};
constexpr absl::string_view kFingerprintHeaders[] = {"fingerprint", "sha256", "sha256fingerprint",
                                                     "fingerprintsha256"};
constexpr absl::string_view kIdHeaders[] = {"id", "certid", "certificateid"};

std::string HeaderKey(absl::string_view cell) {
  std::string key;
  for (const char c : absl::StripAsciiWhitespace(cell)) {
    if (c != ' ' && c != '_' && c != '-') key.push_back(absl::ascii_tolower(c));
  }
  return key;
}

// Where each known column is in the header; kNone when absent.
struct Columns {
  size_t serial = kNone, names = kNone, issuer = kNone, not_before = kNone, not_after = kNone,
         fingerprint = kNone, id = kNone;
  size_t count = 0;  // cells in the header
};

template <size_t N>
void Find(const std::vector<std::string>& keys, const absl::string_view (&names)[N],
          size_t* column) {
  for (const absl::string_view name : names) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == name) {
        *column = i;
        return;
      }
    }
  }
}

// The columns named by `header`; nullopt unless it names a serial and a names column.
std::optional<Columns> ReadHeader(const std::vector<absl::string_view>& header) {
  std::vector<std::string> keys;
  keys.reserve(header.size());
  for (const absl::string_view cell : header) keys.push_back(HeaderKey(cell));
  Columns columns;
  columns.count = header.size();
  Find(keys, kSerialHeaders, &columns.serial);
  Find(keys, kNamesHeaders, &columns.names);
  if (columns.serial == kNone || columns.names == kNone) return std::nullopt;
  Find(keys, kIssuerHeaders, &columns.issuer);
  Find(keys, kNotBeforeHeaders, &columns.not_before);
  Find(keys, kNotAfterHeaders, &columns.not_after);
  Find(keys, kFingerprintHeaders, &columns.fingerprint);
  Find(keys, kIdHeaders, &columns.id);
  return columns;
}

// The text as UTF-8: `content` itself, or its conversion kept in `*converted`.
absl::string_view Utf8Of(absl::string_view content, std::string* converted) {
  if (DetectTextEncoding(content) == TextEncoding::kUtf8) return content;
  *converted = ToUtf8Text(std::string(content));
  return *converted;
}

// The first row of `reader` that is a header of a CSV inventory, or nullopt.
std::optional<Columns> FirstHeader(CsvReader* reader, uint64_t* line) {
  CsvRow row;
  while (reader->Next(&row)) {
    if (!row.error.empty()) return std::nullopt;
    if (row.fields.size() == 1 && absl::StripAsciiWhitespace(row.fields[0]).empty()) continue;
    *line = row.line;
    return ReadHeader(row.fields);
  }
  return std::nullopt;
}

// The CN attribute's value in the DN `dn` ("C=US, O=Let's Encrypt, CN=R3" gives "R3"); empty
// without one. Attributes are separated by ',' or '/' (OpenSSL's oneline form).
std::string CommonNameOf(absl::string_view dn) {
  for (absl::string_view part : absl::StrSplit(dn, absl::ByAnyChar(",/"))) {
    part = absl::StripAsciiWhitespace(part);
    if (part.size() > 3 && absl::StartsWithIgnoreCase(part, "CN=")) {
      return std::string(absl::StripAsciiWhitespace(part.substr(3)));
    }
  }
  return "";
}

// `text` as 64 lowercase hex digits; false when it is not a SHA-256 fingerprint.
bool ReadFingerprint(absl::string_view text, std::string* out) {
  out->clear();
  for (const char c : text) {
    if (absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      out->push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (c != ':') {
      return false;
    }
  }
  return out->size() == 64;
}

absl::string_view Cell(const std::vector<absl::string_view>& fields, size_t column) {
  return column == kNone ? absl::string_view() : absl::StripAsciiWhitespace(fields[column]);
}

// Fills `*cert` from one row; returns why the row cannot be read, or an empty string.
std::string ReadRow(const std::vector<absl::string_view>& fields, const Columns& columns,
                    Certificate* cert) {
  if (fields.size() != columns.count) {
    return absl::StrCat(fields.size(), " cells, the header has ", columns.count);
  }
  const absl::string_view serial = Cell(fields, columns.serial);
  if (serial.empty()) return "no serial";
  std::string scratch;
  const absl::StatusOr<absl::string_view> canonical = CanonicalizeSerial(serial, &scratch);
  if (!canonical.ok()) return std::string(canonical.status().message());
  cert->serial = std::string(*canonical);

  const absl::string_view issuer = Cell(fields, columns.issuer);
  if (!issuer.empty()) {
    if (issuer.find('=') != absl::string_view::npos) {
      cert->issuer = std::string(issuer);
      cert->issuer_cn = CommonNameOf(issuer);
    } else {
      cert->issuer = absl::StrCat("CN=", issuer);
      cert->issuer_cn = std::string(issuer);
    }
  }
  for (const auto& [column, time] : {std::make_pair(columns.not_before, &cert->not_before),
                                     std::make_pair(columns.not_after, &cert->not_after)}) {
    const absl::string_view text = Cell(fields, column);
    if (text.empty()) continue;  // unknown: the matcher treats an unset time as unknown
    const absl::StatusOr<absl::Time> parsed = ParseDumpTime(text);
    if (!parsed.ok()) return std::string(parsed.status().message());
    *time = *parsed;
  }
  const absl::string_view fingerprint = Cell(fields, columns.fingerprint);
  if (!fingerprint.empty() && !ReadFingerprint(fingerprint, &cert->sha256)) {
    return absl::StrCat("not a SHA-256 fingerprint, got ", QuoteForMessage(fingerprint));
  }

  // A name that cannot be a DNS name makes the row unreadable: matching the row's other names
  // alone could call it replaced or unaffected when the export is simply wrong.
  for (absl::string_view name :
       absl::StrSplit(Cell(fields, columns.names), absl::ByAnyChar(" ,;\t"), absl::SkipEmpty())) {
    const absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    if (!normal.ok()) return std::string(normal.status().message());
    cert->dns_names.Add(name, *normal);
  }
  return "";
}

}  // namespace

bool LooksLikeCsvInventory(absl::string_view content) {
  std::string converted;
  CsvReader reader(Utf8Of(content, &converted), CsvComments::kHashLines);
  uint64_t line = 0;
  return FirstHeader(&reader, &line).has_value();
}

size_t ParseCsvInventory(absl::string_view content, const std::string& path,
                         CertificateInventory* inventory, Diagnostics* diags) {
  std::string converted;
  CsvReader reader(Utf8Of(content, &converted), CsvComments::kHashLines);
  uint64_t header_line = 0;
  const std::optional<Columns> columns = FirstHeader(&reader, &header_line);
  if (!columns.has_value()) {
    diags->Report(0, absl::StrCat(path, ": not a CSV certificate inventory"));
    ++inventory->not_certificates;
    return 0;
  }
  // Where each certificate of this file went in inventory->certificates, by serial and issuer and
  // by fingerprint, to fold repeated rows into one.
  absl::flat_hash_map<std::string, size_t> by_serial, by_fingerprint;
  size_t found = 0;
  CsvRow row;
  while (reader.Next(&row)) {
    const std::string where = absl::StrCat(path, ":", row.line);
    if (!row.error.empty()) {
      diags->Report(0, absl::StrCat(where, ": ", row.error));
      ++inventory->unreadable_csv_rows;
      continue;
    }
    // A blank line holds no certificate.
    if (row.fields.size() == 1 && absl::StripAsciiWhitespace(row.fields[0]).empty()) continue;
    Certificate cert;
    cert.path = path;
    cert.line = row.line;
    const std::string reason = ReadRow(row.fields, *columns, &cert);
    if (!reason.empty()) {
      diags->Report(0, absl::StrCat(where, ": ", reason));
      ++inventory->unreadable_csv_rows;
      continue;
    }
    const absl::string_view id = Cell(row.fields, columns->id);
    cert.location = id.empty() ? where : std::string(id);

    const std::string serial_key = absl::StrCat(cert.serial, "\n", cert.issuer);
    std::optional<size_t> first;
    if (const auto it = by_serial.find(serial_key); it != by_serial.end()) {
      first = it->second;
    } else if (const auto fp = by_fingerprint.find(cert.sha256);
               !cert.sha256.empty() && fp != by_fingerprint.end()) {
      first = fp->second;
    }
    if (first.has_value()) {
      inventory->certificates[*first].also_at.push_back(where);
      continue;  // counted in the also_at of its first row
    }
    const size_t at = inventory->certificates.size();
    by_serial.emplace(serial_key, at);
    if (!cert.sha256.empty()) by_fingerprint.emplace(cert.sha256, at);
    inventory->certificates.push_back(std::move(cert));
    ++found;
  }
  if (found == 0) ++inventory->not_certificates;
  return found;
}

}  // namespace serialmatch::inventory
