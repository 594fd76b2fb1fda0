#!/usr/bin/env bash
# Whole-dump timings of serialmatch on a generated dump of real size (Let's Encrypt 2020 scale,
# ~3.05M lines), with a warm page cache, against `wc -l` on the same file as the floor: medians from
# hyperfine, ratios, peak RSS from /usr/bin/time. Prints a markdown table for bench/results/.
#
#   scripts/bench_join.sh [--runs N] [--data DIR]
#
# The data is generated once (seeded) by scripts/gen_fake_dump.py into DIR (default
# /tmp/serialmatch-bench), outside the repository.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=7
data=/tmp/serialmatch-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--data DIR]" >&2; exit 2 ;;
  esac
done

ensure_packages "${SERIALMATCH_BUILD_PACKAGES[@]}" python3 hyperfine time
build_project serialmatch >/dev/null
bin="$SERIALMATCH_BUILD/serialmatch"

dump="$data/dump-le2020.txt"
if [ ! -s "$dump" ] || [ ! -s "$data/domains-217k.csv" ] || [ ! -s "$data/serials-250k.txt" ]; then
  echo "Generating benchmark data in $data ..." >&2
  python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --out "$data"
fi
cat "$dump" >/dev/null  # warm the page cache

report="$data/report.out"
common="--format jsonl --output $report --quiet"
declare -A cmds=(
  [wc]="wc -l $dump"
  [serials_t2]="$bin --dump $dump --serials $data/serials-250k.txt $common"
  [serials_t1]="$bin --dump $dump --serials $data/serials-250k.txt $common --threads 1"
  [domains_t2]="$bin --dump $dump --domains $data/domains-217k.csv $common"
  [domains_t1]="$bin --dump $dump --domains $data/domains-217k.csv $common --threads 1"
  [domains_mmap]="$bin --dump $dump --domains $data/domains-217k.csv $common --io mmap"
  [domains_stdin]="$bin --dump - --domains $data/domains-217k.csv $common < $dump"
  [serials_thp]="GLIBC_TUNABLES=glibc.malloc.hugetlb=1 $bin --dump $dump --serials $data/serials-250k.txt $common"
)
order=(wc serials_t2 serials_t1 serials_thp domains_t2 domains_t1 domains_mmap domains_stdin)

json="$(mktemp)"
trap 'rm -f "$json"' EXIT
args=()
for k in "${order[@]}"; do args+=(--command-name "$k" "${cmds[$k]}"); done
hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$json" "${args[@]}" >&2

peak_rss() {  # peak RSS in MB of one run of the command
  /usr/bin/time -f '%M' bash -c "$1" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}'
}

size_mb=$(( $(stat -c %s "$dump") / 1000000 ))
lines=$(wc -l <"$dump")
echo "Dump: $dump, $lines lines, $size_mb MB; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| job | median s | min s | max s | × wc -l | peak RSS MB |"
echo "|---|---|---|---|---|---|"
python3 - "$json" <<'PY' | while IFS=$'\t' read -r name median min max ratio; do
import json, sys
results = json.load(open(sys.argv[1]))["results"]
wc = next(r for r in results if r["command"] == "wc")["median"]
for r in results:
    print(f'{r["command"]}\t{r["median"]:.3f}\t{r["min"]:.3f}\t{r["max"]:.3f}\t{r["median"] / wc:.2f}')
PY
  echo "| $name | $median | $min | $max | $ratio | $(peak_rss "${cmds[$name]}") |"
done
