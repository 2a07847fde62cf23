//! The parts of the module on their own: disclosure encoding, JSON pointers, processing.

use serde_json::json;

use super::disclosure::to_spec_json;
use super::process::process;
use super::*;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn disclosures_are_written_as_the_rfc_writes_them() {
    assert_eq!(
        String::from_utf8(to_spec_json(&json!(["s", "n", {"a": [1, 2], "b": "ö"}]))).unwrap(),
        r#"["s", "n", {"a": [1, 2], "b": "ö"}]"#
    );
    let d = Disclosure::member("s", "n", json!(1)).unwrap();
    assert_eq!(Disclosure::parse(d.encoded()).unwrap(), d);
    let e = Disclosure::element("s", json!({"x": null}));
    assert_eq!(Disclosure::parse(e.encoded()).unwrap(), e);
    assert_eq!(e.name(), None);
}

#[test]
fn malformed_disclosures() {
    for raw in [
        "[]",
        r#"["s"]"#,
        r#"["s", "n", 1, 2]"#,
        r#"[1, "n", 1]"#,
        r#"["s", 5, 1]"#,
        r#"{"s": 1}"#,
        r#"["s", "n", {"a": 1, "a": 2}]"#,
        "not json",
    ] {
        assert!(
            matches!(
                Disclosure::parse(&base64url::encode(raw)),
                Err(Error::SdJwt(SdJwtError::Malformed(_)))
            ),
            "{raw}"
        );
    }
    assert!(Disclosure::parse("!!").is_err());
    assert!(Disclosure::parse(&(base64url::encode(r#"["s", "n", 1]"#) + "=")).is_err());
}

#[test]
fn pointers_escape_slash_and_tilde() {
    let claims = obj(json!({"iss": "i", "a/b": 1, "c~d": {"e": [10, 20]}}));
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = Issuer::new(claims)
        .disclosable(["/a~1b", "/c~0d", "/c~0d/e/1"])
        .issue(&key)
        .unwrap();
    let sd = SdJwt::parse(&token).unwrap();
    let mut listed: Vec<String> = sd
        .disclosable_claims()
        .unwrap()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    listed.sort();
    assert_eq!(listed, ["/a~1b", "/c~0d", "/c~0d/e/1"]);
    // Selecting the nested element brings the object it sits in.
    let only = sd.select(["/c~0d/e/1"]).unwrap();
    assert_eq!(only.disclosures().len(), 2);
    assert!(sd.select(["/nope"]).is_err());
    assert!(Issuer::new(obj(json!({"a": 1})))
        .disclosable(["a"])
        .issue(&key)
        .is_err());
}

#[test]
fn processing_puts_everything_back_and_drops_decoys() {
    let street = Disclosure::member("s1", "street", json!("Main St")).unwrap();
    let addr = Disclosure::member(
        "s2",
        "address",
        json!({"_sd": [street.digest(SdAlg::Sha256), "decoy-1"], "country": "US"}),
    )
    .unwrap();
    let de = Disclosure::element("s3", json!("DE"));
    let payload = obj(json!({
        "_sd": [addr.digest(SdAlg::Sha256), "decoy-2"],
        "_sd_alg": "sha-256",
        "nationalities": ["US", {"...": de.digest(SdAlg::Sha256)}, {"...": "decoy-3"}],
    }));
    let (alg, p) = process(
        payload.clone(),
        &[street.clone(), addr.clone(), de.clone()],
        32,
    )
    .unwrap();
    assert_eq!(alg, SdAlg::Sha256);
    assert_eq!(
        Value::Object(p.claims),
        json!({"address": {"street": "Main St", "country": "US"}, "nationalities": ["US", "DE"]})
    );
    assert_eq!(
        p.pointers,
        ["/address/street", "/address", "/nationalities/1"]
    );
    // Nothing disclosed: the digests go, the visible claims stay.
    let (_, none) = process(payload.clone(), &[], 32).unwrap();
    assert_eq!(Value::Object(none.claims), json!({"nationalities": ["US"]}));
    // The nested disclosure without the one it sits in is not referenced.
    assert!(matches!(
        process(payload, &[street], 32),
        Err(Error::SdJwt(SdJwtError::DisclosureNotReferenced))
    ));
}

#[test]
fn hash_functions() {
    for alg in SdAlg::ALL.iter().copied() {
        assert_eq!(SdAlg::from_name(alg.name()), Some(alg));
        let d = Disclosure::member("s", "n", json!(1)).unwrap();
        let payload = obj(json!({"_sd": [d.digest(alg)], "_sd_alg": alg.name()}));
        let (got, p) = process(payload, std::slice::from_ref(&d), 32).unwrap();
        assert_eq!(got, alg);
        assert_eq!(p.claims["n"], 1);
    }
    assert_eq!(SdAlg::from_name("SHA-256"), None);
    assert!(matches!(
        process(obj(json!({"_sd_alg": 256})), &[], 32),
        Err(Error::SdJwt(SdJwtError::Malformed(_)))
    ));
}
