#include "src/base/csv.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace serialmatch {

void CsvReader::Reset(absl::string_view text) {
  text_ = text;
  pos_ = 0;
  line_ = 1;
  delimiter_ = ',';
  unescaped_.clear();
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

absl::string_view CsvReader::QuotedField(bool* closed) {
  const size_t start = pos_;
  std::string* rewritten = nullptr;  // set once an escaped quote forces a copy
  size_t run = start;                // start of the bytes not yet copied into *rewritten
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '"') {
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        if (rewritten == nullptr) rewritten = &unescaped_.emplace_back();
        rewritten->append(text_.data() + run, pos_ + 1 - run);  // keep one quote
        pos_ += 2;
        run = pos_;
        continue;
      }
      *closed = true;
      const absl::string_view tail = text_.substr(run, pos_ - run);
      ++pos_;
      if (rewritten == nullptr) return text_.substr(start, pos_ - 1 - start);
      rewritten->append(tail.data(), tail.size());
      return *rewritten;
    }
    if (c == '\n') ++line_;
    ++pos_;
  }
  *closed = false;
  return {};
}

bool CsvReader::PlainRow(CsvRow* row) {
  const char* const begin = text_.data() + pos_;
  const size_t left = text_.size() - pos_;
  const char* newline = static_cast<const char*>(std::memchr(begin, '\n', left));
  const char* const end = newline != nullptr ? newline : begin + left;
  if (std::memchr(begin, '"', static_cast<size_t>(end - begin)) != nullptr) return false;
  const char* field = begin;
  while (true) {
    const char* delimiter =
        static_cast<const char*>(std::memchr(field, delimiter_, static_cast<size_t>(end - field)));
    if (delimiter == nullptr) break;
    row->fields.emplace_back(field, static_cast<size_t>(delimiter - field));
    field = delimiter + 1;
  }
  const char* field_end = end > field && end[-1] == '\r' ? end - 1 : end;
  row->fields.emplace_back(field, static_cast<size_t>(field_end - field));
  pos_ = static_cast<size_t>(end - text_.data()) + (newline != nullptr);
  line_ += newline != nullptr;
  return true;
}

bool CsvReader::Next(CsvRow* row, std::string* error) {
  row->fields.clear();
  if (!unescaped_.empty()) unescaped_.clear();
  if (pos_ >= text_.size()) return false;
  row->line = line_;
  // Most rows have no quote: cut them at the delimiters directly. The loop below gives the same
  // fields for such rows.
  if (PlainRow(row)) return true;
  size_t field_start = pos_;
  std::string* joined = nullptr;  // a field mixing quoted and unquoted parts, rare
  absl::string_view quoted;
  bool has_quoted = false;
  auto finish_field = [&](size_t end) {
    absl::string_view plain = text_.substr(field_start, end - field_start);
    if (has_quoted) {
      if (plain.empty() && joined == nullptr) {
        row->fields.push_back(quoted);
      } else {
        if (joined == nullptr) joined = &unescaped_.emplace_back(quoted);
        joined->append(plain.data(), plain.size());
        row->fields.push_back(*joined);
      }
    } else {
      row->fields.push_back(plain);
    }
    has_quoted = false;
    joined = nullptr;
  };
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '"' && pos_ == field_start && !has_quoted) {
      const uint64_t quote_line = line_;
      ++pos_;
      bool closed = false;
      quoted = QuotedField(&closed);
      if (!closed) {
        *error = absl::StrCat("quoted field opened on line ", quote_line,
                              " is not closed before the end of the file");
        return false;
      }
      has_quoted = true;
      field_start = pos_;  // bytes after the closing quote, up to the delimiter, are kept
      continue;
    }
    if (c == delimiter_) {
      finish_field(pos_);
      field_start = ++pos_;
      continue;
    }
    if (c == '\n') {
      const size_t end = pos_ > field_start && text_[pos_ - 1] == '\r' ? pos_ - 1 : pos_;
      finish_field(end);
      ++pos_;
      ++line_;
      return true;
    }
    ++pos_;
  }
  const size_t end = pos_ > field_start && text_[pos_ - 1] == '\r' ? pos_ - 1 : pos_;
  finish_field(end);
  return true;
}

}  // namespace serialmatch
