//! DPoP (RFC 9449): access tokens bound to a key the client holds, so a stolen token is
//! useless without that key.
//!
//! The client makes a fresh **proof** for every request ([`Proof`]): a JWT signed with its
//! private key, carrying its public key in the `jwk` header, the request's method and URI,
//! a random `jti`, the time, and the hash of the access token it accompanies. The
//! authorization server binds the access token to the proof key's RFC 7638 thumbprint
//! (`cnf.jkt`, [`Confirmation`]); the resource server checks the proof
//! ([`ProofVerifier`]) and that the token is bound to the proof's key
//! ([`verify_access_token`]).
//!
//! This is the one place josecraft takes a key from a token: the proof's own `jwk`,
//! checked by the same constructors as any other key, and trusted only to tie the proof to
//! the token's `cnf.jkt` — never to verify anything else.
//!
//! ```
//! use josecraft::dpop::{self, Confirmation, HttpRequest, Proof, ProofVerifier};
//! use josecraft::jwt::{self, Claims, NumericDate, Validation};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//! use std::time::Duration;
//!
//! // The client's key pair, made once per client (or per session).
//! let client_key = SigningKey::generate(SignatureAlgorithm::Es256)?;
//!
//! // At the token endpoint: the client sends a proof; the server binds the token to its key.
//! let token_request = HttpRequest::new("POST", "https://auth.example/token")?;
//! let proof = Proof::new("POST", "https://auth.example/token").sign(&client_key)?;
//! let verifier = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied());
//! # josecraft::keysource::block_on(async {
//! let checked = verifier.verify(&proof, &token_request).await?;
//! let issuer = SigningKey::generate(SignatureAlgorithm::EdDsa)?;
//! let mut custom = serde_json::Map::new();
//! custom.insert("cnf".into(), serde_json::to_value(Confirmation::from(&checked))?);
//! let claims = Claims::new(custom)
//!     .with_issuer("https://auth.example")
//!     .with_audience("https://api.example")
//!     .valid_for(NumericDate::now(), Duration::from_secs(300))?;
//! let access_token = jwt::sign(&claims, &issuer)?;
//!
//! // At the API: a new proof for this request, with the token's hash.
//! let api_request = HttpRequest::new("GET", "https://api.example/orders")?;
//! let proof = Proof::new("GET", "https://api.example/orders")
//!     .with_access_token(&access_token)
//!     .sign(&client_key)?;
//! let validation = Validation::issuer("https://auth.example").audience("https://api.example");
//! let verified = dpop::verify_access_token::<serde_json::Map<_, _>>(
//!     &access_token, &proof, &api_request, &issuer.verifying_key(), &validation, &verifier,
//! ).await?;
//! assert_eq!(verified.proof().thumbprint(), checked.thumbprint());
//!
//! // The same token presented as a bearer token, or with another key's proof, is refused.
//! assert!(jwt::verify_async::<serde_json::Map<_, _>>(&access_token, &issuer.verifying_key(), &validation).await.is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod nonce;
mod uri;

pub use nonce::{NonceSource, RotatingNonces};

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::alg::{JwsAlgorithm, SignatureAlgorithm};
use crate::base64url;
use crate::crypto::digest::Sha;
use crate::date::{Clock, NumericDate, SystemClock};
use crate::error::{DpopError, Error, Part, Result};
use crate::header::{media_type_matches, JwsHeader};
use crate::jose::{KeySource, ParseOptions, Signer};
use crate::json;
use crate::jwk::{Jwk, ThumbprintHash};
use crate::jws::{self, SigningKey, UnverifiedCompact};
use crate::jwt::{self, MemoryReplayCache, ReplayCache, Validation, VerifiedJwt};
use crate::limits::Limits;

/// The `typ` of a DPoP proof.
pub const PROOF_TYPE: &str = "dpop+jwt";

/// The algorithms a server should accept without a reason to do otherwise: ES256 (the
/// default of every client library), EdDSA and Ed25519, and PS256. RS256 is
/// allowed by the RFC but slower to verify and not offered by default.
pub const RECOMMENDED_ALGORITHMS: &[SignatureAlgorithm] = &[
    SignatureAlgorithm::Es256,
    SignatureAlgorithm::EdDsa,
    SignatureAlgorithm::Ed25519,
    SignatureAlgorithm::Ps256,
];

/// The largest proof [`ProofVerifier`] reads by default: an RSA-4096 proof with a nonce
/// is under 2 KiB.
pub const DEFAULT_MAX_PROOF_LEN: usize = 8 * 1024;

/// The largest `jwk` header a proof may carry: an RSA-8192 public key is about 1.4 KiB.
pub const MAX_JWK_LEN: usize = 2 * 1024;

/// The largest age [`ProofVerifier::with_max_age`] keeps: one day.
pub const MAX_PROOF_AGE: Duration = Duration::from_secs(86_400);

/// The longest `jti` (and `nonce`) a proof may carry.
pub const MAX_ID_LEN: usize = 256;

/// The base64url SHA-256 hash of an access token: a proof's `ath` (RFC 9449 §4.2).
pub fn access_token_hash(access_token: &str) -> String {
    base64url::encode(Sha::Sha256.digest(access_token.as_bytes()))
}

/// The HTTP request a proof is checked against: its method and its absolute URI as the
/// client addressed it (behind a proxy, the public URL, not the internal one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: String,
    uri: String,
}

impl HttpRequest {
    /// The request `method` to `uri`; the query and fragment of `uri` are ignored and the
    /// rest is normalized (RFC 3986 §6).
    ///
    /// # Errors
    /// [`Error::Malformed`] (part [`Part::HttpHeader`]) for a method that is not an HTTP
    /// token or a URI that is not an absolute `http`/`https` URI.
    pub fn new(method: &str, uri: &str) -> Result<Self> {
        if !is_method(method) {
            return Err(Error::malformed(
                Part::HttpHeader,
                "the request method is not an HTTP method token",
            ));
        }
        let uri = uri::normalize(uri).ok_or_else(|| {
            Error::malformed(
                Part::HttpHeader,
                "the request URI is not an absolute http(s) URI",
            )
        })?;
        Ok(Self {
            method: method.to_string(),
            uri,
        })
    }

    /// The method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The normalized URI, without query and fragment.
    pub fn uri(&self) -> &str {
        &self.uri
    }
}

/// RFC 9110 §9.1: a method is a token.
fn is_method(m: &str) -> bool {
    !m.is_empty()
        && m.len() <= 32
        && m.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// A DPoP proof to make (client side): `htm`, `htu`, `iat`, a random `jti`, and optionally
/// `ath` and `nonce`, signed with the client's key, whose public half goes into the `jwk`
/// header.
///
/// Only [`SigningKey`]s sign proofs: they are asymmetric by type, so a proof can be neither
/// HMAC nor `none`.
#[derive(Debug, Clone)]
pub struct Proof<'a> {
    htm: &'a str,
    htu: &'a str,
    ath: Option<String>,
    nonce: Option<&'a str>,
    iat: Option<NumericDate>,
    jti: Option<&'a str>,
}

impl<'a> Proof<'a> {
    /// A proof for a request with method `htm` to `htu`: the proof names `htu` without
    /// query and fragment, normalized (RFC 3986 §6: lower-case scheme and host, no default
    /// port, no dot segments, canonical percent-encoding).
    pub fn new(htm: &'a str, htu: &'a str) -> Self {
        Self {
            htm,
            htu,
            ath: None,
            nonce: None,
            iat: None,
            jti: None,
        }
    }

    /// Adds `ath`, the hash of the access token sent with the request (required at a
    /// resource server).
    pub fn with_access_token(mut self, access_token: &str) -> Self {
        self.ath = Some(access_token_hash(access_token));
        self
    }

    /// Adds the server's nonce (from its `DPoP-Nonce` header).
    pub fn with_nonce(mut self, nonce: &'a str) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Sets `iat` instead of the current time (tests, clocks kept elsewhere).
    pub fn with_issued_at(mut self, iat: NumericDate) -> Self {
        self.iat = Some(iat);
        self
    }

    /// Sets `jti` instead of 128 random bits. A `jti` must never repeat: only for tests
    /// and fixed vectors.
    pub fn with_jti(mut self, jti: &'a str) -> Self {
        self.jti = Some(jti);
        self
    }

    /// Signs the proof with `key`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a method that is not an HTTP token or a URI that is not an
    /// absolute `http`/`https` URI; [`Error::CryptoFailure`] if the random generator fails;
    /// the errors of [`jws::sign_compact`].
    pub fn sign(&self, key: &SigningKey) -> Result<String> {
        // The normalized URI: a server comparing strictly, as some do, still matches.
        let target = HttpRequest::new(self.htm, self.htu)?;
        // The required public members only (RFC 7638 §3.2 order): no kid, alg or use to
        // disagree with anything, and the same bytes the thumbprint is taken over.
        let jwk = key.verifying_key().to_jwk().thumbprint_input();
        let jwk = serde_json::value::RawValue::from_string(jwk)
            .map_err(|e| Error::malformed(Part::Jwk, e.to_string()))?;
        let header = JwsHeader::new()
            .with_typ(PROOF_TYPE)
            .with_member("jwk", &jwk)?;
        let random_jti;
        let jti = match self.jti {
            Some(jti) => jti,
            None => {
                random_jti = base64url::encode(crate::crypto::rand::bytes(16)?);
                &random_jti
            }
        };
        let claims = ProofClaimsOut {
            jti,
            htm: target.method(),
            htu: target.uri(),
            iat: self.iat.unwrap_or_else(NumericDate::now).unix(),
            ath: self.ath.as_deref(),
            nonce: self.nonce,
        };
        let payload = serde_json::to_vec(&claims)
            .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
        jws::sign_compact(&header, &payload, &WithoutKeyId(key))
    }
}

#[derive(Serialize)]
struct ProofClaimsOut<'a> {
    jti: &'a str,
    htm: &'a str,
    htu: &'a str,
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ath: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
}

/// The key's `kid` stays out of the proof: the `jwk` header identifies the key.
struct WithoutKeyId<'k>(&'k SigningKey);

impl Signer for WithoutKeyId<'_> {
    fn algorithm(&self) -> JwsAlgorithm {
        self.0.algorithm()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        Signer::sign(self.0, signing_input)
    }
}

/// The `cnf` claim of a DPoP-bound access token (RFC 9449 §6.1): the RFC 7638 SHA-256
/// thumbprint of the client's key. Put it in the token's claims as `cnf`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// `jkt`: the base64url thumbprint.
    pub jkt: String,
}

impl From<&VerifiedProof> for Confirmation {
    fn from(proof: &VerifiedProof) -> Self {
        Self {
            jkt: proof.thumbprint().to_string(),
        }
    }
}

/// A proof that passed every check of RFC 9449 §4.3.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedProof {
    jwk: Jwk,
    jkt: String,
    alg: SignatureAlgorithm,
    jti: String,
    iat: NumericDate,
    htm: String,
    htu: String,
    nonce: Option<String>,
}

impl VerifiedProof {
    /// The RFC 7638 SHA-256 thumbprint of the proof's key, base64url: the `jkt` an access
    /// token is bound to.
    pub fn thumbprint(&self) -> &str {
        &self.jkt
    }
    /// The proof's public key.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }
    /// The algorithm the proof was signed with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.alg
    }
    /// `jti`.
    pub fn jti(&self) -> &str {
        &self.jti
    }
    /// `iat`.
    pub fn issued_at(&self) -> NumericDate {
        self.iat
    }
    /// `htm`.
    pub fn htm(&self) -> &str {
        &self.htm
    }
    /// `htu`, as the proof wrote it.
    pub fn htu(&self) -> &str {
        &self.htu
    }
    /// `nonce`, if the proof had one.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }
}

/// An access token and its DPoP proof, both verified, the token bound to the proof's key.
#[derive(Debug, Clone, PartialEq)]
pub struct DpopVerified<T = serde_json::Map<String, serde_json::Value>> {
    token: VerifiedJwt<T>,
    proof: VerifiedProof,
}

impl<T> DpopVerified<T> {
    /// The access token.
    pub fn token(&self) -> &VerifiedJwt<T> {
        &self.token
    }
    /// The proof.
    pub fn proof(&self) -> &VerifiedProof {
        &self.proof
    }
    /// Both.
    pub fn into_parts(self) -> (VerifiedJwt<T>, VerifiedProof) {
        (self.token, self.proof)
    }
}

/// Checks DPoP proofs (RFC 9449 §4.3) for a server: which algorithms it accepts (it must be
/// told), how old a proof may be, where used `jti`s are remembered and, optionally, which
/// nonces it requires.
///
/// Defaults: proofs up to 60 s old and 5 s ahead of the server's clock, `jti`s remembered
/// in memory ([`MemoryReplayCache`]; give several instances a shared cache such as
/// `josecraft-redis`'s), no nonce.
#[derive(Clone)]
pub struct ProofVerifier {
    algorithms: Vec<SignatureAlgorithm>,
    max_age: Duration,
    leeway: Duration,
    replay: Arc<dyn ReplayCache>,
    nonces: Option<Arc<dyn NonceSource>>,
    clock: Arc<dyn Clock>,
    max_len: usize,
    // The default in-memory cache follows `with_clock`; a cache the caller gave keeps its own.
    default_replay: bool,
}

impl fmt::Debug for ProofVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProofVerifier")
            .field("algorithms", &self.algorithms)
            .field("max_age", &self.max_age)
            .field("leeway", &self.leeway)
            .field("nonces", &self.nonces.is_some())
            .field("max_len", &self.max_len)
            .finish_non_exhaustive()
    }
}

/// The proof's claims, as read (types checked, presence not yet).
#[derive(Default)]
struct ProofClaims {
    jti: Option<String>,
    htm: Option<String>,
    htu: Option<String>,
    iat: Option<i64>,
    ath: Option<String>,
    nonce: Option<String>,
}

impl ProofVerifier {
    /// A verifier accepting proofs signed with one of `algorithms` (see
    /// [`RECOMMENDED_ALGORITHMS`]).
    pub fn new(algorithms: impl IntoIterator<Item = SignatureAlgorithm>) -> Self {
        Self {
            algorithms: algorithms.into_iter().collect(),
            max_age: Duration::from_secs(60),
            leeway: Duration::from_secs(5),
            replay: Arc::new(MemoryReplayCache::new()),
            nonces: None,
            clock: Arc::new(SystemClock),
            max_len: DEFAULT_MAX_PROOF_LEN,
            default_replay: true,
        }
    }

    /// Accepts proofs whose `iat` is at most `max_age` in the past; at most
    /// [`MAX_PROOF_AGE`] (a proof is made for one request, and every accepted `jti` is
    /// remembered for this long).
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age.min(MAX_PROOF_AGE);
        self
    }

    /// Allows `leeway` of clock difference: a proof's `iat` may be that far in the future
    /// (and that much older than `max_age`). At most [`jwt::MAX_LEEWAY`].
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway.min(jwt::MAX_LEEWAY);
        self
    }

    /// Remembers used `jti`s in `cache` (shared by every instance behind one URL).
    pub fn with_replay_cache(mut self, cache: Arc<dyn ReplayCache>) -> Self {
        self.replay = cache;
        self.default_replay = false;
        self
    }

    /// Requires a current nonce from `nonces` in every proof (RFC 9449 §8, §9).
    pub fn with_nonces(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = Some(nonces);
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        if self.default_replay {
            self.replay = Arc::new(MemoryReplayCache::new().with_clock(clock.clone()));
        }
        self.clock = clock;
        self
    }

    /// Reads proofs up to `max_len` bytes.
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// The accepted algorithms, for the `algs` of a `WWW-Authenticate: DPoP` challenge.
    pub fn algorithms(&self) -> &[SignatureAlgorithm] {
        &self.algorithms
    }

    /// The nonce to hand out now, when the verifier requires nonces.
    pub fn current_nonce(&self) -> Option<String> {
        self.nonces.as_ref().map(|n| n.current())
    }

    /// Verifies a proof sent without an access token (to a token endpoint, RFC 9449 §5)
    /// and records its `jti`.
    ///
    /// # Errors
    /// [`Error::Dpop`] naming the failed check; [`Error::Malformed`] only for a `request`
    /// built wrongly; [`Error::StoreUnavailable`] when the replay cache cannot answer.
    pub async fn verify(&self, proof: &str, request: &HttpRequest) -> Result<VerifiedProof> {
        let proof = self.check(proof, request, None)?;
        self.record(&proof).await?;
        Ok(proof)
    }

    /// Verifies a proof sent with `access_token` (its `ath` must match) and records its
    /// `jti`, for callers that check the token and its `cnf.jkt` themselves (a gateway, an
    /// introspection endpoint); [`verify_access_token`] does all of it.
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub async fn verify_with_access_token(
        &self,
        proof: &str,
        request: &HttpRequest,
        access_token: &str,
    ) -> Result<VerifiedProof> {
        let proof = self.check(proof, request, Some(access_token))?;
        self.record(&proof).await?;
        Ok(proof)
    }

    /// Every check that needs no store, in the order of RFC 9449 §4.3.
    fn check(
        &self,
        proof: &str,
        request: &HttpRequest,
        access_token: Option<&str>,
    ) -> Result<VerifiedProof> {
        if proof.len() > self.max_len {
            return Err(DpopError::ProofTooLarge { max: self.max_len }.into());
        }
        let malformed = |e: Error| DpopError::Malformed(e.to_string());
        let options = ParseOptions::new().with_limits(Limits::default());
        let unverified = UnverifiedCompact::parse_with(proof, &options).map_err(malformed)?;
        let header = unverified.untrusted_header().untrusted();

        // Step 4: the type.
        if !header
            .typ()
            .is_some_and(|t| media_type_matches(t, PROOF_TYPE))
        {
            return Err(DpopError::WrongType {
                found: header.typ().map(str::to_string),
            }
            .into());
        }
        // Step 5: an asymmetric algorithm of the allow-list (`none` and HMAC do not parse
        // as a `SignatureAlgorithm`).
        let alg_name = header.alg().unwrap_or_default();
        let alg = alg_name
            .parse::<SignatureAlgorithm>()
            .ok()
            .filter(|a| self.algorithms.contains(a))
            .ok_or_else(|| DpopError::AlgorithmNotAllowed {
                alg: alg_name.to_string(),
            })?;
        // Step 7 before step 6: the key is public and well-formed before anything uses it.
        let raw_jwk = header
            .jwk()
            .ok_or_else(|| DpopError::InvalidKey("the proof has no jwk header".into()))?;
        if raw_jwk.get().len() > MAX_JWK_LEN {
            return Err(DpopError::InvalidKey(format!(
                "the jwk is longer than {MAX_JWK_LEN} bytes"
            ))
            .into());
        }
        let jwk = Jwk::from_json(raw_jwk.get().as_bytes())
            .map_err(|e| DpopError::InvalidKey(e.to_string()))?;
        if jwk.is_private() {
            return Err(DpopError::PrivateKey.into());
        }
        let key = jwk
            .to_verifying_key(Some(alg))
            .map_err(|e| DpopError::InvalidKey(e.to_string()))?;
        // RFC 7797 unencoded payloads are for detached content, never for proofs.
        if !header.is_payload_encoded() {
            return Err(DpopError::Malformed("a proof cannot use \"b64\": false".into()).into());
        }
        // Step 6: the signature.
        let verified = unverified.verify(&key).map_err(|e| {
            if e == Error::InvalidSignature {
                DpopError::InvalidSignature
            } else {
                DpopError::Malformed(e.to_string())
            }
        })?;
        // Steps 2–3: the claims.
        let claims = read_claims(verified.payload())?;
        let jti = claims.jti.ok_or(DpopError::MissingClaim("jti"))?;
        let htm = claims.htm.ok_or(DpopError::MissingClaim("htm"))?;
        let htu = claims.htu.ok_or(DpopError::MissingClaim("htu"))?;
        let iat = claims.iat.ok_or(DpopError::MissingClaim("iat"))?;
        // Step 8: the method, exactly (methods are case-sensitive, RFC 9110 §9.1).
        if htm != request.method {
            return Err(DpopError::MethodMismatch {
                expected: request.method.clone(),
                found: htm,
            }
            .into());
        }
        // Step 9: the URI, normalized on both sides.
        if uri::normalize(&htu).as_deref() != Some(request.uri.as_str()) {
            return Err(DpopError::UriMismatch {
                expected: request.uri.clone(),
                found: htu,
            }
            .into());
        }
        // Step 10: the nonce.
        if let Some(nonces) = &self.nonces {
            if !claims.nonce.as_deref().is_some_and(|n| nonces.accepts(n)) {
                return Err(DpopError::UseNonce {
                    nonce: nonces.current(),
                }
                .into());
            }
        }
        // Step 11: the time window.
        let now = self.clock.now().unix();
        let leeway = i64::try_from(self.leeway.as_secs()).unwrap_or(i64::MAX);
        let max_age = i64::try_from(self.max_age.as_secs()).unwrap_or(i64::MAX);
        if iat > now.saturating_add(leeway) {
            return Err(DpopError::IssuedInFuture { iat, now }.into());
        }
        if iat < now.saturating_sub(max_age).saturating_sub(leeway) {
            return Err(DpopError::TooOld { iat, now }.into());
        }
        let iat = NumericDate::from_unix(iat).ok_or(DpopError::TooOld { iat, now })?;
        // Step 12: the access token's hash (its binding is checked with the token).
        if let Some(token) = access_token {
            let ath = claims.ath.ok_or(DpopError::MissingClaim("ath"))?;
            if ath != access_token_hash(token) {
                return Err(DpopError::AccessTokenHashMismatch.into());
            }
        }
        Ok(VerifiedProof {
            jkt: jwk.thumbprint_b64(ThumbprintHash::Sha256),
            jwk,
            alg,
            jti,
            iat,
            htm,
            htu,
            nonce: claims.nonce,
        })
    }

    /// Records the proof's `jti` for as long as the proof could be accepted: a second use
    /// is a replay (§11.1). The entry is scoped to the key and the URI, so one client's
    /// `jti`s cannot block another's.
    async fn record(&self, proof: &VerifiedProof) -> Result<()> {
        let mut scoped =
            Vec::with_capacity(proof.jkt.len() + proof.htu.len() + proof.jti.len() + 2);
        for part in [&proof.jkt, &proof.htu, &proof.jti] {
            scoped.extend_from_slice(part.as_bytes());
            scoped.push(0);
        }
        let id = format!("dpop:{}", base64url::encode(Sha::Sha256.digest(&scoped)));
        // The last second the proof is accepted is iat + max_age + leeway. `ReplayCache`
        // remembers through `until`, that second included; the extra second keeps a custom
        // cache that forgets an entry as soon as its time is reached safe too.
        // Both terms are bounded (a day each), so the sum is a valid date after any iat
        // that passed the window.
        let until = proof
            .iat
            .checked_add(self.max_age + self.leeway + Duration::from_secs(1))
            .ok_or(DpopError::TooOld {
                iat: proof.iat.unix(),
                now: self.clock.now().unix(),
            })?;
        if self.replay.first_use(&id, until).await? {
            Ok(())
        } else {
            Err(DpopError::Replayed.into())
        }
    }
}

fn read_claims(payload: &[u8]) -> Result<ProofClaims> {
    let malformed = |why: String| Error::from(DpopError::Malformed(why));
    let members = json::parse_object(payload, Part::Claims, Limits::default().json_depth())
        .map_err(|e| malformed(e.to_string()))?;
    let mut claims = ProofClaims::default();
    for (name, value) in &members {
        let text = |max: usize| -> Result<String> {
            let s: String = serde_json::from_str(value.get())
                .map_err(|_| malformed(format!("{name} is not a string")))?;
            if s.is_empty() || s.len() > max {
                return Err(malformed(format!(
                    "{name} is empty or longer than {max} bytes"
                )));
            }
            Ok(s)
        };
        match name.as_ref() {
            "jti" => claims.jti = Some(text(MAX_ID_LEN)?),
            "nonce" => claims.nonce = Some(text(MAX_ID_LEN)?),
            "htm" => claims.htm = Some(text(32)?),
            "htu" => claims.htu = Some(text(8 * 1024)?),
            "ath" => claims.ath = Some(text(128)?),
            "iat" => {
                // A NumericDate may have a fraction (RFC 7519 §2); whole seconds decide.
                let n: serde_json::Number = serde_json::from_str(value.get())
                    .map_err(|_| malformed("iat is not a number".into()))?;
                let secs = n
                    .as_i64()
                    .or_else(|| {
                        n.as_f64()
                            .filter(|f| f.is_finite())
                            .map(|f| f.floor() as i64)
                    })
                    .ok_or_else(|| malformed("iat is out of range".into()))?;
                claims.iat = Some(secs);
            }
            _ => {}
        }
    }
    Ok(claims)
}

/// Verifies an access token presented with a DPoP proof (RFC 9449 §7.1): the proof for
/// `request` with the token's `ath`, the token with `keys` and `validation`, the token's
/// `cnf.jkt` against the proof's key; then records the proof's `jti`.
///
/// The access token is a signed JWT (compact JWS). Encrypted access tokens (a nested JWT
/// in a JWE) are not handled here: `jwt::decrypt_nested` refuses a bound one as a Bearer
/// use, and there is no DPoP variant of it yet.
///
/// # Errors
/// [`Error::Dpop`] for the proof or the binding; the errors of [`jwt::verify_async`] for
/// the token; [`Error::StoreUnavailable`] when the replay cache cannot answer.
pub async fn verify_access_token<T: DeserializeOwned>(
    access_token: &str,
    proof: &str,
    request: &HttpRequest,
    keys: &dyn KeySource,
    validation: &Validation,
    verifier: &ProofVerifier,
) -> Result<DpopVerified<T>> {
    let proof = verifier.check(proof, request, Some(access_token))?;
    let token = jwt::verify_async_bound(access_token, keys, validation, &proof.jkt).await?;
    // Last: only a request that is otherwise acceptable costs a store round trip.
    verifier.record(&proof).await?;
    Ok(DpopVerified { token, proof })
}

/// The one `DPoP` header of a request (RFC 9449 §4.3 step 1), given every value it has.
///
/// # Errors
/// [`DpopError::MissingProof`] for none, [`DpopError::SeveralProofs`] for more than one.
pub fn single_proof<'a>(mut values: impl Iterator<Item = &'a str>) -> Result<&'a str> {
    let first = values.next().ok_or(DpopError::MissingProof)?;
    if values.next().is_some() {
        return Err(DpopError::SeveralProofs.into());
    }
    Ok(first)
}

/// The access token of an `Authorization: DPoP <token>` header value (RFC 9449 §7.1).
///
/// # Errors
/// [`Error::Malformed`] (part [`Part::HttpHeader`]) for another scheme or credentials that
/// are not a `token68`.
pub fn access_token(authorization: &str) -> Result<&str> {
    jwt::credentials(authorization, "DPoP")
}

#[cfg(test)]
mod tests;
