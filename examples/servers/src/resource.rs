//! The resource server: `GET /api/orders` (scope `read:orders`) and `POST /api/orders`
//! (scope `write:orders`), for an access token issued by the auth server, verified offline
//! against the auth server's JWKS: a DPoP-bound token with its proof
//! (`Authorization: DPoP` + `DPoP`, RFC 9449), or a Bearer token. Authentication, RFC 6750
//! and RFC 9449 answers and scope checks are the `josecraft-axum` layer's; what is left
//! here is routing and policy.

use std::sync::Arc;

use axum::handler::Handler;
use axum::routing::get;
use axum::{Json, Router};
use josecraft::dpop::{self, ProofVerifier};
use josecraft::jwt::{Clock, ReplayCache, RevocationStore, Validation};
use josecraft::keysource::{HttpFetcher, RemoteJwks, Spawner};
use josecraft_axum::{JwtAuth, Verified};

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
    /// A revocation list shared with the auth server (its logouts revoke access tokens);
    /// `None`: tokens live out their few minutes.
    pub revocations: Option<Arc<dyn RevocationStore>>,
    /// The origin clients call (`http://127.0.0.1:8082`): DPoP proofs name it.
    pub public_origin: String,
    /// Where DPoP proof `jti`s are remembered; `None`: this process's memory (instances
    /// behind one URL must share one, e.g. Redis).
    pub dpop_replay: Option<Arc<dyn ReplayCache>>,
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
    let mut validation = Validation::issuer(config.issuer)
        .audience(config.audience)
        .with_access_token_profile()
        .with_clock(Arc::clone(&config.clock));
    if let Some(store) = config.revocations {
        validation = validation.with_revocation_store(store);
    }
    let mut proofs = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied())
        .with_clock(Arc::clone(&config.clock));
    if let Some(cache) = config.dpop_replay {
        proofs = proofs.with_replay_cache(cache);
    }
    let auth = JwtAuth::<Scope>::new(jwks, validation)
        .with_realm("orders")
        .with_dpop(proofs, &config.public_origin)?;
    Ok(Router::new()
        .route(
            "/api/orders",
            get(list.layer(auth.require_scopes(["read:orders"])))
                .post(create.layer(auth.require_scopes(["write:orders"]))),
        )
        .layer(auth))
}

async fn list(
    token: Verified<Scope>,
    proof: Option<axum::Extension<dpop::VerifiedProof>>,
) -> Json<serde_json::Value> {
    let claims = token.claims();
    Json(serde_json::json!({
        "sub": claims.sub,
        "scope": claims.custom.scope,
        "dpop_jkt": proof.map(|p| p.thumbprint().to_string()),
        "orders": [{"id": 1, "item": "tea"}, {"id": 2, "item": "scones"}],
    }))
}

async fn create(token: Verified<Scope>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"created": 3, "by": token.claims().sub}))
}
