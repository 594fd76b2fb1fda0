#!/usr/bin/env python3
"""Rewrites a domain inventory into a second, messier shape with the same names, seeded.

gen_fake_dump.py writes one lowercase name a line under a "domain" header. Real inventories also
hold wildcards ("*.example.com"), subtree entries (".example.com"), names in upper case or with the
root dot, duplicates, CRLF line ends, a second column and the odd invalid value. This script takes
an inventory and writes the same names with those variations, so that loading can be measured and
compared on an input where the fast path for already-normal names is not taken every time:

  python3 scripts/mix_domain_inventory.py --in /tmp/names-217k/domains-217k.csv \
      --out /tmp/names-217k/domains-mixed.csv --seed 7
"""

import argparse
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="src", required=True, help="inventory to rewrite")
    parser.add_argument("--out", required=True, help="inventory to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with open(args.src, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    if names and names[0].lower() == "domain":
        names = names[1:]

    rows = []
    for name in names:
        r = rng.random()
        if r < 0.10:
            value = "*." + name
        elif r < 0.15:
            value = "." + name
        elif r < 0.25:
            value = name.upper()
        elif r < 0.30:
            value = name + "."
        elif r < 0.32:
            value = name.capitalize() + "."
        else:
            value = name
        if rng.random() < 0.05:
            value = "  " + value + " "
        rows.append(value)
        if rng.random() < 0.01:
            rows.append(value)  # a duplicate
        if rng.random() < 0.002:
            rows.append(rng.choice(["localhost", "a..b.example", "bad name.example", "*.com"]))
    owners = ["ops", "web", "mail", "cdn", "shop"]
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("Host Name,Owner\r\n")
        for value in rows:
            f.write(f"{value},{rng.choice(owners)}\r\n")


if __name__ == "__main__":
    main()
