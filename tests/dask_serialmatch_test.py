#!/usr/bin/env python3
"""scripts/dask-serialmatch on a Dask LocalCluster (2 workers, TCP on loopback) against one run.

    dask_serialmatch_test.py SERIALMATCH_BINARY SOURCE_DIR

A generated le2020 dump (scripts/gen_fake_dump.py) joined against domains, serials and a CSV
certificate inventory, cut into 6 parts: the findings must be byte-identical to one run's
`--format jsonl`, the exit status and the "not checked" line the same, the malformed-line samples
those of one run. The dump is arranged so that the cut matters: a matching line crosses a nominal
part boundary, one certificate's line is repeated in a later part (one finding in one run), and a
record in a later part names an affected certificate's names (a replaced finding there, which one
run drops); and the examples' certificate stores, whose key mismatch every part reports. Then two failures, which must exit 2 with nothing on standard output: an inventory that
cannot be read, and a part that holds no record at all.

Exit status 0 when every check passes, 1 when one fails, 77 (ctest's SKIP_RETURN_CODE) when Dask is
not installed. Everything is created under one temporary directory, removed at the end.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
PARTITIONS = 6

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)
    return ok


def run(cmd, cwd):
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def lines_of(stderr, prefix):
    return [ln for ln in stderr.splitlines() if ln.startswith(prefix)]


def make_inputs(source_dir, scratch):
    """Writes dump.txt, domains.csv, serials.txt and certs.csv into `scratch`; returns facts the
    checks need: the line crossing a boundary, the certificate's serial and lines."""
    gen = os.path.join(scratch, "gen")
    subprocess.run([sys.executable, os.path.join(source_dir, "scripts", "gen_fake_dump.py"),
                    "--lines", "12000", "--domains", "1500", "--serials", "1500", "--out", gen,
                    "--quiet"], check=True)
    with open(os.path.join(gen, "dump-le2020.txt"), "rb") as f:
        lines = f.read().splitlines(keepends=True)

    # The certificate: line 1500's record (part 1 of 6), issued before the certificate's notBefore;
    # its names again on a later record with another serial (part 5), so that part alone calls the
    # certificate replaced; and line 1500 itself repeated in part 4.
    cert_line = lines[1499]
    fields = cert_line.split()
    cert_serial = fields[1].decode()
    names = cert_line[cert_line.index(b"[") + 1:cert_line.index(b"]")].split()
    other = lines[9000].split(b" names: [")
    lines[9000] = (other[0] + b" names: [" + b" ".join(names) + b"]" +
                   other[1][other[1].index(b"]") + 1:])
    lines.insert(7000, cert_line)
    # Malformed lines in three parts: more than the 5 samples one run shows.
    for at in (300, 4000, 4001, 6500, 10000, 10001, 10002):
        lines.insert(at, b"serial zz-not-hex 1 2 names: [a.example] missing CAA at nowhere\n")
    dump = b"".join(lines)
    with open(os.path.join(scratch, "dump.txt"), "wb") as f:
        f.write(dump)

    # The line crossing the nominal boundary between parts 3 and 4 (size * 3 / 6).
    boundary = len(dump) * 3 // PARTITIONS
    line_start = dump.rindex(b"\n", 0, boundary) + 1
    line_end = dump.index(b"\n", boundary)
    assert line_start < boundary < line_end, "the boundary falls on a line end; move it"
    crossing = dump[line_start:line_end]
    crossing_number = dump.count(b"\n", 0, line_start) + 1
    crossing_serial = crossing.split()[1].decode()
    crossing_name = crossing[crossing.index(b"[") + 1:crossing.index(b"]")].split()[0].decode()
    if crossing_name.startswith("*."):
        crossing_name = crossing_name[2:]

    shutil.copy(os.path.join(gen, "domains-217k.csv"), os.path.join(scratch, "domains.csv"))
    with open(os.path.join(scratch, "domains.csv"), "a") as f:
        f.write(f"{crossing_name}\nnot a domain!\n")
    shutil.copy(os.path.join(gen, "serials-250k.txt"), os.path.join(scratch, "serials.txt"))
    with open(os.path.join(scratch, "serials.txt"), "a") as f:
        f.write(f"{crossing_serial}\n")
    with open(os.path.join(scratch, "certs.csv"), "w") as f:
        f.write("id,serial,dns_names,not_before\n")
        f.write(f"web-1,{cert_serial},\"{' '.join(n.decode() for n in names)}\",2020-03-01\n")
        f.write("broken,not-a-serial,x.example,2020-03-01\n")
    return {"crossing_line": crossing_number, "crossing_serial": crossing_serial,
            "crossing_name": crossing_name, "cert_serial": cert_serial}


def main():
    binary, source_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    script = os.path.join(source_dir, "scripts", "dask-serialmatch")
    # The script runs on Debian's interpreter (its first line), where python3-distributed installs.
    with open(script) as f:
        interpreter = f.readline()[2:].strip()
    if subprocess.run([interpreter, "-c", "import distributed"], capture_output=True).returncode:
        print("SKIP: Dask distributed is not installed (Debian: python3-distributed; "
              "scripts/common.sh installs it with the test packages)")
        return SKIP
    root = tempfile.mkdtemp(prefix="dask_serialmatch_test-")
    try:
        facts = make_inputs(source_dir, root)
        args = ["--dump", "dump.txt", "--domains", "domains.csv", "--serials", "serials.txt",
                "--certs", "certs.csv"]
        one_status, one_out, one_err = run([binary] + args + ["--format", "jsonl"], root)
        dask_cmd = [script, "--serialmatch", binary, "--local", "2",
                    "--partitions", str(PARTITIONS), "--"]
        status, out, err = run(dask_cmd + args, root)
        sys.stderr.buffer.write(err)

        # One run's answer is not empty, and holds what the cut puts at risk.
        findings = [json.loads(ln) for ln in one_out.splitlines()]
        check(one_status == 1, f"one run: exit status 1, got {one_status}")
        check(len(findings) > 50, f"one run: more than 50 findings, got {len(findings)}")
        crossing = [f for f in findings if f["dump_line"] == facts["crossing_line"]]
        check({f["kind"] for f in crossing} >= {"domain", "serial"},
              f"one run: domain and serial findings of the line crossing a part boundary "
              f"(line {facts['crossing_line']}), got {crossing}")
        cert = [f for f in findings if f["input"] == "web-1"]
        check([f["status"] for f in cert if f["status"] == "affected"] == ["affected"],
              f"one run: the certificate affected once, from its first line, got {cert}")
        check(not any(f["status"] == "replaced" for f in cert),
              "one run: no replaced finding of an affected certificate")

        # The Dask run gives the same bytes, status and accounting.
        check(status == one_status, f"dask: exit status {one_status}, got {status}")
        check(out == one_out, f"dask: the findings of one run, byte for byte "
              f"({len(out.splitlines())} lines against {len(one_out.splitlines())})")
        not_checked = lines_of(one_err, b"serialmatch: not checked: ")
        check(len(not_checked) == 1 and b"dump.txt: 7 malformed lines" in not_checked[0] and
              b"domains.csv: 1 invalid row" in not_checked[0],
              f"one run: a not-checked line for both inputs, got {not_checked}")
        check(lines_of(err, b"serialmatch: not checked: ") == not_checked,
              f"dask: one run's not-checked line {not_checked}, got "
              f"{lines_of(err, b'serialmatch: not checked: ')}")
        samples = lines_of(one_err, b"dump.txt:")[1:]  # after the format's detection
        check(len(samples) == 6, f"one run: 5 malformed lines shown and a count, got {samples}")
        check(lines_of(err, b"dump.txt:") == lines_of(one_err, b"dump.txt:"),
              f"dask: one run's format detection and malformed-line messages {samples}, got "
              f"{lines_of(err, b'dump.txt:')}")
        check(lines_of(err, b"certs.csv:3:") == lines_of(one_err, b"certs.csv:3:") != [],
              "dask: the certificate inventory's bad row said once, as one run says it")

        # The examples: certificate stores, one of whose certificates is kept with another key (a
        # mismatch finding, which every part reports and one run reports once).
        examples = os.path.join(source_dir, "examples")
        args = ["--dump", os.path.join(examples, "affected-le2020.txt"), "--certs",
                os.path.join(examples, "stores"), "--certs", os.path.join(examples, "inventory.csv"),
                "--domains", os.path.join(examples, "domains.csv")]
        one_status, one_out, _ = run([binary] + args + ["--format", "jsonl"], root)
        check(one_status == 1 and b'"status":"mismatch"' in one_out,
              f"one run of the examples: exit 1 and a mismatch finding, got {one_status}")
        status, out, _ = run([script, "--serialmatch", binary, "--local", "2", "--partitions", "3",
                              "--"] + args, root)
        check((status, out) == (one_status, one_out),
              f"dask, the examples in 3 parts: one run's status and findings, got {status} and "
              f"{len(out.splitlines())} lines against {len(one_out.splitlines())}")

        # A part that fails: the whole command fails, with nothing on standard output.
        os.mkdir(os.path.join(root, "unreadable.csv"))
        status, out, err = run(dask_cmd + ["--dump", "dump.txt", "--domains", "unreadable.csv"],
                               root)
        check(status == 2 and out == b"", f"dask, unreadable inventory: exit 2 and no output, "
              f"got {status} and {len(out)} bytes")
        check(b"unreadable.csv" in err and b"failed with status 2" in err,
              f"dask, unreadable inventory: says which input and that parts failed, got {err!r}")

        # The middle part of 3 holds only malformed lines: a part without records is refused.
        good = [ln for ln in open(os.path.join(root, "dump.txt"), "rb").read().splitlines(True)
                if not ln.startswith(b"serial zz")]
        junk = [b"# nothing but comments here, over more than a part\n"] * 200
        with open(os.path.join(root, "holey.txt"), "wb") as f:
            f.write(b"".join(good[:5] + junk + good[5:10]))
        status, out, err = run([script, "--serialmatch", binary, "--local", "2",
                                "--partitions", "3", "--", "--dump", "holey.txt", "--serials",
                                "serials.txt"], root)
        check(status == 2 and out == b"",
              f"dask, a part without records: exit 2 and no output, got {status}, {out[:200]!r}")
        check(b"no certificate records" in err and b"part 2 of 3" in err,
              f"dask, a part without records: says which part and why, got {err!r}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
