//! A key in a JWK Set behaves like the same key alone: for every JWS and JWE algorithm,
//! and every way a JWK can name its algorithm (its own `alg`, no `alg` and a policy, and for
//! `dir` both the `"dir"` and the content-encryption spelling), whatever the key decrypts or
//! verifies alone, the set decrypts or verifies too, with or without a `kid`.
//!
//! The family exists because a `dir` key decrypted alone but not from a set: the two paths
//! prepare keys separately, so each rule of one must be checked against the other.

use josecraft::jwe::{self, DecryptorSource};
use josecraft::jwk::{DecryptorPolicy, Jwk, JwkSet, KeySpec, VerifierPolicy};
use josecraft::jws::{self, VerifierSource};
use josecraft::ParseOptions;
use josecraft::{AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use josecraft::{JweHeader, JwsAlgorithm, JwsHeader};

/// The ways a JWK can say which JWE algorithm it is for, and the policy a set then needs.
fn jwe_spellings(
    alg: KeyManagementAlgorithm,
    enc: ContentEncryption,
) -> Vec<(&'static str, Option<String>, DecryptorPolicy)> {
    let mut out = vec![
        (
            "own alg",
            Some(alg.name().to_string()),
            DecryptorPolicy::new(),
        ),
        (
            "no alg + policy",
            None,
            if alg == KeyManagementAlgorithm::Dir {
                DecryptorPolicy::new().with_algorithm(alg).with_direct(enc)
            } else {
                DecryptorPolicy::new().with_algorithm(alg)
            },
        ),
    ];
    if alg == KeyManagementAlgorithm::Dir {
        out[0].2 = DecryptorPolicy::new().with_direct(enc);
        out.push((
            "alg = enc",
            Some(enc.name().to_string()),
            DecryptorPolicy::new(),
        ));
    }
    out
}

#[test]
fn every_jwe_key_decrypts_the_same_alone_and_in_a_set() {
    for alg in KeyManagementAlgorithm::ALL {
        for enc in [ContentEncryption::A256Gcm, ContentEncryption::A128CbcHs256] {
            let spec = KeySpec::for_algorithm(alg.name(), Some(enc.name())).unwrap();
            let base = Jwk::generate(spec).unwrap();
            for with_kid in [true, false] {
                for (how, alg_member, policy) in jwe_spellings(alg, enc) {
                    let mut jwk = base.clone();
                    if let Some(a) = &alg_member {
                        jwk = jwk.with_alg(a.clone());
                    }
                    if with_kid {
                        jwk = jwk.with_kid("k1");
                    }
                    let case = format!("{alg} {enc} {how} kid={with_kid}");
                    // Alone: the key bound to alg (and enc for dir) by the caller.
                    let dir_enc = (alg == KeyManagementAlgorithm::Dir).then_some(enc);
                    let (token, alone): (String, Box<dyn DecryptorSource>) = if jwk.kty() == "oct" {
                        let k = jwk.to_symmetric_key(Some(alg), dir_enc).unwrap();
                        (
                            jwe::encrypt_compact(&JweHeader::new(), b"same", enc, &k).unwrap(),
                            Box::new(k),
                        )
                    } else {
                        let k = jwk
                            .to_decryption_key(Some(
                                AsymmetricKeyManagement::try_from(alg).unwrap(),
                            ))
                            .unwrap();
                        (
                            jwe::encrypt_compact(
                                &JweHeader::new(),
                                b"same",
                                enc,
                                &k.encryption_key(),
                            )
                            .unwrap(),
                            Box::new(k),
                        )
                    };
                    let options = ParseOptions::default();
                    let by_key = jwe::EncryptedCompact::parse_with(&token, &options)
                        .and_then(|u| u.decrypt(&*alone))
                        .unwrap_or_else(|e| panic!("{case}: alone: {e}"));
                    assert_eq!(by_key.plaintext(), b"same");
                    let set = JwkSet::new().with(jwk.clone());
                    let prepared = set
                        .decryptor_with(&policy)
                        .unwrap_or_else(|e| panic!("{case}: {e}"));
                    assert_eq!(
                        prepared.len(),
                        1,
                        "{case}: skipped {:?}",
                        prepared.skipped()
                    );
                    let by_set = jwe::EncryptedCompact::parse_with(&token, &options)
                        .and_then(|u| u.decrypt(&prepared))
                        .unwrap_or_else(|e| panic!("{case}: set: {e}"));
                    assert_eq!(by_set.plaintext(), b"same", "{case}");
                    // With its own alg, the set needs no policy at all (except dir's enc).
                    if how == "own alg" && alg != KeyManagementAlgorithm::Dir {
                        jwe::EncryptedCompact::parse_with(&token, &options)
                            .and_then(|u| u.decrypt(&set))
                            .unwrap_or_else(|e| panic!("{case}: default policy: {e}"));
                    }
                }
            }
        }
    }
}

#[test]
fn every_jws_key_verifies_the_same_alone_and_in_a_set() {
    for alg in JwsAlgorithm::ALL {
        let spec = KeySpec::for_algorithm(alg.name(), None).unwrap();
        let base = Jwk::generate(spec).unwrap();
        for with_kid in [true, false] {
            for own_alg in [true, false] {
                let mut jwk = base.clone();
                if own_alg {
                    jwk = jwk.with_alg(alg.name());
                }
                if with_kid {
                    jwk = jwk.with_kid("k1");
                }
                let case = format!("{alg} own_alg={own_alg} kid={with_kid}");
                let (token, alone): (String, Box<dyn VerifierSource>) = if alg.is_symmetric() {
                    let k = jwk
                        .to_hmac_key(Some(HmacAlgorithm::try_from(alg).unwrap()))
                        .unwrap();
                    (
                        jws::sign_compact(&JwsHeader::new(), b"same", &k).unwrap(),
                        Box::new(k),
                    )
                } else {
                    let k = jwk
                        .to_signing_key(Some(SignatureAlgorithm::try_from(alg).unwrap()))
                        .unwrap();
                    (
                        jws::sign_compact(&JwsHeader::new(), b"same", &k).unwrap(),
                        Box::new(k.verifying_key()),
                    )
                };
                let options = ParseOptions::default();
                jws::UnverifiedCompact::parse_with(&token, &options)
                    .and_then(|u| u.verify(&*alone))
                    .unwrap_or_else(|e| panic!("{case}: alone: {e}"));
                let policy = if own_alg {
                    VerifierPolicy::new()
                } else {
                    VerifierPolicy::new().with_algorithm(alg)
                };
                let set = JwkSet::new().with(jwk.clone());
                let prepared = set.verifier_with(&policy).unwrap();
                assert_eq!(
                    prepared.len(),
                    1,
                    "{case}: skipped {:?}",
                    prepared.skipped()
                );
                let v = jws::UnverifiedCompact::parse_with(&token, &options)
                    .and_then(|u| u.verify(&prepared))
                    .unwrap_or_else(|e| panic!("{case}: set: {e}"));
                assert_eq!(v.payload(), b"same");
            }
        }
    }
}
