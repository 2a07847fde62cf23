//! A bounded load generator against a local `redis-server` it starts itself (the tests'
//! helper): revocation-check latency (p50, p99) one at a time and with 32 in flight, and
//! refresh-token rotations per second with 64 in flight. `scripts/bench.sh` puts the
//! output in docs/PERFORMANCE.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use josecraft::jwt::{NumericDate, RefreshFamilies, RevocationStore, Rotation};
use josecraft_redis::{RedisOptions, RedisStore};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = common::RedisServer::start();
    let store = RedisStore::connect(
        &server.url(),
        RedisOptions::default().with_timeout(Duration::from_secs(2)),
    )
    .await
    .unwrap();
    let exp = NumericDate::from_unix(NumericDate::now().unix() + 3600).unwrap();
    for i in 0..1000 {
        store.revoke(&format!("revoked-{i}"), exp).await.unwrap();
    }

    // Revocation checks, one at a time: the latency a request adds.
    let n = 20_000;
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let jti = if i % 10 == 0 {
            format!("revoked-{}", i % 1000)
        } else {
            format!("live-{i}")
        };
        let t = Instant::now();
        let revoked = store.is_revoked(&jti).await.unwrap();
        lat.push(t.elapsed());
        assert_eq!(revoked, i % 10 == 0);
    }
    lat.sort();
    println!(
        "redis revocation check, sequential, {n} calls: p50 {}, p99 {}",
        micros(percentile(&lat, 0.5)),
        micros(percentile(&lat, 0.99))
    );

    // The same with 32 requests in flight on the one multiplexed connection.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..32 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(n / 32);
            for i in 0..n / 32 {
                let t = Instant::now();
                s.is_revoked(&format!("live-{w}-{i}")).await.unwrap();
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    lat.sort();
    println!(
        "redis revocation check, 32 in flight, {} calls: p50 {}, p99 {}, {:.0} checks/s",
        lat.len(),
        micros(percentile(&lat, 0.5)),
        micros(percentile(&lat, 0.99)),
        lat.len() as f64 / elapsed.as_secs_f64()
    );

    // Rotations: 64 families rotated in parallel, 20 000 rotations in all.
    let families = 64;
    let per = 20_000 / families;
    for f in 0..families {
        store.start(&format!("load-{f}"), "t0", exp).await.unwrap();
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for f in 0..families {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let fam = format!("load-{f}");
            for i in 0..per {
                let r = s
                    .rotate(&fam, &format!("t{i}"), &format!("t{}", i + 1))
                    .await
                    .unwrap();
                assert_eq!(r, Rotation::Rotated);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();
    println!(
        "redis refresh-token rotations, 64 in flight: {} in {:.2} s, {:.0} rotations/s",
        families * per,
        elapsed.as_secs_f64(),
        (families * per) as f64 / elapsed.as_secs_f64()
    );
}
