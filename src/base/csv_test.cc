#include "src/base/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch {
namespace {

using ::testing::ElementsAre;

// A row with its fields copied: a CsvRow's fields may view the reader's buffer, which the next
// Next() call reuses.
struct OwnedRow {
  uint64_t line;
  std::vector<std::string> fields;
};

std::vector<OwnedRow> ReadAll(absl::string_view text, std::string* error) {
  CsvReader reader(text);
  std::vector<OwnedRow> rows;
  CsvRow row;
  while (reader.Next(&row, error)) {
    rows.push_back({row.line, std::vector<std::string>(row.fields.begin(), row.fields.end())});
  }
  return rows;
}

TEST(CsvReaderTest, QuotesEscapesAndEmbeddedNewlines) {
  std::string error;
  const std::vector<OwnedRow> rows =
      ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\nlast", &error);
  EXPECT_TRUE(error.empty());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_THAT(rows[1].fields, ElementsAre("multi\nline", "x"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[2].fields, ElementsAre("last"));
  EXPECT_EQ(rows[2].line, 4u);
}

TEST(CsvReaderTest, StripsBomAndKeepsEmptyFields) {
  std::string error;
  const std::vector<OwnedRow> rows = ReadAll(
      "\xEF\xBB\xBF"
      "domain,,owner\n",
      &error);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("domain", "", "owner"));
}

TEST(CsvReaderTest, SniffsSemicolonAndTab) {
  EXPECT_EQ(CsvReader("domain;owner\n").delimiter(), ';');
  EXPECT_EQ(CsvReader("domain\towner\n").delimiter(), '\t');
  EXPECT_EQ(CsvReader("domain,owner;x\n").delimiter(), ',');
  EXPECT_EQ(CsvReader("example.com\n").delimiter(), ',');
}

TEST(CsvReaderTest, UnclosedQuoteIsAnError) {
  std::string error;
  const std::vector<OwnedRow> rows = ReadAll("a\n\"open,\nb\n", &error);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_THAT(error, ::testing::HasSubstr("opened on line 2"));
}

}  // namespace
}  // namespace serialmatch
