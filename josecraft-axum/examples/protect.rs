// ISSUER=https://accounts.example.com cargo run -p josecraft-axum --example protect
use axum::routing::{get, post};
use axum::Router;
use josecraft::keysource::Discovery;
use josecraft_axum::{JwtAuth, Verified};

#[derive(serde::Deserialize)]
struct Profile {
    email: Option<String>,
}

async fn me(token: Verified<Profile>) -> String {
    let (sub, email) = (&token.claims().sub, &token.claims().custom.email);
    format!(
        "{} <{}>",
        sub.as_deref().unwrap_or("?"),
        email.as_deref().unwrap_or("-")
    )
}

/// `GET /me` for any valid token; `POST /orders` also needs the `orders:write` scope.
pub async fn app(issuer: Discovery) -> Result<Router, josecraft::Error> {
    let validation = issuer.validation().audience("orders-api");
    let auth =
        JwtAuth::<Profile>::new(issuer.remote_jwks().await?, validation).with_realm("orders");
    let create = post(|| async { "created" }).route_layer(auth.require_scopes(["orders:write"]));
    Ok(Router::new()
        .route("/me", get(me))
        .route("/orders", create)
        .layer(auth))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issuer = Discovery::new(&std::env::var("ISSUER")?)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app(issuer).await?).await?;
    Ok(())
}
