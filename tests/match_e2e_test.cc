// End-to-end tests of the join's judgement through the binary: serials in every notation (negative
// ones too), dump times in their common spellings, names columns in SAN notation, issuers in every
// DN notation, and the findings that must be reported rather than hidden or dropped.
#include <stdio.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using inventory::TestCa;
using inventory::TestCertSpec;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kFeb = absl::FromUnixSeconds(1580515200);  // 2020-02-01

class MatchE2eTest : public E2eTest {
 protected:
  MatchE2eTest() : ca_("R3") {}

  // Writes a PEM certificate from the test CA with `serial` (hex, "-" for a negative one).
  std::string WriteCert(absl::string_view file, std::string serial, std::vector<std::string> names,
                        absl::Time not_before = kFeb) {
    TestCertSpec spec;
    spec.serial_hex = std::move(serial);
    spec.names = std::move(names);
    spec.not_before = not_before;
    spec.not_after = not_before + absl::Hours(90 * 24);
    return Write(file, TestCa::ToPem(ca_.Issue(spec)));
  }

  TestCa ca_;
};

// -255 is stored as the two's complement bytes ff01; it must meet neither 255 nor 0xff01.
TEST_F(MatchE2eTest, NegativeSerialsMeetOnlyThemselves) {
  const std::string negative = WriteCert("negative.pem", "-FF", {"neg.example"});
  const std::string positive = WriteCert("positive.pem", "FF01", {"pos.example"});
  const std::string serials = Write("serials.txt", "serial\n-FF\n");

  const std::string others = Write("others.txt", "ff\nff01\n01\n");
  RunResult r =
      Run({"--dump", others, "--certs", negative, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(r.out, "");

  const std::string listed = Write("listed.txt", "ff\nserial=-FF\n");
  r = Run({"--dump", listed, "--certs", negative, "--certs", positive, "--serials", serials,
           "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"-FF", "affected"}, {"negative.pem", "affected"}}))
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"serial\":\"-ff\""));
}

// A certificate renewed after the listed one is `replaced`, whichever way the dump writes the time;
// --issued-after drops the older records in every spelling.
TEST_F(MatchE2eTest, DumpTimesInCommonSpellings) {
  const std::string cert = WriteCert("renewed.pem", "7f01", {"www.example.com"});
  const std::string dump = Write("dump.csv",
                                 "Serial #,Not before,dNSNames\n"
                                 "0a01,12/3/2019 21:08,www.example.com\n"
                                 "0a02,12/3/2019 9:08:34 PM,www.example.com\n"
                                 "0a03,Dec  3 21:08:34 2019 GMT,www.example.com\n"
                                 "0a04,2019-12-03,www.example.com\n"
                                 "0a05,03.12.2019,www.example.com\n"
                                 "0a06,2019-12-03t21:08:34.826z,www.example.com\n"
                                 "0a07,2019-12-03 21:08:34 UTC,www.example.com\n");
  RunResult r = Run({"--dump", dump, "--certs", cert, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"},
                                        {"renewed.pem", "replaced"}}))
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":3,\"names\":[\"www.example.com\"],"
                               "\"issued_at\":\"2019-12-03T21:08:34Z\""));
  EXPECT_THAT(r.out, HasSubstr("\"issued_at\":\"2019-12-03T00:00:00Z\""));

  const std::string domains = Write("domains.txt", "www.example.com\n");
  r = Run({"--dump", dump, "--domains", domains, "--issued-after", "2019-12-03T12:00:00Z"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--issued-after: 2 records issued earlier ignored"));
}

// A time that cannot be read is named where it is needed, and the record is matched all the same.
TEST_F(MatchE2eTest, UnreadableTimesAreReportedNotNulled) {
  const std::string domains = Write("domains.txt", "www.example.com\n");
  const std::string dump = Write("dump.csv",
                                 "Serial #,Not before,Not after,dNSNames\n"
                                 "0a01,sometime in 2019,2020-03-03,www.example.com\n"
                                 "0a02,2019-12-03,in 90 days,other.example\n"
                                 "0a03,2019-12-03 21:08:34 PST,,www.example.com\n"
                                 "0a04,yesterday,,nobody.example\n");
  RunResult r = Run({"--dump", dump, "--domains", domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":2,\"names\":[\"www.example.com\"],"
                               "\"issued_at\":null,\"not_after\":\"2020-03-03T00:00:00Z\""));
  EXPECT_THAT(r.err, HasSubstr("dump.csv:2: unreadable issue time 'sometime in 2019'\n"));
  EXPECT_THAT(r.err, HasSubstr("dump.csv:4: unreadable issue time '2019-12-03 21:08:34 PST'\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("in 90 days")));  // no finding: never read
  EXPECT_THAT(r.err, Not(HasSubstr("yesterday")));

  r = Run({"--dump", dump, "--domains", domains, "--issued-after", "2019-12-01"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("dump.csv:2: unreadable issue time 'sometime in 2019'\n"));
  // Every record's issue time is read.
  EXPECT_THAT(r.err, HasSubstr("dump.csv:5: unreadable issue time 'yesterday'\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("in 90 days")));
}

// OpenSSL's subjectAltName text in a names column matches in every format; names that are still
// not DNS names are named and counted, once each.
TEST_F(MatchE2eTest, SanTextNamesMatchAndInvalidNamesAreReported) {
  const std::string domains = Write("domains.txt", "www.example.com\n");
  const std::string ccadb = Write("dump.csv",
                                  "Serial #,dNSNames\n"
                                  "0a01,\"DNS:www.example.com, DNS:example.com\"\n"
                                  "0a02,\"DNS:a..example, dns:WWW.EXAMPLE.COM\"\n");
  const std::string le2020 =
      Write("dump.txt", Le2020Line("0a03", "DNS:www.example.com DNS:shop!.example"));
  const std::string le2022 =
      Write("dump22.csv", "123,0a04,2022-02-25T18:25:29Z,DNS:www.example.com\n");
  const std::string regex = Write("dump.tsv", "0a05\tDNS:other.example,DNS:www.example.com\n");

  RunResult r = Run({"--dump", ccadb, "--dump", le2020, "--dump", le2022, "--domains", domains,
                     "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out).count({"www.example.com", "listed"}), 4u) << r.out;
  EXPECT_THAT(r.err, HasSubstr("dump.csv:3: invalid name 'a..example': empty label\n"));
  EXPECT_THAT(r.err, HasSubstr("dump.txt:1: invalid name 'shop!.example': character not allowed "
                               "in a DNS name\n"));

  r = Run({"--dump", regex, "--dump-pattern", "^(?P<serial>\\S+)\\t(?P<names>.*)$", "--domains",
           domains, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"name\":\"www.example.com\""));

  // A serial-only join never looks at the names.
  const std::string serials = Write("serials.txt", "0a02\n");
  r = Run({"--dump", ccadb, "--serials", serials});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("invalid name")));
}

// The certificate's serial is on another CA's record, which also names the certificate's name: the
// warning for the serial must not hide the listed name (exit 1, not 0).
TEST_F(MatchE2eTest, WarningDoesNotHideListed) {
  const std::string cert = WriteCert("shop.pem", "0c0d", {"shop.example.org"});
  const std::string dump = Write("dump.csv",
                                 "Serial #,Issuer,Not before,dNSNames\n"
                                 "0c0d,\"C=US, O=Other CA, CN=Other Issuing CA 1\",2020-02-15,"
                                 "shop.example.org\n");
  RunResult r = Run({"--dump", dump, "--certs", cert, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"shop.pem", "listed"}, {"shop.pem", "warning"}})) << r.out;

  // Under its own issuer it is affected, once: its name on that record is the same fact.
  const std::string own = Write("own.csv",
                                "Serial #,Issuer,Not before,dNSNames\n"
                                "0c0d,\"C=US, O=serialmatch tests, CN=R3\",2020-02-15,"
                                "shop.example.org\n");
  r = Run({"--dump", own, "--certs", cert, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Statuses(r.out), (StatusSet{{"shop.pem", "affected"}}));
}

// Repeated findings of one certificate are reported once, from the earliest line; the same serial
// under two issuers is two certificates.
TEST_F(MatchE2eTest, RepeatsOnceFromTheEarliestLineButPerIssuer) {
  const std::string serials = Write("serials.txt", "0a0b\n");
  const std::string dump = Write("dump.csv",
                                 "Serial #,Issuer,dNSNames\n"
                                 "0a0b,CN=R3,a.example\n"
                                 "0a0b,CN=Other CA,a.example\n"
                                 "0a0b,CN=R3,a.example\n");
  RunResult r = Run({"--dump", dump, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":2,"));
  EXPECT_THAT(r.out, HasSubstr("\"dump_line\":3,"));
  EXPECT_THAT(r.out, Not(HasSubstr("\"dump_line\":4,")));
}

// The certificate's issuer is "C=US, O=serialmatch tests, CN=R3": the dump writing it with fewer
// attributes, long names, another order or escapes is still this issuer (affected); another CN or
// organisation is a warning.
TEST_F(MatchE2eTest, IssuerInAnyDnNotation) {
  const std::string cert = WriteCert("r3.pem", "0b0c", {"r3.example"});
  const std::vector<std::string> same = {
      "O=serialmatch tests",
      "commonName=R3, organizationName=serialmatch tests, countryName=US",
      "CN=R3,O=serialmatch tests,C=US",
      "/CN=R3/O=serialmatch tests/C=US",
      "C=US; O=\"\"serialmatch tests\"\"",  // CSV-doubled quotes around a quoted value
      "2.5.4.3=r3 + 2.5.4.10=SERIALMATCH  TESTS",
      "R3",
  };
  const std::vector<std::string> other = {"C=US, O=serialmatch tests, CN=R10",
                                          "O=Other tests, CN=R3", "Other CA R3"};
  std::string rows = "Serial #,Issuer\n";
  for (const std::string& issuer : same) absl::StrAppend(&rows, "0b0c,\"", issuer, "\"\n");
  for (const std::string& issuer : other) absl::StrAppend(&rows, "0b0c,\"", issuer, "\"\n");
  const std::string dump = Write("dump.csv", rows);
  const RunResult r = Run({"--dump", dump, "--certs", cert, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  StatusSet expected;
  for (size_t i = 0; i < same.size(); ++i) expected.insert({"r3.pem", "affected"});
  for (size_t i = 0; i < other.size(); ++i) expected.insert({"r3.pem", "warning"});
  EXPECT_EQ(Statuses(r.out), expected) << r.out;
}

}  // namespace
}  // namespace serialmatch
