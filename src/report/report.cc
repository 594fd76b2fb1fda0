#include "src/report/report.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace serialmatch::report {
namespace {

using match::Finding;

// Length of the valid UTF-8 sequence starting at s[i], or 0 if none does.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  unsigned cp = c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string JsonNullable(absl::string_view text, bool present) {
  return present ? JsonQuote(text) : "null";
}

std::string JsonStrings(const std::vector<std::string>& strings) {
  std::vector<std::string> quoted;
  quoted.reserve(strings.size());
  for (const std::string& s : strings) quoted.push_back(JsonQuote(s));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

std::string CertificateJson(const match::CertificateFacts& c) {
  return absl::StrCat(
      "{\"serial\":", JsonQuote(c.serial), ",\"issuer\":", JsonQuote(c.issuer),
      ",\"subject_cn\":", JsonNullable(c.subject_cn, !c.subject_cn.empty()),
      ",\"names\":", JsonStrings(c.names), ",\"not_before\":", JsonQuote(c.not_before),
      ",\"not_after\":", JsonQuote(c.not_after), ",\"sha256\":", JsonQuote(c.sha256),
      ",\"spki_sha256\":", JsonQuote(c.spki_sha256),
      ",\"ari_cert_id\":", JsonNullable(c.ari_cert_id, !c.ari_cert_id.empty()),
      ",\"verification\":", JsonNullable(c.verification, !c.verification.empty()), "}");
}

std::string JsonObject(const Finding& f) {
  return absl::StrCat(
      "{\"status\":", JsonQuote(match::StatusName(f.status)),
      ",\"kind\":", JsonQuote(match::KindName(f.kind)), ",\"input\":", JsonQuote(f.input),
      ",\"name\":", JsonNullable(f.name, !f.name.empty()),
      ",\"match\":", JsonQuote(match::MatchName(f.match)), ",\"serial\":", JsonQuote(f.serial),
      ",\"dump\":", JsonQuote(f.dump_path), ",\"dump_line\":", f.dump_line,
      ",\"names\":", JsonStrings(f.names),
      ",\"issued_at\":", JsonNullable(f.issued_at.value_or(""), f.issued_at.has_value()),
      ",\"not_after\":", JsonNullable(f.not_after.value_or(""), f.not_after.has_value()),
      ",\"account\":", JsonNullable(f.account, !f.account.empty()),
      ",\"issuer\":", JsonNullable(f.issuer, !f.issuer.empty()),
      ",\"cert_sha256\":", JsonNullable(f.cert_sha256, !f.cert_sha256.empty()),
      ",\"precert_sha256\":", JsonNullable(f.precert_sha256, !f.precert_sha256.empty()),
      ",\"inventory\":", JsonQuote(absl::StrCat(f.inventory_path, ":", f.inventory_line)),
      ",\"reason\":", JsonNullable(f.reason, !f.reason.empty()),
      ",\"certificate\":", f.certificate ? CertificateJson(*f.certificate) : "null", "}");
}

std::string CsvQuote(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string RenderCsv(const std::vector<Finding>& findings) {
  std::string out =
      "status,kind,input,name,match,serial,dump,dump_line,names,issued_at,not_after,account,issuer,"
      "cert_sha256,precert_sha256,inventory,reason,certificate_serial,certificate_issuer,"
      "certificate_not_before,certificate_not_after,certificate_sha256,certificate_spki_sha256,"
      "certificate_ari_cert_id,certificate_verification\n";
  for (const Finding& f : findings) {
    const match::CertificateFacts* c = f.certificate.get();
    const std::string fields[] = {
        std::string(match::StatusName(f.status)),
        std::string(match::KindName(f.kind)),
        CsvQuote(f.input),
        CsvQuote(f.name),
        std::string(match::MatchName(f.match)),
        f.serial,
        CsvQuote(f.dump_path),
        absl::StrCat(f.dump_line),
        CsvQuote(absl::StrJoin(f.names, " ")),
        f.issued_at.value_or(""),
        f.not_after.value_or(""),
        CsvQuote(f.account),
        CsvQuote(f.issuer),
        CsvQuote(f.cert_sha256),
        CsvQuote(f.precert_sha256),
        CsvQuote(absl::StrCat(f.inventory_path, ":", f.inventory_line)),
        CsvQuote(f.reason),
        c ? c->serial : "",
        c ? CsvQuote(c->issuer) : "",
        c ? c->not_before : "",
        c ? c->not_after : "",
        c ? c->sha256 : "",
        c ? c->spki_sha256 : "",
        c ? c->ari_cert_id : "",
        c ? CsvQuote(c->verification) : "",
    };
    absl::StrAppend(&out, absl::StrJoin(fields, ","), "\n");
  }
  return out;
}

// Columns a cell takes on a terminal, counting one per UTF-8 code point (no wide-character
// handling).
size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

// A table for people: one row per finding, columns padded to their widest cell. Names beyond the
// first few are summarised so huge SAN lists do not swamp the screen.
std::string RenderText(const std::vector<Finding>& findings) {
  if (findings.empty()) return "No findings: nothing in the inventory is in the dump.\n";
  constexpr size_t kNamesShown = 3;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"STATUS", "KIND", "INPUT", "NAME", "MATCH", "SERIAL", "DUMP:LINE", "ISSUED",
                  "NAMES", "NOTE"});
  for (const Finding& f : findings) {
    std::vector<std::string> shown(f.names.begin(),
                                   f.names.begin() + std::min(f.names.size(), kNamesShown));
    std::string names = absl::StrJoin(shown, " ");
    if (f.names.size() > kNamesShown) {
      absl::StrAppend(&names, " (+", f.names.size() - kNamesShown, " more)");
    }
    rows.push_back({std::string(match::StatusName(f.status)), std::string(match::KindName(f.kind)),
                    f.input, f.name.empty() ? "-" : f.name, std::string(match::MatchName(f.match)),
                    f.serial, absl::StrCat(f.dump_path, ":", f.dump_line),
                    f.issued_at.value_or("-"), names.empty() ? "-" : names,
                    f.reason.empty() ? "-" : f.reason});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i + 1 == row.size()) {
        line += row[i];
      } else {
        absl::StrAppend(&line, row[i], std::string(widths[i] - DisplayWidth(row[i]) + 2, ' '));
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace

absl::StatusOr<ReportFormat> ReportFormatByName(absl::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "jsonl") return ReportFormat::kJsonl;
  if (name == "csv") return ReportFormat::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown --format '", name, "'; use text, json, jsonl or csv"));
}

void SortFindings(std::vector<Finding>* findings) {
  std::sort(findings->begin(), findings->end(), match::FindingLess);
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", absl::string_view(text.data() + i, 1));
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const size_t n = Utf8SequenceLength(text, i); n != 0) {
      out.append(text.data() + i, n);
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out.push_back('"');
  return out;
}

std::string RenderReport(const std::vector<Finding>& findings, ReportFormat format,
                         const ReportSummary& summary) {
  switch (format) {
    case ReportFormat::kText:
      return RenderText(findings);
    case ReportFormat::kJsonl: {
      std::string out;
      for (const Finding& f : findings) absl::StrAppend(&out, JsonObject(f), "\n");
      return out;
    }
    case ReportFormat::kJson: {
      std::string out = "{\"findings\":[";
      for (size_t i = 0; i < findings.size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "\n" : ",\n", JsonObject(findings[i]));
      }
      absl::StrAppend(&out, findings.empty() ? "" : "\n",
                      "],\"summary\":{\"dumps\":", summary.dumps, ",\"records\":", summary.records,
                      ",\"malformed\":", summary.malformed, ",\"findings\":", findings.size(),
                      "}}\n");
      return out;
    }
    case ReportFormat::kCsv:
      return RenderCsv(findings);
  }
  return "";
}

}  // namespace serialmatch::report
