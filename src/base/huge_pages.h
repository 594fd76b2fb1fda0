// Transparent huge pages for the few large tables built before the dump is read: the inventory's
// text, its entry vectors, the index hash tables and their probe filters (tens of MB for a 250k-row
// inventory). Each 4 KB page of a fresh allocation costs a page fault on first touch, and on a
// paravirtualised machine those faults (and the TLB misses that follow) were about half of loading
// a 250,000-serial inventory; backed by 2 MB pages the same tables take a few dozen faults.
// Kernels set to transparent_hugepage=madvise (Debian's default) only do this when asked.
//
//   std::vector<Entry, HugePageAllocator<Entry>> entries;  // large ones in 2 MB pages
//   std::string text; text.reserve(size); AdviseHugePages(text.data(), text.capacity());
//
// Small allocations are left to operator new. Without huge pages (another kernel, another policy)
// everything works as before, with 4 KB pages.
#ifndef SERIALMATCH_SRC_BASE_HUGE_PAGES_H_
#define SERIALMATCH_SRC_BASE_HUGE_PAGES_H_

#include <cstddef>
#include <memory>

namespace serialmatch {

inline constexpr size_t kHugePageSize = size_t{2} << 20;

// Allocations from this size on are mapped on their own, 2 MB-aligned, and advised for huge pages.
inline constexpr size_t kHugeAllocationMin = size_t{1} << 20;

// Asks the kernel to back the whole 2 MB pages inside [data, data + size) with huge pages when they
// are first touched. Best effort: errors are ignored. Call it before writing to the memory.
void AdviseHugePages(void* data, size_t size);

// `bytes` of anonymous memory in 2 MB-aligned huge-page-advised pages, zeroed (by the kernel, as
// each page is first touched); throws std::bad_alloc.
void* AllocateHugePages(size_t bytes);
void FreeHugePages(void* data, size_t bytes);

// A standard allocator that puts allocations of kHugeAllocationMin bytes or more in huge pages.
template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() noexcept = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugeAllocationMin) return static_cast<T*>(AllocateHugePages(bytes));
    return std::allocator<T>().allocate(n);
  }

  void deallocate(T* p, size_t n) noexcept {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugeAllocationMin) {
      FreeHugePages(p, bytes);
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_HUGE_PAGES_H_
