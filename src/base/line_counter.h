// LineCounter: the 1-based line of positions in a text, for messages about a document parsed as a
// whole (a JSON dump, a Secrets export), counting newlines only between the positions asked for.
//
//   LineCounter lines(text);
//   uint64_t line = lines.LineOf(element_start);  // positions must not go backwards
#ifndef SERIALMATCH_SRC_BASE_LINE_COUNTER_H_
#define SERIALMATCH_SRC_BASE_LINE_COUNTER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace serialmatch {

class LineCounter {
 public:
  // `text` must outlive the counter.
  explicit LineCounter(absl::string_view text) : text_(text) {}

  // The line of `at`, a position in the text (clamped to it; null is line 1). A position before
  // one asked for earlier gives that earlier position's line.
  uint64_t LineOf(const char* at) {
    if (at == nullptr) return 1;
    const size_t offset =
        std::min(static_cast<size_t>(std::max<ptrdiff_t>(at - text_.data(), 0)), text_.size());
    if (offset > counted_) {
      line_ +=
          static_cast<uint64_t>(std::count(text_.begin() + static_cast<ptrdiff_t>(counted_),
                                           text_.begin() + static_cast<ptrdiff_t>(offset), '\n'));
      counted_ = offset;
    }
    return line_;
  }

 private:
  absl::string_view text_;
  size_t counted_ = 0;
  uint64_t line_ = 1;
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_LINE_COUNTER_H_
