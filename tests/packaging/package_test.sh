#!/usr/bin/env bash
# package_test.sh BUILD_DIR SOURCE_DIR BIN: builds the Debian package of BUILD_DIR with cpack into
# a scratch directory, checks its control fields (Depends derived by dpkg-shlibdeps) and contents,
# unpacks it with dpkg-deb -x and runs the unpacked binary: --version, and the demo job of
# scripts/demo on the examples the package ships, which must print what BIN prints on the
# source's examples.
source "$(dirname "$0")/test_lib.sh"
build="$1" source_dir="$2" bin="$3"
for tool in cpack dpkg-deb dpkg-shlibdeps dpkg; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (Debian packages cmake, dpkg-dev)"
done
cpack --config "$build/CPackConfig.cmake" -B "$SCRATCH/out" >"$SCRATCH/cpack.log" 2>&1 ||
  fail "cpack: $(cat "$SCRATCH/cpack.log")"

version="$("$bin" --version | sed -n -E '1s/^serialmatch ([^ ]+) .*/\1/p')"
arch="$(dpkg --print-architecture)"
deb="$SCRATCH/out/serialmatch_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $(basename "$deb"); cpack wrote: $(ls "$SCRATCH/out")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = serialmatch ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends="$(field Depends)"
# dpkg-shlibdeps names the packages of the libraries the binary links, with versions.
depends_names="$(tr ',' '\n' <<<"$depends" | sed -E 's/^ *//; s/ .*//')"
for package in libc6 'libstdc\+\+6' libssl3 libcurl4 libidn2-0 libzstd1 libc-ares2 libisal2 \
               'libyaml-cpp[0-9.]+' 'libre2-[0-9]+' 'libabsl[0-9]+' 'libsimdjson[0-9]+' liblzma5 \
               'libbz2-1\.0'; do
  grep -q -x -E "$package" <<<"$depends_names" || fail "Depends lacks $package: $depends"
done
grep -q -E 'libssl3 \(>= 3' <<<"$depends" || fail "Depends names libssl3 without a version: $depends"

dpkg-deb -c "$deb" >"$SCRATCH/contents"
for file in ./usr/bin/serialmatch ./usr/share/man/man1/serialmatch.1.gz \
            ./usr/share/bash-completion/completions/serialmatch \
            ./usr/share/zsh/vendor-completions/_serialmatch ./usr/share/doc/serialmatch/README.md \
            ./usr/share/doc/serialmatch/examples/affected-le2020.txt; do
  grep -q -E " $file\$" "$SCRATCH/contents" || fail "the package lacks $file"
done

root="$SCRATCH/root"
dpkg-deb -x "$deb" "$root"
unpacked="$root/usr/bin/serialmatch"
"$unpacked" --version >"$SCRATCH/version" || fail "unpacked --version exits $?"
[ "$(head -1 "$SCRATCH/version")" = "$("$bin" --version | head -1)" ] ||
  fail "unpacked --version: $(head -1 "$SCRATCH/version")"

# The demo job: the `run ...` lines of scripts/demo, each a serialmatch command line of plain
# words, run from the directory holding examples/ (the source tree, the unpacked doc directory).
mapfile -t jobs < <(sed -n 's/^run //p' "$source_dir/scripts/demo")
[ ${#jobs[@]} -ge 3 ] || fail "no demo job read from scripts/demo"
n=0
for job in "${jobs[@]}"; do
  case "$job" in *[\'\"\$\\\`\;\|\&\<\>]*) fail "scripts/demo line is not plain words: $job" ;; esac
  read -r -a args <<<"$job"
  n=$((n + 1))
  want_status=0 got_status=0
  (cd "$source_dir" && "$bin" "${args[@]}") >"$SCRATCH/want.$n" 2>/dev/null || want_status=$?
  (cd "$root/usr/share/doc/serialmatch" && "$unpacked" "${args[@]}") >"$SCRATCH/got.$n" \
    2>"$SCRATCH/got.$n.err" || got_status=$?
  [ "$got_status" -le 1 ] || fail "serialmatch $job: exit $got_status: $(cat "$SCRATCH/got.$n.err")"
  [ "$got_status" = "$want_status" ] ||
    fail "serialmatch $job: exit $got_status unpacked, $want_status built"
  [ -s "$SCRATCH/got.$n" ] || fail "serialmatch $job: no report"
  cmp -s "$SCRATCH/want.$n" "$SCRATCH/got.$n" ||
    fail "serialmatch $job: the unpacked binary's report differs:
$(diff "$SCRATCH/want.$n" "$SCRATCH/got.$n" | head -20)"
done
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB; Depends: $depends;" \
     "$n demo jobs agree"
