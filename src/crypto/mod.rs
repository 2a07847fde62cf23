//! Every call into a cryptographic backend goes through this module, so that `jws`, `jwe`
//! and `jwk` never name `ring` or a RustCrypto crate.
//!
//! Three parts:
//!
//! - the **provider seam** ([`provider::Provider`]): every primitive as one trait, with one
//!   implementation per backend under its own directory: `ring/` (feature `ring`, the
//!   default, with RustCrypto crates for what ring lacks) and `aws_lc/` (feature `aws-lc`).
//!   Calls go to [`Active`]: the one compiled in, or with both a dispatcher (`select`) that
//!   follows the process's [`choice::CryptoProvider`]. RustCrypto code both providers
//!   share is in [`rustcrypto`];
//! - the **key model**, the same for every provider: [`PublicKey`] and [`PrivateKey`] and
//!   their per-type keys (`rsa`, `ec`, `ed25519`, `x25519`), which hold the provider's
//!   prepared keys and apply josecraft's rules for acceptable keys (RSA sizes and
//!   exponents, ROCA, curve membership, small-order Ed25519 keys) before a key exists;
//! - shared compositions that are security rules rather than primitives: AES-CBC-HMAC's
//!   tag-before-decrypt ([`aes`]), the Concat KDF ([`ecdh`]), key encodings ([`keyfmt`]:
//!   PEM, SPKI, PKCS#8, PKCS#1, SEC 1, X.509, read and written with the RustCrypto `der`
//!   family).
//!
//! docs/ARCHITECTURE.md says how to add a provider.

#[cfg(not(any(feature = "ring", feature = "aws-lc")))]
compile_error!(
    "josecraft needs a crypto provider: enable its `ring` (default) or `aws-lc` feature"
);

pub(crate) mod aes;
#[cfg(feature = "aws-lc")]
mod aws_lc;
pub(crate) mod choice;
pub(crate) mod digest;
pub(crate) mod ec;
pub(crate) mod ecdh;
pub(crate) mod ed25519;
pub(crate) mod hmac;
pub(crate) mod keyfmt;
pub(crate) mod provider;
pub(crate) mod rand;
#[cfg(feature = "ring")]
mod ring;
pub(crate) mod rsa;
pub(crate) mod rustcrypto;
#[cfg(all(feature = "ring", feature = "aws-lc"))]
mod select;
pub(crate) mod x25519;

pub(crate) use provider::Provider;

/// The provider this build uses: the one compiled in, or, with both, the dispatcher that
/// asks [`choice::CryptoProvider::get_default`] (docs/ARCHITECTURE.md).
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
pub(crate) type Active = ring::Ring;
/// The provider this build uses (see the `ring` build's doc).
#[cfg(all(feature = "aws-lc", not(feature = "ring")))]
pub(crate) type Active = aws_lc::AwsLc;
/// The provider this build uses (see the `ring` build's doc).
#[cfg(all(feature = "ring", feature = "aws-lc"))]
pub(crate) type Active = select::Selected;

/// The rustls provider of the JWKS fetcher (feature `http`), from the active provider.
#[cfg(feature = "http")]
pub(crate) fn tls_provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    Active::tls()
}

use crate::error::{Error, Result};
use keyfmt::{PrivateKeyMaterial, PublicKeyMaterial};

/// Removes leading zero bytes from a big-endian unsigned integer.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn bit_len(bytes: &[u8]) -> usize {
    let b = strip_leading_zeros(bytes);
    match b.first() {
        None => 0,
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

/// Compares two big-endian unsigned integers (leading zeros ignored).
pub(crate) fn cmp_be(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let (a, b) = (strip_leading_zeros(a), strip_leading_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Runs key construction from untrusted material behind a panic boundary.
///
/// Key material comes from tokens (`epk`, an embedded `jwk`), from published JWK Sets and
/// from files; it is validated before it reaches a backend, but a third-party crate that
/// panics on some input it was never meant to see must not take the caller's thread (or a
/// server) down with it. A panic becomes [`Error::KeyRejected`]. (With `panic = "abort"`
/// nothing can be caught; the validation in front of every backend call is what protects
/// such builds.)
pub(crate) fn contain<T>(what: &str, build: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)) {
        Ok(result) => result,
        Err(_) => Err(Error::key(format!(
            "{what}: refused (the cryptographic backend could not process this key)"
        ))),
    }
}

/// The curve of an `OKP` key (RFC 8037 §2): its JWK `crv` name, the one table of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OkpCurve {
    Ed25519,
    X25519,
}

impl OkpCurve {
    pub(crate) const ALL: [OkpCurve; 2] = [OkpCurve::Ed25519, OkpCurve::X25519];

    /// The JWK `crv` name.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            OkpCurve::Ed25519 => "Ed25519",
            OkpCurve::X25519 => "X25519",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A validated private key of any type, not yet bound to an algorithm.
pub(crate) enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ec(ec::EcPrivateKey),
    Ed25519(ed25519::Ed25519PrivateKey),
    X25519(x25519::X25519PrivateKey),
}

/// A validated public key of any type, not yet bound to an algorithm.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    Ec(ec::EcPublicKey),
    Ed25519(ed25519::Ed25519PublicKey),
    X25519(x25519::X25519PublicKey),
}

impl PrivateKey {
    /// Validates the material by building the key.
    pub(crate) fn from_material(m: &PrivateKeyMaterial) -> Result<Self> {
        contain("private key", || Self::build(m))
    }

    fn build(m: &PrivateKeyMaterial) -> Result<Self> {
        Ok(match m {
            PrivateKeyMaterial::Rsa(parts) => Self::Rsa(Box::new(rsa::RsaPrivateKey::new(parts)?)),
            PrivateKeyMaterial::Ec { curve, d, public } => {
                Self::Ec(ec::EcPrivateKey::new(*curve, d, public.as_deref())?)
            }
            PrivateKeyMaterial::Ed25519 { seed, public } => {
                Self::Ed25519(ed25519::Ed25519PrivateKey::new(seed, public.as_deref())?)
            }
            PrivateKeyMaterial::X25519 { d, public } => {
                Self::X25519(x25519::X25519PrivateKey::new(d, public.as_deref())?)
            }
        })
    }

    /// The RSA key, if it is one.
    pub(crate) fn as_rsa(&self) -> Option<&rsa::RsaPrivateKey> {
        match self {
            Self::Rsa(k) => Some(k.as_ref()),
            Self::Ec(_) | Self::Ed25519(_) | Self::X25519(_) => None,
        }
    }

    /// The EC key, if it is one.
    pub(crate) fn as_ec(&self) -> Option<&ec::EcPrivateKey> {
        match self {
            Self::Ec(k) => Some(k),
            Self::Rsa(_) | Self::Ed25519(_) | Self::X25519(_) => None,
        }
    }

    /// The Ed25519 key, if it is one.
    pub(crate) fn as_ed25519(&self) -> Option<&ed25519::Ed25519PrivateKey> {
        match self {
            Self::Ed25519(k) => Some(k),
            Self::Rsa(_) | Self::Ec(_) | Self::X25519(_) => None,
        }
    }

    pub(crate) fn public(&self) -> PublicKey {
        match self {
            Self::Rsa(k) => PublicKey::Rsa(k.public().clone()),
            Self::Ec(k) => PublicKey::Ec(k.public().clone()),
            Self::Ed25519(k) => PublicKey::Ed25519(k.public().clone()),
            Self::X25519(k) => PublicKey::X25519(k.public().clone()),
        }
    }
}

impl PublicKey {
    /// Validates the material by building the key.
    pub(crate) fn from_material(m: &PublicKeyMaterial) -> Result<Self> {
        contain("public key", || Self::build(m))
    }

    fn build(m: &PublicKeyMaterial) -> Result<Self> {
        Ok(match m {
            PublicKeyMaterial::Rsa { n, e } => Self::Rsa(rsa::RsaPublicKey::new(n, e)?),
            PublicKeyMaterial::Ec { curve, point } => {
                Self::Ec(ec::EcPublicKey::from_sec1(*curve, point)?)
            }
            PublicKeyMaterial::Ed25519(x) => Self::Ed25519(ed25519::Ed25519PublicKey::new(x)?),
            PublicKeyMaterial::X25519(x) => Self::X25519(x25519::X25519PublicKey::new(x)?),
        })
    }

    /// The RSA key, if it is one.
    pub(crate) fn as_rsa(&self) -> Option<&rsa::RsaPublicKey> {
        match self {
            Self::Rsa(k) => Some(k),
            Self::Ec(_) | Self::Ed25519(_) | Self::X25519(_) => None,
        }
    }

    /// The EC key, if it is one.
    pub(crate) fn as_ec(&self) -> Option<&ec::EcPublicKey> {
        match self {
            Self::Ec(k) => Some(k),
            Self::Rsa(_) | Self::Ed25519(_) | Self::X25519(_) => None,
        }
    }

    /// The Ed25519 key, if it is one.
    pub(crate) fn as_ed25519(&self) -> Option<&ed25519::Ed25519PublicKey> {
        match self {
            Self::Ed25519(k) => Some(k),
            Self::Rsa(_) | Self::Ec(_) | Self::X25519(_) => None,
        }
    }

    /// The X25519 key, if it is one.
    pub(crate) fn as_x25519(&self) -> Option<&x25519::X25519PublicKey> {
        match self {
            Self::X25519(k) => Some(k),
            Self::Rsa(_) | Self::Ec(_) | Self::Ed25519(_) => None,
        }
    }

    /// "an RSA key", "an EC P-256 key", ... for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Rsa(_) => "an RSA key".into(),
            Self::Ec(k) => format!("an EC {} key", k.curve().name()),
            Self::Ed25519(_) => "an Ed25519 key".into(),
            Self::X25519(_) => "an X25519 key".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(strip_leading_zeros(&[0, 0, 1, 0]), &[1, 0]);
        assert_eq!(strip_leading_zeros(&[0, 0]), &[] as &[u8]);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[]), 0);
        use std::cmp::Ordering::*;
        assert_eq!(cmp_be(&[0, 1, 2], &[1, 2]), Equal);
        assert_eq!(cmp_be(&[1, 0], &[0xff]), Greater);
        assert_eq!(cmp_be(&[], &[0]), Equal);
        assert_eq!(cmp_be(&[2], &[3]), Less);
    }

    #[test]
    fn a_panicking_backend_is_a_rejected_key() {
        let r: Result<()> = contain("test key", || panic!("backend bug"));
        assert!(matches!(r, Err(Error::KeyRejected(m)) if m.starts_with("test key: refused")));
        assert_eq!(contain("k", || Ok(7)), Ok(7));
    }
}
