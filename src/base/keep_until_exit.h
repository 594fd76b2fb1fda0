// KeepUntilExit: an object that lives until the process exits and is never destroyed, for the
// large structures a run builds once and uses to its end.
//
//   std::optional<CertificateInventory>& certs =
//   KeepUntilExit(std::optional<CertificateInventory>());
//
// A quarter-million certificates hold a few million strings; freeing them one by one at the end
// of the run took longer than reading a tenth of them, while the process's exit returns their
// memory to the system whole. The objects stay reachable (leak checkers do not count them as
// lost). Each call keeps one more object: for what a run builds once, not for a loop.
#ifndef SERIALMATCH_SRC_BASE_KEEP_UNTIL_EXIT_H_
#define SERIALMATCH_SRC_BASE_KEEP_UNTIL_EXIT_H_

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace serialmatch {

namespace keep_until_exit_internal {

// Every kept object, reachable from a static pointer that is never freed.
inline std::vector<std::shared_ptr<void>>& Kept(std::unique_lock<std::mutex>* lock) {
  static std::mutex* const mutex = new std::mutex;
  static auto* const kept = new std::vector<std::shared_ptr<void>>;
  *lock = std::unique_lock<std::mutex>(*mutex);
  return *kept;
}

}  // namespace keep_until_exit_internal

// Moves `value` into storage that is never destroyed and returns it; the reference stays valid
// until the process exits.
template <typename T>
T& KeepUntilExit(T value) {
  auto object = std::make_shared<T>(std::move(value));
  T& kept = *object;
  std::unique_lock<std::mutex> lock;
  keep_until_exit_internal::Kept(&lock).push_back(std::move(object));
  return kept;
}

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_KEEP_UNTIL_EXIT_H_
