#!/usr/bin/env python3
"""Peer for scripts/bench_peers.sh: the join serialmatch does, written as a plain Python set join.

Reads a Let's Encrypt 2020-format dump ("serial <serial> <account> <hash> names: [<n1> <n2> ...]
...") and one inventory, and prints one line per finding, "<dump line>\t<key>", where the key is
the inventory value as written (domains) or the dump's serial (serials):

  set_join.py --dump DUMP --domains DOMAINS.csv   # exact names, and "*.P" covering "<label>.P"
  set_join.py --dump DUMP --serials SERIALS.txt   # serials in any of the generator's notations

It does what a careful script would: lowercases the inventory, drops a trailing dot, canonicalises
serials (case, ':' and ' ' separators, "0x", leading 00 byte, odd length). It skips what
serialmatch also does and a short script would not: IDN, subtree entries, CSV quoting.
"""
import argparse
import sys

HEADERS = {b"domain", b"domains", b"name", b"serial", b"serialnumber", b"serials"}


def inventory_values(path):
    with open(path, "rb") as f:
        for i, row in enumerate(f):
            value = row.split(b",", 1)[0].strip()
            if not value or value.startswith(b"#") or (i == 0 and value.lower() in HEADERS):
                continue
            yield value


def canonical_serial(text):
    s = text.lower().replace(b":", b"").replace(b" ", b"")
    if s.startswith(b"0x"):
        s = s[2:]
    if len(s) % 2:
        s = b"0" + s
    while len(s) > 2 and s.startswith(b"00"):
        s = s[2:]
    return s


def join_serials(dump, serials, out):
    wanted = {canonical_serial(v) for v in inventory_values(serials)}
    with open(dump, "rb") as f:
        for number, line in enumerate(f, 1):
            serial = line[7:line.find(b" ", 7)]
            if serial in wanted:
                out.write(b"%d\t%s\n" % (number, serial))


def join_domains(dump, domains, out):
    exact = {}     # normalised name -> value as written (the first one)
    children = {}  # parent P -> values of the entries "<label>.P" that "*.P" covers
    for value in inventory_values(domains):
        name = value.lower().rstrip(b".")
        if name in exact:
            continue
        exact[name] = value
        dot = name.find(b".")
        if dot > 0 and not name.startswith(b"*."):
            children.setdefault(name[dot + 1:], []).append(value)
    with open(dump, "rb") as f:
        for number, line in enumerate(f, 1):
            start = line.find(b"names: [") + 8
            names = line[start:line.find(b"]", start)].split()
            hits = None
            for name in names:
                value = exact.get(name)
                if value is not None:
                    hits = hits or set()
                    hits.add(value)
                if name.startswith(b"*."):
                    covered = children.get(name[2:])
                    if covered:
                        hits = hits or set()
                        hits.update(covered)
            if hits:
                for value in sorted(hits):
                    out.write(b"%d\t%s\n" % (number, value))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--domains")
    group.add_argument("--serials")
    args = parser.parse_args()
    out = sys.stdout.buffer
    if args.serials:
        join_serials(args.dump, args.serials, out)
    else:
        join_domains(args.dump, args.domains, out)
    out.flush()


if __name__ == "__main__":
    main()
