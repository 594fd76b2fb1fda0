// DumpParser: turns one line of a CA's incident dump into a DumpRecord. One implementation per
// format the CAs publish; FormatByName / DetectFormat pick one.
//
//   std::unique_ptr<DumpParser> parser = MakeParser(DumpFormat::kLe2020);
//   DumpRecord record;
//   std::string reason;
//   switch (parser->Parse(line, &record, &reason)) { ... }
//
// Parse() is const and keeps no state, so one parser serves several worker threads, each with its
// own DumpRecord.
#ifndef SERIALMATCH_SRC_DUMP_PARSER_H_
#define SERIALMATCH_SRC_DUMP_PARSER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/dump/record.h"

namespace serialmatch::dump {

enum class LineKind {
  kRecord,     // `record` holds a certificate
  kSkip,       // blank line, comment or header: no certificate, not a problem
  kMalformed,  // not a valid line of this format; `reason` says why
};

enum class DumpFormat {
  kLe2020,  // Let's Encrypt 2020 CAA-rechecking list: "serial <hex> <acct> <hash> names: [...] ..."
  kSerials,  // one serial per line, any notation CanonicalizeSerial accepts
};

class DumpParser {
 public:
  virtual ~DumpParser() = default;

  // Parses `line` (no line terminator) into `*record`, which it clears first. On kMalformed, sets
  // `*reason` to a message naming what was wrong and quoting the offending text.
  virtual LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const = 0;
};

std::unique_ptr<DumpParser> MakeParser(DumpFormat format);

// The format's name as users write it with --dump-format ("le2020", "serials").
absl::string_view FormatName(DumpFormat format);

// The format named `name`; fails with a message listing the known names.
[[nodiscard]] absl::StatusOr<DumpFormat> FormatByName(absl::string_view name);

// Recognises the format from the start of a dump (a few KB are enough): the first non-empty lines
// decide. Fails when no format fits, with a message that lists the formats and suggests
// --dump-format.
[[nodiscard]] absl::StatusOr<DumpFormat> DetectFormat(absl::string_view head);

// "le2020, serials": every format name, for messages.
std::string KnownFormatNames();

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_PARSER_H_
