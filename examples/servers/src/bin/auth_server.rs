//! `cargo run -p josecraft-servers --bin auth_server -- [PORT] [--redis URL]` (default
//! 8081), on loopback. One demo user: ada / lovelace. With `--redis`, refresh-token
//! families and revoked access tokens live in Redis; instances sharing it must also share
//! their keys: `JOSECRAFT_SIGNING_KEY` (a PKCS#8 PEM file) and `JOSECRAFT_REFRESH_SECRET`
//! (base64url, at least 32 bytes).

use josecraft_servers::auth::{router, AuthConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (redis, args) = josecraft_servers::redis_arg(std::env::args().skip(1).collect());
    let port: u16 = args.first().and_then(|p| p.parse().ok()).unwrap_or(8081);
    let issuer = format!("http://127.0.0.1:{port}");
    let mut config = AuthConfig::new(&issuer, "https://api.example");
    if let Some(url) = redis {
        let store = std::sync::Arc::new(josecraft_servers::connect_redis(&url).await?);
        config.families = store.clone();
        config.dpop_replay = Some(store.clone());
        config.revocations = Some(store);
    }
    if let Ok(path) = std::env::var("JOSECRAFT_SIGNING_KEY") {
        let pem = std::fs::read_to_string(path)?;
        let key = josecraft::SigningKey::from_pem(josecraft::SignatureAlgorithm::Es256, &pem)
            .map_err(std::io::Error::other)?;
        config.signing_key = Some(key.with_thumbprint_kid());
    }
    if let Ok(secret) = std::env::var("JOSECRAFT_REFRESH_SECRET") {
        // A secret that is not base64url or is under 32 bytes stops the server with the
        // reason, before it listens.
        let refused =
            |e: josecraft::Error| std::io::Error::other(format!("JOSECRAFT_REFRESH_SECRET: {e}"));
        let secret = josecraft::base64url::decode(&secret).map_err(refused)?;
        let key =
            josecraft::HmacKey::new(josecraft::HmacAlgorithm::Hs256, &secret).map_err(refused)?;
        config.refresh_key = Some(key);
    }
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
