// Parser for any other line format a CA invents, described on the command line with an RE2 pattern
// whose named groups say what each part is:
//
//   --dump-pattern '^(?P<serial>[0-9A-Fa-f:]+)\t(?P<names>[^\t]*)\t(?P<not_after>\S+)$'
//
// Groups: serial (any notation CanonicalizeSerial accepts), names (several names separated by
// spaces, commas or semicolons), issued_at, not_after, account, issuer. At least serial or names is
// required; other group names are an error. The pattern may match anywhere in the line (anchor it
// with ^ and $ to match whole lines). Blank lines are skipped, and so are '#' comments the pattern
// does not match (a line it matches is a record, whatever its first byte); other lines that do not
// match are malformed.
#ifndef SERIALMATCH_SRC_DUMP_REGEX_PARSER_H_
#define SERIALMATCH_SRC_DUMP_REGEX_PARSER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "src/dump/parser.h"

namespace serialmatch::dump {

class RegexParser : public DumpParser {
 public:
  // Fails for a pattern RE2 rejects, an unknown group name, or neither serial nor names.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RegexParser>> Create(
      absl::string_view pattern);

  LineKind Parse(absl::string_view line, DumpRecord* record, std::string* reason) const override;

  // The named groups of the pattern: serial, names, issued_at, issuer.
  RecordFields fields() const override {
    return {.serial = serial_ != 0,
            .names = names_ != 0,
            .issued_at = issued_at_ != 0,
            .issuer = issuer_ != 0};
  }

 private:
  explicit RegexParser(absl::string_view pattern);

  // Parse() without the comment rule.
  LineKind ParseMatch(absl::string_view line, DumpRecord* record, std::string* reason) const;

  static constexpr int kMaxGroups = 32;

  re2::RE2 re_;
  int groups_ = 0;  // capturing groups in the pattern
  // Group numbers (1-based), 0 when the pattern lacks the group.
  int serial_ = 0;
  int names_ = 0;
  int issued_at_ = 0;
  int not_after_ = 0;
  int account_ = 0;
  int issuer_ = 0;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_REGEX_PARSER_H_
