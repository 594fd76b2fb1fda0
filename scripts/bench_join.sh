#!/usr/bin/env bash
# Whole-dump timings of serialmatch on a generated dump of real size (Let's Encrypt 2020 scale,
# ~3.05M lines), with a warm page cache, against `wc -l` on the same file as the floor: medians from
# hyperfine, ratios, peak RSS from /usr/bin/time. Prints a markdown table for bench/results/.
#
#   scripts/bench_join.sh [--runs N] [--data DIR]
#   scripts/bench_join.sh --stdin-scaling "1 2 5 10" [--stdin-source cat|gen] [--data DIR]
#   scripts/bench_join.sh --compressed [--runs N] [--data DIR]
#
# --stdin-scaling: instead of the table, joins K copies of the dump through standard input for each
# K (dump × 217k domains, one run each) and prints wall time, time per GB and peak RSS, to show that
# time grows linearly and memory stays flat. The stream comes from `cat` repeated K times (the dump
# is in the page cache, so serialmatch is the bottleneck), or with --stdin-source gen from
# `gen_fake_dump.py --stdout --lines <K × 3.05M>` generated on the fly (then the Python generator,
# ~15 MB/s, is the bottleneck and only the memory is meaningful).
#
# --compressed: instead of the table, the dump compressed as CAs publish it (`igzip -c`, `zstd -q`,
# made once in DIR) joined against `igzip -dc` / `zstd -dc` of the same file to /dev/null, the
# floor for a compressed dump: medians, ratios to the decompressor, peak RSS.
#
# The data is generated once (seeded) by scripts/gen_fake_dump.py into DIR (default
# /tmp/serialmatch-bench), outside the repository.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=7
data=/tmp/serialmatch-bench
scaling=""
source_kind=cat
compressed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --stdin-scaling) scaling="$2"; shift 2 ;;
    --stdin-source) source_kind="$2"; shift 2 ;;
    --compressed) compressed=1; shift ;;
    *) echo "usage: $0 [--runs N] [--data DIR] [--stdin-scaling \"K...\" [--stdin-source cat|gen] | --compressed]" >&2
       exit 2 ;;
  esac
done

ensure_packages "${SERIALMATCH_BUILD_PACKAGES[@]}" python3 hyperfine time
[ -z "$compressed" ] || ensure_packages isal zstd
build_project serialmatch >/dev/null
bin="$SERIALMATCH_BUILD/serialmatch"

dump="$data/dump-le2020.txt"
if [ ! -s "$dump" ] || [ ! -s "$data/domains-217k.csv" ] || [ ! -s "$data/serials-250k.txt" ]; then
  echo "Generating benchmark data in $data ..." >&2
  python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --out "$data"
fi
cat "$dump" >/dev/null  # warm the page cache

if [ -n "$scaling" ]; then
  lines=$(wc -l <"$dump")
  size=$(stat -c %s "$dump")
  echo "Standard input scaling ($source_kind), dump × 217k domains, $(nproc) cores"
  echo
  echo "| copies | GB | wall s | s per GB | peak RSS MB | findings |"
  echo "|---|---|---|---|---|---|"
  tfile="$(mktemp)"
  for k in $scaling; do
    if [ "$source_kind" = gen ]; then
      producer=(python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --stdout --quiet --lines $((lines * k)))
    else
      producer=(bash -c 'for ((i = 0; i < $1; i++)); do cat "$2"; done' _ "$k" "$dump")
    fi
    /usr/bin/time -f '%e %M' -o "$tfile" "$bin" --dump - --domains "$data/domains-217k.csv" \
      --format jsonl --output "$data/report.out" --quiet < <("${producer[@]}") || [ $? -eq 1 ]
    read -r wall rss_kb < <(tail -n 1 "$tfile")
    python3 -c 'import sys; k, size, wall, rss, n = sys.argv[1:]; gb = int(k) * int(size) / 1e9
print(f"| {k} | {gb:.1f} | {float(wall):.2f} | {float(wall) / gb:.3f} | {int(rss) / 1024:.0f} | {n} |")' \
      "$k" "$size" "$wall" "$rss_kb" "$(wc -l <"$data/report.out")"
  done
  rm -f "$tfile"
  exit 0
fi

peak_rss() {  # peak RSS in MB of one run of the command
  /usr/bin/time -f '%M' bash -c "$1" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}'
}

# time_table CMDS ORDER FLOORS FLOOR_LABEL [HYPERFINE_ARG...]: times the commands of the associative
# array CMDS, in the order of the array ORDER, with hyperfine, and prints a markdown table: median,
# min, max, the ratio of the median to that of the command FLOORS[job] names, and peak RSS.
time_table() {
  local -n t_cmds=$1 t_order=$2 t_floors=$3
  local label=$4
  shift 4
  local json job args=() pairs=()
  json="$(mktemp)"
  for job in "${t_order[@]}"; do
    args+=(--command-name "$job" "${t_cmds[$job]}")
    pairs+=("$job=${t_floors[$job]}")
  done
  hyperfine "$@" --warmup 1 --runs "$runs" --ignore-failure --export-json "$json" "${args[@]}" >&2
  echo "| job | median s | min s | max s | × $label | peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  python3 - "$json" "${pairs[@]}" <<'PY' | while IFS=$'\t' read -r job median min max ratio; do
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for pair in sys.argv[2:]:
    job, floor = pair.split("=")
    r = results[job]
    print(f'{job}\t{r["median"]:.3f}\t{r["min"]:.3f}\t{r["max"]:.3f}\t'
          f'{r["median"] / results[floor]["median"]:.2f}')
PY
    echo "| $job | $median | $min | $max | $ratio | $(peak_rss "${t_cmds[$job]}") |"
  done
  rm -f "$json"
}

report="$data/report.out"
common="--format jsonl --output $report --quiet"

if [ -n "$compressed" ]; then
  gz="$data/dump-le2020.txt.gz"
  zst="$data/dump-le2020.txt.zst"
  [ -s "$gz" ] || igzip -c "$dump" >"$gz"
  [ -s "$zst" ] || zstd -q -c "$dump" >"$zst"
  cat "$gz" "$zst" >/dev/null  # warm the page cache
  declare -A ccmds=(
    [igzip]="igzip -dc $gz"
    [gz_domains]="$bin --dump $gz --domains $data/domains-217k.csv $common"
    [gz_serials]="$bin --dump $gz --serials $data/serials-250k.txt $common"
    [zstd]="zstd -dc $zst"
    [zst_domains]="$bin --dump $zst --domains $data/domains-217k.csv $common"
  )
  corder=(igzip gz_domains gz_serials zstd zst_domains)
  declare -A cfloors=([igzip]=igzip [gz_domains]=igzip [gz_serials]=igzip [zstd]=zstd
                      [zst_domains]=zstd)
  echo "Compressed dump: $gz $(( $(stat -c %s "$gz") / 1000000 )) MB," \
    "$zst $(( $(stat -c %s "$zst") / 1000000 )) MB; $(nproc) cores"
  echo
  time_table ccmds corder cfloors decompressor -N
  exit 0
fi

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

declare -A floors=()
for k in "${order[@]}"; do floors[$k]=wc; done

size_mb=$(( $(stat -c %s "$dump") / 1000000 ))
lines=$(wc -l <"$dump")
echo "Dump: $dump, $lines lines, $size_mb MB; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
# Through a shell: the standard-input job redirects and the THP job sets the environment.
time_table cmds order floors "wc -l"
