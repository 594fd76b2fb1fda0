// The domain inventory: the names a customer is responsible for, from a CSV file or a plain list.
//
//   example.com        exact name (also matched by a listed "*.example.com" wildcard, see index/)
//   *.example.com      the wildcard name itself
//   .example.com       subtree: example.com and every name under it
//   münchen.de         IDN, matched as xn--mnchen-3ya.de
//
// The file may be UTF-8 or UTF-16 (see ToUtf8Text); the column is chosen as column_reader.h says,
// by its header or by its contents. Values are normalised with NormalizeName; invalid ones,
// and single labels ("localhost", or "alice" from the wrong column; also ".com" and "*.com"), are
// reported to the diagnostics sink and not matched. Entries that normalise to the same name are all
// kept here; the index matches the first.
#ifndef SERIALMATCH_SRC_INVENTORY_DOMAINS_H_
#define SERIALMATCH_SRC_INVENTORY_DOMAINS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/base/huge_pages.h"
#include "src/base/string_arena.h"

namespace serialmatch::inventory {

// Views into the DomainInventory that holds the entry.
struct DomainEntry {
  absl::string_view input;  // the value as written, trimmed
  absl::string_view name;   // normalised; for a subtree entry without the leading '.'
  bool subtree = false;
  uint64_t line = 0;
};

// Owns the file's text and the rewritten strings its entries view, so loading costs a few large
// allocations, not several per entry. Movable; the views stay valid when it moves.
struct DomainInventory {
  std::string path;
  // Which column the names were read from and why, for the user ("column 2 'Address' (no known
  // header; its values are host names)"), and the file's encoding when it was not UTF-8.
  std::string column_note;
  std::vector<DomainEntry, HugePageAllocator<DomainEntry>> entries;
  std::unique_ptr<const std::string> text;
  StringArena arena;
};

// Parses inventory `text` read from `path` (used in messages), keeping a copy of it (in UTF-8).
// Fails when no column of host names can be chosen or no valid entry remains.
[[nodiscard]] absl::StatusOr<DomainInventory> ParseDomainInventory(std::string text,
                                                                   const std::string& path,
                                                                   Diagnostics* diags);

// Reads and parses the file at `path` ("-" for standard input).
[[nodiscard]] absl::StatusOr<DomainInventory> LoadDomainInventory(const std::string& path,
                                                                  Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_DOMAINS_H_
