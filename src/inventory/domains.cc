#include "src/inventory/domains.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/name.h"
#include "src/base/status_macros.h"
#include "src/inventory/column_reader.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kHeaders[] = {"domain", "domains", "domainname", "hostname", "host",
                                         "fqdn",   "name",    "dnsname",    "commonname", "cn"};

}  // namespace

absl::StatusOr<DomainInventory> ParseDomainInventory(absl::string_view text, const std::string& path,
                                                     Diagnostics* diags) {
  DomainInventory inventory;
  inventory.path = path;
  std::vector<ColumnValue> values = ReadColumn(text, kHeaders, diags);
  // Reserved up front: the duplicate sets view names inside `entries`, which must not move.
  inventory.entries.reserve(values.size());
  absl::flat_hash_set<absl::string_view> seen_exact;
  absl::flat_hash_set<absl::string_view> seen_subtree;
  seen_exact.reserve(values.size());
  std::string scratch;
  for (ColumnValue& value : values) {
    absl::string_view name = value.value;
    const bool subtree = name[0] == '.';
    if (subtree) name.remove_prefix(1);
    absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    if (!normal.ok()) {
      diags->Report(value.line, normal.status().message());
      continue;
    }
    if (subtree && normal->front() == '*') {
      diags->Report(value.line, "a subtree entry ('.example.com') cannot be a wildcard");
      continue;
    }
    // `normal` may view value.value: copy it before moving the input.
    std::string normal_name(*normal);
    inventory.entries.push_back({std::move(value.value), std::move(normal_name), subtree, value.line});
    if (!(subtree ? seen_subtree : seen_exact).insert(inventory.entries.back().name).second) {
      inventory.entries.pop_back();
      ++inventory.duplicates;
    }
  }
  if (inventory.entries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no valid domain names found"));
  }
  return inventory;
}

absl::StatusOr<DomainInventory> LoadDomainInventory(const std::string& path, Diagnostics* diags) {
  SM_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseDomainInventory(text, path, diags);
}

}  // namespace serialmatch::inventory
