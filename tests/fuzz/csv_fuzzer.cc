// Fuzzes CsvReader (src/base/csv.h) on arbitrary text, as inventories and CSV dumps are read.
//
// Invariants: every row has at least one field and starts on a later line than the one before,
// within the text; text without quotes reads as its lines split at the delimiter (after a BOM, one
// '\r' before each '\n' dropped); the delimiter is ',' unless the first line has none and has a
// tab or ';'; an error is reported only when a quote is left open; writing the rows back out with
// every field quoted and reading that gives the same rows on the same lines.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "src/base/csv.h"
#include "tests/fuzz/fuzz_util.h"

namespace serialmatch {
namespace {

struct Rows {
  std::vector<std::vector<std::string>> fields;
  std::vector<uint64_t> lines;
  char delimiter = ',';
  std::string error;
};

Rows ReadAll(absl::string_view text) {
  Rows rows;
  CsvReader reader(text);
  rows.delimiter = reader.delimiter();
  CsvRow row;
  const uint64_t newlines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  while (reader.Next(&row, &rows.error)) {
    SM_FUZZ_CHECK(!row.fields.empty(), text);
    SM_FUZZ_CHECK(row.line >= 1 && row.line <= newlines + 1, text);
    SM_FUZZ_CHECK(rows.lines.empty() || row.line > rows.lines.back(), text);
    SM_FUZZ_CHECK(rows.lines.size() < text.size(), text);  // each row takes at least one byte
    rows.lines.push_back(row.line);
    rows.fields.emplace_back(row.fields.begin(), row.fields.end());
  }
  if (!rows.error.empty()) SM_FUZZ_CHECK(absl::StrContains(text, '"'), text);
  return rows;
}

// The rows of `text`, which has no '"', split the obvious way.
std::vector<std::vector<std::string>> SplitPlain(absl::string_view text, char* delimiter) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  const absl::string_view first_line = text.substr(0, text.find('\n'));
  *delimiter = ',';
  if (!absl::StrContains(first_line, ',')) {
    if (absl::StrContains(first_line, '\t')) {
      *delimiter = '\t';
    } else if (absl::StrContains(first_line, ';')) {
      *delimiter = ';';
    }
  }
  std::vector<std::vector<std::string>> rows;
  if (text.empty()) return rows;
  absl::ConsumeSuffix(&text, "\n");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    rows.push_back(absl::StrSplit(line, *delimiter));
  }
  return rows;
}

std::string WriteQuoted(const std::vector<std::vector<std::string>>& rows, char delimiter) {
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(delimiter);
      out.push_back('"');
      for (char c : row[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out.push_back('\n');
  }
  return out;
}

void CheckCsv(absl::string_view text) {
  const Rows rows = ReadAll(text);
  SM_FUZZ_CHECK(rows.delimiter == ',' || rows.delimiter == '\t' || rows.delimiter == ';', text);

  if (!absl::StrContains(text, '"')) {
    char delimiter = 0;
    const std::vector<std::vector<std::string>> plain = SplitPlain(text, &delimiter);
    SM_FUZZ_CHECK(rows.delimiter == delimiter, text);
    SM_FUZZ_CHECK(rows.fields == plain, text);
  }

  const std::string written = WriteQuoted(rows.fields, rows.delimiter);
  const Rows again = ReadAll(written);
  if (again.delimiter != rows.delimiter) return;  // quoted text in the first line fooled it
  SM_FUZZ_CHECK(again.error.empty(), text);
  SM_FUZZ_CHECK(again.fields == rows.fields, text);
  SM_FUZZ_CHECK(again.lines == rows.lines, text);
}

}  // namespace
}  // namespace serialmatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::CheckCsv(serialmatch::fuzz::AsText(data, size));
  return 0;
}
