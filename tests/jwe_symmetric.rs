//! JWE with symmetric key management: RFC 7516 A.3, RFC 7517 C, RFC 7520 §5.3, 5.6–5.12 and
//! the A256GCMKW recipient of 5.13 (every serialization each gives), round trips for every
//! alg × enc pair in compact and JSON form with tampering, and the zip-bomb and p2c limits.

mod common;

use common::{json, rfc_entry, to_bytes};
use josecraft::jwe::{
    self, DecryptorSet, EncryptedCompact, EncryptedJson, JweJsonBuilder, KeyDecryptor,
    KeyEncryptor, SymmetricKey,
};
use josecraft::jwk::{Jwk, JwkSet};
use josecraft::ParseOptions;
use josecraft::SymmetricKeyManagement;
use josecraft::{base64url, Error, JweHeader, Limit, Limits};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn opts() -> ParseOptions {
    ParseOptions::default()
}

#[test]
fn rfc7516_a3_a128kw_a128cbc_hs256() {
    let e = rfc_entry("rfc7516.json", "RFC7516-A.3-A128KW-A128CBC-HS256");
    let jwk = Jwk::from_json(&to_bytes(&e["key"])).unwrap();
    let key = jwk
        .to_symmetric_key(Some(KeyManagementAlgorithm::A128Kw), None)
        .unwrap();
    let d = jwe::decrypt_compact(s(&e["expected"]["compact"]), &key).unwrap();
    assert_eq!(d.plaintext(), b"Live long and prosper.");
    assert_eq!(d.header().enc(), Some("A128CBC-HS256"));
    assert_eq!(d.key_management(), KeyManagementAlgorithm::A128Kw);
    // Our own encryption with the same key decrypts too.
    let t = jwe::encrypt_compact(
        &JweHeader::new(),
        b"Live long and prosper.",
        ContentEncryption::A128CbcHs256,
        &key,
    )
    .unwrap();
    assert_eq!(
        jwe::decrypt_compact(&t, &key).unwrap().plaintext(),
        b"Live long and prosper."
    );
}

#[test]
fn rfc7517_c_pbes2_encrypted_jwk() {
    let e = rfc_entry("rfc7517.json", "RFC7517-C");
    let password = s(&e["input"]["password_utf8"]).as_bytes();
    let key = SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, password).unwrap();
    let d = jwe::decrypt_compact(s(&e["expected"]["compact"]), &key).unwrap();
    let decrypted = Jwk::from_json(d.plaintext()).unwrap();
    let expected = Jwk::from_json(s(&e["input"]["plaintext_utf8"]).as_bytes()).unwrap();
    assert_eq!(decrypted, expected);
    assert_eq!(decrypted.kid(), Some("juliet@capulet.lit"));
    assert_eq!(d.header().p2c(), Some(4096));
    // A wrong password fails opaquely.
    let wrong = SymmetricKey::new(
        SymmetricKeyManagement::Pbes2Hs256A128Kw,
        b"Thus from my lips",
    )
    .unwrap();
    assert_eq!(
        jwe::decrypt_compact(s(&e["expected"]["compact"]), &wrong).unwrap_err(),
        Error::DecryptionFailed
    );
}

fn cookbook(name: &str) -> Value {
    json(&format!("rfc7520/jwe/{name}"))
}

/// The cookbook key of an example, bound as the example uses it.
fn cookbook_key(v: &Value) -> SymmetricKey {
    let alg: KeyManagementAlgorithm = s(&v["input"]["alg"]).parse().unwrap();
    let enc: ContentEncryption = s(&v["input"]["enc"]).parse().unwrap();
    if let Some(pwd) = v["input"].get("pwd") {
        return SymmetricKey::new(
            SymmetricKeyManagement::try_from(alg).unwrap(),
            s(pwd).as_bytes(),
        )
        .unwrap();
    }
    Jwk::from_json(&to_bytes(&v["input"]["key"]))
        .unwrap()
        .to_symmetric_key(Some(alg), Some(enc))
        .unwrap()
}

/// Decrypts every serialization an example gives; returns how many.
fn decrypt_every_output(v: &Value, key: &SymmetricKey) -> usize {
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
        let Some(out) = v["output"].get(form) else {
            continue;
        };
        let parsed = EncryptedJson::parse_with(&out.to_string(), &opts()).unwrap();
        // RFC 7520 §5.6's general form for `dir` has no recipients array, which makes it
        // a flattened one as well.
        assert_eq!(
            parsed.is_flattened(),
            out.get("recipients").is_none(),
            "{form}"
        );
        let d = parsed.decrypt(key).unwrap();
        assert_eq!(d.plaintext(), plaintext, "{form}");
        if let Some(aad) = v["input"].get("aad") {
            assert_eq!(d.aad(), Some(s(aad).as_bytes()));
        }
        n += 1;
    }
    n
}

#[test]
fn rfc7520_symmetric_examples_every_serialization() {
    for (file, forms) in [
        (
            "5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json",
            3,
        ),
        ("5_6.direct_encryption_using_aes-gcm.json", 3),
        (
            "5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json",
            3,
        ),
        ("5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json", 3),
        ("5_9.compressed_content.json", 3),
        ("5_10.including_additional_authentication_data.json", 2),
        ("5_11.protecting_specific_header_fields.json", 2),
        ("5_12.protecting_content_only.json", 2),
    ] {
        let v = cookbook(file);
        let key = cookbook_key(&v);
        assert_eq!(decrypt_every_output(&v, &key), forms, "{file}");
        // As a one-key JWK Set (the dir key of 5.6 names its enc as alg, RFC 7520 §5.6 style).
        if let Some(k) = v["input"].get("key") {
            let set = JwkSet::from_json(format!("{{\"keys\":[{k}]}}").as_bytes()).unwrap();
            if let Some(compact) = v["output"]["compact"].as_str() {
                jwe::EncryptedCompact::parse_with(compact, &opts())
                    .and_then(|u| u.decrypt(&set))
                    .unwrap();
            }
        }
    }
}

#[test]
fn rfc7520_5_13_a256gcmkw_recipient() {
    let v = cookbook("5_13.encrypting_to_multiple_recipients.json");
    let keys = v["input"]["key"].as_array().unwrap();
    let gcmkw = keys.iter().find(|k| k["kty"] == "oct").unwrap();
    let key = Jwk::from_json(&to_bytes(gcmkw))
        .unwrap()
        .to_symmetric_key(Some(KeyManagementAlgorithm::A256GcmKw), None)
        .unwrap();
    let text = v["output"]["json"].to_string();
    let parsed = EncryptedJson::parse_with(&text, &opts()).unwrap();
    assert_eq!(parsed.recipients().len(), 3);
    // The RSA1_5 recipient is unsupported, and said so, without making the JWE unreadable.
    assert!(matches!(
        parsed.recipients()[0].key_management(),
        Err(Error::Unsupported(_))
    ));
    let d = parsed.decrypt(&key).unwrap();
    assert_eq!(d.plaintext(), s(&v["input"]["plaintext"]).as_bytes());
    assert_eq!(
        d.unprotected_header().and_then(|h| h.untrusted().cty()),
        Some("text/plain")
    );
    assert_eq!(
        d.recipient_header().and_then(|h| h.untrusted().alg()),
        Some("A256GCMKW")
    );
    // And through a key set: only the recipient whose header matches a key is tried.
    let set = DecryptorSet::new().with(key);
    let d = EncryptedJson::parse_with(&text, &opts())
        .unwrap()
        .decrypt(&set)
        .unwrap();
    assert_eq!(d.plaintext(), s(&v["input"]["plaintext"]).as_bytes());
}

/// Every symmetric key management with every content encryption, compact and JSON.
fn all_symmetric() -> Vec<(KeyManagementAlgorithm, ContentEncryption, SymmetricKey)> {
    let mut out = Vec::new();
    for alg in KeyManagementAlgorithm::ALL
        .into_iter()
        .filter(|a| a.is_symmetric())
    {
        for enc in ContentEncryption::ALL {
            let key = if alg == KeyManagementAlgorithm::Dir {
                SymmetricKey::generate_direct(enc).unwrap()
            } else {
                // A small PBES2 count keeps debug-build tests quick; the default is tested
                // separately.
                let k =
                    SymmetricKey::generate(SymmetricKeyManagement::try_from(alg).unwrap()).unwrap();
                k.clone().with_pbes2_count(1000).unwrap_or(k)
            };
            out.push((alg, enc, key.with_key_id("k")));
        }
    }
    out
}

fn assert_rejected(r: josecraft::Result<jwe::Decrypted>, what: &str) {
    match r {
        Err(Error::Malformed { .. } | Error::DecryptionFailed) => {}
        // A flip inside the header's alg or enc names another algorithm.
        Err(Error::AlgorithmMismatch { .. } | Error::Unsupported(_) | Error::KeySelection(_)) => {}
        other => panic!("{what}: {other:?}"),
    }
}

#[test]
fn round_trip_and_tamper_every_pair_compact() {
    let plaintext = b"round trip \xe2\x80\x93 every alg and enc";
    for (alg, enc, key) in all_symmetric() {
        let header = JweHeader::new().with_typ("JWE");
        let token = jwe::encrypt_compact(&header, plaintext, enc, &key).unwrap();
        let d = jwe::decrypt_compact(&token, &key).unwrap();
        assert_eq!(d.plaintext(), plaintext, "{alg} {enc}");
        assert_eq!(d.header().kid(), Some("k"));
        // One bit flipped in each byte of each part (the header at a stride).
        let parts: Vec<&str> = token.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let bytes = base64url::decode(part).unwrap();
            let step = if i == 0 { 3 } else { 1 };
            for at in (0..bytes.len()).step_by(step) {
                let mut b = bytes.clone();
                b[at] ^= 1 << (at % 8);
                let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
                p[i] = base64url::encode(&b);
                let t = p.join(".");
                assert_rejected(
                    jwe::decrypt_compact(&t, &key),
                    &format!("{alg} {enc} part {i} byte {at}"),
                );
            }
        }
        // A key of the same algorithm that is not the key.
        let other = if alg == KeyManagementAlgorithm::Dir {
            SymmetricKey::generate_direct(enc).unwrap()
        } else {
            SymmetricKey::generate(SymmetricKeyManagement::try_from(alg).unwrap()).unwrap()
        };
        assert_eq!(
            jwe::decrypt_compact(&token, &other).unwrap_err(),
            Error::DecryptionFailed,
            "{alg} {enc}"
        );
    }
}

#[test]
fn round_trip_and_tamper_every_pair_json() {
    let plaintext = b"json round trip";
    for (alg, enc, key) in all_symmetric() {
        for flattened in [true, false] {
            let b = JweJsonBuilder::new(enc)
                .with_unprotected(JweHeader::new().with_cty("text/plain"))
                .with_aad(b"extra")
                .with_recipient(&key, None);
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
            assert_eq!(d.plaintext(), plaintext, "{alg} {enc}");
            assert_eq!(d.aad(), Some(&b"extra"[..]));
            let v: Value = serde_json::from_str(&text).unwrap();
            let mut fields: Vec<(Option<usize>, &str)> = vec![
                (None, "protected"),
                (None, "aad"),
                (None, "iv"),
                (None, "ciphertext"),
                (None, "tag"),
            ];
            if alg != KeyManagementAlgorithm::Dir {
                fields.push(if flattened {
                    (None, "encrypted_key")
                } else {
                    (Some(0), "encrypted_key")
                });
            }
            for (recipient, field) in fields {
                let value = match recipient {
                    Some(i) => v["recipients"][i][field].clone(),
                    None => v[field].clone(),
                };
                let bytes = base64url::decode(s(&value)).unwrap();
                for at in (0..bytes.len()).step_by(5) {
                    let mut b = bytes.clone();
                    b[at] ^= 1 << (at % 8);
                    let mut t = v.clone();
                    match recipient {
                        Some(i) => t["recipients"][i][field] = base64url::encode(&b).into(),
                        None => t[field] = base64url::encode(&b).into(),
                    }
                    let r = EncryptedJson::parse_with(&t.to_string(), &opts())
                        .and_then(|p| p.decrypt(&key));
                    assert_rejected(r, &format!("{alg} {enc} {field}"));
                }
            }
        }
    }
}

#[test]
fn several_recipients_share_one_cek() {
    let a = SymmetricKey::generate(SymmetricKeyManagement::A128Kw)
        .unwrap()
        .with_key_id("a");
    let b = SymmetricKey::generate(SymmetricKeyManagement::A256GcmKw)
        .unwrap()
        .with_key_id("b");
    let c = SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs384A192Kw, b"correct horse")
        .unwrap()
        .with_key_id("c");
    let text = JweJsonBuilder::new(ContentEncryption::A256Gcm)
        .with_protected(JweHeader::new().with_typ("x").with_deflate())
        .with_recipient(&a, None)
        .with_recipient(
            &b,
            Some(JweHeader::new().with_member("note", "for b").unwrap()),
        )
        .with_recipient(&c, None)
        .general(b"shared secret, compressed".repeat(20).as_slice())
        .unwrap();
    for key in [&a as &dyn KeyDecryptor, &b, &c] {
        let d = EncryptedJson::parse_with(&text, &opts())
            .unwrap()
            .decrypt(key)
            .unwrap();
        assert_eq!(
            d.plaintext(),
            b"shared secret, compressed".repeat(20).as_slice()
        );
        assert_eq!(
            d.recipient_header().and_then(|h| h.untrusted().kid()),
            key.key_id()
        );
        assert_eq!(d.header().zip(), Some("DEF"));
    }
    let set = DecryptorSet::new().with(c.clone()).with(a.clone());
    EncryptedJson::parse_with(&text, &opts())
        .unwrap()
        .decrypt(&set)
        .unwrap();
    // A key for nobody here: key selection, not a decryption attempt.
    let d = SymmetricKey::generate(SymmetricKeyManagement::A128Kw)
        .unwrap()
        .with_key_id("d");
    assert!(matches!(
        EncryptedJson::parse_with(&text, &opts())
            .unwrap()
            .decrypt(&DecryptorSet::new().with(d.clone())),
        Err(Error::KeySelection(_))
    ));
    assert!(matches!(
        EncryptedJson::parse_with(&text, &opts())
            .unwrap()
            .decrypt(&d),
        Err(Error::KeySelection(_))
    ));
    // Direct key agreement cannot serve several recipients.
    let dir = SymmetricKey::generate_direct(ContentEncryption::A256Gcm).unwrap();
    assert!(matches!(
        JweJsonBuilder::new(ContentEncryption::A256Gcm)
            .with_recipient(&dir, None)
            .with_recipient(&a, None)
            .general(b"x"),
        Err(Error::Unsupported(_))
    ));
    // Recipient limit, checked before any recipient is looked at.
    let limits = Limits::default().with_max_recipients(2);
    assert!(matches!(
        EncryptedJson::parse_with(&text, &ParseOptions::new().with_limits(limits)),
        Err(Error::LimitExceeded {
            limit: Limit::Recipients,
            max: 2
        })
    ));
}

#[test]
fn header_rules() {
    let key = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    let enc = ContentEncryption::A128Gcm;
    // Overlapping headers in JSON.
    let r = JweJsonBuilder::new(enc)
        .with_protected(JweHeader::new().with_typ("a"))
        .with_unprotected(JweHeader::new().with_typ("b"))
        .with_recipient(&key, None)
        .general(b"x");
    assert!(matches!(r, Err(Error::Malformed { .. })));
    // zip and crit only in the protected header.
    let r = JweJsonBuilder::new(enc)
        .with_unprotected(JweHeader::new().with_deflate())
        .with_recipient(&key, None)
        .general(b"x");
    assert!(r.is_err());
    // Unknown crit is refused on decryption; understood when declared.
    let h = JweHeader::new()
        .with_member("ext", true)
        .unwrap()
        .with_crit(["ext"]);
    let t = jwe::encrypt_compact(&h, b"x", enc, &key).unwrap();
    assert!(matches!(
        jwe::decrypt_compact(&t, &key),
        Err(Error::Critical(_))
    ));
    let d = EncryptedCompact::parse_with(&t, &ParseOptions::new().with_critical("ext"))
        .unwrap()
        .decrypt(&key)
        .unwrap();
    assert_eq!(d.plaintext(), b"x");
    // A key bound to another algorithm, or a dir key bound to another enc.
    let other = SymmetricKey::generate(SymmetricKeyManagement::A256Kw).unwrap();
    assert!(matches!(
        jwe::decrypt_compact(&t, &other),
        Err(Error::Critical(_) | Error::AlgorithmMismatch { .. })
    ));
    let plain = jwe::encrypt_compact(&JweHeader::new(), b"x", enc, &key).unwrap();
    assert_eq!(
        jwe::decrypt_compact(&plain, &other).unwrap_err(),
        Error::AlgorithmMismatch {
            expected: "A256KW".into(),
            found: "A128KW".into()
        }
    );
    let dir = SymmetricKey::generate_direct(ContentEncryption::A128Gcm).unwrap();
    assert!(matches!(
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A256Gcm, &dir),
        Err(Error::AlgorithmMismatch { .. })
    ));
    let dir_token =
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &dir).unwrap();
    let dir256 = SymmetricKey::direct(ContentEncryption::A128CbcHs256, &[0u8; 32]).unwrap();
    assert!(matches!(
        jwe::decrypt_compact(&dir_token, &dir256),
        Err(Error::AlgorithmMismatch { .. })
    ));
    // A JWS is not a JWE, and the compact entry point does not take JSON.
    assert!(matches!(
        jwe::decrypt_compact("a.b.c", &key),
        Err(Error::Malformed { .. })
    ));
    let json = JweJsonBuilder::new(enc)
        .with_recipient(&key, None)
        .flattened(b"x")
        .unwrap();
    assert!(matches!(
        jwe::decrypt_compact(&json, &key),
        Err(Error::Malformed { .. })
    ));
    // Wrong key sizes are refused when the key is built.
    assert!(SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[0; 24]).is_err());
    assert!(SymmetricKey::direct(ContentEncryption::A256CbcHs512, &[0; 32]).is_err());
    assert!(SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"").is_err());
}

/// Builds a compact JWE by hand: a given protected header over a given ciphertext.
fn forge(header: &str, rest: [&[u8]; 4]) -> String {
    let mut t = base64url::encode(header);
    for p in rest {
        t.push('.');
        t.push_str(&base64url::encode(p));
    }
    t
}

#[test]
fn pbes2_count_is_capped_before_any_work() {
    let key = SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"password").unwrap();
    // p2c of 10 000 000: refused at once with LimitExceeded (its cost is in benches/jwe.rs).
    let header =
        r#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"AAAAAAAAAAA","p2c":10000000}"#;
    let t = forge(header, [&[0u8; 24], &[0u8; 12], b"x", &[0u8; 16]]);
    assert_eq!(
        jwe::decrypt_compact(&t, &key).unwrap_err(),
        Error::LimitExceeded {
            limit: Limit::Pbes2Count,
            max: 10_000
        }
    );
    // At the limit it is processed (and fails on the forged key), one above it is not.
    let at = header.replace("10000000", "10000");
    assert_eq!(
        jwe::decrypt_compact(
            &forge(&at, [&[0u8; 24], &[0u8; 12], b"x", &[0u8; 16]]),
            &key
        )
        .unwrap_err(),
        Error::DecryptionFailed
    );
    let over = header.replace("10000000", "10001");
    assert!(matches!(
        jwe::decrypt_compact(
            &forge(&over, [&[0u8; 24], &[0u8; 12], b"x", &[0u8; 16]]),
            &key
        ),
        Err(Error::LimitExceeded { .. })
    ));
    // p2s shorter than 8 bytes, and p2c 0, are malformed.
    let short = header
        .replace("AAAAAAAAAAA", "AAAAAAAAAA")
        .replace("10000000", "100");
    assert!(matches!(
        jwe::decrypt_compact(
            &forge(&short, [&[0u8; 24], &[0u8; 12], b"x", &[0u8; 16]]),
            &key
        ),
        Err(Error::Malformed { .. })
    ));
    let zero = header.replace("10000000", "0");
    assert!(matches!(
        jwe::decrypt_compact(
            &forge(&zero, [&[0u8; 24], &[0u8; 12], b"x", &[0u8; 16]]),
            &key
        ),
        Err(Error::Malformed { .. })
    ));
    // The default count used to encrypt stays within the default cap.
    let t =
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &key).unwrap();
    let p2c = EncryptedCompact::parse_with(&t, &opts())
        .unwrap()
        .untrusted_header()
        .untrusted()
        .p2c()
        .unwrap();
    assert_eq!(p2c, u64::from(jwe::DEFAULT_PBES2_COUNT));
    assert!(p2c <= u64::from(Limits::default().max_pbes2_count()));
    assert_eq!(jwe::decrypt_compact(&t, &key).unwrap().plaintext(), b"x");
}

#[test]
fn zip_bomb_is_capped() {
    // 10 MB of zeros deflate to about 10 KB; a quarter of that, 2.5 MB inflated, is far
    // above the 250 000-byte cap and arrives in a token of about 3.5 KB.
    let key = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    let bomb = vec![0u8; 2_500_000];
    let t = jwe::encrypt_compact(
        &JweHeader::new().with_deflate(),
        &bomb,
        ContentEncryption::A128Gcm,
        &key,
    )
    .unwrap();
    assert!(t.len() < 5_000, "{}", t.len());
    assert_eq!(
        jwe::decrypt_compact(&t, &key).unwrap_err(),
        Error::LimitExceeded {
            limit: Limit::DecompressedSize,
            max: 250_000
        }
    );
    // Exactly at the cap is fine; one byte more is not.
    for (len, ok) in [(250_000, true), (250_001, false)] {
        let t = jwe::encrypt_compact(
            &JweHeader::new().with_deflate(),
            &vec![7u8; len],
            ContentEncryption::A128Gcm,
            &key,
        )
        .unwrap();
        assert_eq!(jwe::decrypt_compact(&t, &key).is_ok(), ok, "{len}");
    }
    // A raised cap lets it through.
    let limits = Limits::default().with_max_decompressed_len(3_000_000);
    let d = EncryptedCompact::parse_with(&t, &ParseOptions::new().with_limits(limits))
        .unwrap()
        .decrypt(&key);
    assert!(d.is_ok());
    // zip only when the caller asks: no zip member otherwise.
    let plain =
        jwe::encrypt_compact(&JweHeader::new(), b"x", ContentEncryption::A128Gcm, &key).unwrap();
    assert_eq!(
        EncryptedCompact::parse_with(&plain, &opts())
            .unwrap()
            .untrusted_header()
            .untrusted()
            .zip(),
        None
    );
    // An unknown zip is unsupported.
    let unknown = jwe::encrypt_compact(
        &JweHeader::new().with_member("zip", "GZ").unwrap(),
        b"x",
        ContentEncryption::A128Gcm,
        &key,
    );
    assert!(matches!(unknown, Err(Error::Unsupported(_))));
}

#[test]
fn jwk_round_trip_for_symmetric_keys() {
    for (alg, enc, key) in all_symmetric().into_iter().step_by(5) {
        let jwk = key.to_secret_jwk();
        let back = Jwk::from_json(jwk.to_json().as_bytes())
            .unwrap()
            .to_symmetric_key(None, None)
            .unwrap();
        let t = jwe::encrypt_compact(&JweHeader::new(), b"x", enc, &back).unwrap();
        assert_eq!(
            jwe::decrypt_compact(&t, &key).unwrap().plaintext(),
            b"x",
            "{alg} {enc}"
        );
        let _ = (KeyEncryptor::algorithm(&key), alg);
    }
}

/// When no recipient decrypts, the error is the one that tells most: an `RSA1_5` recipient
/// (refused) before a recipient for another key's algorithm still reports the mismatch.
#[test]
fn json_error_is_the_most_telling() {
    let key = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[7; 16]).unwrap();
    let token = |algs: &[&str]| {
        let recipients: Vec<String> = algs
            .iter()
            .map(|a| format!(r#"{{"header":{{"alg":"{a}"}},"encrypted_key":"AAAA"}}"#))
            .collect();
        format!(
            r#"{{"protected":"{}","recipients":[{}],"iv":"AAAAAAAAAAAAAAAA","ciphertext":"AAAA","tag":"AAAAAAAAAAAAAAAAAAAAAA"}}"#,
            base64url::encode(br#"{"enc":"A128GCM"}"#),
            recipients.join(",")
        )
    };
    let decrypt = |algs: &[&str]| EncryptedJson::parse(&token(algs)).unwrap().decrypt(&key);
    for algs in [["RSA1_5", "A256KW"], ["A256KW", "RSA1_5"]] {
        assert!(
            matches!(decrypt(&algs), Err(Error::AlgorithmMismatch { .. })),
            "{algs:?}"
        );
    }
    assert!(matches!(decrypt(&["RSA1_5"]), Err(Error::Unsupported(_))));
    // A recipient the key is tried on and fails on says most.
    assert!(matches!(
        decrypt(&["RSA1_5", "A256KW", "A128KW"]),
        Err(Error::DecryptionFailed)
    ));
}
