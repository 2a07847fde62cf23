//! `dpop proof` and `dpop verify`.

mod common;

use common::Env;

fn jwk_thumbprint(env: &Env, key: &str) -> String {
    env.run(&["jwk", "thumbprint", key]).line()
}

#[test]
fn proof_then_verify() {
    let env = Env::new();
    let key = env.keygen("client.jwk", &["ES256"]);
    let proof = env
        .run(&[
            "dpop",
            "proof",
            "--key",
            &key,
            "--htm",
            "GET",
            "--htu",
            "https://api.example/orders?page=2",
            "--ath-token",
            "the-token",
            "--nonce",
            "n-1",
        ])
        .line();
    let header: serde_json::Value = serde_json::from_slice(
        &josecraft::base64url::decode(proof.split('.').next().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(header["typ"], "dpop+jwt");
    assert_eq!(header["alg"], "ES256");
    assert!(
        header["jwk"].get("d").is_none(),
        "only the public key travels"
    );
    assert!(header.get("kid").is_none());

    let jkt = jwk_thumbprint(&env, &key);
    let report = env
        .run(&[
            "dpop",
            "verify",
            "--htm",
            "GET",
            "--htu",
            "https://api.example/orders",
            "--access-token",
            "the-token",
            "--nonce",
            "n-1",
            "--jkt",
            &jkt,
            "--token",
            &proof,
        ])
        .json();
    assert_eq!(report["jkt"], jkt.as_str());
    assert_eq!(report["htu"], "https://api.example/orders");
    assert_eq!(report["nonce"], "n-1");
    assert_eq!(report["alg"], "ES256");

    // base64url values may start with '-': a thumbprint, a nonce or a token is a value, not a
    // flag (a random thumbprint starting with '-' once made this a usage error).
    let line = env
        .run(&[
            "dpop",
            "verify",
            "--htm",
            "GET",
            "--htu",
            "https://api.example/orders",
            "--jkt",
            "-4WsUtM1qizbHHkGTHpGoVx4rqkyvtoppO6wD4UgwoI",
            "--nonce",
            "n-1",
            "--access-token",
            "the-token",
            "--token",
            &proof,
        ])
        .fails(1);
    assert!(line.contains("bound to another key"), "{line}");
    // Each mismatch is a rejection (exit 1) naming the step.
    let file = env.write("proof", &proof);
    for (args, says) in [
        (
            vec!["--htm", "POST", "--htu", "https://api.example/orders"],
            "htm",
        ),
        (
            vec!["--htm", "GET", "--htu", "https://api.example/other"],
            "htu",
        ),
        (
            vec![
                "--htm",
                "GET",
                "--htu",
                "https://api.example/orders",
                "--access-token",
                "other",
            ],
            "ath",
        ),
        (
            vec![
                "--htm",
                "GET",
                "--htu",
                "https://api.example/orders",
                "--jkt",
                "AAAA",
            ],
            "bound to another key",
        ),
        (
            vec![
                "--htm",
                "GET",
                "--htu",
                "https://api.example/orders",
                "--nonce",
                "n-2",
            ],
            "nonce",
        ),
        (
            vec![
                "--htm",
                "GET",
                "--htu",
                "https://api.example/orders",
                "--alg",
                "EdDSA",
            ],
            "not allowed",
        ),
    ] {
        let mut all = vec!["dpop", "verify"];
        all.extend(args);
        all.push(&file);
        let line = env.run(&all).fails(1);
        assert!(line.contains(says), "{line}");
    }
}

#[test]
fn every_asymmetric_key_kind_and_never_hmac() {
    let env = Env::new();
    for alg in ["ES384", "PS256", "RS256", "EdDSA", "Ed25519"] {
        let key = env.keygen(&format!("{alg}.jwk"), &[alg]);
        let proof = env
            .run(&[
                "dpop",
                "proof",
                "--key",
                &key,
                "--htm",
                "POST",
                "--htu",
                "https://as.example/token",
            ])
            .line();
        let report = env
            .run(&[
                "dpop",
                "verify",
                "--htm",
                "POST",
                "--htu",
                "https://as.example/token",
                "--token",
                &proof,
            ])
            .json();
        assert_eq!(report["alg"], alg);
    }
    let secret = env.keygen("hs.jwk", &["HS256"]);
    let line = env
        .run(&[
            "dpop",
            "proof",
            "--key",
            &secret,
            "--htm",
            "GET",
            "--htu",
            "https://a.example/",
        ])
        .fails(2);
    assert!(
        line.contains("HMAC") || line.contains("asymmetric"),
        "{line}"
    );
    let key = env.keygen("es.jwk", &["ES256"]);
    let public = env.write("public.jwk", env.run(&["jwk", "public", &key]).text());
    env.run(&[
        "dpop",
        "proof",
        "--key",
        &public,
        "--htm",
        "GET",
        "--htu",
        "https://a.example/",
    ])
    .fails(2);
    for bad in [
        vec!["--htm", "GET", "--htu", "/relative"],
        vec!["--htm", "G T", "--htu", "https://a.example/"],
    ] {
        let mut all = vec!["dpop", "proof", "--key", &key];
        all.extend(bad);
        env.run(&all).fails(2);
    }
    let line = env
        .run(&[
            "dpop",
            "verify",
            "--htm",
            "GET",
            "--htu",
            "https://a.example/",
            "--alg",
            "none",
            "--token",
            "x.y.z",
        ])
        .fails(2);
    assert!(line.contains("none"), "{line}");
    // Garbage is a rejected proof, not a crash.
    env.run(&[
        "dpop",
        "verify",
        "--htm",
        "GET",
        "--htu",
        "https://a.example/",
        "--token",
        "x.y.z",
    ])
    .fails(1);
}

#[test]
fn the_rfc_proof_verifies_at_its_time_only() {
    let env = Env::new();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::vector("rfc/rfc9449.json")).unwrap())
            .unwrap();
    let fig2 = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "RFC9449-4.1-fig2-token-proof")
        .unwrap();
    let proof = fig2["input"]["compact"].as_str().unwrap();
    // Proofs from 2019 are too old for the default window.
    let line = env
        .run(&[
            "dpop",
            "verify",
            "--htm",
            "POST",
            "--htu",
            "https://server.example.com/token",
            "--token",
            proof,
        ])
        .fails(1);
    assert!(line.contains("too old"), "{line}");
    let report = env
        .run(&[
            "dpop",
            "verify",
            "--htm",
            "POST",
            "--htu",
            "https://server.example.com/token",
            "--at",
            "1562262630",
            "--token",
            proof,
        ])
        .json();
    assert_eq!(report["jti"], "-BwC3ESc6acc2lTc");
    assert_eq!(report["jkt"], "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    env.run(&[
        "dpop",
        "verify",
        "--htm",
        "POST",
        "--htu",
        "https://server.example.com/token",
        "--max-age",
        "86401",
        "--token",
        proof,
    ])
    .fails(2);
}
