#include "src/inventory/column_reader.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/base/csv.h"

namespace serialmatch::inventory {
namespace {

std::string HeaderKey(absl::string_view cell) {
  std::string key;
  for (char c : absl::StripAsciiWhitespace(cell)) {
    if (c != ' ' && c != '_') key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

// The index of the preferred known column in `row`, or -1 when the row is not a header.
int HeaderColumn(const CsvRow& row, absl::Span<const absl::string_view> header_names) {
  for (absl::string_view name : header_names) {
    for (size_t i = 0; i < row.fields.size(); ++i) {
      if (HeaderKey(row.fields[i]) == name) return static_cast<int>(i);
    }
  }
  return -1;
}

bool IsBlank(const CsvRow& row) {
  for (absl::string_view f : row.fields) {
    if (!absl::StripAsciiWhitespace(f).empty()) return false;
  }
  return true;
}

}  // namespace

size_t ForEachColumnValue(absl::string_view text, absl::Span<const absl::string_view> header_names,
                          Diagnostics* diags,
                          absl::FunctionRef<void(uint64_t line, absl::string_view value)> fn) {
  size_t values = 0;
  CsvReader reader(text, CsvComments::kHashLines);
  CsvRow row;
  size_t column = 0;
  bool first = true;
  while (reader.Next(&row)) {
    if (!row.error.empty()) {
      diags->Report(row.line, row.error);
      continue;
    }
    // A row of empty cells holds no value (spreadsheets export empty rows as ",,,").
    if (IsBlank(row)) continue;
    if (first) {
      first = false;
      const int header = HeaderColumn(row, header_names);
      if (header >= 0) {
        column = static_cast<size_t>(header);
        continue;
      }
    }
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
    ++values;
  }
  return values;
}

}  // namespace serialmatch::inventory
