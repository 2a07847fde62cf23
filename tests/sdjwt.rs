//! SD-JWT (RFC 9901) through the public API: the RFC's disclosures byte for byte, its
//! presentations verified with its keys, and the issuer reproducing its disclosures from
//! its salts.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use josecraft::jwk::Jwk;
use josecraft::jwt::{FixedClock, NumericDate, Validation};
use josecraft::keysource::block_on;
use josecraft::sdjwt::{Disclosure, Issuer, KeyBinding, PresentationVerifier, SdAlg, SdJwt};
use josecraft::{SdJwtError, SignatureAlgorithm, SigningKey};
use serde_json::{json, Value};

fn entry(id: &str) -> Value {
    common::rfc_entry("rfc9901.json", id)
}

fn issuer_key() -> josecraft::VerifyingKey {
    let jwk = &entry("RFC9901-A.5-issuer-key")["expected"]["issuer_public_jwk"];
    Jwk::from_json(jwk.to_string().as_bytes())
        .unwrap()
        .to_verifying_key(Some(SignatureAlgorithm::Es256))
        .unwrap()
}

fn at(t: i64) -> FixedClock {
    FixedClock(NumericDate::from_unix(t).unwrap())
}

#[test]
fn the_rfc_disclosures_byte_for_byte() {
    let e = entry("RFC9901-4.2.1-disclosure-object-property");
    let d = Disclosure::member(
        e["input"]["salt"].as_str().unwrap(),
        e["input"]["claim_name"].as_str().unwrap(),
        e["input"]["claim_value"].clone(),
    )
    .unwrap();
    assert_eq!(d.encoded(), e["expected"]["disclosure"]);
    assert_eq!(d.digest(SdAlg::Sha256), e["expected"]["digest_sha256"]);
    let e = entry("RFC9901-4.2.2-disclosure-array-element");
    let d = Disclosure::element(
        e["input"]["salt"].as_str().unwrap(),
        e["input"]["array_element"].clone(),
    );
    assert_eq!(d.encoded(), e["expected"]["disclosure"]);
    assert_eq!(d.digest(SdAlg::Sha256), e["expected"]["digest_sha256"]);
    // Every disclosure the RFC prints parses to its salt, name and value and has its digest.
    let doc = common::json("rfc/rfc9901.json");
    let mut n = 0;
    for e in doc["entries"].as_array().unwrap() {
        let Some(list) = e["expected"]["disclosures"].as_array() else {
            continue;
        };
        for x in list {
            let Some(encoded) = x["disclosure"].as_str() else {
                continue;
            };
            let d = Disclosure::parse(encoded).unwrap();
            assert_eq!(d.salt(), x["salt"], "{encoded}");
            assert_eq!(d.name(), x["name"].as_str(), "{encoded}");
            assert_eq!(d.value(), &x["value"], "{encoded}");
            assert_eq!(d.digest(SdAlg::Sha256), x["digest_sha256"], "{encoded}");
            n += 1;
        }
    }
    assert!(n >= 60, "only {n} disclosures checked");
    println!("rfc9901 disclosures: {n} parsed with their printed salt, name, value and digest");
}

#[test]
fn the_rfc_presentations_verify() {
    for (id, typ) in [
        ("RFC9901-5-example-sd-jwt", "example+sd-jwt"),
        ("RFC9901-A.3-sd-jwt-vc", "dc+sd-jwt"),
    ] {
        let e = entry(id);
        let p = &e["expected"]["presentation"];
        let presentation = p["sd_jwt_kb"].as_str().or(p["compact"].as_str()).unwrap();
        let kb: Value = {
            let kb = presentation.rsplit('~').next().unwrap();
            let part = kb.split('.').nth(1).unwrap();
            serde_json::from_slice(&josecraft::base64url::decode(part).unwrap()).unwrap()
        };
        let iat = kb["iat"].as_i64().unwrap();
        let validation = Validation::any_issuer()
            .no_audience()
            .with_typ(typ)
            .with_clock(at(iat));
        let verifier = PresentationVerifier::new(
            validation.clone(),
            KeyBinding::required(kb["aud"].as_str().unwrap(), kb["nonce"].as_str().unwrap()),
        )
        .with_clock(Arc::new(at(iat)));
        let v = block_on(verifier.verify::<Value>(presentation, &issuer_key())).unwrap();
        assert!(v.key_bound());
        let mut processed = serde_json::to_value(v.claims()).unwrap();
        let want = &p["processed_payload"];
        // Members of the processed payload as the RFC prints them.
        processed
            .as_object_mut()
            .unwrap()
            .retain(|k, _| want.get(k).is_some());
        assert_eq!(&processed, want, "{id}");
        assert_eq!(p["sd_hash"], kb["sd_hash"]);

        // Another verifier's nonce or audience, or the wrong time: refused.
        for kb_policy in [
            KeyBinding::required("https://other.example", kb["nonce"].as_str().unwrap()),
            KeyBinding::required(kb["aud"].as_str().unwrap(), "another nonce"),
        ] {
            let other = PresentationVerifier::new(validation.clone(), kb_policy)
                .with_clock(Arc::new(at(iat)));
            assert!(matches!(
                block_on(other.verify::<Value>(presentation, &issuer_key())),
                Err(josecraft::Error::SdJwt(SdJwtError::KeyBinding(_)))
            ));
        }
        let later = PresentationVerifier::new(
            validation.clone(),
            KeyBinding::required(kb["aud"].as_str().unwrap(), kb["nonce"].as_str().unwrap()),
        )
        .with_clock(Arc::new(at(iat + 3600)));
        assert!(block_on(later.verify::<Value>(presentation, &issuer_key())).is_err());
    }
    println!("rfc9901 presentations: §5 and A.3 (SD-JWT VC) verified with the A.5 issuer key and their key binding JWTs; the processed payloads equal the printed ones");
}

#[test]
fn the_issuer_reproduces_the_rfc_disclosures_from_its_salts() {
    let e = entry("RFC9901-5-example-sd-jwt");
    let printed = e["expected"]["disclosures"].as_array().unwrap();
    // The pointer of each printed disclosure: members by name, array entries by value.
    let claims = e["input"]["claims"].as_object().unwrap().clone();
    let mut salts = HashMap::new();
    let mut expected = HashMap::new();
    for x in printed {
        let pointer = match x["name"].as_str() {
            Some(name) => format!("/{name}"),
            None => {
                let i = claims["nationalities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|v| v == &x["value"])
                    .unwrap();
                format!("/nationalities/{i}")
            }
        };
        salts.insert(pointer.clone(), x["salt"].as_str().unwrap().to_string());
        expected.insert(pointer, x.clone());
    }
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let pointers: Vec<String> = salts.keys().cloned().collect();
    let (token, made) = Issuer::new(claims)
        .disclosable(pointers)
        .dangerous_with_salts(move |p| salts[p].clone())
        .issue_with_disclosures(&key)
        .unwrap();
    assert_eq!(made.len(), printed.len());
    let sd = SdJwt::parse(&token).unwrap();
    let listed = sd.disclosable_claims().unwrap();
    let mut exact = 0;
    for (pointer, d) in listed {
        let x = &expected[&pointer];
        assert_eq!(d.salt(), x["salt"]);
        assert_eq!(d.value(), &x["value"]);
        // Object values are written with their members sorted (the RFC keeps its input
        // order); any encoding is valid, the digest being over the encoded string.
        if !d.value().is_object() {
            assert_eq!(d.encoded(), x["disclosure"], "{pointer}");
            assert_eq!(d.digest(SdAlg::Sha256), x["digest_sha256"], "{pointer}");
            exact += 1;
        }
    }
    assert_eq!(exact, printed.len() - 1, "all but the address object");
    println!("rfc9901 §5 issuance: {exact} of {} disclosures reproduced byte for byte from the printed salts (the address object is written with sorted members)", printed.len());
}

#[test]
fn issue_present_verify_with_decoys_and_other_hashes() {
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let holder = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let now = NumericDate::now();
    let claims = json!({
        "iss": "https://issuer.example", "exp": now.unix() + 600,
        "given_name": "Ada", "family_name": "Lovelace",
        "address": {"street": "St James's Square", "locality": "London", "country": "GB"},
        "nationalities": ["GB", "IT"]
    });
    for alg in SdAlg::ALL.iter().copied() {
        let issued = Issuer::new(claims.as_object().unwrap().clone())
            .disclosable([
                "/given_name",
                "/family_name",
                "/address",
                "/address/street",
                "/nationalities/1",
            ])
            .with_decoys(3)
            .with_hash(alg)
            .with_holder_key(&holder.to_jwk())
            .with_typ("dc+sd-jwt")
            .issue(&issuer)
            .unwrap();
        let sd = SdJwt::parse(&issued).unwrap();
        let mut listed: Vec<String> = sd
            .disclosable_claims()
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        listed.sort();
        assert_eq!(
            listed,
            [
                "/address",
                "/address/street",
                "/family_name",
                "/given_name",
                "/nationalities/1"
            ]
        );
        // The street only: its disclosure and the address's, which it sits in.
        let shown = sd
            .select(["/address/street", "/given_name"])
            .unwrap()
            .with_key_binding(&holder, "https://verifier.example", "n-1", now)
            .unwrap();
        let verifier = PresentationVerifier::new(
            Validation::issuer("https://issuer.example")
                .no_audience()
                .with_typ("dc+sd-jwt"),
            KeyBinding::required("https://verifier.example", "n-1"),
        );
        let v = block_on(verifier.verify::<Value>(&shown, &issuer.verifying_key())).unwrap();
        let c = &v.claims().custom;
        assert_eq!(c["given_name"], "Ada");
        assert_eq!(
            c["address"],
            json!({"street": "St James's Square", "locality": "London", "country": "GB"})
        );
        assert!(c.get("family_name").is_none());
        assert_eq!(c["nationalities"], json!(["GB"]));
        assert!(c.get("_sd").is_none() && c.get("_sd_alg").is_none());
        assert!(!v.payload().windows(3).any(|w| w == b"..."));
        assert_eq!(v.disclosed().len(), 3);
        // The whole presentation verifies only with its own key binding.
        let no_kb = sd.select(["/given_name"]).unwrap().to_string();
        assert!(matches!(
            block_on(verifier.verify::<Value>(&no_kb, &issuer.verifying_key())),
            Err(josecraft::Error::SdJwt(SdJwtError::MissingKeyBinding))
        ));
        let lenient = PresentationVerifier::new(
            Validation::issuer("https://issuer.example").no_audience(),
            KeyBinding::NotRequired,
        );
        let v = block_on(lenient.verify::<Value>(&no_kb, &issuer.verifying_key())).unwrap();
        assert!(!v.key_bound());
        assert_eq!(v.claims().custom["given_name"], "Ada");
    }
}
