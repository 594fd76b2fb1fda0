#include "src/match/join.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"
#include "src/dump/crl_parser.h"
#include "src/dump/test_compress.h"
#include "src/inventory/test_certs.h"

namespace serialmatch::match {
namespace {

std::string Line(int i, absl::string_view names) {
  char serial[16];
  std::snprintf(serial, sizeof serial, "03%06x", i);
  return absl::StrCat("serial ", serial, " ", i, " h names: [", names,
                      "] missing CAA checking results for [x] at 2020-01-01 00:00:00 +0000 UTC\n");
}

// A dump of 200,000 lines (several MB, so it is split among threads) with a few hits and bad lines.
std::string MakeDump() {
  std::string dump = "\xEF\xBB\xBF";
  for (int i = 1; i <= 200000; ++i) {
    if (i == 7 || i == 150001) {
      dump += "serial truncated\n";
    } else if (i % 50000 == 0) {
      dump += Line(i, "hit.example www.other.example");
    } else {
      dump += Line(i, absl::StrCat("n", i, ".example"));
    }
  }
  return dump;
}

JoinResult JoinFile(const std::string& dump, int threads, dump::IoMode mode = dump::IoMode::kRead) {
  const std::string path = TestTempPath("join_test_dump");
  EXPECT_TRUE(WriteFileAtomically(path, dump).ok());
  Diagnostics diags("inv");
  static const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("hit.example\n", "d", &diags);
  static const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("03:00:00:05\n", "s", &diags);
  const Matcher matcher(&domains, &serials);
  std::unique_ptr<dump::DumpSource> source = *dump::DumpSource::Open(path, mode);
  const std::unique_ptr<dump::DumpParser> parser = *dump::MakeParser(dump::DumpFormat::kLe2020, {});
  absl::StatusOr<JoinResult> result = JoinDump(*source, *parser, matcher, threads);
  EXPECT_TRUE(result.ok()) << result.status();
  ::unlink(path.c_str());
  return *std::move(result);
}

std::vector<uint64_t> Lines(const JoinResult& r) {
  std::vector<uint64_t> lines;
  for (const Finding& f : r.findings) lines.push_back(f.dump_line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(JoinDumpTest, SameResultWithOneOrManyThreads) {
  const std::string dump = MakeDump();
  for (int threads : {1, 2, 3, 8}) {
    for (dump::IoMode mode : {dump::IoMode::kRead, dump::IoMode::kMmap}) {
      const JoinResult r = JoinFile(dump, threads, mode);
      EXPECT_EQ(r.counts.lines, 200000u) << threads;
      EXPECT_EQ(r.counts.records, 199998u) << threads;
      EXPECT_EQ(r.counts.malformed, 2u) << threads;
      EXPECT_THAT(Lines(r), ::testing::ElementsAre(5, 50000, 100000, 150000, 200000)) << threads;
      ASSERT_EQ(r.diagnostics.samples().size(), 2u);
      EXPECT_EQ(r.diagnostics.samples()[0].line, 7u);
      EXPECT_EQ(r.diagnostics.samples()[1].line, 150001u);
    }
  }
}

// Times that cannot be read are reported where the matcher reads them, at the line of the whole
// dump, in line order with the malformed lines, whichever part of the dump they are in.
TEST(JoinDumpTest, UnreadableTimesAreReportedAtTheirGlobalLine) {
  std::string dump = MakeDump();
  for (int line : {50000, 150000}) {
    const std::string good = Line(line, "hit.example www.other.example");
    std::string bad = good;
    bad.replace(bad.find("+0000 UTC"), 9, "+9900 UTC");
    const size_t at = dump.find(good);
    ASSERT_NE(at, std::string::npos);
    dump.replace(at, good.size(), bad);
  }
  for (int threads : {1, 2, 3, 8}) {
    const JoinResult r = JoinFile(dump, threads);
    EXPECT_EQ(r.counts.records, 199998u) << threads;
    EXPECT_EQ(r.counts.malformed, 2u) << threads;
    EXPECT_EQ(r.counts.bad_times, 2u) << threads;
    // Still matched, without an issue time.
    EXPECT_THAT(Lines(r), ::testing::ElementsAre(5, 50000, 100000, 150000, 200000)) << threads;
    for (const Finding& f : r.findings) {
      EXPECT_EQ(f.issued_at.has_value(), f.dump_line != 50000 && f.dump_line != 150000);
    }
    ASSERT_EQ(r.diagnostics.samples().size(), 4u) << threads;
    EXPECT_EQ(r.diagnostics.count(), 4u) << threads;
    EXPECT_EQ(r.diagnostics.samples()[0].line, 7u);
    EXPECT_EQ(r.diagnostics.samples()[1].line, 50000u);
    EXPECT_EQ(r.diagnostics.samples()[1].reason,
              "unreadable issue time '2020-01-01 00:00:00 +9900 UTC'");
    EXPECT_EQ(r.diagnostics.samples()[2].line, 150000u);
    EXPECT_EQ(r.diagnostics.samples()[3].line, 150001u);
  }
}

// Joins `bytes` fed through a pipe, as standard input would be.
absl::StatusOr<JoinResult> JoinPiped(const std::string& bytes, int threads) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    (void)WriteAll(fds[1], bytes);  // fails with EPIPE when the reader gives up early
    ::close(fds[1]);
  });
  Diagnostics diags("inv");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("hit.example\n", "d", &diags);
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("03:00:00:05\n", "s", &diags);
  const Matcher matcher(&domains, &serials);
  absl::StatusOr<JoinResult> result;
  {
    std::unique_ptr<dump::DumpSource> source = *dump::DumpSource::FromFd(fds[0], "<stdin>");
    const std::unique_ptr<dump::DumpParser> parser =
        *dump::MakeParser(dump::DumpFormat::kLe2020, {});
    result = JoinDump(*source, *parser, matcher, threads);
  }
  ::close(fds[0]);
  writer.join();
  return result;
}

// A stream is read in one thread and parsed in several, block by block: the findings, counts and
// diagnostics (in line order, at their lines in the whole dump) are those of the file read by
// range, whatever the number of workers, plain or compressed.
TEST(JoinDumpTest, StreamGivesSameResultAsFile) {
  std::string dump = MakeDump();
  for (int line : {50000, 150000}) {
    const std::string good = Line(line, "hit.example www.other.example");
    std::string bad = good;
    bad.replace(bad.find("+0000 UTC"), 9, "+9900 UTC");
    dump.replace(dump.find(good), good.size(), bad);
  }
  const JoinResult file = JoinFile(dump, 2);
  ASSERT_EQ(file.diagnostics.count(), 4u);
  for (bool compressed : {false, true}) {
    for (int threads : {1, 2, 3, 8}) {
      absl::StatusOr<JoinResult> streamed =
          JoinPiped(compressed ? dump::GzipForTest(dump) : dump, threads);
      ASSERT_TRUE(streamed.ok()) << streamed.status();
      EXPECT_EQ(Lines(*streamed), Lines(file)) << threads;
      EXPECT_EQ(streamed->counts.lines, file.counts.lines);
      EXPECT_EQ(streamed->counts.records, file.counts.records);
      EXPECT_EQ(streamed->counts.malformed, file.counts.malformed);
      EXPECT_EQ(streamed->counts.bad_times, 2u) << threads;
      EXPECT_EQ(streamed->counts.bytes, file.counts.bytes);
      ASSERT_EQ(streamed->diagnostics.samples().size(), 4u) << threads;
      for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(streamed->diagnostics.samples()[i].line, file.diagnostics.samples()[i].line);
        EXPECT_EQ(streamed->diagnostics.samples()[i].reason, file.diagnostics.samples()[i].reason);
      }
      EXPECT_EQ(streamed->findings[0].dump_path, "<stdin>");
    }
  }
}

// A stream that fails part way (a gzip member cut short) fails the join with the reader's error,
// whatever the number of workers, rather than giving the findings of the lines before it.
TEST(JoinDumpTest, StreamReadErrorFailsTheJoin) {
  const std::string gz = dump::GzipForTest(MakeDump());
  for (int threads : {1, 2, 3}) {
    absl::StatusOr<JoinResult> streamed = JoinPiped(gz.substr(0, gz.size() * 2 / 3), threads);
    ASSERT_FALSE(streamed.ok()) << threads;
    EXPECT_THAT(std::string(streamed.status().message()), ::testing::HasSubstr("<stdin>"));
  }
}

// A hit next to another hit, a hit followed by a bad or a blank line, and a hit on the last line
// (with no newline) each keep their own line and names: the worker reuses one record for all.
TEST(JoinDumpTest, EachRecordIsMatchedWithItsOwnLineAndNames) {
  const std::string dump = absl::StrCat(
      Line(1, "hit.example a.example"), "serial truncated\n", Line(3, "b.example hit.example"),
      Line(5, "c.example"), "\n", Line(6, "n6.example"), Line(7, "d.example hit.example"));
  for (int threads : {1, 2}) {
    JoinResult r = JoinFile(dump.substr(0, dump.size() - 1), threads);
    std::sort(r.findings.begin(), r.findings.end(), FindingLess);
    ASSERT_EQ(r.findings.size(), 4u) << threads;
    const auto& f = r.findings;
    EXPECT_EQ(f[0].kind, FindingKind::kDomain);
    EXPECT_EQ(f[0].dump_line, 1u);
    EXPECT_THAT(f[0].names, ::testing::ElementsAre("hit.example", "a.example"));
    EXPECT_EQ(f[1].dump_line, 3u);
    EXPECT_THAT(f[1].names, ::testing::ElementsAre("b.example", "hit.example"));
    EXPECT_EQ(f[2].dump_line, 7u);
    EXPECT_THAT(f[2].names, ::testing::ElementsAre("d.example", "hit.example"));
    EXPECT_EQ(f[3].kind, FindingKind::kSerial);
    EXPECT_EQ(f[3].dump_line, 4u);
    EXPECT_EQ(f[3].serial, "03000005");
    EXPECT_THAT(f[3].names, ::testing::ElementsAre("c.example"));
    EXPECT_EQ(r.counts.records, 5u);
    EXPECT_EQ(r.counts.malformed, 1u);
  }
}

JoinResult JoinWith(const std::string& dump, const Matcher& matcher, int threads) {
  const std::string path = TestTempPath("join_test_serials");
  EXPECT_TRUE(WriteFileAtomically(path, dump).ok());
  std::unique_ptr<dump::DumpSource> source = *dump::DumpSource::Open(path, dump::IoMode::kRead);
  const std::unique_ptr<dump::DumpParser> parser = *dump::MakeParser(dump::DumpFormat::kLe2020, {});
  absl::StatusOr<JoinResult> result = JoinDump(*source, *parser, matcher, threads);
  EXPECT_TRUE(result.ok()) << result.status();
  ::unlink(path.c_str());
  return *std::move(result);
}

std::vector<std::pair<uint64_t, std::string>> Samples(const Diagnostics& diagnostics) {
  std::vector<std::pair<uint64_t, std::string>> samples;
  for (const auto& sample : diagnostics.samples()) samples.emplace_back(sample.line, sample.reason);
  return samples;
}

// A join against serials alone reads a line past its serial only for a hit (see
// DumpParser::ParseSerial), a dozen lines probed at a time. It must find exactly what the whole
// parse finds, hits in every notation and next to lines that are not records; report the same
// lines, in line order, except lines damaged after a serial nobody looks for, which it counts as
// the records they are.
TEST(JoinDumpTest, SerialOnlyJoinFindsWhatTheWholeParseFinds) {
  Diagnostics diags("inv");
  const inventory::SerialInventory serials = *inventory::ParseSerialInventory(
      "0a0b0c01\n0A:0B:0C:02\na0b0c03\n0a0b0c08\n0a0b0c0f\n0a0b0c10\n0a0b0c11\n0a0b0c1e\n", "s",
      &diags);
  const std::set<int> kHits = {0x01, 0x02, 0x03, 0x08, 0x0f, 0x10, 0x11, 0x1e};  // low bytes
  // A domain inventory makes the matcher read every line whole.
  const inventory::DomainInventory nothing =
      *inventory::ParseDomainInventory("nothing.invalid\n", "d", &diags);
  const Matcher serial_only(Inventories{{}, {&serials}, nullptr, nullptr});
  const Matcher whole(Inventories{{&nothing}, {&serials}, nullptr, nullptr});
  ASSERT_TRUE(serial_only.serial_only());
  ASSERT_FALSE(whole.serial_only());

  // Serials in every notation, most rewritten by the parser (a batch holds several); hits a
  // quarter of the lines; damaged lines, bad serials and comments close by.
  std::string dump;
  uint64_t damaged_misses = 0;
  std::set<uint64_t> damaged_miss_lines;
  uint64_t number = 0;  // of the line being written
  for (int i = 1; i <= 3000; ++i) {
    const int serial = 0x0a0b0c00 + i % 32;
    char hex[16];
    switch (i % 5) {
      case 1:  // upper case
        std::snprintf(hex, sizeof hex, "%08X", serial);
        break;
      case 2:  // bytes with colons
        std::snprintf(hex, sizeof hex, "%02x:%02x:%02x:%02x", serial >> 24, (serial >> 16) & 255,
                      (serial >> 8) & 255, serial & 255);
        break;
      case 3:  // a leading zero byte
        std::snprintf(hex, sizeof hex, "00%08x", serial);
        break;
      default:  // canonical
        std::snprintf(hex, sizeof hex, "%08x", serial);
    }
    std::string line =
        absl::StrCat("serial ", hex, " ", i, " h names: [n", i,
                     ".example] missing CAA checking results for [x] at 2020-01-01 00:00:00 "
                     "+0000 UTC\n");
    if (i % 3 == 0) {
      line = absl::StrCat("serial ", hex, " ", i, " h names: [n", i, ".example\n");  // damaged
      if (kHits.count(serial & 0xff) == 0) {
        ++damaged_misses;
        damaged_miss_lines.insert(number + 1);
      }
    } else if (i % 11 == 0) {
      line = "serial 03zz 1 h names: [] at 2020-01-01 00:00:00 +0000 UTC\n";
    } else if (i % 13 == 0) {
      line = "# a comment\n\n";
    }
    number += static_cast<uint64_t>(std::count(line.begin(), line.end(), '\n'));
    dump += line;
  }
  for (int threads : {1, 2}) {
    const JoinResult lazy = JoinWith(dump, serial_only, threads);
    const JoinResult full = JoinWith(dump, whole, threads);
    ASSERT_FALSE(full.findings.empty());
    ASSERT_EQ(lazy.findings.size(), full.findings.size()) << threads;
    for (size_t i = 0; i < full.findings.size(); ++i) {
      EXPECT_EQ(lazy.findings[i].dump_line, full.findings[i].dump_line) << threads;
      EXPECT_EQ(lazy.findings[i].serial, full.findings[i].serial) << threads;
      EXPECT_EQ(lazy.findings[i].names, full.findings[i].names) << threads;
      EXPECT_EQ(lazy.findings[i].input, full.findings[i].input) << threads;
    }
    EXPECT_EQ(lazy.counts.lines, full.counts.lines) << threads;
    EXPECT_EQ(lazy.counts.records, full.counts.records + damaged_misses) << threads;
    EXPECT_EQ(lazy.counts.malformed + damaged_misses, full.counts.malformed) << threads;
    // The same reports, in line order, without the damaged lines whose serial is not looked for
    // (each keeps its first few).
    std::vector<std::pair<uint64_t, std::string>> expected;
    for (const auto& sample : Samples(full.diagnostics)) {
      if (damaged_miss_lines.count(sample.first) == 0) expected.push_back(sample);
    }
    std::vector<std::pair<uint64_t, std::string>> got = Samples(lazy.diagnostics);
    ASSERT_GE(got.size(), 5u);
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end())) << threads;
    got.resize(std::min(got.size(), expected.size()));
    expected.resize(got.size());
    EXPECT_EQ(got, expected) << threads;
    EXPECT_EQ(lazy.diagnostics.count() + damaged_misses, full.diagnostics.count()) << threads;
  }
}

// A fingerprint list's crt.sh id-only lines are counted, whichever part of the dump they are in,
// and are neither records nor malformed nor reported line by line.
TEST(JoinDumpTest, UncheckableLinesAreCountedNotReported) {
  std::string dump;
  for (int i = 0; i < 100000; ++i) {
    absl::StrAppend(&dump,
                    i % 1000 == 0
                        ? absl::StrCat("https://crt.sh/?id=", i)
                        : absl::StrCat(std::string(56, 'a'), absl::Hex(i, absl::kZeroPad8)),
                    "\n");
  }
  const std::string path = TestTempPath("join_test_sha256");
  ASSERT_TRUE(WriteFileAtomically(path, dump).ok());
  Diagnostics diags("inv");
  const inventory::DomainInventory domains =
      *inventory::ParseDomainInventory("hit.example\n", "d", &diags);
  const inventory::SerialInventory serials = *inventory::ParseSerialInventory("03\n", "s", &diags);
  const Matcher matcher(&domains, &serials);
  const std::unique_ptr<dump::DumpParser> parser = *dump::MakeParser(dump::DumpFormat::kSha256, {});
  for (int threads : {1, 3}) {
    std::unique_ptr<dump::DumpSource> source = *dump::DumpSource::Open(path, dump::IoMode::kRead);
    absl::StatusOr<JoinResult> r = JoinDump(*source, *parser, matcher, threads);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->counts.lines, 100000u) << threads;
    EXPECT_EQ(r->counts.records, 99900u) << threads;
    EXPECT_EQ(r->counts.uncheckable, 100u) << threads;
    EXPECT_EQ(r->counts.malformed, 0u) << threads;
    EXPECT_TRUE(r->diagnostics.samples().empty()) << threads;
  }
  ::unlink(path.c_str());
}

TEST(JoinDumpTest, CrlDocumentIsKeptForTheCaller) {
  inventory::TestCa ca("Join CRL CA");
  inventory::TestCrlSpec spec;
  for (const char* serial : {"030001", "030005", "0300ff"}) {
    inventory::TestCrlEntry entry;
    entry.serial_hex = serial;
    spec.entries.push_back(entry);
  }
  const std::string der = ca.IssueCrl(spec);
  const std::string path = TestTempPath("join_test_crl");
  ASSERT_TRUE(WriteFileAtomically(path, der).ok());
  Diagnostics diags("inv");
  const inventory::SerialInventory serials =
      *inventory::ParseSerialInventory("03:00:05\n", "s", &diags);
  const Matcher matcher(nullptr, &serials);
  std::unique_ptr<dump::DumpSource> source = *dump::DumpSource::Open(path);
  const std::unique_ptr<dump::DumpParser> parser = *dump::MakeParser(dump::DumpFormat::kCrl, {});
  absl::StatusOr<JoinResult> result = JoinDump(*source, *parser, matcher, 2);
  ::unlink(path.c_str());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->counts.records, 3u);
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].dump_line, 2u);  // the second entry
  EXPECT_EQ(result->document, der);
  absl::StatusOr<std::vector<dump::CrlDocument>> crls = dump::ReadCrls(result->document);
  ASSERT_TRUE(crls.ok()) << crls.status();
  EXPECT_EQ((*crls)[0].entries, 3u);

  // Other formats keep nothing.
  EXPECT_TRUE(JoinFile(Line(1, "a.example"), 1).document.empty());
}

}  // namespace
}  // namespace serialmatch::match
