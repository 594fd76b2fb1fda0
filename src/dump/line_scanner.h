// Line iteration over a block of text without copying: the newline scan every dump format shares.
//
//   uint64_t lines = ForEachLine(block, [&](absl::string_view line, uint64_t number) { ... });
//
// Lines are yielded without their '\n' and without a '\r' before it (CRLF files). A final line
// without a newline is yielded too. Line numbers are 1-based within the block.
#ifndef SERIALMATCH_SRC_DUMP_LINE_SCANNER_H_
#define SERIALMATCH_SRC_DUMP_LINE_SCANNER_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch::dump {

// Calls fn(line, number) for each line of `block`; returns the number of lines.
template <typename Fn>
uint64_t ForEachLine(absl::string_view block, Fn&& fn) {
  const char* p = block.data();
  const char* const end = p + block.size();
  uint64_t number = 0;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl != nullptr ? nl : end;
    size_t length = static_cast<size_t>(line_end - p);
    if (length != 0 && p[length - 1] == '\r') --length;
    fn(absl::string_view(p, length), ++number);
    p = nl != nullptr ? nl + 1 : end;
  }
  return number;
}

// Splits `text` into at most `parts` pieces that each end just after a '\n' (the last one ends
// where the text ends), so every line lies in exactly one piece. Pieces are roughly equal in size;
// a piece that would be empty is left out.
std::vector<absl::string_view> SplitAtLineBoundaries(absl::string_view text, int parts);

// `text` without a leading UTF-8 byte order mark.
inline absl::string_view StripBom(absl::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_LINE_SCANNER_H_
