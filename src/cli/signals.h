// What serialmatch does on signals: stop at once on SIGINT/SIGTERM, say what happened on a SIGBUS
// from a memory-mapped dump that shrank, and let an oversized write fail instead of killing the
// process (SIGXFSZ). A report is written only at the end, to a temporary file renamed into place,
// so stopping at once loses nothing but the run:
//
//   InstallSignalHandlers({.mmap_dumps = options.io == dump::IoMode::kMmap});
//   ... run ...
#ifndef SERIALMATCH_SRC_CLI_SIGNALS_H_
#define SERIALMATCH_SRC_CLI_SIGNALS_H_

namespace serialmatch::cli {

struct SignalOptions {
  // Dumps are memory-mapped (--io mmap): a SIGBUS means a dump file was truncated while mapped.
  bool mmap_dumps = false;
};

// Installs the handlers, process-wide:
// - SIGINT, SIGTERM: remove the temporary report file being written (if any) and _exit with
//   128 + the signal number (130, 143), as a shell reports a process killed by it.
// - SIGBUS, with `mmap_dumps`: print one line saying a mapped dump shrank during the run, remove
//   the temporary report file, _exit(2). Without `mmap_dumps` SIGBUS keeps its default (a crash):
//   the pread() path cannot raise it for a shrinking file, so it would be a bug.
// - SIGXFSZ: ignored, so a write over RLIMIT_FSIZE fails with EFBIG and is reported like a full
//   disk instead of killing the process with the temporary file left behind.
void InstallSignalHandlers(const SignalOptions& options);

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_SIGNALS_H_
