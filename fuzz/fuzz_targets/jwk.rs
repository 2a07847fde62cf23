#![no_main]
//! JWK and JWK Set parsing, and everything done with a parsed key: validation, export,
//! thumbprints, building signing/verifying/JWE keys, set preparation.

use josecraft::jwk::{Jwk, JwkSet, ThumbprintHash, VerifierPolicy};
use josecraft::JwsAlgorithm;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jwk) = Jwk::from_json(data) {
        let _ = jwk.validate();
        let json = jwk.to_json();
        let again = Jwk::from_json(json.as_bytes()).expect("a parsed JWK re-parses");
        assert_eq!(again.to_json(), json);
        let _ = jwk.thumbprint_b64(ThumbprintHash::Sha256);
        let _ = jwk.to_public();
        let _ = jwk.to_verifying_key(None);
        let _ = jwk.to_signing_key(None);
        let _ = jwk.to_hmac_key(None);
        let _ = jwk.to_encryption_key(None);
        let _ = jwk.to_decryption_key(None);
        let _ = jwk.to_symmetric_key(None, None);
        let _ = jwk.to_spki_der();
    }
    if let Ok(set) = JwkSet::from_json(data) {
        let _ = set.to_json();
        let _ = set.verifier();
        let _ = set.verifier_with(&VerifierPolicy::new().with_algorithm(JwsAlgorithm::Es256));
        let _ = set.decryptor();
        let _ = set.to_public();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Jwk::from_pem(text);
    }
    let _ = Jwk::from_der(data);
});
