#include "src/match/matcher.h"

#include <algorithm>
#include <tuple>

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

// The dump's time in RFC 3339 UTC; nullopt when absent or not a time this tool can read.
std::optional<std::string> ToRfc3339(absl::string_view dump_time) {
  if (dump_time.empty()) return std::nullopt;
  absl::StatusOr<absl::Time> t = ParseDumpTime(dump_time);
  if (!t.ok()) return std::nullopt;
  return FormatRfc3339(*t);
}

}  // namespace

Matcher::Matcher(const inventory::DomainInventory* domains,
                 const inventory::SerialInventory* serials)
    : domains_(domains), serials_(serials) {
  if (domains_ != nullptr) domain_index_.emplace(domains_->entries);
  if (serials_ != nullptr) serial_index_.emplace(serials_->entries);
}

Finding Matcher::MakeFinding(const dump::DumpRecord& record, uint64_t line) const {
  Finding f;
  f.serial = std::string(record.serial);
  f.dump_line = line;
  const std::vector<absl::string_view>& names = record.names();
  f.names.reserve(names.size());
  for (absl::string_view name : names) f.names.emplace_back(name);
  f.issued_at = ToRfc3339(record.issued_at);
  f.not_after = ToRfc3339(record.not_after);
  f.account = std::string(record.account);
  f.issuer = std::string(record.issuer);
  f.cert_sha256 = std::string(record.cert_sha256);
  f.precert_sha256 = std::string(record.precert_sha256);
  return f;
}

void Matcher::Match(const dump::DumpRecord& record, uint64_t line, Scratch* scratch,
                    std::vector<Finding>* out) const {
  if (serial_index_.has_value() && !record.serial.empty()) {
    if (const std::optional<uint32_t> entry = serial_index_->Find(record.serial)) {
      const inventory::SerialEntry& e = serials_->entries[*entry];
      Finding f = MakeFinding(record, line);
      f.status = FindingStatus::kAffected;
      f.kind = FindingKind::kSerial;
      f.match = MatchType::kSerial;
      f.input = std::string(e.input);
      f.inventory_path = serials_->path;
      f.inventory_line = e.line;
      out->push_back(std::move(f));
    }
  }
  if (!domain_index_.has_value()) return;
  const std::vector<absl::string_view>& names = record.names();
  scratch->hits.clear();
  for (size_t i = 0; i < names.size(); ++i) {
    const absl::StatusOr<absl::string_view> name = NormalizeName(names[i], &scratch->name);
    if (!name.ok()) continue;
    domain_index_->ForEachMatch(*name, [&](uint32_t entry, index::NameMatch how) {
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
    const inventory::DomainEntry& e = domains_->entries[hit.entry];
    Finding f = MakeFinding(record, line);
    f.status = FindingStatus::kListed;
    f.kind = FindingKind::kDomain;
    f.match = ToMatchType(hit.how);
    f.input = std::string(e.input);
    f.inventory_path = domains_->path;
    f.inventory_line = e.line;
    // The normal form of the matched name; recomputed only for hits, which are rare.
    std::string normal_scratch;
    const absl::StatusOr<absl::string_view> normal =
        NormalizeName(names[hit.name], &normal_scratch);
    f.name = normal.ok() ? std::string(*normal) : std::string(names[hit.name]);
    out->push_back(std::move(f));
  }
}

}  // namespace serialmatch::match
