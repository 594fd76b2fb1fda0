// ParallelFor: runs fn(i) for every i in [0, n) on every core, the calling thread included, and
// returns when all are done.
//
//   std::vector<Result> results(items.size());
//   ParallelFor(items.size(), [&](size_t i) { results[i] = Parse(items[i]); });
//   // then merge `results` in order: output does not depend on which thread did what
//
// Indices are handed out one at a time from a shared counter, so uneven items (a 300 MB Secrets
// export among 2 KB certificates) balance themselves. fn must be safe to call from several threads
// at once for different indices.
#ifndef SERIALMATCH_SRC_BASE_PARALLEL_H_
#define SERIALMATCH_SRC_BASE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace serialmatch {

template <typename Fn>
void ParallelFor(size_t n, Fn&& fn) {
  const size_t workers = std::min<size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_PARALLEL_H_
