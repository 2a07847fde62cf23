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
//! use josecraft::{jws, JwsAlgorithm, JwsHeader, SigningKey};
//!
//! let key = SigningKey::generate(JwsAlgorithm::Es256)?;
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
//! use josecraft::{jws, jwk::Jwk, HmacKey, JwsAlgorithm, JwsHeader};
//! use josecraft::jws::{VerifierSet, VerifyOptions};
//!
//! let signer = HmacKey::generate(JwsAlgorithm::Hs256)?.with_key_id("a");
//! let token = jws::sign_compact(&JwsHeader::new(), b"hi", &signer)?;
//!
//! let keys = VerifierSet::new().with(signer.clone());
//! let verified = jws::verify_compact_with(&token, &keys, &VerifyOptions::default())?;
//! assert_eq!(verified.payload(), b"hi");
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! ## Modules
//!
//! | module | RFC | what it owns |
//! |---|---|---|
//! | [`base64url`] | 7515 §2 | strict, canonical base64url |
//! | [`header`] | 7515 §4 | JOSE headers, `crit` |
//! | [`jws`] | 7515, 7518 §3, 8037 | keys, `Signer`/`Verifier`, serializations |
//! | [`jwe`] | 7516, 7518 §4–5 | key management, content encryption, serializations, `zip` |
//! | [`jwk`] | 7517, 7518 §6 | JSON Web Keys |
//! | [`jwt`] | 7519, 9068, OIDC Core | claims, validation, profiles, revocation |
//! | [`keysource`] | — | key sources: local sets, remote JWKS with caching and rotation |
//! | [`dangerous`] | — | unverified decoding, unsecured JWS |

#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod base64url;
mod crypto;
pub mod dangerous;
mod error;
pub mod header;
mod json;
pub mod jwe;
pub mod jwk;
pub mod jws;
pub mod jwt;
mod keyset;
pub mod keysource;
mod limits;

pub use error::{Claim, ClaimsError, Error, KeySelectionError, Limit, Part, Result};
pub use header::{JweHeader, JwsHeader, Untrusted};
pub use jws::{HmacKey, JwsAlgorithm, SigningKey, VerifyingKey};
pub use limits::Limits;
