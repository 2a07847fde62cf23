//! Revocation: a JWT cannot be recalled once issued, unless the verifier keeps a list of
//! what is no longer good. The check runs after the signature and every claim passed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use std::time::Duration;

use super::validation::DEFAULT_LEEWAY;
use crate::date::{Clock, NumericDate, SystemClock};

/// Tells whether a token's `jti` has been revoked. Implement it over your store (a
/// database, Redis, ...); [`JtiDenylist`] is an in-memory one.
pub trait RevocationCheck: Send + Sync {
    /// Whether the token with this `jti` is revoked.
    fn is_revoked(&self, jti: &str) -> bool;
}

/// An in-memory `jti` denylist whose entries expire with their tokens: once a token's
/// `exp` (plus leeway) has passed, the token is refused anyway, so its entry is dropped.
/// The list therefore holds at most the revoked tokens still alive.
///
/// ```
/// use josecraft::jwt::{JtiDenylist, NumericDate, RevocationCheck};
///
/// let list = JtiDenylist::new();
/// list.revoke("token-1", NumericDate::now().checked_add(std::time::Duration::from_secs(300)).unwrap());
/// assert!(list.is_revoked("token-1"));
/// assert!(!list.is_revoked("token-2"));
/// ```
pub struct JtiDenylist {
    entries: Mutex<Entries>,
    clock: Arc<dyn Clock>,
    leeway: Duration,
}

#[derive(Default)]
struct Entries {
    by_jti: HashMap<String, NumericDate>,
    /// Size after the last pruning; pruning again when the list has doubled keeps the
    /// cost amortized constant per revocation.
    pruned_at: usize,
}

impl Default for JtiDenylist {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for JtiDenylist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JtiDenylist")
            .field("len", &self.len())
            .finish()
    }
}

impl JtiDenylist {
    /// An empty list on the system clock, keeping entries [`DEFAULT_LEEWAY`] past `exp`.
    pub fn new() -> Self {
        Self {
            entries: Mutex::default(),
            clock: Arc::new(SystemClock),
            leeway: DEFAULT_LEEWAY,
        }
    }

    /// Uses `clock` to decide which entries have expired.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Keeps entries this long past their token's `exp`: set it to the validators' leeway.
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A poisoned lock only means another thread panicked mid-update of a map that is
        // never left half-written; the data is still usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Revokes the token `jti`, which expires at `exp`.
    pub fn revoke(&self, jti: impl Into<String>, exp: NumericDate) {
        let now = self.clock.now();
        let mut e = self.lock();
        e.by_jti.insert(jti.into(), exp);
        if e.by_jti.len() >= 2 * e.pruned_at.max(8) {
            let leeway = self.leeway;
            e.by_jti
                .retain(|_, exp| exp.checked_add(leeway).is_none_or(|end| end > now));
            e.pruned_at = e.by_jti.len();
        }
    }

    /// Drops every entry whose token has expired.
    pub fn prune(&self) {
        let now = self.clock.now();
        let leeway = self.leeway;
        let mut e = self.lock();
        e.by_jti
            .retain(|_, exp| exp.checked_add(leeway).is_none_or(|end| end > now));
        e.pruned_at = e.by_jti.len();
    }

    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.lock().by_jti.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl RevocationCheck for JtiDenylist {
    fn is_revoked(&self, jti: &str) -> bool {
        self.lock().by_jti.contains_key(jti)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::FixedClock;
    use std::sync::atomic::{AtomicI64, Ordering};

    struct Moving(AtomicI64);
    impl Clock for Moving {
        fn now(&self) -> NumericDate {
            NumericDate::from_unix(self.0.load(Ordering::SeqCst)).unwrap()
        }
    }

    #[test]
    fn entries_expire_with_their_tokens() {
        let t0 = 1_000_000;
        let clock = Arc::new(Moving(AtomicI64::new(t0)));
        struct Shared(Arc<Moving>);
        impl Clock for Shared {
            fn now(&self) -> NumericDate {
                self.0.now()
            }
        }
        let list = JtiDenylist::new()
            .with_clock(Shared(clock.clone()))
            .with_leeway(Duration::ZERO);
        // A steady stream of revocations of 5-minute tokens never holds more than the live ones.
        for i in 0..10_000i64 {
            clock.0.store(t0 + i, Ordering::SeqCst);
            list.revoke(
                format!("jti-{i}"),
                NumericDate::from_unix(t0 + i + 300).unwrap(),
            );
            assert!(list.len() <= 2 * 300 + 16, "{} at {i}", list.len());
        }
        assert!(list.is_revoked("jti-9999"));
        clock.0.store(t0 + 20_000, Ordering::SeqCst);
        list.prune();
        assert!(list.is_empty());
        let _ = FixedClock(NumericDate::now());
    }
}
