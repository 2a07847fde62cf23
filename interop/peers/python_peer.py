#!/usr/bin/env python3
"""Interop peer: Python jwcrypto and joserfc, in one process per direction.

    python_peer.py make OUT.json           keys and tokens made by each library
    python_peer.py check IN.json OUT.json  josecraft's cases, checked by each library

The case format is the one of interop/driver/src/main.rs. Algorithms a library does not
implement are listed in SUPPORT below (and reported "unsupported", never as a pass).
"""
import base64
import json
import sys
import time
import warnings

import joserfc
import jwcrypto
from joserfc import jwe as rjwe
from joserfc import jwk as rjwk
from joserfc import jws as rjws
from joserfc.jwe import FlattenedJSONEncryption
from jwcrypto import jwe as cjwe
from jwcrypto import jwk as cjwk
from jwcrypto import jws as cjws
from jwcrypto.common import json_encode

# joserfc warns that "EdDSA" is deprecated by RFC 9864; interop with it is the point here.
warnings.filterwarnings("ignore", message=".*deprecated via RFC 9864.*")

JWS_ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "ES256K", "EdDSA", "Ed25519"]
JWE_ALGS = ["dir", "A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
            "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
            "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
            "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"]
ENCS = ["A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512"]
KEY_LEN = {"A128GCM": 16, "A192GCM": 24, "A256GCM": 32, "A128CBC-HS256": 32,
           "A192CBC-HS384": 48, "A256CBC-HS512": 64}

# What each library does not implement (checked against their documentation and code).
UNSUPPORTED = {
    # jwcrypto 1.5: no RFC 9864 "Ed25519" alg name, no RSA-OAEP-384/512.
    "jwcrypto": {"Ed25519", "RSA-OAEP-384", "RSA-OAEP-512"},
    # joserfc 1.8: no RSA-OAEP-384/512.
    "joserfc": {"RSA-OAEP-384", "RSA-OAEP-512"},
}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payloads():
    big = bytes(b"abcdefghijklmnopqrstuvwxyz0123456789 "[(i * 7) % 37] for i in range(100 * 1024))
    return [
        ("empty", b""),
        ("binary", "\u0000\u0001\u007f\r\n\t\u001b[0m\"\\/{}".encode()),
        ("utf8", "héllo wörld ✓ 日本語 🦀".encode()),
        ("100k", big),
    ]


def tamper(token):
    parts = token.split(".")
    last = bytearray(unb64(parts[-1]) or b"\0")
    last[len(last) // 2] ^= 0x10
    parts[-1] = b64(bytes(last))
    return ".".join(parts)


def kty_for(alg, enc=None, curve=0):
    if alg.startswith(("HS",)):
        return ("oct", {"HS256": 32, "HS384": 48, "HS512": 64}[alg])
    if alg.startswith(("RS", "PS", "RSA")):
        return ("RSA", 2048)
    if alg.startswith("ES"):
        return ("EC", {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521", "ES256K": "secp256k1"}[alg])
    if alg in ("EdDSA", "Ed25519"):
        return ("OKP", "Ed25519")
    if alg.startswith("ECDH-ES"):
        crv = ["P-256", "P-384", "P-521", "X25519"][curve % 4]
        return ("OKP", crv) if crv == "X25519" else ("EC", crv)
    if alg == "dir":
        return ("oct", KEY_LEN[enc])
    if alg.startswith("PBES2"):
        return ("password", 24)
    size = int(alg[1:4]) // 8
    return ("oct", size)


# ------------------------------------------------------------------ jwcrypto


class Jwcrypto:
    name = "jwcrypto"
    version = jwcrypto.__version__ if hasattr(jwcrypto, "__version__") else "1.5.6"

    def generate(self, alg, enc=None, curve=0):
        kty, param = kty_for(alg, enc, curve)
        if kty == "oct":
            key = cjwk.JWK.generate(kty="oct", size=param * 8)
        elif kty == "password":
            key = cjwk.JWK.from_password(b64(bytes(range(24))))
        elif kty == "RSA":
            key = cjwk.JWK.generate(kty="RSA", size=param)
        else:
            key = cjwk.JWK.generate(kty=kty, crv=param)
        return key

    def export(self, key, private):
        return json.loads(key.export(private_key=private)) if key.has_private or private else json.loads(key.export_public())

    def load(self, jwk_dict):
        return cjwk.JWK(**jwk_dict)

    def sign(self, key, alg, payload, form):
        s = cjws.JWS(payload)
        s.allowed_algs = [alg]
        s.add_signature(key, None, json_encode({"alg": alg, "kid": "k-" + alg}), None)
        return s.serialize(compact=(form == "compact"))

    def verify(self, key, alg, token, form):
        s = cjws.JWS()
        s.allowed_algs = [alg]
        s.deserialize(token)
        s.verify(key, alg=alg)
        return s.payload

    def encrypt(self, key, alg, enc, plaintext, form, zip_=False, cty=None):
        header = {"alg": alg, "enc": enc, "kid": "k-" + alg}
        if zip_:
            header["zip"] = "DEF"
        if cty:
            header["cty"] = cty
        e = cjwe.JWE(plaintext, json_encode(header))
        e.allowed_algs = [alg, enc]
        e.add_recipient(key)
        return e.serialize(compact=(form == "compact"))

    def decrypt(self, key, alg, enc, token, form):
        e = cjwe.JWE()
        e.allowed_algs = [alg, enc]
        e.deserialize(token, key=key)
        return e.payload

    def thumbprint(self, key):
        return key.thumbprint()


# ------------------------------------------------------------------ joserfc


class Joserfc:
    name = "joserfc"
    version = joserfc.__version__

    def generate(self, alg, enc=None, curve=0):
        kty, param = kty_for(alg, enc, curve)
        if kty == "oct":
            return rjwk.OctKey.generate_key(param * 8, private=True)
        if kty == "password":
            return rjwk.OctKey.import_key(b64(bytes(range(24))).encode())
        if kty == "RSA":
            return rjwk.RSAKey.generate_key(param, private=True)
        if kty == "EC":
            return rjwk.ECKey.generate_key(param, private=True)
        return rjwk.OKPKey.generate_key(param, private=True)

    def export(self, key, private):
        return key.as_dict(private=private)

    def load(self, jwk_dict):
        return rjwk.import_key(jwk_dict)

    def sign(self, key, alg, payload, form):
        header = {"alg": alg, "kid": "k-" + alg}
        if form == "compact":
            return rjws.serialize_compact(header, payload, key, algorithms=[alg])
        return json.dumps(rjws.serialize_json({"protected": header}, payload, key, algorithms=[alg]))

    @staticmethod
    def registry(alg):
        # joserfc caps payloads at 128 000 bytes by default; the suite's largest is 100 KiB
        # of base64url, so the cap is raised (the 100k case is about size, not about limits).
        r = rjws.JWSRegistry(algorithms=[alg])
        r.max_payload_length = 1 << 20
        return r

    def verify(self, key, alg, token, form):
        if form == "compact":
            return rjws.deserialize_compact(token, key, registry=self.registry(alg)).payload
        return rjws.deserialize_json(json.loads(token), key, registry=self.registry(alg)).payload

    def encrypt(self, key, alg, enc, plaintext, form, zip_=False, cty=None):
        header = {"alg": alg, "enc": enc, "kid": "k-" + alg}
        if zip_:
            header["zip"] = "DEF"
        if cty:
            header["cty"] = cty
        algs = [alg, enc, "DEF"]
        if form == "compact":
            return rjwe.encrypt_compact(header, plaintext, key, algorithms=algs)
        kid = header.pop("kid")
        obj = FlattenedJSONEncryption(header, plaintext)
        obj.add_recipient({"kid": kid}, key)
        return json.dumps(rjwe.encrypt_json(obj, None, algorithms=algs))

    @staticmethod
    def jwe_registry(algs):
        # joserfc caps ciphertexts at 64 KiB by default; the 100 KiB case is about size.
        r = rjwe.JWERegistry(algorithms=algs)
        r.max_ciphertext_length = 1 << 20
        return r

    def decrypt(self, key, alg, enc, token, form):
        registry = self.jwe_registry([alg, enc, "DEF"])
        if form == "compact":
            return rjwe.decrypt_compact(token, key, registry=registry).plaintext
        return rjwe.decrypt_json(json.loads(token), key, registry=registry).plaintext

    def thumbprint(self, key):
        return key.thumbprint()


# ------------------------------------------------------------------ make / check


MAKE_ERRORS = {}


def guarded(lib, what, fn):
    """Runs one generation step; a library that fails to make a token is a matrix failure."""
    try:
        fn()
    except Exception as e:
        MAKE_ERRORS[f"{lib.name}:{what}"] = f"fail: {type(e).__name__}: {e}"[:300]


def make(lib):
    cases = []
    pl = payloads()
    unsupported = UNSUPPORTED[lib.name]

    def add(case):
        case["id"] = f"{lib.name}:{case['id']}"
        cases.append(case)

    def jws_alg(alg):
        key = lib.generate(alg)
        public = lib.export(key, private=alg.startswith("HS"))
        public["alg"] = alg
        for name, p in pl:
            token = lib.sign(key, alg, p, "compact")
            base = {"kind": "jws", "alg": alg, "enc": None, "form": "compact", "zip": False,
                    "payload": b64(p), "key": public, "expect": "valid"}
            add(dict(base, id=f"jws:{alg}:compact:{name}", token=token))
            if name == "utf8":
                add(dict(base, id=f"jws:{alg}:compact:tampered", token=tamper(token), expect="invalid"))
        p = pl[2][1]
        add({"id": f"jws:{alg}:json:utf8", "kind": "jws", "alg": alg, "enc": None, "form": "json",
             "zip": False, "payload": b64(p), "key": public, "expect": "valid",
             "token": lib.sign(key, alg, p, "json")})

    def jwe_pair(i, j, alg, enc):
        key = lib.generate(alg, enc, i + j)
        private = lib.export(key, private=True)
        private["alg"] = enc if alg == "dir" else alg
        name, p = pl[j % 3]
        token = lib.encrypt(key, alg, enc, p, "compact")
        base = {"kind": "jwe", "alg": alg, "enc": enc, "form": "compact", "zip": False,
                "payload": b64(p), "key": private, "expect": "valid"}
        add(dict(base, id=f"jwe:{alg}:{enc}:compact:{name}", token=token))
        if j == 0:
            add(dict(base, id=f"jwe:{alg}:{enc}:compact:tampered", token=tamper(token), expect="invalid"))
        for zip_ in (False, True):
            p = pl[2][1]
            z = "zip" if zip_ else "plain"
            guarded(lib, f"jwe:{alg}:{enc}:json:{z}", lambda: add(dict(
                base, id=f"jwe:{alg}:{enc}:json:{z}", form="json", zip=zip_, payload=b64(p),
                token=lib.encrypt(key, alg, enc, p, "json", zip_))))
        if enc == "A256GCM":
            p = pl[3][1]
            token = lib.encrypt(key, alg, enc, p, "compact", True)
            add(dict(base, id=f"jwe:{alg}:{enc}:compact:100k-zip", zip=True, payload=b64(p), token=token))

    def nested(sig_alg, enc_alg):
        sig = lib.generate(sig_alg)
        enc_key = lib.generate(enc_alg)
        claims = json.dumps({"iss": lib.name, "sub": "interop", "aud": "josecraft",
                             "exp": int(time.time()) + 600}).encode()
        inner = lib.sign(sig, sig_alg, claims, "compact")
        token = lib.encrypt(enc_key, enc_alg, "A256GCM", inner.encode(), "compact", cty="JWT")
        sig_pub = lib.export(sig, private=False)
        sig_pub["alg"] = sig_alg
        enc_priv = lib.export(enc_key, private=True)
        enc_priv["alg"] = enc_alg
        add({"id": f"nested:{sig_alg}+{enc_alg}", "kind": "nested", "alg": enc_alg, "enc": "A256GCM",
             "form": "compact", "zip": False, "payload": b64(claims), "key": enc_priv,
             "sig_key": sig_pub, "sig_alg": sig_alg, "token": token, "expect": "valid"})

    def key_case(name, alg):
        key = lib.generate(alg, None, 3)
        tp = lib.thumbprint(key)
        add({"id": f"jwk:{name}:private", "kind": "jwk", "alg": name, "enc": None, "form": "jwk",
             "zip": False, "key": lib.export(key, private=True), "thumbprint": tp, "expect": "valid"})
        if name != "oct":
            add({"id": f"jwk:{name}:public", "kind": "jwk", "alg": name, "enc": None, "form": "jwk",
                 "zip": False, "key": lib.export(key, private=False), "thumbprint": tp, "expect": "valid"})

    for alg in JWS_ALGS:
        if alg not in unsupported:
            guarded(lib, f"jws:{alg}", lambda: jws_alg(alg))
    for i, alg in enumerate(JWE_ALGS):
        if alg in unsupported:
            continue
        for j, enc in enumerate(ENCS):
            guarded(lib, f"jwe:{alg}:{enc}", lambda: jwe_pair(i, j, alg, enc))
    for sig_alg, enc_alg in (("ES256", "ECDH-ES+A256KW"), ("RS256", "RSA-OAEP-256")):
        guarded(lib, f"nested:{sig_alg}+{enc_alg}", lambda: nested(sig_alg, enc_alg))
    for name, alg in (("RSA", "RS256"), ("P-256", "ES256"), ("P-384", "ES384"), ("P-521", "ES512"),
                      ("secp256k1", "ES256K"), ("Ed25519", "EdDSA"), ("X25519", "ECDH-ES"),
                      ("oct", "HS256")):
        guarded(lib, f"jwk:{name}", lambda: key_case(name, alg))
    return cases


def check_case(lib, case):
    kind, alg, enc, form = case["kind"], case["alg"], case.get("enc"), case["form"]
    names = {alg, enc, case.get("sig_alg")}
    if kind != "jwk" and names & UNSUPPORTED[lib.name]:
        return "unsupported"
    # jwcrypto 1.5 decrypts an empty plaintext and then reports "No recipient matched"
    # (it tests the plaintext for truth); it cannot read its own such tokens either.
    if lib.name == "jwcrypto" and kind == "jwe" and case.get("payload") == "" and case.get("expect") == "valid":
        return "unsupported"
    token = case.get("token")
    if kind == "jwk":
        key = lib.load(case["key"])
        tp = lib.thumbprint(key)
        return None if tp == case["thumbprint"] else f"thumbprint {tp}"
    if kind == "jws":
        got = lib.verify(lib.load(case["key"]), alg, token, form)
    elif kind == "jwe":
        got = lib.decrypt(lib.load(case["key"]), alg, enc, token, form)
    else:
        inner = lib.decrypt(lib.load(case["key"]), alg, enc, token, "compact").decode()
        got = lib.verify(lib.load(case["sig_key"]), case["sig_alg"], inner, "compact")
    return got


def check(lib, cases):
    results = {}
    for case in cases:
        valid = case.get("expect") != "invalid"
        try:
            got = check_case(lib, case)
            if got == "unsupported":
                status = "unsupported"
            elif case["kind"] == "jwk":
                status = "pass" if got is None else f"fail: {got}"
            elif not valid:
                status = "fail: tampered token accepted"
            elif got == unb64(case["payload"]):
                status = "pass"
            else:
                status = "fail: payload differs"
        except Exception as e:  # a peer's refusal is an exception
            status = "pass" if not valid else f"fail: {type(e).__name__}: {e}"[:300]
        results[case["id"]] = status
    return results


def main():
    libs = [Jwcrypto(), Joserfc()]
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        cases = []
        for lib in libs:
            cases += make(lib)
        json.dump({"cases": cases, "make_errors": MAKE_ERRORS,
                   "versions": {l.name: l.version for l in libs}}, open(sys.argv[2], "w"))
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        cases = json.load(open(sys.argv[2]))["cases"]
        out = {lib.name: check(lib, cases) for lib in libs}
        json.dump(out, open(sys.argv[3], "w"))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
