//! Compact JWS against the RFC examples (RFC 7515 Appendix A and E, RFC 7520 §4.1, 4.2,
//! 4.4, RFC 8037 A.4–A.5), tampering, algorithm binding and key confusion.

mod common;

use common::{flip_each, json, rfc_entry, to_bytes};
use josecraft::jwk::Jwk;
use josecraft::jws::{self, UnverifiedCompact, Verifier, VerifierSet};
use josecraft::ParseOptions;
use josecraft::{dangerous, Error, HmacKey, JwsAlgorithm, JwsHeader, SigningKey, VerifyingKey};
use josecraft::{EdDsaAlgorithm, RsaAlgorithm};
use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use serde_json::Value;

fn jwk(v: &Value) -> Jwk {
    Jwk::from_json(&to_bytes(v)).expect("vector JWK parses")
}

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

/// Asserts the error is one a tampered token may give. `AlgorithmMismatch` is allowed only
/// when the flip changed the header's `alg` itself, which key binding rejects before any
/// cryptography.
fn assert_tamper_rejected(result: josecraft::Result<jws::VerifiedJws>, token: &str) {
    match result {
        Err(Error::Malformed { .. }) | Err(Error::InvalidSignature) => {}
        Err(Error::AlgorithmMismatch { found, .. }) => {
            let (header, _) = dangerous::decode_unverified(token).unwrap();
            assert_eq!(header.alg(), Some(found.as_str()), "{token}");
        }
        other => panic!("tampered token {token} gave {other:?}"),
    }
}

fn tamper_all(token: &str, key: &dyn Verifier) -> usize {
    let mut n = 0;
    for part in 0..3 {
        // Every byte of header and signature, a spread of the payload.
        let step = if part == 1 { 7 } else { 1 };
        for t in flip_each(token, part, step) {
            assert_tamper_rejected(jws::verify_compact(&t, key), &t);
            n += 1;
        }
    }
    n
}

#[test]
fn rfc7515_a1_hs256_verifies_and_resigns_exactly() {
    let e = rfc_entry("rfc7515.json", "RFC7515-A.1-HS256");
    let key = jwk(&e["key"])
        .to_hmac_key(Some(HmacAlgorithm::Hs256))
        .unwrap();
    let compact = s(&e["expected"]["compact"]);
    let v = jws::verify_compact(compact, &key).unwrap();
    assert_eq!(v.payload(), s(&e["input"]["payload_utf8"]).as_bytes());
    assert_eq!(v.header().typ(), Some("JWT"));
    // The header has CR LF and a space: sign those exact bytes.
    let token = dangerous::sign_compact_with_header_json(
        s(&e["input"]["protected_header_utf8"]).as_bytes(),
        s(&e["input"]["payload_utf8"]).as_bytes(),
        &key,
    )
    .unwrap();
    assert_eq!(token, compact);
    assert!(tamper_all(compact, &key) > 50);
}

#[test]
fn rfc7515_a2_rs256_verifies_and_resigns_exactly() {
    let e = rfc_entry("rfc7515.json", "RFC7515-A.2-RS256");
    let k = jwk(&e["key"]);
    let signer = k.to_signing_key(Some(SignatureAlgorithm::Rs256)).unwrap();
    let verifier = k.to_verifying_key(Some(SignatureAlgorithm::Rs256)).unwrap();
    let compact = s(&e["expected"]["compact"]);
    let v = jws::verify_compact(compact, &verifier).unwrap();
    assert_eq!(v.payload(), s(&e["input"]["payload_utf8"]).as_bytes());
    let token = dangerous::sign_compact_with_header_json(
        s(&e["input"]["protected_header_utf8"]).as_bytes(),
        s(&e["input"]["payload_utf8"]).as_bytes(),
        &signer,
    )
    .unwrap();
    assert_eq!(token, compact);
    tamper_all(compact, &verifier);
}

#[test]
fn rfc7515_a3_es256_verifies() {
    let e = rfc_entry("rfc7515.json", "RFC7515-A.3-ES256");
    let k = jwk(&e["key"]);
    let verifier = k.to_verifying_key(Some(SignatureAlgorithm::Es256)).unwrap();
    let compact = s(&e["expected"]["compact"]);
    let v = jws::verify_compact(compact, &verifier).unwrap();
    assert_eq!(v.payload(), s(&e["input"]["payload_utf8"]).as_bytes());
    tamper_all(compact, &verifier);
    // ECDSA is randomized: a fresh signature over the same input verifies too.
    let signer = k.to_signing_key(Some(SignatureAlgorithm::Es256)).unwrap();
    let again = dangerous::sign_compact_with_header_json(
        s(&e["input"]["protected_header_utf8"]).as_bytes(),
        s(&e["input"]["payload_utf8"]).as_bytes(),
        &signer,
    )
    .unwrap();
    jws::verify_compact(&again, &verifier).unwrap();
}

/// Every verify entry point, with keys of every kind, refuses RFC 7515 A.5 (`alg: none`).
#[test]
fn rfc7515_a5_unsecured_is_rejected_by_every_verify_function() {
    let e = rfc_entry("rfc7515.json", "RFC7515-A.5-none");
    let compact = s(&e["expected"]["compact"]);
    let hmac = HmacKey::new(HmacAlgorithm::Hs256, &[0u8; 32]).unwrap();
    let es = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .verifying_key();
    let ed = SigningKey::generate(SignatureAlgorithm::EdDsa)
        .unwrap()
        .verifying_key();
    let keys: [&dyn Verifier; 3] = [&hmac, &es, &ed];
    for key in keys {
        let err = jws::verify_compact(compact, key).unwrap_err();
        assert_eq!(
            err,
            Error::AlgorithmMismatch {
                expected: key.algorithm().name().into(),
                found: "none".into()
            }
        );
        let err = UnverifiedCompact::parse(compact)
            .unwrap()
            .verify(key)
            .unwrap_err();
        assert!(matches!(err, Error::AlgorithmMismatch { .. }));
    }
    let set = VerifierSet::new()
        .with(hmac.clone())
        .with(es.clone())
        .with(ed);
    let err = jws::verify_compact(compact, &set).unwrap_err();
    assert!(
        matches!(err, Error::AlgorithmMismatch { ref found, .. } if found == "none"),
        "{err:?}"
    );
    // Only the dangerous module reads it.
    let (header, payload) = dangerous::decode_unsecured(compact).unwrap();
    assert_eq!(header.alg(), Some("none"));
    assert_eq!(payload, s(&e["input"]["payload_utf8"]).as_bytes());
    // And none is not an algorithm a key can be bound to.
    assert!("none".parse::<JwsAlgorithm>().is_err());
}

/// RFC 7515 Appendix E, re-signed with HS256 so that only `crit` is wrong.
#[test]
fn rfc7515_e_unknown_crit_is_rejected_with_critical() {
    let e = rfc_entry("rfc7515.json", "RFC7515-E-crit-negative");
    let compact = s(&e["input"]["compact"]);
    let header = s(&e["decoded"]["protected_header_utf8"]).replace("\"none\"", "\"HS256\"");
    let key = HmacKey::new(HmacAlgorithm::Hs256, &[9u8; 32]).unwrap();
    let resigned =
        dangerous::sign_compact_with_header_json(header.as_bytes(), b"FAIL", &key).unwrap();
    let err = jws::verify_compact(&resigned, &key).unwrap_err();
    assert!(
        matches!(err, Error::Critical(ref m) if m.contains("UNDEFINED")),
        "{err:?}"
    );
    // Understood when the caller says so.
    let options = ParseOptions::new().with_critical("http://example.com/UNDEFINED");
    jws::UnverifiedCompact::parse_with(&resigned, &options)
        .and_then(|u| u.verify(&VerifierSet::new().with(key.clone())))
        .unwrap();
    // The original (alg none) is rejected as well.
    assert!(jws::verify_compact(compact, &key).is_err());
}

fn cookbook(file: &str) -> Value {
    json(&format!("rfc7520/jws/{file}"))
}

#[test]
fn rfc7520_4_1_rs256() {
    let v = cookbook("4_1.rsa_v15_signature.json");
    let k = jwk(&v["input"]["key"]);
    let verifier = k.to_verifying_key(Some(SignatureAlgorithm::Rs256)).unwrap();
    let compact = s(&v["output"]["compact"]);
    let got = jws::verify_compact(compact, &verifier).unwrap();
    assert_eq!(got.payload(), s(&v["input"]["payload"]).as_bytes());
    assert_eq!(got.header().kid(), Some("bilbo.baggins@hobbiton.example"));
    // Deterministic: re-signing gives the same token.
    let signer = k.to_signing_key(Some(SignatureAlgorithm::Rs256)).unwrap();
    let header = josecraft::base64url::decode(s(&v["signing"]["protected_b64u"])).unwrap();
    let token = dangerous::sign_compact_with_header_json(&header, got.payload(), &signer).unwrap();
    assert_eq!(token, compact);
    // The cookbook key has "use":"sig" and no alg: the caller's algorithm binds it.
    assert!(k.to_verifying_key(None).is_err());
    tamper_all(compact, &verifier);
}

#[test]
fn rfc7520_4_2_ps384() {
    let v = cookbook("4_2.rsa-pss_signature.json");
    let k = jwk(&v["input"]["key"]);
    let verifier = k.to_verifying_key(Some(SignatureAlgorithm::Ps384)).unwrap();
    let compact = s(&v["output"]["compact"]);
    let got = jws::verify_compact(compact, &verifier).unwrap();
    assert_eq!(got.payload(), s(&v["input"]["payload"]).as_bytes());
    tamper_all(compact, &verifier);
    // The same RSA key bound to PS256 or RS384 does not verify a PS384 token.
    for other in [RsaAlgorithm::Ps256, RsaAlgorithm::Rs384] {
        let wrong = k.to_verifying_key(Some(other.into())).unwrap();
        assert!(matches!(
            jws::verify_compact(compact, &wrong),
            Err(Error::AlgorithmMismatch { .. })
        ));
    }
}

#[test]
fn rfc7520_4_4_hs256() {
    let v = cookbook("4_4.hmac-sha2_integrity_protection.json");
    let k = jwk(&v["input"]["key"]);
    let key = k.to_hmac_key(Some(HmacAlgorithm::Hs256)).unwrap();
    let compact = s(&v["output"]["compact"]);
    let got = jws::verify_compact(compact, &key).unwrap();
    assert_eq!(got.payload(), s(&v["input"]["payload"]).as_bytes());
    let header = josecraft::base64url::decode(s(&v["signing"]["protected_b64u"])).unwrap();
    let token = dangerous::sign_compact_with_header_json(&header, got.payload(), &key).unwrap();
    assert_eq!(token, compact);
    tamper_all(compact, &key);
}

#[test]
fn rfc8037_a4_a5_ed25519() {
    let e = rfc_entry("rfc8037.json", "RFC8037-A.4-EdDSA");
    let k = jwk(&e["key"]);
    // The RFC's key has no alg; EdDSA and the RFC 9864 name Ed25519 are one binding.
    for alg in [EdDsaAlgorithm::EdDsa, EdDsaAlgorithm::Ed25519] {
        let signer = k
            .to_signing_key(Some(SignatureAlgorithm::from(alg)))
            .unwrap();
        let verifier = k
            .to_verifying_key(Some(SignatureAlgorithm::from(alg)))
            .unwrap();
        let compact = s(&e["expected"]["compact"]);
        let got = jws::verify_compact(compact, &verifier).unwrap();
        assert_eq!(got.payload(), s(&e["input"]["payload_utf8"]).as_bytes());
        if JwsAlgorithm::from(alg) == JwsAlgorithm::EdDsa {
            // Ed25519 is deterministic: the exact RFC token.
            let token = dangerous::sign_compact_with_header_json(
                s(&e["input"]["protected_header_utf8"]).as_bytes(),
                got.payload(),
                &signer,
            )
            .unwrap();
            assert_eq!(token, compact);
            tamper_all(compact, &verifier);
        }
    }
    let e = rfc_entry("rfc8037.json", "RFC8037-A.5-EdDSA-verify");
    let verifier = jwk(&e["key"])
        .to_verifying_key(Some(SignatureAlgorithm::EdDsa))
        .unwrap();
    let compact = s(&e["input"]["compact"]);
    jws::verify_compact(compact, &verifier).unwrap();
}

/// A key of every algorithm, from the vectors where ring needs an existing RSA key.
fn signer_for(alg: JwsAlgorithm) -> Box<dyn SignerAndVerifier> {
    match alg {
        JwsAlgorithm::Hs256 | JwsAlgorithm::Hs384 | JwsAlgorithm::Hs512 => {
            Box::new(HmacKey::generate(HmacAlgorithm::try_from(alg).unwrap()).unwrap())
        }
        JwsAlgorithm::Rs256
        | JwsAlgorithm::Rs384
        | JwsAlgorithm::Rs512
        | JwsAlgorithm::Ps256
        | JwsAlgorithm::Ps384
        | JwsAlgorithm::Ps512 => {
            let pem = common::text("keys/rsa2048.pkcs8.pem");
            Box::new(
                SigningKey::from_pem(SignatureAlgorithm::try_from(alg).unwrap(), &pem).unwrap(),
            )
        }
        _ => Box::new(SigningKey::generate(SignatureAlgorithm::try_from(alg).unwrap()).unwrap()),
    }
}

trait SignerAndVerifier {
    fn signer(&self) -> &dyn jws::Signer;
    fn verifier(&self) -> Box<dyn Verifier>;
    fn rebind(&self, alg: JwsAlgorithm) -> Option<Box<dyn Verifier>>;
}

impl SignerAndVerifier for HmacKey {
    fn signer(&self) -> &dyn jws::Signer {
        self
    }
    fn verifier(&self) -> Box<dyn Verifier> {
        Box::new(self.clone())
    }
    fn rebind(&self, alg: JwsAlgorithm) -> Option<Box<dyn Verifier>> {
        let jwk = self.to_secret_jwk();
        let k = HmacKey::new(HmacAlgorithm::try_from(alg).ok()?, jwk_k(&jwk)).ok()?;
        Some(Box::new(k))
    }
}

fn jwk_k(jwk: &Jwk) -> &[u8] {
    match jwk.params() {
        josecraft::jwk::KeyParams::Oct { k } => k.expose(),
        _ => unreachable!(),
    }
}

impl SignerAndVerifier for SigningKey {
    fn signer(&self) -> &dyn jws::Signer {
        self
    }
    fn verifier(&self) -> Box<dyn Verifier> {
        Box::new(self.verifying_key())
    }
    fn rebind(&self, alg: JwsAlgorithm) -> Option<Box<dyn Verifier>> {
        // The same public key material, without its alg, bound by the caller to `alg`.
        let mut v: Value = serde_json::from_str(&self.to_jwk().to_json()).unwrap();
        v.as_object_mut().unwrap().remove("alg");
        let jwk = Jwk::from_json(&to_bytes(&v)).unwrap();
        jwk.to_verifying_key(Some(SignatureAlgorithm::try_from(alg).ok()?))
            .ok()
            .map(|k| Box::new(k) as Box<dyn Verifier>)
    }
}

#[test]
fn every_algorithm_round_trips_and_is_bound() {
    for alg in JwsAlgorithm::ALL {
        let key = signer_for(alg);
        let header = JwsHeader::new().with_typ("JWT");
        let token = jws::sign_compact(&header, b"{\"sub\":\"x\"}", key.signer()).unwrap();
        let verified = jws::verify_compact(&token, &*key.verifier()).unwrap();
        assert_eq!(verified.payload(), b"{\"sub\":\"x\"}", "{alg}");
        assert_eq!(verified.header().alg(), Some(alg.name()));
        // The same key material bound to any other algorithm of its family refuses it.
        for other in JwsAlgorithm::ALL {
            if alg.accepts(other.name()) {
                continue;
            }
            if let Some(wrong) = key.rebind(other) {
                assert_eq!(
                    jws::verify_compact(&token, &*wrong).unwrap_err(),
                    Error::AlgorithmMismatch {
                        expected: other.name().into(),
                        found: alg.name().into()
                    },
                    "{alg} verified by a key bound to {other}"
                );
            }
        }
    }
}

/// RS256→HS256 key confusion: an HS256 token whose secret is the verifier's public key
/// bytes (PEM or DER) is refused by that public key.
#[test]
fn hs256_with_public_key_bytes_as_secret_is_rejected() {
    for (alg, pem_file, der_file) in [
        (
            SignatureAlgorithm::Rs256,
            "keys/rsa2048.spki.pem",
            "keys/rsa2048.spki.der",
        ),
        (
            SignatureAlgorithm::Es256,
            "keys/p256.spki.pem",
            "keys/p256.spki.der",
        ),
        (
            SignatureAlgorithm::Es384,
            "keys/p384.spki.pem",
            "keys/p384.spki.der",
        ),
    ] {
        let pem = common::text(pem_file);
        let der = common::bytes(der_file);
        let public = VerifyingKey::from_pem(alg, &pem).unwrap();
        for secret in [pem.as_bytes(), &der[..]] {
            let forged_key = HmacKey::new(HmacAlgorithm::Hs256, secret).unwrap();
            let forged =
                jws::sign_compact(&JwsHeader::new(), b"{\"admin\":true}", &forged_key).unwrap();
            assert_eq!(
                jws::verify_compact(&forged, &public).unwrap_err(),
                Error::AlgorithmMismatch {
                    expected: alg.name().into(),
                    found: "HS256".into()
                }
            );
            let set = VerifierSet::new().with(public.clone());
            assert!(matches!(
                jws::verify_compact(&forged, &set),
                Err(Error::AlgorithmMismatch { .. })
            ));
        }
    }
}

#[test]
fn key_sets_select_by_kid_and_alg() {
    let a = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("a");
    let b = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("b");
    let c = HmacKey::generate(HmacAlgorithm::Hs256)
        .unwrap()
        .with_key_id("c");
    let set = VerifierSet::new()
        .with(a.verifying_key())
        .with(b.verifying_key())
        .with(c.clone());
    let opts = ParseOptions::default();
    for signer in [&a as &dyn jws::Signer, &b, &c] {
        let t = jws::sign_compact(&JwsHeader::new(), b"x", signer).unwrap();
        let v = jws::UnverifiedCompact::parse_with(&t, &opts)
            .and_then(|u| u.verify(&set))
            .unwrap();
        assert_eq!(v.header().kid(), signer.key_id());
    }
    // A token signed by a with b's kid fails on the signature, not by trying a.
    let lying = jws::sign_compact(&JwsHeader::new().with_kid("b"), b"x", &a).unwrap();
    assert_eq!(
        jws::UnverifiedCompact::parse_with(&lying, &opts)
            .and_then(|u| u.verify(&set))
            .unwrap_err(),
        Error::InvalidSignature
    );
    // No kid and two ES256 keys: ambiguous, never "try both".
    let anonymous = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let t = jws::sign_compact(&JwsHeader::new(), b"x", &anonymous).unwrap();
    assert!(matches!(
        jws::UnverifiedCompact::parse_with(&t, &opts).and_then(|u| u.verify(&set)),
        Err(Error::KeySelection(
            josecraft::KeySelectionError::SeveralKeys { .. }
        ))
    ));
    // Unknown kid.
    let t = jws::sign_compact(&JwsHeader::new().with_kid("zz"), b"x", &anonymous).unwrap();
    assert!(matches!(
        jws::UnverifiedCompact::parse_with(&t, &opts).and_then(|u| u.verify(&set)),
        Err(Error::KeySelection(
            josecraft::KeySelectionError::NoKey { .. }
        ))
    ));
}

#[test]
fn header_rules_on_signing() {
    let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    // A header naming another algorithm.
    assert!(matches!(
        jws::sign_compact(&JwsHeader::new().with_alg(JwsAlgorithm::Hs512), b"", &key),
        Err(Error::AlgorithmMismatch { .. })
    ));
    // Producer crit rules.
    for header in [
        JwsHeader::new().with_crit(Vec::<String>::new()),
        JwsHeader::new().with_crit(["alg"]),
        JwsHeader::new().with_crit(["ext"]),
        JwsHeader::new().with_b64(false),
    ] {
        assert!(matches!(
            jws::sign_compact(&header, b"", &key),
            Err(Error::Critical(_))
        ));
    }
    let ok = JwsHeader::new()
        .with_member("ext", 1)
        .unwrap()
        .with_crit(["ext"]);
    let t = jws::sign_compact(&ok, b"", &key).unwrap();
    // The recipient must understand it.
    assert!(matches!(
        jws::verify_compact(&t, &key),
        Err(Error::Critical(_))
    ));
    let v = jws::UnverifiedCompact::parse_with(&t, &ParseOptions::new().with_critical("ext"))
        .and_then(|u| u.verify(&VerifierSet::new().with(key.clone())))
        .unwrap();
    assert_eq!(v.header().extra::<u32>("ext").unwrap(), Some(1));
    // The key's kid goes into the header unless the header has one.
    let kk = key.clone().with_key_id("from-key");
    let t = jws::sign_compact(&JwsHeader::new(), b"", &kk).unwrap();
    assert_eq!(
        jws::verify_compact(&t, &kk).unwrap().header().kid(),
        Some("from-key")
    );
    let t = jws::sign_compact(&JwsHeader::new().with_kid("mine"), b"", &kk).unwrap();
    assert_eq!(
        jws::verify_compact(&t, &kk).unwrap().header().kid(),
        Some("mine")
    );
}

#[test]
fn structural_rejections() {
    let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    let good = jws::sign_compact(&JwsHeader::new(), b"payload", &key).unwrap();
    let parts: Vec<&str> = good.split('.').collect();
    let malformed = |t: &str| {
        assert!(
            matches!(jws::verify_compact(t, &key), Err(Error::Malformed { .. })),
            "{t:?} accepted or wrong error: {:?}",
            jws::verify_compact(t, &key)
        )
    };
    malformed("");
    malformed(".");
    malformed("..");
    malformed(&format!("{}.{}", parts[0], parts[1]));
    malformed(&format!("{good}."));
    malformed(&format!("{good}.x.y")); // five parts: a JWE shape
    malformed(&format!(" {good}"));
    malformed(&format!("{good}\n"));
    malformed(&format!("{}=.{}.{}", parts[0], parts[1], parts[2]));
    malformed(&format!("{}.{}.{}=", parts[0], parts[1], parts[2]));
    // The signature is checked before the payload is decoded; either rejection is fine.
    let t = format!("{}.{}+.{}", parts[0], parts[1], parts[2]);
    assert!(matches!(
        jws::verify_compact(&t, &key),
        Err(Error::Malformed { .. } | Error::InvalidSignature)
    ));
    // Headers that are not strict JSON objects.
    for header in [
        "[]",
        "\"x\"",
        "{\"alg\":\"HS256\",\"alg\":\"HS256\"}",
        "{\"alg\":\"HS256\"",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":\"HS256\",\"kid\":1}",
        "{\"alg\":\"HS256\",\"crit\":\"b64\"}",
    ] {
        let t = format!(
            "{}.{}.{}",
            josecraft::base64url::encode(header),
            parts[1],
            parts[2]
        );
        malformed(&t);
    }
    // Limits come first.
    let limits = josecraft::Limits::default().with_max_token_len(good.len() - 1);
    assert!(matches!(
        jws::UnverifiedCompact::parse_with(&good, &ParseOptions::new().with_limits(limits))
            .and_then(|u| u.verify(&VerifierSet::new().with(key.clone()))),
        Err(Error::LimitExceeded {
            limit: josecraft::Limit::TokenLength,
            ..
        })
    ));
}

#[test]
fn detached_and_unencoded_compact() {
    let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    let t = jws::sign_compact_detached(&JwsHeader::new(), b"outside", &key).unwrap();
    assert_eq!(t.split('.').nth(1), Some(""));
    let opts = ParseOptions::default();
    let v = UnverifiedCompact::parse_detached_with(&t, b"outside", &opts)
        .unwrap()
        .verify(&key)
        .unwrap();
    assert_eq!(v.payload(), b"outside");
    assert_eq!(
        UnverifiedCompact::parse_detached_with(&t, b"other", &opts)
            .unwrap()
            .verify(&key)
            .unwrap_err(),
        Error::InvalidSignature
    );
    // Without the detached payload it is an empty payload, and the signature fails.
    assert_eq!(
        jws::verify_compact(&t, &key).unwrap_err(),
        Error::InvalidSignature
    );
    // RFC 7797: b64 false with crit.
    let h = JwsHeader::new().with_b64(false).with_crit(["b64"]);
    let t = jws::sign_compact(&h, b"$.02", &key);
    assert!(
        matches!(t, Err(Error::Malformed { .. })),
        "'.' in a non-detached unencoded payload"
    );
    let t = jws::sign_compact(&h, b"$x02", &key).unwrap();
    assert_eq!(t.split('.').nth(1), Some("$x02"));
    assert_eq!(jws::verify_compact(&t, &key).unwrap().payload(), b"$x02");
}
