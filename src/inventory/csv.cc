#include "src/inventory/csv.h"

#include "absl/strings/str_cat.h"

namespace serialmatch::inventory {

CsvReader::CsvReader(absl::string_view text) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  const absl::string_view first_line = text_.substr(0, text_.find('\n'));
  if (first_line.find(',') == absl::string_view::npos) {
    if (first_line.find('\t') != absl::string_view::npos) {
      delimiter_ = '\t';
    } else if (first_line.find(';') != absl::string_view::npos) {
      delimiter_ = ';';
    }
  }
}

bool CsvReader::Next(CsvRow* row, std::string* error) {
  row->fields.clear();
  if (pos_ >= text_.size()) return false;
  row->line = line_;
  std::string field;
  bool quoted = false;
  uint64_t quote_line = 0;
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (quoted) {
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      quote_line = line_;
    } else if (c == delimiter_) {
      row->fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      ++line_;
      break;
    } else if (c == '\r' && (pos_ == text_.size() || text_[pos_] == '\n')) {
      // CR of a CRLF line end (or a final CR): dropped.
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    *error = absl::StrCat("quoted field opened on line ", quote_line,
                          " is not closed before the end of the file");
    return false;
  }
  row->fields.push_back(std::move(field));
  return true;
}

}  // namespace serialmatch::inventory
