// CsvReader: RFC 4180 rows from text in memory — quoted fields with "" escapes, commas and line
// breaks inside quotes, CRLF or LF line ends, a leading UTF-8 BOM. The delimiter is ',' unless the
// first line has none and has a tab or ';' (spreadsheet exports in some locales).
//
//   CsvReader reader(text);
//   CsvRow row;
//   std::string error;
//   while (reader.Next(&row, &error)) { use(row.line, row.fields); }
//   if (!error.empty()) { ...the rest of the text could not be read... }
#ifndef SERIALMATCH_SRC_INVENTORY_CSV_H_
#define SERIALMATCH_SRC_INVENTORY_CSV_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

namespace serialmatch::inventory {

struct CsvRow {
  uint64_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  // `text` must outlive the reader.
  explicit CsvReader(absl::string_view text);

  // Reads the next row into `*row`; returns false at the end of the text, or when a quoted field is
  // not closed before the end, in which case `*error` says where it was opened.
  bool Next(CsvRow* row, std::string* error);

  char delimiter() const { return delimiter_; }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  char delimiter_ = ',';
};

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_CSV_H_
