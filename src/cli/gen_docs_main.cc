// serialmatch_gen_docs: writes the man page and the shell completions from the flag table, at build
// time (not installed).
//
//   serialmatch_gen_docs man docs/serialmatch.1.in 0.1.0 build/docs/serialmatch.1
//   serialmatch_gen_docs bash build/docs/serialmatch.bash
//   serialmatch_gen_docs zsh build/docs/_serialmatch
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/base/file_util.h"
#include "src/cli/flag_docs.h"

namespace {

int Fail(absl::string_view message) {
  (void)serialmatch::WriteAll(STDERR_FILENO, absl::StrCat("serialmatch_gen_docs: ", message, "\n"));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = serialmatch::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<std::string> content;
  std::string output;
  if (args.size() == 4 && args[0] == "man") {
    absl::StatusOr<std::string> man_template = serialmatch::ReadFileToString(args[1]);
    if (!man_template.ok()) return Fail(man_template.status().message());
    content = cli::RenderManPage(*man_template, args[2]);
    output = args[3];
  } else if (args.size() == 2 && args[0] == "bash") {
    content = cli::BashCompletion();
    output = args[1];
  } else if (args.size() == 2 && args[0] == "zsh") {
    content = cli::ZshCompletion();
    output = args[1];
  } else {
    return Fail("usage: serialmatch_gen_docs man TEMPLATE VERSION OUT | bash OUT | zsh OUT");
  }
  if (!content.ok()) return Fail(content.status().message());
  if (const absl::Status written = serialmatch::WriteFileAtomically(output, *content);
      !written.ok()) {
    return Fail(absl::StrCat(output, ": ", written.message()));
  }
  return 0;
}
