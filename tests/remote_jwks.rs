//! The remote JWK Set with an in-process fetcher and an injected clock: cache, expiry,
//! unknown-`kid` refetch and its cooldown, shared in-flight fetches, stale while
//! revalidate, outages, faults (panicking fetchers and spawners), rotation, refresh ahead,
//! export/import, and the verifier policy.
//!
//! Unless a test says otherwise, background refreshes run inline on the request that
//! triggered them (an inline spawner), so that fetch counts can be asserted right after.

use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures_util::future::join_all;
use josecraft::jwk::{JwkSet, VerifierPolicy};
use josecraft::jws;
use josecraft::jwt::{self, Claims, Clock, NumericDate, Validation};
use josecraft::keysource::{
    block_on, Fetched, KeySource, RemoteJwks, RemoteJwksBuilder, Spawner, DEFAULT_STALE_LIMIT,
};
use josecraft::{Error, HmacKey, JwsAlgorithm, JwsHeader, KeySelectionError, SigningKey};
use serde_json::{json, Value};
use std::time::Duration;

const T0: i64 = 1_800_000_000;

/// A clock the test moves by hand.
#[derive(Clone)]
struct TestClock(Arc<AtomicI64>);

impl TestClock {
    fn new() -> Self {
        Self(Arc::new(AtomicI64::new(T0)))
    }
    fn set(&self, t: i64) {
        self.0.store(t, Ordering::SeqCst);
    }
    fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> NumericDate {
        NumericDate::from_unix(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

/// What the fetcher serves next.
enum Serve {
    Set(String, Option<&'static str>),
    Fail,
}

/// An in-process fetcher: serves what the test says, counts fetches, and can hold every
/// fetch until released (to line up concurrent callers).
#[derive(Clone)]
struct Source {
    serve: Arc<Mutex<Serve>>,
    count: Arc<AtomicUsize>,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    closed: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

impl Gate {
    fn open(&self) {
        self.closed.store(false, Ordering::SeqCst);
        for w in self.wakers.lock().unwrap().drain(..) {
            w.wake();
        }
    }
    fn wait(self: Arc<Self>) -> impl Future<Output = ()> {
        std::future::poll_fn(move |cx: &mut Context<'_>| {
            if !self.closed.load(Ordering::SeqCst) {
                return Poll::Ready(());
            }
            self.wakers.lock().unwrap().push(cx.waker().clone());
            if self.closed.load(Ordering::SeqCst) {
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
    }
}

impl Source {
    fn new(set: &str) -> Self {
        Self {
            serve: Arc::new(Mutex::new(Serve::Set(set.to_string(), None))),
            count: Arc::default(),
            gate: Arc::default(),
        }
    }
    fn serve(&self, set: &str, cache_control: Option<&'static str>) {
        *self.serve.lock().unwrap() = Serve::Set(set.to_string(), cache_control);
    }
    fn fail(&self) {
        *self.serve.lock().unwrap() = Serve::Fail;
    }
    fn fetches(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
    fn hold(&self) {
        self.gate.closed.store(true, Ordering::SeqCst);
    }
    fn remote(&self, clock: &TestClock) -> RemoteJwksBuilder {
        let inline: Spawner = Arc::new(block_on::<Task>);
        self.remote_spawning_threads(clock).with_spawner(inline)
    }

    /// The source with the default executor for background work (its own threads).
    fn remote_spawning_threads(&self, clock: &TestClock) -> RemoteJwksBuilder {
        let me = self.clone();
        RemoteJwks::builder(move || {
            let me = me.clone();
            async move {
                me.count.fetch_add(1, Ordering::SeqCst);
                // Always yield once, so that callers polled together meet the fetch in flight.
                let mut yielded = false;
                std::future::poll_fn(|cx| {
                    if yielded {
                        Poll::Ready(())
                    } else {
                        yielded = true;
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    }
                })
                .await;
                Arc::clone(&me.gate).wait().await;
                let serve = me.serve.lock().unwrap();
                match &*serve {
                    Serve::Set(body, cc) => {
                        let f = Fetched::new(body.clone().into_bytes());
                        Ok(match cc {
                            Some(cc) => f.with_cache_control(cc),
                            None => f,
                        })
                    }
                    Serve::Fail => Err(Error::KeysUnavailable("connection refused".into())),
                }
            }
        })
        .with_clock(Arc::new(clock.clone()))
    }
}

fn key(kid: &str) -> SigningKey {
    SigningKey::generate(SignatureAlgorithm::EdDsa)
        .unwrap()
        .with_key_id(kid)
}

fn jwks(keys: &[&SigningKey]) -> String {
    let mut set = JwkSet::new();
    for k in keys {
        set.push(k.to_jwk());
    }
    set.to_json()
}

fn token(key: &SigningKey) -> String {
    jws::sign_compact(&JwsHeader::new(), b"payload", key).unwrap()
}

fn token_with_kid(key: &SigningKey, kid: &str) -> String {
    jws::sign_compact(&JwsHeader::new().with_kid(kid), b"payload", key).unwrap()
}

fn verify(remote: &RemoteJwks, token: &str) -> josecraft::Result<Vec<u8>> {
    block_on(jws::verify_compact_async(token, remote)).map(|v| v.into_payload())
}

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// No key for the token: not in the set, or not yet looked for again (the cooldown).
fn is_no_key(r: &josecraft::Result<Vec<u8>>) -> bool {
    matches!(
        r,
        Err(Error::KeySelection(
            KeySelectionError::NoKey { .. } | KeySelectionError::NoKeyInCooldown { .. }
        ))
    )
}

#[test]
fn cache_hit_and_expiry() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    assert_eq!(remote.status().fetches, 0, "nothing is fetched before use");
    assert!(remote.export().is_none());

    let t = token(&k1);
    assert_eq!(verify(&remote, &t).unwrap(), b"payload");
    assert_eq!(source.fetches(), 1);
    for _ in 0..100 {
        verify(&remote, &t).unwrap();
    }
    assert_eq!(source.fetches(), 1, "cache hits do not fetch");
    let status = remote.status();
    assert_eq!(status.fetched_at.unwrap().unix(), T0);
    assert_eq!(
        status.expires_at.unwrap().unix(),
        T0 + 600,
        "default max age 10 min"
    );
    assert_eq!(status.usable_keys, 1);

    // One second before expiry: still cached; at expiry: the stale set answers and a
    // refresh runs (inline here).
    clock.set(T0 + 599);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 1);
    clock.set(T0 + 600);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 2);
    assert_eq!(remote.status().expires_at.unwrap().unix(), T0 + 1200);
}

#[test]
fn cache_control_max_age_within_bounds() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let set = jwks(&[&k1]);
    let source = Source::new(&set);
    let remote = source.remote(&clock).build();
    let t = token(&k1);
    for (cc, lifetime) in [
        (Some("public, max-age=120"), 120),
        (Some("max-age=5"), 30),       // below the lower bound (30 s)
        (Some("max-age=86400"), 3600), // above the upper bound (1 h)
        (Some("no-store"), 30),
        (Some("private"), 600), // no max-age: the default
        (None, 600),
    ] {
        source.serve(&set, cc);
        let start = clock.0.load(Ordering::SeqCst);
        let before = source.fetches();
        remote.refresh_blocking();
        assert_eq!(
            remote.status().expires_at.unwrap().unix(),
            start + lifetime,
            "{cc:?}"
        );
        clock.set(start + lifetime - 1);
        verify(&remote, &t).unwrap();
        assert_eq!(source.fetches(), before + 1, "{cc:?}: still fresh");
        clock.set(start + lifetime);
        verify(&remote, &t).unwrap();
        assert_eq!(source.fetches(), before + 2, "{cc:?}: expired, fetched");
    }

    // Configured bounds and default.
    let remote = source
        .remote(&clock)
        .with_cache_max_age(Duration::from_secs(42))
        .with_max_age_bounds(Duration::from_secs(10), Duration::from_secs(100))
        .build();
    let now = clock.0.load(Ordering::SeqCst);
    source.serve(&set, None);
    remote.refresh_blocking();
    assert_eq!(remote.status().expires_at.unwrap().unix(), now + 42);
    source.serve(&set, Some("max-age=1000"));
    remote.refresh_blocking();
    assert_eq!(remote.status().expires_at.unwrap().unix(), now + 100);
    source.serve(&set, Some("max-age=1"));
    remote.refresh_blocking();
    assert_eq!(remote.status().expires_at.unwrap().unix(), now + 10);
}

trait RefreshBlocking {
    fn refresh_blocking(&self);
}
impl RefreshBlocking for RemoteJwks {
    fn refresh_blocking(&self) {
        block_on(self.refresh()).unwrap();
    }
}

#[test]
fn unknown_kid_refetches_once_per_cooldown_under_a_flood() {
    let clock = TestClock::new();
    let (k1, k2) = (key("k1"), key("k2"));
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    verify(&remote, &token(&k1)).unwrap();
    assert_eq!(source.fetches(), 1);

    // The issuer adds k2. A k2 token within the cooldown of the first fetch gets no
    // refetch, and the error says when one will be allowed. After the cooldown, one
    // refetch finds it.
    source.serve(&jwks(&[&k1, &k2]), None);
    clock.set(T0 + 29);
    let r = verify(&remote, &token(&k2));
    match &r {
        Err(
            e @ Error::KeySelection(KeySelectionError::NoKeyInCooldown {
                kid, retry_after, ..
            }),
        ) => {
            assert_eq!(kid.as_deref(), Some("k2"));
            assert_eq!(*retry_after, Duration::from_secs(1));
            let text = e.to_string();
            assert!(
                text.contains("retry in 1 s") && text.contains("published"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(source.fetches(), 1);
    clock.set(T0 + 30);
    assert_eq!(verify(&remote, &token(&k2)).unwrap(), b"payload");
    assert_eq!(source.fetches(), 2);

    // A flood of tokens with made-up kids: one fetch per cooldown, never one per token.
    let attacker = key("x");
    clock.set(T0 + 61);
    let mut no_key = 0;
    for i in 0..1000 {
        let r = verify(&remote, &token_with_kid(&attacker, &format!("made-up-{i}")));
        no_key += usize::from(is_no_key(&r));
    }
    assert_eq!(no_key, 1000);
    assert_eq!(
        source.fetches(),
        3,
        "the first unknown kid refetched, the rest waited"
    );
    clock.set(T0 + 90);
    for i in 0..1000 {
        assert!(is_no_key(&verify(
            &remote,
            &token_with_kid(&attacker, &format!("again-{i}"))
        )));
    }
    assert_eq!(
        source.fetches(),
        3,
        "still within the cooldown of the last fetch"
    );
    clock.set(T0 + 91);
    assert!(is_no_key(&verify(&remote, &token_with_kid(&attacker, "z"))));
    assert_eq!(source.fetches(), 4);

    // Known kids never refetch, whatever the cooldown.
    for _ in 0..100 {
        verify(&remote, &token(&k1)).unwrap();
    }
    assert_eq!(source.fetches(), 4);

    // A token for another algorithm is a mismatch, not a missing key: no refetch.
    let hs = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    clock.set(T0 + 200);
    let r = verify(&remote, &token_hmac(&hs));
    assert!(matches!(r, Err(Error::AlgorithmMismatch { .. })), "{r:?}");
    assert_eq!(source.fetches(), 4);

    // The cooldown is configurable.
    let remote = source
        .remote(&clock)
        .with_cooldown(Duration::from_secs(5))
        .build();
    verify(&remote, &token(&k1)).unwrap();
    let before = source.fetches();
    clock.advance(5);
    assert!(is_no_key(&verify(&remote, &token_with_kid(&attacker, "q"))));
    assert_eq!(source.fetches(), before + 1);
}

fn token_hmac(key: &HmacKey) -> String {
    jws::sign_compact(&JwsHeader::new(), b"payload", key).unwrap()
}

#[test]
fn concurrent_callers_share_one_fetch() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    let t = token(&k1);

    // 100 callers polled together on one thread, cold cache.
    let results = block_on(join_all((0..100).map(|_| {
        let remote = remote.clone();
        let t = t.clone();
        async move {
            jws::verify_compact_async(&t, &remote)
                .await
                .map(|v| v.into_payload())
        }
    })));
    assert!(results.iter().all(|r| r.as_deref() == Ok(&b"payload"[..])));
    assert_eq!(source.fetches(), 1);

    // 8 threads verify against an expired cache while the one refresh is held open: the
    // stale set answers them (the thread whose request triggered the refresh runs it
    // inline here, and so is the one that waits).
    clock.advance(600);
    source.hold();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let remote = remote.clone();
            let t = t.clone();
            std::thread::spawn(move || verify(&remote, &t))
        })
        .collect();
    while remote.status().fetches < 2 {
        std::thread::yield_now();
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    source.gate.open();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), b"payload");
    }
    assert_eq!(source.fetches(), 2);

    // The caller that started a fetch goes away: the others finish it, without a new one.
    // (A cold cache, so that callers have to wait for the fetch.)
    let remote = source.remote(&clock).build();
    source.hold();
    let header = JwsHeader::new().with_kid("k1");
    let first = Box::pin(remote.verifier(&josecraft::Untrusted::new(header.clone())));
    let mut first = Some(first);
    let waker = Waker::noop();
    let mut cx = Context::from_waker(waker);
    assert!(first.as_mut().unwrap().as_mut().poll(&mut cx).is_pending());
    drop(first.take());
    source.gate.open();
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 3);
    assert_eq!(remote.status().fetches, 1);
}

#[test]
fn outage_serves_the_stale_set_until_the_limit() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();

    source.fail();
    clock.set(T0 + 600); // expired
    assert_eq!(verify(&remote, &t).unwrap(), b"payload", "stale set serves");
    assert_eq!(source.fetches(), 2, "a fetch was tried");
    assert!(matches!(
        remote.status().last_error,
        Some(Error::KeysUnavailable(_))
    ));
    for _ in 0..100 {
        verify(&remote, &t).unwrap();
    }
    // While a stale set serves, revalidation is spaced by the cooldown (the failure
    // backoff is for callers that have no set and must wait).
    clock.set(T0 + 629);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 2, "no retry within the cooldown");
    clock.set(T0 + 630);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 3, "retried after the cooldown");

    // Up to the stale limit past expiry, and not a second beyond.
    let limit = DEFAULT_STALE_LIMIT.as_secs() as i64;
    clock.set(T0 + 600 + limit - 1);
    verify(&remote, &t).unwrap();
    clock.set(T0 + 600 + limit);
    let r = verify(&remote, &t);
    assert!(matches!(r, Err(Error::KeysUnavailable(_))), "{r:?}");
    // Back-off applies to the failing state too: no fetch per request.
    let before = source.fetches();
    for _ in 0..100 {
        assert!(matches!(
            verify(&remote, &t),
            Err(Error::KeysUnavailable(_))
        ));
    }
    assert_eq!(source.fetches(), before);

    // The issuer is back.
    source.serve(&jwks(&[&k1]), None);
    clock.advance(5);
    verify(&remote, &t).unwrap();
    assert_eq!(remote.status().last_error, None);

    // A refetch for an unknown kid that fails is reported, not hidden.
    source.fail();
    clock.advance(31);
    let r = verify(&remote, &token(&key("new")));
    assert!(matches!(r, Err(Error::KeysUnavailable(_))), "{r:?}");
    verify(&remote, &t).unwrap();

    // Stale serving can be turned off.
    let remote = source
        .remote(&clock)
        .with_stale_limit(Duration::ZERO)
        .build();
    source.serve(&jwks(&[&k1]), None);
    verify(&remote, &t).unwrap();
    source.fail();
    clock.advance(600);
    assert!(matches!(
        verify(&remote, &t),
        Err(Error::KeysUnavailable(_))
    ));
}

#[test]
fn cold_start_failure_backs_off() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new("");
    source.fail();
    let remote = source.remote(&clock).build();
    let t = token(&k1);
    for _ in 0..50 {
        assert!(matches!(
            verify(&remote, &t),
            Err(Error::KeysUnavailable(_))
        ));
    }
    assert_eq!(source.fetches(), 1);
    source.serve(&jwks(&[&k1]), None);
    clock.advance(5);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 2);
}

#[test]
fn unusable_sets_are_failed_fetches() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();
    let hs = HmacKey::generate(HmacAlgorithm::Hs256)
        .unwrap()
        .with_key_id("s");
    let mixed = JwkSet::new()
        .with(k1.to_jwk())
        .with(hs.to_secret_jwk())
        .to_json();
    for (bad, why) in [
        ("not json".to_string(), "malformed"),
        (r#"{"keys":{}}"#.to_string(), "keys not an array"),
        (mixed, "mixes a secret and a public key"),
    ] {
        source.serve(&bad, None);
        clock.advance(600);
        assert_eq!(
            verify(&remote, &t).unwrap(),
            b"payload",
            "{why}: old set serves"
        );
        match remote.status().last_error {
            Some(Error::KeysUnavailable(m)) => assert!(m.contains("unusable"), "{why}: {m}"),
            other => panic!("{why}: {other:?}"),
        }
        assert_eq!(remote.cached().unwrap().len(), 1);
        clock.advance(5);
    }
}

#[test]
fn rotation() {
    let clock = TestClock::new();
    let (old, new) = (key("2026-10"), key("2026-11"));
    let source = Source::new(&jwks(&[&old]));
    let remote = source.remote(&clock).build();
    verify(&remote, &token(&old)).unwrap();

    // The issuer publishes the new key ahead of using it; the first token signed with it
    // brings it in (after the cooldown), and both keys verify during the overlap.
    source.serve(&jwks(&[&old, &new]), None);
    clock.set(T0 + 45);
    verify(&remote, &token(&new)).unwrap();
    verify(&remote, &token(&old)).unwrap();
    assert_eq!(source.fetches(), 2);
    assert_eq!(remote.status().usable_keys, 2);

    // The old key is withdrawn: gone once the cached set expires.
    source.serve(&jwks(&[&new]), None);
    clock.set(T0 + 45 + 599);
    verify(&remote, &token(&old)).unwrap();
    clock.set(T0 + 45 + 600);
    verify(&remote, &token(&new)).unwrap();
    assert!(is_no_key(&verify(&remote, &token(&old))));
    assert_eq!(remote.status().usable_keys, 1);
}

#[test]
fn refresh_ahead_runs_in_the_background() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let spawned: Arc<Mutex<Vec<Task>>> = Arc::default();
    let queue = Arc::clone(&spawned);
    let spawner: Spawner = Arc::new(move |f| queue.lock().unwrap().push(f));
    let remote = source
        .remote(&clock)
        .with_refresh_ahead(Duration::from_secs(60))
        .with_spawner(spawner)
        .build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();
    clock.set(T0 + 539);
    verify(&remote, &t).unwrap();
    assert!(spawned.lock().unwrap().is_empty(), "not yet in the window");
    clock.set(T0 + 540);
    for _ in 0..10 {
        verify(&remote, &t).unwrap();
    }
    assert_eq!(spawned.lock().unwrap().len(), 1, "one background refresh");
    assert_eq!(remote.status().fetches, 2, "started…");
    assert_eq!(source.fetches(), 1, "…but not run by the request");
    assert_eq!(remote.status().fetched_at.unwrap().unix(), T0);
    for f in spawned.lock().unwrap().drain(..) {
        block_on(f);
    }
    assert_eq!(remote.status().fetched_at.unwrap().unix(), T0 + 540);
    clock.set(T0 + 600);
    verify(&remote, &t).unwrap();
    assert_eq!(source.fetches(), 2, "the refreshed set is still fresh");

    // A spawner that runs the refresh inline does not deadlock on the cache's lock.
    let inline: Spawner = Arc::new(block_on::<Task>);
    let remote = source
        .remote(&clock)
        .with_refresh_ahead(Duration::from_secs(60))
        .with_spawner(inline)
        .build();
    verify(&remote, &t).unwrap();
    clock.advance(550);
    verify(&remote, &t).unwrap();
    assert_eq!(remote.status().fetches, 2);
    assert_eq!(
        remote.status().fetched_at.unwrap().unix(),
        clock.0.load(Ordering::SeqCst)
    );
}

#[test]
fn export_and_import() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let warm = source.remote(&clock).build();
    let t = token(&k1);
    verify(&warm, &t).unwrap();
    let exported = warm.export().unwrap();
    let v: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(v["fetched_at"], T0);
    assert_eq!(v["expires_at"], T0 + 600);
    assert_eq!(v["jwks"]["keys"][0]["kid"], "k1");

    // A cold start with the issuer unreachable: the imported cache serves, no fetch.
    let down = Source::new("");
    down.fail();
    let cold = down.remote(&clock).build();
    cold.import(exported.as_bytes()).unwrap();
    clock.set(T0 + 100);
    verify(&cold, &t).unwrap();
    assert_eq!(down.fetches(), 0);
    assert_eq!(cold.export().unwrap(), exported);
    // Expired: a fetch is tried, the import serves stale.
    clock.set(T0 + 700);
    verify(&cold, &t).unwrap();
    assert_eq!(down.fetches(), 1);

    // An older export does not replace a newer cache.
    let source2 = Source::new(&jwks(&[&key("k9")]));
    let newer = source2.remote(&clock).build();
    block_on(newer.refresh()).unwrap();
    newer.import(exported.as_bytes()).unwrap();
    assert_eq!(
        newer.cached().unwrap().keys().next().unwrap().kid(),
        Some("k9")
    );

    for bad in [
        "",
        "{}",
        "[]",
        r#"{"fetched_at":1,"expires_at":2}"#,
        r#"{"fetched_at":1,"expires_at":2,"jwks":{"keys":[]},"extra":1}"#,
        r#"{"fetched_at":1e300,"expires_at":2,"jwks":{"keys":[]}}"#,
        r#"{"fetched_at":99999999999999,"expires_at":2,"jwks":{"keys":[]}}"#,
        r#"{"fetched_at":1,"expires_at":2,"jwks":{"keys":7}}"#,
    ] {
        assert!(
            matches!(cold.import(bad.as_bytes()), Err(Error::Malformed { .. })),
            "{bad}"
        );
    }
}

#[test]
fn policy_for_keys_without_alg() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let mut jwk: Value = serde_json::to_value(k1.to_jwk()).unwrap();
    jwk.as_object_mut().unwrap().remove("alg");
    let set = json!({ "keys": [jwk] }).to_string();
    let source = Source::new(&set);
    let t = token(&k1);

    let strict = source.remote(&clock).build();
    assert!(
        is_no_key(&verify(&strict, &t)),
        "a key without alg is never guessed"
    );
    assert_eq!(strict.status().usable_keys, 0);

    let with_policy = source
        .remote(&clock)
        .with_policy(VerifierPolicy::new().with_algorithm(JwsAlgorithm::EdDsa))
        .build();
    verify(&with_policy, &t).unwrap();
}

#[test]
fn jwt_verification_with_a_remote_source() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote(&clock).build();
    let claims = Claims::new(serde_json::Map::new())
        .with_issuer("https://auth.example")
        .with_audience("api")
        .valid_for(NumericDate::now(), Duration::from_secs(300))
        .unwrap();
    let token = jwt::sign(&claims, &k1).unwrap();
    let validation = Validation::issuer("https://auth.example").audience("api");
    let ok = josecraft::keysource::block_on(jwt::verify_async::<serde_json::Map<String, Value>>(
        &token,
        &remote,
        &validation,
    ))
    .unwrap();
    assert_eq!(ok.claims().iss.as_deref(), Some("https://auth.example"));
    let wrong_aud = Validation::issuer("https://auth.example").audience("other");
    assert!(matches!(
        josecraft::keysource::block_on(jwt::verify_async::<Value>(&token, &remote, &wrong_aud)),
        Err(Error::Claims(_))
    ));

    // A nested JWT whose inner signature is checked against the remote set.
    let enc =
        josecraft::jwe::SymmetricKey::generate(josecraft::SymmetricKeyManagement::A256Kw).unwrap();
    let nested = josecraft::jwt::encrypt_nested(
        &token,
        &josecraft::JweHeader::new(),
        josecraft::ContentEncryption::A256Gcm,
        &enc,
    )
    .unwrap();
    let ok = block_on(jwt::decrypt_nested_async::<Value>(
        &nested,
        &enc,
        &remote,
        &validation,
    ))
    .unwrap();
    assert!(ok.outer_header().is_some());
    assert_eq!(source.fetches(), 1);

    // Sources behind Arc<dyn KeySource> work the same.
    let dynamic: Arc<dyn KeySource> = Arc::new(remote.clone());
    josecraft::keysource::block_on(jwt::verify_async::<Value>(&token, &dynamic, &validation))
        .unwrap();
}

/// Runs `f` on a thread and fails the test, instead of hanging it, if it does not return
/// within `seconds` (a request that waits on a held fetch would never return).
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(seconds))
        .expect("the request waited for the issuer")
}

#[test]
fn stale_while_revalidate_never_makes_requests_wait() {
    let clock = TestClock::new();
    let (k1, k2) = (key("k1"), key("k2"));
    let source = Source::new(&jwks(&[&k1]));
    let remote = source.remote_spawning_threads(&clock).build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();

    // The set expires and the issuer is slow: its response is held indefinitely.
    source.serve(&jwks(&[&k1, &k2]), None);
    source.hold();
    clock.set(T0 + 600);
    for _ in 0..50 {
        let (remote, t) = (remote.clone(), t.clone());
        assert_eq!(within(10, move || verify(&remote, &t)).unwrap(), b"payload");
    }
    assert_eq!(
        remote.status().fetches,
        2,
        "one background refresh, not one per request"
    );
    assert_eq!(
        remote.status().fetched_at.unwrap().unix(),
        T0,
        "still the stale set"
    );

    // The issuer answers: the refresh lands in the cache without any request waiting.
    source.gate.open();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while remote.status().fetched_at.unwrap().unix() == T0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the refresh never landed"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(remote.status().usable_keys, 2);
    verify(&remote, &token(&k2)).unwrap();
    assert_eq!(source.fetches(), 2);

    // An unknown kid after the cooldown, or an empty cache, still waits (it has to).
    let cold = source.remote_spawning_threads(&clock).build();
    source.hold();
    let (c, t2) = (cold.clone(), t.clone());
    let waiting = std::thread::spawn(move || verify(&c, &t2));
    while cold.status().fetches < 1 {
        std::thread::yield_now();
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(!waiting.is_finished(), "a cold cache waits for the fetch");
    source.gate.open();
    waiting.join().unwrap().unwrap();
}

/// A fetcher that fails its first `n` fetches by panicking, inside the future or before
/// returning it, then serves the set.
struct Panicky {
    set: String,
    calls: AtomicUsize,
    panics: usize,
    synchronous: bool,
}

impl josecraft::keysource::Fetcher for Panicky {
    fn fetch(&self) -> josecraft::keysource::FetchFuture<'_> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        let panic_now = call < self.panics;
        if panic_now && self.synchronous {
            panic!("fetcher bug (before the future)");
        }
        let body = self.set.clone().into_bytes();
        Box::pin(async move {
            if panic_now {
                panic!("fetcher bug (inside the future)");
            }
            Ok(Fetched::new(body))
        })
    }
}

#[test]
fn a_panicking_fetcher_never_poisons_the_source() {
    for synchronous in [false, true] {
        let clock = TestClock::new();
        let k1 = key("k1");
        let remote = RemoteJwks::builder(Panicky {
            set: jwks(&[&k1]),
            calls: AtomicUsize::new(0),
            panics: 2,
            synchronous,
        })
        .with_clock(Arc::new(clock.clone()))
        .build();
        let t = token(&k1);
        // Each panicking fetch is a failed fetch for every waiter, and backs off.
        for _ in 0..2 {
            let results = block_on(join_all((0..4).map(|_| {
                let (remote, t) = (remote.clone(), t.clone());
                async move {
                    jws::verify_compact_async(&t, &remote)
                        .await
                        .map(|v| v.into_payload())
                }
            })));
            for r in &results {
                assert!(
                    matches!(r, Err(Error::KeysUnavailable(m)) if m.contains("panicked")),
                    "{r:?}"
                );
            }
            assert!(matches!(
                verify(&remote, &t),
                Err(Error::KeysUnavailable(_))
            ));
            clock.advance(5);
        }
        // The next fetch is made as usual and succeeds.
        assert_eq!(verify(&remote, &t).unwrap(), b"payload");
        assert_eq!(remote.status().fetches, 3, "synchronous={synchronous}");
        assert_eq!(remote.status().last_error, None);
    }
}

#[test]
fn a_panicking_spawner_does_not_fail_the_request_or_the_refresh() {
    let clock = TestClock::new();
    let (k1, k2) = (key("k1"), key("k2"));
    let source = Source::new(&jwks(&[&k1]));
    let bad: Spawner = Arc::new(|_task| panic!("spawner bug"));
    let remote = source
        .remote_spawning_threads(&clock)
        .with_spawner(bad)
        .build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();
    source.serve(&jwks(&[&k1, &k2]), None);
    clock.set(T0 + 600);
    assert_eq!(verify(&remote, &t).unwrap(), b"payload");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while remote.status().usable_keys != 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the refresh never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn a_background_refresh_nobody_runs_is_given_up_and_revalidation_goes_on() {
    let clock = TestClock::new();
    let (k1, k2) = (key("k1"), key("k2"));
    let source = Source::new(&jwks(&[&k1]));
    // A spawner that drops every task (a runtime shutting down does this).
    let dropper: Spawner = Arc::new(drop);
    let remote = source
        .remote_spawning_threads(&clock)
        .with_spawner(dropper)
        .build();
    let t = token(&k1);
    verify(&remote, &t).unwrap();
    source.serve(&jwks(&[&k1, &k2]), None);
    clock.set(T0 + 600);
    verify(&remote, &t).unwrap();
    assert_eq!(remote.status().fetches, 2, "a refresh was started");
    assert_eq!(source.fetches(), 1, "…and never run");
    // Within the minute the lost fetch still counts as in flight: no new one.
    clock.set(T0 + 659);
    verify(&remote, &t).unwrap();
    assert_eq!(remote.status().fetches, 2);
    // After it, the fetch is taken as lost; an unknown kid (which waits) fetches anew.
    clock.set(T0 + 661);
    verify(&remote, &token(&k2)).unwrap();
    assert_eq!(source.fetches(), 2);
    assert_eq!(remote.status().usable_keys, 2);
}

#[test]
fn a_zero_cache_lifetime_revalidates_once_per_cooldown_not_per_request() {
    let clock = TestClock::new();
    let k1 = key("k1");
    let source = Source::new(&jwks(&[&k1]));
    let remote = source
        .remote(&clock)
        .with_cache_max_age(Duration::ZERO)
        .with_max_age_bounds(Duration::ZERO, Duration::ZERO)
        .build();
    let t = token(&k1);
    for _ in 0..100 {
        verify(&remote, &t).unwrap();
    }
    assert_eq!(
        source.fetches(),
        1,
        "the set is always stale, but one cooldown has not passed"
    );
    clock.advance(30);
    for _ in 0..100 {
        verify(&remote, &t).unwrap();
    }
    assert_eq!(source.fetches(), 2);
}

/// A fetcher that answers conditional requests as the test scripts it, recording the tag
/// each fetch was sent.
struct Conditional {
    body: String,
    answers: Mutex<Vec<Fetched>>,
    sent: Mutex<Vec<Option<String>>>,
}

struct SharedConditional(Arc<Conditional>);

impl josecraft::keysource::Fetcher for SharedConditional {
    fn fetch(&self) -> josecraft::keysource::FetchFuture<'_> {
        self.fetch_if_none_match(None)
    }

    fn fetch_if_none_match(&self, etag: Option<&str>) -> josecraft::keysource::FetchFuture<'_> {
        self.0.sent.lock().unwrap().push(etag.map(str::to_string));
        let next = self.0.answers.lock().unwrap().pop();
        let body = self.0.body.clone();
        Box::pin(async move { Ok(next.unwrap_or_else(|| Fetched::new(body))) })
    }
}

#[test]
fn not_modified_renews_the_set_it_refers_to_with_its_own_lifetime() {
    let clock = TestClock::new();
    let k1 = key("k1");
    // Answers are popped from the end: first a set with a tag and max-age 120, then a 304
    // without caching advice.
    let source = Arc::new(Conditional {
        body: jwks(&[&k1]),
        answers: Mutex::new(vec![
            Fetched::not_modified(),
            Fetched::new(jwks(&[&k1]))
                .with_etag("\"v1\"")
                .with_max_age(Duration::from_secs(120)),
        ]),
        sent: Mutex::default(),
    });
    let remote = RemoteJwks::builder(SharedConditional(Arc::clone(&source)))
        .with_clock(Arc::new(clock.clone()))
        .build();
    block_on(remote.refresh()).unwrap();
    clock.advance(100);
    block_on(remote.refresh()).unwrap();
    let status = remote.status();
    assert_eq!(status.not_modified, 1);
    assert_eq!(status.fetched_at.unwrap().unix(), T0 + 100);
    assert_eq!(
        status.expires_at.unwrap().unix(),
        T0 + 100 + 120,
        "the 200's max-age, renewed"
    );
    assert_eq!(
        *source.sent.lock().unwrap(),
        [None, Some("\"v1\"".to_string())]
    );
    assert_eq!(verify(&remote, &token(&k1)).unwrap(), b"payload");
}

#[test]
fn not_modified_without_a_tag_sent_is_a_failed_fetch() {
    let clock = TestClock::new();
    let k1 = key("k1");
    // A set without a tag, then a fetcher that answers 304 anyway.
    let source = Arc::new(Conditional {
        body: jwks(&[&k1]),
        answers: Mutex::new(vec![Fetched::not_modified(), Fetched::new(jwks(&[&k1]))]),
        sent: Mutex::default(),
    });
    let remote = RemoteJwks::builder(SharedConditional(Arc::clone(&source)))
        .with_clock(Arc::new(clock.clone()))
        .build();
    block_on(remote.refresh()).unwrap();
    let err = block_on(remote.refresh()).unwrap_err();
    assert!(
        matches!(&err, Error::KeysUnavailable(m) if m.contains("without a tag")),
        "{err:?}"
    );
    let status = remote.status();
    assert_eq!(
        (status.failures, status.not_modified, status.usable_keys),
        (1, 0, 1)
    );
    assert_eq!(*source.sent.lock().unwrap(), [None, None]);
}
