//! Keys out: every key type as a JWK, and JWKs as PEM/DER. A private key exports its
//! *public* JWK unless the caller asks for the private one by name (`to_private_jwk`,
//! `to_secret_jwk`, `to_pkcs8_pem`).

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::Encode;
use zeroize::Zeroizing;

use super::{Jwk, KeyParams, RsaCrt, RsaPrivateMembers, SecretBytes};
use crate::crypto::keyfmt::{self, KeyDocument};
use crate::crypto::{PrivateKey, PublicKey};
use crate::error::{Error, Part, Result};
use crate::jws::{HmacKey, SigningKey, VerifyingKey};

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
            crv: "Ed25519".to_string(),
            x: k.as_bytes().to_vec(),
            d: None,
        },
        PublicKey::X25519(k) => KeyParams::Okp {
            crv: "X25519".to_string(),
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
            crv: "Ed25519".to_string(),
            x: k.public().as_bytes().to_vec(),
            d: Some(secret(k.seed())),
        },
        PrivateKey::X25519(k) => KeyParams::Okp {
            crv: "X25519".to_string(),
            x: k.public().as_bytes().to_vec(),
            d: Some(secret(&*k.secret_bytes())),
        },
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
        let kid = self.to_jwk().thumbprint_b64(super::ThumbprintHash::Sha256);
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
    /// use josecraft::{JwsAlgorithm, SigningKey};
    ///
    /// let key = SigningKey::generate(JwsAlgorithm::Es256)?.with_thumbprint_kid();
    /// let published = key.to_jwk();
    /// assert_eq!(published.kid(), Some(published.thumbprint_b64(ThumbprintHash::Sha256).as_str()));
    /// assert_eq!(key.verifying_key().key_id(), key.key_id());
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    pub fn with_thumbprint_kid(self) -> Self {
        let kid = self.to_jwk().thumbprint_b64(super::ThumbprintHash::Sha256);
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

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");

fn der_error(e: der::Error) -> Error {
    Error::malformed(Part::Key, format!("cannot encode the key: {e}"))
}

fn uint(bytes: &[u8]) -> Result<der::asn1::UintRef<'_>> {
    der::asn1::UintRef::new(bytes).map_err(der_error)
}

/// The algorithm identifier and key bytes of a public key, for SPKI.
fn spki_der(key: &PublicKey) -> Result<Vec<u8>> {
    let curve_oid;
    let (oid, params, bits): (ObjectIdentifier, Option<AnyRef<'_>>, Vec<u8>) = match key {
        PublicKey::Rsa(k) => {
            let pkcs1 = pkcs1::RsaPublicKey {
                modulus: uint(k.n())?,
                public_exponent: uint(k.e())?,
            }
            .to_der()
            .map_err(der_error)?;
            (RSA_ENCRYPTION, Some(AnyRef::NULL), pkcs1)
        }
        PublicKey::Ec(k) => {
            curve_oid = ObjectIdentifier::new(k.curve().oid()).map_err(|e| der_error(e.into()))?;
            (
                EC_PUBLIC_KEY,
                Some(AnyRef::from(&curve_oid)),
                k.sec1_uncompressed().to_vec(),
            )
        }
        PublicKey::Ed25519(k) => (ED25519, None, k.as_bytes().to_vec()),
        PublicKey::X25519(k) => (X25519, None, k.as_bytes().to_vec()),
    };
    spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid,
            parameters: params,
        },
        subject_public_key: BitStringRef::from_bytes(&bits).map_err(der_error)?,
    }
    .to_der()
    .map_err(der_error)
}

fn pkcs8_der(key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    let curve_oid;
    let (oid, params, inner): (ObjectIdentifier, Option<AnyRef<'_>>, Zeroizing<Vec<u8>>) = match key
    {
        PrivateKey::Rsa(k) => {
            let p = k.parts();
            let der = pkcs1::RsaPrivateKey {
                modulus: uint(&p.n)?,
                public_exponent: uint(&p.e)?,
                private_exponent: uint(&p.d)?,
                prime1: uint(&p.p)?,
                prime2: uint(&p.q)?,
                exponent1: uint(&p.dp)?,
                exponent2: uint(&p.dq)?,
                coefficient: uint(&p.qi)?,
                other_prime_infos: None,
            }
            .to_der()
            .map_err(der_error)?;
            (RSA_ENCRYPTION, Some(AnyRef::NULL), Zeroizing::new(der))
        }
        PrivateKey::Ec(k) => {
            curve_oid = ObjectIdentifier::new(k.curve().oid()).map_err(|e| der_error(e.into()))?;
            let der = sec1::EcPrivateKey {
                private_key: k.d(),
                parameters: None,
                public_key: Some(k.public().sec1_uncompressed()),
            }
            .to_der()
            .map_err(der_error)?;
            (
                EC_PUBLIC_KEY,
                Some(AnyRef::from(&curve_oid)),
                Zeroizing::new(der),
            )
        }
        PrivateKey::Ed25519(k) => (ED25519, None, octets(k.seed())?),
        PrivateKey::X25519(k) => (X25519, None, octets(&*k.secret_bytes())?),
    };
    let info = pkcs8::PrivateKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid,
            parameters: params,
        },
        private_key: OctetStringRef::new(&inner).map_err(der_error)?,
        public_key: None,
    };
    Ok(Zeroizing::new(info.to_der().map_err(der_error)?))
}

/// `CurvePrivateKey ::= OCTET STRING` (RFC 8410 §7).
fn octets(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    Ok(Zeroizing::new(
        OctetStringRef::new(bytes)
            .map_err(der_error)?
            .to_der()
            .map_err(der_error)?,
    ))
}

fn pem(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| Error::malformed(Part::Key, format!("cannot encode pem: {e}")))
}

impl Jwk {
    /// A JWK from a PEM key: a private key gives the private JWK, a public key the public
    /// JWK, a certificate the public JWK of its subject key with `x5c` set to the
    /// certificate. The result has no `alg`; set one with [`Jwk::with_alg`].
    ///
    /// # Errors
    /// [`Error::Malformed`] for a bad document, [`Error::KeyRejected`] for a key that fails
    /// validation, [`Error::Unsupported`] for key types or encryption josecraft lacks.
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
    /// [`Error::KeyRejected`] for an `oct` key or key material that fails validation.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        spki_der(&self.public_key()?)
    }

    /// The public key as PEM (`PUBLIC KEY`).
    ///
    /// # Errors
    /// As [`Jwk::to_spki_der`].
    pub fn to_spki_pem(&self) -> Result<String> {
        pem("PUBLIC KEY", &self.to_spki_der()?)
    }

    /// The private key as DER PKCS#8. The result is as secret as the key.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a public or `oct` key, or material that fails validation.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        pkcs8_der(&self.private_key()?)
    }

    /// The private key as PEM (`PRIVATE KEY`, PKCS#8). The result is as secret as the key.
    ///
    /// # Errors
    /// As [`Jwk::to_pkcs8_der`].
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        Ok(Zeroizing::new(pem("PRIVATE KEY", &self.to_pkcs8_der()?)?))
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
