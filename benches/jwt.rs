//! JWT verify+validate of a typical access token and of a 64 KiB claims set; key-set lookup
//! with 1, 100 and 10 000 keys; HS256 verification cost over payload sizes from 100 B to
//! 1 MiB. Peers and the raw floor: `bench-peers/`.

use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use josecraft::jwk::JwkSet;
use josecraft::jws::{self, VerifierSet};
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::ParseOptions;
use josecraft::{HmacKey, JwsHeader, Limits, SigningKey};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Custom {
    scope: String,
    roles: Vec<String>,
    #[serde(default)]
    blob: String,
}

fn token(key: &dyn jws::Signer, blob: usize) -> String {
    let claims = Claims::new(Custom {
        scope: "openid profile email read:orders write:orders".into(),
        roles: vec!["admin".into(), "editor".into(), "viewer".into()],
        blob: "x".repeat(blob),
    })
    .with_issuer("https://auth.example")
    .with_subject("user-1234567890")
    .with_audience("https://api.example")
    .with_not_before(NumericDate::now())
    .with_jti("b2f1e6a4-8c1d-4b7e-9a3f-5d6c7e8f9a0b")
    .valid_for(NumericDate::now(), std::time::Duration::from_secs(3600))
    .unwrap();
    jwt::sign(&claims, key).unwrap()
}

fn verify_validate(c: &mut Criterion) {
    let provider = josecraft::CryptoProvider::get_default().name();
    let validation = Validation::issuer("https://auth.example").audience("https://api.example");
    let mut g = c.benchmark_group("jwt_verify_validate");
    let hs = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    let es = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let es_v = es.verifying_key();
    for (name, blob) in [("typical", 0), ("64KiB", 64 * 1024)] {
        let t = token(&hs, blob);
        g.bench_function(BenchmarkId::new(format!("HS256/{provider}"), name), |b| {
            b.iter(|| jwt::verify::<Custom>(black_box(&t), &hs, &validation).unwrap())
        });
    }
    let t = token(&es, 0);
    g.bench_function(
        BenchmarkId::new(format!("ES256/{provider}"), "typical"),
        |b| b.iter(|| jwt::verify::<Custom>(black_box(&t), &es_v, &validation).unwrap()),
    );
    g.finish();
}

fn key_set_lookup(c: &mut Criterion) {
    let provider = josecraft::CryptoProvider::get_default().name();
    let mut g = c.benchmark_group("key_set_lookup_HS256_verify");
    for n in [1usize, 100, 10_000] {
        let keys: Vec<HmacKey> = (0..n)
            .map(|i| {
                HmacKey::generate(HmacAlgorithm::Hs256)
                    .unwrap()
                    .with_key_id(format!("key-{i}"))
            })
            .collect();
        let set = keys
            .iter()
            .cloned()
            .fold(VerifierSet::new(), VerifierSet::with);
        let target = &keys[n / 2];
        let t = jws::sign_compact(&JwsHeader::new(), b"{}", target).unwrap();
        g.bench_function(
            BenchmarkId::new(format!("VerifierSet/{provider}"), n),
            |b| b.iter(|| jws::verify_compact(black_box(&t), &set).unwrap()),
        );
        if n <= 100 {
            // A JwkSet prepares its keys once; lookups then cost the same.
            let jwks = keys
                .iter()
                .fold(JwkSet::new(), |s, k| s.with(k.to_secret_jwk()));
            g.bench_function(BenchmarkId::new(format!("JwkSet/{provider}"), n), |b| {
                b.iter(|| jws::verify_compact(black_box(&t), &jwks).unwrap())
            });
        }
    }
    g.finish();
}

fn payload_sizes(c: &mut Criterion) {
    let provider = josecraft::CryptoProvider::get_default().name();
    let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
    // 1 MiB of payload is 1.4 MB of token: above the default 1 MB cap, so raise it.
    let options = ParseOptions::new().with_limits(Limits::default().with_max_token_len(2 << 20));
    let mut g = c.benchmark_group("jws_HS256_verify_by_payload_size");
    for size in [100usize, 1024, 16 * 1024, 256 * 1024, 1024 * 1024] {
        let t = jws::sign_compact(&JwsHeader::new(), &vec![b'p'; size], &key).unwrap();
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(BenchmarkId::new(provider, size), |b| {
            b.iter(|| {
                jws::UnverifiedCompact::parse_with(black_box(&t), &options)
                    .and_then(|u| u.verify(&key))
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, verify_validate, key_set_lookup, payload_sizes);
criterion_main!(benches);
