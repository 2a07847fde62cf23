#![no_main]
//! JWT claims validation: the input is signed as a claims set (so that it gets past the
//! signature) and validated with every rule switched on, then also given as a token.

use josecraft::jws;
use josecraft::jwt::{self, FixedClock, NumericDate, Validation};
use josecraft::{Claim, JwsHeader};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let now = FixedClock(NumericDate::from_unix(1_700_000_000).unwrap());
    let strict = Validation::issuers(["https://a", "https://b"])
        .audiences(["api", "x"])
        .with_subject("ada")
        .with_typ("JWT")
        .with_max_age(std::time::Duration::from_secs(3600))
        .with_required(Claim::Jti)
        .with_required(Claim::from_name("scope"))
        .with_prohibited("admin")
        .with_clock(now);
    let lax = Validation::any_issuer()
        .any_audience()
        .dangerous_allow_missing_exp()
        .with_clock(now);
    let header = JwsHeader::new().with_typ("JWT");
    if let Ok(token) = jws::sign_compact(&header, data, &*common::HS256) {
        for v in [&strict, &lax] {
            let _ = jwt::verify::<serde_json::Value>(&token, &*common::HS256, v);
            let _ = jwt::verify::<serde_json::Map<String, serde_json::Value>>(&token, &*common::VERIFIERS, v);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = jwt::verify::<serde_json::Value>(text, &*common::VERIFIERS, &lax);
        let _ = jwt::bearer_token(text);
    }
});
