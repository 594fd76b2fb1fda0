#!/usr/bin/env bash
# man_page_test.sh BIN MAN_PAGE: the man page renders without a single groff warning, and names
# every flag of `BIN --help`, every dump format the parser accepts, every status and exit status.
source "$(dirname "$0")/test_lib.sh"
bin="$1" man="$2"
command -v groff >/dev/null || skip "groff is not installed (Debian package groff-base)"
[ -s "$man" ] || fail "$man: missing or empty"

# -ww: every warning; -z: no output. groff exits 0 on warnings, so its standard error decides.
groff -man -ww -z "$man" 2>"$SCRATCH/warnings" || fail "groff failed: $(cat "$SCRATCH/warnings")"
[ ! -s "$SCRATCH/warnings" ] || fail "groff warnings on $man:
$(cat "$SCRATCH/warnings")"

# The page as a reader sees it, without overstriking.
groff -man -Tascii -P-c -P-b -P-o -P-u "$man" >"$SCRATCH/page.txt" 2>"$SCRATCH/warnings"
[ ! -s "$SCRATCH/warnings" ] || fail "groff -Tascii: $(cat "$SCRATCH/warnings")"
page="$SCRATCH/page.txt"

for section in NAME SYNOPSIS DESCRIPTION OPTIONS "DUMP FORMATS" STATUSES "EXIT STATUS" FILES \
               EXAMPLES "SEE ALSO"; do
  grep -q "^$section\$" "$page" || fail "no $section section"
done

flags="$(help_flags "$bin")"
[ "$(wc -l <<<"$flags")" -ge 20 ] || fail "too few flags read from --help: $flags"
# Each flag starts an entry of OPTIONS (an indented line of its own).
while read -r flag; do
  grep -q -E "^ +$flag(, -[a-z])?( [^ ]+)?\$|^ +--[a-z-]+, $flag\$" "$page" ||
    fail "$flag is in --help but has no entry in the man page's OPTIONS"
done <<<"$flags"
# ... and OPTIONS has no entry --help does not have.
sed -n '/^OPTIONS$/,/^DUMP FORMATS$/p' "$page" | sed -n -E 's/^ {3,7}(--[a-z0-9-]+).*/\1/p' |
  while read -r flag; do
    grep -qx -- "$flag" <<<"$flags" || fail "the man page lists $flag, --help does not"
  done

# A .TP entry: its tag at the indent of the section's text, alone or before the text.
formats="$(dump_format_names "$bin")"
[ "$(wc -l <<<"$formats")" -ge 8 ] || fail "too few dump formats read from the parser: $formats"
while read -r format; do
  sed -n '/^DUMP FORMATS$/,/^STATUSES$/p' "$page" | grep -q -E "^ {7}$format( |\$)" ||
    fail "dump format $format has no entry under DUMP FORMATS"
done <<<"$formats"

for status in affected revoked listed replaced warning error mismatch; do
  sed -n '/^STATUSES$/,/^EXIT STATUS$/p' "$page" | grep -q -E "^ {7}$status( |\$)" ||
    fail "status $status has no entry under STATUSES"
done
for code in 0 1 2 "130, 143"; do
  sed -n '/^EXIT STATUS$/,/^FILES$/p' "$page" | grep -q -E "^ {7}$code( |\$)" ||
    fail "exit status $code has no entry under EXIT STATUS"
done
grep -q "The day of the incident" "$page" || fail "no example for the day of the incident"
grep -q "The scheduled job" "$page" || fail "no example for the scheduled job"

version="$("$bin" --version | sed -n -E '1s/^serialmatch ([^ ]+) .*/\1/p')"
[ -n "$version" ] || fail "no version in --version"
grep -q "serialmatch $version" "$page" || fail "the man page does not say version $version"
echo "man page: $(wc -l <"$page") lines rendered, $(wc -l <<<"$flags") flags, no warning"
