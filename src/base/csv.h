// CsvReader: RFC 4180 rows from text in memory (inventories, CSV dumps) — quoted fields with ""
// escapes, delimiters and line breaks inside quotes, CRLF or LF line ends, a leading UTF-8 BOM. The
// delimiter is ',' unless the first line that is not blank (nor a comment, when comments are
// recognised) has none outside quotes and has a tab or ';' (spreadsheet exports in some locales).
//
//   CsvReader reader(text, CsvComments::kHashLines);
//   CsvRow row;
//   while (reader.Next(&row)) {
//     if (!row.error.empty()) { report(row.line, row.error); continue; }
//     use(row.line, row.fields);
//   }
//
// A quote left open loses at most its row: when a quoted field is not closed before the end of the
// text, or its row would run past kMaxRowLines lines or kMaxRowBytes bytes, or the quote that
// closes it after a line break is followed by something other than a delimiter or a line end (the
// opening quote of a later field, most likely), the row comes back with `error` set and reading
// goes on at the line after the row's first line.
//
// Fields are views: of the text itself, or, for a quoted field with "" escapes or a line break with
// CRLF, of a buffer inside the reader that the next call to Next() reuses.
#ifndef SERIALMATCH_SRC_BASE_CSV_H_
#define SERIALMATCH_SRC_BASE_CSV_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch {

struct CsvRow {
  uint64_t line = 0;                      // 1-based line where the row starts
  std::vector<absl::string_view> fields;  // at least one, unless `error` is set
  // Empty, or why the row could not be read ("quoted field opened here is not closed ..."); then
  // `fields` is empty and the reader has moved on to the line after `line`.
  std::string error;
};

// Whether a line whose first byte other than spaces and tabs is '#' is a comment. Comment lines
// are recognised only where a row starts (not inside a quoted field), are never parsed for quotes
// or delimiters, and are not returned.
enum class CsvComments { kNone, kHashLines };

class CsvReader {
 public:
  // The most lines one row may span (quoted line breaks; Excel allows 253 in a cell).
  static constexpr uint64_t kMaxRowLines = 256;
  // The most bytes a quoted field that spans lines may hold (Excel's 32,767 characters in UTF-8).
  static constexpr size_t kMaxQuotedFieldBytes = 128 << 10;

  // `text` must outlive the reader and the rows it returns.
  explicit CsvReader(absl::string_view text = {}, CsvComments comments = CsvComments::kNone)
      : comments_(comments) {
    Reset(text);
  }

  // Starts over on `text`, keeping the reader's buffers and comment setting (to read many short
  // texts, such as the lines of a CSV dump one at a time, without allocating).
  void Reset(absl::string_view text);

  // Reads the next row into `*row`; returns false at the end of the text. A row that could not be
  // read is returned with `row->error` set (see above).
  bool Next(CsvRow* row);

  char delimiter() const { return delimiter_; }

  // True when `field` views the text given to the constructor (rather than the reader's buffer).
  bool ViewsText(absl::string_view field) const {
    return field.data() >= text_.data() &&
           field.data() + field.size() <= text_.data() + text_.size();
  }

 private:
  // How a quoted field ended.
  enum class QuoteEnd { kClosed, kEndOfText, kTooManyLines, kTooManyBytes };

  // True when the line starting at `pos` is a comment (with comments recognised).
  bool IsCommentLine(size_t pos) const;

  // Reads the row at pos_ when its line has no quote character, and returns true; otherwise
  // returns false and reads nothing.
  bool PlainRow(CsvRow* row);

  // Reads a quoted field whose opening quote was at pos_ - 1, in a row that started on line
  // `row_line`.
  absl::string_view QuotedField(uint64_t row_line, QuoteEnd* end);

  // Makes `*row` the error row `reason` and moves on to the line after the row's first line, which
  // starts at `row_start`.
  void FailRow(size_t row_start, std::string reason, CsvRow* row);

  absl::string_view text_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  char delimiter_ = ',';
  CsvComments comments_;
  std::deque<std::string> unescaped_;  // backing for this row's rewritten fields
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_CSV_H_
