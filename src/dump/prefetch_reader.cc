#include "src/dump/prefetch_reader.h"

#include <utility>

namespace serialmatch::dump {

PrefetchLineReader::PrefetchLineReader(std::unique_ptr<LineReader> inner)
    : inner_(std::move(inner)) {
  producer_ = std::thread(&PrefetchLineReader::Produce, this);
}

PrefetchLineReader::~PrefetchLineReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  producer_.join();
}

void PrefetchLineReader::Produce() {
  while (true) {
    std::string buffer;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return stop_ || ready_.size() < kDepth; });
      if (stop_) return;
      if (!free_.empty()) {
        buffer = std::move(free_.back());
        free_.pop_back();
      }
    }
    absl::StatusOr<absl::string_view> block = inner_->NextBlock();
    std::lock_guard<std::mutex> lock(mu_);
    if (!block.ok() || block->empty()) {
      if (!block.ok()) status_ = block.status();
      done_ = true;
      changed_.notify_all();
      return;
    }
    buffer.assign(block->data(), block->size());
    ready_.push_back(std::move(buffer));
    changed_.notify_all();
  }
}

absl::StatusOr<absl::string_view> PrefetchLineReader::NextBlock() {
  std::unique_lock<std::mutex> lock(mu_);
  // The block handed out last is done with: its buffer goes back to the producer.
  if (current_.capacity() > 0) free_.push_back(std::move(current_));
  current_.clear();
  changed_.notify_all();
  changed_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (ready_.empty()) {
    if (!status_.ok()) return status_;
    return absl::string_view();
  }
  current_ = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return absl::string_view(current_);
}

}  // namespace serialmatch::dump
