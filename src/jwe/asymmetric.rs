//! Asymmetric JWE keys: ECDH-ES (RFC 7518 §4.6) on P-256, P-384, P-521 and X25519 (RFC 8037
//! §3.2), and RSAES-OAEP (RFC 7518 §4.3), on the crypto key model JWS keys use too.

use std::fmt;
use std::sync::Arc;

use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::{
    ContentEncryption, ContentEncryptionKey, EncryptedKey, KeyDecryptor, KeyEncryptor,
    KeyManagementAlgorithm,
};
use crate::alg::{AsymmetricKeyManagement, EcdhAlgorithm, KeyKind, KeyOp};
use crate::crypto::ec::{self, Curve, EcPublicKey};
use crate::crypto::keyfmt::{self, KeyDocument, PrivateKeyMaterial, PublicKeyMaterial};
use crate::crypto::{ecdh, rand, rsa, PrivateKey, PublicKey};
use crate::error::{Error, Part, Result};
use crate::header::{JweHeader, Untrusted};
use crate::jwk::{export, Jwk};
use crate::limits::Limits;

fn wrong_key(alg: KeyManagementAlgorithm, got: &str) -> Error {
    let key = alg.descriptor().key;
    let needs = if key.is_symmetric() {
        "a shared secret (SymmetricKey)".to_string()
    } else {
        key.describe()
    };
    Error::key(format!("{alg} needs {needs}, not {got}"))
}

/// Fails unless `key` fits `alg`, and prepares it for the algorithm's operation.
fn bind(alg: KeyManagementAlgorithm, key: &PublicKey) -> Result<()> {
    if !alg.descriptor().key.fits(key) {
        return Err(wrong_key(alg, &key.describe()));
    }
    match alg.op() {
        KeyOp::RsaOaep(_) => key
            .as_rsa()
            .ok_or_else(|| wrong_key(alg, &key.describe()))?
            .prepare_oaep(),
        KeyOp::EcdhEs { .. } => Ok(()),
        KeyOp::Direct | KeyOp::AesKw { .. } | KeyOp::AesGcmKw { .. } | KeyOp::Pbes2 { .. } => Err(
            Error::key(format!("{alg} uses a shared secret: use SymmetricKey")),
        ),
    }
}

/// The public key a sender encrypts to: an EC or X25519 key for ECDH-ES, an RSA key for
/// RSA-OAEP, bound to one key-management algorithm.
///
/// ```
/// use josecraft::jwe::{self, DecryptionKey};
/// use josecraft::{AsymmetricKeyManagement, ContentEncryption, JweHeader};
///
/// let recipient = DecryptionKey::generate(AsymmetricKeyManagement::EcdhEsA256Kw)?;
/// let public = recipient.encryption_key();
/// let token = jwe::encrypt_compact(&JweHeader::new(), b"for you", ContentEncryption::A256Gcm, &public)?;
/// assert_eq!(jwe::decrypt_compact(&token, &recipient)?.plaintext(), b"for you");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct EncryptionKey {
    alg: KeyManagementAlgorithm,
    kid: Option<Arc<str>>,
    key: Arc<PublicKey>,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl EncryptionKey {
    pub(crate) fn from_material(alg: KeyManagementAlgorithm, m: PublicKeyMaterial) -> Result<Self> {
        let key = PublicKey::from_material(&m)?;
        bind(alg, &key)?;
        Ok(Self {
            alg,
            kid: None,
            key: Arc::new(key),
        })
    }

    /// From PEM: `PUBLIC KEY`, `RSA PUBLIC KEY`, `CERTIFICATE`, or a private key whose
    /// public part is taken.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a bad document, [`Error::KeyRejected`] for a key that does not
    /// fit `alg` or fails validation.
    pub fn from_pem(alg: impl Into<AsymmetricKeyManagement>, pem: &str) -> Result<Self> {
        Self::from_document(alg.into().algorithm(), keyfmt::pem(pem.as_bytes())?)
    }

    /// From DER in any supported format.
    ///
    /// # Errors
    /// As [`EncryptionKey::from_pem`].
    pub fn from_der(alg: impl Into<AsymmetricKeyManagement>, der: &[u8]) -> Result<Self> {
        Self::from_document(alg.into().algorithm(), keyfmt::der_any(der)?)
    }

    fn from_document(alg: KeyManagementAlgorithm, doc: KeyDocument) -> Result<Self> {
        match doc {
            KeyDocument::Public(m) | KeyDocument::Certificate { public: m, .. } => {
                Self::from_material(alg, m)
            }
            KeyDocument::Private(m) => Ok(DecryptionKey::from_material(alg, m)?.encryption_key()),
        }
    }

    /// Sets the key ID, which encryption puts in the header's `kid`.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// The key-management algorithm this key is bound to.
    pub fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The public JWK, with `alg` and `kid`.
    pub fn to_jwk(&self) -> Jwk {
        export::jwk(
            export::public_params(&self.key),
            Some(self.alg.name()),
            self.key_id(),
        )
    }
}

/// The private key a recipient decrypts with, bound to one key-management algorithm.
///
/// RSA keys may have 2048 to 8192 bits. Private key material is zeroized on drop and never
/// printed.
#[derive(Clone)]
pub struct DecryptionKey {
    alg: KeyManagementAlgorithm,
    kid: Option<Arc<str>>,
    key: Arc<PrivateKey>,
    public: Arc<PublicKey>,
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("private", &"<redacted>")
            .finish()
    }
}

impl DecryptionKey {
    pub(crate) fn from_material(
        alg: KeyManagementAlgorithm,
        m: PrivateKeyMaterial,
    ) -> Result<Self> {
        let key = PrivateKey::from_material(&m)?;
        let public = key.public();
        bind(alg, &public)?;
        if let (KeyOp::RsaOaep(_), Some(rsa)) = (alg.op(), key.as_rsa()) {
            rsa.prepare_oaep()?;
        }
        Ok(Self {
            alg,
            kid: None,
            key: Arc::new(key),
            public: Arc::new(public),
        })
    }

    /// A new random key for `alg`: P-256 for ECDH-ES (see [`DecryptionKey::generate_x25519`]
    /// and the JWK generator for other curves), 2048-bit RSA for RSA-OAEP.
    ///
    /// # Errors
    /// [`Error::CryptoFailure`] if the random generator fails.
    pub fn generate(alg: impl Into<AsymmetricKeyManagement>) -> Result<Self> {
        let alg = alg.into().algorithm();
        let m = match alg.descriptor().key {
            KeyKind::Rsa => PrivateKeyMaterial::Rsa(rsa::generate(2048)?),
            KeyKind::Agreement => PrivateKeyMaterial::Ec {
                curve: Curve::P256,
                d: ec::generate_scalar(Curve::P256)?,
                public: None,
            },
            KeyKind::Secret { .. }
            | KeyKind::KeyEncryptionKey { .. }
            | KeyKind::DirectCek
            | KeyKind::Password
            | KeyKind::Ec(_)
            | KeyKind::Ed25519 => {
                return Err(Error::key(format!(
                    "{alg} uses a shared secret: use SymmetricKey"
                )))
            }
        };
        Self::from_material(alg, m)
    }

    /// A new random X25519 key for an ECDH-ES algorithm.
    ///
    /// # Errors
    /// If the random generator fails.
    pub fn generate_x25519(alg: EcdhAlgorithm) -> Result<Self> {
        Self::from_material(
            alg.algorithm(),
            PrivateKeyMaterial::X25519 {
                d: Zeroizing::new(rand::bytes(32)?),
                public: None,
            },
        )
    }

    /// From a PEM private key (PKCS#8, PKCS#1, SEC 1).
    ///
    /// # Errors
    /// As [`EncryptionKey::from_pem`]; [`Error::KeyRejected`] for a public key.
    pub fn from_pem(alg: impl Into<AsymmetricKeyManagement>, pem: &str) -> Result<Self> {
        Self::from_private_document(alg.into().algorithm(), keyfmt::pem(pem.as_bytes())?)
    }

    /// From a DER private key in any supported format.
    ///
    /// # Errors
    /// As [`DecryptionKey::from_pem`].
    pub fn from_der(alg: impl Into<AsymmetricKeyManagement>, der: &[u8]) -> Result<Self> {
        Self::from_private_document(alg.into().algorithm(), keyfmt::der_any(der)?)
    }

    fn from_private_document(alg: KeyManagementAlgorithm, doc: KeyDocument) -> Result<Self> {
        match doc {
            KeyDocument::Private(m) => Self::from_material(alg, m),
            KeyDocument::Public(_) | KeyDocument::Certificate { .. } => {
                Err(Error::key("a public key or certificate cannot decrypt"))
            }
        }
    }

    /// Sets the key ID, used to select this key from a set.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// The key-management algorithm this key is bound to.
    pub fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The matching public key, with the same algorithm and key ID.
    pub fn encryption_key(&self) -> EncryptionKey {
        EncryptionKey {
            alg: self.alg,
            kid: self.kid.clone(),
            key: self.public.clone(),
        }
    }

    /// The public JWK, with `alg` and `kid`.
    pub fn to_jwk(&self) -> Jwk {
        self.encryption_key().to_jwk()
    }

    /// The private JWK, secret members included.
    pub fn to_private_jwk(&self) -> Jwk {
        export::jwk(
            export::private_params(&self.key),
            Some(self.alg.name()),
            self.key_id(),
        )
    }
}

/// The algorithm ID and key length of the Concat KDF (RFC 7518 §4.6.2).
fn kdf_params(
    alg: KeyManagementAlgorithm,
    wrap: Option<usize>,
    enc: ContentEncryption,
) -> (&'static str, usize) {
    match wrap {
        None => (enc.name(), enc.key_len()),
        Some(len) => (alg.name(), len),
    }
}

fn failed() -> Error {
    Error::DecryptionFailed
}

/// A fresh ephemeral key agreement with `recipient` (RFC 7518 §4.6.1): the shared secret Z
/// and the ephemeral public key as the `epk` JWK.
fn ephemeral_agreement(
    alg: KeyManagementAlgorithm,
    recipient: &PublicKey,
) -> Result<(Zeroizing<Vec<u8>>, Jwk)> {
    match recipient {
        PublicKey::Ec(pk) => {
            // The recipient's point was validated when its key was built.
            let (point, z) = ecdh::ephemeral_ec(pk.curve(), pk.sec1_uncompressed())?;
            let epk = PublicKey::Ec(EcPublicKey::from_computed(pk.curve(), point)?);
            Ok((z, export::jwk(export::public_params(&epk), None, None)))
        }
        PublicKey::X25519(pk) => {
            let (public, z) = ecdh::ephemeral_x25519(pk.as_bytes())?;
            let epk = PublicKey::X25519(crate::crypto::x25519::X25519PublicKey::new(&public)?);
            Ok((z, export::jwk(export::public_params(&epk), None, None)))
        }
        PublicKey::Rsa(_) | PublicKey::Ed25519(_) => Err(wrong_key(alg, &recipient.describe())),
    }
}

impl KeyEncryptor for EncryptionKey {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn encrypt_key(
        &self,
        enc: ContentEncryption,
        cek: ContentEncryptionKey,
        header: &mut JweHeader,
    ) -> Result<EncryptedKey> {
        match self.alg.op() {
            KeyOp::EcdhEs { wrap } => {
                let (z, epk) = ephemeral_agreement(self.alg, &self.key)?;
                let (alg_id, len) = kdf_params(self.alg, wrap, enc);
                let derived = ecdh::concat_kdf(
                    &z,
                    alg_id,
                    header.apu().unwrap_or_default(),
                    header.apv().unwrap_or_default(),
                    len,
                );
                let epk = RawValue::from_string(epk.to_json())
                    .map_err(|e| Error::crypto(e.to_string()))?;
                header.set_epk(epk);
                match wrap {
                    None => Ok(EncryptedKey {
                        cek: ContentEncryptionKey::new(derived.to_vec()),
                        encrypted_key: Vec::new(),
                    }),
                    Some(_) => {
                        let ek = crate::crypto::aes::kw_wrap(&derived, cek.as_bytes())
                            .ok_or_else(|| Error::crypto("key wrapping failed"))?;
                        Ok(EncryptedKey {
                            cek,
                            encrypted_key: ek,
                        })
                    }
                }
            }
            KeyOp::RsaOaep(sha) => {
                let rsa = self
                    .key
                    .as_rsa()
                    .ok_or_else(|| wrong_key(self.alg, &self.key.describe()))?;
                let ek = rsa.oaep_encrypt(sha, cek.as_bytes())?;
                Ok(EncryptedKey {
                    cek,
                    encrypted_key: ek,
                })
            }
            KeyOp::Direct | KeyOp::AesKw { .. } | KeyOp::AesGcmKw { .. } | KeyOp::Pbes2 { .. } => {
                Err(wrong_key(self.alg, &self.key.describe()))
            }
        }
    }
}

/// The recipient's side of ECDH-ES: validates `epk` (same curve as our key, a valid point,
/// not small-order) and derives the key-encryption key or CEK.
fn ecdh_es_decrypt(
    alg: KeyManagementAlgorithm,
    wrap: Option<usize>,
    ours: &PrivateKey,
    enc: ContentEncryption,
    encrypted_key: &[u8],
    header: &JweHeader,
) -> Result<ContentEncryptionKey> {
    let epk = header
        .epk()
        .ok_or_else(|| Error::malformed(Part::Header, format!("{alg} needs \"epk\"")))?;
    let epk = Jwk::from_json(epk.get().as_bytes()).map_err(|_| failed())?;
    if epk.is_private() {
        return Err(Error::malformed(
            Part::Header,
            "\"epk\" must be a public key",
        ));
    }
    let peer = epk.public_material().map_err(|_| failed())?;
    let z = match (ours, peer) {
        (PrivateKey::Ec(k), PublicKeyMaterial::Ec { curve, point }) if curve == k.curve() => {
            // Invalid-curve attacks: the point must be on our curve (RFC 8725 §3.4).
            ecdh::agree_ec(curve, k.d(), &point).ok_or_else(failed)?
        }
        (PrivateKey::X25519(k), PublicKeyMaterial::X25519(x)) => {
            let peer: [u8; 32] = x.as_slice().try_into().map_err(|_| failed())?;
            ecdh::agree_x25519(&k.secret_bytes(), &peer).ok_or_else(failed)?
        }
        // Any other pairing (another curve, another key type) cannot agree.
        (
            PrivateKey::Ec(_) | PrivateKey::X25519(_) | PrivateKey::Rsa(_) | PrivateKey::Ed25519(_),
            _,
        ) => return Err(failed()),
    };
    let (alg_id, len) = kdf_params(alg, wrap, enc);
    let derived = ecdh::concat_kdf(
        &z,
        alg_id,
        header.apu().unwrap_or_default(),
        header.apv().unwrap_or_default(),
        len,
    );
    match wrap {
        None => Ok(ContentEncryptionKey::new(derived.to_vec())),
        Some(_) => crate::crypto::aes::kw_unwrap(&derived, encrypted_key)
            .map(|k| ContentEncryptionKey::new(k.to_vec()))
            .ok_or_else(failed),
    }
}

impl KeyDecryptor for DecryptionKey {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn decrypt_key(
        &self,
        enc: ContentEncryption,
        encrypted_key: &[u8],
        header: &Untrusted<JweHeader>,
        _limits: &Limits,
    ) -> Result<ContentEncryptionKey> {
        let header = header.untrusted();
        match self.alg.op() {
            KeyOp::EcdhEs { wrap } => {
                ecdh_es_decrypt(self.alg, wrap, &self.key, enc, encrypted_key, header)
            }
            KeyOp::RsaOaep(sha) => {
                let rsa = self.key.as_rsa().ok_or_else(failed)?;
                // RFC 7516 §11.5: on any failure go on with a random CEK, so that the error
                // only appears at the tag check and says nothing about the padding.
                match rsa.oaep_decrypt(sha, encrypted_key) {
                    Some(k) if k.len() == enc.key_len() => {
                        Ok(ContentEncryptionKey::new(k.to_vec()))
                    }
                    Some(_) | None => rand::bytes(enc.key_len()).map(ContentEncryptionKey::new),
                }
            }
            KeyOp::Direct | KeyOp::AesKw { .. } | KeyOp::AesGcmKw { .. } | KeyOp::Pbes2 { .. } => {
                Err(failed())
            }
        }
    }
}
