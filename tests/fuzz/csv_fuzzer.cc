// Fuzzes CsvReader (src/base/csv.h) on arbitrary text, as inventories and CSV dumps are read.
//
// Invariants: every row has at least one field, or no field and an error; rows start on later lines
// than the one before, within the text, and a row after an error row starts on the next line (a
// quote left open loses at most its own row); no row spans more than kMaxRowLines lines; text
// without quotes reads as its lines split at the delimiter (after a BOM, one '\r' before each '\n'
// dropped) and never gives an error; the delimiter is ',' unless the first line that is not blank
// has none outside quotes and has a tab or ';'; with comments recognised, no row starts on a
// comment line and text without '#' reads as without; writing the rows back out with every field
// quoted and reading that gives the same rows (on the same lines when no row was an error).
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
  std::vector<std::vector<std::string>> fields;  // of the rows read without an error
  std::vector<uint64_t> lines;                   // of the same rows
  char delimiter = ',';
  size_t errors = 0;
};

// The text's lines, as the reader counts them (after a BOM).
std::vector<absl::string_view> Lines(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  return absl::StrSplit(text, '\n');
}

bool IsComment(absl::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first != absl::string_view::npos && line[first] == '#';
}

Rows ReadAll(absl::string_view text, CsvComments comments) {
  Rows rows;
  CsvReader reader(text, comments);
  rows.delimiter = reader.delimiter();
  const std::vector<absl::string_view> lines = Lines(text);
  CsvRow row;
  uint64_t last_line = 0;
  bool last_was_error = false;
  size_t read = 0;
  while (reader.Next(&row)) {
    SM_FUZZ_CHECK(row.error.empty() ? !row.fields.empty() : row.fields.empty(), text);
    SM_FUZZ_CHECK(row.line >= 1 && row.line <= lines.size(), text);
    SM_FUZZ_CHECK(row.line > last_line, text);
    SM_FUZZ_CHECK(row.line - last_line <= CsvReader::kMaxRowLines || last_line == 0, text);
    if (last_was_error && comments == CsvComments::kNone) {
      SM_FUZZ_CHECK(row.line == last_line + 1, text);
    }
    if (comments == CsvComments::kHashLines) SM_FUZZ_CHECK(!IsComment(lines[row.line - 1]), text);
    SM_FUZZ_CHECK(++read <= text.size(), text);  // each row takes at least one byte
    last_line = row.line;
    last_was_error = !row.error.empty();
    if (!row.error.empty()) {
      SM_FUZZ_CHECK(absl::StrContains(text, '"'), text);
      ++rows.errors;
      continue;
    }
    rows.lines.push_back(row.line);
    rows.fields.emplace_back(row.fields.begin(), row.fields.end());
  }
  return rows;
}

// The rows of `text`, which has no '"', split the obvious way.
std::vector<std::vector<std::string>> SplitPlain(absl::string_view text, char* delimiter) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  *delimiter = ',';
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.find_first_not_of(" \t\r") == absl::string_view::npos) continue;
    if (!absl::StrContains(line, ',')) {
      if (absl::StrContains(line, '\t')) {
        *delimiter = '\t';
      } else if (absl::StrContains(line, ';')) {
        *delimiter = ';';
      }
    }
    break;
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
  const Rows rows = ReadAll(text, CsvComments::kNone);
  SM_FUZZ_CHECK(rows.delimiter == ',' || rows.delimiter == '\t' || rows.delimiter == ';', text);

  const Rows commented = ReadAll(text, CsvComments::kHashLines);
  if (!absl::StrContains(text, '#')) {
    SM_FUZZ_CHECK(commented.fields == rows.fields && commented.lines == rows.lines, text);
  }

  if (!absl::StrContains(text, '"')) {
    char delimiter = 0;
    const std::vector<std::vector<std::string>> plain = SplitPlain(text, &delimiter);
    SM_FUZZ_CHECK(rows.delimiter == delimiter, text);
    SM_FUZZ_CHECK(rows.errors == 0, text);
    SM_FUZZ_CHECK(rows.fields == plain, text);
  }

  const std::string written = WriteQuoted(rows.fields, rows.delimiter);
  const Rows again = ReadAll(written, CsvComments::kNone);
  if (again.delimiter != rows.delimiter) return;  // an empty first field fooled it
  SM_FUZZ_CHECK(again.errors == 0, text);
  SM_FUZZ_CHECK(again.fields == rows.fields, text);
  if (rows.errors == 0) SM_FUZZ_CHECK(again.lines == rows.lines, text);
}

}  // namespace
}  // namespace serialmatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  serialmatch::CheckCsv(serialmatch::fuzz::AsText(data, size));
  return 0;
}
