//! Allocations per HS256 JWT verify+validate (typical access token), counted with a
//! counting global allocator: josecraft, the raw floor and the peers. Printed one line per
//! implementation; scripts/bench.sh puts them into docs/PERFORMANCE.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use josecraft_bench_peers::*;

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
/// Bytes live now, and the most live at once since the last reset.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count(name: &str, mut op: impl FnMut()) {
    op(); // warm up lazily initialised state
    const N: usize = 1000;
    let (a0, b0) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    for _ in 0..N {
        op();
    }
    let (a1, b1) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    println!(
        "allocs HS256 verify {name}: {} allocations, {} bytes per op",
        (a1 - a0) / N,
        (b1 - b0) / N
    );
}

#[derive(serde::Serialize, serde::Deserialize)]
struct JcCustom {
    scope: String,
    roles: Vec<String>,
    #[serde(default)]
    blob: String,
}

/// The most memory live at once during `op`, above what was live before it.
fn peak(name: &str, token_len: usize, op: impl FnOnce()) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    op();
    let most = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "peak HS256 verify of a {} KiB token {name}: {} KiB ({:.2}× the token)",
        token_len / 1024,
        most / 1024,
        most as f64 / token_len as f64
    );
}

fn main() {
    let claims = claims(false);
    let hmac = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HS256_SECRET);
    let token = raw_sign("HS256", &claims, |i| ring::hmac::sign(&hmac, i).as_ref().to_vec());

    count("raw", || {
        raw_verify(&token, "HS256", |i, s| ring::hmac::verify(&hmac, i, s).is_ok()).unwrap();
    });

    let key = josecraft::HmacKey::new(josecraft::HmacAlgorithm::Hs256, HS256_SECRET).unwrap();
    let validation = josecraft::jwt::Validation::issuer(ISSUER).audience(AUDIENCE);
    count("josecraft", || {
        josecraft::jwt::verify::<JcCustom>(&token, &key, &validation).unwrap();
    });

    // Peak memory for a token of about 1 MiB (a 768 KiB claim, base64url-encoded).
    {
        let mut big = claims.clone();
        big.blob = "x".repeat(768 * 1024);
        let big_token =
            raw_sign("HS256", &big, |i| ring::hmac::sign(&hmac, i).as_ref().to_vec());
        peak("raw", big_token.len(), || {
            raw_verify(&big_token, "HS256", |i, s| ring::hmac::verify(&hmac, i, s).is_ok()).unwrap();
        });
        // josecraft refuses tokens over 1 000 000 bytes by default; raise it for this one.
        let limits = josecraft::Limits::default().with_max_token_len(2 << 20);
        let validation = validation.clone().with_limits(limits);
        peak("josecraft", big_token.len(), || {
            josecraft::jwt::verify::<JcCustom>(&big_token, &key, &validation).unwrap();
        });
    }

    let dk = jsonwebtoken::DecodingKey::from_secret(HS256_SECRET);
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.set_audience(&[AUDIENCE]);
    v.set_issuer(&[ISSUER]);
    count("jsonwebtoken", || {
        jsonwebtoken::decode::<AccessClaims>(&token, &dk, &v).unwrap();
    });

    {
        use jwt_simple::prelude::*;
        let k = HS256Key::from_bytes(HS256_SECRET);
        let opts = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[ISSUER])),
            allowed_audiences: Some(HashSet::from_strings(&[AUDIENCE])),
            ..Default::default()
        };
        count("jwt-simple", || {
            k.verify_token::<Custom>(&token, Some(opts.clone())).unwrap();
        });
    }

    let verifier = josekit::jws::HS256.verifier_from_bytes(HS256_SECRET).unwrap();
    count("josekit", || {
        let (payload, _) = josekit::jwt::decode_with_verifier(&token, &verifier).unwrap();
        let mut v = josekit::jwt::JwtPayloadValidator::new();
        v.set_base_time(std::time::SystemTime::now());
        v.set_issuer(ISSUER);
        v.set_audience(AUDIENCE);
        v.validate(&payload).unwrap();
        let _: AccessClaims =
            serde_json::from_value(serde_json::Value::Object(payload.claims_set().clone())).unwrap();
    });
}
