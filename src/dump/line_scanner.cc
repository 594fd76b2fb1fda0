#include "src/dump/line_scanner.h"

namespace serialmatch::dump {

std::vector<absl::string_view> SplitAtLineBoundaries(absl::string_view text, int parts) {
  std::vector<absl::string_view> out;
  if (parts < 1) parts = 1;
  size_t start = 0;
  for (int i = 1; i <= parts && start < text.size(); ++i) {
    size_t end = text.size();
    if (i < parts) {
      const size_t target = text.size() / static_cast<size_t>(parts) * static_cast<size_t>(i);
      if (target > start) {
        const size_t nl = text.find('\n', target - 1);
        end = nl == absl::string_view::npos ? text.size() : nl + 1;
      } else {
        continue;  // this piece would be empty: its bytes are the next piece's
      }
    }
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

}  // namespace serialmatch::dump
