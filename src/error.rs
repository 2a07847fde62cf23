//! The one error type of the crate.
//!
//! Every fallible function returns [`Error`]. Its variants say what the caller can do
//! about a failure: a [`Malformed`](Error::Malformed) token is garbage and will stay
//! garbage, an [`AlgorithmMismatch`](Error::AlgorithmMismatch) means the token was made for
//! another key, a [`KeySelection`](Error::KeySelection) failure may go away once a key set
//! is refreshed, and so on. Messages are lowercase, have no trailing period and never contain
//! secret bytes.

use core::fmt;

/// Shorthand for `Result<T, josecraft::Error>`.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong in josecraft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed: bad base64url, bad JSON, duplicate members, a wrong JSON
    /// type, the wrong number of compact parts, and so on. Retrying will not help.
    #[error("malformed {part}: {reason}")]
    Malformed {
        /// Which part of the input is malformed.
        part: Part,
        /// What is wrong with it.
        reason: String,
    },

    /// An algorithm, curve or key form that josecraft does not implement (for example
    /// `RSA1_5`, multi-prime RSA, or an encrypted PKCS#8 key).
    #[error("unsupported: {0}")]
    Unsupported(String),

    /// The token names an algorithm other than the one the key is bound to (this includes
    /// `none`). The token was not made for this key.
    #[error("algorithm mismatch: the key is bound to {expected}, the token uses {found}")]
    AlgorithmMismatch {
        /// The algorithm the key is bound to.
        expected: String,
        /// The algorithm the token names.
        found: String,
    },

    /// A key that josecraft refuses to build or to use for the requested operation: too
    /// short, too small, inconsistent, of the wrong type for the algorithm, or with a `use`
    /// or `key_ops` that forbids the operation.
    #[error("key rejected: {0}")]
    KeyRejected(String),

    /// No key, or more than one key, of a key set fits the token. A key set refresh may help
    /// with the first; the second is a configuration problem.
    #[error("key selection: {0}")]
    KeySelection(KeySelectionError),

    /// A `crit` header rule is broken (RFC 7515 §4.1.11): an extension we do not understand,
    /// a malformed list, or a `crit` outside the protected header.
    #[error("crit: {0}")]
    Critical(String),

    /// A bound from [`Limits`](crate::Limits) was crossed. Checked before the work it bounds.
    #[error("limit exceeded: {limit} above the maximum of {max}")]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The configured maximum.
        max: u64,
    },

    /// A JWS signature or MAC does not verify.
    #[error("invalid signature")]
    InvalidSignature,

    /// A JWE could not be decrypted. Deliberately opaque (RFC 7516 §11.5): every failure from
    /// key unwrapping up to the authentication tag check gives this same error.
    #[error("decryption failed")]
    DecryptionFailed,

    /// A [`Signer`](crate::jws::Signer) (for example an HSM or a KMS) failed, or returned a
    /// signature that cannot belong to its algorithm.
    #[error("signing failed: {0}")]
    SigningFailed(String),
}

/// Why a key set could not give exactly one key for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySelectionError {
    /// No key in the set fits the token's `kid` and `alg`.
    NoKey {
        /// The token's `kid`, if it had one.
        kid: Option<String>,
        /// The token's `alg`.
        alg: String,
    },
    /// Several keys fit and nothing in the token tells them apart; josecraft never tries
    /// keys one after another.
    SeveralKeys {
        /// The token's `kid`, if it had one.
        kid: Option<String>,
        /// The token's `alg`.
        alg: String,
        /// How many keys fit.
        count: usize,
    },
}

impl fmt::Display for KeySelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKey {
                kid: Some(kid),
                alg,
            } => {
                write!(f, "no key with kid {kid:?} for {alg}")
            }
            Self::NoKey { kid: None, alg } => write!(f, "no key for {alg}"),
            Self::SeveralKeys {
                kid: Some(kid),
                alg,
                count,
            } => write!(f, "{count} keys with kid {kid:?} fit {alg}"),
            Self::SeveralKeys {
                kid: None,
                alg,
                count,
            } => write!(
                f,
                "{count} keys fit {alg} and the token has no kid to choose between them"
            ),
        }
    }
}

/// The part of a token, key or other input that an [`Error::Malformed`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The token as a whole (its structure: parts, serialization).
    Token,
    /// A JOSE header (protected, or the merged header).
    Header,
    /// A JWS or JWE unprotected header.
    UnprotectedHeader,
    /// The JWS payload.
    Payload,
    /// A JWS signature.
    Signature,
    /// A JWE encrypted key.
    EncryptedKey,
    /// A JWE initialization vector.
    Iv,
    /// A JWE ciphertext.
    Ciphertext,
    /// A JWE authentication tag.
    Tag,
    /// JWE additional authenticated data.
    Aad,
    /// A JWT claims set.
    Claims,
    /// A key in PEM or DER form.
    Key,
    /// A JSON Web Key.
    Jwk,
    /// A JSON Web Key Set.
    JwkSet,
    /// A base64url value given on its own.
    Base64,
    /// An HTTP header value such as `Authorization`.
    HttpHeader,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Token => "token",
            Self::Header => "header",
            Self::UnprotectedHeader => "unprotected header",
            Self::Payload => "payload",
            Self::Signature => "signature",
            Self::EncryptedKey => "encrypted key",
            Self::Iv => "initialization vector",
            Self::Ciphertext => "ciphertext",
            Self::Tag => "authentication tag",
            Self::Aad => "additional authenticated data",
            Self::Claims => "claims",
            Self::Key => "key",
            Self::Jwk => "jwk",
            Self::JwkSet => "jwk set",
            Self::Base64 => "base64url value",
            Self::HttpHeader => "http header",
        })
    }
}

/// Which bound of [`Limits`](crate::Limits) an [`Error::LimitExceeded`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Length of a whole token in bytes.
    TokenLength,
    /// Length of a decoded header in bytes.
    HeaderLength,
    /// Nesting depth of a JSON document.
    JsonDepth,
    /// Number of signatures in a JWS JSON serialization.
    Signatures,
    /// Number of recipients in a JWE JSON serialization.
    Recipients,
    /// Number of keys in a JWK Set.
    KeySetSize,
    /// Length of a key document (JWK, JWK Set, PEM) in bytes.
    KeyLength,
    /// PBES2 iteration count (`p2c`).
    Pbes2Count,
    /// Size of a `zip` payload after inflation, in bytes.
    DecompressedSize,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TokenLength => "token length",
            Self::HeaderLength => "header length",
            Self::JsonDepth => "json nesting depth",
            Self::Signatures => "number of signatures",
            Self::Recipients => "number of recipients",
            Self::KeySetSize => "number of keys in the set",
            Self::KeyLength => "key document length",
            Self::Pbes2Count => "pbes2 iteration count (p2c)",
            Self::DecompressedSize => "decompressed size",
        })
    }
}

impl Error {
    pub(crate) fn malformed(part: Part, reason: impl Into<String>) -> Self {
        Self::Malformed {
            part,
            reason: reason.into(),
        }
    }

    pub(crate) fn key(reason: impl Into<String>) -> Self {
        Self::KeyRejected(reason.into())
    }

    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        Self::Unsupported(what.into())
    }

    pub(crate) fn limit(limit: Limit, max: usize) -> Self {
        Self::LimitExceeded {
            limit,
            max: max as u64,
        }
    }
}
