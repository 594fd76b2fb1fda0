// DumpRecord: one certificate as listed in a CA's incident dump, viewing the dump's own bytes.
#ifndef SERIALMATCH_SRC_DUMP_RECORD_H_
#define SERIALMATCH_SRC_DUMP_RECORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch::dump {

// Filled by a DumpParser for each line. The views point into the line being parsed (or into
// serial_scratch), so they are valid only until the next line is parsed; whoever keeps a record
// copies what it needs. A worker reuses one DumpRecord for all its lines, so parsing does not
// allocate once the vectors and the scratch string have grown.
//
// Names are split lazily: a format that lists them in one field hands the field over with
// SetNameList(), and only a caller that needs them (a domain join, a finding) pays for splitting.
struct DumpRecord {
  absl::string_view serial;     // canonical (see src/base/serial.h); empty if the format has none
  absl::string_view issued_at;  // the dump's own time notation; empty if not given
  absl::string_view account;    // the CA's account id; empty if not given

  std::string serial_scratch;  // backing store when the serial needed rewriting

  void Clear() {
    serial = {};
    issued_at = {};
    account = {};
    name_list_ = {};
    names_.clear();
    split_ = true;
  }

  // The names are the space-separated words of `list` (runs of spaces separate; no empty names).
  void SetNameList(absl::string_view list) {
    name_list_ = list;
    names_.clear();
    split_ = false;
  }

  // Adds one name, for formats that list names separately.
  void AddName(absl::string_view name) { names_.push_back(name); }

  // The DNS names on the certificate, exactly as the dump writes them.
  const std::vector<absl::string_view>& names() const {
    if (!split_) {
      SplitOnSpaces(name_list_, &names_);
      split_ = true;
    }
    return names_;
  }

  // Appends the space-separated words of `text` to `words`.
  static void SplitOnSpaces(absl::string_view text, std::vector<absl::string_view>* words);

 private:
  absl::string_view name_list_;
  mutable std::vector<absl::string_view> names_;
  mutable bool split_ = true;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_RECORD_H_
