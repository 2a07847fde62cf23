//! The whole RFC 7520 cookbook (§3 keys, §4 signatures, §5 encryption, §6 nesting): every
//! serialization each example gives is verified or decrypted with the example's keys, and
//! the counts are printed (docs/CONFORMANCE.md is built from them). RSA1_5 (§5.1 and one
//! §5.13 recipient) is unsupported by design and listed.

mod common;

use josecraft::{
    AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement,
};
use std::fs;

use common::{json, vector_path};
use josecraft::jwe::{self, EncryptedJson, KeyDecryptor, SymmetricKey};
use josecraft::jwk::{Jwk, ThumbprintHash};
use josecraft::jws::{UnverifiedCompact, UnverifiedJson, Verifier, VerifierSet};
use josecraft::ParseOptions;
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use josecraft::{Error, JwsAlgorithm};
use serde_json::Value;

fn files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(vector_path(&format!("rfc7520/{dir}")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    v.sort();
    v
}

fn list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

fn jwk(v: &Value) -> Jwk {
    Jwk::from_json(v.to_string().as_bytes()).unwrap()
}

fn verifier(key: &Value, alg: &str) -> Box<dyn Verifier> {
    let alg = JwsAlgorithm::from_name(alg).unwrap();
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

#[test]
fn section_3_keys() {
    let mut n = 0;
    for f in files("jwk") {
        let v = json(&format!("rfc7520/jwk/{f}"));
        let k = jwk(&v);
        k.validate().unwrap_or_else(|e| panic!("{f}: {e}"));
        let again = Jwk::from_json(k.to_json().as_bytes()).unwrap();
        assert_eq!(
            again.thumbprint_b64(ThumbprintHash::Sha256),
            k.thumbprint_b64(ThumbprintHash::Sha256)
        );
        n += 1;
    }
    println!("rfc7520 §3 keys: {n} JWKs loaded and validated");
    assert_eq!(n, 6);
}

#[test]
fn section_4_signatures_every_serialization() {
    let (mut examples, mut checked) = (0, 0);
    for f in files("jws") {
        let v = json(&format!("rfc7520/jws/{f}"));
        let input = &v["input"];
        let payload = input["payload"].as_str().unwrap().as_bytes();
        let keys = list(&input["key"]);
        let algs = list(&input["alg"]);
        let mut set = VerifierSet::new();
        for (k, a) in keys.iter().zip(&algs) {
            set.insert_arc(verifier(k, a.as_str().unwrap()).into());
        }
        let opts = ParseOptions::default();
        if let Some(compact) = v["output"]["compact"].as_str() {
            let detached = compact.split('.').nth(1) == Some("");
            let u = if detached {
                UnverifiedCompact::parse_detached_with(compact, payload, &opts)
            } else {
                UnverifiedCompact::parse_with(compact, &opts)
            };
            let got = u
                .and_then(|u| u.verify(&set))
                .unwrap_or_else(|e| panic!("{f} compact: {e}"));
            assert_eq!(got.payload(), payload, "{f}");
            checked += 1;
        }
        for form in ["json", "json_flat"] {
            let Some(out) = v["output"].get(form) else {
                continue;
            };
            let text = out.to_string();
            let u = if out.get("payload").is_some() {
                UnverifiedJson::parse_with(&text, &opts)
            } else {
                UnverifiedJson::parse_detached_with(&text, payload, &opts)
            };
            let report = u
                .and_then(|u| u.verify_each(&set))
                .unwrap_or_else(|e| panic!("{f} {form}: {e}"));
            assert!(report.all_verified(), "{f} {form}: {:?}", report.outcomes());
            assert_eq!(report.verified().payload(), payload);
            checked += report.outcomes().len();
        }
        examples += 1;
    }
    println!("rfc7520 §4 signatures: {examples} examples, {checked} signatures verified over every serialization given");
    assert_eq!(examples, 8);
}

/// The example's decryption keys; RSA1_5 ones are reported, not built.
fn decryptors(v: &Value) -> (Vec<Box<dyn KeyDecryptor>>, usize) {
    let input = &v["input"];
    let enc = input["enc"].as_str().and_then(ContentEncryption::from_name);
    let algs = list(&input["alg"]);
    let mut out: Vec<Box<dyn KeyDecryptor>> = Vec::new();
    let mut unsupported = 0;
    if let Some(pwd) = input["pwd"].as_str() {
        let alg = KeyManagementAlgorithm::from_name(algs[0].as_str().unwrap()).unwrap();
        out.push(Box::new(
            SymmetricKey::new(
                SymmetricKeyManagement::try_from(alg).unwrap(),
                pwd.as_bytes(),
            )
            .unwrap(),
        ));
        return (out, 0);
    }
    for (k, a) in list(&input["key"]).iter().zip(algs.iter().cycle()) {
        let Some(alg) = KeyManagementAlgorithm::from_name(a.as_str().unwrap()) else {
            assert_eq!(a, "RSA1_5");
            unsupported += 1;
            continue;
        };
        let key = jwk(k);
        if key.kty() == "oct" {
            let enc = (alg == KeyManagementAlgorithm::Dir)
                .then_some(enc)
                .flatten();
            out.push(Box::new(key.to_symmetric_key(Some(alg), enc).unwrap()));
        } else {
            out.push(Box::new(
                key.to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg).unwrap()))
                    .unwrap(),
            ));
        }
    }
    (out, unsupported)
}

#[test]
fn section_5_encryption_every_serialization() {
    let (mut examples, mut decrypted, mut unsupported) = (0, 0, Vec::new());
    for f in files("jwe") {
        let v = json(&format!("rfc7520/jwe/{f}"));
        let plaintext = v["input"]["plaintext"].as_str().unwrap().as_bytes();
        let (keys, rsa1_5) = decryptors(&v);
        if rsa1_5 > 0 {
            unsupported.push(format!("{f} ({rsa1_5} RSA1_5 recipient)"));
        }
        if keys.is_empty() {
            // §5.1 (RSA1_5 only): refused, before any RSA operation.
            let compact = v["output"]["compact"].as_str().unwrap();
            assert!(matches!(
                jwe::EncryptedCompact::parse(compact),
                Err(Error::Unsupported(_))
            ));
            examples += 1;
            continue;
        }
        if let Some(compact) = v["output"]["compact"].as_str() {
            assert_eq!(
                jwe::decrypt_compact(compact, keys[0].as_ref())
                    .unwrap()
                    .plaintext(),
                plaintext,
                "{f}"
            );
            decrypted += 1;
        }
        for form in ["json", "json_flat"] {
            let Some(out) = v["output"].get(form) else {
                continue;
            };
            for key in &keys {
                let d = EncryptedJson::parse(&out.to_string())
                    .and_then(|e| e.decrypt(key.as_ref()))
                    .unwrap_or_else(|e| panic!("{f} {form}: {e}"));
                assert_eq!(d.plaintext(), plaintext, "{f} {form}");
                decrypted += 1;
            }
        }
        examples += 1;
    }
    println!(
        "rfc7520 §5 encryption: {examples} examples, {decrypted} serialization × recipient decryptions; unsupported by design: {}",
        unsupported.join(", ")
    );
    assert_eq!(examples, 13);
}

#[test]
fn section_6_nesting() {
    let v = json("rfc7520/6.nesting_signatures_and_encryption.json");
    let sign = &v["sign"];
    let enc = &v["encrypt"];
    let ver = verifier(
        &sign["input"]["key"],
        sign["input"]["alg"].as_str().unwrap(),
    );
    let dk = jwk(&enc["input"]["key"])
        .to_decryption_key(Some(enc["input"]["alg"].as_str().unwrap().parse().unwrap()))
        .unwrap();
    let mut n = 0;
    for form in ["compact", "json", "json_flat"] {
        let Some(out) = enc["output"].get(form) else {
            continue;
        };
        let plaintext = match out {
            Value::String(s) => jwe::decrypt_compact(s, &dk).unwrap().into_plaintext(),
            other => EncryptedJson::parse(&other.to_string())
                .and_then(|e| e.decrypt(&dk))
                .unwrap()
                .into_plaintext(),
        };
        let inner = String::from_utf8(plaintext).unwrap();
        let verified = josecraft::jws::verify_compact(&inner, ver.as_ref()).unwrap();
        assert_eq!(
            verified.payload(),
            sign["input"]["payload"].as_str().unwrap().as_bytes()
        );
        n += 1;
    }
    println!("rfc7520 §6 nesting: {n} serializations decrypted and their inner JWS verified");
    assert!(n >= 1);
}
