//! SECURITY.md A1–A10.

use josecraft::jwe::{
    self, ContentEncryptionKey, EncryptedCompact, EncryptedJson, EncryptionKey, JweJsonBuilder,
    KeyEncryptor, SymmetricKey,
};
use josecraft::jwk::{Jwk, JwkSet, KeySpec};
use josecraft::jws::{UnverifiedJson, VerifierSet};
use josecraft::ParseOptions;
use josecraft::{
    base64url, Error, HmacKey, JweHeader, JwsHeader, Limit, Limits, SigningKey, VerifyingKey,
};
use josecraft::{
    AsymmetricKeyManagement, EdDsaAlgorithm, HmacAlgorithm, RsaAlgorithm, SignatureAlgorithm,
    SymmetricKeyManagement,
};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};

use crate::{
    assert_kind, b64, claims, k_ec, k_hs, k_rs, k_rs_jwk, public, raw_token, sign_raw, validation,
    verify, verify_jwt,
};

// ------------------------------------------------------------------ A1

#[test]
fn a01_alg_none_is_never_accepted() {
    let key = k_hs();
    // 1. The RFC 7519 §6.1 unsecured token, given an HS256 key.
    let rfc = crate::common::rfc_entry("rfc7519.json", "RFC7519-6.1-unsecured");
    let unsecured = rfc["input"]["compact"]
        .as_str()
        .or(rfc["expected"]["compact"].as_str())
        .unwrap()
        .to_string();
    assert_kind!(verify(&unsecured, &key), Error::AlgorithmMismatch { .. });
    assert_kind!(
        verify_jwt(&unsecured, &key, &validation()),
        Error::AlgorithmMismatch { .. }
    );
    // 2. Other spellings.
    for alg in ["none", "None", "NONE", "nOnE"] {
        let t = raw_token(
            &format!(r#"{{"alg":"{alg}"}}"#),
            crate::claims().as_bytes(),
            b"",
        );
        assert_kind!(verify(&t, &key), Error::AlgorithmMismatch { found, .. } if found == alg);
    }
    // 3. `none` with the original HS256 signature kept.
    let valid = sign_raw(r#"{"alg":"HS256"}"#, claims().as_bytes(), &key);
    let sig = valid.rsplit('.').next().unwrap();
    let forged = format!("{}.{}.{sig}", b64(r#"{"alg":"none"}"#), b64(claims()));
    assert_kind!(verify(&forged, &key), Error::AlgorithmMismatch { .. });
    // 4. An empty HMAC key cannot be built.
    assert_kind!(
        HmacKey::new(HmacAlgorithm::Hs256, b""),
        Error::KeyRejected(_)
    );
    assert_kind!(
        Jwk::from_json(br#"{"kty":"oct","k":""}"#)
            .and_then(|j| j.to_hmac_key(Some(HmacAlgorithm::Hs256))),
        Error::KeyRejected(_)
    );
    // 5. No alg, or alg of the wrong JSON type.
    for header in [
        r#"{}"#,
        r#"{"alg":null}"#,
        r#"{"alg":0}"#,
        r#"{"alg":["HS256"]}"#,
    ] {
        let t = sign_raw(header, b"x", &key);
        assert_kind!(verify(&t, &key), Error::Malformed { .. });
    }
    // JSON serialization and the nested-JWT path.
    let json = format!(
        r#"{{"protected":"{}","payload":"{}","signature":""}}"#,
        b64(r#"{"alg":"none"}"#),
        b64(claims())
    );
    assert_kind!(
        UnverifiedJson::parse(&json).and_then(|u| u.verify(&key)),
        Error::AlgorithmMismatch { .. }
    );
    let enc = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[7; 16]).unwrap();
    let inner = raw_token(r#"{"alg":"none"}"#, claims().as_bytes(), b"");
    let nested =
        josecraft::jwt::encrypt_nested(&inner, &JweHeader::new(), ContentEncryption::A128Gcm, &enc)
            .unwrap();
    assert_kind!(
        jwt_nested(&nested, &enc, &key),
        Error::AlgorithmMismatch { .. }
    );
    // Making an unsecured JWS takes the separately named `dangerous` call.
    assert!(josecraft::dangerous::sign_unsecured(&JwsHeader::new(), b"x").is_ok());
}

pub fn jwt_nested(
    token: &str,
    dec: &dyn josecraft::jwe::DecryptorSource,
    ver: &dyn josecraft::jws::VerifierSource,
) -> josecraft::Result<serde_json::Value> {
    josecraft::jwt::decrypt_nested::<serde_json::Map<String, serde_json::Value>>(
        token,
        dec,
        ver,
        &validation(),
    )
    .map(|j| serde_json::Value::Object(j.into_claims().custom))
}

// ------------------------------------------------------------------ A2

#[test]
fn a02_public_key_as_hmac_secret() {
    let rs_pub = public(&k_rs());
    let jwk = rs_pub.to_jwk();
    let n = match k_rs_jwk().params() {
        josecraft::jwk::KeyParams::Rsa { n, .. } => n.clone(),
        _ => unreachable!(),
    };
    let secrets: Vec<(&str, Vec<u8>)> = vec![
        ("PEM SPKI text", jwk.to_spki_pem().unwrap().into_bytes()),
        ("DER SPKI", jwk.to_spki_der().unwrap()),
        ("JWK JSON", jwk.to_json().into_bytes()),
        ("modulus", n),
    ];
    for (what, secret) in &secrets {
        let hmac = HmacKey::new(HmacAlgorithm::Hs256, secret).unwrap();
        let t = sign_raw(r#"{"alg":"HS256"}"#, claims().as_bytes(), &hmac);
        // The RSA key is bound to RS256: the token's HS256 is refused before any crypto.
        assert_kind!(verify(&t, &rs_pub), Error::AlgorithmMismatch { .. });
        // A set holding both an RS256 key and an (unrelated) HS256 key: HS256 selects the
        // HMAC key, which is not the public key's bytes.
        let other = HmacKey::new(HmacAlgorithm::Hs256, &[9; 32]).unwrap();
        let set = VerifierSet::new().with(rs_pub.clone()).with(other);
        assert_kind!(verify(&t, &set), Error::InvalidSignature);
        let _ = what;
    }
    // The same with the EC key and its SEC1 point.
    let ec_pub = public(&k_ec());
    let ec_jwk = ec_pub.to_jwk();
    for secret in [ec_jwk.to_spki_der().unwrap(), ec_jwk.to_json().into_bytes()] {
        let hmac = HmacKey::new(HmacAlgorithm::Hs256, &secret).unwrap();
        let t = sign_raw(r#"{"alg":"HS256"}"#, b"x", &hmac);
        assert_kind!(verify(&t, &ec_pub), Error::AlgorithmMismatch { .. });
    }
    // There is no way to turn a public key into an HMAC key.
    assert_kind!(
        jwk.to_hmac_key(Some(HmacAlgorithm::Hs256)),
        Error::KeyRejected(_)
    );
    // A JWK Set mixing a secret and a public key is refused by default (Wycheproof
    // jws_mixedSymmetryKeyset).
    let set = JwkSet::new()
        .with(
            HmacKey::new(HmacAlgorithm::Hs256, &[1; 32])
                .unwrap()
                .to_secret_jwk(),
        )
        .with(ec_jwk);
    assert_kind!(set.verifier(), Error::KeyRejected(_));
    // The CLI-level case: a PEM public key passed as KEY verifies only RS256.
}

// ------------------------------------------------------------------ A3

fn p256_sig(r: &[u8], s: &[u8]) -> Vec<u8> {
    let pad = |x: &[u8]| {
        let mut v = vec![0u8; 32 - x.len()];
        v.extend_from_slice(x);
        v
    };
    [pad(r), pad(s)].concat()
}

#[test]
fn a03_ecdsa_special_values_and_lengths() {
    let key = k_ec();
    let vk = public(&key);
    let header = r#"{"alg":"ES256"}"#;
    let payload = claims();
    let valid = sign_raw(header, payload.as_bytes(), &key);
    let sig = base64url::decode(valid.rsplit('.').next().unwrap()).unwrap();
    assert_eq!(verify(&valid, &vk).unwrap(), payload.as_bytes());
    let n = crate::common::hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    let mut n_1 = n.clone();
    *n_1.last_mut().unwrap() -= 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("zeros", vec![0; 64]),
        ("r=0,s=1", p256_sig(&[0], &[1])),
        ("r=1,s=0", p256_sig(&[1], &[0])),
        ("r=n,s=1", p256_sig(&n, &[1])),
        ("r=1,s=n", p256_sig(&[1], &n)),
        ("r=n-1,s=n-1", p256_sig(&n_1, &n_1)),
        ("DER r=s=0", base64url::decode("MAYCAQACAQA").unwrap()),
        ("appended zero", [sig.clone(), vec![0]].concat()),
        ("prepended zero", [vec![0], sig.clone()].concat()),
        ("63 bytes", sig[..63].to_vec()),
        ("65 bytes", [sig.clone(), vec![1]].concat()),
        ("DER-encoded valid", der(&sig[..32], &sig[32..])),
    ];
    for (what, bad) in cases {
        let t = raw_token(header, payload.as_bytes(), &bad);
        assert_kind!(verify(&t, &vk), Error::InvalidSignature);
        let _ = what;
    }
    // ES512: a 131-byte signature (r's leading zero byte dropped) is refused by length.
    let k512 = SigningKey::generate(SignatureAlgorithm::Es512).unwrap();
    let t = sign_raw(r#"{"alg":"ES512"}"#, b"x", &k512);
    let s = base64url::decode(t.rsplit('.').next().unwrap()).unwrap();
    assert_eq!(s.len(), 132);
    let short = raw_token(r#"{"alg":"ES512"}"#, b"x", &s[1..]);
    assert_kind!(verify(&short, &public(&k512)), Error::InvalidSignature);
    // JSON serialization too.
    let json = format!(
        r#"{{"protected":"{}","payload":"{}","signature":"{}"}}"#,
        b64(header),
        b64(&payload),
        b64(vec![0u8; 64])
    );
    assert_kind!(
        UnverifiedJson::parse(&json).and_then(|u| u.verify(&vk)),
        Error::InvalidSignature
    );
}

fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let int = |x: &[u8]| {
        let mut v = x.to_vec();
        while v.len() > 1 && v[0] == 0 {
            v.remove(0);
        }
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        let mut out = vec![2, v.len() as u8];
        out.extend(v);
        out
    };
    let body = [int(r), int(s)].concat();
    [vec![0x30, body.len() as u8], body].concat()
}

// ------------------------------------------------------------------ A4

#[test]
fn a04_rsa_signature_and_key_weaknesses() {
    // The 213 ModifiedPadding cases and the PSS groups of Wycheproof run in
    // tests/wycheproof_jws.rs; here: the recipe's structural cases.
    let key = k_rs();
    let vk = public(&key);
    let header = r#"{"alg":"RS256"}"#;
    let valid = sign_raw(header, b"x", &key);
    let sig = base64url::decode(valid.rsplit('.').next().unwrap()).unwrap();
    let n = match k_rs_jwk().params() {
        josecraft::jwk::KeyParams::Rsa { n, .. } => n.clone(),
        _ => unreachable!(),
    };
    let mut n_1 = n.clone();
    *n_1.last_mut().unwrap() -= 1;
    let mut one = vec![0u8; 256];
    one[255] = 1;
    for bad in [
        vec![0u8; 256],
        one,
        n_1,
        n.clone(),
        [vec![0], sig.clone()].concat(),
        [sig.clone(), vec![0]].concat(),
        sig[..255].to_vec(),
    ] {
        assert_kind!(
            verify(&raw_token(header, b"x", &bad), &vk),
            Error::InvalidSignature
        );
    }
    // A PS256 signature under an RS256 header, and the reverse.
    let ps = k_rs_jwk()
        .to_signing_key(Some(SignatureAlgorithm::Ps256))
        .unwrap();
    let ps_sig = sign_raw(r#"{"alg":"PS256"}"#, b"x", &ps);
    let swapped = format!(
        "{}.{}.{}",
        b64(header),
        b64("x"),
        ps_sig.rsplit('.').next().unwrap()
    );
    assert_kind!(verify(&swapped, &vk), Error::InvalidSignature);
    // Weak keys are refused at import: 1024 bits, e = 1.
    let small =
        std::fs::read_to_string(crate::common::vector_path("keys/rsa1024.pkcs8.pem")).unwrap();
    assert_kind!(
        SigningKey::from_pem(SignatureAlgorithm::Rs256, &small),
        Error::KeyRejected(_)
    );
    assert_kind!(
        VerifyingKey::from_rsa_components(RsaAlgorithm::Rs256, &n, &[1]),
        Error::KeyRejected(_)
    );
}

// ------------------------------------------------------------------ A5

#[test]
fn a05_ed25519_non_canonical_and_small_order() {
    let rfc = crate::common::rfc_entry("rfc8037.json", "RFC8037-A.4-EdDSA");
    let jwk = Jwk::from_json(rfc["key"].to_string().as_bytes()).unwrap();
    let vk = jwk
        .to_verifying_key(Some(SignatureAlgorithm::EdDsa))
        .unwrap();
    let token = rfc["expected"]["compact"].as_str().unwrap();
    assert!(verify(token, &vk).is_ok());
    // S + L (still 32 bytes, as L < 2^253).
    let parts: Vec<&str> = token.split('.').collect();
    let mut sig = base64url::decode(parts[2]).unwrap();
    let l = crate::common::hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut carry = 0u16;
    for i in 0..32 {
        let v = sig[32 + i] as u16 + l[i] as u16 + carry;
        sig[32 + i] = v as u8;
        carry = v >> 8;
    }
    let malleated = format!("{}.{}.{}", parts[0], parts[1], b64(&sig));
    assert_kind!(verify(&malleated, &vk), Error::InvalidSignature);
    // Small-order public keys are refused at import: the identity (y = 1) and y = 0.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    for bad in [identity, [0u8; 32]] {
        assert_kind!(
            VerifyingKey::from_ed25519_bytes(EdDsaAlgorithm::EdDsa, &bad),
            Error::KeyRejected(_)
        );
    }
    // An X25519 key for EdDSA; x of 31 or 33 bytes.
    let x = Jwk::generate(KeySpec::X25519).unwrap().to_public().unwrap();
    assert_kind!(
        x.to_verifying_key(Some(SignatureAlgorithm::EdDsa)),
        Error::KeyRejected(_)
    );
    for len in [31, 33] {
        let j = format!(
            r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
            b64(vec![7u8; len])
        );
        let r = Jwk::from_json(j.as_bytes())
            .and_then(|k| k.to_verifying_key(Some(SignatureAlgorithm::EdDsa)));
        assert_kind!(r, Error::KeyRejected(_) | Error::Malformed { .. });
    }
}

// ------------------------------------------------------------------ A6

/// An `ECDH-ES+A128KW` JWE for `recipient` whose protected header's `epk` is replaced.
fn with_epk(recipient: &EncryptionKey, epk: &str) -> String {
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A128Gcm,
        recipient,
    )
    .unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let header = format!(r#"{{"alg":"ECDH-ES+A128KW","enc":"A128GCM","epk":{epk}}}"#);
    format!("{}.{}", b64(header), parts[1..].join("."))
}

#[test]
fn a06_ecdh_invalid_curve_and_low_order() {
    let private = Jwk::generate(KeySpec::P256).unwrap();
    let dk = private
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEsA128Kw))
        .unwrap();
    let ek = dk.encryption_key();
    let good = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A128Gcm,
        &ek,
    )
    .unwrap();
    let epk: serde_json::Value =
        serde_json::from_slice(&base64url::decode(good.split('.').next().unwrap()).unwrap())
            .unwrap();
    let epk = &epk["epk"];
    let (x, y) = (epk["x"].as_str().unwrap(), epk["y"].as_str().unwrap());
    let mut y_flipped = base64url::decode(y).unwrap();
    y_flipped[31] ^= 1;
    let p384 = Jwk::generate(KeySpec::P384).unwrap().to_public().unwrap();
    let p384: serde_json::Value = serde_json::from_str(&p384.to_json()).unwrap();
    let ff = b64([0xff; 32]);
    let zero = b64([0; 32]);
    let cases = [
        format!(
            r#"{{"kty":"EC","crv":"P-256","x":"{x}","y":"{}"}}"#,
            b64(&y_flipped)
        ),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{ff}","y":"{ff}"}}"#),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{zero}","y":"{zero}"}}"#),
        format!(
            r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
            p384["x"].as_str().unwrap(),
            p384["y"].as_str().unwrap()
        ),
        format!(
            r#"{{"kty":"EC","crv":"P-384","x":"{}","y":"{}"}}"#,
            p384["x"].as_str().unwrap(),
            p384["y"].as_str().unwrap()
        ),
        r#"{"kty":"oct","k":"AAAA"}"#.to_string(),
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{x}","y":"{y}","d":"{zero}"}}"#),
        r#""not an object""#.to_string(),
    ];
    // Points off the curve, out of range, on another curve, or of another key type are
    // refused when the point is parsed, before any scalar multiplication; josecraft reports
    // them with the same opaque error as every other key-unwrap failure (README: differs
    // from the catalogue's KeyMismatch). An `epk` with a private part, or not an object, is
    // a malformed header.
    for (i, epk) in cases.iter().enumerate() {
        let t = with_epk(&ek, epk);
        if i >= 5 {
            assert_kind!(jwe::decrypt_compact(&t, &dk), Error::Malformed { .. });
        } else {
            assert_kind!(jwe::decrypt_compact(&t, &dk), Error::DecryptionFailed);
        }
    }
    // X25519: low-order points give an all-zero shared secret, refused.
    let xpriv = Jwk::generate(KeySpec::X25519).unwrap();
    let xdk = xpriv
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEs))
        .unwrap();
    let xek = xdk.encryption_key();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A128Gcm,
        &xek,
    )
    .unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let mut order8 = [0u8; 32];
    order8[0] = 1; // u = 1: a point of order 4 on the twist-free curve's low-order list
    for u in [[0u8; 32], order8] {
        let header = format!(
            r#"{{"alg":"ECDH-ES","enc":"A128GCM","epk":{{"kty":"OKP","crv":"X25519","x":"{}"}}}}"#,
            b64(u)
        );
        let forged = format!("{}.{}", b64(header), parts[1..].join("."));
        assert!(jwe::decrypt_compact(&forged, &xdk).is_err());
        assert_kind!(
            jwe::decrypt_compact(&forged, &xdk),
            Error::DecryptionFailed | Error::KeyRejected(_)
        );
    }
}

// ------------------------------------------------------------------ A7

#[test]
fn a07_rsa1_5_is_unsupported_and_oaep_failures_are_opaque() {
    let entry = crate::common::rfc_entry("rfc7516.json", "RFC7516-A.2-RSA1_5-A128CBC-HS256");
    let token = entry["expected"]["compact"].as_str().unwrap();
    let jwk = Jwk::from_json(entry["key"].to_string().as_bytes()).unwrap();
    // The key as an RSA-OAEP key: the RSA1_5 header is refused at parse, before any RSA
    // operation (and no RSA1_5 key can be built at all).
    let oaep = jwk
        .to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep))
        .unwrap();
    assert_kind!(jwe::decrypt_compact(token, &oaep), Error::Unsupported(_));
    assert_kind!(EncryptedCompact::parse(token), Error::Unsupported(_));
    assert!("RSA1_5".parse::<KeyManagementAlgorithm>().is_err());
    // JSON: the RSA1_5 recipient is unusable; with no other, decryption fails.
    let parts: Vec<&str> = token.split('.').collect();
    let json = format!(
        r#"{{"protected":"{}","encrypted_key":"{}","iv":"{}","ciphertext":"{}","tag":"{}"}}"#,
        parts[0], parts[1], parts[2], parts[3], parts[4]
    );
    let parsed = EncryptedJson::parse(&json);
    match parsed {
        Ok(p) => assert_kind!(
            p.decrypt(&oaep),
            Error::AlgorithmMismatch { .. } | Error::Unsupported(_)
        ),
        Err(e) => assert!(matches!(e, Error::Unsupported(_)), "{e:?}"),
    }
    // RSA-OAEP: a CEK of the wrong length for enc (16 bytes for A256GCM) fails exactly like a
    // bad tag (random-CEK substitution, RFC 7516 §11.5).
    let rsa = Jwk::generate(KeySpec::Rsa { bits: 2048 }).unwrap();
    let dk = rsa
        .to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep256))
        .unwrap();
    let ek = dk.encryption_key();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A256Gcm,
        &ek,
    )
    .unwrap();
    let mut h = JweHeader::new();
    let short = ek
        .encrypt_key(
            ContentEncryption::A128Gcm,
            ContentEncryptionKey::new(vec![1; 16]),
            &mut h,
        )
        .unwrap();
    let mut p: Vec<String> = t.split('.').map(str::to_string).collect();
    p[1] = b64(short.encrypted_key);
    assert_kind!(
        jwe::decrypt_compact(&p.join("."), &dk),
        Error::DecryptionFailed
    );
    let mut p: Vec<String> = t.split('.').map(str::to_string).collect();
    let mut ekb = base64url::decode(&p[1]).unwrap();
    ekb[0] ^= 1;
    p[1] = b64(ekb);
    assert_kind!(
        jwe::decrypt_compact(&p.join("."), &dk),
        Error::DecryptionFailed
    );
    let mut p: Vec<String> = t.split('.').map(str::to_string).collect();
    let mut tag = base64url::decode(&p[4]).unwrap();
    tag[0] ^= 1;
    p[4] = b64(tag);
    assert_kind!(
        jwe::decrypt_compact(&p.join("."), &dk),
        Error::DecryptionFailed
    );
}

// ------------------------------------------------------------------ A8

fn pbes2_token(header: &str) -> String {
    format!(
        "{}.{}.{}.{}.{}",
        b64(header),
        b64([1u8; 24]),
        b64([2u8; 12]),
        b64("x"),
        b64([3u8; 16])
    )
}

#[test]
fn a08_pbes2_p2c_cap() {
    let password = SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"secret").unwrap();
    let salt = "2WCTcJZ1Rvd_CJuJripQ1w";
    // A p2c of 2^31-1 would pin a core for hours: refused before any PBKDF2 (this test
    // finishing at all shows none ran).
    let huge = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":2147483647}}"#
    ));
    assert_kind!(
        jwe::decrypt_compact(&huge, &password),
        Error::LimitExceeded {
            limit: Limit::Pbes2Count,
            ..
        }
    );
    // At and above the limit (10 000): the limit passes to PBKDF2 (then the tag fails).
    let at = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":10000}}"#
    ));
    assert_kind!(
        jwe::decrypt_compact(&at, &password),
        Error::DecryptionFailed
    );
    let above = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":10001}}"#
    ));
    assert_kind!(
        jwe::decrypt_compact(&above, &password),
        Error::LimitExceeded { .. }
    );
    // Configurable.
    let tight = ParseOptions::new().with_limits(Limits::default().with_max_pbes2_count(1000));
    let t = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":1001}}"#
    ));
    assert_kind!(
        EncryptedCompact::parse_with(&t, &tight).and_then(|e| e.decrypt(&password)),
        Error::LimitExceeded { .. }
    );
    // Wrong types and values, short salts, missing members: Malformed (or the cap).
    for p2c in [
        "0",
        "-1",
        "1.5",
        "\"1000\"",
        "1e9",
        "9007199254740992",
        "null",
    ] {
        let t = pbes2_token(&format!(
            r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":{p2c}}}"#
        ));
        assert_kind!(
            jwe::decrypt_compact(&t, &password),
            Error::Malformed { .. } | Error::LimitExceeded { .. }
        );
    }
    for salt_len in 0..8 {
        let t = pbes2_token(&format!(
            r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{}","p2c":1000}}"#,
            b64(vec![5u8; salt_len])
        ));
        assert_kind!(jwe::decrypt_compact(&t, &password), Error::Malformed { .. });
    }
    let t = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}"}}"#
    ));
    assert_kind!(jwe::decrypt_compact(&t, &password), Error::Malformed { .. });
    // A kid never routes a key into another family: an A128KW key with kid "k" is not
    // used for a PBES2 token naming kid "k".
    let kw = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[4; 16])
        .unwrap()
        .with_key_id("k");
    let set = JwkSet::new().with(kw.to_secret_jwk());
    let t = pbes2_token(&format!(
        r#"{{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"{salt}","p2c":1000,"kid":"k"}}"#
    ));
    assert_kind!(
        jwe::decrypt_compact(&t, &set),
        Error::KeySelection(_) | Error::AlgorithmMismatch { .. }
    );
    // The encrypting side stays under the cap by default.
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &password,
    )
    .unwrap();
    let h: serde_json::Value =
        serde_json::from_slice(&base64url::decode(t.split('.').next().unwrap()).unwrap()).unwrap();
    assert!(h["p2c"].as_u64().unwrap() <= 10_000);
}

// ------------------------------------------------------------------ A9

fn replace_part(token: &str, i: usize, bytes: &[u8]) -> String {
    let mut p: Vec<String> = token.split('.').map(str::to_string).collect();
    p[i] = b64(bytes);
    p.join(".")
}

#[test]
fn a09_gcm_tag_and_iv_lengths_and_fresh_ivs() {
    let key = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[8; 16]).unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let tag = base64url::decode(parts[4]).unwrap();
    let iv = base64url::decode(parts[2]).unwrap();
    for len in [15usize, 12, 8, 4, 1, 0] {
        assert_kind!(
            jwe::decrypt_compact(&replace_part(&t, 4, &tag[..len]), &key),
            Error::Malformed { .. }
        );
    }
    assert_kind!(
        jwe::decrypt_compact(&replace_part(&t, 4, &[tag.clone(), vec![0]].concat()), &key),
        Error::Malformed { .. }
    );
    for len in [8usize, 11, 13, 16] {
        let mut v = iv.clone();
        v.resize(len, 0);
        assert_kind!(
            jwe::decrypt_compact(&replace_part(&t, 2, &v), &key),
            Error::Malformed { .. }
        );
    }
    // A*GCMKW: iv and tag header members of the wrong length.
    let gkw = SymmetricKey::new(SymmetricKeyManagement::A128GcmKw, &[8; 16]).unwrap();
    let t2 = jwe::encrypt_compact(
        &JweHeader::new(),
        b"secret",
        ContentEncryption::A128Gcm,
        &gkw,
    )
    .unwrap();
    let p2: Vec<&str> = t2.split('.').collect();
    let mut h: serde_json::Value =
        serde_json::from_slice(&base64url::decode(p2[0]).unwrap()).unwrap();
    for (member, len) in [("iv", 11usize), ("iv", 16), ("tag", 12), ("tag", 17)] {
        let mut hh = h.clone();
        hh[member] = b64(vec![0u8; len]).into();
        let forged = format!("{}.{}", b64(hh.to_string()), p2[1..].join("."));
        assert_kind!(jwe::decrypt_compact(&forged, &gkw), Error::Malformed { .. });
    }
    h["tag"] = b64([0u8; 16]).into();
    let forged = format!("{}.{}", b64(h.to_string()), p2[1..].join("."));
    assert_kind!(jwe::decrypt_compact(&forged, &gkw), Error::DecryptionFailed);
    // Fresh IVs: the same plaintext under one key twice.
    let a =
        jwe::encrypt_compact(&JweHeader::new(), b"same", ContentEncryption::A128Gcm, &key).unwrap();
    let b =
        jwe::encrypt_compact(&JweHeader::new(), b"same", ContentEncryption::A128Gcm, &key).unwrap();
    assert_ne!(a.split('.').nth(2), b.split('.').nth(2));
    let c =
        jwe::encrypt_compact(&JweHeader::new(), b"same", ContentEncryption::A128Gcm, &gkw).unwrap();
    let d =
        jwe::encrypt_compact(&JweHeader::new(), b"same", ContentEncryption::A128Gcm, &gkw).unwrap();
    let hiv = |t: &str| {
        let h: serde_json::Value =
            serde_json::from_slice(&base64url::decode(t.split('.').next().unwrap()).unwrap())
                .unwrap();
        h["iv"].clone()
    };
    assert_ne!(hiv(&c), hiv(&d), "key-wrapping IVs are fresh too");
    // No public API takes an IV (compile-time property; see DESIGN.md).
}

// ------------------------------------------------------------------ A10

#[test]
fn a10_zip_bomb_and_zip_rules() {
    let key = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[6; 16]).unwrap();
    let bomb_plain = vec![b'u'; 5_000_000];
    let bomb = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &bomb_plain,
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    assert!(bomb.len() < 20_000, "{}", bomb.len());
    assert_kind!(
        jwe::decrypt_compact(&bomb, &key),
        Error::LimitExceeded {
            limit: Limit::DecompressedSize,
            max: 250_000
        }
    );
    // Limit and limit+1.
    let at = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &vec![b'u'; 250_000],
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    assert_eq!(
        jwe::decrypt_compact(&at, &key).unwrap().plaintext().len(),
        250_000
    );
    let over = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &vec![b'u'; 250_001],
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    assert_kind!(
        jwe::decrypt_compact(&over, &key),
        Error::LimitExceeded { .. }
    );
    // JSON serialization: the same cap.
    let json = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_protected(JweHeader::new().with_deflate())
        .with_recipient(&key, None)
        .flattened(&bomb_plain)
        .unwrap();
    assert_kind!(
        EncryptedJson::parse(&json).and_then(|e| e.decrypt(&key)),
        Error::LimitExceeded { .. }
    );
    // Unknown zip values.
    for zip in [r#""GZIP""#, r#""def""#, "null", "1"] {
        let h = format!(r#"{{"alg":"A128KW","enc":"A128GCM","zip":{zip}}}"#);
        let parts: Vec<&str> = at.split('.').collect();
        let forged = format!("{}.{}", b64(h), parts[1..].join("."));
        assert_kind!(
            jwe::decrypt_compact(&forged, &key),
            Error::Unsupported(_) | Error::Malformed { .. }
        );
    }
    // zip outside the protected header of a JSON JWE.
    let plain = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&key, None)
        .flattened(b"x")
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&plain).unwrap();
    v["unprotected"] = serde_json::json!({"zip": "DEF"});
    assert_kind!(
        EncryptedJson::parse(&v.to_string()).and_then(|e| e.decrypt(&key)),
        Error::Malformed { .. }
    );
    // zip on a JWS is not defined.
    let hs = k_hs();
    let t = sign_raw(r#"{"alg":"HS256","zip":"DEF"}"#, b"x", &hs);
    assert_kind!(verify(&t, &hs), Error::Malformed { .. });
    // Compression is never chosen for the caller.
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        &vec![b'u'; 1000],
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    assert!(t.len() > 1000);
}
