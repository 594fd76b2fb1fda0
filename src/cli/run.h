// The serialmatch command: load the inventories, join every dump against them, write the report.
#ifndef SERIALMATCH_SRC_CLI_RUN_H_
#define SERIALMATCH_SRC_CLI_RUN_H_

#include "src/cli/flags.h"

namespace serialmatch::cli {

// Exit statuses, the contract with scripts and schedulers.
inline constexpr int kExitClean = 0;     // nothing in the inventory is in the dumps
inline constexpr int kExitFindings = 1;  // at least one finding
inline constexpr int kExitTrouble = 2;   // usage error, unreadable input, or --strict and bad input

// Runs the command described by `options`; messages go to standard error, the report to standard
// output or --output. Returns the exit status.
int Run(const Options& options);

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_RUN_H_
