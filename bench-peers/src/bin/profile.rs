//! A fixed number of one operation, for callgrind (`valgrind --tool=callgrind`): instruction
//! counts are repeatable where wall-clock medians on a shared machine are not.
//!   profile OP [N]   OP: raw-hs256-verify | josecraft-hs256-verify | josecraft-hs256-verify-64k

use josecraft_bench_peers::*;

#[derive(serde::Serialize, serde::Deserialize)]
struct JcCustom {
    scope: String,
    roles: Vec<String>,
    #[serde(default)]
    blob: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let large = op.ends_with("64k");
    let claims = claims(large);
    let hmac = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HS256_SECRET);
    let token = raw_sign("HS256", &claims, |i| ring::hmac::sign(&hmac, i).as_ref().to_vec());
    let key = josecraft::HmacKey::new(josecraft::JwsAlgorithm::Hs256, HS256_SECRET).unwrap();
    let validation = josecraft::jwt::Validation::issuer(ISSUER).audience(AUDIENCE);
    for _ in 0..n {
        match op.as_str() {
            "raw-hs256-verify" | "raw-hs256-verify-64k" => {
                std::hint::black_box(raw_verify(&token, "HS256", |i, s| ring::hmac::verify(&hmac, i, s).is_ok()).unwrap());
            }
            _ => {
                std::hint::black_box(josecraft::jwt::verify::<JcCustom>(&token, &key, &validation).unwrap());
            }
        }
    }
}
