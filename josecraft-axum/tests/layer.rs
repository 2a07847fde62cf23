//! The layer, the extractor and the route layers behind a real axum server on loopback,
//! called by a real HTTP client: every answer of RFC 6750 §3.

use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use josecraft::jwk::JwkSet;
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::keysource::{HttpFetcher, RemoteJwks};
use josecraft::{SignatureAlgorithm, SigningKey};
use josecraft_axum::{GrantedScopes, JwtAuth, Verified};
use reqwest::StatusCode;

#[derive(serde::Serialize, serde::Deserialize, Clone, Default)]
struct Custom {
    #[serde(default)]
    roles: Vec<String>,
}

const ISS: &str = "https://auth.example";

fn token(key: &SigningKey, aud: &str, scope: &str, roles: &[&str], lifetime: i64) -> String {
    let now = NumericDate::now().unix();
    let mut claims = Claims::new(Custom {
        roles: roles.iter().map(|r| r.to_string()).collect(),
    })
    .with_issuer(ISS)
    .with_subject("ada")
    .with_audience(aud);
    claims.iat = NumericDate::from_unix(now - 10);
    claims.exp = NumericDate::from_unix(now + lifetime);
    let mut value = serde_json::to_value(&claims).unwrap();
    if !scope.is_empty() {
        value["scope"] = scope.into();
    }
    let claims = Claims::new(value.as_object().unwrap().clone());
    jwt::sign(&claims, key).unwrap()
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn app(auth: JwtAuth<Custom>) -> Router {
    let api = Router::new()
        .route(
            "/me",
            get(
                |t: Verified<Custom>, scopes: axum::Extension<GrantedScopes>| async move {
                    format!(
                        "{} {}",
                        t.claims().sub.as_deref().unwrap_or("?"),
                        scopes.as_slice().join(",")
                    )
                },
            ),
        )
        .route(
            "/orders",
            post(|| async { "created" }).route_layer(auth.require_scopes(["orders:write"])),
        )
        .route(
            "/admin",
            get(|| async { "admin" }).route_layer(
                auth.require(|c: &Claims<Custom>| c.custom.roles.iter().any(|r| r == "admin")),
            ),
        )
        .layer(auth.clone());
    let public = Router::new()
        .route(
            "/hello",
            get(|t: Option<Verified<Custom>>| async move {
                match t {
                    Some(t) => format!("hello {}", t.claims().sub.as_deref().unwrap_or("?")),
                    None => "hello stranger".to_string(),
                }
            }),
        )
        .layer(auth.optional());
    Router::new().nest("/api", api).merge(public)
}

struct Answer {
    status: StatusCode,
    challenge: Option<String>,
    retry_after: Option<String>,
    body: String,
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    auth: &[&str],
) -> Answer {
    let mut req = client.request(method, url);
    for a in auth {
        req = req.header("authorization", *a);
    }
    let r = req.send().await.unwrap();
    let h = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (challenge, retry_after) = (h("www-authenticate"), h("retry-after"));
    Answer {
        status: r.status(),
        challenge,
        retry_after,
        body: r.text().await.unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_of_rfc_6750() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let other = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let jwks = JwkSet::new().with(key.to_jwk());
    let auth =
        JwtAuth::<Custom>::new(jwks, Validation::issuer(ISS).audience("api")).with_realm("api");
    let base = serve(app(auth)).await;
    let client = reqwest::Client::new();
    let get_ = |path: &str, auth: Vec<String>| {
        let (client, url) = (client.clone(), format!("{base}{path}"));
        async move {
            let auth: Vec<&str> = auth.iter().map(String::as_str).collect();
            call(&client, reqwest::Method::GET, &url, &auth).await
        }
    };
    let bearer = |t: &str| vec![format!("Bearer {t}")];

    // No credentials: 401, a bare challenge with the realm.
    let a = get_("/api/me", vec![]).await;
    assert_eq!(
        (a.status, a.challenge.as_deref()),
        (StatusCode::UNAUTHORIZED, Some(r#"Bearer realm="api""#))
    );

    // Another scheme is no Bearer credentials: the bare challenge (RFC 6750 §3.1).
    let a = get_("/api/me", vec!["Basic dXNlcjpwYXNz".to_string()]).await;
    assert_eq!(
        (a.status, a.challenge.as_deref()),
        (StatusCode::UNAUTHORIZED, Some(r#"Bearer realm="api""#))
    );

    // Malformed: an empty token, a non-b64token, two headers → 400.
    for bad in [
        vec!["Bearer".to_string()],
        vec!["Bearer a b".into()],
        vec!["Bearer a".into(), "Bearer b".into()],
    ] {
        let a = get_("/api/me", bad.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            a.challenge
                .as_deref()
                .unwrap()
                .contains(r#"error="invalid_request""#),
            "{bad:?}"
        );
    }

    // A good token.
    let good = token(&key, "api", "orders:read profile", &[], 300);
    let a = get_("/api/me", bearer(&good)).await;
    assert_eq!(
        (a.status, a.body.as_str()),
        (StatusCode::OK, "ada orders:read,profile")
    );

    // Bad tokens → 401 invalid_token with a short fixed description.
    let mut tampered = good.clone();
    tampered.pop();
    tampered.push(if good.ends_with('A') { 'B' } else { 'A' });
    for (why, t) in [
        ("signed by another key", token(&other, "api", "", &[], 300)),
        ("for another audience", token(&key, "billing", "", &[], 300)),
        ("tampered", tampered),
        ("not a JWT", "abc.def.ghi".to_string()),
    ] {
        let a = get_("/api/me", bearer(&t)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{why}");
        assert_eq!(
            a.challenge.as_deref(),
            Some(
                r#"Bearer realm="api", error="invalid_token", error_description="the access token is invalid""#
            ),
            "{why}"
        );
    }
    let a = get_("/api/me", bearer(&token(&key, "api", "", &[], -120))).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a
        .challenge
        .unwrap()
        .contains(r#"error_description="the access token expired""#));

    // Scope: 403 insufficient_scope with scope=, then allowed.
    let a = call(
        &client,
        reqwest::Method::POST,
        &format!("{base}/api/orders"),
        &[&format!("Bearer {good}")],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(
        a.challenge.as_deref(),
        Some(
            r#"Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope", scope="orders:write""#
        )
    );
    let writer = token(&key, "api", "orders:write", &[], 300);
    let a = call(
        &client,
        reqwest::Method::POST,
        &format!("{base}/api/orders"),
        &[&format!("Bearer {writer}")],
    )
    .await;
    assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, "created"));
    // The route layer does not make an unauthenticated request a 403.
    let a = call(
        &client,
        reqwest::Method::POST,
        &format!("{base}/api/orders"),
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    // A typed rule on the claims (roles).
    let a = get_(
        "/api/admin",
        bearer(&token(&key, "api", "", &["viewer"], 300)),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a
        .challenge
        .unwrap()
        .contains(r#"error="insufficient_scope""#));
    let a = get_(
        "/api/admin",
        bearer(&token(&key, "api", "", &["viewer", "admin"], 300)),
    )
    .await;
    assert_eq!((a.status, a.body.as_str()), (StatusCode::OK, "admin"));

    // Optional: no credentials (or another scheme's) pass, a presented token must be valid.
    assert_eq!(get_("/hello", vec![]).await.body, "hello stranger");
    assert_eq!(
        get_("/hello", vec!["Basic dXNlcjpwYXNz".to_string()])
            .await
            .body,
        "hello stranger"
    );
    assert_eq!(
        get_("/hello", vec!["Bearer a b".to_string()]).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get_("/hello", bearer(&good)).await.body, "hello ada");
    assert_eq!(
        get_("/hello", bearer(&token(&other, "api", "", &[], 300)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_unavailable_is_503_with_retry_after_and_a_generic_body() {
    // A JWKS URL on a loopback port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks", closed.local_addr().unwrap());
    drop(closed);
    let fetcher = HttpFetcher::builder(&url)
        .dangerous_allow_http()
        .with_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let auth = JwtAuth::<Custom>::new(
        RemoteJwks::new(fetcher),
        Validation::issuer(ISS).audience("api"),
    )
    .with_retry_after(Duration::from_secs(7));
    let base = serve(app(auth)).await;
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let a = call(
        &reqwest::Client::new(),
        reqwest::Method::GET,
        &format!("{base}/api/me"),
        &[&format!("Bearer {}", token(&key, "api", "", &[], 300))],
    )
    .await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.retry_after.as_deref(), Some("7"));
    assert_eq!(a.challenge, None);
    assert_eq!(
        a.body,
        "the service cannot verify tokens right now; try again shortly"
    );
    assert!(!a.body.contains("127.0.0.1") && !a.body.contains("jwks"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extractor_without_its_layer_is_a_500() {
    let base = serve(Router::new().route("/", get(|_: Verified<Custom>| async { "never" }))).await;
    let a = call(
        &reqwest::Client::new(),
        reqwest::Method::GET,
        &format!("{base}/"),
        &["Bearer abc"],
    )
    .await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kid_in_cooldown_is_401_and_validation_scopes_are_403() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let stranger = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("made-up");
    // The issuer's JWKS on loopback, fetched by a RemoteJwks over real HTTP.
    let jwks = JwkSet::new().with(key.to_jwk()).to_json();
    let idp = serve(Router::new().route("/jwks", get(move || async move { jwks }))).await;
    let fetcher = HttpFetcher::builder(&format!("{idp}/jwks"))
        .dangerous_allow_http()
        .build()
        .unwrap();
    // Scopes required by the Validation itself: the library's Error::Forbidden, answered 403.
    let validation = Validation::issuer(ISS)
        .audience("api")
        .with_required_scopes(["reports:read"]);
    let auth = JwtAuth::<Custom>::new(RemoteJwks::new(fetcher), validation).with_realm("api");
    let base = serve(app(auth)).await;
    let client = reqwest::Client::new();
    let url = format!("{base}/api/me");
    let a = call(
        &client,
        reqwest::Method::GET,
        &url,
        &[&format!(
            "Bearer {}",
            token(&key, "api", "reports:read", &[], 300)
        )],
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let a = call(
        &client,
        reqwest::Method::GET,
        &url,
        &[&format!("Bearer {}", token(&key, "api", "other", &[], 300))],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.challenge.unwrap().contains(r#"scope="reports:read""#));
    // The set was just fetched: a token with an unknown kid cannot cause another fetch
    // for 30 s, and is refused 401 with Retry-After, not 503.
    let a = call(
        &client,
        reqwest::Method::GET,
        &url,
        &[&format!(
            "Bearer {}",
            token(&stranger, "api", "reports:read", &[], 300)
        )],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.challenge.unwrap().contains(r#"error="invalid_token""#));
    let retry: u64 = a.retry_after.unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
}
