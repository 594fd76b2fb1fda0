// CsvReader: RFC 4180 rows from text in memory (inventories, CSV dumps) — quoted fields with ""
// escapes, commas and line breaks inside quotes, CRLF or LF line ends, a leading UTF-8 BOM. The
// delimiter is ',' unless the first line has none and has a tab or ';' (spreadsheet exports in some
// locales).
//
//   CsvReader reader(text);
//   CsvRow row;
//   std::string error;
//   while (reader.Next(&row, &error)) { use(row.line, row.fields); }
//   if (!error.empty()) { ...the rest of the text could not be read... }
//
// Fields are views: of the text itself, or, for a quoted field with "" escapes or a line break with
// CRLF, of a buffer inside the reader that the next call to Next() reuses.
#ifndef SERIALMATCH_SRC_BASE_CSV_H_
#define SERIALMATCH_SRC_BASE_CSV_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch {

struct CsvRow {
  uint64_t line = 0;  // 1-based line where the row starts
  std::vector<absl::string_view> fields;
};

class CsvReader {
 public:
  // `text` must outlive the reader and the rows it returns.
  explicit CsvReader(absl::string_view text = {}) { Reset(text); }

  // Starts over on `text`, keeping the reader's buffers (to read many short texts, such as the
  // lines of a CSV dump one at a time, without allocating).
  void Reset(absl::string_view text);

  // Reads the next row into `*row`; returns false at the end of the text, or when a quoted field is
  // not closed before the end, in which case `*error` says where it was opened.
  bool Next(CsvRow* row, std::string* error);

  char delimiter() const { return delimiter_; }

  // True when `field` views the text given to the constructor (rather than the reader's buffer).
  bool ViewsText(absl::string_view field) const {
    return field.data() >= text_.data() &&
           field.data() + field.size() <= text_.data() + text_.size();
  }

 private:
  // Reads the row at pos_ when its line has no quote character, and returns true; otherwise
  // returns false and reads nothing.
  bool PlainRow(CsvRow* row);

  // Reads a quoted field whose opening quote was at pos_ - 1.
  absl::string_view QuotedField(bool* closed);

  absl::string_view text_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  char delimiter_ = ',';
  std::deque<std::string> unescaped_;  // backing for this row's rewritten fields
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_CSV_H_
