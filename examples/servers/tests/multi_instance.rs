//! Two auth-server instances and two resource servers sharing one real Redis (started by
//! the test): a logout on one auth instance is refused by the other and by every resource
//! server at once; a refresh token rotated on one instance and replayed on the other ends
//! the whole session; a DPoP proof used on one instance is refused by the other; with
//! Redis down every instance answers 503 (fail closed) and recovers when it is back.

#[path = "../../../josecraft-redis/tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use josecraft::dpop::Proof;
use josecraft::{SignatureAlgorithm, SigningKey};
use josecraft_redis::{RedisOptions, RedisStore};
use josecraft_servers::auth::{self, AuthConfig};
use josecraft_servers::resource::{self, ResourceConfig};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

const ISSUER: &str = "https://auth.example";
const API: &str = "https://api.example";
/// The URL clients call the resource servers at (a load balancer in front of both).
const PUBLIC_API: &str = "https://orders.example";

async fn listen() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

struct Tokens {
    access: String,
    cookie: String,
}

async fn tokens(r: reqwest::Response) -> Tokens {
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body: Value = r.json().await.unwrap();
    Tokens {
        access: body["access_token"].as_str().unwrap().to_string(),
        cookie,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_sessions_and_revocations_through_redis() {
    let mut redis = common::RedisServer::start();
    // What instances behind one issuer URL share: the signing key, the refresh secret, Redis.
    let signing = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_thumbprint_kid();
    let refresh_key = josecraft::HmacKey::new(josecraft::HmacAlgorithm::Hs256, &[7u8; 32]).unwrap();
    let mut auth_urls = Vec::new();
    for _ in 0..2 {
        let store = Arc::new(
            RedisStore::connect(&redis.url(), RedisOptions::default())
                .await
                .unwrap(),
        );
        let mut config = AuthConfig::new(ISSUER, API);
        config.users.push(("ada".into(), "lovelace".into()));
        config.families = store.clone();
        config.dpop_replay = Some(store.clone());
        config.revocations = Some(store);
        config.signing_key = Some(signing.clone());
        config.refresh_key = Some(refresh_key.clone());
        let (l, url) = listen().await;
        let app = auth::router(config).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        auth_urls.push(url);
    }
    let mut api_urls = Vec::new();
    for _ in 0..2 {
        let store = Arc::new(
            RedisStore::connect(&redis.url(), RedisOptions::default())
                .await
                .unwrap(),
        );
        // Both instances sit behind one public URL (a load balancer's), which DPoP
        // proofs name.
        let app = resource::router(ResourceConfig {
            jwks_url: format!("{}/.well-known/jwks.json", auth_urls[0]),
            issuer: ISSUER.into(),
            audience: API.into(),
            clock: Arc::new(josecraft::jwt::SystemClock),
            revocations: Some(store.clone()),
            public_origin: PUBLIC_API.into(),
            dpop_replay: Some(store),
        })
        .unwrap();
        let (l, url) = listen().await;
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        api_urls.push(url);
    }
    let http = reqwest::Client::new();
    let login = |auth: String| {
        let http = http.clone();
        async move {
            tokens(
                http.post(format!("{auth}/login"))
                    .json(&json!({"username": "ada", "password": "lovelace"}))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let refresh = |auth: String, cookie: String| {
        let http = http.clone();
        async move {
            http.post(format!("{auth}/refresh"))
                .header(header::COOKIE, cookie)
                .send()
                .await
                .unwrap()
        }
    };
    let orders = |api: String, access: String| {
        let http = http.clone();
        async move {
            http.get(format!("{api}/api/orders"))
                .bearer_auth(access)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let (a, b) = (auth_urls[0].clone(), auth_urls[1].clone());

    // A session from instance A works on both resource servers.
    let first = login(a.clone()).await;
    for api in &api_urls {
        assert_eq!(
            orders(api.clone(), first.access.clone()).await,
            StatusCode::OK
        );
    }
    // Rotated on A, replayed on B: reuse, and the whole session ends on every instance.
    let second = tokens(refresh(a.clone(), first.cookie.clone()).await).await;
    assert_eq!(
        refresh(b.clone(), first.cookie.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(b.clone(), second.cookie.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(a.clone(), second.cookie.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // A session started on B refreshes on A (one session, any instance).
    let third = login(b.clone()).await;
    let fourth = tokens(refresh(a.clone(), third.cookie.clone()).await).await;
    assert_eq!(
        orders(api_urls[1].clone(), fourth.access.clone()).await,
        StatusCode::OK
    );

    // Logout on B with the access token: the session ends for A, and the access token is
    // refused by both resource servers on the next request.
    let r = http
        .post(format!("{b}/logout"))
        .header(header::COOKIE, &fourth.cookie)
        .bearer_auth(&fourth.access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    for api in &api_urls {
        assert_eq!(
            orders(api.clone(), fourth.access.clone()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        refresh(a.clone(), fourth.cookie.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Another session's token is untouched.
    let fifth = login(a.clone()).await;
    assert_eq!(
        orders(api_urls[0].clone(), fifth.access).await,
        StatusCode::OK
    );

    // DPoP: a session bound to the client's key at instance A.
    let client = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let login_proof = Proof::new("POST", &format!("{ISSUER}/login"))
        .sign(&client)
        .unwrap();
    let dpop_login = |auth: String| {
        let (http, proof) = (http.clone(), login_proof.clone());
        async move {
            http.post(format!("{auth}/login"))
                .header("dpop", proof)
                .json(&json!({"username": "ada", "password": "lovelace"}))
                .send()
                .await
                .unwrap()
        }
    };
    let bound = tokens(dpop_login(a.clone()).await).await;
    // The same login proof at instance B: a replay, whichever instance saw it first.
    assert_eq!(
        dpop_login(b.clone()).await.status(),
        StatusCode::BAD_REQUEST
    );
    let dpop_orders = |api: String, proof: String| {
        let (http, access) = (http.clone(), bound.access.clone());
        async move {
            http.get(format!("{api}/api/orders"))
                .header(header::AUTHORIZATION, format!("DPoP {access}"))
                .header("dpop", proof)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let proof = Proof::new("GET", &format!("{PUBLIC_API}/api/orders"))
        .with_access_token(&bound.access)
        .sign(&client)
        .unwrap();
    assert_eq!(
        dpop_orders(api_urls[0].clone(), proof.clone()).await,
        StatusCode::OK
    );
    assert_eq!(
        dpop_orders(api_urls[1].clone(), proof).await,
        StatusCode::UNAUTHORIZED,
        "a proof accepted by one instance is a replay at the other"
    );
    // As a Bearer token it is refused everywhere (RFC 9449 §7.2).
    for api in &api_urls {
        assert_eq!(
            orders(api.clone(), bound.access.clone()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // Logout on B with the token and a proof: both resource servers refuse it next.
    let logout_proof = Proof::new("POST", &format!("{ISSUER}/logout"))
        .with_access_token(&bound.access)
        .sign(&client)
        .unwrap();
    let r = http
        .post(format!("{b}/logout"))
        .header(header::COOKIE, &bound.cookie)
        .header(header::AUTHORIZATION, format!("DPoP {}", bound.access))
        .header("dpop", logout_proof)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    for api in &api_urls {
        let proof = Proof::new("GET", &format!("{PUBLIC_API}/api/orders"))
            .with_access_token(&bound.access)
            .sign(&client)
            .unwrap();
        assert_eq!(
            dpop_orders(api.clone(), proof).await,
            StatusCode::UNAUTHORIZED
        );
    }

    // Redis down: no instance lets a token through that it cannot check against the
    // revocation list, nor starts or rotates a session it cannot record: 503 with
    // Retry-After everywhere. Once Redis is back, the same requests succeed.
    let live = login(a.clone()).await;
    redis.kill();
    let unavailable = |r: reqwest::Response| {
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{:?}", r.url());
        assert!(
            r.headers().contains_key(header::RETRY_AFTER),
            "{:?}",
            r.headers()
        );
    };
    for api in &api_urls {
        unavailable(
            http.get(format!("{api}/api/orders"))
                .bearer_auth(&live.access)
                .send()
                .await
                .unwrap(),
        );
    }
    unavailable(refresh(b.clone(), live.cookie.clone()).await);
    unavailable(
        http.post(format!("{a}/login"))
            .json(&json!({"username": "ada", "password": "lovelace"}))
            .send()
            .await
            .unwrap(),
    );
    redis.restart();
    // Every instance has its own connection, which comes back on its own: wait for each
    // resource server, and for auth instance B, without touching `live`'s refresh token
    // (a rotation that times out on a slow first write may still have been applied).
    let mut back = false;
    for _ in 0..100 {
        let mut all = true;
        for api in &api_urls {
            all &= orders(api.clone(), live.access.clone()).await == StatusCode::OK;
        }
        if all {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(back, "the resource servers recover when Redis is back");
    // Another session's refresh at B answers from Redis once B is connected again: 200,
    // or 401 if a timed-out try had already rotated it.
    let mut answered = false;
    for _ in 0..100 {
        let status = refresh(b.clone(), fifth.cookie.clone()).await.status();
        if status != StatusCode::SERVICE_UNAVAILABLE {
            assert!(
                matches!(status, StatusCode::OK | StatusCode::UNAUTHORIZED),
                "{status}"
            );
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(answered, "auth instance B recovers when Redis is back");
    // The refresh refused during the outage (Redis was down: nothing reached it) did not
    // use the token up.
    let _ = tokens(refresh(b.clone(), live.cookie.clone()).await).await;
}
