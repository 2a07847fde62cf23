//! OpenID Connect discovery and conditional JWKS fetches against a real HTTP server on
//! loopback, started by the test.
#![cfg(feature = "http")]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use josecraft::jwk::JwkSet;
use josecraft::jwt::{self, Claims, NumericDate};
use josecraft::keysource::{block_on, Discovery, FetchEvent, WellKnown};
use josecraft::{Error, SignatureAlgorithm, SigningKey};

type Route = dyn Fn(&str, &str) -> (&'static str, String, Vec<u8>) + Send + Sync;

/// A tiny HTTP/1.1 server: one thread per connection, `Connection: close`; `route` maps
/// (path, request head) to (status, extra headers, body). Every request head is logged.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(
        route: impl Fn(&str, &str, &str) -> (&'static str, String, Vec<u8>) + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&requests);
        let b = base.clone();
        let route: Arc<Route> = Arc::new(move |path, head| route(&b, path, head));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, route) = (Arc::clone(&log), Arc::clone(&route));
                thread::spawn(move || {
                    let _ = handle(stream, &log, &*route);
                });
            }
        });
        Self { base, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn handle(stream: TcpStream, log: &Mutex<Vec<String>>, route: &Route) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    log.lock().unwrap().push(head.clone());
    let path = head.split(' ').nth(1).unwrap_or("/").to_string();
    let (status, headers, body) = route(&path, &head);
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    )?;
    out.write_all(&body)?;
    out.flush()
}

fn metadata(issuer: &str, jwks_uri: &str) -> Vec<u8> {
    serde_json::json!({
        "issuer": issuer,
        "jwks_uri": jwks_uri,
        "token_endpoint": format!("{issuer}/token"),
        "id_token_signing_alg_values_supported": ["ES256"],
    })
    .to_string()
    .into_bytes()
}

fn key() -> SigningKey {
    SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1")
}

fn token(key: &SigningKey, iss: &str) -> String {
    let claims = Claims::new(serde_json::Map::new())
        .with_issuer(iss)
        .with_audience("api")
        .valid_for(NumericDate::now(), Duration::from_secs(300))
        .unwrap();
    jwt::sign(&claims, key).unwrap()
}

fn unavailable<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::KeysUnavailable(m)) => m,
        other => panic!("expected KeysUnavailable, got {other:?}"),
    }
}

/// An issuer served over loopback: metadata, a JWKS with an ETag that answers
/// `If-None-Match` with 304.
fn issuer_server(jwks: String) -> Server {
    Server::start(move |base, path, head| match path {
        "/.well-known/openid-configuration" => (
            "200 OK",
            "Content-Type: application/json\r\nCache-Control: max-age=600\r\n".into(),
            metadata(base, &format!("{base}/jwks")),
        ),
        "/jwks" if head.to_ascii_lowercase().contains("if-none-match: \"v1\"") => (
            "304 Not Modified",
            "ETag: \"v1\"\r\nCache-Control: max-age=120\r\n".into(),
            Vec::new(),
        ),
        "/jwks" => (
            "200 OK",
            "ETag: \"v1\"\r\nCache-Control: max-age=120\r\n".into(),
            jwks.clone().into_bytes(),
        ),
        _ => ("404 Not Found", String::new(), Vec::new()),
    })
}

#[test]
fn discovers_the_jwks_and_verifies_with_a_validation_for_the_issuer() {
    let key = key();
    let server = issuer_server(JwkSet::new().with(key.to_jwk()).to_json());
    let discovery = Discovery::builder(&server.base)
        .dangerous_allow_http()
        .dangerous_allow_http_jwks_uri()
        .build()
        .unwrap();
    block_on(async {
        let m = discovery.metadata().await.unwrap();
        assert_eq!(m.issuer(), server.base);
        assert_eq!(m.jwks_uri(), format!("{}/jwks", server.base));
        assert_eq!(
            m.get("id_token_signing_alg_values_supported"),
            Some(&serde_json::json!(["ES256"]))
        );
        let jwks = discovery.remote_jwks().await.unwrap();
        let validation = discovery.validation().audience("api");
        let ok =
            jwt::verify_async::<serde_json::Value>(&token(&key, &server.base), &jwks, &validation)
                .await;
        assert!(ok.is_ok(), "{ok:?}");
        // The preset accepts this issuer only.
        let other = jwt::verify_async::<serde_json::Value>(
            &token(&key, "https://other.example"),
            &jwks,
            &validation,
        )
        .await;
        assert!(
            matches!(
                other,
                Err(Error::Claims(josecraft::ClaimsError::Issuer { .. }))
            ),
            "{other:?}"
        );
        // The metadata is cached: a second call makes no request.
        discovery.metadata().await.unwrap();
    });
    let wk = server
        .requests()
        .iter()
        .filter(|r| r.contains("/.well-known/openid-configuration"))
        .count();
    assert_eq!(wk, 1, "{:?}", server.requests());
}

#[test]
fn rfc8414_document_sits_before_the_issuer_path() {
    let server = Server::start(|base, path, _| match path {
        "/.well-known/oauth-authorization-server/tenant" => (
            "200 OK",
            String::new(),
            metadata(&format!("{base}/tenant"), "https://keys.example/jwks"),
        ),
        _ => ("404 Not Found", String::new(), Vec::new()),
    });
    let d = Discovery::builder(&format!("{}/tenant", server.base))
        .with_well_known(WellKnown::OAuthAuthorizationServer)
        .dangerous_allow_http()
        .build()
        .unwrap();
    let m = block_on(d.metadata()).unwrap();
    assert_eq!(m.jwks_uri(), "https://keys.example/jwks");
}

#[test]
fn refuses_wrong_issuers_http_jwks_uris_redirects_and_big_documents() {
    let server = Server::start(|base, path, _| match path {
        "/mismatch/.well-known/openid-configuration" => (
            "200 OK",
            String::new(),
            metadata("https://evil.example", "https://evil.example/jwks"),
        ),
        "/plain/.well-known/openid-configuration" => (
            "200 OK",
            String::new(),
            metadata(&format!("{base}/plain"), &format!("{base}/jwks")),
        ),
        "/moved/.well-known/openid-configuration" => (
            "302 Found",
            format!("Location: {base}/plain/.well-known/openid-configuration\r\n"),
            Vec::new(),
        ),
        "/big/.well-known/openid-configuration" => {
            let mut doc = metadata(&format!("{base}/big"), "https://keys.example/jwks");
            doc.truncate(doc.len() - 1);
            doc.extend_from_slice(
                format!(",\"padding\":\"{}\"}}", "x".repeat(100 * 1024)).as_bytes(),
            );
            ("200 OK", String::new(), doc)
        }
        _ => ("404 Not Found", String::new(), Vec::new()),
    });
    let discover = |path: &str| {
        let d = Discovery::builder(&format!("{}{path}", server.base))
            .dangerous_allow_http()
            .build()
            .unwrap();
        block_on(d.metadata())
    };
    let m = unavailable(discover("/mismatch"));
    assert!(m.contains("names issuer \"https://evil.example\""), "{m}");
    let m = unavailable(discover("/plain"));
    assert!(m.contains("is not an https URL"), "{m}");
    let m = unavailable(discover("/moved"));
    assert!(m.contains("HTTP 302"), "{m}");
    let m = unavailable(discover("/big"));
    assert!(m.contains("over 65536 bytes"), "{m}");
    // The redirect was not followed: no request reached the target.
    let plain = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("GET /plain/"))
        .count();
    assert_eq!(
        plain, 1,
        "only the direct request, not one through the redirect"
    );
}

#[test]
fn conditional_fetch_keeps_the_set_on_304_and_reports_it() {
    let key = key();
    let server = issuer_server(JwkSet::new().with(key.to_jwk()).to_json());
    let discovery = Discovery::builder(&server.base)
        .dangerous_allow_http()
        .dangerous_allow_http_jwks_uri()
        .build()
        .unwrap();
    let events: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&events);
    let jwks = block_on(discovery.remote_jwks_builder())
        .unwrap()
        .with_observer(move |e| {
            seen.lock().unwrap().push(match e {
                FetchEvent::Fetched { keys } => format!("fetched {keys}"),
                FetchEvent::NotModified { keys } => format!("not modified {keys}"),
                FetchEvent::Failed(e) => format!("failed {e}"),
                _ => "other".into(),
            })
        })
        .build();
    block_on(jwks.refresh()).unwrap();
    let first = jwks.status();
    block_on(jwks.refresh()).unwrap();
    let second = jwks.status();
    assert_eq!(*events.lock().unwrap(), ["fetched 1", "not modified 1"]);
    assert_eq!(
        (second.fetches, second.not_modified, second.failures),
        (2, 1, 0)
    );
    assert!(second.last_success >= first.last_success && second.last_error.is_none());
    assert!(!second.serving_stale);
    assert_eq!(second.usable_keys, 1);
    let jwks_requests: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("GET /jwks"))
        .collect();
    assert_eq!(jwks_requests.len(), 2);
    assert!(!jwks_requests[0]
        .to_ascii_lowercase()
        .contains("if-none-match"));
    assert!(
        jwks_requests[1]
            .to_ascii_lowercase()
            .contains("if-none-match: \"v1\""),
        "{}",
        jwks_requests[1]
    );
    // The kept set still verifies.
    let validation = discovery.validation().audience("api");
    assert!(block_on(jwt::verify_async::<serde_json::Value>(
        &token(&key, &server.base),
        &jwks,
        &validation
    ))
    .is_ok());
}
