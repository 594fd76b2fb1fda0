#!/usr/bin/env python3
"""Writes a seeded tree of fake PEM certificates for benchmarking `--certs` loading.

  scripts/gen_fake_certs.py --count 250000 --out /tmp/serialmatch-bench-certs
  scripts/gen_fake_certs.py --count 250000 --max-sans 3 --out /tmp/serialmatch-bench-certs-few

Signing 250,000 certificates would take minutes, and nothing that loads them checks signatures; so
a few hundred real certificates are built with python3-cryptography (RSA-2048 and P-256 keys, a
handful reused, SAN counts 1..50 (--max-sans), one in ten with a CRL distribution point, one in twenty a CA),
and each certificate written is one of them with a fresh random 16-byte serial patched in place
(the signature then no longer verifies; the DER is otherwise unchanged, so every SHA-256 differs).
Files go 1,000 to a directory (d0000/c000000.pem ...), one certificate each. The same --seed gives
the same tree.

  scripts/gen_fake_certs.py --count 250000 --secrets-list /tmp/serialmatch-bench-secrets.json

writes the same seeded certificates instead as one `kubectl get secrets -A -o json` answer: a v1
List of kubernetes.io/tls Secrets (secret/ns-K/cert-N), each certificate's PEM base64-encoded in
data."tls.crt" (no tls.key: nothing that loads them needs one).
"""
import argparse
import base64
import datetime
import json
import os
import random

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

SERIAL_PLACEHOLDER = bytes(range(0x41, 0x51))  # 16 bytes, top bit clear, found once in the DER


def build_templates(rng, count, max_sans):
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]
    keys += [ec.generate_private_key(ec.SECP256R1()) for _ in range(3)]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "serialmatch bench"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Bench CA R1"),
    ])
    ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    templates = []
    for i in range(count):
        key = keys[i % len(keys)]
        n_sans = 1 + rng.randrange(max_sans)
        base = f"h{i}-{rng.randrange(10**6)}.example{rng.randrange(100)}.com"
        names = [base] + [f"n{k}.{base}" for k in range(1, n_sans)]
        not_before = datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=rng.randrange(10**6))
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, base)]))
                   .issuer_name(issuer)
                   .public_key(key.public_key())
                   .serial_number(int.from_bytes(SERIAL_PLACEHOLDER, "big"))
                   .not_valid_before(not_before)
                   .not_valid_after(not_before + datetime.timedelta(days=90))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                                  critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                                  critical=False)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=(i % 20 == 0), path_length=None),
                                  critical=True))
        if i % 10 == 0:
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier("http://crl.bench.example/r1.crl")],
                relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
        der = builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        at = der.find(SERIAL_PLACEHOLDER)
        assert at > 0 and der.find(SERIAL_PLACEHOLDER, at + 1) < 0
        templates.append((der, at))
    return templates


def to_pem(der):
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=250000)
    parser.add_argument("--out", default="/tmp/serialmatch-bench-certs")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--templates", type=int, default=300)
    # A second shape: a web fleet's certificates name one to three hosts, a CDN's dozens.
    parser.add_argument("--max-sans", type=int, default=50,
                        help="SAN counts are 1..MAX_SANS (default 50)")
    parser.add_argument("--secrets-list", metavar="FILE",
                        help="write the certificates as one Kubernetes List of TLS Secrets to FILE "
                             "instead of a tree under --out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    templates = build_templates(rng, args.templates, args.max_sans)
    if args.secrets_list:
        write_secrets_list(rng, templates, args.count, args.secrets_list)
        return
    for i in range(args.count):
        if i % 1000 == 0:
            directory = os.path.join(args.out, f"d{i // 1000:04d}")
            os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"c{i:06d}.pem"), "w") as f:
            f.write(to_pem(next_certificate(rng, templates)))


def next_certificate(rng, templates):
    """The next seeded certificate: a template with a fresh serial patched in."""
    der, at = templates[rng.randrange(len(templates))]
    serial = bytes([rng.randrange(1, 0x80)]) + rng.randbytes(15)
    return der[:at] + serial + der[at + 16:]


def write_secrets_list(rng, templates, count, path):
    """Writes `count` certificates as `kubectl get secrets -A -o json` would list them."""
    with open(path, "w") as f:
        f.write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[\n')
        for i in range(count):
            crt = base64.b64encode(to_pem(next_certificate(rng, templates)).encode()).decode()
            secret = {
                "apiVersion": "v1",
                "data": {"tls.crt": crt},
                "kind": "Secret",
                "metadata": {"name": f"cert-{i}", "namespace": f"ns-{i // 1000}"},
                "type": "kubernetes.io/tls",
            }
            f.write(("," if i else "") + json.dumps(secret, separators=(",", ":")) + "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()
