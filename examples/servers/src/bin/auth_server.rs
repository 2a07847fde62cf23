//! `cargo run -p josecraft-servers --bin auth_server -- [PORT]` (default 8081), on loopback.
//! One demo user: ada / lovelace.

use josecraft_servers::auth::{router, AuthConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8081);
    let issuer = format!("http://127.0.0.1:{port}");
    let mut config = AuthConfig::new(&issuer, "https://api.example");
    config.users.push(("ada".into(), "lovelace".into()));
    // `/admin/rotate-key` needs this bearer token: from the environment, or made up now.
    let admin = match std::env::var("JOSECRAFT_ADMIN_TOKEN") {
        Ok(token) => token,
        Err(_) => {
            use argon2::password_hash::rand_core::{OsRng, RngCore};
            let mut bytes = [0u8; 24];
            OsRng.fill_bytes(&mut bytes);
            josecraft::base64url::encode(bytes)
        }
    };
    println!("admin token for /admin/rotate-key: {admin}");
    config.admin_token = Some(admin);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("auth server on {issuer} (JWKS at {issuer}/.well-known/jwks.json)");
    axum::serve(
        listener,
        router(config).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
