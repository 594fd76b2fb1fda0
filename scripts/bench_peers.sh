#!/usr/bin/env bash
# serialmatch against its peers on identical inputs, in one run: a Python set join, a gawk hash
# join (bench/peers/), `grep -F -f` and `rg -F -f`, for the two jobs of issue 6 (dump × 217k
# domains, dump × 250k serials), with `wc -l` on the same dump as the floor. Prints a markdown table:
# hyperfine median, ratio against serialmatch in the same run, peak RSS (/usr/bin/time), and whether
# the peer's findings equal serialmatch's (false positives and misses counted).
#
#   scripts/bench_peers.sh [--runs N] [--slow-runs N] [--cap SECONDS] [--data DIR] [--jobs "domains serials"]
#
# --jobs crl adds a third job: a 1M-entry DER CRL (scripts/gen_fake_crl.py, into
# /tmp/serialmatch-bench-crl) × 250k serials, against `openssl crl -inform DER -noout` reading the
# same CRL (the floor a CRL-aware tool has to parse; target: serialmatch under 1/3 of it).
#
# --runs: hyperfine runs of serialmatch, wc, python and gawk (default 5); --slow-runs: of grep and
# rg (default 1); --cap: each peer run is stopped after this many seconds (`timeout`, default 60)
# and reported as "> cap". Each command first runs once under /usr/bin/time: that run gives the
# peak RSS and the findings compared, and warms the cache.
#
# grep and rg match lines, not names: they get the inventory's names (or canonical serials) as
# fixed strings, so a substring (`ample.com` in `example.com`, a name in the "missing CAA ... for"
# part) is a hit and a wildcard ("*.P" covering "x.P") is not. Their findings are compared as sets
# of dump line numbers; false positives are the lines serialmatch does not report.
#
# The data is generated once (seeded) by scripts/gen_fake_dump.py into DIR (default
# /tmp/serialmatch-bench), outside the repository, and reused when present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=5
slow_runs=1
cap=60
data=/tmp/serialmatch-bench
jobs="domains serials"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --slow-runs) slow_runs="$2"; shift 2 ;;
    --cap) cap="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--slow-runs N] [--cap SECONDS] [--data DIR] [--jobs \"domains serials\"]" >&2
       exit 2 ;;
  esac
done

ensure_packages "${SERIALMATCH_BUILD_PACKAGES[@]}" python3 gawk ripgrep grep hyperfine time coreutils \
  python3-cryptography openssl
build_project serialmatch >/dev/null
bin="$SERIALMATCH_BUILD/serialmatch"
peers="$SERIALMATCH_ROOT/bench/peers"
# The interpreter itself, not a wrapper such as a pyenv shim (whose start-up would be timed too).
python="$(python3 -c 'import sys; print(sys.executable)')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dump="$data/dump-le2020.txt"
domains="$data/domains-217k.csv"
serials="$data/serials-250k.txt"
# The le2020 dump and its patterns only for the jobs that read them (a CRL-only run needs neither).
case " $jobs " in
  *" domains "*|*" serials "*)
if [ ! -s "$dump" ] || [ ! -s "$domains" ] || [ ! -s "$serials" ]; then
  echo "Generating benchmark data in $data ..." >&2
  python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --out "$data"
fi

# Fixed-string patterns for grep and rg: the domain names without the header, the serials in the
# dump's (canonical) notation, so that grep is not penalised for the inventory's mixed notations.
tail -n +2 "$domains" | tr -d '\r' >"$work/domain-patterns.txt"
python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from set_join import canonical_serial, inventory_values
with open(sys.argv[3], "wb") as out:
    for v in inventory_values(sys.argv[2]):
        out.write(canonical_serial(v) + b"\n")
' "$peers" "$serials" "$work/serial-patterns.txt"
cat "$dump" >/dev/null  # warm the page cache

    ;;
esac

export LC_ALL=C
rows="$work/rows.tsv"
: >"$rows"

# measure JOB NAME KIND RUNS COMMAND: one run under /usr/bin/time (peak RSS, findings, time cap),
# then hyperfine. COMMAND writes its findings to $out. KIND is "self", "pairs", "lines" or "none".
measure() {
  local job="$1" name="$2" kind="$3" n="$4" cmd="$5"
  local out="$work/$job-${name//[^a-zA-Z0-9]/_}.out"
  local capped="timeout $cap bash -c '${cmd//\$out/$out}'"
  echo "== $job: $name" >&2
  local status=0
  /usr/bin/time -f '%e %M' -o "$work/time" bash -c "$capped" || status=$?
  local rss_mb
  rss_mb=$(tail -n 1 "$work/time" | awk '{printf "%.0f", $2 / 1024}')
  if [ "$status" -eq 124 ]; then
    # A stopped run's peak RSS is not reported (timeout does not wait for what it kills).
    printf '%s\t%s\t>%s\t\t\t%s\t%s\n' "$job" "$name" "$cap" "—" "(stopped)" >>"$rows"
    return
  fi
  [ "$status" -le 1 ] || { echo "error: $name failed with status $status" >&2; exit 2; }
  local check="—"
  case "$kind" in
    pairs|lines)
      check=$(python3 "$peers/compare_findings.py" --job "$job" --serialmatch "$work/$job-serialmatch.out" \
                --peer "$out" --kind "$kind") ;;
    self) check="$(wc -l <"$out") findings" ;;
  esac
  hyperfine --style basic --warmup 0 --runs "$n" --ignore-failure --export-json "$work/h.json" \
    --command-name "$name" "$capped" >&2
  python3 - "$work/h.json" <<PY >>"$rows"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"$job\t$name\t{r['median']:.3f}\t{r['min']:.3f}\t{r['max']:.3f}\t$rss_mb\t$check")
PY
}

common="--format jsonl --quiet --output \$out"
for job in $jobs; do
  case "$job" in
    domains) inv="$domains"; pat="$work/domain-patterns.txt" ;;
    serials) inv="$serials"; pat="$work/serial-patterns.txt" ;;
    crl)
      crl_data=/tmp/serialmatch-bench-crl
      if [ ! -s "$crl_data/crl.der" ] || [ ! -s "$crl_data/serials-250k.txt" ]; then
        echo "Generating CRL benchmark data in $crl_data ..." >&2
        python3 "$SERIALMATCH_ROOT/scripts/gen_fake_crl.py" --out "$crl_data"
      fi
      cat "$crl_data/crl.der" >/dev/null  # warm the page cache
      measure crl serialmatch self "$runs" \
        "$bin --dump $crl_data/crl.der --serials $crl_data/serials-250k.txt --crl-issuer $crl_data/ca-cert.pem $common"
      measure crl "openssl crl -noout" none "$runs" \
        "openssl crl -inform DER -noout -in $crl_data/crl.der >\$out"
      continue ;;
    *) echo "unknown job $job" >&2; exit 2 ;;
  esac
  measure "$job" serialmatch self "$runs" "$bin --dump $dump --$job $inv $common"
  measure "$job" "serialmatch --threads 1" none "$runs" "$bin --dump $dump --$job $inv $common --threads 1"
  measure "$job" "wc -l" none "$runs" "wc -l $dump >\$out"
  measure "$job" "python3 set join" pairs "$runs" \
    "$python $peers/set_join.py --dump $dump --$job $inv >\$out"
  measure "$job" "gawk hash join" pairs "$runs" \
    "gawk -v mode=$job -f $peers/hash_join.awk $inv $dump >\$out"
  measure "$job" "grep -F -f" lines "$slow_runs" "grep -n -F -f $pat $dump >\$out"
  measure "$job" "rg -F -f" lines "$slow_runs" "rg -n --no-heading -F -f $pat $dump >\$out"
done

if [ -s "$dump" ]; then
  size_mb=$(( $(stat -c %s "$dump") / 1000000 ))
  echo "Dump: $dump, $(wc -l <"$dump") lines, $size_mb MB; $(wc -l <"$domains") domain rows," \
    "$(wc -l <"$serials") serial rows"
fi
case " $jobs " in
  *" crl "*) echo "CRL: $crl_data/crl.der, $(( $(stat -c %s "$crl_data/crl.der") / 1000000 )) MB" ;;
esac
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "hyperfine medians: $runs runs (grep, rg: $slow_runs), after one checked run; cap $cap s"
echo
echo "| job | tool | median s | min s | max s | × serialmatch | peak RSS MB | same findings (peer findings, false positives, misses) |"
echo "|---|---|---|---|---|---|---|---|"
python3 - "$rows" "$cap" <<'PY'
import sys
cap = float(sys.argv[2])
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
# A timed run that reached the cap was stopped by timeout (hyperfine ignores the failure).
rows = [[r[0], r[1], f">{sys.argv[2]}", "", "", r[5], r[6] + " (timed run stopped)"]
        if not r[2].startswith(">") and float(r[2]) >= cap else r for r in rows]
base = {r[0]: float(r[2]) for r in rows if r[1] == "serialmatch"}
for job, name, median, lo, hi, rss, check in rows:
    if median.startswith(">"):
        ratio = f"> {float(median[1:]) / base[job]:.0f}"
        median = f"> {median[1:]} (cap)"
    else:
        ratio = f"{float(median) / base[job]:.2f}"
    parts = check.split(" ")
    if len(parts) == 4:
        check = f"{parts[0]} ({parts[1]}, {parts[2]} FP, {parts[3]} missed)"
    print(f"| {job} | {name} | {median} | {lo} | {hi} | {ratio} | {rss} | {check} |")
PY
