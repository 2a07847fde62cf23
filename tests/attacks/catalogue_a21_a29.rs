//! SECURITY.md A21–A29, and the limits (DESIGN.md rule 3) at and above each bound.

use josecraft::jwe::{self, EncryptedJson, JweJsonBuilder, SymmetricKey};
use josecraft::jwk::{Jwk, JwkSet, KeySpec};
use josecraft::jws::{self, JsonJwsBuilder, UnverifiedCompact, UnverifiedJson};
use josecraft::jwt::{self, Claims, FixedClock, NumericDate, Validation, MAX_LEEWAY};
use josecraft::ContentEncryption;
use josecraft::ParseOptions;
use josecraft::{
    dangerous, Claim, ClaimsError, Error, HmacKey, JweHeader, JwsHeader, Limit, Limits,
};
use josecraft::{HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement};
use serde_json::json;
use std::time::Duration;

use crate::{
    assert_kind, b64, k_ec, k_hs, public, raw_token, sign_raw, validation, verify, verify_jwt, T,
};

fn at(t: i64) -> FixedClock {
    FixedClock(NumericDate::from_unix(t).unwrap())
}

fn hs(claims: &str) -> String {
    sign_raw(r#"{"alg":"HS256"}"#, claims.as_bytes(), &k_hs())
}

// ------------------------------------------------------------------ A21

#[test]
fn a21_issuer_exact_match() {
    let key = k_hs();
    let v = Validation::issuer("https://idp.example")
        .no_audience()
        .with_clock(at(T));
    let tok = |iss: &str| hs(&format!(r#"{{"exp":{},"iss":{iss}}}"#, T + 60));
    assert!(verify_jwt(&tok(r#""https://idp.example""#), &key, &v).is_ok());
    for bad in [
        r#""https://idp.example.evil""#,
        r#""https://idp.exampl""#,
        r#""idp.example""#,
        r#""https://IDP.example""#,
        r#""https://idp.example/""#,
    ] {
        assert_kind!(
            verify_jwt(&tok(bad), &key, &v),
            Error::Claims(ClaimsError::Issuer { .. })
        );
    }
    for wrong_type in [r#"["https://idp.example"]"#, "1", "null"] {
        assert_kind!(
            verify_jwt(&tok(wrong_type), &key, &v),
            Error::Claims(ClaimsError::WrongType(Claim::Iss))
        );
    }
    // sub likewise.
    let v = v.with_subject("ada");
    let t = hs(&format!(
        r#"{{"exp":{},"iss":"https://idp.example","sub":"adam"}}"#,
        T + 60
    ));
    assert_kind!(
        verify_jwt(&t, &key, &v),
        Error::Claims(ClaimsError::Subject { .. })
    );
}

// ------------------------------------------------------------------ A22

#[test]
fn a22_time_claim_types_and_ranges() {
    let key = k_hs();
    let v = validation();
    let check = |claims: String| verify_jwt(&hs(&claims), &key, &v);
    for exp in [r#""1""#, "null", "true", "[1]", r#"{"t":1}"#] {
        assert_kind!(
            check(format!(r#"{{"exp":{exp}}}"#)),
            Error::Claims(ClaimsError::WrongType(Claim::Exp))
        );
    }
    assert_kind!(
        check(format!(r#"{{"exp":{},"nbf":"99999999999"}}"#, T + 60)),
        Error::Claims(ClaimsError::WrongType(Claim::Nbf))
    );
    assert_kind!(
        check(r#"{"exp":-1}"#.into()),
        Error::Claims(ClaimsError::Expired { .. })
    );
    // A float in the past (1.6e9; the recipe's 1.7e9 is exactly T here, inside the leeway).
    assert_kind!(
        check(r#"{"exp":1.6e9}"#.into()),
        Error::Claims(ClaimsError::Expired { .. })
    );
    assert!(check(r#"{"exp":1.7e9}"#.into()).is_ok());
    for out_of_range in [
        "-9223372036854775809",
        "9223372036854775807",
        "18446744073709551616",
        "1e300",
    ] {
        assert_kind!(
            check(format!(r#"{{"exp":{out_of_range}}}"#)),
            Error::Claims(ClaimsError::OutOfRange(Claim::Exp))
        );
    }
    // A number serde_json cannot represent at all.
    assert_kind!(
        check(r#"{"exp":1e400}"#.into()),
        Error::Malformed { .. }
            | Error::Claims(ClaimsError::OutOfRange(_) | ClaimsError::WrongType(_))
    );
    assert!(
        check(format!(r#"{{"exp":{T}.5}}"#)).is_ok(),
        "fractional exp after now"
    );
    assert_kind!(
        check(format!(r#"{{"exp":{},"iat":{}}}"#, T + 7200, T + 3600)),
        Error::Claims(ClaimsError::IssuedInFuture { .. })
    );
    assert!(check(format!(r#"{{"exp":{},"nbf":{}}}"#, T + 60, T + 30)).is_ok());
    let strict = validation().with_leeway(Duration::ZERO);
    assert_kind!(
        verify_jwt(
            &hs(&format!(r#"{{"exp":{},"nbf":{}}}"#, T + 60, T + 30)),
            &key,
            &strict
        ),
        Error::Claims(ClaimsError::NotYetValid { .. })
    );
    assert_kind!(
        check(r#"{"sub":"x"}"#.into()),
        Error::Claims(ClaimsError::Missing(Claim::Exp))
    );
}

// ------------------------------------------------------------------ A23

#[test]
fn a23_leeway_edges_and_bounds() {
    let key = k_hs();
    let v = validation();
    let exp = |e: i64| verify_jwt(&hs(&format!(r#"{{"exp":{e}}}"#)), &key, &v);
    assert!(exp(T - 59).is_ok());
    // Convention: with leeway L, a token is accepted while now < exp + L.
    assert_kind!(exp(T - 60), Error::Claims(ClaimsError::Expired { .. }));
    assert_kind!(exp(T - 61), Error::Claims(ClaimsError::Expired { .. }));
    let nbf = |n: i64| {
        verify_jwt(
            &hs(&format!(r#"{{"exp":{},"nbf":{n}}}"#, T + 600)),
            &key,
            &v,
        )
    };
    assert!(nbf(T + 59).is_ok());
    assert!(nbf(T + 60).is_ok());
    assert_kind!(nbf(T + 61), Error::Claims(ClaimsError::NotYetValid { .. }));
    // Leeway cannot be negative (a std Duration); an enormous one is held to MAX_LEEWAY.
    let huge = validation().with_leeway(Duration::MAX);
    let day = MAX_LEEWAY.as_secs() as i64;
    assert!(verify_jwt(&hs(&format!(r#"{{"exp":{}}}"#, T - day + 1)), &key, &huge).is_ok());
    assert_kind!(
        verify_jwt(&hs(&format!(r#"{{"exp":{}}}"#, T - day - 1)), &key, &huge),
        Error::Claims(ClaimsError::Expired { .. })
    );
    assert_eq!(jwt::DEFAULT_LEEWAY, Duration::from_secs(60));
}

// ------------------------------------------------------------------ A24

#[test]
fn a24_mac_comparison_does_not_leak() {
    // HS* verification goes through ring::hmac::verify and CBC-HS tags through
    // subtle::ConstantTimeEq (src/crypto/hmac.rs, src/crypto/aes.rs); both compare in
    // constant time. A timing test would be a timed test (not allowed here); what can be
    // checked is the behaviour: only the length may short-circuit, and every wrong
    // signature, wherever it differs, gives the same error.
    let key = k_hs();
    let t = hs("{}");
    let sig = josecraft::base64url::decode(t.rsplit('.').next().unwrap()).unwrap();
    let head = t.rsplit_once('.').unwrap().0.to_string();
    let mut errors = Vec::new();
    for i in [0usize, 15, 31] {
        let mut s = sig.clone();
        s[i] ^= 1;
        errors.push(verify(&format!("{head}.{}", b64(&s)), &key).unwrap_err());
    }
    for len in [0usize, 16, 31, 33, 64] {
        let mut s = sig.clone();
        s.resize(len, 0);
        errors.push(verify(&format!("{head}.{}", b64(&s)), &key).unwrap_err());
    }
    assert!(
        errors.iter().all(|e| *e == Error::InvalidSignature),
        "{errors:?}"
    );
}

// ------------------------------------------------------------------ A25

#[test]
fn a25_weak_keys_refused() {
    // Wycheproof json_web_key_test.json runs in tests/jwk.rs; the recipe's extras:
    assert_kind!(
        HmacKey::new(HmacAlgorithm::Hs256, &[1; 31]),
        Error::KeyRejected(_)
    );
    assert!(HmacKey::new(HmacAlgorithm::Hs256, &[1; 32]).is_ok());
    assert_kind!(
        HmacKey::new(HmacAlgorithm::Hs512, &[1; 63]),
        Error::KeyRejected(_)
    );
    assert!(HmacKey::new(HmacAlgorithm::Hs512, &[1; 64]).is_ok());
    assert_kind!(
        HmacKey::new(HmacAlgorithm::Hs256, b"secret"),
        Error::KeyRejected(_)
    );
    // AES keys of the wrong length for key wrapping.
    assert_kind!(
        SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[1; 32]),
        Error::KeyRejected(_)
    );
    assert_kind!(
        SymmetricKey::new(SymmetricKeyManagement::A256GcmKw, &[1; 16]),
        Error::KeyRejected(_)
    );
    // JWK alg and curve that disagree; wrong kty for the alg.
    let p384 = Jwk::generate(KeySpec::P384).unwrap().with_alg("ES256");
    assert_kind!(p384.to_signing_key(None), Error::KeyRejected(_));
    let oct = HmacKey::new(HmacAlgorithm::Hs256, &[1; 32])
        .unwrap()
        .to_secret_jwk();
    assert_kind!(
        oct.to_verifying_key(Some(SignatureAlgorithm::Rs256)),
        Error::KeyRejected(_)
    );
    // use "enc" or key_ops without verify: not for signatures.
    let ec = public(&k_ec()).to_jwk();
    let enc_use = ec.clone().with_use("enc");
    assert_kind!(enc_use.to_verifying_key(None), Error::KeyRejected(_));
    let ops = ec.clone().with_key_ops(["encrypt"]);
    assert_kind!(ops.to_verifying_key(None), Error::KeyRejected(_));
    let set = JwkSet::new().with(enc_use).with(ops);
    let t = sign_raw(r#"{"alg":"ES256"}"#, b"x", &k_ec());
    assert_kind!(verify(&t, &set), Error::KeySelection(_));
    // An off-curve EC JWK is refused when validated or used.
    let bad = Jwk::from_json(
        json!({"kty": "EC", "crv": "P-256", "x": b64([1u8; 32]), "y": b64([2u8; 32])})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_kind!(bad.validate(), Error::KeyRejected(_));
    assert_kind!(
        bad.to_verifying_key(Some(SignatureAlgorithm::Es256)),
        Error::KeyRejected(_)
    );
}

// ------------------------------------------------------------------ A26 + limits

#[test]
fn a26_huge_tokens_many_parts_deep_json() {
    let key = k_hs();
    let max = Limits::default().max_token_len();
    // 1 MB of dots, and one more byte: the length is checked before anything else.
    assert_kind!(
        verify(&".".repeat(max + 1), &key),
        Error::LimitExceeded {
            limit: Limit::TokenLength,
            ..
        }
    );
    assert_kind!(verify(&".".repeat(max), &key), Error::Malformed { .. });
    assert_kind!(verify(&".".repeat(100_000), &key), Error::Malformed { .. });
    // A 10 MB header.
    let big = format!("{}.e30.AA", "e".repeat(10_000_000));
    assert_kind!(
        verify(&big, &key),
        Error::LimitExceeded {
            limit: Limit::TokenLength,
            ..
        }
    );
    assert_kind!(
        dangerous::decode_unverified(&big),
        Error::LimitExceeded { .. }
    );
    assert_kind!(dangerous::inspect(&big), Error::LimitExceeded { .. });
    // Deep claims: refused before any recursive parse (no stack overflow).
    let deep = format!(
        r#"{{"exp":{},"a":{}1{}}}"#,
        T + 60,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_kind!(
        verify_jwt(&hs(&deep), &key, &validation()),
        Error::LimitExceeded {
            limit: Limit::JsonDepth,
            ..
        }
    );
    let deep_header = format!(
        r#"{{"alg":"HS256","x":{}1{}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_kind!(
        verify(&sign_raw(&deep_header, b"x", &key), &key),
        Error::LimitExceeded { .. }
    );
    let deep_key = format!(
        r#"{{"kty":"oct","k":"AAAA","x":{}1{}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_kind!(
        Jwk::from_json(deep_key.as_bytes()),
        Error::LimitExceeded {
            limit: Limit::JsonDepth,
            ..
        }
    );
    // A 100 000-digit number.
    let digits = format!(r#"{{"exp":{},"n":{}}}"#, T + 60, "9".repeat(100_000));
    assert!(verify_jwt(&hs(&digits), &key, &validation()).is_err());
    // A header with 10 000 members: over the header length limit.
    let members: Vec<String> = (0..10_000).map(|i| format!(r#""m{i}":1"#)).collect();
    let wide = format!(r#"{{"alg":"HS256",{}}}"#, members.join(","));
    assert_kind!(
        verify(&sign_raw(&wide, b"x", &key), &key),
        Error::LimitExceeded {
            limit: Limit::HeaderLength,
            ..
        }
    );
    // 10 000 signatures / recipients.
    let sigs: Vec<serde_json::Value> = (0..10_000)
        .map(|_| json!({"protected": b64(r#"{"alg":"HS256"}"#), "signature": "AA"}))
        .collect();
    let many = json!({"payload": "e30", "signatures": sigs}).to_string();
    assert_kind!(
        UnverifiedJson::parse(&many),
        Error::LimitExceeded {
            limit: Limit::Signatures,
            ..
        }
    );
    let recips: Vec<serde_json::Value> = (0..10_000)
        .map(|_| json!({"encrypted_key": "AA"}))
        .collect();
    let many =
        json!({"protected": b64(r#"{"alg":"A128KW","enc":"A128GCM"}"#), "recipients": recips,
        "iv": b64([0u8; 12]), "ciphertext": "AA", "tag": b64([0u8; 16])})
        .to_string();
    assert_kind!(
        EncryptedJson::parse(&many),
        Error::LimitExceeded {
            limit: Limit::Recipients,
            ..
        }
    );
}

#[test]
fn limits_at_and_above_each_bound() {
    let key = k_hs();
    // Token length: a token of exactly the limit is judged on its merits; one more byte is not.
    let base = sign_raw(r#"{"alg":"HS256"}"#, b"", &key);
    let limits = Limits::default().with_max_token_len(base.len());
    let opts = ParseOptions::new().with_limits(limits.clone());
    assert!(UnverifiedCompact::parse_with(&base, &opts).is_ok());
    let tight =
        ParseOptions::new().with_limits(Limits::default().with_max_token_len(base.len() - 1));
    assert_kind!(UnverifiedCompact::parse_with(&base, &tight), Error::LimitExceeded { limit: Limit::TokenLength, max } if *max == (base.len() - 1) as u64);
    // Header length (decoded bytes).
    let header = r#"{"alg":"HS256","kid":"0123456789"}"#;
    let t = sign_raw(header, b"x", &key);
    let at = ParseOptions::new().with_limits(Limits::default().with_max_header_len(header.len()));
    assert!(UnverifiedCompact::parse_with(&t, &at).is_ok());
    let below =
        ParseOptions::new().with_limits(Limits::default().with_max_header_len(header.len() - 1));
    assert_kind!(
        UnverifiedCompact::parse_with(&t, &below),
        Error::LimitExceeded {
            limit: Limit::HeaderLength,
            ..
        }
    );
    // JSON depth: an object at depth d needs a limit of at least d.
    let nested = |d: usize| {
        format!(
            r#"{{"alg":"HS256","x":{}1{}}}"#,
            "[".repeat(d - 1),
            "]".repeat(d - 1)
        )
    };
    let t = sign_raw(&nested(5), b"x", &key);
    let ok = ParseOptions::new().with_limits(Limits::default().with_max_json_depth(5));
    assert!(UnverifiedCompact::parse_with(&t, &ok).is_ok());
    let no = ParseOptions::new().with_limits(Limits::default().with_max_json_depth(4));
    assert_kind!(
        UnverifiedCompact::parse_with(&t, &no),
        Error::LimitExceeded {
            limit: Limit::JsonDepth,
            ..
        }
    );
    // Signatures per JSON JWS.
    let mut b = JsonJwsBuilder::new(b"x");
    for _ in 0..3 {
        b = b.sign(&key, &JwsHeader::new(), None).unwrap();
    }
    let three = b.general().unwrap();
    let at = ParseOptions::new().with_limits(Limits::default().with_max_signatures(3));
    assert!(UnverifiedJson::parse_with(&three, &at).is_ok());
    let below = ParseOptions::new().with_limits(Limits::default().with_max_signatures(2));
    assert_kind!(
        UnverifiedJson::parse_with(&three, &below),
        Error::LimitExceeded {
            limit: Limit::Signatures,
            max: 2
        }
    );
    // Recipients per JSON JWE.
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[1; 16]).unwrap();
    let mut jb = JweJsonBuilder::new(ContentEncryption::A128Gcm);
    for _ in 0..3 {
        jb = jb.with_recipient(&k, None);
    }
    let three = jb.general(b"x").unwrap();
    let at = ParseOptions::new().with_limits(Limits::default().with_max_recipients(3));
    assert!(EncryptedJson::parse_with(&three, &at).is_ok());
    let below = ParseOptions::new().with_limits(Limits::default().with_max_recipients(2));
    assert_kind!(
        EncryptedJson::parse_with(&three, &below),
        Error::LimitExceeded {
            limit: Limit::Recipients,
            max: 2
        }
    );
    // Key-set size.
    let set = json!({"keys": (0..3).map(|i| json!({"kty": "oct", "kid": format!("k{i}"), "k": b64([1u8; 32])})).collect::<Vec<_>>()}).to_string();
    assert!(JwkSet::from_json_with(set.as_bytes(), &Limits::default().with_max_keys(3)).is_ok());
    assert_kind!(
        JwkSet::from_json_with(set.as_bytes(), &Limits::default().with_max_keys(2)),
        Error::LimitExceeded {
            limit: Limit::KeySetSize,
            max: 2
        }
    );
    // Key length (a JWK's JSON text).
    let jwk = json!({"kty": "oct", "k": b64([1u8; 32])}).to_string();
    assert!(Jwk::from_json_with(
        jwk.as_bytes(),
        &Limits::default().with_max_key_len(jwk.len())
    )
    .is_ok());
    assert_kind!(
        Jwk::from_json_with(
            jwk.as_bytes(),
            &Limits::default().with_max_key_len(jwk.len() - 1)
        ),
        Error::LimitExceeded {
            limit: Limit::KeyLength,
            ..
        }
    );
    // PBES2 count and decompressed size: a08 and a10 test the defaults at and above.
    let password =
        SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"password").unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &password,
    )
    .unwrap();
    let at = ParseOptions::new()
        .with_limits(Limits::default().with_max_pbes2_count(josecraft::jwe::DEFAULT_PBES2_COUNT));
    assert!(josecraft::jwe::EncryptedCompact::parse_with(&t, &at)
        .and_then(|e| e.decrypt(&password))
        .is_ok());
    let below = ParseOptions::new().with_limits(
        Limits::default().with_max_pbes2_count(josecraft::jwe::DEFAULT_PBES2_COUNT - 1),
    );
    assert_kind!(
        josecraft::jwe::EncryptedCompact::parse_with(&t, &below).and_then(|e| e.decrypt(&password)),
        Error::LimitExceeded {
            limit: Limit::Pbes2Count,
            ..
        }
    );
    let z = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &[b'z'; 1000],
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    let at = ParseOptions::new().with_limits(Limits::default().with_max_decompressed_len(1000));
    assert!(josecraft::jwe::EncryptedCompact::parse_with(&z, &at)
        .and_then(|e| e.decrypt(&k))
        .is_ok());
    let below = ParseOptions::new().with_limits(Limits::default().with_max_decompressed_len(999));
    assert_kind!(
        josecraft::jwe::EncryptedCompact::parse_with(&z, &below).and_then(|e| e.decrypt(&k)),
        Error::LimitExceeded {
            limit: Limit::DecompressedSize,
            max: 999
        }
    );
    // The defaults, as documented.
    let d = Limits::default();
    assert_eq!(
        (
            d.max_json_depth(),
            d.max_signatures(),
            d.max_recipients(),
            d.max_pbes2_count(),
            d.max_decompressed_len()
        ),
        (32, 16, 16, 10_000, 250_000)
    );
}

// ------------------------------------------------------------------ A27

#[test]
fn a27_jwe_structure() {
    let kw = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[2; 16]).unwrap();
    let t = jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &kw).unwrap();
    let p: Vec<&str> = t.split('.').collect();
    // Missing parts (with and without separators).
    for bad in [
        p[..4].join("."),
        [&p[..], &["AA"]].concat().join("."),
        format!("{}..{}.{}.{}", p[0], p[2], p[3], p[4]),
        format!("{}.{}..{}.{}", p[0], p[1], p[3], p[4]),
        format!("{}.{}.{}.{}.", p[0], p[1], p[2], p[3]),
        format!(".{}.{}.{}.{}", p[1], p[2], p[3], p[4]),
    ] {
        assert_kind!(
            jwe::decrypt_compact(&bad, &kw),
            Error::Malformed { .. } | Error::DecryptionFailed
        );
    }
    // The wrapped key's first byte flipped: the unwrap integrity check fails.
    let mut ek = josecraft::base64url::decode(p[1]).unwrap();
    ek[0] ^= 1;
    let flipped = format!("{}.{}.{}.{}.{}", p[0], b64(ek), p[2], p[3], p[4]);
    assert_kind!(jwe::decrypt_compact(&flipped, &kw), Error::DecryptionFailed);
    // dir with a non-empty encrypted key.
    let dir = SymmetricKey::direct(ContentEncryption::A128Gcm, &[3; 16]).unwrap();
    let d =
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &dir).unwrap();
    let dp: Vec<&str> = d.split('.').collect();
    assert_eq!(dp[1], "");
    let with_key = format!("{}.{}.{}.{}.{}", dp[0], b64([1u8; 16]), dp[2], dp[3], dp[4]);
    assert_kind!(
        jwe::decrypt_compact(&with_key, &dir),
        Error::Malformed { .. } | Error::DecryptionFailed
    );
    // enc missing from the protected header (compact), or only unprotected (JSON).
    let no_enc = format!("{}.{}", b64(r#"{"alg":"A128KW"}"#), p[1..].join("."));
    assert_kind!(jwe::decrypt_compact(&no_enc, &kw), Error::Malformed { .. });
    let json = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&kw, None)
        .flattened(b"x")
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["protected"] = b64(r#"{"alg":"A128KW"}"#).into();
    v["unprotected"] = json!({"enc": "A128GCM"});
    // Allowed by RFC 7516 (enc may be unprotected), but the protected header changed, so
    // authentication fails.
    assert_kind!(
        EncryptedJson::parse(&v.to_string()).and_then(|e| e.decrypt(&kw)),
        Error::DecryptionFailed
    );
}

// ------------------------------------------------------------------ A28

#[test]
fn a28_nothing_trusted_before_verification() {
    let key = k_hs();
    let good = hs(&format!(r#"{{"sub":"admin","exp":{}}}"#, T + 60));
    let mut s = josecraft::base64url::decode(good.rsplit('.').next().unwrap()).unwrap();
    s[0] ^= 1;
    let forged = format!("{}.{}", good.rsplit_once('.').unwrap().0, b64(s));
    // Every verifying entry point refuses, and returns nothing but the error.
    assert_kind!(verify(&forged, &key), Error::InvalidSignature);
    assert_kind!(jws::verify_compact(&forged, &key), Error::InvalidSignature);
    assert_kind!(
        verify_jwt(&forged, &key, &validation()),
        Error::InvalidSignature
    );
    let set = JwkSet::new().with(k_hs().to_secret_jwk());
    assert_kind!(verify(&forged, &set), Error::InvalidSignature);
    assert_kind!(
        josecraft::keysource::block_on(jwt::verify_async::<serde_json::Value>(
            &forged,
            &set,
            &validation()
        )),
        Error::InvalidSignature
    );
    let json = format!(
        r#"{{"protected":"{}","payload":"{}","signature":"{}"}}"#,
        forged.split('.').next().unwrap(),
        forged.split('.').nth(1).unwrap(),
        forged.split('.').nth(2).unwrap()
    );
    assert_kind!(
        UnverifiedJson::parse(&json).and_then(|u| u.verify(&set)),
        Error::InvalidSignature
    );
    // Before verification, the header is only available wrapped as Untrusted, and claims
    // not at all; reading claims unverified takes a function of `dangerous`.
    let u = UnverifiedCompact::parse(&forged).unwrap();
    let header: &josecraft::Untrusted<JwsHeader> = u.untrusted_header();
    assert_eq!(header.untrusted().alg(), Some("HS256"));
    let (_, payload) = dangerous::decode_unverified(&forged).unwrap();
    assert!(String::from_utf8(payload).unwrap().contains("admin"));
    let _ = Claims::new(());
}

// ------------------------------------------------------------------ A29

#[test]
fn a29_other_findings() {
    let key = k_hs();
    // Unsupported or mis-spelled algorithm names: the key decides; exact names only.
    for alg in ["ES521", "RS1", "HS128", "PS256 ", "hs256", "HS256 "] {
        let t = raw_token(&json!({"alg": alg}).to_string(), b"x", &[0; 32]);
        assert_kind!(verify(&t, &key), Error::AlgorithmMismatch { .. });
    }
    let empty = raw_token(r#"{"alg":""}"#, b"x", &[0; 32]);
    assert_kind!(verify(&empty, &key), Error::Malformed { .. });
    // Header parameter types.
    for header in [
        r#"{"alg":"HS256","typ":1}"#,
        r#"{"alg":"HS256","cty":{}}"#,
        r#"{"alg":"HS256","kid":true}"#,
        r#"{"alg":"HS256","crit":"b64"}"#,
        r#"{"alg":"HS256","x5c":"MIIB"}"#,
        r#"{"alg":"HS256","x5c":["not base64!"]}"#,
        r#"{"alg":"HS256","jku":5}"#,
        r#"{"alg":"HS256","jwk":"key"}"#,
    ] {
        assert_kind!(
            verify(&sign_raw(header, b"x", &key), &key),
            Error::Malformed { .. } | Error::Critical(_)
        );
    }
    let gkw = SymmetricKey::new(SymmetricKeyManagement::A128GcmKw, &[1; 16]).unwrap();
    let t =
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &gkw).unwrap();
    let rest = t.split('.').skip(1).collect::<Vec<_>>().join(".");
    for header in [
        r#"{"alg":"A128GCMKW","enc":"A128GCM","iv":"!!!","tag":"AAAAAAAAAAAAAAAAAAAAAA"}"#,
        r#"{"alg":"A128GCMKW","enc":"A128GCM","iv":7,"tag":"AAAAAAAAAAAAAAAAAAAAAA"}"#,
        r#"{"alg":"A128GCMKW","enc":"A128GCM","iv":"AAAAAAAAAAAAAAAA","tag":["x"]}"#,
        r#"{"alg":"A128GCMKW","enc":7}"#,
    ] {
        let forged = format!("{}.{rest}", b64(header));
        assert_kind!(
            jwe::decrypt_compact(&forged, &gkw),
            Error::Malformed { .. } | Error::Unsupported(_)
        );
    }
    // JWKS handling: inconsistent use/key_ops; unknown kty kept but never selected.
    assert_kind!(
        Jwk::from_json(br#"{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","use":"sig","key_ops":["encrypt"]}"#),
        Error::KeyRejected(_) | Error::Malformed { .. }
    );
    let set = JwkSet::from_json(br#"{"keys":[{"kty":"XYZ","kid":"k"}]}"#).unwrap();
    assert_eq!(set.keys().count(), 0);
    assert_eq!(set.unusable().count(), 1);
    // Cache confusion: josecraft caches prepared keys (JwkSet, RemoteJwks), never
    // verification results, so there is no result cache to confuse.
}

// A helper so that unused-import lints stay quiet when a case moves.
#[allow(dead_code)]
fn _uses() {
    let _ = (Validation::any_issuer(), KeySpec::P256);
}
