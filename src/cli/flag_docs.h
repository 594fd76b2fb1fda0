// The man page's OPTIONS and the bash and zsh completions, written from the flag table (Flags()),
// so that they list the flags --help lists and the names the parser accepts. gen_docs_main.cc
// writes them into the build tree; they are installed from there.
//
//   std::string page = RenderManPage(template_text, "0.1.0");  // OPTIONS filled in
//   std::string bash = BashCompletion();                        // complete -F _serialmatch ...
#ifndef SERIALMATCH_SRC_CLI_FLAG_DOCS_H_
#define SERIALMATCH_SRC_CLI_FLAG_DOCS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch::cli {

// The line of the man page template that the OPTIONS section replaces, and the text that stands
// for the version in it.
inline constexpr absl::string_view kManOptionsMarker = ".\\\" @OPTIONS@";
inline constexpr absl::string_view kManVersionMarker = "@VERSION@";

// Text escaped for roff: backslashes and hyphens escaped, a leading '.' or '\'' made literal.
std::string RoffEscape(absl::string_view text);

// The OPTIONS section in roff (man(7) macros): one .SS per flag group, one .TP per flag.
std::string ManOptions();

// `man_template` (docs/serialmatch.1.in) with kManOptionsMarker's line replaced by ManOptions()
// and kManVersionMarker by `version`. Fails when the template has no marker line.
[[nodiscard]] absl::StatusOr<std::string> RenderManPage(absl::string_view man_template,
                                                        absl::string_view version);

// A bash completion script defining _serialmatch and registering it for serialmatch: flag names,
// the choices of choice flags (also after --flag=), files and directories for path flags.
std::string BashCompletion();

// A zsh completion function (#compdef serialmatch) with the same content, for _arguments.
std::string ZshCompletion();

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_FLAG_DOCS_H_
