//! The classic JWT architecture, working: an auth server that logs users in and signs
//! short-lived ES256 access tokens (RFC 9068) with a key it publishes as a JWK Set, and a
//! resource server that verifies them offline with that JWKS (fetched, cached, refetched on
//! an unknown `kid` under a cooldown).
//!
//! - Passwords are hashed with Argon2id; a login for an unknown user costs the same.
//! - Refresh tokens are HS256 JWTs (`typ: refresh+jwt`) only the auth server can read,
//!   carried in an `HttpOnly; Secure; SameSite=Strict` cookie, rotated on every use (a used
//!   one is dead) and revoked by `jti` on logout.
//! - The signing key rotates on request; the previous public key stays published, so tokens
//!   issued before the rotation keep verifying until they expire.
//! - The resource server is routing plus policy on the `josecraft-axum` layer: RFC 6750 §3
//!   answers (401, 400, 403 `insufficient_scope` for `POST /api/orders` without
//!   `write:orders`, 503 when the keys cannot be had).
//!
//! Loopback only: `/admin/rotate-key` has no authentication of its own.

pub mod auth;
pub mod resource;

/// Takes `--redis URL` out of the command-line arguments.
pub fn redis_arg(args: Vec<String>) -> (Option<String>, Vec<String>) {
    let mut rest = Vec::new();
    let mut redis = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--redis" {
            redis = it.next();
        } else if let Some(url) = a.strip_prefix("--redis=") {
            redis = Some(url.to_string());
        } else {
            rest.push(a);
        }
    }
    (redis, rest)
}

/// Connects to Redis for the `--redis` option.
///
/// # Errors
/// When Redis cannot be reached.
pub async fn connect_redis(url: &str) -> std::io::Result<josecraft_redis::RedisStore> {
    josecraft_redis::RedisStore::connect(url, josecraft_redis::RedisOptions::default())
        .await
        .map_err(std::io::Error::other)
}

/// The scope claim of the access tokens.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct Scope {
    /// Space-separated scopes.
    pub scope: String,
}
