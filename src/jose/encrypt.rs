//! The encryption side of the core: the [`KeyEncryptor`] and [`KeyDecryptor`] traits every
//! JWE key implements, the content encryption key they exchange, and [`DecryptorSource`],
//! which picks the one decryptor for a JWE (or for one recipient of a JSON JWE).

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::alg::{ContentEncryption, KeyManagementAlgorithm};
use crate::error::Result;
use crate::header::{JweHeader, Untrusted};
use crate::limits::Limits;

/// A content encryption key (CEK): zeroized on drop, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct ContentEncryptionKey(Zeroizing<Vec<u8>>);

impl ContentEncryptionKey {
    /// Wraps key bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }
    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ContentEncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContentEncryptionKey(<redacted>)")
    }
}

/// What a [`KeyEncryptor`] hands back: the CEK that encrypts the content and the JWE
/// Encrypted Key the recipient gets.
#[derive(Debug)]
pub struct EncryptedKey {
    /// The content encryption key.
    pub cek: ContentEncryptionKey,
    /// The JWE Encrypted Key (empty for `dir` and `ECDH-ES`).
    pub encrypted_key: Vec<u8>,
}

/// The sender's side of one key-management algorithm: a josecraft key, or your own
/// implementation around a KMS.
pub trait KeyEncryptor: Send + Sync {
    /// The one key-management algorithm this key does.
    fn algorithm(&self) -> KeyManagementAlgorithm;

    /// The key ID to put into the header's `kid` when the caller set none.
    fn key_id(&self) -> Option<&str> {
        None
    }

    /// For a `dir` key: the content encryption it is bound to.
    fn content_encryption(&self) -> Option<ContentEncryption> {
        None
    }

    /// Produces the CEK for content encryption `enc` and the JWE Encrypted Key.
    ///
    /// `cek` is a fresh random CEK of the right length: wrapping algorithms encrypt it,
    /// direct ones (`dir`, `ECDH-ES`) return their own instead. Parameters the recipient
    /// needs (`epk`, `iv`, `tag`, `p2s`, `p2c`) are set on `header`.
    ///
    /// # Errors
    /// Whatever the implementation reports.
    fn encrypt_key(
        &self,
        enc: ContentEncryption,
        cek: ContentEncryptionKey,
        header: &mut JweHeader,
    ) -> Result<EncryptedKey>;
}

/// The recipient's side of one key-management algorithm.
///
/// Every decryptor is also a [`DecryptorSource`] of one key, so a key (or a
/// `&dyn KeyDecryptor`) goes wherever a key set does.
pub trait KeyDecryptor: DecryptorSource + Send + Sync {
    /// The one key-management algorithm this key does.
    fn algorithm(&self) -> KeyManagementAlgorithm;

    /// The key ID, used to select this key from a set.
    fn key_id(&self) -> Option<&str> {
        None
    }

    /// For a `dir` key: the content encryption it is bound to.
    fn content_encryption(&self) -> Option<ContentEncryption> {
        None
    }

    /// Recovers the CEK from the JWE Encrypted Key and the (joined) header. josecraft turns
    /// any error but [`Error::LimitExceeded`](crate::Error::LimitExceeded) and [`Error::Malformed`](crate::Error::Malformed) into the one opaque
    /// [`Error::DecryptionFailed`](crate::Error::DecryptionFailed).
    ///
    /// # Errors
    /// [`Error::LimitExceeded`](crate::Error::LimitExceeded) for a header parameter over a limit (PBES2 `p2c`),
    /// [`Error::Malformed`](crate::Error::Malformed) for missing or ill-sized header parameters, anything else for a
    /// failed unwrap.
    fn decrypt_key(
        &self,
        enc: ContentEncryption,
        encrypted_key: &[u8],
        header: &Untrusted<JweHeader>,
        limits: &Limits,
    ) -> Result<ContentEncryptionKey>;
}

macro_rules! forward_key_traits {
    ($($ptr:ident),*) => {$(
        impl<T: KeyEncryptor + ?Sized> KeyEncryptor for $ptr<T> {
            fn algorithm(&self) -> KeyManagementAlgorithm {
                (**self).algorithm()
            }
            fn key_id(&self) -> Option<&str> {
                (**self).key_id()
            }
            fn content_encryption(&self) -> Option<ContentEncryption> {
                (**self).content_encryption()
            }
            fn encrypt_key(
                &self,
                enc: ContentEncryption,
                cek: ContentEncryptionKey,
                header: &mut JweHeader,
            ) -> Result<EncryptedKey> {
                (**self).encrypt_key(enc, cek, header)
            }
        }

        impl<T: KeyDecryptor + ?Sized> KeyDecryptor for $ptr<T> {
            fn algorithm(&self) -> KeyManagementAlgorithm {
                (**self).algorithm()
            }
            fn key_id(&self) -> Option<&str> {
                (**self).key_id()
            }
            fn content_encryption(&self) -> Option<ContentEncryption> {
                (**self).content_encryption()
            }
            fn decrypt_key(
                &self,
                enc: ContentEncryption,
                encrypted_key: &[u8],
                header: &Untrusted<JweHeader>,
                limits: &Limits,
            ) -> Result<ContentEncryptionKey> {
                (**self).decrypt_key(enc, encrypted_key, header, limits)
            }
        }
    )*};
}

// Boxed and shared keys (including `dyn` ones) are keys too.
forward_key_traits!(Arc, Box);

/// A set of keys that picks the one decryptor for a JWE (or for one recipient of a JSON
/// JWE) by its `kid`, `alg` and, for `dir` keys, `enc`; never by trying keys.
pub trait DecryptorSource {
    /// The one decryptor for this (unverified, joined) header.
    ///
    /// # Errors
    /// [`Error::KeySelection`](crate::Error::KeySelection) when no key or several keys fit;
    /// [`Error::AlgorithmMismatch`](crate::Error::AlgorithmMismatch) when no key is bound to the JWE's algorithms.
    fn select_decryptor(&self, header: &Untrusted<JweHeader>) -> Result<&dyn KeyDecryptor>;
}

/// A single key is a source of one key: the JWE's `kid` is not compared (the caller chose
/// the key); its algorithms still must be the key's.
impl<K: KeyDecryptor> DecryptorSource for K {
    fn select_decryptor(&self, _header: &Untrusted<JweHeader>) -> Result<&dyn KeyDecryptor> {
        Ok(self)
    }
}
