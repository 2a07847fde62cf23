//! An application with josecraft's `http` feature and a plain reqwest client of its own.
//! Before josecraft brought its own TLS provider, its feature switched this reqwest to
//! `rustls-no-provider` and `reqwest::Client::new()` panicked ("No rustls crypto provider").
//! Exits non-zero on any failure.

use std::io::{Read, Write};
use std::net::TcpListener;

use josecraft::keysource::{Fetcher, HttpFetcher};

/// A loopback HTTP server answering every request with a small JWK Set.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/jwks", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 2048];
            let _ = stream.read(&mut buf);
            let body = br#"{"keys":[]}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    url
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = server();
    // The application's own client, built the usual way.
    let client = reqwest::Client::new();
    let response = client.get(&url).send().await.expect("reqwest GET");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), r#"{"keys":[]}"#);
    // josecraft's fetcher in the same program.
    let fetcher = HttpFetcher::builder(&url)
        .dangerous_allow_http()
        .build()
        .expect("fetcher");
    let fetched = fetcher.fetch().await.expect("josecraft fetch");
    assert_eq!(fetched.body(), br#"{"keys":[]}"#);
    println!("ok: a plain reqwest client and josecraft's fetcher work side by side");
}
