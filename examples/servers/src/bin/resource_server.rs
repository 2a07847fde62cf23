//! `cargo run -p josecraft-servers --bin resource_server -- [PORT] [AUTH_PORT]` (defaults
//! 8082 and 8081), on loopback: `GET /api/orders` with `Authorization: Bearer <token>`.

use std::sync::Arc;

use josecraft_servers::resource::{router, ResourceConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8082);
    let auth_port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8081);
    let issuer = format!("http://127.0.0.1:{auth_port}");
    let app = router(ResourceConfig {
        jwks_url: format!("{issuer}/.well-known/jwks.json"),
        issuer,
        audience: "https://api.example".into(),
        clock: Arc::new(josecraft::jwt::SystemClock),
    })
    .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("resource server on http://127.0.0.1:{port}/api/orders");
    axum::serve(listener, app).await
}
