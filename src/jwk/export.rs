//! Keys out: the JWK members shared by every key type (each key's `to_jwk` lives with the
//! key, in `jws::jwk` and `jwe::jwk`), and JWKs as PEM/DER. A private key exports its
//! *public* JWK unless the caller asks for the private one by name (`to_private_jwk`,
//! `to_secret_jwk`, `to_pkcs8_pem`).

use zeroize::Zeroizing;

use super::{Jwk, KeyParams, RsaCrt, RsaPrivateMembers, SecretBytes};
use crate::crypto::keyfmt::{self, KeyDocument};
use crate::crypto::{OkpCurve, PrivateKey, PublicKey};
use crate::error::Result;

pub(crate) fn jwk(params: KeyParams, alg: Option<&str>, kid: Option<&str>) -> Jwk {
    Jwk {
        params,
        kid: kid.map(str::to_string),
        alg: alg.map(str::to_string),
        use_: None,
        key_ops: None,
        x5u: None,
        x5c: None,
        x5t: None,
        x5t_s256: None,
        extra: Vec::new(),
    }
}

pub(crate) fn public_params(key: &PublicKey) -> KeyParams {
    match key {
        PublicKey::Rsa(k) => KeyParams::Rsa {
            n: k.n().to_vec(),
            e: k.e().to_vec(),
            private: None,
        },
        PublicKey::Ec(k) => KeyParams::Ec {
            crv: k.curve().name().to_string(),
            x: k.x().to_vec(),
            y: k.y().to_vec(),
            d: None,
        },
        PublicKey::Ed25519(k) => KeyParams::Okp {
            crv: OkpCurve::Ed25519.name().to_string(),
            x: k.as_bytes().to_vec(),
            d: None,
        },
        PublicKey::X25519(k) => KeyParams::Okp {
            crv: OkpCurve::X25519.name().to_string(),
            x: k.as_bytes().to_vec(),
            d: None,
        },
    }
}

pub(crate) fn private_params(key: &PrivateKey) -> KeyParams {
    let secret = |v: &[u8]| SecretBytes::new(v.to_vec());
    match key {
        PrivateKey::Rsa(k) => {
            let p = k.parts();
            KeyParams::Rsa {
                n: p.n.clone(),
                e: p.e.clone(),
                private: Some(Box::new(RsaPrivateMembers {
                    d: secret(&p.d),
                    crt: Some(RsaCrt {
                        p: secret(&p.p),
                        q: secret(&p.q),
                        dp: secret(&p.dp),
                        dq: secret(&p.dq),
                        qi: secret(&p.qi),
                    }),
                    has_other_primes: false,
                })),
            }
        }
        PrivateKey::Ec(k) => KeyParams::Ec {
            crv: k.curve().name().to_string(),
            x: k.public().x().to_vec(),
            y: k.public().y().to_vec(),
            d: Some(secret(k.d())),
        },
        PrivateKey::Ed25519(k) => KeyParams::Okp {
            crv: OkpCurve::Ed25519.name().to_string(),
            x: k.public().as_bytes().to_vec(),
            d: Some(secret(k.seed())),
        },
        PrivateKey::X25519(k) => KeyParams::Okp {
            crv: OkpCurve::X25519.name().to_string(),
            x: k.public().as_bytes().to_vec(),
            d: Some(secret(&*k.secret_bytes())),
        },
    }
}

impl Jwk {
    /// A JWK from a PEM key: a private key gives the private JWK, a public key the public
    /// JWK, a certificate the public JWK of its subject key with `x5c` set to the
    /// certificate. The result has no `alg`; set one with [`Jwk::with_alg`].
    ///
    /// # Errors
    /// [`Error::Malformed`](crate::Error::Malformed) for a bad document, [`Error::KeyRejected`](crate::Error::KeyRejected) for a key that fails
    /// validation, [`Error::Unsupported`](crate::Error::Unsupported) for key types or encryption josecraft lacks.
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
            KeyDocument::Private(m) => (private_params(&PrivateKey::from_material(&m)?), None),
            KeyDocument::Public(m) => (public_params(&PublicKey::from_material(&m)?), None),
            KeyDocument::Certificate { public, der } => (
                public_params(&PublicKey::from_material(&public)?),
                Some(vec![base64::engine::general_purpose::STANDARD.encode(der)]),
            ),
        };
        let mut jwk = jwk(params, None, None);
        jwk.x5c = x5c;
        Ok(jwk)
    }

    /// The public key as a DER `SubjectPublicKeyInfo` (for a private JWK, its public part).
    ///
    /// # Errors
    /// [`Error::KeyRejected`](crate::Error::KeyRejected) for an `oct` key or key material that fails validation.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        keyfmt::spki_encode(&self.public_key()?)
    }

    /// The public key as PEM (`PUBLIC KEY`).
    ///
    /// # Errors
    /// As [`Jwk::to_spki_der`].
    pub fn to_spki_pem(&self) -> Result<String> {
        keyfmt::pem_encode("PUBLIC KEY", &self.to_spki_der()?)
    }

    /// The private key as DER PKCS#8. The result is as secret as the key.
    ///
    /// # Errors
    /// [`Error::KeyRejected`](crate::Error::KeyRejected) for a public or `oct` key, or material that fails validation.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        keyfmt::pkcs8_encode(&self.private_key()?)
    }

    /// The private key as PEM (`PRIVATE KEY`, PKCS#8). The result is as secret as the key.
    ///
    /// # Errors
    /// As [`Jwk::to_pkcs8_der`].
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        Ok(Zeroizing::new(keyfmt::pem_encode(
            "PRIVATE KEY",
            &self.to_pkcs8_der()?,
        )?))
    }

    pub(crate) fn public_key(&self) -> Result<PublicKey> {
        if self.is_private() && !matches!(self.params, KeyParams::Oct { .. }) {
            Ok(self.private_key()?.public())
        } else {
            PublicKey::from_material(&self.public_material()?)
        }
    }

    pub(crate) fn private_key(&self) -> Result<PrivateKey> {
        PrivateKey::from_material(&self.private_material()?)
    }
}
