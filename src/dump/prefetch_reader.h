// PrefetchLineReader: runs another LineReader in a background thread, a few blocks ahead, so that
// reading (or decompressing) one block overlaps with parsing the previous one. Used for dumps that
// cannot be split among threads: standard input, pipes, compressed files.
//
//   std::unique_ptr<LineReader> reader = std::make_unique<PrefetchLineReader>(std::move(inner));
//   while (...) { SM_ASSIGN_OR_RETURN(absl::string_view block, reader->NextBlock()); ... }
//
// Memory: at most kDepth + 1 copies of a block. Errors of the inner reader are returned in order,
// after the blocks read before them.
#ifndef SERIALMATCH_SRC_DUMP_PREFETCH_READER_H_
#define SERIALMATCH_SRC_DUMP_PREFETCH_READER_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "src/dump/dump_source.h"

namespace serialmatch::dump {

class PrefetchLineReader : public LineReader {
 public:
  static constexpr size_t kDepth = 3;  // blocks read ahead

  explicit PrefetchLineReader(std::unique_ptr<LineReader> inner);
  ~PrefetchLineReader() override;
  PrefetchLineReader(const PrefetchLineReader&) = delete;
  PrefetchLineReader& operator=(const PrefetchLineReader&) = delete;

  absl::StatusOr<absl::string_view> NextBlock() override;

 private:
  void Produce();

  std::unique_ptr<LineReader> inner_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> ready_;      // blocks read, in order
  std::vector<std::string> free_;      // buffers to reuse
  std::string current_;                // the block handed out last
  absl::Status status_;                // the inner reader's error, after the ready blocks
  bool done_ = false;                  // the inner reader has finished (or failed)
  bool stop_ = false;                  // the consumer is gone
  std::thread producer_;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_PREFETCH_READER_H_
