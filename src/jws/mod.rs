//! JSON Web Signature (RFC 7515), with the algorithms of RFC 7518 §3, RFC 8037 and
//! RFC 8812.
//!
//! - Keys: [`HmacKey`], [`SigningKey`], [`VerifyingKey`], each bound to one
//!   [`JwsAlgorithm`](crate::JwsAlgorithm) when built; constructors take the algorithm
//!   family they can be bound to ([`HmacAlgorithm`](crate::HmacAlgorithm),
//!   [`SignatureAlgorithm`](crate::SignatureAlgorithm), ...).
//! - The [`Signer`] and [`Verifier`] traits, which an HSM or KMS can implement; for signers
//!   that are remote or async, [`CompactSigningInput`] splits signing into "build the input",
//!   "sign it however you like" and "assemble the token".
//! - Compact serialization (§7.1): [`sign_compact`], [`verify_compact`] (a key or a key
//!   set), [`verify_compact_async`] (any [`KeySource`](crate::keysource::KeySource)), and the two-step
//!   [`UnverifiedCompact`] for options and a look at the header first.
//! - JSON serialization (§7.2), flattened and general: [`JsonJwsBuilder`] and
//!   [`UnverifiedJson`].
//! - Detached payloads (Appendix F) and unencoded payloads (RFC 7797) in both.
//! - Key sets: [`VerifierSource`] picks the one key whose `kid` and `alg` fit a token, never
//!   by trying keys; [`VerifierSet`] is a simple in-memory set.
//!
//! Verification compares the header's `alg` with the algorithm the key is bound to before
//! any cryptography; `none` is never accepted here.

pub(crate) mod compact;
pub(crate) mod json;
mod jwk;
mod keys;

pub use crate::jose::{Signer, Verifier, VerifierSource};
pub use compact::{
    sign_compact, sign_compact_detached, verify_compact, verify_compact_async, CompactSigningInput,
    UnverifiedCompact,
};
pub use json::{
    JsonJwsBuilder, JsonVerification, ParsedSignature, SignatureOutcome, UnverifiedJson,
};
pub use keys::{HmacKey, RsaPrivateComponents, SigningKey, VerifyingKey};

use crate::error::{Error, Result};
use crate::header::{JwsHeader, Untrusted};
use crate::jose::KeySet;

/// An in-memory set of verifiers, indexed by `kid` and by algorithm so that selection
/// costs the same for 1 key or 10 000.
///
/// For JWK Sets use [`JwkSet`](crate::jwk::JwkSet); this type holds keys that are already
/// built (including your own [`Verifier`] implementations).
///
/// ```
/// use josecraft::{jws, JwsHeader, SignatureAlgorithm, SigningKey};
/// use josecraft::jws::VerifierSet;
///
/// let old = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2023");
/// let new = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2024");
/// let keys = VerifierSet::new()
///     .with(old.verifying_key())
///     .with(new.verifying_key());
///
/// let token = jws::sign_compact(&JwsHeader::new(), b"x", &new)?;
/// let verified = jws::verify_compact(&token, &keys)?;
/// assert_eq!(verified.header().kid(), Some("2024"));
/// # Ok::<(), josecraft::Error>(())
/// ```
pub type VerifierSet = KeySet<dyn Verifier>;

/// A JWS whose signature has been verified: its protected header and payload.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJws {
    header: JwsHeader,
    unprotected: Option<Untrusted<JwsHeader>>,
    payload: Vec<u8>,
}

impl VerifiedJws {
    pub(crate) fn new(header: JwsHeader, payload: Vec<u8>) -> Self {
        Self::with_unprotected(header, None, payload)
    }
    pub(crate) fn with_unprotected(
        header: JwsHeader,
        unprotected: Option<Untrusted<JwsHeader>>,
        payload: Vec<u8>,
    ) -> Self {
        Self {
            header,
            unprotected,
            payload,
        }
    }
    /// The protected header of the verified signature: covered by the signature.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }
    /// The unprotected header of the verified signature (JSON serialization only). Not
    /// covered by any signature: anyone could have changed it.
    pub fn unprotected_header(&self) -> Option<&Untrusted<JwsHeader>> {
        self.unprotected.as_ref()
    }
    /// The verified payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// Takes the payload.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }
    /// Takes header and payload.
    pub fn into_parts(self) -> (JwsHeader, Vec<u8>) {
        (self.header, self.payload)
    }
}

/// Fails unless `verifier` is bound to the algorithm the header names.
pub(crate) fn check_binding(verifier: &dyn Verifier, alg: &str) -> Result<()> {
    let expected = verifier.algorithm();
    if expected.accepts(alg) {
        Ok(())
    } else {
        Err(Error::AlgorithmMismatch {
            expected: expected.name().to_string(),
            found: alg.to_string(),
        })
    }
}
