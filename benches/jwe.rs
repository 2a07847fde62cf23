//! JWE encryption and decryption, and the cost of refusing hostile input: a zip bomb and a
//! PBES2 count far above the cap are turned away in about the time of a normal decryption.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use josecraft::base64url;
use josecraft::jwe::{self, SymmetricKey};
use josecraft::AsymmetricKeyManagement;
use josecraft::JweHeader;
use josecraft::SymmetricKeyManagement;
use josecraft::{ContentEncryption, KeyManagementAlgorithm};

fn symmetric(c: &mut Criterion) {
    let plaintext = vec![b'x'; 1024];
    let provider = josecraft::CryptoProvider::get_default().name();
    let mut group = c.benchmark_group("jwe_symmetric_1KiB");
    let cases = [
        (
            "dir+A256GCM",
            SymmetricKey::generate_direct(ContentEncryption::A256Gcm).unwrap(),
            ContentEncryption::A256Gcm,
        ),
        (
            "A256KW+A256GCM",
            SymmetricKey::generate(SymmetricKeyManagement::A256Kw).unwrap(),
            ContentEncryption::A256Gcm,
        ),
        (
            "A128KW+A128CBC-HS256",
            SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap(),
            ContentEncryption::A128CbcHs256,
        ),
        (
            "PBES2-HS256+A128KW(default p2c)+A256GCM",
            SymmetricKey::generate(SymmetricKeyManagement::Pbes2Hs256A128Kw).unwrap(),
            ContentEncryption::A256Gcm,
        ),
    ];
    for (name, key, enc) in &cases {
        group.bench_function(BenchmarkId::new(format!("encrypt/{provider}"), name), |b| {
            b.iter(|| jwe::encrypt_compact(&JweHeader::new(), &plaintext, *enc, key).unwrap())
        });
        let token = jwe::encrypt_compact(&JweHeader::new(), &plaintext, *enc, key).unwrap();
        group.bench_function(BenchmarkId::new(format!("decrypt/{provider}"), name), |b| {
            b.iter(|| jwe::decrypt_compact(&token, key).unwrap())
        });
    }
    group.finish();
}

fn asymmetric(c: &mut Criterion) {
    use josecraft::jwk::{Jwk, KeySpec};
    let plaintext = vec![b'x'; 1024];
    let provider = josecraft::CryptoProvider::get_default().name();
    let mut group = c.benchmark_group("jwe_asymmetric_1KiB");
    for (name, spec, alg) in [
        (
            "ECDH-ES+A256KW+A256GCM",
            KeySpec::P256,
            KeyManagementAlgorithm::EcdhEsA256Kw,
        ),
        (
            "ECDH-ES+A256KW(X25519)+A256GCM",
            KeySpec::X25519,
            KeyManagementAlgorithm::EcdhEsA256Kw,
        ),
        (
            "RSA-OAEP-256+A256GCM",
            KeySpec::Rsa { bits: 2048 },
            KeyManagementAlgorithm::RsaOaep256,
        ),
    ] {
        let dk = Jwk::generate(spec)
            .unwrap()
            .to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg).unwrap()))
            .unwrap();
        let ek = dk.encryption_key();
        group.bench_function(BenchmarkId::new(format!("encrypt/{provider}"), name), |b| {
            b.iter(|| {
                jwe::encrypt_compact(
                    &JweHeader::new(),
                    &plaintext,
                    ContentEncryption::A256Gcm,
                    &ek,
                )
                .unwrap()
            })
        });
        let token = jwe::encrypt_compact(
            &JweHeader::new(),
            &plaintext,
            ContentEncryption::A256Gcm,
            &ek,
        )
        .unwrap();
        group.bench_function(BenchmarkId::new(format!("decrypt/{provider}"), name), |b| {
            b.iter(|| jwe::decrypt_compact(&token, &dk).unwrap())
        });
    }
    group.finish();
}

fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("jwe_refusals");
    let key = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    // A 2.5 MB run of zeros in a ~3.5 KB token: refused after inflating 250 001 bytes.
    let bomb = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &vec![0u8; 2_500_000],
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    group.bench_function("zip_bomb_2.5MB", |b| {
        b.iter(|| assert!(jwe::decrypt_compact(&bomb, &key).is_err()))
    });
    // p2c = 10 000 000 would be ~10 s of PBKDF2; it is refused before the first iteration.
    let password =
        SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"password").unwrap();
    let header =
        r#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"AAAAAAAAAAA","p2c":10000000}"#;
    let token = [
        base64url::encode(header),
        base64url::encode([0u8; 24]),
        base64url::encode([0u8; 12]),
        base64url::encode(b"x"),
        base64url::encode([0u8; 16]),
    ]
    .join(".");
    group.bench_function("pbes2_p2c_10M", |b| {
        b.iter(|| assert!(jwe::decrypt_compact(&token, &password).is_err()))
    });
    group.finish();
}

criterion_group!(benches, symmetric, asymmetric, hostile);
criterion_main!(benches);
