//! Each check of RFC 9449 §4.3 on its own, through the public API of the module.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::date::FixedClock;
use crate::jwt::Claims;
use crate::{HmacAlgorithm, HmacKey};

const T: i64 = 1_700_000_000;

fn at(t: i64) -> Arc<dyn Clock> {
    Arc::new(FixedClock(NumericDate::from_unix(t).unwrap()))
}

fn verifier() -> ProofVerifier {
    ProofVerifier::new(RECOMMENDED_ALGORITHMS.iter().copied()).with_clock(at(T))
}

fn request() -> HttpRequest {
    HttpRequest::new("POST", "https://server.example.com/token").unwrap()
}

fn proof(_signer: &SigningKey) -> Proof<'static> {
    Proof::new("POST", "https://server.example.com/token")
        .with_issued_at(NumericDate::from_unix(T).unwrap())
}

fn dpop_err(r: Result<impl fmt::Debug>) -> DpopError {
    match r {
        Err(Error::Dpop(e)) => e,
        other => panic!("expected a DPoP error, got {other:?}"),
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    crate::executor::block_on(f)
}

/// A proof with this header and these claims, signed by `key` (which need not be the
/// header's `jwk`).
fn forge(header: &str, claims: &str, key: &dyn Signer) -> String {
    let input = format!(
        "{}.{}",
        base64url::encode(header),
        base64url::encode(claims)
    );
    let sig = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", base64url::encode(sig))
}

fn jwk_json(key: &SigningKey) -> String {
    key.verifying_key().to_jwk().thumbprint_input()
}

#[test]
fn a_proof_round_trips_with_every_claim() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = proof(&key).with_nonce("n-1").sign(&key).unwrap();
    let v = run(verifier().verify(&token, &request())).unwrap();
    assert_eq!(v.htm(), "POST");
    assert_eq!(v.htu(), "https://server.example.com/token");
    assert_eq!(v.issued_at().unix(), T);
    assert_eq!(v.nonce(), Some("n-1"));
    assert_eq!(v.algorithm(), SignatureAlgorithm::Es256);
    assert_eq!(
        v.thumbprint(),
        key.verifying_key()
            .to_jwk()
            .thumbprint_b64(ThumbprintHash::Sha256)
    );
    assert_eq!(base64url::decode(v.jti()).unwrap().len(), 16);
    // The header: typ, alg, the public jwk only; no kid.
    let parsed = UnverifiedCompact::parse(&token).unwrap();
    let h = parsed.untrusted_header().untrusted();
    assert_eq!(h.typ(), Some("dpop+jwt"));
    assert_eq!(h.alg(), Some("ES256"));
    assert_eq!(h.kid(), None);
    assert_eq!(h.jwk().unwrap().get(), jwk_json(&key));
}

#[test]
fn every_asymmetric_family_signs_proofs() {
    for alg in [
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::Rs256,
        SignatureAlgorithm::EdDsa,
        SignatureAlgorithm::Ed25519,
    ] {
        let key = SigningKey::generate(alg).unwrap();
        let token = proof(&key).sign(&key).unwrap();
        let all = ProofVerifier::new(SignatureAlgorithm::ALL.iter().copied()).with_clock(at(T));
        let v = run(all.verify(&token, &request())).unwrap();
        assert_eq!(v.algorithm(), alg);
        // Off the allow-list: refused before the key is even read.
        let only_es = ProofVerifier::new([SignatureAlgorithm::Es512]).with_clock(at(T));
        assert!(matches!(
            dpop_err(run(only_es.verify(&token, &request()))),
            DpopError::AlgorithmNotAllowed { .. }
        ));
    }
}

#[test]
fn the_query_and_fragment_stay_out_and_the_uri_is_normalized() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = Proof::new("GET", "https://API.example:443/a/./orders?page=2#x")
        .with_issued_at(NumericDate::from_unix(T).unwrap())
        .sign(&key)
        .unwrap();
    let req = HttpRequest::new("GET", "https://api.example/a/orders?page=3").unwrap();
    let v = run(verifier().verify(&token, &req)).unwrap();
    assert_eq!(v.htu(), "https://api.example/a/orders");
}

#[test]
fn method_and_uri_must_match() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = proof(&key).sign(&key).unwrap();
    let get = HttpRequest::new("GET", "https://server.example.com/token").unwrap();
    assert!(matches!(
        dpop_err(run(verifier().verify(&token, &get))),
        DpopError::MethodMismatch { .. }
    ));
    let lower = HttpRequest::new("post", "https://server.example.com/token").unwrap();
    assert!(matches!(
        dpop_err(run(verifier().verify(&token, &lower))),
        DpopError::MethodMismatch { .. }
    ));
    for other in [
        "https://server.example.com/token/",
        "http://server.example.com/token",
        "https://server.example.com:8443/token",
        "https://evil.example/token",
    ] {
        let req = HttpRequest::new("POST", other).unwrap();
        assert!(
            matches!(
                dpop_err(run(verifier().verify(&token, &req))),
                DpopError::UriMismatch { .. }
            ),
            "{other}"
        );
    }
}

#[test]
fn a_proof_is_accepted_once() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = proof(&key).sign(&key).unwrap();
    let v = verifier();
    run(v.verify(&token, &request())).unwrap();
    assert_eq!(
        dpop_err(run(v.verify(&token, &request()))),
        DpopError::Replayed
    );
    // The same jti from another key is another proof: one client cannot block another.
    let other = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let a = proof(&key).with_jti("fixed").sign(&key).unwrap();
    let b = proof(&other).with_jti("fixed").sign(&other).unwrap();
    run(v.verify(&a, &request())).unwrap();
    run(v.verify(&b, &request())).unwrap();
    assert_eq!(dpop_err(run(v.verify(&b, &request()))), DpopError::Replayed);
    // In the last second of its window, a proof is still accepted once only.
    let last = Proof::new("POST", "https://server.example.com/token")
        .with_issued_at(NumericDate::from_unix(T - 65).unwrap())
        .sign(&key)
        .unwrap();
    run(v.verify(&last, &request())).unwrap();
    assert_eq!(
        dpop_err(run(v.verify(&last, &request()))),
        DpopError::Replayed
    );
    // With no window at all, the same holds within the second.
    let tight = verifier()
        .with_max_age(Duration::ZERO)
        .with_leeway(Duration::ZERO);
    let now = proof(&key).sign(&key).unwrap();
    run(tight.verify(&now, &request())).unwrap();
    assert_eq!(
        dpop_err(run(tight.verify(&now, &request()))),
        DpopError::Replayed
    );
    // A huge max_age is capped, so entries still expire at a valid date.
    let wide = verifier().with_max_age(Duration::MAX);
    let once = proof(&key).sign(&key).unwrap();
    run(wide.verify(&once, &request())).unwrap();
    assert_eq!(
        dpop_err(run(wide.verify(&once, &request()))),
        DpopError::Replayed
    );
}

#[test]
fn the_time_window_holds() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    for (iat, ok) in [
        (T, true),
        (T + 5, true),
        (T + 6, false),
        (T - 65, true),
        (T - 66, false),
    ] {
        let token = Proof::new("POST", "https://server.example.com/token")
            .with_issued_at(NumericDate::from_unix(iat).unwrap())
            .sign(&key)
            .unwrap();
        let r = run(verifier().verify(&token, &request()));
        if ok {
            r.unwrap();
        } else {
            let e = dpop_err(r);
            assert!(
                matches!(
                    e,
                    DpopError::IssuedInFuture { .. } | DpopError::TooOld { .. }
                ),
                "{iat}: {e:?}"
            );
        }
    }
}

#[test]
fn the_access_token_hash_is_checked_when_a_token_is_presented() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let req = request();
    let with = proof(&key).with_access_token("token-a").sign(&key).unwrap();
    verifier().check(&with, &req, Some("token-a")).unwrap();
    assert_eq!(
        dpop_err(verifier().check(&with, &req, Some("token-b"))),
        DpopError::AccessTokenHashMismatch
    );
    let without = proof(&key).sign(&key).unwrap();
    assert_eq!(
        dpop_err(verifier().check(&without, &req, Some("token-a"))),
        DpopError::MissingClaim("ath")
    );
    // RFC 9449 §7.1's example.
    assert_eq!(
        access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
    );
}

#[test]
fn header_rules() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let jwk = jwk_json(&key);
    let claims = format!(
        r#"{{"jti":"j1","htm":"POST","htu":"https://server.example.com/token","iat":{T}}}"#
    );
    let check = |header: String| {
        dpop_err(verifier().check(&forge(&header, &claims, &key), &request(), None))
    };
    // The forge itself is sound.
    verifier()
        .check(
            &forge(
                &format!(r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{jwk}}}"#),
                &claims,
                &key,
            ),
            &request(),
            None,
        )
        .unwrap();
    assert!(matches!(
        check(format!(r#"{{"typ":"JWT","alg":"ES256","jwk":{jwk}}}"#)),
        DpopError::WrongType { .. }
    ));
    assert!(matches!(
        check(format!(r#"{{"alg":"ES256","jwk":{jwk}}}"#)),
        DpopError::WrongType { found: None }
    ));
    assert!(matches!(
        check(r#"{"typ":"dpop+jwt","alg":"ES256"}"#.to_string()),
        DpopError::InvalidKey(_)
    ));
    // A private key in the jwk.
    let private = key.to_private_jwk().to_json();
    assert_eq!(
        check(format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{private}}}"#
        )),
        DpopError::PrivateKey
    );
    // A symmetric key, `none`, HMAC.
    let hmac = HmacKey::new(HmacAlgorithm::Hs256, &[9u8; 32]).unwrap();
    let oct = hmac.to_secret_jwk().to_json();
    let hs = forge(
        &format!(r#"{{"typ":"dpop+jwt","alg":"HS256","jwk":{oct}}}"#),
        &claims,
        &hmac,
    );
    assert!(matches!(
        dpop_err(verifier().check(&hs, &request(), None)),
        DpopError::AlgorithmNotAllowed { .. }
    ));
    let none = format!(
        "{}.{}.",
        base64url::encode(format!(r#"{{"typ":"dpop+jwt","alg":"none","jwk":{jwk}}}"#)),
        base64url::encode(&claims)
    );
    assert!(matches!(
        dpop_err(verifier().check(&none, &request(), None)),
        DpopError::AlgorithmNotAllowed { .. }
    ));
    // A jwk of another key type than alg.
    let ed = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    assert!(matches!(
        check(format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
            jwk_json(&ed)
        )),
        DpopError::InvalidKey(_)
    ));
    // Signed by another key than the jwk's.
    let other = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let swapped = forge(
        &format!(r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{jwk}}}"#),
        &claims,
        &other,
    );
    assert_eq!(
        dpop_err(verifier().check(&swapped, &request(), None)),
        DpopError::InvalidSignature
    );
    // An unencoded payload (RFC 7797).
    let unencoded_header = base64url::encode(format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{jwk},"b64":false,"crit":["b64"]}}"#
    ));
    let unencoded = format!(
        r#"{unencoded_header}.{{"jti":"j1","htm":"POST","htu":"https://localhost/token","iat":{T}}}.AAAA"#
    );
    assert!(matches!(
        dpop_err(verifier().check(&unencoded, &request(), None)),
        DpopError::Malformed(m) if m.contains("b64")
    ));
    // An oversized jwk, an oversized proof.
    let padded = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{},"pad":"{}"}}"#,
        jwk.replacen('{', &format!(r#"{{"x5c":["{}"],"#, "A".repeat(3000)), 1),
        ""
    );
    assert!(matches!(check(padded), DpopError::InvalidKey(_)));
    let big = forge(
        &format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{jwk},"pad":"{}"}}"#,
            "A".repeat(9000)
        ),
        &claims,
        &key,
    );
    assert!(matches!(
        dpop_err(verifier().check(&big, &request(), None)),
        DpopError::ProofTooLarge { .. }
    ));
}

#[test]
fn claim_rules() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let header = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
        jwk_json(&key)
    );
    let check = |claims: &str| verifier().check(&forge(&header, claims, &key), &request(), None);
    let good = format!(r#""htm":"POST","htu":"https://server.example.com/token","iat":{T}"#);
    check(&format!(r#"{{"jti":"a",{good}}}"#)).unwrap();
    check(&format!(
        r#"{{"jti":"a","htm":"POST","htu":"https://server.example.com/token","iat":{T}.7}}"#
    ))
    .unwrap();
    for (claims, missing) in [
        (format!(r#"{{{good}}}"#), "jti"),
        (
            format!(r#"{{"jti":"a","htu":"https://server.example.com/token","iat":{T}}}"#),
            "htm",
        ),
        (format!(r#"{{"jti":"a","htm":"POST","iat":{T}}}"#), "htu"),
        (
            r#"{"jti":"a","htm":"POST","htu":"https://server.example.com/token"}"#.to_string(),
            "iat",
        ),
    ] {
        assert_eq!(
            dpop_err(check(&claims)),
            DpopError::MissingClaim(missing),
            "{claims}"
        );
    }
    for bad in [
        format!(r#"{{"jti":7,{good}}}"#),
        format!(r#"{{"jti":"",{good}}}"#),
        format!(r#"{{"jti":"{}",{good}}}"#, "j".repeat(300)),
        format!(r#"{{"jti":"a","jti":"b",{good}}}"#),
        format!(
            r#"{{"jti":"a","htm":"POST","htu":"https://server.example.com/token","iat":"{T}"}}"#
        ),
        r#"{"jti":"a","htm":"POST","htu":"https://server.example.com/token","iat":1e400}"#
            .to_string(),
        format!(r#"{{"jti":"a",{good},"nonce":5}}"#),
        "[]".to_string(),
        "not json".to_string(),
    ] {
        assert!(
            matches!(dpop_err(check(&bad)), DpopError::Malformed(_)),
            "{bad}"
        );
    }
}

#[test]
fn nonces_are_required_when_configured() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let nonces = Arc::new(
        RotatingNonces::new(&[3u8; 32], Duration::from_secs(300))
            .unwrap()
            .with_clock(at(T)),
    );
    let v = verifier().with_nonces(nonces.clone());
    let current = v.current_nonce().unwrap();
    let without = proof(&key).sign(&key).unwrap();
    assert_eq!(
        dpop_err(run(v.verify(&without, &request()))),
        DpopError::UseNonce {
            nonce: current.clone()
        }
    );
    let stale = proof(&key).with_nonce("made-up").sign(&key).unwrap();
    assert!(matches!(
        dpop_err(run(v.verify(&stale, &request()))),
        DpopError::UseNonce { .. }
    ));
    let with = proof(&key).with_nonce(&current).sign(&key).unwrap();
    run(v.verify(&with, &request())).unwrap();
}

#[test]
fn bound_tokens_need_their_proof() {
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let client = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let thief = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let jkt = client
        .verifying_key()
        .to_jwk()
        .thumbprint_b64(ThumbprintHash::Sha256);
    let mut custom = serde_json::Map::new();
    custom.insert(
        "cnf".into(),
        serde_json::to_value(Confirmation { jkt }).unwrap(),
    );
    let now = NumericDate::from_unix(T).unwrap();
    let claims = Claims::new(custom)
        .with_issuer("https://as")
        .with_audience("https://rs")
        .valid_for(now, Duration::from_secs(300))
        .unwrap();
    let token = jwt::sign(&claims, &issuer).unwrap();
    let validation = Validation::issuer("https://as")
        .audience("https://rs")
        .with_clock(FixedClock(now));
    let keys = issuer.verifying_key();
    let req = HttpRequest::new("GET", "https://rs/orders").unwrap();
    let proof_by = |k: &SigningKey| {
        Proof::new("GET", "https://rs/orders")
            .with_issued_at(now)
            .with_access_token(&token)
            .sign(k)
            .unwrap()
    };
    let v = verifier();
    let ok = run(verify_access_token::<serde_json::Map<_, _>>(
        &token,
        &proof_by(&client),
        &req,
        &keys,
        &validation,
        &v,
    ))
    .unwrap();
    assert_eq!(ok.token().claims().iss.as_deref(), Some("https://as"));
    // Stolen token, thief's own proof.
    assert_eq!(
        dpop_err(run(verify_access_token::<serde_json::Map<_, _>>(
            &token,
            &proof_by(&thief),
            &req,
            &keys,
            &validation,
            &v,
        ))),
        DpopError::KeyMismatch
    );
    // As a bearer token.
    assert_eq!(
        dpop_err(jwt::verify::<serde_json::Map<_, _>>(
            &token,
            &keys,
            &validation
        )),
        DpopError::BoundTokenAsBearer
    );
    jwt::verify::<serde_json::Map<_, _>>(
        &token,
        &keys,
        &validation.clone().dangerous_accept_dpop_bound_as_bearer(),
    )
    .unwrap();
    // An unbound token with a proof; and a DPoP-only validation refuses bearer tokens.
    let plain = jwt::sign(
        &Claims::new(serde_json::Map::new())
            .with_issuer("https://as")
            .with_audience("https://rs")
            .valid_for(now, Duration::from_secs(300))
            .unwrap(),
        &issuer,
    )
    .unwrap();
    let plain_proof = Proof::new("GET", "https://rs/orders")
        .with_issued_at(now)
        .with_access_token(&plain)
        .sign(&client)
        .unwrap();
    assert_eq!(
        dpop_err(run(verify_access_token::<serde_json::Map<_, _>>(
            &plain,
            &plain_proof,
            &req,
            &keys,
            &validation,
            &v,
        ))),
        DpopError::TokenNotBound
    );
    jwt::verify::<serde_json::Map<_, _>>(&plain, &keys, &validation).unwrap();
    assert_eq!(
        dpop_err(jwt::verify::<serde_json::Map<_, _>>(
            &plain,
            &keys,
            &validation.clone().require_dpop_binding()
        )),
        DpopError::TokenNotBound
    );
    // An encrypted-only bound token is no Bearer token either.
    let shared = crate::jwe::SymmetricKey::generate(crate::SymmetricKeyManagement::A256Kw).unwrap();
    let sealed = crate::jwe::encrypt_compact(
        &crate::JweHeader::new(),
        crate::jws::UnverifiedCompact::parse(&token)
            .unwrap()
            .verify(&keys)
            .unwrap()
            .payload(),
        crate::ContentEncryption::A256Gcm,
        &shared,
    )
    .unwrap();
    assert_eq!(
        dpop_err(jwt::decrypt::<serde_json::Map<_, _>>(
            &sealed,
            &shared,
            &validation
        )),
        DpopError::BoundTokenAsBearer
    );
    // A malformed cnf is a claims error.
    let mut bad = serde_json::Map::new();
    bad.insert("cnf".into(), serde_json::json!({"jkt": 5}));
    let bad = jwt::sign(
        &Claims::new(bad)
            .with_issuer("https://as")
            .with_audience("https://rs")
            .valid_for(now, Duration::from_secs(300))
            .unwrap(),
        &issuer,
    )
    .unwrap();
    assert!(matches!(
        jwt::verify::<serde_json::Map<_, _>>(&bad, &keys, &validation),
        Err(Error::Claims(crate::ClaimsError::WrongType(_)))
    ));
}

#[test]
fn header_values() {
    assert_eq!(single_proof(["a"].into_iter()).unwrap(), "a");
    assert!(matches!(
        single_proof(std::iter::empty()),
        Err(Error::Dpop(DpopError::MissingProof))
    ));
    assert!(matches!(
        single_proof(["a", "b"].into_iter()),
        Err(Error::Dpop(DpopError::SeveralProofs))
    ));
    assert_eq!(access_token("DPoP abc.def").unwrap(), "abc.def");
    assert_eq!(access_token("dpop  abc").unwrap(), "abc");
    assert!(access_token("Bearer abc").is_err());
    assert!(access_token("DPoP").is_err());
    assert!(access_token("DPoP a b").is_err());
}

#[test]
fn requests_are_checked() {
    assert!(HttpRequest::new("", "https://a.example/").is_err());
    assert!(HttpRequest::new("GE T", "https://a.example/").is_err());
    assert!(HttpRequest::new("GET", "/relative").is_err());
    assert!(Proof::new("GET", "ftp://a.example/")
        .sign(&SigningKey::generate(SignatureAlgorithm::Es256).unwrap())
        .is_err());
}
