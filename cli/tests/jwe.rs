//! `encrypt` and `decrypt`.

mod common;

use common::{Env, ENCS, JWE_ALGS as ALGS};
use serde_json::{json, Value};

fn header_of(token: &str) -> Value {
    let h = token.split('.').next().unwrap();
    serde_json::from_slice(&josecraft::base64url::decode(h).unwrap()).unwrap()
}

fn flip(token: &str, part: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut bytes = josecraft::base64url::decode(&parts[part]).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    parts[part] = josecraft::base64url::encode(&bytes);
    parts.join(".")
}

#[test]
fn round_trip_every_alg_and_enc() {
    let env = Env::new();
    let plaintext: Vec<u8> = (0u8..=255).rev().collect();
    let pfile = env.write("pt", &plaintext);
    let curves = ["P-256", "P-384", "P-521", "X25519"];
    let mut pairs = 0;
    for (i, alg) in ALGS.iter().enumerate() {
        let mut args = vec![*alg, "--kid", "r"];
        if alg.starts_with("ECDH-ES") {
            args.extend(["--crv", curves[i % 4]]);
        }
        let private = env.keygen("priv.jwk", &args);
        // Asymmetric: encrypt to the public key.
        let enc_key = if alg.starts_with("ECDH") || alg.starts_with("RSA") {
            env.write("pub.jwk", env.run(&["jwk", "public", &private]).text())
        } else {
            private.clone()
        };
        for (j, enc) in ENCS.iter().enumerate() {
            let json = (i + j) % 2 == 1;
            let mut args = vec![
                "encrypt",
                "--key",
                enc_key.as_str(),
                "--alg",
                alg,
                "--enc",
                enc,
            ];
            if json {
                args.push("--json");
            }
            args.push(&pfile);
            let token = env.run(&args).line();
            let tfile = env.write("t", &token);
            assert_eq!(
                env.ok(&["decrypt", "--key", &private, &tfile]),
                plaintext,
                "{alg} {enc} json={json}"
            );
            if !json {
                assert_eq!(token.split('.').count(), 5);
                assert_eq!(header_of(&token)["enc"], *enc);
                assert_eq!(header_of(&token)["kid"], "r");
                // Every integrity-protected part, one bit changed: exit 1.
                for part in [0, 2, 3, 4] {
                    let bad = flip(&token, part);
                    env.run(&["decrypt", "--key", &private, "--token", &bad])
                        .fails(1);
                }
            }
            pairs += 1;
        }
        // A wrong key of the same kind: 1.
        let mut args = vec![*alg, "--kid", "r"];
        if alg.starts_with("ECDH-ES") {
            args.extend(["--crv", curves[i % 4]]);
        }
        let other = env.keygen("other.jwk", &args);
        let token = env
            .run(&[
                "encrypt", "--key", &enc_key, "--alg", alg, "--enc", "A256GCM", &pfile,
            ])
            .line();
        env.run(&["decrypt", "--key", &other, "--token", &token])
            .fails(1);
        // A public key cannot decrypt: 2.
        if enc_key != private {
            env.run(&["decrypt", "--key", &enc_key, "--token", &token])
                .fails(2);
        }
    }
    // dir with each enc.
    for (j, enc) in ENCS.iter().enumerate() {
        let key = env.keygen("dir.jwk", &["dir", "--enc", enc]);
        let mut args = vec![
            "encrypt",
            "--key",
            key.as_str(),
            "--alg",
            "dir",
            "--enc",
            enc,
        ];
        if j % 2 == 0 {
            args.push("--json");
        }
        args.push(&pfile);
        let token = env.run(&args).line();
        assert_eq!(
            env.ok(&["decrypt", "--key", &key, "--token", &token]),
            plaintext,
            "dir {enc}"
        );
        pairs += 1;
    }
    assert_eq!(pairs, 18 * 6);
}

#[test]
fn options_and_rules() {
    let env = Env::new();
    let key = env.keygen("kw.jwk", &["A128KW", "--kid", "w"]);
    let pfile = env.write("pt", "a".repeat(5000));

    // zip, cty, kid.
    let token = env
        .run(&[
            "encrypt",
            "--key",
            &key,
            "--alg",
            "A128KW",
            "--enc",
            "A128GCM",
            "--zip",
            "--cty",
            "text/plain",
            "--kid",
            "override",
            &pfile,
        ])
        .line();
    let h = header_of(&token);
    assert_eq!(
        (h["zip"].as_str(), h["cty"].as_str(), h["kid"].as_str()),
        (Some("DEF"), Some("text/plain"), Some("override"))
    );
    assert!(token.len() < 1000, "compressed");
    assert_eq!(
        env.ok(&["decrypt", "--key", &key, "--token", &token]),
        "a".repeat(5000).as_bytes()
    );
    // Stdin for the plaintext and for the token.
    let t = env
        .run_in(
            &[
                "encrypt", "--key", &key, "--alg", "A128KW", "--enc", "A256GCM",
            ],
            b"in",
        )
        .line();
    assert_eq!(
        env.run_in(&["decrypt", "--key", &key], format!("\n{t}\n"))
            .ok(),
        b"in"
    );

    // Refused arguments: 2.
    for bad in [
        vec!["--alg", "RSA1_5", "--enc", "A128GCM"],
        vec!["--alg", "A192KW", "--enc", "A128GCM"],
        vec!["--alg", "A128KW", "--enc", "A128XYZ"],
        vec!["--alg", "nope", "--enc", "A128GCM"],
        vec!["--alg", "dir", "--enc", "A128GCM"],
        vec!["--alg", "ECDH-ES", "--enc", "A128GCM"],
    ] {
        let mut args = vec!["encrypt", "--key", key.as_str()];
        args.extend(bad);
        args.push(&pfile);
        env.run(&args).fails(2);
    }
    env.run(&["encrypt", "--key", &key, "--enc", "A128GCM", &pfile])
        .fails(2);
    let rsa = env.keygen("rsa.jwk", &["RSA-OAEP"]);
    let line = env
        .run(&[
            "encrypt", "--key", &rsa, "--alg", "RSA1_5", "--enc", "A128GCM", &pfile,
        ])
        .fails(2);
    assert!(line.contains("RSA1_5"), "{line}");
    // A key without alg: --alg on encrypt is enough; decrypt needs --alg too.
    let mut bare = env.run(&["keygen", "A256KW"]).json();
    bare.as_object_mut().unwrap().remove("alg");
    let bare = env.write("bare.jwk", bare.to_string());
    let t = env
        .run(&[
            "encrypt", "--key", &bare, "--alg", "A256KW", "--enc", "A128GCM", &pfile,
        ])
        .line();
    env.run(&["decrypt", "--key", &bare, "--token", &t])
        .fails(2);
    assert!(
        env.run(&["decrypt", "--key", &bare, "--alg", "A256KW", "--token", &t])
            .code
            == 0
    );
    // --alg disagreeing with the key: 2; with the token: 1.
    env.run(&[
        "decrypt", "--key", &key, "--alg", "A256KW", "--token", &token,
    ])
    .fails(2);
    env.run(&[
        "decrypt",
        "--key",
        &bare,
        "--alg",
        "A256GCMKW",
        "--token",
        &t,
    ])
    .fails(1);
    // --alg that the key's length cannot do: 2.
    env.run(&[
        "decrypt",
        "--key",
        &bare,
        "--alg",
        "A128GCMKW",
        "--token",
        &t,
    ])
    .fails(2);
    // An RSA1_5 token: rejected (1), before any RSA operation.
    let rsa15 = format!(
        "{}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
        josecraft::base64url::encode(r#"{"alg":"RSA1_5","enc":"A128GCM"}"#)
    );
    let line = env
        .run(&["decrypt", "--key", &rsa, "--token", &rsa15])
        .fails(1);
    assert!(line.contains("RSA1_5"), "{line}");
    // Structure errors: 1.
    env.run(&["decrypt", "--key", &key, "--token", "a.b.c"])
        .fails(1);
    env.run(&["decrypt", "--key", &key, "--token", "{\"ciphertext\":1}"])
        .fails(1);
}

#[test]
fn dir_key_content_encryption_rules() {
    let env = Env::new();
    let pfile = env.write("pt", "dir");
    // A dir key whose alg names its enc (RFC 7520 §5.6).
    let named = env.keygen("named.jwk", &["dir", "--enc", "A128CBC-HS256"]);
    let token = env
        .run(&[
            "encrypt",
            "--key",
            &named,
            "--alg",
            "dir",
            "--enc",
            "A128CBC-HS256",
            &pfile,
        ])
        .line();
    assert_eq!(
        env.ok(&["decrypt", "--key", &named, "--token", &token]),
        b"dir"
    );
    env.run(&[
        "encrypt", "--key", &named, "--alg", "dir", "--enc", "A256GCM", &pfile,
    ])
    .fails(2);
    env.run(&[
        "decrypt", "--key", &named, "--enc", "A256GCM", "--token", &token,
    ])
    .fails(2);

    // An oct key with alg "dir": --enc, else the token's enc when the length fits.
    let mut dir = env.run(&["keygen", "dir", "--enc", "A256GCM"]).json();
    dir["alg"] = json!("dir");
    let dir = env.write("dir.jwk", dir.to_string());
    for enc in ["A256GCM", "A128CBC-HS256"] {
        // Both are 32-byte keys.
        let t = env
            .run(&[
                "encrypt", "--key", &dir, "--alg", "dir", "--enc", enc, &pfile,
            ])
            .line();
        assert_eq!(
            env.ok(&["decrypt", "--key", &dir, "--token", &t]),
            b"dir",
            "{enc}"
        );
        assert_eq!(
            env.ok(&["decrypt", "--key", &dir, "--enc", enc, "--token", &t]),
            b"dir"
        );
        let other = if enc == "A256GCM" {
            "A128CBC-HS256"
        } else {
            "A256GCM"
        };
        env.run(&["decrypt", "--key", &dir, "--enc", other, "--token", &t])
            .fails(1);
    }
    // A token whose enc needs another key length: the key does not fit it (1).
    let k16 = env.keygen("k16.jwk", &["dir", "--enc", "A128GCM"]);
    let t16 = env
        .run(&[
            "encrypt", "--key", &k16, "--alg", "dir", "--enc", "A128GCM", &pfile,
        ])
        .line();
    env.run(&["decrypt", "--key", &dir, "--token", &t16])
        .fails(1);
    // A key without alg: --alg dir decides.
    let mut bare: Value = serde_json::from_slice(&env.read("k16.jwk")).unwrap();
    bare.as_object_mut().unwrap().remove("alg");
    let bare = env.write("bare.jwk", bare.to_string());
    assert_eq!(
        env.ok(&["decrypt", "--key", &bare, "--alg", "dir", "--token", &t16]),
        b"dir"
    );
    env.run(&["decrypt", "--key", &bare, "--token", &t16])
        .fails(2);
}

#[test]
fn key_sets() {
    let env = Env::new();
    let pfile = env.write("pt", "set");
    let a = env.run(&["keygen", "ECDH-ES+A128KW", "--kid", "a"]).json();
    let b = env.run(&["keygen", "RSA-OAEP-256", "--kid", "b"]).json();
    let c = env.run(&["keygen", "ECDH-ES+A128KW", "--kid", "c"]).json();
    let set = env.write("set.json", json!({"keys": [a, b, c]}).to_string());
    let public = env.write("pub.json", env.run(&["jwk", "public", &set]).text());
    // encrypt: --kid picks the key; several that fit without --kid: 2.
    let t = env
        .run(&[
            "encrypt",
            "--key",
            &public,
            "--alg",
            "ECDH-ES+A128KW",
            "--enc",
            "A128GCM",
            "--kid",
            "c",
            &pfile,
        ])
        .line();
    assert_eq!(header_of(&t)["kid"], "c");
    env.run(&[
        "encrypt",
        "--key",
        &public,
        "--alg",
        "ECDH-ES+A128KW",
        "--enc",
        "A128GCM",
        &pfile,
    ])
    .fails(2);
    let tb = env
        .run(&[
            "encrypt",
            "--key",
            &public,
            "--alg",
            "RSA-OAEP-256",
            "--enc",
            "A128GCM",
            &pfile,
        ])
        .line();
    assert_eq!(header_of(&tb)["kid"], "b");
    // decrypt: selection by kid.
    assert_eq!(env.ok(&["decrypt", "--key", &set, "--token", &t]), b"set");
    assert_eq!(env.ok(&["decrypt", "--key", &set, "--token", &tb]), b"set");
    // Public keys only: nothing can decrypt, 2.
    env.run(&["decrypt", "--key", &public, "--token", &t])
        .fails(2);
}
