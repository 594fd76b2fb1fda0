// DumpRecord: one certificate as listed in a CA's incident dump, viewing the dump's own bytes.
#ifndef SERIALMATCH_SRC_DUMP_RECORD_H_
#define SERIALMATCH_SRC_DUMP_RECORD_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

namespace serialmatch::dump {

// Filled by a DumpParser for each line. The views point into the line being parsed (or into
// serial_scratch), so they are valid only until the next line is parsed; whoever keeps a record copies
// what it needs. A worker reuses one DumpRecord for all its lines, so parsing does not allocate once
// the vectors and the scratch string have grown.
struct DumpRecord {
  absl::string_view serial;              // canonical (see src/base/serial.h); empty if the format has none
  std::vector<absl::string_view> names;  // DNS names exactly as the dump writes them
  absl::string_view issued_at;           // the dump's own time notation; empty if not given
  absl::string_view account;             // the CA's account id; empty if not given

  std::string serial_scratch;  // backing store when the serial needed rewriting

  void Clear() {
    serial = {};
    names.clear();
    issued_at = {};
    account = {};
  }
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_RECORD_H_
