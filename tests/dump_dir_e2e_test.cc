// End-to-end tests of dumps that arrive in new shapes: --dump DIR (a folder of shards, each file a
// dump of its own) and sha256 fingerprint lists (what they can match, their crt.sh id-only lines).
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/inventory/test_certs.h"
#include "tests/e2e_util.h"

namespace serialmatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using DumpDirTest = E2eTest;

constexpr absl::string_view kFingerprint =
    "3b5a6e3c6f8d2a1b0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c";

TEST_F(DumpDirTest, EveryFileOfADirectoryIsADumpOfItsOwnFormat) {
  const std::string shards = dir_ + "/shards";
  ASSERT_EQ(::mkdir(shards.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((shards + "/older").c_str(), 0755), 0);
  Write("shards/1-le2020.txt", Le2020Line("03a001", "hit.example"));
  Write("shards/2-serials.txt", "serial\n03a002\n");
  Write("shards/3-ccadb.csv", "Serial #,dNSNames,Issuer\n03a003,\"b.example\",CN=R3\n");
  Write("shards/.4-hidden.txt", "03a004\n");                // dot-files are read too
  Write("shards/older/5-serials.txt", "03a001\n03a002\n");  // not read: not recursive
  const std::string domains = Write("d.txt", "hit.example\n");
  const std::string serials = Write("s.txt", "03a002\n03a003\n03a004\n");
  const RunResult r =
      Run({"--dump", shards, "--domains", domains, "--serials", serials, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                         shards,
                         "/: 4 files; 1 entry skipped, not a regular file (subdirectories "
                         "are not read): older/")));
  EXPECT_THAT(r.err, HasSubstr(shards + "/1-le2020.txt: format le2020 (detected)"));
  EXPECT_THAT(r.err, HasSubstr(shards + "/2-serials.txt: format serials (detected)"));
  EXPECT_THAT(r.err, HasSubstr(shards + "/3-ccadb.csv: format ccadb-csv (detected)"));
  EXPECT_THAT(r.err, HasSubstr("4 dumps, 4 records"));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"serial\":\"03a001\",\"dump\":\"", shards,
                                            "/1-le2020.txt\",\"dump_line\":1")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"serial\":\"03a002\",\"dump\":\"", shards,
                                            "/2-serials.txt\",\"dump_line\":2")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"serial\":\"03a003\",\"dump\":\"", shards,
                                            "/3-ccadb.csv\",\"dump_line\":2")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"serial\":\"03a004\",\"dump\":\"", shards,
                                            "/.4-hidden.txt\",\"dump_line\":1")));
  EXPECT_THAT(r.out, Not(HasSubstr("older/")));

  // Each file has its own summary.
  const RunResult json = Run({"--dump", shards + "/", "--serials", serials, "--format", "json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  for (const char* file : {"2-serials.txt", "3-ccadb.csv", ".4-hidden.txt"}) {
    EXPECT_THAT(json.out, HasSubstr(absl::StrCat("{\"kind\":\"dump\",\"path\":\"", shards, "/",
                                                 file, "\",\"entries\":1,")))
        << file;
  }
}

TEST_F(DumpDirTest, EmptyOrUnreadableDirectoryIsAnError) {
  const std::string serials = Write("s.txt", "03a002\n");
  const std::string empty = dir_ + "/empty";
  ASSERT_EQ(::mkdir(empty.c_str(), 0755), 0);
  RunResult r = Run({"--dump", empty, "--serials", serials});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(empty + "/: no files to read"));

  ASSERT_EQ(::mkdir((empty + "/sub").c_str(), 0755), 0);
  r = Run({"--dump", empty, "--serials", serials});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr(empty + "/: no files to read (only 1 entry that is not a regular file)"));

  const std::string locked = dir_ + "/locked";
  ASSERT_EQ(::mkdir(locked.c_str(), 0755), 0);
  Write("locked/a.txt", "03a002\n");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  r = RunUnprivileged({"--dump", locked, "--serials", serials});
  ::chmod(locked.c_str(), 0755);  // for the fixture to remove it
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(locked + "/: cannot read the directory"));
}

TEST_F(DumpDirTest, DirectoryAndLineOffsetAreRefused) {
  const std::string shards = dir_ + "/shards";
  ASSERT_EQ(::mkdir(shards.c_str(), 0755), 0);
  Write("shards/a.txt", "03a001\n");
  Write("shards/b.txt", "03a002\n");
  const RunResult r =
      Run({"--dump", shards, "--serials", Write("s.txt", "03a002\n"), "--line-offset", "10"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--line-offset needs one dump file"));
}

TEST_F(DumpDirTest, FingerprintListCannotMatchDomainsOrSerials) {
  const std::string dump =
      Write("fingerprints.txt",
            absl::StrCat("https://crt.sh/?sha256=", kFingerprint, "\n", kFingerprint, "\n"));
  RunResult r = Run({"--dump", dump, "--domains", Write("d.txt", "hit.example\n")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(dump + ": format sha256 (detected)"));
  EXPECT_THAT(r.err, HasSubstr("--dump-format serials"));
  EXPECT_THAT(r.err, HasSubstr("carry certificate fingerprints but no serials or names: --domains "
                               "cannot match them"));
  EXPECT_THAT(r.err, HasSubstr("give a dump that lists names"));
  r = Run({"--dump", dump, "--serials", Write("s.txt", "03a002\n")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--serials cannot match them"));
  EXPECT_THAT(r.err, HasSubstr("give a dump that lists serials"));
}

TEST_F(DumpDirTest, CrtshIdOnlyLinesAreNotCheckedAndFailStrict) {
  const inventory::TestCa ca("Test CA R3");
  const std::string certs =
      Write("cert.pem", inventory::TestCa::ToPem(ca.IssueLeaf("0a0b0c", {"hit.example"})));
  const std::string dump =
      Write("fingerprints.txt",
            absl::StrCat("# incident 1234\nurl\nhttps://crt.sh/?sha256=", kFingerprint,
                         "\nhttps://crt.sh/?id=12345\r\nhttps://crt.sh/?id=67890&opt=ocsp\n"));
  RunResult r = Run({"--dump", dump, "--certs", certs, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                         dump,
                         ": 2 lines name a certificate only by its crt.sh id, which cannot "
                         "be matched offline; look them up on crt.sh or ask the CA for "
                         "fingerprints")));
  EXPECT_THAT(r.err, HasSubstr("1 record (0 malformed)"));
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("not checked: ", dump, ": 2 crtsh id lines")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("{\"kind\":\"dump\",\"path\":\"", dump,
                                            "\",\"entries\":1,\"not_checked\":2,")));
  EXPECT_THAT(r.out, HasSubstr("\"crtsh_id_lines\":2}"));

  r = Run({"--dump", dump, "--certs", certs, "--strict"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--strict: 2 problems in the input"));

  // Only ids: nothing could be checked.
  const std::string ids = Write("ids.txt", "https://crt.sh/?id=1\nhttps://crt.sh/?id=2\n");
  r = Run({"--dump", ids, "--certs", certs});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(ids + ": 2 lines name a certificate only by its crt.sh id"));
  EXPECT_THAT(r.err, HasSubstr(ids + ": no certificate records in 2 lines"));
}

}  // namespace
}  // namespace serialmatch
