//! JWS sign and verify for every algorithm on josecraft's own keys. The comparison with
//! peers and raw ring lives in `bench-peers/`, outside the workspace. Each row is labelled
//! with the crypto provider of the run (`JOSECRAFT_CRYPTO_PROVIDER`; `scripts/bench.sh` runs
//! both).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use josecraft::jws::{self, Signer, Verifier};
use josecraft::{HmacAlgorithm, SignatureAlgorithm};
use josecraft::{HmacKey, JwsAlgorithm, JwsHeader, SigningKey};

const RSA_PEM: &str = include_str!("../tests/vectors/keys/rsa2048.pkcs8.pem");

fn keys(alg: JwsAlgorithm) -> Option<(Box<dyn Signer>, Box<dyn Verifier>)> {
    if alg.is_symmetric() {
        let k = HmacKey::generate(HmacAlgorithm::try_from(alg).unwrap()).ok()?;
        return Some((Box::new(k.clone()), Box::new(k)));
    }
    let k = match alg {
        JwsAlgorithm::Rs256
        | JwsAlgorithm::Rs384
        | JwsAlgorithm::Rs512
        | JwsAlgorithm::Ps256
        | JwsAlgorithm::Ps384
        | JwsAlgorithm::Ps512 => {
            SigningKey::from_pem(SignatureAlgorithm::try_from(alg).unwrap(), RSA_PEM).ok()?
        }
        _ => SigningKey::generate(SignatureAlgorithm::try_from(alg).unwrap()).ok()?,
    };
    Some((Box::new(k.clone()), Box::new(k.verifying_key())))
}

fn sign_verify(c: &mut Criterion) {
    let payload = br#"{"iss":"https://auth.example","sub":"ada","aud":"api","exp":4102444800}"#;
    let header = JwsHeader::new().with_typ("JWT");
    let provider = josecraft::CryptoProvider::get_default().name();
    let mut sign = c.benchmark_group("jws_sign");
    for alg in JwsAlgorithm::ALL {
        let Some((signer, _)) = keys(alg) else {
            continue;
        };
        sign.bench_function(BenchmarkId::new(provider, alg), |b| {
            b.iter(|| jws::sign_compact(&header, payload, &*signer).unwrap())
        });
    }
    sign.finish();
    let mut verify = c.benchmark_group("jws_verify");
    for alg in JwsAlgorithm::ALL {
        let Some((signer, verifier)) = keys(alg) else {
            continue;
        };
        let token = jws::sign_compact(&header, payload, &*signer).unwrap();
        verify.bench_function(BenchmarkId::new(provider, alg), |b| {
            b.iter(|| jws::verify_compact(&token, &*verifier).unwrap())
        });
    }
    verify.finish();
}

criterion_group!(benches, sign_verify);
criterion_main!(benches);
