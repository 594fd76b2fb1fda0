#!/usr/bin/env bash
# serialmatch against its peers on identical inputs, in one run, on two data shapes: the 2020 list's
# (scripts/gen_fake_dump.py: 1-8 names a line and some 50-100, ~460 bytes) and a short one
# (--shape short: 3-4 names, ~285 bytes a line). Two tables, each printed as markdown:
#
# peers: a Python set join, a gawk hash join (bench/peers/), `grep -F -f` and `rg -F -f`, for the
# two jobs of issue 6 (dump × 217k domains, dump × 250k serials), with `wc -l` on the same dump as
# the floor: hyperfine median, ratio against serialmatch in the same run, peak RSS
# (/usr/bin/time), and whether the peer's findings equal serialmatch's (false positives and misses
# counted).
#
# paired: serialmatch against one reference at a time, in pairs run A B A B ... (so that a change
# in the machine's load hits both alike), reported as the median of the pair-by-pair ratios A/B:
# dump × 250k serials and dump × 217k domains against `wc -l`; the .gz (igzip -c) × 217k domains
# against `igzip -dc >/dev/null`; dump × 217k domains against DuckDB (read_csv + regexp_extract +
# unnest + JOIN, all cores, through @duckdb/node-api, installed with npm into
# /tmp/serialmatch-bench-duckdb, outside the repository), whose match count must equal serialmatch's
# exact findings (the run stops if not: DuckDB's join is exact, serialmatch also reports wildcard
# hits); the dump through standard input against the same file by name, and through a pipe
# (`cat dump |`) against `cat dump | wc -l`; and loading a domain
# inventory of 217k and of 2M names (against a one-line dump) against `wc -l` of the inventory.
#
#   scripts/bench_peers.sh [--runs N] [--slow-runs N] [--cap SECONDS] [--data DIR] [--jobs "domains serials"]
#                          [--tables "peers paired"] [--shapes "le2020 short"] [--pairs N] [--lines N]
#
# --jobs crl adds a third job: a 1M-entry DER CRL (scripts/gen_fake_crl.py, into
# /tmp/serialmatch-bench-crl) × 250k serials, against `openssl crl -inform DER -noout` reading the
# same CRL (the floor a CRL-aware tool has to parse; target: serialmatch under 1/3 of it).
#
# --runs: hyperfine runs of serialmatch, wc, python and gawk (default 5); --slow-runs: of grep and
# rg (default 1); --cap: each peer run is stopped after this many seconds (`timeout`, default 60)
# and reported as "> cap". Each command first runs once under /usr/bin/time: that run gives the
# peak RSS and the findings compared, and warms the cache. --pairs: A B pairs of each paired row
# (default 7), after one unmeasured pair. --lines: dumps of N lines instead of 3.05M (a quick check
# that the script runs end to end; the inventories keep their size), in DIR-N and DIR-short-N.
#
# grep and rg match lines, not names: they get the inventory's names (or canonical serials) as
# fixed strings, so a substring (`ample.com` in `example.com`, a name in the "missing CAA ... for"
# part) is a hit and a wildcard ("*.P" covering "x.P") is not. Their findings are compared as sets
# of dump line numbers; false positives are the lines serialmatch does not report.
#
# The data is generated once (seeded) by scripts/gen_fake_dump.py into DIR (default
# /tmp/serialmatch-bench) and DIR-short, the 2M-name inventory into DIR-inventory-2m, outside the
# repository, and reused when present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=5
slow_runs=1
cap=60
data=/tmp/serialmatch-bench
jobs="domains serials"
tables="peers paired"
shapes="le2020 short"
pairs=7
lines=""
usage="usage: $0 [--runs N] [--slow-runs N] [--cap SECONDS] [--data DIR] [--jobs \"domains serials\"] [--tables \"peers paired\"] [--shapes \"le2020 short\"] [--pairs N] [--lines N]"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --slow-runs) slow_runs="$2"; shift 2 ;;
    --cap) cap="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --tables) tables="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for t in $tables; do
  case "$t" in peers|paired) ;; *) echo "unknown table $t; $usage" >&2; exit 2 ;; esac
done
for shape in $shapes; do
  case "$shape" in le2020|short) ;; *) echo "unknown shape $shape; $usage" >&2; exit 2 ;; esac
done
case "$pairs" in ''|*[!0-9]*|0) echo "--pairs needs a number of 1 or more" >&2; exit 2 ;; esac
case "$lines" in ''|[1-9]*) ;; *) echo "--lines needs a number of lines" >&2; exit 2 ;; esac
case "$lines" in *[!0-9]*) echo "--lines needs a number of lines" >&2; exit 2 ;; esac

ensure_packages "${SERIALMATCH_BUILD_PACKAGES[@]}" python3 gawk ripgrep grep hyperfine time coreutils \
  python3-cryptography openssl isal
build_project serialmatch >/dev/null
bin="$SERIALMATCH_BUILD/serialmatch"
peers="$SERIALMATCH_ROOT/bench/peers"
# The interpreter itself, not a wrapper such as a pyenv shim (whose start-up would be timed too).
python="$(python3 -c 'import sys; print(sys.executable)')"
case " $tables " in
  *" paired "*)
    command -v node >/dev/null && command -v npm >/dev/null ||
      { echo "error: the paired table's DuckDB row needs node and npm (node 20)" >&2; exit 2; } ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
rows="$work/rows.tsv"
paired_rows="$work/paired.tsv"
: >"$rows"
: >"$paired_rows"

# shape_data SHAPE: the data directory of a shape (generated there when missing).
shape_data() {
  local dir="$data"
  [ "$1" = le2020 ] || dir="$dir-$1"
  [ -z "$lines" ] || dir="$dir-$lines"
  if [ ! -s "$dir/dump-le2020.txt" ] || [ ! -s "$dir/domains-217k.csv" ] ||
     [ ! -s "$dir/serials-250k.txt" ]; then
    echo "Generating benchmark data ($1) in $dir ..." >&2
    python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --out "$dir" --shape "$1" \
      ${lines:+--lines "$lines"} --quiet
  fi
  echo "$dir"
}

# measure JOB NAME KIND RUNS COMMAND: one run under /usr/bin/time (peak RSS, findings, time cap),
# then hyperfine. COMMAND writes its findings to $out. KIND is "self", "pairs", "lines" or "none".
measure() {
  local job="$1" name="$2" kind="$3" n="$4" cmd="$5"
  local out="$work/${job//[^a-zA-Z0-9]/_}-${name//[^a-zA-Z0-9]/_}.out"
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
      check=$(python3 "$peers/compare_findings.py" --job "${job%% *}" \
                --serialmatch "$work/${job//[^a-zA-Z0-9]/_}-serialmatch.out" --peer "$out" --kind "$kind") ;;
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

# paired SHAPE ROW A_COMMAND B_COMMAND: one unmeasured pair (it warms the cache and must succeed:
# status 0 or 1), then $pairs pairs A B; appends the medians of A, of B and of the pair-by-pair
# ratios A/B to $paired_rows. The commands are this script's own, run with bash -c.
paired() {
  local shape="$1" row="$2" a="$3" b="$4"
  echo "== paired ($shape): $row" >&2
  python3 - "$pairs" "$shape" "$row" "$a" "$b" <<'PY' >>"$paired_rows"
import statistics, subprocess, sys, time
pairs, shape, row, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

def timed(cmd):
    start = time.perf_counter()
    status = subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL).returncode
    if status > 1:
        sys.exit(f"error: '{cmd}' failed with status {status}")
    return time.perf_counter() - start

timed(a), timed(b)
ta, tb = [], []
for _ in range(pairs):
    ta.append(timed(a))
    tb.append(timed(b))
ratios = sorted(x / y for x, y in zip(ta, tb))
print(f"{shape}\t{row}\t{pairs}\t{statistics.median(ta):.3f}\t{statistics.median(tb):.3f}\t"
      f"{statistics.median(ratios):.2f}\t{ratios[0]:.2f}–{ratios[-1]:.2f}")
PY
}

# DuckDB through its Node API, in a scratch directory outside the repository: the query a data
# engineer would write for the domain join (read_csv, regexp_extract of the names, unnest, JOIN
# on the inventory), on all cores (DuckDB's default). Prints the number of (line, name) matches.
duckdb_dir=/tmp/serialmatch-bench-duckdb
duckdb_version=1.5.6-r.1
ensure_duckdb() {
  if [ ! -f "$duckdb_dir/node_modules/@duckdb/node-api/package.json" ]; then
    echo "Installing @duckdb/node-api@$duckdb_version from npm into $duckdb_dir ..." >&2
    mkdir -p "$duckdb_dir"
    npm install --prefix "$duckdb_dir" --no-audit --no-fund --silent \
      "@duckdb/node-api@$duckdb_version" >&2
  fi
  cat >"$duckdb_dir/domain_join.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const [dump, domains] = process.argv.slice(2);
const literal = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const reader = await con.runAndReadAll(`
WITH inventory AS (
  SELECT lower(domain) AS name
  FROM read_csv(${literal(domains)}, header = true, columns = {'domain': 'VARCHAR'})
), dump AS (
  SELECT line
  FROM read_csv(${literal(dump)}, header = false, columns = {'line': 'VARCHAR'}, delim = '\\t',
                quote = '', escape = '', auto_detect = false)
), names AS (
  SELECT unnest(string_split(regexp_extract(line, 'names: \\[([^\\]]*)\\]', 1), ' ')) AS name
  FROM dump
)
SELECT count(*) AS matches FROM names JOIN inventory USING (name)`);
console.log(String(reader.getRows()[0][0]));
JS
}

common="--format jsonl --quiet --output \$out"
described=""
for shape in $shapes; do
  dir="$(shape_data "$shape")"
  dump="$dir/dump-le2020.txt"
  domains="$dir/domains-217k.csv"
  serials="$dir/serials-250k.txt"
  described+="Dump ($shape): $dump, $(wc -l <"$dump") lines, $(( $(stat -c %s "$dump") / 1000000 )) MB; "
  described+="$(( $(wc -l <"$domains") - 1 )) domain rows, $(wc -l <"$serials") serial rows"$'\n'
  cat "$dump" >/dev/null  # warm the page cache

  case " $tables " in
    *" peers "*)
      # Fixed-string patterns for grep and rg: the domain names without the header, the serials
      # in the dump's (canonical) notation, so that grep is not penalised for the inventory's
      # mixed notations.
      tail -n +2 "$domains" | tr -d '\r' >"$work/domain-patterns.txt"
      python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from set_join import canonical_serial, inventory_values
with open(sys.argv[3], "wb") as out:
    for v in inventory_values(sys.argv[2]):
        out.write(canonical_serial(v) + b"\n")
' "$peers" "$serials" "$work/serial-patterns.txt"
      for job in $jobs; do
        case "$job" in
          domains) inv="$domains"; pat="$work/domain-patterns.txt" ;;
          serials) inv="$serials"; pat="$work/serial-patterns.txt" ;;
          crl)
            [ "$shape" = "${shapes%% *}" ] || continue  # a CRL has no line shape: once
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
        j="$job ($shape)"
        measure "$j" serialmatch self "$runs" "$bin --dump $dump --$job $inv $common"
        measure "$j" "serialmatch --threads 1" none "$runs" "$bin --dump $dump --$job $inv $common --threads 1"
        measure "$j" "wc -l" none "$runs" "wc -l $dump >\$out"
        measure "$j" "python3 set join" pairs "$runs" \
          "$python $peers/set_join.py --dump $dump --$job $inv >\$out"
        measure "$j" "gawk hash join" pairs "$runs" \
          "gawk -v mode=$job -f $peers/hash_join.awk $inv $dump >\$out"
        measure "$j" "grep -F -f" lines "$slow_runs" "grep -n -F -f $pat $dump >\$out"
        measure "$j" "rg -F -f" lines "$slow_runs" "rg -n --no-heading -F -f $pat $dump >\$out"
      done ;;
  esac

  case " $tables " in
    *" paired "*)
      gz="$dir/dump-le2020.txt.gz"
      [ -s "$gz" ] || igzip -c "$dump" >"$gz"
      cat "$gz" >/dev/null
      ensure_duckdb
      # The same matches: DuckDB's (line, name) pairs are serialmatch's exact findings.
      "$bin" --dump "$dump" --domains "$domains" --format jsonl --quiet --output "$work/domains.jsonl" ||
        [ $? -eq 1 ]
      exact=$(grep -c '"match":"exact"' "$work/domains.jsonl" || true)
      duck=$(node "$duckdb_dir/domain_join.mjs" "$dump" "$domains")
      if [ "$duck" != "$exact" ]; then
        echo "error: DuckDB found $duck (line, name) matches, serialmatch $exact exact findings" \
          "($shape): the two joins disagree; no timing" >&2
        exit 2
      fi
      echo "== DuckDB ($shape): $duck matches, as serialmatch's exact findings" >&2
      sm="$bin --format jsonl --quiet"
      paired "$shape" "dump × 250k serials vs wc -l" \
        "$sm --dump $dump --serials $serials" "wc -l $dump"
      paired "$shape" "dump × 217k domains vs wc -l" \
        "$sm --dump $dump --domains $domains" "wc -l $dump"
      paired "$shape" ".gz × 217k domains vs igzip -dc" \
        "$sm --dump $gz --domains $domains" "igzip -dc $gz >/dev/null"
      paired "$shape" "dump × 217k domains vs DuckDB ($duck matches)" \
        "$sm --dump $dump --domains $domains" "node $duckdb_dir/domain_join.mjs $dump $domains"
      paired "$shape" "dump × 217k domains, stdin vs file" \
        "$sm --dump - --domains $domains <$dump" "$sm --dump $dump --domains $domains"
      # A pipe cannot be read by range: one thread reads it while the others parse. The peer is
      # the same pipe into `wc -l`, so that cat's own cost is on both sides.
      paired "$shape" "dump × 217k domains through a pipe from cat, vs cat into wc -l" \
        "cat $dump | $sm --dump - --domains $domains" "cat $dump | wc -l" ;;
  esac
done

case " $tables " in
  *" paired "*)
    # Loading an inventory: against a one-line dump, so that the time is the inventory's.
    big="$data-inventory-2m"
    if [ ! -s "$big/domains-217k.csv" ]; then
      echo "Generating a 2M-name domain inventory in $big ..." >&2
      python3 "$SERIALMATCH_ROOT/scripts/gen_fake_dump.py" --out "$big" --lines 100000 \
        --domains 2000000 --serials 0 --quiet
    fi
    dir="$(shape_data "${shapes%% *}")"
    head -n 1 "$dir/dump-le2020.txt" >"$work/one-line.txt"
    sm="$bin --format jsonl --quiet --dump $work/one-line.txt"
    paired "-" "load 217k domains vs wc -l" \
      "$sm --domains $dir/domains-217k.csv" "wc -l $dir/domains-217k.csv"
    paired "-" "load 2M domains vs wc -l" \
      "$sm --domains $big/domains-217k.csv" "wc -l $big/domains-217k.csv" ;;
esac

printf '%s' "$described"
case " $jobs " in
  *" crl "*) [ ! -s /tmp/serialmatch-bench-crl/crl.der ] ||
    echo "CRL: /tmp/serialmatch-bench-crl/crl.der, $(( $(stat -c %s /tmp/serialmatch-bench-crl/crl.der) / 1000000 )) MB" ;;
esac
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

case " $tables " in
  *" peers "*)
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
    echo ;;
esac

case " $tables " in
  *" paired "*)
    echo "Paired runs: $pairs pairs A B A B ... after one unmeasured pair; ratio = A / B, the median of the pair-by-pair ratios (and their range)"
    echo
    echo "| shape | A (serialmatch) vs B | pairs | A median s | B median s | median A/B | A/B range |"
    echo "|---|---|---|---|---|---|---|"
    while IFS=$'\t' read -r shape row n ma mb ratio range; do
      echo "| $shape | $row | $n | $ma | $mb | $ratio | $range |"
    done <"$paired_rows" ;;
esac
