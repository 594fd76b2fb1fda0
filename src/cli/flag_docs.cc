#include "src/cli/flag_docs.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "src/cli/flags.h"

namespace serialmatch::cli {
namespace {

constexpr FlagGroup kGroups[] = {FlagGroup::kInput, FlagGroup::kRevocation, FlagGroup::kOutput,
                                 FlagGroup::kBehaviour};

// Every name a flag answers to: its long name, then its short one.
std::vector<absl::string_view> NamesOf(const FlagSpec& flag) {
  std::vector<absl::string_view> names = {flag.name};
  if (!flag.short_name.empty()) names.push_back(flag.short_name);
  return names;
}

// The zsh description of a flag: its help up to the first clause break, at most 70 bytes cut at a
// word, with the characters _arguments gives a meaning to inside [...] escaped.
std::string ZshDescription(const FlagSpec& flag) {
  std::string text = FlagHelp(flag);
  for (const char* stop : {"; ", ": ", " ("}) {
    if (const size_t at = text.find(stop); at != std::string::npos && at > 0) text.resize(at);
  }
  constexpr size_t kMax = 70;
  if (text.size() > kMax) {
    const size_t space = text.rfind(' ', kMax);
    text.resize(space == std::string::npos ? kMax : space);
    text += "...";
  }
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\' || c == ':') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// `text` inside single quotes for a shell: every ' closed, escaped and reopened.
std::string SingleQuoted(absl::string_view text) {
  return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "'\\''"}}), "'");
}

}  // namespace

std::string RoffEscape(absl::string_view text) {
  std::string out;
  if (!text.empty() && (text[0] == '.' || text[0] == '\'')) out = "\\&";
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ManOptions() {
  std::string out = ".SH OPTIONS\n";
  for (FlagGroup group : kGroups) {
    absl::StrAppend(&out, ".SS ", FlagGroupName(group), "\n");
    for (const FlagSpec& flag : Flags()) {
      if (flag.group != group) continue;  // listed under its own group
      std::vector<std::string> names;
      for (absl::string_view name : NamesOf(flag)) {
        names.push_back(absl::StrCat("\\fB", RoffEscape(name), "\\fR"));
      }
      absl::StrAppend(&out, ".TP\n", absl::StrJoin(names, ", "));
      if (flag.takes_value()) absl::StrAppend(&out, " \\fI", RoffEscape(flag.arg), "\\fR");
      absl::StrAppend(&out, "\n", RoffEscape(FlagHelp(flag)));
      out += "\n";
    }
  }
  return out;
}

absl::StatusOr<std::string> RenderManPage(absl::string_view man_template,
                                          absl::string_view version) {
  std::string out;
  bool replaced = false;
  for (absl::string_view line : absl::StrSplit(man_template, '\n')) {
    if (line == kManOptionsMarker) {
      out += ManOptions();
      replaced = true;
      continue;
    }
    absl::StrAppend(&out, absl::StrReplaceAll(line, {{kManVersionMarker, version}}), "\n");
  }
  if (!replaced) {
    return absl::InvalidArgumentError(
        absl::StrCat("the man page template has no line '", kManOptionsMarker, "'"));
  }
  // StrSplit gives an empty last piece after the template's final newline.
  if (absl::EndsWith(out, "\n\n")) out.pop_back();
  return out;
}

std::string BashCompletion() {
  std::vector<std::string> all_names, path_flags, directory_flags, text_flags;
  std::string choice_cases;
  for (const FlagSpec& flag : Flags()) {
    for (absl::string_view name : NamesOf(flag)) all_names.emplace_back(name);
    switch (flag.kind) {
      case FlagArg::kNone:
        break;
      case FlagArg::kFile:
      case FlagArg::kPath:
        path_flags.emplace_back(flag.name);
        break;
      case FlagArg::kDirectory:
        directory_flags.emplace_back(flag.name);
        break;
      case FlagArg::kChoice:
        absl::StrAppend(
            &choice_cases, "    ", flag.name, ")\n      mapfile -t COMPREPLY < <(compgen -W ",
            SingleQuoted(absl::StrJoin(flag.choices(), " ")), " -- \"$cur\")\n      return 0 ;;\n");
        break;
      case FlagArg::kText:
        text_flags.emplace_back(flag.name);
        break;
    }
  }
  std::string out = R"(# bash completion for serialmatch(1), generated from its flag table.

# _serialmatch_paths -f|-d: completes files and directories (-f) or directories only (-d).
_serialmatch_paths() {
  if declare -F _filedir >/dev/null; then
    if [ "$1" = -d ]; then _filedir -d; else _filedir; fi
    return 0
  fi
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen "$1" -- "$cur")
}

_serialmatch() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev=""
  [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD-1]}"
  # bash splits --flag=value at '=': complete the value of the flag before it.
  if [ "$cur" = "=" ]; then
    cur=""
  elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
    prev="${COMP_WORDS[COMP_CWORD-2]}"
  fi
  COMPREPLY=()
  case "$prev" in
)";
  absl::StrAppend(&out, "    ", absl::StrJoin(path_flags, "|"),
                  ")\n      _serialmatch_paths -f\n      return 0 ;;\n");
  absl::StrAppend(&out, "    ", absl::StrJoin(directory_flags, "|"),
                  ")\n      _serialmatch_paths -d\n      return 0 ;;\n");
  out += choice_cases;
  absl::StrAppend(&out, "    ", absl::StrJoin(text_flags, "|"),
                  ")\n      return 0 ;;  # a value to type: nothing to offer\n");
  absl::StrAppend(&out, "  esac\n  mapfile -t COMPREPLY < <(compgen -W ",
                  SingleQuoted(absl::StrJoin(all_names, " ")), " -- \"$cur\")\n}\n\n",
                  "complete -F _serialmatch serialmatch\n");
  return out;
}

std::string ZshCompletion() {
  std::string out =
      "#compdef serialmatch\n"
      "# zsh completion for serialmatch(1), generated from its flag table.\n\n"
      "_arguments -s \\\n";
  std::vector<std::string> specs;
  for (const FlagSpec& flag : Flags()) {
    const std::string description = ZshDescription(flag);
    std::string action;
    switch (flag.kind) {
      case FlagArg::kNone:
        break;
      case FlagArg::kFile:
      case FlagArg::kPath:
        action = "_files";
        break;
      case FlagArg::kDirectory:
        action = "_files -/";
        break;
      case FlagArg::kChoice:
        action = absl::StrCat("(", absl::StrJoin(flag.choices(), " "), ")");
        break;
      case FlagArg::kText:
        action = " ";  // a value to type: the message alone
        break;
    }
    // "--flag=" takes its value after '=' or as the next word; '*' lets it be given again.
    const std::string value_part =
        flag.takes_value() ? absl::StrCat("=[", description, "]:", flag.arg, ":", action)
                           : absl::StrCat("[", description, "]");
    if (flag.short_name.empty()) {
      specs.push_back(
          SingleQuoted(absl::StrCat(flag.repeatable ? "*" : "", flag.name, value_part)));
    } else {
      // Either name, but not both.
      specs.push_back(
          absl::StrCat(SingleQuoted(absl::StrCat("(", flag.name, " ", flag.short_name, ")")), "{",
                       flag.name, ",", flag.short_name, "}", SingleQuoted(value_part)));
    }
  }
  absl::StrAppend(&out, "  ", absl::StrJoin(specs, " \\\n  "), "\n");
  return out;
}

}  // namespace serialmatch::cli
