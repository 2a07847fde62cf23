//! `jwt sign`, `jwt verify` and `decode`.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::Env;
use serde_json::{json, Value};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn claims_of(token: &str) -> Value {
    let p = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&josecraft::base64url::decode(p).unwrap()).unwrap()
}

fn header_of(token: &str) -> Value {
    let h = token.split('.').next().unwrap();
    serde_json::from_slice(&josecraft::base64url::decode(h).unwrap()).unwrap()
}

/// Signs exact claims bytes (for dates and members `jwt sign` would not write).
fn raw_jwt(env: &Env, key: &str, claims: &str) -> String {
    let file = env.write("raw-claims.json", claims);
    env.run(&["sign", "--key", key, "--typ", "JWT", &file])
        .line()
}

#[test]
fn sign_sets_claims_and_header() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["ES256", "--kid", "k1"]);
    let t0 = now();
    let token = env
        .run(&[
            "jwt",
            "sign",
            "--key",
            &key,
            "--iss",
            "https://auth.example",
            "--sub",
            "ada",
            "--aud",
            "api",
            "--exp",
            "15m",
            "--nbf",
            "-90s",
            "--jti",
            "j-1",
        ])
        .line();
    let c = claims_of(&token);
    let t1 = now();
    assert_eq!(c["iss"], "https://auth.example");
    assert_eq!(c["sub"], "ada");
    assert_eq!(c["aud"], "api", "one --aud is a string");
    assert_eq!(c["jti"], "j-1");
    let iat = c["iat"].as_i64().unwrap();
    assert!((t0..=t1).contains(&iat));
    assert_eq!(c["exp"].as_i64().unwrap(), iat + 900);
    assert_eq!(c["nbf"].as_i64().unwrap(), iat - 90);
    let h = header_of(&token);
    assert_eq!(
        (h["typ"].as_str(), h["alg"].as_str(), h["kid"].as_str()),
        (Some("JWT"), Some("ES256"), Some("k1"))
    );

    // Defaults: exp = now + 1h; several --aud make an array; --typ, --kid, --random-jti.
    let token = env
        .run(&[
            "jwt",
            "sign",
            "--key",
            &key,
            "--aud",
            "a",
            "--aud",
            "b",
            "--typ",
            "at+jwt",
            "--kid",
            "other",
            "--random-jti",
        ])
        .line();
    let c = claims_of(&token);
    assert_eq!(c["aud"], json!(["a", "b"]));
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        3600
    );
    assert!(c["jti"].as_str().unwrap().len() >= 16);
    assert_eq!(header_of(&token)["typ"], "at+jwt");
    assert_eq!(header_of(&token)["kid"], "other");
    let c2 = claims_of(
        &env.run(&["jwt", "sign", "--key", &key, "--random-jti"])
            .line(),
    );
    assert_ne!(c2["jti"], c["jti"]);

    // --no-exp; durations in every unit.
    let c = claims_of(&env.run(&["jwt", "sign", "--key", &key, "--no-exp"]).line());
    assert!(c.get("exp").is_none());
    for (d, secs) in [
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("7d", 604_800),
        ("30", 30),
    ] {
        let c = claims_of(&env.run(&["jwt", "sign", "--key", &key, "--exp", d]).line());
        assert_eq!(
            c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
            secs,
            "{d}"
        );
    }

    // --claims first, flags override.
    let claims = env.write(
        "claims.json",
        r#"{"iss":"from-file","scope":"read write","n":1.5,"exp":1700000000,"nested":{"a":[1]}}"#,
    );
    let c = claims_of(
        &env.run(&[
            "jwt", "sign", "--key", &key, "--claims", &claims, "--iss", "flag",
        ])
        .line(),
    );
    assert_eq!(c["iss"], "flag");
    assert_eq!(c["scope"], "read write");
    assert_eq!(c["n"], 1.5);
    assert_eq!(c["nested"], json!({"a": [1]}));
    assert_eq!(
        c["exp"], 1_700_000_000,
        "the file's exp stays without --exp"
    );
    let c = claims_of(
        &env.run(&[
            "jwt", "sign", "--key", &key, "--claims", &claims, "--exp", "1h",
        ])
        .line(),
    );
    assert_ne!(c["exp"], 1_700_000_000);
    let c = claims_of(
        &env.run(&[
            "jwt", "sign", "--key", &key, "--claims", &claims, "--no-exp",
        ])
        .line(),
    );
    assert!(c.get("exp").is_none());

    for bad in [
        vec!["--exp", "1w"],
        vec!["--exp", "abc"],
        vec!["--exp", ""],
        vec!["--exp", "99999999999999999999d"],
        vec!["--nbf", "5x"],
        vec!["--exp", "1h", "--no-exp"],
        vec!["--jti", "x", "--random-jti"],
        vec!["--alg", "none"],
        vec!["--alg", "ES384"],
    ] {
        let mut args = vec!["jwt", "sign", "--key", key.as_str()];
        args.extend(bad);
        env.run(&args).fails(2);
    }
    for bad_claims in ["[1,2]", "{not json", "\"s\""] {
        let f = env.write("bad.json", bad_claims);
        env.run(&["jwt", "sign", "--key", &key, "--claims", &f])
            .fails(2);
    }
    env.run(&["jwt", "sign", "--key", &key, "--claims", "missing.json"])
        .fails(2);
    let public = env.write("pub.jwk", env.run(&["jwk", "public", &key]).text());
    env.run(&["jwt", "sign", "--key", &public]).fails(2);
}

#[test]
fn verify_validates_claims() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["EdDSA", "--kid", "k"]);
    let good = env
        .run(&[
            "jwt",
            "sign",
            "--key",
            &key,
            "--iss",
            "https://auth.example",
            "--aud",
            "api",
            "--sub",
            "ada",
        ])
        .line();
    let ok = |extra: &[&str], token: &str| {
        let mut args = vec!["jwt", "verify", "--key", key.as_str()];
        args.extend_from_slice(extra);
        args.extend(["--token", token]);
        env.run(&args)
    };
    // The verified payload, exactly, and one newline.
    let out = ok(&["--iss", "https://auth.example", "--aud", "api"], &good).ok();
    let payload = josecraft::base64url::decode(good.split('.').nth(1).unwrap()).unwrap();
    assert_eq!(out, [payload.as_slice(), b"\n"].concat());

    // Issuer: none means any; several allowed.
    ok(&["--aud", "api"], &good).ok();
    ok(
        &[
            "--iss",
            "x",
            "--iss",
            "https://auth.example",
            "--aud",
            "api",
        ],
        &good,
    )
    .ok();
    let line = ok(&["--iss", "https://evil.example", "--aud", "api"], &good).fails(1);
    assert!(line.contains("iss"), "{line}");
    // Audience: a token with aud and no --aud/--any-aud is rejected.
    ok(&[], &good).fails(1);
    ok(&["--any-aud"], &good).ok();
    ok(&["--aud", "other", "--aud", "api"], &good).ok();
    ok(&["--aud", "other"], &good).fails(1);
    ok(&["--aud", "api", "--any-aud"], &good).fails(2);
    // sub, typ, require.
    ok(&["--aud", "api", "--sub", "ada"], &good).ok();
    ok(&["--aud", "api", "--sub", "bob"], &good).fails(1);
    ok(&["--aud", "api", "--typ", "JWT"], &good).ok();
    ok(&["--aud", "api", "--typ", "application/jwt"], &good).ok();
    ok(&["--aud", "api", "--typ", "at+jwt"], &good).fails(1);
    ok(
        &["--aud", "api", "--require", "sub", "--require", "iat"],
        &good,
    )
    .ok();
    let line = ok(&["--aud", "api", "--require", "jti"], &good).fails(1);
    assert!(line.contains("jti"), "{line}");
    ok(&["--aud", "api", "--require", "scope"], &good).fails(1);

    // exp: required unless waived; expired tokens name the time.
    let no_exp = env.run(&["jwt", "sign", "--key", &key, "--no-exp"]).line();
    ok(&[], &no_exp).fails(1);
    ok(&["--allow-no-exp"], &no_exp).ok();
    let t = now();
    let expired = raw_jwt(
        &env,
        &key,
        &format!(r#"{{"exp":{},"iat":{}}}"#, t - 120, t - 600),
    );
    let line = ok(&[], &expired).fails(1);
    assert!(line.starts_with("error: token expired at "), "{line}");
    assert!(line.contains("(now "), "{line}");
    ok(&["--leeway", "300"], &expired).ok();
    ok(&["--leeway", "-1"], &expired).fails(2);
    ok(&["--leeway", "86401"], &expired).fails(2);
    // Leeway edges: 60 s by default.
    let just = raw_jwt(&env, &key, &format!(r#"{{"exp":{}}}"#, t - 30));
    ok(&[], &just).ok();
    ok(&["--leeway", "0"], &just).fails(1);
    // nbf and iat in the future.
    let later = raw_jwt(
        &env,
        &key,
        &format!(r#"{{"exp":{},"nbf":{}}}"#, t + 3600, t + 600),
    );
    ok(&[], &later).fails(1);
    ok(&["--leeway", "900"], &later).ok();
    let future_iat = raw_jwt(
        &env,
        &key,
        &format!(r#"{{"exp":{},"iat":{}}}"#, t + 3600, t + 600),
    );
    ok(&[], &future_iat).fails(1);
    // Fractional dates are accepted and printed as they were signed.
    let frac = format!(r#"{{"exp":{}.75,"iat":{}.25,"x":1.50}}"#, t + 3600, t - 10);
    let fractional = raw_jwt(&env, &key, &frac);
    assert_eq!(ok(&[], &fractional).ok(), format!("{frac}\n").as_bytes());
    // Wrong types for registered claims: 1.
    ok(
        &[],
        &raw_jwt(&env, &key, &format!(r#"{{"exp":"{}"}}"#, t + 60)),
    )
    .fails(1);
    ok(
        &["--aud", "a"],
        &raw_jwt(&env, &key, &format!(r#"{{"exp":{},"aud":7}}"#, t + 60)),
    )
    .fails(1);
    // Tampered, wrong key, JSON serialization, not a JWT: 1.
    let mut bad = good.clone().into_bytes();
    let i = bad.len() - 4;
    bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
    ok(&["--aud", "api"], std::str::from_utf8(&bad).unwrap()).fails(1);
    let other = env.keygen("o.jwk", &["EdDSA", "--kid", "k"]);
    env.run(&[
        "jwt", "verify", "--key", &other, "--aud", "api", "--token", &good,
    ])
    .fails(1);
    let json = env.write(
        "j.json",
        env.run(&["sign", "--key", &key, "--json", &env.write("c", &payload)])
            .text(),
    );
    env.run(&["jwt", "verify", "--key", &key, "--aud", "api", &json])
        .fails(1);
    ok(&[], "not-a-token").fails(1);
    // A key without alg: 2; a token file that does not exist: 2.
    let mut bare: Value = serde_json::from_slice(&env.read("k.jwk")).unwrap();
    bare.as_object_mut().unwrap().remove("alg");
    let bare = env.write("bare.jwk", bare.to_string());
    env.run(&["jwt", "verify", "--key", &bare, "--token", &good])
        .fails(2);
    env.run(&["jwt", "verify", "--key", &key, "nope"]).fails(2);
    // Standard input.
    let out = env
        .run_in(
            &["jwt", "verify", "--key", &key, "--aud", "api"],
            format!("{good}\n"),
        )
        .ok();
    assert_eq!(out, [payload.as_slice(), b"\n"].concat());
}

#[test]
fn nested_and_encrypted_jwts() {
    let env = Env::new();
    let issuer = env.keygen("issuer.jwk", &["ES256", "--kid", "iss-key"]);
    let issuer_pub = env.write("issuer.pub", env.run(&["jwk", "public", &issuer]).text());
    let mine = env.keygen("mine.jwk", &["ECDH-ES+A256KW", "--kid", "enc-key"]);
    let mine_pub = env.write("mine.pub", env.run(&["jwk", "public", &mine]).text());

    let inner = env
        .run(&["jwt", "sign", "--key", &issuer, "--iss", "i", "--aud", "me"])
        .line();
    let inner_file = env.write("inner", &inner);
    let nested = env
        .run(&[
            "encrypt",
            "--key",
            &mine_pub,
            "--alg",
            "ECDH-ES+A256KW",
            "--enc",
            "A256GCM",
            "--cty",
            "JWT",
            &inner_file,
        ])
        .line();
    let out = env
        .run(&[
            "jwt",
            "verify",
            "--key",
            &issuer_pub,
            "--decrypt-key",
            &mine,
            "--iss",
            "i",
            "--aud",
            "me",
            "--token",
            &nested,
        ])
        .ok();
    let claims = josecraft::base64url::decode(inner.split('.').nth(1).unwrap()).unwrap();
    assert_eq!(out, [claims.as_slice(), b"\n"].concat());
    // Without --decrypt-key: 2. With the wrong decryption or verification key: 1.
    env.run(&[
        "jwt",
        "verify",
        "--key",
        &issuer_pub,
        "--any-aud",
        "--token",
        &nested,
    ])
    .fails(2);
    let other = env.keygen("other.jwk", &["ECDH-ES+A256KW"]);
    env.run(&[
        "jwt",
        "verify",
        "--key",
        &issuer_pub,
        "--decrypt-key",
        &other,
        "--any-aud",
        "--token",
        &nested,
    ])
    .fails(1);
    let other_sig = env.keygen("other-sig.jwk", &["ES256", "--kid", "iss-key"]);
    env.run(&[
        "jwt",
        "verify",
        "--key",
        &other_sig,
        "--decrypt-key",
        &mine,
        "--any-aud",
        "--token",
        &nested,
    ])
    .fails(1);
    // Claims still validated inside.
    env.run(&[
        "jwt",
        "verify",
        "--key",
        &issuer_pub,
        "--decrypt-key",
        &mine,
        "--aud",
        "x",
        "--token",
        &nested,
    ])
    .fails(1);

    // A JWE whose plaintext is the claims (not nested): asymmetric key management proves
    // nothing about the sender, so it is rejected (1); a symmetric one is accepted.
    let t = now();
    let claims = env.write("claims.json", format!(r#"{{"exp":{},"sub":"s"}}"#, t + 600));
    let asym = env
        .run(&[
            "encrypt",
            "--key",
            &mine_pub,
            "--alg",
            "ECDH-ES+A256KW",
            "--enc",
            "A256GCM",
            &claims,
        ])
        .line();
    env.run(&[
        "jwt",
        "verify",
        "--key",
        &issuer_pub,
        "--decrypt-key",
        &mine,
        "--token",
        &asym,
    ])
    .fails(1);
    let shared = env.keygen("shared.jwk", &["A256KW"]);
    let sym = env
        .run(&[
            "encrypt", "--key", &shared, "--alg", "A256KW", "--enc", "A256GCM", &claims,
        ])
        .line();
    let out = env
        .run(&[
            "jwt",
            "verify",
            "--key",
            &issuer_pub,
            "--decrypt-key",
            &shared,
            "--sub",
            "s",
            "--token",
            &sym,
        ])
        .ok();
    assert_eq!(out, [env.read("claims.json").as_slice(), b"\n"].concat());
}

#[test]
fn decode_shows_without_verifying() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256", "--kid", "k"]);
    let token = env
        .run(&["jwt", "sign", "--key", &key, "--sub", "ada", "--no-exp"])
        .line();
    let out = env.run(&["decode", "--token", &token]);
    assert!(
        out.stderr.contains("WITHOUT verification"),
        "{}",
        out.stderr
    );
    let v = out.json();
    assert_eq!(
        v["header"],
        json!({"alg": "HS256", "kid": "k", "typ": "JWT"})
    );
    assert_eq!(v["payload"]["sub"], "ada");

    // The payload JSON exactly as signed (member order, number spelling), compact.
    let pfile = env.write("p.json", "{ \"z\": 1.50,\n \"a\": [ 1, 2 ] }");
    let t = env.run(&["sign", "--key", &key, &pfile]).line();
    let text = env.run(&["decode", "--token", &t]).line();
    assert_eq!(
        text,
        r#"{"header":{"alg":"HS256","kid":"k"},"payload":{"z":1.50,"a":[1,2]}}"#
    );
    let pretty = env.run(&["decode", "--pretty", "--token", &t]).text();
    assert!(
        pretty.contains("\n  \"payload\": {\n    \"z\": 1.50,"),
        "{pretty}"
    );
    // Not JSON: the payload's base64url form.
    let bin = env.write("b.bin", [0u8, 159, 146, 150]);
    let t = env.run(&["sign", "--key", &key, &bin]).line();
    let v = env.run(&["decode", "--token", &t]).json();
    assert_eq!(v["payload"], "AJ-Slg");
    // JSON JWS: first signature's protected and unprotected members merged; detached: null.
    let j = env
        .run(&[
            "sign",
            "--key",
            &key,
            "--json",
            "--unprotected",
            r#"{"note":"n"}"#,
            &pfile,
        ])
        .text();
    let v = env.run_in(&["decode"], j).json();
    assert_eq!(
        v["header"],
        json!({"alg": "HS256", "kid": "k", "note": "n"})
    );
    assert_eq!(v["payload"], json!({"z": 1.50, "a": [1, 2]}));
    let d = env
        .run(&["sign", "--key", &key, "--json", "--detached", &pfile])
        .text();
    let dfile = env.write("d.json", d);
    let v = env.run(&["decode", &dfile]).json();
    assert_eq!(v["payload"], Value::Null);
    // JWE: the protected header only.
    let kw = env.keygen("kw.jwk", &["A128KW", "--kid", "w"]);
    let jwe = env
        .run(&[
            "encrypt", "--key", &kw, "--alg", "A128KW", "--enc", "A128GCM", &pfile,
        ])
        .line();
    let v = env.run(&["decode", "--token", &jwe]).json();
    assert_eq!(
        v,
        json!({"header": {"alg": "A128KW", "enc": "A128GCM", "kid": "w"}})
    );
    let jwe_json = env
        .run(&[
            "encrypt", "--key", &kw, "--alg", "A128KW", "--enc", "A128GCM", "--json", &pfile,
        ])
        .text();
    let v = env.run_in(&["decode", "-"], jwe_json).json();
    assert_eq!(v["header"]["enc"], "A128GCM");
    assert!(v.get("payload").is_none());
    // Unsecured and odd tokens are shown (never verified).
    let none = format!(
        "{}.{}.",
        josecraft::base64url::encode(r#"{"alg":"none"}"#),
        josecraft::base64url::encode("{}")
    );
    assert_eq!(
        env.run(&["decode", "--token", &none]).json()["header"]["alg"],
        "none"
    );
    // Malformed: 1, nothing on stdout.
    for bad in ["a.b", "!!.e30.", "e30.e30.e30.e30", "{\"payload\":1}"] {
        env.run(&["decode", "--token", bad]).fails(1);
    }
    let dup = format!(
        "{}.e30.",
        josecraft::base64url::encode(r#"{"alg":"HS256","alg":"none"}"#)
    );
    env.run(&["decode", "--token", &dup]).fails(1);
    env.run_in(&["decode"], "").fails(1);
    env.run(&["decode", "missing-file"]).fails(2);
}
