//! OpenID Connect Discovery 1.0 and OAuth 2.0 Authorization Server Metadata (RFC 8414):
//! from an issuer URL to its metadata, its [`RemoteJwks`] and a [`Validation`] for it.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use super::http::{HttpFetcher, HttpFetcherBuilder};
use super::remote::{RemoteJwks, RemoteJwksBuilder};
use crate::date::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::jwt::{NeedsAudience, Validation};

/// How long metadata is kept when the response says nothing (`Cache-Control`).
pub const DEFAULT_METADATA_MAX_AGE: Duration = Duration::from_secs(3600);
/// The bounds a `Cache-Control: max-age` of the metadata is held to: five minutes to a day.
pub const DEFAULT_METADATA_MAX_AGE_BOUNDS: (Duration, Duration) =
    (Duration::from_secs(300), Duration::from_secs(86_400));
/// How long a failed metadata refresh keeps serving the last good copy before retrying.
const METADATA_RETRY_SECONDS: i64 = 60;

/// The largest metadata document accepted (64 KiB; real ones are a few KiB).
pub const DEFAULT_MAX_METADATA_LEN: usize = 64 * 1024;

/// Which well-known document describes the issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WellKnown {
    /// `{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4).
    OpenIdConfiguration,
    /// `https://host/.well-known/oauth-authorization-server{path}` (RFC 8414 §3.1).
    OAuthAuthorizationServer,
}

impl WellKnown {
    /// The document's URL for `issuer`.
    pub fn url(self, issuer: &str) -> String {
        match self {
            Self::OpenIdConfiguration => {
                format!(
                    "{}/.well-known/openid-configuration",
                    issuer.trim_end_matches('/')
                )
            }
            Self::OAuthAuthorizationServer => {
                // Inserted between the authority and the path (RFC 8414 §3.1).
                let (scheme, rest) = issuer.split_once("://").unwrap_or(("https", issuer));
                let (authority, path) = match rest.find('/') {
                    Some(i) => rest.split_at(i),
                    None => (rest, ""),
                };
                format!(
                    "{scheme}://{authority}/.well-known/oauth-authorization-server{}",
                    path.trim_end_matches('/')
                )
            }
        }
    }
}

/// An issuer's metadata, checked: its `issuer` is exactly the configured one and its
/// `jwks_uri` is `https` (unless allowed otherwise).
#[derive(Clone, PartialEq)]
pub struct ProviderMetadata {
    issuer: String,
    jwks_uri: String,
    document: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for ProviderMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderMetadata")
            .field("issuer", &self.issuer)
            .field("jwks_uri", &self.jwks_uri)
            .finish_non_exhaustive()
    }
}

impl ProviderMetadata {
    /// Checks a metadata document for `issuer` (OpenID Connect Discovery 1.0 §4.3, RFC 8414
    /// §3.3): a JSON object whose `issuer` is exactly `issuer` and whose `jwks_uri` is an
    /// absolute `https` URL (`http` too when `allow_http`).
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`] for a document that is not such an object: a resource
    /// server cannot get trustworthy keys from it, and answers 503.
    pub fn from_json(document: &[u8], issuer: &str, allow_http: bool) -> Result<Self> {
        let bad =
            |why: String| Error::KeysUnavailable(format!("issuer metadata for {issuer}: {why}"));
        crate::json::check_depth(document, 32).map_err(|e| bad(e.to_string()))?;
        let document: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(document).map_err(|e| bad(format!("not a JSON object: {e}")))?;
        let text = |name: &str| -> Result<String> {
            match document.get(name) {
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(bad(format!("\"{name}\" is not a string"))),
                None => Err(bad(format!("\"{name}\" is missing"))),
            }
        };
        let found = text("issuer")?;
        if found != issuer {
            // OIDC Discovery §4.3: "MUST be identical"; otherwise anyone who can serve a
            // document there could speak for another issuer.
            return Err(bad(format!(
                "the document names issuer {found:?}, not the configured one"
            )));
        }
        let jwks_uri = text("jwks_uri")?;
        let scheme_ok =
            jwks_uri.starts_with("https://") || (allow_http && jwks_uri.starts_with("http://"));
        if !scheme_ok {
            return Err(bad(format!("jwks_uri {jwks_uri:?} is not an https URL")));
        }
        Ok(Self {
            issuer: found,
            jwks_uri,
            document,
        })
    }

    /// The issuer identifier (equal to the configured one).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Where the issuer publishes its JWK Set.
    pub fn jwks_uri(&self) -> &str {
        &self.jwks_uri
    }

    /// Any other member of the document (`token_endpoint`,
    /// `id_token_signing_alg_values_supported`, ...).
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.document.get(name)
    }

    /// The whole document.
    pub fn document(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.document
    }
}

/// An issuer found through its well-known metadata document (feature `http`): the
/// metadata, cached; a [`RemoteJwks`] on its `jwks_uri`; a [`Validation`] for its tokens.
///
/// - The issuer must be an `https` URL without query or fragment; the document's `issuer`
///   must equal it exactly; its `jwks_uri` must be `https` (plain `http` only with the
///   `dangerous_allow_http*` switches of [`DiscoveryBuilder`], for loopback tests).
/// - Redirects are not followed, the document is bounded (64 KiB) and the request timed,
///   as for [`HttpFetcher`], whose settings (roots, timeouts) apply to both requests.
/// - The metadata is cached for its `Cache-Control: max-age` held to five minutes .. a day
///   (an hour without one); a failed refresh keeps serving the cached copy and is retried
///   a minute later. Concurrent callers of an expired copy may each fetch.
/// - A [`RemoteJwks`] built from it keeps the `jwks_uri` it was built with (its own cache
///   follows key rotation); to follow an issuer that moves its `jwks_uri`, build a new one
///   from fresh [`metadata`](Self::metadata).
///
/// ```no_run
/// use josecraft::keysource::Discovery;
/// use josecraft::jwt;
///
/// # josecraft::keysource::block_on(async {
/// let issuer = Discovery::new("https://accounts.example.com")?;
/// let jwks = issuer.remote_jwks().await?;
/// let validation = issuer.validation().audience("my-api");
/// # let token = "";
/// let verified = jwt::verify_async::<serde_json::Value>(token, &jwks, &validation).await?;
/// # Ok::<(), josecraft::Error>(())
/// # });
/// ```
#[derive(Clone)]
pub struct Discovery {
    inner: Arc<DiscoveryInner>,
}

struct DiscoveryInner {
    issuer: String,
    fetcher: HttpFetcher,
    http: HttpFetcherBuilder,
    allow_http_jwks: bool,
    clock: Arc<dyn Clock>,
    cached: Mutex<Option<(Arc<ProviderMetadata>, OffsetDateTime)>>,
}

impl fmt::Debug for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Discovery")
            .field("issuer", &self.inner.issuer)
            .field("url", &self.inner.fetcher.url())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Discovery`].
#[derive(Clone)]
pub struct DiscoveryBuilder {
    issuer: String,
    well_known: WellKnown,
    http: HttpFetcherBuilder,
    max_document_len: usize,
    allow_http: bool,
    allow_http_jwks: bool,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for DiscoveryBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscoveryBuilder")
            .field("issuer", &self.issuer)
            .field("well_known", &self.well_known)
            .field("http", &self.http)
            .field("allow_http", &self.allow_http)
            .field("allow_http_jwks", &self.allow_http_jwks)
            .finish_non_exhaustive()
    }
}

impl Discovery {
    /// Discovery of `issuer` through `/.well-known/openid-configuration`, default settings.
    ///
    /// # Errors
    /// As [`DiscoveryBuilder::build`].
    pub fn new(issuer: &str) -> Result<Self> {
        Self::builder(issuer).build()
    }

    /// Starts configuring discovery of `issuer`.
    pub fn builder(issuer: &str) -> DiscoveryBuilder {
        DiscoveryBuilder {
            issuer: issuer.to_string(),
            well_known: WellKnown::OpenIdConfiguration,
            http: HttpFetcher::builder(""),
            max_document_len: DEFAULT_MAX_METADATA_LEN,
            allow_http: false,
            allow_http_jwks: false,
            clock: None,
        }
    }

    /// The configured issuer.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The metadata: the cached copy while it is fresh, otherwise fetched and checked.
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`] when the document cannot be fetched or fails the checks
    /// of [`ProviderMetadata::from_json`] and no cached copy exists.
    pub async fn metadata(&self) -> Result<Arc<ProviderMetadata>> {
        let now = self.inner.clock.now().as_datetime();
        let cached = self
            .inner
            .cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((m, expires)) = &cached {
            if *expires > now {
                return Ok(Arc::clone(m));
            }
        }
        match self.fetch().await {
            Ok((m, max_age)) => {
                let m = Arc::new(m);
                let (min, max) = DEFAULT_METADATA_MAX_AGE_BOUNDS;
                let age = max_age.map_or(DEFAULT_METADATA_MAX_AGE, |a| a.clamp(min, max));
                let expires = now
                    .saturating_add(time::Duration::try_from(age).unwrap_or(time::Duration::MAX));
                *self.inner.cached.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((Arc::clone(&m), expires));
                Ok(m)
            }
            // A refresh failed: the last good metadata still names the right issuer; it
            // serves on, and the next attempt waits a minute so that calls do not each
            // wait for a failing fetch.
            Err(e) => match cached {
                Some((m, _)) => {
                    let retry = now.saturating_add(time::Duration::seconds(METADATA_RETRY_SECONDS));
                    *self.inner.cached.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some((Arc::clone(&m), retry));
                    Ok(m)
                }
                None => Err(e),
            },
        }
    }

    async fn fetch(&self) -> Result<(ProviderMetadata, Option<Duration>)> {
        let fetched = self.inner.fetcher.get("application/json", None).await?;
        let m = ProviderMetadata::from_json(
            fetched.body(),
            &self.inner.issuer,
            self.inner.allow_http_jwks,
        )?;
        Ok((m, fetched.max_age()))
    }

    /// A [`RemoteJwks`] on the issuer's `jwks_uri`, with the default cache settings.
    ///
    /// # Errors
    /// As [`metadata`](Self::metadata), and [`Error::KeyRejected`] for a `jwks_uri` the
    /// fetcher cannot use.
    pub async fn remote_jwks(&self) -> Result<RemoteJwks> {
        Ok(self.remote_jwks_builder().await?.build())
    }

    /// A [`RemoteJwksBuilder`] on the issuer's `jwks_uri`, to adjust its cache; the
    /// fetcher has this discovery's HTTP settings.
    ///
    /// # Errors
    /// As [`remote_jwks`](Self::remote_jwks).
    pub async fn remote_jwks_builder(&self) -> Result<RemoteJwksBuilder> {
        let metadata = self.metadata().await?;
        let fetcher = self
            .inner
            .http
            .clone()
            .with_url(metadata.jwks_uri())
            .build()?;
        Ok(RemoteJwks::builder(fetcher).with_clock(Arc::clone(&self.inner.clock)))
    }

    /// A [`Validation`] that accepts tokens from this issuer only; name the audience next.
    pub fn validation(&self) -> NeedsAudience {
        Validation::issuer(self.inner.issuer.clone())
    }
}

impl DiscoveryBuilder {
    /// Uses the RFC 8414 document (`/.well-known/oauth-authorization-server`) instead of
    /// the OpenID Connect one.
    pub fn with_well_known(mut self, well_known: WellKnown) -> Self {
        self.well_known = well_known;
        self
    }

    /// The HTTP settings (roots, timeouts, and the JWK Set's body limit) for the metadata
    /// and the JWK Set; the URL of `http` is ignored, and the metadata's body limit is
    /// [`with_max_document_len`](Self::with_max_document_len)'s whatever the order of calls.
    pub fn with_http(mut self, http: HttpFetcherBuilder) -> Self {
        self.http = http;
        self
    }

    /// The largest metadata document accepted, in bytes (default 64 KiB).
    pub fn with_max_document_len(mut self, bytes: usize) -> Self {
        self.max_document_len = bytes;
        self
    }

    /// Allows an `http` issuer (its metadata fetched over plain HTTP), for loopback tests
    /// only: anyone on the path could otherwise choose the keys. The `jwks_uri` must still
    /// be `https` unless [`dangerous_allow_http_jwks_uri`](Self::dangerous_allow_http_jwks_uri).
    pub fn dangerous_allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Allows an `http` `jwks_uri`, for loopback tests only.
    pub fn dangerous_allow_http_jwks_uri(mut self) -> Self {
        self.allow_http_jwks = true;
        self
    }

    /// The clock of the metadata cache and of the [`RemoteJwks`] it builds.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The discovery (nothing is fetched yet).
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for an issuer that is not an absolute `https` URL (or `http`
    /// when allowed) or that has a query or fragment (RFC 8414 §2).
    pub fn build(self) -> Result<Discovery> {
        let issuer = self.issuer;
        if issuer.contains('?') || issuer.contains('#') {
            return Err(Error::key(format!(
                "issuer {issuer:?}: an issuer identifier has no query or fragment"
            )));
        }
        let https = issuer.starts_with("https://");
        if !(https || self.allow_http && issuer.starts_with("http://")) {
            return Err(Error::key(format!("issuer {issuer:?} is not an https URL")));
        }
        let mut metadata_http = self
            .http
            .clone()
            .with_url(&self.well_known.url(&issuer))
            .with_max_body_len(self.max_document_len);
        if self.allow_http {
            metadata_http = metadata_http.dangerous_allow_http();
        }
        let fetcher = metadata_http.build()?;
        let http = if self.allow_http_jwks {
            self.http.dangerous_allow_http()
        } else {
            self.http
        };
        Ok(Discovery {
            inner: Arc::new(DiscoveryInner {
                issuer,
                fetcher,
                http,
                allow_http_jwks: self.allow_http_jwks,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                cached: Mutex::new(None),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls() {
        let oidc = WellKnown::OpenIdConfiguration;
        let oauth = WellKnown::OAuthAuthorizationServer;
        assert_eq!(
            oidc.url("https://a.example"),
            "https://a.example/.well-known/openid-configuration"
        );
        assert_eq!(
            oidc.url("https://a.example/t1/"),
            "https://a.example/t1/.well-known/openid-configuration"
        );
        assert_eq!(
            oauth.url("https://a.example"),
            "https://a.example/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            oauth.url("https://a.example/t1"),
            "https://a.example/.well-known/oauth-authorization-server/t1"
        );
    }

    #[test]
    fn metadata_checks() {
        let ok = br#"{"issuer":"https://a.example","jwks_uri":"https://a.example/jwks"}"#;
        let m = ProviderMetadata::from_json(ok, "https://a.example", false).unwrap();
        assert_eq!(m.jwks_uri(), "https://a.example/jwks");
        for (doc, issuer, allow) in [
            (&ok[..], "https://a.example/", false),
            (
                br#"{"issuer":"https://evil.example","jwks_uri":"https://a.example/jwks"}"#,
                "https://a.example",
                false,
            ),
            (
                br#"{"issuer":"https://a.example","jwks_uri":"http://a.example/jwks"}"#,
                "https://a.example",
                false,
            ),
            (
                br#"{"issuer":"https://a.example"}"#,
                "https://a.example",
                true,
            ),
            (
                br#"{"issuer":5,"jwks_uri":"https://a.example/jwks"}"#,
                "https://a.example",
                true,
            ),
            (br#"["issuer"]"#, "https://a.example", true),
        ] {
            assert!(
                matches!(
                    ProviderMetadata::from_json(doc, issuer, allow),
                    Err(Error::KeysUnavailable(_))
                ),
                "{}",
                String::from_utf8_lossy(doc)
            );
        }
        let http = br#"{"issuer":"https://a.example","jwks_uri":"http://127.0.0.1/jwks"}"#;
        assert!(ProviderMetadata::from_json(http, "https://a.example", true).is_ok());
    }

    #[test]
    fn issuers_must_be_https_without_query() {
        for bad in [
            "http://a.example",
            "https://a.example?x=1",
            "https://a.example#f",
            "a.example",
        ] {
            assert!(
                matches!(Discovery::new(bad), Err(Error::KeyRejected(_))),
                "{bad}"
            );
        }
        assert!(Discovery::builder("http://127.0.0.1:1")
            .dangerous_allow_http()
            .build()
            .is_ok());
    }
}
