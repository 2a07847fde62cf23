#![no_main]
//! JWS JSON serialization (flattened and general): parse, verify, per-signature report.

use josecraft::jws::UnverifiedJson;
use josecraft::ParseOptions;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let options = ParseOptions::default();
    let _ = josecraft::dangerous::inspect(json);
    let parse = || UnverifiedJson::parse_with(json, &options);
    if let Ok(u) = parse() {
        for s in u.signatures() {
            let _ = s.untrusted_header().untrusted().kid();
        }
        let _ = u.verify(&*common::HS256);
        let _ = parse().and_then(|u| u.verify(&*common::VERIFIERS));
        let _ = parse().and_then(|u| u.verify_each(&*common::VERIFIERS));
    }
    if let Ok(u) = UnverifiedJson::parse_detached_with(json, b"detached", &options) {
        let _ = u.verify(&*common::VERIFIERS);
    }
});
