#!/usr/bin/env python3
"""Generate a fake, full-size certificate-authority revocation dump plus matching inventories.

The data is for benchmarking serialmatch at the size of a real incident (Let's Encrypt's 2020 CAA
re-checking incident revoked ~3.05M certificates). It is synthetic, seeded and reproducible: the
same arguments always give byte-identical files. Only the Python 3.11 standard library is used.

Files written to --out (default /tmp/serialmatch-bench; keep it outside the repository):

  dump-le2020.txt    One certificate per line, in the format of Let's Encrypt's 2020 list:
                       serial <serial> <account> <nameshash> names: [<n1> <n2> ...] missing CAA
                       checking results for [<one of the names>] at <YYYY-MM-DD HH:MM:SS.nnnnnnnnn>
                       +0000 UTC
                     (one line per certificate). Serials are 36 lowercase hex digits starting 03 or
                     04, all distinct; lines ascend by account id (1..80,000,000); 1-8 names per
                     certificate (mostly 1-3), about 1 line in 2000 with 50-100 names; about 10% of
                     certificates carry a "*.<parent>" wildcard; issue times lie between 2019-07-25
                     and 2020-02-29.
  domains-217k.csv   Header "domain", then --domains distinct names in shuffled order (the file name
                     stays fixed whatever --domains is).
  serials-250k.txt   --serials serials, one per line, shuffled, no header, in mixed notations
                     (lowercase, uppercase, "03:E2:..." colon bytes, leading "00" byte, "0x" prefix).
  expected.json      The counts the generator knows (see "expected.json" below).

Name spaces. Every domain name is built so that the generator knows, without remembering the
millions of names it wrote, which inventory entries can match the dump. The second-level label
(the label left of the TLD; TLDs are com, net, org, de, io, co.uk, fr, nl, info) tells them apart:

  ordinary dump names     contains exactly one hyphen        www.bluefield-4821.com
  trap dump names         glue + partner label, no hyphen    mail.sunbluefield3518207.net
  trap partners (inv.)    word + unique 7-digit number       bluefield3518207.net
  inventory misses        word + 5-digit number, no hyphen   shop.northgate48213.de
  wildcard hits (inv.)    "<label-with-hyphen>." + parent     vpn-17.bluefield-4821.com
                          of a dump wildcard "*.parent"

Subdomain labels of dump names never contain a hyphen, so a wildcard hit ("vpn-17.<parent>") is
never itself a dump name. A trap name ends with its partner's text ("sunbluefield3518207.net" ends
with "bluefield3518207.net") but is neither that name nor a subdomain of it, so a substring or
suffix matcher reports a false positive where serialmatch must report nothing.

expected.json. Meaning of each count:

  dump.lines                 lines (= certificates) in dump-le2020.txt.
  dump.bytes                 size of dump-le2020.txt.
  dump.names                 names listed inside "names: [...]", over all lines.
  dump.wildcard_names        of those, names starting "*.".
  dump.huge_san_lines        lines listing 50-100 names.
  dump.trap_names            names in the dump that are suffix traps: their text ends with the text
                             of an inventory domain (a trap partner) without being that domain or a
                             subdomain of it. Counted per occurrence; each appears in one line.
  domains.rows               data rows of domains-217k.csv (header excluded), all distinct.
  domains.hits               inventory domains serialmatch must report: hits_exact + hits_wildcard.
  domains.hits_exact         inventory domains equal to at least one dump name (match kind "exact").
  domains.hits_wildcard      inventory domains equal to no dump name but covered by a dump wildcard:
                             the inventory has "x.P" and some line lists "*.P" (match kind
                             "wildcard"; x is a single label).
                             An exact hit can also lie under a wildcard on some other line, so
                             serialmatch's findings (one per line) may show it under both kinds;
                             counted per distinct inventory domain, the split is as here.
  domains.misses             rows matching nothing: rows - hits (trap partners included).
  domains.trap_partners      of the misses, names whose text is a suffix of some dump trap name.
  serials.rows               lines of serials-250k.txt, all distinct after canonicalisation.
  serials.hits               rows whose serial is the serial of a dump line (each a different line).
  serials.misses             rows - hits: serials of no dump line.
  serials.notations          rows per notation (hits and misses alike), to check canonicalisation.

--shape short writes a second data shape: every line a single-site certificate of 3 or 4 names
(apex, www and one or two service names of a short base such as "oak-4821.com"; a wildcard or a
trap name now and then), ~285 bytes a line instead of ~460, so that per-line costs weigh more than
per-byte ones. The name spaces above hold for it too; the default shape's files are unchanged.

The dump depends on --lines, --seed, --shape and also on the inventory options (they decide where trap
names and the certificates behind the hits go); --out, --stdout and --quiet never change it.

Usage:
  scripts/gen_fake_dump.py                        # full size into /tmp/serialmatch-bench
  scripts/gen_fake_dump.py --lines 20000 --domains 2000 --serials 2000 --out /tmp/gen-test
  scripts/gen_fake_dump.py --stdout | serialmatch ...   # the dump only, streamed to stdout
  scripts/gen_fake_dump.py --shape short --out /tmp/serialmatch-bench-short   # 3-4 names a line
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta

DUMP_FILE = "dump-le2020.txt"
DOMAINS_FILE = "domains-217k.csv"
SERIALS_FILE = "serials-250k.txt"
EXPECTED_FILE = "expected.json"

MAX_ACCOUNT = 80_000_000
MEAN_ACCOUNT_RUN = 25       # about the mean certificates per account the run lengths below give
FIRST_DAY = date(2019, 7, 25)
LAST_DAY = date(2020, 2, 29)
NS_PER_DAY = 86_400 * 10**9

WILDCARD_RATE = 0.10        # share of certificates that carry a "*.<parent>" name
WILDCARD_HIT_SHARE = 0.20   # share of the inventory's domain hits that are wildcard hits
MAX_TRAP_PARTNERS = 3000    # trap partners in the inventory (fewer for small inventories)
BATCH_LINES = 8192          # dump lines joined per write() call

# Lookup tables are indexed with getrandbits(k), so their sizes are powers of two and the weights
# are expressed by repetition. That is much faster than random.choice()/choices() per draw.

# 16 entries: com dominates, as in the real data.
TLDS = ["com"] * 6 + ["net"] * 2 + ["org"] * 2 + ["de", "io", "co.uk", "fr", "nl", "info"]
# 32 x 32 compounds ("bluefield", "northgate", ...) give 1024 hyphen- and digit-free words.
WORD_HEADS = ["blue", "north", "sun", "green", "red", "silver", "east", "west", "bright", "star",
              "river", "stone", "oak", "pine", "lake", "hill", "gold", "iron", "swift", "clear",
              "urban", "alpha", "nova", "prime", "metro", "coast", "cloud", "peak", "delta", "maple",
              "ocean", "true"]
WORD_TAILS = ["field", "gate", "way", "works", "labs", "point", "bridge", "view", "line", "side",
              "port", "craft", "hub", "base", "net", "soft", "wave", "forge", "shop", "media",
              "trade", "home", "mark", "path", "tech", "land", "link", "care", "house", "studio",
              "group", "data"]
WORDS = [h + t for h in WORD_HEADS for t in WORD_TAILS]
# 32 hyphen-free subdomain labels (cPanel's AutoSSL bundles are a large share of real certificates).
SUBS = ["www", "mail", "webmail", "api", "shop", "cdn", "blog", "dev", "staging", "app", "portal",
        "vpn", "autodiscover", "cpanel", "webdisk", "cpcontacts", "cpcalendars", "m", "static",
        "img", "admin", "test", "ftp", "smtp", "secure", "store", "beta", "docs", "status", "git",
        "login", "my"]
# Labels a single-base certificate of n names draws from ("" is the bare base name).
BUNDLE = [""] + SUBS
# Glue put in front of a trap partner's label to make the trap name ("my" + "bluefield..."); letters
# only, never empty.
TRAP_GLUE = ["ex", "my", "e", "the", "go", "get", "i", "s"] + WORD_HEADS[:24]

# Names per certificate, 2048 slots: 1-3 names on ~67% of lines, 4-8 (mostly cPanel-style bundles)
# on ~26%, and 132 slots (~1 in 16) meaning a huge SAN list of 50-100 names. That averages ~7.6 names
# a line and ~430 bytes a line, as the real 2020 list did (23.66M names in 3.05M lines, 1.3 GB).
HUGE = 0
NAME_COUNTS = ([1] * 616 + [2] * 500 + [3] * 250 + [4] * 150 + [5] * 100 + [6] * 100 + [7] * 100
               + [8] * 100 + [HUGE] * 132)
# --shape short: 3 or 4 names on every line (no huge SAN lists), ~275 bytes a line, the shape of a
# fleet of single-site certificates (apex, www and one or two service names).
SHORT_NAME_COUNTS = [3] * 1536 + [4] * 512
assert len(NAME_COUNTS) == 2048 and len(SHORT_NAME_COUNTS) == 2048 and len(TLDS) == 16 and len(WORDS) == 1024 and len(SUBS) == 32

# Serial notations in the serial inventory, 32 slots.
NOTATIONS = ["plain"] * 22 + ["upper"] * 3 + ["colon"] * 3 + ["lead00"] * 2 + ["0x"] * 2
assert len(NOTATIONS) == 32

# Serials: 0x03/0x04 then 17 bytes (136 bits) that are a bijective mix of (random bits, counter). A
# different counter gives a different serial, so dump serials are distinct without a set of them;
# miss serials use counters at or above MISS_COUNTER_BASE, which no dump line reaches.
MASK136 = (1 << 136) - 1
MIX1 = 0x9E3779B97F4A7C15F39CC0605CEDC8341  # odd: multiplication mod 2**136 is invertible
MIX2 = 0xBF58476D1CE4E5B94D2B3C5A1E6F7A2B3  # odd
MISS_COUNTER_BASE = 1 << 31


def make_serial(rng, counter):
    """Returns a 36-hex-digit serial, distinct for distinct counters (< 2**32)."""
    v = ((rng.getrandbits(104) << 32) | counter) * MIX1 & MASK136
    v ^= v >> 67
    v = v * MIX2 & MASK136
    v ^= v >> 59
    return f"{(3 + (v & 1)) << 136 | v:036x}"


def write_serial(serial, notation):
    """Writes a canonical serial in one of the notations CanonicalizeSerial accepts."""
    if notation == "plain":
        return serial
    if notation == "upper":
        return serial.upper()
    if notation == "colon":
        return ":".join(serial[i:i + 2] for i in range(0, len(serial), 2)).upper()
    if notation == "lead00":
        return "00" + serial
    return "0x" + serial  # "0x"


class Plan:
    """What the generator decides before writing the dump: which lines feed the inventories."""

    def __init__(self, args, rng):
        lines = args.lines
        hits = min(round(args.domains * args.domain_hit_rate), args.domains)
        self.want_wildcard = round(hits * WILDCARD_HIT_SHARE)
        self.want_exact = hits - self.want_wildcard
        self.want_serials = min(round(args.serials * args.serial_hit_rate), args.serials, lines)
        self.trap_partners = min(MAX_TRAP_PARTNERS, (args.domains - hits) // 20)

        # Oversample the lines a hit is picked from: a picked name can repeat an earlier pick.
        exact_lines = rng.sample(range(lines), min(lines, self.want_exact + self.want_exact // 10 + 16))
        wild_lines = rng.sample(range(lines), min(lines, self.want_wildcard + self.want_wildcard // 10 + 16))
        serial_lines = rng.sample(range(lines), self.want_serials)
        # Each trap partner's label goes into 1-3 trap names, each on its own line.
        self.partner_numbers = rng.sample(range(1_000_000, 10_000_000), self.trap_partners)
        self.partner_labels = [f"{WORDS[rng.getrandbits(10)]}{n}.{TLDS[rng.getrandbits(4)]}"
                               for n in self.partner_numbers]
        trap_owner = [p for p in range(self.trap_partners) for _ in range(rng.randint(1, 3))]
        trap_lines = rng.sample(range(lines), min(lines, len(trap_owner)))

        # line index -> [pick an exact hit?, force and pick a wildcard?, keep serial?, trap partner]
        self.by_line = {}
        for i in exact_lines:
            self.by_line.setdefault(i, [False, False, False, None])[0] = True
        for i in wild_lines:
            self.by_line.setdefault(i, [False, False, False, None])[1] = True
        for i in serial_lines:
            self.by_line.setdefault(i, [False, False, False, None])[2] = True
        for i, p in zip(trap_lines, trap_owner):
            self.by_line.setdefault(i, [False, False, False, None])[3] = p

        # Filled in while the dump is written.
        self.exact_names = []      # a dump name from each exact-hit line, in line order
        self.wild_parents = []     # the wildcard parent P ("*.P") from each wildcard-hit line
        self.hit_serials = []      # the serial of each serial-hit line
        self.stats = {"lines": 0, "bytes": 0, "names": 0, "wildcard_names": 0,
                      "huge_san_lines": 0, "trap_names": 0}


def write_dump(out, args, plan, rng, pick_rng):
    """Writes the dump to the text stream `out`. `rng` drives the dump; `pick_rng` only the choice of
    hit names, so picking never shifts the dump's random stream."""
    bits = rng.getrandbits
    randint = rng.randint
    sample = rng.sample
    words, tlds, subs, bundle = WORDS, TLDS, SUBS, BUNDLE
    short = args.shape == "short"
    name_counts = SHORT_NAME_COUNTS if short else NAME_COUNTS
    by_line = plan.by_line
    days = []
    d = FIRST_DAY
    while d <= LAST_DAY:
        days.append(d.isoformat())
        d += timedelta(days=1)
    time_range = len(days) * NS_PER_DAY
    wildcard_threshold = int(WILDCARD_RATE * 4096)

    def base_name():
        """An ordinary registrable name; its second-level label has exactly one hyphen."""
        form = bits(2)
        if form == 0:
            label = f"{words[bits(10)]}-{bits(14)}"
        elif form == 1:
            label = f"{words[bits(10)]}-{words[bits(10)]}"
        elif form == 2:
            label = f"{words[bits(10)]}-{words[bits(10)]}{bits(10)}"
        else:
            label = f"{subs[bits(5)]}{bits(12)}-{words[bits(10)]}"
        return f"{label}.{tlds[bits(4)]}"

    def any_name():
        """An ordinary name with 0-2 hyphen-free subdomain labels (2-4 labels in all)."""
        base = base_name()
        depth = bits(2)
        if depth == 0 or depth == 1 and base.endswith(".co.uk"):
            return base
        if depth == 3 and not base.endswith(".co.uk"):
            return f"{subs[bits(5)]}{bits(6)}.{subs[bits(5)]}.{base}"
        return f"{subs[bits(5)]}.{base}"

    account = 0
    run_left = 0
    max_run = max(1, min(100_000, args.lines // 50))  # no account owns more than 2% of the lines
    batch = []
    st = plan.stats
    total_names = wildcard_names = huge_lines = trap_names = 0
    for i in range(args.lines):
        # Accounts: runs of certificates per account, heavy-tailed (a few hosting providers own
        # huge runs). Each new account id is a random gap above the previous one, sized so that
        # the ids spread over 1..MAX_ACCOUNT in ascending order.
        if run_left == 0:
            run_left = int(rng.paretovariate(1.5)) if bits(3) else int(rng.paretovariate(1.0)) * 20
            run_left = min(run_left, max_run, args.lines - i)
            # At least 2, so that a gap never reaches past the end of the id range.
            accounts_left = max(2.0, (args.lines - i) / MEAN_ACCOUNT_RUN)
            room = max(0.0, MAX_ACCOUNT * 0.99 - account)
            account += 1 + int(rng.random() * 2 * room / accounts_left)
            account = min(account, MAX_ACCOUNT)
        run_left -= 1

        todo = by_line.get(i)
        n = name_counts[bits(11)]
        if short:
            # One short base ("oak-4821.com": a head word, a hyphen, a number): apex, www and one or
            # two other service names.
            base = f"{WORD_HEADS[bits(5)]}-{bits(14)}.{tlds[bits(4)]}"
            names = [base, f"www.{base}"] + [f"{s}.{base}" for s in sample(subs[1:], n - 2)]
        elif n == HUGE:
            # Hosting-provider style: 50-100 unrelated names.
            names = [any_name() for _ in range(randint(50, 100))]
            huge_lines += 1
        elif n == 1:
            names = [any_name()]
        elif bits(3) == 0:
            # Some certificates cover several unrelated names.
            names = [any_name() for _ in range(n)]
        else:
            # Most cover one base: apex, www, mail, ... (cPanel-style bundles for larger n).
            base = base_name()
            names = [f"{s}.{base}" if s else base for s in sample(bundle, n)]
        if bits(12) < wildcard_threshold or todo is not None and todo[1]:
            # "*.<base>" over the first name's base (the suffix from its hyphenated label on), or a
            # deeper "*.<sub>.<base>" for 2-label bases.
            labels = names[0].split(".")
            parent = ".".join(labels[next(k for k, x in enumerate(labels) if "-" in x):])
            if bits(2) == 0 and parent.count(".") == 1:
                parent = f"{subs[bits(5)]}.{parent}"
            wildcard = "*." + parent
            if len(names) >= 8:
                names[-1] = wildcard
            else:
                names.append(wildcard)
            wildcard_names += 1
        else:
            wildcard = None

        if todo is not None:
            pick_exact, pick_wild, keep_serial, partner = todo
            trap = None
            if partner is not None:
                # A trap name: glue + the partner's text, optionally under a subdomain label.
                trap = TRAP_GLUE[bits(5)] + plan.partner_labels[partner]
                if bits(1):
                    trap = f"{subs[bits(5)]}.{trap}"
                if len(names) >= 8:
                    names[0] = trap  # the first name is never the wildcard
                else:
                    names.append(trap)
                trap_names += 1
            if pick_exact:
                plan.exact_names.append(
                    pick_rng.choice([x for x in names if x[0] != "*" and x != trap]))
            if pick_wild:
                plan.wild_parents.append(wildcard[2:])
            serial = make_serial(rng, i)
            if keep_serial:
                plan.hit_serials.append(serial)
        else:
            serial = make_serial(rng, i)
        total_names += len(names)

        when = int(rng.random() * time_range)
        day, ns = divmod(when, NS_PER_DAY)
        secs, frac = divmod(ns, 10**9)
        hh, rest = divmod(secs, 3600)
        mm, ss = divmod(rest, 60)
        batch.append(
            f"serial {serial} {account} {bits(256):064x} names: [{' '.join(names)}] missing CAA "
            f"checking results for [{names[bits(16) % len(names)]}] at "
            f"{days[day]} {hh:02d}:{mm:02d}:{ss:02d}.{frac:09d} +0000 UTC\n")
        if len(batch) == BATCH_LINES:
            chunk = "".join(batch)
            out.write(chunk)
            st["bytes"] += len(chunk)
            batch.clear()
    chunk = "".join(batch)
    out.write(chunk)
    st["bytes"] += len(chunk)
    st.update(lines=args.lines, names=total_names, wildcard_names=wildcard_names,
              huge_san_lines=huge_lines, trap_names=trap_names)


def dedupe(items, limit):
    """The first `limit` distinct items, in order."""
    seen = set()
    out = []
    if limit <= 0:
        return out
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
            if len(out) == limit:
                break
    return out


def build_domains(args, plan, rng):
    """Returns (rows, counts) for the domain inventory."""
    exact = dedupe(plan.exact_names, plan.want_exact)
    # "x.P" under a dump wildcard "*.P"; x has a hyphen, which no subdomain label in the dump has.
    wild = dedupe((f"{SUBS[rng.getrandbits(5)]}-{rng.getrandbits(10)}.{p}" for p in plan.wild_parents),
                  plan.want_wildcard)
    partners = plan.partner_labels
    rows = exact + wild + partners
    misses_needed = args.domains - len(rows)
    seen = set(rows)
    while misses_needed > 0:
        # Misses: a hyphen-free second-level label ending in exactly 5 digits (no dump name has one).
        name = f"{WORDS[rng.getrandbits(10)]}{rng.randint(10_000, 99_999)}.{TLDS[rng.getrandbits(4)]}"
        depth = rng.getrandbits(2)
        if depth >= 2:
            name = f"{SUBS[rng.getrandbits(5)]}.{name}"
        if name not in seen:
            seen.add(name)
            rows.append(name)
            misses_needed -= 1
    rng.shuffle(rows)
    counts = {"rows": len(rows), "hits": len(exact) + len(wild), "hits_exact": len(exact),
              "hits_wildcard": len(wild), "misses": len(rows) - len(exact) - len(wild),
              "trap_partners": len(partners)}
    return rows, counts


def build_serials(args, plan, rng):
    """Returns (rows, counts) for the serial inventory."""
    serials = list(plan.hit_serials)
    serials += [make_serial(rng, MISS_COUNTER_BASE + j) for j in range(args.serials - len(serials))]
    rng.shuffle(serials)
    notations = {}
    rows = []
    for s in serials:
        notation = NOTATIONS[rng.getrandbits(5)]
        notations[notation] = notations.get(notation, 0) + 1
        rows.append(write_serial(s, notation))
    counts = {"rows": len(rows), "hits": len(plan.hit_serials),
              "misses": len(rows) - len(plan.hit_serials), "notations": dict(sorted(notations.items()))}
    return rows, counts


def main():
    parser = argparse.ArgumentParser(
        description="Generate a fake Let's Encrypt 2020-style revocation dump and inventories.")
    parser.add_argument("--out", default="/tmp/serialmatch-bench", help="output directory")
    parser.add_argument("--lines", type=int, default=3_050_000, help="dump lines (certificates)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed")
    parser.add_argument("--domains", type=int, default=217_000, help="domain inventory rows")
    parser.add_argument("--domain-hit-rate", type=float, default=0.02,
                        help="share of domain rows that match the dump")
    parser.add_argument("--serials", type=int, default=250_000, help="serial inventory rows")
    parser.add_argument("--serial-hit-rate", type=float, default=0.02,
                        help="share of serial rows that are dump serials")
    parser.add_argument("--shape", choices=("le2020", "short"), default="le2020",
                        help="names per line: le2020 (default) as the 2020 list, 1-8 and some "
                             "50-100, ~430 bytes a line; short: 3-4, ~275 bytes a line")
    parser.add_argument("--stdout", action="store_true",
                        help="write only the dump, to stdout; no other file is written")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args()
    if not 0 < args.lines < MISS_COUNTER_BASE or args.domains < 0 or args.serials < 0:
        parser.error("need 0 < --lines < 2**31 and non-negative --domains/--serials")
    if not (0 <= args.domain_hit_rate <= 1 and 0 <= args.serial_hit_rate <= 1):
        parser.error("hit rates must lie in [0, 1]")

    start = time.monotonic()
    # Independent streams, all derived from the one seed.
    master = random.Random(args.seed)
    plan_rng, dump_rng, pick_rng, domain_rng, serial_rng = (
        random.Random(master.getrandbits(64)) for _ in range(5))
    plan = Plan(args, plan_rng)

    if args.stdout:
        try:
            write_dump(sys.stdout, args, plan, dump_rng, pick_rng)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (e.g. `| head`); not an error for a generator.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        if not args.quiet:
            print(f"gen_fake_dump: {plan.stats['lines']} lines, {plan.stats['bytes'] / 1e9:.2f} GB "
                  f"to stdout in {time.monotonic() - start:.1f} s", file=sys.stderr)
        return 0

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, DUMP_FILE), "w", encoding="ascii", newline="\n",
              buffering=1 << 24) as f:
        write_dump(f, args, plan, dump_rng, pick_rng)

    domain_rows, domain_counts = build_domains(args, plan, domain_rng)
    with open(os.path.join(args.out, DOMAINS_FILE), "w", encoding="ascii", newline="\n") as f:
        f.write("domain\n")
        f.write("".join(r + "\n" for r in domain_rows))
    serial_rows, serial_counts = build_serials(args, plan, serial_rng)
    with open(os.path.join(args.out, SERIALS_FILE), "w", encoding="ascii", newline="\n") as f:
        f.write("".join(r + "\n" for r in serial_rows))

    for what, got, want in (("exact domain hits", domain_counts["hits_exact"], plan.want_exact),
                            ("wildcard domain hits", domain_counts["hits_wildcard"], plan.want_wildcard)):
        if got < want:
            print(f"gen_fake_dump: warning: only {got} of {want} {what} (dump too small)",
                  file=sys.stderr)

    expected = {
        "generator": "scripts/gen_fake_dump.py",
        "args": {"lines": args.lines, "seed": args.seed, "domains": args.domains,
                 "domain_hit_rate": args.domain_hit_rate, "serials": args.serials,
                 "serial_hit_rate": args.serial_hit_rate},
        "dump": {"file": DUMP_FILE, **plan.stats},
        "domains": {"file": DOMAINS_FILE, **domain_counts},
        "serials": {"file": SERIALS_FILE, **serial_counts},
    }
    if args.shape != "le2020":  # only then: the default's expected.json stays as it was
        expected["args"]["shape"] = args.shape
    with open(os.path.join(args.out, EXPECTED_FILE), "w", encoding="ascii", newline="\n") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")

    if not args.quiet:
        print(f"gen_fake_dump: {args.out}: {plan.stats['lines']} lines, dump "
              f"{plan.stats['bytes'] / 1e9:.2f} GB, {domain_counts['rows']} domains "
              f"({domain_counts['hits']} hits), {serial_counts['rows']} serials "
              f"({serial_counts['hits']} hits), {plan.stats['trap_names']} trap names, "
              f"{time.monotonic() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
