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
  std::string error;
};

std::vector<OwnedRow> ReadAll(absl::string_view text, CsvComments comments = CsvComments::kNone) {
  CsvReader reader(text, comments);
  std::vector<OwnedRow> rows;
  CsvRow row;
  while (reader.Next(&row)) {
    rows.push_back(
        {row.line, std::vector<std::string>(row.fields.begin(), row.fields.end()), row.error});
  }
  return rows;
}

TEST(CsvReaderTest, QuotesEscapesAndEmbeddedNewlines) {
  const std::vector<OwnedRow> rows =
      ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\nlast");
  ASSERT_EQ(rows.size(), 3u);
  for (const OwnedRow& row : rows) EXPECT_EQ(row.error, "");
  EXPECT_THAT(rows[0].fields, ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_THAT(rows[1].fields, ElementsAre("multi\nline", "x"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[2].fields, ElementsAre("last"));
  EXPECT_EQ(rows[2].line, 4u);
}

TEST(CsvReaderTest, StripsBomAndKeepsEmptyFields) {
  const std::vector<OwnedRow> rows = ReadAll(
      "\xEF\xBB\xBF"
      "domain,,owner\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("domain", "", "owner"));
}

TEST(CsvReaderTest, SniffsSemicolonAndTab) {
  EXPECT_EQ(CsvReader("domain;owner\n").delimiter(), ';');
  EXPECT_EQ(CsvReader("domain\towner\n").delimiter(), '\t');
  EXPECT_EQ(CsvReader("domain,owner;x\n").delimiter(), ',');
  EXPECT_EQ(CsvReader("example.com\n").delimiter(), ',');
}

TEST(CsvReaderTest, UnclosedQuoteAtTheEndLosesOnlyItsRow) {
  const std::vector<OwnedRow> rows =
      ReadAll("host,notes\nweb1,\"forgot to close,2024\nweb2,ok\nweb3,\"fine\"\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0].fields, ElementsAre("host", "notes"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_TRUE(rows[1].fields.empty());
  EXPECT_EQ(rows[1].error,
            "quoted field opened here is not closed: the quote on line 4 that would close it is "
            "followed by 'fine\"'; row skipped");
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_THAT(rows[2].fields, ElementsAre("web2", "ok"));
  EXPECT_THAT(rows[3].fields, ElementsAre("web3", "fine"));
  EXPECT_EQ(rows[3].error, "");

  const std::vector<OwnedRow> at_end = ReadAll("a\n\"open,\nb\r\nc\n");
  ASSERT_EQ(at_end.size(), 4u);
  EXPECT_EQ(at_end[1].error,
            "quoted field opened here is not closed before the end of the file; row skipped");
  EXPECT_THAT(at_end[2].fields, ElementsAre("b"));
  EXPECT_THAT(at_end[3].fields, ElementsAre("c"));
  EXPECT_EQ(at_end[3].line, 4u);
}

TEST(CsvReaderTest, QuoteOpenedOnALaterLineOfTheRowIsNamed) {
  const std::vector<OwnedRow> rows = ReadAll("\"two\nlines\",\"open\nx,y\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[0].error,
            "quoted field opened on line 2 is not closed before the end of the file; row skipped");
  // Reading goes on at the line after the row's first line, where the same quote opens again.
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[1].error,
            "quoted field opened here is not closed before the end of the file; row skipped");
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_THAT(rows[2].fields, ElementsAre("x", "y"));
}

TEST(CsvReaderTest, QuotedLineBreaksThatCloseKeepWorking) {
  // An Excel notes cell with a few line breaks (CRLF), a closing quote before a delimiter, before a
  // line end and before spaces.
  const std::vector<OwnedRow> rows = ReadAll(
      "host,notes,owner\r\nweb1,\"first\r\nsecond\r\n\r\nthird\",alice\r\nweb2,\"x\ny\"\r\n"
      "web3,\"a\nb\"  ,bob\n");
  ASSERT_EQ(rows.size(), 4u);
  for (const OwnedRow& row : rows) EXPECT_EQ(row.error, "");
  EXPECT_THAT(rows[1].fields, ElementsAre("web1", "first\r\nsecond\r\n\r\nthird", "alice"));
  EXPECT_THAT(rows[2].fields, ElementsAre("web2", "x\ny"));
  EXPECT_EQ(rows[2].line, 6u);
  EXPECT_THAT(rows[3].fields, ElementsAre("web3", "a\nb  ", "bob"));
  EXPECT_EQ(rows[3].line, 8u);
  // On one line, text after a closing quote is kept, as before.
  EXPECT_THAT(ReadAll("\"a\"b,c\n")[0].fields, ElementsAre("ab", "c"));
}

TEST(CsvReaderTest, RowsLongerThanTheBoundsAreErrors) {
  std::string lines_ok = "\"";
  for (uint64_t i = 1; i < CsvReader::kMaxRowLines; ++i) lines_ok += "x\n";
  lines_ok += "end\",1\nnext\n";
  std::vector<OwnedRow> rows = ReadAll(lines_ok);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[1].line, CsvReader::kMaxRowLines + 1);

  std::string too_many_lines = "\"";  // one line more
  for (uint64_t i = 0; i < CsvReader::kMaxRowLines; ++i) too_many_lines += "x\n";
  too_many_lines += "end\",1\n";
  rows = ReadAll(too_many_lines);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "quoted field opened here is not closed within 256 lines; row skipped");
  EXPECT_EQ(rows[1].line, 2u);

  const std::string big(CsvReader::kMaxQuotedFieldBytes, 'x');
  rows = ReadAll("\"a\n" + big + "\",1\nnext\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error, "quoted field opened here is not closed within 128 KiB; row skipped");
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[2].fields, ElementsAre("next"));
  // A long quoted field on one line is not bounded: it cannot swallow other rows.
  rows = ReadAll("\"" + big + big + "\",1\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[0].fields[0].size(), 2 * big.size());
}

TEST(CsvReaderTest, ResetReadsOneLineAtATime) {
  CsvReader reader;
  CsvRow row;
  reader.Reset("1,\"03e1,2022-02-25T18:25:29Z");
  ASSERT_TRUE(reader.Next(&row));
  EXPECT_THAT(row.error, ::testing::HasSubstr("not closed before the end"));
  EXPECT_FALSE(reader.Next(&row));
  reader.Reset("1,\"03e1\",x");
  ASSERT_TRUE(reader.Next(&row));
  EXPECT_EQ(row.error, "");
  EXPECT_THAT(row.fields, ElementsAre("1", "03e1", "x"));
}

TEST(CsvReaderTest, DelimiterIsSniffedFromTheFirstRowNotCommentsOrBlankLines) {
  // A ';' export with a comment on top (holding a comma) and blank lines.
  const absl::string_view text = "# exported 2024-05-01, by IT\n\n  \r\nhost;owner\nweb1;alice\n";
  EXPECT_EQ(CsvReader(text, CsvComments::kHashLines).delimiter(), ';');
  EXPECT_EQ(CsvReader("\n\r\nhost\towner\n").delimiter(), '\t');
  EXPECT_EQ(CsvReader("   # note\nhost;owner\n", CsvComments::kHashLines).delimiter(), ';');
  // Without comments the comment line is the first row.
  EXPECT_EQ(CsvReader(text).delimiter(), ',');
  // Delimiters inside quotes do not count.
  EXPECT_EQ(CsvReader("\"Smith, John\";www.example.com\n").delimiter(), ';');
  EXPECT_EQ(CsvReader("\"a;b\",c\n").delimiter(), ',');
  EXPECT_EQ(CsvReader("# only a comment, here\n", CsvComments::kHashLines).delimiter(), ',');

  const std::vector<OwnedRow> rows = ReadAll(text, CsvComments::kHashLines);
  ASSERT_EQ(rows.size(), 4u);  // the two blank lines, the header, the row
  EXPECT_EQ(rows[2].line, 4u);
  EXPECT_THAT(rows[2].fields, ElementsAre("host", "owner"));
  EXPECT_THAT(rows[3].fields, ElementsAre("web1", "alice"));
}

TEST(CsvReaderTest, CommentLinesAreNeverParsed) {
  // A quote in a comment opens nothing; a '#' inside a quoted field is no comment.
  const std::vector<OwnedRow> rows =
      ReadAll("# owner: \"Bob\nhost,notes\n\t# \"x, y\nweb1,\"a\n# not a comment\"\n",
              CsvComments::kHashLines);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[1].error, "");
  EXPECT_THAT(rows[1].fields, ElementsAre("web1", "a\n# not a comment"));
}

}  // namespace
}  // namespace serialmatch
