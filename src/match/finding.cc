#include "src/match/finding.h"

#include <algorithm>
#include <tuple>

namespace serialmatch::match {

absl::string_view StatusName(FindingStatus status) {
  switch (status) {
    case FindingStatus::kAffected:
      return "affected";
    case FindingStatus::kListed:
      return "listed";
  }
  return "?";
}

absl::string_view KindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kDomain:
      return "domain";
    case FindingKind::kSerial:
      return "serial";
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
  }
  return "?";
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.kind, a.input, a.inventory_path, a.inventory_line, a.dump_path, a.dump_line,
                  a.name, a.status, a.match) < std::tie(b.kind, b.input, b.inventory_path,
                                                        b.inventory_line, b.dump_path, b.dump_line,
                                                        b.name, b.status, b.match);
}

void DedupeFindings(std::vector<Finding>* findings) {
  auto same_certificate = [](const Finding& a, const Finding& b) {
    return !a.serial.empty() &&
           std::tie(a.kind, a.inventory_path, a.inventory_line, a.dump_path, a.serial, a.issuer) ==
               std::tie(b.kind, b.inventory_path, b.inventory_line, b.dump_path, b.serial,
                        b.issuer);
  };
  std::sort(findings->begin(), findings->end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.kind, a.inventory_path, a.inventory_line, a.dump_path, a.serial, a.issuer,
                    a.dump_line, a.name) < std::tie(b.kind, b.inventory_path, b.inventory_line,
                                                    b.dump_path, b.serial, b.issuer, b.dump_line,
                                                    b.name);
  });
  findings->erase(std::unique(findings->begin(), findings->end(), same_certificate),
                  findings->end());
  std::sort(findings->begin(), findings->end(), FindingLess);
}

}  // namespace serialmatch::match
