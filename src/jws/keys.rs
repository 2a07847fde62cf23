//! JWS keys, each bound to one algorithm (DESIGN rule 1).
//!
//! [`HmacKey`] holds a shared secret; [`SigningKey`] an RSA, EC or Ed25519 private key;
//! [`VerifyingKey`] the matching public key. Secret and public key material never share a
//! type. Every key is parsed and checked once when it is built and is cheap to clone and to
//! share between threads.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::{Signer, Verifier};
use crate::alg::{
    EcdsaAlgorithm, EdDsaAlgorithm, HmacAlgorithm, JwsAlgorithm, KeyKind, RsaAlgorithm,
    SignatureAlgorithm, SignatureOp,
};
use crate::crypto::ec::EcPublicKey;
use crate::crypto::keyfmt::{self, KeyDocument, PrivateKeyMaterial, PublicKeyMaterial};
use crate::crypto::rand;
use crate::crypto::rsa::{RsaPrivateParts, RsaScheme};
use crate::crypto::{self, hmac};
use crate::error::{Error, Result};

/// A shared secret for HS256, HS384 or HS512.
///
/// The secret must be at least as long as the hash output (RFC 7518 §3.2): 32, 48 or 64
/// bytes. It is zeroized on drop and never printed.
///
/// ```
/// use josecraft::{jws, HmacAlgorithm, HmacKey, JwsHeader};
///
/// let key = HmacKey::new(HmacAlgorithm::Hs256, &[7u8; 32])?;
/// let token = jws::sign_compact(&JwsHeader::new(), b"hello", &key)?;
/// assert_eq!(jws::verify_compact(&token, &key)?.payload(), b"hello");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct HmacKey {
    alg: JwsAlgorithm,
    kid: Option<Arc<str>>,
    inner: Arc<HmacInner>,
}

struct HmacInner {
    secret: Zeroizing<Vec<u8>>,
    key: hmac::HmacKey,
}

impl HmacKey {
    /// A key for `alg` (HS256, HS384 or HS512) from the raw secret bytes.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if the secret is shorter than the hash output.
    pub fn new(alg: HmacAlgorithm, secret: &[u8]) -> Result<Self> {
        Self::bound(alg.algorithm(), secret)
    }

    /// A key bound to `alg`, which must be an HMAC algorithm.
    pub(crate) fn bound(alg: JwsAlgorithm, secret: &[u8]) -> Result<Self> {
        let d = alg.descriptor();
        let (SignatureOp::Hmac(sha), KeyKind::Secret { min }) = (d.op, d.key) else {
            return Err(Error::key(format!(
                "{alg} is not an hmac algorithm; an hmac key cannot be used with it"
            )));
        };
        if secret.len() < min {
            return Err(Error::key(format!(
                "{alg} needs a secret of at least {min} bytes, got {}",
                secret.len()
            )));
        }
        Ok(Self {
            alg,
            kid: None,
            inner: Arc::new(HmacInner {
                secret: Zeroizing::new(secret.to_vec()),
                key: hmac::HmacKey::new(sha, secret),
            }),
        })
    }

    /// A new random key of the hash output's length.
    ///
    /// # Errors
    /// As [`HmacKey::new`], or if the system's random generator fails.
    pub fn generate(alg: HmacAlgorithm) -> Result<Self> {
        let secret = Zeroizing::new(rand::bytes(alg.min_secret_len())?);
        Self::new(alg, &secret)
    }

    /// Sets the key ID, which signing puts in the header's `kid`.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    pub(crate) fn secret(&self) -> &[u8] {
        &self.inner.secret
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl Signer for HmacKey {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        Ok(self.inner.key.sign(signing_input))
    }
}

impl Verifier for HmacKey {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()> {
        if self.inner.key.verify(signing_input, signature) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}

/// The big-endian components of a two-prime RSA private key, as in an RSA JWK
/// (RFC 7518 §6.3.2) or a PKCS#1 `RSAPrivateKey`.
#[derive(Clone, Copy)]
pub struct RsaPrivateComponents<'a> {
    /// Modulus.
    pub n: &'a [u8],
    /// Public exponent.
    pub e: &'a [u8],
    /// Private exponent.
    pub d: &'a [u8],
    /// First prime factor.
    pub p: &'a [u8],
    /// Second prime factor.
    pub q: &'a [u8],
    /// `d mod (p - 1)`.
    pub dp: &'a [u8],
    /// `d mod (q - 1)`.
    pub dq: &'a [u8],
    /// `q⁻¹ mod p`.
    pub qi: &'a [u8],
}

impl fmt::Debug for RsaPrivateComponents<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RsaPrivateComponents(<redacted>)")
    }
}

impl RsaPrivateComponents<'_> {
    fn to_parts(self) -> RsaPrivateParts {
        RsaPrivateParts {
            n: self.n.to_vec(),
            e: self.e.to_vec(),
            d: self.d.to_vec(),
            p: self.p.to_vec(),
            q: self.q.to_vec(),
            dp: self.dp.to_vec(),
            dq: self.dq.to_vec(),
            qi: self.qi.to_vec(),
        }
    }
}

pub(crate) type PrivateInner = crypto::PrivateKey;
pub(crate) type PublicInner = crypto::PublicKey;

/// The kind of key an algorithm needs, for error messages.
fn expected_kind(alg: JwsAlgorithm) -> String {
    match alg.descriptor().key {
        KeyKind::Secret { .. } => "a shared secret (HmacKey)".into(),
        kind @ (KeyKind::KeyEncryptionKey { .. }
        | KeyKind::DirectCek
        | KeyKind::Password
        | KeyKind::Rsa
        | KeyKind::Ec(_)
        | KeyKind::Ed25519
        | KeyKind::Agreement) => kind.describe(),
    }
}

/// Fails unless a key of this type fits `alg`.
pub(crate) fn check_fits(alg: JwsAlgorithm, key: &PublicInner) -> Result<()> {
    if alg.descriptor().key.fits(key) {
        Ok(())
    } else {
        Err(Error::key(format!(
            "{alg} needs {}, not {}",
            expected_kind(alg),
            key.describe()
        )))
    }
}

/// The curve an ECDSA algorithm is on, or why `alg` is not one.
fn ecdsa_curve(alg: JwsAlgorithm) -> Result<crate::crypto::ec::Curve> {
    alg.descriptor()
        .key
        .ec_curve()
        .ok_or_else(|| Error::key(format!("{alg} needs {}, not an EC key", expected_kind(alg))))
}

fn require_asymmetric(alg: JwsAlgorithm) -> Result<()> {
    if alg.is_symmetric() {
        Err(Error::key(format!(
            "{alg} is an hmac algorithm: use HmacKey, not an asymmetric key"
        )))
    } else {
        Ok(())
    }
}

fn pem_text(pem: &str) -> &[u8] {
    pem.as_bytes()
}

/// A private key for RS*, PS*, ES* or EdDSA, bound to one algorithm.
///
/// ```
/// use josecraft::{jws, JwsHeader, SignatureAlgorithm, SigningKey};
///
/// let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("k1");
/// let token = jws::sign_compact(&JwsHeader::new(), b"payload", &key)?;
/// let verified = jws::verify_compact(&token, &key.verifying_key())?;
/// assert_eq!(verified.header().kid(), Some("k1"));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    alg: JwsAlgorithm,
    kid: Option<Arc<str>>,
    inner: Arc<PrivateInner>,
}

impl SigningKey {
    pub(crate) fn from_inner(alg: JwsAlgorithm, inner: PrivateInner) -> Self {
        Self {
            alg,
            kid: None,
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn from_material(alg: JwsAlgorithm, material: PrivateKeyMaterial) -> Result<Self> {
        require_asymmetric(alg)?;
        let key = PrivateInner::from_material(&material)?;
        check_fits(alg, &key.public())?;
        if let Some(rsa) = key.as_rsa() {
            rsa.prepare_signing()?;
        }
        Ok(Self::from_inner(alg, key))
    }

    /// A new random key for `alg`: an EC key on the algorithm's curve, an Ed25519 key, or
    /// a 2048-bit RSA key (see [`generate_rsa`](Self::generate_rsa) for other sizes).
    ///
    /// # Errors
    /// [`Error::CryptoFailure`] if the system random generator fails. (HMAC keys come from
    /// [`HmacKey::generate`].)
    pub fn generate(alg: impl Into<SignatureAlgorithm>) -> Result<Self> {
        let alg = alg.into().algorithm();
        match alg.descriptor().op {
            SignatureOp::Ecdsa(curve) => {
                let d = crate::crypto::ec::generate_scalar(curve)?;
                Self::from_material(
                    alg,
                    PrivateKeyMaterial::Ec {
                        curve,
                        d,
                        public: None,
                    },
                )
            }
            SignatureOp::Ed25519 => {
                let seed = Zeroizing::new(rand::bytes(32)?);
                Self::from_material(alg, PrivateKeyMaterial::Ed25519 { seed, public: None })
            }
            SignatureOp::RsaPkcs1(_) | SignatureOp::RsaPss(_) => Self::from_material(
                alg,
                PrivateKeyMaterial::Rsa(crate::crypto::rsa::generate(2048)?),
            ),
            // Unreachable: `SignatureAlgorithm` has no HMAC member (an error, not a panic).
            SignatureOp::Hmac(_) => Err(Error::key(format!("{alg} needs an HmacKey"))),
        }
    }

    /// A new random RSA key of `bits` bits (2048, 3072 or 4096; e = 65537) for RS* or PS*.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for other sizes; [`Error::CryptoFailure`] if the system
    /// random generator fails.
    pub fn generate_rsa(alg: RsaAlgorithm, bits: usize) -> Result<Self> {
        Self::from_material(
            alg.algorithm(),
            PrivateKeyMaterial::Rsa(crate::crypto::rsa::generate(bits)?),
        )
    }

    /// From a PKCS#8 `PrivateKeyInfo` in DER (RSA, EC or Ed25519).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER, [`Error::KeyRejected`] for a key that does not fit
    /// `alg` or fails validation, [`Error::Unsupported`] for other key types.
    pub fn from_pkcs8_der(alg: impl Into<SignatureAlgorithm>, der: &[u8]) -> Result<Self> {
        let alg = alg.into().algorithm();
        Self::from_material(alg, keyfmt::pkcs8_der(der)?)
    }

    /// From a PKCS#1 RSA private key in DER (`RSAPrivateKey`, RFC 8017 §A.1.2; the
    /// `RSA PRIVATE KEY` of PEM).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`].
    pub fn from_pkcs1_der(alg: RsaAlgorithm, der: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(alg, keyfmt::pkcs1_private_der(der)?)
    }

    /// From a SEC 1 `ECPrivateKey` in DER (RFC 5915).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`].
    pub fn from_sec1_der(alg: EcdsaAlgorithm, der: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(alg, keyfmt::sec1_der(der, None)?)
    }

    /// From a DER private key in any supported format (PKCS#8, PKCS#1, SEC 1).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`]; [`Error::KeyRejected`] for a public key.
    pub fn from_der(alg: impl Into<SignatureAlgorithm>, der: &[u8]) -> Result<Self> {
        let alg = alg.into().algorithm();
        match keyfmt::der_any(der)? {
            KeyDocument::Private(m) => Self::from_material(alg, m),
            KeyDocument::Public(_) | KeyDocument::Certificate { .. } => {
                Err(Error::key("a public key or certificate cannot sign"))
            }
        }
    }

    /// From a PEM private key: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1) or
    /// `EC PRIVATE KEY` (SEC 1). Encrypted PEM is [`Error::Unsupported`].
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`]; [`Error::KeyRejected`] for a public key.
    pub fn from_pem(alg: impl Into<SignatureAlgorithm>, pem: &str) -> Result<Self> {
        let alg = alg.into().algorithm();
        match keyfmt::pem(pem_text(pem))? {
            KeyDocument::Private(m) => Self::from_material(alg, m),
            KeyDocument::Public(_) | KeyDocument::Certificate { .. } => {
                Err(Error::key("a public key or certificate cannot sign"))
            }
        }
    }

    /// From the components of a two-prime RSA key.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for inconsistent components or a size ring cannot sign with
    /// (2048 to 4096 bits, e ≥ 65537).
    pub fn from_rsa_components(alg: RsaAlgorithm, c: &RsaPrivateComponents<'_>) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(alg, PrivateKeyMaterial::Rsa(c.to_parts()))
    }

    /// From an EC private scalar `d` (big-endian, the curve's field length); the public
    /// point is computed from it.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a scalar of the wrong length or out of range (the curve is
    /// `alg`'s).
    pub fn from_ec_scalar(alg: EcdsaAlgorithm, d: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        let curve = ecdsa_curve(alg)?;
        Self::from_material(
            alg,
            PrivateKeyMaterial::Ec {
                curve,
                d: Zeroizing::new(d.to_vec()),
                public: None,
            },
        )
    }

    /// From an Ed25519 private key: the 32-byte seed (a JWK's `d`, RFC 8037 §2).
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if the seed is not 32 bytes.
    pub fn from_ed25519_seed(alg: EdDsaAlgorithm, seed: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(
            alg,
            PrivateKeyMaterial::Ed25519 {
                seed: Zeroizing::new(seed.to_vec()),
                public: None,
            },
        )
    }

    /// Sets the key ID, which signing puts in the header's `kid`.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The matching public key, bound to the same algorithm and key ID.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey {
            alg: self.alg,
            kid: self.kid.clone(),
            inner: Arc::new(self.inner.public()),
        }
    }

    pub(crate) fn inner(&self) -> &PrivateInner {
        &self.inner
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("private", &"<redacted>")
            .finish()
    }
}

impl Signer for SigningKey {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        // The constructors only pair keys with algorithms they fit.
        let unfit = || Error::key(format!("key does not fit {}", self.alg));
        match self.alg.descriptor().op {
            SignatureOp::RsaPkcs1(sha) => {
                let k = self.inner.as_rsa().ok_or_else(unfit)?;
                k.sign(RsaScheme::Pkcs1(sha), signing_input)
            }
            SignatureOp::RsaPss(sha) => {
                let k = self.inner.as_rsa().ok_or_else(unfit)?;
                k.sign(RsaScheme::Pss(sha), signing_input)
            }
            SignatureOp::Ecdsa(_) => self.inner.as_ec().ok_or_else(unfit)?.sign(signing_input),
            SignatureOp::Ed25519 => Ok(self
                .inner
                .as_ed25519()
                .ok_or_else(unfit)?
                .sign(signing_input)),
            SignatureOp::Hmac(_) => Err(unfit()),
        }
    }
}

/// A public key for RS*, PS*, ES* or EdDSA, bound to one algorithm.
///
/// ```
/// use josecraft::{JwsAlgorithm, VerifyingKey};
/// use josecraft::SignatureAlgorithm;
///
/// let pem = "-----BEGIN PUBLIC KEY-----
/// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9
/// q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==
/// -----END PUBLIC KEY-----";
/// let key = VerifyingKey::from_pem(SignatureAlgorithm::Es256, pem)?;
/// assert_eq!(key.algorithm(), JwsAlgorithm::Es256);
/// // The same key cannot be used for another algorithm.
/// assert!(VerifyingKey::from_pem(SignatureAlgorithm::Rs256, pem).is_err());
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct VerifyingKey {
    alg: JwsAlgorithm,
    kid: Option<Arc<str>>,
    inner: Arc<PublicInner>,
}

impl VerifyingKey {
    pub(crate) fn from_material(alg: JwsAlgorithm, material: PublicKeyMaterial) -> Result<Self> {
        require_asymmetric(alg)?;
        let key = PublicInner::from_material(&material)?;
        check_fits(alg, &key)?;
        Ok(Self {
            alg,
            kid: None,
            inner: Arc::new(key),
        })
    }

    /// From a `SubjectPublicKeyInfo` in DER (the `PUBLIC KEY` of PEM).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER, [`Error::KeyRejected`] for a key that does not fit
    /// `alg` or fails validation (e.g. RSA below 2048 bits, a point not on the curve).
    pub fn from_spki_der(alg: impl Into<SignatureAlgorithm>, der: &[u8]) -> Result<Self> {
        let alg = alg.into().algorithm();
        Self::from_material(alg, keyfmt::spki_der(der)?)
    }

    /// From a PKCS#1 `RSAPublicKey` in DER.
    ///
    /// # Errors
    /// As [`VerifyingKey::from_spki_der`].
    pub fn from_pkcs1_der(alg: RsaAlgorithm, der: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(alg, keyfmt::pkcs1_public_der(der)?)
    }

    /// The subject public key of an X.509 certificate in DER. Only the key is taken: the
    /// certificate's chain, dates and signature are not checked.
    ///
    /// # Errors
    /// As [`VerifyingKey::from_spki_der`].
    pub fn from_certificate_der(alg: impl Into<SignatureAlgorithm>, der: &[u8]) -> Result<Self> {
        let alg = alg.into().algorithm();
        Self::from_material(alg, keyfmt::certificate_der(der)?)
    }

    /// From a DER document in any supported format: SPKI, X.509 certificate, PKCS#1
    /// public key, or a private key (PKCS#8, PKCS#1, SEC 1) whose public part is taken.
    ///
    /// # Errors
    /// As [`VerifyingKey::from_spki_der`].
    pub fn from_der(alg: impl Into<SignatureAlgorithm>, der: &[u8]) -> Result<Self> {
        let alg = alg.into().algorithm();
        Self::from_document(alg, keyfmt::der_any(der)?)
    }

    /// From PEM: `PUBLIC KEY`, `RSA PUBLIC KEY`, `CERTIFICATE`, or a private key whose
    /// public part is taken.
    ///
    /// # Errors
    /// As [`VerifyingKey::from_spki_der`].
    pub fn from_pem(alg: impl Into<SignatureAlgorithm>, pem: &str) -> Result<Self> {
        let alg = alg.into().algorithm();
        Self::from_document(alg, keyfmt::pem(pem_text(pem))?)
    }

    fn from_document(alg: JwsAlgorithm, doc: KeyDocument) -> Result<Self> {
        match doc {
            KeyDocument::Public(m) | KeyDocument::Certificate { public: m, .. } => {
                Self::from_material(alg, m)
            }
            KeyDocument::Private(m) => Ok(SigningKey::from_material(alg, m)?.verifying_key()),
        }
    }

    /// From an RSA modulus and public exponent (big-endian).
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a modulus outside 2048–8192 bits, or a bad exponent.
    pub fn from_rsa_components(alg: RsaAlgorithm, n: &[u8], e: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(
            alg,
            PublicKeyMaterial::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            },
        )
    }

    /// From EC affine coordinates, each exactly the curve's field length.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for coordinates of the wrong length or a point not on the
    /// curve `alg` needs.
    pub fn from_ec_coordinates(alg: EcdsaAlgorithm, x: &[u8], y: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        let curve = ecdsa_curve(alg)?;
        let point = EcPublicKey::from_coordinates(curve, x, y)?;
        Self::from_material(
            alg,
            PublicKeyMaterial::Ec {
                curve,
                point: point.sec1_uncompressed().to_vec(),
            },
        )
    }

    /// From a SEC 1 encoded EC point (compressed or uncompressed).
    ///
    /// # Errors
    /// As [`VerifyingKey::from_ec_coordinates`].
    pub fn from_ec_point(alg: EcdsaAlgorithm, sec1: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        let curve = ecdsa_curve(alg)?;
        Self::from_material(
            alg,
            PublicKeyMaterial::Ec {
                curve,
                point: sec1.to_vec(),
            },
        )
    }

    /// From a 32-byte Ed25519 public key (a JWK's `x`).
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if it is not 32 bytes, or not a canonically encoded curve
    /// point of large order.
    pub fn from_ed25519_bytes(alg: EdDsaAlgorithm, public: &[u8]) -> Result<Self> {
        let alg = alg.algorithm();
        Self::from_material(alg, PublicKeyMaterial::Ed25519(public.to_vec()))
    }

    /// Sets the key ID, used to select this key from a set.
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    /// The key ID, if set.
    pub fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    pub(crate) fn inner(&self) -> &PublicInner {
        &self.inner
    }
}

impl PartialEq for VerifyingKey {
    fn eq(&self, other: &Self) -> bool {
        self.alg == other.alg && self.kid == other.kid && self.inner == other.inner
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &*self.inner {
            PublicInner::Rsa(k) => format!("RSA {} bits", k.bits()),
            PublicInner::Ec(k) => format!("EC {}", k.curve().name()),
            PublicInner::Ed25519(_) => "Ed25519".to_string(),
            PublicInner::X25519(_) => "X25519".to_string(),
        };
        f.debug_struct("VerifyingKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("key", &kind)
            .finish()
    }
}

impl Verifier for VerifyingKey {
    fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }
    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    fn verify(&self, signing_input: &[u8], signature: &[u8]) -> Result<()> {
        let key = &*self.inner;
        let ok = match self.alg.descriptor().op {
            SignatureOp::RsaPkcs1(sha) => key
                .as_rsa()
                .is_some_and(|k| k.verify(RsaScheme::Pkcs1(sha), signing_input, signature)),
            SignatureOp::RsaPss(sha) => key
                .as_rsa()
                .is_some_and(|k| k.verify(RsaScheme::Pss(sha), signing_input, signature)),
            SignatureOp::Ecdsa(_) => key
                .as_ec()
                .is_some_and(|k| k.verify(signing_input, signature)),
            SignatureOp::Ed25519 => key
                .as_ed25519()
                .is_some_and(|k| k.verify(signing_input, signature)),
            // A VerifyingKey is never bound to an HMAC algorithm.
            SignatureOp::Hmac(_) => false,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }
}
