// serialmatch: finds which of your certificates, serials and domains are in a certificate
// authority's mass-revocation list. See README.md and `serialmatch --help`.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/cli/flags.h"
#include "src/cli/run.h"
#include "src/cli/version.h"

int main(int argc, char** argv) {
  using serialmatch::WriteAll;
  namespace cli = serialmatch::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<cli::Options> options = cli::ParseFlags(args);
  if (!options.ok()) {
    (void)WriteAll(STDERR_FILENO, absl::StrCat("serialmatch: ", options.status().message(),
                                               "\nTry 'serialmatch --help'.\n"));
    return cli::kExitTrouble;
  }
  if (options->help) {
    (void)WriteAll(STDOUT_FILENO, cli::UsageText());
    return cli::kExitClean;
  }
  if (options->version) {
    (void)WriteAll(STDOUT_FILENO, cli::VersionText());
    return cli::kExitClean;
  }
  return cli::Run(*options);
}
