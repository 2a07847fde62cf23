//! JWE algorithm names (RFC 7518 §4.1 and §5.1, RFC 8037 §3.2).

use std::fmt;
use std::str::FromStr;

use crate::crypto::digest::Sha;
use crate::error::{Error, Result};

/// A JWE key-management algorithm (`alg`).
///
/// `RSA1_5` is deliberately absent: RSAES-PKCS1-v1_5 decryption is an oracle for
/// Bleichenbacher's attack, so josecraft refuses it with [`Error::Unsupported`] before any
/// RSA operation, as panva/jose does (RFC 8725 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum KeyManagementAlgorithm {
    /// Direct use of a shared content encryption key.
    Dir,
    /// AES-128 Key Wrap.
    A128Kw,
    /// AES-192 Key Wrap.
    A192Kw,
    /// AES-256 Key Wrap.
    A256Kw,
    /// AES-128-GCM key encryption.
    A128GcmKw,
    /// AES-192-GCM key encryption.
    A192GcmKw,
    /// AES-256-GCM key encryption.
    A256GcmKw,
    /// PBES2 with HMAC-SHA-256 and AES-128 Key Wrap.
    Pbes2Hs256A128Kw,
    /// PBES2 with HMAC-SHA-384 and AES-192 Key Wrap.
    Pbes2Hs384A192Kw,
    /// PBES2 with HMAC-SHA-512 and AES-256 Key Wrap.
    Pbes2Hs512A256Kw,
    /// ECDH-ES key agreement, the agreed key used directly as CEK.
    EcdhEs,
    /// ECDH-ES key agreement with AES-128 Key Wrap.
    EcdhEsA128Kw,
    /// ECDH-ES key agreement with AES-192 Key Wrap.
    EcdhEsA192Kw,
    /// ECDH-ES key agreement with AES-256 Key Wrap.
    EcdhEsA256Kw,
    /// RSAES-OAEP with SHA-1 and MGF1 with SHA-1.
    RsaOaep,
    /// RSAES-OAEP with SHA-256 and MGF1 with SHA-256.
    RsaOaep256,
    /// RSAES-OAEP with SHA-384 and MGF1 with SHA-384.
    RsaOaep384,
    /// RSAES-OAEP with SHA-512 and MGF1 with SHA-512.
    RsaOaep512,
}

/// How a key-management algorithm obtains the CEK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    Direct,
    AesKw(usize),
    AesGcmKw(usize),
    Pbes2(Sha, usize),
    /// ECDH-ES; `Some(n)` wraps the CEK with an n-byte AES key, `None` uses the agreed key.
    EcdhEs(Option<usize>),
    RsaOaep(Option<Sha>),
}

impl KeyManagementAlgorithm {
    /// Every key-management algorithm josecraft implements.
    pub const ALL: [KeyManagementAlgorithm; 18] = [
        Self::Dir,
        Self::A128Kw,
        Self::A192Kw,
        Self::A256Kw,
        Self::A128GcmKw,
        Self::A192GcmKw,
        Self::A256GcmKw,
        Self::Pbes2Hs256A128Kw,
        Self::Pbes2Hs384A192Kw,
        Self::Pbes2Hs512A256Kw,
        Self::EcdhEs,
        Self::EcdhEsA128Kw,
        Self::EcdhEsA192Kw,
        Self::EcdhEsA256Kw,
        Self::RsaOaep,
        Self::RsaOaep256,
        Self::RsaOaep384,
        Self::RsaOaep512,
    ];

    /// The registered name, as it appears in `alg`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Dir => "dir",
            Self::A128Kw => "A128KW",
            Self::A192Kw => "A192KW",
            Self::A256Kw => "A256KW",
            Self::A128GcmKw => "A128GCMKW",
            Self::A192GcmKw => "A192GCMKW",
            Self::A256GcmKw => "A256GCMKW",
            Self::Pbes2Hs256A128Kw => "PBES2-HS256+A128KW",
            Self::Pbes2Hs384A192Kw => "PBES2-HS384+A192KW",
            Self::Pbes2Hs512A256Kw => "PBES2-HS512+A256KW",
            Self::EcdhEs => "ECDH-ES",
            Self::EcdhEsA128Kw => "ECDH-ES+A128KW",
            Self::EcdhEsA192Kw => "ECDH-ES+A192KW",
            Self::EcdhEsA256Kw => "ECDH-ES+A256KW",
            Self::RsaOaep => "RSA-OAEP",
            Self::RsaOaep256 => "RSA-OAEP-256",
            Self::RsaOaep384 => "RSA-OAEP-384",
            Self::RsaOaep512 => "RSA-OAEP-512",
        }
    }

    /// The algorithm with this exact name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Parses an `alg` from a token: unknown names and `RSA1_5` are [`Error::Unsupported`].
    pub(crate) fn from_token(name: &str) -> Result<Self> {
        Self::from_name(name).ok_or_else(|| {
            if name == "RSA1_5" {
                Error::unsupported(
                    "RSA1_5 key management (RSAES-PKCS1-v1_5 is open to Bleichenbacher's attack; use RSA-OAEP-256)",
                )
            } else {
                Error::unsupported(format!(
                    "jwe key management algorithm \"{}\"",
                    name.escape_debug()
                ))
            }
        })
    }

    pub(crate) const fn family(self) -> KeyFamily {
        match self {
            Self::Dir => KeyFamily::Direct,
            Self::A128Kw => KeyFamily::AesKw(16),
            Self::A192Kw => KeyFamily::AesKw(24),
            Self::A256Kw => KeyFamily::AesKw(32),
            Self::A128GcmKw => KeyFamily::AesGcmKw(16),
            Self::A192GcmKw => KeyFamily::AesGcmKw(24),
            Self::A256GcmKw => KeyFamily::AesGcmKw(32),
            Self::Pbes2Hs256A128Kw => KeyFamily::Pbes2(Sha::Sha256, 16),
            Self::Pbes2Hs384A192Kw => KeyFamily::Pbes2(Sha::Sha384, 24),
            Self::Pbes2Hs512A256Kw => KeyFamily::Pbes2(Sha::Sha512, 32),
            Self::EcdhEs => KeyFamily::EcdhEs(None),
            Self::EcdhEsA128Kw => KeyFamily::EcdhEs(Some(16)),
            Self::EcdhEsA192Kw => KeyFamily::EcdhEs(Some(24)),
            Self::EcdhEsA256Kw => KeyFamily::EcdhEs(Some(32)),
            Self::RsaOaep => KeyFamily::RsaOaep(None),
            Self::RsaOaep256 => KeyFamily::RsaOaep(Some(Sha::Sha256)),
            Self::RsaOaep384 => KeyFamily::RsaOaep(Some(Sha::Sha384)),
            Self::RsaOaep512 => KeyFamily::RsaOaep(Some(Sha::Sha512)),
        }
    }

    /// Whether the CEK is the key (or the agreed key) itself rather than a wrapped random
    /// one: `dir` and `ECDH-ES`. Such algorithms cannot serve several recipients.
    pub const fn is_direct(self) -> bool {
        matches!(self, Self::Dir | Self::EcdhEs)
    }

    /// Whether recovering the CEK is costly (a PBES2 derivation, an RSA private-key
    /// operation, an ECDH agreement) rather than a cheap key unwrap; bounded per JWE by
    /// [`Limits::max_costly_unwraps`](crate::Limits::max_costly_unwraps).
    pub(crate) const fn is_costly(self) -> bool {
        matches!(
            self.family(),
            KeyFamily::Pbes2(..) | KeyFamily::RsaOaep(_) | KeyFamily::EcdhEs(_)
        )
    }

    /// Whether the key is symmetric (the same key encrypts and decrypts).
    pub const fn is_symmetric(self) -> bool {
        !matches!(self.family(), KeyFamily::EcdhEs(_) | KeyFamily::RsaOaep(_))
    }
}

impl fmt::Display for KeyManagementAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyManagementAlgorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_token(s)
    }
}

/// A JWE content-encryption algorithm (`enc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ContentEncryption {
    /// AES-128-GCM.
    A128Gcm,
    /// AES-192-GCM.
    A192Gcm,
    /// AES-256-GCM.
    A256Gcm,
    /// AES-128-CBC with HMAC-SHA-256 (RFC 7518 §5.2.3).
    A128CbcHs256,
    /// AES-192-CBC with HMAC-SHA-384.
    A192CbcHs384,
    /// AES-256-CBC with HMAC-SHA-512.
    A256CbcHs512,
}

impl ContentEncryption {
    /// Every content encryption josecraft implements.
    pub const ALL: [ContentEncryption; 6] = [
        Self::A128Gcm,
        Self::A192Gcm,
        Self::A256Gcm,
        Self::A128CbcHs256,
        Self::A192CbcHs384,
        Self::A256CbcHs512,
    ];

    /// The registered name, as it appears in `enc`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::A128Gcm => "A128GCM",
            Self::A192Gcm => "A192GCM",
            Self::A256Gcm => "A256GCM",
            Self::A128CbcHs256 => "A128CBC-HS256",
            Self::A192CbcHs384 => "A192CBC-HS384",
            Self::A256CbcHs512 => "A256CBC-HS512",
        }
    }

    /// The algorithm with this exact name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    pub(crate) fn from_token(name: &str) -> Result<Self> {
        Self::from_name(name).ok_or_else(|| {
            Error::unsupported(format!(
                "jwe content encryption \"{}\"",
                name.escape_debug()
            ))
        })
    }

    /// The CEK length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            Self::A128Gcm => 16,
            Self::A192Gcm => 24,
            Self::A256Gcm | Self::A128CbcHs256 => 32,
            Self::A192CbcHs384 => 48,
            Self::A256CbcHs512 => 64,
        }
    }

    /// The IV length in bytes.
    pub const fn iv_len(self) -> usize {
        if self.is_gcm() {
            12
        } else {
            16
        }
    }

    /// The authentication tag length in bytes.
    pub const fn tag_len(self) -> usize {
        match self {
            Self::A128Gcm | Self::A192Gcm | Self::A256Gcm | Self::A128CbcHs256 => 16,
            Self::A192CbcHs384 => 24,
            Self::A256CbcHs512 => 32,
        }
    }

    pub(crate) const fn is_gcm(self) -> bool {
        matches!(self, Self::A128Gcm | Self::A192Gcm | Self::A256Gcm)
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ContentEncryption {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_token(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for a in KeyManagementAlgorithm::ALL {
            assert_eq!(KeyManagementAlgorithm::from_name(a.name()), Some(a));
        }
        for e in ContentEncryption::ALL {
            assert_eq!(ContentEncryption::from_name(e.name()), Some(e));
        }
        assert!(matches!(
            "RSA1_5".parse::<KeyManagementAlgorithm>(),
            Err(Error::Unsupported(m)) if m.contains("Bleichenbacher")
        ));
        assert!("none".parse::<KeyManagementAlgorithm>().is_err());
        assert!("A128CBC-H256".parse::<ContentEncryption>().is_err());
    }
}
