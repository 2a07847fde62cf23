//! Key sources: where verification keys come from, locally or from an auth server's JWKS URL.
//!
//! A [`KeySource`] hands out the keys that can verify a token with a given header. A local
//! [`JwkSet`](crate::jwk::JwkSet) or a prepared [`JwksVerifier`](crate::jwk::JwksVerifier) answers at once; a [`RemoteJwks`] fetches the
//! issuer's JWK Set, caches it, and follows key rotation without hammering the issuer or
//! failing during its outages.
//!
//! The core is async but needs no particular runtime: fetching goes through the small
//! [`Fetcher`] trait, and a ready HTTP fetcher (`HttpFetcher`, on rustls) comes with the
//! `http` Cargo feature. Verify with [`jwt::verify_async`](crate::jwt::verify_async) or
//! [`jws::verify_compact_async`](crate::jws::verify_compact_async); programs without an async
//! runtime run them with [`block_on`].
//!
//! ```
//! use josecraft::jwk::JwkSet;
//! use josecraft::jwt::{self, Claims, Validation};
//! use josecraft::keysource::{block_on, Fetched, RemoteJwks};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//!
//! let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2026-11");
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
mod discovery;
#[cfg(feature = "http")]
mod http;
mod remote;

pub use crate::executor::block_on;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use discovery::{
    Discovery, DiscoveryBuilder, ProviderMetadata, WellKnown, DEFAULT_MAX_METADATA_LEN,
    DEFAULT_METADATA_MAX_AGE, DEFAULT_METADATA_MAX_AGE_BOUNDS,
};
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use http::{HttpFetcher, HttpFetcherBuilder};
pub use remote::{
    max_age_from_cache_control, CacheStatus, FetchEvent, FetchFuture, Fetched, Fetcher, Observer,
    RemoteJwks, RemoteJwksBuilder, Spawner, DEFAULT_CACHE_MAX_AGE, DEFAULT_COOLDOWN,
    DEFAULT_FAILURE_BACKOFF, DEFAULT_MAX_AGE_BOUNDS, DEFAULT_STALE_LIMIT,
};

pub use crate::jose::{KeySource, Keys, KeysFuture};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{JwsHeader, Untrusted};
    use crate::jwk::JwkSet;
    use crate::jws::{VerifierSet, VerifierSource};
    use crate::{SignatureAlgorithm, SigningKey};
    use std::sync::Arc;

    /// A key, a set of keys, a JWK Set and a prepared one are all key sources.
    #[test]
    fn keys_and_sets_are_key_sources() {
        let key = SigningKey::generate(SignatureAlgorithm::Es256)
            .unwrap()
            .with_key_id("a");
        let header = Untrusted::new(
            JwsHeader::new()
                .with_kid("a")
                .with_alg(crate::JwsAlgorithm::Es256),
        );
        let set = JwkSet::new().with(key.to_jwk());
        let verifying = key.verifying_key();
        let verifiers = VerifierSet::new().with(key.verifying_key());
        let prepared = set.verifier().unwrap();
        let sources: [&dyn KeySource; 4] = [&verifying, &verifiers, &set, &prepared];
        for source in sources {
            let found = block_on(source.keys_for(&header)).unwrap();
            assert_eq!(found.select_verifier(&header).unwrap().key_id(), Some("a"));
        }
        let shared: Arc<dyn KeySource> = Arc::new(set);
        assert!(block_on(shared.keys_for(&header)).is_ok());
    }
}
