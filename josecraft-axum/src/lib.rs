//! Protecting an HTTP API with josecraft: a tower [`Layer`] that checks the Bearer access
//! token of every request, an axum extractor for the verified claims, and per-route
//! authorization, answering as RFC 6750 §3 says.
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use josecraft::jwt::Validation;
//! use josecraft::keysource::{HttpFetcher, RemoteJwks};
//! use josecraft_axum::{JwtAuth, Verified};
//!
//! #[derive(serde::Deserialize)]
//! struct Scope { scope: String }
//!
//! async fn me(token: Verified<Scope>) -> String {
//!     format!("{} may {}", token.claims().sub.as_deref().unwrap_or("?"), token.claims().custom.scope)
//! }
//!
//! # fn app() -> Result<Router, josecraft::Error> {
//! let jwks = RemoteJwks::new(HttpFetcher::new("https://auth.example/.well-known/jwks.json")?);
//! let auth = JwtAuth::<Scope>::new(jwks, Validation::issuer("https://auth.example").audience("api"))
//!     .with_realm("api");
//! let app = Router::new()
//!     .route("/orders", get(|| async { "orders" }).route_layer(auth.require_scopes(["orders:write"])))
//!     .route("/me", get(me))
//!     .layer(auth);
//! # Ok(app) }
//! ```
//!
//! | situation | answer |
//! |---|---|
//! | no `Authorization` header | 401, `WWW-Authenticate: Bearer realm="…"` (no error code) |
//! | two `Authorization` headers, or a Bearer value that is not one `b64token` | 400 `invalid_request` |
//! | bad, tampered, expired, wrong-audience token | 401 `invalid_token`, a short fixed description |
//! | keys or the revocation store unavailable | 503 with `Retry-After`, a generic body |
//! | valid token without the required scope | 403 `insufficient_scope`, `scope="…"` |
//! | valid token refused by a rule | 403 `insufficient_scope` |
//! | credentials of another scheme (`Basic …`) | as no credentials (RFC 6750 §3.1) |
//! | token whose `kid` is unknown while the key set may not be refetched yet | 401 `invalid_token` with `Retry-After` |
//!
//! Descriptions are fixed texts: never the internal error (which goes to `tracing` at
//! debug level, or warn for unavailable keys), never a URL.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, RETRY_AFTER, WWW_AUTHENTICATE};
use http::request::Parts;
use http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri};
use josecraft::dpop::{self, HttpRequest, ProofVerifier, VerifiedProof};
use josecraft::jwt::{self, Claims, Forbidden, Validation, VerifiedJwt};
use josecraft::keysource::KeySource;
use josecraft::{ClaimsError, DpopError, Error, KeySelectionError};
use serde::de::DeserializeOwned;
use tower_layer::Layer;
use tower_service::Service;

/// The `Retry-After` of a 503 when the key source gives none.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// The longest `Retry-After` sent, in seconds (a day), whatever the key source or
/// configuration asks for.
const MAX_RETRY_AFTER_SECS: u64 = 86_400;

/// The `DPoP` request header, carrying the proof (RFC 9449 §4.1).
pub const DPOP: HeaderName = HeaderName::from_static("dpop");

/// The `DPoP-Nonce` response header (RFC 9449 §8, §9).
pub const DPOP_NONCE: HeaderName = HeaderName::from_static("dpop-nonce");

/// How a [`JwtAuth`] checks DPoP (RFC 9449) requests: see [`JwtAuth::with_dpop`].
#[derive(Debug)]
struct DpopSettings {
    verifier: ProofVerifier,
    /// Scheme, host and port the clients address, without a trailing slash.
    origin: String,
    /// Whether plain Bearer tokens are still accepted.
    bearer: bool,
    /// `algs` of the challenge.
    algs: Arc<str>,
}

/// Which scheme a request used, for the challenge that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Dpop,
}

/// What the challenges of a refusal offer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Offer {
    realm: Option<Arc<str>>,
    /// Present when DPoP is accepted: the `algs` of its challenge.
    dpop_algs: Option<Arc<str>>,
    bearer: bool,
    scheme: Scheme,
}

/// Checks the Bearer token of every request with a [`KeySource`] and a [`Validation`];
/// a tower [`Layer`] (`Router::layer`, `route_layer`, or any tower stack whose responses
/// are axum responses).
///
/// A verified token goes into the request's extensions as [`Verified<T>`] (take it with
/// the extractor) together with the scopes it grants; a request without a valid token
/// never reaches the inner service, unless the layer is [`optional`](Self::optional) and
/// the request carries no credentials at all.
///
/// ```
/// use axum::{routing::get, Router};
/// use josecraft::jwk::JwkSet;
/// use josecraft::jwt::Validation;
/// use josecraft::{SignatureAlgorithm, SigningKey};
/// use josecraft_axum::JwtAuth;
///
/// // Any key source: a local JWK Set here, usually a `RemoteJwks`.
/// let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("k1");
/// let keys = JwkSet::new().with(key.to_jwk());
/// let auth = JwtAuth::<serde_json::Value>::new(keys, Validation::issuer("https://auth.example").audience("api"))
///     .with_realm("api");
/// let app: Router = Router::new()
///     .route("/reports", get(|| async { "reports" }).route_layer(auth.require_scopes(["reports:read"])))
///     .layer(auth);
/// # Ok::<(), josecraft::Error>(())
/// ```
pub struct JwtAuth<T> {
    keys: Arc<dyn KeySource>,
    validation: Arc<Validation>,
    realm: Option<Arc<str>>,
    optional: bool,
    retry_after: Duration,
    dpop: Option<Arc<DpopSettings>>,
    claims: PhantomData<fn() -> T>,
}

impl<T> Clone for JwtAuth<T> {
    fn clone(&self) -> Self {
        Self {
            keys: Arc::clone(&self.keys),
            validation: Arc::clone(&self.validation),
            realm: self.realm.clone(),
            optional: self.optional,
            retry_after: self.retry_after,
            dpop: self.dpop.clone(),
            claims: PhantomData,
        }
    }
}

impl<T> fmt::Debug for JwtAuth<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtAuth")
            .field("validation", &self.validation)
            .field("realm", &self.realm)
            .field("optional", &self.optional)
            .field("dpop", &self.dpop)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + Sync + 'static> JwtAuth<T> {
    /// Tokens verified with the keys of `keys` (a key, a [`JwkSet`](josecraft::jwk::JwkSet),
    /// a [`RemoteJwks`](josecraft::keysource::RemoteJwks), ...) and validated by
    /// `validation`, whose required scopes and rules apply to every route.
    pub fn new(keys: impl KeySource + 'static, validation: Validation) -> Self {
        Self::from_shared(Arc::new(keys), validation)
    }

    /// As [`new`](Self::new), with a key source shared with other code.
    pub fn from_shared(keys: Arc<dyn KeySource>, validation: Validation) -> Self {
        Self {
            keys,
            validation: Arc::new(validation),
            realm: None,
            optional: false,
            retry_after: DEFAULT_RETRY_AFTER,
            dpop: None,
            claims: PhantomData,
        }
    }

    /// Accepts DPoP-bound tokens (RFC 9449): `Authorization: DPoP <token>` with one `DPoP`
    /// proof header, checked by `verifier` against the request's method and its URI at
    /// `public_origin` (the scheme, host and port clients use, e.g.
    /// `https://api.example`: behind a proxy, the outside one), and the token bound to the
    /// proof's key. Plain Bearer tokens stay accepted unless [`dpop_only`](Self::dpop_only);
    /// a DPoP-bound token presented as a Bearer token is refused either way (§7.2).
    ///
    /// 401 answers carry a `WWW-Authenticate: DPoP algs="…"` challenge (with
    /// `error="invalid_dpop_proof"` or `"invalid_token"` for a DPoP request); when the
    /// verifier requires nonces, a missing or stale one is answered with
    /// `error="use_dpop_nonce"` and a `DPoP-Nonce` header, and every other response to a
    /// DPoP request (accepted, or refused for another reason) carries the current nonce
    /// (RFC 9449 §9), so clients follow its rotation without a failed request.
    ///
    /// The path is the one the client called (axum's `OriginalUri`, so a layer inside a
    /// `nest` sees the whole path).
    ///
    /// # Errors
    /// [`Error::Malformed`] when `public_origin` is not an absolute `http`/`https` URI.
    pub fn with_dpop(
        mut self,
        verifier: ProofVerifier,
        public_origin: &str,
    ) -> Result<Self, Error> {
        let origin = HttpRequest::new("GET", public_origin)?
            .uri()
            .trim_end_matches('/')
            .to_string();
        let algs = verifier
            .algorithms()
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(" ");
        let bearer = self.dpop.as_ref().is_none_or(|d| d.bearer);
        self.dpop = Some(Arc::new(DpopSettings {
            verifier,
            origin,
            bearer,
            algs: Arc::from(algs),
        }));
        Ok(self)
    }

    /// Refuses plain Bearer tokens: only DPoP requests are accepted (call after
    /// [`with_dpop`](Self::with_dpop); without it this does nothing).
    pub fn dpop_only(mut self) -> Self {
        if let Some(d) = self.dpop.take() {
            let d = Arc::try_unwrap(d).unwrap_or_else(|shared| DpopSettings {
                verifier: shared.verifier.clone(),
                origin: shared.origin.clone(),
                bearer: shared.bearer,
                algs: shared.algs.clone(),
            });
            self.dpop = Some(Arc::new(DpopSettings { bearer: false, ..d }));
        }
        self
    }

    fn offer(&self, scheme: Scheme) -> Offer {
        Offer {
            realm: self.realm.clone(),
            dpop_algs: self.dpop.as_ref().map(|d| d.algs.clone()),
            bearer: self.dpop.as_ref().is_none_or(|d| d.bearer),
            scheme,
        }
    }

    /// The `realm` of the `WWW-Authenticate` challenges (none by default).
    pub fn with_realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(Arc::from(realm.into()));
        self
    }

    /// Lets requests without any `Authorization` header through, unauthenticated (take
    /// `Option<Verified<T>>`); a request that does present a token still needs a valid one.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// The `Retry-After` of a 503 when the key source does not say (default 5 s), sent in
    /// whole seconds rounded up, at most a day.
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// A route layer that lets a request through only when its verified token grants
    /// every one of `scopes` (`scope` or `scp` claim); otherwise 403 `insufficient_scope`
    /// with `scope="…"`, or 401 when the request is not authenticated. Put it under this
    /// layer (`route_layer` of a route on a router that has this layer).
    pub fn require_scopes<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        scopes: I,
    ) -> Authorize {
        let required: Arc<[String]> = scopes.into_iter().map(Into::into).collect();
        Authorize::new(move |ext: &Extensions| {
            let granted = ext
                .get::<GrantedScopes>()
                .ok_or(AuthErrorKind::MissingCredentials)?;
            if required.iter().all(|r| granted.0.iter().any(|g| g == r)) {
                Ok(())
            } else {
                Err(AuthErrorKind::InsufficientScope {
                    required: required.to_vec(),
                })
            }
        })
    }

    /// A route layer that lets a request through only when `allow` accepts its verified
    /// claims (roles, groups, tenant, ...); otherwise 403 `insufficient_scope`, or 401 when
    /// the request is not authenticated.
    pub fn require<F>(&self, allow: F) -> Authorize
    where
        F: Fn(&Claims<T>) -> bool + Send + Sync + 'static,
    {
        Authorize::new(move |ext: &Extensions| {
            let verified = ext
                .get::<Verified<T>>()
                .ok_or(AuthErrorKind::MissingCredentials)?;
            if allow(verified.claims()) {
                Ok(())
            } else {
                Err(AuthErrorKind::Denied)
            }
        })
    }

    /// Checks the request's headers: `Ok(None)` when there are no credentials and the layer
    /// is optional. For use outside tower, Bearer tokens only (a DPoP proof is checked
    /// against the request's method and URI: use
    /// [`authenticate_request`](Self::authenticate_request)).
    ///
    /// # Errors
    /// The [`AuthRejection`] to answer with.
    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<(Verified<T>, GrantedScopes)>, AuthRejection> {
        Ok(self
            .check(None, headers)
            .await?
            .map(|a| (a.token, a.scopes)))
    }

    /// Checks a request (its method, URI and headers): `Ok(None)` when there are no
    /// credentials and the layer is optional. For use outside tower.
    ///
    /// # Errors
    /// The [`AuthRejection`] to answer with.
    pub async fn authenticate_request(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<Option<Authenticated<T>>, AuthRejection> {
        self.check(Some((method, uri)), headers).await
    }

    async fn check(
        &self,
        target: Option<(&Method, &Uri)>,
        headers: &HeaderMap,
    ) -> Result<Option<Authenticated<T>>, AuthRejection> {
        let reject = |kind, scheme| AuthRejection {
            kind,
            offer: self.offer(scheme),
            nonce: None,
        };
        let bearer_allowed = self.dpop.as_deref().is_none_or(|d| d.bearer);
        // A malformed Authorization header is answered in the scheme the layer accepts.
        let header_scheme = if bearer_allowed {
            Scheme::Bearer
        } else {
            Scheme::Dpop
        };
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let none = |this: &Self| {
            if this.optional {
                Ok(None)
            } else {
                Err(reject(AuthErrorKind::MissingCredentials, Scheme::Bearer))
            }
        };
        let Some(value) = values.next() else {
            return none(self);
        };
        if values.next().is_some() {
            return Err(reject(AuthErrorKind::InvalidRequest, header_scheme));
        }
        let Ok(text) = value.to_str() else {
            return Err(reject(AuthErrorKind::InvalidRequest, header_scheme));
        };
        // RFC 6750 §3.1: credentials of another scheme are no Bearer credentials at all —
        // a bare challenge, not an error (and an optional route lets them through).
        let scheme = text
            .trim_start_matches([' ', '\t'])
            .split([' ', '\t'])
            .next()
            .unwrap_or("");
        if scheme.eq_ignore_ascii_case("DPoP") {
            // Without the request's method and URI (`authenticate`) no proof can be checked.
            if let (Some(settings), Some((method, uri))) = (self.dpop.as_deref(), target) {
                return self
                    .check_dpop(settings, method, uri, headers, text)
                    .await
                    .map(Some)
                    .map_err(|kind| AuthRejection {
                        // RFC 9449 §9: any response may carry the next nonce; on a refusal
                        // it saves a DPoP client the round trip of a `use_dpop_nonce`.
                        nonce: settings.verifier.current_nonce(),
                        ..reject(kind, Scheme::Dpop)
                    });
            }
            return none(self);
        }
        if !scheme.eq_ignore_ascii_case("Bearer") || !bearer_allowed {
            return none(self);
        }
        let token = jwt::bearer_token(text)
            .map_err(|_| reject(AuthErrorKind::InvalidRequest, Scheme::Bearer))?;
        let verified = match jwt::verify_async::<T>(token, &*self.keys, &self.validation).await {
            Ok(v) => v,
            Err(e) => return Err(reject(self.classify(&e), Scheme::Bearer)),
        };
        Ok(Some(Authenticated::new(verified, None, None)))
    }

    async fn check_dpop(
        &self,
        settings: &DpopSettings,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        authorization: &str,
    ) -> Result<Authenticated<T>, AuthErrorKind> {
        let token = dpop::access_token(authorization).map_err(|_| AuthErrorKind::InvalidRequest)?;
        let proof = dpop::single_proof(
            headers
                .get_all(DPOP)
                .iter()
                .map(|v| v.to_str().unwrap_or("")),
        )
        .map_err(|e| self.classify(&e))?;
        // The proof's URI is compared after dot-segment removal, which the router does not
        // do: a path with `.`/`..` segments (raw or percent-encoded) would let a proof for
        // one path be accepted on a route that sees another.
        if has_dot_segment(uri.path()) {
            return Err(AuthErrorKind::InvalidRequest);
        }
        let request = HttpRequest::new(
            method.as_str(),
            &format!("{}{}", settings.origin, uri.path()),
        )
        .map_err(|_| AuthErrorKind::InvalidRequest)?;
        let verified = dpop::verify_access_token::<T>(
            token,
            proof,
            &request,
            &*self.keys,
            &self.validation,
            &settings.verifier,
        )
        .await
        .map_err(|e| self.classify(&e))?;
        let (token, proof) = verified.into_parts();
        Ok(Authenticated::new(
            token,
            Some(proof),
            settings.verifier.current_nonce(),
        ))
    }

    /// What a verification error means for the client; the error itself goes to the log.
    fn classify(&self, e: &Error) -> AuthErrorKind {
        match e {
            // The key source itself logs its failures (`tracing` feature of josecraft, or
            // its observer); here at debug level, as this repeats for every request.
            Error::KeysUnavailable(_) | Error::StoreUnavailable(_) => {
                tracing::debug!(error = %e, "josecraft-axum: cannot verify tokens");
                AuthErrorKind::Unavailable {
                    retry_after: self.retry_after,
                }
            }
            // An unknown `kid` while the key set may not be refetched yet: anyone can send
            // made-up `kid`s, so this is 401 (a 5xx would let clients set off alerts), with
            // `Retry-After` for the honest client whose key was published a moment ago.
            Error::KeySelection(KeySelectionError::NoKeyInCooldown { retry_after, .. }) => {
                tracing::debug!(error = %e, "josecraft-axum: token key not known (yet)");
                AuthErrorKind::UnknownKey {
                    retry_after: *retry_after,
                }
            }
            Error::Forbidden(Forbidden::InsufficientScope { required, .. }) => {
                AuthErrorKind::InsufficientScope {
                    required: required.clone(),
                }
            }
            Error::Forbidden(_) => AuthErrorKind::Denied,
            Error::Claims(ClaimsError::Expired { .. }) => AuthErrorKind::ExpiredToken,
            Error::Dpop(DpopError::UseNonce { nonce }) => AuthErrorKind::UseDpopNonce {
                nonce: nonce.clone(),
            },
            Error::Dpop(d) if d.challenge_error() == "invalid_dpop_proof" => {
                tracing::debug!(error = %e, "josecraft-axum: DPoP proof refused");
                AuthErrorKind::InvalidDpopProof
            }
            _ => {
                tracing::debug!(error = %e, "josecraft-axum: token refused");
                AuthErrorKind::InvalidToken
            }
        }
    }
}

impl<S, T> Layer<S> for JwtAuth<T> {
    type Service = JwtAuthService<S, T>;

    fn layer(&self, inner: S) -> Self::Service {
        JwtAuthService {
            inner,
            auth: self.clone(),
        }
    }
}

/// The service of [`JwtAuth`].
///
/// It follows tower's readiness contract by calling the inner service it polled ready, so
/// a concurrency limit or buffer slot below it is held while the token is verified (with
/// a remote key set that has to be fetched, up to the fetcher's timeout). Put limits that
/// should not count that time above this layer.
pub struct JwtAuthService<S, T> {
    inner: S,
    auth: JwtAuth<T>,
}

impl<S: Clone, T> Clone for JwtAuthService<S, T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            auth: self.auth.clone(),
        }
    }
}

impl<S: fmt::Debug, T> fmt::Debug for JwtAuthService<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtAuthService")
            .field("inner", &self.inner)
            .field("auth", &self.auth)
            .finish()
    }
}

type BoxFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, T, B> Service<Request<B>> for JwtAuthService<S, T>
where
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    T: DeserializeOwned + Send + Sync + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The service that was polled ready serves this request; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let auth = self.auth.clone();
        Box::pin(async move {
            // Under a `nest`, `uri()` lost the prefix the client called.
            let uri = request
                .extensions()
                .get::<axum::extract::OriginalUri>()
                .map_or_else(|| request.uri().clone(), |o| o.0.clone());
            let outcome = auth
                .check(Some((request.method(), &uri)), request.headers())
                .await;
            let mut nonce = None;
            let mut scheme = Scheme::Bearer;
            let authenticated = match outcome {
                Ok(Some(a)) => {
                    nonce = a.nonce;
                    if a.proof.is_some() {
                        scheme = Scheme::Dpop;
                    }
                    request.extensions_mut().insert(a.token);
                    request.extensions_mut().insert(a.scopes);
                    if let Some(proof) = a.proof {
                        request.extensions_mut().insert(proof);
                    }
                    true
                }
                Ok(None) => false,
                Err(rejection) => return Ok(rejection.into_response()),
            };
            request.extensions_mut().insert(AuthContext {
                offer: auth.offer(scheme),
                authenticated,
            });
            let mut response = inner.call(request).await?;
            // RFC 9449 §9: a resource server may hand out the next nonce with any response.
            if let Some(v) = nonce.and_then(|n| HeaderValue::from_str(&n).ok()) {
                response.headers_mut().insert(DPOP_NONCE, v);
            }
            Ok(response)
        })
    }
}

/// Whether a path has a `.` or `..` segment, also percent-encoded (`%2E`).
fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let decoded = segment.replace("%2E", ".").replace("%2e", ".");
        decoded == "." || decoded == ".."
    })
}

/// What [`JwtAuth`] left in the request for extractors and route layers.
#[derive(Clone)]
struct AuthContext {
    offer: Offer,
    authenticated: bool,
}

/// A request that [`JwtAuth::authenticate_request`] accepted.
#[derive(Debug)]
#[non_exhaustive]
pub struct Authenticated<T> {
    /// The verified access token.
    pub token: Verified<T>,
    /// The scopes it grants.
    pub scopes: GrantedScopes,
    /// The DPoP proof that came with it, for a DPoP request.
    pub proof: Option<VerifiedProof>,
    /// The nonce to send back in `DPoP-Nonce`, when the verifier requires nonces.
    pub nonce: Option<String>,
}

impl<T> Authenticated<T> {
    fn new(verified: VerifiedJwt<T>, proof: Option<VerifiedProof>, nonce: Option<String>) -> Self {
        // A `scope`/`scp` of an unexpected type grants nothing: routes that need a scope
        // refuse it (403); routes that need none are not affected.
        let scopes = GrantedScopes(
            verified
                .scopes()
                .unwrap_or_else(|e| {
                    tracing::debug!(error = %e, "josecraft-axum: the token's scopes cannot be read");
                    Vec::new()
                })
                .into(),
        );
        Self {
            token: Verified(Arc::new(verified)),
            scopes,
            proof,
            nonce,
        }
    }
}

/// The scopes the request's verified token grants (`scope` and `scp` claims), in the
/// request's extensions next to [`Verified`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedScopes(Arc<[String]>);

impl GrantedScopes {
    /// Whether `scope` is granted.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    /// Every granted scope.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// A verified token, with claims of type `T`: the axum extractor of what [`JwtAuth`]
/// accepted. `Option<Verified<T>>` is `None` on an [optional](JwtAuth::optional) route
/// without credentials.
///
/// Extracting it where no `JwtAuth<T>` layer ran (or one with another `T`) answers 500:
/// that is a wiring mistake, not a client error.
///
/// ```
/// use josecraft_axum::Verified;
///
/// #[derive(serde::Deserialize)]
/// struct Roles {
///     #[serde(default)]
///     roles: Vec<String>,
/// }
///
/// // A handler under a `JwtAuth::<Roles>` layer: typed claims, registered and custom.
/// async fn whoami(token: Verified<Roles>) -> String {
///     let claims = token.claims();
///     format!("{:?} with roles {:?}", claims.sub, claims.custom.roles)
/// }
///
/// // On an optional layer, a request without credentials gets `None`.
/// async fn greet(token: Option<Verified<Roles>>) -> &'static str {
///     if token.is_some() { "welcome back" } else { "hello" }
/// }
/// # let _ = axum::Router::<()>::new().route("/", axum::routing::get(whoami)).route("/g", axum::routing::get(greet));
/// ```
pub struct Verified<T>(Arc<VerifiedJwt<T>>);

impl<T> Clone for Verified<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: fmt::Debug> fmt::Debug for Verified<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Verified").field(&self.0).finish()
    }
}

impl<T> std::ops::Deref for Verified<T> {
    type Target = VerifiedJwt<T>;

    fn deref(&self) -> &VerifiedJwt<T> {
        &self.0
    }
}

impl<T> Verified<T> {
    /// The verified token.
    pub fn token(&self) -> &VerifiedJwt<T> {
        &self.0
    }
}

impl<S: Send + Sync, T: Send + Sync + 'static> FromRequestParts<S> for Verified<T> {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Verified<T>>() {
            return Ok(v.clone());
        }
        match parts.extensions.get::<AuthContext>() {
            Some(ctx) if !ctx.authenticated => Err(AuthRejection {
                kind: AuthErrorKind::MissingCredentials,
                offer: ctx.offer.clone(),
                nonce: None,
            }),
            _ => Err(not_configured::<T>()),
        }
    }
}

impl<S: Send + Sync, T: Send + Sync + 'static> OptionalFromRequestParts<S> for Verified<T> {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Verified<T>>() {
            return Ok(Some(v.clone()));
        }
        match parts.extensions.get::<AuthContext>() {
            Some(ctx) if !ctx.authenticated => Ok(None),
            _ => Err(not_configured::<T>()),
        }
    }
}

fn not_configured<T>() -> AuthRejection {
    tracing::error!(
        claims = std::any::type_name::<T>(),
        "josecraft-axum: Verified<T> extracted where no JwtAuth<T> layer ran"
    );
    AuthRejection {
        kind: AuthErrorKind::NotConfigured,
        offer: Offer {
            realm: None,
            dpop_algs: None,
            bearer: true,
            scheme: Scheme::Bearer,
        },
        nonce: None,
    }
}

/// Why a request was refused, as the client is told.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// No `Authorization` header: 401 with a bare `Bearer` challenge.
    MissingCredentials,
    /// Not exactly one `Authorization: Bearer <b64token>`: 400 `invalid_request`.
    InvalidRequest,
    /// The token is bad (signature, format, claims): 401 `invalid_token`.
    InvalidToken,
    /// The token expired: 401 `invalid_token`.
    ExpiredToken,
    /// No key of the (recently fetched) key set fits the token's `kid`: 401
    /// `invalid_token` with `Retry-After`, for a key published a moment ago.
    UnknownKey {
        /// When the key set may be fetched again.
        retry_after: Duration,
    },
    /// The keys to check the token are not available: 503 with `Retry-After`.
    Unavailable {
        /// When to try again.
        retry_after: Duration,
    },
    /// The valid token lacks scopes: 403 `insufficient_scope` with `scope`.
    InsufficientScope {
        /// The scopes the resource requires.
        required: Vec<String>,
    },
    /// The valid token was refused by a rule: 403 `insufficient_scope`.
    Denied,
    /// The server is wired wrongly (an extractor without its layer): 500.
    NotConfigured,
    /// The DPoP proof is missing, malformed, replayed, or does not fit the request: 401
    /// `invalid_dpop_proof` (RFC 9449 §7.1).
    InvalidDpopProof,
    /// The proof lacks a current server nonce: 401 `use_dpop_nonce` with the nonce in
    /// `DPoP-Nonce` (RFC 9449 §9).
    UseDpopNonce {
        /// The nonce the client must use.
        nonce: String,
    },
}

/// A refusal, answered per RFC 6750 §3 and RFC 9449 §7 (see the crate docs for the
/// table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRejection {
    kind: AuthErrorKind,
    offer: Offer,
    /// The server nonce to hand out with a refusal of a DPoP request, when the layer's
    /// verifier requires nonces.
    nonce: Option<String>,
}

impl AuthRejection {
    /// Why.
    pub fn kind(&self) -> &AuthErrorKind {
        &self.kind
    }

    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self.kind {
            AuthErrorKind::MissingCredentials
            | AuthErrorKind::InvalidToken
            | AuthErrorKind::ExpiredToken
            | AuthErrorKind::UnknownKey { .. }
            | AuthErrorKind::InvalidDpopProof
            | AuthErrorKind::UseDpopNonce { .. } => StatusCode::UNAUTHORIZED,
            AuthErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
            AuthErrorKind::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AuthErrorKind::InsufficientScope { .. } | AuthErrorKind::Denied => {
                StatusCode::FORBIDDEN
            }
            AuthErrorKind::NotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The first `WWW-Authenticate` value, if the answer has one (see
    /// [`challenges`](Self::challenges)).
    pub fn challenge(&self) -> Option<String> {
        self.challenges().into_iter().next()
    }

    /// Every `WWW-Authenticate` value of the answer: the challenge of the scheme the
    /// request used, with its error, first; then a bare challenge of each other scheme the
    /// layer accepts (`Bearer`, and `DPoP algs="…"` when DPoP is on).
    pub fn challenges(&self) -> Vec<String> {
        let (code, description, scope) = match &self.kind {
            AuthErrorKind::MissingCredentials => (None, None, None),
            AuthErrorKind::InvalidRequest => (
                Some("invalid_request"),
                Some(match self.offer.scheme {
                    Scheme::Bearer => {
                        "the request needs one Authorization: Bearer header with a token"
                    }
                    Scheme::Dpop => "the request needs one Authorization: DPoP header with a token",
                }),
                None,
            ),
            AuthErrorKind::InvalidToken | AuthErrorKind::UnknownKey { .. } => (
                Some("invalid_token"),
                Some("the access token is invalid"),
                None,
            ),
            AuthErrorKind::ExpiredToken => (
                Some("invalid_token"),
                Some("the access token expired"),
                None,
            ),
            AuthErrorKind::InsufficientScope { required } => (
                Some("insufficient_scope"),
                Some("the access token lacks a required scope"),
                Some(required.join(" ")),
            ),
            AuthErrorKind::Denied => (
                Some("insufficient_scope"),
                Some("the access token does not allow this request"),
                None,
            ),
            AuthErrorKind::InvalidDpopProof => (
                Some("invalid_dpop_proof"),
                Some("the DPoP proof is invalid"),
                None,
            ),
            AuthErrorKind::UseDpopNonce { .. } => (
                Some("use_dpop_nonce"),
                Some("the resource server requires a nonce in the DPoP proof"),
                None,
            ),
            AuthErrorKind::Unavailable { .. } | AuthErrorKind::NotConfigured => return Vec::new(),
        };
        let challenge = |scheme: Scheme, with_error: bool| {
            let mut params = Vec::new();
            if let Some(realm) = &self.offer.realm {
                params.push(format!("realm={}", quoted(realm)));
            }
            if with_error {
                if let Some(code) = code {
                    params.push(format!("error={}", quoted(code)));
                }
                if let Some(d) = description {
                    params.push(format!("error_description={}", quoted(d)));
                }
                if let Some(s) = &scope {
                    params.push(format!("scope={}", quoted(s)));
                }
            }
            let name = match scheme {
                Scheme::Bearer => "Bearer",
                Scheme::Dpop => {
                    if let Some(algs) = &self.offer.dpop_algs {
                        params.push(format!("algs={}", quoted(algs)));
                    }
                    "DPoP"
                }
            };
            if params.is_empty() {
                name.to_string()
            } else {
                format!("{name} {}", params.join(", "))
            }
        };
        let mut out = vec![challenge(self.offer.scheme, true)];
        // A 403 is about this token, not about how to authenticate.
        if self.status() == StatusCode::UNAUTHORIZED {
            if self.offer.scheme == Scheme::Bearer && self.offer.dpop_algs.is_some() {
                out.push(challenge(Scheme::Dpop, false));
            }
            if self.offer.scheme == Scheme::Dpop && self.offer.bearer {
                out.push(challenge(Scheme::Bearer, false));
            }
        }
        if self.offer.scheme == Scheme::Bearer && !self.offer.bearer {
            // DPoP only: a Bearer request learns only how to use DPoP.
            out.remove(0);
            if out.is_empty() {
                out.push(challenge(Scheme::Dpop, false));
            }
        }
        out
    }
}

/// An RFC 9110 §5.6.4 quoted-string: `"` and `\` escaped, other control characters (which
/// a header cannot carry) dropped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self.kind {
            AuthErrorKind::MissingCredentials
            | AuthErrorKind::InvalidToken
            | AuthErrorKind::ExpiredToken
            | AuthErrorKind::UnknownKey { .. }
            | AuthErrorKind::InvalidDpopProof
            | AuthErrorKind::UseDpopNonce { .. } => "unauthorized",
            AuthErrorKind::InvalidRequest => "bad request",
            AuthErrorKind::Unavailable { .. } => {
                "the service cannot verify tokens right now; try again shortly"
            }
            AuthErrorKind::InsufficientScope { .. } | AuthErrorKind::Denied => "forbidden",
            AuthErrorKind::NotConfigured => "internal server error",
        };
        let mut response = (status, body).into_response();
        for c in self.challenges() {
            if let Ok(v) = HeaderValue::from_str(&c) {
                response.headers_mut().append(WWW_AUTHENTICATE, v);
            }
        }
        let nonce = match &self.kind {
            AuthErrorKind::UseDpopNonce { nonce } => Some(nonce),
            _ => self.nonce.as_ref(),
        };
        if let Some(v) = nonce.and_then(|n| HeaderValue::from_str(n).ok()) {
            response.headers_mut().insert(DPOP_NONCE, v);
        }
        if let AuthErrorKind::Unavailable { retry_after }
        | AuthErrorKind::UnknownKey { retry_after } = self.kind
        {
            // Whole seconds, rounded up: never invite a retry before the time. At most a
            // day, a value every client can read (some parse it into 32 bits).
            let seconds = retry_after
                .as_secs()
                .saturating_add(u64::from(retry_after.subsec_nanos() > 0))
                .clamp(1, MAX_RETRY_AFTER_SECS)
                .to_string();
            if let Ok(v) = HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(RETRY_AFTER, v);
            }
        }
        response
    }
}

type Check = Arc<dyn Fn(&Extensions) -> Result<(), AuthErrorKind> + Send + Sync>;

/// A per-route authorization layer made by [`JwtAuth::require_scopes`] or
/// [`JwtAuth::require`]; it reads what the [`JwtAuth`] layer above it verified.
#[derive(Clone)]
pub struct Authorize {
    check: Check,
}

impl fmt::Debug for Authorize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorize").finish_non_exhaustive()
    }
}

impl Authorize {
    fn new(
        check: impl Fn(&Extensions) -> Result<(), AuthErrorKind> + Send + Sync + 'static,
    ) -> Self {
        Self {
            check: Arc::new(check),
        }
    }
}

impl<S> Layer<S> for Authorize {
    type Service = AuthorizeService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthorizeService {
            inner,
            check: Arc::clone(&self.check),
        }
    }
}

/// The service of [`Authorize`].
#[derive(Clone)]
pub struct AuthorizeService<S> {
    inner: S,
    check: Check,
}

impl<S: fmt::Debug> fmt::Debug for AuthorizeService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, B> Service<Request<B>> for AuthorizeService<S>
where
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let refusal = match request.extensions().get::<AuthContext>() {
            None => Some(not_configured::<()>()),
            Some(ctx) => (self.check)(request.extensions())
                .err()
                .map(|kind| AuthRejection {
                    kind,
                    offer: ctx.offer.clone(),
                    // An accepted DPoP request: the layer adds the nonce to every response.
                    nonce: None,
                }),
        };
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            match refusal {
                Some(r) => Ok(r.into_response()),
                None => inner.call(request).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_quote_and_escape() {
        let r = |kind, realm: Option<&str>| AuthRejection {
            kind,
            offer: Offer {
                realm: realm.map(Arc::from),
                dpop_algs: None,
                bearer: true,
                scheme: Scheme::Bearer,
            },
            nonce: None,
        };
        assert_eq!(
            r(AuthErrorKind::MissingCredentials, None)
                .challenge()
                .unwrap(),
            "Bearer"
        );
        assert_eq!(
            r(AuthErrorKind::MissingCredentials, Some("a \"b\" \\c\n"))
                .challenge()
                .unwrap(),
            r#"Bearer realm="a \"b\" \\c""#
        );
        assert_eq!(
            r(
                AuthErrorKind::InsufficientScope {
                    required: vec!["a:b".into(), "c".into()]
                },
                Some("api")
            )
            .challenge()
            .unwrap(),
            r#"Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope", scope="a:b c""#
        );
        assert_eq!(
            r(
                AuthErrorKind::Unavailable {
                    retry_after: Duration::ZERO
                },
                None
            )
            .challenge(),
            None
        );
        let response = r(
            AuthErrorKind::Unavailable {
                retry_after: Duration::ZERO,
            },
            None,
        )
        .into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[RETRY_AFTER], "1");
        // Rounded up, at most a day; a configured "forever" does not overflow.
        for (retry_after, header) in [
            (Duration::from_millis(1500), "2"),
            (Duration::from_secs(86_401), "86400"),
            (Duration::MAX, "86400"),
        ] {
            let response = r(AuthErrorKind::Unavailable { retry_after }, None).into_response();
            assert_eq!(response.headers()[RETRY_AFTER], header);
        }
    }
}
