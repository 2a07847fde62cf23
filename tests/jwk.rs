//! JSON Web Keys: RFC 7638 and RFC 8037 thumbprints, PEM/DER to JWK, strict parsing.

mod common;

use common::{rfc_entry, text, to_bytes};
use josecraft::jwk::{Jwk, ThumbprintHash};
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
        VerifyingKey::from_pem(JwsAlgorithm::Es256, &text("keys/p256.spki.pem")).unwrap();
    assert_eq!(
        jwk.to_verifying_key(Some(JwsAlgorithm::Es256)).unwrap(),
        from_pem
    );
    // A private key and its public key share a thumbprint.
    let private = SigningKey::from_pem(JwsAlgorithm::Es256, &text("keys/p256.pkcs8.pem")).unwrap();
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
        .to_verifying_key(Some(JwsAlgorithm::Es256))
        .unwrap();
    // The caller and the JWK disagree.
    assert!(matches!(
        with_alg.to_verifying_key(Some(JwsAlgorithm::Es384)),
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
        .to_verifying_key(Some(JwsAlgorithm::Es256))
        .is_err());
    assert!(jwk
        .clone()
        .with_key_ops(["encrypt"])
        .to_verifying_key(Some(JwsAlgorithm::Es256))
        .is_err());
    jwk.clone()
        .with_use("sig")
        .with_key_ops(["verify"])
        .to_verifying_key(Some(JwsAlgorithm::Es256))
        .unwrap();
}
