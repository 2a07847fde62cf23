//! Shared fixtures for the peer comparison: the claims, the keys (the same key material for
//! every library), and the raw floor — the mandated work written directly on `ring`,
//! `base64` and `serde_json`: decode, parse the header, verify, parse the claims into the
//! struct, check `exp`/`nbf`/`aud`/`iss`; and for signing: serialize, encode, sign.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

pub mod floor;
pub use floor::{raw_jws, Backend, RawJwe, SignFn, VerifyFn, JWE_KEY};

pub const RSA_PKCS8_PEM: &str = include_str!("../../tests/vectors/keys/rsa2048.pkcs8.pem");
pub const RSA_SPKI_PEM: &str = include_str!("../../tests/vectors/keys/rsa2048.spki.pem");
pub const P256_PKCS8_PEM: &str = include_str!("../../tests/vectors/keys/p256.pkcs8.pem");
pub const P256_SPKI_PEM: &str = include_str!("../../tests/vectors/keys/p256.spki.pem");
pub const ED25519_PKCS8_PEM: &str = include_str!("../../tests/vectors/keys/ed25519.pkcs8.pem");
pub const ED25519_SPKI_PEM: &str = include_str!("../../tests/vectors/keys/ed25519.spki.pem");
pub const HS256_SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
pub const ISSUER: &str = "https://auth.example";
pub const AUDIENCE: &str = "https://api.example";

/// A typical access token's claims (about 320 bytes), or the large variant with a 64 KiB
/// `blob`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    pub scope: String,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blob: String,
}

/// The custom (non-registered) part, for libraries that split claims.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Custom {
    pub scope: String,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blob: String,
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn claims(large: bool) -> AccessClaims {
    let now = now();
    AccessClaims {
        iss: ISSUER.into(),
        sub: "user-1234567890".into(),
        aud: AUDIENCE.into(),
        exp: now + 3600,
        iat: now,
        nbf: now - 10,
        jti: "b2f1e6a4-8c1d-4b7e-9a3f-5d6c7e8f9a0b".into(),
        scope: "openid profile email read:orders write:orders".into(),
        roles: vec!["admin".into(), "editor".into(), "viewer".into()],
        blob: if large { "x".repeat(64 * 1024) } else { String::new() },
    }
}

/// The DER inside a PEM.
pub fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).unwrap()
}

#[derive(Deserialize)]
struct Header<'a> {
    alg: &'a str,
}

/// The raw floor's claim checks.
pub fn check_claims(c: &AccessClaims, now: i64) -> Result<(), &'static str> {
    if c.exp <= now - 60 {
        return Err("expired");
    }
    if c.nbf > now + 60 {
        return Err("not yet valid");
    }
    if c.aud != AUDIENCE || c.iss != ISSUER {
        return Err("aud/iss");
    }
    Ok(())
}

/// Raw JWS signing: header JSON, claims JSON, base64url, sign.
pub fn raw_sign(alg: &str, claims: &AccessClaims, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
    let payload = serde_json::to_vec(claims).unwrap();
    let mut out = String::with_capacity(header.len() * 2 + payload.len() * 2);
    B64.encode_string(header, &mut out);
    out.push('.');
    B64.encode_string(&payload, &mut out);
    let sig = sign(out.as_bytes());
    out.push('.');
    B64.encode_string(sig, &mut out);
    out
}

/// The floor of JWT verification: strictly the necessary work, written directly on the
/// primitives. Split; decode the header into a stack buffer and parse it borrowed; check
/// `alg`; decode the signature into a stack buffer and verify it over the signing input;
/// decode the payload; parse it into a typed struct with owned strings; read the clock;
/// check `exp`, `nbf`, `iss` and `aud`. No duplicate-member, `crit` or type strictness,
/// which josecraft does and a floor need not.
pub fn raw_verify(
    token: &str,
    alg: &str,
    verify: impl FnOnce(&[u8], &[u8]) -> bool,
) -> Result<AccessClaims, &'static str> {
    let mut parts = token.splitn(3, '.');
    let (h, p, s) = match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s)) => (h, p, s),
        _ => return Err("parts"),
    };
    // Header and signature into stack buffers, the header parsed borrowed: the floor
    // allocates only for the payload and the owned strings of the claims struct.
    let mut header_buf = [0u8; 256];
    let n = B64.decode_slice(h, &mut header_buf).map_err(|_| "b64")?;
    let header: Header<'_> = serde_json::from_slice(&header_buf[..n]).map_err(|_| "header")?;
    if header.alg != alg {
        return Err("alg");
    }
    let mut sig_buf = [0u8; 1024];
    let m = B64.decode_slice(s, &mut sig_buf).map_err(|_| "b64")?;
    if !verify(&token.as_bytes()[..h.len() + 1 + p.len()], &sig_buf[..m]) {
        return Err("signature");
    }
    let payload = B64.decode(p).map_err(|_| "b64")?;
    let claims: AccessClaims = serde_json::from_slice(&payload).map_err(|_| "claims")?;
    check_claims(&claims, now())?;
    Ok(claims)
}
