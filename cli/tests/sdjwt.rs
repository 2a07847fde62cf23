//! `sd-jwt issue`, `sd-jwt present` and `sd-jwt verify`.

mod common;

use common::Env;
use serde_json::{json, Value};

#[test]
fn issue_present_verify() {
    let env = Env::new();
    let issuer = env.keygen("issuer.jwk", &["ES256"]);
    let holder = env.keygen("holder.jwk", &["EdDSA"]);
    let public = env.write(
        "issuer-public.jwk",
        env.run(&["jwk", "public", &issuer]).text(),
    );
    let claims = env.write(
        "claims.json",
        json!({"iss": "https://issuer.example", "exp": 4_102_444_800_i64, "given_name": "Ada",
            "family_name": "Lovelace", "email": "ada@example.com",
            "address": {"locality": "London", "country": "GB"}, "nationalities": ["GB", "IT"]})
        .to_string(),
    );
    let mut issue = vec![
        "sd-jwt",
        "issue",
        "--key",
        &issuer,
        "--claims",
        &claims,
        "--holder-key",
        &holder,
        "--typ",
        "dc+sd-jwt",
        "--decoys",
        "2",
    ];
    for p in [
        "/given_name",
        "/family_name",
        "/email",
        "/address/locality",
        "/nationalities/1",
    ] {
        issue.extend(["--disclose", p]);
    }
    let sd = env.run(&issue).line();
    assert_eq!(sd.matches('~').count(), 6, "five disclosures");
    let file = env.write("sd-jwt", &sd);
    let listed = env.run(&["sd-jwt", "present", "--list", &file]).json();
    assert_eq!(
        listed,
        json!({"/given_name": "Ada", "/family_name": "Lovelace", "/email": "ada@example.com",
            "/address/locality": "London", "/nationalities/1": "IT"})
    );
    let presentation = env
        .run(&[
            "sd-jwt",
            "present",
            "--disclose",
            "/given_name",
            "--disclose",
            "/address/locality",
            "--holder-key",
            &holder,
            "--aud",
            "https://verifier.example",
            "--nonce",
            "n-1",
            &file,
        ])
        .line();
    let pres = env.write("presentation", &presentation);
    let report = env
        .run(&[
            "sd-jwt",
            "verify",
            "--key",
            &public,
            "--iss",
            "https://issuer.example",
            "--typ",
            "dc+sd-jwt",
            "--kb-aud",
            "https://verifier.example",
            "--kb-nonce",
            "n-1",
            &pres,
        ])
        .json();
    assert_eq!(report["key_bound"], true);
    assert_eq!(report["claims"]["given_name"], "Ada");
    assert_eq!(
        report["claims"]["address"],
        json!({"locality": "London", "country": "GB"})
    );
    assert_eq!(report["claims"]["nationalities"], json!(["GB"]));
    assert!(report["claims"].get("email").is_none());
    let mut disclosed: Vec<String> = serde_json::from_value(report["disclosed"].clone()).unwrap();
    disclosed.sort();
    assert_eq!(disclosed, ["/address/locality", "/given_name"]);

    // Rejections exit 1 and name the rule.
    for (args, says) in [
        (
            vec!["--kb-aud", "https://verifier.example", "--kb-nonce", "n-2"],
            "nonce",
        ),
        (
            vec!["--kb-aud", "https://other.example", "--kb-nonce", "n-1"],
            "aud",
        ),
        (
            vec!["--iss", "https://other.example", "--no-key-binding"],
            "iss",
        ),
    ] {
        let mut all = vec!["sd-jwt", "verify", "--key", &public];
        all.extend(args);
        all.push(&pres);
        let line = env.run(&all).fails(1);
        assert!(line.contains(says), "{line}");
    }
    // Without key binding required, the issuance itself verifies with every claim.
    let all = env
        .run(&[
            "sd-jwt",
            "verify",
            "--key",
            &public,
            "--no-key-binding",
            &file,
        ])
        .json();
    assert_eq!(all["key_bound"], false);
    assert_eq!(all["claims"]["email"], "ada@example.com");
    // A disclosure added from another issuance is refused.
    let other = env.run(&issue).line();
    let foreign = other.split('~').nth(1).unwrap();
    let mixed = env.write("mixed", format!("{sd}{foreign}~"));
    let line = env
        .run(&[
            "sd-jwt",
            "verify",
            "--key",
            &public,
            "--no-key-binding",
            &mixed,
        ])
        .fails(1);
    assert!(line.contains("not referenced"), "{line}");
}

#[test]
fn usage_errors() {
    let env = Env::new();
    let issuer = env.keygen("issuer.jwk", &["ES256"]);
    let claims = env.write(
        "claims.json",
        r#"{"iss":"https://i.example","exp":4102444800,"a":1}"#,
    );
    for p in ["/missing", "/iss", "/exp", "a", "/_sd"] {
        env.run(&[
            "sd-jwt",
            "issue",
            "--key",
            &issuer,
            "--claims",
            &claims,
            "--disclose",
            p,
        ])
        .fails(2);
    }
    let sd = env
        .run(&[
            "sd-jwt",
            "issue",
            "--key",
            &issuer,
            "--claims",
            &claims,
            "--disclose",
            "/a",
        ])
        .line();
    env.run(&["sd-jwt", "present", "--disclose", "/b", "--token", &sd])
        .fails(2);
    let value: Value = env
        .run(&["sd-jwt", "present", "--list", "--token", &sd])
        .json();
    assert_eq!(value, json!({"/a": 1}));
    env.run(&["sd-jwt", "present", "--list", "--token", "not an sd-jwt"])
        .fails(1);
}
