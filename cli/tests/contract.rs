//! The failure contract, checked over the whole command tree rather than command by
//! command: every way of calling the tool wrongly exits 2 with stderr starting `error: `,
//! every rejected token exits 1, and the messages name the flag or form that fixes them.
//! (The defects these tests guard were each found in a command whose own tests never
//! tried that input: a missing command, a negative duration, a token given as a path,
//! an `--enc` that was ignored, a key without `alg` for `jwt verify`.)

mod common;

use common::Env;

/// Every command path of the tool, for checks that apply to all of them.
const COMMANDS: &[&[&str]] = &[
    &["keygen"],
    &["jwk", "public"],
    &["jwk", "thumbprint"],
    &["jwk", "from-pem"],
    &["sign"],
    &["verify"],
    &["encrypt"],
    &["decrypt"],
    &["jwt", "sign"],
    &["jwt", "verify"],
    &["decode"],
];

#[test]
fn no_command_is_a_usage_error_with_the_usage() {
    let env = Env::new();
    for args in [&[][..], &["jwt"], &["jwk"]] {
        let out = env.run(args);
        let stderr = out.stderr.clone();
        let first = out.fails(2);
        assert_eq!(first, "error: a command is required", "{args:?}");
        assert!(stderr.contains("Usage: josecraft"), "{args:?}: {stderr}");
    }
}

#[test]
fn unknown_flags_and_missing_arguments_are_usage_errors_everywhere() {
    let env = Env::new();
    for command in COMMANDS {
        let mut args = command.to_vec();
        args.push("--no-such-flag");
        env.run(&args).fails(2);
    }
    // Commands that need a key or an argument say so.
    for command in [
        &["keygen"][..],
        &["sign"],
        &["verify"],
        &["encrypt"],
        &["decrypt"],
        &["jwt", "sign"],
        &["jwt", "verify"],
    ] {
        env.run(command).fails(2);
    }
}

#[test]
fn every_duration_flag_refuses_what_it_cannot_mean() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256"]);
    for bad in ["-5m", "-1", "5x", "", "m", "1.5h", "99999999999999999999d"] {
        let first = env
            .run(&["jwt", "sign", "--key", &key, "--exp", bad])
            .fails(2);
        assert!(first.contains("--exp"), "{bad}: {first}");
    }
    let first = env
        .run(&["jwt", "sign", "--key", &key, "--exp", "-5m"])
        .fails(2);
    assert!(first.contains("cannot be negative"), "{first}");
    for bad in ["5x", "", "--", "1.5h"] {
        env.run(&["jwt", "sign", "--key", &key, "--nbf", bad])
            .fails(2);
    }
    // nbf in the past is meaningful (backdating for clock skew) and stays allowed.
    env.ok(&["jwt", "sign", "--key", &key, "--nbf", "-90s", "--exp", "0s"]);
    for bad in ["-1", "86401", "x"] {
        env.run(&[
            "jwt", "verify", "--key", &key, "--leeway", bad, "--token", "a.b.c",
        ])
        .fails(2);
    }
}

#[test]
fn a_token_given_where_a_file_name_goes_points_at_token() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256"]);
    let jwt = String::from_utf8(env.ok(&["jwt", "sign", "--key", &key]))
        .unwrap()
        .trim()
        .to_string();
    for command in [
        &["verify", "--key"][..],
        &["jwt", "verify", "--any-aud", "--key"],
        &["decrypt", "--key"],
    ] {
        let mut args = command.to_vec();
        args.push(&key);
        args.push(&jwt);
        let first = env.run(&args).fails(2);
        assert!(first.contains("--token"), "{command:?}: {first}");
    }
    let first = env.run(&["decode", &jwt]).fails(2);
    assert!(first.contains("--token"), "{first}");
    // A missing file that is not token-shaped keeps the plain message.
    let first = env.run(&["decode", "no-such-file.jwt"]).fails(2);
    assert!(first.contains("no-such-file.jwt"), "{first}");
}

#[test]
fn jwt_verify_and_sign_take_alg_for_keys_without_one() {
    let env = Env::new();
    let pem = common::vector("keys/p256.pkcs8.pem");
    let pem = pem.to_str().unwrap();
    let cert = common::vector("keys/p256.cert.pem");
    let cert = cert.to_str().unwrap();
    // Without --alg, the message names the flag, and the flag exists.
    let first = env.run(&["jwt", "sign", "--key", pem]).fails(2);
    assert!(first.contains("--alg"), "{first}");
    let token = String::from_utf8(env.ok(&[
        "jwt", "sign", "--key", pem, "--alg", "ES256", "--aud", "api",
    ]))
    .unwrap();
    let token = token.trim();
    let first = env
        .run(&[
            "jwt", "verify", "--key", cert, "--aud", "api", "--token", token,
        ])
        .fails(2);
    assert!(first.contains("--alg"), "{first}");
    let out = env.ok(&[
        "jwt", "verify", "--key", cert, "--alg", "ES256", "--aud", "api", "--token", token,
    ]);
    assert!(String::from_utf8(out).unwrap().contains("\"aud\":\"api\""));
    // --alg also refuses a token for another algorithm.
    let first = env
        .run(&[
            "jwt", "verify", "--key", cert, "--alg", "ES384", "--aud", "api", "--token", token,
        ])
        .fails(2);
    assert!(first.contains("ES384"), "{first}");
}

#[test]
fn jwt_verify_names_the_flag_that_accepts_the_audience() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256"]);
    let token = String::from_utf8(env.ok(&["jwt", "sign", "--key", &key, "--aud", "api"])).unwrap();
    let token = token.trim();
    let first = env
        .run(&["jwt", "verify", "--key", &key, "--token", token])
        .fails(1);
    assert!(
        first.contains("--aud") && first.contains("--any-aud"),
        "{first}"
    );
    let first = env
        .run(&[
            "jwt", "verify", "--key", &key, "--aud", "other", "--token", token,
        ])
        .fails(1);
    assert!(
        first.contains("--aud") && first.contains("--any-aud"),
        "{first}"
    );
    env.ok(&[
        "jwt", "verify", "--key", &key, "--aud", "api", "--token", token,
    ]);
}

#[test]
fn decrypt_enc_is_enforced_like_alg() {
    let env = Env::new();
    let key = env.keygen("kw.jwk", &["A256KW"]);
    let plain = env.write("p.txt", "secret");
    let token = String::from_utf8(env.ok(&[
        "encrypt", "--key", &key, "--alg", "A256KW", "--enc", "A256GCM", &plain,
    ]))
    .unwrap();
    let token = token.trim();
    let first = env
        .run(&[
            "decrypt", "--key", &key, "--enc", "A128GCM", "--token", token,
        ])
        .fails(1);
    assert!(
        first.contains("A128GCM") && first.contains("A256GCM"),
        "{first}"
    );
    assert_eq!(
        env.ok(&["decrypt", "--key", &key, "--enc", "A256GCM", "--token", token]),
        b"secret"
    );
    env.run(&["decrypt", "--key", &key, "--enc", "XYZ", "--token", token])
        .fails(2);
}

#[test]
fn dir_keys_work_with_either_spelling_of_their_alg() {
    let env = Env::new();
    // keygen writes the RFC 7520 §5.6 spelling: alg = the content encryption.
    let as_enc = env.keygen("dir.jwk", &["dir", "--enc", "A256GCM", "--kid", "d"]);
    let jwk: serde_json::Value = serde_json::from_slice(&env.read("dir.jwk")).unwrap();
    assert_eq!(jwk["alg"], "A256GCM");
    let mut as_dir = jwk.clone();
    as_dir["alg"] = "dir".into();
    let as_dir = env.write("dir2.jwk", as_dir.to_string());
    let set_enc = env.write("set1.json", format!("{{\"keys\":[{jwk}]}}"));
    let set_dir = env.write(
        "set2.json",
        format!(
            "{{\"keys\":[{}]}}",
            String::from_utf8(env.read("dir2.jwk")).unwrap()
        ),
    );
    let plain = env.write("p.txt", "both");
    for key in [&as_enc, &as_dir, &set_enc, &set_dir] {
        for alg in [&["--alg", "dir"][..], &[]] {
            let mut args = vec!["encrypt", "--key", key, "--enc", "A256GCM"];
            if alg.is_empty() {
                args.extend(["--alg", "dir"]); // encrypt always names its alg
            } else {
                args.extend_from_slice(alg);
            }
            args.push(&plain);
            let token = String::from_utf8(env.ok(&args)).unwrap();
            for reader in [&as_enc, &as_dir, &set_enc, &set_dir] {
                let mut dargs = vec!["decrypt", "--key", reader];
                dargs.extend_from_slice(alg);
                dargs.extend(["--token", token.trim()]);
                assert_eq!(env.ok(&dargs), b"both", "{key} -> {reader} {alg:?}");
            }
        }
    }
    // jwk public treats both spellings alike: a dir key has no public part.
    for key in [&as_enc, &as_dir] {
        env.run(&["jwk", "public", key]).fails(2);
    }
    for set in [&set_enc, &set_dir] {
        let public: serde_json::Value =
            serde_json::from_slice(&env.ok(&["jwk", "public", set])).unwrap();
        assert_eq!(public["keys"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn decode_shows_dates_as_times() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256"]);
    let token =
        String::from_utf8(env.ok(&["jwt", "sign", "--key", &key, "--exp", "1h", "--nbf", "-90s"]))
            .unwrap();
    let out: serde_json::Value =
        serde_json::from_slice(&env.ok(&["decode", "--token", token.trim()])).unwrap();
    for name in ["exp", "nbf", "iat"] {
        let seconds = out["payload"][name].as_i64().unwrap();
        let text = out["dates"][name].as_str().unwrap();
        assert!(text.ends_with('Z') && text.len() == 20, "{text}");
        // Round trip through the readable form gives the same second.
        assert_eq!(
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .unwrap()
                .unix_timestamp(),
            seconds
        );
    }
    // Not a claims set: no dates member.
    let jws =
        String::from_utf8(env.ok(&["sign", "--key", &key, &env.write("x", "plain")])).unwrap();
    let out: serde_json::Value =
        serde_json::from_slice(&env.ok(&["decode", "--token", jws.trim()])).unwrap();
    assert!(out.get("dates").is_none());
}

/// A hostile RSA private JWK (a real modulus, `"d":"AA"`, no CRT members) once panicked in
/// the `rsa` crate: `verify --key` and `jwk thumbprint` exited 101. Every command that
/// loads it must refuse it with the failure contract.
#[test]
fn a_hostile_rsa_key_is_refused_not_a_crash() {
    let env = Env::new();
    let good: serde_json::Value = serde_json::from_slice(&env.ok(&["keygen", "RS256"])).unwrap();
    let hostile = serde_json::json!({
        "kty": "RSA", "alg": "RS256", "n": good["n"], "e": "AQAB", "d": "AA",
    });
    let key = env.write("hostile.jwk", hostile.to_string());
    let set = env.write("hostile-set.json", format!("{{\"keys\":[{hostile}]}}"));
    let payload = env.write("p", "x");
    for args in [
        &["jwk", "thumbprint", &key][..],
        &["jwk", "public", &key],
        &[
            "verify",
            "--key",
            &key,
            "--token",
            "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        ],
        &["sign", "--key", &key, &payload],
        &[
            "jwt",
            "verify",
            "--any-aud",
            "--key",
            &set,
            "--token",
            "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        ],
    ] {
        let out = env.run(args);
        assert_ne!(out.code, 101, "{args:?}: {}", out.stderr);
        let first = out.fails(2);
        assert!(!first.contains("internal error"), "{args:?}: {first}");
    }
}
