#!/usr/bin/env bash
# bash_completion_test.sh BIN COMPLETION: the bash completion parses, and completes flags, the
# names --dump-format and --format accept (as the parser says them), and paths.
source "$(dirname "$0")/test_lib.sh"
bin="$1" completion="$2"
bash -n "$completion" || fail "bash -n $completion"
# shellcheck disable=SC1090
source "$completion"
[ "$(complete -p serialmatch)" = "complete -F _serialmatch serialmatch" ] ||
  fail "serialmatch is not completed by _serialmatch: $(complete -p serialmatch)"

# complete WORD...: COMPREPLY for the last word, sorted, one a line.
complete_words() {
  COMP_WORDS=(serialmatch "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _serialmatch
  [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}
expect() {  # expect WHAT GOT WANT
  [ "$2" = "$3" ] || fail "$1: got
$2
want
$3"
}
sorted() { LC_ALL=C sort; }

expect "--dump-f" "$(complete_words --dump-f)" "--dump-format"
formats="$(report_format_names "$bin" | sorted)"
[ "$(wc -l <<<"$formats")" -ge 5 ] || fail "too few --format names read from the parser: $formats"
expect "--format ''" "$(complete_words --format '')" "$formats"
expect "--format js" "$(complete_words --format js)" "$(grep '^js' <<<"$formats")"
# bash splits --format=js at '=': the words are --format, =, js.
expect "--format=" "$(complete_words --format =)" "$formats"
expect "--format=js" "$(complete_words --format = js)" "$(grep '^js' <<<"$formats")"
dump_formats="$(dump_format_names "$bin" | sorted)"
[ "$(wc -l <<<"$dump_formats")" -ge 8 ] || fail "too few dump formats: $dump_formats"
expect "--dump-format ''" "$(complete_words --dump a --dump-format '')" "$dump_formats"
expect "--io ''" "$(complete_words --io '')" "$(printf 'mmap\nread')"

# Every flag of --help, and nothing else, after "--" or nothing.
flags="$(help_flags "$bin" | grep '^--' | sorted)"
expect "--" "$(complete_words --)" "$flags"
expect "-" "$(complete_words -)" "$(printf '%s\n' "$flags" "$(help_flags "$bin" | grep -v '^--')" | sorted)"

# A value to type: nothing offered. Paths: files and directories; directories only for a DIR.
expect "--timeout ''" "$(complete_words --timeout '')" ""
mkdir "$SCRATCH/work" "$SCRATCH/work/shards"
touch "$SCRATCH/work/mine list.csv" "$SCRATCH/work/affected.txt"
cd "$SCRATCH/work"
expect "--domains ''" "$(complete_words --domains '')" "$(printf 'affected.txt\nmine list.csv\nshards')"
expect "--dump af" "$(complete_words --dump af)" "affected.txt"
expect "--certs=sh" "$(complete_words --certs = sh)" "shards"
expect "--crl-cache ''" "$(complete_words --fetch-crls --crl-cache '')" "shards"
echo "bash completion: $(wc -l <<<"$flags") flags, $(wc -l <<<"$formats") report formats," \
     "$(wc -l <<<"$dump_formats") dump formats"
