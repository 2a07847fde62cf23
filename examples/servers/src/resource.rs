//! The resource server: `GET /api/orders`, for a Bearer access token issued by the auth
//! server, verified offline against the auth server's JWKS.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use josecraft::jwt::{self, Clock, Validation};
use josecraft::keysource::{HttpFetcher, RemoteJwks, Spawner};
use josecraft::{ClaimsError, Error, KeySelectionError, Part};

use crate::Scope;

/// How the resource server runs.
pub struct ResourceConfig {
    /// The auth server's JWKS URL.
    pub jwks_url: String,
    /// The issuer it trusts.
    pub issuer: String,
    /// Its own audience.
    pub audience: String,
    /// The clock for token validation and the key cache.
    pub clock: Arc<dyn Clock>,
}

struct ResourceState {
    jwks: RemoteJwks,
    validation: Validation,
}

/// The resource server's routes.
///
/// # Errors
/// When the JWKS URL is not a usable `http(s)` URL.
pub fn router(config: ResourceConfig) -> Result<Router, josecraft::Error> {
    // Plain http is allowed here because this example runs on loopback only.
    let fetcher = HttpFetcher::builder(&config.jwks_url)
        .dangerous_allow_http()
        .build()?;
    let spawner: Spawner = Arc::new(|task| {
        tokio::spawn(task);
    });
    let jwks = RemoteJwks::builder(fetcher)
        .with_clock(Arc::clone(&config.clock))
        .with_spawner(spawner)
        .build();
    let validation = Validation::issuer(config.issuer)
        .audience(config.audience)
        .with_access_token_profile()
        .with_clock(config.clock);
    let state = Arc::new(ResourceState { jwks, validation });
    Ok(Router::new()
        .route("/api/orders", get(orders))
        .with_state(state))
}

/// An RFC 6750 §3 challenge: `error` absent when no credentials came at all.
fn challenge(status: StatusCode, error: Option<(&str, &str)>) -> Response {
    let mut value = String::from("Bearer realm=\"orders\"");
    if let Some((code, description)) = error {
        // The description is ours (an error message), made header-safe.
        let description: String = description
            .chars()
            .map(|c| {
                if c == '"' || c == '\\' || c.is_control() {
                    '\''
                } else {
                    c
                }
            })
            .collect();
        value.push_str(&format!(
            ", error=\"{code}\", error_description=\"{description}\""
        ));
    }
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(header::WWW_AUTHENTICATE, v);
    }
    (status, headers).into_response()
}

async fn orders(State(state): State<Arc<ResourceState>>, headers: HeaderMap) -> Response {
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return challenge(StatusCode::UNAUTHORIZED, None);
    };
    let token = match authorization
        .to_str()
        .map_err(|_| ())
        .and_then(|v| jwt::bearer_token(v).map_err(|_| ()))
    {
        Ok(t) => t,
        Err(()) => {
            return challenge(
                StatusCode::BAD_REQUEST,
                Some((
                    "invalid_request",
                    "the Authorization header is not a Bearer token",
                )),
            )
        }
    };
    match jwt::verify_async::<Scope>(token, &state.jwks, &state.validation).await {
        Ok(verified) => {
            let claims = verified.claims();
            Json(serde_json::json!({
                "sub": claims.sub,
                "scope": claims.custom.scope,
                "orders": [{"id": 1, "item": "tea"}, {"id": 2, "item": "scones"}],
            }))
            .into_response()
        }
        // The token may be fine: we could not get the keys. Not the client's fault, and
        // not the client's business where our keys live: details go to the log only.
        Err(Error::KeysUnavailable(e)) => {
            eprintln!("resource: cannot verify tokens: keys unavailable: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "the service cannot verify tokens right now; try again shortly",
            )
                .into_response()
        }
        Err(Error::Malformed {
            part: Part::HttpHeader,
            ..
        }) => challenge(
            StatusCode::BAD_REQUEST,
            Some((
                "invalid_request",
                "the Authorization header is not a Bearer token",
            )),
        ),
        // The token's key was published too recently for our cache: the token may be
        // fine, so ask the client to come back rather than calling the token invalid.
        Err(Error::KeySelection(KeySelectionError::NoKeyInCooldown { retry_after, .. })) => {
            let seconds = retry_after.as_secs().max(1).to_string();
            let mut r = (
                StatusCode::SERVICE_UNAVAILABLE,
                "the service cannot verify this token yet; try again shortly",
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&seconds) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        // A short, fixed description: the internal error text stays in the log.
        Err(Error::Claims(ClaimsError::Expired { .. })) => challenge(
            StatusCode::UNAUTHORIZED,
            Some(("invalid_token", "the access token expired")),
        ),
        Err(e) => {
            eprintln!("resource: token refused: {e}");
            challenge(
                StatusCode::UNAUTHORIZED,
                Some(("invalid_token", "the access token is invalid")),
            )
        }
    }
}
