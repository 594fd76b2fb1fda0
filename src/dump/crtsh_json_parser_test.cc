#include "src/dump/crtsh_json_parser.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Parsed {
  std::vector<std::string> records;  // "line:serial:names|..:issuer:not_before:not_after"
  std::vector<std::string> malformed;
  absl::Status status;
};

Parsed ParseJson(const std::string& json) {
  std::string padded = json;
  padded.append(kDocumentPadding, '\0');
  const CrtshJsonParser parser;
  DumpRecord record;
  Parsed out;
  out.status = parser.ParseDocument(
      absl::string_view(padded.data(), json.size()), &record,
      [&](uint64_t line) {
        std::string names;
        for (absl::string_view n : record.names())
          absl::StrAppend(&names, names.empty() ? "" : "|", n);
        out.records.push_back(absl::StrCat(line, ":", record.serial, ":", names, ":", record.issuer,
                                           ":", record.issued_at, ":", record.not_after));
      },
      [&](uint64_t line, absl::string_view reason) {
        out.malformed.push_back(absl::StrCat(line, ":", reason));
      });
  return out;
}

TEST(CrtshJsonParserTest, ParsesObjectsWithLines) {
  const Parsed p = ParseJson(R"([
  {"issuer_ca_id":16418,"issuer_name":"C=US, O=Let's Encrypt, CN=R3","common_name":"a.example",
   "name_value":"a.example\nwww.a.example","id":2549490984,"entry_timestamp":"2020-03-06T23:14:48.1",
   "not_before":"2020-03-06T22:14:48","not_after":"2020-06-04T22:14:48","serial_number":"03b5914e"},
  {"common_name":"b.example","serial_number":"04AA","id":1}
])");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_THAT(p.records,
              ElementsAre("2:03b5914e:a.example|www.a.example:C=US, O=Let's Encrypt, CN=R3:"
                          "2020-03-06T22:14:48:2020-06-04T22:14:48",
                          "5:04aa:b.example:::"));
  EXPECT_TRUE(p.malformed.empty());
}

TEST(CrtshJsonParserTest, BadElementsAreMalformedAndSkipped) {
  const Parsed p = ParseJson(
      "[{\"serial_number\":\"zz\"},\n 42,\n {\"name_value\":\"x.example\"},\n"
      " {\"serial_number\":7},\n {\"serial_number\":\"05\"}]");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_THAT(p.records, ElementsAre("5:05::::"));
  ASSERT_EQ(p.malformed.size(), 4u);
  EXPECT_THAT(p.malformed[0], HasSubstr("1:invalid serial"));
  EXPECT_THAT(p.malformed[1], HasSubstr("2:array element is not an object"));
  EXPECT_THAT(p.malformed[2], HasSubstr("3:object without a serial_number"));
  EXPECT_THAT(p.malformed[3], HasSubstr("4:object without a serial_number"));
}

TEST(CrtshJsonParserTest, KnownFieldsThatAreNotStringsMakeTheElementMalformed) {
  const Parsed p = ParseJson(
      "[{\"serial_number\":\"0a\",\"name_value\":[\"a.example\",\"b.example\"]},\n"
      " {\"serial_number\":\"0b\",\"issuer_name\":{\"CN\":\"R3\"}},\n"
      " {\"serial_number\":\"0c\",\"not_before\":1583532888},\n"
      " {\"serial_number\":\"0d\",\"common_name\":null,\"name_value\":\"d.example\",\"id\":7,"
      "\"entry_timestamp\":null,\"not_after\":null}]");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_THAT(p.records, ElementsAre("4:0d:d.example:::"));  // null is no value; other keys unread
  EXPECT_THAT(p.malformed,
              ElementsAre("1:'name_value' is not a string", "2:'issuer_name' is not a string",
                          "3:'not_before' is not a string"));
}

TEST(CrtshJsonParserTest, BrokenJsonFailsWithPosition) {
  EXPECT_FALSE(ParseJson("{\"serial_number\":\"05\"}").status.ok());  // not an array
  const Parsed truncated = ParseJson("[{\"serial_number\":\"05\"},\n{\"serial_num");
  EXPECT_FALSE(truncated.status.ok());
  EXPECT_TRUE(ParseJson("[]").status.ok());
}

TEST(CrtshJsonParserTest, ReadsEveryArrayOfASequence) {
  const std::string a = R"({"serial_number":"0a","name_value":"a.example"})";
  const std::string b = R"({"serial_number":"0b","name_value":"b]\"[.example"})";
  const std::string c = R"({"serial_number":"0c","common_name":"c.example"})";
  struct Case {
    std::string json;
    std::vector<std::string> records;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("[", a, "][", b, ",", c, "]"), {"1:0a", "1:0b", "1:0c"}},
      {absl::StrCat("[", a, "]\n[", b, ",\n", c, "]\n"), {"1:0a", "2:0b", "3:0c"}},
      {absl::StrCat("[]\n[\n", a, "]"), {"3:0a"}},
      {absl::StrCat("\xEF\xBB\xBF[", a, "] \r\n\xEF\xBB\xBF\t[", b, "]\n\n[]\n[", c, "]"),
       {"1:0a", "2:0b", "5:0c"}},
  };
  for (const Case& cs : cases) {
    const Parsed p = ParseJson(cs.json);
    ASSERT_TRUE(p.status.ok()) << cs.json << ": " << p.status;
    std::vector<std::string> got;
    for (const std::string& r : p.records) got.push_back(r.substr(0, r.find(':', r.find(':') + 1)));
    EXPECT_EQ(got, cs.records) << cs.json;
    EXPECT_TRUE(p.malformed.empty()) << cs.json;
  }
  // Brackets and escaped quotes inside strings do not end an array.
  EXPECT_THAT(ParseJson(absl::StrCat("[", b, "][", a, "]")).records,
              ElementsAre("1:0b:b]\"[.example:::", "1:0a:a.example:::"));
}

TEST(CrtshJsonParserTest, TrailingDataOrATruncatedArrayFailsSayingWhere) {
  const std::string a = R"([{"serial_number":"0a"}])";  // 24 bytes
  struct Case {
    std::string json;
    std::string message;
  };
  const std::vector<Case> cases = {
      {a + "garbage", "trailing data after the JSON array at byte 24 (line 1), got 'garbage'"},
      {a + "\n" + a + "\n,",
       "trailing data after the second JSON array at byte 50 (line 3), got ','"},
      {a + std::string(1, '\0'),
       "trailing data after the JSON array at byte 24 (line 1), got '\\x00'"},
      {a + "\n[{\"serial_number\":\"0b\"}", "second JSON array truncated at byte 48"},
      {a + a + "[{\"serial_number\":\"0c", "third JSON array truncated at byte 69"},
      {"[{\"serial_number\":\"0a\"},", "JSON array truncated at byte 24"},
      {a + "\n[{\"serial_number\":}]", "invalid JSON at line 2 (in the second JSON array)"},
      {"", "empty dump"},
      {" \n", "empty dump"},
  };
  for (const Case& c : cases) {
    const Parsed p = ParseJson(c.json);
    EXPECT_FALSE(p.status.ok()) << c.json;
    EXPECT_THAT(p.status.message(), HasSubstr(c.message)) << c.json;
  }
  EXPECT_THAT(ParseJson(a + "\n[{\"serial_number\":\"0b\"}").status.message(),
              HasSubstr("starts at byte 25 (line 2)"));
}

TEST(CrtshJsonParserTest, RecordsCarryEveryField) {
  const CrtshJsonParser parser;
  EXPECT_EQ(parser.fields(),
            (RecordFields{.serial = true, .names = true, .issued_at = true, .issuer = true}));
}

TEST(CrtshJsonParserTest, Looks) {
  EXPECT_TRUE(
      CrtshJsonParser::Looks("\xEF\xBB\xBF  [{\"issuer_ca_id\":1,\"serial_number\":\"05\""));
  EXPECT_TRUE(CrtshJsonParser::Looks("[]"));
  EXPECT_TRUE(CrtshJsonParser::Looks("[]\n[] []"));
  EXPECT_TRUE(CrtshJsonParser::Looks("[]\n[{\"issuer_ca_id\":1,\"serial_number\":\"05\""));
  EXPECT_FALSE(CrtshJsonParser::Looks("[]x"));
  EXPECT_FALSE(CrtshJsonParser::Looks("[1]"));
  EXPECT_FALSE(CrtshJsonParser::Looks("serial 03aa"));
}

}  // namespace
}  // namespace serialmatch::dump
