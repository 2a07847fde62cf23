//! JWE with ECDH-ES and RSA-OAEP: RFC 7516 A.1 (A.2's RSA1_5 unsupported), RFC 7520 §5.1
//! (unsupported), 5.2, 5.4, 5.5, 5.13, §6 (nested), RFC 8037 X25519, the Wycheproof JWE
//! file, and every alg × enc round trip in compact and JSON form with tampering.

mod common;

use common::{json, rfc_entry, text, to_bytes, Tally};
use josecraft::jwe::{
    self, DecryptionKey, DecryptorSet, EncryptedCompact, EncryptedJson, JweJsonBuilder,
    SymmetricKey,
};
use josecraft::jwk::{Jwk, JwkSet, KeySpec};
use josecraft::jws;
use josecraft::ParseOptions;
use josecraft::{base64url, Error, JweHeader, JwsHeader};
use josecraft::{
    AsymmetricKeyManagement, EcdhAlgorithm, SignatureAlgorithm, SymmetricKeyManagement,
};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn opts() -> ParseOptions {
    ParseOptions::default()
}

fn jwk(v: &Value) -> Jwk {
    Jwk::from_json(&to_bytes(v)).unwrap()
}

#[test]
fn rfc7516_a1_rsa_oaep_and_a2_rsa1_5() {
    let e = rfc_entry("rfc7516.json", "RFC7516-A.1-RSA-OAEP-A256GCM");
    let key = jwk(&e["key"])
        .to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep))
        .unwrap();
    let d = jwe::decrypt_compact(s(&e["expected"]["compact"]), &key).unwrap();
    assert_eq!(d.plaintext(), s(&e["input"]["plaintext_utf8"]).as_bytes());
    assert_eq!(d.key_management(), KeyManagementAlgorithm::RsaOaep);
    // RSA1_5 is refused before any key is used, with every key.
    let e = rfc_entry("rfc7516.json", "RFC7516-A.2-RSA1_5-A128CBC-HS256");
    let compact = s(&e["expected"]["compact"]);
    assert!(
        matches!(jwe::decrypt_compact(compact, &key), Err(Error::Unsupported(m)) if m.contains("RSA1_5"))
    );
    assert!(matches!(
        EncryptedCompact::parse_with(compact, &opts()),
        Err(Error::Unsupported(_))
    ));
    // And an RSA key cannot be bound to it.
    assert!(jwk(&e["key"])
        .with_alg("RSA1_5")
        .to_decryption_key(None)
        .is_err());
}

fn cookbook(name: &str) -> Value {
    json(&format!("rfc7520/jwe/{name}"))
}

fn decrypt_every_output(v: &Value, key: &DecryptionKey) -> usize {
    let plaintext = s(&v["input"]["plaintext"]).as_bytes();
    let mut n = 0;
    if let Some(compact) = v["output"]["compact"].as_str() {
        assert_eq!(
            jwe::decrypt_compact(compact, key).unwrap().plaintext(),
            plaintext
        );
        n += 1;
    }
    for form in ["json", "json_flat"] {
        if let Some(out) = v["output"].get(form) {
            let d = EncryptedJson::parse_with(&out.to_string(), &opts())
                .unwrap()
                .decrypt(key)
                .unwrap();
            assert_eq!(d.plaintext(), plaintext, "{form}");
            n += 1;
        }
    }
    n
}

#[test]
fn rfc7520_asymmetric_examples_every_serialization() {
    for (file, alg) in [
        (
            "5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json",
            KeyManagementAlgorithm::RsaOaep,
        ),
        (
            "5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json",
            KeyManagementAlgorithm::EcdhEsA128Kw,
        ),
        (
            "5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json",
            KeyManagementAlgorithm::EcdhEs,
        ),
    ] {
        let v = cookbook(file);
        let key = jwk(&v["input"]["key"])
            .to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg).unwrap()))
            .unwrap();
        assert_eq!(decrypt_every_output(&v, &key), 3, "{file}");
    }
    // §5.1 uses RSA1_5: unsupported, in every serialization.
    let v = cookbook("5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json");
    assert!(matches!(
        EncryptedCompact::parse_with(s(&v["output"]["compact"]), &opts()),
        Err(Error::Unsupported(_))
    ));
    let parsed = EncryptedJson::parse_with(&v["output"]["json"].to_string(), &opts()).unwrap();
    assert!(matches!(
        parsed.recipients()[0].key_management(),
        Err(Error::Unsupported(_))
    ));
    let some_key = DecryptionKey::generate(AsymmetricKeyManagement::RsaOaep).unwrap();
    assert!(parsed.decrypt(&some_key).is_err());
}

#[test]
fn rfc7520_5_13_every_supported_recipient() {
    let v = cookbook("5_13.encrypting_to_multiple_recipients.json");
    let text = v["output"]["json"].to_string();
    let plaintext = s(&v["input"]["plaintext"]).as_bytes();
    let keys = v["input"]["key"].as_array().unwrap();
    let mut set = DecryptorSet::new();
    let mut decrypted = 0;
    for (i, k) in keys.iter().enumerate() {
        let header = &v["encrypting_key"][i]["header"];
        let alg = s(&header["alg"]);
        if alg == "RSA1_5" {
            continue;
        }
        let alg: KeyManagementAlgorithm = alg.parse().unwrap();
        let j = jwk(k);
        let d = if j.kty() == "oct" {
            let key = j.to_symmetric_key(Some(alg), None).unwrap();
            set.insert(key.clone());
            EncryptedJson::parse_with(&text, &opts())
                .unwrap()
                .decrypt(&key)
                .unwrap()
        } else {
            let key = j
                .to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg).unwrap()))
                .unwrap();
            set.insert(key.clone());
            EncryptedJson::parse_with(&text, &opts())
                .unwrap()
                .decrypt(&key)
                .unwrap()
        };
        assert_eq!(d.plaintext(), plaintext, "{alg}");
        decrypted += 1;
    }
    assert_eq!(decrypted, 2);
    let d = EncryptedJson::parse_with(&text, &opts())
        .unwrap()
        .decrypt(&set)
        .unwrap();
    assert_eq!(d.plaintext(), plaintext);
}

#[test]
fn rfc7520_6_nested_jwt() {
    let v = json("rfc7520/6.nesting_signatures_and_encryption.json");
    let sign = &v["sign"];
    let enc = &v["encrypt"];
    let verifier = jwk(&sign["input"]["key"])
        .to_verifying_key(Some(SignatureAlgorithm::Ps256))
        .unwrap();
    let decryptor = jwk(&enc["input"]["key"])
        .to_decryption_key(Some(AsymmetricKeyManagement::RsaOaep))
        .unwrap();
    for form in ["compact", "json", "json_flat"] {
        let Some(out) = enc["output"].get(form) else {
            continue;
        };
        let jws_text = if form == "compact" {
            jwe::decrypt_compact(s(out), &decryptor)
                .unwrap()
                .into_plaintext()
        } else {
            EncryptedJson::parse_with(&out.to_string(), &opts())
                .unwrap()
                .decrypt(&decryptor)
                .unwrap()
                .into_plaintext()
        };
        let inner =
            jws::verify_compact(std::str::from_utf8(&jws_text).unwrap(), &verifier).unwrap();
        assert_eq!(
            inner.payload(),
            s(&sign["input"]["payload"]).as_bytes(),
            "{form}"
        );
    }
    let nested = josecraft::dangerous::decrypt_nested_unvalidated(
        s(&enc["output"]["compact"]),
        &decryptor,
        &verifier,
        &opts(),
    )
    .unwrap();
    assert_eq!(nested.outer().header().cty(), Some("JWT"));
    assert_eq!(
        nested.inner().payload(),
        s(&sign["input"]["payload"]).as_bytes()
    );
    // The inner signature must verify: another signing key is refused.
    let other = Jwk::generate(KeySpec::Rsa { bits: 2048 })
        .unwrap()
        .to_verifying_key(Some(SignatureAlgorithm::Ps256))
        .unwrap();
    assert!(matches!(
        josecraft::dangerous::decrypt_nested_unvalidated(
            s(&enc["output"]["compact"]),
            &decryptor,
            &other,
            &opts()
        ),
        Err(Error::InvalidSignature)
    ));
}

#[test]
fn nested_round_trip_and_rules() {
    let signer = josecraft::SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let recipient = DecryptionKey::generate_x25519(EcdhAlgorithm::EcdhEsA256Kw).unwrap();
    let jws = jws::sign_compact(
        &JwsHeader::new().with_typ("JWT"),
        br#"{"sub":"a"}"#,
        &signer,
    )
    .unwrap();
    let token = josecraft::jwt::encrypt_nested(
        &jws,
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    let n = josecraft::dangerous::decrypt_nested_unvalidated(
        &token,
        &recipient,
        &signer.verifying_key(),
        &opts(),
    )
    .unwrap();
    assert_eq!(n.inner().payload(), br#"{"sub":"a"}"#);
    // A JWE without cty JWT is not a nested JWT.
    let plain = jwe::encrypt_compact(
        &JweHeader::new(),
        jws.as_bytes(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    assert!(matches!(
        josecraft::dangerous::decrypt_nested_unvalidated(
            &plain,
            &recipient,
            &signer.verifying_key(),
            &opts()
        ),
        Err(Error::Malformed { .. })
    ));
    // An unsigned inner token is refused by the inner verification.
    let unsecured =
        josecraft::dangerous::sign_unsecured(&JwsHeader::new(), br#"{"sub":"a"}"#).unwrap();
    let t = josecraft::jwt::encrypt_nested(
        &unsecured,
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    assert!(matches!(
        josecraft::dangerous::decrypt_nested_unvalidated(
            &t,
            &recipient,
            &signer.verifying_key(),
            &opts()
        ),
        Err(Error::AlgorithmMismatch { .. })
    ));
    assert!(josecraft::jwt::encrypt_nested(
        "not.a.jws.at.all",
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key()
    )
    .is_err());
}

#[test]
fn rfc8037_x25519() {
    let e = rfc_entry("rfc8037.json", "RFC8037-A.6-ECDH-ES-X25519");
    // The cookbook's complete X25519 JWE.
    let v = json("rfc7520/curve25519/ecdh-es.json");
    let key = jwk(&v["input"]["key"])
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEs))
        .unwrap();
    for form in ["compact", "json", "json_flat"] {
        let Some(out) = v["output"].get(form) else {
            continue;
        };
        let d = if form == "compact" {
            jwe::decrypt_compact(s(out), &key).unwrap()
        } else {
            EncryptedJson::parse_with(&out.to_string(), &opts())
                .unwrap()
                .decrypt(&key)
                .unwrap()
        };
        assert_eq!(d.plaintext(), s(&v["input"]["plaintext"]).as_bytes());
    }
    // RFC 8037 A.6's recipient key, round trip through our own sender.
    let public = jwk(&e["recipient_public_jwk"])
        .to_encryption_key(Some(AsymmetricKeyManagement::EcdhEsA128Kw))
        .unwrap();
    let secret = common::hex(s(&e["not_in_rfc"]["recipient_secret_hex"]));
    let private_jwk = serde_json::json!({
        "kty": "OKP", "crv": "X25519",
        "x": e["recipient_public_jwk"]["x"], "d": base64url::encode(&secret)
    });
    let private = jwk(&private_jwk)
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEsA128Kw))
        .unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x25519",
        ContentEncryption::A128Gcm,
        &public,
    )
    .unwrap();
    assert_eq!(
        jwe::decrypt_compact(&t, &private).unwrap().plaintext(),
        b"x25519"
    );
}

/// Keys for every asymmetric key management, on every curve for ECDH-ES.
fn all_asymmetric() -> Vec<(String, DecryptionKey)> {
    let mut out = Vec::new();
    for alg in KeyManagementAlgorithm::ALL
        .into_iter()
        .filter(|a| !a.is_symmetric())
    {
        if alg.name().starts_with("RSA") {
            let pem = text("keys/rsa2048.pkcs8.pem");
            out.push((
                format!("{alg}"),
                DecryptionKey::from_pem(AsymmetricKeyManagement::try_from(alg).unwrap(), &pem)
                    .unwrap()
                    .with_key_id("r"),
            ));
        } else {
            for spec in [KeySpec::P256, KeySpec::P384, KeySpec::P521, KeySpec::X25519] {
                let k = Jwk::generate(spec)
                    .unwrap()
                    .to_decryption_key(Some(AsymmetricKeyManagement::try_from(alg).unwrap()))
                    .unwrap()
                    .with_key_id("e");
                out.push((format!("{alg} {spec:?}"), k));
            }
        }
    }
    out
}

#[test]
fn round_trip_and_tamper_every_pair() {
    let plaintext = b"asymmetric round trip";
    for (name, key) in all_asymmetric() {
        let public = key.encryption_key();
        for enc in ContentEncryption::ALL {
            let header = JweHeader::new()
                .with_apu(b"Alice".to_vec())
                .with_apv(b"Bob".to_vec());
            let token = jwe::encrypt_compact(&header, plaintext, enc, &public).unwrap();
            let d = jwe::decrypt_compact(&token, &key).unwrap();
            assert_eq!(d.plaintext(), plaintext, "{name} {enc}");
            // One flipped bit in each part (spread out: RSA is slow in debug builds).
            let parts: Vec<&str> = token.split('.').collect();
            for (i, part) in parts.iter().enumerate() {
                let bytes = base64url::decode(part).unwrap();
                for at in (0..bytes.len()).step_by(bytes.len() / 4 + 1) {
                    let mut b = bytes.clone();
                    b[at] ^= 1 << (at % 8);
                    let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
                    p[i] = base64url::encode(&b);
                    match jwe::decrypt_compact(&p.join("."), &key) {
                        Err(
                            Error::Malformed { .. }
                            | Error::DecryptionFailed
                            | Error::AlgorithmMismatch { .. }
                            | Error::Unsupported(_),
                        ) => {}
                        other => panic!("{name} {enc} part {i}: {other:?}"),
                    }
                }
            }
        }
        // JSON, flattened and general.
        for flattened in [true, false] {
            let b = JweJsonBuilder::new(ContentEncryption::A128CbcHs256)
                .with_aad(b"a")
                .with_recipient(&public, None);
            let text = if flattened {
                b.flattened(plaintext)
            } else {
                b.general(plaintext)
            }
            .unwrap();
            let d = EncryptedJson::parse_with(&text, &opts())
                .unwrap()
                .decrypt(&key)
                .unwrap();
            assert_eq!(d.plaintext(), plaintext, "{name}");
            let mut v: Value = serde_json::from_str(&text).unwrap();
            let tag = base64url::decode(s(&v["tag"])).unwrap();
            let mut t = tag.clone();
            t[0] ^= 1;
            v["tag"] = base64url::encode(&t).into();
            assert_eq!(
                EncryptedJson::parse_with(&v.to_string(), &opts())
                    .unwrap()
                    .decrypt(&key)
                    .unwrap_err(),
                Error::DecryptionFailed
            );
        }
    }
}

#[test]
fn epk_validation() {
    let key = Jwk::generate(KeySpec::P256)
        .unwrap()
        .to_decryption_key(Some(AsymmetricKeyManagement::EcdhEs))
        .unwrap();
    let token = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &key.encryption_key(),
    )
    .unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let header: Value = serde_json::from_slice(&base64url::decode(parts[0]).unwrap()).unwrap();
    let with_epk = |epk: Value| {
        let mut h = header.clone();
        h["epk"] = epk;
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        p[0] = base64url::encode(h.to_string());
        jwe::decrypt_compact(&p.join("."), &key)
    };
    // A point off the curve (the invalid-curve attack), on another curve, a private key,
    // an X25519 key for a P-256 recipient, and no epk at all.
    let mut off = header["epk"].clone();
    let mut y = base64url::decode(s(&off["y"])).unwrap();
    y[31] ^= 1;
    off["y"] = base64url::encode(&y).into();
    assert_eq!(with_epk(off).unwrap_err(), Error::DecryptionFailed);
    let p384: Value = serde_json::from_str(
        &Jwk::generate(KeySpec::P384)
            .unwrap()
            .to_public()
            .unwrap()
            .to_json(),
    )
    .unwrap();
    assert_eq!(with_epk(p384).unwrap_err(), Error::DecryptionFailed);
    let x25519: Value = serde_json::from_str(
        &Jwk::generate(KeySpec::X25519)
            .unwrap()
            .to_public()
            .unwrap()
            .to_json(),
    )
    .unwrap();
    assert_eq!(with_epk(x25519).unwrap_err(), Error::DecryptionFailed);
    let private: Value =
        serde_json::from_str(&Jwk::generate(KeySpec::P256).unwrap().to_json()).unwrap();
    assert!(with_epk(private).is_err());
    assert!(matches!(
        with_epk(Value::from("x")),
        Err(Error::Malformed { .. })
    ));
    // X25519 small-order points.
    let xkey = DecryptionKey::generate_x25519(EcdhAlgorithm::EcdhEs).unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &xkey.encryption_key(),
    )
    .unwrap();
    let p: Vec<&str> = t.split('.').collect();
    let mut h: Value = serde_json::from_slice(&base64url::decode(p[0]).unwrap()).unwrap();
    for small in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    }] {
        h["epk"]["x"] = base64url::encode(small).into();
        let forged = format!(
            "{}.{}.{}.{}.{}",
            base64url::encode(h.to_string()),
            p[1],
            p[2],
            p[3],
            p[4]
        );
        assert_eq!(
            jwe::decrypt_compact(&forged, &xkey).unwrap_err(),
            Error::DecryptionFailed
        );
    }
    // ECDH-ES has exactly one recipient; with key wrap several, each with its own epk.
    let k2 = DecryptionKey::generate(AsymmetricKeyManagement::EcdhEsA128Kw)
        .unwrap()
        .with_key_id("2");
    let k3 = DecryptionKey::generate_x25519(EcdhAlgorithm::EcdhEsA128Kw)
        .unwrap()
        .with_key_id("3");
    let text = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&k2.encryption_key(), None)
        .with_recipient(&k3.encryption_key(), None)
        .general(b"two")
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_ne!(
        v["recipients"][0]["header"]["epk"],
        v["recipients"][1]["header"]["epk"]
    );
    for k in [&k2, &k3] {
        assert_eq!(
            EncryptedJson::parse_with(&text, &opts())
                .unwrap()
                .decrypt(k)
                .unwrap()
                .plaintext(),
            b"two"
        );
    }
    assert!(JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&key.encryption_key(), None)
        .with_recipient(&k2.encryption_key(), None)
        .general(b"x")
        .is_err());
}

#[test]
fn rsa_oaep_failure_is_indistinguishable() {
    let key = DecryptionKey::from_pem(
        AsymmetricKeyManagement::RsaOaep256,
        &text("keys/rsa2048.pkcs8.pem"),
    )
    .unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &key.encryption_key(),
    )
    .unwrap();
    let p: Vec<&str> = t.split('.').collect();
    // Garbage, wrong length, and a valid OAEP block carrying a CEK of the wrong size all end
    // at the tag check with the same error.
    let other = DecryptionKey::from_pem(
        AsymmetricKeyManagement::RsaOaep256,
        &text("keys/rsa2048.pkcs8.pem"),
    )
    .unwrap();
    let wrong_size = {
        let t2 = jwe::encrypt_compact(
            &JweHeader::new(),
            b"x",
            ContentEncryption::A256Gcm,
            &other.encryption_key(),
        )
        .unwrap();
        t2.split('.').nth(1).unwrap().to_string()
    };
    for ek in [
        base64url::encode([1u8; 256]),
        base64url::encode([1u8; 10]),
        wrong_size,
    ] {
        let forged = format!("{}.{}.{}.{}.{}", p[0], ek, p[2], p[3], p[4]);
        assert_eq!(
            jwe::decrypt_compact(&forged, &key).unwrap_err(),
            Error::DecryptionFailed
        );
    }
    // An RSA key below 2048 bits is refused.
    assert!(DecryptionKey::from_pem(
        AsymmetricKeyManagement::RsaOaep,
        &text("keys/rsa1024.pkcs8.pem")
    )
    .is_err());
    // Keys out and back in as JWKs.
    let jwk = key.to_private_jwk();
    let back = Jwk::from_json(jwk.to_json().as_bytes())
        .unwrap()
        .to_decryption_key(None)
        .unwrap();
    assert_eq!(jwe::decrypt_compact(&t, &back).unwrap().plaintext(), b"x");
    let public = Jwk::from_json(key.to_jwk().to_json().as_bytes())
        .unwrap()
        .to_encryption_key(None)
        .unwrap();
    let t =
        jwe::encrypt_compact(&JweHeader::new(), b"y", ContentEncryption::A128Gcm, &public).unwrap();
    assert_eq!(jwe::decrypt_compact(&t, &key).unwrap().plaintext(), b"y");
    // A key set of mixed JWE keys: refused by default, as for verification; allowed by the
    // policy.
    let jwks = JwkSet::new().with(key.to_private_jwk().with_kid("r")).with(
        SymmetricKey::generate(SymmetricKeyManagement::A128Kw)
            .unwrap()
            .to_secret_jwk(),
    );
    assert!(matches!(jwks.decryptor(), Err(Error::KeyRejected(m)) if m.contains("mixes")));
    let set = jwks
        .decryptor_with(&josecraft::jwk::DecryptorPolicy::new().with_mixed_symmetric_keys())
        .unwrap();
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"z",
        ContentEncryption::A128Gcm,
        &key.encryption_key().with_key_id("r"),
    )
    .unwrap();
    assert_eq!(
        jwe::EncryptedCompact::parse_with(&t, &opts())
            .and_then(|u| u.decrypt(&set))
            .unwrap()
            .plaintext(),
        b"z"
    );
}

/// Wycheproof `json_web_encryption_test.json`.
#[test]
fn wycheproof_json_web_encryption() {
    let file = json("wycheproof/json_web_encryption_test.json");
    let mut t = Tally::default();
    let mut unsupported = Vec::new();
    for group in file["testGroups"].as_array().unwrap() {
        let keys = &group["private"];
        let set = if keys.get("keys").is_some() {
            JwkSet::from_json(&to_bytes(keys))
        } else {
            JwkSet::from_json(format!("{{\"keys\":[{keys}]}}").as_bytes())
        }
        .unwrap();
        for case in group["tests"].as_array().unwrap() {
            let tc = case["tcId"].as_u64().unwrap();
            t.run += 1;
            let valid = case["result"] == "valid";
            let flags: Vec<&str> = case["flags"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let token = match &case["jwe"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // JSON serializations go to the compact entry point, which must refuse them
            // (Wycheproof expects a compact-only API); the JSON API is asked as well.
            let result =
                jwe::EncryptedCompact::parse_with(&token, &opts()).and_then(|u| u.decrypt(&set));
            if flags.contains(&"JsonSerialization") {
                let json = EncryptedJson::parse_with(&token, &opts()).and_then(|p| p.decrypt(&set));
                t.errata.push((tc, format!("JSON serialization: compact entry point rejects it; the JSON API gives {:?}", json.map(|d| d.plaintext().len()))));
            }
            let is_rsa1_5 = token
                .split('.')
                .next()
                .and_then(|h| base64url::decode(h).ok())
                .is_some_and(|h| String::from_utf8_lossy(&h).contains("RSA1_5"));
            match (&result, valid) {
                (Ok(d), true) => {
                    let pt = common::hex(s(&case["pt"]));
                    if d.plaintext() == pt {
                        t.passed += 1;
                    } else {
                        t.failures.push(format!("tcId {tc}: wrong plaintext"));
                    }
                }
                (Err(Error::Unsupported(_)), true) if is_rsa1_5 => {
                    // Valid RSA1_5 cases: unsupported by design, listed, not counted as passes.
                    unsupported.push(tc);
                    t.run -= 1;
                }
                (Err(_), false) => {
                    t.passed += 1;
                    if tc == 132 {
                        t.errata.push((tc, "rejected".into()));
                    }
                }
                (r, _) => t.failures.push(format!(
                    "tcId {tc} {} expected {}: {r:?}",
                    case["comment"], case["result"]
                )),
            }
            if tc == 132 && result.is_ok() {
                // Upstream notes: the key's alg "A128GCM" with a dir+A128GCM token; josecraft
                // reads a dir JWK whose alg names an enc as a dir key for it (RFC 7520 §5.6,
                // as the symmetric JWE issue requires), which is the vector's expected "valid".
                t.errata.push((tc, "dir JWK with alg A128GCM read as dir for A128GCM (RFC 7520 §5.6): decrypts, as expected".into()));
            }
        }
    }
    println!("unsupported (valid RSA1_5 cases, by design): {unsupported:?}");
    t.report("json_web_encryption_test.json");
    assert_eq!(t.run + unsupported.len(), 139);
}
