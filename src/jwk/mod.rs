//! JSON Web Keys (RFC 7517; key types of RFC 7518 §6 and RFC 8037 §2).
//!
//! [`Jwk`] is parsed strictly with `kty` as its tag: every base64url member through the
//! strict codec, duplicate members rejected, members of the wrong JSON type rejected,
//! unknown members kept in order. It converts into the key types of [`jws`](crate::jws)
//! with the algorithm bound on the way (DESIGN rule 1): from the JWK's `alg` member, or
//! from the caller when the JWK has none, and never from a token.

pub(crate) mod export;
mod generate;
mod set;
mod thumbprint;

pub use crate::jose::{PreparedJwks, SkippedKey};
pub use generate::KeySpec;
pub(crate) use set::raw_kid;
pub use set::{DecryptorPolicy, JwkSet, JwksDecryptor, JwksVerifier, KeyQuery, VerifierPolicy};
pub use thumbprint::ThumbprintHash;

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, Serializer};
use zeroize::Zeroizing;

use crate::base64url;
use crate::crypto::ec::Curve;
use crate::crypto::keyfmt::{PrivateKeyMaterial, PublicKeyMaterial};
use crate::crypto::rsa::RsaPrivateParts;
use crate::crypto::OkpCurve;
use crate::error::{Error, Part, Result};
use crate::json;
use crate::limits::Limits;

/// Secret bytes of a key: zeroized on drop, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }
    /// The secret bytes. Handle with care.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
    /// Their length.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The key-type-specific members of a JWK, tagged by `kty`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyParams {
    /// `"kty": "EC"` (RFC 7518 §6.2).
    Ec {
        /// `crv`: the curve name.
        crv: String,
        /// `x` coordinate.
        x: Vec<u8>,
        /// `y` coordinate.
        y: Vec<u8>,
        /// `d`: the private scalar, if this is a private key.
        d: Option<SecretBytes>,
    },
    /// `"kty": "RSA"` (RFC 7518 §6.3).
    Rsa {
        /// `n`: modulus.
        n: Vec<u8>,
        /// `e`: public exponent.
        e: Vec<u8>,
        /// The private members, if this is a private key.
        private: Option<Box<RsaPrivateMembers>>,
    },
    /// `"kty": "oct"` (RFC 7518 §6.4).
    Oct {
        /// `k`: the key value.
        k: SecretBytes,
    },
    /// `"kty": "OKP"` (RFC 8037 §2).
    Okp {
        /// `crv`: `Ed25519`, `X25519`, ...
        crv: String,
        /// `x`: the public key.
        x: Vec<u8>,
        /// `d`: the private key, if this is a private key.
        d: Option<SecretBytes>,
    },
}

/// The private members of an RSA JWK (RFC 7518 §6.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPrivateMembers {
    /// `d`: private exponent.
    pub d: SecretBytes,
    /// `p`, `q`, `dp`, `dq`, `qi`: the CRT members, when present (all or none).
    pub crt: Option<RsaCrt>,
    /// Whether `oth` (other primes, multi-prime RSA) was present.
    pub has_other_primes: bool,
}

/// The CRT members of an RSA private JWK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaCrt {
    /// `p`: first prime factor.
    pub p: SecretBytes,
    /// `q`: second prime factor.
    pub q: SecretBytes,
    /// `dp`: first factor CRT exponent.
    pub dp: SecretBytes,
    /// `dq`: second factor CRT exponent.
    pub dq: SecretBytes,
    /// `qi`: first CRT coefficient.
    pub qi: SecretBytes,
}

/// A JSON Web Key.
///
/// ```
/// use josecraft::jwk::Jwk;
/// use josecraft::SignatureAlgorithm;
///
/// let jwk = Jwk::from_json(br#"{"kty":"OKP","crv":"Ed25519","kid":"ed",
///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
/// assert_eq!(jwk.kid(), Some("ed"));
/// // This JWK has no "alg": the caller says what it is for.
/// let key = jwk.to_verifying_key(Some(SignatureAlgorithm::EdDsa))?;
/// assert_eq!(key.key_id(), Some("ed"));
/// assert!(jwk.to_verifying_key(None).is_err());
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Jwk {
    params: KeyParams,
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
    x5u: Option<String>,
    x5c: Option<Vec<String>>,
    x5t: Option<String>,
    x5t_s256: Option<String>,
    extra: Vec<(String, json::RawJson)>,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("params", &self.params)
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("use", &self.use_)
            .field("key_ops", &self.key_ops)
            .finish_non_exhaustive()
    }
}

/// What a key is going to be used for, checked against `use` and `key_ops`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Sign,
    Verify,
    Encrypt,
    Decrypt,
}

impl Operation {
    fn use_value(self) -> &'static str {
        match self {
            Operation::Sign | Operation::Verify => "sig",
            Operation::Encrypt | Operation::Decrypt => "enc",
        }
    }
    fn key_ops(self) -> &'static [&'static str] {
        match self {
            Operation::Sign => &["sign"],
            // A verifying key may come from a private JWK that lists only "sign".
            Operation::Verify => &["verify", "sign"],
            Operation::Encrypt => &["encrypt", "wrapKey", "deriveKey", "deriveBits"],
            Operation::Decrypt => &["decrypt", "unwrapKey", "deriveKey", "deriveBits"],
        }
    }
}

impl Jwk {
    /// Parses a JWK with default [`Limits`].
    ///
    /// # Errors
    /// [`Error::Malformed`] for invalid JSON, duplicate members, wrong member types, a
    /// missing or unknown `kty`, missing key members, or non-canonical base64url.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        Self::from_json_with(json, &Limits::default())
    }

    /// Parses a JWK with the given limits.
    ///
    /// # Errors
    /// As [`Jwk::from_json`], plus [`Error::LimitExceeded`].
    pub fn from_json_with(json: &[u8], limits: &Limits) -> Result<Self> {
        limits.check_key_len(json.len())?;
        let members = json::parse_object(json, Part::Jwk, limits.json_depth())?;
        Self::from_members(members)
    }

    pub(crate) fn from_members(members: json::Members<'_>) -> Result<Self> {
        let kty_raw = members
            .iter()
            .find(|(k, _)| k == "kty")
            .map(|(_, v)| *v)
            .ok_or_else(|| Error::malformed(Part::Jwk, "missing \"kty\""))?;
        let kty: String = json::member("kty", kty_raw, Part::Jwk)?;
        let params_names: &[&str] = match kty.as_str() {
            "EC" => &["crv", "x", "y", "d"],
            "RSA" => &["n", "e", "d", "p", "q", "dp", "dq", "qi", "oth"],
            "oct" => &["k"],
            "OKP" => &["crv", "x", "d"],
            other => {
                return Err(Error::unsupported(format!(
                    "jwk key type \"{}\"",
                    other.escape_debug()
                )))
            }
        };
        let mut jwk = Jwk {
            params: KeyParams::Oct {
                k: SecretBytes::new(Vec::new()),
            },
            kid: None,
            alg: None,
            use_: None,
            key_ops: None,
            x5u: None,
            x5c: None,
            x5t: None,
            x5t_s256: None,
            extra: Vec::new(),
        };
        let mut p = Params::default();
        for (name, value) in members {
            let n = name.as_ref();
            match n {
                "kty" => {}
                "kid" => jwk.kid = Some(json::member(n, value, Part::Jwk)?),
                "alg" => jwk.alg = Some(json::member(n, value, Part::Jwk)?),
                "use" => jwk.use_ = Some(json::member(n, value, Part::Jwk)?),
                "key_ops" => jwk.key_ops = Some(json::member(n, value, Part::Jwk)?),
                "x5u" => jwk.x5u = Some(json::member(n, value, Part::Jwk)?),
                "x5c" => jwk.x5c = Some(json::member(n, value, Part::Jwk)?),
                "x5t" => jwk.x5t = Some(json::member(n, value, Part::Jwk)?),
                "x5t#S256" => jwk.x5t_s256 = Some(json::member(n, value, Part::Jwk)?),
                "crv" if params_names.contains(&"crv") => {
                    p.crv = Some(json::member(n, value, Part::Jwk)?)
                }
                _ if params_names.contains(&n) => {
                    if n == "oth" {
                        p.oth = true;
                    } else {
                        let text: Cow<'_, str> = json::member(n, value, Part::Jwk)?;
                        let bytes =
                            base64url::decode_part(text.as_bytes(), Part::Jwk).map_err(|e| {
                                if let Error::Malformed { reason, .. } = e {
                                    Error::malformed(Part::Jwk, format!("member \"{n}\": {reason}"))
                                } else {
                                    e
                                }
                            })?;
                        p.set(n, bytes);
                    }
                }
                _ => {
                    json::check_nested(value, Part::Jwk)?;
                    jwk.extra
                        .push((name.into_owned(), json::RawJson::new(value)));
                }
            }
        }
        jwk.params = p.finish(&kty)?;
        jwk.check_metadata()?;
        Ok(jwk)
    }

    /// Checks `use` and `key_ops` (RFC 7517 §4.2–4.3) for consistency with each other, and
    /// a known `alg` for consistency with `kty` and `crv`.
    fn check_metadata(&self) -> Result<()> {
        if let Some(alg) = &self.alg {
            if let Some(false) = crate::alg::registered_fit(alg, self.kty(), self.crv()) {
                return Err(Error::key(format!(
                    "alg \"{}\" does not fit a {} key{}",
                    alg.escape_debug(),
                    self.kty(),
                    self.crv().map(|c| format!(" on {c}")).unwrap_or_default()
                )));
            }
        }
        if let Some(ops) = &self.key_ops {
            // A set, not a scan of the earlier entries: a JWKS document may be large.
            let mut seen = std::collections::HashSet::with_capacity(ops.len());
            for op in ops {
                if !seen.insert(op.as_str()) {
                    return Err(Error::malformed(
                        Part::Jwk,
                        format!("key_ops lists \"{}\" twice", op.escape_debug()),
                    ));
                }
            }
            if let Some(u) = &self.use_ {
                let allowed: &[&str] = match u.as_str() {
                    "sig" => &["sign", "verify"],
                    "enc" => &[
                        "encrypt",
                        "decrypt",
                        "wrapKey",
                        "unwrapKey",
                        "deriveKey",
                        "deriveBits",
                    ],
                    _ => &[],
                };
                if !allowed.is_empty() && ops.iter().any(|o| !allowed.contains(&o.as_str())) {
                    return Err(Error::key(format!(
                        "use \"{u}\" and key_ops {ops:?} contradict each other"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Fails unless `use` and `key_ops` allow `op`.
    pub(crate) fn check_operation(&self, op: Operation) -> Result<()> {
        if let Some(u) = &self.use_ {
            if u != op.use_value() {
                return Err(Error::key(format!(
                    "the key's use is \"{}\", not \"{}\"",
                    u.escape_debug(),
                    op.use_value()
                )));
            }
        }
        if let Some(ops) = &self.key_ops {
            if !ops.iter().any(|o| op.key_ops().contains(&o.as_str())) {
                return Err(Error::key(format!(
                    "the key's key_ops {ops:?} do not allow {}",
                    op.key_ops()[0] // every operation lists at least one name
                )));
            }
        }
        Ok(())
    }

    /// The key-type-specific members.
    pub fn params(&self) -> &KeyParams {
        &self.params
    }
    /// `kty`.
    pub fn kty(&self) -> &'static str {
        match self.params {
            KeyParams::Ec { .. } => "EC",
            KeyParams::Rsa { .. } => "RSA",
            KeyParams::Oct { .. } => "oct",
            KeyParams::Okp { .. } => "OKP",
        }
    }
    /// `crv`, for EC and OKP keys.
    pub fn crv(&self) -> Option<&str> {
        match &self.params {
            KeyParams::Ec { crv, .. } | KeyParams::Okp { crv, .. } => Some(crv),
            KeyParams::Rsa { .. } | KeyParams::Oct { .. } => None,
        }
    }
    /// `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    /// `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }
    /// Whether the key's type and curve are the ones the JWS or JWE algorithm `alg` is
    /// registered for (a `dir` key may name its content encryption); `None` for a name
    /// josecraft does not know. This is the registry's answer, not whether josecraft can
    /// use the key: an Ed448 key fits `EdDSA` and an RSA key fits `RSA1_5`, though josecraft
    /// implements neither.
    ///
    /// ```
    /// use josecraft::jwk::{Jwk, KeySpec};
    ///
    /// let key = Jwk::generate(KeySpec::P256)?;
    /// assert_eq!(key.fits_algorithm("ES256"), Some(true));
    /// assert_eq!(key.fits_algorithm("ECDH-ES+A128KW"), Some(true));
    /// assert_eq!(key.fits_algorithm("RS256"), Some(false));
    /// assert_eq!(key.fits_algorithm("XX1"), None);
    ///
    /// let secret = Jwk::generate(KeySpec::Oct { len: 32 })?;
    /// assert_eq!(secret.fits_algorithm("RSA1_5"), Some(false));
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    pub fn fits_algorithm(&self, alg: &str) -> Option<bool> {
        crate::alg::registered_fit(alg, self.kty(), self.crv())
    }
    /// `use`.
    pub fn key_use(&self) -> Option<&str> {
        self.use_.as_deref()
    }
    /// `key_ops`.
    pub fn key_ops(&self) -> Option<&[String]> {
        self.key_ops.as_deref()
    }
    /// `x5u`.
    pub fn x5u(&self) -> Option<&str> {
        self.x5u.as_deref()
    }
    /// `x5c`.
    pub fn x5c(&self) -> Option<&[String]> {
        self.x5c.as_deref()
    }
    /// `x5t`.
    pub fn x5t(&self) -> Option<&str> {
        self.x5t.as_deref()
    }
    /// `x5t#S256`.
    pub fn x5t_s256(&self) -> Option<&str> {
        self.x5t_s256.as_deref()
    }
    /// Members this crate does not interpret, in document order, as JSON text.
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &str)> {
        self.extra.iter().map(|(k, v)| (k.as_str(), v.get()))
    }
    /// Whether the JWK holds private or secret key material.
    pub fn is_private(&self) -> bool {
        match &self.params {
            KeyParams::Ec { d, .. } | KeyParams::Okp { d, .. } => d.is_some(),
            KeyParams::Rsa { private, .. } => private.is_some(),
            KeyParams::Oct { .. } => true,
        }
    }

    /// Sets `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
    /// Sets `alg`.
    pub fn with_alg(mut self, alg: impl Into<String>) -> Self {
        self.alg = Some(alg.into());
        self
    }
    /// Sets `use`.
    pub fn with_use(mut self, key_use: impl Into<String>) -> Self {
        self.use_ = Some(key_use.into());
        self
    }
    /// Sets `key_ops`.
    pub fn with_key_ops<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ops: I) -> Self {
        self.key_ops = Some(ops.into_iter().map(Into::into).collect());
        self
    }

    /// The JWK as compact JSON, private members included if it has them.
    pub fn to_json(&self) -> String {
        let mut w = json::ObjectWriter::new();
        self.members(&mut w);
        w.finish()
    }

    /// Checks the key material itself, as using the key would: a point on its curve, an RSA
    /// key of a supported size with consistent private members, a private key that matches
    /// its public members, a non-empty `oct` secret. Parsing a JWK checks its JSON and
    /// members; this builds the key. What only an algorithm decides comes when the key is
    /// bound to one ([`to_signing_key`](Self::to_signing_key), ...): an RSA private key of
    /// 8192 bits validates (it can decrypt RSA-OAEP) but cannot sign (at most 4096 bits).
    ///
    /// ```
    /// use josecraft::jwk::Jwk;
    ///
    /// let off_curve = Jwk::from_json(br#"{"kty":"EC","crv":"P-256",
    ///   "x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ///   "y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"}"#)?;
    /// assert!(off_curve.validate().is_err());
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::KeyRejected`] or [`Error::Unsupported`] saying what is wrong.
    pub fn validate(&self) -> Result<()> {
        match &self.params {
            KeyParams::Oct { k } if k.is_empty() => {
                Err(Error::key("an oct key with an empty \"k\""))
            }
            KeyParams::Oct { .. } => Ok(()),
            KeyParams::Rsa { .. } | KeyParams::Ec { .. } | KeyParams::Okp { .. }
                if self.is_private() =>
            {
                crate::crypto::PrivateKey::from_material(&self.private_material()?).map(|_| ())
            }
            KeyParams::Rsa { .. } | KeyParams::Ec { .. } | KeyParams::Okp { .. } => {
                crate::crypto::PublicKey::from_material(&self.public_material()?).map(|_| ())
            }
        }
    }

    pub(crate) fn public_material(&self) -> Result<PublicKeyMaterial> {
        match &self.params {
            KeyParams::Rsa { n, e, .. } => Ok(PublicKeyMaterial::Rsa {
                n: n.clone(),
                e: e.clone(),
            }),
            KeyParams::Ec { crv, x, y, .. } => {
                let curve = ec_curve(crv)?;
                let len = curve.field_len();
                if x.len() != len || y.len() != len {
                    return Err(Error::key(format!(
                        "{crv} coordinates must be {len} bytes each"
                    )));
                }
                let mut point = Vec::with_capacity(1 + 2 * len);
                point.push(4);
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                Ok(PublicKeyMaterial::Ec { curve, point })
            }
            KeyParams::Okp { crv, x, .. } => match okp_curve(crv)? {
                OkpCurve::Ed25519 => Ok(PublicKeyMaterial::Ed25519(x.clone())),
                OkpCurve::X25519 => Ok(PublicKeyMaterial::X25519(x.clone())),
            },
            KeyParams::Oct { .. } => Err(Error::key(
                "an oct key is a shared secret; use it as an HmacKey",
            )),
        }
    }

    pub(crate) fn private_material(&self) -> Result<PrivateKeyMaterial> {
        let public_only = || Error::key("this JWK is a public key; signing needs the private key");
        match &self.params {
            KeyParams::Rsa { n, e, private } => {
                let private = private.as_ref().ok_or_else(public_only)?;
                if private.has_other_primes {
                    return Err(Error::unsupported("multi-prime rsa keys (\"oth\")"));
                }
                let Some(crt) = private.crt.as_ref() else {
                    // RFC 7518 §6.3.2: the CRT members may be omitted; recover them.
                    let parts = crate::crypto::rsa::recover_crt(n, e, private.d.expose())?;
                    return Ok(PrivateKeyMaterial::Rsa(parts));
                };
                Ok(PrivateKeyMaterial::Rsa(RsaPrivateParts {
                    n: n.clone(),
                    e: e.clone(),
                    d: private.d.expose().to_vec(),
                    p: crt.p.expose().to_vec(),
                    q: crt.q.expose().to_vec(),
                    dp: crt.dp.expose().to_vec(),
                    dq: crt.dq.expose().to_vec(),
                    qi: crt.qi.expose().to_vec(),
                }))
            }
            KeyParams::Ec { crv, d, .. } => {
                let d = d.as_ref().ok_or_else(public_only)?;
                let PublicKeyMaterial::Ec { curve, point } = self.public_material()? else {
                    return Err(Error::key("not an EC key"));
                };
                if d.len() != curve.field_len() {
                    return Err(Error::key(format!(
                        "{crv} private key must be {} bytes",
                        curve.field_len()
                    )));
                }
                Ok(PrivateKeyMaterial::Ec {
                    curve,
                    d: Zeroizing::new(d.expose().to_vec()),
                    public: Some(point),
                })
            }
            KeyParams::Okp { crv, x, d } => {
                let d = d.as_ref().ok_or_else(public_only)?;
                match okp_curve(crv)? {
                    OkpCurve::Ed25519 => Ok(PrivateKeyMaterial::Ed25519 {
                        seed: Zeroizing::new(d.expose().to_vec()),
                        public: Some(x.clone()),
                    }),
                    OkpCurve::X25519 => Ok(PrivateKeyMaterial::X25519 {
                        d: Zeroizing::new(d.expose().to_vec()),
                        public: Some(x.clone()),
                    }),
                }
            }
            KeyParams::Oct { .. } => Err(Error::key(
                "an oct key is a shared secret; use it as an HmacKey",
            )),
        }
    }
}

fn okp_curve(crv: &str) -> Result<OkpCurve> {
    OkpCurve::from_name(crv)
        .ok_or_else(|| Error::unsupported(format!("OKP curve \"{}\"", crv.escape_debug())))
}

fn ec_curve(crv: &str) -> Result<Curve> {
    Curve::from_name(crv)
        .ok_or_else(|| Error::unsupported(format!("EC curve \"{}\"", crv.escape_debug())))
}

/// Key members collected while parsing, before `kty` decides what they mean.
#[derive(Default)]
struct Params {
    crv: Option<String>,
    values: Vec<(String, Vec<u8>)>,
    oth: bool,
}

impl Params {
    fn set(&mut self, name: &str, value: Vec<u8>) {
        self.values.push((name.to_string(), value));
    }

    fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        let i = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.swap_remove(i).1)
    }

    fn required(&mut self, name: &str, kty: &str) -> Result<Vec<u8>> {
        self.take(name)
            .ok_or_else(|| Error::malformed(Part::Jwk, format!("{kty} key without \"{name}\"")))
    }

    fn crv(&mut self, kty: &str) -> Result<String> {
        self.crv
            .take()
            .ok_or_else(|| Error::malformed(Part::Jwk, format!("{kty} key without \"crv\"")))
    }

    fn finish(mut self, kty: &str) -> Result<KeyParams> {
        Ok(match kty {
            "EC" => KeyParams::Ec {
                crv: self.crv(kty)?,
                x: self.required("x", kty)?,
                y: self.required("y", kty)?,
                d: self.take("d").map(SecretBytes::new),
            },
            "OKP" => KeyParams::Okp {
                crv: self.crv(kty)?,
                x: self.required("x", kty)?,
                d: self.take("d").map(SecretBytes::new),
            },
            "RSA" => {
                let n = self.required("n", kty)?;
                let e = self.required("e", kty)?;
                let d = self.take("d");
                let mut crt = ["p", "q", "dp", "dq", "qi"].map(|m| self.take(m));
                let private = match d {
                    None if crt.iter().any(Option::is_some) || self.oth => {
                        return Err(Error::malformed(
                            Part::Jwk,
                            "RSA key with private members but no \"d\"",
                        ))
                    }
                    None => None,
                    Some(d) => {
                        let crt = if crt.iter().all(Option::is_none) {
                            None
                        } else if crt.iter().all(Option::is_some) {
                            let mut next = || {
                                SecretBytes::new(
                                    crt.iter_mut().find_map(Option::take).unwrap_or_default(),
                                )
                            };
                            Some(RsaCrt {
                                p: next(),
                                q: next(),
                                dp: next(),
                                dq: next(),
                                qi: next(),
                            })
                        } else {
                            return Err(Error::malformed(
                                Part::Jwk,
                                "RSA private key with some but not all of p, q, dp, dq, qi",
                            ));
                        };
                        Some(Box::new(RsaPrivateMembers {
                            d: SecretBytes::new(d),
                            crt,
                            has_other_primes: self.oth,
                        }))
                    }
                };
                KeyParams::Rsa { n, e, private }
            }
            _ => KeyParams::Oct {
                k: SecretBytes::new(self.required("k", kty)?),
            },
        })
    }
}

impl Jwk {
    /// Every member, in the order josecraft writes them: `kty`, the key members, then the
    /// metadata, then the members it does not interpret.
    pub(crate) fn members(&self, m: &mut dyn json::MemberSink) {
        let b = |m: &mut dyn json::MemberSink, name: &str, v: &[u8]| {
            m.str(name, &base64url::encode(v));
        };
        m.str("kty", self.kty());
        match &self.params {
            KeyParams::Ec { crv, x, y, d } => {
                m.str("crv", crv);
                b(m, "x", x);
                b(m, "y", y);
                if let Some(d) = d {
                    b(m, "d", d.expose());
                }
            }
            KeyParams::Rsa { n, e, private } => {
                b(m, "n", n);
                b(m, "e", e);
                if let Some(p) = private {
                    b(m, "d", p.d.expose());
                    if let Some(c) = &p.crt {
                        b(m, "p", c.p.expose());
                        b(m, "q", c.q.expose());
                        b(m, "dp", c.dp.expose());
                        b(m, "dq", c.dq.expose());
                        b(m, "qi", c.qi.expose());
                    }
                }
            }
            KeyParams::Oct { k } => b(m, "k", k.expose()),
            KeyParams::Okp { crv, x, d } => {
                m.str("crv", crv);
                b(m, "x", x);
                if let Some(d) = d {
                    b(m, "d", d.expose());
                }
            }
        }
        let opt = json::opt_str;
        opt(m, "kid", self.kid.as_deref());
        opt(m, "alg", self.alg.as_deref());
        opt(m, "use", self.use_.as_deref());
        if let Some(v) = &self.key_ops {
            m.strs("key_ops", v);
        }
        opt(m, "x5u", self.x5u.as_deref());
        if let Some(v) = &self.x5c {
            m.strs("x5c", v);
        }
        opt(m, "x5t", self.x5t.as_deref());
        opt(m, "x5t#S256", self.x5t_s256.as_deref());
        for (k, v) in &self.extra {
            m.raw(k, v);
        }
    }
}

impl Serialize for Jwk {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        json::serialize_members(s, |m| self.members(m))
    }
}

/// As strict as [`Jwk::from_json`] (default [`Limits`]): duplicate members at any depth,
/// wrong member types, bad base64url and unknown key types are errors. The key is read
/// through a JSON value, so it needs a self-describing format (JSON, YAML, CBOR, ...; not
/// bincode), and members josecraft does not interpret come back in sorted order.
impl<'de> serde::Deserialize<'de> for Jwk {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::deserialize_strict(d, Jwk::from_json)
    }
}
