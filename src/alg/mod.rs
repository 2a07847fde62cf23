//! Every per-algorithm fact, in one place.
//!
//! Each JWS algorithm, JWE key-management algorithm and JWE content encryption has one
//! `&'static` descriptor here: its wire name and the names it also answers to, the kind
//! of key it needs (and so its JWK `kty`/`crv` and its DER form), its signature length
//! rule, its OpenID Connect hash, how it obtains or uses a content encryption key, and the
//! crypto operation behind it. Every other module asks the descriptor instead of keeping a
//! table of its own, and every match over algorithms or key kinds is exhaustive, so adding
//! an algorithm is a compile error everywhere it matters (docs/ARCHITECTURE.md has the
//! checklist).
//!
//! The public enums ([`JwsAlgorithm`], [`KeyManagementAlgorithm`], [`ContentEncryption`])
//! are thin, `Copy`, serde-friendly views of the descriptors. Family enums
//! ([`HmacAlgorithm`], [`RsaAlgorithm`], [`EcdsaAlgorithm`], [`EdDsaAlgorithm`],
//! [`SignatureAlgorithm`], [`SymmetricKeyManagement`], [`AsymmetricKeyManagement`],
//! [`EcdhAlgorithm`]) let key
//! constructors say at compile time which algorithms they can be bound to:
//! `HmacKey::new(EcdsaAlgorithm::Es256, ..)` does not compile.
//!
//! The set is closed, as in ring: a [`Signer`](crate::jws::Signer) cannot bring an
//! algorithm josecraft has no descriptor for, because signature lengths, key kinds and
//! OIDC hashes are checked from the descriptor.
//!
//! This module sits at the bottom of the stack: it depends only on `crypto` (for the hash
//! and curve names) and `error`.

mod jwe;
mod jws;

pub use jwe::{
    AsymmetricKeyManagement, ContentEncryption, EcdhAlgorithm, KeyManagementAlgorithm,
    SymmetricKeyManagement,
};
pub use jws::{
    EcdsaAlgorithm, EdDsaAlgorithm, HmacAlgorithm, JwsAlgorithm, RsaAlgorithm, SignatureAlgorithm,
};

pub(crate) use jwe::{ContentOp, KeyOp};
pub(crate) use jws::SignatureOp;

use crate::crypto::ec::Curve;
use crate::crypto::{OkpCurve, PublicKey};

/// The key an algorithm needs. This is the one place that maps an algorithm to JWK
/// `kty`/`crv` members and to key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// A MAC secret of at least `min` bytes (`oct`).
    Secret { min: usize },
    /// An AES key-encryption key of exactly `len` bytes (`oct`).
    KeyEncryptionKey { len: usize },
    /// A content encryption key used directly (`dir`, `oct`); its length is the content
    /// encryption's.
    DirectCek,
    /// A password of any length (`oct`), stretched by PBES2.
    Password,
    /// An RSA key.
    Rsa,
    /// An EC key on this curve.
    Ec(Curve),
    /// An Ed25519 key (`OKP`).
    Ed25519,
    /// An ECDH-ES key: EC on P-256, P-384 or P-521, or X25519 (`OKP`).
    Agreement,
}

/// The curves ECDH-ES agrees on (RFC 7518 §4.6; secp256k1 is registered for ECDSA only).
pub(crate) const AGREEMENT_CURVES: [Curve; 3] = Curve::AGREEMENT;

impl KeyKind {
    /// "a shared secret", "an EC P-256 key", ... for messages.
    pub(crate) fn describe(self) -> String {
        match self {
            Self::Secret { min } => format!("a shared secret of at least {min} bytes"),
            Self::KeyEncryptionKey { len } => format!("an AES key of {len} bytes"),
            Self::DirectCek => "a content encryption key".into(),
            Self::Password => "a password".into(),
            Self::Rsa => "an RSA key".into(),
            Self::Ec(curve) => format!("an EC {} key", curve.name()),
            Self::Ed25519 => "an Ed25519 key".into(),
            Self::Agreement => "an EC (P-256, P-384, P-521) or X25519 key".into(),
        }
    }

    /// Whether the key is a shared secret (`oct`) rather than a public/private pair.
    pub(crate) const fn is_symmetric(self) -> bool {
        match self {
            Self::Secret { .. }
            | Self::KeyEncryptionKey { .. }
            | Self::DirectCek
            | Self::Password => true,
            Self::Rsa | Self::Ec(_) | Self::Ed25519 | Self::Agreement => false,
        }
    }

    /// The curve of an EC key kind.
    pub(crate) fn ec_curve(self) -> Option<Curve> {
        match self {
            Self::Ec(curve) => Some(curve),
            Self::Secret { .. }
            | Self::KeyEncryptionKey { .. }
            | Self::DirectCek
            | Self::Password
            | Self::Rsa
            | Self::Ed25519
            | Self::Agreement => None,
        }
    }

    /// Whether `key` is such a key.
    pub(crate) fn fits(self, key: &PublicKey) -> bool {
        match self {
            Self::Secret { .. }
            | Self::KeyEncryptionKey { .. }
            | Self::DirectCek
            | Self::Password => false,
            Self::Rsa => key.as_rsa().is_some(),
            Self::Ec(curve) => key.as_ec().is_some_and(|k| k.curve() == curve),
            Self::Ed25519 => key.as_ed25519().is_some(),
            Self::Agreement => {
                key.as_ec()
                    .is_some_and(|k| AGREEMENT_CURVES.contains(&k.curve()))
                    || key.as_x25519().is_some()
            }
        }
    }

    /// Whether a JWK with this `kty` (and `crv`) is such a key.
    pub(crate) fn fits_jwk(self, kty: &str, crv: Option<&str>) -> bool {
        let ec = |c: Curve| kty == "EC" && crv == Some(c.name());
        match self {
            Self::Secret { .. }
            | Self::KeyEncryptionKey { .. }
            | Self::DirectCek
            | Self::Password => kty == "oct",
            Self::Rsa => kty == "RSA",
            Self::Ec(curve) => ec(curve),
            Self::Ed25519 => kty == "OKP" && crv == Some(OkpCurve::Ed25519.name()),
            Self::Agreement => {
                AGREEMENT_CURVES.into_iter().any(ec)
                    || kty == "OKP" && crv == Some(OkpCurve::X25519.name())
            }
        }
    }
}

/// Whether a JWK of this `kty`/`crv` can be used with the JWS or JWE algorithm named
/// `alg`, or `None` for a name josecraft does not implement. A `dir` key may name its
/// content encryption as `alg` (RFC 7520 §5.6), so content encryption names count too.
pub(crate) fn fits_jwk(alg: &str, kty: &str, crv: Option<&str>) -> Option<bool> {
    if let Some(a) = JwsAlgorithm::from_name(alg) {
        return Some(a.descriptor().key.fits_jwk(kty, crv));
    }
    if let Some(a) = KeyManagementAlgorithm::from_name(alg) {
        return Some(a.descriptor().key.fits_jwk(kty, crv));
    }
    ContentEncryption::from_name(alg).map(|_| KeyKind::DirectCek.fits_jwk(kty, crv))
}

/// Whether `alg` is registered for a key of this `kty`/`crv` (RFC 7518, RFC 8037), or
/// `None` for a name josecraft does not know: the consistency check on a JWK's own `alg`.
/// Wider than [`fits_jwk`]: a JWK Set may publish keys for other consumers, and `EdDSA` on
/// Ed448, `ECDH-ES` on X448 or `RSA1_5` on an RSA key is consistent even though josecraft
/// will not use such a key (it lacks Ed448 and X448, and refuses RSA1_5, RFC 8725 §3.2).
pub(crate) fn registered_fit(alg: &str, kty: &str, crv: Option<&str>) -> Option<bool> {
    let okp = |c: &str| kty == "OKP" && crv == Some(c);
    let registered_elsewhere = match alg {
        "RSA1_5" => return Some(kty == "RSA"),
        "EdDSA" => okp("Ed448"),
        _ => KeyManagementAlgorithm::from_name(alg)
            .is_some_and(|a| a.descriptor().key == KeyKind::Agreement && okp("X448")),
    };
    fits_jwk(alg, kty, crv).map(|fits| fits || registered_elsewhere)
}

/// Declares a wire-name enum and its `ALL`, from one list of variants, so that `ALL` can
/// never leave one out (a new variant is then a compile error in `descriptor()`).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident, )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            #[doc = concat!("Every ", $what, " josecraft implements.")]
            pub const ALL: [$name; { let names: &[&str] = &[$(stringify!($variant)),+]; names.len() }] =
                [$( $name::$variant ),+];
        }
    };
}
pub(crate) use wire_enum;

/// Declares a family enum: a subset of a wire-name enum that a key constructor can take,
/// with infallible conversion into the wire-name enum and checked conversion out of it.
macro_rules! family {
    (
        $(#[$meta:meta])*
        $name:ident of $parent:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every algorithm of this family.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// The same algorithm as its wire-name enum.
            pub const fn algorithm(self) -> $parent {
                match self {
                    $( $name::$variant => $parent::$variant, )+
                }
            }

            /// The registered name, as it appears in `alg`.
            pub const fn name(self) -> &'static str {
                self.algorithm().name()
            }
        }

        impl From<$name> for $parent {
            fn from(f: $name) -> $parent {
                f.algorithm()
            }
        }

        impl TryFrom<$parent> for $name {
            type Error = crate::error::Error;
            /// # Errors
            /// [`Error::KeyRejected`](crate::Error::KeyRejected) for an algorithm of
            /// another family.
            fn try_from(a: $parent) -> Result<$name, Self::Error> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|f| $parent::from(*f) == a)
                    .ok_or_else(|| crate::error::Error::key(format!(
                        "{a} is not {}", $what
                    )))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let parent: $parent = s.parse()?;
                $name::try_from(parent)
            }
        }
    };
}
pub(crate) use family;
