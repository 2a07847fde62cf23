//! JWKs in and out of JWE keys. The algorithm is bound on the way in (DESIGN rule 1): from
//! the JWK's `alg` (for a `dir` key this may name the content encryption, as RFC 7520 §5.6
//! does), or from the caller when the JWK has none.

use std::sync::Arc;

use super::{DecryptionKey, EncryptionKey, KeyDecryptor, SymmetricKey};
use crate::alg::{AsymmetricKeyManagement, ContentEncryption, KeyManagementAlgorithm, KeyOp};
use crate::error::{Error, Result};
use crate::jwk::{export, Jwk, KeyParams, Operation, SecretBytes};

/// What a JWK's `alg` says about JWE use.
enum JweAlg {
    KeyManagement(KeyManagementAlgorithm),
    /// A content encryption name: a `dir` key for it.
    Direct(ContentEncryption),
}

impl Jwk {
    /// The JWE algorithms for this key: from its `alg` member, or `alg`/`enc` from the
    /// caller; both must agree when both are given.
    pub(crate) fn jwe_algorithms(
        &self,
        alg: Option<KeyManagementAlgorithm>,
        enc: Option<ContentEncryption>,
    ) -> Result<(KeyManagementAlgorithm, Option<ContentEncryption>)> {
        let own = match self.alg() {
            None => None,
            Some(name) => Some(if let Some(a) = KeyManagementAlgorithm::from_name(name) {
                JweAlg::KeyManagement(a)
            } else if let Some(e) = ContentEncryption::from_name(name) {
                JweAlg::Direct(e)
            } else {
                return Err(Error::key(format!(
                    "the key's alg \"{}\" is not a JWE algorithm josecraft implements",
                    name.escape_debug()
                )));
            }),
        };
        let disagree =
            |own: &str, req: &str| Error::key(format!("the key is for {own}, not {req}"));
        match (own, alg) {
            (Some(JweAlg::KeyManagement(a)), Some(req)) if a != req => {
                Err(disagree(a.name(), req.name()))
            }
            (Some(JweAlg::KeyManagement(a)), _) => Ok((a, enc)),
            (Some(JweAlg::Direct(e)), Some(req)) if req != KeyManagementAlgorithm::Dir => {
                Err(disagree(&format!("dir with {e}"), req.name()))
            }
            (Some(JweAlg::Direct(e)), _) => match enc {
                Some(req) if req != e => Err(disagree(&format!("dir with {e}"), req.name())),
                _ => Ok((KeyManagementAlgorithm::Dir, Some(e))),
            },
            (None, Some(req)) => Ok((req, enc)),
            (None, None) => Err(Error::key(
                "the key has no \"alg\": say which algorithm it is for",
            )),
        }
    }

    /// A [`SymmetricKey`] from an `oct` JWK, for `dir`, `A*KW`, `A*GCMKW` or `PBES2-*`.
    ///
    /// `alg` (and, for `dir`, `enc`) name the algorithm when the JWK has no `alg` member; a
    /// JWK whose `alg` is a content encryption (RFC 7520 §5.6) is a `dir` key for it.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for another key type, a wrong length, a missing or
    /// contradicting algorithm, or a `use`/`key_ops` that forbids encryption.
    pub fn to_symmetric_key(
        &self,
        alg: Option<KeyManagementAlgorithm>,
        enc: Option<ContentEncryption>,
    ) -> Result<SymmetricKey> {
        let (alg, enc) = self.jwe_algorithms(alg, enc)?;
        self.check_operation(Operation::Decrypt)
            .or_else(|_| self.check_operation(Operation::Encrypt))?;
        let KeyParams::Oct { k } = self.params() else {
            return Err(Error::key(format!(
                "{alg} needs an oct key, not {}",
                self.kty()
            )));
        };
        let key = match alg.op() {
            KeyOp::Direct => {
                let enc =
                    enc.ok_or_else(|| Error::key("a dir key needs its content encryption (enc)"))?;
                SymmetricKey::direct(enc, k.expose())?
            }
            KeyOp::AesKw { .. }
            | KeyOp::AesGcmKw { .. }
            | KeyOp::Pbes2 { .. }
            | KeyOp::EcdhEs { .. }
            | KeyOp::RsaOaep(_) => SymmetricKey::bound(alg, k.expose())?,
        };
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }

    /// An [`EncryptionKey`] (ECDH-ES or RSA-OAEP) from a public or private EC, OKP (X25519)
    /// or RSA JWK; `alg` names the algorithm when the JWK has none.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a key that does not fit the algorithm, fails validation,
    /// or whose `use`/`key_ops` forbid encryption.
    pub fn to_encryption_key(&self, alg: Option<AsymmetricKeyManagement>) -> Result<EncryptionKey> {
        let (alg, _) = self.jwe_algorithms(alg.map(AsymmetricKeyManagement::algorithm), None)?;
        self.check_operation(Operation::Encrypt)
            .or_else(|_| self.check_operation(Operation::Decrypt))?;
        let key = if self.is_private() {
            DecryptionKey::from_material(alg, self.private_material()?)?.encryption_key()
        } else {
            EncryptionKey::from_material(alg, self.public_material()?)?
        };
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }

    /// A [`DecryptionKey`] (ECDH-ES or RSA-OAEP) from a private EC, OKP (X25519) or RSA JWK.
    ///
    /// # Errors
    /// As [`Jwk::to_encryption_key`]; [`Error::KeyRejected`] for a public JWK.
    pub fn to_decryption_key(&self, alg: Option<AsymmetricKeyManagement>) -> Result<DecryptionKey> {
        let (alg, _) = self.jwe_algorithms(alg.map(AsymmetricKeyManagement::algorithm), None)?;
        self.check_operation(Operation::Decrypt)?;
        let key = DecryptionKey::from_material(alg, self.private_material()?)?;
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }

    /// The key as a JWE decryptor for `alg` (and `enc` for `dir`).
    pub(crate) fn to_key_decryptor(
        &self,
        alg: KeyManagementAlgorithm,
        enc: Option<ContentEncryption>,
    ) -> Result<Arc<dyn KeyDecryptor>> {
        match self.params() {
            KeyParams::Oct { .. } => Ok(Arc::new(self.to_symmetric_key(Some(alg), enc)?)),
            KeyParams::Rsa { .. } | KeyParams::Ec { .. } | KeyParams::Okp { .. } => Ok(Arc::new(
                self.to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg)?))?,
            )),
        }
    }
}

impl SymmetricKey {
    /// The `oct` JWK holding this secret, with `alg` (for `dir`: the content encryption's
    /// name) and `kid`. Whoever gets it can decrypt.
    pub fn to_secret_jwk(&self) -> Jwk {
        let alg = match (self.algorithm(), self.content_encryption()) {
            (KeyManagementAlgorithm::Dir, Some(enc)) => enc.name(),
            (alg, _) => alg.name(),
        };
        export::jwk(
            KeyParams::Oct {
                k: SecretBytes::new(self.secret().to_vec()),
            },
            Some(alg),
            self.key_id(),
        )
    }
}
