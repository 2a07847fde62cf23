//! # josecraft
//!
//! The whole JOSE family for Rust — JWS, JWE, JWK/JWKS and JWT — complete, strict and
//! fast, on `ring`.
//!
//! Two rules shape the API:
//!
//! - **The caller's key decides the algorithm.** Every key is bound to exactly one
//!   algorithm when it is built; a token naming another one is rejected before any
//!   cryptography happens. `alg: none` cannot be verified at all (see [`dangerous`]).
//! - **Parsing is strict and bounded.** Canonical base64url only, duplicate JSON members
//!   rejected, `crit` enforced, and every size bounded by [`Limits`].
//!
//! ## Sign and verify
//!
//! ```
//! use josecraft::{jws, JwsHeader, SignatureAlgorithm, SigningKey};
//!
//! let key = SigningKey::generate(SignatureAlgorithm::Es256)?;
//! let token = jws::sign_compact(&JwsHeader::new().with_typ("JWT"), br#"{"sub":"ada"}"#, &key)?;
//!
//! let verified = jws::verify_compact(&token, &key.verifying_key())?;
//! assert_eq!(verified.payload(), br#"{"sub":"ada"}"#);
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Verify with a set of keys
//!
//! ```
//! use josecraft::jws::VerifierSet;
//! use josecraft::{jws, HmacAlgorithm, HmacKey, JwsHeader};
//!
//! let signer = HmacKey::generate(HmacAlgorithm::Hs256)?.with_key_id("a");
//! let token = jws::sign_compact(&JwsHeader::new(), b"hi", &signer)?;
//!
//! let keys = VerifierSet::new().with(signer.clone());
//! let verified = jws::verify_compact(&token, &keys)?;
//! assert_eq!(verified.payload(), b"hi");
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Issue and validate a JWT
//!
//! A JWT is accepted only when its signature verifies *and* its claims pass a
//! [`Validation`](jwt::Validation) that says which issuer and audience you accept; `exp` is
//! required unless you waive it.
//!
//! ```
//! use josecraft::jwt::{self, Claims, NumericDate, Validation};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Scope { scope: String }
//!
//! let key = SigningKey::generate(SignatureAlgorithm::EdDsa)?;
//! let claims = Claims::new(Scope { scope: "read".into() })
//!     .with_issuer("https://auth.example")
//!     .with_subject("ada")
//!     .with_audience("https://api.example")
//!     .valid_for(NumericDate::now(), std::time::Duration::from_secs(300))?;
//! let token = jwt::sign(&claims, &key)?;
//!
//! let validation = Validation::issuer("https://auth.example").audience("https://api.example");
//! let verified = jwt::verify::<Scope>(&token, &key.verifying_key(), &validation)?;
//! assert_eq!(verified.claims().custom.scope, "read");
//!
//! // Another audience, or a token past its exp, is an error that says which claim failed.
//! let other = Validation::issuer("https://auth.example").audience("https://billing.example");
//! assert!(jwt::verify::<Scope>(&token, &key.verifying_key(), &other).is_err());
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Verify with a JWKS
//!
//! The auth server publishes its public keys as a JWK Set; the resource server verifies
//! offline and lets the token's `kid` pick the key (never trying several). To fetch and
//! cache the set from a URL, following key rotation, use
//! [`keysource::RemoteJwks`].
//!
//! ```
//! use josecraft::jwk::JwkSet;
//! use josecraft::{jws, JwsHeader, SignatureAlgorithm, SigningKey};
//!
//! let signing = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2026-11");
//! let published = JwkSet::new().with(signing.to_jwk()).to_json();
//!
//! let token = jws::sign_compact(&JwsHeader::new(), b"payload", &signing)?;
//! let jwks = JwkSet::from_json(published.as_bytes())?;
//! let verified = jws::verify_compact(&token, &jwks)?;
//! assert_eq!(verified.header().kid(), Some("2026-11"));
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Encrypt and decrypt
//!
//! ```
//! use josecraft::jwe;
//! use josecraft::jwk::{Jwk, KeySpec};
//! use josecraft::{AsymmetricKeyManagement, ContentEncryption, JweHeader};
//!
//! // The recipient's key pair; the sender needs only the public half.
//! let recipient = Jwk::generate(KeySpec::P256)?
//!     .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEsA256Kw))?;
//! let to_recipient = recipient.encryption_key();
//!
//! let token = jwe::encrypt_compact(&JweHeader::new(), b"secret", ContentEncryption::A256Gcm, &to_recipient)?;
//! assert_eq!(jwe::decrypt_compact(&token, &recipient)?.plaintext(), b"secret");
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ECDH-ES and RSA-OAEP prove nothing about the sender (anyone with the public key can
//! encrypt); when the sender matters, sign first: a nested JWT.
//!
//! ## Nested JWT (signed, then encrypted)
//!
//! ```
//! use josecraft::jwk::{Jwk, KeySpec};
//! use josecraft::jwt::{self, Claims, NumericDate, Validation};
//! use josecraft::{AsymmetricKeyManagement, ContentEncryption, JweHeader};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//!
//! let issuer = SigningKey::generate(SignatureAlgorithm::Es256)?;
//! let recipient = Jwk::generate(KeySpec::X25519)?
//!     .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEsA256Kw))?;
//!
//! let claims = Claims::new(serde_json::Map::new())
//!     .with_issuer("https://auth.example")
//!     .with_audience("https://api.example")
//!     .valid_for(NumericDate::now(), std::time::Duration::from_secs(300))?;
//! let signed = jwt::sign(&claims, &issuer)?;
//! let token = jwt::encrypt_nested(&signed, &JweHeader::new(), ContentEncryption::A256Gcm, &recipient.encryption_key())?;
//!
//! // Decrypt, verify the inner signature with the issuer's key, validate: all three.
//! let validation = Validation::issuer("https://auth.example").audience("https://api.example");
//! let opened = jwt::decrypt_nested::<serde_json::Map<_, _>>(&token, &recipient, &issuer.verifying_key(), &validation)?;
//! assert!(opened.outer_header().is_some());
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Bring your own signer (an HSM or a KMS)
//!
//! Anything that implements [`jws::Signer`] signs; for signers behind an async API, build
//! the signing input with [`jws::CompactSigningInput`], sign it however you like, and
//! assemble the token.
//!
//! ```
//! use josecraft::jws::{self, Signer};
//! use josecraft::{JwsAlgorithm, JwsHeader, Result, SigningKey};
//! use josecraft::SignatureAlgorithm;
//!
//! /// A key that lives elsewhere: only "sign these bytes" crosses the boundary.
//! struct Kms { key: SigningKey }
//!
//! impl Signer for Kms {
//!     fn algorithm(&self) -> JwsAlgorithm { JwsAlgorithm::Es256 }
//!     fn key_id(&self) -> Option<&str> { Some("kms-key-1") }
//!     fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
//!         self.key.sign(signing_input) // the KMS call would go here
//!     }
//! }
//!
//! let kms = Kms { key: SigningKey::generate(SignatureAlgorithm::Es256)? };
//! let token = jws::sign_compact(&JwsHeader::new(), b"hi", &kms)?;
//! let verified = jws::verify_compact(&token, &kms.key.verifying_key())?;
//! assert_eq!(verified.header().kid(), Some("kms-key-1"));
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Modules
//!
//! | module | RFC | what it owns |
//! |---|---|---|
//! | [`alg`] | 7518, 8037, 8812, 9864 | algorithm enums, family enums, one descriptor per algorithm |
//! | [`base64url`] | 7515 §2 | strict, canonical base64url |
//! | [`header`] | 7515 §4 | JOSE headers, `crit` |
//! | [`jws`] | 7515, 7518 §3, 8037 | keys, `Signer`/`Verifier`, serializations |
//! | [`jwe`] | 7516, 7518 §4–5 | key management, content encryption, serializations, `zip` |
//! | [`jwk`] | 7517, 7518 §6 | JSON Web Keys |
//! | [`jwt`] | 7519, 9068, OIDC Core | claims, validation, profiles, revocation |
//! | [`keysource`] | — | key sources: local sets, remote JWKS with caching and rotation |
//! | [`dpop`] | 9449 | DPoP proofs, sender-constrained access tokens, nonces |
//! | [`sdjwt`] | 9901 | selective disclosure: issue, present with key binding, verify |
//! | [`dangerous`] | — | unverified decoding, unsecured JWS, nested JWT without claims validation |

#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
// Adding an algorithm or a key kind must be a compile error wherever it matters: no match
// over an enum may end in a catch-all arm (docs/ARCHITECTURE.md).
#![warn(clippy::wildcard_enum_match_arm)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc(test(attr(deny(unused_imports))))]

pub mod alg;
pub mod base64url;
mod crypto;
pub mod dangerous;
mod date;
pub mod dpop;
mod error;
mod executor;
pub mod header;
mod jose;
mod json;
pub mod jwe;
pub mod jwk;
pub mod jws;
pub mod jwt;
mod keyset;
pub mod keysource;
mod limits;
pub mod sdjwt;

pub use alg::{
    AsymmetricKeyManagement, ContentEncryption, EcdhAlgorithm, EcdsaAlgorithm, EdDsaAlgorithm,
    HmacAlgorithm, JwsAlgorithm, KeyManagementAlgorithm, RsaAlgorithm, SignatureAlgorithm,
    SymmetricKeyManagement,
};
pub use crypto::choice::{CryptoProvider, CRYPTO_PROVIDER_ENV};
pub use error::{
    Claim, ClaimsError, DpopError, Error, Forbidden, KeySelectionError, Limit, Part, Result,
    SdJwtError,
};
pub use header::{JweHeader, JwsHeader, Untrusted};
pub use jose::{KeySet, ParseOptions};
pub use jws::{HmacKey, SigningKey, VerifyingKey};
pub use limits::Limits;
/// The `time` crate, for [`NumericDate::from_datetime`](jwt::NumericDate::from_datetime) and
/// [`as_datetime`](jwt::NumericDate::as_datetime) (dates as `std::time::SystemTime` need
/// nothing from it).
pub use time;

// The README's examples compile and run as doc tests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
