// Reads the one column an inventory is about (the domain, the serial) out of a CSV file or a plain
// list, so the domain and serial inventories share one notion of header, column and comment.
//
// Lines whose first byte other than spaces and tabs is '#' are comments and blank rows are empty;
// neither counts as the first row. The column is, in this order:
//   - the one whose header cell is a known name (compared ignoring case, spaces and '_'), unless
//     fewer than half its values look like the inventory's values (host names, serials) and
//     another column's clearly do ("Name,Address": people, then hosts);
//   - the one whose header cell contains a known word ("serial" in "cert_serial_hex"), if its
//     values look like values;
//   - the only column, for a plain list;
//   - with several columns, the column where most values of the first kSampleRows rows after the
//     first look like values. If no column does, or two do equally, reading fails naming the
//     columns found.
// Without a known header, the first row is a header (skipped, and named in the note) when its
// cell in the column is empty, or does not look like a value and has no digit or '.' ("Address",
// "Sites"); otherwise it is data, reported if invalid. When the column was chosen by its contents,
// a row with a value-like cell in another column is reported (that cell is not read).
//
//   absl::StatusOr<ColumnChoice> choice = ForEachColumnValue(text, kSerialColumn, &diags,
//       [&](uint64_t line, absl::string_view value) { ... });
//   choice->note;  // "column 2 'Address' (no known header; its values are host names)"
#ifndef SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_
#define SERIALMATCH_SRC_INVENTORY_COLUMN_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/diagnostics.h"
#include "src/base/string_arena.h"
#include "src/base/text_encoding.h"

namespace serialmatch::inventory {

// What an inventory's column holds.
struct ColumnKind {
  // Header cells naming the column exactly, in order of preference, lowercase without spaces or
  // '_' ("serialnumber").
  absl::Span<const absl::string_view> header_names;
  // Words that name the column inside a longer header cell, in the same form ("serial").
  absl::Span<const absl::string_view> header_words;
  // What the values are, plural, for messages ("host names").
  absl::string_view values;
  // Whether a (trimmed, non-empty) cell looks like a value, to find the column by its contents.
  bool (*looks_like_value)(absl::string_view cell);
};

// How many rows after the first are looked at to find the column by its contents.
inline constexpr size_t kSampleRows = 100;

struct ColumnChoice {
  size_t column = 0;  // 0-based
  // Which column was read and why, for the user: "column 2 'Host Name'", "column 1 (a plain
  // list)", "column 2 'Address' (no known header; its values are host names)".
  std::string note;
  size_t values = 0;  // values passed to fn

  // The note, and the text's encoding when it was not UTF-8 ("..., UTF-16LE text").
  std::string NoteWithEncoding(TextEncoding encoding) const {
    return encoding == TextEncoding::kUtf8
               ? note
               : absl::StrCat(note, ", ", TextEncodingName(encoding), " text");
  }
};

// Calls fn(line, value) for each value of the column, in file order: `value` is trimmed of ASCII
// whitespace and never empty; it views `text` when it was written plainly, otherwise a buffer valid
// only during the call (copy it to keep it). Rows without the column or with an empty value, and
// rows a quote left open could not be read, go to `diags`. Fails (kInvalidArgument, a message
// without the path) when no column can be chosen.
[[nodiscard]] absl::StatusOr<ColumnChoice> ForEachColumnValue(
    absl::string_view text, const ColumnKind& kind, Diagnostics* diags,
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
