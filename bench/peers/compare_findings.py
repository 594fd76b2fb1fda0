#!/usr/bin/env python3
"""Compares a peer's findings with serialmatch's, for scripts/bench_peers.sh.

  compare_findings.py --job domains|serials --serialmatch REPORT.jsonl --peer OUT --kind pairs|lines

serialmatch's findings are (dump line, key) pairs: key is the inventory value as written for a
domain finding, the dump's serial for a serial finding. A "pairs" peer prints "<line>\t<key>"; a
"lines" peer (grep -n, rg -n) prints whole matching dump lines "<line>:<text>", compared as sets of
line numbers. Prints one space-separated row: equal (yes/no), peer findings, false positives (the
peer's, not serialmatch's), misses (serialmatch's, not the peer's).
"""
import argparse
import json


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", choices=["domains", "serials"], required=True)
    parser.add_argument("--serialmatch", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--kind", choices=["pairs", "lines"], required=True)
    args = parser.parse_args()

    want = set()
    with open(args.serialmatch, encoding="utf-8") as f:
        for row in f:
            finding = json.loads(row)
            key = finding["input"] if args.job == "domains" else finding["serial"]
            want.add((finding["dump_line"], key))
    got = set()
    with open(args.peer, "rb") as f:
        for row in f:
            if args.kind == "pairs":
                line, key = row.rstrip(b"\n").split(b"\t", 1)
                got.add((int(line), key.decode()))
            else:
                got.add(int(row[:row.index(b":")]))
    if args.kind == "lines":
        want = {line for line, _ in want}
    false_positives = len(got - want)
    misses = len(want - got)
    equal = "yes" if not false_positives and not misses else "no"
    print(equal, len(got), false_positives, misses)


if __name__ == "__main__":
    main()
