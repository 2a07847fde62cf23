//! JWE algorithms (RFC 7518 §4.1 and §5.1, RFC 8037 §3.2): key management and content
//! encryption, their family enums and one descriptor per algorithm.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{family, wire_enum, KeyKind};
use crate::crypto::digest::Sha;
use crate::error::{Error, Result};

wire_enum! {
    /// A JWE key-management algorithm (`alg`).
    ///
    /// `RSA1_5` is deliberately absent: RSAES-PKCS1-v1_5 decryption is an oracle for
    /// Bleichenbacher's attack, so josecraft refuses it with [`Error::Unsupported`] before any
    /// RSA operation, as panva/jose does (RFC 8725 §3.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum KeyManagementAlgorithm ("key-management algorithm") {
        /// Direct use of a shared content encryption key.
        Dir,
        /// AES-128 Key Wrap.
        A128Kw,
        /// AES-192 Key Wrap.
        A192Kw,
        /// AES-256 Key Wrap.
        A256Kw,
        /// AES-128-GCM key encryption.
        A128GcmKw,
        /// AES-192-GCM key encryption.
        A192GcmKw,
        /// AES-256-GCM key encryption.
        A256GcmKw,
        /// PBES2 with HMAC-SHA-256 and AES-128 Key Wrap.
        Pbes2Hs256A128Kw,
        /// PBES2 with HMAC-SHA-384 and AES-192 Key Wrap.
        Pbes2Hs384A192Kw,
        /// PBES2 with HMAC-SHA-512 and AES-256 Key Wrap.
        Pbes2Hs512A256Kw,
        /// ECDH-ES key agreement, the agreed key used directly as CEK.
        EcdhEs,
        /// ECDH-ES key agreement with AES-128 Key Wrap.
        EcdhEsA128Kw,
        /// ECDH-ES key agreement with AES-192 Key Wrap.
        EcdhEsA192Kw,
        /// ECDH-ES key agreement with AES-256 Key Wrap.
        EcdhEsA256Kw,
        /// RSAES-OAEP with SHA-1 and MGF1 with SHA-1.
        RsaOaep,
        /// RSAES-OAEP with SHA-256 and MGF1 with SHA-256.
        RsaOaep256,
        /// RSAES-OAEP with SHA-384 and MGF1 with SHA-384.
        RsaOaep384,
        /// RSAES-OAEP with SHA-512 and MGF1 with SHA-512.
        RsaOaep512,
    }
}

/// Everything josecraft knows about one key-management algorithm.
#[derive(Debug)]
pub(crate) struct KeyManagementDescriptor {
    /// The registered name.
    pub(crate) name: &'static str,
    /// The key it needs.
    pub(crate) key: KeyKind,
    /// How it obtains the content encryption key.
    pub(crate) op: KeyOp,
}

/// How a key-management algorithm obtains the CEK (RFC 7518 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyOp {
    /// The shared key is the CEK.
    Direct,
    /// AES Key Wrap with a key-encryption key of this many bytes.
    AesKw { kek_len: usize },
    /// AES-GCM key encryption with a key-encryption key of this many bytes.
    AesGcmKw { kek_len: usize },
    /// PBES2: PBKDF2 with HMAC over this hash, then AES Key Wrap with a key this long.
    Pbes2 { sha: Sha, kek_len: usize },
    /// ECDH-ES; `Some(n)` wraps the CEK with an n-byte AES key, `None` uses the agreed key.
    EcdhEs { wrap: Option<usize> },
    /// RSAES-OAEP with this hash (`None`: SHA-1).
    RsaOaep(Option<Sha>),
}

/// Whether the CEK is a key of its own or the key (agreement) itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CekHandling {
    /// The key, or the agreed key, is the CEK: such a JWE has exactly one recipient.
    Direct,
    /// A random CEK is wrapped or encrypted for each recipient.
    Wrapped,
}

impl KeyOp {
    /// How the CEK is handled.
    pub(crate) const fn cek(self) -> CekHandling {
        match self {
            Self::Direct | Self::EcdhEs { wrap: None } => CekHandling::Direct,
            Self::AesKw { .. }
            | Self::AesGcmKw { .. }
            | Self::Pbes2 { .. }
            | Self::EcdhEs { wrap: Some(_) }
            | Self::RsaOaep(_) => CekHandling::Wrapped,
        }
    }

    /// Whether recovering the CEK is costly (a PBES2 derivation, an RSA private-key
    /// operation, an ECDH agreement) rather than a cheap key unwrap.
    pub(crate) const fn is_costly(self) -> bool {
        match self {
            Self::Pbes2 { .. } | Self::RsaOaep(_) | Self::EcdhEs { .. } => true,
            Self::Direct | Self::AesKw { .. } | Self::AesGcmKw { .. } => false,
        }
    }
}

macro_rules! km {
    ($name:literal, $key:expr, $op:expr) => {
        KeyManagementDescriptor {
            name: $name,
            key: $key,
            op: $op,
        }
    };
}

const KEK16: KeyKind = KeyKind::KeyEncryptionKey { len: 16 };
const KEK24: KeyKind = KeyKind::KeyEncryptionKey { len: 24 };
const KEK32: KeyKind = KeyKind::KeyEncryptionKey { len: 32 };

const DIR: KeyManagementDescriptor = km!("dir", KeyKind::DirectCek, KeyOp::Direct);
const A128KW: KeyManagementDescriptor = km!("A128KW", KEK16, KeyOp::AesKw { kek_len: 16 });
const A192KW: KeyManagementDescriptor = km!("A192KW", KEK24, KeyOp::AesKw { kek_len: 24 });
const A256KW: KeyManagementDescriptor = km!("A256KW", KEK32, KeyOp::AesKw { kek_len: 32 });
const A128GCMKW: KeyManagementDescriptor = km!("A128GCMKW", KEK16, KeyOp::AesGcmKw { kek_len: 16 });
const A192GCMKW: KeyManagementDescriptor = km!("A192GCMKW", KEK24, KeyOp::AesGcmKw { kek_len: 24 });
const A256GCMKW: KeyManagementDescriptor = km!("A256GCMKW", KEK32, KeyOp::AesGcmKw { kek_len: 32 });
const PBES2_HS256: KeyManagementDescriptor = km!(
    "PBES2-HS256+A128KW",
    KeyKind::Password,
    KeyOp::Pbes2 {
        sha: Sha::Sha256,
        kek_len: 16
    }
);
const PBES2_HS384: KeyManagementDescriptor = km!(
    "PBES2-HS384+A192KW",
    KeyKind::Password,
    KeyOp::Pbes2 {
        sha: Sha::Sha384,
        kek_len: 24
    }
);
const PBES2_HS512: KeyManagementDescriptor = km!(
    "PBES2-HS512+A256KW",
    KeyKind::Password,
    KeyOp::Pbes2 {
        sha: Sha::Sha512,
        kek_len: 32
    }
);
const ECDH_ES: KeyManagementDescriptor =
    km!("ECDH-ES", KeyKind::Agreement, KeyOp::EcdhEs { wrap: None });
const ECDH_ES_A128KW: KeyManagementDescriptor = km!(
    "ECDH-ES+A128KW",
    KeyKind::Agreement,
    KeyOp::EcdhEs { wrap: Some(16) }
);
const ECDH_ES_A192KW: KeyManagementDescriptor = km!(
    "ECDH-ES+A192KW",
    KeyKind::Agreement,
    KeyOp::EcdhEs { wrap: Some(24) }
);
const ECDH_ES_A256KW: KeyManagementDescriptor = km!(
    "ECDH-ES+A256KW",
    KeyKind::Agreement,
    KeyOp::EcdhEs { wrap: Some(32) }
);
const RSA_OAEP: KeyManagementDescriptor = km!("RSA-OAEP", KeyKind::Rsa, KeyOp::RsaOaep(None));
const RSA_OAEP_256: KeyManagementDescriptor = km!(
    "RSA-OAEP-256",
    KeyKind::Rsa,
    KeyOp::RsaOaep(Some(Sha::Sha256))
);
const RSA_OAEP_384: KeyManagementDescriptor = km!(
    "RSA-OAEP-384",
    KeyKind::Rsa,
    KeyOp::RsaOaep(Some(Sha::Sha384))
);
const RSA_OAEP_512: KeyManagementDescriptor = km!(
    "RSA-OAEP-512",
    KeyKind::Rsa,
    KeyOp::RsaOaep(Some(Sha::Sha512))
);

impl KeyManagementAlgorithm {
    /// Everything josecraft knows about this algorithm.
    pub(crate) const fn descriptor(self) -> &'static KeyManagementDescriptor {
        match self {
            Self::Dir => &DIR,
            Self::A128Kw => &A128KW,
            Self::A192Kw => &A192KW,
            Self::A256Kw => &A256KW,
            Self::A128GcmKw => &A128GCMKW,
            Self::A192GcmKw => &A192GCMKW,
            Self::A256GcmKw => &A256GCMKW,
            Self::Pbes2Hs256A128Kw => &PBES2_HS256,
            Self::Pbes2Hs384A192Kw => &PBES2_HS384,
            Self::Pbes2Hs512A256Kw => &PBES2_HS512,
            Self::EcdhEs => &ECDH_ES,
            Self::EcdhEsA128Kw => &ECDH_ES_A128KW,
            Self::EcdhEsA192Kw => &ECDH_ES_A192KW,
            Self::EcdhEsA256Kw => &ECDH_ES_A256KW,
            Self::RsaOaep => &RSA_OAEP,
            Self::RsaOaep256 => &RSA_OAEP_256,
            Self::RsaOaep384 => &RSA_OAEP_384,
            Self::RsaOaep512 => &RSA_OAEP_512,
        }
    }

    /// The registered name, as it appears in `alg`.
    pub const fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// The algorithm with this exact name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Parses an `alg` from a token: unknown names and `RSA1_5` are [`Error::Unsupported`].
    pub(crate) fn from_token(name: &str) -> Result<Self> {
        Self::from_name(name).ok_or_else(|| {
            if name == "RSA1_5" {
                Error::unsupported(
                    "RSA1_5 key management (RSAES-PKCS1-v1_5 is open to Bleichenbacher's attack; use RSA-OAEP-256)",
                )
            } else {
                Error::unsupported(format!(
                    "jwe key management algorithm \"{}\"",
                    name.escape_debug()
                ))
            }
        })
    }

    /// How the algorithm obtains the CEK.
    pub(crate) const fn op(self) -> KeyOp {
        self.descriptor().op
    }

    /// Whether the CEK is the key (or the agreed key) itself rather than a wrapped random
    /// one: `dir` and `ECDH-ES`. Such algorithms cannot serve several recipients.
    pub const fn is_direct(self) -> bool {
        match self.op().cek() {
            CekHandling::Direct => true,
            CekHandling::Wrapped => false,
        }
    }

    /// Whether recovering the CEK is costly (a PBES2 derivation, an RSA private-key
    /// operation, an ECDH agreement) rather than a cheap key unwrap; bounded per JWE by
    /// [`Limits::max_costly_unwraps`](crate::Limits::max_costly_unwraps).
    pub(crate) const fn is_costly(self) -> bool {
        self.op().is_costly()
    }

    /// Whether the key is symmetric (the same key encrypts and decrypts).
    pub const fn is_symmetric(self) -> bool {
        self.descriptor().key.is_symmetric()
    }
}

family! {
    /// A key-management algorithm with a shared key, other than `dir`: what a
    /// [`SymmetricKey`](crate::jwe::SymmetricKey) can wrap keys with (a `dir` key is made
    /// with `SymmetricKey::direct`, for a content encryption).
    SymmetricKeyManagement of KeyManagementAlgorithm ("a symmetric key-wrapping algorithm (A*KW, A*GCMKW, PBES2-*)") {
        /// AES-128 Key Wrap.
        A128Kw,
        /// AES-192 Key Wrap.
        A192Kw,
        /// AES-256 Key Wrap.
        A256Kw,
        /// AES-128-GCM key encryption.
        A128GcmKw,
        /// AES-192-GCM key encryption.
        A192GcmKw,
        /// AES-256-GCM key encryption.
        A256GcmKw,
        /// PBES2 with HMAC-SHA-256 and AES-128 Key Wrap.
        Pbes2Hs256A128Kw,
        /// PBES2 with HMAC-SHA-384 and AES-192 Key Wrap.
        Pbes2Hs384A192Kw,
        /// PBES2 with HMAC-SHA-512 and AES-256 Key Wrap.
        Pbes2Hs512A256Kw,
    }
}

family! {
    /// A key-management algorithm with a public/private key pair: what an
    /// [`EncryptionKey`](crate::jwe::EncryptionKey) or
    /// [`DecryptionKey`](crate::jwe::DecryptionKey) can be bound to.
    AsymmetricKeyManagement of KeyManagementAlgorithm ("a key-management algorithm with a key pair (ECDH-ES*, RSA-OAEP*)") {
        /// ECDH-ES, the agreed key used directly as CEK.
        EcdhEs,
        /// ECDH-ES with AES-128 Key Wrap.
        EcdhEsA128Kw,
        /// ECDH-ES with AES-192 Key Wrap.
        EcdhEsA192Kw,
        /// ECDH-ES with AES-256 Key Wrap.
        EcdhEsA256Kw,
        /// RSAES-OAEP with SHA-1.
        RsaOaep,
        /// RSAES-OAEP with SHA-256.
        RsaOaep256,
        /// RSAES-OAEP with SHA-384.
        RsaOaep384,
        /// RSAES-OAEP with SHA-512.
        RsaOaep512,
    }
}

family! {
    /// An ECDH-ES algorithm: what X25519-only key constructors take.
    EcdhAlgorithm of KeyManagementAlgorithm ("an ECDH-ES algorithm") {
        /// ECDH-ES, the agreed key used directly as CEK.
        EcdhEs,
        /// ECDH-ES with AES-128 Key Wrap.
        EcdhEsA128Kw,
        /// ECDH-ES with AES-192 Key Wrap.
        EcdhEsA192Kw,
        /// ECDH-ES with AES-256 Key Wrap.
        EcdhEsA256Kw,
    }
}

impl From<EcdhAlgorithm> for AsymmetricKeyManagement {
    fn from(a: EcdhAlgorithm) -> Self {
        match a {
            EcdhAlgorithm::EcdhEs => Self::EcdhEs,
            EcdhAlgorithm::EcdhEsA128Kw => Self::EcdhEsA128Kw,
            EcdhAlgorithm::EcdhEsA192Kw => Self::EcdhEsA192Kw,
            EcdhAlgorithm::EcdhEsA256Kw => Self::EcdhEsA256Kw,
        }
    }
}

impl TryFrom<AsymmetricKeyManagement> for EcdhAlgorithm {
    type Error = Error;
    /// # Errors
    /// [`Error::KeyRejected`] for RSA-OAEP.
    fn try_from(a: AsymmetricKeyManagement) -> Result<Self> {
        Self::try_from(a.algorithm())
    }
}

impl fmt::Display for KeyManagementAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyManagementAlgorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_token(s)
    }
}

wire_enum! {
    /// A JWE content-encryption algorithm (`enc`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum ContentEncryption ("content encryption") {
        /// AES-128-GCM.
        A128Gcm,
        /// AES-192-GCM.
        A192Gcm,
        /// AES-256-GCM.
        A256Gcm,
        /// AES-128-CBC with HMAC-SHA-256 (RFC 7518 §5.2.3).
        A128CbcHs256,
        /// AES-192-CBC with HMAC-SHA-384.
        A192CbcHs384,
        /// AES-256-CBC with HMAC-SHA-512.
        A256CbcHs512,
    }
}

/// Everything josecraft knows about one content encryption.
#[derive(Debug)]
pub(crate) struct ContentDescriptor {
    /// The registered name.
    pub(crate) name: &'static str,
    /// CEK length in bytes.
    pub(crate) key_len: usize,
    /// IV length in bytes.
    pub(crate) iv_len: usize,
    /// Authentication tag length in bytes.
    pub(crate) tag_len: usize,
    /// The AEAD behind it.
    pub(crate) op: ContentOp,
}

/// The AEAD behind a content encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentOp {
    /// AES-GCM with a 96-bit IV and a 128-bit tag.
    AesGcm,
    /// AES-CBC + HMAC (RFC 7518 §5.2), the HMAC over this hash, truncated to half.
    AesCbcHmac(Sha),
}

macro_rules! content {
    ($name:literal, $key:expr, $iv:expr, $tag:expr, $op:expr) => {
        ContentDescriptor {
            name: $name,
            key_len: $key,
            iv_len: $iv,
            tag_len: $tag,
            op: $op,
        }
    };
}

const A128GCM: ContentDescriptor = content!("A128GCM", 16, 12, 16, ContentOp::AesGcm);
const A192GCM: ContentDescriptor = content!("A192GCM", 24, 12, 16, ContentOp::AesGcm);
const A256GCM: ContentDescriptor = content!("A256GCM", 32, 12, 16, ContentOp::AesGcm);
const A128CBC_HS256: ContentDescriptor = content!(
    "A128CBC-HS256",
    32,
    16,
    16,
    ContentOp::AesCbcHmac(Sha::Sha256)
);
const A192CBC_HS384: ContentDescriptor = content!(
    "A192CBC-HS384",
    48,
    16,
    24,
    ContentOp::AesCbcHmac(Sha::Sha384)
);
const A256CBC_HS512: ContentDescriptor = content!(
    "A256CBC-HS512",
    64,
    16,
    32,
    ContentOp::AesCbcHmac(Sha::Sha512)
);

impl ContentEncryption {
    /// Everything josecraft knows about this content encryption.
    pub(crate) const fn descriptor(self) -> &'static ContentDescriptor {
        match self {
            Self::A128Gcm => &A128GCM,
            Self::A192Gcm => &A192GCM,
            Self::A256Gcm => &A256GCM,
            Self::A128CbcHs256 => &A128CBC_HS256,
            Self::A192CbcHs384 => &A192CBC_HS384,
            Self::A256CbcHs512 => &A256CBC_HS512,
        }
    }

    /// The registered name, as it appears in `enc`.
    pub const fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// The algorithm with this exact name, if josecraft implements it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    pub(crate) fn from_token(name: &str) -> Result<Self> {
        Self::from_name(name).ok_or_else(|| {
            Error::unsupported(format!(
                "jwe content encryption \"{}\"",
                name.escape_debug()
            ))
        })
    }

    /// The CEK length in bytes.
    pub const fn key_len(self) -> usize {
        self.descriptor().key_len
    }

    /// The IV length in bytes.
    pub const fn iv_len(self) -> usize {
        self.descriptor().iv_len
    }

    /// The authentication tag length in bytes.
    pub const fn tag_len(self) -> usize {
        self.descriptor().tag_len
    }

    /// The AEAD behind it.
    pub(crate) const fn op(self) -> ContentOp {
        self.descriptor().op
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ContentEncryption {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_token(s)
    }
}

/// Both wire-name enums serialize as their registered names, like [`JwsAlgorithm`](crate::JwsAlgorithm).
macro_rules! serde_by_name {
    ($ty:ident, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_name(&name).ok_or_else(|| {
                    serde::de::Error::custom(format_args!(
                        concat!("unknown ", $what, " \"{}\""),
                        name.escape_debug()
                    ))
                })
            }
        }
    };
}

serde_by_name!(KeyManagementAlgorithm, "jwe key management algorithm");
serde_by_name!(ContentEncryption, "jwe content encryption");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for a in KeyManagementAlgorithm::ALL {
            assert_eq!(KeyManagementAlgorithm::from_name(a.name()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(
                serde_json::from_str::<KeyManagementAlgorithm>(&json).unwrap(),
                a
            );
        }
        for e in ContentEncryption::ALL {
            assert_eq!(ContentEncryption::from_name(e.name()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<ContentEncryption>(&json).unwrap(), e);
        }
        assert!(matches!(
            "RSA1_5".parse::<KeyManagementAlgorithm>(),
            Err(Error::Unsupported(m)) if m.contains("Bleichenbacher")
        ));
        assert!("none".parse::<KeyManagementAlgorithm>().is_err());
        assert!("A128CBC-H256".parse::<ContentEncryption>().is_err());
        assert!(serde_json::from_str::<ContentEncryption>("\"A128CBC-H256\"").is_err());
    }

    /// Key kind, operation and family of every key-management algorithm tell one story.
    #[test]
    fn key_management_descriptors_are_consistent() {
        for a in KeyManagementAlgorithm::ALL {
            let d = a.descriptor();
            let consistent = match d.op {
                KeyOp::Direct => d.key == KeyKind::DirectCek,
                KeyOp::AesKw { kek_len } | KeyOp::AesGcmKw { kek_len } => {
                    d.key == KeyKind::KeyEncryptionKey { len: kek_len }
                }
                KeyOp::Pbes2 { sha, kek_len } => {
                    d.key == KeyKind::Password && kek_len * 2 == sha.output_len()
                }
                KeyOp::EcdhEs { .. } => d.key == KeyKind::Agreement,
                KeyOp::RsaOaep(_) => d.key == KeyKind::Rsa,
            };
            assert!(consistent, "{a}: {d:?}");
            let symmetric = SymmetricKeyManagement::try_from(a).is_ok();
            let asymmetric = AsymmetricKeyManagement::try_from(a).is_ok();
            assert_eq!(
                symmetric,
                a.is_symmetric() && a != KeyManagementAlgorithm::Dir,
                "{a}"
            );
            assert_eq!(asymmetric, !a.is_symmetric(), "{a}");
            let ecdh = EcdhAlgorithm::try_from(a).is_ok();
            assert_eq!(ecdh, matches!(d.op, KeyOp::EcdhEs { .. }), "{a}");
        }
        assert!(
            KeyManagementAlgorithm::Dir.is_direct() && KeyManagementAlgorithm::EcdhEs.is_direct()
        );
        assert!(!KeyManagementAlgorithm::EcdhEsA128Kw.is_direct());
    }

    #[test]
    fn content_descriptors_are_consistent() {
        for e in ContentEncryption::ALL {
            let d = e.descriptor();
            let consistent = match d.op {
                ContentOp::AesGcm => {
                    d.iv_len == 12 && d.tag_len == 16 && [16, 24, 32].contains(&d.key_len)
                }
                ContentOp::AesCbcHmac(sha) => {
                    d.iv_len == 16
                        && d.tag_len * 2 == sha.output_len()
                        && d.key_len == sha.output_len()
                }
            };
            assert!(consistent, "{e}: {d:?}");
        }
    }
}
