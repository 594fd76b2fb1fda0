#!/usr/bin/env bash
# install_test.sh CMAKE BUILD_DIR MAN_PAGE: `cmake --install BUILD_DIR --prefix /usr/local` into a
# DESTDIR installs the binary, the man page, the bash and zsh completions and the documentation
# with the examples -- and nothing else (no library, test, benchmark or fuzzer).
source "$(dirname "$0")/test_lib.sh"
cmake="$1" build="$2" man="$3"
root="$SCRATCH/root"
DESTDIR="$root" "$cmake" --install "$build" --prefix /usr/local >"$SCRATCH/install.log" 2>&1 ||
  fail "cmake --install: $(cat "$SCRATCH/install.log")"

prefix="$root/usr/local"
for file in bin/serialmatch share/man/man1/serialmatch.1.gz \
            share/bash-completion/completions/serialmatch share/zsh/vendor-completions/_serialmatch \
            share/doc/serialmatch/README.md share/doc/serialmatch/docs/scale-out.md \
            share/doc/serialmatch/examples/affected-le2020.txt \
            share/doc/serialmatch/examples/domains.csv share/doc/serialmatch/examples/certs; do
  [ -e "$prefix/$file" ] || fail "not installed: /usr/local/$file"
done
[ -x "$prefix/bin/serialmatch" ] || fail "/usr/local/bin/serialmatch is not executable"
gzip -dc "$prefix/share/man/man1/serialmatch.1.gz" | cmp -s - "$man" ||
  fail "the installed man page is not the one built"

# Only these top-level places, and only the one program.
expected_top="$(printf '%s\n' bin share | LC_ALL=C sort)"
[ "$(ls "$prefix" | LC_ALL=C sort)" = "$expected_top" ] ||
  fail "installed under /usr/local: $(ls "$prefix" | tr '\n' ' ')"
[ "$(ls "$prefix/bin")" = "serialmatch" ] || fail "in bin/: $(ls "$prefix/bin" | tr '\n' ' ')"
[ "$(ls "$root")" = "usr" ] || fail "installed outside /usr/local: $(ls "$root")"
[ "$(ls "$root/usr")" = "local" ] || fail "installed outside /usr/local: $(ls "$root/usr")"
stray="$(find "$root" \( -name '*_test' -o -name '*_benchmark' -o -name '*_fuzzer' -o -name '*.a' \
         -o -name '*.1.in' -o -name 'serialmatch_gen_docs' \) -print)"
[ -z "$stray" ] || fail "installed but not to be: $stray"
# The examples tree whole: every file of the source's examples/ is there.
src_examples="$(dirname "$0")/../../examples"
(cd "$src_examples" && find . -type f | LC_ALL=C sort) >"$SCRATCH/source_examples"
(cd "$prefix/share/doc/serialmatch/examples" && find . -type f | LC_ALL=C sort) \
  >"$SCRATCH/installed_examples"
cmp -s "$SCRATCH/source_examples" "$SCRATCH/installed_examples" ||
  fail "examples differ: $(diff "$SCRATCH/source_examples" "$SCRATCH/installed_examples")"

"$prefix/bin/serialmatch" --version | head -1 | grep -q '^serialmatch ' ||
  fail "the installed binary does not run --version"
echo "install: $(find "$root" -type f | wc -l) files under /usr/local"
