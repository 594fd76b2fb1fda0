// MappedFile: a read-only memory mapping of a whole regular file, followed by at least kPadding
// readable zero bytes, so scanners may read a little past the end of the data without a bounds
// check (the layout of simdjson's padded_memory_map). The mapping lives as long as the object;
// string_views into data() stay valid until then.
//
//   absl::StatusOr<MappedFile> file = MappedFile::Open("affected.txt");
//   if (!file.ok()) return file.status();
//   absl::string_view text = file->data();
#ifndef SERIALMATCH_SRC_BASE_MAPPED_FILE_H_
#define SERIALMATCH_SRC_BASE_MAPPED_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch {

class MappedFile {
 public:
  static constexpr size_t kPadding = 64;

  // Maps the regular file at `path`. Fails with kNotFound / kPermissionDenied (from errno),
  // kFailedPrecondition for a directory or a file that is not regular (a pipe, a device), so the
  // caller can fall back to streaming it.
  [[nodiscard]] static absl::StatusOr<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // The file's bytes; data().data()[data().size() + i] == 0 for i < kPadding.
  absl::string_view data() const { return {base_, size_}; }

 private:
  MappedFile(char* base, size_t size, size_t mapped) : base_(base), size_(size), mapped_(mapped) {}
  void Release();

  char* base_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;  // bytes reserved, including padding; 0 when base_ is not an mmap
};

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_MAPPED_FILE_H_
