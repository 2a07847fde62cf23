#!/usr/bin/env python3
"""Builds fuzz/corpus/<target>/ seeds from the test vectors in ../tests/vectors.

Every compact token, JWS/JWE JSON serialization, JWK, JWK Set, PEM/DER key and claims set
found in the vectors becomes a seed of the targets that read that kind of input.
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(ROOT, "..", "tests", "vectors")
CORPUS = os.path.join(ROOT, "corpus")
B64 = r"[A-Za-z0-9_-]*"
COMPACT = re.compile(rf"^{B64}\.{B64}\.{B64}(\.{B64}\.{B64})?$")

seeds = {t: set() for t in ["base64url", "jws_compact", "jws_json", "jwe_compact", "jwe_json", "jwk", "jwt"]}


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    if 0 < len(data) <= 200_000:
        seeds[target].add(data)


def walk(value):
    if isinstance(value, dict):
        if "kty" in value:
            add("jwk", json.dumps(value))
        if "keys" in value and isinstance(value["keys"], list):
            add("jwk", json.dumps(value))
        if "ciphertext" in value:
            add("jwe_json", json.dumps(value))
        if "signature" in value or "signatures" in value:
            add("jws_json", json.dumps(value))
        if any(k in value for k in ("exp", "iss", "aud", "sub")):
            add("jwt", json.dumps(value))
        for v in value.values():
            walk(v)
    elif isinstance(value, list):
        for v in value:
            walk(v)
    elif isinstance(value, str):
        if COMPACT.match(value) and "." in value:
            parts = value.count(".")
            add("jws_compact" if parts == 2 else "jwe_compact", value)
            add("jwt", value)
        elif value.startswith("{"):
            try:
                walk(json.loads(value))
            except ValueError:
                pass
        if re.fullmatch(B64, value) and value:
            add("base64url", value)


for dirpath, _, files in os.walk(VECTORS):
    for name in files:
        path = os.path.join(dirpath, name)
        raw = open(path, "rb").read()
        if name.endswith(".json"):
            try:
                walk(json.loads(raw))
            except ValueError:
                pass
        elif name.endswith((".pem", ".der")):
            add("jwk", raw)

MAX_SEEDS = 2000  # per target; the fuzzer finds the rest

for target, items in seeds.items():
    out = os.path.join(CORPUS, target)
    os.makedirs(out, exist_ok=True)
    items = sorted(items, key=lambda d: hashlib.sha1(d).digest())[:MAX_SEEDS]
    for data in items:
        with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(f"{target}: {len(items)} seeds", file=sys.stderr)
