#!/usr/bin/env python3
"""Writes examples/stores/: a certbot tree, an acme.sh tree and a Caddy tree holding certificates of
examples/affected-le2020.txt, issued by a throwaway CA, with their private keys (generated from fixed
seeds: these keys guard nothing). One certbot lineage keeps the key of an earlier renewal, so
serialmatch reports it as a key mismatch.

    scripts/gen_example_stores.py            # rewrites examples/stores/
    serialmatch --dump examples/affected-le2020.txt --certs examples/stores --format plan
"""
import datetime
import os
import shutil
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "stores")
WHEN = datetime.datetime(2020, 1, 10, tzinfo=datetime.timezone.utc)


def key(seed):
    return ec.derive_private_key(seed, ec.SECP256R1())


def pem_key(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


CA_KEY = key(1001)
CA_NAME = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "serialmatch examples"),
                     x509.NameAttribute(NameOID.COMMON_NAME, "Example Stores CA")])
CA_SKI = x509.SubjectKeyIdentifier.from_public_key(CA_KEY.public_key())
CA = (x509.CertificateBuilder().subject_name(CA_NAME).issuer_name(CA_NAME)
      .public_key(CA_KEY.public_key()).serial_number(1)
      .not_valid_before(WHEN - datetime.timedelta(days=365))
      .not_valid_after(WHEN + datetime.timedelta(days=3650))
      .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
      .add_extension(CA_SKI, critical=False)
      .sign(CA_KEY, hashes.SHA256()))


def leaf(serial_hex, names, k):
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(CA_NAME).public_key(k.public_key()).serial_number(int(serial_hex, 16))
            .not_valid_before(WHEN).not_valid_after(WHEN + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(CA_SKI),
                           False)
            .sign(CA_KEY, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def write(path, data):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    chain = CA.public_bytes(serialization.Encoding.PEM)

    # certbot: example.com is affected; its privkey.pem is the key of an earlier renewal.
    k = key(2001)
    cert = leaf("032aabfe228f219e9cb0eb53f16947ccf25e", ["example.com", "www.example.com"], k)
    live = "letsencrypt/live/example.com/"
    write(live + "cert.pem", cert)
    write(live + "chain.pem", chain)
    write(live + "fullchain.pem", cert + chain)
    write(live + "privkey.pem", pem_key(key(2002)))

    # acme.sh, ECDSA: payments-example.io is affected; its key matches.
    k = key(3001)
    cert = leaf("03d14c1604d115cea325a65e19cbae530282", ["payments-example.io"], k)
    d = "acme.sh/payments-example.io_ecc/"
    write(d + "payments-example.io.cer", cert)
    write(d + "payments-example.io.key", pem_key(k))
    write(d + "ca.cer", chain)
    write(d + "fullchain.cer", cert + chain)

    # Caddy: myshop-example.com is affected.
    k = key(4001)
    cert = leaf("03f8b46287cced9041dff02cee737443e210", ["myshop-example.com"], k)
    d = "caddy/certificates/acme-v02.api.letsencrypt.org-directory/myshop-example.com/"
    write(d + "myshop-example.com.crt", cert + chain)
    write(d + "myshop-example.com.key", pem_key(k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
