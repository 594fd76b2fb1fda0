#include "src/dump/record.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/hash.h"
#include "src/base/name.h"

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

// PlainNames must give names()'s words, and call a name normal only where NormalizeName would
// return it unchanged.
void ExpectPlainNamesAgree(const DumpRecord& record, const std::string& what) {
  std::vector<absl::string_view> words;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> others;
  record.PlainNames(&words, &hashes, &others);
  const std::vector<absl::string_view>& names = record.names();
  ASSERT_EQ(words, names) << what;
  ASSERT_EQ(hashes.size(), words.size()) << what;
  std::vector<bool> other(words.size(), false);
  for (const uint32_t i : others) {
    ASSERT_LT(i, words.size()) << what;
    other[i] = true;
    EXPECT_EQ(hashes[i], 0u) << what;
  }
  std::string scratch;
  for (size_t i = 0; i < words.size(); ++i) {
    if (other[i]) continue;
    const absl::StatusOr<absl::string_view> normal = NormalizeName(words[i], &scratch);
    ASSERT_TRUE(normal.ok()) << what << ": '" << words[i] << "' called normal";
    EXPECT_EQ(normal->data(), words[i].data()) << what << ": '" << words[i] << "' called normal";
    EXPECT_EQ(hashes[i], HashBytes(words[i])) << what;
  }
}

TEST(PlainNamesTest, UsualNamesAreNormalAndHashed) {
  const std::string list =
      "www.example.com, example.com api-1.example.org;x_y.example.net *.wild.example";
  DumpRecord record;
  record.SetNameList(list);
  std::vector<absl::string_view> words;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> others;
  record.PlainNames(&words, &hashes, &others);
  EXPECT_THAT(words, ElementsAre("www.example.com", "example.com", "api-1.example.org",
                                 "x_y.example.net", "*.wild.example"));
  EXPECT_THAT(others, ElementsAre());
  EXPECT_EQ(hashes[2], HashBytes("api-1.example.org"));
}

TEST(PlainNamesTest, NamesThatNeedALookAreOthers) {
  const std::string list =
      "WWW.Example.com a..example .lead.example trail.example. w*.wild.example DNS:san.example "
      "m\xc3\xbcnchen.de bad/char.example " +
      std::string(64, 'a') + " *. *.. *x.example ok.example";
  DumpRecord record;
  record.SetNameList(list);
  std::vector<absl::string_view> words;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> others;
  record.PlainNames(&words, &hashes, &others);
  EXPECT_THAT(others, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  EXPECT_EQ(words[5], "san.example");  // without its "DNS:"
  EXPECT_EQ(words[12], "ok.example");
  ExpectPlainNamesAgree(record, list);
}

// Names of every length up to past the 64-byte block, starting at every offset of a block, in
// every byte class, with every separator; and names added one by one before a list.
TEST(PlainNamesTest, AgreesWithNamesAndNormalizeNameOnRandomLists) {
  std::mt19937 random(20261202);
  const std::string alphabet = "abcxyz019-_.....ABZ*:/\x80\xc3\xbc";
  const std::string separators = " ,;\t\n\r";
  for (int round = 0; round < 3000; ++round) {
    std::string list(random() % 70, ' ');  // a lead of separators moves the names' offsets
    for (char& c : list) c = separators[random() % separators.size()];
    const int count = static_cast<int>(random() % 8);
    for (int n = 0; n < count; ++n) {
      const size_t length = 1 + random() % 72;
      std::string name;
      const int style = static_cast<int>(random() % 5);
      for (size_t i = 0; i < length; ++i) {
        if (style == 0) {
          name.push_back("abcdefghij0123456789"[random() % 20]);  // one label
        } else if (style == 2 && i < 2) {
          name.push_back("*."[i]);  // a wildcard over labels, mostly plain
        } else if (style <= 2) {
          name.push_back(i % 7 == 3 ? '.' : "abcxyz-_"[random() % 8]);  // labels, mostly plain
        } else {
          name.push_back(alphabet[random() % alphabet.size()]);
        }
      }
      if (random() % 10 == 0) name = "DNS:" + name;
      list += name;
      const size_t gap = 1 + random() % 3;
      for (size_t i = 0; i < gap; ++i) list.push_back(separators[random() % separators.size()]);
    }
    if (random() % 2 == 0 && !list.empty()) list.pop_back();  // end on a name, or not
    DumpRecord record;
    record.SetNameList(list);
    if (random() % 8 == 0) record.AddName("Added.Example");
    ExpectPlainNamesAgree(record, absl::CEscape(list));
  }
}

}  // namespace
}  // namespace serialmatch::dump
