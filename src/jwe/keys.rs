//! Symmetric JWE keys: `dir`, AES Key Wrap, AES-GCM key wrap and PBES2 (RFC 7518 §4.4–4.8).

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{
    ContentEncryption, ContentEncryptionKey, EncryptedKey, KeyDecryptor, KeyEncryptor,
    KeyManagementAlgorithm,
};
use crate::alg::{KeyOp, SymmetricKeyManagement};
use crate::crypto::{aes, rand};
use crate::error::{Error, Limit, Part, Result};
use crate::header::{JweHeader, Untrusted};
use crate::limits::Limits;

/// The PBES2 iteration count used to encrypt unless the key says otherwise: below the
/// default decryption cap of 10 000 ([`Limits::max_pbes2_count`]), so that josecraft can
/// always read what it writes.
pub const DEFAULT_PBES2_COUNT: u32 = 8_192;

/// Length of the random PBES2 salt input (`p2s`); RFC 7518 §4.8.1.1 asks for at least 8.
const P2S_LEN: usize = 16;

/// A symmetric key for JWE key management: the content key itself for `dir` (bound to one
/// `enc` as well), a key-encryption key for `A*KW` and `A*GCMKW`, or a password for `PBES2-*`.
/// The same key encrypts and decrypts. Zeroized on drop, never printed.
///
/// ```
/// use josecraft::jwe::{self, SymmetricKey};
/// use josecraft::{ContentEncryption, JweHeader, SymmetricKeyManagement};
///
/// let key = SymmetricKey::generate(SymmetricKeyManagement::A256Kw)?;
/// let token = jwe::encrypt_compact(&JweHeader::new(), b"secret", ContentEncryption::A256Gcm, &key)?;
/// assert_eq!(jwe::decrypt_compact(&token, &key)?.plaintext(), b"secret");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct SymmetricKey {
    alg: KeyManagementAlgorithm,
    enc: Option<ContentEncryption>,
    kid: Option<Arc<str>>,
    secret: Arc<Zeroizing<Vec<u8>>>,
    p2c: u32,
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SymmetricKey")
            .field("alg", &self.alg)
            .field("enc", &self.enc)
            .field("kid", &self.kid)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl SymmetricKey {
    /// A key for `alg` (`A*KW`, `A*GCMKW` or `PBES2-*`; for `dir` see
    /// [`SymmetricKey::direct`]). AES keys must have exactly the algorithm's length; a PBES2
    /// password must not be empty.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a wrong length or an empty password.
    pub fn new(alg: SymmetricKeyManagement, secret: &[u8]) -> Result<Self> {
        Self::bound(alg.algorithm(), secret)
    }

    /// A key bound to `alg`, which must be a symmetric key-wrapping algorithm.
    pub(crate) fn bound(alg: KeyManagementAlgorithm, secret: &[u8]) -> Result<Self> {
        match alg.op() {
            KeyOp::AesKw { kek_len: len } | KeyOp::AesGcmKw { kek_len: len }
                if secret.len() != len =>
            {
                Err(Error::key(format!(
                    "{alg} needs a key of exactly {len} bytes, got {}",
                    secret.len()
                )))
            }
            KeyOp::AesKw { .. } | KeyOp::AesGcmKw { .. } => Ok(Self::build(alg, None, secret)),
            KeyOp::Pbes2 { .. } if secret.is_empty() => {
                Err(Error::key(format!("{alg} needs a non-empty password")))
            }
            KeyOp::Pbes2 { .. } => Ok(Self::build(alg, None, secret)),
            KeyOp::Direct => Err(Error::key(
                "a dir key is bound to its content encryption: use SymmetricKey::direct",
            )),
            KeyOp::EcdhEs { .. } | KeyOp::RsaOaep(_) => Err(Error::key(format!(
                "{alg} uses an asymmetric key, not a shared secret"
            ))),
        }
    }

    /// A `dir` key: the content encryption key itself, for `enc` only.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if the key is not exactly `enc`'s key length.
    pub fn direct(enc: ContentEncryption, cek: &[u8]) -> Result<Self> {
        if cek.len() != enc.key_len() {
            return Err(Error::key(format!(
                "dir with {enc} needs a key of exactly {} bytes, got {}",
                enc.key_len(),
                cek.len()
            )));
        }
        Ok(Self::build(KeyManagementAlgorithm::Dir, Some(enc), cek))
    }

    fn build(alg: KeyManagementAlgorithm, enc: Option<ContentEncryption>, secret: &[u8]) -> Self {
        Self {
            alg,
            enc,
            kid: None,
            secret: Arc::new(Zeroizing::new(secret.to_vec())),
            p2c: DEFAULT_PBES2_COUNT,
        }
    }

    /// A new random key for `alg` (for PBES2: 32 random bytes as the password).
    ///
    /// # Errors
    /// [`Error::CryptoFailure`] if the system random generator fails. (`dir` keys come
    /// from [`SymmetricKey::generate_direct`].)
    pub fn generate(alg: SymmetricKeyManagement) -> Result<Self> {
        let alg = alg.algorithm();
        let len = match alg.op() {
            KeyOp::AesKw { kek_len } | KeyOp::AesGcmKw { kek_len } => kek_len,
            // A password as strong as the largest key it is stretched into.
            KeyOp::Pbes2 { .. } => 32,
            KeyOp::Direct | KeyOp::EcdhEs { .. } | KeyOp::RsaOaep(_) => {
                // Unreachable: `SymmetricKeyManagement` has none of these; `bound` refuses
                // them with the reason rather than panicking.
                return Self::bound(alg, &[]);
            }
        };
        Self::bound(alg, &Zeroizing::new(rand::bytes(len)?))
    }

    /// A new random `dir` key for `enc`.
    ///
    /// # Errors
    /// If the system random generator fails.
    pub fn generate_direct(enc: ContentEncryption) -> Result<Self> {
        Self::direct(enc, &Zeroizing::new(rand::bytes(enc.key_len())?))
    }

    /// Sets the key ID, which encryption puts in the header's `kid`.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// Sets the PBES2 iteration count used to encrypt (default [`DEFAULT_PBES2_COUNT`]).
    /// Recipients refuse counts above their [`Limits::max_pbes2_count`].
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for 0 or a key that is not PBES2.
    pub fn with_pbes2_count(mut self, count: u32) -> Result<Self> {
        if !matches!(self.alg.op(), KeyOp::Pbes2 { .. }) || count == 0 {
            return Err(Error::key(
                "an iteration count needs a PBES2 key and must be at least 1",
            ));
        }
        self.p2c = count;
        Ok(self)
    }

    /// The key-management algorithm this key is bound to.
    pub fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }

    /// For a `dir` key, the content encryption it is bound to.
    pub fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// The PBES2 salt (RFC 7518 §4.8.1.1): `UTF8(alg) ‖ 0x00 ‖ p2s`.
    fn pbes2_salt(&self, p2s: &[u8]) -> Vec<u8> {
        let mut salt = Vec::with_capacity(self.alg.name().len() + 1 + p2s.len());
        salt.extend_from_slice(self.alg.name().as_bytes());
        salt.push(0);
        salt.extend_from_slice(p2s);
        salt
    }
}

fn wrap_failed() -> Error {
    Error::crypto("key wrapping failed")
}

impl KeyEncryptor for SymmetricKey {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc
    }

    fn encrypt_key(
        &self,
        enc: ContentEncryption,
        cek: ContentEncryptionKey,
        header: &mut JweHeader,
    ) -> Result<EncryptedKey> {
        let wrapped =
            |cek: ContentEncryptionKey, encrypted_key: Vec<u8>| EncryptedKey { cek, encrypted_key };
        match self.alg.op() {
            KeyOp::Direct => {
                if self.enc != Some(enc) {
                    return Err(Error::AlgorithmMismatch {
                        expected: self.enc.map(|e| e.name()).unwrap_or_default().to_string(),
                        found: enc.name().to_string(),
                    });
                }
                Ok(wrapped(
                    ContentEncryptionKey::new(self.secret.to_vec()),
                    Vec::new(),
                ))
            }
            KeyOp::AesKw { .. } => {
                let ek = aes::kw_wrap(&self.secret, cek.as_bytes()).ok_or_else(wrap_failed)?;
                Ok(wrapped(cek, ek))
            }
            KeyOp::AesGcmKw { .. } => {
                let iv: [u8; aes::GCM_IV_LEN] = rand::bytes(aes::GCM_IV_LEN)?
                    .try_into()
                    .map_err(|_| wrap_failed())?;
                let (ek, tag) = aes::gcm_encrypt(&self.secret, &iv, b"", cek.as_bytes())
                    .ok_or_else(wrap_failed)?;
                header.set_iv_tag(iv.to_vec(), tag.to_vec());
                Ok(wrapped(cek, ek))
            }
            KeyOp::Pbes2 { sha, kek_len: len } => {
                let p2s = rand::bytes(P2S_LEN)?;
                let kek = aes::pbkdf2(sha, &self.secret, &self.pbes2_salt(&p2s), self.p2c, len)
                    .ok_or_else(wrap_failed)?;
                let ek = aes::kw_wrap(&kek, cek.as_bytes()).ok_or_else(wrap_failed)?;
                header.set_pbes2(p2s, u64::from(self.p2c));
                Ok(wrapped(cek, ek))
            }
            KeyOp::EcdhEs { .. } | KeyOp::RsaOaep(_) => Err(wrap_failed()),
        }
    }
}

impl KeyDecryptor for SymmetricKey {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc
    }

    fn decrypt_key(
        &self,
        _enc: ContentEncryption,
        encrypted_key: &[u8],
        header: &Untrusted<JweHeader>,
        limits: &Limits,
    ) -> Result<ContentEncryptionKey> {
        let header = header.untrusted();
        let cek = match self.alg.op() {
            KeyOp::Direct => Some(Zeroizing::new(self.secret.to_vec())),
            KeyOp::AesKw { .. } => aes::kw_unwrap(&self.secret, encrypted_key),
            KeyOp::AesGcmKw { .. } => {
                let (Some(iv), Some(tag)) = (header.iv(), header.tag()) else {
                    return Err(Error::malformed(
                        Part::Header,
                        format!("{} needs \"iv\" and \"tag\"", self.alg),
                    ));
                };
                if iv.len() != aes::GCM_IV_LEN || tag.len() != aes::GCM_TAG_LEN {
                    return Err(Error::malformed(
                        Part::Header,
                        "AES-GCM key wrap needs a 96-bit \"iv\" and a 128-bit \"tag\"",
                    ));
                }
                aes::gcm_decrypt(&self.secret, iv, b"", encrypted_key, tag)
            }
            KeyOp::Pbes2 { sha, kek_len: len } => {
                let (Some(p2s), Some(p2c)) = (header.p2s(), header.p2c()) else {
                    return Err(Error::malformed(
                        Part::Header,
                        format!("{} needs \"p2s\" and \"p2c\"", self.alg),
                    ));
                };
                if p2s.len() < 8 {
                    return Err(Error::malformed(
                        Part::Header,
                        "\"p2s\" must be at least 8 bytes (RFC 7518 §4.8.1.1)",
                    ));
                }
                // The cap comes before any PBKDF2 work (CVE-2023-52428).
                if p2c > u64::from(limits.max_pbes2_count()) {
                    return Err(Error::LimitExceeded {
                        limit: Limit::Pbes2Count,
                        max: u64::from(limits.max_pbes2_count()),
                    });
                }
                let p2c = u32::try_from(p2c)
                    .ok()
                    .filter(|c| *c > 0)
                    .ok_or_else(|| Error::malformed(Part::Header, "\"p2c\" must be at least 1"))?;
                aes::pbkdf2(sha, &self.secret, &self.pbes2_salt(p2s), p2c, len)
                    .and_then(|kek| aes::kw_unwrap(&kek, encrypted_key))
            }
            KeyOp::EcdhEs { .. } | KeyOp::RsaOaep(_) => None,
        };
        cek.map(|k| ContentEncryptionKey::new(k.to_vec()))
            .ok_or(Error::DecryptionFailed)
    }
}
