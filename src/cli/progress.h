// ProgressMeter: a one-line progress display on standard error while a dump is read — bytes read,
// rate, and, when the dump's size is known (an uncompressed regular file), the share done and the
// time left. Redrawn in place a few times a second by a background thread, from a counter the join
// updates; meant only for a terminal (the caller checks isatty and --quiet).
//
//   std::atomic<uint64_t> bytes{0};
//   {
//     ProgressMeter meter("affected.txt", file_size, &bytes);
//     JoinDump(..., &bytes);
//   }  // the final count is drawn and the line ended
#ifndef SERIALMATCH_SRC_CLI_PROGRESS_H_
#define SERIALMATCH_SRC_CLI_PROGRESS_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/time.h"

namespace serialmatch::cli {

// The progress text (no line control): "affected.txt: 512.0 MB of 1.4 GB (37%), 310.2 MB/s, ETA
// 0:03" when `total` (bytes) is known, "affected.txt: 512.0 MB, 310.2 MB/s" when it is 0.
std::string RenderProgress(const std::string& name, uint64_t done, uint64_t total,
                           absl::Duration elapsed);

class ProgressMeter {
 public:
  // Starts drawing; `done` (not owned) is the count of bytes read so far and must outlive the
  // meter.
  ProgressMeter(std::string name, uint64_t total, const std::atomic<uint64_t>* done);
  // Stops drawing, draws the final count and ends the line.
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

 private:
  void Draw();

  std::string name_;
  uint64_t total_;
  const std::atomic<uint64_t>* done_;
  absl::Time start_;
  std::mutex mu_;
  std::condition_variable stop_changed_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_PROGRESS_H_
