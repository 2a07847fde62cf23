//! Key generation, and the public half of a private JWK.

use zeroize::Zeroizing;

use super::export::{jwk, private_params};
use super::{Jwk, KeyParams, SecretBytes};
use crate::alg::{ContentEncryption, JwsAlgorithm, KeyKind, KeyManagementAlgorithm};
use crate::base64url;
use crate::crypto::ec::{self, Curve};
use crate::crypto::keyfmt::PrivateKeyMaterial;
use crate::crypto::{rand, rsa, PrivateKey};
use crate::error::{Error, Result};

/// What kind of key to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeySpec {
    /// A symmetric `oct` key of `len` random bytes.
    Oct {
        /// Length in bytes.
        len: usize,
    },
    /// A password for PBES2 (an `oct` key): `len` random bytes written as base64url text,
    /// so that it can also be typed or pasted where a password is expected.
    Password {
        /// Length of the random part in bytes (the text is 4/3 as long).
        len: usize,
    },
    /// An RSA key with e = 65537 (2048 to 4096 bits).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// An EC key on P-256.
    P256,
    /// An EC key on P-384.
    P384,
    /// An EC key on P-521.
    P521,
    /// An EC key on secp256k1.
    Secp256k1,
    /// An Ed25519 key (OKP).
    Ed25519,
    /// An X25519 key (OKP).
    X25519,
}

impl KeySpec {
    /// The key an algorithm needs: `alg` is a JWS or JWE key-management algorithm, `enc`
    /// the content encryption (only used for `dir`, whose key length is the `enc`'s).
    /// RSA keys are 2048 bits and ECDH-ES keys P-256 unless chosen otherwise.
    ///
    /// ```
    /// use josecraft::jwk::KeySpec;
    ///
    /// assert_eq!(KeySpec::for_algorithm("HS384", None)?, KeySpec::Oct { len: 48 });
    /// assert_eq!(KeySpec::for_algorithm("dir", Some("A256CBC-HS512"))?, KeySpec::Oct { len: 64 });
    /// assert_eq!(KeySpec::for_algorithm("ES512", None)?, KeySpec::P521);
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for unknown names, or `dir` without a known `enc`.
    pub fn for_algorithm(alg: &str, enc: Option<&str>) -> Result<KeySpec> {
        let kind = if let Some(a) = JwsAlgorithm::from_name(alg) {
            a.descriptor().key
        } else if let Some(a) = KeyManagementAlgorithm::from_name(alg) {
            a.descriptor().key
        } else {
            return Err(Error::unsupported(format!(
                "generating keys for \"{}\"",
                alg.escape_debug()
            )));
        };
        Ok(match kind {
            KeyKind::Secret { min } => KeySpec::Oct { len: min },
            KeyKind::KeyEncryptionKey { len } => KeySpec::Oct { len },
            KeyKind::DirectCek => {
                let enc = enc.ok_or_else(|| {
                    Error::unsupported("a dir key without its content encryption (enc)")
                })?;
                KeySpec::Oct {
                    len: enc.parse::<ContentEncryption>()?.key_len(),
                }
            }
            KeyKind::Password => KeySpec::Password { len: 24 },
            KeyKind::Rsa => KeySpec::Rsa { bits: 2048 },
            KeyKind::Ec(curve) => Self::for_curve(curve),
            KeyKind::Ed25519 => KeySpec::Ed25519,
            KeyKind::Agreement => KeySpec::P256,
        })
    }

    fn for_curve(curve: Curve) -> KeySpec {
        match curve {
            Curve::P256 => KeySpec::P256,
            Curve::P384 => KeySpec::P384,
            Curve::P521 => KeySpec::P521,
            Curve::Secp256k1 => KeySpec::Secp256k1,
        }
    }
}

impl Jwk {
    /// A new random private key (no `alg`, `kid` or `use` set).
    ///
    /// ```
    /// use josecraft::jwk::{Jwk, KeySpec, ThumbprintHash};
    ///
    /// let jwk = Jwk::generate(KeySpec::P256)?.with_alg("ES256").with_thumbprint_kid();
    /// assert!(jwk.is_private());
    /// assert_eq!(jwk.kid(), Some(jwk.thumbprint_b64(ThumbprintHash::Sha256).as_str()));
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for RSA sizes outside 2048–4096 bits or an `oct` key shorter
    /// than 16 bytes; or if the system random generator fails.
    pub fn generate(spec: KeySpec) -> Result<Jwk> {
        let curve = |c: Curve| -> Result<PrivateKeyMaterial> {
            Ok(PrivateKeyMaterial::Ec {
                curve: c,
                d: ec::generate_scalar(c)?,
                public: None,
            })
        };
        let material = match spec {
            KeySpec::Oct { len } | KeySpec::Password { len } if len < 16 => {
                return Err(Error::unsupported(format!(
                    "{len}-byte symmetric keys (at least 16)"
                )))
            }
            KeySpec::Oct { len } => {
                let k = Zeroizing::new(rand::bytes(len)?);
                return Ok(jwk(
                    KeyParams::Oct {
                        k: SecretBytes::new(k.to_vec()),
                    },
                    None,
                    None,
                ));
            }
            KeySpec::Password { len } => {
                let raw = Zeroizing::new(rand::bytes(len)?);
                let text = base64url::encode(&*raw);
                return Ok(jwk(
                    KeyParams::Oct {
                        k: SecretBytes::new(text.into_bytes()),
                    },
                    None,
                    None,
                ));
            }
            KeySpec::Rsa { bits } => PrivateKeyMaterial::Rsa(rsa::generate(bits)?),
            KeySpec::P256 => curve(Curve::P256)?,
            KeySpec::P384 => curve(Curve::P384)?,
            KeySpec::P521 => curve(Curve::P521)?,
            KeySpec::Secp256k1 => curve(Curve::Secp256k1)?,
            KeySpec::Ed25519 => PrivateKeyMaterial::Ed25519 {
                seed: Zeroizing::new(rand::bytes(32)?),
                public: None,
            },
            KeySpec::X25519 => PrivateKeyMaterial::X25519 {
                d: Zeroizing::new(rand::bytes(32)?),
                public: None,
            },
        };
        Ok(jwk(
            private_params(&PrivateKey::from_material(&material)?),
            None,
            None,
        ))
    }

    /// A new random key for the JWS or JWE algorithm `alg` (see
    /// [`KeySpec::for_algorithm`]), with `alg` set (for `dir`: the `enc` name, as RFC 7520
    /// §5.6 does) and `kid` set to the RFC 7638 thumbprint.
    ///
    /// # Errors
    /// As [`KeySpec::for_algorithm`] and [`Jwk::generate`].
    pub fn generate_for(alg: &str, enc: Option<&str>) -> Result<Jwk> {
        let spec = KeySpec::for_algorithm(alg, enc)?;
        // A dir key names its content encryption as alg (RFC 7520 §5.6).
        let alg = match enc {
            Some(enc) if alg == KeyManagementAlgorithm::Dir.name() => enc,
            Some(_) | None => alg,
        };
        Ok(Jwk::generate(spec)?.with_alg(alg).with_thumbprint_kid())
    }

    /// The public JWK of a private one: private members removed, `key_ops` mapped to their
    /// public counterparts (`sign`→`verify`, `decrypt`→`encrypt`, `unwrapKey`→`wrapKey`;
    /// operations with no public counterpart dropped); `kid`, `alg`, `use` and other
    /// members kept. A public JWK is returned as it is.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for an `oct` key, which has no public part.
    pub fn to_public(&self) -> Result<Jwk> {
        let params = match &self.params {
            KeyParams::Oct { .. } => {
                return Err(Error::key(
                    "an oct key is a shared secret and has no public part",
                ))
            }
            KeyParams::Ec { crv, x, y, .. } => KeyParams::Ec {
                crv: crv.clone(),
                x: x.clone(),
                y: y.clone(),
                d: None,
            },
            KeyParams::Rsa { n, e, .. } => KeyParams::Rsa {
                n: n.clone(),
                e: e.clone(),
                private: None,
            },
            KeyParams::Okp { crv, x, .. } => KeyParams::Okp {
                crv: crv.clone(),
                x: x.clone(),
                d: None,
            },
        };
        let key_ops = self.key_ops.as_ref().map(|ops| {
            let mut out: Vec<String> = Vec::new();
            for op in ops {
                let public = match op.as_str() {
                    "sign" | "verify" => "verify",
                    "decrypt" | "encrypt" => "encrypt",
                    "unwrapKey" | "wrapKey" => "wrapKey",
                    _ => continue,
                };
                if !out.iter().any(|o| o == public) {
                    out.push(public.to_string());
                }
            }
            out
        });
        Ok(Jwk {
            params,
            key_ops,
            ..self.clone()
        })
    }
}
