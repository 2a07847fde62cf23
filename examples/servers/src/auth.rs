//! The auth server: `/login`, `/refresh`, `/logout`, `/.well-known/jwks.json`,
//! `/admin/rotate-key`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use josecraft::jwk::JwkSet;
use josecraft::jws::Signer;
use josecraft::jwt::{self, Claims, Clock, NumericDate, RevocationCheck, Validation};
use josecraft::{HmacKey, JwsAlgorithm, JwsHeader, SigningKey};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::Scope;

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
    /// Refresh-token lifetime (default 1 day).
    pub refresh_lifetime: Duration,
    /// The clock for `iat`/`exp` and for checking refresh tokens.
    pub clock: Arc<dyn Clock>,
    /// Users and their passwords (hashed with Argon2id when the server starts).
    pub users: Vec<(String, String)>,
}

impl AuthConfig {
    /// Defaults for a server at `issuer` whose tokens are for `audience`.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            access_lifetime: Duration::from_secs(300),
            refresh_lifetime: Duration::from_secs(86400),
            clock: Arc::new(jwt::SystemClock),
            users: Vec::new(),
        }
    }
}

struct Keys {
    current: SigningKey,
    previous: Option<SigningKey>,
}

/// The refresh tokens alive: `jti` → user. Rotation removes a token when it is used,
/// logout when the user leaves; anything not here is refused.
#[derive(Default)]
struct RefreshStore(Mutex<HashMap<String, String>>);

impl RefreshStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl RevocationCheck for RefreshStore {
    fn is_revoked(&self, jti: &str) -> bool {
        !self.lock().contains_key(jti)
    }
}

struct AuthState {
    config: AuthConfig,
    users: HashMap<String, String>,
    dummy_hash: String,
    keys: Mutex<Keys>,
    refresh_key: HmacKey,
    refresh: Arc<RefreshStore>,
}

fn new_signing_key() -> SigningKey {
    let key = SigningKey::generate(JwsAlgorithm::Es256).expect("system randomness");
    let kid = key
        .to_jwk()
        .thumbprint_b64(josecraft::jwk::ThumbprintHash::Sha256);
    key.with_key_id(kid)
}

fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2")
        .to_string()
}

/// The auth server's routes.
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
            current: new_signing_key(),
            previous: None,
        }),
        refresh_key: HmacKey::generate(JwsAlgorithm::Hs256).expect("system randomness"),
        refresh: Arc::default(),
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

impl AuthState {
    fn now(&self) -> NumericDate {
        self.config.clock.now()
    }

    fn access_token(&self, user: &str) -> Result<String, josecraft::Error> {
        let claims = Claims::new(Scope {
            scope: "read:orders".into(),
        })
        .with_issuer(self.config.issuer.clone())
        .with_subject(user)
        .with_audience(self.config.audience.clone())
        .valid_for(self.now(), self.config.access_lifetime)?
        .with_random_jti()?;
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        jwt::sign_access_token(&claims, "example-web", &keys.current)
    }

    fn refresh_token(&self, user: &str) -> Result<(String, String), josecraft::Error> {
        let claims = Claims::new(serde_json::Map::new())
            .with_issuer(self.config.issuer.clone())
            .with_subject(user)
            .with_audience(self.config.issuer.clone())
            .valid_for(self.now(), self.config.refresh_lifetime)?
            .with_random_jti()?;
        let jti = claims.jti.clone().unwrap_or_default();
        let token = jwt::sign_with_header(
            &JwsHeader::new().with_typ("refresh+jwt"),
            &claims,
            &self.refresh_key as &dyn Signer,
        )?;
        self.refresh.lock().insert(jti.clone(), user.to_string());
        Ok((token, jti))
    }

    /// A response with a new access token and a new refresh-token cookie.
    fn tokens(&self, user: &str) -> Response {
        let (access, (refresh, _)) = match (self.access_token(user), self.refresh_token(user)) {
            (Ok(a), Ok(r)) => (a, r),
            _ => return error(StatusCode::INTERNAL_SERVER_ERROR, "could not issue tokens"),
        };
        let cookie = format!(
            "{REFRESH_COOKIE}={refresh}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
            self.config.refresh_lifetime.as_secs()
        );
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, v);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        let body = TokenResponse {
            access_token: access,
            token_type: "Bearer",
            expires_in: self.config.access_lifetime.as_secs(),
        };
        (StatusCode::OK, headers, Json(body)).into_response()
    }

    /// The user of a live refresh token from the request's cookie, consuming the token.
    fn take_refresh(&self, headers: &HeaderMap) -> Option<String> {
        let token = cookie(headers, REFRESH_COOKIE)?;
        let validation = Validation::issuer(self.config.issuer.clone())
            .audience(self.config.issuer.clone())
            .with_typ("refresh+jwt")
            .with_clock(Arc::clone(&self.config.clock))
            .with_revocation(self.refresh.clone());
        let verified = jwt::verify::<serde_json::Map<String, serde_json::Value>>(
            &token,
            &self.refresh_key,
            &validation,
        )
        .ok()?;
        let jti = verified.claims().jti.clone()?;
        // Rotation: a refresh token works once.
        self.refresh.lock().remove(&jti)
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

async fn login(State(state): State<Arc<AuthState>>, Json(req): Json<LoginRequest>) -> Response {
    // Verify against a dummy hash for unknown users, so timing does not reveal who exists.
    let (hash, known) = match state.users.get(&req.username) {
        Some(h) => (h.as_str(), true),
        None => (state.dummy_hash.as_str(), false),
    };
    let ok = PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(req.password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    if !(ok && known) {
        return error(StatusCode::UNAUTHORIZED, "invalid username or password");
    }
    state.tokens(&req.username)
}

async fn refresh(State(state): State<Arc<AuthState>>, headers: HeaderMap) -> Response {
    match state.take_refresh(&headers) {
        Some(user) => state.tokens(&user),
        None => error(StatusCode::UNAUTHORIZED, "invalid refresh token"),
    }
}

async fn logout(State(state): State<Arc<AuthState>>, headers: HeaderMap) -> Response {
    let _ = state.take_refresh(&headers);
    let clear = format!("{REFRESH_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&clear) {
        h.insert(header::SET_COOKIE, v);
    }
    (StatusCode::NO_CONTENT, h).into_response()
}

async fn jwks(State(state): State<Arc<AuthState>>) -> Response {
    let keys = state.keys.lock().unwrap_or_else(|p| p.into_inner());
    let mut set = JwkSet::new().with(keys.current.to_jwk());
    if let Some(prev) = &keys.previous {
        set.push(prev.to_jwk());
    }
    (
        [
            (header::CONTENT_TYPE, "application/jwk-set+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        set.to_json(),
    )
        .into_response()
}

async fn rotate_key(State(state): State<Arc<AuthState>>) -> Response {
    let mut keys = state.keys.lock().unwrap_or_else(|p| p.into_inner());
    let old = std::mem::replace(&mut keys.current, new_signing_key());
    keys.previous = Some(old);
    let kid = keys.current.key_id().unwrap_or_default().to_string();
    Json(serde_json::json!({ "kid": kid })).into_response()
}
