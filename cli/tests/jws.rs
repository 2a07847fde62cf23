//! `sign` and `verify`.

mod common;

use common::{Env, JWS_ALGS};
use serde_json::{json, Value};

fn header_of(token: &str) -> Value {
    let h = token.split('.').next().unwrap();
    serde_json::from_slice(&josecraft::base64url::decode(h).unwrap()).unwrap()
}

#[test]
fn round_trip_every_algorithm_both_forms() {
    let env = Env::new();
    // Bytes that are not text, to check "exactly".
    let payload: Vec<u8> = (0u8..=255).chain(*b"\n\r\n").collect();
    let pfile = env.write("payload.bin", &payload);
    for alg in JWS_ALGS {
        let key = env.keygen("k.jwk", &[alg, "--kid", "k1"]);
        let token = env.run(&["sign", "--key", &key, &pfile]).line();
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(header_of(&token)["alg"], *alg);
        assert_eq!(header_of(&token)["kid"], "k1");
        let tfile = env.write("t", format!("{token}\n"));
        assert_eq!(env.ok(&["verify", "--key", &key, &tfile]), payload, "{alg}");

        // The public key verifies (asymmetric algorithms).
        if !alg.starts_with("HS") {
            let public = env.run(&["jwk", "public", &key]).text();
            let public = env.write("pub.jwk", public);
            assert_eq!(
                env.ok(&["verify", "--key", &public, "--token", &token]),
                payload
            );
            // A public key cannot sign.
            env.run(&["sign", "--key", &public, &pfile]).fails(2);
        }

        let json = env.run(&["sign", "--key", &key, "--json", &pfile]).json();
        assert!(json.get("payload").is_some() && json.get("signature").is_some());
        let jfile = env.write("t.json", json.to_string());
        assert_eq!(
            env.ok(&["verify", "--key", &key, &jfile]),
            payload,
            "{alg} json"
        );

        // Tampering and wrong keys: exit 1.
        let mut bad = token.clone().into_bytes();
        let last = bad.len() - 3;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        let line = env
            .run(&[
                "verify",
                "--key",
                &key,
                "--token",
                std::str::from_utf8(&bad).unwrap(),
            ])
            .fails(1);
        assert!(line.starts_with("error: "), "{line}");
        let other = env.keygen("other.jwk", &[alg, "--kid", "k1"]);
        env.run(&["verify", "--key", &other, "--token", &token])
            .fails(1);
    }
}

#[test]
fn token_input_forms() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["ES256"]);
    let token = env.run_in(&["sign", "--key", &key], b"hello").line();
    // From a file, standard input, `-`, and --token; whitespace around is ignored.
    let file = env.write("t", format!("  \n{token}\r\n\t"));
    assert_eq!(env.ok(&["verify", "--key", &key, &file]), b"hello");
    assert_eq!(
        env.run_in(&["verify", "--key", &key], format!("{token}\n"))
            .ok(),
        b"hello"
    );
    assert_eq!(
        env.run_in(&["verify", "--key", &key, "-"], &token).ok(),
        b"hello"
    );
    assert_eq!(
        env.ok(&["verify", "--key", &key, "--token", &format!(" {token} ")]),
        b"hello"
    );
    // Both a file and --token: a usage error.
    env.run(&["verify", "--key", &key, &file, "--token", &token])
        .fails(2);
    // Unreadable files: 2.
    env.run(&["verify", "--key", &key, "nope.txt"]).fails(2);
    env.run(&["verify", "--key", "nope.jwk", &file]).fails(2);
    env.run(&["sign", "--key", &key, "nope.bin"]).fails(2);
    // Empty, garbage, too long, wrong shape: 1.
    env.run_in(&["verify", "--key", &key], "").fails(1);
    env.run_in(&["verify", "--key", &key], " \n ").fails(1);
    env.run(&["verify", "--key", &key, "--token", "a.b"])
        .fails(1);
    env.run(&["verify", "--key", &key, "--token", "!!!.???.***"])
        .fails(1);
    env.run_in(&["verify", "--key", &key], vec![b'a'; 1_200_000])
        .fails(1);
    let long = format!("{}.{}.AA", "e".repeat(600_000), "f".repeat(500_000));
    env.run_in(&["verify", "--key", &key], long).fails(1);
    env.run_in(&["verify", "--key", &key], [0xff, 0xfe, b'.', b'.'])
        .fails(1);
}

#[test]
fn algorithm_rules() {
    let env = Env::new();
    // A key without alg: --alg decides; without it, exit 2 (never a guess).
    let mut jwk = env.run(&["keygen", "ES256"]).json();
    jwk.as_object_mut().unwrap().remove("alg");
    let bare = env.write("bare.jwk", jwk.to_string());
    let line = env.run_in(&["sign", "--key", &bare], b"x").fails(2);
    assert!(line.contains("--alg"), "{line}");
    let token = env
        .run_in(&["sign", "--key", &bare, "--alg", "ES256"], b"x")
        .line();
    env.run(&["verify", "--key", &bare, "--token", &token])
        .fails(2);
    assert_eq!(
        env.ok(&["verify", "--key", &bare, "--alg", "ES256", "--token", &token]),
        b"x"
    );
    // --alg that does not fit the key type: 2.
    env.run_in(&["sign", "--key", &bare, "--alg", "RS256"], b"x")
        .fails(2);

    // --alg disagreeing with the key's alg: 2.
    let key = env.keygen("k.jwk", &["ES256"]);
    env.run_in(&["sign", "--key", &key, "--alg", "ES384"], b"x")
        .fails(2);
    env.run(&["verify", "--key", &key, "--alg", "ES384", "--token", &token])
        .fails(2);
    // none, unknown names: 2.
    env.run_in(&["sign", "--key", &key, "--alg", "none"], b"x")
        .fails(2);
    env.run_in(&["sign", "--key", &bare, "--alg", "none"], b"x")
        .fails(2);
    env.run_in(&["sign", "--key", &bare, "--alg", "ES999"], b"x")
        .fails(2);

    // A token with another algorithm than the key's: rejected (1), including alg none.
    let hs = env.keygen("hs.jwk", &["HS256"]);
    let hs_token = env.run_in(&["sign", "--key", &hs], b"x").line();
    env.run(&["verify", "--key", &key, "--token", &hs_token])
        .fails(1);
    let none = format!(
        "{}.{}.",
        josecraft::base64url::encode(r#"{"alg":"none"}"#),
        josecraft::base64url::encode("x")
    );
    let line = env
        .run(&["verify", "--key", &key, "--token", &none])
        .fails(1);
    assert!(line.contains("none"), "{line}");
    // An RSA public key used as an HMAC secret (key confusion): rejected.
    let rsa = env.keygen("rsa.jwk", &["RS256"]);
    let rsa_pub = env.write("rsa.pub", env.run(&["jwk", "public", &rsa]).text());
    env.run(&["verify", "--key", &rsa_pub, "--token", &hs_token])
        .fails(1);
}

#[test]
fn key_sets() {
    let env = Env::new();
    let a = env.run(&["keygen", "ES256", "--kid", "a"]).json();
    let b = env.run(&["keygen", "EdDSA", "--kid", "b"]).json();
    let a2 = env.run(&["keygen", "ES256", "--kid", "a2"]).json();
    let set = env.write("set.json", json!({"keys": [a, b, a2]}).to_string());

    // sign: --kid picks the key; several without --kid: 2.
    let token = env
        .run_in(&["sign", "--key", &set, "--kid", "b"], b"hi")
        .line();
    assert_eq!(header_of(&token)["alg"], "EdDSA");
    assert_eq!(header_of(&token)["kid"], "b");
    env.run_in(&["sign", "--key", &set], b"hi").fails(2);
    env.run_in(&["sign", "--key", &set, "--kid", "zz"], b"hi")
        .fails(2);
    // --alg narrows the choice to one key... which is still two ES256 keys here.
    env.run_in(&["sign", "--key", &set, "--alg", "ES256"], b"hi")
        .fails(2);
    let only_b = env
        .run_in(&["sign", "--key", &set, "--alg", "EdDSA"], b"hi")
        .line();
    assert_eq!(header_of(&only_b)["kid"], "b");

    // verify: by kid.
    let public = env.write("public.json", env.run(&["jwk", "public", &set]).text());
    assert_eq!(
        env.ok(&["verify", "--key", &public, "--token", &token]),
        b"hi"
    );
    let t_a = env
        .run_in(&["sign", "--key", &set, "--kid", "a"], b"A")
        .line();
    assert_eq!(env.ok(&["verify", "--key", &public, "--token", &t_a]), b"A");
    // A kid the set does not have: 1.
    let t_z = env
        .run_in(
            &[
                "sign",
                "--key",
                env.keygen("z.jwk", &["ES256", "--kid", "z"]).as_str(),
            ],
            b"Z",
        )
        .line();
    env.run(&["verify", "--key", &public, "--token", &t_z])
        .fails(1);
    // A token without kid: the one key that fits it; several fitting: 1.
    let no_kid = josecraft::dangerous::sign_compact_with_header_json(
        br#"{"alg":"EdDSA"}"#,
        b"nk",
        &josecraft::jwk::Jwk::from_json(b.to_string().as_bytes())
            .unwrap()
            .to_signing_key(None)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        env.ok(&["verify", "--key", &public, "--token", &no_kid]),
        b"nk"
    );
    let es_no_kid = josecraft::dangerous::sign_compact_with_header_json(
        br#"{"alg":"ES256"}"#,
        b"nk",
        &josecraft::jwk::Jwk::from_json(a.to_string().as_bytes())
            .unwrap()
            .to_signing_key(None)
            .unwrap(),
    )
    .unwrap();
    let line = env
        .run(&["verify", "--key", &public, "--token", &es_no_kid])
        .fails(1);
    assert!(line.contains("2"), "{line}");
    // --alg with a set: other algorithms are refused.
    env.run(&[
        "verify", "--key", &public, "--alg", "ES256", "--token", &token,
    ])
    .fails(1);
    assert_eq!(
        env.ok(&["verify", "--key", &public, "--alg", "EdDSA", "--token", &token]),
        b"hi"
    );
    // A set whose keys have no alg: --alg needed.
    let mut bare = env.run(&["keygen", "ES256", "--kid", "n"]).json();
    bare.as_object_mut().unwrap().remove("alg");
    let bare_set = env.write("bare.json", json!({"keys": [bare]}).to_string());
    let t_n = env
        .run_in(&["sign", "--key", &bare_set, "--alg", "ES256"], b"n")
        .line();
    env.run(&["verify", "--key", &bare_set, "--token", &t_n])
        .fails(2);
    assert_eq!(
        env.ok(&["verify", "--key", &bare_set, "--alg", "ES256", "--token", &t_n]),
        b"n"
    );
}

#[test]
fn headers_json_detached_unencoded() {
    let env = Env::new();
    let key = env.keygen("k.jwk", &["HS256", "--kid", "k"]);
    let pfile = env.write("p", "payload");

    // A kid in --header (no --kid flag) replaces the key's.
    let token = env
        .run(&["sign", "--key", &key, "--header", r#"{"kid":"z"}"#, &pfile])
        .line();
    assert_eq!(header_of(&token)["kid"], "z");
    let token = env
        .run(&[
            "sign",
            "--key",
            &key,
            "--typ",
            "JOSE",
            "--cty",
            "text/plain",
            "--header",
            r#"{"x-custom":[1,2]}"#,
            &pfile,
        ])
        .line();
    let h = header_of(&token);
    assert_eq!(
        (h["typ"].as_str(), h["cty"].as_str(), h["kid"].as_str()),
        (Some("JOSE"), Some("text/plain"), Some("k"))
    );
    assert_eq!(h["x-custom"], json!([1, 2]));
    assert_eq!(
        env.ok(&["verify", "--key", &key, "--token", &token]),
        b"payload"
    );

    // Conflicts between a flag and --header / --unprotected: 2.
    for bad in [
        vec!["--typ", "A", "--header", r#"{"typ":"B"}"#],
        vec!["--kid", "A", "--header", r#"{"kid":"B"}"#],
        vec!["--cty", "A", "--header", r#"{"cty":"B"}"#],
        vec!["--alg", "HS256", "--header", r#"{"alg":"HS256"}"#],
        vec!["--unencoded", "--header", r#"{"b64":false,"crit":["b64"]}"#],
        vec!["--json", "--kid", "A", "--unprotected", r#"{"kid":"B"}"#],
        vec!["--unprotected", r#"{"x":1}"#],
        vec!["--header", "[1]"],
        vec!["--header", r#"{"a":1,"a":2}"#],
        vec!["--header", "{not json"],
        vec!["--header", r#"{"alg":"RS256"}"#],
        vec![
            "--json",
            "--header",
            r#"{"x":1}"#,
            "--unprotected",
            r#"{"x":2}"#,
        ],
    ] {
        let mut args = vec!["sign", "--key", key.as_str()];
        args.extend(bad.iter().copied());
        args.push(&pfile);
        env.run(&args).fails(2);
    }
    // --header with a matching alg is fine.
    env.run(&[
        "sign",
        "--key",
        &key,
        "--header",
        r#"{"alg":"HS256"}"#,
        &pfile,
    ])
    .line();

    // JSON with an unprotected header.
    let json = env
        .run(&[
            "sign",
            "--key",
            &key,
            "--json",
            "--unprotected",
            r#"{"note":"hi"}"#,
            &pfile,
        ])
        .json();
    assert_eq!(json["header"]["note"], "hi");
    let jfile = env.write("j.json", json.to_string());
    assert_eq!(env.ok(&["verify", "--key", &key, &jfile]), b"payload");
    // Pretty JSON output is the same document on several lines.
    let pretty = env
        .run(&["sign", "--key", &key, "--json", "--pretty", &pfile])
        .text();
    assert!(pretty.lines().count() > 3);
    let pfile2 = env.write("pretty.json", &pretty);
    assert_eq!(env.ok(&["verify", "--key", &key, &pfile2]), b"payload");

    // Detached, compact and JSON.
    let detached = env
        .run(&["sign", "--key", &key, "--detached", &pfile])
        .line();
    assert_eq!(detached.split('.').nth(1), Some(""));
    assert_eq!(
        env.ok(&[
            "verify",
            "--key",
            &key,
            "--payload",
            &pfile,
            "--token",
            &detached
        ]),
        b"payload"
    );
    // Without --payload an empty payload part is the empty payload: the signature fails.
    env.run(&["verify", "--key", &key, "--token", &detached])
        .fails(1);
    let other = env.write("other", "payloaD");
    env.run(&[
        "verify",
        "--key",
        &key,
        "--payload",
        &other,
        "--token",
        &detached,
    ])
    .fails(1);
    // --payload for a token that carries one: 2; payload and token both on stdin: 2.
    let attached = env.run(&["sign", "--key", &key, &pfile]).line();
    env.run(&[
        "verify",
        "--key",
        &key,
        "--payload",
        &pfile,
        "--token",
        &attached,
    ])
    .fails(2);
    env.run_in(&["verify", "--key", &key, "--payload", "-"], &detached)
        .fails(2);
    let tfile = env.write("d.txt", &detached);
    assert_eq!(
        env.run_in(
            &["verify", "--key", &key, "--payload", "-", &tfile],
            "payload"
        )
        .ok(),
        b"payload"
    );

    let djson = env
        .run(&["sign", "--key", &key, "--json", "--detached", &pfile])
        .json();
    assert!(djson.get("payload").is_none());
    let dfile = env.write("dj.json", djson.to_string());
    assert_eq!(
        env.ok(&["verify", "--key", &key, "--payload", &pfile, &dfile]),
        b"payload"
    );
    env.run(&["verify", "--key", &key, &dfile]).fails(2);
    env.run(&["verify", "--key", &key, "--payload", &pfile, &jfile])
        .fails(2);

    // An empty payload signs and verifies to nothing.
    let empty = env.write("empty", "");
    let t = env.run(&["sign", "--key", &key, &empty]).line();
    assert_eq!(env.ok(&["verify", "--key", &key, "--token", &t]), b"");

    // Unencoded (RFC 7797).
    let t = env
        .run(&["sign", "--key", &key, "--unencoded", &pfile])
        .line();
    assert_eq!(t.split('.').nth(1), Some("payload"));
    assert_eq!(header_of(&t)["b64"], false);
    assert_eq!(
        env.ok(&["verify", "--key", &key, "--token", &t]),
        b"payload"
    );
    let uj = env
        .run(&["sign", "--key", &key, "--unencoded", "--json", &pfile])
        .json();
    assert_eq!(uj["payload"], "payload");
    let ujf = env.write("uj.json", uj.to_string());
    assert_eq!(env.ok(&["verify", "--key", &key, &ujf]), b"payload");
    let ud = env
        .run(&["sign", "--key", &key, "--unencoded", "--detached", &pfile])
        .line();
    assert_eq!(
        env.ok(&["verify", "--key", &key, "--payload", &pfile, "--token", &ud]),
        b"payload"
    );
}

#[test]
fn general_json_with_unprotected_alg() {
    let env = Env::new();
    // RFC 7520 §4.8: a general JWS with three signatures; alg of one is unprotected.
    let hs = env.run(&["keygen", "HS256", "--kid", "h"]).json();
    let ec = env.run(&["keygen", "ES256", "--kid", "e"]).json();
    let hs_key = josecraft::jwk::Jwk::from_json(hs.to_string().as_bytes())
        .unwrap()
        .to_hmac_key(None)
        .unwrap();
    let ec_key = josecraft::jwk::Jwk::from_json(ec.to_string().as_bytes())
        .unwrap()
        .to_signing_key(None)
        .unwrap();
    let unprotected_alg = josecraft::JwsHeader::from_json(
        br#"{"alg":"ES256","kid":"e"}"#,
        &josecraft::Limits::default(),
    )
    .unwrap();
    let general = josecraft::jws::JsonJwsBuilder::new(b"both")
        .sign(&hs_key, &josecraft::JwsHeader::new(), None)
        .unwrap()
        .sign(
            &ec_key,
            &josecraft::JwsHeader::new(),
            Some(&unprotected_alg),
        )
        .unwrap()
        .general()
        .unwrap();
    let file = env.write("g.json", &general);
    let hs_file = env.write("h.jwk", hs.to_string());
    let ec_pub = env.write(
        "e.jwk",
        env.run(&["jwk", "public", &env.write("e-priv.jwk", ec.to_string())])
            .text(),
    );
    assert_eq!(env.ok(&["verify", "--key", &hs_file, &file]), b"both");
    assert_eq!(env.ok(&["verify", "--key", &ec_pub, &file]), b"both");
    let set = env.write("set.json", json!({"keys": [hs, ec]}).to_string());
    // A set mixing secrets and public-key material is refused by the library.
    env.run(&["verify", "--key", &set, &file]).fails(2);
    let other = env.keygen("o.jwk", &["ES256", "--kid", "e"]);
    env.run(&["verify", "--key", &other, &file]).fails(1);
}
