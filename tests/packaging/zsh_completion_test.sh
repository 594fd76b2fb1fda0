#!/usr/bin/env bash
# zsh_completion_test.sh BIN COMPLETION: the zsh completion parses (zsh -n) and offers every flag
# of `BIN --help` and the names --dump-format and --format accept. Skipped without zsh.
source "$(dirname "$0")/test_lib.sh"
bin="$1" completion="$2"
command -v zsh >/dev/null || skip "zsh is not installed: the zsh completion is not checked"
head -1 "$completion" | grep -qx '#compdef serialmatch' || fail "no #compdef line"
zsh -n "$completion" || fail "zsh -n $completion"
while read -r flag; do
  grep -q -E "'(\\*)?$flag(=)?\\[|[{,]$flag[,}]" "$completion" || fail "$flag is not offered"
done < <(help_flags "$bin")
grep -q -F ":($(dump_format_names "$bin" | tr '\n' ' ' | sed 's/ $//'))'" "$completion" ||
  fail "the dump formats are not offered"
grep -q -F ":($(report_format_names "$bin" | tr '\n' ' ' | sed 's/ $//'))'" "$completion" ||
  fail "the report formats are not offered"
# _arguments itself, in an interactive zsh with the completion system loaded: the function is
# defined by autoload from its directory.
mkdir "$SCRATCH/fpath"
cp "$completion" "$SCRATCH/fpath/_serialmatch"
out="$(ZDOTDIR="$SCRATCH" zsh -f -c "fpath=('$SCRATCH/fpath' \$fpath); autoload -Uz compinit;
  compinit -u -d '$SCRATCH/zcompdump'; print -r -- \${_comps[serialmatch]}" 2>&1)" ||
  fail "compinit: $out"
[ "$out" = "_serialmatch" ] || fail "compinit does not bind serialmatch to _serialmatch: $out"
echo "zsh completion: parses, every flag and format offered"
