//! DPoP (RFC 9449) through the layer, on a real axum server on loopback called by a real
//! HTTP client: §7.1 requests, the challenges of §7.1 and §9, and §7.2.

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::{Extension, Router};
use josecraft::dpop::{self, Confirmation, Proof, ProofVerifier, RotatingNonces, VerifiedProof};
use josecraft::jwk::JwkSet;
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::{SignatureAlgorithm, SigningKey};
use josecraft_axum::{JwtAuth, Verified};
use reqwest::StatusCode;

const ISS: &str = "https://auth.example";
const AUD: &str = "https://api.example";
const ALGS: &str = "algs=\"ES256 EdDSA Ed25519 PS256\"";

struct Fixture {
    issuer: SigningKey,
    client: SigningKey,
    base: String,
}

/// An access token for `scope`, bound to `holder` when given.
fn token(issuer: &SigningKey, holder: Option<&SigningKey>, scope: &str) -> String {
    let mut custom = serde_json::Map::new();
    custom.insert("scope".into(), scope.into());
    if let Some(h) = holder {
        let jkt = h
            .verifying_key()
            .to_jwk()
            .thumbprint_b64(josecraft::jwk::ThumbprintHash::Sha256);
        custom.insert(
            "cnf".into(),
            serde_json::to_value(Confirmation { jkt }).unwrap(),
        );
    }
    let claims = Claims::new(custom)
        .with_issuer(ISS)
        .with_subject("ada")
        .with_audience(AUD)
        .valid_for(NumericDate::now(), Duration::from_secs(300))
        .unwrap();
    jwt::sign(&claims, issuer).unwrap()
}

/// Two APIs on one server: `/api/...` (nested, DPoP or Bearer) and `/strict/...` (DPoP
/// only, with nonces).
async fn start() -> Fixture {
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let keys = JwkSet::new().with(issuer.to_jwk());
    let validation = Validation::issuer(ISS).audience(AUD);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let verifier = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied());
    let auth = JwtAuth::<serde_json::Value>::new(keys.clone(), validation.clone())
        .with_dpop(verifier.clone(), &base)
        .unwrap();
    let nonces = Arc::new(RotatingNonces::generate(Duration::from_secs(300)).unwrap());
    let strict = JwtAuth::<serde_json::Value>::new(keys, validation)
        .with_dpop(verifier.with_nonces(nonces), &base)
        .unwrap()
        .dpop_only();
    let api = Router::new()
        .route(
            "/orders",
            get(
                |t: Verified<serde_json::Value>, p: Option<Extension<VerifiedProof>>| async move {
                    format!(
                        "{} {}",
                        t.claims().sub.as_deref().unwrap_or("?"),
                        p.map(|p| p.thumbprint().to_string()).unwrap_or_default()
                    )
                },
            ),
        )
        .route(
            "/orders",
            post(|| async { "created" }).route_layer(auth.require_scopes(["orders:write"])),
        )
        .route(
            "/files/{*rest}",
            get(|axum::extract::Path(rest): axum::extract::Path<String>| async move { rest }),
        )
        .layer(auth);
    let strict = Router::new()
        .route("/orders", get(|| async { "strict" }))
        .layer(strict);
    let app = Router::new().nest("/api", api).nest("/strict", strict);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Fixture {
        issuer,
        client: SigningKey::generate(SignatureAlgorithm::Es256).unwrap(),
        base,
    }
}

struct Answer {
    status: StatusCode,
    challenges: Vec<String>,
    nonce: Option<String>,
    body: String,
}

async fn send(
    method: reqwest::Method,
    url: &str,
    authorization: Option<&str>,
    proofs: &[&str],
) -> Answer {
    let mut req = reqwest::Client::new().request(method, url);
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    for p in proofs {
        req = req.header("dpop", *p);
    }
    let r = req.send().await.unwrap();
    let challenges = r
        .headers()
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let nonce = r
        .headers()
        .get("dpop-nonce")
        .map(|v| v.to_str().unwrap().to_string());
    Answer {
        status: r.status(),
        challenges,
        nonce,
        body: r.text().await.unwrap(),
    }
}

fn proof(key: &SigningKey, method: &str, url: &str, token: &str) -> String {
    Proof::new(method, url)
        .with_access_token(token)
        .sign(key)
        .unwrap()
}

#[tokio::test]
async fn dpop_requests_and_their_refusals() {
    let f = start().await;
    let url = format!("{}/api/orders", f.base);
    let at = token(&f.issuer, Some(&f.client), "orders:read");
    let dpop_auth = format!("DPoP {at}");

    // The holder, through the nested router (the proof names the whole path).
    let p = proof(&f.client, "GET", &url, &at);
    let ok = send(reqwest::Method::GET, &url, Some(&dpop_auth), &[&p]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let jkt = f
        .client
        .verifying_key()
        .to_jwk()
        .thumbprint_b64(josecraft::jwk::ThumbprintHash::Sha256);
    assert_eq!(ok.body, format!("ada {jkt}"));
    assert_eq!(ok.nonce, None);

    // The same proof again.
    let replay = send(reqwest::Method::GET, &url, Some(&dpop_auth), &[&p]).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        replay.challenges[0],
        format!("DPoP error=\"invalid_dpop_proof\", error_description=\"the DPoP proof is invalid\", {ALGS}")
    );
    assert_eq!(replay.challenges[1], "Bearer");

    // The stolen token with the thief's own proof: the binding fails.
    let thief = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let stolen = send(
        reqwest::Method::GET,
        &url,
        Some(&dpop_auth),
        &[&proof(&thief, "GET", &url, &at)],
    )
    .await;
    assert_eq!(stolen.status, StatusCode::UNAUTHORIZED);
    assert!(
        stolen.challenges[0].starts_with("DPoP error=\"invalid_token\""),
        "{:?}",
        stolen.challenges
    );

    // The bound token as a Bearer token (§7.2).
    let bearer = send(
        reqwest::Method::GET,
        &url,
        Some(&format!("Bearer {at}")),
        &[],
    )
    .await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
    assert!(bearer.challenges[0].starts_with("Bearer error=\"invalid_token\""));
    assert_eq!(bearer.challenges[1], format!("DPoP {ALGS}"));

    // No proof, two proofs, a proof for another URI or method.
    for proofs in [
        vec![],
        vec![
            proof(&f.client, "GET", &url, &at),
            proof(&f.client, "GET", &url, &at),
        ],
        vec![proof(
            &f.client,
            "GET",
            &format!("{}/api/other", f.base),
            &at,
        )],
        vec![proof(&f.client, "POST", &url, &at)],
        vec![proof(&f.client, "GET", &url, "another token")],
        vec!["not a proof".to_string()],
    ] {
        let refs: Vec<&str> = proofs.iter().map(String::as_str).collect();
        let a = send(reqwest::Method::GET, &url, Some(&dpop_auth), &refs).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{proofs:?}");
        assert!(
            a.challenges[0].starts_with("DPoP error=\"invalid_dpop_proof\""),
            "{:?}",
            a.challenges
        );
    }

    // An unbound token with a proof.
    let plain = token(&f.issuer, None, "orders:read");
    let unbound = send(
        reqwest::Method::GET,
        &url,
        Some(&format!("DPoP {plain}")),
        &[&proof(&f.client, "GET", &url, &plain)],
    )
    .await;
    assert_eq!(unbound.status, StatusCode::UNAUTHORIZED);
    assert!(unbound.challenges[0].starts_with("DPoP error=\"invalid_token\""));
    // ... is still a fine Bearer token where Bearer is allowed.
    let as_bearer = send(
        reqwest::Method::GET,
        &url,
        Some(&format!("Bearer {plain}")),
        &[],
    )
    .await;
    assert_eq!(as_bearer.status, StatusCode::OK);

    // No credentials: both schemes offered.
    let none = send(reqwest::Method::GET, &url, None, &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        none.challenges,
        vec!["Bearer".to_string(), format!("DPoP {ALGS}")]
    );

    // A valid DPoP request without the scope: 403 in the DPoP scheme.
    let p = proof(&f.client, "POST", &url, &at);
    let forbidden = send(reqwest::Method::POST, &url, Some(&dpop_auth), &[&p]).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.challenges[0].starts_with("DPoP error=\"insufficient_scope\""));
    assert!(forbidden.challenges[0].contains("scope=\"orders:write\""));
    let writer = token(&f.issuer, Some(&f.client), "orders:write");
    let p = proof(&f.client, "POST", &url, &writer);
    let created = send(
        reqwest::Method::POST,
        &url,
        Some(&format!("DPoP {writer}")),
        &[&p],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.body, "created");
}

/// The status line and `WWW-Authenticate` of a request sent byte for byte (an HTTP client
/// library would normalize the path first, as WHATWG URLs do with `%2E%2E`).
async fn raw_get(base: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response[9..12].parse().unwrap();
    let challenge = response
        .lines()
        .find_map(|l| l.strip_prefix("www-authenticate: "))
        .unwrap_or_default()
        .to_string();
    (status, challenge)
}

/// A proof for one path is not accepted on a path whose dot segments the verifier would
/// remove but the router does not (`/files/%2E%2E/orders` serves the `files` route).
#[tokio::test]
async fn dot_segments_are_refused() {
    let f = start().await;
    let at = token(&f.issuer, Some(&f.client), "orders:read");
    let authorization = format!("DPoP {at}");
    let target = format!("{}/api/orders", f.base);
    for path in [
        "/api/files/%2E%2E/orders",
        "/api/files/%2e%2E/orders",
        "/api/files/a/%2E/b",
        "/api/files/../orders",
    ] {
        let url = format!("{}{path}", f.base);
        for proof_url in [&target, &url] {
            let p = proof(&f.client, "GET", proof_url, &at);
            let (status, challenge) = raw_get(
                &f.base,
                path,
                &[("authorization", &authorization), ("dpop", &p)],
            )
            .await;
            assert_eq!(status, 400, "{path} with a proof for {proof_url}");
            assert!(
                challenge.starts_with("DPoP error=\"invalid_request\""),
                "{challenge}"
            );
        }
    }
    // An ordinary path under the wildcard works.
    let url = format!("{}/api/files/a/b", f.base);
    let p = proof(&f.client, "GET", &url, &at);
    let (status, _) = raw_get(
        &f.base,
        "/api/files/a/b",
        &[("authorization", &authorization), ("dpop", &p)],
    )
    .await;
    assert_eq!(status, 200);
}

/// `authenticate` (headers only, outside tower) cannot check a proof: a DPoP-only layer
/// refuses Bearer tokens there too, and a DPoP request is unauthenticated.
#[tokio::test]
async fn authenticate_without_the_request_keeps_dpop_only() {
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let strict = JwtAuth::<serde_json::Value>::new(
        issuer.verifying_key(),
        Validation::issuer(ISS).audience(AUD),
    )
    .with_dpop(
        ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied()),
        "https://api.example",
    )
    .unwrap()
    .dpop_only();
    let plain = token(&issuer, None, "orders:read");
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {plain}").parse().unwrap());
    let refused = strict.authenticate(&headers).await.unwrap_err();
    assert_eq!(
        refused.kind(),
        &josecraft_axum::AuthErrorKind::MissingCredentials
    );
    // Two Authorization headers: invalid_request, in the DPoP scheme.
    headers.append("authorization", "DPoP x".parse().unwrap());
    let refused = strict.authenticate(&headers).await.unwrap_err();
    assert_eq!(
        refused.kind(),
        &josecraft_axum::AuthErrorKind::InvalidRequest
    );
    assert!(refused.challenges()[0].starts_with("DPoP error=\"invalid_request\""));
}

#[tokio::test]
async fn nonces_and_dpop_only() {
    let f = start().await;
    let url = format!("{}/strict/orders", f.base);
    let at = token(&f.issuer, Some(&f.client), "orders:read");
    let dpop_auth = format!("DPoP {at}");

    // No nonce yet: 401 use_dpop_nonce with one.
    let first = send(
        reqwest::Method::GET,
        &url,
        Some(&dpop_auth),
        &[&proof(&f.client, "GET", &url, &at)],
    )
    .await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert!(
        first.challenges[0].starts_with("DPoP error=\"use_dpop_nonce\""),
        "{:?}",
        first.challenges
    );
    // DPoP only: no Bearer challenge.
    assert_eq!(first.challenges.len(), 1);
    let nonce = first.nonce.expect("a DPoP-Nonce header");

    // With it: accepted, and the next nonce comes back.
    let p = Proof::new("GET", &url)
        .with_access_token(&at)
        .with_nonce(&nonce)
        .sign(&f.client)
        .unwrap();
    let ok = send(reqwest::Method::GET, &url, Some(&dpop_auth), &[&p]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body, "strict");
    assert_eq!(ok.nonce.as_deref(), Some(nonce.as_str()));

    // A made-up nonce is another use_dpop_nonce.
    let p = Proof::new("GET", &url)
        .with_access_token(&at)
        .with_nonce("made-up")
        .sign(&f.client)
        .unwrap();
    let bad = send(reqwest::Method::GET, &url, Some(&dpop_auth), &[&p]).await;
    assert!(bad.challenges[0].starts_with("DPoP error=\"use_dpop_nonce\""));
    assert_eq!(bad.nonce.as_deref(), Some(nonce.as_str()));

    // Any other refusal of a DPoP request hands out the nonce too (RFC 9449 §9): here a
    // proof for another token, and a token from an unknown issuer key.
    let other = token(&f.issuer, Some(&f.client), "orders:read");
    let p = Proof::new("GET", &url)
        .with_access_token(&other)
        .with_nonce(&nonce)
        .sign(&f.client)
        .unwrap();
    let wrong = send(reqwest::Method::GET, &url, Some(&dpop_auth), &[&p]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.challenges[0].starts_with("DPoP error=\"invalid_dpop_proof\""),
        "{:?}",
        wrong.challenges
    );
    assert_eq!(wrong.nonce.as_deref(), Some(nonce.as_str()));
    let stranger = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let forged = token(&stranger, Some(&f.client), "orders:read");
    let p = Proof::new("GET", &url)
        .with_access_token(&forged)
        .with_nonce(&nonce)
        .sign(&f.client)
        .unwrap();
    let refused = send(
        reqwest::Method::GET,
        &url,
        Some(&format!("DPoP {forged}")),
        &[&p],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.challenges[0].starts_with("DPoP error=\"invalid_token\""),
        "{:?}",
        refused.challenges
    );
    assert_eq!(refused.nonce.as_deref(), Some(nonce.as_str()));

    // A Bearer token, even a valid unbound one, is not accepted here.
    let plain = token(&f.issuer, None, "orders:read");
    let bearer = send(
        reqwest::Method::GET,
        &url,
        Some(&format!("Bearer {plain}")),
        &[],
    )
    .await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bearer.challenges, vec![format!("DPoP {ALGS}")]);
}
