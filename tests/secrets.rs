//! Secret key material never shows in `Debug` output or error messages, and secret key types
//! cannot be serialized by accident.

use josecraft::jwe::{ContentEncryptionKey, SymmetricKey};
use josecraft::jwk::{Jwk, KeySpec};
use josecraft::ContentEncryption;
use josecraft::{base64url, HmacKey, SigningKey};
use josecraft::{
    AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement,
};

/// Every spelling of `secret` that a careless `Debug` could print.
fn spellings(secret: &[u8]) -> Vec<String> {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let list = format!("{secret:?}");
    let inner = list
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    vec![
        base64url::encode(secret),
        hex.clone(),
        hex.to_uppercase(),
        inner,
    ]
}

fn assert_hidden(what: &str, debug: &str, secret: &[u8]) {
    for s in spellings(secret) {
        assert!(
            !debug.contains(&s),
            "{what}: Debug shows the secret: {debug}"
        );
    }
}

#[test]
fn debug_output_redacts_secrets() {
    let secret: Vec<u8> = (100..164).collect();
    let hmac = HmacKey::new(HmacAlgorithm::Hs512, &secret).unwrap();
    assert_hidden("HmacKey", &format!("{hmac:?} {hmac:#?}"), &secret);

    let kw = SymmetricKey::new(SymmetricKeyManagement::A256Kw, &secret[..32]).unwrap();
    assert_hidden("SymmetricKey", &format!("{kw:?}"), &secret[..32]);
    let dir = SymmetricKey::direct(ContentEncryption::A256CbcHs512, &secret).unwrap();
    assert_hidden("SymmetricKey dir", &format!("{dir:?}"), &secret);
    let pbes2 = SymmetricKey::new(
        SymmetricKeyManagement::Pbes2Hs256A128Kw,
        b"hunter2-password",
    )
    .unwrap();
    assert!(!format!("{pbes2:?}").contains("hunter2"));

    let cek = ContentEncryptionKey::new(secret.clone());
    assert_hidden("ContentEncryptionKey", &format!("{cek:?}"), &secret);

    for spec in [
        KeySpec::P256,
        KeySpec::Ed25519,
        KeySpec::X25519,
        KeySpec::Rsa { bits: 2048 },
    ] {
        let jwk = Jwk::generate(spec).unwrap();
        let v: serde_json::Value = serde_json::from_str(&jwk.to_json()).unwrap();
        let d = base64url::decode(v["d"].as_str().unwrap()).unwrap();
        assert_hidden("Jwk", &format!("{jwk:?}"), &d);
        match spec {
            KeySpec::X25519 => {
                let dk = jwk
                    .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEs))
                    .unwrap();
                assert_hidden("DecryptionKey", &format!("{dk:?}"), &d);
            }
            KeySpec::Rsa { .. } => {
                let sk = jwk.to_signing_key(Some(SignatureAlgorithm::Rs256)).unwrap();
                assert_hidden("SigningKey RSA", &format!("{sk:?}"), &d);
                let dk = jwk
                    .to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep))
                    .unwrap();
                assert_hidden("DecryptionKey RSA", &format!("{dk:?}"), &d);
            }
            _ => {
                let sk = jwk
                    .to_signing_key(None)
                    .or_else(|_| jwk.clone().with_alg("EdDSA").to_signing_key(None));
                if let Ok(sk) = sk {
                    assert_hidden("SigningKey", &format!("{sk:?}"), &d);
                }
            }
        }
    }
    let oct = hmac.to_secret_jwk();
    assert_hidden("oct Jwk", &format!("{oct:?}"), &secret);
    let set = josecraft::jwk::JwkSet::new().with(oct);
    assert_hidden("JwkSet", &format!("{set:?}"), &secret);

    // Key errors never echo the key.
    let err = HmacKey::new(HmacAlgorithm::Hs256, &secret[..8]).unwrap_err();
    assert_hidden("error", &format!("{err} {err:?}"), &secret[..8]);
    let err = SigningKey::from_der(SignatureAlgorithm::Es256, &secret).unwrap_err();
    assert_hidden("error", &format!("{err} {err:?}"), &secret);
}

/// A type that implements `Serialize` makes this ambiguous and fails to compile, so every
/// call below is a compile-time proof that the type is not serializable.
trait NotSerialize<A> {
    fn check() {}
}
impl<T: ?Sized> NotSerialize<()> for T {}
#[allow(dead_code)]
struct Serializable;
impl<T: ?Sized + serde::Serialize> NotSerialize<Serializable> for T {}

#[test]
fn secret_key_types_are_not_serializable() {
    <HmacKey as NotSerialize<_>>::check();
    <SigningKey as NotSerialize<_>>::check();
    <SymmetricKey as NotSerialize<_>>::check();
    <josecraft::jwe::DecryptionKey as NotSerialize<_>>::check();
    <ContentEncryptionKey as NotSerialize<_>>::check();
    <josecraft::jwk::SecretBytes as NotSerialize<_>>::check();
    // A private JWK is written only by asking for it by name (to_private_jwk,
    // to_secret_jwk); `Jwk` itself is the interchange format and serializes what it holds.
}
