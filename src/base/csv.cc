#include "src/base/csv.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/base/diagnostics.h"

namespace serialmatch {
namespace {

bool IsBlankLine(absl::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// The delimiter of a CSV whose first row is on `line`: ',' if the line has one outside quotes,
// else a tab or ';' if it has one, else ','. A quote opens a quoted field only where a field can
// start (the line's start or after a candidate delimiter), as in the reader.
char SniffDelimiter(absl::string_view line) {
  bool tab = false;
  bool semicolon = false;
  bool field_start = true;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          ++i;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
      continue;
    }
    if (c == ',') return ',';
    tab |= c == '\t';
    semicolon |= c == ';';
    field_start = c == '\t' || c == ';';
  }
  return tab ? '\t' : semicolon ? ';' : ',';
}

}  // namespace

void CsvReader::Reset(absl::string_view text) {
  text_ = text;
  pos_ = 0;
  line_ = 1;
  delimiter_ = ',';
  unescaped_.clear();
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  // The first row decides; blank lines and comments above it (an export's "# exported ..." line)
  // say nothing about the delimiter.
  for (size_t pos = 0; pos < text_.size();) {
    size_t eol = text_.find('\n', pos);
    if (eol == absl::string_view::npos) eol = text_.size();
    const absl::string_view line = text_.substr(pos, eol - pos);
    if (!IsBlankLine(line) && !IsCommentLine(pos)) {
      delimiter_ = SniffDelimiter(line);
      break;
    }
    pos = eol + 1;
  }
}

bool CsvReader::IsCommentLine(size_t pos) const {
  if (comments_ == CsvComments::kNone) return false;
  while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t')) ++pos;
  return pos < text_.size() && text_[pos] == '#';
}

absl::string_view CsvReader::QuotedField(uint64_t row_line, QuoteEnd* end) {
  const size_t start = pos_;
  std::string* rewritten = nullptr;  // set once an escaped quote forces a copy
  size_t run = start;                // start of the bytes not yet copied into *rewritten
  bool spans_lines = false;
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
      if (spans_lines && pos_ - start > kMaxQuotedFieldBytes) {
        *end = QuoteEnd::kTooManyBytes;
        return {};
      }
      *end = QuoteEnd::kClosed;
      const absl::string_view tail = text_.substr(run, pos_ - run);
      ++pos_;
      if (rewritten == nullptr) return text_.substr(start, pos_ - 1 - start);
      rewritten->append(tail.data(), tail.size());
      return *rewritten;
    }
    if (c == '\n') {
      ++line_;
      spans_lines = true;
      if (line_ - row_line >= kMaxRowLines) {
        *end = QuoteEnd::kTooManyLines;
        return {};
      }
      if (pos_ - start > kMaxQuotedFieldBytes) {
        *end = QuoteEnd::kTooManyBytes;
        return {};
      }
    }
    ++pos_;
  }
  *end = QuoteEnd::kEndOfText;
  return {};
}

void CsvReader::FailRow(size_t row_start, std::string reason, CsvRow* row) {
  row->fields.clear();
  row->error = std::move(reason);
  unescaped_.clear();
  const size_t newline = text_.find('\n', row_start);
  if (newline == absl::string_view::npos) {
    pos_ = text_.size();
  } else {
    pos_ = newline + 1;
    line_ = row->line + 1;
  }
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

bool CsvReader::Next(CsvRow* row) {
  row->fields.clear();
  row->error.clear();
  if (!unescaped_.empty()) unescaped_.clear();
  // Comment lines hold no row: step over them.
  while (pos_ < text_.size() && IsCommentLine(pos_)) {
    const size_t newline = text_.find('\n', pos_);
    pos_ = newline == absl::string_view::npos ? text_.size() : newline + 1;
    line_ += newline != absl::string_view::npos;
  }
  if (pos_ >= text_.size()) return false;
  row->line = line_;
  // Most rows have no quote: cut them at the delimiters directly. The loop below gives the same
  // fields for such rows.
  if (PlainRow(row)) return true;
  const size_t row_start = pos_;
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
      auto opened = [&] {  // only on failure: quoted fields are common in CSV dumps
        return quote_line == row->line ? std::string("quoted field opened here")
                                       : absl::StrCat("quoted field opened on line ", quote_line);
      };
      ++pos_;
      QuoteEnd end = QuoteEnd::kClosed;
      quoted = QuotedField(row->line, &end);
      switch (end) {
        case QuoteEnd::kClosed:
          break;
        case QuoteEnd::kEndOfText:
          FailRow(row_start,
                  absl::StrCat(opened(), " is not closed before the end of the file; row skipped"),
                  row);
          return true;
        case QuoteEnd::kTooManyLines:
          FailRow(
              row_start,
              absl::StrCat(opened(), " is not closed within ", kMaxRowLines, " lines; row skipped"),
              row);
          return true;
        case QuoteEnd::kTooManyBytes:
          FailRow(row_start,
                  absl::StrCat(opened(), " is not closed within ", kMaxQuotedFieldBytes >> 10,
                               " KiB; row skipped"),
                  row);
          return true;
      }
      if (line_ > quote_line) {
        // A quote that closes a field across lines must end the field. One followed by more text
        // is most likely the opening quote of a field on a later row, and the field it seems to
        // close is a quote left open that swallowed the rows in between.
        size_t after = pos_;
        while (after < text_.size() && text_[after] != delimiter_ &&
               (text_[after] == ' ' || text_[after] == '\t')) {
          ++after;
        }
        const absl::string_view next = text_.substr(after, 2);
        if (!next.empty() && next[0] != delimiter_ && next[0] != '\n' && next != "\r\n" &&
            next != "\r") {
          const size_t eol = std::min(text_.find('\n', after), text_.size());
          FailRow(
              row_start,
              absl::StrCat(opened(), " is not closed: the quote on line ", line_,
                           " that would close it is followed by '",
                           QuoteForMessage(text_.substr(after, eol - after), 20), "'; row skipped"),
              row);
          return true;
        }
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
