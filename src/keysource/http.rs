//! The ready HTTP fetcher (`http` feature): reqwest with rustls on the `ring` provider,
//! running on its own one-thread tokio runtime so that it works under any executor.

use std::fmt;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use reqwest::header::{HeaderValue, ACCEPT, CACHE_CONTROL, CONTENT_LENGTH};
use reqwest::{redirect, StatusCode, Url};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use rustls_platform_verifier::BuilderVerifierExt;

use super::remote::{FetchFuture, Fetched, Fetcher};
use crate::error::{Error, Result};

const DEFAULT_TIMEOUT: StdDuration = StdDuration::from_secs(5);
const DEFAULT_MAX_BODY: usize = 512 * 1024;

fn unavailable(why: impl fmt::Display) -> Error {
    Error::KeysUnavailable(why.to_string())
}

/// Fetches a JWK Set over HTTPS (feature `http`).
///
/// - HTTPS only, unless [`allow_http`](HttpFetcherBuilder::allow_http) (for a loopback
///   test server); redirects are not followed and no proxy is read from the environment,
///   so the request goes only where the configured URL says (RFC 8725 §3.10).
/// - Server certificates are checked against the platform's trust store, or only against
///   [given roots](HttpFetcherBuilder::root_certificates_pem).
/// - A whole-request timeout (default 5 s, as panva/jose) and a body limit (default
///   512 KiB), both checked while reading.
/// - Only `200 OK` is a set; its `Cache-Control: max-age` goes to the cache.
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
    url: Url,
    client: reqwest::Client,
    max_body: usize,
    runtime: Option<tokio::runtime::Runtime>,
}

impl fmt::Debug for HttpFetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpFetcher")
            .field("url", &self.url.as_str())
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Configures an [`HttpFetcher`].
#[derive(Debug)]
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
        self.url.as_str()
    }
}

impl HttpFetcherBuilder {
    /// The longest a whole request may take, connecting to the last body byte (default 5 s).
    pub fn timeout(mut self, timeout: StdDuration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default: the whole-request timeout).
    pub fn connect_timeout(mut self, timeout: StdDuration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest body accepted, in bytes (default 512 KiB).
    pub fn max_body_len(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Allows a plain `http://` URL. Anyone on the path can then replace the keys, so this
    /// is for tests against a loopback server and for sidecars on the same host only.
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Trusts only the certificates of this PEM bundle as roots (a private CA), instead of
    /// the platform's trust store. Call again to add more.
    pub fn root_certificates_pem(mut self, pem: &[u8]) -> Self {
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
        let url = Url::parse(&self.url)
            .map_err(|e| Error::key(format!("JWKS URL {:?}: {e}", self.url)))?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::key(
                    "JWKS URL: plain http lets anyone on the path choose your keys; use https \
                     (or allow_http for a loopback test server)",
                ))
            }
            other => {
                return Err(Error::key(format!(
                    "JWKS URL: unsupported scheme {other:?}"
                )))
            }
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::key(
                "JWKS URL: credentials in the URL are not supported",
            ));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| unavailable(format!("TLS setup: {e}")))?;
        let tls = match self.roots {
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
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout.unwrap_or(self.timeout))
            .user_agent(concat!("josecraft/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| unavailable(format!("HTTP client setup: {e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("josecraft-jwks")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| unavailable(format!("runtime setup: {e}")))?;
        Ok(HttpFetcher {
            url,
            client,
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

async fn get(client: reqwest::Client, url: Url, max_body: usize) -> Result<Fetched> {
    let failed = |e: reqwest::Error| {
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "failed"
        };
        unavailable(format!("fetching {url} {what}: {}", e.without_url()))
    };
    let mut response = client
        .get(url.clone())
        .header(
            ACCEPT,
            HeaderValue::from_static("application/jwk-set+json, application/json"),
        )
        .send()
        .await
        .map_err(failed)?;
    if response.status() != StatusCode::OK {
        return Err(unavailable(format!(
            "fetching {url}: HTTP {} (only 200 carries a key set; redirects are not followed)",
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
    let cache_control = response
        .headers()
        .get_all(CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > max_body {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched::new(body).with_cache_control(&cache_control))
}

impl Fetcher for HttpFetcher {
    fn fetch(&self) -> FetchFuture<'_> {
        let Some(runtime) = &self.runtime else {
            return Box::pin(std::future::ready(Err(unavailable(
                "the fetcher is shut down",
            ))));
        };
        let task = runtime.spawn(get(self.client.clone(), self.url.clone(), self.max_body));
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
