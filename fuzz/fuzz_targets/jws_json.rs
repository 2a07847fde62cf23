#![no_main]
//! JWS JSON serialization (flattened and general): parse, verify, per-signature report.

use josecraft::jws::{UnverifiedJson, VerifyOptions};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let options = VerifyOptions::default();
    let _ = josecraft::dangerous::inspect(json);
    let parse = || UnverifiedJson::parse(json, &options);
    if let Ok(u) = parse() {
        for s in u.signatures() {
            let _ = s.header().kid();
        }
        let _ = u.verify(&*common::HS256);
        let _ = parse().and_then(|u| u.verify_with(&*common::VERIFIERS));
        let _ = parse().and_then(|u| u.verify_each_with(&*common::VERIFIERS));
    }
    if let Ok(u) = UnverifiedJson::parse_detached(json, b"detached", &options) {
        let _ = u.verify_with(&*common::VERIFIERS);
    }
});
