//! JSON Web Keys: RFC 7638 and RFC 8037 thumbprints, PEM/DER to JWK, strict parsing.

mod common;

use common::{rfc_entry, text, to_bytes};
use josecraft::jwk::{Jwk, ThumbprintHash};
#[allow(unused_imports)]
use josecraft::jws::Verifier as _;
use josecraft::HmacAlgorithm;
use josecraft::SignatureAlgorithm;
use josecraft::{Error, JwsAlgorithm, SigningKey, VerifyingKey};

#[test]
fn rfc7638_and_rfc8037_thumbprints() {
    for (file, id) in [
        ("rfc7638.json", "RFC7638-3.1"),
        ("rfc8037.json", "RFC8037-A.3"),
    ] {
        let e = rfc_entry(file, id);
        let jwk = Jwk::from_json(&to_bytes(&e["jwk"])).unwrap();
        assert_eq!(
            jwk.thumbprint_input(),
            e["expected"]["canonical_json"].as_str().unwrap()
        );
        assert_eq!(
            jwk.thumbprint_b64(ThumbprintHash::Sha256),
            e["expected"]["thumbprint_b64u"].as_str().unwrap()
        );
        assert_eq!(
            jwk.thumbprint_uri(ThumbprintHash::Sha256),
            format!(
                "urn:ietf:params:oauth:jwk-thumbprint:sha-256:{}",
                e["expected"]["thumbprint_b64u"].as_str().unwrap()
            )
        );
        assert_eq!(jwk.thumbprint(ThumbprintHash::Sha384).len(), 48);
        assert_eq!(jwk.thumbprint(ThumbprintHash::Sha512).len(), 64);
    }
}

#[test]
fn pem_to_jwk_for_every_key_type() {
    for (file, private) in [
        ("keys/rsa2048.pkcs8.pem", true),
        ("keys/rsa2048.pkcs1.pem", true),
        ("keys/rsa2048.spki.pem", false),
        ("keys/p256.sec1.pem", true),
        ("keys/p384.spki.pem", false),
        ("keys/ed25519.pkcs8.pem", true),
        ("keys/ed25519.spki.pem", false),
    ] {
        let jwk = Jwk::from_pem(&text(file)).unwrap();
        assert_eq!(jwk.is_private(), private, "{file}");
        assert_eq!(jwk.alg(), None);
        // Round trip through JSON keeps it.
        assert_eq!(Jwk::from_json(jwk.to_json().as_bytes()).unwrap(), jwk);
    }
    // A certificate gives the public JWK with x5c.
    let jwk = Jwk::from_pem(&text("keys/p256.cert.pem")).unwrap();
    assert!(!jwk.is_private());
    assert_eq!(jwk.x5c().map(<[String]>::len), Some(1));
    let from_spki = Jwk::from_pem(&text("keys/p256.spki.pem")).unwrap();
    assert_eq!(
        jwk.thumbprint_b64(ThumbprintHash::Sha256),
        from_spki.thumbprint_b64(ThumbprintHash::Sha256)
    );
    // The JWK and the PEM give the same key.
    let from_pem =
        VerifyingKey::from_pem(SignatureAlgorithm::Es256, &text("keys/p256.spki.pem")).unwrap();
    assert_eq!(
        jwk.to_verifying_key(Some(SignatureAlgorithm::Es256))
            .unwrap(),
        from_pem
    );
    // A private key and its public key share a thumbprint.
    let private =
        SigningKey::from_pem(SignatureAlgorithm::Es256, &text("keys/p256.pkcs8.pem")).unwrap();
    assert_eq!(
        private
            .to_private_jwk()
            .thumbprint_b64(ThumbprintHash::Sha256),
        from_spki.thumbprint_b64(ThumbprintHash::Sha256)
    );
}

#[test]
fn strict_parsing() {
    let bad = [
        r#"{}"#,
        r#"{"kty":1}"#,
        r#"{"kty":"EC","crv":"P-256","x":"AAAA"}"#,
        r#"{"kty":"oct","k":"AAAA","k":"AAAA"}"#,
        r#"{"kty":"oct","k":"AAAA="}"#,
        r#"{"kty":"oct","k":"AB"}"#,
        r#"{"kty":"oct","k":"AAAA","kid":5}"#,
        r#"{"kty":"oct","k":"AAAA","key_ops":"sign"}"#,
        r#"{"kty":"oct","k":"AAAA","key_ops":["sign","sign"]}"#,
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB","p":"AQAB"}"#,
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","p":"AQAB"}"#,
        r#"{"kty":"oct","k":"AAAA","ext":{"a":1,"a":2}}"#,
    ];
    for json in bad {
        assert!(
            matches!(
                Jwk::from_json(json.as_bytes()),
                Err(Error::Malformed { .. })
            ),
            "{json}"
        );
    }
    assert!(matches!(
        Jwk::from_json(br#"{"kty":"XYZ"}"#),
        Err(Error::Unsupported(_))
    ));
    assert!(matches!(
        Jwk::from_json(br#"{"kty":"oct","k":"AAAA","use":"sig","key_ops":["encrypt"]}"#),
        Err(Error::KeyRejected(_))
    ));
    // A JWK's own `alg` must be registered for its key type (RFC 7517 §4.4), judged by the
    // registry, not by what josecraft implements: a published Ed448, X448 or RSA1_5 key is
    // consistent (and simply unusable here), a mismatched one is refused.
    let x57 = "A".repeat(76);
    for consistent in [
        format!(r#"{{"kty":"OKP","crv":"Ed448","x":"{x57}","alg":"EdDSA"}}"#),
        format!(r#"{{"kty":"OKP","crv":"X448","x":"{x57}","alg":"ECDH-ES+A128KW"}}"#),
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB","alg":"RSA1_5"}"#.to_string(),
        r#"{"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA","alg":"ES256K"}"#.to_string(),
    ] {
        let jwk =
            Jwk::from_json(consistent.as_bytes()).unwrap_or_else(|e| panic!("{consistent}: {e}"));
        assert_eq!(
            jwk.fits_algorithm(jwk.alg().unwrap()),
            Some(true),
            "{consistent}"
        );
    }
    for mismatched in [
        r#"{"kty":"oct","k":"AAAA","alg":"RSA1_5"}"#,
        r#"{"kty":"OKP","crv":"X448","x":"AAAA","alg":"EdDSA"}"#,
        r#"{"kty":"OKP","crv":"Ed448","x":"AAAA","alg":"ECDH-ES"}"#,
        r#"{"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA","alg":"ECDH-ES"}"#,
        r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA","alg":"ES384"}"#,
    ] {
        assert!(
            matches!(
                Jwk::from_json(mismatched.as_bytes()),
                Err(Error::KeyRejected(_))
            ),
            "{mismatched}"
        );
    }
    // Unknown members are kept, in order.
    let jwk = Jwk::from_json(br#"{"kty":"oct","z":1,"k":"AAAA","a":[true]}"#).unwrap();
    let extra: Vec<(&str, &str)> = jwk.extra_members().collect();
    assert_eq!(extra, [("z", "1"), ("a", "[true]")]);
    assert!(jwk.to_json().ends_with(r#""z":1,"a":[true]}"#));
}

#[test]
fn algorithm_binding_from_jwk() {
    let jwk = Jwk::from_pem(&text("keys/p256.spki.pem")).unwrap();
    // No alg in the JWK and none from the caller: refused, never guessed.
    assert!(matches!(
        jwk.to_verifying_key(None),
        Err(Error::KeyRejected(_))
    ));
    let with_alg = jwk.clone().with_alg("ES256");
    with_alg.to_verifying_key(None).unwrap();
    with_alg
        .to_verifying_key(Some(SignatureAlgorithm::Es256))
        .unwrap();
    // The caller and the JWK disagree.
    assert!(matches!(
        with_alg.to_verifying_key(Some(SignatureAlgorithm::Es384)),
        Err(Error::KeyRejected(_))
    ));
    // A JWE algorithm on a signature key.
    assert!(jwk
        .clone()
        .with_alg("ECDH-ES")
        .to_verifying_key(None)
        .is_err());
    // use/key_ops must allow the operation.
    assert!(jwk
        .clone()
        .with_use("enc")
        .to_verifying_key(Some(SignatureAlgorithm::Es256))
        .is_err());
    assert!(jwk
        .clone()
        .with_key_ops(["encrypt"])
        .to_verifying_key(Some(SignatureAlgorithm::Es256))
        .is_err());
    jwk.clone()
        .with_use("sig")
        .with_key_ops(["verify"])
        .to_verifying_key(Some(SignatureAlgorithm::Es256))
        .unwrap();
}

use common::json;
use josecraft::jwk::{JwkSet, KeyQuery, KeySpec, VerifierPolicy};
use josecraft::jws::{self as jws_mod, Signer};
use josecraft::{HmacKey, JwsHeader, KeySelectionError};

fn jv(v: &serde_json::Value) -> serde_json::Value {
    v.clone()
}

#[test]
fn rfc7517_appendix_a_and_b() {
    for id in ["RFC7517-A.1", "RFC7517-A.2", "RFC7517-A.3"] {
        let e = rfc_entry("rfc7517.json", id);
        let set = JwkSet::from_json(&to_bytes(&e["jwks"])).unwrap();
        assert_eq!(
            set.keys().count(),
            e["expected"]["key_count"].as_u64().unwrap() as usize
        );
        assert_eq!(set.unusable().count(), 0, "{id}");
        // Round trip: the same JSON value.
        let again: serde_json::Value = serde_json::from_str(&set.to_json()).unwrap();
        assert_eq!(again, jv(&e["jwks"]), "{id}");
        if id == "RFC7517-A.1" {
            assert!(set.keys().all(|k| !k.is_private()));
        }
        if id == "RFC7517-A.2" {
            assert!(set.keys().all(Jwk::is_private));
            // Its public parts are A.1's keys.
            let a1 =
                JwkSet::from_json(&to_bytes(&rfc_entry("rfc7517.json", "RFC7517-A.1")["jwks"]))
                    .unwrap();
            for (private, public) in set.keys().zip(a1.keys()) {
                assert_eq!(
                    private.thumbprint_b64(ThumbprintHash::Sha256),
                    public.thumbprint_b64(ThumbprintHash::Sha256)
                );
                // Every private key is consistent with its public part.
                private.to_pkcs8_der().unwrap();
            }
        }
        if id == "RFC7517-A.3" {
            let lens: Vec<usize> = set
                .keys()
                .map(|k| match k.params() {
                    josecraft::jwk::KeyParams::Oct { k } => k.len(),
                    _ => 0,
                })
                .collect();
            assert_eq!(lens, [16, 64]);
        }
    }
    let e = rfc_entry("rfc7517.json", "RFC7517-B");
    let jwk = Jwk::from_json(&to_bytes(&e["jwk"])).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&jwk.to_json()).unwrap(),
        e["jwk"]
    );
    // The x5c leaf's public key is the JWK's key.
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(&jwk.x5c().unwrap()[0])
        .unwrap();
    let from_cert = Jwk::from_der(&der).unwrap();
    assert_eq!(
        from_cert.thumbprint_b64(ThumbprintHash::Sha256),
        jwk.thumbprint_b64(ThumbprintHash::Sha256)
    );
}

#[test]
fn rfc7520_section3_keys() {
    for (file, private) in [
        ("3_1.ec_public_key.json", false),
        ("3_2.ec_private_key.json", true),
        ("3_3.rsa_public_key.json", false),
        ("3_4.rsa_private_key.json", true),
        ("3_5.symmetric_key_mac_computation.json", true),
        ("3_6.symmetric_key_encryption.json", true),
    ] {
        let v = json(&format!("rfc7520/jwk/{file}"));
        let jwk = Jwk::from_json(&to_bytes(&v)).unwrap();
        assert_eq!(jwk.is_private(), private, "{file}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&jwk.to_json()).unwrap(),
            v,
            "{file}"
        );
    }
    // The P-521 and RSA private keys sign and their public keys verify.
    for (private, public, alg) in [
        (
            "3_2.ec_private_key.json",
            "3_1.ec_public_key.json",
            SignatureAlgorithm::Es512,
        ),
        (
            "3_4.rsa_private_key.json",
            "3_3.rsa_public_key.json",
            SignatureAlgorithm::Ps384,
        ),
    ] {
        let s = Jwk::from_json(&to_bytes(&json(&format!("rfc7520/jwk/{private}"))))
            .unwrap()
            .to_signing_key(Some(alg))
            .unwrap();
        let v = Jwk::from_json(&to_bytes(&json(&format!("rfc7520/jwk/{public}"))))
            .unwrap()
            .to_verifying_key(Some(alg))
            .unwrap();
        let t = jws_mod::sign_compact(&JwsHeader::new(), b"cookbook", &s).unwrap();
        jws_mod::verify_compact(&t, &v).unwrap();
    }
}

#[test]
fn generated_keys_round_trip_for_every_type() {
    let cases: Vec<(KeySpec, Option<JwsAlgorithm>)> = vec![
        (KeySpec::Oct { len: 32 }, Some(JwsAlgorithm::Hs256)),
        (KeySpec::Oct { len: 64 }, Some(JwsAlgorithm::Hs512)),
        (KeySpec::Rsa { bits: 2048 }, Some(JwsAlgorithm::Ps256)),
        (KeySpec::P256, Some(JwsAlgorithm::Es256)),
        (KeySpec::P384, Some(JwsAlgorithm::Es384)),
        (KeySpec::P521, Some(JwsAlgorithm::Es512)),
        (KeySpec::Secp256k1, Some(JwsAlgorithm::Es256k)),
        (KeySpec::Ed25519, Some(JwsAlgorithm::EdDsa)),
        (KeySpec::X25519, None),
    ];
    for (spec, alg) in cases {
        let jwk = Jwk::generate(spec).unwrap().with_thumbprint_kid();
        let thumb = jwk.thumbprint_b64(ThumbprintHash::Sha256);
        let reparsed = Jwk::from_json(jwk.to_json().as_bytes()).unwrap();
        assert_eq!(reparsed, jwk, "{spec:?}");
        assert_eq!(reparsed.thumbprint_b64(ThumbprintHash::Sha256), thumb);
        assert_eq!(reparsed.kid(), Some(thumb.as_str()));
        if let KeySpec::Oct { .. } = spec {
            let alg = alg.unwrap();
            let k = reparsed
                .to_hmac_key(Some(HmacAlgorithm::try_from(alg).unwrap()))
                .unwrap();
            let t = jws_mod::sign_compact(&JwsHeader::new(), b"x", &k).unwrap();
            jws_mod::verify_compact(
                &t,
                &HmacKey::new(
                    HmacAlgorithm::try_from(alg).unwrap(),
                    match jwk.params() {
                        josecraft::jwk::KeyParams::Oct { k } => k.expose(),
                        _ => unreachable!(),
                    },
                )
                .unwrap(),
            )
            .unwrap();
            continue;
        }
        // PEM out and back in gives the same key and thumbprint.
        let pem = reparsed.to_pkcs8_pem().unwrap();
        let from_pem = Jwk::from_pem(&pem).unwrap();
        assert_eq!(
            from_pem.thumbprint_b64(ThumbprintHash::Sha256),
            thumb,
            "{spec:?}"
        );
        let public = reparsed.to_public().unwrap();
        assert!(!public.is_private());
        assert_eq!(public.thumbprint_b64(ThumbprintHash::Sha256), thumb);
        let spki = Jwk::from_pem(&public.to_spki_pem().unwrap()).unwrap();
        assert_eq!(spki.thumbprint_b64(ThumbprintHash::Sha256), thumb);
        if let Some(alg) = alg {
            let s = from_pem
                .clone()
                .with_kid(&thumb)
                .to_signing_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                .unwrap();
            let v = public
                .to_verifying_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                .unwrap();
            let t = jws_mod::sign_compact(&JwsHeader::new(), b"x", &s).unwrap();
            assert_eq!(
                jws_mod::verify_compact(&t, &v).unwrap().header().kid(),
                Some(thumb.as_str())
            );
        }
    }
    // For algorithm names, with alg and kid set.
    let jwk = Jwk::generate_for("ES384", None).unwrap();
    assert_eq!((jwk.alg(), jwk.crv()), (Some("ES384"), Some("P-384")));
    let dir = Jwk::generate_for("dir", Some("A256CBC-HS512")).unwrap();
    assert_eq!(dir.alg(), Some("A256CBC-HS512"));
    let pbes2 = Jwk::generate_for("PBES2-HS256+A128KW", None).unwrap();
    assert!(
        matches!(pbes2.params(), josecraft::jwk::KeyParams::Oct { k } if k.expose().iter().all(u8::is_ascii_graphic))
    );
    assert!(Jwk::generate_for("dir", None).is_err());
    assert!(Jwk::generate(KeySpec::Rsa { bits: 1024 }).is_err());
}

#[test]
fn pem_export_matches_openssl_byte_for_byte() {
    for name in ["rsa2048", "p256", "p384"] {
        let jwk = Jwk::from_pem(&text(&format!("keys/{name}.pkcs8.pem"))).unwrap();
        assert_eq!(
            *jwk.to_pkcs8_der().unwrap(),
            common::bytes(&format!("keys/{name}.pkcs8.der")),
            "{name}"
        );
        assert_eq!(
            jwk.to_spki_der().unwrap(),
            common::bytes(&format!("keys/{name}.spki.der")),
            "{name}"
        );
        assert_eq!(
            jwk.to_spki_pem().unwrap(),
            text(&format!("keys/{name}.spki.pem")),
            "{name}"
        );
    }
    let ed = Jwk::from_pem(&text("keys/ed25519.pkcs8.pem")).unwrap();
    assert_eq!(*ed.to_pkcs8_pem().unwrap(), text("keys/ed25519.pkcs8.pem"));
    assert_eq!(ed.to_spki_pem().unwrap(), text("keys/ed25519.spki.pem"));
    // Encrypted PEM is unsupported, clearly.
    assert!(matches!(
        Jwk::from_pem(&text("keys/p256.encrypted.pem")),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn rsa_without_crt_is_recovered_and_oth_is_unsupported() {
    let full = Jwk::from_pem(&text("keys/rsa2048.pkcs8.pem")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&full.to_json()).unwrap();
    for m in ["p", "q", "dp", "dq", "qi"] {
        v.as_object_mut().unwrap().remove(m);
    }
    let bare = Jwk::from_json(&to_bytes(&v)).unwrap();
    let a = full
        .to_signing_key(Some(SignatureAlgorithm::Rs256))
        .unwrap();
    let b = bare
        .to_signing_key(Some(SignatureAlgorithm::Rs256))
        .unwrap();
    // RSASSA-PKCS1-v1_5 is deterministic: the same key gives the same signature.
    assert_eq!(a.sign(b"x").unwrap(), b.sign(b"x").unwrap());
    v["oth"] = serde_json::json!([{"r": "AQAB", "d": "AQAB", "t": "AQAB"}]);
    let multi = Jwk::from_json(&to_bytes(&v)).unwrap();
    assert!(matches!(
        multi.to_signing_key(Some(SignatureAlgorithm::Rs256)),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn strict_key_validation() {
    let ec = Jwk::generate(KeySpec::P256).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&ec.to_json()).unwrap();
    let reject = |v: &serde_json::Value, alg: JwsAlgorithm| {
        let r = Jwk::from_json(&to_bytes(v))
            .and_then(|j| j.to_verifying_key(Some(SignatureAlgorithm::try_from(alg).unwrap())));
        assert!(
            matches!(r, Err(Error::KeyRejected(_) | Error::Malformed { .. })),
            "{v}: {r:?}"
        );
    };
    // A coordinate one byte short, or with a leading zero too many.
    let x = josecraft::base64url::decode(v["x"].as_str().unwrap()).unwrap();
    let mut w = v.clone();
    w["x"] = josecraft::base64url::encode(&x[1..]).into();
    reject(&w, JwsAlgorithm::Es256);
    let mut long = vec![0u8];
    long.extend(&x);
    w["x"] = josecraft::base64url::encode(&long).into();
    reject(&w, JwsAlgorithm::Es256);
    // Off the curve.
    let mut off = x.clone();
    off[5] ^= 1;
    w["x"] = josecraft::base64url::encode(&off).into();
    reject(&w, JwsAlgorithm::Es256);
    // alg contradicting the curve is refused at parse.
    v["alg"] = "ES384".into();
    assert!(matches!(
        Jwk::from_json(&to_bytes(&v)),
        Err(Error::KeyRejected(_))
    ));
    v["alg"] = "RS256".into();
    assert!(matches!(
        Jwk::from_json(&to_bytes(&v)),
        Err(Error::KeyRejected(_))
    ));
    // An RSA private key whose d belongs to another key.
    let a: serde_json::Value = serde_json::from_str(
        &Jwk::from_pem(&text("keys/rsa2048.pkcs8.pem"))
            .unwrap()
            .to_json(),
    )
    .unwrap();
    let b: serde_json::Value = serde_json::from_str(
        &Jwk::generate(KeySpec::Rsa { bits: 2048 })
            .unwrap()
            .to_json(),
    )
    .unwrap();
    let mut mixed = a.clone();
    mixed["p"] = b["p"].clone();
    let r = Jwk::from_json(&to_bytes(&mixed))
        .unwrap()
        .to_signing_key(Some(SignatureAlgorithm::Rs256));
    assert!(matches!(r, Err(Error::KeyRejected(_))), "{r:?}");
    // Ed25519 public keys must be points on the curve.
    // y = 2 has no x on edwards25519.
    let mut y2 = [0u8; 32];
    y2[0] = 2;
    let bad_ed =
        serde_json::json!({"kty":"OKP","crv":"Ed25519","x": josecraft::base64url::encode(y2)});
    reject(&bad_ed, JwsAlgorithm::EdDsa);
    // X25519 keys are not signature keys.
    let x25519 = Jwk::generate(KeySpec::X25519).unwrap();
    assert!(matches!(
        x25519.to_signing_key(Some(SignatureAlgorithm::EdDsa)),
        Err(Error::KeyRejected(_))
    ));
}

#[test]
fn to_public_maps_key_ops() {
    let jwk = Jwk::generate(KeySpec::P256)
        .unwrap()
        .with_kid("k")
        .with_alg("ES256")
        .with_key_ops(["sign", "verify"]);
    let public = jwk.to_public().unwrap();
    assert_eq!(public.key_ops().unwrap(), ["verify"]);
    assert_eq!((public.kid(), public.alg()), (Some("k"), Some("ES256")));
    let enc = Jwk::generate(KeySpec::Rsa { bits: 2048 })
        .unwrap()
        .with_key_ops(["decrypt", "unwrapKey", "deriveKey"]);
    assert_eq!(
        enc.to_public().unwrap().key_ops().unwrap(),
        ["encrypt", "wrapKey"]
    );
    assert!(Jwk::generate(KeySpec::Oct { len: 32 })
        .unwrap()
        .to_public()
        .is_err());
    // A set's public form drops oct keys.
    let set = JwkSet::new()
        .with(Jwk::generate(KeySpec::Oct { len: 32 }).unwrap())
        .with(jwk);
    let public_set = set.to_public();
    assert_eq!(public_set.keys().count(), 1);
    assert!(public_set.keys().all(|k| !k.is_private()));
}

#[test]
fn key_sets_select_and_never_guess() {
    let a = Jwk::generate_for("ES256", None).unwrap();
    let b = Jwk::generate_for("ES256", None).unwrap();
    let r = Jwk::generate_for("RS256", None).unwrap().with_use("sig");
    let set = JwkSet::new()
        .with(a.clone())
        .with(b.clone())
        .with(r.clone());
    // Selection by every criterion.
    assert_eq!(
        set.select(&KeyQuery::new().with_kid(a.kid().unwrap()))
            .unwrap(),
        &a
    );
    assert_eq!(set.select(&KeyQuery::new().with_kty("RSA")).unwrap(), &r);
    assert_eq!(
        set.select(&KeyQuery::new().with_alg("RS256").with_use("sig"))
            .unwrap(),
        &r
    );
    assert!(matches!(
        set.select(&KeyQuery::new().with_alg("ES256")),
        Err(Error::KeySelection(KeySelectionError::SeveralKeys {
            count: 2,
            ..
        }))
    ));
    assert!(matches!(
        set.select(&KeyQuery::new().with_crv("P-521")),
        Err(Error::KeySelection(KeySelectionError::NoKey { .. }))
    ));
    assert_eq!(
        set.find_all(&KeyQuery::new().with_key_op("verify")).count(),
        3
    );
    // Used directly as the key source of a JWS verification.
    let signer = a.to_signing_key(None).unwrap();
    let token = jws_mod::sign_compact(&JwsHeader::new(), b"x", &signer).unwrap();
    let public = set.to_public();
    jws_mod::verify_compact(&token, &public).unwrap();
    // A token whose kid is unknown gives KeySelection, not InvalidSignature.
    let stranger = Jwk::generate_for("ES256", None)
        .unwrap()
        .to_signing_key(None)
        .unwrap();
    let t = jws_mod::sign_compact(&JwsHeader::new(), b"x", &stranger).unwrap();
    assert!(matches!(
        jws_mod::verify_compact(&t, &public),
        Err(Error::KeySelection(KeySelectionError::NoKey { .. }))
    ));
    // Two keys with the same kid and algorithm: several keys, never the first.
    let twin = Jwk::generate(KeySpec::P256)
        .unwrap()
        .with_alg("ES256")
        .with_kid(a.kid().unwrap());
    let ambiguous = JwkSet::new()
        .with(a.to_public().unwrap())
        .with(twin.to_public().unwrap());
    assert!(matches!(
        jws_mod::verify_compact(&token, &ambiguous),
        Err(Error::KeySelection(KeySelectionError::SeveralKeys {
            count: 2,
            ..
        }))
    ));
}

#[test]
fn key_set_policy() {
    let no_alg = Jwk::from_pem(&text("keys/rsa2048.spki.pem"))
        .unwrap()
        .with_kid("r");
    let set = JwkSet::new().with(no_alg.clone());
    // No alg and no policy: skipped, with the reason.
    let v = set.verifier().unwrap();
    assert!(v.is_empty());
    assert_eq!(v.skipped().len(), 1);
    // The caller states the algorithms for keys without alg: one verifier each.
    let policy = VerifierPolicy::new()
        .with_algorithm(JwsAlgorithm::Rs256)
        .with_algorithm(JwsAlgorithm::Ps256)
        .with_algorithm(JwsAlgorithm::Es256);
    let v = set.verifier_with(&policy).unwrap();
    assert_eq!(v.len(), 2);
    let signer = SigningKey::from_pem(SignatureAlgorithm::Ps256, &text("keys/rsa2048.pkcs8.pem"))
        .unwrap()
        .with_key_id("r");
    let t = jws_mod::sign_compact(&JwsHeader::new(), b"x", &signer).unwrap();
    jws_mod::verify_compact(&t, &v).unwrap();
    // Mixed symmetric and asymmetric keys: refused unless allowed.
    let mixed = JwkSet::new()
        .with(Jwk::generate_for("HS256", None).unwrap())
        .with(
            Jwk::generate_for("ES256", None)
                .unwrap()
                .to_public()
                .unwrap(),
        );
    assert!(matches!(mixed.verifier(), Err(Error::KeyRejected(_))));
    assert!(matches!(
        jws_mod::verify_compact(&t, &mixed),
        Err(Error::KeyRejected(_))
    ));
    assert_eq!(
        mixed
            .verifier_with(&VerifierPolicy::new().with_mixed_symmetric_keys())
            .unwrap()
            .len(),
        2
    );
    // Keys for encryption are skipped for verification.
    let enc = JwkSet::new().with(Jwk::generate_for("ES256", None).unwrap().with_use("enc"));
    assert!(enc.verifier().unwrap().is_empty());
    // Size limit.
    let many = format!(
        "{{\"keys\":[{}]}}",
        [r#"{"kty":"oct","k":"AAAA"}"#; 11].join(",")
    );
    let limits = josecraft::Limits::default().with_max_keys(10);
    assert!(matches!(
        JwkSet::from_json_with(many.as_bytes(), &limits),
        Err(Error::LimitExceeded {
            limit: josecraft::Limit::KeySetSize,
            max: 10
        })
    ));
    JwkSet::from_json_with(many.as_bytes(), &limits.with_max_keys(11)).unwrap();
    // Unusable keys are kept and serialized back.
    let odd = JwkSet::from_json(br#"{"keys":[{"kty":"XYZ","q":1}],"x":true}"#).unwrap();
    assert_eq!(odd.to_json(), r#"{"keys":[{"kty":"XYZ","q":1}],"x":true}"#);
}

/// Wycheproof `json_web_key_test.json`: key sets used to verify tokens.
#[test]
fn wycheproof_json_web_key() {
    let file = json("wycheproof/json_web_key_test.json");
    let mut t = common::Tally::default();
    for group in file["testGroups"].as_array().unwrap() {
        let keys = group
            .get("public")
            .filter(|v| !v.is_null())
            .unwrap_or(&group["private"]);
        let set = JwkSet::from_json(&to_bytes(keys));
        for case in group["tests"].as_array().unwrap() {
            t.run += 1;
            let tc = case["tcId"].as_u64().unwrap();
            let token = case["jws"].as_str().unwrap();
            let result = set
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|s| jws_mod::verify_compact(token, s));
            let valid = case["result"] == "valid";
            if result.is_ok() == valid {
                t.passed += 1;
                if !valid {
                    t.errata.push((
                        tc,
                        format!("{}: rejected with {}", case["comment"], result.unwrap_err()),
                    ));
                }
            } else {
                t.failures.push(format!(
                    "tcId {tc} {}: expected {}, got {result:?}",
                    case["comment"], case["result"]
                ));
            }
        }
    }
    t.report("json_web_key_test.json");
    assert_eq!(t.run, 26);
}
