//! Hostile key material, built member by member: every conversion of a JWK (validate, JWS
//! and JWE keys, key sets, thumbprints, export) must answer a typed error or a working key,
//! never panic. Key material reaches josecraft from published JWK Sets, from files and, in
//! DPoP or client registration, from the token itself.
//!
//! The fuzz target `jwk_members` (fuzz/) drives the same conversions with coverage
//! guidance; this suite keeps the edge cases of each member in CI.

use josecraft::base64url;
use josecraft::jwk::{DecryptorPolicy, Jwk, JwkSet, ThumbprintHash, VerifierPolicy};
use josecraft::KeyManagementAlgorithm;
use josecraft::{AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm};
use josecraft::{Error, JwsAlgorithm};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

mod common;

/// A real two-prime RSA key (RFC 7515 A.2), member by member.
fn rsa_members() -> Map<String, Value> {
    let e = common::rfc_entry("rfc7515.json", "RFC7515-A.2-RS256");
    let jwk = e["key"]
        .as_object()
        .or_else(|| e["jwk"].as_object())
        .unwrap();
    jwk.clone()
}

fn b(v: &Value) -> Vec<u8> {
    base64url::decode(v.as_str().unwrap()).unwrap()
}

fn s(bytes: &[u8]) -> Value {
    Value::from(base64url::encode(bytes))
}

/// `x + delta` for a big-endian integer (delta = ±1), wrapping at the width.
fn add_one(x: &[u8], delta: i8) -> Vec<u8> {
    let mut out = x.to_vec();
    for byte in out.iter_mut().rev() {
        if delta > 0 {
            let (v, carry) = byte.overflowing_add(1);
            *byte = v;
            if !carry {
                break;
            }
        } else {
            let (v, borrow) = byte.overflowing_sub(1);
            *byte = v;
            if !borrow {
                break;
            }
        }
    }
    out
}

/// Runs every conversion of a JWK document; returns whether the key verified as RS256.
fn exercise(doc: &Value) -> Option<bool> {
    let text = serde_json::to_vec(doc).unwrap();
    let jwk = Jwk::from_json(&text).ok()?;
    let _ = jwk.validate();
    let _ = jwk.thumbprint_b64(ThumbprintHash::Sha256);
    let _ = jwk.to_public();
    let _ = jwk.to_spki_der();
    let _ = jwk.to_pkcs8_der();
    let _ = jwk.to_hmac_key(Some(HmacAlgorithm::Hs256));
    let _ = jwk.to_symmetric_key(Some(KeyManagementAlgorithm::A128Kw), None);
    for &alg in SignatureAlgorithm::ALL {
        let _ = jwk.to_verifying_key(Some(alg));
        let _ = jwk.to_signing_key(Some(alg));
    }
    for &alg in AsymmetricKeyManagement::ALL {
        let _ = jwk.to_encryption_key(Some(alg));
        let _ = jwk.to_decryption_key(Some(alg));
    }
    let set = JwkSet::new().with(jwk.clone());
    let _ = set.verifier_with(&VerifierPolicy::new().with_algorithm(JwsAlgorithm::Rs256));
    let _ = set
        .decryptor_with(&DecryptorPolicy::new().with_algorithm(KeyManagementAlgorithm::RsaOaep256));
    let _ = JwkSet::from_json(format!("{{\"keys\":[{}]}}", doc).as_bytes());
    Some(
        jwk.to_verifying_key(Some(SignatureAlgorithm::Rs256))
            .is_ok(),
    )
}

#[test]
fn rsa_private_exponent_without_crt_members_is_checked_before_prime_recovery() {
    // The original report: a valid modulus with `"d":"AA"` and no CRT members panicked in
    // the rsa crate's prime recovery, from validate, every key conversion, a key set and
    // the CLI.
    let m = rsa_members();
    let n = b(&m["n"]);
    let d = b(&m["d"]);
    for bad_d in [
        vec![0u8],
        vec![1],
        vec![2],
        add_one(&n, -1),
        n.clone(),
        add_one(&n, 1),
        [n.clone(), vec![0]].concat(),
        vec![0xff; n.len()],
        add_one(&d, 1),
    ] {
        let doc = json!({"kty": "RSA", "n": m["n"], "e": "AQAB", "d": s(&bad_d)});
        let jwk = Jwk::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert!(
            matches!(jwk.validate(), Err(Error::KeyRejected(_))),
            "d = {:?}…",
            &bad_d[..bad_d.len().min(4)]
        );
        for r in [
            jwk.to_verifying_key(Some(SignatureAlgorithm::Rs256))
                .map(|_| ()),
            jwk.to_signing_key(Some(SignatureAlgorithm::Rs256))
                .map(|_| ()),
            jwk.to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep256))
                .map(|_| ()),
        ] {
            assert!(matches!(r, Err(Error::KeyRejected(_))), "{r:?}");
        }
        exercise(&doc);
    }
    // The real d without CRT members is recovered and works.
    let doc = json!({"kty": "RSA", "n": m["n"], "e": m["e"], "d": m["d"]});
    assert_eq!(exercise(&doc), Some(true));
}

#[test]
fn rsa_public_exponents_and_moduli_at_the_edges() {
    let m = rsa_members();
    let n = b(&m["n"]);
    for e in [
        vec![],
        vec![0],
        vec![1],
        vec![2],
        vec![3],
        vec![1, 0, 0],
        vec![1, 0, 1],
        vec![0xff; 8],
        n.clone(),
    ] {
        if e.is_empty() {
            continue; // an empty member is malformed base64url content, refused at parse
        }
        let doc = json!({"kty": "RSA", "n": m["n"], "e": s(&e), "d": m["d"]});
        exercise(&doc);
        let public = json!({"kty": "RSA", "n": m["n"], "e": s(&e)});
        exercise(&public);
    }
    for n in [
        vec![0u8],
        vec![1],
        vec![3],
        add_one(&n, 1), // even
        n[1..].to_vec(),
        [vec![1], n.clone()].concat(),
        vec![0xff; 1025],
    ] {
        let doc = json!({"kty": "RSA", "n": s(&n), "e": "AQAB", "d": m["d"]});
        let jwk = Jwk::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert!(jwk.validate().is_err());
        exercise(&doc);
    }
}

#[test]
fn rsa_crt_members_must_belong_to_the_key() {
    let m = rsa_members();
    let good = exercise(&Value::Object(m.clone()));
    assert_eq!(good, Some(true));
    let p = b(&m["p"]);
    let q = b(&m["q"]);
    let cases: Vec<(&str, Value)> = vec![
        ("p", m["q"].clone()),
        ("q", m["p"].clone()),
        ("p", s(&add_one(&p, 1))),
        ("q", s(&add_one(&q, -1))),
        ("p", s(&[1])),
        ("q", m["n"].clone()),
        ("dp", m["dq"].clone()),
        ("dq", s(&[1])),
        ("qi", s(&[0])),
        ("qi", m["p"].clone()),
    ];
    for (member, value) in cases {
        let mut bad = m.clone();
        bad.insert(member.to_string(), value);
        let doc = Value::Object(bad);
        let jwk = Jwk::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert!(jwk.validate().is_err(), "{member} accepted");
        assert!(
            jwk.to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep256))
                .is_err(),
            "{member} accepted for RSA-OAEP-256"
        );
        assert!(
            jwk.to_signing_key(Some(SignatureAlgorithm::Rs256)).is_err(),
            "{member} accepted for RS256"
        );
        exercise(&doc);
    }
}

/// One member value: a few meaningful integers of the key, or arbitrary bytes.
fn member_value(key: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = key.clone();
    prop_oneof![
        Just(vec![0u8]),
        Just(vec![1u8]),
        Just(n.clone()),
        Just(add_one(&n, -1)),
        Just(add_one(&n, 1)),
        prop::collection::vec(any::<u8>(), 1..80),
        prop::collection::vec(any::<u8>(), n.len()..=n.len()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// RSA JWKs with every member replaced by an edge integer or arbitrary bytes.
    #[test]
    fn rsa_members_never_panic(
        which in prop::collection::vec(0usize..8, 1..4),
        values in prop::collection::vec(member_value(b(&rsa_members()["n"])), 4),
        drop_crt in any::<bool>(),
    ) {
        let mut m = rsa_members();
        let names = ["n", "e", "d", "p", "q", "dp", "dq", "qi"];
        for (i, w) in which.iter().enumerate() {
            m.insert(names[*w].into(), s(&values[i % values.len()]));
        }
        if drop_crt {
            for c in ["p", "q", "dp", "dq", "qi"] {
                m.remove(c);
            }
        }
        exercise(&Value::Object(m));
    }

    /// EC and OKP JWKs with coordinates and scalars at the edges, on every curve name.
    #[test]
    fn ec_and_okp_members_never_panic(
        crv in prop::sample::select(vec!["P-256", "P-384", "P-521", "secp256k1", "Ed25519", "X25519", "Ed448", "X448", "P-192"]),
        x in prop::collection::vec(any::<u8>(), 0..70),
        y in prop::collection::vec(any::<u8>(), 0..70),
        d in prop::option::of(prop::collection::vec(any::<u8>(), 0..70)),
        fill in prop::sample::select(vec![0u8, 1, 0xff]),
    ) {
        let len = match crv { "P-384" => 48, "P-521" => 66, _ => 32 };
        let x = if x.is_empty() { vec![fill; len] } else { x };
        let okp = matches!(crv, "Ed25519" | "X25519" | "Ed448" | "X448");
        let mut doc = if okp {
            json!({"kty": "OKP", "crv": crv, "x": s(&x)})
        } else {
            json!({"kty": "EC", "crv": crv, "x": s(&x), "y": s(if y.is_empty() { &x } else { &y })})
        };
        if let Some(d) = d {
            let d = if d.is_empty() { vec![fill; len] } else { d };
            doc["d"] = s(&d);
        }
        exercise(&doc);
    }
}
