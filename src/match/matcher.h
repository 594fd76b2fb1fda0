// Matcher: probes one dump record against the inventory indexes and turns hits into Findings.
//
// The join is built on the inventory side and probed with the dump: inventories are small
// (thousands to a few hundred thousand entries) and dumps are large (millions of lines, gigabytes),
// so memory stays proportional to the inventory while the dump streams past.
//
//   Matcher matcher(&domains, &serials);   // either may be null
//   Matcher::Scratch scratch;              // one per worker thread
//   matcher.Match(record, line, &scratch, &findings);
#ifndef SERIALMATCH_SRC_MATCH_MATCHER_H_
#define SERIALMATCH_SRC_MATCH_MATCHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/dump/record.h"
#include "src/index/domain_index.h"
#include "src/index/serial_index.h"
#include "src/inventory/domains.h"
#include "src/inventory/serials.h"
#include "src/match/finding.h"

namespace serialmatch::match {

class Matcher {
 public:
  // Per-thread working memory, reused from record to record.
  struct Scratch {
    struct Hit {
      uint32_t entry;
      index::NameMatch how;
      uint32_t name;  // position in the record's names
    };
    std::vector<Hit> hits;
    std::string name;
  };

  // The inventories (null when not given) must outlive the matcher.
  Matcher(const inventory::DomainInventory* domains, const inventory::SerialInventory* serials);

  // Appends to `*out` the findings of `record`, found at `line` of its dump: one per inventory
  // serial equal to the record's serial, and one per inventory domain that any of the record's
  // names matches (with the best match kind: exact, then wildcard, then subtree; first such name).
  // The findings' dump_path is left empty for the caller to fill in. Names that are not valid DNS
  // names cannot match and are skipped. Thread-safe with one Scratch per thread.
  void Match(const dump::DumpRecord& record, uint64_t line, Scratch* scratch,
             std::vector<Finding>* out) const;

  // Inventory entries that repeat an earlier one and are matched as that one.
  size_t duplicate_domains() const { return domain_index_ ? domain_index_->duplicates() : 0; }
  size_t duplicate_serials() const { return serial_index_ ? serial_index_->duplicates() : 0; }

 private:
  Finding MakeFinding(const dump::DumpRecord& record, uint64_t line) const;

  const inventory::DomainInventory* domains_;
  const inventory::SerialInventory* serials_;
  std::optional<index::DomainIndex> domain_index_;
  std::optional<index::SerialIndex> serial_index_;
};

}  // namespace serialmatch::match

#endif  // SERIALMATCH_SRC_MATCH_MATCHER_H_
