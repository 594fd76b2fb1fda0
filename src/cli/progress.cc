#include "src/cli/progress.h"

#include <unistd.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "src/base/file_util.h"

namespace serialmatch::cli {
namespace {

// How often the line is redrawn.
constexpr auto kInterval = std::chrono::milliseconds(250);

// "1.4 GB", "310.2 MB", "12 B" (decimal units, as `ls -lh --si` and dd).
std::string Bytes(double n) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (n >= 1000 && unit < 4) {
    n /= 1000;
    ++unit;
  }
  return unit == 0 ? absl::StrFormat("%.0f B", n) : absl::StrFormat("%.1f %s", n, kUnits[unit]);
}

// "0:03", "1:02:03".
std::string Clock(int64_t seconds) {
  if (seconds >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

}  // namespace

std::string RenderProgress(const std::string& name, uint64_t done, uint64_t total,
                           absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string text = absl::StrCat(name, ": ", Bytes(static_cast<double>(done)));
  if (total > 0) {
    const uint64_t shown = done < total ? done : total;
    absl::StrAppend(&text, " of ", Bytes(static_cast<double>(total)), " (", shown * 100 / total,
                    "%)");
  }
  absl::StrAppend(&text, ", ", Bytes(rate), "/s");
  if (total > 0 && rate > 0) {
    const double left = done < total ? static_cast<double>(total - done) / rate : 0;
    absl::StrAppend(&text, ", ETA ", Clock(static_cast<int64_t>(left + 0.5)));
  }
  return text;
}

ProgressMeter::ProgressMeter(std::string name, uint64_t total, const std::atomic<uint64_t>* done)
    : name_(std::move(name)), total_(total), done_(done), start_(absl::Now()) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_changed_.wait_for(lock, kInterval, [this] { return stop_; })) Draw();
  });
}

ProgressMeter::~ProgressMeter() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_changed_.notify_one();
  thread_.join();
  Draw();  // the final count, so even a short run shows where it ended
  (void)WriteAll(STDERR_FILENO, "\n");
}

void ProgressMeter::Draw() {
  // \r and "erase to end of line": the new text replaces the old in place.
  (void)WriteAll(STDERR_FILENO,
                 absl::StrCat("\r",
                              RenderProgress(name_, done_->load(std::memory_order_relaxed), total_,
                                             absl::Now() - start_),
                              "\x1b[K"));
}

}  // namespace serialmatch::cli
