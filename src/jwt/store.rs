//! State a server keeps beside its tokens, behind async traits so it can live in a shared
//! store (the `josecraft-redis` crate) as well as in memory: revoked `jti`s
//! ([`RevocationStore`]), one-time identifiers such as DPoP proof `jti`s ([`ReplayCache`]),
//! and refresh-token families ([`RefreshFamilies`], RFC 9700 §4.14.2). A store that cannot
//! answer fails with [`Error::StoreUnavailable`](crate::Error::StoreUnavailable): the
//! request cannot be decided, which a server answers 503, never "allowed".

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use super::revocation::{JtiDenylist, RevocationCheck};
use crate::date::{Clock, NumericDate, SystemClock};
use crate::error::Result;

/// The future a store returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// Revoked token ids, shared by every verifier: [`Validation::with_revocation_store`](super::Validation::with_revocation_store)
/// consults it in [`verify_async`](super::verify_async), after the signature and every
/// claim passed.
pub trait RevocationStore: Send + Sync {
    /// Revokes the token `jti` that expires at `exp`; the entry may be dropped once `exp`
    /// (plus the store's leeway) has passed, since the token is refused anyway.
    fn revoke<'a>(&'a self, jti: &'a str, exp: NumericDate) -> StoreFuture<'a, ()>;

    /// Whether `jti` is revoked.
    fn is_revoked<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool>;
}

impl RevocationStore for JtiDenylist {
    fn revoke<'a>(&'a self, jti: &'a str, exp: NumericDate) -> StoreFuture<'a, ()> {
        JtiDenylist::revoke(self, jti, exp);
        Box::pin(std::future::ready(Ok(())))
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(RevocationCheck::is_revoked(
            self, jti,
        ))))
    }
}

/// Identifiers that may be used once (DPoP proof `jti`s, one-time codes).
pub trait ReplayCache: Send + Sync {
    /// Records `id` as used through `until` (that second included; never less than the
    /// current second, even when `until` has passed): `true` the first time, `false` when
    /// it was already used (a replay). Atomic: of two concurrent first uses, one wins.
    /// An implementation may remember longer (a shared store adds a clock margin).
    fn first_use<'a>(&'a self, id: &'a str, until: NumericDate) -> StoreFuture<'a, bool>;
}

/// The in-memory [`ReplayCache`]: entries leave once their time has passed.
pub struct MemoryReplayCache {
    seen: Mutex<(HashMap<String, NumericDate>, usize)>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for MemoryReplayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryReplayCache")
            .field("len", &lock(&self.seen).0.len())
            .finish()
    }
}

impl Default for MemoryReplayCache {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryReplayCache {
    /// An empty cache on the system clock.
    pub fn new() -> Self {
        Self {
            seen: Mutex::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses `clock` to expire entries.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update is a single map operation: a panic elsewhere leaves nothing half-done.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ReplayCache for MemoryReplayCache {
    fn first_use<'a>(&'a self, id: &'a str, until: NumericDate) -> StoreFuture<'a, bool> {
        let now = self.clock.now();
        let mut guard = lock(&self.seen);
        let (map, pruned_at) = &mut *guard;
        // Inclusive: an id used in the last second of its window is a replay when used again
        // in that same second.
        let fresh = match map.get(id) {
            Some(end) if *end >= now => false,
            _ => {
                map.insert(id.to_string(), until.max(now));
                true
            }
        };
        // Amortized pruning, as JtiDenylist: when the map has doubled since the last prune.
        if map.len() >= 2 * (*pruned_at).max(8) {
            map.retain(|_, end| *end >= now);
            *pruned_at = map.len();
        }
        Box::pin(std::future::ready(Ok(fresh)))
    }
}

/// What [`RefreshFamilies::rotate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rotation {
    /// The presented token was the family's current one; the next one now is.
    Rotated,
    /// The presented token was an earlier one of the family: it was stolen or replayed,
    /// so the whole family is now revoked (RFC 9700 §4.14.2).
    ReuseDetected,
    /// The family was revoked (logout, earlier reuse), has outlived its absolute
    /// lifetime, or never existed.
    Ended,
}

/// Refresh-token families (RFC 9700 §4.14.2): every refresh token belongs to the family of
/// the login that started it; each use rotates it, a used one presented again revokes the
/// family, and a family ends at an absolute time whatever its rotations.
pub trait RefreshFamilies: Send + Sync {
    /// Starts `family` with its first token, to end at `ends` at the latest.
    fn start<'a>(
        &'a self,
        family: &'a str,
        token: &'a str,
        ends: NumericDate,
    ) -> StoreFuture<'a, ()>;

    /// Atomically replaces `presented` by `next` if `presented` is the family's current
    /// token; of two concurrent rotations of the same token exactly one sees
    /// [`Rotation::Rotated`], the other [`Rotation::ReuseDetected`] (and the family ends).
    fn rotate<'a>(
        &'a self,
        family: &'a str,
        presented: &'a str,
        next: &'a str,
    ) -> StoreFuture<'a, Rotation>;

    /// Ends `family` (logout).
    fn revoke_family<'a>(&'a self, family: &'a str) -> StoreFuture<'a, ()>;
}

/// The in-memory [`RefreshFamilies`] of one process.
pub struct MemoryRefreshFamilies {
    families: Mutex<HashMap<String, Family>>,
    clock: Arc<dyn Clock>,
}

struct Family {
    current: String,
    ends: NumericDate,
    revoked: bool,
}

impl std::fmt::Debug for MemoryRefreshFamilies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryRefreshFamilies")
            .field("len", &lock(&self.families).len())
            .finish()
    }
}

impl Default for MemoryRefreshFamilies {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryRefreshFamilies {
    /// No families, on the system clock.
    pub fn new() -> Self {
        Self {
            families: Mutex::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses `clock` for the families' absolute lifetimes.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

impl RefreshFamilies for MemoryRefreshFamilies {
    fn start<'a>(
        &'a self,
        family: &'a str,
        token: &'a str,
        ends: NumericDate,
    ) -> StoreFuture<'a, ()> {
        let now = self.clock.now();
        let mut families = lock(&self.families);
        families.retain(|_, f| f.ends > now);
        families.insert(
            family.to_string(),
            Family {
                current: token.to_string(),
                ends,
                revoked: false,
            },
        );
        Box::pin(std::future::ready(Ok(())))
    }

    fn rotate<'a>(
        &'a self,
        family: &'a str,
        presented: &'a str,
        next: &'a str,
    ) -> StoreFuture<'a, Rotation> {
        let now = self.clock.now();
        let mut families = lock(&self.families);
        let outcome = match families.get_mut(family) {
            None => Rotation::Ended,
            Some(f) if f.revoked || f.ends <= now => Rotation::Ended,
            Some(f) if f.current == presented => {
                f.current = next.to_string();
                Rotation::Rotated
            }
            Some(f) => {
                f.revoked = true;
                Rotation::ReuseDetected
            }
        };
        Box::pin(std::future::ready(Ok(outcome)))
    }

    fn revoke_family<'a>(&'a self, family: &'a str) -> StoreFuture<'a, ()> {
        if let Some(f) = lock(&self.families).get_mut(family) {
            f.revoked = true;
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executor::block_on;
    use crate::jwt::{self, Claims, FixedClock, JtiDenylist, Validation};
    use crate::{ClaimsError, Error, HmacAlgorithm, HmacKey};

    fn now() -> NumericDate {
        NumericDate::from_unix(1_700_000_000).unwrap()
    }

    #[test]
    fn revocation_store_is_consulted_by_verify_async_only() {
        let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
        let claims = Claims::new(serde_json::json!({"scope": "a"}))
            .with_issuer("i")
            .with_audience("x")
            .with_jti("t1")
            .valid_for(now(), std::time::Duration::from_secs(60))
            .unwrap();
        let token = jwt::sign(&claims, &key).unwrap();
        let store = Arc::new(JtiDenylist::new().with_clock(FixedClock(now())));
        let v = Validation::issuer("i")
            .audience("x")
            .with_clock(FixedClock(now()))
            .with_required_scopes(["b"])
            .with_revocation_store(store.clone());
        let run =
            |v: &Validation| block_on(jwt::verify_async::<serde_json::Value>(&token, &key, v));
        // Valid, not revoked, but lacking scope b: forbidden after the store said no.
        assert!(matches!(run(&v), Err(Error::Forbidden(_))));
        block_on(RevocationStore::revoke(&*store, "t1", now())).unwrap();
        // Revoked: invalid, even though it would also be forbidden.
        assert!(matches!(
            run(&v),
            Err(Error::Claims(ClaimsError::Revoked { .. }))
        ));
        // The synchronous entry points cannot wait for a store: refused, never skipped.
        assert!(matches!(
            jwt::verify::<serde_json::Value>(&token, &key, &v),
            Err(Error::Unsupported(_))
        ));
        let dir =
            crate::jwe::SymmetricKey::generate_direct(crate::ContentEncryption::A256Gcm).unwrap();
        assert!(matches!(
            jwt::decrypt::<serde_json::Value>(&token, &dir, &v),
            Err(Error::Unsupported(_))
        ));
    }

    #[test]
    fn memory_replay_cache_admits_each_id_once_through_its_last_second() {
        use std::sync::atomic::{AtomicI64, Ordering};
        struct Moving(AtomicI64);
        impl Clock for Moving {
            fn now(&self) -> NumericDate {
                NumericDate::from_unix(self.0.load(Ordering::SeqCst)).unwrap()
            }
        }
        let t0 = now().unix();
        let at = |t: i64| NumericDate::from_unix(t).unwrap();
        let clock = Arc::new(Moving(AtomicI64::new(t0)));
        let cache = MemoryReplayCache::new().with_clock(clock.clone());
        assert!(block_on(cache.first_use("a", at(t0 + 60))).unwrap());
        assert!(!block_on(cache.first_use("a", at(t0 + 60))).unwrap());
        assert!(block_on(cache.first_use("b", at(t0 + 60))).unwrap());
        // The last second of the window still counts (as in the Redis store).
        clock.0.store(t0 + 60, Ordering::SeqCst);
        assert!(!block_on(cache.first_use("a", at(t0 + 120))).unwrap());
        clock.0.store(t0 + 61, Ordering::SeqCst);
        assert!(block_on(cache.first_use("a", at(t0 + 120))).unwrap());
        // A time already past is remembered through the current second, not forgotten at
        // once, and then forgotten.
        assert!(block_on(cache.first_use("c", at(t0))).unwrap());
        assert!(!block_on(cache.first_use("c", at(t0))).unwrap());
        clock.0.store(t0 + 62, Ordering::SeqCst);
        assert!(block_on(cache.first_use("c", at(t0 + 120))).unwrap());
    }
}
