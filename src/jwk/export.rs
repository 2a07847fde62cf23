//! Keys out: every key type as a JWK. A private key exports its *public* JWK unless the
//! caller asks for the private one by name (`to_private_jwk`, `to_secret_jwk`).

use super::{Jwk, KeyParams, RsaCrt, RsaPrivateMembers, SecretBytes};
use crate::crypto::ec::{EcPrivateKey, EcPublicKey};
use crate::crypto::ed25519::{Ed25519PrivateKey, Ed25519PublicKey};
use crate::crypto::keyfmt::{self, KeyDocument, PrivateKeyMaterial, PublicKeyMaterial};
use crate::crypto::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::error::Result;
use crate::jws::{HmacKey, PrivateInner, PublicInner, SigningKey, VerifyingKey};

fn jwk(params: KeyParams, alg: &str, kid: Option<&str>) -> Jwk {
    Jwk {
        params,
        kid: kid.map(str::to_string),
        alg: Some(alg.to_string()),
        use_: None,
        key_ops: None,
        x5u: None,
        x5c: None,
        x5t: None,
        x5t_s256: None,
        extra: Vec::new(),
    }
}

pub(crate) fn public_params(inner: &PublicInner) -> KeyParams {
    match inner {
        PublicInner::Rsa(k) => KeyParams::Rsa {
            n: k.n().to_vec(),
            e: k.e().to_vec(),
            private: None,
        },
        PublicInner::Ec(k) => KeyParams::Ec {
            crv: k.curve().name().to_string(),
            x: k.x().to_vec(),
            y: k.y().to_vec(),
            d: None,
        },
        PublicInner::Ed25519(k) => KeyParams::Okp {
            crv: "Ed25519".to_string(),
            x: k.as_bytes().to_vec(),
            d: None,
        },
    }
}

fn private_params(inner: &PrivateInner) -> KeyParams {
    match inner {
        PrivateInner::Rsa(k) => {
            let p = k.parts();
            let s = |v: &Vec<u8>| SecretBytes::new(v.clone());
            KeyParams::Rsa {
                n: p.n.clone(),
                e: p.e.clone(),
                private: Some(Box::new(RsaPrivateMembers {
                    d: s(&p.d),
                    crt: Some(RsaCrt {
                        p: s(&p.p),
                        q: s(&p.q),
                        dp: s(&p.dp),
                        dq: s(&p.dq),
                        qi: s(&p.qi),
                    }),
                    has_other_primes: false,
                })),
            }
        }
        PrivateInner::Ec(k) => KeyParams::Ec {
            crv: k.curve().name().to_string(),
            x: k.public().x().to_vec(),
            y: k.public().y().to_vec(),
            d: Some(SecretBytes::new(k.d().to_vec())),
        },
        PrivateInner::Ed25519(k) => KeyParams::Okp {
            crv: "Ed25519".to_string(),
            x: k.public().as_bytes().to_vec(),
            d: Some(SecretBytes::new(k.seed().to_vec())),
        },
    }
}

impl VerifyingKey {
    /// The public JWK, with `alg` and `kid`.
    pub fn to_jwk(&self) -> Jwk {
        jwk(
            public_params(self.inner()),
            self.algorithm().name(),
            self.key_id(),
        )
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
            self.algorithm().name(),
            self.key_id(),
        )
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
            self.algorithm().name(),
            self.key_id(),
        )
    }
}

/// Validates key material by building the key it describes, and returns its JWK members.
pub(crate) fn params_from_private(m: PrivateKeyMaterial) -> Result<KeyParams> {
    Ok(match m {
        PrivateKeyMaterial::Rsa(parts) => {
            let inner = PrivateInner::Rsa(RsaPrivateKey::new(&parts)?);
            private_params(&inner)
        }
        PrivateKeyMaterial::Ec { curve, d, public } => private_params(&PrivateInner::Ec(
            EcPrivateKey::new(curve, &d, public.as_deref())?,
        )),
        PrivateKeyMaterial::Ed25519 { seed, public } => private_params(&PrivateInner::Ed25519(
            Ed25519PrivateKey::new(&seed, public.as_deref())?,
        )),
    })
}

/// As [`params_from_private`], for public key material.
pub(crate) fn params_from_public(m: PublicKeyMaterial) -> Result<KeyParams> {
    Ok(match m {
        PublicKeyMaterial::Rsa { n, e } => {
            public_params(&PublicInner::Rsa(RsaPublicKey::new(&n, &e)?))
        }
        PublicKeyMaterial::Ec { curve, point } => {
            public_params(&PublicInner::Ec(EcPublicKey::from_sec1(curve, &point)?))
        }
        PublicKeyMaterial::Ed25519(x) => {
            public_params(&PublicInner::Ed25519(Ed25519PublicKey::new(&x)?))
        }
    })
}

impl Jwk {
    /// A JWK from a PEM key: a private key gives the private JWK, a public key the public
    /// JWK, a certificate the public JWK of its subject key with `x5c` set to the
    /// certificate. The result has no `alg`; set one with [`Jwk::with_alg`].
    ///
    /// # Errors
    /// [`Error::Malformed`](crate::Error::Malformed) for a bad document,
    /// [`Error::KeyRejected`](crate::Error::KeyRejected) for a key that fails validation,
    /// [`Error::Unsupported`](crate::Error::Unsupported) for key types or encryption
    /// josecraft lacks.
    pub fn from_pem(pem: &str) -> Result<Jwk> {
        Self::from_document(keyfmt::pem(pem.as_bytes())?)
    }

    /// As [`Jwk::from_pem`], for a DER document of any supported format.
    ///
    /// # Errors
    /// As [`Jwk::from_pem`].
    pub fn from_der(der: &[u8]) -> Result<Jwk> {
        Self::from_document(keyfmt::der_any(der)?)
    }

    fn from_document(doc: KeyDocument) -> Result<Jwk> {
        use base64::Engine as _;
        let (params, x5c) = match doc {
            KeyDocument::Private(m) => (params_from_private(m)?, None),
            KeyDocument::Public(m) => (params_from_public(m)?, None),
            KeyDocument::Certificate { public, der } => (
                params_from_public(public)?,
                Some(vec![base64::engine::general_purpose::STANDARD.encode(der)]),
            ),
        };
        let mut jwk = jwk(params, "", None);
        jwk.alg = None;
        jwk.x5c = x5c;
        Ok(jwk)
    }
}
