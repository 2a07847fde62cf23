//! The HTTP fetcher against a real HTTP server on loopback, started by the test.
#![cfg(feature = "http")]

use josecraft::SignatureAlgorithm;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration as StdDuration;

use josecraft::jwk::JwkSet;
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::keysource::{block_on, Fetcher, HttpFetcher, RemoteJwks};
use josecraft::{Error, SigningKey};
use serde_json::Value;
use std::time::Duration;

/// A tiny HTTP/1.1 server: one thread per connection, `Connection: close`, routes by path.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(jwks: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, jwks) = (Arc::clone(&log), jwks.clone());
                thread::spawn(move || {
                    let _ = handle(stream, &log, &jwks);
                });
            }
        });
        Self { base, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn handle(stream: TcpStream, log: &Mutex<Vec<String>>, jwks: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        request.push_str(&line);
    }
    log.lock().unwrap().push(request.clone());
    let path = request.split(' ').nth(1).unwrap_or("/").to_string();
    let mut out = stream;
    let respond = |out: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
            body.len()
        )?;
        out.write_all(body)?;
        out.flush()
    };
    match path.as_str() {
        "/jwks" => respond(
            &mut out,
            "200 OK",
            "Content-Type: application/jwk-set+json\r\nCache-Control: public, max-age=120\r\n",
            jwks.as_bytes(),
        ),
        "/unavailable" => respond(&mut out, "503 Service Unavailable", "", b"down"),
        "/redirect" => respond(&mut out, "302 Found", "Location: /jwks\r\n", b""),
        "/big" => respond(&mut out, "200 OK", "", &vec![b' '; 600 * 1024]),
        "/big-chunked" => {
            // No Content-Length: the limit must hold while reading.
            write!(
                out,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            )?;
            for _ in 0..100 {
                let chunk = vec![b' '; 8 * 1024];
                write!(out, "{:x}\r\n", chunk.len())?;
                out.write_all(&chunk)?;
                write!(out, "\r\n")?;
            }
            write!(out, "0\r\n\r\n")?;
            out.flush()
        }
        "/slow" => {
            thread::sleep(StdDuration::from_secs(3));
            respond(&mut out, "200 OK", "", jwks.as_bytes())
        }
        _ => respond(&mut out, "404 Not Found", "", b""),
    }
}

fn setup() -> (SigningKey, Server) {
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let server = Server::start(JwkSet::new().with(key.to_jwk()).to_json());
    (key, server)
}

fn fetcher(server: &Server, path: &str) -> HttpFetcher {
    HttpFetcher::builder(&server.url(path))
        .dangerous_allow_http()
        .with_timeout(StdDuration::from_millis(800))
        .build()
        .unwrap()
}

fn unavailable(r: Result<impl std::fmt::Debug, Error>) -> String {
    match r {
        Err(Error::KeysUnavailable(m)) => m,
        other => panic!("expected KeysUnavailable, got {other:?}"),
    }
}

#[test]
fn verifies_a_jwt_with_keys_fetched_over_http() {
    let (key, server) = setup();
    let remote = RemoteJwks::new(fetcher(&server, "/jwks"));
    let claims = Claims::new(serde_json::Map::new())
        .with_issuer("https://auth.example")
        .with_audience("api")
        .valid_for(NumericDate::now(), Duration::from_secs(300))
        .unwrap();
    let token = jwt::sign(&claims, &key).unwrap();
    let validation = Validation::issuer("https://auth.example").audience("api");
    for _ in 0..3 {
        let ok = josecraft::keysource::block_on(jwt::verify_async::<Value>(
            &token,
            &remote,
            &validation,
        ))
        .unwrap();
        assert_eq!(ok.header().kid(), Some("k1"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "cached after the first fetch");
    let request = requests[0].to_ascii_lowercase();
    assert!(request.starts_with("get /jwks http/1.1"), "{request}");
    assert!(
        request.contains("accept: application/jwk-set+json"),
        "{request}"
    );
    assert!(request.contains("user-agent: josecraft/"), "{request}");
    // The response's Cache-Control: max-age=120 set the expiry.
    let status = remote.status();
    let lifetime = status.expires_at.unwrap().unix() - status.fetched_at.unwrap().unix();
    assert_eq!(lifetime, 120);
}

#[test]
fn http_failures_are_keys_unavailable() {
    let (_, server) = setup();
    let fetch = |path: &str| block_on(fetcher(&server, path).fetch());

    let m = unavailable(fetch("/unavailable"));
    assert!(m.contains("503"), "{m}");
    let m = unavailable(fetch("/redirect"));
    assert!(m.contains("302"), "redirects are not followed: {m}");
    let m = unavailable(fetch("/nothing-here"));
    assert!(m.contains("404"), "{m}");
    let m = unavailable(fetch("/big"));
    assert!(m.contains("524288 bytes"), "{m}");
    let m = unavailable(fetch("/big-chunked"));
    assert!(m.contains("524288 bytes"), "{m}");
    let m = unavailable(fetch("/slow"));
    assert!(m.contains("timed out"), "{m}");
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.starts_with("GET /jwks"))
            .count(),
        0,
        "the redirect target was never requested"
    );

    // A larger body limit lets the big body through (and then it is not a JWK Set).
    let roomy = HttpFetcher::builder(&server.url("/big"))
        .dangerous_allow_http()
        .with_max_body_len(1024 * 1024)
        .build()
        .unwrap();
    assert_eq!(block_on(roomy.fetch()).unwrap().body().len(), 600 * 1024);

    // Nothing listening.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks", closed.local_addr().unwrap());
    drop(closed);
    let gone = HttpFetcher::builder(&url)
        .dangerous_allow_http()
        .build()
        .unwrap();
    let m = unavailable(block_on(gone.fetch()));
    assert!(m.contains("could not connect"), "{m}");
}

#[test]
fn url_rules() {
    let rejected = |url: &str| matches!(HttpFetcher::new(url), Err(Error::KeyRejected(_)));
    assert!(
        rejected("http://127.0.0.1:1/jwks"),
        "plain http needs the opt-in"
    );
    assert!(rejected("ftp://example.com/jwks"));
    assert!(rejected("not a url"));
    assert!(rejected("/relative/jwks"));
    assert!(rejected("https://user:pass@auth.example/jwks"));
    let ok = HttpFetcher::new("https://auth.example/.well-known/jwks.json").unwrap();
    assert_eq!(ok.url(), "https://auth.example/.well-known/jwks.json");
    assert!(matches!(
        HttpFetcher::builder("https://auth.example/jwks")
            .with_root_certificates_pem(b"not pem")
            .build(),
        Err(Error::KeyRejected(_))
    ));
}

#[test]
fn works_inside_a_tokio_runtime_and_drops_there() {
    let (key, server) = setup();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let remote = RemoteJwks::new(fetcher(&server, "/jwks"));
        let token =
            josecraft::jws::sign_compact(&josecraft::JwsHeader::new(), b"hi", &key).unwrap();
        let verified = josecraft::jws::verify_compact_async(&token, &remote)
            .await
            .unwrap();
        assert_eq!(verified.payload(), b"hi");
        // Dropping the fetcher (and its runtime) inside async code must not panic.
        drop(remote);
    });
}

/// How the loopback TLS server is set up: its version, cipher suite, key-exchange group,
/// certificate key and response body.
struct Tls {
    version: &'static tokio_rustls::rustls::SupportedProtocolVersion,
    suite: Option<tokio_rustls::rustls::SupportedCipherSuite>,
    group: Option<&'static dyn tokio_rustls::rustls::crypto::SupportedKxGroup>,
    rsa: bool,
    body: String,
}

impl Tls {
    fn new(body: String) -> Self {
        Self {
            version: &tokio_rustls::rustls::version::TLS13,
            suite: None,
            group: None,
            rsa: false,
            body,
        }
    }
}

/// A TLS server on loopback for `localhost` (certificates from the test CA in
/// `tests/vectors/keys/tls/`), answering every request with the body.
fn tls_server(cfg: Tls) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::{self, ServerConfig};

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/tls/");
    let name = if cfg.rsa { "server-rsa" } else { "server" };
    let cert = CertificateDer::from_pem_file(format!("{dir}{name}.cert.pem")).unwrap();
    let ca = CertificateDer::from_pem_file(format!("{dir}ca.cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}{name}.key.pem")).unwrap();
    let mut provider = rustls::crypto::ring::default_provider();
    if let Some(suite) = cfg.suite {
        provider.cipher_suites = vec![suite];
    }
    if let Some(group) = cfg.group {
        provider.kx_groups = vec![group];
    }
    let config = ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[cfg.version])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert, ca], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = cfg.body;
    thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let (acceptor, body) = (acceptor.clone(), body.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut buf = vec![0u8; 4096];
                    let mut request = Vec::new();
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/jwk-set+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = tls.write_all(head.as_bytes()).await;
                    let _ = tls.write_all(body.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
    });
    port
}

fn test_ca() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/tls/ca.cert.pem"
    ))
    .unwrap()
}

#[test]
fn fetches_over_tls_1_3_and_checks_the_server() {
    use tokio_rustls::rustls::crypto::ring::{cipher_suite, kx_group};
    use tokio_rustls::rustls::version::TLS12;
    let key = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k1");
    let jwks = JwkSet::new().with(key.to_jwk()).to_json();
    let trusted = |port: u16| {
        HttpFetcher::builder(&format!("https://localhost:{port}/jwks"))
            .with_root_certificates_pem(&test_ca())
            .with_timeout(StdDuration::from_secs(5))
            .build()
            .unwrap()
    };

    // Trusting the test CA: the set arrives and verifies a token.
    let port = tls_server(Tls::new(jwks.clone()));
    let remote = RemoteJwks::new(trusted(port));
    let token = josecraft::jws::sign_compact(&josecraft::JwsHeader::new(), b"tls", &key).unwrap();
    let verified = josecraft::jws::verify_compact_async(&token, &remote);
    assert_eq!(block_on(verified).unwrap().payload(), b"tls");

    // Every suite, every key-exchange group (P-256 and P-384 after a HelloRetryRequest,
    // since the first key share offered is X25519), an RSA certificate (RSA-PSS handshake
    // signature), and a body of many records.
    let big = format!("{{\"keys\":[],\"padding\":\"{}\"}}", "x".repeat(100_000));
    let mut cases: Vec<(&str, Tls)> = Vec::new();
    for (name, suite) in [
        ("AES-128-GCM", cipher_suite::TLS13_AES_128_GCM_SHA256),
        ("AES-256-GCM", cipher_suite::TLS13_AES_256_GCM_SHA384),
        (
            "ChaCha20-Poly1305",
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        ),
    ] {
        let mut c = Tls::new(jwks.clone());
        c.suite = Some(suite);
        cases.push((name, c));
    }
    for (name, group) in [
        ("X25519", kx_group::X25519),
        ("P-256", kx_group::SECP256R1),
        ("P-384", kx_group::SECP384R1),
    ] {
        let mut c = Tls::new(jwks.clone());
        c.group = Some(group);
        cases.push((name, c));
    }
    let mut rsa = Tls::new(jwks.clone());
    rsa.rsa = true;
    cases.push(("RSA certificate", rsa));
    cases.push(("100 KB body", Tls::new(big.clone())));
    for (name, cfg) in cases {
        let body = cfg.body.clone();
        let port = tls_server(cfg);
        let fetched = block_on(trusted(port).fetch()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(fetched.body(), body.as_bytes(), "{name}");
    }

    let tls_failure = |url: String, roots: bool| {
        let mut b = HttpFetcher::builder(&url).with_timeout(StdDuration::from_secs(5));
        if roots {
            b = b.with_root_certificates_pem(&test_ca());
        }
        unavailable(block_on(b.build().unwrap().fetch()))
    };
    // The platform's trust store does not know the test CA.
    let m = tls_failure(format!("https://localhost:{port}/jwks"), false);
    assert!(m.contains("TLS"), "{m}");
    // The certificate is for `localhost`, not for 127.0.0.1.
    let m = tls_failure(format!("https://127.0.0.1:{port}/jwks"), true);
    assert!(m.contains("TLS"), "{m}");
    // A server that speaks only TLS 1.2 is refused: the fetcher speaks TLS 1.3 only.
    let mut old = Tls::new(jwks);
    old.version = &TLS12;
    let old = tls_server(old);
    let m = tls_failure(format!("https://localhost:{old}/jwks"), true);
    assert!(m.contains("TLS"), "{m}");
}
