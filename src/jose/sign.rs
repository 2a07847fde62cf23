//! The signature side of the core: the [`Signer`] and [`Verifier`] traits every JWS key
//! implements, and [`VerifierSource`], which picks the one verifier for a token.
//!
//! The algorithm set is closed (see [`alg`](crate::alg)): a signer or verifier names one of
//! josecraft's algorithms, so that signature lengths, key kinds and OIDC hashes come from
//! josecraft's own descriptor of it.

use std::sync::Arc;

use crate::alg::JwsAlgorithm;
use crate::error::Result;
use crate::header::{JwsHeader, Untrusted};

/// Something that makes JWS signatures with one algorithm: a josecraft key, or your own
/// implementation around an HSM or a KMS.
///
/// ```
/// use josecraft::{jws, HmacKey, JwsAlgorithm, JwsHeader, Result};
/// use josecraft::jws::Signer;
/// use josecraft::HmacAlgorithm;
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
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
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
    /// [`Error::SigningFailed`](crate::Error::SigningFailed) for a backend failure.
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>>;
}

/// Something that checks JWS signatures made with one algorithm.
///
/// Every verifier is also a [`VerifierSource`] of one key, so a key (or a `&dyn Verifier`)
/// goes wherever a key set does.
///
/// Verification functions compare the token's `alg` with [`Verifier::algorithm`] before
/// calling [`Verifier::verify`], so an implementation never sees a token made for another
/// algorithm.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot verify signatures here",
    label = "not a verification key",
    note = "a `SigningKey` verifies through its public key: pass `&key.verifying_key()`",
    note = "a `RemoteJwks` (or another `KeySource`) fetches keys asynchronously: use `jwt::verify_async` (run it with `keysource::block_on` where there is no async runtime)"
)]
pub trait Verifier: VerifierSource + Send + Sync {
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
    /// [`Error::InvalidSignature`](crate::Error::InvalidSignature) if it does not verify.
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()>;
}

macro_rules! forward_signature_traits {
    ($($ptr:ident),*) => {$(
        impl<T: Signer + ?Sized> Signer for $ptr<T> {
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

        impl<T: Verifier + ?Sized> Verifier for $ptr<T> {
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
    )*};
}

// Boxed and shared keys (including `dyn` ones) are keys too.
forward_signature_traits!(Arc, Box);

/// A set of keys that picks the one verifier for a token.
///
/// Implementations select by the header's `kid` and `alg` and must never fall back to
/// "the first key" or try several: no key is [`KeySelectionError::NoKey`](crate::KeySelectionError::NoKey), more than one is
/// [`KeySelectionError::SeveralKeys`](crate::KeySelectionError::SeveralKeys).
///
/// [`KeySelectionError::NoKey`](crate::KeySelectionError::NoKey): crate::KeySelectionError::NoKey
/// [`KeySelectionError::SeveralKeys`](crate::KeySelectionError::SeveralKeys): crate::KeySelectionError::SeveralKeys
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key or a set of keys that can verify here",
    label = "not a verification key or key set",
    note = "a `SigningKey` verifies through its public key: pass `&key.verifying_key()`",
    note = "a `RemoteJwks` (or another `KeySource`) fetches keys asynchronously: use `jwt::verify_async` (run it with `keysource::block_on` where there is no async runtime)"
)]
pub trait VerifierSource {
    /// The one verifier for a token with this (unverified) header.
    ///
    /// # Errors
    /// [`Error::KeySelection`](crate::Error::KeySelection) when no key or several keys fit;
    /// [`Error::AlgorithmMismatch`](crate::Error::AlgorithmMismatch) when no key is bound to the token's `alg`.
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier>;
}

/// A single key is a source of one key: the token's `kid` is not compared (the caller
/// chose the key); its `alg` still must be the key's.
impl<V: Verifier> VerifierSource for V {
    fn select_verifier(&self, _header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier> {
        Ok(self)
    }
}
