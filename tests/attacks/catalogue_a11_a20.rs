//! SECURITY.md A11–A20.

use josecraft::{
    AsymmetricKeyManagement, HmacAlgorithm, RsaAlgorithm, SignatureAlgorithm,
    SymmetricKeyManagement,
};
use std::net::TcpListener;

use josecraft::jwe::{self, EncryptedCompact, SymmetricKey};
use josecraft::jwk::{Jwk, JwkSet, KeySpec};
use josecraft::jws::{self, JsonJwsBuilder, UnverifiedCompact, UnverifiedJson, VerifierSet};
use josecraft::jwt::{self, Validation};
use josecraft::ParseOptions;
use josecraft::{
    base64url, ClaimsError, Error, HmacKey, JweHeader, JwsHeader, KeySelectionError, Limit,
    SigningKey,
};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use serde_json::json;

use crate::{
    assert_kind, b64, claims, k_ec, k_hs, k_rs, public, raw_token, sign_raw, validation, verify,
    verify_jwt, T,
};

fn replace_part(token: &str, i: usize, bytes: &[u8]) -> String {
    let mut p: Vec<String> = token.split('.').map(str::to_string).collect();
    p[i] = b64(bytes);
    p.join(".")
}

fn part(token: &str, i: usize) -> Vec<u8> {
    base64url::decode(token.split('.').nth(i).unwrap()).unwrap()
}

// ------------------------------------------------------------------ A11

#[test]
fn a11_cbc_hmac_tags_padding_and_lengths() {
    // RFC 7518 Appendix B (CEK split, tags) is a known-answer test in src/crypto/aes.rs;
    // here, the token-level recipe on RFC 7516 A.3 (A128KW + A128CBC-HS256).
    let entry = crate::common::rfc_entry("rfc7516.json", "RFC7516-A.3-A128KW-A128CBC-HS256");
    let jwk = Jwk::from_json(entry["key"].to_string().as_bytes()).unwrap();
    let key = jwk
        .to_symmetric_key(Some(KeyManagementAlgorithm::A128Kw), None)
        .unwrap();
    let token = entry["expected"]["compact"].as_str().unwrap();
    assert!(jwe::decrypt_compact(token, &key).is_ok());
    let tag = part(token, 4);
    // Wrong tag lengths are refused before any key is used.
    for len in [1usize, 8, 15] {
        assert_kind!(
            jwe::decrypt_compact(&replace_part(token, 4, &tag[..len]), &key),
            Error::Malformed { .. }
        );
    }
    for extra in [1usize, 16] {
        let longer = [tag.clone(), vec![0; extra]].concat();
        assert_kind!(
            jwe::decrypt_compact(&replace_part(token, 4, &longer), &key),
            Error::Malformed { .. }
        );
    }
    // Bad padding (last ciphertext block changed) and good padding with a bad tag: the
    // same error, because the tag is checked first over the whole input.
    let ct = part(token, 3);
    let mut bad_padding = ct.clone();
    let n = bad_padding.len();
    bad_padding[n - 1] ^= 0xff;
    let e1 = jwe::decrypt_compact(&replace_part(token, 3, &bad_padding), &key).unwrap_err();
    let mut bad_tag = tag.clone();
    bad_tag[15] ^= 1;
    let e2 = jwe::decrypt_compact(&replace_part(token, 4, &bad_tag), &key).unwrap_err();
    assert_eq!(e1, Error::DecryptionFailed);
    assert_eq!(e1, e2);
    assert_eq!(e1.to_string(), e2.to_string());
    // IV not 16 bytes: Malformed. Ciphertext not a whole number of blocks, or empty:
    // DecryptionFailed (the tag fails first).
    let iv = part(token, 2);
    assert_kind!(
        jwe::decrypt_compact(&replace_part(token, 2, &iv[..12]), &key),
        Error::Malformed { .. }
    );
    assert_kind!(
        jwe::decrypt_compact(&replace_part(token, 3, &ct[..n - 1]), &key),
        Error::DecryptionFailed
    );
    let empty = format!(
        "{}.{}.{}..{}",
        token.split('.').next().unwrap(),
        b64(part(token, 1)),
        b64(&iv),
        b64(&tag)
    );
    assert_kind!(jwe::decrypt_compact(&empty, &key), Error::DecryptionFailed);
    // A dir key of the wrong length for its enc.
    assert_kind!(
        SymmetricKey::direct(ContentEncryption::A128CbcHs256, &[1; 16]),
        Error::KeyRejected(_)
    );
    assert_kind!(
        SymmetricKey::direct(ContentEncryption::A256CbcHs512, &[1; 32]),
        Error::KeyRejected(_)
    );
}

// ------------------------------------------------------------------ A12

#[test]
fn a12_crit_rules() {
    let key = k_hs();
    // (1) RFC 7515 Appendix E.
    let e = crate::common::rfc_entry("rfc7515.json", "RFC7515-E-crit-negative");
    assert_kind!(
        verify(e["input"]["compact"].as_str().unwrap(), &key),
        Error::Critical(_) | Error::AlgorithmMismatch { .. }
    );
    let crit_only = |header: &str| sign_raw(header, claims().as_bytes(), &key);
    // (2) An extension we do not understand.
    let policy = crit_only(r#"{"alg":"HS256","crit":["x-policy"],"x-policy":"mfa"}"#);
    assert_kind!(verify(&policy, &key), Error::Critical(_));
    assert_kind!(verify_jwt(&policy, &key, &validation()), Error::Critical(_));
    // (3)–(7) Malformed crit lists.
    for header in [
        r#"{"alg":"HS256","crit":[]}"#,
        r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","b64":true,"crit":["b64","b64"]}"#,
        r#"{"alg":"HS256","crit":["x"]}"#,
        r#"{"alg":"HS256","crit":"x","x":1}"#,
        r#"{"alg":"HS256","crit":[1]}"#,
    ] {
        assert_kind!(
            verify(&crit_only(header), &key),
            Error::Critical(_) | Error::Malformed { .. }
        );
    }
    // (8) crit only in the unprotected header of a JSON JWS.
    let input = format!("{}.{}", b64(r#"{"alg":"HS256"}"#), b64("x"));
    let sig = josecraft::jws::Signer::sign(&key, input.as_bytes()).unwrap();
    let json = format!(
        r#"{{"protected":"{}","header":{{"crit":["x"],"x":1}},"payload":"{}","signature":"{}"}}"#,
        b64(r#"{"alg":"HS256"}"#),
        b64("x"),
        b64(sig)
    );
    assert_kind!(
        UnverifiedJson::parse(&json).and_then(|u| u.verify(&key)),
        Error::Critical(_)
    );
    // (9) Positive: b64 (understood) and an extension the caller registers.
    let b64f = sign_raw(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#, b"", &key);
    assert!(verify(&b64f, &key).is_ok());
    let opts = ParseOptions::new().with_critical("x-policy");
    let ok = UnverifiedCompact::parse_with(&policy, &opts).and_then(|u| u.verify(&key));
    assert!(ok.is_ok());
    // JWE and nested: crit applies to the outer JWE too.
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[3; 16]).unwrap();
    let t = jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &k).unwrap();
    let forged = format!(
        "{}.{}",
        b64(r#"{"alg":"A128KW","enc":"A128GCM","crit":["x-policy"],"x-policy":1}"#),
        t.split('.').skip(1).collect::<Vec<_>>().join(".")
    );
    assert_kind!(jwe::decrypt_compact(&forged, &k), Error::Critical(_));
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&forged, &k, &key),
        Error::Critical(_) | Error::Malformed { .. }
    );
}

// ------------------------------------------------------------------ A13

#[test]
fn a13_b64_false_rules() {
    let e = crate::common::rfc_entry("rfc7797.json", "RFC7797-4.2-b64-false");
    let jwk = Jwk::from_json(e["key"].to_string().as_bytes()).unwrap();
    let key = jwk.to_hmac_key(Some(HmacAlgorithm::Hs256)).unwrap();
    let detached = e["expected"]["compact_detached"]
        .as_str()
        .or(e["expected"]["compact"].as_str())
        .unwrap();
    let opts = ParseOptions::default();
    assert_eq!(
        UnverifiedCompact::parse_detached_with(detached, b"$.02", &opts)
            .unwrap()
            .verify(&key)
            .unwrap()
            .payload(),
        b"$.02"
    );
    assert_kind!(
        UnverifiedCompact::parse_detached_with(detached, b"JC4wMg", &opts)
            .and_then(|u| u.verify(&key)),
        Error::InvalidSignature
    );
    let k = k_hs();
    // b64 without crit; b64 of the wrong type.
    assert_kind!(
        verify(&sign_raw(r#"{"alg":"HS256","b64":false}"#, b"x", &k), &k),
        Error::Critical(_) | Error::Malformed { .. }
    );
    assert_kind!(
        verify(
            &sign_raw(r#"{"alg":"HS256","b64":"false","crit":["b64"]}"#, b"x", &k),
            &k
        ),
        Error::Malformed { .. }
    );
    // b64 in the unprotected header of a JSON JWS.
    let input = format!("{}.x", b64(r#"{"alg":"HS256"}"#));
    let sig = josecraft::jws::Signer::sign(&k, input.as_bytes()).unwrap();
    let json = format!(
        r#"{{"protected":"{}","header":{{"b64":false}},"payload":"x","signature":"{}"}}"#,
        b64(r#"{"alg":"HS256"}"#),
        b64(sig)
    );
    assert_kind!(
        UnverifiedJson::parse_with(&json, &opts).and_then(|u| u.verify(&k)),
        Error::Critical(_) | Error::Malformed { .. }
    );
    // Two signatures disagreeing on b64.
    let r = JsonJwsBuilder::new(b"x")
        .sign(&k, &JwsHeader::new(), None)
        .and_then(|b| {
            b.sign(
                &HmacKey::new(HmacAlgorithm::Hs384, &[1; 48]).unwrap(),
                &JwsHeader::new().with_b64(false).with_crit(["b64"]),
                None,
            )
        });
    assert_kind!(r, Error::Critical(_) | Error::Malformed { .. });
    let s0 = josecraft::jws::Signer::sign(
        &k,
        format!("{}.{}", b64(r#"{"alg":"HS256"}"#), b64("x")).as_bytes(),
    )
    .unwrap();
    let s1 = josecraft::jws::Signer::sign(
        &k,
        format!("{}.x", b64(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#)).as_bytes(),
    )
    .unwrap();
    let mixed = json!({"payload": "x", "signatures": [
        {"protected": b64(r#"{"alg":"HS256"}"#), "signature": b64(s0)},
        {"protected": b64(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#), "signature": b64(s1)},
    ]});
    let mixed = mixed.to_string();
    assert_kind!(
        UnverifiedJson::parse_with(&mixed, &opts),
        Error::Critical(_) | Error::Malformed { .. }
    );
    // A non-detached unencoded compact payload containing '.'.
    let dotted = format!(
        "{}.a.b.{}",
        b64(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
        b64([0u8; 32])
    );
    assert_kind!(verify(&dotted, &k), Error::Malformed { .. });
    // No JWT uses b64: false.
    let jwt_b64 = sign_raw(
        r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#,
        claims().as_bytes(),
        &k,
    );
    assert_kind!(
        verify_jwt(&jwt_b64, &k, &validation()),
        Error::Malformed { .. }
    );
}

// ------------------------------------------------------------------ A14

#[test]
fn a14_embedded_keys_are_never_trusted() {
    let server = k_ec();
    let server_pub = public(&server);
    // (1) An attacker's EC key in the header's jwk.
    let attacker = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let header = format!(r#"{{"alg":"ES256","jwk":{}}}"#, attacker.to_jwk().to_json());
    let t = sign_raw(&header, claims().as_bytes(), &attacker);
    assert_kind!(verify(&t, &server_pub), Error::InvalidSignature);
    assert_kind!(
        verify_jwt(&t, &server_pub, &validation()),
        Error::InvalidSignature
    );
    // (2) An embedded oct key.
    let attacker_hs = HmacKey::new(HmacAlgorithm::Hs256, &[0x41; 32]).unwrap();
    let header = format!(
        r#"{{"alg":"HS256","jwk":{{"kty":"oct","k":"{}"}}}}"#,
        b64([0x41u8; 32])
    );
    let t = sign_raw(&header, claims().as_bytes(), &attacker_hs);
    assert_kind!(verify(&t, &k_hs()), Error::InvalidSignature);
    // (3) jku / x5u pointing at a loopback listener: no connection is ever made.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    for member in ["jku", "x5u"] {
        let header = format!(r#"{{"alg":"ES256","{member}":"{url}"}}"#);
        let t = sign_raw(&header, claims().as_bytes(), &attacker);
        assert_kind!(verify(&t, &server_pub), Error::InvalidSignature);
        let set = JwkSet::new().with(server_pub.to_jwk());
        assert_kind!(
            josecraft::keysource::block_on(jwt::verify_async::<serde_json::Value>(
                &t,
                &set,
                &validation()
            )),
            Error::InvalidSignature
        );
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a connection was made"
    );
    // (4) x5c with a self-signed certificate of another key.
    let cert = std::fs::read_to_string(crate::common::vector_path("keys/p256.cert.pem")).unwrap();
    let der: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    let header = format!(r#"{{"alg":"ES256","x5c":["{der}"]}}"#);
    let t = sign_raw(&header, claims().as_bytes(), &attacker);
    assert_kind!(verify(&t, &server_pub), Error::InvalidSignature);
}

// ------------------------------------------------------------------ A15

#[test]
fn a15_kid_injection_and_key_selection() {
    let key = k_hs();
    let set = VerifierSet::new().with(k_hs().with_key_id("k1"));
    for kid in [
        "../../../../dev/null",
        "' OR '1'='1",
        "k1\u{0}",
        "K1",
        "k1 ",
    ] {
        let t = sign_raw(&json!({"alg": "HS256", "kid": kid}).to_string(), b"x", &key);
        assert_kind!(
            verify(&t, &set),
            Error::KeySelection(KeySelectionError::NoKey { .. })
        );
    }
    // Non-string kids: Malformed.
    for kid in ["1", r#"{"a":1}"#, "null", "[\"k1\"]"] {
        let t = sign_raw(&format!(r#"{{"alg":"HS256","kid":{kid}}}"#), b"x", &key);
        assert_kind!(verify(&t, &set), Error::Malformed { .. });
    }
    // An oversized kid: the header length limit.
    let t = sign_raw(
        &json!({"alg": "HS256", "kid": "k".repeat(100_000)}).to_string(),
        b"x",
        &key,
    );
    assert_kind!(
        verify(&t, &set),
        Error::LimitExceeded {
            limit: Limit::HeaderLength,
            ..
        }
    );
    // Two keys with kid "k1": never "the first"; selection reports both.
    let dup = VerifierSet::new().with(k_hs().with_key_id("k1")).with(
        HmacKey::new(HmacAlgorithm::Hs256, &[2; 32])
            .unwrap()
            .with_key_id("k1"),
    );
    let t = sign_raw(r#"{"alg":"HS256","kid":"k1"}"#, b"x", &key);
    assert_kind!(
        verify(&t, &dup),
        Error::KeySelection(KeySelectionError::SeveralKeys { count: 2, .. })
    );
    let jwks = JwkSet::from_json(
        json!({"keys": [
            {"kty": "oct", "kid": "k1", "alg": "HS256", "k": b64(crate::k_hs_secret())},
            {"kty": "oct", "kid": "k1", "alg": "HS256", "k": b64([2u8; 32])},
        ]})
        .to_string()
        .as_bytes(),
    )
    .unwrap();
    assert_kind!(
        verify(&t, &jwks),
        Error::KeySelection(KeySelectionError::SeveralKeys { .. })
    );
    // No kid against 1 000 keys: one selection, never a loop over every key.
    let mut many = VerifierSet::new();
    for i in 0..1000u32 {
        let mut secret = [0u8; 32];
        secret[..4].copy_from_slice(&i.to_be_bytes());
        many.insert(
            HmacKey::new(HmacAlgorithm::Hs256, &secret)
                .unwrap()
                .with_key_id(format!("k{i}")),
        );
    }
    let t = sign_raw(r#"{"alg":"HS256"}"#, b"x", &key);
    assert_kind!(
        verify(&t, &many),
        Error::KeySelection(KeySelectionError::SeveralKeys { count: 1000, .. })
    );
}

// ------------------------------------------------------------------ A16

#[test]
fn a16_duplicate_members_anywhere() {
    let key = k_hs();
    for header in [
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","kid":"a","kid":"b"}"#,
        r#"{"alg":"HS256","\u0061lg":"none"}"#,
        r#"{"alg":"HS256","x":{"a":1,"a":2}}"#,
    ] {
        assert_kind!(
            verify(&sign_raw(header, b"x", &key), &key),
            Error::Malformed { .. }
        );
    }
    for claims in [
        format!(r#"{{"sub":"user","sub":"admin","exp":{}}}"#, T + 60),
        format!(r#"{{"exp":1,"exp":{}}}"#, T + 60),
        format!(r#"{{"exp":{},"cnf":{{"jkt":"a","jkt":"b"}}}}"#, T + 60),
        format!(r#"{{"exp":{},"s\u0075b":"a","sub":"b"}}"#, T + 60),
    ] {
        let t = sign_raw(r#"{"alg":"HS256"}"#, claims.as_bytes(), &key);
        assert_kind!(verify_jwt(&t, &key, &validation()), Error::Malformed { .. });
    }
    // JWE protected header and JWK too.
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[3; 16]).unwrap();
    let t = jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &k).unwrap();
    let forged = format!(
        "{}.{}",
        b64(r#"{"alg":"A128KW","enc":"A128GCM","enc":"A256GCM"}"#),
        t.split('.').skip(1).collect::<Vec<_>>().join(".")
    );
    assert_kind!(jwe::decrypt_compact(&forged, &k), Error::Malformed { .. });
    assert_kind!(
        Jwk::from_json(br#"{"kty":"oct","k":"AAAA","k":"BBBB"}"#),
        Error::Malformed { .. }
    );
}

// ------------------------------------------------------------------ A17

#[test]
fn a17_non_canonical_base64url() {
    let key = k_hs();
    let t = sign_raw(r#"{"alg":"HS256"}"#, b"payload!", &key);
    assert!(verify(&t, &key).is_ok());
    let parts: Vec<&str> = t.split('.').collect();
    let mut bad = Vec::new();
    for i in 0..3 {
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        p[i].push('=');
        bad.push(p.join("."));
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        p[i].insert_str(2, "\r\n");
        bad.push(p.join("."));
        // One more character: a length ≡ 1 (mod 4) is malformed, another length a changed
        // value (then the signature fails).
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        p[i].push('A');
        let longer = p.join(".");
        if p[i].len() % 4 == 1 {
            bad.push(longer);
        } else {
            assert_kind!(
                verify(&longer, &key),
                Error::Malformed { .. } | Error::InvalidSignature
            );
        }
    }
    // + and / in place of - and _.
    let with_std = t.replace('-', "+").replace('_', "/");
    if with_std != t {
        bad.push(with_std);
    }
    // Only the unused trailing bits differ: "AB" vs "AA" for one byte.
    let one_byte = sign_raw(r#"{"alg":"HS256"}"#, b"\0", &key);
    let p: Vec<&str> = one_byte.split('.').collect();
    assert_eq!(p[1], "AA");
    bad.push(format!("{}.AB.{}", p[0], p[2]));
    for token in &bad {
        assert_kind!(verify(token, &key), Error::Malformed { .. });
    }
    // An empty payload part is the empty payload (RFC 7515 allows it): verifying it checks
    // the signature over the empty payload.
    let empty = sign_raw(r#"{"alg":"HS256"}"#, b"", &key);
    assert_eq!(verify(&empty, &key).unwrap(), b"");
    let stripped = format!("{}..{}", parts[0], parts[2]);
    assert_kind!(verify(&stripped, &key), Error::InvalidSignature);
}

// ------------------------------------------------------------------ A18

#[test]
fn a18_jws_jwe_and_nesting_confusion() {
    let rs = k_rs();
    let rs_pub = public(&rs);
    // (1) A JWE encrypted to the issuer's public key, given to the JWS/JWT verifiers.
    let mut as_json: serde_json::Value = serde_json::from_str(&rs_pub.to_jwk().to_json()).unwrap();
    as_json.as_object_mut().unwrap().remove("alg");
    let ek = Jwk::from_json(as_json.to_string().as_bytes())
        .unwrap()
        .to_encryption_key(Some(AsymmetricKeyManagement::RsaOaep))
        .unwrap();
    let jwe_token = jwe::encrypt_compact(
        &JweHeader::new(),
        br#"{"sub":"admin"}"#,
        ContentEncryption::A256Gcm,
        &ek,
    )
    .unwrap();
    assert_kind!(verify(&jwe_token, &rs_pub), Error::Malformed { .. });
    assert_kind!(
        verify_jwt(&jwe_token, &rs_pub, &validation()),
        Error::Malformed { .. }
    );
    // (2) RFC 7519 A.2's nested JWT to the JWS-only API.
    let a2 = crate::common::rfc_entry("rfc7519.json", "RFC7519-A.2-nested");
    let nested = a2["input"]["compact"]
        .as_str()
        .or(a2["expected"]["compact"].as_str())
        .unwrap();
    assert_kind!(
        verify_jwt(nested, &rs_pub, &validation()),
        Error::Malformed { .. }
    );
    // (3) Nested with an inner alg none, or signed by an attacker.
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[5; 16]).unwrap();
    let none_inner = raw_token(r#"{"alg":"none"}"#, claims().as_bytes(), b"");
    let t = jwt::encrypt_nested(
        &none_inner,
        &JweHeader::new(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&t, &k, &rs_pub),
        Error::AlgorithmMismatch { .. }
    );
    let attacker = SigningKey::generate_rsa(RsaAlgorithm::Rs256, 2048).unwrap();
    let forged_inner = sign_raw(r#"{"alg":"RS256"}"#, claims().as_bytes(), &attacker);
    let t = jwt::encrypt_nested(
        &forged_inner,
        &JweHeader::new(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&t, &k, &rs_pub),
        Error::InvalidSignature
    );
    // (4) A JWE without cty whose plaintext is a JWS is not unwrapped: decryption gives the
    // bytes; the JWT API does not treat them as verified claims.
    let good_inner = sign_raw(r#"{"alg":"RS256"}"#, claims().as_bytes(), &rs);
    let plain = jwe::encrypt_compact(
        &JweHeader::new(),
        good_inner.as_bytes(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    assert_eq!(
        jwe::decrypt_compact(&plain, &k).unwrap().plaintext(),
        good_inner.as_bytes()
    );
    assert_kind!(
        jwt::decrypt::<serde_json::Value>(&plain, &k, &validation()),
        Error::Malformed { .. }
    );
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&plain, &k, &rs_pub),
        Error::Malformed { .. }
    );
    // (5) Depth 3: JWE(JWE(JWS)) is refused (the inner layer must be a JWS).
    let inner_jwe = jwt::encrypt_nested(
        &good_inner,
        &JweHeader::new(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    let outer = jwe::encrypt_compact(
        &JweHeader::new().with_cty("JWT"),
        inner_jwe.as_bytes(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&outer, &k, &rs_pub),
        Error::Malformed { .. }
    );
    // (6) cty "jwt" in lower case is a nested JWT.
    let lower = jwe::encrypt_compact(
        &JweHeader::new().with_cty("jwt"),
        good_inner.as_bytes(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    assert!(crate::catalogue_a01_a10::jwt_nested(&lower, &k, &rs_pub).is_ok());
    // And a JWS given to the JWE API.
    assert_kind!(
        jwe::decrypt_compact(&good_inner, &k),
        Error::Malformed { .. }
    );
    assert_kind!(
        EncryptedCompact::parse(&good_inner),
        Error::Malformed { .. }
    );
}

// ------------------------------------------------------------------ A19

#[test]
fn a19_json_serialization_confusion() {
    let k1 = k_hs().with_key_id("k1");
    let admin = HmacKey::new(HmacAlgorithm::Hs256, &[9; 32])
        .unwrap()
        .with_key_id("admin-key");
    let set = VerifierSet::new().with(k1.clone()).with(admin);
    let payload = b64("x");
    let p0 = b64(r#"{"alg":"HS256","kid":"admin-key"}"#);
    let p1 = b64(r#"{"alg":"HS256","kid":"k1"}"#);
    let s1 = josecraft::jws::Signer::sign(&k1, format!("{p1}.{payload}").as_bytes()).unwrap();
    let general = json!({"payload": payload, "signatures": [
        {"protected": p0, "signature": b64([0u8; 32])},
        {"protected": p1, "signature": b64(s1)},
    ]})
    .to_string();
    // (1) Only the signature that verified is reported, with its own header.
    let report = UnverifiedJson::parse(&general)
        .unwrap()
        .verify_each(&set)
        .unwrap();
    assert_eq!(report.verified().header().kid(), Some("k1"));
    assert!(report.outcomes()[0].result.is_err() && report.outcomes()[1].result.is_ok());
    assert!(!report.all_verified());
    // (2) alg only in the unprotected header is accepted (RFC 7515, RFC 7520 §4.7), and
    // still bound to the key: another alg there is refused.
    let s = josecraft::jws::Signer::sign(&k1, format!(".{payload}").as_bytes()).unwrap();
    let flat =
        json!({"header": {"alg": "HS256"}, "payload": payload, "signature": b64(&s)}).to_string();
    assert!(UnverifiedJson::parse(&flat).unwrap().verify(&k1).is_ok());
    let flat_none =
        json!({"header": {"alg": "none"}, "payload": payload, "signature": ""}).to_string();
    assert_kind!(
        UnverifiedJson::parse(&flat_none).and_then(|u| u.verify(&k1)),
        Error::AlgorithmMismatch { .. }
    );
    // (3) The same member in both headers.
    let both = json!({"protected": b64(r#"{"alg":"HS256"}"#), "header": {"alg": "none"}, "payload": payload, "signature": ""}).to_string();
    assert_kind!(UnverifiedJson::parse(&both), Error::Malformed { .. });
    // (4) "ALG" is just an unknown member, never an alias of alg.
    let p = b64(r#"{"alg":"HS256"}"#);
    let s = josecraft::jws::Signer::sign(&k1, format!("{p}.{payload}").as_bytes()).unwrap();
    let upper = json!({"protected": p, "header": {"ALG": "none"}, "payload": payload, "signature": b64(&s)}).to_string();
    let v = UnverifiedJson::parse(&upper).unwrap().verify(&k1).unwrap();
    assert_eq!(v.header().alg(), Some("HS256"));
    // (5) Polyglots and JSON given to the compact API.
    let compact = sign_raw(r#"{"alg":"HS256"}"#, b"orig", &k1);
    let c: Vec<&str> = compact.split('.').collect();
    let polyglot =
        json!({"protected": c[0], "payload": b64("forged"), "signature": c[2]}).to_string();
    assert_kind!(verify(&polyglot, &k1), Error::Malformed { .. });
    assert_kind!(
        UnverifiedJson::parse(&polyglot).and_then(|u| u.verify(&k1)),
        Error::InvalidSignature
    );
    assert_kind!(verify(&format!(" {compact}"), &k1), Error::Malformed { .. });
    assert_kind!(
        verify(&format!("{compact}\n"), &k1),
        Error::Malformed { .. }
    );
    assert_kind!(
        verify_jwt(&general, &set, &validation()),
        Error::Malformed { .. }
    );
    // (6) JSON without payload and no payload given.
    let detached = json!({"protected": p1, "signature": b64([0u8; 32])}).to_string();
    assert_kind!(UnverifiedJson::parse(&detached), Error::Malformed { .. });
    let _ = jws::verify_compact;
}

// ------------------------------------------------------------------ A20

#[test]
fn a20_audience_one_or_many() {
    let key = k_hs();
    let v = Validation::any_issuer()
        .audience("api")
        .with_clock(josecraft::jwt::FixedClock(
            josecraft::jwt::NumericDate::from_unix(T).unwrap(),
        ));
    let tok = |aud: Option<&str>| {
        let claims = match aud {
            Some(a) => format!(r#"{{"exp":{},"aud":{a}}}"#, T + 60),
            None => format!(r#"{{"exp":{}}}"#, T + 60),
        };
        sign_raw(r#"{"alg":"HS256"}"#, claims.as_bytes(), &key)
    };
    for ok in [r#""api""#, r#"["x","api"]"#] {
        assert!(verify_jwt(&tok(Some(ok)), &key, &v).is_ok(), "{ok}");
    }
    for bad in [
        r#"["x"]"#,
        "[]",
        r#""""#,
        r#""API""#,
        r#""api ""#,
        r#""https://api""#,
        r#""ap""#,
    ] {
        assert_kind!(
            verify_jwt(&tok(Some(bad)), &key, &v),
            Error::Claims(ClaimsError::Audience { .. })
        );
    }
    for wrong_type in [r#"["api",1]"#, "1", r#"{"api":true}"#, "null"] {
        assert_kind!(
            verify_jwt(&tok(Some(wrong_type)), &key, &v),
            Error::Claims(ClaimsError::WrongType(_))
        );
    }
    assert_kind!(
        verify_jwt(&tok(None), &key, &v),
        Error::Claims(ClaimsError::Missing(_))
    );
    // A token with aud when the caller named none.
    assert_kind!(
        verify_jwt(&tok(Some(r#""api""#)), &key, &validation()),
        Error::Claims(ClaimsError::Audience { .. })
    );
    let _ = KeySpec::P256;
}
