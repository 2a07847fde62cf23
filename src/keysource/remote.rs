//! The remote JWK Set: cache, unknown-`kid` refetch with a cooldown, one shared in-flight
//! fetch, stale-while-revalidate, stale serving during outages, refresh ahead of expiry,
//! and export/import.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use futures_util::future::{FutureExt, Shared};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::OffsetDateTime;

use super::{KeySource, Keys, KeysFuture};
use crate::date::{Clock, NumericDate, SystemClock};
use crate::error::{Error, KeySelectionError, Part, Result};
use crate::header::{JwsHeader, Untrusted};
use crate::jwk::{JwkSet, JwksVerifier, VerifierPolicy};
use crate::jws::VerifierSource;
use crate::limits::Limits;

/// How long a fetched set is used when the response says nothing (`Cache-Control`), as
/// panva/jose's `cacheMaxAge`.
pub const DEFAULT_CACHE_MAX_AGE: Duration = Duration::from_secs(600);
/// The bounds a `Cache-Control: max-age` is held to: at least the cooldown, at most an
/// hour, so that a key the issuer withdrew stops being trusted within the hour.
pub const DEFAULT_MAX_AGE_BOUNDS: (Duration, Duration) =
    (Duration::from_secs(30), Duration::from_secs(3600));
/// The least time between two fetches caused by tokens with an unknown `kid`.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(30);
/// The least time between a failed fetch and the next attempt.
pub const DEFAULT_FAILURE_BACKOFF: Duration = Duration::from_secs(5);
/// How long past its expiry the last good set keeps serving while fetches fail.
pub const DEFAULT_STALE_LIMIT: Duration = Duration::from_secs(3600);

/// How long a fetch may stay in flight before it is taken as lost (its task never driven).
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// A fetched JWK Set document and how long the source says it may be cached, or the
/// answer that the cached one is still current (`304 Not Modified`).
#[derive(Clone, PartialEq, Eq)]
pub struct Fetched {
    body: Vec<u8>,
    max_age: Option<Duration>,
    etag: Option<String>,
    not_modified: bool,
}

impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetched")
            .field("body_len", &self.body.len())
            .field("max_age", &self.max_age)
            .field("etag", &self.etag)
            .field("not_modified", &self.not_modified)
            .finish()
    }
}

impl Fetched {
    /// A fetched JWK Set (the JSON bytes), with no caching advice.
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        Self {
            body: body.into(),
            max_age: None,
            etag: None,
            not_modified: false,
        }
    }

    /// The source's answer to a conditional fetch
    /// ([`Fetcher::fetch_if_none_match`]) whose entity tag still matches: the cached set
    /// stays and its age starts again (with this answer's `max_age`, if any).
    pub fn not_modified() -> Self {
        Self {
            not_modified: true,
            ..Self::new(Vec::new())
        }
    }

    /// The document's entity tag (the `ETag` response header, quotes included), sent back
    /// in `If-None-Match` on the next fetch.
    pub fn with_etag(mut self, etag: impl Into<String>) -> Self {
        self.etag = Some(etag.into());
        self
    }

    /// The entity tag, if the source gave one.
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }

    /// Whether this is a [`not_modified`](Self::not_modified) answer.
    pub fn is_not_modified(&self) -> bool {
        self.not_modified
    }

    /// How long the source allows caching (held to the configured bounds).
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Caching advice from a `Cache-Control` response header value; see
    /// [`max_age_from_cache_control`].
    pub fn with_cache_control(mut self, value: &str) -> Self {
        self.max_age = max_age_from_cache_control(value);
        self
    }

    /// The document.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The caching advice, if any.
    pub fn max_age(&self) -> Option<Duration> {
        self.max_age
    }
}

/// The cache lifetime a `Cache-Control` header value gives (RFC 9111 §5.2.2): `max-age`
/// in seconds; `no-store` or `no-cache` give zero (the configured lower bound then
/// applies); anything else, or a malformed `max-age`, gives `None`.
///
/// ```
/// use josecraft::keysource::max_age_from_cache_control;
/// use std::time::Duration;
///
/// assert_eq!(max_age_from_cache_control("public, max-age=300"), Some(Duration::from_secs(300)));
/// assert_eq!(max_age_from_cache_control("no-cache"), Some(Duration::ZERO));
/// assert_eq!(max_age_from_cache_control("public"), None);
/// ```
pub fn max_age_from_cache_control(value: &str) -> Option<Duration> {
    let mut max_age = None;
    for directive in value.split(',') {
        let directive = directive.trim();
        let (name, arg) = match directive.split_once('=') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (directive, None),
        };
        if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
            return Some(Duration::ZERO);
        }
        if name.eq_ignore_ascii_case("max-age") {
            let arg = arg?;
            let digits = arg
                .strip_prefix('"')
                .and_then(|a| a.strip_suffix('"'))
                .unwrap_or(arg);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // RFC 9111 §1.2.2: a delta-seconds too large to represent means "a long time".
            let seconds = digits.parse::<u64>().unwrap_or(u64::MAX);
            max_age = Some(Duration::from_secs(seconds));
        }
    }
    max_age
}

/// The future a [`Fetcher`] returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Fetched>> + Send + 'a>>;

/// Gets the JWK Set document from wherever it lives (HTTP, a file, a secrets service).
///
/// Any `Fn() -> impl Future<Output = Result<Fetched>>` closure is a fetcher. A fetcher must
/// bound its own time (callers wait on it) and its body size, and report failures as
/// [`Error::KeysUnavailable`].
pub trait Fetcher: Send + Sync + 'static {
    /// Fetches the document once.
    fn fetch(&self) -> FetchFuture<'_>;

    /// Fetches the document unless its entity tag is still `etag` (a conditional request,
    /// RFC 9110 §13.1.2), in which case the answer may be [`Fetched::not_modified`].
    /// [`RemoteJwks`] calls this with the tag of the set it holds. The default ignores the
    /// tag and fetches.
    fn fetch_if_none_match(&self, etag: Option<&str>) -> FetchFuture<'_> {
        let _ = etag;
        self.fetch()
    }
}

impl<F, Fut> Fetcher for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Fetched>> + Send + 'static,
{
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(self())
    }
}

/// Runs a background future (a refresh while a stale set serves, or ahead of expiry); for
/// tokio, `Arc::new(|f| { tokio::spawn(f); })`. Without one, a [`RemoteJwks`] drives each
/// background refresh on a short-lived thread of its own.
pub type Spawner = Arc<dyn Fn(Pin<Box<dyn Future<Output = ()> + Send + 'static>>) + Send + Sync>;

type SharedFetch = Shared<Pin<Box<dyn Future<Output = Result<Arc<Snapshot>>> + Send>>>;

/// `d` as a span of `time`, saturating (a std duration can exceed what a date can add).
fn span(d: Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MAX)
}

/// One fetched set, prepared for verification.
struct Snapshot {
    set: JwkSet,
    verifier: JwksVerifier,
    fetched_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    /// The lifetime it was given, which a `304 Not Modified` without advice renews.
    max_age: Duration,
    etag: Option<String>,
}

struct Config {
    max_age: Duration,
    bounds: (Duration, Duration),
    cooldown: Duration,
    failure_backoff: Duration,
    stale_limit: Duration,
    refresh_ahead: Option<Duration>,
    spawner: Option<Spawner>,
    policy: VerifierPolicy,
    clock: Arc<dyn Clock>,
    limits: Limits,
    observer: Option<Observer>,
}

/// How a fetch of a [`RemoteJwks`] ended, for an [observer](RemoteJwksBuilder::with_observer).
#[derive(Debug)]
#[non_exhaustive]
pub enum FetchEvent<'a> {
    /// A new set was fetched; `keys` of it can verify.
    Fetched {
        /// Keys of the set that can verify.
        keys: usize,
    },
    /// The source answered `304 Not Modified`: the cached set stays, its age renewed.
    NotModified {
        /// Keys of the kept set that can verify.
        keys: usize,
    },
    /// The fetch failed; the cache keeps what it had.
    Failed(&'a Error),
}

/// Called after every fetch of a [`RemoteJwks`] (metrics, logs).
pub type Observer = Arc<dyn Fn(&FetchEvent<'_>) + Send + Sync>;

#[derive(Default)]
struct State {
    current: Option<Arc<Snapshot>>,
    /// The fetch in flight, its number (only that fetch may clear the slot) and when it
    /// started.
    inflight: Option<(u64, SharedFetch, OffsetDateTime)>,
    started: u64,
    last_attempt: Option<OffsetDateTime>,
    last_error: Option<(OffsetDateTime, Error)>,
    last_success: Option<OffsetDateTime>,
    fetches: u64,
    failures: u64,
    not_modified: u64,
}

struct Inner {
    fetcher: Arc<dyn Fetcher>,
    config: Config,
    state: Mutex<State>,
}

/// A JWK Set fetched from the issuer and kept fresh: the [`KeySource`] of a resource server.
///
/// - **Cache.** A fetched set is used for its `Cache-Control: max-age` held to
///   [bounds](RemoteJwksBuilder::with_max_age_bounds) (by default 30 s to 1 h), or for
///   [`DEFAULT_CACHE_MAX_AGE`] (10 min) when the source gives none.
/// - **Unknown `kid`.** A token whose key is not in the cached set causes one refetch, at
///   most once per [cooldown](RemoteJwksBuilder::with_cooldown) (30 s): a flood of tokens with
///   made-up `kid`s costs the issuer one request per cooldown, not one per token.
/// - **One fetch at a time.** Concurrent callers that need a fetch share the one in flight.
/// - **Stale while revalidate.** Once the set has expired it keeps serving, up to the
///   [stale limit](RemoteJwksBuilder::with_stale_limit) (1 h past its expiry), while a refetch
///   runs in the background: a slow issuer never makes requests wait. Only a token with
///   an unknown `kid` (after the cooldown) or an empty cache waits for a fetch.
/// - **Outages.** When a fetch fails, the last good set keeps serving until it is stale,
///   revalidated no more often than the cooldown; with no usable set, failed fetches are
///   retried no more often than the
///   [failure backoff](RemoteJwksBuilder::with_failure_backoff), and verification fails with
///   [`Error::KeysUnavailable`] (answer 503).
/// - **Refresh ahead** of expiry ([`with_refresh_ahead`](RemoteJwksBuilder::with_refresh_ahead))
///   renews the set before it expires.
/// - **Background work** runs on your [`Spawner`] when you give one (for tokio,
///   `tokio::spawn`), otherwise on a short-lived thread per refresh.
/// - **Faults stay contained.** A fetcher that panics, or a fetched set whose preparation
///   panics, counts as a failed fetch ([`Error::KeysUnavailable`]); the next fetch is made
///   as usual.
/// - **Export/import** of the cache ([`export`](Self::export), [`import`](Self::import))
///   lets serverless functions start warm.
/// - Keys without `alg` are used only as the [`VerifierPolicy`] says, as for local sets; a
///   set that breaks the policy is treated as a failed fetch.
///
/// Cloning is cheap and shares the cache. Time comes from an injectable [`Clock`].
#[derive(Clone)]
pub struct RemoteJwks {
    inner: Arc<Inner>,
}

impl fmt::Debug for RemoteJwks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteJwks")
            .field("status", &self.status())
            .finish()
    }
}

/// Configures a [`RemoteJwks`].
pub struct RemoteJwksBuilder {
    fetcher: Arc<dyn Fetcher>,
    config: Config,
}

impl fmt::Debug for RemoteJwksBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteJwksBuilder")
            .field("max_age", &self.config.max_age)
            .field("bounds", &self.config.bounds)
            .field("cooldown", &self.config.cooldown)
            .field("failure_backoff", &self.config.failure_backoff)
            .field("stale_limit", &self.config.stale_limit)
            .field("refresh_ahead", &self.config.refresh_ahead)
            .field("spawner", &self.config.spawner.is_some())
            .field("policy", &self.config.policy)
            .finish_non_exhaustive()
    }
}

impl RemoteJwksBuilder {
    /// How long a set is used when the source gives no `max-age` (default 10 min).
    pub fn with_cache_max_age(mut self, max_age: Duration) -> Self {
        self.config.max_age = max_age;
        self
    }

    /// The least and the most a source's `max-age` is honoured for (default 30 s and 1 h).
    pub fn with_max_age_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.config.bounds = (min, max.max(min));
        self
    }

    /// The least time between two fetches caused by unknown `kid`s (default 30 s). A token
    /// whose `kid` is unknown within the cooldown is refused with
    /// [`KeySelectionError::NoKeyInCooldown`], which says when to retry: publish a new key
    /// in the set at least this long (plus the cache lifetime) before signing with it.
    pub fn with_cooldown(mut self, cooldown: Duration) -> Self {
        self.config.cooldown = cooldown;
        self
    }

    /// The least time between a failed fetch and the next attempt (default 5 s).
    pub fn with_failure_backoff(mut self, backoff: Duration) -> Self {
        self.config.failure_backoff = backoff;
        self
    }

    /// How long past expiry the last good set serves, while it is refreshed in the
    /// background or while fetches fail (default 1 h; zero turns stale serving off, so
    /// requests then wait for the refetch).
    pub fn with_stale_limit(mut self, limit: Duration) -> Self {
        self.config.stale_limit = limit;
        self
    }

    /// Refreshes in the background once a set is within `window` of its expiry and a token
    /// is verified (never more often than the cooldown).
    pub fn with_refresh_ahead(mut self, window: Duration) -> Self {
        self.config.refresh_ahead = Some(window);
        self
    }

    /// Runs background refreshes on `spawner` (for tokio: `Arc::new(|f| { tokio::spawn(f);
    /// })`). Without one, each background refresh is driven on a short-lived thread, which
    /// suits `HttpFetcher` and any fetcher that needs no particular runtime; a fetcher that
    /// needs your runtime needs your spawner.
    pub fn with_spawner(mut self, spawner: Spawner) -> Self {
        self.config.spawner = Some(spawner);
        self
    }

    /// The algorithm policy for keys without `alg` and for mixed sets (default: each key
    /// only with its own `alg`).
    pub fn with_policy(mut self, policy: VerifierPolicy) -> Self {
        self.config.policy = policy;
        self
    }

    /// The clock for cache ages (default: the system clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.config.clock = clock;
        self
    }

    /// Limits for parsing fetched sets (number of keys, key sizes, JSON depth).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Calls `observer` after every fetch with how it ended (a new set, `304 Not
    /// Modified`, or the error), to count fetches or log them; [`RemoteJwks::status`] has
    /// the same counters for polling. It runs on the fetching task: keep it quick.
    pub fn with_observer(
        mut self,
        observer: impl Fn(&FetchEvent<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.config.observer = Some(Arc::new(observer));
        self
    }

    /// The source, with an empty cache (the first token fetches).
    pub fn build(self) -> RemoteJwks {
        RemoteJwks {
            inner: Arc::new(Inner {
                fetcher: self.fetcher,
                config: self.config,
                state: Mutex::new(State::default()),
            }),
        }
    }
}

/// What a [`RemoteJwks`] holds and how its fetches went, for health checks and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStatus {
    /// When the cached set was fetched, if there is one.
    pub fetched_at: Option<NumericDate>,
    /// When the cached set expires (it may serve stale until the stale limit after that).
    pub expires_at: Option<NumericDate>,
    /// How many keys of the cached set can verify.
    pub usable_keys: usize,
    /// Fetches started so far.
    pub fetches: u64,
    /// Fetches that failed so far (network, HTTP status, unusable set, panic).
    pub failures: u64,
    /// Fetches answered `304 Not Modified` so far (the set kept, its age renewed).
    pub not_modified: u64,
    /// When the last fetch succeeded (a new set or a `304`).
    pub last_success: Option<NumericDate>,
    /// The last fetch error, if the last fetch failed.
    pub last_error: Option<Error>,
    /// When the last fetch failed, if it did.
    pub last_error_at: Option<NumericDate>,
    /// Whether the cached set has expired and is served stale (a refresh failed or is
    /// under way): export it as a gauge and alert when it stays up.
    pub serving_stale: bool,
}

/// The export format: the set as the source sent it, plus its cache times.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exported<'a> {
    fetched_at: i64,
    expires_at: i64,
    #[serde(borrow)]
    jwks: &'a RawValue,
}

enum Plan {
    Ready(JwksVerifier),
    Wait(SharedFetch),
    Fail(Error),
}

impl RemoteJwks {
    /// Starts configuring a source that fetches with `fetcher`.
    pub fn builder(fetcher: impl Fetcher) -> RemoteJwksBuilder {
        RemoteJwksBuilder {
            fetcher: Arc::new(fetcher),
            config: Config {
                max_age: DEFAULT_CACHE_MAX_AGE,
                bounds: DEFAULT_MAX_AGE_BOUNDS,
                cooldown: DEFAULT_COOLDOWN,
                failure_backoff: DEFAULT_FAILURE_BACKOFF,
                stale_limit: DEFAULT_STALE_LIMIT,
                refresh_ahead: None,
                spawner: None,
                policy: VerifierPolicy::default(),
                clock: Arc::new(SystemClock),
                limits: Limits::default(),
                observer: None,
            },
        }
    }

    /// A source with the default settings.
    pub fn new(fetcher: impl Fetcher) -> Self {
        Self::builder(fetcher).build()
    }

    fn now(&self) -> OffsetDateTime {
        self.inner.config.clock.now().as_datetime()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state()
    }

    /// The keys for a token with `header`: the cached set if it is fresh (or stale within
    /// the limit, while a refresh runs in the background) and has a key for the token;
    /// otherwise a fetch, within the rules above.
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`] when fetching fails and no cached set is usable (or the
    /// refetch for an unknown `kid` fails); [`KeySelectionError::NoKeyInCooldown`] for an
    /// unknown `kid` within the cooldown.
    pub fn verifier(
        &self,
        header: &Untrusted<JwsHeader>,
    ) -> impl Future<Output = Result<JwksVerifier>> + Send + 'static {
        // Decided now, from the header; the future owns what it needs.
        let (plan, background) = self.plan(header);
        if let Some(fetch) = background {
            self.spawn(fetch);
        }
        async move {
            match plan {
                Plan::Ready(v) => Ok(v),
                Plan::Fail(e) => Err(e),
                Plan::Wait(fetch) => fetch.await.map(|snapshot| snapshot.verifier.clone()),
            }
        }
    }

    /// Drives a background refresh to its end; its outcome lands in the cache (or in
    /// `last_error`) either way.
    fn spawn(&self, fetch: SharedFetch) {
        let task = Box::pin(async move {
            let _ = fetch.await;
        });
        let on_thread = |task: Pin<Box<dyn Future<Output = ()> + Send>>| {
            // If no thread can be had, the fetch stays in flight and the next request that
            // must wait drives it.
            let _ = std::thread::Builder::new()
                .name("josecraft-jwks-refresh".into())
                .spawn(move || crate::executor::block_on(task));
        };
        match &self.inner.config.spawner {
            Some(spawner) => {
                // A spawner that panics must not fail the request that happened to trigger
                // the refresh; the refresh then runs on a thread of its own.
                let again = fetch_again(&self.inner);
                if std::panic::catch_unwind(AssertUnwindSafe(|| spawner(task))).is_err() {
                    if let Some(fetch) = again {
                        on_thread(Box::pin(async move {
                            let _ = fetch.await;
                        }));
                    }
                }
            }
            None => on_thread(task),
        }
    }

    /// Decides, under the lock, whether the cache answers or a fetch is needed.
    /// Also returns a background refresh to spawn once the lock is released.
    fn plan(&self, header: &Untrusted<JwsHeader>) -> (Plan, Option<SharedFetch>) {
        let now = self.now();
        let mut state = self.state();
        let mut background = None;
        let plan = self.decide(&mut state, header, now, &mut background);
        (plan, background)
    }

    fn decide(
        &self,
        state: &mut State,
        header: &Untrusted<JwsHeader>,
        now: OffsetDateTime,
        background: &mut Option<SharedFetch>,
    ) -> Plan {
        let config = &self.inner.config;
        let cooled = |state: &State| {
            state
                .last_attempt
                .is_none_or(|t| now >= t.saturating_add(span(config.cooldown)))
        };
        let backing_off = |state: &State| {
            state
                .last_error
                .as_ref()
                .is_some_and(|(at, _)| now < at.saturating_add(span(config.failure_backoff)))
        };
        // A fetch that nobody drove (a spawner that dropped its task, a runtime shutting
        // down) would hold the slot for ever and stop every refresh: after a minute it is
        // taken as lost, and the next one starts afresh.
        if state
            .inflight
            .as_ref()
            .is_some_and(|(_, _, started)| now >= started.saturating_add(span(ABANDONED_AFTER)))
        {
            state.inflight = None;
        }
        let current = state.current.clone();
        match current {
            Some(snapshot) if self.usable(&snapshot, now) => {
                let fresh = now < snapshot.expires_at;
                if has_no_key(&snapshot.verifier, header) {
                    // A new `kid`: perhaps the issuer rotated. A failed refetch is reported
                    // (the set may be missing the token's key), not papered over.
                    if cooled(state) || state.inflight.is_some() {
                        return Plan::Wait(self.start_fetch(state, now));
                    }
                    return Plan::Fail(self.in_cooldown(state, header, now));
                }
                if fresh {
                    *background = self.refresh_ahead_due(state, &snapshot, now);
                } else if state.inflight.is_none() && !backing_off(state) && cooled(state) {
                    // Stale while revalidate: serve the set we have, refetch behind it (at
                    // most once per cooldown, however short the cache lifetime).
                    *background = Some(self.start_fetch(state, now));
                }
                Plan::Ready(snapshot.verifier.clone())
            }
            _ => {
                // Nothing usable: the request has to wait for keys.
                if state.inflight.is_some() || !backing_off(state) {
                    return Plan::Wait(self.start_fetch(state, now));
                }
                Plan::Fail(state.last_error.as_ref().map_or_else(
                    || Error::KeysUnavailable("no key set fetched yet".into()),
                    |(_, e)| e.clone(),
                ))
            }
        }
    }

    /// The error for a `kid` the set lacks while the cooldown forbids a refetch.
    fn in_cooldown(
        &self,
        state: &State,
        header: &Untrusted<JwsHeader>,
        now: OffsetDateTime,
    ) -> Error {
        let header = header.untrusted();
        let since = |t: OffsetDateTime| Duration::try_from(now - t).unwrap_or(Duration::ZERO);
        let fetched_ago = state.last_attempt.map_or(Duration::ZERO, since);
        Error::KeySelection(KeySelectionError::NoKeyInCooldown {
            kid: header.kid().map(str::to_string),
            alg: header.alg().unwrap_or_default().to_string(),
            retry_after: self.inner.config.cooldown.saturating_sub(fetched_ago),
        })
    }

    /// Whether a set may still serve (fresh, or stale within the limit).
    fn usable(&self, snapshot: &Snapshot, now: OffsetDateTime) -> bool {
        now < snapshot
            .expires_at
            .saturating_add(span(self.inner.config.stale_limit))
    }

    /// Starts a background refresh if the set is near expiry; the caller spawns it once
    /// the lock is released (a spawner may run it inline).
    fn refresh_ahead_due(
        &self,
        state: &mut State,
        snapshot: &Snapshot,
        now: OffsetDateTime,
    ) -> Option<SharedFetch> {
        let window = self.inner.config.refresh_ahead?;
        let due = now >= snapshot.expires_at.saturating_sub(span(window));
        let cooled = state
            .last_attempt
            .is_none_or(|t| now >= t.saturating_add(span(self.inner.config.cooldown)));
        (due && cooled && state.inflight.is_none()).then(|| self.start_fetch(state, now))
    }

    /// Joins the fetch in flight, or starts one.
    ///
    /// The fetch is contained: a panic in the fetcher, or while preparing what it
    /// fetched, becomes [`Error::KeysUnavailable`] for every waiter, and the in-flight slot
    /// is cleared by a guard however the fetch ends (completed, failed, panicked or
    /// dropped), so one bad fetch can never stop the next.
    fn start_fetch(&self, state: &mut State, now: OffsetDateTime) -> SharedFetch {
        if let Some((_, fetch, _)) = &state.inflight {
            return fetch.clone();
        }
        state.last_attempt = Some(now);
        state.fetches += 1;
        state.started += 1;
        let number = state.started;
        let fetcher = Arc::clone(&self.inner.fetcher);
        // The set whose tag is sent: a 304 renews that one, not whatever the cache holds
        // when the answer arrives (an import may have replaced it meanwhile).
        let sent = state
            .current
            .as_ref()
            .filter(|s| s.etag.is_some())
            .map(Arc::clone);
        // Weak: the fetch in flight lives in the state, and must not keep it alive.
        let inner: Weak<Inner> = Arc::downgrade(&self.inner);
        let fut: Pin<Box<dyn Future<Output = Result<Arc<Snapshot>>> + Send>> =
            Box::pin(async move {
                let _slot = InflightSlot {
                    inner: inner.clone(),
                    number,
                };
                let weak = inner.clone();
                let outcome = AssertUnwindSafe(async move {
                    let etag = sent.as_ref().and_then(|s| s.etag.as_deref());
                    let fetched = fetcher.fetch_if_none_match(etag).await;
                    match weak.upgrade() {
                        Some(inner) => inner.finish(fetched, sent),
                        None => Err(Error::KeysUnavailable("the key source was dropped".into())),
                    }
                })
                .catch_unwind()
                .await;
                outcome.unwrap_or_else(|_| {
                    // The fetcher (or a clock, or the preparation) panicked: a failed fetch,
                    // backed off like any other, never a poisoned source.
                    let e = Error::KeysUnavailable("the key fetch panicked".into());
                    if let Some(inner) = inner.upgrade() {
                        let mut state = inner.state();
                        state.last_error = Some((now, e.clone()));
                        state.failures += 1;
                        drop(state);
                        inner.observe(&FetchEvent::Failed(&e));
                    }
                    Err(e)
                })
            });
        let shared = fut.shared();
        state.inflight = Some((number, shared.clone(), now));
        shared
    }

    /// Fetches now, whatever the cache holds (sharing a fetch already in flight), for
    /// callers that refresh on their own schedule.
    ///
    /// # Errors
    /// [`Error::KeysUnavailable`] if the fetch fails (the cache keeps its set).
    pub async fn refresh(&self) -> Result<()> {
        let fetch = {
            let now = self.now();
            let mut state = self.state();
            self.start_fetch(&mut state, now)
        };
        fetch.await.map(|_| ())
    }

    /// The cached set as the source sent it, if any (fresh or not).
    pub fn cached(&self) -> Option<JwkSet> {
        self.state().current.as_ref().map(|s| s.set.clone())
    }

    /// The state of the cache and counters of its fetches, for health checks and metrics
    /// (export the counters as monotonic counters, `serving_stale` as a gauge).
    pub fn status(&self) -> CacheStatus {
        let now = self.now();
        let state = self.state();
        CacheStatus {
            fetched_at: state
                .current
                .as_ref()
                .map(|s| NumericDate::from_datetime(s.fetched_at)),
            expires_at: state
                .current
                .as_ref()
                .map(|s| NumericDate::from_datetime(s.expires_at)),
            usable_keys: state.current.as_ref().map_or(0, |s| s.verifier.len()),
            fetches: state.fetches,
            failures: state.failures,
            not_modified: state.not_modified,
            last_success: state.last_success.map(NumericDate::from_datetime),
            last_error: state.last_error.as_ref().map(|(_, e)| e.clone()),
            last_error_at: state
                .last_error
                .as_ref()
                .map(|(t, _)| NumericDate::from_datetime(*t)),
            serving_stale: state.current.as_ref().is_some_and(|s| s.expires_at <= now),
        }
    }

    /// The cache as JSON (`{"fetched_at":…,"expires_at":…,"jwks":{…}}`), to store between
    /// cold starts; `None` when nothing has been fetched. It holds only what the issuer
    /// publishes, but whoever can write the stored copy chooses the keys you trust:
    /// keep it where only this service writes.
    pub fn export(&self) -> Option<String> {
        let state = self.state();
        let s = state.current.as_ref()?;
        let jwks = s.set.to_json();
        let raw = RawValue::from_string(jwks).ok()?;
        serde_json::to_string(&Exported {
            fetched_at: s.fetched_at.unix_timestamp(),
            expires_at: s.expires_at.unix_timestamp(),
            jwks: &raw,
        })
        .ok()
    }

    /// Loads an [`export`](Self::export)ed cache. It replaces the cached set only if it was
    /// fetched later; its expiry is kept (an expired import is refreshed on first use and
    /// serves stale within the limit). The set must pass the policy, as a fetched one.
    ///
    /// # Errors
    /// [`Error::Malformed`] for JSON that is not an export; the errors of
    /// [`JwkSet::from_json_with`] and [`JwkSet::verifier_with`].
    pub fn import(&self, exported: &[u8]) -> Result<()> {
        let limits = &self.inner.config.limits;
        crate::json::check_depth(exported, limits.max_json_depth())?;
        let e: Exported<'_> = serde_json::from_slice(exported).map_err(|err| {
            Error::malformed(Part::JwkSet, format!("not a key cache export: {err}"))
        })?;
        let time = |t: i64| {
            OffsetDateTime::from_unix_timestamp(t)
                .map_err(|_| Error::malformed(Part::JwkSet, "a cache time is out of range"))
        };
        let (fetched_at, expires_at) = (time(e.fetched_at)?, time(e.expires_at)?);
        let set = JwkSet::from_json_with(e.jwks.get().as_bytes(), limits)?;
        let verifier = set.verifier_with(&self.inner.config.policy)?;
        let snapshot = Arc::new(Snapshot {
            set,
            verifier,
            fetched_at,
            expires_at,
            max_age: self.inner.config.max_age,
            etag: None,
        });
        let mut state = self.state();
        if state
            .current
            .as_ref()
            .is_none_or(|c| c.fetched_at < snapshot.fetched_at)
        {
            state.current = Some(snapshot);
        }
        Ok(())
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated (every update
        // is a single assignment), so a poisoned lock is still good to use.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Turns a fetch result into the new cache state; the error keeps the old set.
    fn finish(
        &self,
        fetched: Result<Fetched>,
        sent: Option<Arc<Snapshot>>,
    ) -> Result<Arc<Snapshot>> {
        let now = self.config.clock.now().as_datetime();
        let not_modified = fetched.as_ref().is_ok_and(Fetched::is_not_modified);
        let result = fetched.and_then(|f| {
            std::panic::catch_unwind(AssertUnwindSafe(|| self.prepare(f, now, sent)))
                .unwrap_or_else(|_| {
                    Err(Error::KeysUnavailable(
                        "preparing the fetched key set failed unexpectedly".into(),
                    ))
                })
        });
        let mut state = self.state();
        match &result {
            Ok(snapshot) => {
                state.current = Some(Arc::clone(snapshot));
                state.last_error = None;
                state.last_success = Some(now);
                state.not_modified += u64::from(not_modified);
            }
            Err(e) => {
                state.last_error = Some((now, e.clone()));
                state.failures += 1;
            }
        }
        drop(state);
        self.observe(&match &result {
            Ok(s) if not_modified => FetchEvent::NotModified {
                keys: s.verifier.len(),
            },
            Ok(s) => FetchEvent::Fetched {
                keys: s.verifier.len(),
            },
            Err(e) => FetchEvent::Failed(e),
        });
        result
    }

    /// Tells the observer (and, with the `tracing` feature, the log) how a fetch ended.
    fn observe(&self, event: &FetchEvent<'_>) {
        #[cfg(feature = "tracing")]
        match event {
            FetchEvent::Fetched { keys } => tracing::debug!(keys, "josecraft: JWKS fetched"),
            FetchEvent::NotModified { keys } => {
                tracing::debug!(keys, "josecraft: JWKS not modified")
            }
            FetchEvent::Failed(e) => tracing::warn!(error = %e, "josecraft: JWKS fetch failed"),
        }
        if let Some(observer) = &self.config.observer {
            // An observer that panics must not fail the fetch it reports.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| observer(event)));
        }
    }

    fn prepare(
        &self,
        fetched: Fetched,
        now: OffsetDateTime,
        sent: Option<Arc<Snapshot>>,
    ) -> Result<Arc<Snapshot>> {
        let (min, max) = self.config.bounds;
        let advised = fetched.max_age.map(|a| a.clamp(min, max));
        if fetched.not_modified {
            // The set whose tag we sent is current: keep it, renew its age. Without a tag
            // sent there is nothing a 304 can refer to.
            let current = sent.ok_or_else(|| {
                Error::KeysUnavailable(
                    "the key source answered 304 Not Modified to a request without a tag".into(),
                )
            })?;
            // RFC 9111 §4.3.4: a 304 without caching advice keeps the stored response's.
            let max_age = advised.unwrap_or(current.max_age);
            return Ok(Arc::new(Snapshot {
                set: current.set.clone(),
                verifier: current.verifier.clone(),
                fetched_at: now,
                expires_at: now.saturating_add(span(max_age)),
                max_age,
                etag: fetched.etag.or_else(|| current.etag.clone()),
            }));
        }
        let max_age = advised.unwrap_or(self.config.max_age);
        let unusable =
            |e: Error| Error::KeysUnavailable(format!("the fetched key set is unusable: {e}"));
        let set = JwkSet::from_json_with(&fetched.body, &self.config.limits).map_err(unusable)?;
        let verifier = set.verifier_with(&self.config.policy).map_err(unusable)?;
        Ok(Arc::new(Snapshot {
            set,
            verifier,
            fetched_at: now,
            expires_at: now.saturating_add(span(max_age)),
            max_age,
            etag: fetched.etag,
        }))
    }
}

/// The fetch in flight, to hand to another executor.
fn fetch_again(inner: &Inner) -> Option<SharedFetch> {
    inner.state().inflight.as_ref().map(|(_, f, _)| f.clone())
}

/// Clears the in-flight slot when its fetch ends, however it ends; only the fetch that
/// holds the slot clears it.
struct InflightSlot {
    inner: Weak<Inner>,
    number: u64,
}

impl Drop for InflightSlot {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            let mut state = inner.state();
            if state
                .inflight
                .as_ref()
                .is_some_and(|(n, _, _)| *n == self.number)
            {
                state.inflight = None;
            }
        }
    }
}

/// Whether the set lacks a key for the header (and so a refetch may find it).
fn has_no_key(verifier: &JwksVerifier, header: &Untrusted<JwsHeader>) -> bool {
    matches!(
        verifier.select_verifier(header),
        Err(Error::KeySelection(KeySelectionError::NoKey { .. }))
    )
}

impl KeySource for RemoteJwks {
    fn keys_for<'a>(&'a self, header: &Untrusted<JwsHeader>) -> KeysFuture<'a> {
        let keys = self.verifier(header);
        Box::pin(async move { keys.await.map(Keys::prepared) })
    }
}

/// A shared remote JWKS is the same source.
impl KeySource for std::sync::Arc<RemoteJwks> {
    fn keys_for<'a>(&'a self, header: &Untrusted<JwsHeader>) -> KeysFuture<'a> {
        (**self).keys_for(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control() {
        let s = |n| Some(Duration::from_secs(n));
        for (value, want) in [
            ("max-age=300", s(300)),
            ("public, max-age=60, must-revalidate", s(60)),
            ("MAX-AGE = 5", s(5)),
            ("max-age=\"7\"", s(7)),
            ("max-age=0", s(0)),
            ("no-store", s(0)),
            ("max-age=600, No-Cache", s(0)),
            ("max-age=99999999999999999999999", s(u64::MAX)),
            ("max-age=-1", None),
            ("max-age=1.5", None),
            ("max-age=", None),
            ("max-age", None),
            ("public", None),
            ("", None),
            ("s-maxage=100", None),
        ] {
            assert_eq!(max_age_from_cache_control(value), want, "{value}");
        }
    }

    #[test]
    fn builder_orders_bounds() {
        let b = RemoteJwks::builder(|| async { Ok(Fetched::new(b"{\"keys\":[]}".to_vec())) })
            .with_max_age_bounds(Duration::from_secs(100), Duration::from_secs(10));
        assert_eq!(
            b.config.bounds,
            (Duration::from_secs(100), Duration::from_secs(100))
        );
    }
}
