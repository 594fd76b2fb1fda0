// Reads the one column an inventory is about (the domain, the serial) out of a CSV file or a plain
// list, so the domain and serial inventories share one notion of header, column and comment.
//
// The first row is a header when one of its cells is a known column name (compared ignoring case,
// spaces and '_'); the value is then taken from that column. Otherwise there is no header and the
// value is the first column. Blank rows and rows starting with '#' are skipped.
#ifndef SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_
#define SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/types/span.h"
#include "src/base/diagnostics.h"

namespace serialmatch::inventory {

struct ColumnValue {
  uint64_t line;      // 1-based line of the row
  std::string value;  // trimmed of ASCII whitespace; never empty
};

// Returns the column's values in file order. `header_names` are the known column names in order of
// preference, written lowercase without spaces or '_' ("serialnumber"). Rows without the column or
// with an empty value, and a quote left open, go to `diags`.
std::vector<ColumnValue> ReadColumn(absl::string_view text,
                                    absl::Span<const absl::string_view> header_names,
                                    Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_
