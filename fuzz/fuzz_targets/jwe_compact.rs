#![no_main]
//! Compact JWE parsing and decryption with every kind of key management.

use josecraft::jwe::EncryptedCompact;
use josecraft::ParseOptions;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let options = ParseOptions::new().with_limits(common::limits());
    let Ok(parsed) = EncryptedCompact::parse_with(token, &options) else {
        return;
    };
    let _ = parsed.untrusted_header().untrusted().kid();
    let keys: [&dyn josecraft::jwe::KeyDecryptor; 6] = [
        &*common::A128KW,
        &*common::DIR,
        &*common::PBES2,
        &*common::ECDH,
        &*common::X25519,
        &*common::RSA,
    ];
    for key in keys {
        if let Ok(p) = EncryptedCompact::parse_with(token, &options) {
            let _ = p.decrypt(key);
        }
    }
    let _ = parsed.decrypt(&*common::DECRYPTORS);
});
