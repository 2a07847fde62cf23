//! Key sources: where verification keys come from, locally or from an auth server's JWKS URL.
//!
//! A [`KeySource`] hands out the keys that can verify a token with a given header. A local
//! [`JwkSet`] or a prepared [`JwksVerifier`] answers at once; a [`RemoteJwks`] fetches the
//! issuer's JWK Set, caches it, and follows key rotation without hammering the issuer or
//! failing during its outages.
//!
//! The core is async but needs no particular runtime: fetching goes through the small
//! [`Fetcher`] trait, and a ready HTTP fetcher (`HttpFetcher`, on rustls) comes with the
//! `http` Cargo feature. Verify with [`jwt::verify_async`](crate::jwt::verify_async) or
//! [`jws::verify_compact_async`](crate::jws::verify_compact_async); programs without an async
//! runtime use [`jwt::verify_blocking`](crate::jwt::verify_blocking) or [`block_on`].
//!
//! ```
//! use josecraft::jwk::JwkSet;
//! use josecraft::jwt::{self, Claims, Validation};
//! use josecraft::keysource::{block_on, Fetched, RemoteJwks};
//! use josecraft::{JwsAlgorithm, SigningKey};
//!
//! let key = SigningKey::generate(JwsAlgorithm::Es256)?.with_key_id("2026-11");
//! let published = JwkSet::new().with(key.to_jwk()).to_json();
//!
//! // Any async function returning the JWKS bytes is a fetcher; with the `http` feature,
//! // `HttpFetcher::new("https://auth.example/.well-known/jwks.json")?` is the usual one.
//! let jwks = RemoteJwks::builder(move || {
//!     let body = published.clone().into_bytes();
//!     async move { Ok(Fetched::new(body).with_cache_control("max-age=300")) }
//! })
//! .build();
//!
//! let claims = Claims::new(serde_json::Map::new())
//!     .with_issuer("https://auth.example")
//!     .with_audience("api")
//!     .valid_for(jwt::NumericDate::now(), std::time::Duration::from_secs(300))?;
//! let token = jwt::sign(&claims, &key)?;
//!
//! let validation = Validation::issuer("https://auth.example").audience("api");
//! // In an async handler: `jwt::verify_async(&token, &jwks, &validation).await`.
//! let verified = block_on(jwt::verify_async::<serde_json::Map<_, _>>(&token, &jwks, &validation))?;
//! assert_eq!(verified.header().kid(), Some("2026-11"));
//! # Ok::<(), josecraft::Error>(())
//! ```

#[cfg(feature = "http")]
mod http;
mod remote;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::executor::block_on;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use http::{HttpFetcher, HttpFetcherBuilder};
pub use remote::{
    max_age_from_cache_control, CacheStatus, FetchFuture, Fetched, Fetcher, RemoteJwks,
    RemoteJwksBuilder, Spawner, DEFAULT_CACHE_MAX_AGE, DEFAULT_COOLDOWN, DEFAULT_FAILURE_BACKOFF,
    DEFAULT_MAX_AGE_BOUNDS, DEFAULT_STALE_LIMIT,
};

use crate::error::Result;
use crate::header::JwsHeader;
use crate::jwk::{JwkSet, JwksVerifier};

/// The future a [`KeySource`] returns.
pub type KeysFuture<'a> = Pin<Box<dyn Future<Output = Result<JwksVerifier>> + Send + 'a>>;

/// Where verification keys come from: anything that, given a token's (unverified) header,
/// yields the keys to verify it with.
///
/// The keys returned are a snapshot: the caller selects the one key by `kid` and `alg`
/// from it, exactly as from a local set (never trying several). A remote source may fetch
/// first, when its cache has expired or the `kid` is new to it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key source",
    label = "not a key source",
    note = "key sources are JWK Sets, prepared `JwksVerifier`s and `RemoteJwks`; a single key goes to `jwt::verify`"
)]
pub trait KeySource: Send + Sync {
    /// The keys for a token with this header.
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`](crate::Error::KeysUnavailable) when a remote source has
    /// no usable keys; [`Error::KeyRejected`](crate::Error::KeyRejected) when a set breaks
    /// the verifier policy (mixed secrets and public keys).
    fn verifier_for<'a>(&'a self, header: &'a JwsHeader) -> KeysFuture<'a>;
}

/// A local set with the default [`VerifierPolicy`](crate::jwk::VerifierPolicy) (each key
/// with its own `alg`); use [`JwkSet::verifier_with`] for another policy.
impl KeySource for JwkSet {
    fn verifier_for<'a>(&'a self, _header: &'a JwsHeader) -> KeysFuture<'a> {
        Box::pin(std::future::ready(self.default_verifier()))
    }
}

impl KeySource for JwksVerifier {
    fn verifier_for<'a>(&'a self, _header: &'a JwsHeader) -> KeysFuture<'a> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<S: KeySource + ?Sized> KeySource for Arc<S> {
    fn verifier_for<'a>(&'a self, header: &'a JwsHeader) -> KeysFuture<'a> {
        (**self).verifier_for(header)
    }
}

impl<S: KeySource + ?Sized> KeySource for &S {
    fn verifier_for<'a>(&'a self, header: &'a JwsHeader) -> KeysFuture<'a> {
        (**self).verifier_for(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::VerifierSource;
    use crate::{JwsAlgorithm, SigningKey};

    #[test]
    fn local_sets_are_key_sources() {
        let key = SigningKey::generate(JwsAlgorithm::Es256)
            .unwrap()
            .with_key_id("a");
        let set = JwkSet::new().with(key.to_jwk());
        let header = JwsHeader::new().with_kid("a").with_alg(JwsAlgorithm::Es256);
        let from_set = block_on(set.verifier_for(&header)).unwrap();
        assert!(from_set.select_verifier(&header).is_ok());
        let prepared = set.verifier().unwrap();
        let from_verifier = block_on(prepared.verifier_for(&header)).unwrap();
        assert_eq!(from_verifier.len(), 1);
        let shared: Arc<dyn KeySource> = Arc::new(set);
        assert!(block_on(shared.verifier_for(&header)).is_ok());
    }
}
