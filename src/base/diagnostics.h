// Diagnostics: a sink for problems in input data that do not stop a run — a malformed dump line, an
// inventory row that is not a valid name. Every problem is counted; the first few are kept verbatim
// so the user sees `path:line: reason` for them and a count for the rest. Nothing is dropped
// silently.
//
//   Diagnostics diags("affected.txt");
//   diags.Report(17, "expected 'names: [', got 'nmes: [a.example]'");
//   diags.count();  // 1
//
// A Diagnostics object is not thread-safe; parallel workers keep their own and Merge() them in
// order.
#ifndef SERIALMATCH_SRC_BASE_DIAGNOSTICS_H_
#define SERIALMATCH_SRC_BASE_DIAGNOSTICS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch {

struct DiagnosticSample {
  uint64_t line = 0;  // 1-based; 0 when the problem concerns the whole file
  std::string reason;
};

class Diagnostics {
 public:
  static constexpr size_t kDefaultSamples = 5;

  explicit Diagnostics(std::string path = "", size_t max_samples = kDefaultSamples)
      : path_(std::move(path)), max_samples_(max_samples) {}

  // Counts one problem at `line`; keeps its reason if fewer than max_samples are kept so far.
  void Report(uint64_t line, absl::string_view reason);

  // Appends `other`'s problems after this object's, adding `line_offset` to their line numbers
  // (for a chunk whose first line is line_offset + 1 of the file).
  void Merge(const Diagnostics& other, uint64_t line_offset = 0);

  const std::string& path() const { return path_; }
  uint64_t count() const { return count_; }
  const std::vector<DiagnosticSample>& samples() const { return samples_; }

  // Renders the kept samples as `path:line: reason` lines (`reason` alone for a whole-file problem
  // of a sink without a path, whose reasons name their own files), then "path: N more ..." when
  // some were not kept. Empty when there is nothing to report.
  std::string Render() const;

 private:
  std::string path_;
  size_t max_samples_;
  uint64_t count_ = 0;
  std::vector<DiagnosticSample> samples_;
};

// Quotes `text` for a diagnostic message: at most `max_len` bytes, control and non-ASCII bytes
// escaped as \xNN, "..." appended when cut. The result is always printable ASCII.
std::string QuoteForMessage(absl::string_view text, size_t max_len = 60);

// "1234567" -> "1,234,567", for counts in messages.
std::string GroupThousands(uint64_t n);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_DIAGNOSTICS_H_
