#![no_main]
//! JWE JSON serialization: parse, then decrypt with single keys and a key set.

use josecraft::jwe::EncryptedJson;
use josecraft::ParseOptions;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let options = ParseOptions::new().with_limits(common::limits());
    let Ok(parsed) = EncryptedJson::parse_with(json, &options) else {
        return;
    };
    for r in parsed.recipients() {
        let _ = r.untrusted_header().untrusted().kid();
        let _ = r.key_management();
    }
    let keys: [&dyn josecraft::jwe::KeyDecryptor; 5] = [
        &*common::A128KW,
        &*common::DIR,
        &*common::PBES2,
        &*common::ECDH,
        &*common::X25519,
    ];
    for key in keys {
        if let Ok(p) = EncryptedJson::parse_with(json, &options) {
            let _ = p.decrypt(key);
        }
    }
    let _ = parsed.decrypt(&*common::DECRYPTORS);
});
