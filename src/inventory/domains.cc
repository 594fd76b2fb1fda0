#include "src/inventory/domains.h"

#include <algorithm>
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

static_assert(kMaxNameLength <= UINT8_MAX, "DomainEntry keeps a name's length in a byte");

constexpr absl::string_view kHeaders[] = {"domain", "domains", "domainname", "hostname",   "host",
                                          "fqdn",   "name",    "dnsname",    "commonname", "cn"};
constexpr absl::string_view kHeaderWords[] = {"domain", "hostname", "fqdn", "dnsname"};

// The name under a wildcard or subtree entry's prefix has at least two labels: a single label is a
// host on a private network ("localhost", "web1") or a word in the wrong column ("alice"), and a
// wildcard or subtree over one would be a whole top-level domain.
bool HasTwoLabels(absl::string_view normal) {
  if (normal.substr(0, 2) == "*.") normal.remove_prefix(2);
  return normal.find('.') != absl::string_view::npos;
}

// For choosing a column by its contents: a valid name of two labels or more, not an IPv4 address
// (no top-level domain is all digits), so an "address,host" file is read from the host names.
bool LooksLikeHostName(absl::string_view cell) {
  if (cell[0] == '.') cell.remove_prefix(1);
  std::string scratch;
  absl::StatusOr<absl::string_view> normal = NormalizeName(cell, &scratch);
  if (!normal.ok() || !HasTwoLabels(*normal)) return false;
  const absl::string_view last = normal->substr(normal->rfind('.') + 1);
  return !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr ColumnKind kDomainColumn = {kHeaders, kHeaderWords, "host names", LooksLikeHostName};

}  // namespace

absl::StatusOr<DomainInventory> ParseDomainInventory(std::string text, const std::string& path,
                                                     Diagnostics* diags) {
  DomainInventory inventory;
  inventory.path = path;
  TextEncoding encoding;
  inventory.text = std::make_unique<const std::string>(ToUtf8Text(std::move(text), &encoding));
  const absl::string_view all = *inventory.text;
  const StableViews stable(all, &inventory.arena);
  inventory.entries.reserve(stable.MaxRows());
  std::string scratch;
  absl::StatusOr<ColumnChoice> column =
      ForEachColumnValue(all, kDomainColumn, diags, [&](uint64_t line, absl::string_view value) {
        if (value.size() > UINT32_MAX) {  // beyond what a DomainEntry can view
          diags->Report(line, "value longer than 4 GiB");
          return;
        }
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
        if (!HasTwoLabels(*normal)) {
          diags->Report(
              line, absl::StrCat(subtree                  ? "a subtree of a top-level domain"
                                 : normal->front() == '*' ? "a wildcard over a top-level domain"
                                                          : "not a domain name (a single label)",
                                 ", got '", QuoteForMessage(value), "'"));
          return;
        }
        inventory.entries.emplace_back(stable.Keep(value), stable.Keep(*normal), subtree, line);
      });
  if (!column.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", column.status().message()));
  }
  inventory.column_note = column->NoteWithEncoding(encoding);
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
