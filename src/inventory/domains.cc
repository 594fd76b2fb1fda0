#include "src/inventory/domains.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/base/name.h"
#include "src/base/status_macros.h"
#include "src/base/text_encoding.h"
#include "src/inventory/column_reader.h"

namespace serialmatch::inventory {
namespace {

constexpr absl::string_view kHeaders[] = {"domain", "domains", "domainname", "hostname",   "host",
                                          "fqdn",   "name",    "dnsname",    "commonname", "cn"};

}  // namespace

absl::StatusOr<DomainInventory> ParseDomainInventory(std::string text, const std::string& path,
                                                     Diagnostics* diags) {
  DomainInventory inventory;
  inventory.path = path;
  inventory.text = std::make_unique<const std::string>(ToUtf8Text(std::move(text)));
  const absl::string_view all = *inventory.text;
  const StableViews stable(all, &inventory.arena);
  inventory.entries.reserve(stable.MaxRows());
  std::string scratch;
  ForEachColumnValue(all, kHeaders, diags, [&](uint64_t line, absl::string_view value) {
    absl::string_view name = value;
    const bool subtree = name[0] == '.';
    if (subtree) name.remove_prefix(1);
    absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    if (!normal.ok()) {
      diags->Report(line, normal.status().message());
      return;
    }
    if (subtree && normal->front() == '*') {
      diags->Report(line, "a subtree entry ('.example.com') cannot be a wildcard");
      return;
    }
    inventory.entries.push_back({stable.Keep(value), stable.Keep(*normal), subtree, line});
  });
  if (inventory.entries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no valid domain names found"));
  }
  return inventory;
}

absl::StatusOr<DomainInventory> LoadDomainInventory(const std::string& path, Diagnostics* diags) {
  SM_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseDomainInventory(std::move(text), path, diags);
}

}  // namespace serialmatch::inventory
