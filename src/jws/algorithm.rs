//! JWS algorithm names (RFC 7518 §3.1, RFC 8037 §3.1, RFC 8812 §3.2, RFC 9864).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::crypto::digest::Sha;
use crate::error::Error;

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
pub enum JwsAlgorithm {
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

/// What kind of key and primitive an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Hmac(Sha),
    RsaPkcs1(Sha),
    RsaPss(Sha),
    Ecdsa(EcdsaCurve),
    Ed25519,
}

/// The curve an ECDSA algorithm is defined on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcdsaCurve {
    P256,
    P384,
    P521,
    Secp256k1,
}

impl JwsAlgorithm {
    /// Every algorithm josecraft implements.
    pub const ALL: [JwsAlgorithm; 15] = [
        Self::Hs256,
        Self::Hs384,
        Self::Hs512,
        Self::Rs256,
        Self::Rs384,
        Self::Rs512,
        Self::Ps256,
        Self::Ps384,
        Self::Ps512,
        Self::Es256,
        Self::Es384,
        Self::Es512,
        Self::Es256k,
        Self::EdDsa,
        Self::Ed25519,
    ];

    /// The registered name, as it appears in `alg`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Hs256 => "HS256",
            Self::Hs384 => "HS384",
            Self::Hs512 => "HS512",
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Es512 => "ES512",
            Self::Es256k => "ES256K",
            Self::EdDsa => "EdDSA",
            Self::Ed25519 => "Ed25519",
        }
    }

    /// The algorithm with this exact (case-sensitive) name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether a token whose `alg` is `name` may be verified with a key bound to `self`:
    /// the same algorithm, or the other name of the same one (`EdDSA` and `Ed25519`).
    pub fn accepts(self, name: &str) -> bool {
        self.name() == name || self.alias().is_some_and(|a| a.name() == name)
    }

    /// The other name of the same algorithm, if it has one.
    pub(crate) const fn alias(self) -> Option<Self> {
        match self {
            Self::EdDsa => Some(Self::Ed25519),
            Self::Ed25519 => Some(Self::EdDsa),
            _ => None,
        }
    }

    /// One name per algorithm binding, for indexing keys (`Ed25519` maps to `EdDSA`).
    pub(crate) const fn canonical(self) -> Self {
        match self {
            Self::Ed25519 => Self::EdDsa,
            a => a,
        }
    }

    /// Whether this is an HMAC algorithm (a symmetric key).
    pub const fn is_symmetric(self) -> bool {
        matches!(self, Self::Hs256 | Self::Hs384 | Self::Hs512)
    }

    /// The signature length in bytes, for algorithms where it is fixed.
    pub const fn signature_len(self) -> Option<usize> {
        match self {
            Self::Hs256 => Some(32),
            Self::Hs384 => Some(48),
            Self::Hs512 | Self::Es256 | Self::Es256k | Self::EdDsa | Self::Ed25519 => Some(64),
            Self::Es384 => Some(96),
            Self::Es512 => Some(132),
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => {
                None
            }
        }
    }

    pub(crate) const fn family(self) -> Family {
        match self {
            Self::Hs256 => Family::Hmac(Sha::Sha256),
            Self::Hs384 => Family::Hmac(Sha::Sha384),
            Self::Hs512 => Family::Hmac(Sha::Sha512),
            Self::Rs256 => Family::RsaPkcs1(Sha::Sha256),
            Self::Rs384 => Family::RsaPkcs1(Sha::Sha384),
            Self::Rs512 => Family::RsaPkcs1(Sha::Sha512),
            Self::Ps256 => Family::RsaPss(Sha::Sha256),
            Self::Ps384 => Family::RsaPss(Sha::Sha384),
            Self::Ps512 => Family::RsaPss(Sha::Sha512),
            Self::Es256 => Family::Ecdsa(EcdsaCurve::P256),
            Self::Es384 => Family::Ecdsa(EcdsaCurve::P384),
            Self::Es512 => Family::Ecdsa(EcdsaCurve::P521),
            Self::Es256k => Family::Ecdsa(EcdsaCurve::Secp256k1),
            Self::EdDsa | Self::Ed25519 => Family::Ed25519,
        }
    }
}

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
        assert_eq!(JwsAlgorithm::Ed25519.canonical(), JwsAlgorithm::EdDsa);
    }

    #[test]
    fn fixed_signature_lengths() {
        assert_eq!(JwsAlgorithm::Hs256.signature_len(), Some(32));
        assert_eq!(JwsAlgorithm::Es256.signature_len(), Some(64));
        assert_eq!(JwsAlgorithm::Es512.signature_len(), Some(132));
        assert_eq!(JwsAlgorithm::Ed25519.signature_len(), Some(64));
        assert_eq!(JwsAlgorithm::Ps256.signature_len(), None);
    }
}
