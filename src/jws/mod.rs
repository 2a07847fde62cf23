//! JSON Web Signature (RFC 7515), with the algorithms of RFC 7518 §3, RFC 8037 and
//! RFC 8812.
//!
//! - Keys: [`HmacKey`], [`SigningKey`], [`VerifyingKey`], each bound to one
//!   [`JwsAlgorithm`] when built.
//! - The [`Signer`] and [`Verifier`] traits, which an HSM or KMS can implement; for signers
//!   that are remote or async, [`CompactSigningInput`] splits signing into "build the input",
//!   "sign it however you like" and "assemble the token".
//! - Compact serialization (§7.1): [`sign_compact`], [`verify_compact`],
//!   [`verify_compact_with`] and the two-step [`UnverifiedCompact`].
//! - JSON serialization (§7.2), flattened and general: [`JsonJwsBuilder`] and
//!   [`UnverifiedJson`].
//! - Detached payloads (Appendix F) and unencoded payloads (RFC 7797) in both.
//! - Key sets: [`VerifierSource`] picks the one key whose `kid` and `alg` fit a token, never
//!   by trying keys; [`VerifierSet`] is a simple in-memory set.
//!
//! Verification compares the header's `alg` with the algorithm the key is bound to before
//! any cryptography; `none` is never accepted here.

pub(crate) mod compact;
mod json;
mod jwk;
mod keys;
mod keyset;

use std::sync::Arc;

pub use compact::{
    sign_compact, sign_compact_detached, verify_compact, verify_compact_async, verify_compact_with,
    CompactSigningInput, UnverifiedCompact,
};
pub use json::{
    JsonJwsBuilder, JsonVerification, ParsedSignature, SignatureOutcome, UnverifiedJson,
};
pub use keys::{HmacKey, RsaPrivateComponents, SigningKey, VerifyingKey};
pub use keyset::VerifierSet;

use crate::alg::JwsAlgorithm;
use crate::error::{Error, Result};
use crate::header::{JwsHeader, Untrusted};
use crate::limits::Limits;

/// Something that makes JWS signatures with one algorithm: a josecraft key, or your own
/// implementation around an HSM or a KMS.
///
/// ```
/// use josecraft::{jws, HmacKey, JwsAlgorithm, JwsHeader, Result};
/// use josecraft::jws::Signer;
///
/// /// A signer that delegates to some other service (here: a local key).
/// struct Remote(HmacKey);
///
/// impl Signer for Remote {
///     fn algorithm(&self) -> JwsAlgorithm {
///         JwsAlgorithm::Hs256
///     }
///     fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
///         self.0.sign(signing_input) // a network call would go here
///     }
/// }
///
/// let key = HmacKey::generate(JwsAlgorithm::Hs256)?;
/// let token = jws::sign_compact(&JwsHeader::new(), b"hi", &Remote(key.clone()))?;
/// assert_eq!(jws::verify_compact(&token, &key)?.payload(), b"hi");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sign",
    label = "not a signing key",
    note = "sign with a `SigningKey` or an `HmacKey` (or your own `Signer`); a `VerifyingKey` holds only the public key"
)]
pub trait Signer: Send + Sync {
    /// The one algorithm this signer signs with; it goes into the header's `alg`.
    fn algorithm(&self) -> JwsAlgorithm;

    /// The key ID to put into the header's `kid` when the caller set none.
    fn key_id(&self) -> Option<&str> {
        None
    }

    /// Signs the JWS Signing Input (RFC 7515 §5.1 step 5) and returns the signature in
    /// JWS form (for ECDSA: fixed-length `r ‖ s`).
    ///
    /// # Errors
    /// Whatever the implementation reports; josecraft's keys use
    /// [`Error::SigningFailed`] for a backend failure.
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>>;
}

/// Something that checks JWS signatures made with one algorithm.
///
/// Verification functions compare the token's `alg` with [`Verifier::algorithm`] before
/// calling [`Verifier::verify`], so an implementation never sees a token made for another
/// algorithm.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot verify signatures here",
    label = "not a verification key",
    note = "a `SigningKey` verifies through its public key: pass `&key.verifying_key()`",
    note = "a `RemoteJwks` (or another `KeySource`) fetches keys asynchronously: use `jwt::verify_async`, or `jwt::verify_blocking` without an async runtime"
)]
pub trait Verifier: Send + Sync {
    /// The one algorithm this verifier accepts (and its alias: see
    /// [`JwsAlgorithm::accepts`]).
    fn algorithm(&self) -> JwsAlgorithm;

    /// The key ID, used to select this verifier from a set.
    fn key_id(&self) -> Option<&str> {
        None
    }

    /// Checks `signature` over the JWS Signing Input.
    ///
    /// # Errors
    /// [`Error::InvalidSignature`] if it does not verify.
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()>;
}

impl<T: Signer + ?Sized> Signer for Arc<T> {
    fn algorithm(&self) -> JwsAlgorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(signing_input)
    }
}

impl<T: Verifier + ?Sized> Verifier for Arc<T> {
    fn algorithm(&self) -> JwsAlgorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()> {
        (**self).verify(signing_input, signature)
    }
}

impl<T: Signer + ?Sized> Signer for Box<T> {
    fn algorithm(&self) -> JwsAlgorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(signing_input)
    }
}

impl<T: Verifier + ?Sized> Verifier for Box<T> {
    fn algorithm(&self) -> JwsAlgorithm {
        (**self).algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        (**self).key_id()
    }
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()> {
        (**self).verify(signing_input, signature)
    }
}

/// A set of keys that picks the one verifier for a token.
///
/// Implementations select by the header's `kid` and `alg` and must never fall back to
/// "the first key" or try several: no key is [`KeySelectionError::NoKey`], more than one is
/// [`KeySelectionError::SeveralKeys`].
///
/// [`KeySelectionError::NoKey`]: crate::KeySelectionError::NoKey
/// [`KeySelectionError::SeveralKeys`]: crate::KeySelectionError::SeveralKeys
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key or a set of keys that can verify here",
    label = "not a verification key or key set",
    note = "a `SigningKey` verifies through its public key: pass `&key.verifying_key()`",
    note = "a `RemoteJwks` (or another `KeySource`) fetches keys asynchronously: use `jwt::verify_async`, or `jwt::verify_blocking` without an async runtime"
)]
pub trait VerifierSource {
    /// The one verifier for a token with this (unverified) header.
    ///
    /// # Errors
    /// [`Error::KeySelection`] when no key or several keys fit;
    /// [`Error::AlgorithmMismatch`] when no key is bound to the token's `alg`.
    fn select_verifier(&self, header: &JwsHeader) -> Result<&dyn Verifier>;
}

/// A single key is a source of one key: the token's `kid` is not compared (the caller
/// chose the key); its `alg` still must be the key's.
impl<V: Verifier> VerifierSource for V {
    fn select_verifier(&self, _header: &JwsHeader) -> Result<&dyn Verifier> {
        Ok(self)
    }
}

/// What a JWS verification accepts beyond the key: limits and understood `crit`
/// extensions.
///
/// ```
/// use josecraft::{jws::VerifyOptions, Limits};
///
/// let options = VerifyOptions::new()
///     .with_limits(Limits::default().with_max_token_len(8 * 1024))
///     .with_critical("http://example.com/purpose");
/// assert_eq!(options.limits().max_token_len(), 8 * 1024);
/// ```
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    limits: Limits,
    critical: Vec<String>,
}

impl VerifyOptions {
    /// Default limits, no extensions beyond `b64`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Declares that the caller understands and processes the extension header parameter
    /// `name`, so that a token listing it in `crit` is not rejected (RFC 7515 §4.1.11).
    pub fn with_critical(mut self, name: impl Into<String>) -> Self {
        self.critical.push(name.into());
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn critical(&self) -> &[String] {
        &self.critical
    }
}

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
