#!/usr/bin/env python3
"""Builds the interop matrix (peer × algorithm × direction) from interop/out and fails on
any failure.   report.py OUT_DIR [--markdown FILE]"""
import json
import os
import sys
from collections import OrderedDict, defaultdict

out = sys.argv[1]
markdown_path = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--markdown" else None


def load(name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)


def row_of(case_id):
    parts = case_id.split(":")
    kind = parts[0]
    if kind == "jws":
        return (0, f"JWS {parts[1]}")
    if kind == "jwe":
        return (1, f"JWE {parts[1]} + {parts[2]}")
    if kind == "nested":
        return (2, f"nested JWT {parts[1]}")
    if kind == "dpop":
        return (4, f"DPoP {parts[1]} (proof, ath, cnf.jkt)")
    if kind == "sdjwt":
        return (5, f"SD-JWT issuer {parts[1]} (disclosures, key binding)")
    return (3, f"JWK {parts[1]} (+ RFC 7638 thumbprint)")


cells = defaultdict(lambda: defaultdict(list))  # row -> column -> [status]
columns = []
failures = []
versions = {}


def record(column, case_id, status):
    if column not in columns:
        columns.append(column)
    cells[row_of(case_id)][column].append(status)
    if status.startswith("fail"):
        failures.append(f"{column} {case_id}: {status}")


# josecraft makes, the peers check.
jc_cases = load("josecraft.json")["cases"]
for check_file in ("python-check.json", "node-check.json"):
    for peer, results in load(check_file).items():
        for case in jc_cases:
            record(f"josecraft → {peer}", case["id"], results.get(case["id"], "fail: not checked"))

# The peers make, josecraft checks.
for made, checked in (("python.json", "python-results.json"), ("node.json", "node-results.json")):
    doc = load(made)
    versions.update(doc.get("versions", {}))
    results = load(checked)
    for case in doc["cases"]:
        peer, rest = case["id"].split(":", 1)
        record(f"{peer} → josecraft", rest, results.get(case["id"], "fail: not checked"))
    for what, status in doc.get("make_errors", {}).items():
        peer, rest = what.split(":", 1)
        record(f"{peer} → josecraft", rest + ":make", status)

# DPoP (RFC 9449): josecraft's requests checked by oauth4webapi, dpop's proofs by josecraft.
dpop_cases = load("josecraft-dpop.json")["cases"]
checked = load("node-dpop-check.json")
versions.update(checked.pop("versions", {}))
for peer, results in checked.items():
    for case in dpop_cases:
        record(f"josecraft → {peer}", case["id"], results.get(case["id"], "fail: not checked"))
doc = load("node-dpop.json")
versions.update(doc.get("versions", {}))
results = load("node-dpop-results.json")
for case in doc["cases"]:
    peer, rest = case["id"].split(":", 1)
    record(f"{peer} → josecraft", rest, results.get(case["id"], "fail: not checked"))
for what, status in doc.get("make_errors", {}).items():
    peer, rest = what.split(":", 1)
    record(f"{peer} → josecraft", rest + ":make", status)

# SD-JWT: josecraft's checked by sd-jwt, sd-jwt's checked by josecraft.
sd_cases = load("josecraft-sdjwt.json")["cases"]
for peer, results in load("sdjwt-check.json").items():
    for case in sd_cases:
        record(f"josecraft → {peer}", case["id"], results.get(case["id"], "fail: not checked"))
doc = load("sdjwt.json")
versions.update(doc.get("versions", {}))
results = load("sdjwt-results.json")
for case in doc["cases"]:
    peer, rest = case["id"].split(":", 1)
    record(f"{peer} → josecraft", rest, results.get(case["id"], "fail: not checked"))

order = ["jwcrypto", "joserfc", "jose", "dpop", "oauth4webapi", "sd-jwt"]


def peer_rank(column):
    # "josecraft" itself contains "jose": match the peer's name, not ours.
    name = column.replace("josecraft", "")
    return next(i for i, p in enumerate(order) if p in name)


columns.sort(key=lambda c: (peer_rank(c), "josecraft →" in c))


def cell(statuses):
    if not statuses:
        return "n/a"
    fails = sum(s.startswith("fail") for s in statuses)
    passes = statuses.count("pass")
    na = statuses.count("unsupported")
    if fails:
        return f"✗ {fails} fail"
    if passes == 0:
        return "n/a"
    return f"✓ {passes}" + (f" ({na} n/a)" if na else "")


lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
totals = {c: defaultdict(int) for c in columns}
for row in sorted(cells):
    lines.append(f"| {row[1]} | " + " | ".join(cell(cells[row][c]) for c in columns) + " |")
    for c in columns:
        for s in cells[row][c]:
            totals[c]["fail" if s.startswith("fail") else s] += 1
lines.append("| **total** | " + " | ".join(
    f"**{totals[c]['pass']} pass, {totals[c]['fail']} fail, {totals[c]['unsupported']} n/a**" for c in columns) + " |")

header = ("Peers: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) +
          ". Each cell counts the cases of that row: payloads empty, binary-looking, non-ASCII "
          "UTF-8 and 100 KiB; compact and JSON; JWE with and without `zip`; one tampered token "
          "per algorithm that must be rejected. DPoP rows: proofs at a token endpoint and "
          "at a resource server (with `ath` and a nonce), and requests with an RFC 9068 "
          "token bound by `cnf.jkt`; the thief's key, another method, another token and a "
          "tampered proof must be refused. SD-JWT rows: a presentation with key binding and "
          "the issuance without, both valid; another nonce, the thief's key, a moved Key "
          "Binding JWT, a tampered and a foreign disclosure must be refused (sd-jwt ignores the "
          "last two, accepting the other claims unchanged, where RFC 9901 §7.1 says refuse: "
          "n/a for it). "
          "n/a: the peer does not implement it "
          "(listed in interop/peers).")
text = header + "\n\n" + "\n".join(lines) + "\n"
print(text)
if markdown_path:
    with open(markdown_path, "w") as f:
        f.write(text)
if failures:
    print(f"{len(failures)} interop failure(s):")
    for f in failures[:200]:
        print("  " + f)
    sys.exit(1)
print("interop: all green")
