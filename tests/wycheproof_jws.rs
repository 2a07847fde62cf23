//! Wycheproof `json_web_signature_test.json` and the ECDSA P-1363 primitive vectors.
//! Run with `--nocapture` to see the counts.

mod common;

use common::{hex, json, to_bytes, Tally};
use josecraft::jwk::Jwk;
use josecraft::jws::{self, UnverifiedJson, Verifier};
use josecraft::EcdsaAlgorithm;
use josecraft::{Error, VerifyingKey};
use serde_json::Value;

/// Known data errors of the signature file (`wycheproof/UPSTREAM-NOTES.md`).
fn erratum(tc: u64) -> Option<Erratum> {
    match tc {
        // Byte-for-byte identical to valid tcId 357 but marked invalid: no implementation
        // can satisfy both.
        367 | 370 => Some(Erratum::Skip(
            "identical to valid tcId 357 (the '=' padding was lost)",
        )),
        // Marked valid, but the MAC is over the input with the '?' removed; a verifier that
        // MACs the literal signing input and decodes strictly must reject them.
        372 | 373 => Some(Erratum::MustReject(
            "'?' in the token; its MAC is over other bytes",
        )),
        // Marked valid, but the key's alg contradicts the token (PS256 key, PS384 token; an
        // "ES521" key, which is no JOSE name): key binding rejects them, as it must.
        346 | 347 | 350 | 351 => Some(Erratum::BindingRejects(
            "the key's alg contradicts the token's",
        )),
        _ => None,
    }
}

enum Erratum {
    Skip(&'static str),
    MustReject(&'static str),
    BindingRejects(&'static str),
}

/// The verifier for a group's key, or the error building it.
fn group_key(jwk: &Value) -> Result<Box<dyn Verifier>, Error> {
    let jwk = Jwk::from_json(&to_bytes(jwk))?;
    if jwk.kty() == "oct" {
        Ok(Box::new(jwk.to_hmac_key(None)?))
    } else {
        Ok(Box::new(jwk.to_verifying_key(None)?))
    }
}

#[test]
fn wycheproof_json_web_signature() {
    let file = json("wycheproof/json_web_signature_test.json");
    let mut t = Tally::default();
    for group in file["testGroups"].as_array().unwrap() {
        let key_jwk = group.get("public").unwrap_or(&group["private"]);
        let key = group_key(key_jwk);
        for case in group["tests"].as_array().unwrap() {
            let tc = case["tcId"].as_u64().unwrap();
            let expected_valid = case["result"] == "valid";
            let erratum = erratum(tc);
            if let Some(Erratum::Skip(why)) = erratum {
                t.skipped.push((tc, why));
                continue;
            }
            t.run += 1;
            let flags: Vec<&str> = case["flags"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            // JWS JSON serializations go to the compact entry point, which must refuse
            // them (Wycheproof expects a compact-only API); the JSON API is asked as well.
            let token = match &case["jws"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let result = match &key {
                Ok(k) => jws::verify_compact(&token, &**k).map(|_| ()),
                Err(e) => Err(e.clone()),
            };
            let ok = match (&erratum, expected_valid, &result) {
                (Some(Erratum::MustReject(why)), _, Err(_)) => {
                    t.errata.push((tc, format!("rejected: {why}")));
                    true
                }
                (Some(Erratum::BindingRejects(why)), _, Err(e))
                    if matches!(e, Error::AlgorithmMismatch { .. } | Error::KeyRejected(_)) =>
                {
                    t.errata
                        .push((tc, format!("rejected by key binding ({e}): {why}")));
                    true
                }
                (None, true, Ok(())) => true,
                (None, false, Err(_)) => true,
                _ => false,
            };
            if flags.contains(&"JsonSerialization") {
                let json_result = UnverifiedJson::parse(&token);
                t.errata.push((
                    tc,
                    format!(
                        "JSON serialization: compact entry point rejects it; the JSON API says {:?}",
                        json_result.err().map(|e| e.to_string())
                    ),
                ));
            }
            if ok {
                t.passed += 1;
            } else {
                t.failures.push(format!(
                    "tcId {tc} ({}) expected {} got {result:?}",
                    case["comment"], case["result"]
                ));
            }
        }
    }
    t.report("json_web_signature_test.json");
    assert_eq!(t.run + t.skipped.len(), 401);
}

/// ECDSA in the raw r‖s form (IEEE P1363), which is what JWS uses.
#[test]
fn wycheproof_ecdsa_p1363_primitives() {
    for (file, alg) in [
        (
            "ecdsa_secp256r1_sha256_p1363_test.json",
            EcdsaAlgorithm::Es256,
        ),
        (
            "ecdsa_secp384r1_sha384_p1363_test.json",
            EcdsaAlgorithm::Es384,
        ),
        (
            "ecdsa_secp521r1_sha512_p1363_test.json",
            EcdsaAlgorithm::Es512,
        ),
    ] {
        let doc = json(&format!("wycheproof/primitives/{file}"));
        let mut t = Tally::default();
        for group in doc["testGroups"].as_array().unwrap() {
            let point = hex(group["publicKey"]["uncompressed"].as_str().unwrap());
            let key = VerifyingKey::from_ec_point(alg, &point);
            for case in group["tests"].as_array().unwrap() {
                t.run += 1;
                let tc = case["tcId"].as_u64().unwrap();
                let msg = hex(case["msg"].as_str().unwrap());
                let sig = hex(case["sig"].as_str().unwrap());
                let verified = key.as_ref().is_ok_and(|k| k.verify(&msg, &sig).is_ok());
                let expected = match case["result"].as_str().unwrap() {
                    "valid" => Some(true),
                    "invalid" => Some(false),
                    _ => None, // acceptable: either outcome
                };
                if expected.is_none_or(|e| e == verified) {
                    t.passed += 1;
                } else {
                    t.failures.push(format!(
                        "{file} tcId {tc}: expected {expected:?}, got {verified}"
                    ));
                }
            }
        }
        t.report(file);
    }
}
