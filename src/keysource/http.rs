//! The ready HTTP fetcher (`http` feature): HTTP/1.1 on hyper, TLS 1.3 on rustls with
//! josecraft's own ring-based provider (see `crypto::ring::tls` for why not rustls' own), running
//! on its own one-thread tokio runtime so that it works under any executor.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::header::{
    HeaderValue, ACCEPT, CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, ETAG, HOST, IF_NONE_MATCH,
    USER_AGENT,
};
use hyper::{Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::net::TcpStream;

use super::remote::{FetchFuture, Fetched, Fetcher};
use crate::error::{Error, Result};

const DEFAULT_TIMEOUT: StdDuration = StdDuration::from_secs(5);
const DEFAULT_MAX_BODY: usize = 512 * 1024;

fn unavailable(why: impl fmt::Display) -> Error {
    Error::KeysUnavailable(why.to_string())
}

/// Where a request goes, taken apart once when the fetcher is built.
#[derive(Clone)]
pub(super) struct Target {
    url: String,
    https: bool,
    host: String,
    port: u16,
    /// The `Host` header: the authority as written.
    authority: String,
    path_and_query: String,
}

impl Target {
    fn parse(url: &str, allow_http: bool) -> Result<Self> {
        let bad = |why: &str| Error::key(format!("JWKS URL {url:?}: {why}"));
        let uri: Uri = url.parse().map_err(|_| bad("not a valid absolute URL"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") if allow_http => false,
            Some("http") => {
                return Err(Error::key(
                    "JWKS URL: plain http lets anyone on the path choose your keys; use https \
                     (or dangerous_allow_http for a loopback test server)",
                ))
            }
            Some(other) => return Err(bad(&format!("unsupported scheme {other:?}"))),
            None => return Err(bad("not an absolute URL")),
        };
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        if authority.as_str().contains('@') {
            return Err(Error::key(
                "JWKS URL: credentials in the URL are not supported",
            ));
        }
        let host = authority.host();
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        if host.is_empty() {
            return Err(bad("no host"));
        }
        Ok(Self {
            url: url.to_string(),
            https,
            host: host.to_string(),
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authority: authority.as_str().to_string(),
            path_and_query: uri.path_and_query().map_or("/", |p| p.as_str()).to_string(),
        })
    }
}

/// Fetches a JWK Set over HTTPS (feature `http`).
///
/// - HTTPS only, unless [`dangerous_allow_http`](HttpFetcherBuilder::dangerous_allow_http) (for a loopback
///   test server); redirects are not followed and no proxy is read from the environment,
///   so the request goes only where the configured URL says (RFC 8725 §3.10). Host names
///   are ASCII (write an internationalized name in its punycode form).
/// - TLS 1.3 only, on josecraft's own provider: no feature of the application's rustls or
///   reqwest changes. For an issuer that speaks only TLS 1.2, implement [`Fetcher`] over
///   the HTTP client you already use.
/// - Server certificates are checked against the platform's trust store, or only against
///   [given roots](HttpFetcherBuilder::with_root_certificates_pem).
/// - A whole-request timeout (default 5 s, as panva/jose) and a body limit (default
///   512 KiB), both checked while reading.
/// - Only `200 OK` is a set; its `Cache-Control: max-age` goes to the cache. Its `ETag`
///   makes the next fetch conditional (`If-None-Match`); a `304 Not Modified` keeps the
///   cached set and renews its age.
///
/// Requests run on the fetcher's own one-thread tokio runtime, so it works from tokio,
/// from another executor, or under [`block_on`](super::block_on).
///
/// ```no_run
/// use josecraft::keysource::{HttpFetcher, RemoteJwks};
///
/// let jwks = RemoteJwks::new(HttpFetcher::new("https://auth.example/.well-known/jwks.json")?);
/// # Ok::<(), josecraft::Error>(())
/// ```
pub struct HttpFetcher {
    target: Target,
    tls: Arc<ClientConfig>,
    timeout: StdDuration,
    connect_timeout: StdDuration,
    max_body: usize,
    runtime: Option<tokio::runtime::Runtime>,
}

impl fmt::Debug for HttpFetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpFetcher")
            .field("url", &self.target.url)
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Configures an [`HttpFetcher`].
#[derive(Debug, Clone)]
pub struct HttpFetcherBuilder {
    url: String,
    timeout: StdDuration,
    connect_timeout: Option<StdDuration>,
    max_body: usize,
    allow_http: bool,
    roots: Option<Vec<CertificateDer<'static>>>,
    root_error: Option<Error>,
}

impl HttpFetcher {
    /// A fetcher for `url` (https) with the default settings.
    ///
    /// # Errors
    /// As [`HttpFetcherBuilder::build`].
    pub fn new(url: &str) -> Result<Self> {
        Self::builder(url).build()
    }

    /// Starts configuring a fetcher for `url`.
    pub fn builder(url: &str) -> HttpFetcherBuilder {
        HttpFetcherBuilder {
            url: url.to_string(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: None,
            max_body: DEFAULT_MAX_BODY,
            allow_http: false,
            roots: None,
            root_error: None,
        }
    }

    /// The URL fetched.
    pub fn url(&self) -> &str {
        &self.target.url
    }
}

impl HttpFetcherBuilder {
    /// The same settings for another URL.
    pub(super) fn with_url(mut self, url: &str) -> Self {
        self.url = url.to_string();
        self
    }

    /// The longest a whole request may take, connecting to the last body byte (default 5 s).
    pub fn with_timeout(mut self, timeout: StdDuration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default: the whole-request timeout).
    pub fn with_connect_timeout(mut self, timeout: StdDuration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest body accepted, in bytes (default 512 KiB).
    pub fn with_max_body_len(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Allows a plain `http://` URL. Anyone on the path can then replace the keys, so this
    /// is for tests against a loopback server and for sidecars on the same host only.
    pub fn dangerous_allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Trusts only the certificates of this PEM bundle as roots (a private CA), instead of
    /// the platform's trust store. Call again to add more.
    pub fn with_root_certificates_pem(mut self, pem: &[u8]) -> Self {
        let mut certs = Vec::new();
        for cert in CertificateDer::pem_slice_iter(pem) {
            match cert {
                Ok(c) => certs.push(c),
                Err(e) => {
                    self.root_error = Some(Error::key(format!("root certificate PEM: {e}")));
                    return self;
                }
            }
        }
        if certs.is_empty() {
            self.root_error = Some(Error::key("root certificate PEM: no certificate found"));
        }
        self.roots.get_or_insert_with(Vec::new).extend(certs);
        self
    }

    /// The fetcher.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a URL that is not absolute `https` (or `http` when
    /// allowed), that carries credentials, or for unusable root certificates;
    /// [`Error::KeysUnavailable`] if the TLS setup or the runtime cannot be created.
    pub fn build(self) -> Result<HttpFetcher> {
        if let Some(e) = self.root_error {
            return Err(e);
        }
        let target = Target::parse(&self.url, self.allow_http)?;
        let tls = ClientConfig::builder_with_provider(crate::crypto::tls_provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| unavailable(format!("TLS setup: {e}")))?;
        let mut tls = match self.roots {
            Some(certs) => {
                let mut store = RootCertStore::empty();
                for cert in certs {
                    store
                        .add(cert)
                        .map_err(|e| Error::key(format!("root certificate: {e}")))?;
                }
                tls.with_root_certificates(store).with_no_client_auth()
            }
            None => tls
                .with_platform_verifier()
                .map_err(|e| unavailable(format!("TLS setup: {e}")))?
                .with_no_client_auth(),
        };
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("josecraft-jwks")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| unavailable(format!("runtime setup: {e}")))?;
        Ok(HttpFetcher {
            target,
            tls: Arc::new(tls),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout.unwrap_or(self.timeout),
            max_body: self.max_body,
            runtime: Some(runtime),
        })
    }
}

impl Drop for HttpFetcher {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which tokio forbids inside async code; this does not.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// One connection stream, plain or TLS.
trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Stream for T {}

/// Connects (TCP, then TLS for https) within the connect timeout.
async fn connect(t: &Target, tls: Arc<ClientConfig>) -> Result<Box<dyn Stream>> {
    let failed = |what: &str, e: &dyn fmt::Display| {
        unavailable(format!("fetching {}: could not {what}: {e}", t.url))
    };
    let tcp = TcpStream::connect((t.host.as_str(), t.port))
        .await
        .map_err(|e| failed("connect", &e))?;
    let _ = tcp.set_nodelay(true);
    if !t.https {
        return Ok(Box::new(tcp));
    }
    let name = match t.host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => {
            ServerName::try_from(t.host.clone()).map_err(|e| failed("name the server", &e))?
        }
    };
    let stream = tokio_rustls::TlsConnector::from(tls)
        .connect(name, tcp)
        .await
        .map_err(|e| failed("set up TLS", &e))?;
    Ok(Box::new(stream))
}

/// One GET of the document: `200 OK` (or `304 Not Modified` to a conditional request)
/// only, the body bounded while it is read.
pub(super) async fn get(
    t: Target,
    tls: Arc<ClientConfig>,
    connect_timeout: StdDuration,
    max_body: usize,
    accept: &'static str,
    etag: Option<String>,
) -> Result<Fetched> {
    let url = t.url.clone();
    let failed = |e: hyper::Error| unavailable(format!("fetching {url} failed: {e}"));
    let stream = tokio::time::timeout(connect_timeout, connect(&t, tls))
        .await
        .map_err(|_| unavailable(format!("fetching {url}: connecting timed out")))??;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(failed)?;
    // The connection task ends with the request (Connection: close).
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = Request::get(t.path_and_query.as_str())
        .header(HOST, t.authority.as_str())
        .header(ACCEPT, HeaderValue::from_static(accept))
        .header(
            USER_AGENT,
            HeaderValue::from_static(concat!("josecraft/", env!("CARGO_PKG_VERSION"))),
        )
        .header(CONNECTION, HeaderValue::from_static("close"));
    // An entity tag that is not a valid header value (it came from a server) is not sent.
    if let Some(v) = etag.as_deref().and_then(|e| HeaderValue::from_str(e).ok()) {
        request = request.header(IF_NONE_MATCH, v);
    }
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|e| unavailable(format!("fetching {url}: {e}")))?;
    let response = sender.send_request(request).await.map_err(failed)?;
    let cache_control = response
        .headers()
        .get_all(CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let response_etag = response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let with_etag = |f: Fetched| match &response_etag {
        Some(e) => f.with_etag(e.clone()),
        None => f,
    };
    if response.status() == StatusCode::NOT_MODIFIED && etag.is_some() {
        return Ok(with_etag(
            Fetched::not_modified().with_cache_control(&cache_control),
        ));
    }
    if response.status() != StatusCode::OK {
        return Err(unavailable(format!(
            "fetching {url}: HTTP {} (only 200 carries the document; redirects are not followed)",
            response.status()
        )));
    }
    let too_big = || unavailable(format!("fetching {url}: the body is over {max_body} bytes"));
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        return Err(too_big());
    }
    let mut body = response.into_body();
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(failed)?;
        if let Some(chunk) = frame.data_ref() {
            if out.len() + chunk.len() > max_body {
                return Err(too_big());
            }
            out.extend_from_slice(chunk);
        }
    }
    Ok(with_etag(
        Fetched::new(out).with_cache_control(&cache_control),
    ))
}

impl Fetcher for HttpFetcher {
    fn fetch(&self) -> FetchFuture<'_> {
        self.fetch_if_none_match(None)
    }

    fn fetch_if_none_match(&self, etag: Option<&str>) -> FetchFuture<'_> {
        self.get(JWKS_ACCEPT, etag.map(str::to_string))
    }
}

const JWKS_ACCEPT: &str = "application/jwk-set+json, application/json";

impl HttpFetcher {
    /// One GET on the fetcher's runtime, within its timeout.
    pub(super) fn get(&self, accept: &'static str, etag: Option<String>) -> FetchFuture<'static> {
        let Some(runtime) = &self.runtime else {
            return Box::pin(std::future::ready(Err(unavailable(
                "the fetcher is shut down",
            ))));
        };
        let request = get(
            self.target.clone(),
            Arc::clone(&self.tls),
            self.connect_timeout,
            self.max_body,
            accept,
            etag,
        );
        let (timeout, url) = (self.timeout, self.target.url.clone());
        let task = runtime.spawn(async move {
            tokio::time::timeout(timeout, request)
                .await
                .unwrap_or_else(|_| Err(unavailable(format!("fetching {url} timed out"))))
        });
        let mut task = AbortOnDrop(task);
        Box::pin(async move {
            match (&mut task.0).await {
                Ok(result) => result,
                Err(e) => Err(unavailable(format!("the fetch task failed: {e}"))),
            }
        })
    }
}

/// Stops the request when nobody waits for it any more.
struct AbortOnDrop(tokio::task::JoinHandle<Result<Fetched>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
