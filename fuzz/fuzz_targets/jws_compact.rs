#![no_main]
//! Compact JWS parsing and verification with one key and with a key set, plus the
//! unverified readers; nothing may panic, and nothing unsigned may verify.

use josecraft::dangerous;
use josecraft::jws::{self, UnverifiedCompact};
use josecraft::ParseOptions;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let options = ParseOptions::default();
    let _ = dangerous::decode_unverified(token);
    let _ = dangerous::inspect(token);
    let _ = jws::verify_compact(token, &*common::HS256);
    let _ = jws::verify_compact(token, &common::ES256.verifying_key());
    let _ = jws::UnverifiedCompact::parse_with(token, &options).and_then(|u| u.verify(&*common::VERIFIERS));
    if let Ok(u) = UnverifiedCompact::parse_detached_with(token, b"detached", &options) {
        let _ = u.verify(&*common::VERIFIERS);
    }
});
