#include "src/match/matcher.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/name.h"
#include "src/base/time.h"

namespace serialmatch::match {
namespace {

MatchType ToMatchType(index::NameMatch how) {
  switch (how) {
    case index::NameMatch::kExact:
      return MatchType::kExact;
    case index::NameMatch::kWildcard:
      return MatchType::kWildcard;
    case index::NameMatch::kSubtree:
      return MatchType::kSubtree;
  }
  return MatchType::kExact;
}

// The dump's time `text` (`what`: "issue" or "expiry"), or nullopt when it is absent or cannot be
// read; the latter is reported and counted.
std::optional<absl::Time> ReadDumpTime(absl::string_view text, absl::string_view what,
                                       uint64_t line, Matcher::Scratch* scratch) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::Time> t = ParseDumpTime(text);
  if (t.ok()) return *t;
  ++scratch->bad_times;
  if (scratch->diagnostics != nullptr) {
    scratch->diagnostics->Report(
        line, absl::StrCat("unreadable ", what, " time '", QuoteForMessage(text), "'"));
  }
  return std::nullopt;
}

// The record's issue time, read once per record.
std::optional<absl::Time> IssueTime(const dump::DumpRecord& record, uint64_t line,
                                    Matcher::Scratch* scratch) {
  Matcher::Scratch::Current& current = scratch->current;
  if (!current.issued_read) {
    current.issued = ReadDumpTime(record.issued_at, "issue", line, scratch);
    current.issued_read = true;
  }
  return current.issued;
}

// The record's expiry in RFC 3339 UTC, read once per record.
const std::optional<std::string>& NotAfter(const dump::DumpRecord& record, uint64_t line,
                                           Matcher::Scratch* scratch) {
  Matcher::Scratch::Current& current = scratch->current;
  if (!current.not_after_read) {
    const std::optional<absl::Time> t = ReadDumpTime(record.not_after, "expiry", line, scratch);
    current.not_after =
        t.has_value() ? std::optional<std::string>(FormatRfc3339(*t)) : std::nullopt;
    current.not_after_read = true;
  }
  return current.not_after;
}

// Lowercase, without spaces: how issuer names are compared.
std::string Squash(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The value of the first "CN=" attribute of a DN in any common notation; nullopt when none.
std::optional<absl::string_view> DnCommonName(absl::string_view dn) {
  for (size_t i = 0; i + 2 < dn.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(dn[i])) != 'c' ||
        absl::ascii_tolower(static_cast<unsigned char>(dn[i + 1])) != 'n') {
      continue;
    }
    if (i > 0 && std::string_view(", /;+").find(dn[i - 1]) == std::string_view::npos) continue;
    size_t j = i + 2;
    while (j < dn.size() && dn[j] == ' ') ++j;
    if (j == dn.size() || dn[j] != '=') continue;
    const size_t start = j + 1;
    size_t end = start;
    while (end < dn.size() && std::string_view(",/;+").find(dn[end]) == std::string_view::npos) {
      ++end;
    }
    return absl::StripAsciiWhitespace(dn.substr(start, end - start));
  }
  return std::nullopt;
}

std::string FactTime(absl::Time t) { return FormatRfc3339(t); }

// The record's names in normal form (see Scratch::Current::names), computed once per record; an
// invalid name is reported and counted.
const std::vector<absl::string_view>& NormalNames(const dump::DumpRecord& record, uint64_t line,
                                                  Matcher::Scratch* scratch) {
  Matcher::Scratch::Current& current = scratch->current;
  if (current.names_read) return current.names;
  current.names_read = true;
  current.names.clear();
  current.normal_text.clear();
  current.rewritten.clear();
  const std::vector<absl::string_view>& names = record.names();
  for (size_t i = 0; i < names.size(); ++i) {
    const absl::StatusOr<absl::string_view> name = NormalizeName(names[i], &scratch->name);
    if (!name.ok()) {
      ++scratch->invalid_names;
      if (scratch->diagnostics != nullptr) {
        scratch->diagnostics->Report(line, absl::StrCat("invalid name '", QuoteForMessage(names[i]),
                                                        "': ", NameErrorReason(name.status())));
      }
      current.names.emplace_back();
      continue;
    }
    if (name->data() == names[i].data()) {
      current.names.push_back(*name);  // already normal: the dump's own text
      continue;
    }
    current.rewritten.push_back({i, current.normal_text.size(), name->size()});
    current.normal_text.append(name->data(), name->size());
    current.names.emplace_back();
  }
  for (const Matcher::Scratch::Current::Rewritten& r : current.rewritten) {
    current.names[r.name] = absl::string_view(current.normal_text.data() + r.offset, r.size);
  }
  return current.names;
}

}  // namespace

bool IssuerAgrees(absl::string_view dump_issuer, const inventory::Certificate& cert) {
  const absl::string_view issuer = absl::StripAsciiWhitespace(dump_issuer);
  if (issuer.empty()) return true;
  if (const std::optional<absl::string_view> cn = DnCommonName(issuer)) {
    return Squash(*cn) == Squash(cert.issuer_cn);
  }
  const std::string squashed = Squash(issuer);
  if (squashed == Squash(cert.issuer)) return true;
  return issuer.find('=') == absl::string_view::npos && squashed == Squash(cert.issuer_cn);
}

Matcher::Matcher(const Inventories& inventories, const MatchOptions& options) : options_(options) {
  domain_sets_.reserve(inventories.domains.size());
  for (const inventory::DomainInventory* domains : inventories.domains) {
    if (domains != nullptr) domain_sets_.emplace_back(domains);
  }
  serial_sets_.reserve(inventories.serials.size());
  for (const inventory::SerialInventory* serials : inventories.serials) {
    if (serials != nullptr) serial_sets_.emplace_back(serials);
  }
  if (inventories.certificates != nullptr) {
    certificates_.emplace(inventories.certificates, FindingKind::kCertificate);
  }
  if (inventories.endpoints != nullptr) {
    endpoints_.emplace(inventories.endpoints, FindingKind::kEndpoint);
  }
}

Matcher::Matcher(const inventory::DomainInventory* domains,
                 const inventory::SerialInventory* serials)
    : Matcher(Inventories{{domains}, {serials}, nullptr, nullptr}) {}

Finding Matcher::MakeCertificateFinding(const dump::DumpRecord& record, uint64_t line,
                                        const CertificateSet& set, uint32_t cert,
                                        Scratch* scratch) const {
  const inventory::Certificate& c = set.inventory->certificates[cert];
  Finding f = MakeFinding(record, line, scratch);
  f.kind = set.kind;
  f.input = c.endpoint.empty() ? c.path : c.endpoint;
  f.inventory_path = c.path;
  f.inventory_line = c.line;
  f.certificate = std::make_shared<const CertificateFacts>(CertificateFacts{
      c.serial, c.issuer, c.subject_cn, c.names, FactTime(c.not_before), FactTime(c.not_after),
      c.sha256, c.spki_sha256, c.ari_cert_id, c.verification});
  return f;
}

void Matcher::MatchCertificates(const dump::DumpRecord& record, uint64_t line,
                                const CertificateSet& set, Scratch* scratch,
                                std::vector<Finding>* out) const {
  const std::vector<inventory::Certificate>& certs = set.inventory->certificates;
  scratch->affected_certs.clear();
  if (!record.serial.empty()) {
    for (const uint32_t cert : set.index.FindSerial(record.serial)) {
      Finding f = MakeCertificateFinding(record, line, set, cert, scratch);
      f.match = MatchType::kSerial;
      if (IssuerAgrees(record.issuer, certs[cert])) {
        f.status = FindingStatus::kAffected;
        scratch->affected_certs.push_back(cert);
      } else {
        f.status = FindingStatus::kWarning;
        f.reason = absl::StrCat("the serial is listed for issuer '", record.issuer,
                                "', not this certificate's issuer '", certs[cert].issuer, "'");
      }
      out->push_back(std::move(f));
    }
  }
  if (!set.index.has_names()) return;

  const std::vector<absl::string_view>& names = NormalNames(record, line, scratch);
  scratch->cert_hits.clear();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;  // not a DNS name: reported by NormalNames
    set.index.ForEachNameMatch(names[i], [&](uint32_t cert, index::NameMatch how) {
      if (std::find(scratch->affected_certs.begin(), scratch->affected_certs.end(), cert) ==
          scratch->affected_certs.end()) {
        scratch->cert_hits.push_back({cert, static_cast<uint32_t>(i), how});
      }
    });
  }
  if (scratch->cert_hits.empty()) return;

  // Whether each certificate, and any certificate for each name, is newer than the record.
  const std::optional<absl::Time> issued = IssueTime(record, line, scratch);
  auto& hits = scratch->cert_hits;
  for (auto& hit : hits) hit.newer = issued.has_value() && certs[hit.cert].not_before > *issued;
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.cert) < std::tie(b.name, b.cert);
  });
  for (size_t begin = 0, end; begin < hits.size(); begin = end) {
    bool superseded = false;
    for (end = begin; end < hits.size() && hits[end].name == hits[begin].name; ++end) {
      superseded |= hits[end].newer;
    }
    for (size_t i = begin; i < end; ++i) hits[i].superseded = superseded;
  }
  // One finding per certificate: replaced through its first name it is newer for; otherwise
  // listed through its first name no certificate is newer for.
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.cert, !a.newer, a.superseded, a.name, a.how) <
           std::make_tuple(b.cert, !b.newer, b.superseded, b.name, b.how);
  });
  for (size_t i = 0; i < hits.size(); ++i) {
    const Scratch::CertHit& hit = hits[i];
    if (i > 0 && hits[i - 1].cert == hit.cert) continue;
    if (!hit.newer && hit.superseded) continue;
    Finding f = MakeCertificateFinding(record, line, set, hit.cert, scratch);
    f.match = ToMatchType(hit.how);
    f.name = std::string(names[hit.name]);
    if (hit.newer) {
      f.status = FindingStatus::kReplaced;
      f.reason = absl::StrCat("issued ", FactTime(certs[hit.cert].not_before),
                              ", after the listed certificate (issued ", FactTime(*issued), ")");
    } else {
      f.status = FindingStatus::kListed;
      f.reason = issued.has_value()
                     ? "no inventory certificate for this name was issued after the listed one"
                     : "the dump gives no issue time: cannot tell whether a newer certificate "
                       "replaced the listed one";
    }
    out->push_back(std::move(f));
  }
}

Finding Matcher::MakeFinding(const dump::DumpRecord& record, uint64_t line,
                             Scratch* scratch) const {
  Finding f;
  f.serial = std::string(record.serial);
  f.dump_line = line;
  const std::vector<absl::string_view>& names = record.names();
  f.names.reserve(names.size());
  for (absl::string_view name : names) f.names.emplace_back(name);
  if (const std::optional<absl::Time> issued = IssueTime(record, line, scratch)) {
    f.issued_at = FormatRfc3339(*issued);
  }
  f.not_after = NotAfter(record, line, scratch);
  f.account = std::string(record.account);
  f.issuer = std::string(record.issuer);
  f.cert_sha256 = std::string(record.cert_sha256);
  f.precert_sha256 = std::string(record.precert_sha256);
  return f;
}

void Matcher::Match(const dump::DumpRecord& record, uint64_t line, Scratch* scratch,
                    std::vector<Finding>* out) const {
  scratch->current.issued_read = false;
  scratch->current.not_after_read = false;
  scratch->current.names_read = false;
  if (options_.issued_after.has_value()) {
    // Kept when the time is absent or unreadable (reported by IssueTime).
    const std::optional<absl::Time> issued = IssueTime(record, line, scratch);
    if (issued.has_value() && *issued < *options_.issued_after) {
      ++scratch->issued_before;
      return;
    }
  }
  if (certificates_.has_value()) MatchCertificates(record, line, *certificates_, scratch, out);
  if (endpoints_.has_value()) MatchCertificates(record, line, *endpoints_, scratch, out);
  if (!record.serial.empty()) {
    for (const SerialSet& set : serial_sets_) {
      const std::optional<uint32_t> entry = set.index.Find(record.serial);
      if (!entry.has_value()) continue;  // not in this inventory: nothing to report
      const inventory::SerialEntry& e = set.inventory->entries[*entry];
      Finding f = MakeFinding(record, line, scratch);
      f.status = FindingStatus::kAffected;
      f.kind = FindingKind::kSerial;
      f.match = MatchType::kSerial;
      f.input = std::string(e.input);
      f.inventory_path = set.inventory->path;
      f.inventory_line = e.line;
      out->push_back(std::move(f));
    }
  }
  for (const DomainSet& set : domain_sets_) MatchDomains(record, line, set, scratch, out);
}

void Matcher::MatchDomains(const dump::DumpRecord& record, uint64_t line, const DomainSet& set,
                           Scratch* scratch, std::vector<Finding>* out) const {
  const std::vector<absl::string_view>& names = NormalNames(record, line, scratch);
  scratch->hits.clear();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;  // not a DNS name: reported by NormalNames
    set.index.ForEachMatch(names[i], [&](uint32_t entry, index::NameMatch how) {
      scratch->hits.push_back({entry, how, static_cast<uint32_t>(i)});
    });
  }
  if (scratch->hits.empty()) return;

  // One finding per inventory entry: the best match kind, then the first name giving it.
  std::sort(scratch->hits.begin(), scratch->hits.end(), [](const auto& a, const auto& b) {
    return std::tie(a.entry, a.how, a.name) < std::tie(b.entry, b.how, b.name);
  });
  for (size_t i = 0; i < scratch->hits.size(); ++i) {
    const Scratch::Hit& hit = scratch->hits[i];
    if (i > 0 && scratch->hits[i - 1].entry == hit.entry) continue;
    const inventory::DomainEntry& e = set.inventory->entries[hit.entry];
    Finding f = MakeFinding(record, line, scratch);
    f.status = FindingStatus::kListed;
    f.kind = FindingKind::kDomain;
    f.match = ToMatchType(hit.how);
    f.input = std::string(e.input);
    f.inventory_path = set.inventory->path;
    f.inventory_line = e.line;
    f.name = std::string(names[hit.name]);
    out->push_back(std::move(f));
  }
}

}  // namespace serialmatch::match
