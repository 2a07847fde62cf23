//! Property tests: no parser panics on any input, and no mutation of a valid token
//! verifies. (The fuzz targets in `fuzz/` go further; these keep CI covering it.)

use josecraft::jwk::Jwk;
use josecraft::jws::{self, JsonJwsBuilder, UnverifiedCompact, UnverifiedJson, VerifierSet};
use josecraft::ParseOptions;
use josecraft::{base64url, dangerous, HmacKey, JwsHeader, Limits, SigningKey, VerifyingKey};
use josecraft::{EcdsaAlgorithm, EdDsaAlgorithm, RsaAlgorithm};
use josecraft::{HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement};
use proptest::prelude::*;

fn keys() -> (HmacKey, SigningKey, VerifierSet) {
    let h = HmacKey::new(HmacAlgorithm::Hs256, &[3u8; 32])
        .unwrap()
        .with_key_id("h");
    let e = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("e");
    let set = VerifierSet::new().with(h.clone()).with(e.verifying_key());
    (h, e, set)
}

/// Exercises every JWS entry point on `input`; returns whether any verification succeeded.
fn feed(input: &str, h: &HmacKey, e: &SigningKey, set: &VerifierSet) -> bool {
    let opts = ParseOptions::default();
    let _ = dangerous::decode_unverified(input);
    let _ = dangerous::decode_unsecured(input);
    let _ = base64url::decode(input);
    let mut ok = jws::verify_compact(input, h).is_ok();
    ok |= jws::verify_compact(input, &e.verifying_key()).is_ok();
    ok |= jws::UnverifiedCompact::parse_with(input, &opts)
        .and_then(|u| u.verify(set))
        .is_ok();
    for u in [
        UnverifiedJson::parse_with(input, &opts),
        UnverifiedJson::parse_detached_with(input, b"payload", &opts),
    ]
    .into_iter()
    .flatten()
    {
        let _kids: Vec<Option<&str>> = u
            .signatures()
            .iter()
            .map(|s| s.untrusted_header().untrusted().kid())
            .collect();
        ok |= u.verify_each(set).is_ok();
    }
    let jwe_key =
        josecraft::jwe::SymmetricKey::new(josecraft::SymmetricKeyManagement::A128Kw, &[5u8; 16])
            .unwrap();
    let jwe_opts = josecraft::ParseOptions::default();
    ok |= josecraft::jwe::decrypt_compact(input, &jwe_key).is_ok();
    if let Ok(e) = josecraft::jwe::EncryptedJson::parse_with(input, &jwe_opts) {
        let _kids: Vec<bool> = e
            .recipients()
            .iter()
            .map(|r| r.untrusted_header().untrusted().kid().is_some())
            .collect();
        ok |= e.decrypt(&jwe_key).is_ok();
    }
    if let Ok(u) = UnverifiedCompact::parse_detached_with(input, b"payload", &opts) {
        let _ = u.untrusted_header().untrusted().kid();
        ok |= u.verify(set).is_ok();
    }
    ok
}

fn token_chars() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars().collect::<Vec<_>>()
        ),
        2 => prop::sample::select(vec!['.', '=', '+', '/', ' ', '\n', '{', '"', '\0', 'é']),
    ]
}

/// A mutation of a token: (position fraction, kind, replacement char).
fn mutation() -> impl Strategy<Value = (f64, u8, char)> {
    (0.0f64..1.0, 0u8..3, token_chars())
}

fn apply(token: &str, (at, kind, c): (f64, u8, char)) -> String {
    let chars: Vec<char> = token.chars().collect();
    let i = ((chars.len() as f64) * at) as usize;
    let mut out = chars.clone();
    match kind {
        0 if i < out.len() => out[i] = c,
        1 => out.insert(i.min(out.len()), c),
        _ if i < out.len() => {
            out.remove(i);
        }
        _ => out.push(c),
    }
    out.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,200}") {
        let (h, e, set) = keys();
        prop_assert!(!feed(&s, &h, &e, &set));
    }

    #[test]
    fn token_shaped_strings_never_panic(
        parts in prop::collection::vec(prop::collection::vec(token_chars(), 0..60), 1..6)
    ) {
        let (h, e, set) = keys();
        let s: Vec<String> = parts.into_iter().map(|p| p.into_iter().collect()).collect();
        prop_assert!(!feed(&s.join("."), &h, &e, &set));
    }

    /// Every change to a valid token makes it fail: canonical base64url leaves no two
    /// encodings of the same bytes.
    #[test]
    fn no_mutation_of_a_valid_token_verifies(
        muts in prop::collection::vec(mutation(), 1..4),
        payload in prop::collection::vec(any::<u8>(), 0..40),
        use_ec in any::<bool>(),
    ) {
        let (h, e, set) = keys();
        let token = if use_ec {
            jws::sign_compact(&JwsHeader::new(), &payload, &e).unwrap()
        } else {
            jws::sign_compact(&JwsHeader::new().with_typ("JWT"), &payload, &h).unwrap()
        };
        prop_assert!(feed(&token, &h, &e, &set));
        let mut t = token.clone();
        for m in muts {
            t = apply(&t, m);
        }
        if t != token {
            prop_assert!(!feed(&t, &h, &e, &set), "mutated token verified: {t}");
        }
    }

    /// No mutation of a JWE decrypts, compact or JSON.
    #[test]
    fn jwe_mutations_never_decrypt(muts in prop::collection::vec(mutation(), 1..4), json_form in any::<bool>()) {
        use josecraft::jwe::{self, JweJsonBuilder, SymmetricKey};
use josecraft::ContentEncryption;
        let key = SymmetricKey::new(SymmetricKeyManagement::A128Kw, &[5u8; 16]).unwrap();
        let token = if json_form {
            JweJsonBuilder::new(ContentEncryption::A128CbcHs256).with_recipient(&key, None).flattened(b"jwe payload").unwrap()
        } else {
            jwe::encrypt_compact(&josecraft::JweHeader::new().with_deflate(), b"jwe payload", ContentEncryption::A128Gcm, &key).unwrap()
        };
        let mut t = token.clone();
        for m in muts {
            t = apply(&t, m);
        }
        let (h, e, set) = keys();
        let decrypted = feed(&t, &h, &e, &set);
        if !json_form && t != token {
            prop_assert!(!decrypted, "mutated JWE decrypted: {t}");
        }
    }

    /// The same for the JSON serialization: no mutation of the text verifies, unless it
    /// only touched the unprotected header or whitespace, which are not signed.
    #[test]
    fn json_mutations_never_panic(muts in prop::collection::vec(mutation(), 1..4)) {
        let (h, e, set) = keys();
        let json = JsonJwsBuilder::new(b"json payload")
            .sign(&h, &JwsHeader::new(), None).unwrap()
            .sign(&e, &JwsHeader::new(), None).unwrap()
            .general().unwrap();
        let mut t = json.clone();
        for m in muts {
            t = apply(&t, m);
        }
        let _ = feed(&t, &h, &e, &set);
    }

    #[test]
    fn header_json_never_panics(
        members in prop::collection::vec(
            (prop::sample::select(vec!["alg","kid","typ","crit","b64","x5c","x5t","jwk","cty","zz"]),
             prop::sample::select(vec!["1","\"HS256\"","[]","[\"b64\"]","{}","{\"a\":1,\"a\":2}","null","true","\"\\ud800\"","[[[[[]]]]]","\"AAAA\""])),
            0..8),
        depth in 0usize..80,
    ) {
        let mut json = String::from("{");
        for (i, (k, v)) in members.iter().enumerate() {
            if i > 0 { json.push(','); }
            json.push_str(&format!("\"{k}\":{v}"));
        }
        json.push_str(&format!(",\"deep\":{}{}", "[".repeat(depth), "]".repeat(depth)));
        json.push('}');
        let _ = JwsHeader::from_json(json.as_bytes(), &Limits::default());
        let _ = Jwk::from_json(json.as_bytes());
        if let Ok(set) = josecraft::jwk::JwkSet::from_json(format!("{{\"keys\":[{json}]}}").as_bytes()) {
            let _ = set.verifier();
            let _ = set.to_public().to_json();
        }
        let (h, e, set) = keys();
        let token = format!("{}.{}.{}", base64url::encode(&json), base64url::encode("x"), base64url::encode([0u8; 32]));
        prop_assert!(!feed(&token, &h, &e, &set));
    }

    #[test]
    fn key_parsers_never_panic(data in prop::collection::vec(any::<u8>(), 0..300)) {
        for alg in [SignatureAlgorithm::Rs256, SignatureAlgorithm::Es256, SignatureAlgorithm::EdDsa] {
            let _ = SigningKey::from_der(alg, &data);
            let _ = VerifyingKey::from_der(alg, &data);
            let text = String::from_utf8_lossy(&data);
            let _ = SigningKey::from_pem(alg, &text);
            let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", base64url::encode(&data));
            let _ = SigningKey::from_pem(alg, &pem);
            let _ = VerifyingKey::from_ed25519_bytes(EdDsaAlgorithm::EdDsa, &data);
            let _ = VerifyingKey::from_ec_point(EcdsaAlgorithm::Es256, &data);
            let _ = VerifyingKey::from_rsa_components(RsaAlgorithm::Rs256, &data, &data);
        }
        let _ = Jwk::from_json(&data);
        let _ = josecraft::jwk::JwkSet::from_json(&data);
        let _ = Jwk::from_der(&data);
        let _ = HmacKey::new(HmacAlgorithm::Hs256, &data);
    }

    #[test]
    fn key_source_inputs_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..300),
        cache_control in "\\PC{0,60}",
        max_age in any::<u64>(),
    ) {
        use josecraft::keysource::{block_on, max_age_from_cache_control, Fetched, RemoteJwks};
        let _ = max_age_from_cache_control(&cache_control);
        let served = body.clone();
        let remote = RemoteJwks::new(move || {
            let f = Fetched::new(served.clone())
                .with_cache_control(&cache_control)
                .with_max_age(std::time::Duration::from_secs(max_age));
            async move { Ok(f) }
        });
        let _ = block_on(remote.refresh());
        let _ = remote.import(&body);
        let _ = remote.export();
        let header = JwsHeader::new().with_kid(String::from_utf8_lossy(&body));
        let _ = block_on(remote.verifier(&josecraft::Untrusted::new(header.clone())));
    }
}
