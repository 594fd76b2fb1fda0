// Helpers shared by the libFuzzer targets in tests/fuzz/: invariant checks that stop the process
// with a message naming the invariant and quoting the input, and the invariants every DumpRecord
// must satisfy whichever parser produced it.
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     const absl::string_view text = fuzz::AsText(data, size);
//     SM_FUZZ_CHECK(Parse(text).size() <= text.size(), text);
//     return 0;
//   }
//
// Everything here is inline: each fuzzer is one translation unit, and fuzz_replay_test links all of
// them into one binary.
#ifndef SERIALMATCH_TESTS_FUZZ_FUZZ_UTIL_H_
#define SERIALMATCH_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "src/base/hash.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/dump/parser.h"
#include "src/dump/record.h"

// Aborts with a message when `condition` is false; `input` (a string_view) is quoted in the message
// so that a failure in fuzz_replay_test can be read without a debugger.
#define SM_FUZZ_CHECK(condition, input)                                                 \
  do {                                                                                  \
    if (!(condition)) ::serialmatch::fuzz::Fail(__FILE__, __LINE__, #condition, input); \
  } while (false)

namespace serialmatch::fuzz {

inline absl::string_view AsText(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// `text` with bytes outside printable ASCII written as \xNN, cut after `max_len` bytes.
inline std::string Escape(absl::string_view text, size_t max_len = 400) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_len; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    }
  }
  if (text.size() > max_len) absl::StrAppendFormat(&out, "... (%d bytes)", text.size());
  return out;
}

[[noreturn]] inline void Fail(const char* file, int line, const char* condition,
                              absl::string_view input) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s\n  input: '%s'\n", file, line, condition,
               Escape(input).c_str());
  std::fflush(stderr);
  std::abort();
}

// True when every byte of `text` is printable ASCII (or '\n' when `allow_newline`): what messages
// built with QuoteForMessage promise, so a hostile dump cannot put escape sequences on a terminal.
inline bool IsPrintable(absl::string_view text, bool allow_newline = false) {
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n' && allow_newline) continue;
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// True when `inner` lies inside the memory of `outer` (empty views are inside anything).
inline bool Within(absl::string_view inner, absl::string_view outer) {
  if (inner.empty()) return true;
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

// The separators DumpRecord::SetNameList splits at.
inline bool IsNameSeparator(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r';
}

// "YYYY-MM-DDThh:mm:ss[.fraction]Z", the shape FormatRfc3339 promises (years of more than four
// digits and negative years are let through: absl::Time has room for them).
inline bool LooksLikeRfc3339Utc(absl::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  const size_t year_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i - year_start < 4) return false;
  static constexpr absl::string_view kRest = "-00-00T00:00:00";
  if (text.size() - i < kRest.size()) return false;
  for (char shape : kRest) {
    const char c = text[i++];
    if (shape == '0' ? (c < '0' || c > '9') : c != shape) return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    const size_t fraction_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == fraction_start || text[i - 1] == '0') return false;  // no trailing zeros
  }
  return i + 1 == text.size() && text[i] == 'Z';
}

// The invariants of every record a parser returns as kRecord for `line` (or, for a whole-document
// parser, for some element of `line`): a canonical serial or none, non-empty names, and something
// to match (a serial, a name or the certificate's fingerprint).
inline void CheckRecord(const dump::DumpRecord& record, absl::string_view line) {
  SM_FUZZ_CHECK(record.serial.empty() || IsCanonicalSerial(record.serial), line);
  SM_FUZZ_CHECK(!record.serial.empty() || !record.names().empty() || !record.cert_sha256.empty(),
                line);
  for (absl::string_view name : record.names()) SM_FUZZ_CHECK(!name.empty(), line);
}

// A record fills only fields its parser says its records can carry (DumpParser::fields()).
inline void CheckFields(const dump::DumpRecord& record, const dump::RecordFields& fields,
                        absl::string_view line) {
  SM_FUZZ_CHECK(fields.serial || record.serial.empty(), line);
  SM_FUZZ_CHECK(fields.names || record.names().empty(), line);
  SM_FUZZ_CHECK(fields.issued_at || record.issued_at.empty(), line);
  SM_FUZZ_CHECK(fields.issuer || record.issuer.empty(), line);
  SM_FUZZ_CHECK(fields.sha256 || record.cert_sha256.empty(), line);
  SM_FUZZ_CHECK(fields.revocation || record.revoked_at.empty(), line);
}

// For formats that list the names in one field (SetNameList): no name contains a separator.
inline void CheckSplitNames(const dump::DumpRecord& record, absl::string_view line) {
  for (absl::string_view name : record.names()) {
    for (char c : name) SM_FUZZ_CHECK(!IsNameSeparator(c), line);
  }
}

// The serial-only read of `line` (DumpParser::ParseSerial) agrees with its whole parse, which gave
// `kind` and, for a record, `serial`: a record has the same serial; a line the serial-only read
// does not take for a record is what the whole parse said it is; one it takes for a record the
// whole parse refused still has a canonical serial.
inline void CheckParseSerial(const dump::DumpParser& parser, absl::string_view line,
                             dump::LineKind kind, absl::string_view serial) {
  dump::DumpRecord alone;
  std::string reason;
  const dump::LineKind got = parser.ParseSerial(line, &alone, &reason);
  if (kind == dump::LineKind::kRecord) {
    SM_FUZZ_CHECK(got == dump::LineKind::kRecord && alone.serial == serial, line);
  } else if (got != dump::LineKind::kRecord) {
    SM_FUZZ_CHECK(got == kind, line);
  } else {
    SM_FUZZ_CHECK(IsCanonicalSerial(alone.serial), line);
  }
}

// The one-pass split of a name list (DumpRecord::PlainNames) gives names()'s words, and calls a
// word normal (hashed, not among the others) only where NormalizeName returns it unchanged. Call it
// before anything reads record.names(), which splits the list its own way.
inline void CheckPlainNames(const dump::DumpRecord& record, absl::string_view line) {
  std::vector<absl::string_view> words;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> others;
  record.PlainNames(&words, &hashes, &others);
  SM_FUZZ_CHECK(words == record.names() && hashes.size() == words.size(), line);
  std::vector<bool> other(words.size(), false);
  for (const uint32_t i : others) {
    SM_FUZZ_CHECK(i < words.size(), line);
    other[i] = true;
  }
  std::string scratch;
  for (size_t i = 0; i < words.size(); ++i) {
    if (other[i]) continue;
    const absl::StatusOr<absl::string_view> normal = NormalizeName(words[i], &scratch);
    SM_FUZZ_CHECK(normal.ok() && normal->data() == words[i].data(), line);
    SM_FUZZ_CHECK(hashes[i] == HashBytes(words[i]), line);
  }
}

// What a parser says about a malformed line is a non-empty, printable message.
inline void CheckReason(absl::string_view reason, absl::string_view line) {
  SM_FUZZ_CHECK(!reason.empty(), line);
  SM_FUZZ_CHECK(IsPrintable(reason), line);
}

}  // namespace serialmatch::fuzz

#endif  // SERIALMATCH_TESTS_FUZZ_FUZZ_UTIL_H_
