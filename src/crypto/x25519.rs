//! X25519 (RFC 7748) keys for ECDH-ES (RFC 8037 §3.2), over the active provider.

use zeroize::Zeroizing;

use super::{Active, Provider};
use crate::error::{Error, Result};

/// An X25519 public key: any 32 bytes are a u-coordinate; low-order points are refused
/// when an agreement yields the all-zero shared secret.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct X25519PublicKey([u8; 32]);

impl X25519PublicKey {
    pub(crate) fn new(bytes: &[u8]) -> Result<Self> {
        Ok(Self(bytes.try_into().map_err(|_| {
            Error::key("x25519 public key must be 32 bytes")
        })?))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// An X25519 private key (zeroized on drop) and its public key.
pub(crate) struct X25519PrivateKey {
    d: Zeroizing<[u8; 32]>,
    public: X25519PublicKey,
}

impl X25519PrivateKey {
    /// From the 32-byte private key (a JWK's `d`) and, if known, the public key, which must
    /// then belong to it.
    pub(crate) fn new(d: &[u8], public: Option<&[u8]>) -> Result<Self> {
        let d: Zeroizing<[u8; 32]> = Zeroizing::new(
            d.try_into()
                .map_err(|_| Error::key("x25519 private key must be 32 bytes"))?,
        );
        let derived = X25519PublicKey(Active::x25519_public_key(&d).ok_or_else(|| {
            Error::crypto("x25519: the provider could not derive the public key")
        })?);
        if let Some(given) = public {
            if X25519PublicKey::new(given)? != derived {
                return Err(Error::key(
                    "x25519 public key does not belong to the private key",
                ));
            }
        }
        Ok(Self { d, public: derived })
    }

    pub(crate) fn public(&self) -> &X25519PublicKey {
        &self.public
    }

    pub(crate) fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        self.d.clone()
    }
}
