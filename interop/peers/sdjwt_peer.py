#!/usr/bin/env python3
"""Interop peer for SD-JWT (RFC 9901): the reference implementation `sd-jwt` on PyPI
(openwallet-foundation-labs/sd-jwt-python), in one process per direction.

    sdjwt_peer.py make OUT.json           SD-JWTs and presentations made by sd-jwt
    sdjwt_peer.py check IN.json OUT.json  josecraft's presentations, checked by sd-jwt

A case: {id, kind: "sdjwt", alg, presentation, issuer_jwk (public JWK), aud?, nonce?,
claims (the processed claims expected, without cnf), expect: valid|invalid, expect_error?
(what josecraft's refusal says), peer_error? (what sd-jwt's says), ignored_rest?}.

sd-jwt 0.10.4 differs from RFC 9901 where noted in docs/CONFORMANCE.md: its verifier
accepts only ES256 key binding and sha-256, and does not check the KB-JWT's iat, the
issuer JWT's exp, or unreferenced disclosures, so those are not asked of it here.
"""
import json
import sys
import time
from importlib.metadata import version

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

AUD = "https://verifier.example"
NONCE = "n-0S6_WzA2Mj"


def claims_for(now):
    return {
        "iss": "https://issuer.example", "iat": now, "exp": now + 3600,
        SDObj("given_name"): "Jöhn", SDObj("family_name"): "Doe",
        SDObj("email"): "john@example.com",
        SDObj("address"): {SDObj("street_address"): "123 Main St", "locality": "Anytown",
                           "country": "US"},
        "nationalities": ["US", SDObj("DE")],
    }


def verified(presentation, issuer_jwk, aud=None, nonce=None):
    def issuer_key(_iss, _header):
        return JWK.from_json(json.dumps(issuer_jwk))
    payload = SDJWTVerifier(presentation, issuer_key, expected_aud=aud, expected_nonce=nonce,
                            serialization_format="compact").get_verified_payload()
    payload.pop("cnf", None)
    return payload


def make():
    cases = []
    now = int(time.time())
    for sign_alg, kty in [("ES256", {"kty": "EC", "crv": "P-256"}),
                          ("ES384", {"kty": "EC", "crv": "P-384"}),
                          ("EdDSA", {"kty": "OKP", "crv": "Ed25519"})]:
        issuer = JWK.generate(**kty, kid="issuer-1")
        holder = JWK.generate(kty="EC", crv="P-256")
        issued = SDJWTIssuer(claims_for(now), issuer, holder_key=holder, sign_alg=sign_alg,
                             add_decoy_claims=True, serialization_format="compact",
                             extra_header_parameters={"typ": "dc+sd-jwt"})
        pub = json.loads(issuer.export_public())
        base = {"kind": "sdjwt", "alg": sign_alg, "issuer_jwk": pub}

        def present(disclose, nonce=NONCE, key=holder):
            h = SDJWTHolder(issued.sd_jwt_issuance, serialization_format="compact")
            h.create_presentation(disclose, nonce=nonce, aud=AUD, holder_key=key, sign_alg="ES256")
            return h.sd_jwt_presentation

        shown = present({"given_name": True, "address": {"street_address": True},
                         "nationalities": [False, True]})
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:kb", "presentation": shown,
                      "aud": AUD, "nonce": NONCE, "claims": verified(shown, pub, AUD, NONCE),
                      "expect": "valid"})
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:issuance", "presentation":
                      issued.sd_jwt_issuance, "claims": verified(issued.sd_jwt_issuance, pub),
                      "expect": "valid"})
        # Refusals: another nonce, the thief's key, a tampered disclosure, an added one.
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:other-nonce",
                      "presentation": present({"given_name": True}, nonce="other"),
                      "aud": AUD, "nonce": NONCE, "expect": "invalid", "expect_error": "nonce"})
        thief = JWK.generate(kty="EC", crv="P-256")
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:thief-key",
                      "presentation": present({"given_name": True}, key=thief),
                      "aud": AUD, "nonce": NONCE, "expect": "invalid",
                      "expect_error": "signature"})
        parts = issued.sd_jwt_issuance.split("~")
        d = parts[1]
        parts[1] = d[:-2] + ("A" if d[-2] != "A" else "B") + d[-1]
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:tampered-disclosure",
                      "presentation": "~".join(parts), "expect": "invalid"})
        other = SDJWTIssuer(claims_for(now), issuer, holder_key=holder, sign_alg=sign_alg,
                            serialization_format="compact")
        foreign = other.sd_jwt_issuance.split("~")[1]
        cases.append({**base, "id": f"sd-jwt:sdjwt:{sign_alg}:foreign-disclosure",
                      "presentation": issued.sd_jwt_issuance + foreign + "~",
                      "expect": "invalid", "expect_error": "not referenced"})
    return {"cases": cases, "make_errors": {}, "versions": {"sd-jwt": version("sd-jwt")}}


def check(cases):
    """Each case through sd-jwt's verifier. An invalid case passes only when refused for
    the named reason (`peer_error`, a substring of the peer's message). A case with
    `ignored_rest` is a disclosure the peer is known to ignore: accepted with exactly those
    other claims it is reported "unsupported" (n/a), refused it passes, anything else fails."""
    results = {}
    for c in cases:
        if c.get("kind") != "sdjwt":
            continue
        try:
            got = verified(c["presentation"], c["issuer_jwk"], c.get("aud"), c.get("nonce"))
        except Exception as e:  # every refusal of the peer is an exception
            if c["expect"] == "valid":
                results[c["id"]] = f"fail: {type(e).__name__}: {e}"[:300]
            elif c.get("peer_error") and c["peer_error"] not in str(e):
                results[c["id"]] = f"fail: refused for another reason: {e}"[:300]
            else:
                results[c["id"]] = "pass"
            continue
        if c["expect"] == "valid":
            results[c["id"]] = ("pass" if got == c["claims"]
                                else f"fail: claims differ: {json.dumps(got)[:200]}")
        elif "ignored_rest" in c and got == c["ignored_rest"]:
            results[c["id"]] = "unsupported"
        else:
            results[c["id"]] = "fail: an invalid SD-JWT was accepted"
    return results


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        with open(sys.argv[2], "w") as f:
            json.dump(make(), f)
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        with open(sys.argv[2]) as f:
            cases = json.load(f)["cases"]
        with open(sys.argv[3], "w") as f:
            json.dump({"sd-jwt": check(cases)}, f)
    else:
        print("usage: sdjwt_peer.py make OUT.json | check IN.json OUT.json", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
