// StringArena: owns copies of many small strings in a few large blocks, so that a table of a few
// hundred thousand strings costs a handful of allocations instead of one each. Views returned by
// Store() stay valid for the arena's lifetime, also after the arena is moved.
//
//   StringArena arena;
//   absl::string_view kept = arena.Store(scratch);  // scratch may now change
#ifndef SERIALMATCH_SRC_BASE_STRING_ARENA_H_
#define SERIALMATCH_SRC_BASE_STRING_ARENA_H_

#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"

namespace serialmatch {

class StringArena {
 public:
  static constexpr size_t kBlockSize = 64 << 10;

  // Copies `text` into the arena and returns a view of the copy.
  absl::string_view Store(absl::string_view text) {
    if (text.empty()) return {};
    if (text.size() > kBlockSize / 4) {  // large strings get a block of their own
      blocks_.push_back(std::make_unique<char[]>(text.size()));
      std::memcpy(blocks_.back().get(), text.data(), text.size());
      return {blocks_.back().get(), text.size()};
    }
    if (current_ == nullptr || left_ < text.size()) {
      blocks_.push_back(std::make_unique<char[]>(kBlockSize));
      current_ = blocks_.back().get();
      left_ = kBlockSize;
    }
    char* out = current_;
    std::memcpy(out, text.data(), text.size());
    current_ += text.size();
    left_ -= text.size();
    return {out, text.size()};
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* current_ = nullptr;
  size_t left_ = 0;
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_STRING_ARENA_H_
