#include "src/cli/state.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/file_util.h"
#include "src/base/test_util.h"

namespace serialmatch::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kMonday = absl::FromUnixSeconds(1796112000);  // 2026-12-01T08:00:00Z
const absl::Time kTuesday = kMonday + absl::Hours(24);

match::Finding DomainFinding(absl::string_view input, absl::string_view name,
                             absl::string_view serial, uint64_t dump_line) {
  match::Finding f;
  f.status = match::FindingStatus::kListed;
  f.kind = match::FindingKind::kDomain;
  f.input = std::string(input);
  f.inventory_path = "mine.csv";
  f.inventory_line = 4;
  f.name = std::string(name);
  f.serial = std::string(serial);
  f.dump_path = "affected.txt";
  f.dump_line = dump_line;
  return f;
}

match::Finding CertificateFinding(match::FindingStatus status, absl::string_view sha256) {
  match::Finding f;
  f.status = status;
  f.kind = match::FindingKind::kCertificate;
  f.match = match::MatchType::kSerial;
  f.input = "/etc/letsencrypt/live/example.com/cert.pem";
  f.inventory_path = f.input;
  f.inventory_line = 1;
  f.serial = "03e226";
  f.issuer = "C=US, O=Let's Encrypt, CN=R10";
  f.dump_path = "r10-17.crl";
  f.dump_line = 81;
  auto facts = std::make_shared<match::CertificateFacts>();
  facts->sha256 = std::string(sha256);
  f.certificate = std::move(facts);
  return f;
}

// The state after one run that found `findings` at `when`, read back from its file text.
State StateAfter(const std::vector<match::Finding>& findings, absl::Time when) {
  const Comparison first = CompareWithState(findings, nullptr, when);
  absl::StatusOr<State> read = ParseState(RenderState(first.next), "state.json");
  EXPECT_TRUE(read.ok()) << read.status();
  return read.ok() ? *read : State();
}

TEST(StateTest, WithoutAnEarlierStateEveryFindingIsNew) {
  const std::vector<match::Finding> findings = {DomainFinding("a.example", "a.example", "01", 3),
                                                DomainFinding("b.example", "b.example", "02", 4)};
  const Comparison c = CompareWithState(findings, nullptr, kMonday);
  EXPECT_THAT(c.is_new, ElementsAre(true, true));
  EXPECT_EQ(c.new_findings, 2u);
  EXPECT_EQ(c.unchanged, 0u);
  EXPECT_EQ(c.resolved, 0u);
  ASSERT_EQ(c.next.entries.size(), 2u);
  EXPECT_EQ(c.next.run_at, kMonday);
  EXPECT_EQ(c.next.entries[0].first_seen, kMonday);
}

TEST(StateTest, RoundTripsEveryFieldThroughTheFile) {
  match::Finding f = CertificateFinding(match::FindingStatus::kRevoked, "ab12");
  f.name = "www.example.com";
  f.cert_sha256 = "cd34";
  // Bytes that are not UTF-8 and control characters, as a dump may hold.
  f.input = std::string("odd\xff\x01name\"\\", 11);
  const State read = StateAfter({f}, kMonday);
  EXPECT_EQ(read.run_at, kMonday);
  ASSERT_EQ(read.entries.size(), 1u);
  const StateEntry& e = read.entries[0];
  EXPECT_EQ(e.kind, "certificate");
  EXPECT_EQ(e.inventory, "/etc/letsencrypt/live/example.com/cert.pem");
  EXPECT_EQ(e.input, "odd\xEF\xBF\xBD\x01name\"\\");
  EXPECT_EQ(e.certificate_sha256, "ab12");
  EXPECT_EQ(e.status, "revoked");
  EXPECT_EQ(e.name, "www.example.com");
  EXPECT_EQ(e.serial, "03e226");
  EXPECT_EQ(e.issuer, "C=US, O=Let's Encrypt, CN=R10");
  EXPECT_EQ(e.record_sha256, "cd34");
  EXPECT_EQ(e.first_seen, kMonday);
  // The same finding the next hour is not new, odd bytes and all.
  const Comparison again = CompareWithState({f}, &read, kTuesday);
  EXPECT_THAT(again.is_new, ElementsAre(false));
}

TEST(StateTest, LineNumbersDumpPathTimesAndReasonsDoNotMakeAFindingNew) {
  const State before =
      StateAfter({DomainFinding("www.example.com", "*.example.com", "03e2", 3)}, kMonday);
  match::Finding moved = DomainFinding("www.example.com", "*.example.com", "03e2", 3000);
  moved.inventory_line = 40;
  moved.dump_path = "affected-2026-12-02.txt";
  moved.issued_at = "2026-11-30T10:00:00Z";
  moved.reason = "another wording";
  const Comparison c = CompareWithState({moved}, &before, kTuesday);
  EXPECT_THAT(c.is_new, ElementsAre(false));
  EXPECT_EQ(c.unchanged, 1u);
  EXPECT_EQ(c.resolved, 0u);
  ASSERT_EQ(c.next.entries.size(), 1u);
  EXPECT_EQ(c.next.entries[0].first_seen, kMonday);  // carried over
  EXPECT_EQ(c.next.run_at, kTuesday);
}

TEST(StateTest, AChangedStatusCertificateOrRecordIsNew) {
  const State before = StateAfter({CertificateFinding(match::FindingStatus::kListed, "ab12"),
                                   DomainFinding("www.example.com", "www.example.com", "03e2", 3)},
                                  kMonday);
  const std::vector<match::Finding> now = {
      CertificateFinding(match::FindingStatus::kRevoked, "ab12"),      // listed -> revoked
      CertificateFinding(match::FindingStatus::kListed, "ef56"),       // renewed, still listed
      DomainFinding("www.example.com", "www.example.com", "0f00", 3),  // another record
      DomainFinding("www.example.com", "www.example.com", "03e2", 9),  // the same one, moved
  };
  const Comparison c = CompareWithState(now, &before, kTuesday);
  EXPECT_THAT(c.is_new, ElementsAre(true, true, true, false));
  EXPECT_EQ(c.new_findings, 3u);
  EXPECT_EQ(c.unchanged, 1u);
  EXPECT_EQ(c.resolved, 1u);  // the listed certificate ab12
}

TEST(StateTest, TheSameFindingThroughTwoDumpsIsOneEntry) {
  match::Finding second = DomainFinding("a.example", "a.example", "01", 7);
  second.dump_path = "mirror.txt";
  const Comparison c = CompareWithState({DomainFinding("a.example", "a.example", "01", 3), second},
                                        nullptr, kMonday);
  EXPECT_THAT(c.is_new, ElementsAre(true, true));
  EXPECT_EQ(c.next.entries.size(), 1u);
}

TEST(StateTest, TheFileDoesNotDependOnTheOrderOfTheFindings) {
  const match::Finding a = DomainFinding("a.example", "a.example", "01", 3);
  const match::Finding b = CertificateFinding(match::FindingStatus::kAffected, "ab12");
  EXPECT_EQ(RenderState(CompareWithState({a, b}, nullptr, kMonday).next),
            RenderState(CompareWithState({b, a}, nullptr, kMonday).next));
}

TEST(StateTest, KeysOfDifferentFieldsNeverCollide) {
  StateEntry x, y;
  x.input = "a:b";
  y.input = "a";
  y.certificate_sha256 = "b";
  EXPECT_NE(EntryKey(x), EntryKey(y));
  x = StateEntry();
  y = StateEntry();
  x.name = "1:x;";
  y.serial = "x";
  EXPECT_NE(EntryKey(x), EntryKey(y));
}

TEST(StateTest, AnEmptyStateIsValid) {
  absl::StatusOr<State> read = ParseState(
      "{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\",\"findings\":[]}", "s.json");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->run_at, kMonday);
  EXPECT_TRUE(read->entries.empty());
  EXPECT_EQ(RenderState(*read),
            "{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\",\"findings\":[]}\n");
}

TEST(StateTest, MembersOfLaterVersionsOfTheFormatAreIgnored) {
  const absl::StatusOr<State> read = ParseState(
      "{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\",\"host\":\"a\","
      "\"findings\":[{\"kind\":\"serial\",\"inventory\":\"s.txt\",\"input\":\"03:e2\","
      "\"certificate_sha256\":null,\"status\":\"affected\",\"name\":null,\"serial\":\"03e2\","
      "\"issuer\":null,\"record_sha256\":null,\"first_seen\":\"2026-11-30T08:00:00Z\","
      "\"note\":\"x\"}]}",
      "s.json");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->entries.size(), 1u);
  EXPECT_EQ(read->entries[0].input, "03:e2");
  EXPECT_EQ(read->entries[0].name, "");
}

// A valid state file of two findings, to break in every way below.
std::string ValidText() {
  return RenderState(CompareWithState({DomainFinding("a.example", "a.example", "01", 3),
                                       CertificateFinding(match::FindingStatus::kAffected, "ab")},
                                      nullptr, kMonday)
                         .next);
}

TEST(StateTest, EveryTruncationIsRefused) {
  const std::string text = ValidText();
  ASSERT_TRUE(ParseState(text, "state.json").ok());
  // The document ends at its last '}'; everything shorter is cut short.
  const size_t end = text.rfind('}');
  for (size_t n = 0; n < end; ++n) {
    const absl::StatusOr<State> read = ParseState(text.substr(0, n), "state.json");
    ASSERT_FALSE(read.ok()) << "cut at " << n << " of " << text.size();
    EXPECT_THAT(std::string(read.status().message()),
                StartsWith("state.json: not a usable serialmatch state file: "));
  }
}

struct CorruptCase {
  const char* what;
  std::string text;
  const char* reason;  // in the message
};

TEST(StateTest, CorruptFilesAreRefusedWithTheReason) {
  const std::string valid = ValidText();
  auto replaced = [&](absl::string_view from, absl::string_view to) {
    const std::string out = absl::StrReplaceAll(valid, {{from, to}});
    EXPECT_NE(out, valid) << from;
    return out;
  };
  const std::vector<CorruptCase> cases = {
      {"empty", "", "the file is empty"},
      {"not JSON", "serial 03e2 names: [a.example]\n", "invalid JSON"},
      {"garbage after the document", valid + "x", "invalid JSON"},
      {"an array", "[]", "not a JSON object"},
      {"no version", replaced("\"serialmatch_state\":1", "\"state\":1"),
       "no 'serialmatch_state' version member"},
      {"a later version", replaced("\"serialmatch_state\":1", "\"serialmatch_state\":2"),
       "state format version 2; this serialmatch reads version 1"},
      {"version as a string", replaced("\"serialmatch_state\":1", "\"serialmatch_state\":\"1\""),
       "version is not an integer"},
      {"version as a fraction", replaced("\"serialmatch_state\":1", "\"serialmatch_state\":1.5"),
       "version is not an integer"},
      {"no run time", replaced("\"run_at\"", "\"ran_at\""), "member 'run_at' is missing"},
      {"unreadable run time",
       replaced("2026-12-01T08:00:00Z\",\"findings", "yesterday\",\"findings"),
       "member 'run_at' is not an RFC 3339 time, got 'yesterday'"},
      {"no findings", replaced("\"findings\"", "\"found\""), "member 'findings' is missing"},
      {"findings not an array",
       "{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\","
       "\"findings\":{}}",
       "member 'findings' is missing or not an array"},
      {"a finding not an object",
       "{\"serialmatch_state\":1,\"run_at\":\"2026-12-01T08:00:00Z\","
       "\"findings\":[\"a.example\"]}",
       "findings[0]: not an object"},
      {"a member missing", replaced("\"input\":\"a.example\",", ""), "member 'input' is missing"},
      {"a member of the wrong type", replaced("\"serial\":\"01\"", "\"serial\":1"),
       "member 'serial' is not a string or null"},
      {"an unknown status", replaced("\"status\":\"affected\"", "\"status\":\"\\u001b[31mfixed\""),
       "unknown status '\\x1b[31mfixed'"},
      {"an unknown kind", replaced("\"kind\":\"domain\"", "\"kind\":\"host\""),
       "unknown kind 'host'"},
      {"an unreadable first_seen",
       replaced("\"first_seen\":\"2026-12-01T08:00:00Z\"}\n]", "\"first_seen\":null}\n]"),
       "findings[1]: member 'first_seen' is missing or not a string"},
  };
  for (const CorruptCase& c : cases) {
    const absl::StatusOr<State> read = ParseState(c.text, "/var/lib/serialmatch/state.json");
    ASSERT_FALSE(read.ok()) << c.what;
    const std::string message(read.status().message());
    EXPECT_THAT(message, StartsWith("/var/lib/serialmatch/state.json: not a usable serialmatch "
                                    "state file: "))
        << c.what;
    EXPECT_THAT(message, HasSubstr(c.reason)) << c.what;
  }
}

TEST(StateTest, ReadStateFileTellsAFirstRunFromAFileThatCannotBeRead) {
  const ScratchDir dir("state_test");
  const std::string path = dir.path() + "/state.json";
  absl::StatusOr<std::optional<State>> read = ReadStateFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_FALSE(read->has_value());  // none yet: every finding new

  ASSERT_TRUE(WriteFileAtomically(path, ValidText()).ok());
  read = ReadStateFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->entries.size(), 2u);

  ASSERT_TRUE(WriteFileAtomically(path, "{\"serialmatch_state\":1,").ok());
  read = ReadStateFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), StartsWith(path + ": not a usable"));

  read = ReadStateFile(dir.path());  // a directory
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("is a directory"));

  read = ReadStateFile("/dev/zero");  // would never end
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("not a regular file"));

  read = ReadStateFile(dir.path() + "/missing/state.json");
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("does not exist"));
}

}  // namespace
}  // namespace serialmatch::cli
