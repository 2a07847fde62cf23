//! The attack suite: one named test per attack class of `../shared/SECURITY.md` (A1–A29),
//! per testable RFC 8725 rule (B1–B18) and per RFC 9449 §11 consideration (D1–D11) and per SD-JWT attack (S1–S15). `README.md` beside this file maps each entry to
//! its test and lists where josecraft's outcome differs from the catalogue's suggestion.
//!
//! Every attack input is built here from the recipe; each test asserts the *kind* of error
//! and that nothing (payload, claims, plaintext) comes back.

#[path = "../common/mod.rs"]
mod common;

mod catalogue_a01_a10;
mod catalogue_a11_a20;
mod catalogue_a21_a29;
mod dpop;
mod rfc8725;
mod sdjwt;

use josecraft::jwk::Jwk;
use josecraft::jws::{Signer, UnverifiedCompact, VerifierSource};
use josecraft::jwt::{self, FixedClock, NumericDate, Validation};
use josecraft::{base64url, Error, HmacKey, SigningKey, VerifyingKey};
use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use serde_json::Value;

/// The fixed "now" of claim tests (SECURITY.md A22).
pub const T: i64 = 1_700_000_000;

pub fn b64(data: impl AsRef<[u8]>) -> String {
    base64url::encode(data)
}

fn rfc7515_key(id: &str) -> Jwk {
    let entry = common::rfc_entry("rfc7515.json", id);
    Jwk::from_json(entry["key"].to_string().as_bytes()).unwrap()
}

/// `K_HS`: RFC 7515 A.1 HMAC key (64 bytes), HS256.
pub fn k_hs() -> HmacKey {
    rfc7515_key("RFC7515-A.1-HS256")
        .to_hmac_key(Some(HmacAlgorithm::Hs256))
        .unwrap()
}

/// `K_HS`'s raw secret.
pub fn k_hs_secret() -> Vec<u8> {
    let entry = common::rfc_entry("rfc7515.json", "RFC7515-A.1-HS256");
    base64url::decode(entry["key"]["k"].as_str().unwrap()).unwrap()
}

/// `K_RS`: RFC 7515 A.2 RSA-2048 key, RS256.
pub fn k_rs() -> SigningKey {
    rfc7515_key("RFC7515-A.2-RS256")
        .to_signing_key(Some(SignatureAlgorithm::Rs256))
        .unwrap()
}

pub fn k_rs_jwk() -> Jwk {
    rfc7515_key("RFC7515-A.2-RS256")
}

/// `K_EC`: RFC 7515 A.3 P-256 key, ES256.
pub fn k_ec() -> SigningKey {
    rfc7515_key("RFC7515-A.3-ES256")
        .to_signing_key(Some(SignatureAlgorithm::Es256))
        .unwrap()
}

pub fn k_ec_jwk() -> Jwk {
    rfc7515_key("RFC7515-A.3-ES256")
}

/// A compact JWS over exactly these header bytes and payload bytes, signed by `key` —
/// whatever the header says (the attacker controls it).
pub fn sign_raw(header: &str, payload: &[u8], key: &dyn Signer) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let sig = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(sig))
}

/// A compact JWS with the given header, payload and raw signature bytes.
pub fn raw_token(header: &str, payload: &[u8], signature: &[u8]) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(signature))
}

/// Claims valid at [`T`].
pub fn claims() -> String {
    format!(r#"{{"sub":"user","exp":{},"iat":{}}}"#, T + 300, T)
}

/// A validation pinned at [`T`], any issuer, no audience.
pub fn validation() -> Validation {
    Validation::any_issuer()
        .no_audience()
        .with_clock(FixedClock(NumericDate::from_unix(T).unwrap()))
}

/// Verifies a compact JWS with a source; nothing must come back on failure.
pub fn verify(token: &str, keys: &dyn VerifierSource) -> josecraft::Result<Vec<u8>> {
    UnverifiedCompact::parse(token)
        .and_then(|u| u.verify(keys))
        .map(|v| v.into_payload())
}

/// Verifies and validates a JWT.
pub fn verify_jwt(
    token: &str,
    keys: &dyn VerifierSource,
    v: &Validation,
) -> josecraft::Result<Value> {
    jwt::verify::<serde_json::Map<String, Value>>(token, keys, v)
        .map(|j| Value::Object(j.into_claims().custom))
}

pub fn public(key: &SigningKey) -> VerifyingKey {
    key.verifying_key()
}

/// Asserts an error of the given kind; the `Ok` value is never acceptable.
#[macro_export]
macro_rules! assert_kind {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {{
        let r = $result;
        assert!(
            matches!(&r, Err($pattern) $(if $guard)?),
            "expected {} at {}:{}, got {:?}",
            stringify!($pattern),
            file!(),
            line!(),
            r
        );
    }};
}

/// An [`Error::Malformed`] or any error a stricter layer gives for garbage.
pub fn is_malformed(e: &Error) -> bool {
    matches!(e, Error::Malformed { .. })
}
