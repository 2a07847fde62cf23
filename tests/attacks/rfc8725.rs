//! RFC 8725 (JWT Best Current Practices) as testable rules B1–B18 (SECURITY.md §1).

use josecraft::jwe::{self, EncryptedCompact, SymmetricKey};
use josecraft::jwk::{Jwk, KeySpec};
use josecraft::jws::{self, Signer, VerifierSet};
use josecraft::jwt::{self, Claims, FixedClock, NumericDate, Validation};
use josecraft::EcdsaAlgorithm;
use josecraft::{
    base64url, ClaimsError, Error, HmacKey, JweHeader, JwsAlgorithm, JwsHeader, SigningKey,
};
use josecraft::{
    AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement,
};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};

use crate::{
    assert_kind, b64, claims, k_ec, k_hs, k_rs, k_rs_jwk, public, raw_token, sign_raw, validation,
    verify, verify_jwt, T,
};

fn clock() -> FixedClock {
    FixedClock(NumericDate::from_unix(T).unwrap())
}

#[test]
fn b01_the_key_decides_the_algorithm() {
    // No verify API takes an algorithm list from the token: every key carries one
    // algorithm. An RS256 key refuses HS256, PS256, ES256 and none tokens.
    let rs = public(&k_rs());
    let others: Vec<Box<dyn Signer>> = vec![
        Box::new(k_hs()),
        Box::new(
            k_rs_jwk()
                .to_signing_key(Some(SignatureAlgorithm::Ps256))
                .unwrap(),
        ),
        Box::new(k_ec()),
    ];
    for s in &others {
        let t = jws::sign_compact(&JwsHeader::new(), claims().as_bytes(), s.as_ref()).unwrap();
        assert_kind!(verify(&t, &rs), Error::AlgorithmMismatch { .. });
    }
    let none = raw_token(r#"{"alg":"none"}"#, claims().as_bytes(), b"");
    assert_kind!(verify(&none, &rs), Error::AlgorithmMismatch { .. });
}

#[test]
fn b02_alg_names_the_algorithm_used() {
    // A PS256 signature presented as RS256 (and the reverse).
    let ps = k_rs_jwk()
        .to_signing_key(Some(SignatureAlgorithm::Ps256))
        .unwrap();
    let rs = k_rs();
    let ps_sig = sign_raw(r#"{"alg":"PS256"}"#, b"x", &ps);
    let rs_sig = sign_raw(r#"{"alg":"RS256"}"#, b"x", &rs);
    let swap =
        |t: &str, h: &str| format!("{}.{}.{}", b64(h), b64("x"), t.rsplit('.').next().unwrap());
    assert_kind!(
        verify(&swap(&ps_sig, r#"{"alg":"RS256"}"#), &public(&rs)),
        Error::InvalidSignature
    );
    assert_kind!(
        verify(&swap(&rs_sig, r#"{"alg":"PS256"}"#), &public(&ps)),
        Error::InvalidSignature
    );
    // A JWE made with A128GCM whose header says A256GCM.
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[1; 16]).unwrap();
    let t = jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &k).unwrap();
    let lie = format!(
        "{}.{}",
        b64(r#"{"alg":"A128KW","enc":"A256GCM"}"#),
        t.split('.').skip(1).collect::<Vec<_>>().join(".")
    );
    assert_kind!(
        jwe::decrypt_compact(&lie, &k),
        Error::DecryptionFailed | Error::Malformed { .. }
    );
}

#[test]
fn b03_one_key_one_algorithm() {
    // An RSA-OAEP key and an RSA1_5 header: refused before any RSA operation.
    let rsa = Jwk::generate(KeySpec::Rsa { bits: 2048 })
        .unwrap()
        .with_alg("RSA-OAEP");
    let dk = rsa.to_decryption_key(None).unwrap();
    let t = format!(
        "{}.AA.AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA",
        b64(r#"{"alg":"RSA1_5","enc":"A128GCM"}"#)
    );
    assert_kind!(jwe::decrypt_compact(&t, &dk), Error::Unsupported(_));
    // An RS256-typed key asked to verify PS256.
    let ps = k_rs_jwk()
        .to_signing_key(Some(SignatureAlgorithm::Ps256))
        .unwrap();
    let t = sign_raw(r#"{"alg":"PS256"}"#, b"x", &ps);
    assert_kind!(
        verify(&t, &public(&k_rs())),
        Error::AlgorithmMismatch { .. }
    );
    // The same key material can be bound again, deliberately, by the caller only.
    assert!(verify(&t, &public(&ps)).is_ok());
    // A JWK whose alg disagrees with the one asked for.
    let jwk = k_rs_jwk().with_alg("RS256");
    assert_kind!(
        jwk.to_verifying_key(Some(SignatureAlgorithm::Ps256)),
        Error::KeyRejected(_)
    );
}

#[test]
fn b04_only_current_algorithms() {
    assert!(JwsAlgorithm::from_name("none").is_none());
    assert!(KeyManagementAlgorithm::from_name("RSA1_5").is_none());
    assert_kind!(
        HmacKey::new(HmacAlgorithm::Hs256, &[1; 16]),
        Error::KeyRejected(_)
    );
    let small =
        std::fs::read_to_string(crate::common::vector_path("keys/rsa1024.pkcs8.pem")).unwrap();
    assert_kind!(
        SigningKey::from_pem(SignatureAlgorithm::Rs256, &small),
        Error::KeyRejected(_)
    );
    assert_kind!(
        Jwk::generate(KeySpec::Rsa { bits: 1024 }),
        Error::Unsupported(_) | Error::KeyRejected(_)
    );
}

#[test]
fn b05_no_none_unless_asked_by_name() {
    let key = k_hs();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let t = raw_token(&format!(r#"{{"alg":"{alg}"}}"#), claims().as_bytes(), b"");
        assert_kind!(verify(&t, &key), Error::AlgorithmMismatch { .. });
        assert_kind!(
            verify_jwt(&t, &key, &validation()),
            Error::AlgorithmMismatch { .. }
        );
    }
    // Producing and reading one takes the `dangerous` module, by name.
    let t = josecraft::dangerous::sign_unsecured(&JwsHeader::new(), b"x").unwrap();
    assert!(t.ends_with('.'));
    assert_eq!(josecraft::dangerous::decode_unsecured(&t).unwrap().1, b"x");
    assert_kind!(
        jws::verify_compact(&t, &key),
        Error::AlgorithmMismatch { .. }
    );
}

#[test]
fn b06_no_rsa1_5() {
    assert!("RSA1_5".parse::<KeyManagementAlgorithm>().is_err());
    let t = format!(
        "{}.AA.AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA",
        b64(r#"{"alg":"RSA1_5","enc":"A128CBC-HS256"}"#)
    );
    assert_kind!(EncryptedCompact::parse(&t), Error::Unsupported(_));
}

#[test]
fn b07_ecdsa_nonces() {
    // ring draws ES256/ES384 nonces from the system RNG mixed with the key and message
    // (hedged), not RFC 6979; two signatures differ and both verify. Under the ring
    // provider ES512 and ES256K (RustCrypto) use RFC 6979 deterministic nonces; aws-lc
    // draws every nonce at random. See README: deviation from the BCP's SHOULD, kept
    // because hedged nonces also survive a faulty RNG.
    let ec = k_ec();
    let a = ec.sign(b"input").unwrap();
    let b = ec.sign(b"input").unwrap();
    assert_ne!(a, b);
    for s in [a, b] {
        assert!(josecraft::jws::Verifier::verify(&public(&ec), b"input", &s).is_ok());
    }
    let deterministic = josecraft::CryptoProvider::get_default().name() == "ring";
    for alg in [EcdsaAlgorithm::Es512, EcdsaAlgorithm::Es256k] {
        let k = SigningKey::generate(SignatureAlgorithm::from(alg)).unwrap();
        let (a, b) = (k.sign(b"input").unwrap(), k.sign(b"input").unwrap());
        assert_eq!(a == b, deterministic, "{alg:?}");
        for s in [a, b] {
            assert!(josecraft::jws::Verifier::verify(&k.verifying_key(), b"input", &s).is_ok());
        }
    }
}

#[test]
fn b08_every_layer_validates() {
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[2; 16]).unwrap();
    let issuer = k_ec();
    let good_inner = sign_raw(r#"{"alg":"ES256"}"#, claims().as_bytes(), &issuer);
    let mut s = base64url::decode(good_inner.rsplit('.').next().unwrap()).unwrap();
    s[5] ^= 1;
    let bad_inner = format!("{}.{}", good_inner.rsplit_once('.').unwrap().0, b64(s));
    let nested = |inner: &str| {
        jwt::encrypt_nested(inner, &JweHeader::new(), ContentEncryption::A128Gcm, &k).unwrap()
    };
    assert!(
        crate::catalogue_a01_a10::jwt_nested(&nested(&good_inner), &k, &public(&issuer)).is_ok()
    );
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&nested(&bad_inner), &k, &public(&issuer)),
        Error::InvalidSignature
    );
    let none = raw_token(r#"{"alg":"none"}"#, claims().as_bytes(), b"");
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&nested(&none), &k, &public(&issuer)),
        Error::AlgorithmMismatch { .. }
    );
    // An inner JWS carrying its own jwk is still checked with the caller's key.
    let attacker = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let h = format!(r#"{{"alg":"ES256","jwk":{}}}"#, attacker.to_jwk().to_json());
    let embedded = sign_raw(&h, claims().as_bytes(), &attacker);
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&nested(&embedded), &k, &public(&issuer)),
        Error::InvalidSignature
    );
    // And claims inside are validated (an expired inner token).
    let expired = sign_raw(
        r#"{"alg":"ES256"}"#,
        format!(r#"{{"exp":{}}}"#, T - 3600).as_bytes(),
        &issuer,
    );
    assert_kind!(
        crate::catalogue_a01_a10::jwt_nested(&nested(&expired), &k, &public(&issuer)),
        Error::Claims(ClaimsError::Expired { .. })
    );
}

#[test]
fn b09_ecdh_inputs_validated() {
    // The invalid-curve and low-order recipes run in a06; here, a point of another curve
    // through the JSON serialization.
    let private = Jwk::generate(KeySpec::P256).unwrap();
    let dk = private
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEs))
        .unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &dk.encryption_key(),
    )
    .unwrap();
    let p: Vec<&str> = t.split('.').collect();
    let other = Jwk::generate(KeySpec::P384).unwrap().to_public().unwrap();
    let header = format!(
        r#"{{"alg":"ECDH-ES","enc":"A128GCM","epk":{}}}"#,
        other.to_json()
    );
    let json = format!(
        r#"{{"protected":"{}","iv":"{}","ciphertext":"{}","tag":"{}"}}"#,
        b64(header),
        p[2],
        p[3],
        p[4]
    );
    assert_kind!(
        josecraft::jwe::EncryptedJson::parse(&json).and_then(|e| e.decrypt(&dk)),
        Error::DecryptionFailed
    );
}

#[test]
fn b10_key_entropy() {
    // A human password is never an HMAC key: too short for any HS algorithm.
    for password in ["secret", "correct horse battery", "P@ssw0rd!"] {
        assert_kind!(
            HmacKey::new(HmacAlgorithm::Hs256, password.as_bytes()),
            Error::KeyRejected(_)
        );
    }
    // Passwords are for PBES2 key encryption.
    assert!(SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"secret").is_ok());
    assert_kind!(
        Jwk::from_json(br#"{"kty":"oct","k":"c2VjcmV0","alg":"HS256"}"#)
            .and_then(|j| j.to_hmac_key(None)),
        Error::KeyRejected(_)
    );
}

#[test]
fn b11_no_compression_unless_asked() {
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[1; 16]).unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        &[b'a'; 500],
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    let h: serde_json::Value =
        serde_json::from_slice(&base64url::decode(t.split('.').next().unwrap()).unwrap()).unwrap();
    assert!(h.get("zip").is_none());
}

#[test]
fn b12_utf8_only() {
    let key = k_hs();
    let utf16: Vec<u8> =
        r#"{"alg":"HS256"}"#.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let bom = [&[0xEF, 0xBB, 0xBF][..], br#"{"alg":"HS256"}"#].concat();
    let invalid = [&br#"{"alg":"HS256","x":""#[..], &[0xff, 0xfe], b"\"}"].concat();
    for header in [
        utf16,
        bom,
        invalid,
        br#"{"alg":"HS256","x":"\ud800"}"#.to_vec(),
    ] {
        let input = format!("{}.{}", b64(&header), b64("x"));
        let sig = key.sign(input.as_bytes()).unwrap();
        let t = format!("{input}.{}", b64(sig));
        assert_kind!(verify(&t, &key), Error::Malformed { .. });
    }
    for claims in [
        [&br#"{"exp":9999999999,"x":""#[..], &[0xc3, 0x28], b"\"}"].concat(),
        br#"{"exp":9999999999,"x":"\udc00"}"#.to_vec(),
    ] {
        let t = sign_raw(r#"{"alg":"HS256"}"#, &claims, &key);
        assert_kind!(verify_jwt(&t, &key, &validation()), Error::Malformed { .. });
    }
}

#[test]
fn b13_issuer_and_subject_validated() {
    let key = k_hs();
    let v = Validation::issuer("https://a.example")
        .no_audience()
        .with_subject("ada")
        .with_clock(clock());
    let t = sign_raw(
        r#"{"alg":"HS256"}"#,
        format!(r#"{{"iss":"https://evil","sub":"ada","exp":{}}}"#, T + 60).as_bytes(),
        &key,
    );
    assert_kind!(
        verify_jwt(&t, &key, &v),
        Error::Claims(ClaimsError::Issuer { .. })
    );
    let t = sign_raw(
        r#"{"alg":"HS256"}"#,
        format!(r#"{{"iss":"https://a.example","exp":{}}}"#, T + 60).as_bytes(),
        &key,
    );
    assert_kind!(
        verify_jwt(&t, &key, &v),
        Error::Claims(ClaimsError::Missing(_))
    );
}

#[test]
fn b14_audience_required_when_named() {
    let key = k_hs();
    let v = Validation::any_issuer().audience("api").with_clock(clock());
    let t = sign_raw(
        r#"{"alg":"HS256"}"#,
        format!(r#"{{"exp":{}}}"#, T + 60).as_bytes(),
        &key,
    );
    assert_kind!(
        verify_jwt(&t, &key, &v),
        Error::Claims(ClaimsError::Missing(_))
    );
    // A validation must say what it does about audiences: the type requires one choice.
    let _: Validation = Validation::any_issuer().no_audience();
}

#[test]
fn b15_received_claims_not_trusted() {
    // kid is an exact lookup in the caller's set (a15); jku/x5u are never fetched (a14).
    let set = VerifierSet::new().with(k_hs().with_key_id("k1"));
    let t = sign_raw(r#"{"alg":"HS256","kid":"../k1"}"#, b"x", &k_hs());
    assert_kind!(verify(&t, &set), Error::KeySelection(_));
}

#[test]
fn b16_explicit_typing() {
    let key = k_hs();
    let v = validation().with_typ("at+jwt");
    let tok = |h: &str| sign_raw(h, format!(r#"{{"exp":{}}}"#, T + 60).as_bytes(), &key);
    assert_kind!(
        verify_jwt(&tok(r#"{"alg":"HS256","typ":"JWT"}"#), &key, &v),
        Error::Claims(ClaimsError::Type { .. })
    );
    assert_kind!(
        verify_jwt(&tok(r#"{"alg":"HS256"}"#), &key, &v),
        Error::Claims(ClaimsError::Type { found: None })
    );
    for ok in [
        "at+jwt",
        "AT+JWT",
        "application/at+jwt",
        "Application/At+Jwt",
    ] {
        assert!(
            verify_jwt(
                &tok(&format!(r#"{{"alg":"HS256","typ":"{ok}"}}"#)),
                &key,
                &v
            )
            .is_ok(),
            "{ok}"
        );
    }
}

#[test]
fn b17_token_kinds_are_mutually_exclusive() {
    let key = k_hs();
    let now = NumericDate::from_unix(T).unwrap();
    // An ID token (typ JWT, aud = the client) and an access token (typ at+jwt, aud = API).
    let id = jwt::sign(
        &Claims::new(serde_json::Map::new())
            .with_issuer("https://idp")
            .with_subject("ada")
            .with_audience("client-1")
            .valid_for(now, std::time::Duration::from_secs(300))
            .unwrap(),
        &key,
    )
    .unwrap();
    let at = jwt::sign_access_token(
        &Claims::new(serde_json::Map::new())
            .with_issuer("https://idp")
            .with_subject("ada")
            .with_audience("client-1")
            .valid_for(now, std::time::Duration::from_secs(300))
            .unwrap()
            .with_random_jti()
            .unwrap(),
        "client-1",
        &key,
    )
    .unwrap();
    let access = Validation::issuer("https://idp")
        .audience("client-1")
        .with_access_token_profile()
        .with_clock(clock());
    let id_token = Validation::id_token("https://idp", "client-1").with_clock(clock());
    assert!(verify_jwt(&at, &key, &access).is_ok());
    assert!(verify_jwt(&id, &key, &id_token).is_ok());
    // Even with the same issuer, audience and key, each validator refuses the other kind.
    assert_kind!(
        verify_jwt(&id, &key, &access),
        Error::Claims(ClaimsError::Type { .. })
    );
    assert_kind!(
        verify_jwt(&at, &key, &id_token),
        Error::Claims(ClaimsError::Type { .. })
    );
}

#[test]
fn b18_jws_and_jwe_not_substitutable() {
    let k = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[4; 16]).unwrap();
    let jwe_token = jwe::encrypt_compact(
        &JweHeader::new(),
        claims().as_bytes(),
        ContentEncryption::A128Gcm,
        &k,
    )
    .unwrap();
    let jws_token = sign_raw(r#"{"alg":"HS256"}"#, claims().as_bytes(), &k_hs());
    assert_kind!(verify(&jwe_token, &k_hs()), Error::Malformed { .. });
    assert_kind!(
        verify_jwt(&jwe_token, &k_hs(), &validation()),
        Error::Malformed { .. }
    );
    assert_kind!(
        jwe::decrypt_compact(&jws_token, &k),
        Error::Malformed { .. }
    );
    assert_kind!(
        jwt::decrypt::<serde_json::Value>(&jws_token, &k, &validation()),
        Error::Malformed { .. }
    );
}
