// DumpSource: the bytes of one dump, from a memory-mapped regular file or streamed from a pipe or
// standard input ("-"), handed out as blocks of whole lines.
//
//   SM_ASSIGN_OR_RETURN(std::unique_ptr<DumpSource> source, DumpSource::Open("affected.txt"));
//   if (std::optional<absl::string_view> all = source->Mapped()) { ...scan in parallel... }
//   else while (true) { SM_ASSIGN_OR_RETURN(absl::string_view block, source->NextBlock()); ... }
#ifndef SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_
#define SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_

#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace serialmatch::dump {

class DumpSource {
 public:
  // Block size for streamed input: large enough to amortise read() calls, small enough that memory
  // stays flat whatever the dump's size.
  static constexpr size_t kBlockSize = 8 << 20;

  virtual ~DumpSource() = default;

  // Opens `path`: a regular file is memory-mapped; "-" (standard input), a pipe or a device is
  // streamed. Fails for a missing or unreadable file and for a directory.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DumpSource>> Open(const std::string& path);

  // Streams `fd` (not owned, not closed) as a dump named `name` in messages.
  static std::unique_ptr<DumpSource> FromFd(int fd, std::string name);

  // The name used in messages: the path, or "<stdin>".
  virtual const std::string& name() const = 0;

  // The whole dump when it is memory-mapped (so it can be split among threads); nullopt when
  // streamed. The view stays valid as long as the source.
  virtual std::optional<absl::string_view> Mapped() const = 0;

  // Up to `n` bytes from the start of the dump, without consuming them (for format detection).
  [[nodiscard]] virtual absl::StatusOr<absl::string_view> Peek(size_t n) = 0;

  // The next block of whole lines, ending just after a '\n' except for the dump's last block when the
  // dump does not end in a newline; empty at the end of the dump. The view is valid until the next
  // call. A line longer than kBlockSize makes the block as long as that line.
  [[nodiscard]] virtual absl::StatusOr<absl::string_view> NextBlock() = 0;
};

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_DUMP_SOURCE_H_
