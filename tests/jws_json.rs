//! The whole RFC 7520 §4 (every serialization of every example), RFC 7515 A.4 (ES512),
//! RFC 7797 §4.1–4.2, ES256K, and tamper runs on the JSON serializations.

mod common;

use common::{flip_each, json, rfc_entry, to_bytes};
use josecraft::jwk::Jwk;
use josecraft::jws::{
    self, JsonJwsBuilder, UnverifiedCompact, UnverifiedJson, Verifier, VerifierSet,
};
use josecraft::ParseOptions;
use josecraft::{base64url, Error, HmacKey, JwsAlgorithm, JwsHeader, SigningKey};
use josecraft::{EcdsaAlgorithm, HmacAlgorithm, SignatureAlgorithm};
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn jwk(v: &Value) -> Jwk {
    Jwk::from_json(&to_bytes(v)).unwrap()
}

/// A verifier for a cookbook key bound to `alg`.
fn verifier(key: &Value, alg: JwsAlgorithm) -> Box<dyn Verifier> {
    let k = jwk(key);
    if alg.is_symmetric() {
        Box::new(
            k.to_hmac_key(Some(HmacAlgorithm::try_from(alg).unwrap()))
                .unwrap(),
        )
    } else {
        Box::new(
            k.to_verifying_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                .unwrap(),
        )
    }
}

fn signer(key: &Value, alg: JwsAlgorithm) -> Box<dyn jws::Signer> {
    let k = jwk(key);
    if alg.is_symmetric() {
        Box::new(
            k.to_hmac_key(Some(HmacAlgorithm::try_from(alg).unwrap()))
                .unwrap(),
        )
    } else {
        Box::new(
            k.to_signing_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                .unwrap(),
        )
    }
}

fn header(v: &Value) -> JwsHeader {
    JwsHeader::from_json(&to_bytes(v), &Default::default()).unwrap()
}

fn opts() -> ParseOptions {
    ParseOptions::default()
}

/// Verifies every serialization an RFC 7520 §4 example gives; returns how many.
fn verify_every_output(v: &Value, key: &dyn Verifier, payload: &[u8], detached: bool) -> usize {
    let mut n = 0;
    if let Some(compact) = v["output"]["compact"].as_str() {
        let got = if detached {
            UnverifiedCompact::parse_detached_with(compact, payload, &opts())
                .unwrap()
                .verify(key)
        } else {
            jws::verify_compact(compact, key)
        }
        .unwrap();
        assert_eq!(got.payload(), payload);
        n += 1;
    }
    for form in ["json", "json_flat"] {
        let Some(out) = v["output"].get(form) else {
            continue;
        };
        let text = out.to_string();
        let parsed = if detached {
            UnverifiedJson::parse_detached_with(&text, payload, &opts())
        } else {
            UnverifiedJson::parse_with(&text, &opts())
        }
        .unwrap();
        assert_eq!(parsed.is_flattened(), form == "json_flat");
        assert_eq!(parsed.verify(key).unwrap().payload(), payload);
        tamper_json(out, key, detached.then_some(payload));
        n += 1;
    }
    n
}

/// Flips one bit in each byte of every integrity-protected member of a JSON JWS that a
/// single-key verification relies on; every variant must be rejected.
fn tamper_json(jws: &Value, key: &dyn Verifier, detached: Option<&[u8]>) {
    let sigs: Vec<Value> = match jws.get("signatures") {
        Some(list) => list.as_array().unwrap().clone(),
        None => vec![jws.clone()],
    };
    let set = |v: &mut Value, i: Option<usize>, field: &str, b: &[u8]| {
        let target = match (i, v.get_mut("signatures")) {
            (Some(i), Some(list)) => &mut list[i],
            _ => v,
        };
        target[field] = Value::from(base64url::encode(b));
    };
    let mut targets: Vec<(Option<usize>, &str, Vec<u8>)> = Vec::new();
    if let Some(p) = jws.get("payload") {
        targets.push((None, "payload", base64url::decode(s(p)).unwrap()));
    }
    for (i, sig) in sigs.iter().enumerate() {
        for field in ["protected", "signature"] {
            if let Some(v) = sig.get(field) {
                targets.push((Some(i), field, base64url::decode(s(v)).unwrap()));
            }
        }
    }
    for (i, field, bytes) in targets {
        for at in (0..bytes.len()).step_by(3) {
            let mut b = bytes.clone();
            b[at] ^= 1 << (at % 8);
            let mut t = jws.clone();
            set(
                &mut t,
                i.filter(|_| jws.get("signatures").is_some()),
                field,
                &b,
            );
            let text = t.to_string();
            let r = match detached {
                Some(p) => UnverifiedJson::parse_detached_with(&text, p, &opts()),
                None => UnverifiedJson::parse_with(&text, &opts()),
            }
            .and_then(|u| u.verify(key));
            assert!(
                matches!(
                    r,
                    Err(Error::Malformed { .. }
                        | Error::InvalidSignature
                        | Error::AlgorithmMismatch { .. }
                        | Error::KeySelection(_))
                ),
                "{text}: {r:?}"
            );
        }
    }
}

fn cookbook(name: &str) -> Value {
    json(&format!("rfc7520/jws/{name}"))
}

#[test]
fn rfc7515_a4_es512() {
    let e = rfc_entry("rfc7515.json", "RFC7515-A.4-ES512");
    let k = jwk(&e["key"]);
    let v = k.to_verifying_key(Some(SignatureAlgorithm::Es512)).unwrap();
    let compact = s(&e["expected"]["compact"]);
    assert_eq!(
        jws::verify_compact(compact, &v).unwrap().payload(),
        b"Payload"
    );
    for part in 0..3 {
        for t in flip_each(compact, part, 1) {
            assert!(matches!(
                jws::verify_compact(&t, &v),
                Err(Error::Malformed { .. }
                    | Error::InvalidSignature
                    | Error::AlgorithmMismatch { .. })
            ));
        }
    }
    // Sign and verify again with the same key (RFC 6979 nonces on P-521).
    let signer = k.to_signing_key(Some(SignatureAlgorithm::Es512)).unwrap();
    let t = jws::sign_compact(&JwsHeader::new(), b"Payload", &signer).unwrap();
    jws::verify_compact(&t, &v).unwrap();
}

#[test]
fn rfc7520_4_1_to_4_4_every_serialization() {
    for (file, alg, deterministic) in [
        ("4_1.rsa_v15_signature.json", JwsAlgorithm::Rs256, true),
        ("4_2.rsa-pss_signature.json", JwsAlgorithm::Ps384, false),
        ("4_3.ecdsa_signature.json", JwsAlgorithm::Es512, false),
        (
            "4_4.hmac-sha2_integrity_protection.json",
            JwsAlgorithm::Hs256,
            true,
        ),
    ] {
        let v = cookbook(file);
        let payload = s(&v["input"]["payload"]).as_bytes();
        let key = verifier(&v["input"]["key"], alg);
        assert_eq!(verify_every_output(&v, &*key, payload, false), 3, "{file}");
        // Re-sign; for deterministic algorithms the output is the RFC's, byte for byte
        // in compact form and as JSON values in the JSON forms.
        let sk = signer(&v["input"]["key"], alg);
        let protected = header(&v["signing"]["protected"]);
        let flat = JsonJwsBuilder::new(payload)
            .sign(&*sk, &protected, None)
            .unwrap()
            .flattened()
            .unwrap();
        let general = JsonJwsBuilder::new(payload)
            .sign(&*sk, &protected, None)
            .unwrap()
            .general()
            .unwrap();
        let compact = jws::sign_compact(&protected, payload, &*sk).unwrap();
        if deterministic {
            assert_eq!(compact, s(&v["output"]["compact"]), "{file}");
            let flat: Value = serde_json::from_str(&flat).unwrap();
            let general: Value = serde_json::from_str(&general).unwrap();
            assert_eq!(flat, v["output"]["json_flat"], "{file}");
            assert_eq!(general, v["output"]["json"], "{file}");
        } else {
            jws::verify_compact(&compact, &*key).unwrap();
            UnverifiedJson::parse_with(&flat, &opts())
                .unwrap()
                .verify(&*key)
                .unwrap();
            UnverifiedJson::parse_with(&general, &opts())
                .unwrap()
                .verify(&*key)
                .unwrap();
        }
    }
}

#[test]
fn rfc7520_4_5_detached_every_serialization() {
    let v = cookbook("4_5.signature_with_detached_content.json");
    let payload = s(&v["input"]["payload"]).as_bytes();
    let key = verifier(&v["input"]["key"], JwsAlgorithm::Hs256);
    assert_eq!(verify_every_output(&v, &*key, payload, true), 3);
    // Without the payload the JSON forms say so; with a wrong one the signature fails.
    let flat = v["output"]["json_flat"].to_string();
    assert!(matches!(
        UnverifiedJson::parse_with(&flat, &opts()),
        Err(Error::Malformed { .. })
    ));
    assert_eq!(
        UnverifiedJson::parse_detached_with(&flat, b"other", &opts())
            .unwrap()
            .verify(&*key)
            .unwrap_err(),
        Error::InvalidSignature
    );
    let sk = signer(&v["input"]["key"], JwsAlgorithm::Hs256);
    let protected = header(&v["signing"]["protected"]);
    let out = JsonJwsBuilder::new(payload)
        .with_detached_payload()
        .sign(&*sk, &protected, None)
        .unwrap()
        .general()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        v["output"]["json"]
    );
    let compact = jws::sign_compact_detached(&protected, payload, &*sk).unwrap();
    assert_eq!(compact, s(&v["output"]["compact"]));
}

#[test]
fn rfc7520_4_6_and_4_7_unprotected_headers() {
    for (file, unprotected_alg) in [
        ("4_6.protecting_specific_header_fields.json", false),
        ("4_7.protecting_content_only.json", true),
    ] {
        let v = cookbook(file);
        assert!(
            v["output"].get("compact").is_none(),
            "{file} has no compact form"
        );
        let payload = s(&v["input"]["payload"]).as_bytes();
        let key = verifier(&v["input"]["key"], JwsAlgorithm::Hs256);
        assert_eq!(verify_every_output(&v, &*key, payload, false), 2);
        let sk = signer(&v["input"]["key"], JwsAlgorithm::Hs256);
        let protected = v["signing"]
            .get("protected")
            .map(header)
            .unwrap_or_default();
        let unprotected = header(&v["signing"]["unprotected"]);
        for (form, expected) in [
            ("flat", &v["output"]["json_flat"]),
            ("general", &v["output"]["json"]),
        ] {
            let b = JsonJwsBuilder::new(payload)
                .sign(&*sk, &protected, Some(&unprotected))
                .unwrap();
            let out = if form == "flat" {
                b.flattened()
            } else {
                b.general()
            }
            .unwrap();
            assert_eq!(
                &serde_json::from_str::<Value>(&out).unwrap(),
                expected,
                "{file} {form}"
            );
        }
        // The unprotected members are reported as such, never as verified.
        let verified = UnverifiedJson::parse_with(&v["output"]["json"].to_string(), &opts())
            .unwrap()
            .verify(&*key)
            .unwrap();
        assert_eq!(verified.header().kid(), None);
        assert_eq!(
            verified
                .unprotected_header()
                .and_then(|u| u.untrusted().kid()),
            Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037")
        );
        assert_eq!(verified.header().alg().is_none(), unprotected_alg);
        // Changing an unprotected member does not break the signature, but changing it
        // to point at another key or algorithm does not make anything verify either.
        let mut changed = v["output"]["json_flat"].clone();
        changed["header"]["kid"] = Value::from("someone-else");
        let set = VerifierSet::new().with(
            jwk(&v["input"]["key"])
                .to_hmac_key(Some(HmacAlgorithm::Hs256))
                .unwrap(),
        );
        assert!(matches!(
            UnverifiedJson::parse_with(&changed.to_string(), &opts())
                .unwrap()
                .verify(&set),
            Err(Error::KeySelection(_))
        ));
        if unprotected_alg {
            let mut changed = v["output"]["json_flat"].clone();
            changed["header"]["alg"] = Value::from("HS512");
            assert!(matches!(
                UnverifiedJson::parse_with(&changed.to_string(), &opts())
                    .unwrap()
                    .verify(&*key),
                Err(Error::AlgorithmMismatch { .. })
            ));
        }
    }
}

#[test]
fn rfc7520_4_8_three_signatures() {
    let v = cookbook("4_8.multiple_signatures.json");
    let payload = s(&v["input"]["payload"]).as_bytes();
    let keys = v["input"]["key"].as_array().unwrap();
    let algs = v["input"]["alg"].as_array().unwrap();
    let mut set = VerifierSet::new();
    let mut verifiers = Vec::new();
    for (k, a) in keys.iter().zip(algs) {
        let alg: JwsAlgorithm = s(a).parse().unwrap();
        let kid = k["kid"].as_str().unwrap().to_string();
        let j = jwk(k);
        if alg.is_symmetric() {
            set.insert(
                j.to_hmac_key(Some(HmacAlgorithm::try_from(alg).unwrap()))
                    .unwrap(),
            );
        } else {
            set.insert(
                j.to_verifying_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                    .unwrap(),
            );
        }
        verifiers.push((alg, kid, verifier(k, alg)));
    }
    let text = v["output"]["json"].to_string();
    let parsed = UnverifiedJson::parse_with(&text, &opts()).unwrap();
    assert_eq!(parsed.signature_count(), 3);
    let report = parsed.verify_each(&set).unwrap();
    assert!(report.all_verified(), "{:?}", report.outcomes());
    assert_eq!(report.verified().payload(), payload);
    // Each key alone verifies its own signature.
    for (alg, _, key) in &verifiers {
        let got = UnverifiedJson::parse_with(&text, &opts())
            .unwrap()
            .verify(&**key)
            .unwrap();
        assert_eq!(got.payload(), payload, "{alg}");
    }
    // One signature broken: the others still verify and the report says which failed.
    let mut broken = v["output"]["json"].clone();
    let sig = s(&broken["signatures"][2]["signature"]).to_string();
    let mut bytes = base64url::decode(&sig).unwrap();
    bytes[0] ^= 1;
    broken["signatures"][2]["signature"] = Value::from(base64url::encode(&bytes));
    let report = UnverifiedJson::parse_with(&broken.to_string(), &opts())
        .unwrap()
        .verify_each(&set)
        .unwrap();
    assert!(!report.all_verified());
    let results: Vec<bool> = report.outcomes().iter().map(|o| o.result.is_ok()).collect();
    assert_eq!(results, [true, true, false]);
    assert_eq!(report.outcomes()[2].result, Err(Error::InvalidSignature));
    // Re-sign the deterministic two (RS256 and HS512) with the cookbook's headers; the ES512
    // one is randomized and verified instead.
    let mut b = JsonJwsBuilder::new(payload);
    for (i, sg) in v["signing"].as_array().unwrap().iter().enumerate() {
        let alg: JwsAlgorithm = s(&algs[i]).parse().unwrap();
        let sk = signer(&keys[i], alg);
        let protected = sg.get("protected").map(header).unwrap_or_default();
        let unprotected = sg.get("unprotected").map(header);
        b = b.sign(&*sk, &protected, unprotected.as_ref()).unwrap();
    }
    let ours: Value = serde_json::from_str(&b.general().unwrap()).unwrap();
    for i in [0usize, 2] {
        assert_eq!(ours["signatures"][i], v["output"]["json"]["signatures"][i]);
    }
    let report = UnverifiedJson::parse_with(&ours.to_string(), &opts())
        .unwrap()
        .verify_each(&set)
        .unwrap();
    assert!(report.all_verified());
}

#[test]
fn rfc7797_unencoded_payloads() {
    let e = rfc_entry("rfc7797.json", "RFC7797-4.1-control");
    let key = jwk(&e["key"])
        .to_hmac_key(Some(HmacAlgorithm::Hs256))
        .unwrap();
    let compact = s(&e["expected"]["compact"]);
    assert_eq!(
        jws::verify_compact(compact, &key).unwrap().payload(),
        b"$.02"
    );
    let flat = e["expected"]["flattened_json"].to_string();
    assert_eq!(
        UnverifiedJson::parse_with(&flat, &opts())
            .unwrap()
            .verify(&key)
            .unwrap()
            .payload(),
        b"$.02"
    );
    let ours = JsonJwsBuilder::new(b"$.02")
        .sign(&key, &JwsHeader::new(), None)
        .unwrap()
        .flattened()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&ours).unwrap(),
        e["expected"]["flattened_json"]
    );

    let e = rfc_entry("rfc7797.json", "RFC7797-4.2-b64-false");
    let detached = s(&e["expected"]["compact_detached"]);
    let got = UnverifiedCompact::parse_detached_with(detached, b"$.02", &opts())
        .unwrap()
        .verify(&key)
        .unwrap();
    assert_eq!(got.payload(), b"$.02");
    assert_eq!(got.header().b64(), Some(false));
    let flat = e["expected"]["flattened_json"].to_string();
    let got = UnverifiedJson::parse_with(&flat, &opts())
        .unwrap()
        .verify(&key)
        .unwrap();
    assert_eq!(got.payload(), b"$.02");
    // Re-sign exactly with the RFC's header.
    let h = header(&serde_json::from_str(s(&e["input"]["protected_header_utf8"])).unwrap());
    let ours = JsonJwsBuilder::new(b"$.02")
        .sign(&key, &h, None)
        .unwrap()
        .flattened()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&ours).unwrap(),
        e["expected"]["flattened_json"]
    );
    assert_eq!(
        jws::sign_compact_detached(&h, b"$.02", &key).unwrap(),
        detached
    );
    // Non-detached compact with '.' in an unencoded payload is impossible (RFC 7797 §5.2).
    assert!(matches!(
        jws::sign_compact(&h, b"$.02", &key),
        Err(Error::Malformed { .. })
    ));
    // The cookbook's b64:false example without crit must not be processed as unencoded.
    let bad = json("rfc7520/rfc7797/4.2.hmac-sha2_b64_false.json");
    let bad_key = jwk(&bad["input"]["key"])
        .to_hmac_key(Some(HmacAlgorithm::Hs256))
        .unwrap();
    for form in ["json", "json_flat"] {
        let text = bad["output"][form].to_string();
        assert!(matches!(
            UnverifiedJson::parse_with(&text, &opts()),
            Err(Error::Critical(_))
        ));
    }
    // Its detached compact form is refused the same way.
    let detached = format!(
        "{}..{}",
        s(&bad["signing"]["protected_b64u"]),
        s(&bad["signing"]["sig"])
    );
    assert!(matches!(
        UnverifiedCompact::parse_detached_with(&detached, b"$.02", &opts())
            .and_then(|u| u.verify(&bad_key)),
        Err(Error::Critical(_))
    ));
    // b64 must be protected and the same for every signature.
    let mixed = JsonJwsBuilder::new(b"abc")
        .sign(&key, &h, None)
        .unwrap()
        .sign(&key, &JwsHeader::new(), None);
    assert!(matches!(mixed, Err(Error::Critical(_))));
    let in_unprotected = JsonJwsBuilder::new(b"abc").sign(
        &key,
        &JwsHeader::new().with_crit(["b64"]),
        Some(&JwsHeader::new().with_b64(false)),
    );
    assert!(in_unprotected.is_err());
    let forged = serde_json::json!({
        "payload": "abc",
        "header": {"b64": false},
        "protected": base64url::encode(r#"{"alg":"HS256","crit":["b64"]}"#),
        "signature": "AAAA"
    });
    assert!(matches!(
        UnverifiedJson::parse_with(&forged.to_string(), &opts()),
        Err(Error::Critical(_))
    ));
}

#[test]
fn es256k_round_trip_and_high_s() {
    let k = SigningKey::generate(SignatureAlgorithm::Es256k).unwrap();
    let v = k.verifying_key();
    let t = jws::sign_compact(&JwsHeader::new(), b"secp256k1", &k).unwrap();
    jws::verify_compact(&t, &v).unwrap();
    // RFC 8812 does not require low-S: the high-S twin of a signature verifies too.
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ];
    let parts: Vec<&str> = t.split('.').collect();
    let sig = base64url::decode(parts[2]).unwrap();
    let mut s_neg = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = N[i] as i16 - sig[32 + i] as i16 - borrow;
        s_neg[i] = d.rem_euclid(256) as u8;
        borrow = (d < 0) as i16;
    }
    let mut twin = sig[..32].to_vec();
    twin.extend_from_slice(&s_neg);
    let twin_token = format!("{}.{}.{}", parts[0], parts[1], base64url::encode(&twin));
    jws::verify_compact(&twin_token, &v).unwrap();
    // Another curve's key does not fit.
    assert!(matches!(
        SigningKey::from_ec_scalar(EcdsaAlgorithm::Es256, &[1u8; 32])
            .unwrap()
            .verifying_key()
            .to_jwk()
            .to_verifying_key(Some(SignatureAlgorithm::Es256k)),
        Err(Error::KeyRejected(_))
    ));
}

/// Flip one bit in every protected part of every JSON form: protected header, payload,
/// signature. All rejected.
#[test]
fn tampered_json_is_rejected() {
    let key = HmacKey::generate(HmacAlgorithm::Hs256)
        .unwrap()
        .with_key_id("k");
    let ec = SigningKey::generate(SignatureAlgorithm::Es384)
        .unwrap()
        .with_key_id("e");
    let set = VerifierSet::new()
        .with(key.clone())
        .with(ec.verifying_key());
    let general = JsonJwsBuilder::new(b"json tamper test payload")
        .sign(&key, &JwsHeader::new().with_typ("x"), None)
        .unwrap()
        .sign(
            &ec,
            &JwsHeader::new(),
            Some(&JwsHeader::new().with_member("u", 1).unwrap()),
        )
        .unwrap()
        .general()
        .unwrap();
    let v: Value = serde_json::from_str(&general).unwrap();
    UnverifiedJson::parse_with(&general, &opts())
        .unwrap()
        .verify_each(&set)
        .unwrap();
    let mut n = 0;
    for (path, field) in [
        (vec![], "payload"),
        (vec![0usize], "protected"),
        (vec![0], "signature"),
        (vec![1], "protected"),
        (vec![1], "signature"),
    ] {
        let value = match path.first() {
            None => s(&v[field]).to_string(),
            Some(&i) => s(&v["signatures"][i][field]).to_string(),
        };
        let bytes = base64url::decode(&value).unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 1 << (i % 8);
            let mut t = v.clone();
            match path.first() {
                None => t[field] = Value::from(base64url::encode(&b)),
                Some(&j) => t["signatures"][j][field] = Value::from(base64url::encode(&b)),
            }
            let text = t.to_string();
            match UnverifiedJson::parse_with(&text, &opts()).and_then(|p| p.verify_each(&set)) {
                Err(e) => assert!(
                    matches!(
                        e,
                        Error::Malformed { .. }
                            | Error::InvalidSignature
                            | Error::AlgorithmMismatch { .. }
                            | Error::KeySelection(_)
                    ),
                    "{text}: {e:?}"
                ),
                // The other signature may still verify, never the touched one, and a
                // payload change breaks both.
                Ok(report) => {
                    assert_ne!(field, "payload", "payload change verified: {text}");
                    let touched = path[0];
                    assert!(report.outcomes()[touched].result.is_err(), "{text}");
                }
            }
            n += 1;
        }
    }
    assert!(n > 100);
    // A JSON serialization is not a compact one, and the other way round.
    assert!(matches!(
        jws::verify_compact(&general, &key),
        Err(Error::Malformed { .. })
    ));
    let compact = jws::sign_compact(&JwsHeader::new(), b"x", &key).unwrap();
    assert!(matches!(
        UnverifiedJson::parse_with(&compact, &opts()),
        Err(Error::Malformed { .. })
    ));
}

#[test]
fn json_structure_rules() {
    let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    let flat: Value = serde_json::from_str(
        &JsonJwsBuilder::new(b"p")
            .sign(&key, &JwsHeader::new(), None)
            .unwrap()
            .flattened()
            .unwrap(),
    )
    .unwrap();
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = flat.clone();
        f(&mut v);
        let text = v.to_string();
        let r = UnverifiedJson::parse_with(&text, &opts()).and_then(|p| p.verify(&key));
        assert!(r.is_err(), "{text}");
        r.unwrap_err()
    };
    assert!(matches!(
        bad(&|v| {
            v["signatures"] = serde_json::json!([]);
        }),
        Error::Malformed { .. }
    ));
    assert!(matches!(
        bad(&|v| {
            v.as_object_mut().unwrap().remove("signature");
        }),
        Error::Malformed { .. }
    ));
    assert!(matches!(
        bad(&|v| {
            v["protected"] = Value::from("");
        }),
        Error::Malformed { .. }
    ));
    assert!(matches!(
        bad(&|v| {
            v["header"] = serde_json::json!({"alg": "HS256"});
        }),
        Error::Malformed { .. }
    ));
    assert!(matches!(
        bad(&|v| {
            v["header"] = serde_json::json!({"crit": ["x"], "x": 1});
        }),
        Error::Critical(_)
    ));
    assert!(matches!(
        bad(&|v| {
            v["payload"] = Value::from(1);
        }),
        Error::Malformed { .. }
    ));
    assert!(matches!(
        bad(&|v| {
            v["header"] = Value::from("x");
        }),
        Error::Malformed { .. }
    ));
    // Duplicate members in the serialization itself.
    let text = flat.to_string().replacen("{", "{\"payload\":\"cA\",", 1);
    assert!(matches!(
        UnverifiedJson::parse_with(&text, &opts()),
        Err(Error::Malformed { .. })
    ));
    // Signatures limit, checked before any signature is looked at.
    let mut b = JsonJwsBuilder::new(b"p");
    for _ in 0..3 {
        b = b.sign(&key, &JwsHeader::new(), None).unwrap();
    }
    let three = b.general().unwrap();
    let limits = josecraft::Limits::default().with_max_signatures(2);
    assert!(matches!(
        UnverifiedJson::parse_with(&three, &ParseOptions::new().with_limits(limits.clone())),
        Err(Error::LimitExceeded {
            limit: josecraft::Limit::Signatures,
            max: 2
        })
    ));
    UnverifiedJson::parse_with(
        &three,
        &ParseOptions::new().with_limits(limits.with_max_signatures(3)),
    )
    .unwrap();
    // Flattened needs exactly one signature.
    assert!(JsonJwsBuilder::new(b"p").flattened().is_err());
    assert!(JsonJwsBuilder::new(b"p").general().is_err());
}

mod unencoded_detached {
    use super::*;
    use proptest::prelude::*;

    fn unencoded() -> JwsHeader {
        JwsHeader::new().with_b64(false).with_crit(["b64"])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// RFC 7797 §5: a detached unencoded payload is any bytes, in every serialization;
        /// only a payload carried inside the token must be text.
        #[test]
        fn unencoded_detached_payloads_are_any_bytes(payload in prop::collection::vec(any::<u8>(), 0..300)) {
            let key = HmacKey::new(HmacAlgorithm::Hs256, &[9u8; 32]).unwrap();
            let opts = ParseOptions::default();
            let compact = jws::sign_compact_detached(&unencoded(), &payload, &key).unwrap();
            let v = UnverifiedCompact::parse_detached_with(&compact, &payload, &opts).unwrap().verify(&key).unwrap();
            prop_assert_eq!(v.payload(), &payload[..]);
            let flat = JsonJwsBuilder::new(&payload).with_detached_payload().sign(&key, &unencoded(), None).unwrap().flattened().unwrap();
            let v = UnverifiedJson::parse_detached_with(&flat, &payload, &opts).unwrap().verify(&key).unwrap();
            prop_assert_eq!(v.payload(), &payload[..]);
            let general = JsonJwsBuilder::new(&payload).with_detached_payload().sign(&key, &unencoded(), None).unwrap().general().unwrap();
            let v = UnverifiedJson::parse_detached_with(&general, &payload, &opts).unwrap().verify(&key).unwrap();
            prop_assert_eq!(v.payload(), &payload[..]);
            // Another payload does not verify.
            let mut other = payload.clone();
            other.push(0);
            prop_assert!(UnverifiedJson::parse_detached_with(&flat, &other, &opts).unwrap().verify(&key).is_err());
            // Carried in the token, the payload must be text (and, compact, without '.').
            let carried = jws::sign_compact(&unencoded(), &payload, &key);
            let json = JsonJwsBuilder::new(&payload).sign(&key, &unencoded(), None).and_then(|b| b.flattened());
            match std::str::from_utf8(&payload) {
                Err(_) => {
                    let carried_malformed = matches!(carried, Err(Error::Malformed { .. }));
                    let json_malformed = matches!(json, Err(Error::Malformed { .. }));
                    prop_assert!(carried_malformed);
                    prop_assert!(json_malformed);
                }
                Ok(text) => {
                    prop_assert_eq!(carried.is_ok(), !text.contains('.'));
                    prop_assert!(json.is_ok());
                }
            }
        }
    }
}

/// When no signature verifies, the error is the one that tells most, wherever its signature
/// stands: a key selection that found nothing over an algorithm mismatch.
#[test]
fn json_error_is_the_most_telling() {
    let key = HmacKey::new(HmacAlgorithm::Hs256, &[7; 32])
        .unwrap()
        .with_key_id("mine");
    let entry = |header: &str| {
        format!(
            r#"{{"protected":"{}","signature":"AAAA"}}"#,
            base64url::encode(header.as_bytes())
        )
    };
    let token = |entries: &[&str]| {
        let entries: Vec<String> = entries.iter().map(|h| entry(h)).collect();
        format!(
            r#"{{"payload":"e30","signatures":[{}]}}"#,
            entries.join(",")
        )
    };
    let unknown = r#"{"alg":"XX9"}"#;
    let other_alg = r#"{"alg":"HS384"}"#;
    let other_kid = r#"{"alg":"HS256","kid":"theirs"}"#;
    let verify = |entries: &[&str]| UnverifiedJson::parse(&token(entries)).unwrap().verify(&key);
    for entries in [
        [unknown, other_alg, other_kid],
        [other_kid, other_alg, unknown],
    ] {
        assert!(
            matches!(verify(&entries), Err(Error::KeySelection(_))),
            "{entries:?}"
        );
    }
    for entries in [[unknown, other_alg], [other_alg, unknown]] {
        assert!(
            matches!(verify(&entries), Err(Error::AlgorithmMismatch { .. })),
            "{entries:?}"
        );
    }
    // A single key is bound to one algorithm: an unknown name is just another algorithm.
    assert!(matches!(
        verify(&[unknown]),
        Err(Error::AlgorithmMismatch { .. })
    ));
}
