//! One suite for the in-memory stores and the Redis ones (a real `redis-server`), then
//! what only a shared store can show: concurrent rotations with one winner, and a Redis
//! killed and restarted (fail closed, then recovery with every acknowledged write kept).

mod common;

use std::time::Duration;

use josecraft::jwt::{
    FixedClock, JtiDenylist, MemoryRefreshFamilies, MemoryReplayCache, NumericDate,
    RefreshFamilies, ReplayCache, RevocationStore, Rotation,
};
use josecraft::Error;
use josecraft_redis::{FailurePolicy, RedisOptions, RedisStore};

fn in_secs(s: i64) -> NumericDate {
    NumericDate::from_unix(NumericDate::now().unix() + s).unwrap()
}

/// Ids unique to one run, so suites can share a server.
fn id(name: &str) -> String {
    format!("{name}-{}", NumericDate::now().unix_nanos_for_tests())
}

trait Nanos {
    fn unix_nanos_for_tests(&self) -> u128;
}
impl Nanos for NumericDate {
    fn unix_nanos_for_tests(&self) -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    }
}

async fn revocation_suite(store: &dyn RevocationStore) {
    let (a, b) = (id("a"), id("b"));
    assert!(!store.is_revoked(&a).await.unwrap());
    store.revoke(&a, in_secs(300)).await.unwrap();
    assert!(store.is_revoked(&a).await.unwrap());
    assert!(!store.is_revoked(&b).await.unwrap());
}

async fn replay_suite(cache: &dyn ReplayCache) {
    let (a, b) = (id("proof-a"), id("proof-b"));
    assert!(cache.first_use(&a, in_secs(60)).await.unwrap());
    assert!(!cache.first_use(&a, in_secs(60)).await.unwrap(), "a replay");
    assert!(cache.first_use(&b, in_secs(60)).await.unwrap());
    // A time already past or this very second: still a replay when used again at once
    // (both stores remember through the current second).
    // (More than the Redis store's clock margin in the past: its relative-expiry floor.)
    for (name, until) in [
        ("proof-past", in_secs(-30)),
        ("proof-long-past", in_secs(-3600)),
        ("proof-now", in_secs(0)),
    ] {
        let c = id(name);
        assert!(cache.first_use(&c, until).await.unwrap());
        assert!(!cache.first_use(&c, until).await.unwrap(), "{name}");
    }
}

async fn families_suite(f: &dyn RefreshFamilies) {
    // Rotation: each token once, in order.
    let fam = id("family");
    f.start(&fam, "t1", in_secs(3600)).await.unwrap();
    assert_eq!(f.rotate(&fam, "t1", "t2").await.unwrap(), Rotation::Rotated);
    assert_eq!(f.rotate(&fam, "t2", "t3").await.unwrap(), Rotation::Rotated);
    // Reuse of an earlier token ends the family; the current one is dead too.
    assert_eq!(
        f.rotate(&fam, "t1", "x").await.unwrap(),
        Rotation::ReuseDetected
    );
    assert_eq!(f.rotate(&fam, "t3", "t4").await.unwrap(), Rotation::Ended);
    // Logout ends a family.
    let fam2 = id("family2");
    f.start(&fam2, "u1", in_secs(3600)).await.unwrap();
    f.revoke_family(&fam2).await.unwrap();
    assert_eq!(f.rotate(&fam2, "u1", "u2").await.unwrap(), Rotation::Ended);
    // Unknown families and revoking them.
    assert_eq!(
        f.rotate(&id("nobody"), "a", "b").await.unwrap(),
        Rotation::Ended
    );
    f.revoke_family(&id("nobody")).await.unwrap();
    // The absolute lifetime: a family whose end has passed rotates no more.
    let fam3 = id("family3");
    f.start(&fam3, "v1", in_secs(1)).await.unwrap();
    assert_eq!(
        f.rotate(&fam3, "v1", "v2").await.unwrap(),
        Rotation::Rotated
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(f.rotate(&fam3, "v2", "v3").await.unwrap(), Rotation::Ended);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_in_memory() {
    revocation_suite(&JtiDenylist::new()).await;
    // On a clock that stands still, so that a second ending between two calls cannot
    // decide the "through the current second" case.
    let clock = std::sync::Arc::new(FixedClock(NumericDate::now()));
    replay_suite(&MemoryReplayCache::new().with_clock(clock)).await;
    families_suite(&MemoryRefreshFamilies::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_on_redis() {
    let server = common::RedisServer::start();
    let store = RedisStore::connect(&server.url(), RedisOptions::default())
        .await
        .unwrap();
    store.ping().await.unwrap();
    revocation_suite(&store).await;
    replay_suite(&store).await;
    families_suite(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_rotations_of_one_token_have_one_winner() {
    let server = common::RedisServer::start();
    // Two "instances": two connections.
    let a = RedisStore::connect(&server.url(), RedisOptions::default())
        .await
        .unwrap();
    let b = RedisStore::connect(&server.url(), RedisOptions::default())
        .await
        .unwrap();
    for round in 0..200 {
        let fam = format!("race-{round}");
        a.start(&fam, "t1", in_secs(600)).await.unwrap();
        let (ra, rb) = tokio::join!(
            a.rotate(&fam, "t1", "from-a"),
            b.rotate(&fam, "t1", "from-b")
        );
        let mut outcomes = [ra.unwrap(), rb.unwrap()];
        outcomes.sort_by_key(|r| *r != Rotation::Rotated);
        assert_eq!(
            outcomes,
            [Rotation::Rotated, Rotation::ReuseDetected],
            "round {round}"
        );
        // The loser's attempt ended the family for the winner too.
        let winner = if a.rotate(&fam, "from-a", "n").await.unwrap() == Rotation::Ended {
            "from-b"
        } else {
            "from-a"
        };
        assert_eq!(b.rotate(&fam, winner, "n").await.unwrap(), Rotation::Ended);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_rotations_of_distinct_families() {
    let server = common::RedisServer::start();
    let store = RedisStore::connect(
        &server.url(),
        RedisOptions::default().with_timeout(Duration::from_secs(30)),
    )
    .await
    .unwrap();
    const N: usize = 10_000;
    let mut tasks = Vec::with_capacity(N);
    for i in 0..N {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let fam = format!("many-{i}");
            s.start(&fam, "t1", in_secs(600)).await.unwrap();
            s.rotate(&fam, "t1", "t2").await.unwrap()
        }));
    }
    let mut rotated = 0;
    for t in tasks {
        assert_eq!(t.await.unwrap(), Rotation::Rotated);
        rotated += 1;
    }
    assert_eq!(rotated, N);
    // Each family moved exactly once: t2 is current everywhere (no lost and no double
    // rotation), t1 is reuse everywhere.
    for i in (0..N).step_by(97) {
        let fam = format!("many-{i}");
        assert_eq!(
            store.rotate(&fam, "t2", "t3").await.unwrap(),
            Rotation::Rotated,
            "{fam}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_fails_closed_then_recovers_with_acknowledged_writes() {
    let mut server = common::RedisServer::start();
    let opts = RedisOptions::default().with_timeout(Duration::from_millis(300));
    let store = RedisStore::connect(&server.url(), opts.clone())
        .await
        .unwrap();
    store.revoke("before-kill", in_secs(600)).await.unwrap();
    store.start("fam-kill", "t1", in_secs(600)).await.unwrap();
    assert!(store.first_use("proof-kill", in_secs(600)).await.unwrap());

    server.kill();
    // Fail closed, quickly, everywhere: no hang, no panic, a typed error.
    let started = std::time::Instant::now();
    assert!(matches!(
        store.is_revoked("before-kill").await,
        Err(Error::StoreUnavailable(_))
    ));
    assert!(matches!(
        store.rotate("fam-kill", "t1", "t2").await,
        Err(Error::StoreUnavailable(_))
    ));
    assert!(matches!(
        store.first_use("other", in_secs(60)).await,
        Err(Error::StoreUnavailable(_))
    ));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // A fail-open store tolerates the outage while it is younger than its bound, and
    // fails closed once it is older.
    let open = RedisStore::connect(&server.url(), opts.clone()).await;
    assert!(
        matches!(open, Err(Error::StoreUnavailable(_))),
        "connecting to a dead Redis fails"
    );

    server.restart();
    // Recovery: the connection comes back on its own, and every acknowledged write is there.
    let mut recovered = false;
    for _ in 0..50 {
        if store.ping().await.is_ok() {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the store reconnects after a restart");
    assert!(store.is_revoked("before-kill").await.unwrap());
    assert_eq!(
        store.rotate("fam-kill", "t1", "t2").await.unwrap(),
        Rotation::Rotated
    );
    assert!(
        !store.first_use("proof-kill", in_secs(600)).await.unwrap(),
        "a used id stays used"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_open_is_bounded_by_its_staleness() {
    let mut server = common::RedisServer::start();
    let policy = FailurePolicy::FailOpen {
        max_staleness: Duration::from_millis(800),
    };
    let store = RedisStore::connect(
        &server.url(),
        RedisOptions::default()
            .with_timeout(Duration::from_millis(200))
            .with_failure_policy(policy),
    )
    .await
    .unwrap();
    store.revoke("r", in_secs(600)).await.unwrap();
    assert!(store.is_revoked("r").await.unwrap());
    server.kill();
    // Within the bound: not revoked (the documented risk of failing open). Other calls
    // do not reset the outage's start.
    assert!(!store.is_revoked("x").await.unwrap());
    assert!(store.ping().await.is_err());
    tokio::time::sleep(Duration::from_millis(900)).await;
    // Past it: closed.
    assert!(matches!(
        store.is_revoked("x").await,
        Err(Error::StoreUnavailable(_))
    ));
    // Rotations never fail open.
    assert!(matches!(
        store.rotate("f", "a", "b").await,
        Err(Error::StoreUnavailable(_))
    ));
}

#[test]
fn outside_a_tokio_runtime_a_call_fails_instead_of_panicking() {
    let server = common::RedisServer::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(RedisStore::connect(&server.url(), RedisOptions::default()))
        .unwrap();
    // josecraft's own executor is not Tokio.
    let answer = josecraft::keysource::block_on(store.is_revoked("x"));
    assert!(
        matches!(answer, Err(Error::StoreUnavailable(_))),
        "{answer:?}"
    );
    drop(rt);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_of_duration_max_means_no_timeout_not_a_panic() {
    let server = common::RedisServer::start();
    let store = RedisStore::connect(
        &server.url(),
        RedisOptions::default().with_timeout(Duration::MAX),
    )
    .await
    .unwrap();
    store.revoke("forever", in_secs(600)).await.unwrap();
    assert!(store.is_revoked("forever").await.unwrap());
}
