//! `cargo run -p josecraft-servers --bin resource_server -- [PORT] [AUTH_PORT] [--redis URL]`
//! (defaults 8082 and 8081), on loopback: `GET /api/orders` with `Authorization: Bearer
//! <token>`, or `Authorization: DPoP <token>` and its `DPoP` proof. With `--redis`, access
//! tokens revoked by the auth server's logouts are refused and DPoP proof `jti`s are shared.

use std::sync::Arc;

use josecraft_servers::resource::{router, ResourceConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (redis, mut args) = josecraft_servers::redis_arg(std::env::args().skip(1).collect());
    let mut args = args.drain(..);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8082);
    let auth_port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8081);
    let store = match redis {
        Some(url) => Some(Arc::new(josecraft_servers::connect_redis(&url).await?)),
        None => None,
    };
    let revocations = store
        .clone()
        .map(|s| s as Arc<dyn josecraft::jwt::RevocationStore>);
    let dpop_replay = store.map(|s| s as Arc<dyn josecraft::jwt::ReplayCache>);
    let issuer = format!("http://127.0.0.1:{auth_port}");
    let app = router(ResourceConfig {
        jwks_url: format!("{issuer}/.well-known/jwks.json"),
        issuer,
        audience: "https://api.example".into(),
        clock: Arc::new(josecraft::jwt::SystemClock),
        revocations,
        public_origin: format!("http://127.0.0.1:{port}"),
        dpop_replay,
    })
    .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("resource server on http://127.0.0.1:{port}/api/orders");
    axum::serve(listener, app).await
}
