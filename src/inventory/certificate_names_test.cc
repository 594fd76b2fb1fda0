#include "src/inventory/certificate_names.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace serialmatch::inventory {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CertificateNamesTest, KeepsWrittenNamesAndNormalFormsWithoutRepeats) {
  CertificateNames names;
  names.Add("WWW.Example.com.", "www.example.com");
  names.Add("example.com", "example.com");
  names.Add("www.example.com", "www.example.com");
  names.Add("bad name", "");
  EXPECT_THAT(names.written(),
              ElementsAre("WWW.Example.com.", "example.com", "www.example.com", "bad name"));
  EXPECT_THAT(names.normal(), ElementsAre("www.example.com", "example.com"));
}

TEST(CertificateNamesTest, MatchOnlyNamesHaveNoWrittenName) {
  CertificateNames names;
  names.AddMatchOnly("legacy.example");
  names.AddMatchOnly("legacy.example");
  names.AddMatchOnly("");
  EXPECT_THAT(names.written(), IsEmpty());
  EXPECT_THAT(names.normal(), ElementsAre("legacy.example"));
}

TEST(CertificateNamesTest, ANormalNameIsTheWrittenOneNotACopy) {
  CertificateNames names;
  names.Add("a.example", "a.example");
  names.Add("B.example", "b.example");
  // The first name is already normal: both lists see the same bytes.
  EXPECT_EQ(names.written()[0].data(), names.normal()[0].data());
  EXPECT_NE(names.written()[1].data(), names.normal()[1].data());
}

TEST(CertificateNamesTest, CopiesAndMovesKeepTheirNames) {
  CertificateNames names;
  names.Add("a.example", "a.example");  // short enough for a string's inline buffer
  names.Add("A.EXAMPLE.NET", "a.example.net");
  CertificateNames copy = names;
  std::vector<CertificateNames> moved;
  moved.push_back(std::move(names));
  names = CertificateNames();
  names.Add("other.example", "other.example");
  EXPECT_THAT(copy.written(), ElementsAre("a.example", "A.EXAMPLE.NET"));
  EXPECT_THAT(copy.normal(), ElementsAre("a.example", "a.example.net"));
  EXPECT_THAT(moved[0].written(), ElementsAre("a.example", "A.EXAMPLE.NET"));
  EXPECT_THAT(moved[0].normal(), ElementsAre("a.example", "a.example.net"));
  EXPECT_TRUE(copy == moved[0]);
  EXPECT_FALSE(copy == names);
}

TEST(CertificateNamesTest, ViewsTakenBeforeAMoveStayValid) {
  CertificateNames names;
  names.Add("a.example", "a.example");
  const absl::string_view view = names.normal()[0];
  const CertificateNames moved = std::move(names);
  EXPECT_EQ(view.data(), moved.normal()[0].data());
  EXPECT_EQ(view, "a.example");
}

TEST(CertificateNamesTest, ClearRemovesEveryName) {
  CertificateNames names;
  names.Reserve(2, 20);
  names.Add("a.example", "a.example");
  names.AddMatchOnly("b.example");
  names.Clear();
  EXPECT_THAT(names.written(), IsEmpty());
  EXPECT_THAT(names.normal(), IsEmpty());
  names.Add("c.example", "c.example");
  EXPECT_THAT(names.normal(), ElementsAre("c.example"));
}

TEST(NameListTest, StringsAndPrinting) {
  CertificateNames names;
  names.Add("a.example", "a.example");
  names.Add("b.example", "b.example");
  EXPECT_EQ(names.written().Strings(), (std::vector<std::string>{"a.example", "b.example"}));
  std::ostringstream out;
  out << names.written();
  EXPECT_EQ(out.str(), "[\"a.example\", \"b.example\"]");
  EXPECT_EQ(names.written().front(), "a.example");
  EXPECT_EQ(names.written().back(), "b.example");
}

}  // namespace
}  // namespace serialmatch::inventory
