//! JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1, RFC 8812 §3.2, RFC 9864): the wire-name
//! enum, its family enums and one descriptor per algorithm.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{family, wire_enum, KeyKind};
use crate::crypto::digest::Sha;
use crate::crypto::ec::Curve;
use crate::crypto::rsa::{MAX_VERIFY_BITS, MIN_BITS};
use crate::error::Error;

wire_enum! {
    /// A JWS signature or MAC algorithm. `none` is deliberately not one: unsecured JWS lives
    /// only in [`dangerous`](crate::dangerous).
    ///
    /// ```
    /// use josecraft::JwsAlgorithm;
    ///
    /// let alg: JwsAlgorithm = "ES256".parse()?;
    /// assert_eq!(alg, JwsAlgorithm::Es256);
    /// assert_eq!(alg.name(), "ES256");
    /// assert!("none".parse::<JwsAlgorithm>().is_err());
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum JwsAlgorithm ("algorithm") {
        /// HMAC with SHA-256.
        Hs256,
        /// HMAC with SHA-384.
        Hs384,
        /// HMAC with SHA-512.
        Hs512,
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        Rs256,
        /// RSASSA-PKCS1-v1_5 with SHA-384.
        Rs384,
        /// RSASSA-PKCS1-v1_5 with SHA-512.
        Rs512,
        /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256.
        Ps256,
        /// RSASSA-PSS with SHA-384 and MGF1 with SHA-384.
        Ps384,
        /// RSASSA-PSS with SHA-512 and MGF1 with SHA-512.
        Ps512,
        /// ECDSA on P-256 with SHA-256.
        Es256,
        /// ECDSA on P-384 with SHA-384.
        Es384,
        /// ECDSA on P-521 with SHA-512.
        Es512,
        /// ECDSA on secp256k1 with SHA-256 (RFC 8812).
        Es256k,
        /// EdDSA (RFC 8037); josecraft implements it with Ed25519.
        EdDsa,
        /// Ed25519, the fully specified name of RFC 9864. A key bound to either `EdDSA` or
        /// `Ed25519` accepts both names.
        Ed25519,
    }
}

/// Everything josecraft knows about one JWS algorithm.
#[derive(Debug)]
pub(crate) struct JwsDescriptor {
    /// The registered name.
    pub(crate) name: &'static str,
    /// The algorithm keys bound to this one are indexed under: names of one algorithm
    /// (`EdDSA` and `Ed25519`) share a binding, and a key bound to either accepts both.
    pub(crate) binding: JwsAlgorithm,
    /// The key it needs.
    pub(crate) key: KeyKind,
    /// The length of its signatures.
    pub(crate) signature: SignatureLen,
    /// The hash of OpenID Connect's `at_hash`/`c_hash` (Core §3.1.3.6): the one of the
    /// algorithm's own hash function, SHA-512 for Ed25519.
    pub(crate) oidc_hash: Sha,
    /// The operation that signs and verifies.
    pub(crate) op: SignatureOp,
}

/// How long a signature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureLen {
    /// Always this many bytes.
    Fixed(usize),
    /// The RSA modulus length: 2048 to 8192 bits.
    RsaModulus,
}

impl SignatureLen {
    /// Whether a signature of `len` bytes can be one of these.
    pub(crate) fn allows(self, len: usize) -> bool {
        match self {
            Self::Fixed(n) => len == n,
            Self::RsaModulus => (MIN_BITS / 8..=MAX_VERIFY_BITS / 8).contains(&len),
        }
    }
}

/// The crypto operation behind a JWS algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureOp {
    Hmac(Sha),
    RsaPkcs1(Sha),
    RsaPss(Sha),
    /// ECDSA on the curve with its standard hash, fixed-length `r ‖ s`.
    Ecdsa(Curve),
    Ed25519,
}

macro_rules! jws_descriptor {
    ($name:literal, $binding:ident, $key:expr, $sig:expr, $oidc:ident, $op:expr) => {
        JwsDescriptor {
            name: $name,
            binding: JwsAlgorithm::$binding,
            key: $key,
            signature: $sig,
            oidc_hash: Sha::$oidc,
            op: $op,
        }
    };
}

use KeyKind::{Ec, Rsa, Secret};
use SignatureLen::{Fixed, RsaModulus};
use SignatureOp::{Ecdsa, Hmac, RsaPkcs1, RsaPss};

/// An HMAC algorithm's row, all from its hash: a secret at least as long as the hash
/// output (RFC 7518 §3.2) and a tag of that length.
const fn hmac(name: &'static str, alg: HmacAlgorithm) -> JwsDescriptor {
    let sha = alg.sha();
    JwsDescriptor {
        name,
        binding: alg.algorithm(),
        key: Secret {
            min: sha.output_len(),
        },
        signature: Fixed(sha.output_len()),
        oidc_hash: sha,
        op: Hmac(sha),
    }
}

const HS256: JwsDescriptor = hmac("HS256", HmacAlgorithm::Hs256);
const HS384: JwsDescriptor = hmac("HS384", HmacAlgorithm::Hs384);
const HS512: JwsDescriptor = hmac("HS512", HmacAlgorithm::Hs512);
const RS256: JwsDescriptor = jws_descriptor!(
    "RS256",
    Rs256,
    Rsa,
    RsaModulus,
    Sha256,
    RsaPkcs1(Sha::Sha256)
);
const RS384: JwsDescriptor = jws_descriptor!(
    "RS384",
    Rs384,
    Rsa,
    RsaModulus,
    Sha384,
    RsaPkcs1(Sha::Sha384)
);
const RS512: JwsDescriptor = jws_descriptor!(
    "RS512",
    Rs512,
    Rsa,
    RsaModulus,
    Sha512,
    RsaPkcs1(Sha::Sha512)
);
const PS256: JwsDescriptor =
    jws_descriptor!("PS256", Ps256, Rsa, RsaModulus, Sha256, RsaPss(Sha::Sha256));
const PS384: JwsDescriptor =
    jws_descriptor!("PS384", Ps384, Rsa, RsaModulus, Sha384, RsaPss(Sha::Sha384));
const PS512: JwsDescriptor =
    jws_descriptor!("PS512", Ps512, Rsa, RsaModulus, Sha512, RsaPss(Sha::Sha512));
const ES256: JwsDescriptor = jws_descriptor!(
    "ES256",
    Es256,
    Ec(Curve::P256),
    Fixed(64),
    Sha256,
    Ecdsa(Curve::P256)
);
const ES384: JwsDescriptor = jws_descriptor!(
    "ES384",
    Es384,
    Ec(Curve::P384),
    Fixed(96),
    Sha384,
    Ecdsa(Curve::P384)
);
const ES512: JwsDescriptor = jws_descriptor!(
    "ES512",
    Es512,
    Ec(Curve::P521),
    Fixed(132),
    Sha512,
    Ecdsa(Curve::P521)
);
const ES256K: JwsDescriptor = jws_descriptor!(
    "ES256K",
    Es256k,
    Ec(Curve::Secp256k1),
    Fixed(64),
    Sha256,
    Ecdsa(Curve::Secp256k1)
);
const EDDSA: JwsDescriptor = jws_descriptor!(
    "EdDSA",
    EdDsa,
    KeyKind::Ed25519,
    Fixed(64),
    Sha512,
    SignatureOp::Ed25519
);
const ED25519: JwsDescriptor = jws_descriptor!(
    "Ed25519",
    EdDsa,
    KeyKind::Ed25519,
    Fixed(64),
    Sha512,
    SignatureOp::Ed25519
);

impl JwsAlgorithm {
    /// Everything josecraft knows about this algorithm.
    pub(crate) const fn descriptor(self) -> &'static JwsDescriptor {
        match self {
            Self::Hs256 => &HS256,
            Self::Hs384 => &HS384,
            Self::Hs512 => &HS512,
            Self::Rs256 => &RS256,
            Self::Rs384 => &RS384,
            Self::Rs512 => &RS512,
            Self::Ps256 => &PS256,
            Self::Ps384 => &PS384,
            Self::Ps512 => &PS512,
            Self::Es256 => &ES256,
            Self::Es384 => &ES384,
            Self::Es512 => &ES512,
            Self::Es256k => &ES256K,
            Self::EdDsa => &EDDSA,
            Self::Ed25519 => &ED25519,
        }
    }

    /// The registered name, as it appears in `alg`.
    pub const fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// The algorithm with this exact (case-sensitive) name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether a token whose `alg` is `name` may be verified with a key bound to `self`:
    /// the same algorithm, or another name of the same one (`EdDSA` and `Ed25519`).
    pub fn accepts(self, name: &str) -> bool {
        self.name() == name
            || Self::from_name(name).is_some_and(|other| other.binding() == self.binding())
    }

    /// One name per algorithm binding, for indexing keys (`Ed25519` maps to `EdDSA`).
    pub(crate) const fn binding(self) -> Self {
        self.descriptor().binding
    }

    /// Whether this is an HMAC algorithm (a symmetric key).
    pub const fn is_symmetric(self) -> bool {
        self.descriptor().key.is_symmetric()
    }

    /// The signature length in bytes, for algorithms where it is fixed (not RSA).
    pub const fn signature_len(self) -> Option<usize> {
        match self.descriptor().signature {
            SignatureLen::Fixed(n) => Some(n),
            SignatureLen::RsaModulus => None,
        }
    }
}

family! {
    /// An HMAC algorithm: what an [`HmacKey`](crate::HmacKey) can be bound to.
    HmacAlgorithm of JwsAlgorithm ("an HMAC algorithm (HS256, HS384, HS512)") {
        /// HMAC with SHA-256.
        Hs256,
        /// HMAC with SHA-384.
        Hs384,
        /// HMAC with SHA-512.
        Hs512,
    }
}

impl HmacAlgorithm {
    /// The hash, from which the rest of the algorithm's row follows.
    pub(crate) const fn sha(self) -> Sha {
        match self {
            Self::Hs256 => Sha::Sha256,
            Self::Hs384 => Sha::Sha384,
            Self::Hs512 => Sha::Sha512,
        }
    }

    /// The shortest secret the algorithm accepts, and the length of a generated one.
    pub(crate) const fn min_secret_len(self) -> usize {
        self.sha().output_len()
    }
}

family! {
    /// A signature algorithm with a public/private key pair: what a
    /// [`SigningKey`](crate::SigningKey) or [`VerifyingKey`](crate::VerifyingKey) can be
    /// bound to. [`RsaAlgorithm`], [`EcdsaAlgorithm`] and [`EdDsaAlgorithm`] convert into
    /// it.
    SignatureAlgorithm of JwsAlgorithm ("a signature algorithm with a key pair (not HMAC)") {
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        Rs256,
        /// RSASSA-PKCS1-v1_5 with SHA-384.
        Rs384,
        /// RSASSA-PKCS1-v1_5 with SHA-512.
        Rs512,
        /// RSASSA-PSS with SHA-256.
        Ps256,
        /// RSASSA-PSS with SHA-384.
        Ps384,
        /// RSASSA-PSS with SHA-512.
        Ps512,
        /// ECDSA on P-256 with SHA-256.
        Es256,
        /// ECDSA on P-384 with SHA-384.
        Es384,
        /// ECDSA on P-521 with SHA-512.
        Es512,
        /// ECDSA on secp256k1 with SHA-256.
        Es256k,
        /// EdDSA with Ed25519.
        EdDsa,
        /// Ed25519 (RFC 9864).
        Ed25519,
    }
}

family! {
    /// An RSA signature algorithm (RS*, PS*): what RSA-only key constructors take.
    RsaAlgorithm of JwsAlgorithm ("an RSA signature algorithm (RS*, PS*)") {
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        Rs256,
        /// RSASSA-PKCS1-v1_5 with SHA-384.
        Rs384,
        /// RSASSA-PKCS1-v1_5 with SHA-512.
        Rs512,
        /// RSASSA-PSS with SHA-256.
        Ps256,
        /// RSASSA-PSS with SHA-384.
        Ps384,
        /// RSASSA-PSS with SHA-512.
        Ps512,
    }
}

family! {
    /// An ECDSA algorithm: what EC-only key constructors take. Each names its curve.
    EcdsaAlgorithm of JwsAlgorithm ("an ECDSA algorithm (ES256, ES384, ES512, ES256K)") {
        /// ECDSA on P-256 with SHA-256.
        Es256,
        /// ECDSA on P-384 with SHA-384.
        Es384,
        /// ECDSA on P-521 with SHA-512.
        Es512,
        /// ECDSA on secp256k1 with SHA-256.
        Es256k,
    }
}

family! {
    /// An EdDSA algorithm name: what Ed25519-only key constructors take.
    EdDsaAlgorithm of JwsAlgorithm ("an EdDSA algorithm (EdDSA, Ed25519)") {
        /// EdDSA (RFC 8037), with Ed25519.
        EdDsa,
        /// Ed25519 (RFC 9864).
        Ed25519,
    }
}

impl From<RsaAlgorithm> for SignatureAlgorithm {
    fn from(a: RsaAlgorithm) -> Self {
        match a {
            RsaAlgorithm::Rs256 => Self::Rs256,
            RsaAlgorithm::Rs384 => Self::Rs384,
            RsaAlgorithm::Rs512 => Self::Rs512,
            RsaAlgorithm::Ps256 => Self::Ps256,
            RsaAlgorithm::Ps384 => Self::Ps384,
            RsaAlgorithm::Ps512 => Self::Ps512,
        }
    }
}

impl From<EcdsaAlgorithm> for SignatureAlgorithm {
    fn from(a: EcdsaAlgorithm) -> Self {
        match a {
            EcdsaAlgorithm::Es256 => Self::Es256,
            EcdsaAlgorithm::Es384 => Self::Es384,
            EcdsaAlgorithm::Es512 => Self::Es512,
            EcdsaAlgorithm::Es256k => Self::Es256k,
        }
    }
}

impl From<EdDsaAlgorithm> for SignatureAlgorithm {
    fn from(a: EdDsaAlgorithm) -> Self {
        match a {
            EdDsaAlgorithm::EdDsa => Self::EdDsa,
            EdDsaAlgorithm::Ed25519 => Self::Ed25519,
        }
    }
}

/// Narrows a signature algorithm to its family.
macro_rules! narrow {
    ($($family:ident),*) => {$(
        impl TryFrom<SignatureAlgorithm> for $family {
            type Error = Error;
            /// # Errors
            /// [`Error::KeyRejected`] for an algorithm of another family.
            fn try_from(a: SignatureAlgorithm) -> Result<Self, Error> {
                Self::try_from(a.algorithm())
            }
        }
    )*};
}
narrow!(RsaAlgorithm, EcdsaAlgorithm, EdDsaAlgorithm);

impl fmt::Display for JwsAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for JwsAlgorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_name(s)
            .ok_or_else(|| Error::unsupported(format!("jws algorithm \"{}\"", s.escape_debug())))
    }
}

impl Serialize for JwsAlgorithm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for JwsAlgorithm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown jws algorithm \"{}\"",
                name.escape_debug()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for alg in JwsAlgorithm::ALL {
            assert_eq!(JwsAlgorithm::from_name(alg.name()), Some(alg));
            assert_eq!(alg.name().parse::<JwsAlgorithm>().unwrap(), alg);
        }
        for bad in [
            "hs256", "none", "None", "NONE", "nOnE", "", "HS256 ", "RSA1_5", "ES521",
        ] {
            assert_eq!(JwsAlgorithm::from_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn eddsa_and_ed25519_are_one_binding() {
        assert!(JwsAlgorithm::EdDsa.accepts("Ed25519"));
        assert!(JwsAlgorithm::Ed25519.accepts("EdDSA"));
        assert!(!JwsAlgorithm::EdDsa.accepts("ES256"));
        assert!(!JwsAlgorithm::Hs256.accepts("HS384"));
        assert_eq!(JwsAlgorithm::Ed25519.binding(), JwsAlgorithm::EdDsa);
        // Every other algorithm is its own binding.
        for alg in JwsAlgorithm::ALL {
            let sharing: Vec<_> = JwsAlgorithm::ALL
                .into_iter()
                .filter(|o| o.binding() == alg.binding())
                .collect();
            let expected = if alg.binding() == JwsAlgorithm::EdDsa {
                2
            } else {
                1
            };
            assert_eq!(sharing.len(), expected, "{alg}");
        }
    }

    #[test]
    fn fixed_signature_lengths() {
        assert_eq!(JwsAlgorithm::Hs256.signature_len(), Some(32));
        assert_eq!(JwsAlgorithm::Es256.signature_len(), Some(64));
        assert_eq!(JwsAlgorithm::Es512.signature_len(), Some(132));
        assert_eq!(JwsAlgorithm::Ed25519.signature_len(), Some(64));
        assert_eq!(JwsAlgorithm::Ps256.signature_len(), None);
    }

    /// The descriptors agree with themselves: the name, the key kind and the operation of
    /// each algorithm describe one algorithm, and every algorithm is in exactly one family
    /// of key constructors (and the family that fits its operation).
    #[test]
    fn descriptors_are_consistent() {
        for alg in JwsAlgorithm::ALL {
            let d = alg.descriptor();
            assert_eq!(d.name, alg.name());
            let consistent = match d.op {
                SignatureOp::Hmac(sha) => {
                    d.key
                        == KeyKind::Secret {
                            min: sha.output_len(),
                        }
                        && d.signature == Fixed(sha.output_len())
                        && d.oidc_hash == sha
                }
                SignatureOp::RsaPkcs1(sha) | SignatureOp::RsaPss(sha) => {
                    d.key == KeyKind::Rsa && d.signature == RsaModulus && d.oidc_hash == sha
                }
                SignatureOp::Ecdsa(c) => {
                    d.key == KeyKind::Ec(c) && d.signature == Fixed(2 * c.field_len())
                }
                SignatureOp::Ed25519 => {
                    d.key == KeyKind::Ed25519
                        && d.signature == Fixed(64)
                        && d.oidc_hash == Sha::Sha512
                }
            };
            assert!(consistent, "{alg}: {d:?}");
            let families = [
                HmacAlgorithm::try_from(alg).is_ok(),
                RsaAlgorithm::try_from(alg).is_ok(),
                EcdsaAlgorithm::try_from(alg).is_ok(),
                EdDsaAlgorithm::try_from(alg).is_ok(),
            ];
            assert_eq!(families.iter().filter(|f| **f).count(), 1, "{alg}");
            let family_fits = match d.op {
                SignatureOp::Hmac(_) => families[0],
                SignatureOp::RsaPkcs1(_) | SignatureOp::RsaPss(_) => families[1],
                SignatureOp::Ecdsa(c) => families[2] && d.key.ec_curve() == Some(c),
                SignatureOp::Ed25519 => families[3],
            };
            assert!(family_fits, "{alg}");
            assert_eq!(
                SignatureAlgorithm::try_from(alg).is_ok(),
                !families[0],
                "{alg}"
            );
            assert_eq!(alg.is_symmetric(), families[0], "{alg}");
        }
    }

    #[test]
    fn family_conversions() {
        assert_eq!(
            JwsAlgorithm::from(HmacAlgorithm::Hs384),
            JwsAlgorithm::Hs384
        );
        assert_eq!(
            SignatureAlgorithm::from(EcdsaAlgorithm::Es256k),
            SignatureAlgorithm::Es256k
        );
        assert!(matches!(
            HmacAlgorithm::try_from(JwsAlgorithm::Es256),
            Err(Error::KeyRejected(m)) if m == "ES256 is not an HMAC algorithm (HS256, HS384, HS512)"
        ));
        assert_eq!(
            "PS384".parse::<RsaAlgorithm>().unwrap(),
            RsaAlgorithm::Ps384
        );
        assert!("HS256".parse::<SignatureAlgorithm>().is_err());
        assert_eq!(EdDsaAlgorithm::Ed25519.to_string(), "Ed25519");
    }
}
