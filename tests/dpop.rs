//! DPoP (RFC 9449) through the public API: the RFC's own proofs, and a resource server's
//! whole check of an RFC 9068 access token bound to a key.

mod common;

use std::sync::Arc;
use std::time::Duration;

use josecraft::dpop::{self, Confirmation, HttpRequest, Proof, ProofVerifier};
use josecraft::jwt::{self, Claims, FixedClock, NumericDate, Validation};
use josecraft::{DpopError, Error, SignatureAlgorithm, SigningKey};

fn clock(t: i64) -> Arc<FixedClock> {
    Arc::new(FixedClock(NumericDate::from_unix(t).unwrap()))
}

fn at_its_iat(entry: &serde_json::Value, iat: i64) -> (ProofVerifier, HttpRequest) {
    let req = &entry["http_request"];
    (
        ProofVerifier::new([SignatureAlgorithm::Es256]).with_clock(clock(iat)),
        HttpRequest::new(
            req["method"].as_str().unwrap(),
            req["uri"].as_str().unwrap(),
        )
        .unwrap(),
    )
}

#[test]
fn the_rfc_proofs_verify() {
    let jkt = common::rfc_entry("rfc9449.json", "RFC9449-6.1-jkt")["expected"]["thumbprint_b64u"]
        .as_str()
        .unwrap()
        .to_string();
    // §4.1 Figure 2: a proof at the token endpoint.
    let fig2 = common::rfc_entry("rfc9449.json", "RFC9449-4.1-fig2-token-proof");
    let proof = fig2["input"]["compact"].as_str().unwrap();
    let (verifier, req) = at_its_iat(&fig2, fig2["expected"]["iat"].as_i64().unwrap());
    let v = josecraft::keysource::block_on(verifier.verify(proof, &req)).unwrap();
    assert_eq!(v.thumbprint(), jkt);
    assert_eq!(v.jti(), fig2["expected"]["jti"].as_str().unwrap());
    assert_eq!(v.htu(), "https://server.example.com/token");
    // Replayed: refused.
    assert_eq!(
        josecraft::keysource::block_on(verifier.verify(proof, &req)),
        Err(Error::Dpop(DpopError::Replayed))
    );
    // At another URI, with another method, or a day later: refused.
    let elsewhere = HttpRequest::new("POST", "https://server.example.com/other").unwrap();
    assert!(matches!(
        josecraft::keysource::block_on(verifier.verify(proof, &elsewhere)),
        Err(Error::Dpop(DpopError::UriMismatch { .. }))
    ));
    let later =
        ProofVerifier::new([SignatureAlgorithm::Es256]).with_clock(clock(1_562_262_616 + 86_400));
    assert!(matches!(
        josecraft::keysource::block_on(later.verify(proof, &req)),
        Err(Error::Dpop(DpopError::TooOld { .. }))
    ));

    // §7.1 Figure 13: a proof at a resource server, with the access token's hash.
    let fig13 = common::rfc_entry("rfc9449.json", "RFC9449-7.1-fig13-resource-proof");
    let proof = fig13["input"]["compact"].as_str().unwrap();
    let token = fig13["expected"]["access_token"].as_str().unwrap();
    let (verifier, req) = at_its_iat(&fig13, fig13["expected"]["iat"].as_i64().unwrap());
    assert_eq!(
        josecraft::keysource::block_on(verifier.verify_with_access_token(
            proof,
            &req,
            "another token"
        )),
        Err(Error::Dpop(DpopError::AccessTokenHashMismatch))
    );
    let v = josecraft::keysource::block_on(verifier.verify_with_access_token(proof, &req, token))
        .unwrap();
    assert_eq!(v.thumbprint(), jkt);
    assert_eq!(
        dpop::access_token_hash(token),
        fig13["expected"]["ath"].as_str().unwrap()
    );
    assert_eq!(
        dpop::access_token(fig13["http_request"]["authorization"].as_str().unwrap()).unwrap(),
        token
    );

    // §5 Figure 7: the refresh-token request's proof (its claims are not printed; its iat
    // is read from the payload).
    let fig7 = common::rfc_entry("rfc9449.json", "RFC9449-5-fig7-refresh-proof");
    let proof = fig7["input"]["compact"].as_str().unwrap();
    let payload: serde_json::Value =
        serde_json::from_str(fig7["expected"]["payload_utf8"].as_str().unwrap()).unwrap();
    let (verifier, req) = at_its_iat(&fig7, payload["iat"].as_i64().unwrap());
    let v = josecraft::keysource::block_on(verifier.verify(proof, &req)).unwrap();
    assert_eq!(v.thumbprint(), jkt);

    // §6.1 Figure 8: the access token's cnf.jkt is that thumbprint.
    let fig8 = common::rfc_entry("rfc9449.json", "RFC9449-6.1-fig8-access-token-jwt");
    assert_eq!(fig8["expected"]["cnf_jkt"].as_str().unwrap(), jkt);
    println!(
        "rfc9449 examples: 3 proofs verified (§4.1 Figure 2, §5 Figure 7, §7.1 Figure 13), \
         their key's thumbprint equals the jkt of §6.1, ath of §7.1 reproduced, a replay and \
         a mismatched URI refused"
    );
}

#[test]
fn rfc9068_access_tokens_bound_with_dpop() {
    let now = NumericDate::now();
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("as-1");
    let client = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let verifier = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied());

    // Token endpoint: the proof binds the token.
    let token_req = HttpRequest::new("POST", "https://as.example/token").unwrap();
    let proof = Proof::new("POST", "https://as.example/token")
        .sign(&client)
        .unwrap();
    let bound = josecraft::keysource::block_on(verifier.verify(&proof, &token_req)).unwrap();
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Access {
        scope: String,
        cnf: Confirmation,
    }
    let claims = Claims::new(Access {
        scope: "read:orders".into(),
        cnf: Confirmation::from(&bound),
    })
    .with_issuer("https://as.example")
    .with_subject("ada")
    .with_audience("https://api.example")
    .with_issued_at(now)
    .with_random_jti()
    .unwrap()
    .valid_for(now, Duration::from_secs(300))
    .unwrap();
    let token = jwt::sign_access_token(&claims, "client-1", &issuer).unwrap();

    // Resource server: RFC 9068 profile, DPoP required.
    let validation = Validation::issuer("https://as.example")
        .audience("https://api.example")
        .with_access_token_profile()
        .require_dpop_binding();
    let keys = issuer.verifying_key();
    let api = HttpRequest::new("GET", "https://api.example/orders").unwrap();
    let proof = Proof::new("GET", "https://api.example/orders?limit=5")
        .with_access_token(&token)
        .sign(&client)
        .unwrap();
    let ok = josecraft::keysource::block_on(dpop::verify_access_token::<Access>(
        &token,
        &proof,
        &api,
        &keys,
        &validation,
        &verifier,
    ))
    .unwrap();
    assert_eq!(ok.token().claims().custom.cnf.jkt, ok.proof().thumbprint());
    assert_eq!(ok.token().claims().custom.scope, "read:orders");

    // A stolen token replayed from another key; the same proof twice; as a bearer token.
    let thief = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let theirs = Proof::new("GET", "https://api.example/orders")
        .with_access_token(&token)
        .sign(&thief)
        .unwrap();
    let attempt = |proof: &str| {
        josecraft::keysource::block_on(dpop::verify_access_token::<Access>(
            &token,
            proof,
            &api,
            &keys,
            &validation,
            &verifier,
        ))
        .unwrap_err()
    };
    assert_eq!(attempt(&theirs), Error::Dpop(DpopError::KeyMismatch));
    assert_eq!(attempt(&proof), Error::Dpop(DpopError::Replayed));
    assert_eq!(
        jwt::verify::<Access>(&token, &keys, &validation).unwrap_err(),
        Error::Dpop(DpopError::BoundTokenAsBearer)
    );
}
