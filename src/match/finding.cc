#include "src/match/finding.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace serialmatch::match {

absl::string_view StatusName(FindingStatus status) {
  switch (status) {
    case FindingStatus::kAffected:
      return "affected";
    case FindingStatus::kListed:
      return "listed";
    case FindingStatus::kReplaced:
      return "replaced";
    case FindingStatus::kWarning:
      return "warning";
    case FindingStatus::kError:
      return "error";
    case FindingStatus::kRevoked:
      return "revoked";
    case FindingStatus::kMismatch:
      return "mismatch";
  }
  return "?";
}

absl::string_view KindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kDomain:
      return "domain";
    case FindingKind::kSerial:
      return "serial";
    case FindingKind::kCertificate:
      return "certificate";
    case FindingKind::kEndpoint:
      return "endpoint";
  }
  return "?";
}

absl::string_view MatchName(MatchType match) {
  switch (match) {
    case MatchType::kSerial:
      return "serial";
    case MatchType::kExact:
      return "exact";
    case MatchType::kWildcard:
      return "wildcard";
    case MatchType::kSubtree:
      return "subtree";
    case MatchType::kSha256:
      return "sha256";
  }
  return "?";
}

bool NeedsAction(FindingStatus status) {
  return status == FindingStatus::kAffected || status == FindingStatus::kListed ||
         status == FindingStatus::kRevoked || status == FindingStatus::kMismatch;
}

void DropReplacedOfAffected(std::vector<Finding>* findings) {
  absl::flat_hash_set<std::pair<std::string, uint64_t>> affected;
  for (const Finding& f : *findings) {
    if (f.certificate != nullptr &&
        (f.status == FindingStatus::kAffected || f.status == FindingStatus::kRevoked)) {
      affected.emplace(f.inventory_path, f.inventory_line);
    }
  }
  if (affected.empty()) return;
  findings->erase(
      std::remove_if(findings->begin(), findings->end(),
                     [&](const Finding& f) {
                       return f.status == FindingStatus::kReplaced &&
                              affected.contains(std::make_pair(f.inventory_path, f.inventory_line));
                     }),
      findings->end());
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.kind, a.input, a.inventory_path, a.inventory_line, a.dump_path, a.dump_line,
                  a.name, a.status, a.match) < std::tie(b.kind, b.input, b.inventory_path,
                                                        b.inventory_line, b.dump_path, b.dump_line,
                                                        b.name, b.status, b.match);
}

void DedupeFindings(std::vector<Finding>* findings) {
  // One certificate's finding of one status; different statuses are different facts (a serial
  // listed under another issuer, and a name of the same certificate on that record).
  auto key = [](const Finding& f) {
    return std::tie(f.kind, f.inventory_path, f.inventory_line, f.dump_path, f.serial, f.issuer,
                    f.status);
  };
  std::sort(findings->begin(), findings->end(), [&](const Finding& a, const Finding& b) {
    if (key(a) != key(b)) return key(a) < key(b);
    return std::tie(a.dump_line, a.name) < std::tie(b.dump_line, b.name);  // the earliest first
  });
  findings->erase(std::unique(findings->begin(), findings->end(),
                              [&](const Finding& a, const Finding& b) {
                                return !a.serial.empty() && key(a) == key(b);
                              }),
                  findings->end());
  std::sort(findings->begin(), findings->end(), FindingLess);
}

}  // namespace serialmatch::match
