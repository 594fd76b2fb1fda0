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

// One valid inventory entry: views into the DomainInventory that holds it (or, for a certificate
// index, into the certificates). 32 bytes, since a large inventory keeps millions of them: the two
// strings share their lengths' word with nothing else, and a name is at most 253 bytes.
class DomainEntry {
 public:
  // `input` is the value as written, trimmed, shorter than 4 GiB; `name` its normal form (for a
  // subtree entry without the leading '.'), at most kMaxNameLength bytes.
  DomainEntry(absl::string_view input, absl::string_view name, bool subtree, uint64_t line)
      : input_(input.data()),
        name_(name.data()),
        line_(line),
        input_size_(static_cast<uint32_t>(input.size())),
        name_size_(static_cast<uint8_t>(name.size())),
        subtree_(subtree) {}

  absl::string_view input() const { return {input_, input_size_}; }
  absl::string_view name() const { return {name_, name_size_}; }
  bool subtree() const { return subtree_; }
  uint64_t line() const { return line_; }

 private:
  const char* input_;
  const char* name_;
  uint64_t line_;
  uint32_t input_size_;
  uint8_t name_size_;
  bool subtree_;
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
