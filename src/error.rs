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

    /// The cryptographic backend failed where the input cannot be the cause: the system's
    /// random number generator, or a primitive that cannot fail for a key josecraft built.
    /// Nothing is wrong with the token or the key; retrying may help, and a failure that
    /// persists means the platform is broken.
    #[error("cryptographic backend failure: {0}")]
    CryptoFailure(String),

    /// A key source could not supply keys: the JWKS endpoint failed (network error, timeout,
    /// HTTP status, oversized or unusable body) and no cached set is still usable. The token
    /// may be fine; retrying later may help. A resource server answers 503, not 401.
    #[error("keys unavailable: {0}")]
    KeysUnavailable(String),

    /// The token is authentic but its claims are not acceptable (RFC 7519 §4, §7.2): expired,
    /// for another audience, revoked, ... The variant says which claim and why.
    #[error(transparent)]
    Claims(#[from] ClaimsError),

    /// State the verification depends on (a revocation list, a replay cache, refresh-token
    /// families) could not be read or written in time: the store is down or slow. Nothing
    /// is known about the token; a server answers 503 and nothing was half-done.
    #[error("state store unavailable: {0}")]
    StoreUnavailable(String),

    /// The token is authentic and valid, but not allowed to do what it asks: it lacks a
    /// required scope, or a rule of the caller's refused it. A resource server answers
    /// 403 (`insufficient_scope`), not 401: another token may be allowed.
    #[error("forbidden: {0}")]
    Forbidden(#[from] Forbidden),

    /// A DPoP proof (RFC 9449) is missing or fails a check, or a sender-constrained access
    /// token is presented without the proof it needs or with another key's proof. The
    /// variant says which step failed and what a server answers.
    #[error("dpop: {0}")]
    Dpop(#[from] DpopError),

    /// An SD-JWT (RFC 9901) is not acceptable: a disclosure that does not belong to it or
    /// breaks a processing rule, or a Key Binding JWT that is missing or wrong. The
    /// variant says which rule.
    #[error("sd-jwt: {0}")]
    SdJwt(#[from] SdJwtError),
}

/// A registered JWT claim (RFC 7519 §4.1), or another claim by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Claim {
    /// `iss`
    Iss,
    /// `sub`
    Sub,
    /// `aud`
    Aud,
    /// `exp`
    Exp,
    /// `nbf`
    Nbf,
    /// `iat`
    Iat,
    /// `jti`
    Jti,
    /// Any other claim, by name (`nonce`, `client_id`, ...).
    Other(String),
}

impl Claim {
    /// The claim's name in the claims set.
    pub fn name(&self) -> &str {
        match self {
            Self::Iss => "iss",
            Self::Sub => "sub",
            Self::Aud => "aud",
            Self::Exp => "exp",
            Self::Nbf => "nbf",
            Self::Iat => "iat",
            Self::Jti => "jti",
            Self::Other(n) => n,
        }
    }

    /// The claim with this name: a registered one, or [`Claim::Other`].
    pub fn from_name(name: &str) -> Self {
        match name {
            "iss" => Self::Iss,
            "sub" => Self::Sub,
            "aud" => Self::Aud,
            "exp" => Self::Exp,
            "nbf" => Self::Nbf,
            "iat" => Self::Iat,
            "jti" => Self::Jti,
            other => Self::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a JWT's claims were refused. Times are RFC 3339 in messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// `exp` is past (beyond the leeway).
    #[error("token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`.
        exp: crate::date::NumericDate,
        /// The validator's current time.
        now: crate::date::NumericDate,
    },
    /// `nbf` is in the future (beyond the leeway).
    #[error("token not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        nbf: crate::date::NumericDate,
        /// The validator's current time.
        now: crate::date::NumericDate,
    },
    /// `iat` is in the future (beyond the leeway).
    #[error("token issued in the future, at {iat} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`.
        iat: crate::date::NumericDate,
        /// The validator's current time.
        now: crate::date::NumericDate,
    },
    /// `iat` is older than the validator's maximum token age.
    #[error("token issued at {iat} is older than {max_age_seconds} s (now {now})")]
    TooOld {
        /// The token's `iat`.
        iat: crate::date::NumericDate,
        /// The validator's current time.
        now: crate::date::NumericDate,
        /// The maximum age in seconds.
        max_age_seconds: i64,
    },
    /// `aud` does not contain an expected audience, or the token has an `aud` and the
    /// validator expects none.
    #[error("audience {found:?} is not accepted")]
    Audience {
        /// The token's audiences.
        found: Vec<String>,
    },
    /// `iss` is not an expected issuer.
    #[error("issuer {found:?} is not accepted")]
    Issuer {
        /// The token's issuer.
        found: String,
    },
    /// `sub` is not the expected subject.
    #[error("subject {found:?} is not accepted")]
    Subject {
        /// The token's subject.
        found: String,
    },
    /// The header's `typ` is not the expected type (or is absent).
    #[error("token type {found:?} is not accepted")]
    Type {
        /// The header's `typ`, if any.
        found: Option<String>,
    },
    /// A required claim is absent.
    #[error("missing claim \"{0}\"")]
    Missing(Claim),
    /// A claim has the wrong JSON type (e.g. `"exp": "1700000000"`).
    #[error("claim \"{0}\" has the wrong type")]
    WrongType(Claim),
    /// A date claim is outside the range a date can have.
    #[error("claim \"{0}\" is out of range")]
    OutOfRange(Claim),
    /// A claim does not have the exact value the validator requires.
    #[error("claim \"{0}\" does not have the required value")]
    Mismatch(Claim),
    /// A claim the validator prohibits is present.
    #[error("claim \"{0}\" is not allowed")]
    Prohibited(Claim),
    /// The token's `jti` has been revoked.
    #[error("token {jti:?} has been revoked")]
    Revoked {
        /// The token's `jti`.
        jti: String,
    },
    /// A caller-supplied validator refused the token.
    #[error("{0}")]
    Custom(String),
}

/// Why an authentic, valid token is not allowed to do what it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forbidden {
    /// The token lacks scopes the resource requires (RFC 6750 §3.1 `insufficient_scope`).
    InsufficientScope {
        /// Every scope the resource requires, for the `scope` attribute of the challenge.
        required: Vec<String>,
        /// The required scopes the token does not grant.
        missing: Vec<String>,
    },
    /// A rule added with [`Validation::with_rule`](crate::jwt::Validation::with_rule) refused
    /// the token.
    Denied {
        /// The rule's name.
        rule: String,
    },
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InsufficientScope { missing, .. } => {
                write!(f, "insufficient scope: missing {}", missing.join(" "))
            }
            Self::Denied { rule } => write!(f, "refused by rule {rule:?}"),
        }
    }
}

impl std::error::Error for Forbidden {}

/// Why a DPoP proof or a DPoP-bound token was refused (RFC 9449 §4.3, §7).
///
/// [`DpopError::challenge_error`] names the `error` code of the `WWW-Authenticate: DPoP`
/// challenge a resource server answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DpopError {
    /// The request carries no `DPoP` header.
    MissingProof,
    /// The request carries more than one `DPoP` header (§4.3 step 1).
    SeveralProofs,
    /// The proof is longer than the verifier accepts.
    ProofTooLarge {
        /// The maximum length in bytes.
        max: usize,
    },
    /// The proof is not a well-formed compact JWS with a JSON claims set of the right
    /// types (§4.3 step 2).
    Malformed(String),
    /// `typ` is not `dpop+jwt` (§4.3 step 4).
    WrongType {
        /// The `typ` the proof has, if any.
        found: Option<String>,
    },
    /// `alg` is `none`, symmetric, unknown, or not in the verifier's allow-list (§4.3
    /// step 5).
    AlgorithmNotAllowed {
        /// The `alg` the proof names.
        alg: String,
    },
    /// The `jwk` header is missing or is not a valid public key for `alg`.
    InvalidKey(String),
    /// The `jwk` header contains private key members (§4.3 step 7).
    PrivateKey,
    /// The proof's signature does not verify with its `jwk` (§4.3 step 6).
    InvalidSignature,
    /// A required claim (`jti`, `htm`, `htu`, `iat`, or `ath` with an access token) is
    /// missing (§4.3 step 3).
    MissingClaim(&'static str),
    /// `htm` is not the request's method (§4.3 step 8).
    MethodMismatch {
        /// The request's method.
        expected: String,
        /// The proof's `htm`.
        found: String,
    },
    /// `htu` is not the request's URI, compared after RFC 3986 §6 normalization without
    /// query and fragment (§4.3 step 9).
    UriMismatch {
        /// The request's URI, normalized.
        expected: String,
        /// The proof's `htu`.
        found: String,
    },
    /// The server requires a nonce and the proof has none, or one that is no longer
    /// current (§8, §9). Answer `use_dpop_nonce` with `nonce` in the `DPoP-Nonce` header;
    /// the client retries with it.
    UseNonce {
        /// The nonce to send to the client.
        nonce: String,
    },
    /// `iat` is later than now plus the leeway: a proof made in advance (§11.2).
    IssuedInFuture {
        /// The proof's `iat` (seconds since the epoch).
        iat: i64,
        /// The verifier's now.
        now: i64,
    },
    /// `iat` is older than the verifier's window (§4.3 step 11).
    TooOld {
        /// The proof's `iat` (seconds since the epoch).
        iat: i64,
        /// The verifier's now.
        now: i64,
    },
    /// The proof's `jti` was already used with this key and URI: a replay (§11.1).
    Replayed,
    /// `ath` is not the base64url SHA-256 of the access token presented with the proof
    /// (§4.3 step 12).
    AccessTokenHashMismatch,
    /// The access token's `cnf.jkt` is not the thumbprint of the proof's key: the token
    /// is presented by someone other than its holder (§4.3 step 12).
    KeyMismatch,
    /// A token presented with a DPoP proof is not bound to a key (it has no `cnf.jkt`).
    TokenNotBound,
    /// A DPoP-bound token (with `cnf.jkt`) was presented as a bearer token (§7.2).
    BoundTokenAsBearer,
}

impl DpopError {
    /// The `error` code of the RFC 9449 challenge: `use_dpop_nonce` (§8), `invalid_token`
    /// for a problem of the access token's binding (§7.1, §7.2), `invalid_dpop_proof`
    /// otherwise.
    pub fn challenge_error(&self) -> &'static str {
        match self {
            Self::UseNonce { .. } => "use_dpop_nonce",
            Self::KeyMismatch | Self::TokenNotBound | Self::BoundTokenAsBearer => "invalid_token",
            Self::MissingProof
            | Self::SeveralProofs
            | Self::ProofTooLarge { .. }
            | Self::Malformed(_)
            | Self::WrongType { .. }
            | Self::AlgorithmNotAllowed { .. }
            | Self::InvalidKey(_)
            | Self::PrivateKey
            | Self::InvalidSignature
            | Self::MissingClaim(_)
            | Self::MethodMismatch { .. }
            | Self::UriMismatch { .. }
            | Self::IssuedInFuture { .. }
            | Self::TooOld { .. }
            | Self::Replayed
            | Self::AccessTokenHashMismatch => "invalid_dpop_proof",
        }
    }
}

impl fmt::Display for DpopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingProof => f.write_str("the request has no DPoP proof"),
            Self::SeveralProofs => f.write_str("the request has more than one DPoP header"),
            Self::ProofTooLarge { max } => write!(f, "the proof is longer than {max} bytes"),
            Self::Malformed(why) => write!(f, "malformed proof: {why}"),
            Self::WrongType { found: Some(t) } => {
                write!(f, "the proof's typ is {t:?}, not \"dpop+jwt\"")
            }
            Self::WrongType { found: None } => f.write_str("the proof has no typ"),
            Self::AlgorithmNotAllowed { alg } => {
                write!(f, "the proof's alg {alg:?} is not allowed")
            }
            Self::InvalidKey(why) => write!(f, "the proof's jwk is not usable: {why}"),
            Self::PrivateKey => f.write_str("the proof's jwk contains a private key"),
            Self::InvalidSignature => f.write_str("the proof's signature does not verify"),
            Self::MissingClaim(name) => write!(f, "the proof has no {name}"),
            Self::MethodMismatch { expected, found } => {
                write!(
                    f,
                    "the proof's htm {found:?} is not the request's method {expected:?}"
                )
            }
            Self::UriMismatch { expected, found } => {
                write!(
                    f,
                    "the proof's htu {found:?} is not the request's URI {expected:?}"
                )
            }
            Self::UseNonce { .. } => f.write_str("the server requires a current DPoP nonce"),
            Self::IssuedInFuture { iat, now } => {
                write!(
                    f,
                    "the proof was issued in the future (iat {iat}, now {now})"
                )
            }
            Self::TooOld { iat, now } => {
                write!(f, "the proof is too old (iat {iat}, now {now})")
            }
            Self::Replayed => f.write_str("the proof was already used"),
            Self::AccessTokenHashMismatch => {
                f.write_str("the proof's ath is not the hash of the access token")
            }
            Self::KeyMismatch => {
                f.write_str("the access token is bound to another key than the proof's")
            }
            Self::TokenNotBound => f.write_str("the access token is not bound to a DPoP key"),
            Self::BoundTokenAsBearer => {
                f.write_str("a DPoP-bound access token was presented as a bearer token")
            }
        }
    }
}

impl std::error::Error for DpopError {}

/// Why an SD-JWT or its Key Binding JWT was refused (RFC 9901 §7).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SdJwtError {
    /// Not of the form `<JWT>~<Disclosure>~…~[<KB-JWT>]`, or a disclosure that is not a
    /// base64url JSON array of a salt, a name for an object member, and a value.
    Malformed(String),
    /// `_sd_alg` names a hash function that is not accepted.
    UnsupportedHashAlgorithm(String),
    /// The same disclosure twice in the SD-JWT.
    DuplicateDisclosure,
    /// A digest appears more than once in the payload and the disclosures (§7.1 step 3).
    DuplicateDigest,
    /// A disclosure whose digest the payload does not contain, directly or through another
    /// disclosure: it was not issued with this JWT (§7.1 step 3).
    DisclosureNotReferenced,
    /// An object-member disclosure referenced as an array element, or the reverse.
    WrongDisclosureKind,
    /// A disclosure would set a member the object already has.
    ClaimOverwrite(String),
    /// A disclosure names `_sd`, `...` or `_sd_alg`, or the issuer's claims contain one.
    ReservedName(String),
    /// A top-level claim the verifier relies on (`iss`, `aud`, `exp`, `nbf`, `cnf`,
    /// `status`) was selectively disclosable: the holder could have left it out (RFC 9901
    /// §9.7).
    VisibleClaimDisclosed(String),
    /// A Key Binding JWT is required and the presentation has none.
    MissingKeyBinding,
    /// The issuer-signed JWT has no `cnf.jwk` to check a Key Binding JWT with.
    NoHolderKey,
    /// The Key Binding JWT fails: its type, algorithm, signature, `aud`, `nonce` or `iat`.
    KeyBinding(String),
    /// The Key Binding JWT's `sd_hash` is not the hash of the presentation it ends.
    SdHashMismatch,
}

impl fmt::Display for SdJwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "malformed: {why}"),
            Self::UnsupportedHashAlgorithm(alg) => write!(f, "_sd_alg {alg:?} is not accepted"),
            Self::DuplicateDisclosure => f.write_str("a disclosure appears twice"),
            Self::DuplicateDigest => f.write_str("a digest appears more than once"),
            Self::DisclosureNotReferenced => {
                f.write_str("a disclosure is not referenced by the issuer-signed JWT")
            }
            Self::WrongDisclosureKind => f.write_str(
                "a disclosure of an object member is used as an array element, or the reverse",
            ),
            Self::ClaimOverwrite(name) => {
                write!(f, "a disclosure would overwrite the claim {name:?}")
            }
            Self::ReservedName(name) => write!(f, "a disclosure uses the reserved name {name:?}"),
            Self::VisibleClaimDisclosed(name) => write!(
                f,
                "the claim {name:?} was selectively disclosable; a verifier needs it visible"
            ),
            Self::MissingKeyBinding => f.write_str("a key binding JWT is required"),
            Self::NoHolderKey => f.write_str("the issuer-signed JWT has no cnf.jwk holder key"),
            Self::KeyBinding(why) => write!(f, "key binding JWT refused: {why}"),
            Self::SdHashMismatch => {
                f.write_str("the key binding JWT's sd_hash does not match the presentation")
            }
        }
    }
}

impl std::error::Error for SdJwtError {}

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
    /// No key of a remote set fits the token's `kid`, and the set was fetched too recently
    /// to be fetched again for an unknown `kid` (the cooldown protects the issuer from
    /// floods of made-up `kid`s). A key that was just published becomes usable once
    /// `retry_after` has passed; publish new keys before signing with them.
    NoKeyInCooldown {
        /// The token's `kid`, if it had one.
        kid: Option<String>,
        /// The token's `alg`.
        alg: String,
        /// How long until an unknown `kid` may cause a refetch.
        retry_after: std::time::Duration,
    },
    /// Several recipients of a JSON JWE fit one key whose algorithm is costly (PBES2,
    /// RSA-OAEP, ECDH-ES) and none names the key's `kid`; josecraft tries such a key on one
    /// recipient only. Give the key and the recipients a `kid`.
    SeveralRecipients {
        /// The key's `kid`, if it has one.
        kid: Option<String>,
        /// The key's algorithm.
        alg: String,
        /// How many recipients fit.
        count: usize,
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
            Self::NoKeyInCooldown {
                kid,
                alg,
                retry_after,
            } => write!(
                f,
                "no key{} for {alg} in the key set, which was fetched too recently to fetch again for an unknown kid; retry in {} s (a new key must be published before tokens are signed with it)",
                kid.as_deref().map(|k| format!(" with kid {k:?}")).unwrap_or_default(),
                retry_after
                    .as_secs()
                    .saturating_add(u64::from(retry_after.subsec_nanos() > 0))
            ),
            Self::SeveralRecipients { kid, alg, count } => write!(
                f,
                "{count} recipients use {alg} and none names this key's kid{}; a costly key is tried on one recipient only (give the key and the recipients a kid)",
                kid.as_deref().map(|k| format!(" {k:?}")).unwrap_or_default()
            ),
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
    /// Costly key-management operations (PBES2, RSA, ECDH) caused by one JWE.
    CostlyUnwraps,
    /// Disclosures in one SD-JWT.
    Disclosures,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TokenLength => "token length",
            Self::HeaderLength => "header length",
            Self::JsonDepth => "json nesting depth",
            Self::Signatures => "number of signatures",
            Self::Recipients => "number of recipients",
            Self::Disclosures => "number of disclosures",
            Self::KeySetSize => "number of keys in the set",
            Self::KeyLength => "key document length",
            Self::Pbes2Count => "pbes2 iteration count (p2c)",
            Self::DecompressedSize => "decompressed size",
            Self::CostlyUnwraps => "costly key unwraps for one JWE",
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

    pub(crate) fn crypto(what: impl Into<String>) -> Self {
        Self::CryptoFailure(what.into())
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
