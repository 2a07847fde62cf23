#![allow(dead_code)]
//! Fixed keys for the fuzz targets (made once with `josecraft keygen`, in `fuzz/keys/`), so
//! that runs are reproducible and no key is generated per input.

use std::sync::LazyLock;
use josecraft::{HmacAlgorithm, SymmetricKeyManagement};

use josecraft::jwe::{DecryptionKey, SymmetricKey};
use josecraft::ContentEncryption;
use josecraft::jwk::{Jwk, JwkSet};
use josecraft::jws::VerifierSet;
use josecraft::{HmacKey, Limits, SigningKey};

fn jwk(text: &str) -> Jwk {
    Jwk::from_json(text.as_bytes()).expect("fixed key")
}

pub static HS256: LazyLock<HmacKey> = LazyLock::new(|| {
    HmacKey::new(HmacAlgorithm::Hs256, &[7; 32])
        .unwrap()
        .with_key_id("hs")
});
pub static ES256: LazyLock<SigningKey> =
    LazyLock::new(|| jwk(include_str!("../keys/es256.jwk")).to_signing_key(None).unwrap());
pub static VERIFIERS: LazyLock<VerifierSet> = LazyLock::new(|| {
    VerifierSet::new()
        .with(HS256.clone())
        .with(ES256.verifying_key())
});
pub static A128KW: LazyLock<SymmetricKey> = LazyLock::new(|| {
    SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[1; 16])
        .unwrap()
        .with_key_id("kw")
});
pub static DIR: LazyLock<SymmetricKey> =
    LazyLock::new(|| SymmetricKey::direct(ContentEncryption::A128Gcm, &[2; 16]).unwrap());
pub static PBES2: LazyLock<SymmetricKey> = LazyLock::new(|| {
    SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"password").unwrap()
});
pub static ECDH: LazyLock<DecryptionKey> = LazyLock::new(|| {
    jwk(include_str!("../keys/ecdh-p256.jwk"))
        .to_decryption_key(None)
        .unwrap()
});
pub static X25519: LazyLock<DecryptionKey> = LazyLock::new(|| {
    jwk(include_str!("../keys/ecdh-x25519.jwk"))
        .to_decryption_key(None)
        .unwrap()
});
pub static RSA: LazyLock<DecryptionKey> = LazyLock::new(|| {
    jwk(include_str!("../keys/rsa-oaep-256.jwk"))
        .to_decryption_key(None)
        .unwrap()
});
pub static DECRYPTORS: LazyLock<JwkSet> = LazyLock::new(|| {
    JwkSet::new()
        .with(A128KW.to_secret_jwk())
        .with(jwk(include_str!("../keys/ecdh-p256.jwk")))
});

/// Small PBES2 counts keep each input fast; the cap itself is what is exercised.
pub fn limits() -> Limits {
    Limits::default().with_max_pbes2_count(100)
}
