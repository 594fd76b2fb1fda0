#!/usr/bin/env bash
# Checks of the scheduled-job examples (examples/systemd, examples/cron, examples/prometheus), one
# per ctest test:
#   scheduled_job_test.sh rules   SOURCE_DIR          promtool check rules + promtool test rules
#   scheduled_job_test.sh systemd SOURCE_DIR BINARY   systemd-analyze verify of the units
#   scheduled_job_test.sh flags   SOURCE_DIR BINARY   the jobs' command lines parse as serialmatch's
# Exits 77 (ctest SKIP_RETURN_CODE) with a message when the tool a check needs is missing
# (scripts/common.sh installs promtool with Debian's prometheus package).
set -euo pipefail

mode="${1:?mode}"
source_dir="${2:?source dir}"
binary="${3:-}"
examples="$source_dir/examples"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/scheduled_job_test.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The words of the unit's ExecStart (continuation lines joined), without "ExecStart=". The unit's
# command holds no quotes, so splitting at blanks is systemd's splitting.
exec_start_words() {
  local line joined="" in_exec=0
  while IFS= read -r line; do
    if [ "$in_exec" = 0 ]; then
      case "$line" in ExecStart=*) in_exec=1; line="${line#ExecStart=}" ;; *) continue ;; esac
    fi
    if [ "${line%\\}" != "$line" ]; then
      joined+="${line%\\} "
    else
      joined+="$line"
      break
    fi
  done < "$1"
  printf '%s\n' "$joined"
}

# The command of the cron file's job line: the fields after the five times and the user.
cron_command() {
  local line
  while IFS= read -r line; do
    # Comments, blank lines and variable settings (NAME=value) are not jobs.
    [[ "$line" =~ ^[[:space:]]*(#|$) || "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && continue
    read -r _ _ _ _ _ _ rest <<< "$line"
    printf '%s\n' "$rest"
    return
  done < "$1"
}

case "$mode" in
  rules)
    if ! command -v promtool > /dev/null; then
      echo "SKIP: promtool not installed (Debian package prometheus; scripts/test installs it)"
      exit 77
    fi
    promtool check rules "$examples/prometheus/serialmatch.rules.yml"
    # promtool test rules reads the rule files relative to the test file.
    promtool test rules "$examples/prometheus/serialmatch.rules.test.yml"
    # Every metric the rules use is one serialmatch writes (src/cli/metrics.cc).
    metrics_source="$source_dir/src/cli/metrics.cc"
    used="$(grep -o 'serialmatch_last_run_[a-z_]*' "$examples/prometheus/serialmatch.rules.yml" |
            sort -u)"
    [ -n "$used" ] || fail "no serialmatch metric in the rules"
    for metric in $used; do
      short="${metric#serialmatch_last_run_}"
      grep -q -e "\"$metric" -e "\"$short\"" -e "serialmatch_last_run_$short{" "$metrics_source" ||
        fail "the rules use $metric, which src/cli/metrics.cc does not write"
    done
    echo "rules: checked and tested; metrics used: $(echo $used)"
    ;;
  systemd)
    [ -x "$binary" ] || fail "no binary $binary"
    if ! command -v systemd-analyze > /dev/null; then
      echo "SKIP: systemd-analyze not installed (no systemd here)"
      exit 77
    fi
    # verify wants ExecStart's binary to exist: a copy of the units runs the built one.
    sed "s|^ExecStart=/usr/local/bin/serialmatch |ExecStart=$binary |" \
      "$examples/systemd/serialmatch.service" > "$scratch/serialmatch.service"
    grep -q "^ExecStart=$binary " "$scratch/serialmatch.service" ||
      fail "serialmatch.service: no ExecStart=/usr/local/bin/serialmatch line"
    cp "$examples/systemd/serialmatch.timer" "$scratch/"
    out="$(systemd-analyze verify --man=no "$scratch/serialmatch.service" \
           "$scratch/serialmatch.timer" 2>&1)" || { echo "$out" >&2; fail "systemd-analyze verify"; }
    # verify exits 0 on some problems it only reports (unknown settings, bad values).
    if [ -n "$out" ]; then echo "$out" >&2; fail "systemd-analyze verify said something"; fi
    echo "systemd: serialmatch.service and serialmatch.timer verified"
    ;;
  flags)
    [ -x "$binary" ] || fail "no binary $binary"
    unit_words="$(exec_start_words "$examples/systemd/serialmatch.service")"
    cron_words="$(cron_command "$examples/cron/serialmatch")"
    [ -n "$unit_words" ] || fail "serialmatch.service: no ExecStart"
    [ -n "$cron_words" ] || fail "cron/serialmatch: no job line"
    for name in unit cron; do
      words_var="${name}_words"
      read -ra words <<< "${!words_var}"
      [ "${words[0]}" = /usr/local/bin/serialmatch ] || fail "$name: runs ${words[0]}"
      args=()
      for w in "${words[@]:1}"; do
        # An incident list, as /etc/default/serialmatch would name one.
        if [ "$w" = '$SERIALMATCH_DUMPS' ]; then args+=(--dump "$scratch/affected.txt"); continue; fi
        args+=("$w")
      done
      # Every flag known and every value valid (--help stops after parsing them all) ...
      "$binary" "${args[@]}" --help > /dev/null || fail "$name: serialmatch refuses its flags"
      # ... and the same flags, with the paths of this host taken to a scratch tree, make a run.
      mkdir -p "$scratch/$name/live" "$scratch/$name/lib" "$scratch/$name/textfile"
      cp "$examples/certs/"*.pem "$scratch/$name/live/"
      run=()
      skip_value=0
      for w in "${args[@]}"; do
        if [ "$skip_value" = 1 ]; then skip_value=0; continue; fi
        case "$w" in
          # No network in a test: the CRLs are not fetched.
          --fetch-crls) continue ;;
          --crl-cache | --crl-max-age) skip_value=1; continue ;;
          /etc/letsencrypt/live) w="$scratch/$name/live" ;;
          /var/lib/serialmatch/*) w="$scratch/$name/lib/${w#/var/lib/serialmatch/}" ;;
          /var/lib/prometheus/node-exporter/*) w="$scratch/$name/textfile/${w##*/}" ;;
        esac
        run+=("$w")
      done
      cp "$examples/affected-le2020.txt" "$scratch/affected.txt"
      # The report: the unit's --output file, or what cron would mail (standard output).
      report="$scratch/$name/stdout"
      for w in "${run[@]}"; do
        [ "$w" = --output ] && report="$scratch/$name/lib/new-findings.jsonl"
      done
      status=0
      "$binary" "${run[@]}" > "$scratch/$name/stdout" 2> "$scratch/$name/stderr" || status=$?
      cat "$scratch/$name/stderr" >&2
      [ "$status" = 1 ] || fail "$name: first run exited $status, want 1 (examples/certs are listed)"
      grep -q '"new":true' "$report" || fail "$name: no new findings in $report"
      grep -q '^serialmatch_last_run_exit_status 1$' "$scratch/$name/textfile/serialmatch.prom" ||
        fail "$name: metrics do not say exit status 1"
      status=0
      "$binary" "${run[@]}" > "$scratch/$name/stdout" 2> "$scratch/$name/stderr" || status=$?
      cat "$scratch/$name/stderr" >&2
      [ "$status" = 0 ] || fail "$name: second run exited $status, want 0 (nothing new)"
      [ ! -s "$report" ] || fail "$name: old findings reported as new in $report"
      grep -q '^serialmatch_last_run_new_findings{status="listed"} 0$' \
        "$scratch/$name/textfile/serialmatch.prom" || fail "$name: metrics count new findings"
      echo "$name: flags accepted; run twice: exit 1 then 0"
    done
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
