//! Both crypto providers compiled in (`--features aws-lc` next to the default ring): every
//! algorithm's keys and tokens made under one provider are used under the other, through
//! the real binary with `JOSECRAFT_CRYPTO_PROVIDER` choosing the provider per process.
#![cfg(feature = "aws-lc")]

mod common;

use common::{Env, ENCS, JWE_ALGS, JWS_ALGS};

const PROVIDERS: [(&str, &str); 2] = [("ring", "aws-lc"), ("aws-lc", "ring")];

/// The variable reaches the library: ring signs ES512 with RFC 6979 (deterministic)
/// nonces, aws-lc with random ones, so two signatures of one input tell them apart.
#[test]
fn the_variable_selects_the_provider() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["ES512"]);
    let payload = env.write("p", b"same input");
    for (provider, deterministic) in [("ring", true), ("aws-lc", false)] {
        let a = env.ok_under(provider, &["sign", "--key", &key, &payload]);
        let b = env.ok_under(provider, &["sign", "--key", &key, &payload]);
        assert_eq!(a == b, deterministic, "{provider}");
    }
}

#[test]
fn signatures_cross_providers_for_every_algorithm() {
    let env = Env::new();
    let payload: Vec<u8> = (0u8..=255).collect();
    let pfile = env.write("p", &payload);
    for (made, used) in PROVIDERS {
        for alg in JWS_ALGS {
            let key = env.write("k.jwk", env.ok_under(made, &["keygen", alg, "--kid", "k"]));
            let token = env.write("t", env.ok_under(made, &["sign", "--key", &key, &pfile]));
            assert_eq!(
                env.ok_under(used, &["verify", "--key", &key, &token]),
                payload,
                "{alg}: made under {made}, verified under {used}"
            );
            if !alg.starts_with("HS") {
                let public = env.write("pub.jwk", env.ok_under(used, &["jwk", "public", &key]));
                assert_eq!(
                    env.ok_under(used, &["verify", "--key", &public, &token]),
                    payload,
                    "{alg}: made under {made}, verified with the public key under {used}"
                );
            }
            // And the other way round within the pair: signed where the key is used.
            let token = env.write("t2", env.ok_under(used, &["sign", "--key", &key, &pfile]));
            assert_eq!(
                env.ok_under(made, &["verify", "--key", &key, &token]),
                payload,
                "{alg}: key from {made}, signed under {used}"
            );
        }
    }
}

#[test]
fn encryption_crosses_providers_for_every_algorithm_and_encryption() {
    let env = Env::new();
    let plaintext: Vec<u8> = (0u8..=255).rev().collect();
    let pfile = env.write("pt", &plaintext);
    let curves = ["P-256", "P-384", "P-521", "X25519"];
    for (made, used) in PROVIDERS {
        for (i, alg) in ["dir"].iter().chain(JWE_ALGS).enumerate() {
            // Every content encryption with every algorithm would be 18 × 6 × 2 round
            // trips of RSA key generation; each algorithm meets two encryptions, and every
            // encryption meets every kind of key management over the loop.
            for enc in [ENCS[i % ENCS.len()], ENCS[(i + 3) % ENCS.len()]] {
                let mut args = vec!["keygen", alg, "--kid", "r"];
                if *alg == "dir" {
                    args.extend(["--enc", enc]);
                }
                if alg.starts_with("ECDH-ES") {
                    args.extend(["--crv", curves[i % curves.len()]]);
                }
                let private = env.write("priv.jwk", env.ok_under(made, &args));
                let to = if alg.starts_with("ECDH") || alg.starts_with("RSA") {
                    env.write("pub.jwk", env.ok_under(made, &["jwk", "public", &private]))
                } else {
                    private.clone()
                };
                let args = ["encrypt", "--key", &to, "--alg", alg, "--enc", enc, &pfile];
                let token = env.write("t", env.ok_under(made, &args));
                assert_eq!(
                    env.ok_under(used, &["decrypt", "--key", &private, &token]),
                    plaintext,
                    "{alg} {enc}: encrypted under {made}, decrypted under {used}"
                );
            }
        }
    }
}
