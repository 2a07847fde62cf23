#![no_main]
//! The strict codec: decoding never panics, and whatever decodes re-encodes to the same
//! text (canonical: one text per byte string).

use josecraft::base64url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bytes) = base64url::decode(text) {
            assert_eq!(base64url::encode(&bytes), text);
        }
    }
    assert_eq!(base64url::decode(&base64url::encode(data)).unwrap(), data);
});
