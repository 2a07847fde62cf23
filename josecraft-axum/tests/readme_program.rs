//! The README's "Protect an axum API" program, compiled from `examples/protect.rs` (the
//! README must show that file verbatim) and run against an OpenID Connect issuer served on
//! loopback: discovery, the JWKS, and every route of the program over real HTTP.

use std::time::Duration;

use axum::routing::get;
use axum::{Json, Router};
use josecraft::jwk::JwkSet;
use josecraft::jwt::{self, Claims, NumericDate};
use josecraft::keysource::Discovery;
use josecraft::{SignatureAlgorithm, SigningKey};
use reqwest::StatusCode;

#[allow(dead_code)]
mod program {
    include!("../examples/protect.rs");
}

#[test]
fn the_readme_shows_the_program_verbatim() {
    let readme = include_str!("../../README.md");
    let program = include_str!("../examples/protect.rs");
    assert!(
        readme.contains(program.trim_end()),
        "README.md must contain examples/protect.rs as it is"
    );
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_program_protects_its_routes() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    // The issuer: its discovery document and JWKS on a loopback port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let (iss, jwks) = (issuer.clone(), JwkSet::new().with(key.to_jwk()).to_json());
    let idp = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || async move {
                Json(serde_json::json!({"issuer": iss, "jwks_uri": format!("{iss}/jwks")}))
            }),
        )
        .route("/jwks", get(move || async move { jwks }));
    tokio::spawn(async move { axum::serve(listener, idp).await.unwrap() });

    let discovery = Discovery::builder(&issuer)
        .dangerous_allow_http()
        .dangerous_allow_http_jwks_uri()
        .build()
        .unwrap();
    let api = serve(program::app(discovery).await.unwrap()).await;

    let token = |scope: &str| {
        let claims = Claims::new(serde_json::json!({"email": "ada@example.com", "scope": scope}))
            .with_issuer(issuer.clone())
            .with_subject("ada")
            .with_audience("orders-api")
            .valid_for(NumericDate::now(), Duration::from_secs(300))
            .unwrap();
        format!("Bearer {}", jwt::sign(&claims, &key).unwrap())
    };
    let client = reqwest::Client::new();
    let r = client.get(format!("{api}/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], r#"Bearer realm="orders""#);
    let r = client
        .get(format!("{api}/me"))
        .header("authorization", token("profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ada <ada@example.com>");
    let r = client
        .post(format!("{api}/orders"))
        .header("authorization", token("profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains(r#"scope="orders:write""#));
    let r = client
        .post(format!("{api}/orders"))
        .header("authorization", token("profile orders:write"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status(), r.text().await.unwrap()),
        (StatusCode::OK, "created".to_string())
    );
}
