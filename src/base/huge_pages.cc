#include "src/base/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace serialmatch {
namespace {

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

void AdviseHugePages(void* data, size_t size) {
#ifdef MADV_HUGEPAGE
  const uintptr_t begin = RoundUp(reinterpret_cast<uintptr_t>(data), kHugePageSize);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size) / kHugePageSize * kHugePageSize;
  if (begin < end) {
    (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)data;
  (void)size;
#endif
}

void* AllocateHugePages(size_t bytes) {
  const size_t size = RoundUp(bytes, kHugePageSize);
  // Map 2 MB more than needed and cut the mapping down to a 2 MB-aligned range.
  void* mapped = ::mmap(nullptr, size + kHugePageSize, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t raw = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned = RoundUp(raw, kHugePageSize);
  if (aligned > raw) ::munmap(mapped, aligned - raw);
  const uintptr_t tail = aligned + size;
  const uintptr_t mapped_end = raw + size + kHugePageSize;
  if (mapped_end > tail) ::munmap(reinterpret_cast<void*>(tail), mapped_end - tail);
  AdviseHugePages(reinterpret_cast<void*>(aligned), size);
  return reinterpret_cast<void*>(aligned);
}

void FreeHugePages(void* data, size_t bytes) {
  ::munmap(data, RoundUp(bytes, kHugePageSize));
}

}  // namespace serialmatch
