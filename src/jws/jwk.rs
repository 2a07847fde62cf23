//! JWKs in and out of JWS keys. The algorithm is bound on the way in (DESIGN rule 1): from
//! the JWK's `alg` member, or from the caller when the JWK has none, and never from a token.

use super::{HmacKey, SigningKey, VerifyingKey};
use crate::alg::{HmacAlgorithm, JwsAlgorithm, SignatureAlgorithm};
use crate::error::{Error, Result};
use crate::jwk::export::{jwk, private_params, public_params};
use crate::jwk::{Jwk, KeyParams, Operation, SecretBytes, ThumbprintHash};

impl Jwk {
    /// The JWS algorithm for this key: its `alg` member, or `requested` when it has none.
    /// When both are given they must agree.
    pub(crate) fn jws_algorithm(&self, requested: Option<JwsAlgorithm>) -> Result<JwsAlgorithm> {
        let own = match self.alg() {
            None => None,
            Some(name) => Some(JwsAlgorithm::from_name(name).ok_or_else(|| {
                Error::key(format!(
                    "the key's alg \"{}\" is not a JWS algorithm josecraft implements",
                    name.escape_debug()
                ))
            })?),
        };
        match (own, requested) {
            (Some(own), Some(req)) if !own.accepts(req.name()) => {
                Err(Error::key(format!("the key is for {own}, not {req}")))
            }
            (Some(own), _) => Ok(own),
            (None, Some(req)) => Ok(req),
            (None, None) => Err(Error::key(
                "the key has no \"alg\": say which algorithm it is for",
            )),
        }
    }

    /// An [`HmacKey`] from an `oct` JWK.
    ///
    /// `alg` names the algorithm when the JWK has no `alg` member; when it has one, the two
    /// must agree.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for another key type, a key too short for the algorithm, a
    /// missing or contradicting algorithm, or a `use`/`key_ops` that forbids signing.
    pub fn to_hmac_key(&self, alg: Option<HmacAlgorithm>) -> Result<HmacKey> {
        let alg = self.jws_algorithm(alg.map(HmacAlgorithm::algorithm))?;
        self.check_operation(Operation::Verify)?;
        let KeyParams::Oct { k } = self.params() else {
            return Err(Error::key(format!(
                "{alg} needs an oct key, not {}",
                self.kty()
            )));
        };
        let key = HmacKey::bound(alg, k.expose())?;
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }

    /// A [`SigningKey`] from a private RSA, EC or OKP JWK.
    ///
    /// # Errors
    /// As [`Jwk::to_hmac_key`]; [`Error::KeyRejected`] for a public JWK.
    pub fn to_signing_key(&self, alg: Option<SignatureAlgorithm>) -> Result<SigningKey> {
        let alg = self.jws_algorithm(alg.map(SignatureAlgorithm::algorithm))?;
        self.check_operation(Operation::Sign)?;
        let key = SigningKey::from_material(alg, self.private_material()?)?;
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }

    /// A [`VerifyingKey`] from a public (or private) RSA, EC or OKP JWK.
    ///
    /// # Errors
    /// As [`Jwk::to_hmac_key`].
    pub fn to_verifying_key(&self, alg: Option<SignatureAlgorithm>) -> Result<VerifyingKey> {
        let alg = self.jws_algorithm(alg.map(SignatureAlgorithm::algorithm))?;
        self.check_operation(Operation::Verify)?;
        let key = if self.is_private() && !matches!(self.params(), KeyParams::Oct { .. }) {
            // Validate the private part too: a private JWK whose halves disagree is broken.
            SigningKey::from_material(alg, self.private_material()?)?.verifying_key()
        } else {
            VerifyingKey::from_material(alg, self.public_material()?)?
        };
        Ok(match self.kid() {
            Some(kid) => key.with_key_id(kid),
            None => key,
        })
    }
}

impl VerifyingKey {
    /// The public JWK, with `alg` and `kid`.
    pub fn to_jwk(&self) -> Jwk {
        jwk(
            public_params(self.inner()),
            Some(self.algorithm().name()),
            self.key_id(),
        )
    }

    /// Sets the key ID to the key's RFC 7638 thumbprint (SHA-256, base64url), as
    /// [`Jwk::with_thumbprint_kid`] does.
    pub fn with_thumbprint_kid(self) -> Self {
        let kid = self.to_jwk().thumbprint_b64(ThumbprintHash::Sha256);
        self.with_key_id(kid)
    }
}

impl SigningKey {
    /// The **public** JWK of this private key, with `alg` and `kid`. To export the private
    /// key itself, call [`to_private_jwk`](Self::to_private_jwk).
    pub fn to_jwk(&self) -> Jwk {
        self.verifying_key().to_jwk()
    }

    /// The private JWK, secret members included. Treat the result as the secret it is.
    pub fn to_private_jwk(&self) -> Jwk {
        jwk(
            private_params(self.inner()),
            Some(self.algorithm().name()),
            self.key_id(),
        )
    }

    /// Sets the key ID to the RFC 7638 thumbprint (SHA-256, base64url) of the public key,
    /// as [`Jwk::with_thumbprint_kid`] does: the private key, its public key and the JWK
    /// published for it then share one `kid`.
    ///
    /// ```
    /// use josecraft::jwk::ThumbprintHash;
    /// use josecraft::{SignatureAlgorithm, SigningKey};
    ///
    /// let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_thumbprint_kid();
    /// let published = key.to_jwk();
    /// assert_eq!(published.kid(), Some(published.thumbprint_b64(ThumbprintHash::Sha256).as_str()));
    /// assert_eq!(key.verifying_key().key_id(), key.key_id());
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    pub fn with_thumbprint_kid(self) -> Self {
        let kid = self.to_jwk().thumbprint_b64(ThumbprintHash::Sha256);
        self.with_key_id(kid)
    }
}

impl HmacKey {
    /// The `oct` JWK holding the shared secret. An HMAC key has no public part: whoever
    /// gets this JWK can make tokens.
    pub fn to_secret_jwk(&self) -> Jwk {
        jwk(
            KeyParams::Oct {
                k: SecretBytes::new(self.secret().to_vec()),
            },
            Some(self.algorithm().name()),
            self.key_id(),
        )
    }
}
