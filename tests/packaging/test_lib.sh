# Shared by the packaging tests: a scratch directory removed on exit, and failing with a message.
# Source it; do not run it.
set -euo pipefail

# The scratch directory of this test, under $TMPDIR, removed whatever way the test ends.
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/serialmatch_$(basename "$0" .sh)_XXXXXX")"
trap 'chmod -R u+rwx "$SCRATCH" 2>/dev/null; rm -rf "$SCRATCH"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# help_flags BIN: the flags `BIN --help` lists (the names starting its entries), one a line.
help_flags() {
  "$1" --help | sed -n -E 's/^  (--[a-z0-9-]+)(, (-[a-z]))?.*/\1 \3/p' | tr ' ' '\n' | sed '/^$/d'
}

# dump_format_names BIN / report_format_names BIN: the names the parser accepts, from its messages
# for a name it does not know (a usage error: its exit status is not looked at).
dump_format_names() {
  { "$1" --dump x --domains y --dump-format no-such-format 2>&1 >/dev/null || true; } |
    sed -n -E 's/.*known formats: //p' | tr -d ',' | tr ' ' '\n' | sed '/^$/d'
}
report_format_names() {
  { "$1" --dump x --domains y --format no-such-format 2>&1 >/dev/null || true; } |
    sed -n -E 's/.*; use //p' | sed 's/ or /, /' | tr -d ',' | tr ' ' '\n' | sed '/^$/d'
}
