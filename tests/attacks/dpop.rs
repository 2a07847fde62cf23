//! RFC 9449 §11 (DPoP security considerations) as attacks, D1–D11: each builds the
//! attacker's request and asserts the typed refusal, and that nothing is accepted.

use std::sync::Arc;
use std::time::Duration;

use josecraft::dpop::{
    self, Confirmation, HttpRequest, Proof, ProofVerifier, RotatingNonces, VerifiedProof,
};
use josecraft::jwk::ThumbprintHash;
use josecraft::jwt::{self, Claims, FixedClock, NumericDate, Validation};
use josecraft::keysource::block_on;
use josecraft::{DpopError, Error, HmacAlgorithm, HmacKey, SignatureAlgorithm, SigningKey};

use crate::{assert_kind, b64, k_ec, k_rs, sign_raw, T};

const HTU: &str = "https://api.example/orders";

fn now() -> NumericDate {
    NumericDate::from_unix(T).unwrap()
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(now()))
}

fn verifier() -> ProofVerifier {
    ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied()).with_clock(clock())
}

fn get() -> HttpRequest {
    HttpRequest::new("GET", HTU).unwrap()
}

fn jkt(key: &SigningKey) -> String {
    key.verifying_key()
        .to_jwk()
        .thumbprint_b64(ThumbprintHash::Sha256)
}

fn jwk_json(key: &SigningKey) -> String {
    key.verifying_key().to_jwk().thumbprint_input()
}

/// A proof by `key` for GET `HTU` at `T`, with `token`'s hash when given.
fn proof(key: &SigningKey, token: Option<&str>) -> String {
    let mut p = Proof::new("GET", HTU).with_issued_at(now());
    if let Some(t) = token {
        p = p.with_access_token(t);
    }
    p.sign(key).unwrap()
}

fn check(proof: &str) -> josecraft::Result<VerifiedProof> {
    block_on(verifier().verify(proof, &get()))
}

/// An access token from the issuer `K_RS`, bound to `holder`.
fn bound_token(holder: &SigningKey) -> String {
    let mut custom = serde_json::Map::new();
    custom.insert(
        "cnf".into(),
        serde_json::to_value(Confirmation { jkt: jkt(holder) }).unwrap(),
    );
    let claims = Claims::new(custom)
        .with_issuer("https://as.example")
        .with_audience("https://api.example")
        .valid_for(now(), Duration::from_secs(300))
        .unwrap()
        .with_random_jti()
        .unwrap();
    jwt::sign(&claims, &k_rs()).unwrap()
}

fn validation() -> Validation {
    Validation::issuer("https://as.example")
        .audience("https://api.example")
        .with_clock(FixedClock(now()))
}

fn access(token: &str, proof: &str, v: &ProofVerifier) -> josecraft::Result<serde_json::Value> {
    block_on(dpop::verify_access_token::<serde_json::Map<_, _>>(
        token,
        proof,
        &get(),
        &k_rs().verifying_key(),
        &validation(),
        v,
    ))
    .map(|d| serde_json::Value::Object(d.into_parts().0.into_claims().custom))
}

// ------------------------------------------------------------------ D1

/// §11.1: a captured proof replayed, at the same server or at another instance sharing
/// the replay cache.
#[test]
fn d01_proof_replay() {
    let client = k_ec();
    let token = bound_token(&client);
    let p = proof(&client, Some(&token));
    let cache = Arc::new(josecraft::jwt::MemoryReplayCache::new().with_clock(clock()));
    let one = verifier().with_replay_cache(cache.clone());
    let other = verifier().with_replay_cache(cache);
    access(&token, &p, &one).unwrap();
    assert_kind!(access(&token, &p, &one), Error::Dpop(DpopError::Replayed));
    assert_kind!(access(&token, &p, &other), Error::Dpop(DpopError::Replayed));
    // A replay is still refused in the last second of the original's window.
    let later = ProofVerifier::new(dpop::RECOMMENDED_ALGORITHMS.iter().copied()).with_clock(
        Arc::new(FixedClock(NumericDate::from_unix(T + 65).unwrap())),
    );
    let q = proof(&client, Some(&token));
    let again = later.clone();
    block_on(later.verify_with_access_token(&q, &get(), &token)).unwrap();
    assert_kind!(
        block_on(again.verify_with_access_token(&q, &get(), &token)),
        Error::Dpop(DpopError::Replayed)
    );
}

// ------------------------------------------------------------------ D2

/// §11.1, §4.3 steps 8–9: a proof made for one request used for another.
#[test]
fn d02_htu_and_htm_mismatch() {
    let client = k_ec();
    let p = proof(&client, None);
    for (method, uri) in [
        ("POST", HTU),
        ("get", HTU),
        ("GET", "https://api.example/orders/1"),
        ("GET", "https://api.example/Orders"),
        ("GET", "http://api.example/orders"),
        ("GET", "https://api.example:8443/orders"),
        ("GET", "https://evil.example/orders"),
        ("GET", "https://api.example/orders/"),
    ] {
        let req = HttpRequest::new(method, uri).unwrap();
        let r = block_on(verifier().verify(&p, &req));
        assert_kind!(
            r,
            Error::Dpop(DpopError::MethodMismatch { .. } | DpopError::UriMismatch { .. })
        );
    }
    // Equivalent spellings of the same URI are the same resource (RFC 3986 §6).
    for same in [
        "HTTPS://API.example:443/orders?x=1#f",
        "https://api.example/a/../orders",
    ] {
        let p = proof(&client, None);
        block_on(verifier().verify(&p, &HttpRequest::new("GET", same).unwrap())).unwrap();
    }
    // An htu that is not an http(s) URI never matches.
    let header = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
        jwk_json(&client)
    );
    for htu in [
        "javascript:alert(1)",
        "/orders",
        "https://user@api.example/orders",
    ] {
        let claims = format!(r#"{{"jti":"{htu}","htm":"GET","htu":"{htu}","iat":{T}}}"#);
        assert_kind!(
            check(&sign_raw(&header, claims.as_bytes(), &client)),
            Error::Dpop(DpopError::UriMismatch { .. })
        );
    }
}

// ------------------------------------------------------------------ D3

/// §11.2: proofs generated in advance (future `iat`), or kept for later (old `iat`); a
/// server nonce defeats both whatever the client's clock says.
#[test]
fn d03_pre_generated_proofs() {
    let client = k_ec();
    for (iat, future) in [
        (T + 6, true),
        (T + 86_400, true),
        (T - 66, false),
        (0, false),
    ] {
        let p = Proof::new("GET", HTU)
            .with_issued_at(NumericDate::from_unix(iat).unwrap())
            .sign(&client)
            .unwrap();
        if future {
            assert_kind!(check(&p), Error::Dpop(DpopError::IssuedInFuture { .. }));
        } else {
            assert_kind!(check(&p), Error::Dpop(DpopError::TooOld { .. }));
        }
    }
    // With nonces: a proof made before the server's current nonce existed is refused.
    let nonces = Arc::new(
        RotatingNonces::new(&[5u8; 32], Duration::from_secs(60))
            .unwrap()
            .with_clock(clock()),
    );
    let v = verifier().with_nonces(nonces);
    let early = proof(&client, None);
    assert_kind!(
        block_on(v.verify(&early, &get())),
        Error::Dpop(DpopError::UseNonce { .. })
    );
}

// ------------------------------------------------------------------ D4

/// A stolen access token used with the thief's own key, or a proof whose `jwk` was
/// swapped for the victim's.
#[test]
fn d04_key_swap() {
    let victim = k_ec();
    let thief = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let token = bound_token(&victim);
    assert_kind!(
        access(&token, &proof(&thief, Some(&token)), &verifier()),
        Error::Dpop(DpopError::KeyMismatch)
    );
    // The victim's public key in the header, the thief's signature.
    let header = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
        jwk_json(&victim)
    );
    let claims = format!(
        r#"{{"jti":"j","htm":"GET","htu":"{HTU}","iat":{T},"ath":"{}"}}"#,
        dpop::access_token_hash(&token)
    );
    let forged = sign_raw(&header, claims.as_bytes(), &thief);
    assert_kind!(
        access(&token, &forged, &verifier()),
        Error::Dpop(DpopError::InvalidSignature)
    );
    // A genuine proof whose header was re-encoded with another key.
    let genuine = proof(&victim, Some(&token));
    let mut parts: Vec<String> = genuine.split('.').map(str::to_string).collect();
    parts[0] = b64(format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
        jwk_json(&thief)
    ));
    assert_kind!(
        access(&token, &parts.join("."), &verifier()),
        Error::Dpop(DpopError::InvalidSignature | DpopError::KeyMismatch)
    );
}

// ------------------------------------------------------------------ D5

/// §4.3 step 12: a proof made for one access token presented with another (token
/// substitution), or without `ath`.
#[test]
fn d05_ath_mismatch() {
    let client = k_ec();
    let token = bound_token(&client);
    let other = bound_token(&client);
    assert_ne!(token, other, "two tokens (distinct jtis)");
    assert_kind!(
        access(&token, &proof(&client, Some(&other)), &verifier()),
        Error::Dpop(DpopError::AccessTokenHashMismatch)
    );
    assert_kind!(
        access(&token, &proof(&client, None), &verifier()),
        Error::Dpop(DpopError::MissingClaim("ath"))
    );
}

// ------------------------------------------------------------------ D6

/// §8–9: nonces that are stale, made up, or from another server.
#[test]
fn d06_nonce_reuse() {
    let client = k_ec();
    let at = |t: i64| Arc::new(FixedClock(NumericDate::from_unix(t).unwrap()));
    let issued = RotatingNonces::new(&[5u8; 32], Duration::from_secs(60))
        .unwrap()
        .with_clock(at(T - 120))
        .current();
    let ours = Arc::new(
        RotatingNonces::new(&[5u8; 32], Duration::from_secs(60))
            .unwrap()
            .with_clock(clock()),
    );
    let theirs = RotatingNonces::new(&[6u8; 32], Duration::from_secs(60))
        .unwrap()
        .with_clock(clock());
    let v = verifier().with_nonces(ours.clone());
    use josecraft::dpop::NonceSource;
    for nonce in [
        issued,
        theirs.current(),
        "x".repeat(40),
        String::from("AAAA"),
    ] {
        let p = Proof::new("GET", HTU)
            .with_issued_at(now())
            .with_nonce(&nonce)
            .sign(&client)
            .unwrap();
        match block_on(v.verify(&p, &get())) {
            Err(Error::Dpop(DpopError::UseNonce { nonce: fresh })) => {
                assert_eq!(fresh, ours.current())
            }
            other => panic!("{nonce}: {other:?}"),
        }
    }
}

// ------------------------------------------------------------------ D7

/// §4.3 step 5: a proof with a symmetric algorithm (the "key" then being a secret the
/// attacker chose), `none`, or an algorithm outside the server's list.
#[test]
fn d07_symmetric_and_none_algorithms() {
    let client = k_ec();
    let claims = format!(r#"{{"jti":"j","htm":"GET","htu":"{HTU}","iat":{T}}}"#);
    let secret = HmacKey::new(HmacAlgorithm::Hs256, &[1u8; 32]).unwrap();
    let oct = secret.to_secret_jwk().to_json();
    for alg in ["HS256", "HS512"] {
        let forged = sign_raw(
            &format!(r#"{{"typ":"dpop+jwt","alg":"{alg}","jwk":{oct}}}"#),
            claims.as_bytes(),
            &secret,
        );
        assert_kind!(
            check(&forged),
            Error::Dpop(DpopError::AlgorithmNotAllowed { .. })
        );
    }
    // An empty alg does not even parse as a header.
    let empty = format!(
        "{}.{}.",
        b64(format!(
            r#"{{"typ":"dpop+jwt","alg":"","jwk":{}}}"#,
            jwk_json(&client)
        )),
        b64(&claims)
    );
    assert_kind!(check(&empty), Error::Dpop(DpopError::Malformed(_)));
    for alg in ["none", "None", "NONE", "ES256K", "RS256"] {
        let unsigned = format!(
            "{}.{}.",
            b64(format!(
                r#"{{"typ":"dpop+jwt","alg":"{alg}","jwk":{}}}"#,
                jwk_json(&client)
            )),
            b64(&claims)
        );
        assert_kind!(
            check(&unsigned),
            Error::Dpop(DpopError::AlgorithmNotAllowed { .. })
        );
    }
    // The algorithm must fit the key: an RSA key under ES256.
    let rsa = k_rs();
    let mixed = sign_raw(
        &format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
            jwk_json(&rsa)
        ),
        claims.as_bytes(),
        &client,
    );
    assert_kind!(check(&mixed), Error::Dpop(DpopError::InvalidKey(_)));
}

// ------------------------------------------------------------------ D8

/// §4.3 step 7: the `jwk` header carries a private key (a client leaking its key, or a
/// server that would then hold one).
#[test]
fn d08_private_key_in_jwk() {
    let claims = format!(r#"{{"jti":"j","htm":"GET","htu":"{HTU}","iat":{T}}}"#);
    for (alg, key) in [
        ("ES256", k_ec()),
        ("RS256", k_rs()),
        (
            "EdDSA",
            SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap(),
        ),
    ] {
        let private = key.to_private_jwk().to_json();
        let p = sign_raw(
            &format!(r#"{{"typ":"dpop+jwt","alg":"{alg}","jwk":{private}}}"#),
            claims.as_bytes(),
            &key,
        );
        let v = ProofVerifier::new(SignatureAlgorithm::ALL.iter().copied()).with_clock(clock());
        assert_kind!(
            block_on(v.verify(&p, &get())),
            Error::Dpop(DpopError::PrivateKey)
        );
    }
}

// ------------------------------------------------------------------ D9

/// Resource exhaustion through the proof: a huge `jwk`, a huge proof, a weak or huge RSA
/// key, a deep header.
#[test]
fn d09_oversized_jwk_and_proof() {
    let client = k_ec();
    let claims = format!(r#"{{"jti":"j","htm":"GET","htu":"{HTU}","iat":{T}}}"#);
    let padded = jwk_json(&client).replacen('{', &format!(r#"{{"pad":"{}","#, "A".repeat(3000)), 1);
    let p = sign_raw(
        &format!(r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{padded}}}"#),
        claims.as_bytes(),
        &client,
    );
    assert_kind!(check(&p), Error::Dpop(DpopError::InvalidKey(_)));
    let huge = format!("{}.{}.{}", "e".repeat(9_000), b64(&claims), "A");
    assert_kind!(check(&huge), Error::Dpop(DpopError::ProofTooLarge { .. }));
    // RSA-1024 (too weak) and a 16 384-bit modulus (over the jwk bound).
    let weak = format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, b64([0xC1u8; 128]));
    let big = format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#,
        b64([0xC1u8; 2048])
    );
    for jwk in [weak, big] {
        let p = sign_raw(
            &format!(r#"{{"typ":"dpop+jwt","alg":"PS256","jwk":{jwk}}}"#),
            claims.as_bytes(),
            &client,
        );
        assert_kind!(check(&p), Error::Dpop(DpopError::InvalidKey(_)));
    }
    let deep = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{},"x":{}1{}}}"#,
        jwk_json(&client),
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_kind!(
        check(&sign_raw(&deep, claims.as_bytes(), &client)),
        Error::Dpop(DpopError::Malformed(_))
    );
}

// ------------------------------------------------------------------ D10

/// §7.2: a DPoP-bound token presented as a Bearer token, which a resource server would
/// otherwise accept from anyone holding it.
#[test]
fn d10_bound_token_as_bearer() {
    let token = bound_token(&k_ec());
    assert_kind!(
        jwt::verify::<serde_json::Map<_, _>>(&token, &k_rs().verifying_key(), &validation()),
        Error::Dpop(DpopError::BoundTokenAsBearer)
    );
    assert_kind!(
        block_on(jwt::verify_async::<serde_json::Map<_, _>>(
            &token,
            &k_rs().verifying_key(),
            &validation()
        )),
        Error::Dpop(DpopError::BoundTokenAsBearer)
    );
    // And an unbound token is no DPoP token.
    let plain = jwt::sign(
        &Claims::new(serde_json::Map::new())
            .with_issuer("https://as.example")
            .with_audience("https://api.example")
            .valid_for(now(), Duration::from_secs(300))
            .unwrap(),
        &k_rs(),
    )
    .unwrap();
    let client = k_ec();
    assert_kind!(
        access(&plain, &proof(&client, Some(&plain)), &verifier()),
        Error::Dpop(DpopError::TokenNotBound)
    );
}

// ------------------------------------------------------------------ D11

/// Type confusion: an ordinary JWT signed by the client's key passed off as a proof, and
/// a proof passed off as an access token.
#[test]
fn d11_proof_and_token_confusion() {
    let client = k_ec();
    let claims = format!(r#"{{"jti":"j","htm":"GET","htu":"{HTU}","iat":{T}}}"#);
    for typ in [r#""typ":"JWT","#, r#""typ":"at+jwt","#, ""] {
        let p = sign_raw(
            &format!(r#"{{{typ}"alg":"ES256","jwk":{}}}"#, jwk_json(&client)),
            claims.as_bytes(),
            &client,
        );
        assert_kind!(check(&p), Error::Dpop(DpopError::WrongType { .. }));
    }
    let p = proof(&client, None);
    let as_token = Validation::any_issuer()
        .no_audience()
        .with_access_token_profile()
        .with_clock(FixedClock(now()));
    assert!(jwt::verify::<serde_json::Map<_, _>>(&p, &client.verifying_key(), &as_token).is_err());
}
