//! The auth server: `/login`, `/refresh`, `/logout`, `/.well-known/jwks.json`,
//! `/admin/rotate-key`.
//!
//! `/login` and `/refresh` are its token endpoints. A client that sends a `DPoP` proof
//! there (RFC 9449 §5) gets an access token bound to the proof's key (`cnf.jkt`,
//! `token_type: "DPoP"`), and its session's refresh tokens are bound to that key too: a
//! refresh needs a proof with the same key (§5.0, public clients). Without a proof the
//! tokens are Bearer tokens.

use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use josecraft::dpop::{self, HttpRequest, ProofVerifier, VerifiedProof};
use josecraft::jwk::JwkSet;
use josecraft::jws::Signer;
use josecraft::jwt::{
    self, Claims, Clock, MemoryRefreshFamilies, NumericDate, RefreshFamilies, ReplayCache,
    RevocationStore, Rotation, Validation,
};
use josecraft::{DpopError, Error};
use josecraft::{HmacKey, JwsHeader, SigningKey};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

/// The name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "refresh_token";

/// How the auth server runs.
pub struct AuthConfig {
    /// This server's base URL: the `iss` of every token, and the `aud` of refresh tokens.
    pub issuer: String,
    /// The resource servers' audience, the `aud` of access tokens.
    pub audience: String,
    /// Access-token lifetime (default 5 minutes).
    pub access_lifetime: Duration,
    /// Lifetime of one refresh token (default 1 day); each refresh issues a new one.
    pub refresh_lifetime: Duration,
    /// The absolute lifetime of a login session (default 7 days): refreshing never extends
    /// a session past its start plus this (RFC 9700 §4.14.2).
    pub session_lifetime: Duration,
    /// How long the JWK Set may be cached (its `Cache-Control: max-age`, default 5 min).
    pub jwks_max_age: Duration,
    /// How long a new signing key is published before it signs. `None` (the default)
    /// derives it from `jwks_max_age`: the JWKS cache lifetime plus the resource servers'
    /// 30 s unknown-`kid` cooldown plus 30 s, so that every resource server knows the key
    /// before the first token needs it.
    pub key_activation_delay: Option<Duration>,
    /// The bearer token `/admin/rotate-key` requires; `None` (the default) disables the
    /// route.
    pub admin_token: Option<String>,
    /// How many password hashes run at once (default: the machine's cores less one, at
    /// least one), so that logins never starve the rest of the server.
    pub login_concurrency: usize,
    /// Login attempts allowed per user per window (default 5 per 5 minutes).
    pub user_attempts: (u32, Duration),
    /// Login attempts allowed per client address per window (default 20 per minute).
    pub address_attempts: (u32, Duration),
    /// The clock for `iat`/`exp` and for checking refresh tokens.
    pub clock: Arc<dyn Clock>,
    /// Users and their passwords (hashed with Argon2id when the server starts).
    pub users: Vec<(String, String)>,
    /// Where refresh-token families live: this process's memory by default; a
    /// `josecraft_redis::RedisStore` shares them between instances.
    pub families: Arc<dyn RefreshFamilies>,
    /// Where a logout revokes the access token it is sent with (`Authorization: Bearer`),
    /// so resource servers consulting the same store refuse it at once; `None` (default):
    /// access tokens live out their few minutes.
    pub revocations: Option<Arc<dyn RevocationStore>>,
    /// The access-token signing key; `None` generates one. Instances behind one issuer
    /// URL must share it (and `refresh_key`). Key rotation stays per instance.
    pub signing_key: Option<SigningKey>,
    /// The HMAC key refresh tokens are signed with (`HmacKey::new` refuses a secret too
    /// short for its algorithm); `None` generates an HS256 one.
    pub refresh_key: Option<HmacKey>,
    /// Where the `jti`s of DPoP proofs sent to the token endpoints are remembered: this
    /// process's memory by default; instances behind one URL share one (Redis).
    pub dpop_replay: Option<Arc<dyn ReplayCache>>,
}

impl AuthConfig {
    /// Defaults for a server at `issuer` whose tokens are for `audience`.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            access_lifetime: Duration::from_secs(300),
            refresh_lifetime: Duration::from_secs(86_400),
            session_lifetime: Duration::from_secs(7 * 86_400),
            jwks_max_age: Duration::from_secs(300),
            key_activation_delay: None,
            admin_token: None,
            login_concurrency: cores.saturating_sub(1).max(1),
            user_attempts: (5, Duration::from_secs(300)),
            address_attempts: (20, Duration::from_secs(60)),
            clock: Arc::new(jwt::SystemClock),
            users: Vec::new(),
            families: Arc::new(MemoryRefreshFamilies::new()),
            revocations: None,
            signing_key: None,
            refresh_key: None,
            dpop_replay: None,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update below is a whole assignment or insertion, so a poisoned lock still
    // holds consistent data.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn plus(t: NumericDate, d: Duration) -> NumericDate {
    t.checked_add(d).unwrap_or(t)
}

// ---------------------------------------------------------------- signing keys

/// The signing keys: the one that signs, the next one (published, not yet signing), and
/// retired ones still published until the tokens they signed have expired.
struct Keys {
    current: SigningKey,
    next: Option<(SigningKey, NumericDate)>,
    retired: Vec<(SigningKey, NumericDate)>,
}

impl Keys {
    /// The key to sign with at `now`, promoting the next key once its time has come.
    fn signing(&mut self, now: NumericDate, keep_for: Duration) -> &SigningKey {
        if let Some((_, at)) = &self.next {
            if now >= *at {
                if let Some((next, _)) = self.next.take() {
                    let old = std::mem::replace(&mut self.current, next);
                    self.retired.push((old, plus(now, keep_for)));
                }
            }
        }
        self.retired.retain(|(_, until)| now < *until);
        &self.current
    }

    fn published(&self, now: NumericDate) -> JwkSet {
        let mut set = JwkSet::new().with(self.current.to_jwk());
        if let Some((next, _)) = &self.next {
            set.push(next.to_jwk());
        }
        for (k, until) in &self.retired {
            if now < *until {
                set.push(k.to_jwk());
            }
        }
        set
    }
}

fn new_signing_key() -> SigningKey {
    SigningKey::generate(SignatureAlgorithm::Es256)
        .expect("system randomness")
        .with_thumbprint_kid()
}

// ---------------------------------------------------------------- refresh-token families

/// 128 random bits, base64url: family ids and refresh-token `jti`s.
fn random_id() -> String {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    josecraft::base64url::encode(bytes)
}

/// The claims of a refresh token beside the registered ones.
#[derive(Serialize, Deserialize)]
struct RefreshClaims {
    /// The family (session) it belongs to.
    fam: String,
    /// When the session ends (Unix time), whatever its rotations: every instance can
    /// bound the next token's `exp` by it.
    ends: i64,
    /// The thumbprint of the DPoP key the session is bound to, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jkt: Option<String>,
}

// ---------------------------------------------------------------- login throttling

/// Counts attempts per key in fixed windows of its own length, in bounded memory.
struct Throttle {
    max: u32,
    window: Duration,
    entries: Mutex<HashMap<String, (NumericDate, u32)>>,
}

/// The most keys a throttle tracks. Past it (a flood of distinct names or addresses),
/// expired windows are dropped, and if none has expired new keys are refused: the throttle
/// fails closed rather than forgetting who is over the limit.
const THROTTLE_CAPACITY: usize = 100_000;

impl Throttle {
    fn new((max, window): (u32, Duration)) -> Self {
        Self {
            max,
            window,
            entries: Mutex::default(),
        }
    }

    /// Counts an attempt for `key`; `Err(seconds to wait)` when over the limit.
    fn attempt(&self, key: &str, now: NumericDate) -> Result<(), u64> {
        let mut all = lock(&self.entries);
        if !all.contains_key(key) && all.len() >= THROTTLE_CAPACITY {
            all.retain(|_, (start, _)| now < plus(*start, self.window));
            if all.len() >= THROTTLE_CAPACITY {
                return Err(self.window.as_secs().max(1));
            }
        }
        let entry = all.entry(key.to_string()).or_insert((now, 0));
        if now >= plus(entry.0, self.window) {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            let reset = plus(entry.0, self.window);
            return Err(u64::try_from(reset.unix() - now.unix()).unwrap_or(1).max(1));
        }
        entry.1 += 1;
        Ok(())
    }

    fn forget(&self, key: &str) {
        lock(&self.entries).remove(key);
    }
}

/// The throttling key of a client address: IPv4 as it is, IPv6 by its /64 (one host
/// usually has a whole /64 to pick addresses from).
fn address_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The longest username accepted (longer ones are refused before anything else).
const MAX_USERNAME: usize = 256;

// ---------------------------------------------------------------- the server

struct AuthState {
    config: AuthConfig,
    users: HashMap<String, String>,
    dummy_hash: String,
    keys: Mutex<Keys>,
    refresh_key: HmacKey,
    families: Arc<dyn RefreshFamilies>,
    hashing: Arc<Semaphore>,
    per_user: Throttle,
    per_address: Throttle,
    dpop: ProofVerifier,
}

fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2")
        .to_string()
}

/// The auth server's routes. Serve them with the client's address known (login throttling
/// counts per address):
/// `axum::serve(listener, router(config).into_make_service_with_connect_info::<SocketAddr>())`.
pub fn router(config: AuthConfig) -> Router {
    let users = config
        .users
        .iter()
        .map(|(u, p)| (u.clone(), hash_password(p)))
        .collect();
    let state = Arc::new(AuthState {
        users,
        dummy_hash: hash_password("not a real password"),
        keys: Mutex::new(Keys {
            current: config.signing_key.clone().unwrap_or_else(new_signing_key),
            next: None,
            retired: Vec::new(),
        }),
        refresh_key: match &config.refresh_key {
            Some(key) => key.clone(),
            None => HmacKey::generate(HmacAlgorithm::Hs256).expect("system randomness"),
        },
        families: Arc::clone(&config.families),
        hashing: Arc::new(Semaphore::new(config.login_concurrency.max(1))),
        per_user: Throttle::new(config.user_attempts),
        per_address: Throttle::new(config.address_attempts),
        dpop: {
            let v = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied())
                .with_clock(Arc::clone(&config.clock));
            match &config.dpop_replay {
                Some(cache) => v.with_replay_cache(Arc::clone(cache)),
                None => v,
            }
        },
        config,
    });
    Router::new()
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/admin/rotate-key", post(rotate_key))
        .with_state(state)
}

#[derive(Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

fn too_many(retry_after: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        "too many login attempts; try again later",
    );
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// One refresh token's place: its family (the login session), its `jti`, the session's end,
/// and the DPoP key the session is bound to.
struct Session {
    family: String,
    jti: String,
    ends: NumericDate,
    jkt: Option<String>,
}

fn unavailable() -> Response {
    let mut r = error(StatusCode::SERVICE_UNAVAILABLE, "try again shortly");
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

impl AuthState {
    fn now(&self) -> NumericDate {
        self.config.clock.now()
    }

    fn access_token(&self, user: &str, jkt: Option<&str>) -> Result<String, josecraft::Error> {
        let now = self.now();
        let claims = Claims::new(AccessClaims {
            scope: "read:orders".into(),
            cnf: jkt.map(|jkt| dpop::Confirmation {
                jkt: jkt.to_string(),
            }),
        })
        .with_issuer(self.config.issuer.clone())
        .with_subject(user)
        .with_audience(self.config.audience.clone())
        .valid_for(now, self.config.access_lifetime)?
        .with_random_jti()?;
        // Retired keys stay published for an access token's lifetime plus leeway.
        let keep = self.config.access_lifetime + jwt::DEFAULT_LEEWAY;
        let mut keys = lock(&self.keys);
        let key = keys.signing(now, keep);
        jwt::sign_access_token(&claims, "example-web", key)
    }

    fn refresh_token(
        &self,
        user: &str,
        session: &Session,
        exp: NumericDate,
    ) -> Result<String, josecraft::Error> {
        let claims = Claims::new(RefreshClaims {
            fam: session.family.clone(),
            ends: session.ends.unix(),
            jkt: session.jkt.clone(),
        })
        .with_issuer(self.config.issuer.clone())
        .with_subject(user)
        .with_audience(self.config.issuer.clone())
        .with_issued_at(self.now())
        .with_expiry(exp)
        .with_jti(session.jti.clone());
        jwt::sign_with_header(
            &JwsHeader::new().with_typ("refresh+jwt"),
            &claims,
            &self.refresh_key as &dyn Signer,
        )
    }

    /// A response with a new access token and the session's refresh token as a cookie.
    fn tokens(&self, user: &str, session: &Session) -> Response {
        let exp = plus(self.now(), self.config.refresh_lifetime).min(session.ends);
        let (access, refresh) = match (
            self.access_token(user, session.jkt.as_deref()),
            self.refresh_token(user, session, exp),
        ) {
            (Ok(a), Ok(r)) => (a, r),
            _ => return error(StatusCode::INTERNAL_SERVER_ERROR, "could not issue tokens"),
        };
        let max_age = (exp.unix() - self.now().unix()).max(0);
        let cookie = format!(
            "{REFRESH_COOKIE}={refresh}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={max_age}"
        );
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, v);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        let body = TokenResponse {
            access_token: access,
            token_type: if session.jkt.is_some() {
                "DPoP"
            } else {
                "Bearer"
            },
            expires_in: self.config.access_lifetime.as_secs(),
        };
        (StatusCode::OK, headers, Json(body)).into_response()
    }

    /// The refresh token of the request's cookie, signature and claims checked (not yet
    /// its place in its family): its user and session.
    fn presented_refresh(&self, headers: &HeaderMap) -> Option<(String, Session)> {
        let token = cookie(headers, REFRESH_COOKIE)?;
        let validation = Validation::issuer(self.config.issuer.clone())
            .audience(self.config.issuer.clone())
            .with_typ("refresh+jwt")
            .with_required(josecraft::Claim::Jti)
            .with_clock(Arc::clone(&self.config.clock));
        let verified = jwt::verify::<RefreshClaims>(&token, &self.refresh_key, &validation).ok()?;
        let claims = verified.into_claims();
        Some((
            claims.sub?,
            Session {
                family: claims.custom.fam,
                jti: claims.jti?,
                ends: NumericDate::from_unix(claims.custom.ends)?,
                jkt: claims.custom.jkt,
            },
        ))
    }
}

/// The access token's claims beside the registered ones.
#[derive(Serialize, Deserialize)]
struct AccessClaims {
    scope: String,
    /// The DPoP key the token is bound to (RFC 9449 §6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cnf: Option<dpop::Confirmation>,
}

/// A refusal of a token request's DPoP proof (RFC 9449 §5, §8): 400 `invalid_dpop_proof`,
/// or `use_dpop_nonce` with the nonce.
fn dpop_refused(e: &Error) -> Response {
    match e {
        Error::StoreUnavailable(_) => unavailable(),
        Error::Dpop(DpopError::UseNonce { nonce }) => {
            let mut r = error(StatusCode::BAD_REQUEST, "use_dpop_nonce");
            if let Ok(v) = HeaderValue::from_str(nonce) {
                r.headers_mut().insert("dpop-nonce", v);
            }
            r
        }
        _ => error(StatusCode::BAD_REQUEST, "invalid_dpop_proof"),
    }
}

impl AuthState {
    /// The DPoP proof of a token request to `path`, checked: `Ok(None)` when there is none.
    async fn dpop_proof(
        &self,
        headers: &HeaderMap,
        path: &str,
    ) -> Result<Option<VerifiedProof>, Response> {
        if headers.get("dpop").is_none() {
            return Ok(None);
        }
        let proofs = headers
            .get_all("dpop")
            .iter()
            .map(|v| v.to_str().unwrap_or(""));
        let checked = async {
            let proof = dpop::single_proof(proofs)?;
            let request = HttpRequest::new("POST", &format!("{}{path}", self.config.issuer))?;
            self.dpop.verify(proof, &request).await
        };
        checked.await.map(Some).map_err(|e| dpop_refused(&e))
    }

    /// The registered claims of the access token in `Authorization: Bearer` (or `DPoP`,
    /// with its proof), if this server issued it (signature, issuer, audience and expiry
    /// checked).
    async fn own_access_token(&self, headers: &HeaderMap) -> Option<Claims<()>> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let set = lock(&self.keys).published(self.now());
        let validation = Validation::issuer(self.config.issuer.clone())
            .audience(self.config.audience.clone())
            .with_access_token_profile()
            .with_clock(Arc::clone(&self.config.clock));
        type Map = serde_json::Map<String, serde_json::Value>;
        let verified = match jwt::bearer_token(value) {
            Ok(token) => jwt::verify::<Map>(token, &set, &validation).ok()?,
            Err(_) => {
                let token = dpop::access_token(value).ok()?;
                let proof = dpop::single_proof(
                    headers
                        .get_all("dpop")
                        .iter()
                        .map(|v| v.to_str().unwrap_or("")),
                )
                .ok()?;
                let request =
                    HttpRequest::new("POST", &format!("{}/logout", self.config.issuer)).ok()?;
                dpop::verify_access_token::<Map>(
                    token,
                    proof,
                    &request,
                    &set,
                    &validation,
                    &self.dpop,
                )
                .await
                .ok()?
                .into_parts()
                .0
            }
        };
        let c = verified.into_claims();
        let mut registered = Claims::new(());
        registered.jti = c.jti;
        registered.exp = c.exp;
        Some(registered)
    }
}

/// The value of a cookie in the request's `Cookie` header.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

async fn login(
    State(state): State<Arc<AuthState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> Response {
    let now = state.now();
    if req.username.len() > MAX_USERNAME {
        return error(StatusCode::BAD_REQUEST, "username too long");
    }
    // The proof before the password: a bad proof costs no hashing.
    let proof = match state.dpop_proof(&headers, "/login").await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    // Cheap checks first: a throttled attempt costs no hashing.
    if let Err(wait) = state.per_address.attempt(&address_key(peer.ip()), now) {
        return too_many(wait);
    }
    if let Err(wait) = state.per_user.attempt(&req.username, now) {
        return too_many(wait);
    }
    // Verify against a dummy hash for unknown users, so timing does not reveal who exists.
    let (hash, known) = match state.users.get(&req.username) {
        Some(h) => (h.clone(), true),
        None => (state.dummy_hash.clone(), false),
    };
    // Argon2 is deliberately slow: run it on the blocking pool, a few at a time, so that it
    // never holds up the async workers that serve everything else.
    let Ok(permit) = Arc::clone(&state.hashing).acquire_owned().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "try again later");
    };
    let password = req.password;
    let ok = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    if !(ok && known) {
        return error(StatusCode::UNAUTHORIZED, "invalid username or password");
    }
    state.per_user.forget(&req.username);
    let session = Session {
        family: random_id(),
        jti: random_id(),
        ends: plus(now, state.config.session_lifetime),
        jkt: proof.map(|p| p.thumbprint().to_string()),
    };
    if let Err(e) = state
        .families
        .start(&session.family, &session.jti, session.ends)
        .await
    {
        eprintln!("auth: cannot start a session: {e}");
        return unavailable();
    }
    state.tokens(&req.username, &session)
}

async fn refresh(State(state): State<Arc<AuthState>>, headers: HeaderMap) -> Response {
    let invalid = || error(StatusCode::UNAUTHORIZED, "invalid refresh token");
    let Some((user, presented)) = state.presented_refresh(&headers) else {
        return invalid();
    };
    // A session bound to a DPoP key refreshes only with a proof of that key (RFC 9449 §5).
    let proof = match state.dpop_proof(&headers, "/refresh").await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    if let Some(bound) = &presented.jkt {
        if proof.as_ref().map(VerifiedProof::thumbprint) != Some(bound.as_str()) {
            return error(StatusCode::BAD_REQUEST, "invalid_dpop_proof");
        }
    }
    let next = Session {
        family: presented.family.clone(),
        jti: random_id(),
        ends: presented.ends,
        jkt: presented.jkt.clone(),
    };
    // The next tokens are signed before the rotation: once the store has moved the family
    // on, a failure to issue them would leave the client holding a used token, which its
    // retry would present as a reuse, ending the session.
    let issued = state.tokens(&user, &next);
    if issued.status() != StatusCode::OK {
        return issued;
    }
    // One atomic step in the shared store: of two requests (on any instances) presenting
    // the same token, exactly one rotates; the other is a reuse and ends the session.
    match state
        .families
        .rotate(&presented.family, &presented.jti, &next.jti)
        .await
    {
        Ok(Rotation::Rotated) => issued,
        Ok(Rotation::ReuseDetected) => {
            eprintln!(
                "auth: refresh token reuse detected; session {} revoked",
                next.family
            );
            invalid()
        }
        Ok(_) => invalid(),
        Err(e) => {
            eprintln!("auth: cannot rotate a refresh token: {e}");
            unavailable()
        }
    }
}

async fn logout(State(state): State<Arc<AuthState>>, headers: HeaderMap) -> Response {
    // Logging out ends the whole session, whichever of its tokens is presented, and
    // revokes the access token sent with it where resource servers can see that.
    if let Some((_, session)) = state.presented_refresh(&headers) {
        if let Err(e) = state.families.revoke_family(&session.family).await {
            eprintln!("auth: cannot end session {}: {e}", session.family);
            return unavailable();
        }
    }
    if let Some(store) = &state.config.revocations {
        if let Some(access) = state.own_access_token(&headers).await {
            if let (Some(jti), Some(exp)) = (access.jti, access.exp) {
                if let Err(e) = store.revoke(&jti, exp).await {
                    eprintln!("auth: cannot revoke an access token: {e}");
                    return unavailable();
                }
            }
        }
    }
    let clear = format!("{REFRESH_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&clear) {
        h.insert(header::SET_COOKIE, v);
    }
    (StatusCode::NO_CONTENT, h).into_response()
}

async fn jwks(State(state): State<Arc<AuthState>>) -> Response {
    let now = state.now();
    let keep = state.config.access_lifetime + jwt::DEFAULT_LEEWAY;
    let set = {
        let mut keys = lock(&state.keys);
        keys.signing(now, keep);
        keys.published(now)
    };
    let cache = format!("public, max-age={}", state.config.jwks_max_age.as_secs());
    (
        [
            (header::CONTENT_TYPE, "application/jwk-set+json".to_string()),
            (header::CACHE_CONTROL, cache),
        ],
        set.to_json(),
    )
        .into_response()
}

/// Starts a rotation (for the bearer of `admin_token`): a new key is published now and
/// signs from the activation delay on; the old one stays published until the tokens it
/// signed have expired. A rotation already pending is not restarted (409).
async fn rotate_key(State(state): State<Arc<AuthState>>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.config.admin_token else {
        return error(StatusCode::NOT_FOUND, "not found");
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jwt::bearer_token(v).ok())
        .unwrap_or_default();
    if !constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        return error(StatusCode::UNAUTHORIZED, "admin token required");
    }
    let now = state.now();
    let delay = state
        .config
        .key_activation_delay
        .unwrap_or(state.config.jwks_max_age + Duration::from_secs(30) + Duration::from_secs(30));
    let mut keys = lock(&state.keys);
    let keep = state.config.access_lifetime + jwt::DEFAULT_LEEWAY;
    keys.signing(now, keep);
    if keys.next.is_some() {
        return error(StatusCode::CONFLICT, "a rotation is already pending");
    }
    let next = new_signing_key();
    let kid = next.key_id().unwrap_or_default().to_string();
    let active_from = plus(now, delay);
    keys.next = Some((next, active_from));
    Json(serde_json::json!({ "kid": kid, "signs_from": active_from.unix() })).into_response()
}

/// Compares secrets without an early exit on the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
