#include "src/match/matcher.h"

#include <algorithm>
#include <initializer_list>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/hash.h"
#include "src/base/name.h"
#include "src/base/time.h"
#include "src/inventory/renew.h"

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

// The record's revocation time in RFC 3339 UTC, read once per record; empty when unreadable (which
// is reported) or not given.
const std::optional<std::string>& RevokedAt(const dump::DumpRecord& record, uint64_t line,
                                            Matcher::Scratch* scratch) {
  Matcher::Scratch::Current& current = scratch->current;
  if (!current.revoked_read) {
    // A revocation the dump gives no time for has no time to read, and nothing to report.
    const std::optional<absl::Time> t =
        record.revoked_at == dump::kRevokedAtUnknown
            ? std::nullopt
            : ReadDumpTime(record.revoked_at, "revocation", line, scratch);
    current.revoked_at =
        t.has_value() ? std::optional<std::string>(FormatRfc3339(*t)) : std::nullopt;
    current.revoked_read = true;
  }
  return current.revoked_at;
}

// Lowercase, without spaces: how a bare issuer name is compared.
std::string Squash(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// One attribute of a distinguished name: its type in one spelling, its value as compared.
struct DnAttribute {
  std::string type;   // "cn", "o", "ou", ...; an unknown type in lower case
  std::string value;  // unescaped, ASCII lower case, runs of white space as one space, trimmed
  bool operator==(const DnAttribute& other) const {
    return type == other.type && value == other.value;
  }
};

// The one spelling of an attribute type (lower case, without an "OID." prefix): the short names of
// RFC 4514 and OpenSSL, their long names, Windows' (E, S, T, G) and the dotted OIDs.
std::string CanonicalAttributeType(absl::string_view type) {
  std::string t = absl::AsciiStrToLower(type);
  if (absl::StartsWith(t, "oid.")) t.erase(0, 4);
  struct Alias {
    absl::string_view canonical;
    std::initializer_list<absl::string_view> spellings;
  };
  static const Alias kAliases[] = {
      {"cn", {"commonname", "2.5.4.3"}},
      {"o", {"organizationname", "2.5.4.10"}},
      {"ou", {"organizationalunitname", "2.5.4.11"}},
      {"c", {"countryname", "2.5.4.6"}},
      {"l", {"localityname", "locality", "2.5.4.7"}},
      {"st", {"s", "stateorprovincename", "2.5.4.8"}},
      {"street", {"streetaddress", "2.5.4.9"}},
      {"emailaddress", {"email", "e", "1.2.840.113549.1.9.1"}},
      {"serialnumber", {"2.5.4.5"}},  // not "sn", which is the surname
      {"sn", {"surname", "2.5.4.4"}},
      {"givenname", {"gn", "g", "2.5.4.42"}},
      {"title", {"t", "2.5.4.12"}},
      {"dc", {"domaincomponent", "0.9.2342.19200300.100.1.25"}},
      {"uid", {"userid", "0.9.2342.19200300.100.1.1"}},
      {"postalcode", {"2.5.4.17"}},
      {"businesscategory", {"2.5.4.15"}},
      {"organizationidentifier", {"2.5.4.97"}},
      {"jurisdictionc", {"jurisdictioncountryname", "1.3.6.1.4.1.311.60.2.1.3"}},
      {"jurisdictionst", {"jurisdictionstateorprovincename", "1.3.6.1.4.1.311.60.2.1.2"}},
      {"jurisdictionl", {"jurisdictionlocalityname", "1.3.6.1.4.1.311.60.2.1.1"}},
  };
  for (const Alias& alias : kAliases) {
    if (t == alias.canonical) return t;
    for (absl::string_view spelling : alias.spellings) {
      if (t == spelling) return std::string(alias.canonical);
    }
  }
  return t;
}

// The length of the attribute type and '=' that start `text` ("CN=", "commonName =",
// "OID.2.5.4.3=", "2.5.4.3="), or 0 when it does not start with one.
size_t AttributeStart(absl::string_view text, absl::string_view* type) {
  size_t i = 0;
  if (absl::StartsWithIgnoreCase(text, "oid.")) i = 4;
  const size_t begin = i;
  if (i < text.size() && absl::ascii_isalpha(static_cast<unsigned char>(text[i]))) {
    while (i < text.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-')) {
      ++i;
    }
  } else {
    // A dotted OID: digits and dots, starting with a digit.
    while (i < text.size() && (absl::ascii_isdigit(static_cast<unsigned char>(text[i])) ||
                               (text[i] == '.' && i > begin))) {
      ++i;
    }
  }
  if (i == begin) return 0;
  *type = text.substr(0, i);
  while (i < text.size() && text[i] == ' ') ++i;
  if (i == text.size() || text[i] != '=') return 0;
  return i + 1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// The attributes of `text` when it is a distinguished name in one of the notations CAs and tools
// write: RFC 4514 / OpenSSL ("C=US, O=Let's Encrypt, CN=R3", "CN=R3,O=Let's Encrypt,C=US", with
// "\," escapes, "\C3\A9" hex escapes or "quoted, values"), OpenSSL's old "/C=US/O=Let's
// Encrypt/CN=R3", ';' between attributes, '+' within a multi-valued RDN. A separator counts only
// when an attribute type and '=' follow it, so an unescaped "O=DigiCert, Inc." keeps its comma.
// nullopt when `text` does not start with an attribute type and '=' (a bare name such as "R3").
std::optional<std::vector<DnAttribute>> ParseDn(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  const bool slashes = !text.empty() && text[0] == '/';
  if (slashes) text.remove_prefix(1);
  auto is_separator = [&](char c) {
    return slashes ? c == '/' || c == '+' : c == ',' || c == ';' || c == '+';
  };
  std::vector<DnAttribute> attributes;
  size_t i = 0;
  while (true) {
    absl::string_view type;
    const size_t value_start = AttributeStart(text.substr(i), &type);
    if (value_start == 0) return attributes.empty() ? std::nullopt : std::optional(attributes);
    i += value_start;
    DnAttribute attribute{CanonicalAttributeType(type), ""};
    std::string& value = attribute.value;
    bool quoted = false;
    bool space = false;  // a white space run waiting for the next character of the value
    auto append = [&](char c) {
      if (c == ' ' || c == '\t') {
        space = !value.empty();
        return;
      }
      if (space) value.push_back(' ');
      space = false;
      value.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    };
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\\' && i + 1 < text.size()) {
        const int high = HexValue(text[i + 1]);
        const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
        if (high >= 0 && low >= 0) {
          append(static_cast<char>(high * 16 + low));
          i += 2;
        } else {
          append(text[++i]);
        }
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (!quoted && is_separator(c)) {
        size_t next = i + 1;
        while (next < text.size() && text[next] == ' ') ++next;
        absl::string_view next_type;
        if (AttributeStart(text.substr(next), &next_type) > 0) {
          i = next;
          break;
        }
      }
      append(c);
    }
    attributes.push_back(std::move(attribute));
    if (i >= text.size()) return attributes;
  }
}

std::string FactTime(absl::Time t) { return FormatRfc3339(t); }

// Counts and reports the record name `name`, which is not a DNS name.
void ReportInvalidName(absl::string_view name, const absl::Status& why, uint64_t line,
                       Matcher::Scratch* scratch) {
  ++scratch->invalid_names;
  if (scratch->diagnostics != nullptr) {
    scratch->diagnostics->Report(
        line, absl::StrCat("invalid name '", QuoteForMessage(name), "': ", NameErrorReason(why)));
  }
}

// The record's names in normal form (see Scratch::Current::names), computed once per record for
// the several inventories that look at them; an invalid name is reported and counted.
const std::vector<absl::string_view>& NormalNames(const dump::DumpRecord& record, uint64_t line,
                                                  Matcher::Scratch* scratch) {
  Matcher::Scratch::Current& current = scratch->current;
  if (current.names_read) return current.names;
  current.names_read = true;
  current.normal_text.clear();
  current.rewritten.clear();
  // Most names are normal already, found so (and hashed) while the list is split; the others are
  // normalised here.
  record.PlainNames(&current.names, &current.hashes, &current.others);
  for (const uint32_t i : current.others) {
    const absl::string_view word = current.names[i];
    const absl::StatusOr<absl::string_view> name = NormalizeName(word, &scratch->name);
    if (!name.ok()) {
      ReportInvalidName(word, name.status(), line, scratch);
      current.names[i] = {};
      continue;
    }
    current.hashes[i] = HashBytes(*name);
    if (name->data() == word.data()) {
      current.names[i] = *name;  // already normal: the dump's own text
      continue;
    }
    current.rewritten.push_back({i, current.normal_text.size(), name->size()});
    current.normal_text.append(name->data(), name->size());
  }
  for (const Matcher::Scratch::Current::Rewritten& r : current.rewritten) {
    current.names[r.name] = absl::string_view(current.normal_text.data() + r.offset, r.size);
  }
  return current.names;
}

// Calls fn(i, name, hash) for the normal form of each record name that is a DNS name (i its
// position in the record, hash its HashBytes); the others are reported by NormalNames.
template <typename Fn>
void ForEachNormalName(const dump::DumpRecord& record, uint64_t line, Matcher::Scratch* scratch,
                       Fn&& fn) {
  const std::vector<absl::string_view>& names = NormalNames(record, line, scratch);
  for (size_t i = 0; i < names.size(); ++i) {
    // empty: not a DNS name, reported by NormalNames
    if (!names[i].empty()) fn(i, names[i], scratch->current.hashes[i]);
  }
}

// `text` (hex digits, any case, perhaps with ':' or spaces between bytes) as 64 lowercase hex
// digits in `*out`; false when it is not a SHA-256 fingerprint.
bool NormalFingerprint(absl::string_view text, std::string* out) {
  out->clear();
  for (const char c : text) {
    if (absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      out->push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (c != ':' && c != ' ') {
      return false;
    }
  }
  return out->size() == 64;
}

}  // namespace

bool SameDistinguishedName(absl::string_view a, absl::string_view b) {
  std::optional<std::vector<DnAttribute>> x = ParseDn(a);
  std::optional<std::vector<DnAttribute>> y = ParseDn(b);
  if (!x.has_value() || !y.has_value()) return Squash(a) == Squash(b);
  if (x->size() != y->size()) return false;
  auto less = [](const DnAttribute& p, const DnAttribute& q) {
    return std::tie(p.type, p.value) < std::tie(q.type, q.value);
  };
  std::sort(x->begin(), x->end(), less);
  std::sort(y->begin(), y->end(), less);
  return *x == *y;
}

bool IssuedBy(const inventory::Certificate& cert, absl::string_view issuer,
              absl::string_view key_id) {
  if (!key_id.empty() && !cert.authority_key_id.empty() &&
      !absl::EqualsIgnoreCase(key_id, cert.authority_key_id)) {
    return false;
  }
  return SameDistinguishedName(issuer, cert.issuer);
}

bool IssuerEquals(const dump::DumpRecord& record, const inventory::Certificate& cert) {
  return IssuedBy(cert, record.issuer, record.issuer_key_id);
}

bool IssuerAgrees(absl::string_view dump_issuer, const inventory::Certificate& cert) {
  const absl::string_view issuer = absl::StripAsciiWhitespace(dump_issuer);
  if (issuer.empty()) return true;
  if (const std::optional<std::vector<DnAttribute>> dump_dn = ParseDn(issuer)) {
    std::optional<std::vector<DnAttribute>> cert_dn = ParseDn(cert.issuer);
    if (!cert_dn.has_value()) {
      // No issuer DN could be written for this certificate: its CN is all there is.
      cert_dn = ParseDn(absl::StrCat("CN=", cert.issuer_cn));
    }
    for (const DnAttribute& attribute : *dump_dn) {
      if (std::find(cert_dn->begin(), cert_dn->end(), attribute) == cert_dn->end()) return false;
    }
    return true;
  }
  // A bare name: the whole DN, or the issuer's CN ("R3").
  absl::string_view bare = issuer;
  if (bare.size() >= 2 && bare.front() == '"' && bare.back() == '"') {
    bare = bare.substr(1, bare.size() - 2);
  }
  const std::string squashed = Squash(bare);
  if (squashed == Squash(cert.issuer)) return true;
  return bare.find('=') == absl::string_view::npos && squashed == Squash(cert.issuer_cn);
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

namespace {

// What a finding about `c` names as its input: the endpoint as written, the store's location
// ("secret/prod/www-tls"), or the file.
const std::string& CertificateInput(const inventory::Certificate& c) {
  if (!c.endpoint.empty()) return c.endpoint;
  return c.location.empty() ? c.path : c.location;
}

}  // namespace

std::shared_ptr<const CertificateFacts> FactsOf(const inventory::Certificate& c) {
  inventory::Renewal renewal = inventory::RenewalOf(c);
  return std::make_shared<const CertificateFacts>(CertificateFacts{
      c.serial, c.issuer, c.subject_cn, c.names().Strings(), FactTime(c.not_before),
      FactTime(c.not_after), c.sha256, c.spki_sha256, c.ari_cert_id, c.verification, c.is_ca,
      c.also_at, std::string(c.endpoint.empty() ? inventory::StoreKindName(c.store) : "endpoint"),
      std::move(renewal.command), std::move(renewal.note)});
}

Finding CertificateFinding(const inventory::Certificate& cert, FindingKind kind) {
  Finding f;
  f.kind = kind;
  f.input = CertificateInput(cert);
  f.inventory_path = cert.path;
  f.inventory_line = cert.line;
  f.certificate = FactsOf(cert);
  return f;
}

Finding Matcher::MakeCertificateFinding(const dump::DumpRecord& record, uint64_t line,
                                        const CertificateSet& set, uint32_t cert,
                                        Scratch* scratch) const {
  const inventory::Certificate& c = set.inventory->certificates[cert];
  Finding f = MakeFinding(record, line, scratch);
  f.kind = set.kind;
  f.input = CertificateInput(c);
  f.inventory_path = c.path;
  f.inventory_line = c.line;
  f.certificate = FactsOf(c);
  return f;
}

void Matcher::MatchCertificates(const dump::DumpRecord& record, uint64_t line,
                                const CertificateSet& set, Scratch* scratch,
                                std::vector<Finding>* out) const {
  const std::vector<inventory::Certificate>& certs = set.inventory->certificates;
  const bool revoked = !record.revoked_at.empty();
  scratch->affected_certs.clear();
  // By fingerprint first: the very certificate, whatever its serial and issuer.
  if (!record.cert_sha256.empty() && NormalFingerprint(record.cert_sha256, &scratch->name)) {
    for (const uint32_t cert : set.index.FindSha256(scratch->name)) {
      Finding f = MakeCertificateFinding(record, line, set, cert, scratch);
      f.match = MatchType::kSha256;
      f.status = revoked ? FindingStatus::kRevoked : FindingStatus::kAffected;
      scratch->affected_certs.push_back(cert);
      out->push_back(std::move(f));
    }
  }
  if (!record.serial.empty()) {
    for (const uint32_t cert : set.index.FindSerial(record.serial)) {
      if (std::find(scratch->affected_certs.begin(), scratch->affected_certs.end(), cert) !=
          scratch->affected_certs.end()) {
        continue;  // found by its fingerprint on this record already
      }
      Finding f = MakeCertificateFinding(record, line, set, cert, scratch);
      f.match = MatchType::kSerial;
      if (record.issuer_exact ? IssuerEquals(record, certs[cert])
                              : IssuerAgrees(record.issuer, certs[cert])) {
        f.status = revoked ? FindingStatus::kRevoked : FindingStatus::kAffected;
        scratch->affected_certs.push_back(cert);
      } else if (record.issuer_exact) {
        // A CRL speaks for its own issuer only: the same serial from another CA is another
        // certificate, not revoked by this list.
        f.status = FindingStatus::kWarning;
        f.reason = absl::StrCat("the serial is listed by a CRL of '", record.issuer,
                                record.issuer_key_id.empty()
                                    ? ""
                                    : absl::StrCat("' (key id ", record.issuer_key_id, ")"),
                                record.issuer_key_id.empty() ? "'" : "",
                                ", not of this certificate's issuer '", certs[cert].issuer,
                                certs[cert].authority_key_id.empty()
                                    ? "'"
                                    : absl::StrCat("' (key id ", certs[cert].authority_key_id, ")"),
                                ": not revoked by it");
      } else {
        f.status = FindingStatus::kWarning;
        f.reason = absl::StrCat("the serial is listed for issuer '", record.issuer,
                                "', not this certificate's issuer '", certs[cert].issuer, "'");
      }
      out->push_back(std::move(f));
    }
  }
  if (!set.index.has_names()) return;

  scratch->cert_hits.clear();
  // Through the record's normal names, computed once for every inventory that looks at them.
  ForEachNormalName(record, line, scratch, [&](size_t i, absl::string_view name, uint64_t hash) {
    set.index.ForEachNameMatch(name, hash, [&](uint32_t cert, index::NameMatch how) {
      if (std::find(scratch->affected_certs.begin(), scratch->affected_certs.end(), cert) ==
          scratch->affected_certs.end()) {
        scratch->cert_hits.push_back({cert, static_cast<uint32_t>(i), how});
      }
    });
  });
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
    if (i > 0 && hits[i - 1].cert == hit.cert) continue;  // its finding is made
    // Sorted last for its certificate: every name it has here has a newer inventory certificate,
    // which gets the finding (replaced); this older one is not the listed certificate either.
    if (!hit.newer && hit.superseded) continue;
    Finding f = MakeCertificateFinding(record, line, set, hit.cert, scratch);
    f.match = ToMatchType(hit.how);
    f.name = std::string(scratch->current.names[hit.name]);
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
  if (!record.revoked_at.empty()) {
    f.revoked_at = RevokedAt(record, line, scratch);
    if (!record.revocation_reason.empty())
      f.revocation_reason = std::string(record.revocation_reason);
  }
  return f;
}

void Matcher::Match(const dump::DumpRecord& record, uint64_t line, Scratch* scratch,
                    std::vector<Finding>* out) const {
  scratch->current.issued_read = false;
  scratch->current.not_after_read = false;
  scratch->current.names_read = false;
  scratch->current.revoked_read = false;
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
      f.status = record.revoked_at.empty() ? FindingStatus::kAffected : FindingStatus::kRevoked;
      f.kind = FindingKind::kSerial;
      f.match = MatchType::kSerial;
      if (record.issuer_exact) {
        f.reason = absl::StrCat(
            "matched by serial alone: --serials give no issuer, and this list "
            "speaks for issuer '",
            record.issuer, "' only");
      }
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
  scratch->hits.clear();
  const std::vector<absl::string_view>& names = NormalNames(record, line, scratch);
  const std::vector<uint64_t>& hashes = scratch->current.hashes;
  // Most names of a record miss: their filter words are fetched together, then probed.
  for (size_t i = 0; i < names.size(); ++i) {
    if (!names[i].empty()) set.index.Prefetch(hashes[i]);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;  // not a DNS name, reported by NormalNames
    set.index.ForEachMatch(names[i], hashes[i], [&](uint32_t entry, index::NameMatch how) {
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
    f.input = std::string(e.input());
    f.inventory_path = set.inventory->path;
    f.inventory_line = e.line();
    f.name = std::string(scratch->current.names[hit.name]);
    out->push_back(std::move(f));
  }
}

}  // namespace serialmatch::match
