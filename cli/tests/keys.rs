//! `keygen`, `jwk public`, `jwk thumbprint`, `jwk from-pem`, and `--help`.

mod common;

use common::{vector, Env, JWE_ALGS, JWS_ALGS};
use serde_json::{json, Value};

#[test]
fn help_shows_examples_everywhere() {
    let env = Env::new();
    for cmd in [
        vec!["--help"],
        vec!["keygen", "--help"],
        vec!["jwk", "public", "--help"],
        vec!["jwk", "thumbprint", "--help"],
        vec!["jwk", "from-pem", "--help"],
        vec!["sign", "--help"],
        vec!["verify", "--help"],
        vec!["encrypt", "--help"],
        vec!["decrypt", "--help"],
        vec!["jwt", "sign", "--help"],
        vec!["jwt", "verify", "--help"],
        vec!["decode", "--help"],
    ] {
        let text = env.run(&cmd).text();
        assert!(text.contains("Example"), "{cmd:?}: {text}");
        assert!(text.contains("josecraft "), "{cmd:?}");
    }
    // Usage errors from the argument parser: exit 2, `error:` first.
    env.run(&["frobnicate"]).fails(2);
    env.run(&["sign"]).fails(2);
    env.run(&["keygen", "ES256", "--nope"]).fails(2);
}

#[test]
fn keygen_every_algorithm() {
    let env = Env::new();
    for alg in JWS_ALGS.iter().chain(JWE_ALGS) {
        let jwk = env.run(&["keygen", alg]).json();
        assert_eq!(jwk["alg"], *alg, "{alg}");
        assert!(jwk["kid"].is_string(), "{alg}");
        // The kid is the RFC 7638 thumbprint.
        let file = env.write("k.jwk", jwk.to_string());
        let tp = env.run(&["jwk", "thumbprint", &file]).line();
        assert_eq!(jwk["kid"], tp.as_str(), "{alg}");
        let private = jwk.get("d").is_some() || jwk.get("k").is_some();
        assert!(private, "{alg}: a private key");
    }
    let expect = |alg: &str, extra: &[&str], check: &dyn Fn(&Value)| {
        let mut args = vec!["keygen", alg];
        args.extend_from_slice(extra);
        let jwk = env.run(&args).json();
        check(&jwk);
    };
    let k_len = |v: &Value| {
        josecraft::base64url::decode(v["k"].as_str().unwrap())
            .unwrap()
            .len()
    };
    expect("HS384", &[], &|v| assert_eq!(k_len(v), 48));
    expect("A192KW", &[], &|v| assert_eq!(k_len(v), 24));
    expect("dir", &["--enc", "A128CBC-HS256"], &|v| {
        assert_eq!(v["alg"], "A128CBC-HS256");
        assert_eq!(k_len(v), 32);
    });
    expect("dir", &["--enc", "A192GCM"], &|v| assert_eq!(k_len(v), 24));
    expect("PBES2-HS256+A128KW", &[], &|v| {
        // A password: printable text.
        let k = josecraft::base64url::decode(v["k"].as_str().unwrap()).unwrap();
        assert!(k.iter().all(u8::is_ascii_graphic), "{v}");
    });
    expect("RS256", &["--bits", "3072"], &|v| {
        let n = josecraft::base64url::decode(v["n"].as_str().unwrap()).unwrap();
        assert_eq!(n.len(), 384);
    });
    expect("RSA-OAEP", &[], &|v| {
        let n = josecraft::base64url::decode(v["n"].as_str().unwrap()).unwrap();
        assert_eq!(n.len(), 256, "2048 bits by default");
    });
    expect("ECDH-ES", &[], &|v| assert_eq!(v["crv"], "P-256"));
    for crv in ["P-256", "P-384", "P-521", "X25519"] {
        expect("ECDH-ES+A128KW", &["--crv", crv], &|v| {
            assert_eq!(v["crv"], crv)
        });
    }
    expect("ES256", &["--kid", "mine"], &|v| {
        assert_eq!(v["kid"], "mine")
    });

    // Pretty output spans lines and is the same JSON.
    let pretty = env
        .run(&["keygen", "EdDSA", "--pretty", "--kid", "p"])
        .text();
    assert!(pretty.lines().count() > 3 && pretty.ends_with("}\n"));
    let v: Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(v["kid"], "p");

    for bad in [
        vec!["keygen", "dir"],
        vec!["keygen", "dir", "--enc", "A999GCM"],
        vec!["keygen", "none"],
        vec!["keygen", "RSA1_5"],
        vec!["keygen", "XS256"],
        vec!["keygen", "ES256", "--bits", "2048"],
        vec!["keygen", "RS256", "--bits", "1024"],
        vec!["keygen", "ES256", "--crv", "P-384"],
        vec!["keygen", "ECDH-ES", "--crv", "secp256k1"],
        vec!["keygen", "A128KW", "--enc", "A128GCM"],
    ] {
        env.run(&bad).fails(2);
    }
}

#[test]
fn jwk_public() {
    let env = Env::new();
    let private = env.run(&["keygen", "ES384", "--kid", "e"]).json();
    let mut with_ops = private.clone();
    with_ops["key_ops"] = json!(["sign", "decrypt", "unwrapKey", "deriveBits"]);
    let file = env.write("p.jwk", with_ops.to_string());
    let public = env.run(&["jwk", "public", &file]).json();
    assert!(public.get("d").is_none());
    assert_eq!(public["x"], private["x"]);
    assert_eq!(public["kid"], "e");
    assert_eq!(public["alg"], "ES384");
    assert_eq!(public["key_ops"], json!(["verify", "encrypt", "wrapKey"]));
    let mut with_use = private.clone();
    with_use["use"] = json!("sig");
    let file = env.write("u.jwk", with_use.to_string());
    assert_eq!(env.run(&["jwk", "public", &file]).json()["use"], "sig");

    // From standard input, both ways.
    let from_stdin = env.run_in(&["jwk", "public"], with_ops.to_string()).json();
    assert_eq!(from_stdin, public);
    let dash = env
        .run_in(&["jwk", "public", "-"], with_ops.to_string())
        .json();
    assert_eq!(dash, public);

    // A set: public keys, oct keys left out.
    let rsa = env.run(&["keygen", "RS256", "--kid", "r"]).json();
    let oct = env.run(&["keygen", "HS256", "--kid", "h"]).json();
    let set = json!({"keys": [private, oct, rsa]});
    let file = env.write("set.json", set.to_string());
    let out = env.run(&["jwk", "public", &file]).json();
    let kids: Vec<&str> = out["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["e", "r"]);
    assert!(out["keys"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k.get("d").is_none()));

    // A PEM private key.
    let pem = vector("keys/p256.pkcs8.pem");
    let out = env.run(&["jwk", "public", pem.to_str().unwrap()]).json();
    assert_eq!(out["crv"], "P-256");
    assert!(out.get("d").is_none());

    let oct = env.write("oct.jwk", oct.to_string());
    let line = env.run(&["jwk", "public", &oct]).fails(2);
    assert!(line.contains("oct"), "{line}");
    env.run(&["jwk", "public", "missing.jwk"]).fails(2);
    let bad = env.write("bad.jwk", r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#);
    env.run(&["jwk", "public", &bad]).fails(2);
}

#[test]
fn jwk_thumbprint() {
    let env = Env::new();
    let rfc: Value =
        serde_json::from_slice(&std::fs::read(vector("rfc/rfc7638.json")).unwrap()).unwrap();
    let entry = &rfc["entries"][0];
    let file = env.write("rfc.jwk", entry["jwk"].to_string());
    let tp = env.run(&["jwk", "thumbprint", &file]).line();
    assert_eq!(tp, entry["expected"]["thumbprint_b64u"].as_str().unwrap());
    let sha256 = env
        .run(&["jwk", "thumbprint", "--hash", "sha256", &file])
        .line();
    assert_eq!(sha256, tp);
    let sha384 = env
        .run(&["jwk", "thumbprint", "--hash", "sha384", &file])
        .line();
    let sha512 = env
        .run(&["jwk", "thumbprint", "--hash", "sha512", &file])
        .line();
    assert_eq!(josecraft::base64url::decode(&sha384).unwrap().len(), 48);
    assert_eq!(josecraft::base64url::decode(&sha512).unwrap().len(), 64);

    let a = env.run(&["keygen", "EdDSA", "--kid", "a"]).json();
    let b = env.run(&["keygen", "EdDSA", "--kid", "b"]).json();
    let set = env.write("set.json", json!({"keys": [a, b]}).to_string());
    let tb = env.run(&["jwk", "thumbprint", "--kid", "b", &set]).line();
    let b_file = env.write("b.jwk", b.to_string());
    assert_eq!(tb, env.run(&["jwk", "thumbprint", &b_file]).line());
    env.run(&["jwk", "thumbprint", &set]).fails(2);
    env.run(&["jwk", "thumbprint", "--kid", "zz", &set])
        .fails(2);
    env.run(&["jwk", "thumbprint", "--hash", "md5", &file])
        .fails(2);
}

#[test]
fn jwk_from_pem() {
    let env = Env::new();
    let path = |name: &str| {
        vector(&format!("keys/{name}"))
            .to_string_lossy()
            .into_owned()
    };

    let jwk = env
        .run(&[
            "jwk",
            "from-pem",
            "--alg",
            "RS256",
            "--kid",
            "r1",
            &path("rsa2048.pkcs8.pem"),
        ])
        .json();
    assert_eq!(
        (
            jwk["kty"].as_str(),
            jwk["alg"].as_str(),
            jwk["kid"].as_str()
        ),
        (Some("RSA"), Some("RS256"), Some("r1"))
    );
    assert!(
        jwk.get("d").is_some() && jwk.get("p").is_some(),
        "the private JWK"
    );

    for (file, kty, private) in [
        ("rsa2048.pkcs1.pem", "RSA", true),
        ("rsa2048.pkcs1-public.pem", "RSA", false),
        ("rsa2048.spki.pem", "RSA", false),
        ("rsa2048.pkcs8.der", "RSA", true),
        ("p256.sec1.pem", "EC", true),
        ("p384.pkcs8.pem", "EC", true),
        ("p256.spki.der", "EC", false),
        ("ed25519.pkcs8.pem", "OKP", true),
        ("ed25519.spki.pem", "OKP", false),
    ] {
        let jwk = env.run(&["jwk", "from-pem", &path(file)]).json();
        assert_eq!(jwk["kty"], kty, "{file}");
        assert_eq!(jwk.get("d").is_some(), private, "{file}");
        assert!(jwk.get("alg").is_none(), "{file}: no alg unless asked");
    }
    // A certificate: the public JWK with x5c.
    for file in [
        "rsa2048.cert.pem",
        "rsa2048.cert.der",
        "p256.cert.pem",
        "ed25519.cert.pem",
    ] {
        let jwk = env.run(&["jwk", "from-pem", &path(file)]).json();
        assert!(jwk.get("d").is_none(), "{file}");
        assert_eq!(jwk["x5c"].as_array().map(Vec::len), Some(1), "{file}");
    }
    // From standard input.
    let pem = std::fs::read(vector("keys/p256.pkcs8.pem")).unwrap();
    let jwk = env
        .run_in(&["jwk", "from-pem", "--alg", "ES256"], &pem)
        .json();
    assert_eq!(jwk["alg"], "ES256");
    let line = env
        .run(&["--pretty", "jwk", "from-pem", &path("p256.spki.pem")])
        .text();
    assert!(line.lines().count() > 3);

    let line = env
        .run(&["jwk", "from-pem", &path("p256.encrypted.pem")])
        .fails(2);
    assert!(line.to_lowercase().contains("encrypted"), "{line}");
    env.run(&["jwk", "from-pem", "--alg", "RS256", &path("p256.pkcs8.pem")])
        .fails(2);
    env.run(&["jwk", "from-pem", "--alg", "XX9", &path("p256.pkcs8.pem")])
        .fails(2);
    env.run(&["jwk", "from-pem", &path("rsa1024.pkcs8.pem")])
        .fails(2);
    let junk = env.write(
        "junk.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    env.run(&["jwk", "from-pem", &junk]).fails(2);
    env.run_in(&["jwk", "from-pem"], b"\x00\x01garbage")
        .fails(2);
}
