#include "src/inventory/column_reader.h"

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/csv.h"

namespace serialmatch::inventory {
namespace {

// Columns named in a failure message, at most.
constexpr size_t kColumnsNamed = 8;

std::string HeaderKey(absl::string_view cell) {
  std::string key;
  for (char c : absl::StripAsciiWhitespace(cell)) {
    if (c != ' ' && c != '_') key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

bool IsBlank(const CsvRow& row) {
  for (absl::string_view f : row.fields) {
    if (!absl::StripAsciiWhitespace(f).empty()) return false;
  }
  return true;
}

// What the first rows of a file say about its columns.
struct Sample {
  uint64_t first_line = 0;         // 0: the file has no row
  std::vector<std::string> first;  // the first row's cells, trimmed
  size_t max_fields = 0;
  size_t rows = 0;               // rows looked at after the first
  std::vector<size_t> looks_ok;  // per column: how many of those rows have a value-like cell
};

Sample TakeSample(absl::string_view text, const ColumnKind& kind) {
  Sample sample;
  CsvReader reader(text, CsvComments::kHashLines);
  CsvRow row;
  while (sample.rows < kSampleRows && reader.Next(&row)) {
    // Rows that cannot be read or hold nothing say nothing about the columns; the reading pass
    // reports the former.
    if (!row.error.empty() || IsBlank(row)) continue;
    sample.max_fields = std::max(sample.max_fields, row.fields.size());
    if (sample.first_line == 0) {
      sample.first_line = row.line;
      for (absl::string_view f : row.fields) {
        sample.first.emplace_back(absl::StripAsciiWhitespace(f));
      }
      continue;
    }
    ++sample.rows;
    if (sample.looks_ok.size() < row.fields.size()) sample.looks_ok.resize(row.fields.size());
    for (size_t i = 0; i < row.fields.size(); ++i) {
      const absl::string_view cell = absl::StripAsciiWhitespace(row.fields[i]);
      if (!cell.empty() && kind.looks_like_value(cell)) ++sample.looks_ok[i];
    }
  }
  return sample;
}

// "column 2 'Address'" (the header cell, when the first row is one), or "column 2".
std::string ColumnName(const Sample& sample, size_t column, bool with_cell) {
  std::string name = absl::StrCat("column ", column + 1);
  if (with_cell && column < sample.first.size() && !sample.first[column].empty()) {
    absl::StrAppend(&name, " '", QuoteForMessage(sample.first[column], 40), "'");
  }
  return name;
}

// The first row's columns, for a failure message: "1 'Owner', 2 'Address'".
std::string ColumnList(const Sample& sample) {
  std::string list;
  for (size_t i = 0; i < sample.first.size() && i < kColumnsNamed; ++i) {
    absl::StrAppend(&list, i > 0 ? ", " : "", i + 1, " '", QuoteForMessage(sample.first[i], 40),
                    "'");
  }
  if (sample.first.size() > kColumnsNamed) absl::StrAppend(&list, ", ...");
  return list;
}

// Among `candidates`, the column whose cells look like values in most sampled rows (at least
// half); an error when none does or two do equally.
absl::StatusOr<size_t> PickByContents(const Sample& sample, const ColumnKind& kind,
                                      const std::vector<size_t>& candidates) {
  std::vector<size_t> counts(sample.max_fields, 0);
  size_t rows = sample.rows;
  if (rows == 0) {  // a single row: judge it by itself
    rows = 1;
    for (size_t i = 0; i < sample.first.size(); ++i) {
      counts[i] = !sample.first[i].empty() && kind.looks_like_value(sample.first[i]);
    }
  } else {
    for (size_t i = 0; i < sample.looks_ok.size(); ++i) counts[i] = sample.looks_ok[i];
  }
  size_t best = 0;
  std::vector<size_t> tied;
  for (size_t column : candidates) {
    if (counts[column] > best) {
      best = counts[column];
      tied = {column};
    } else if (counts[column] == best && best > 0) {
      tied.push_back(column);
    }
  }
  const std::string hint =
      absl::StrCat("; name the column to read '", kind.header_names[0], "' in a header row");
  if (best == 0 || 2 * best < rows) {
    return absl::InvalidArgumentError(
        absl::StrCat("no column holds ", kind.values, " (no known header; columns of line ",
                     sample.first_line, ": ", ColumnList(sample), ")", hint));
  }
  if (tied.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("columns ", tied[0] + 1, " and ", tied[1] + 1, " both hold ", kind.values,
                     " (columns of line ", sample.first_line, ": ", ColumnList(sample), ")", hint));
  }
  return tied[0];
}

// True when at least half the sampled rows after the first have a value-like cell in `column`
// (or there are no such rows).
bool MostLookLikeValues(const Sample& sample, size_t column) {
  if (sample.rows == 0) return true;
  const size_t ok = column < sample.looks_ok.size() ? sample.looks_ok[column] : 0;
  return 2 * ok >= sample.rows;
}

// True when the first row, whose cell in `column` is not named as a header, is one anyway: other
// rows follow and the cell is empty or reads as a column name, not a value. A column name has no
// digit and no '.'; a mistyped host name or serial has, and is then data, reported as invalid.
bool FirstRowIsHeader(const Sample& sample, const ColumnKind& kind, size_t column) {
  if (sample.rows == 0) return false;
  const absl::string_view cell =
      column < sample.first.size() ? sample.first[column] : absl::string_view();
  if (cell.empty()) return true;
  return !kind.looks_like_value(cell) &&
         cell.find_first_of("0123456789.") == absl::string_view::npos;
}

struct Choice {
  size_t column = 0;
  bool skip_first = false;   // the first row is a header
  bool by_contents = false;  // no header named the column: other columns may hold values too
  std::string note;
};

absl::StatusOr<Choice> ChooseColumn(const Sample& sample, const ColumnKind& kind) {
  Choice choice;
  if (sample.first_line == 0) {
    choice.note = "column 1 (no rows)";
    return choice;
  }
  std::vector<size_t> all(sample.max_fields);
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  for (absl::string_view name : kind.header_names) {
    for (size_t i = 0; i < sample.first.size(); ++i) {
      if (HeaderKey(sample.first[i]) != name) continue;
      choice.column = i;
      choice.skip_first = true;
      choice.note = ColumnName(sample, i, true);
      if (!MostLookLikeValues(sample, i)) {
        // A name that is not only a column name ("Name,Address" of people and their hosts): the
        // column of values, if one clearly is, over the column of that name.
        absl::StatusOr<size_t> picked = PickByContents(sample, kind, all);
        if (picked.ok() && *picked != i) {
          choice.column = *picked;
          choice.by_contents = true;
          choice.note =
              absl::StrCat(ColumnName(sample, *picked, true), " (its values are ", kind.values,
                           "; those of ", ColumnName(sample, i, true), " are not)");
        }
      }
      return choice;
    }
  }
  std::vector<size_t> named;  // header cells containing a known word
  for (size_t i = 0; i < sample.first.size(); ++i) {
    const std::string key = HeaderKey(sample.first[i]);
    for (absl::string_view word : kind.header_words) {
      if (absl::StrContains(key, word) && !kind.looks_like_value(sample.first[i])) {
        named.push_back(i);
        break;
      }
    }
  }
  if (!named.empty()) {
    if (absl::StatusOr<size_t> picked = PickByContents(sample, kind, named); picked.ok()) {
      choice.column = *picked;
      choice.skip_first = true;
      choice.note =
          absl::StrCat(ColumnName(sample, *picked, true), " (its header names ", kind.values, ")");
      return choice;
    }
    // A header word over a column of something else ("domain owner"): judge every column.
  }
  if (sample.max_fields <= 1) {
    // A plain list; its first row may still be a header of an unknown name ("Sites").
    choice.skip_first = MostLookLikeValues(sample, 0) && FirstRowIsHeader(sample, kind, 0);
    choice.note = choice.skip_first
                      ? absl::StrCat(ColumnName(sample, 0, true),
                                     " (no known header; its values are ", kind.values, ")")
                      : "column 1 (a plain list)";
    return choice;
  }
  absl::StatusOr<size_t> picked = PickByContents(sample, kind, all);
  if (!picked.ok()) return picked.status();
  choice.column = *picked;
  choice.by_contents = true;
  choice.skip_first = FirstRowIsHeader(sample, kind, choice.column);
  choice.note = absl::StrCat(ColumnName(sample, choice.column, choice.skip_first),
                             choice.skip_first ? " (no known header" : " (no header",
                             "; its values are ", kind.values, ")");
  return choice;
}

}  // namespace

absl::StatusOr<ColumnChoice> ForEachColumnValue(
    absl::string_view text, const ColumnKind& kind, Diagnostics* diags,
    absl::FunctionRef<void(uint64_t line, absl::string_view value)> fn) {
  const Sample sample = TakeSample(text, kind);
  absl::StatusOr<Choice> choice = ChooseColumn(sample, kind);
  if (!choice.ok()) return choice.status();
  ColumnChoice result;
  result.column = choice->column;
  result.note = std::move(choice->note);
  const size_t column = choice->column;
  CsvReader reader(text, CsvComments::kHashLines);
  CsvRow row;
  while (reader.Next(&row)) {
    if (!row.error.empty()) {
      diags->Report(row.line, row.error);
      continue;
    }
    // A row of empty cells holds no value (spreadsheets export empty rows as ",,,").
    if (IsBlank(row)) continue;
    // The header row, named in the note.
    if (choice->skip_first && row.line == sample.first_line) continue;
    if (column >= row.fields.size()) {
      diags->Report(row.line, absl::StrCat("row has ", row.fields.size(), " column",
                                           row.fields.size() == 1 ? "" : "s",
                                           ", expected at least ", column + 1));
      continue;
    }
    const absl::string_view value = absl::StripAsciiWhitespace(row.fields[column]);
    if (value.empty()) {
      diags->Report(row.line, "empty value");
      continue;
    }
    fn(row.line, value);
    ++result.values;
    if (choice->by_contents) {
      // Without a header, a value in another column ("a.example,b.example" in a list) is not read
      // and must not go unseen.
      for (size_t i = 0; i < row.fields.size(); ++i) {
        const absl::string_view cell = absl::StripAsciiWhitespace(row.fields[i]);
        if (i != column && !cell.empty() && kind.looks_like_value(cell)) {
          diags->Report(row.line, absl::StrCat("column ", i + 1, " holds ", kind.values,
                                               " too, got '", QuoteForMessage(cell),
                                               "'; only column ", column + 1, " is read"));
          break;
        }
      }
    }
  }
  return result;
}

}  // namespace serialmatch::inventory
