#include "src/dump/record.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::dump {
namespace {

using ::testing::ElementsAre;

std::vector<absl::string_view> Split(absl::string_view text) {
  std::vector<absl::string_view> words;
  DumpRecord::SplitNameList(text, &words);
  return words;
}

TEST(NameListTest, SplitsOnEverySeparatorKind) {
  EXPECT_THAT(Split("a.example b.example"), ElementsAre("a.example", "b.example"));
  EXPECT_THAT(Split("a.example, b.example;c.example\nd.example\r\n\te.example"),
              ElementsAre("a.example", "b.example", "c.example", "d.example", "e.example"));
  EXPECT_THAT(Split("  ,; "), ElementsAre());
  EXPECT_THAT(Split(""), ElementsAre());
}

// Names longer than the 16-byte vector step, separators on and around block boundaries.
TEST(NameListTest, AgreesWithByteByByteSplitAtEveryOffset) {
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string text = std::string(pad, 'x') + " www.a-long-name.example,b.example  c";
    std::vector<std::string> expected;
    std::string word;
    for (char c : text) {
      if (c == ' ' || c == ',') {
        if (!word.empty()) expected.push_back(word);
        word.clear();
      } else {
        word.push_back(c);
      }
    }
    if (!word.empty()) expected.push_back(word);
    const std::vector<absl::string_view> got = Split(text);
    ASSERT_EQ(got.size(), expected.size()) << pad;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(std::string(got[i]), expected[i]) << pad;
  }
}

TEST(NameListTest, DropsOpenSslDnsPrefixes) {
  EXPECT_THAT(Split("DNS:www.example.com, DNS:example.com"),
              ElementsAre("www.example.com", "example.com"));
  EXPECT_THAT(Split("dns:a.example;Dns:b.example"), ElementsAre("a.example", "b.example"));
  EXPECT_THAT(Split("DNS: a.example DNS:"), ElementsAre("a.example"));    // a prefix alone
  EXPECT_THAT(Split("DNS:DNS:a.example"), ElementsAre("DNS:a.example"));  // once
  EXPECT_THAT(Split("xDNS:a.example DN:b.example DNS"),
              ElementsAre("xDNS:a.example", "DN:b.example", "DNS"));
  EXPECT_THAT(Split("IP Address:192.0.2.1"), ElementsAre("IP", "Address:192.0.2.1"));
}

// The prefix is dropped wherever its word falls relative to the 16-byte vector step.
TEST(NameListTest, DropsDnsPrefixAtEveryOffset) {
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string text = std::string(pad, 'x') + ", DNS:www.a-long-name.example,DNS:b.example";
    const std::vector<absl::string_view> got = Split(text);
    if (pad == 0) {
      EXPECT_THAT(got, ElementsAre("www.a-long-name.example", "b.example"));
    } else {
      EXPECT_THAT(got, ElementsAre(std::string(pad, 'x'), "www.a-long-name.example", "b.example"))
          << pad;
    }
  }
}

TEST(DumpRecordTest, AddedNamesDropTheDnsPrefixToo) {
  DumpRecord record;
  record.AddName("DNS:c.example");
  record.AddName("dns: d.example");
  record.AddName("DNS:");
  record.AddName("e.example");
  EXPECT_THAT(record.names(), ElementsAre("c.example", "d.example", "e.example"));
}

TEST(DumpRecordTest, LazyListAndAddedNames) {
  DumpRecord record;
  record.SetNameList("a.example b.example");
  EXPECT_THAT(record.names(), ElementsAre("a.example", "b.example"));
  record.Clear();
  EXPECT_THAT(record.names(), ElementsAre());
  record.AddName("c.example");
  EXPECT_THAT(record.names(), ElementsAre("c.example"));
}

}  // namespace
}  // namespace serialmatch::dump
