// Reads the one column an inventory is about (the domain, the serial) out of a CSV file or a plain
// list, so the domain and serial inventories share one notion of header, column and comment.
//
// The first row is a header when one of its cells is a known column name (compared ignoring case,
// spaces and '_'); the value is then taken from that column. Otherwise there is no header and the
// value is the first column. Blank rows and lines whose first byte other than spaces and tabs is
// '#' (comments) are skipped, and neither counts as the first row.
//
//   ForEachColumnValue(text, {"serial", "serialnumber"}, &diags,
//                      [&](uint64_t line, absl::string_view value) { ... });
#ifndef SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_
#define SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_

#include <cstdint>
#include <cstring>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/diagnostics.h"
#include "src/base/string_arena.h"

namespace serialmatch::inventory {

// Calls fn(line, value) for each value of the column, in file order: `value` is trimmed of ASCII
// whitespace and never empty; it views `text` when it was written plainly, otherwise a buffer valid
// only during the call (copy it to keep it). `header_names` are the known column names in order of
// preference, written lowercase without spaces or '_' ("serialnumber"). Rows without the column or
// with an empty value, and rows a quote left open could not be read, go to `diags`. Returns the
// number of values.
size_t ForEachColumnValue(absl::string_view text, absl::Span<const absl::string_view> header_names,
                          Diagnostics* diags,
                          absl::FunctionRef<void(uint64_t line, absl::string_view value)> fn);

// Keeps inventory strings alive after parsing: views of the inventory's own `text` are kept as
// they are, anything else (an unescaped CSV field, a rewritten name) is copied into `arena`.
class StableViews {
 public:
  StableViews(absl::string_view text, StringArena* arena) : text_(text), arena_(arena) {}

  absl::string_view Keep(absl::string_view s) const {
    const bool in_text =
        s.data() >= text_.data() && s.data() + s.size() <= text_.data() + text_.size();
    return in_text ? s : arena_->Store(s);
  }

  // An upper bound on the rows of the text, to reserve space for the entries.
  size_t MaxRows() const {
    size_t rows = 1;
    if (text_.empty()) return rows;
    const char* p = text_.data();
    const char* const end = p + text_.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
      ++rows;
      ++p;
    }
    return rows;
  }

 private:
  absl::string_view text_;
  StringArena* arena_;
};

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_
