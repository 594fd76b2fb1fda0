#!/usr/bin/env python3
"""Generate a fake, full-size certificate revocation list (RFC 5280) plus a serial inventory.

The data is for benchmarking serialmatch's "crl" dump format at the size of a large Let's Encrypt
CRL shard (up to ~70 MB; 1M entries make ~36-40 MB). It is synthetic, seeded and reproducible: the
same arguments always give byte-identical files (ECDSA signatures aside, which are randomised by
the signer; the key itself is derived from the seed). The DER is built by hand, which is much
faster than python-cryptography's CRL builder for a million entries; only the tbsCertList is
signed with it (ECDSA P-256, SHA-256). Needs python3-cryptography.

Files written to --out (default /tmp/serialmatch-bench-crl; keep it outside the repository):

  crl.der            A v2 CRL, issuer "C=US, O=Let's Encrypt, CN=R3", thisUpdate 2024-07-30
                     12:00:00Z, nextUpdate a week later, cRLNumber, authorityKeyIdentifier and
                     issuingDistributionPoint; --entries entries, each a distinct positive serial
                     of --serial-bytes bytes (first byte 0x03 or 0x04, as Let's Encrypt's), a
                     UTCTime revocation date in the week before thisUpdate, and on a --reason-share
                     of them a reasonCode (keyCompromise, superseded, cessationOfOperation,
                     affiliationChanged).
  ca-key.pem         The signing key (PKCS#8 PEM), and ca-cert.pem, a self-signed certificate of
                     the issuer with it, so the signature can be checked (openssl crl -CAfile).
  serials-250k.txt   --serials serials, one per line, shuffled, no header, in mixed notations as
                     gen_fake_dump.py writes them (lowercase, uppercase, "03:E2:..." colon bytes,
                     leading "00" byte, "0x" prefix); a --serial-hit-rate share are serials of
                     CRL entries (each a different entry), the rest are serials of no entry.
  expected.json      The counts: crl.entries, crl.bytes, crl.with_reason, serials.rows,
                     serials.hits, serials.misses, serials.notations, and the arguments.

Usage:
  scripts/gen_fake_crl.py                                   # 1M entries into /tmp/serialmatch-bench-crl
  scripts/gen_fake_crl.py --entries 20000 --serials 2000 --out /tmp/gen-crl-test
"""

import argparse
import datetime
import json
import os
import random
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CRL_FILE = "crl.der"
SERIALS_FILE = "serials-250k.txt"
EXPECTED_FILE = "expected.json"

THIS_UPDATE = datetime.datetime(2024, 7, 30, 12, 0, 0, tzinfo=datetime.timezone.utc)
REASONS = [1, 4, 5, 3]  # keyCompromise, superseded, cessationOfOperation, affiliationChanged
# Serial notations in the serial inventory, 32 slots (as gen_fake_dump.py).
NOTATIONS = ["plain"] * 22 + ["upper"] * 3 + ["colon"] * 3 + ["lead00"] * 2 + ["0x"] * 2
assert len(NOTATIONS) == 32


def enc(tag, content):
    """One DER TLV."""
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    length = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + content


def utc_time(t):
    return enc(0x17, t.strftime("%y%m%d%H%M%SZ").encode())


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(chunk)
    return enc(0x06, bytes(out))


def extension(dotted, value, critical=False):
    return enc(0x30, oid(dotted) + (b"\x01\x01\xff" if critical else b"") + enc(0x04, value))


def notation(serial_hex, kind):
    if kind == "upper":
        return serial_hex.upper()
    if kind == "colon":
        return ":".join(serial_hex[i:i + 2] for i in range(0, len(serial_hex), 2)).upper()
    if kind == "lead00":
        return "00" + serial_hex
    if kind == "0x":
        return "0x" + serial_hex
    return serial_hex


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/serialmatch-bench-crl", help="output directory")
    parser.add_argument("--entries", type=int, default=1_000_000, help="CRL entries")
    parser.add_argument("--serial-bytes", type=int, choices=(16, 18), default=18,
                        help="bytes per serial (Let's Encrypt: 18)")
    parser.add_argument("--reason-share", type=float, default=0.25,
                        help="share of entries with a reasonCode extension")
    parser.add_argument("--seed", type=int, default=2024, help="random seed")
    parser.add_argument("--serials", type=int, default=250_000, help="serial inventory rows")
    parser.add_argument("--serial-hit-rate", type=float, default=0.02,
                        help="share of inventory serials that are CRL entries")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args()
    started = time.time()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)

    # Distinct serials: the top byte 0x03/0x04, the rest random; a set keeps them distinct.
    rest_bits = 8 * (args.serial_bytes - 1)
    seen = set()
    serials = []
    while len(serials) < args.entries:
        s = ((3 + rng.getrandbits(1)) << rest_bits) | rng.getrandbits(rest_bits)
        if s not in seen:
            seen.add(s)
            serials.append(s)

    week = 7 * 86400
    reason_exts = {r: enc(0x30, extension("2.5.29.21", enc(0x0A, bytes((r,))))) for r in REASONS}
    with_reason = 0
    parts = []
    for s in serials:
        when = THIS_UPDATE - datetime.timedelta(seconds=rng.randrange(week))
        body = enc(0x02, s.to_bytes(args.serial_bytes, "big")) + utc_time(when)
        if rng.random() < args.reason_share:
            body += reason_exts[REASONS[rng.getrandbits(2)]]
            with_reason += 1
        parts.append(enc(0x30, body))
    revoked = enc(0x30, b"".join(parts))
    del parts

    key = ec.derive_private_key(args.seed + 1, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Let's Encrypt"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "R3")])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    algorithm = enc(0x30, oid("1.2.840.10045.4.3.2"))  # ecdsa-with-SHA256
    extensions = (
        extension("2.5.29.35", enc(0x30, enc(0x80, ski.digest)))
        + extension("2.5.29.20", enc(0x02, (args.seed * 1000 + 1).to_bytes(8, "big")))
        + extension("2.5.29.28", enc(0x30, enc(0xA0, enc(0xA0, enc(
            0x86, b"http://r3.c.lencr.org/12.crl")))), critical=True))
    tbs = enc(0x30, b"\x02\x01\x01" + algorithm + name.public_bytes() + utc_time(THIS_UPDATE)
              + utc_time(THIS_UPDATE + datetime.timedelta(days=7)) + revoked
              + enc(0xA0, enc(0x30, extensions)))
    signature = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    crl = enc(0x30, tbs + algorithm + enc(0x03, b"\x00" + signature))
    with open(os.path.join(args.out, CRL_FILE), "wb") as f:
        f.write(crl)

    with open(os.path.join(args.out, "ca-key.pem"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(datetime.datetime(2020, 1, 1))
            .not_valid_after(datetime.datetime(2030, 1, 1))
            .add_extension(ski, False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), True)
            .sign(key, hashes.SHA256()))
    with open(os.path.join(args.out, "ca-cert.pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))

    # The inventory: hits are serials of distinct entries, misses serials of none.
    hits = min(int(args.serials * args.serial_hit_rate), len(serials))
    rows = [serials[i] for i in rng.sample(range(len(serials)), hits)]
    while len(rows) < args.serials:
        s = ((3 + rng.getrandbits(1)) << rest_bits) | rng.getrandbits(rest_bits)
        if s not in seen:
            seen.add(s)
            rows.append(s)
    rng.shuffle(rows)
    notations = {k: 0 for k in NOTATIONS}
    lines = []
    for s in rows:
        kind = NOTATIONS[rng.getrandbits(5)]
        notations[kind] += 1
        lines.append(notation(format(s, "0%dx" % (2 * args.serial_bytes)), kind))
    with open(os.path.join(args.out, SERIALS_FILE), "w") as f:
        f.write("\n".join(lines) + "\n")

    expected = {
        "crl": {"entries": args.entries, "bytes": len(crl), "with_reason": with_reason},
        "serials": {"rows": len(rows), "hits": hits, "misses": len(rows) - hits,
                    "notations": notations},
        "args": {"entries": args.entries, "serial_bytes": args.serial_bytes,
                 "reason_share": args.reason_share, "seed": args.seed, "serials": args.serials,
                 "serial_hit_rate": args.serial_hit_rate},
    }
    with open(os.path.join(args.out, EXPECTED_FILE), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    if not args.quiet:
        print(f"{args.out}: {CRL_FILE} {len(crl) / 1e6:.1f} MB, {args.entries} entries "
              f"({with_reason} with a reason); {SERIALS_FILE} {len(rows)} rows, {hits} hits; "
              f"{time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
