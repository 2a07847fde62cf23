//! Where verification keys come from, sync or async: [`KeySource`] covers a single key, a
//! [`VerifierSet`](crate::jws::VerifierSet), a [`JwkSet`](crate::jwk::JwkSet) and a
//! [`RemoteJwks`](crate::keysource::RemoteJwks) alike.

use std::future::Future;
use std::pin::Pin;

use super::keyset::PreparedJwks;
use super::sign::{Verifier, VerifierSource};
use crate::error::Result;
use crate::header::{JwsHeader, Untrusted};

/// The future a [`KeySource`] returns.
pub type KeysFuture<'a> = Pin<Box<dyn Future<Output = Result<Keys<'a>>> + Send + 'a>>;

/// The keys a [`KeySource`] hands out for one token: a snapshot to select the one key from,
/// by `kid` and `alg` as from a local set (never by trying several).
pub struct Keys<'a>(KeysInner<'a>);

enum KeysInner<'a> {
    Borrowed(&'a (dyn VerifierSource + Sync)),
    Prepared(PreparedJwks<dyn Verifier>),
}

impl<'a> Keys<'a> {
    /// Keys that a source holds itself (a single key, a set).
    pub fn borrowed(source: &'a (dyn VerifierSource + Sync)) -> Self {
        Self(KeysInner::Borrowed(source))
    }

    /// A prepared JWK Set, for example the current snapshot of a cache.
    pub fn prepared(keys: PreparedJwks<dyn Verifier>) -> Self {
        Self(KeysInner::Prepared(keys))
    }
}

impl std::fmt::Debug for Keys<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            KeysInner::Borrowed(_) => f.write_str("Keys(<borrowed source>)"),
            KeysInner::Prepared(p) => f.debug_tuple("Keys").field(p).finish(),
        }
    }
}

impl VerifierSource for Keys<'_> {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier> {
        match &self.0 {
            KeysInner::Borrowed(source) => source.select_verifier(header),
            KeysInner::Prepared(keys) => keys.select_verifier(header),
        }
    }
}

/// Where verification keys come from: given a token's (unverified) header, the keys to
/// verify it with, possibly after a fetch.
///
/// Every [`VerifierSource`] is one (a single key, a [`VerifierSet`](crate::jws::VerifierSet),
/// a [`JwkSet`](crate::jwk::JwkSet), a prepared [`JwksVerifier`](crate::jwk::JwksVerifier)),
/// answering at once; a [`RemoteJwks`](crate::keysource::RemoteJwks) may fetch first, when
/// its cache has expired or the `kid` is new to it. Functions that take a `KeySource` are
/// `async` (`jwt::verify_async`, `jws::verify_compact_async`); run them with
/// [`block_on`](crate::keysource::block_on) where there is no async runtime.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key source",
    label = "not a key source",
    note = "key sources are keys (`HmacKey`, `VerifyingKey`, your own `Verifier`), key sets (`VerifierSet`, `JwkSet`, `JwksVerifier`) and `RemoteJwks`",
    note = "a `SigningKey` verifies through its public key: pass `&key.verifying_key()`"
)]
pub trait KeySource: Send + Sync {
    /// The keys for a token with this header. The future may not borrow the header: a
    /// source that needs its `kid` after an `.await` copies it first.
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`](crate::Error::KeysUnavailable) when a remote source has
    /// no usable keys; [`Error::KeyRejected`](crate::Error::KeyRejected) when a set breaks
    /// the key-set policy (mixed secrets and public keys).
    fn keys_for<'a>(&'a self, header: &Untrusted<JwsHeader>) -> KeysFuture<'a>;
}

/// Every key and key set is a key source that answers at once.
impl<S: VerifierSource + Send + Sync> KeySource for S {
    fn keys_for<'a>(&'a self, _header: &Untrusted<JwsHeader>) -> KeysFuture<'a> {
        Box::pin(std::future::ready(Ok(Keys::borrowed(self))))
    }
}

/// A shared key source of any kind is one.
impl KeySource for std::sync::Arc<dyn KeySource> {
    fn keys_for<'a>(&'a self, header: &Untrusted<JwsHeader>) -> KeysFuture<'a> {
        (**self).keys_for(header)
    }
}

/// A boxed key source of any kind is one.
impl KeySource for Box<dyn KeySource> {
    fn keys_for<'a>(&'a self, header: &Untrusted<JwsHeader>) -> KeysFuture<'a> {
        (**self).keys_for(header)
    }
}
