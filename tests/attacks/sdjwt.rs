//! SD-JWT (RFC 9901 §7, §10) as attacks, S1–S15: each builds the attacker's SD-JWT or
//! presentation and asserts the typed refusal.

use std::sync::Arc;

use josecraft::jws;
use josecraft::jwt::{FixedClock, NumericDate, Validation};
use josecraft::keysource::block_on;
use josecraft::sdjwt::{Disclosure, Issuer, KeyBinding, PresentationVerifier, SdAlg, SdJwt};
use josecraft::{
    Error, HmacAlgorithm, HmacKey, JwsHeader, Limit, Limits, SdJwtError, SignatureAlgorithm,
    SigningKey,
};
use serde_json::{json, Value};

use crate::{assert_kind, b64, k_ec, T};

const ISS: &str = "https://issuer.example";
const AUD: &str = "https://verifier.example";
const NONCE: &str = "n-42";

fn now() -> NumericDate {
    NumericDate::from_unix(T).unwrap()
}

fn holder() -> SigningKey {
    SigningKey::from_ed25519_seed(josecraft::EdDsaAlgorithm::EdDsa, &[9u8; 32]).unwrap()
}

fn verifier(kb: KeyBinding) -> PresentationVerifier {
    PresentationVerifier::new(
        Validation::issuer(ISS)
            .no_audience()
            .with_clock(FixedClock(now())),
        kb,
    )
    .with_clock(Arc::new(FixedClock(now())))
}

fn bound() -> PresentationVerifier {
    verifier(KeyBinding::required(AUD, NONCE))
}

fn unbound() -> PresentationVerifier {
    verifier(KeyBinding::NotRequired)
}

fn check(v: &PresentationVerifier, presentation: &str) -> josecraft::Result<Value> {
    block_on(v.verify::<Value>(presentation, &k_ec().verifying_key()))
        .map(|v| serde_json::to_value(v.claims()).unwrap())
}

/// A genuine SD-JWT from `K_EC` with five disclosable claims, bound to [`holder`].
fn issued() -> String {
    let claims = json!({"iss": ISS, "exp": T + 600, "given_name": "Ada", "family_name": "Lovelace",
        "email": "ada@example.com", "address": {"locality": "London", "country": "GB"},
        "nationalities": ["GB", "IT"]});
    Issuer::new(claims.as_object().unwrap().clone())
        .disclosable([
            "/given_name",
            "/family_name",
            "/email",
            "/address/locality",
            "/nationalities/1",
        ])
        .with_holder_key(&holder().to_jwk())
        .issue(&k_ec())
        .unwrap()
}

/// An issuer-signed JWT over exactly `payload`, followed by `disclosures`.
fn forge(payload: &Value, disclosures: &[&str]) -> String {
    let jwt = jws::sign_compact(
        &JwsHeader::new().with_typ("example+sd-jwt"),
        payload.to_string().as_bytes(),
        &k_ec(),
    )
    .unwrap();
    let mut out = jwt + "~";
    for d in disclosures {
        out.push_str(d);
        out.push('~');
    }
    out
}

/// The claims of a hand-made Key Binding JWT for `presented`, valid but for what a test
/// changes around them.
fn kb_claims(presented: &SdJwt, aud: &str) -> Value {
    let sd_hash = SdAlg::Sha256.digest(presented.to_string().as_bytes());
    json!({"iat": T, "aud": aud, "nonce": NONCE, "sd_hash": sd_hash})
}

fn kb(sd: &str) -> String {
    SdJwt::parse(sd)
        .unwrap()
        .with_key_binding(&holder(), AUD, NONCE, now())
        .unwrap()
}

// ------------------------------------------------------------------ S1

/// A disclosure taken from another SD-JWT (same issuer, same claim name) added to this one.
#[test]
fn s01_disclosure_replay_across_tokens() {
    let mine = issued();
    let other = issued();
    let foreign = SdJwt::parse(&other).unwrap().disclosures()[0]
        .encoded()
        .to_string();
    let sd = SdJwt::parse(&mine)
        .unwrap()
        .select(["/email"])
        .unwrap()
        .to_string()
        + &foreign
        + "~";
    assert_kind!(
        check(&unbound(), &sd),
        Error::SdJwt(SdJwtError::DisclosureNotReferenced)
    );
}

// ------------------------------------------------------------------ S2

/// The same digest twice in the payload, the same disclosure twice, a disclosure whose
/// value repeats a digest already in the payload.
#[test]
fn s02_digest_duplication() {
    let d = Disclosure::member("salt-1", "email", json!("ada@example.com")).unwrap();
    let h = d.digest(SdAlg::Sha256);
    let twice = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [h, h]}),
        &[d.encoded()],
    );
    assert_kind!(
        check(&unbound(), &twice),
        Error::SdJwt(SdJwtError::DuplicateDigest)
    );
    let nested = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [h], "address": {"_sd": [h]}}),
        &[d.encoded()],
    );
    assert_kind!(
        check(&unbound(), &nested),
        Error::SdJwt(SdJwtError::DuplicateDigest)
    );
    let once = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [h]}),
        &[d.encoded(), d.encoded()],
    );
    assert_kind!(
        check(&unbound(), &once),
        Error::SdJwt(SdJwtError::DuplicateDisclosure)
    );
    // A disclosure that refers to itself cannot be built (its digest covers itself); one
    // that repeats its parent's digest is a duplicate.
    let inner = Disclosure::member("salt-2", "inner", json!({"_sd": [h]})).unwrap();
    let loop_ = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [h, inner.digest(SdAlg::Sha256)]}),
        &[d.encoded(), inner.encoded()],
    );
    assert_kind!(
        check(&unbound(), &loop_),
        Error::SdJwt(SdJwtError::DuplicateDigest)
    );
}

// ------------------------------------------------------------------ S3

/// A disclosure whose value was changed after issuance (re-encoded with a new value).
#[test]
fn s03_tampered_disclosure() {
    let sd = SdJwt::parse(&issued()).unwrap();
    let (pointer, d) = sd
        .disclosable_claims()
        .unwrap()
        .into_iter()
        .find(|(p, _)| p == "/email")
        .map(|(p, d)| (p, d.clone()))
        .unwrap();
    assert_eq!(pointer, "/email");
    let forged = Disclosure::member(d.salt(), "email", json!("mallory@example.com")).unwrap();
    let presented = sd.select(["/given_name"]).unwrap().to_string() + forged.encoded() + "~";
    assert_kind!(
        check(&unbound(), &presented),
        Error::SdJwt(SdJwtError::DisclosureNotReferenced)
    );
    // A bit flipped in an encoded disclosure.
    let mut bytes = josecraft::base64url::decode(d.encoded()).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 1;
    let flipped = sd.select(["/given_name"]).unwrap().to_string() + &b64(&bytes) + "~";
    assert!(check(&unbound(), &flipped).is_err());
}

// ------------------------------------------------------------------ S4

/// A well-formed disclosure for a digest the issuer never signed.
#[test]
fn s04_disclosure_not_in_the_payload() {
    let extra = Disclosure::member("any-salt", "is_admin", json!(true)).unwrap();
    let sd = issued() + extra.encoded() + "~";
    assert_kind!(
        check(&unbound(), &sd),
        Error::SdJwt(SdJwtError::DisclosureNotReferenced)
    );
}

// ------------------------------------------------------------------ S5

/// Object-member disclosures used as array elements and the reverse; `...` elsewhere.
#[test]
fn s05_array_element_confusion() {
    let member = Disclosure::member("s1", "role", json!("admin")).unwrap();
    let element = Disclosure::element("s2", json!("admin"));
    let in_array = forge(
        &json!({"iss": ISS, "exp": T + 60, "roles": [{"...": member.digest(SdAlg::Sha256)}]}),
        &[member.encoded()],
    );
    assert_kind!(
        check(&unbound(), &in_array),
        Error::SdJwt(SdJwtError::WrongDisclosureKind)
    );
    let in_object = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [element.digest(SdAlg::Sha256)]}),
        &[element.encoded()],
    );
    assert_kind!(
        check(&unbound(), &in_object),
        Error::SdJwt(SdJwtError::WrongDisclosureKind)
    );
    let extra_member = forge(
        &json!({"iss": ISS, "exp": T + 60, "roles": [{"...": element.digest(SdAlg::Sha256), "x": 1}]}),
        &[element.encoded()],
    );
    assert_kind!(
        check(&unbound(), &extra_member),
        Error::SdJwt(SdJwtError::Malformed(_))
    );
    let dots_as_member = forge(&json!({"iss": ISS, "exp": T + 60, "...": "x"}), &[]);
    assert_kind!(
        check(&unbound(), &dots_as_member),
        Error::SdJwt(SdJwtError::Malformed(_))
    );
}

// ------------------------------------------------------------------ S6

/// A Key Binding JWT made for one presentation attached to another (other disclosures).
#[test]
fn s06_sd_hash_mismatch() {
    let sd = SdJwt::parse(&issued()).unwrap();
    let with_email = kb(&sd.select(["/email"]).unwrap().to_string());
    let kb_jwt = with_email.rsplit('~').next().unwrap();
    let other = sd.select(["/email", "/given_name"]).unwrap().to_string() + kb_jwt;
    assert_kind!(
        check(&bound(), &other),
        Error::SdJwt(SdJwtError::SdHashMismatch)
    );
    check(&bound(), &with_email).unwrap();
}

// ------------------------------------------------------------------ S7

/// A Key Binding JWT signed by someone else (a thief of the SD-JWT), with HMAC, or `none`.
#[test]
fn s07_key_binding_with_another_key() {
    let presented = SdJwt::parse(&issued()).unwrap().select(["/email"]).unwrap();
    let thief = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let stolen = presented
        .with_key_binding(&thief, AUD, NONCE, now())
        .unwrap();
    assert_kind!(
        check(&bound(), &stolen),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    let claims = kb_claims(&presented, AUD).to_string();
    let hmac = HmacKey::new(HmacAlgorithm::Hs256, &[1u8; 32]).unwrap();
    let hs = jws::sign_compact(
        &JwsHeader::new().with_typ("kb+jwt"),
        claims.as_bytes(),
        &hmac,
    )
    .unwrap();
    assert_kind!(
        check(&bound(), &(presented.to_string() + &hs)),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    let none = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"kb+jwt"}"#),
        b64(&claims)
    );
    assert_kind!(
        check(&bound(), &(presented.to_string() + &none)),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    // The right key, but a JWT of another type.
    let typ = jws::sign_compact(
        &JwsHeader::new().with_typ("JWT"),
        claims.as_bytes(),
        &holder(),
    )
    .unwrap();
    assert_kind!(
        check(&bound(), &(presented.to_string() + &typ)),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    // For another verifier, another nonce, or too old.
    for (aud, nonce, iat) in [
        ("https://other.example", NONCE, T),
        (AUD, "n-other", T),
        (AUD, NONCE, T - 3600),
    ] {
        let kb = presented
            .with_key_binding(&holder(), aud, nonce, NumericDate::from_unix(iat).unwrap())
            .unwrap();
        assert_kind!(
            check(&bound(), &kb),
            Error::SdJwt(SdJwtError::KeyBinding(_))
        );
    }
}

// ------------------------------------------------------------------ S8

/// A presentation without Key Binding where the verifier requires it; an SD-JWT without
/// a holder key.
#[test]
fn s08_missing_key_binding() {
    let bare = SdJwt::parse(&issued())
        .unwrap()
        .select(["/email"])
        .unwrap()
        .to_string();
    assert_kind!(
        check(&bound(), &bare),
        Error::SdJwt(SdJwtError::MissingKeyBinding)
    );
    let unbound_sd = Issuer::new(
        json!({"iss": ISS, "exp": T + 60, "email": "a@b"})
            .as_object()
            .unwrap()
            .clone(),
    )
    .disclosable(["/email"])
    .issue(&k_ec())
    .unwrap();
    let kb = SdJwt::parse(&unbound_sd)
        .unwrap()
        .with_key_binding(&holder(), AUD, NONCE, now())
        .unwrap();
    assert_kind!(check(&bound(), &kb), Error::SdJwt(SdJwtError::NoHolderKey));
}

// ------------------------------------------------------------------ S9

/// Oversized and deeply nested SD-JWTs: too many disclosures, a deep disclosure value.
#[test]
fn s09_oversized_and_deep_disclosures() {
    let many: Vec<String> = (0..300)
        .map(|i| {
            Disclosure::member(&format!("s{i}"), &format!("c{i}"), json!(i))
                .unwrap()
                .encoded()
                .to_string()
        })
        .collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let sd = forge(&json!({"iss": ISS, "exp": T + 60}), &refs);
    assert_kind!(
        check(&unbound(), &sd),
        Error::LimitExceeded {
            limit: Limit::Disclosures,
            ..
        }
    );
    assert_kind!(
        SdJwt::parse_with(&sd, &Limits::default().with_max_disclosures(10)),
        Error::LimitExceeded {
            limit: Limit::Disclosures,
            ..
        }
    );
    let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let encoded = b64(format!(r#"["s", "deep", {deep}]"#));
    let sd = forge(&json!({"iss": ISS, "exp": T + 60}), &[&encoded]);
    assert_kind!(
        check(&unbound(), &sd),
        Error::LimitExceeded {
            limit: Limit::JsonDepth,
            ..
        }
    );
    // Nested disclosures deeper than the depth limit, each inside the previous one.
    let mut value = json!("leaf");
    let mut chain = Vec::new();
    for i in 0..40 {
        let d = Disclosure::member(&format!("s{i}"), "n", value).unwrap();
        value = json!({"_sd": [d.digest(SdAlg::Sha256)]});
        chain.push(d.encoded().to_string());
    }
    let mut payload = value.as_object().unwrap().clone();
    payload.insert("iss".into(), ISS.into());
    payload.insert("exp".into(), (T + 60).into());
    let refs: Vec<&str> = chain.iter().map(String::as_str).collect();
    let sd = forge(&Value::Object(payload), &refs);
    assert_kind!(
        check(&unbound(), &sd),
        Error::LimitExceeded {
            limit: Limit::JsonDepth,
            ..
        }
    );
}

// ------------------------------------------------------------------ S10

/// Disclosures that would overwrite a visible claim, or use reserved names.
#[test]
fn s10_overwrite_and_reserved_names() {
    let iss = Disclosure::member("s", "iss", json!("https://evil.example")).unwrap();
    let sd = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [iss.digest(SdAlg::Sha256)]}),
        &[iss.encoded()],
    );
    assert_kind!(
        check(&unbound(), &sd),
        Error::SdJwt(SdJwtError::ClaimOverwrite(_))
    );
    for name in ["_sd", "...", "_sd_alg"] {
        assert_kind!(
            Disclosure::member("s", name, json!(1)),
            Error::SdJwt(SdJwtError::ReservedName(_))
        );
        let raw = b64(format!(r#"["s", "{name}", 1]"#));
        assert_kind!(
            Disclosure::parse(&raw),
            Error::SdJwt(SdJwtError::ReservedName(_))
        );
    }
    // The issuer refuses to hide what a verifier needs.
    let claims = json!({"iss": ISS, "exp": T + 60})
        .as_object()
        .unwrap()
        .clone();
    for pointer in ["/iss", "/exp", "/_sd"] {
        assert!(
            Issuer::new(claims.clone())
                .disclosable([pointer])
                .issue(&k_ec())
                .is_err(),
            "{pointer}"
        );
    }
}

// ------------------------------------------------------------------ S11

/// Hash and signature downgrades: an unknown or refused `_sd_alg`, `none` on the
/// issuer-signed JWT, a wrong issuer key.
#[test]
fn s11_hash_and_signature_downgrades() {
    let sd = forge(&json!({"iss": ISS, "exp": T + 60, "_sd_alg": "md5"}), &[]);
    assert_kind!(
        check(&unbound(), &sd),
        Error::SdJwt(SdJwtError::UnsupportedHashAlgorithm(_))
    );
    let strict = unbound().with_hashes([SdAlg::Sha512]);
    assert_kind!(
        check(&strict, &issued()),
        Error::SdJwt(SdJwtError::UnsupportedHashAlgorithm(_))
    );
    let payload = json!({"iss": ISS, "exp": T + 60}).to_string();
    let none = format!(
        "{}.{}.~",
        b64(r#"{"alg":"none","typ":"sd-jwt"}"#),
        b64(&payload)
    );
    assert_kind!(check(&unbound(), &none), Error::AlgorithmMismatch { .. });
    let other = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let signed_by_other = jws::sign_compact(
        &JwsHeader::new().with_typ("sd-jwt"),
        payload.as_bytes(),
        &other,
    )
    .unwrap()
        + "~";
    assert_kind!(check(&unbound(), &signed_by_other), Error::InvalidSignature);
}

// ------------------------------------------------------------------ S12

/// Claims a verifier relies on, disclosed: the holder could leave out `nbf`, `aud`, `exp`,
/// or the holder key. Refused by the issuer, and by the verifier when a careless issuer
/// signed them anyway (RFC 9901 §9.7).
#[test]
fn s12_visible_claims_cannot_be_disclosed() {
    for name in ["nbf", "aud", "exp", "cnf", "iss", "status"] {
        let d = Disclosure::member("s", name, json!(T + 1000)).unwrap();
        let mut payload = json!({"iss": ISS, "exp": T + 60, "_sd": [d.digest(SdAlg::Sha256)]});
        if name == "iss" || name == "exp" {
            payload.as_object_mut().unwrap().remove(name);
        }
        let sd = forge(&payload, &[d.encoded()]);
        assert_kind!(
            check(&unbound(), &sd),
            Error::SdJwt(SdJwtError::VisibleClaimDisclosed(_))
        );
        let claims =
            json!({"iss": ISS, "exp": T + 60, "nbf": T, "aud": "a", "cnf": {}, "status": {}});
        assert!(
            Issuer::new(claims.as_object().unwrap().clone())
                .disclosable([format!("/{name}")])
                .issue(&k_ec())
                .is_err(),
            "{name}"
        );
    }
}

// ------------------------------------------------------------------ S13

/// Type confusion: another JWT of the issuer (an ID token, an access token) passed off as
/// an SD-JWT, which would carry all its claims.
#[test]
fn s13_untyped_or_other_jwts_are_no_sd_jwts() {
    for typ in [None, Some("JWT"), Some("at+jwt"), Some("sd-jwt-not")] {
        let mut header = JwsHeader::new();
        if let Some(t) = typ {
            header = header.with_typ(t);
        }
        let payload = json!({"iss": ISS, "exp": T + 60, "sub": "ada"}).to_string();
        let sd = jws::sign_compact(&header, payload.as_bytes(), &k_ec()).unwrap() + "~";
        assert_kind!(
            check(&unbound(), &sd),
            Error::Claims(josecraft::ClaimsError::Type { .. })
        );
        let lax = unbound().dangerous_accept_untyped();
        check(&lax, &sd).unwrap();
    }
    for typ in [
        "sd-jwt",
        "dc+sd-jwt",
        "application/example+sd-jwt",
        "VC+SD-JWT",
    ] {
        let payload = json!({"iss": ISS, "exp": T + 60}).to_string();
        let sd = jws::sign_compact(&JwsHeader::new().with_typ(typ), payload.as_bytes(), &k_ec())
            .unwrap()
            + "~";
        check(&unbound(), &sd).unwrap();
    }
}

// ------------------------------------------------------------------ S14

/// Key Binding JWTs that are malformed in ways a lax verifier would accept: `iat` in the
/// future, no `typ`, `b64: false`, a private `cnf.jwk`; and a presentation whose last `~`
/// was dropped.
#[test]
fn s14_key_binding_edge_cases() {
    let presented = SdJwt::parse(&issued()).unwrap().select(["/email"]).unwrap();
    let future = presented
        .with_key_binding(
            &holder(),
            AUD,
            NONCE,
            NumericDate::from_unix(T + 3600).unwrap(),
        )
        .unwrap();
    assert_kind!(
        check(&bound(), &future),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    let claims = kb_claims(&presented, AUD).to_string();
    let untyped = jws::sign_compact(&JwsHeader::new(), claims.as_bytes(), &holder()).unwrap();
    assert_kind!(
        check(&bound(), &(presented.to_string() + &untyped)),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    // An unencoded payload (RFC 7797) cannot hold a `.` in compact form, so this one names
    // a dotless audience: the b64 rule is what refuses it, before `aud` is read.
    let dotless = kb_claims(&presented, "verifier").to_string();
    let unencoded = jws::sign_compact(
        &JwsHeader::new()
            .with_typ("kb+jwt")
            .with_b64(false)
            .with_crit(["b64"]),
        dotless.as_bytes(),
        &holder(),
    )
    .unwrap();
    match check(&bound(), &(presented.to_string() + &unencoded)) {
        Err(Error::SdJwt(SdJwtError::KeyBinding(why))) => assert!(why.contains("b64"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A holder key given as a private JWK in cnf.
    let d = Disclosure::member("s", "email", json!("a@b")).unwrap();
    let private: Value = serde_json::from_str(&holder().to_private_jwk().to_json()).unwrap();
    let sd = forge(
        &json!({"iss": ISS, "exp": T + 60, "_sd": [d.digest(SdAlg::Sha256)], "cnf": {"jwk": private}}),
        &[d.encoded()],
    );
    assert_kind!(
        check(&bound(), &kb(&sd)),
        Error::SdJwt(SdJwtError::KeyBinding(_))
    );
    // A bad Key Binding JWT where none is required is ignored, and says so.
    let v = block_on(
        unbound().verify::<Value>(&(presented.to_string() + &untyped), &k_ec().verifying_key()),
    )
    .unwrap();
    assert!(!v.key_bound());
    // The last `~` missing: the last disclosure is not silently dropped.
    let whole = issued();
    assert_kind!(
        SdJwt::parse(whole.trim_end_matches('~')),
        Error::SdJwt(SdJwtError::Malformed(_))
    );
}

// ------------------------------------------------------------------ S15

/// Issuer input that would make claims vanish or appear: non-canonical pointers that would
/// leave a claim in clear, reserved names anywhere, two holder keys.
#[test]
fn s15_issuer_input() {
    let claims = json!({"iss": ISS, "exp": T + 60, "nationalities": ["GB", "IT"], "a~b": 1});
    let claims = claims.as_object().unwrap().clone();
    for pointer in [
        "/nationalities/01",
        "/nationalities/+1",
        "/a~b",
        "/a~",
        "nationalities",
        "/nationalities/2",
    ] {
        assert!(
            Issuer::new(claims.clone())
                .disclosable([pointer])
                .issue(&k_ec())
                .is_err(),
            "{pointer}"
        );
    }
    let ok = Issuer::new(claims.clone())
        .disclosable(["/nationalities/1", "/a~0b"])
        .issue(&k_ec())
        .unwrap();
    // The hidden element is not in the signed payload (decoded: base64url text can hold
    // any two letters by chance).
    let payload = josecraft::base64url::decode(ok.split('.').nth(1).unwrap()).unwrap();
    let payload = String::from_utf8(payload).unwrap();
    assert!(!payload.contains("\"IT\""), "{payload}");
    assert!(payload.contains("\"GB\""), "{payload}");
    for hostile in [
        json!({"iss": ISS, "address": {"_sd": ["x"]}}),
        json!({"iss": ISS, "roles": [{"...": "x"}]}),
        json!({"iss": ISS, "a": {"_sd_alg": "sha-256"}}),
    ] {
        assert_kind!(
            Issuer::new(hostile.as_object().unwrap().clone()).issue(&k_ec()),
            Error::SdJwt(SdJwtError::ReservedName(_))
        );
    }
    let with_cnf = json!({"iss": ISS, "cnf": {"jkt": "x"}});
    assert!(Issuer::new(with_cnf.as_object().unwrap().clone())
        .with_holder_key(&holder().to_jwk())
        .issue(&k_ec())
        .is_err());
    // Decoys: the count varies (one real digest and 4 to 8 decoys), so it says nothing
    // about the hidden claims.
    let counts: std::collections::BTreeSet<usize> = (0..24)
        .map(|_| {
            let t = Issuer::new(claims.clone())
                .disclosable(["/a~0b"])
                .with_decoys(4)
                .issue(&k_ec())
                .unwrap();
            let payload: Value = serde_json::from_slice(
                &josecraft::base64url::decode(t.split('.').nth(1).unwrap()).unwrap(),
            )
            .unwrap();
            payload["_sd"].as_array().map_or(0, Vec::len)
        })
        .collect();
    assert!(
        counts.len() > 1 && counts.iter().all(|c| (5..=9).contains(c)),
        "{counts:?}"
    );
}
