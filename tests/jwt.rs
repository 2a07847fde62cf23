//! JWT: RFC 7519 §3.1 and §6.1, every validation rule on both sides of its boundary with a
//! fixed clock, type confusion, dates, profiles (RFC 9068, OpenID Connect), revocation,
//! nested and encrypted JWTs, Bearer parsing.

mod common;

use josecraft::{
    AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm, SymmetricKeyManagement,
};
use std::sync::Arc;

use common::{rfc_entry, to_bytes};
use josecraft::jwe::{self, DecryptionKey, SymmetricKey};
use josecraft::jwk::{Jwk, JwkSet};
use josecraft::jwt::{
    self, bearer_token, oidc_token_hash, Claims, FixedClock, JtiDenylist, NumericDate, Validation,
};
use josecraft::ContentEncryption;
use josecraft::{
    dangerous, Claim, ClaimsError, Error, HmacKey, JweHeader, JwsAlgorithm, JwsHeader, SigningKey,
};
use serde_json::{json, Map, Value};
use std::time::Duration;

type Dyn = Map<String, Value>;

const NOW: i64 = 1_700_000_000;

fn at(t: i64) -> NumericDate {
    NumericDate::from_unix(t).unwrap()
}

fn key() -> HmacKey {
    HmacKey::new(HmacAlgorithm::Hs256, &[42u8; 32]).unwrap()
}

fn token(claims: Value) -> String {
    josecraft::jws::sign_compact(
        &JwsHeader::new().with_typ("JWT"),
        claims.to_string().as_bytes(),
        &key(),
    )
    .unwrap()
}

fn base() -> Validation {
    Validation::issuer("iss")
        .audience("aud")
        .with_clock(FixedClock(at(NOW)))
}

fn check(claims: Value, v: &Validation) -> josecraft::Result<()> {
    jwt::verify::<Dyn>(&token(claims), &key(), v).map(|_| ())
}

#[test]
fn rfc7519_3_1_and_6_1() {
    let e = rfc_entry("rfc7519.json", "RFC7519-3.1-HS256");
    let key = Jwk::from_json(&to_bytes(&e["key"]))
        .unwrap()
        .to_hmac_key(Some(HmacAlgorithm::Hs256))
        .unwrap();
    let compact = e["expected"]["compact"].as_str().unwrap();
    // exp = 2011-03-22T18:43:00Z: pinned clock before it.
    let v = Validation::issuer("joe")
        .no_audience()
        .with_clock(FixedClock(at(1_300_819_000)));
    let verified = jwt::verify::<Dyn>(compact, &key, &v).unwrap();
    assert_eq!(verified.claims().iss.as_deref(), Some("joe"));
    assert_eq!(verified.claims().exp.unwrap().unix(), 1_300_819_380);
    assert_eq!(
        verified.claims().custom["http://example.com/is_root"],
        Value::Bool(true)
    );
    // The exact payload (CR LF and all) is kept.
    assert_eq!(
        verified.payload(),
        e["input"]["claims_utf8"].as_str().unwrap().as_bytes()
    );
    // With the real clock it is expired, with the values in the error.
    let real = Validation::issuer("joe").no_audience();
    match jwt::verify::<Dyn>(compact, &key, &real) {
        Err(Error::Claims(ClaimsError::Expired { exp, .. })) => {
            assert_eq!(exp.to_string(), "2011-03-22T18:43:00Z")
        }
        other => panic!("{other:?}"),
    }
    // §6.1: unsecured, refused by verify; readable only through dangerous.
    let e = rfc_entry("rfc7519.json", "RFC7519-6.1-unsecured");
    let unsecured = e["expected"]["compact"].as_str().unwrap();
    assert!(matches!(
        jwt::verify::<Dyn>(unsecured, &key, &v),
        Err(Error::AlgorithmMismatch { .. })
    ));
    let (header, payload) = dangerous::decode_unsecured(unsecured).unwrap();
    assert_eq!(header.alg(), Some("none"));
    assert!(payload.starts_with(b"{\"iss\":\"joe\""));
}

/// Every rule, on both sides of its boundary, with a fixed clock and the default 60 s
/// leeway unless said otherwise.
#[test]
fn table_of_rules() {
    let ok = |c: Value| {
        json!({"iss": "iss", "aud": "aud"})
            .as_object()
            .unwrap()
            .clone()
            .into_iter()
            .chain(c.as_object().unwrap().clone())
            .collect::<Map<_, _>>()
    };
    let l = 60;
    let cases: Vec<(&str, Value, Validation, Option<ClaimsError>)> = vec![
        // exp: valid until exp + leeway, exclusive (RFC 7519 §4.1.4).
        ("exp in the future", json!({"exp": NOW + 1}), base(), None),
        (
            "exp - 1 + leeway",
            json!({"exp": NOW - l + 1}),
            base(),
            None,
        ),
        (
            "exactly exp + leeway",
            json!({"exp": NOW - l}),
            base(),
            Some(ClaimsError::Expired {
                exp: at(NOW - l),
                now: at(NOW),
            }),
        ),
        (
            "exactly at exp, no leeway",
            json!({"exp": NOW}),
            base().with_leeway(Duration::ZERO),
            Some(ClaimsError::Expired {
                exp: at(NOW),
                now: at(NOW),
            }),
        ),
        (
            "exp - 1 s, no leeway",
            json!({"exp": NOW + 1}),
            base().with_leeway(Duration::ZERO),
            None,
        ),
        (
            "fractional exp just after now",
            json!({"exp": NOW as f64 + 0.5}),
            base().with_leeway(Duration::ZERO),
            None,
        ),
        (
            "missing exp",
            json!({}),
            base(),
            Some(ClaimsError::Missing(Claim::Exp)),
        ),
        (
            "missing exp waived",
            json!({}),
            base().dangerous_allow_missing_exp(),
            None,
        ),
        // nbf: valid from nbf - leeway on.
        (
            "nbf exactly now - leeway",
            json!({"exp": NOW + 100, "nbf": NOW + l}),
            base(),
            None,
        ),
        (
            "nbf beyond leeway",
            json!({"exp": NOW + 100, "nbf": NOW + l + 1}),
            base(),
            Some(ClaimsError::NotYetValid {
                nbf: at(NOW + l + 1),
                now: at(NOW),
            }),
        ),
        (
            "nbf now, no leeway",
            json!({"exp": NOW + 100, "nbf": NOW}),
            base().with_leeway(Duration::ZERO),
            None,
        ),
        (
            "nbf now+1, no leeway",
            json!({"exp": NOW + 100, "nbf": NOW + 1}),
            base().with_leeway(Duration::ZERO),
            Some(ClaimsError::NotYetValid {
                nbf: at(NOW + 1),
                now: at(NOW),
            }),
        ),
        // iat in the future beyond leeway.
        (
            "iat at now + leeway",
            json!({"exp": NOW + 100, "iat": NOW + l}),
            base(),
            None,
        ),
        (
            "iat beyond leeway",
            json!({"exp": NOW + 100, "iat": NOW + l + 1}),
            base(),
            Some(ClaimsError::IssuedInFuture {
                iat: at(NOW + l + 1),
                now: at(NOW),
            }),
        ),
        // Maximum age from iat.
        (
            "age at the limit",
            json!({"exp": NOW + 100, "iat": NOW - 600 - l}),
            base().with_max_age(Duration::from_secs(600)),
            None,
        ),
        (
            "age over the limit",
            json!({"exp": NOW + 100, "iat": NOW - 600 - l - 1}),
            base().with_max_age(Duration::from_secs(600)),
            Some(ClaimsError::TooOld {
                iat: at(NOW - 661),
                now: at(NOW),
                max_age_seconds: 600,
            }),
        ),
        (
            "max age needs iat",
            json!({"exp": NOW + 100}),
            base().with_max_age(Duration::from_secs(600)),
            Some(ClaimsError::Missing(Claim::Iat)),
        ),
    ];
    for (name, extra, v, expected) in cases {
        let claims = Value::Object(ok(extra));
        let got = check(claims, &v).err();
        assert_eq!(got, expected.map(Error::Claims), "{name}");
    }
}

#[test]
fn issuer_audience_subject_typ() {
    let exp = NOW + 100;
    let e = |c: ClaimsError| Some(Error::Claims(c));
    // Issuer: exact, required when named, "any" explicit.
    assert_eq!(
        check(json!({"iss": "iss", "aud": "aud", "exp": exp}), &base()).err(),
        None
    );
    assert_eq!(
        check(json!({"iss": "is", "aud": "aud", "exp": exp}), &base()).err(),
        e(ClaimsError::Issuer { found: "is".into() })
    );
    assert_eq!(
        check(json!({"iss": "iss ", "aud": "aud", "exp": exp}), &base()).err(),
        e(ClaimsError::Issuer {
            found: "iss ".into()
        })
    );
    assert_eq!(
        check(json!({"aud": "aud", "exp": exp}), &base()).err(),
        e(ClaimsError::Missing(Claim::Iss))
    );
    let any_iss = Validation::any_issuer()
        .audience("aud")
        .with_clock(FixedClock(at(NOW)));
    assert_eq!(
        check(json!({"aud": "aud", "exp": exp}), &any_iss).err(),
        None
    );
    let two = Validation::issuers(["a", "b"])
        .any_audience()
        .with_clock(FixedClock(at(NOW)));
    assert_eq!(check(json!({"iss": "b", "exp": exp}), &two).err(), None);
    // Audience: one of several; a token with aud and no expected audience is refused.
    assert_eq!(
        check(
            json!({"iss": "iss", "aud": ["x", "aud"], "exp": exp}),
            &base()
        )
        .err(),
        None
    );
    assert_eq!(
        check(
            json!({"iss": "iss", "aud": ["x", "y"], "exp": exp}),
            &base()
        )
        .err(),
        e(ClaimsError::Audience {
            found: vec!["x".into(), "y".into()]
        })
    );
    assert_eq!(
        check(json!({"iss": "iss", "aud": [], "exp": exp}), &base()).err(),
        e(ClaimsError::Audience { found: vec![] })
    );
    assert_eq!(
        check(json!({"iss": "iss", "exp": exp}), &base()).err(),
        e(ClaimsError::Missing(Claim::Aud))
    );
    let no_aud = Validation::issuer("iss")
        .no_audience()
        .with_clock(FixedClock(at(NOW)));
    assert_eq!(
        check(json!({"iss": "iss", "exp": exp}), &no_aud).err(),
        None
    );
    assert_eq!(
        check(json!({"iss": "iss", "aud": "aud", "exp": exp}), &no_aud).err(),
        e(ClaimsError::Audience {
            found: vec!["aud".into()]
        })
    );
    let any_aud = Validation::issuer("iss")
        .any_audience()
        .with_clock(FixedClock(at(NOW)));
    assert_eq!(
        check(
            json!({"iss": "iss", "aud": "whatever", "exp": exp}),
            &any_aud
        )
        .err(),
        None
    );
    // Subject.
    let sub = base().with_subject("ada");
    assert_eq!(
        check(
            json!({"iss": "iss", "aud": "aud", "exp": exp, "sub": "ada"}),
            &sub
        )
        .err(),
        None
    );
    assert_eq!(
        check(
            json!({"iss": "iss", "aud": "aud", "exp": exp, "sub": "bob"}),
            &sub
        )
        .err(),
        e(ClaimsError::Subject {
            found: "bob".into()
        })
    );
    assert_eq!(
        check(json!({"iss": "iss", "aud": "aud", "exp": exp}), &sub).err(),
        e(ClaimsError::Missing(Claim::Sub))
    );
    // typ: explicit typing, case-insensitive, optional application/ prefix.
    let claims = json!({"iss": "iss", "aud": "aud", "exp": exp}).to_string();
    for (typ, ok) in [
        (Some("at+jwt"), true),
        (Some("application/AT+JWT"), true),
        (Some("JWT"), false),
        (None, false),
    ] {
        let header = match typ {
            Some(t) => JwsHeader::new().with_typ(t),
            None => JwsHeader::new(),
        };
        let t = josecraft::jws::sign_compact(&header, claims.as_bytes(), &key()).unwrap();
        let got = jwt::verify::<Dyn>(&t, &key(), &base().with_typ("at+jwt"));
        assert_eq!(got.is_ok(), ok, "{typ:?}");
        if !ok {
            assert!(matches!(got, Err(Error::Claims(ClaimsError::Type { .. }))));
        }
    }
}

#[test]
fn required_exact_prohibited_custom() {
    let exp = NOW + 100;
    let e = |c: ClaimsError| Some(Error::Claims(c));
    let v = base()
        .with_required(Claim::Jti)
        .with_required(Claim::Other("scope".into()))
        .with_required_value("tenant", "acme")
        .with_prohibited("admin")
        .with_validator(|c| match c.get::<Vec<String>>("roles") {
            Ok(Some(r)) if r.iter().any(|x| x == "reader") => Ok(()),
            _ => Err("needs the reader role".into()),
        });
    let good = json!({"iss": "iss", "aud": "aud", "exp": exp, "jti": "1", "scope": "s", "tenant": "acme", "roles": ["reader"]});
    assert_eq!(check(good.clone(), &v).err(), None);
    let without = |k: &str| {
        let mut g = good.clone();
        g.as_object_mut().unwrap().remove(k);
        g
    };
    assert_eq!(
        check(without("jti"), &v).err(),
        e(ClaimsError::Missing(Claim::Jti))
    );
    assert_eq!(
        check(without("scope"), &v).err(),
        e(ClaimsError::Missing(Claim::Other("scope".into())))
    );
    assert_eq!(
        check(without("tenant"), &v).err(),
        e(ClaimsError::Missing(Claim::Other("tenant".into())))
    );
    let mut other = good.clone();
    other["tenant"] = "evil".into();
    assert_eq!(
        check(other, &v).err(),
        e(ClaimsError::Mismatch(Claim::Other("tenant".into())))
    );
    let mut admin = good.clone();
    admin["admin"] = true.into();
    assert_eq!(
        check(admin, &v).err(),
        e(ClaimsError::Prohibited(Claim::Other("admin".into())))
    );
    let mut roles = good.clone();
    roles["roles"] = json!(["writer"]);
    assert_eq!(
        check(roles, &v).err(),
        e(ClaimsError::Custom("needs the reader role".into()))
    );
}

/// A claim of the wrong type is an error, never "absent"; dates huge, negative, fractional.
#[test]
fn type_confusion_and_dates() {
    let v = Validation::any_issuer()
        .any_audience()
        .dangerous_allow_missing_exp()
        .with_clock(FixedClock(at(NOW)));
    for (claims, claim) in [
        (json!({"exp": "1700000000"}), Claim::Exp),
        (json!({"exp": null}), Claim::Exp),
        (json!({"nbf": "0"}), Claim::Nbf),
        (json!({"iat": [1]}), Claim::Iat),
        (json!({"aud": 5}), Claim::Aud),
        (json!({"aud": ["a", 5]}), Claim::Aud),
        (json!({"iss": 1}), Claim::Iss),
        (json!({"sub": {"id": 1}}), Claim::Sub),
        (json!({"jti": 7}), Claim::Jti),
    ] {
        assert_eq!(
            check(claims.clone(), &v).err(),
            Some(Error::Claims(ClaimsError::WrongType(claim))),
            "{claims}"
        );
    }
    for (claims, claim) in [
        (json!({"exp": 1e300}), Claim::Exp),
        (json!({"nbf": -1e20}), Claim::Nbf),
        (json!({"iat": 9e18}), Claim::Iat),
    ] {
        assert_eq!(
            check(claims.clone(), &v).err(),
            Some(Error::Claims(ClaimsError::OutOfRange(claim))),
            "{claims}"
        );
    }
    // Negative dates are dates: an exp in 1969 has expired.
    assert!(matches!(
        check(json!({"exp": -1}), &v),
        Err(Error::Claims(ClaimsError::Expired { .. }))
    ));
    // Fractional dates are read as such and kept as written in the payload.
    let t = token(json!({"exp": 1700000100.25, "nbf": 1699999999.5}));
    let verified = jwt::verify::<Dyn>(&t, &key(), &v).unwrap();
    assert_eq!(verified.claims().exp.unwrap().unix(), 1_700_000_100);
    assert!(std::str::from_utf8(verified.payload())
        .unwrap()
        .contains("1700000100.25"));
    // Duplicate claims and non-objects are malformed.
    let dup =
        josecraft::jws::sign_compact(&JwsHeader::new(), br#"{"exp":1,"exp":99999999999}"#, &key())
            .unwrap();
    assert!(matches!(
        jwt::verify::<Dyn>(&dup, &key(), &v),
        Err(Error::Malformed { .. })
    ));
    let arr = josecraft::jws::sign_compact(&JwsHeader::new(), b"[1]", &key()).unwrap();
    assert!(matches!(
        jwt::verify::<Dyn>(&arr, &key(), &v),
        Err(Error::Malformed { .. })
    ));
}

#[test]
fn issuing_helpers_and_typed_claims() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Mine {
        scope: String,
        roles: Vec<String>,
    }
    let signer = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let claims = Claims::new(Mine {
        scope: "read".into(),
        roles: vec!["a".into()],
    })
    .with_issuer("iss")
    .with_audiences(["aud", "other"])
    .valid_for(at(NOW), Duration::from_secs(3600))
    .unwrap()
    .with_random_jti()
    .unwrap();
    let t = jwt::sign(&claims, &signer).unwrap();
    let v = jwt::verify::<Mine>(&t, &signer.verifying_key(), &base()).unwrap();
    assert_eq!(v.header().typ(), Some("JWT"));
    assert_eq!(
        v.claims().custom,
        Mine {
            scope: "read".into(),
            roles: vec!["a".into()]
        }
    );
    assert_eq!(v.claims().exp.unwrap().unix(), NOW + 3600);
    assert_eq!(v.claims().jti.as_ref().map(String::len), Some(22));
    // aud keeps its form: written as an array because it was given as one.
    let payload: Value = serde_json::from_slice(v.payload()).unwrap();
    assert!(payload["aud"].is_array());
    // A JSON-serialized token is refused by the JWT API.
    let json_jws = josecraft::jws::JsonJwsBuilder::new(claims.to_json().unwrap().as_bytes())
        .sign(&signer, &JwsHeader::new(), None)
        .unwrap()
        .flattened()
        .unwrap();
    assert!(matches!(
        jwt::verify::<Mine>(&json_jws, &signer.verifying_key(), &base()),
        Err(Error::Malformed { .. })
    ));
    // b64:false is refused for JWTs.
    let h = JwsHeader::new().with_b64(false).with_crit(["b64"]);
    assert!(jwt::sign_with_header(&h, &claims, &signer).is_err());
}

#[test]
fn rfc9068_access_tokens() {
    let signer = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k");
    let claims = Claims::new(Dyn::new())
        .with_issuer("iss")
        .with_subject("ada")
        .with_audience("aud")
        .valid_for(at(NOW), Duration::from_secs(300))
        .unwrap()
        .with_random_jti()
        .unwrap();
    let t = jwt::sign_access_token(&claims, "client-1", &signer).unwrap();
    let v = base().with_access_token_profile();
    let verified = jwt::verify::<Dyn>(&t, &signer.verifying_key(), &v).unwrap();
    assert_eq!(verified.header().typ(), Some("at+jwt"));
    assert_eq!(verified.claims().custom["client_id"], "client-1");
    // A plain JWT (typ JWT) is not an access token, and the profile needs every claim.
    let plain = jwt::sign(&claims, &signer).unwrap();
    assert!(matches!(
        jwt::verify::<Dyn>(&plain, &signer.verifying_key(), &v),
        Err(Error::Claims(ClaimsError::Type { .. }))
    ));
    let mut no_jti = claims.clone();
    no_jti.jti = None;
    assert_eq!(
        jwt::sign_access_token(&no_jti, "c", &signer).unwrap_err(),
        Error::Claims(ClaimsError::Missing(Claim::Jti))
    );
    // RFC 8725 §3.12: an access-token validator refuses an ID token and the other way round.
    let id_token = jwt::sign(&claims.clone().with_audience("client-1"), &signer).unwrap();
    assert!(jwt::verify::<Dyn>(&id_token, &signer.verifying_key(), &v).is_err());
    let id_validation = Validation::id_token("iss", "client-1").with_clock(FixedClock(at(NOW)));
    assert!(jwt::verify::<Dyn>(&t, &signer.verifying_key(), &id_validation).is_err());
}

/// Peer values: panva/oidc-token-hash and nimbus-jose-jwt compute these for the same input
/// (the RS256 one is also OpenID Connect Core's own example for c_hash).
const PEER_TOKEN: &str =
    "YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL";
const PEER_SHA256: &str = "xsZZrUssMXjL3FBlzoSh2g";
const PEER_SHA512: &str = "p2LHG4H-8pYDc0hyVOo3iIHvZJUqe9tbj3jESOuXbkY";
const SPEC_CODE: &str = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";

#[test]
fn openid_connect_id_tokens() {
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::Rs256, PEER_TOKEN),
        PEER_SHA256
    );
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::Es256, PEER_TOKEN),
        PEER_SHA256
    );
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::Rs384, PEER_TOKEN),
        "adt46pcdiB-l6eTNifgoVM-5AIJAxq84"
    );
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::EdDsa, PEER_TOKEN),
        PEER_SHA512
    );
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::Ed25519, PEER_TOKEN),
        PEER_SHA512
    );
    assert_eq!(
        oidc_token_hash(JwsAlgorithm::Rs256, SPEC_CODE),
        "LDktKdoQak3Pk0cnXxCltA"
    );

    let rsa = SigningKey::from_pem(
        SignatureAlgorithm::Rs256,
        &common::text("keys/rsa2048.pkcs8.pem"),
    )
    .unwrap();
    let es = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let ed = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    for signer in [&rsa, &es, &ed] {
        let at_hash = oidc_token_hash(signer.algorithm(), PEER_TOKEN);
        let c_hash = oidc_token_hash(signer.algorithm(), SPEC_CODE);
        let mut claims = Claims::new(Dyn::new())
            .with_issuer("https://op.example")
            .with_subject("248289761001")
            .with_audience("s6BhdRkqt3")
            .valid_for(at(NOW), Duration::from_secs(600))
            .unwrap();
        claims.custom.insert("nonce".into(), "n-0S6_WzA2Mj".into());
        claims.custom.insert("auth_time".into(), (NOW - 30).into());
        claims.custom.insert("at_hash".into(), at_hash.into());
        claims.custom.insert("c_hash".into(), c_hash.into());
        let t = jwt::sign(&claims, signer).unwrap();
        let v = Validation::id_token("https://op.example", "s6BhdRkqt3")
            .with_nonce("n-0S6_WzA2Mj")
            .with_max_auth_age(Duration::from_secs(300))
            .with_access_token_hash(PEER_TOKEN)
            .with_code_hash(SPEC_CODE)
            .with_clock(FixedClock(at(NOW)));
        jwt::verify::<Dyn>(&t, &signer.verifying_key(), &v).unwrap();
        let miss = |v: Validation| jwt::verify::<Dyn>(&t, &signer.verifying_key(), &v).unwrap_err();
        let other = || {
            Validation::id_token("https://op.example", "s6BhdRkqt3").with_clock(FixedClock(at(NOW)))
        };
        assert_eq!(
            miss(other().with_nonce("other")),
            Error::Claims(ClaimsError::Mismatch(Claim::Other("nonce".into())))
        );
        assert_eq!(
            miss(other().with_access_token_hash("another-token")),
            Error::Claims(ClaimsError::Mismatch(Claim::Other("at_hash".into())))
        );
        assert!(matches!(
            miss(
                other()
                    .with_max_auth_age(Duration::from_secs(10))
                    .with_leeway(Duration::ZERO)
            ),
            Error::Claims(ClaimsError::TooOld { .. })
        ));
    }
    // Several audiences: azp required, and it must be the client.
    let mut claims = Claims::new(Dyn::new())
        .with_issuer("https://op.example")
        .with_subject("s")
        .with_audiences(["s6BhdRkqt3", "other"])
        .valid_for(at(NOW), Duration::from_secs(600))
        .unwrap();
    let v =
        Validation::id_token("https://op.example", "s6BhdRkqt3").with_clock(FixedClock(at(NOW)));
    let t = jwt::sign(&claims, &es).unwrap();
    assert_eq!(
        jwt::verify::<Dyn>(&t, &es.verifying_key(), &v).unwrap_err(),
        Error::Claims(ClaimsError::Missing(Claim::Other("azp".into())))
    );
    claims.custom.insert("azp".into(), "other".into());
    let t = jwt::sign(&claims, &es).unwrap();
    assert_eq!(
        jwt::verify::<Dyn>(&t, &es.verifying_key(), &v).unwrap_err(),
        Error::Claims(ClaimsError::Mismatch(Claim::Other("azp".into())))
    );
    claims.custom.insert("azp".into(), "s6BhdRkqt3".into());
    let t = jwt::sign(&claims, &es).unwrap();
    jwt::verify::<Dyn>(&t, &es.verifying_key(), &v).unwrap();
}

#[test]
fn revocation_after_signature_and_claims() {
    let list = Arc::new(JtiDenylist::new().with_clock(FixedClock(at(NOW))));
    let v = base().with_revocation(list.clone());
    let good = json!({"iss": "iss", "aud": "aud", "exp": NOW + 100, "jti": "t-1"});
    assert_eq!(check(good.clone(), &v).err(), None);
    list.revoke("t-1", at(NOW + 100));
    assert_eq!(
        check(good, &v).err(),
        Some(Error::Claims(ClaimsError::Revoked { jti: "t-1".into() }))
    );
    // Without jti, a revocable validator cannot tell: refused.
    assert_eq!(
        check(json!({"iss": "iss", "aud": "aud", "exp": NOW + 100}), &v).err(),
        Some(Error::Claims(ClaimsError::Missing(Claim::Jti)))
    );
    // Consulted only after the claims pass: an expired revoked token reports expiry.
    assert!(matches!(
        check(
            json!({"iss": "iss", "aud": "aud", "exp": NOW - 100, "jti": "t-1"}),
            &v
        ),
        Err(Error::Claims(ClaimsError::Expired { .. }))
    ));
}

#[test]
fn nested_and_encrypted_jwts() {
    let signer = SigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let recipient = DecryptionKey::generate(AsymmetricKeyManagement::EcdhEsA256Kw).unwrap();
    let claims = Claims::new(Dyn::new())
        .with_issuer("iss")
        .with_audience("aud")
        .valid_for(at(NOW), Duration::from_secs(300))
        .unwrap();
    let jws = jwt::sign(&claims, &signer).unwrap();
    let nested = jwt::encrypt_nested(
        &jws,
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    // One call: decrypt, verify, validate.
    let v =
        jwt::decrypt_nested::<Dyn>(&nested, &recipient, &signer.verifying_key(), &base()).unwrap();
    assert_eq!(v.outer_header().and_then(|h| h.cty()), Some("JWT"));
    assert_eq!(v.claims().iss.as_deref(), Some("iss"));
    // A critical extension the caller declared is for the JWT's own header: accepted in the
    // inner JWS, refused in the outer JWE, which the caller does not process.
    let ext = base().with_critical("ext");
    let inner_crit = JwsHeader::new()
        .with_typ("JWT")
        .with_member("ext", 1)
        .unwrap()
        .with_crit(["ext"]);
    let jws_crit = jwt::sign_with_header(&inner_crit, &claims, &signer).unwrap();
    let outer_plain = jwt::encrypt_nested(
        &jws_crit,
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    assert!(
        jwt::decrypt_nested::<Dyn>(&outer_plain, &recipient, &signer.verifying_key(), &ext).is_ok()
    );
    assert!(matches!(
        jwt::decrypt_nested::<Dyn>(&outer_plain, &recipient, &signer.verifying_key(), &base()),
        Err(Error::Critical(_))
    ));
    let outer_crit = jwt::encrypt_nested(
        &jws,
        &JweHeader::new()
            .with_member("ext", 1)
            .unwrap()
            .with_crit(["ext"]),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    assert!(matches!(
        jwt::decrypt_nested::<Dyn>(&outer_crit, &recipient, &signer.verifying_key(), &ext),
        Err(Error::Critical(_))
    ));
    // Claims still validated after decryption.
    let late = base().with_clock(FixedClock(at(NOW + 1000)));
    assert!(matches!(
        jwt::decrypt_nested::<Dyn>(&nested, &recipient, &signer.verifying_key(), &late),
        Err(Error::Claims(ClaimsError::Expired { .. }))
    ));
    // Encrypted-only JWTs: fine with symmetric key management...
    let shared = SymmetricKey::generate(SymmetricKeyManagement::A256Kw).unwrap();
    let enc_only = jwe::encrypt_compact(
        &JweHeader::new().with_typ("JWT"),
        claims.to_json().unwrap().as_bytes(),
        ContentEncryption::A256Gcm,
        &shared,
    )
    .unwrap();
    let d = jwt::decrypt::<Dyn>(&enc_only, &shared, &base()).unwrap();
    assert_eq!(
        d.claims().aud.as_ref().map(|a| a.contains("aud")),
        Some(true)
    );
    // ...but with a public key anyone could have made it: refused without the opt-in.
    let anonymous = jwe::encrypt_compact(
        &JweHeader::new(),
        claims.to_json().unwrap().as_bytes(),
        ContentEncryption::A256Gcm,
        &recipient.encryption_key(),
    )
    .unwrap();
    assert!(matches!(
        jwt::decrypt::<Dyn>(&anonymous, &recipient, &base()),
        Err(Error::KeyRejected(_))
    ));
    jwt::decrypt::<Dyn>(
        &anonymous,
        &recipient,
        &base().dangerous_allow_unauthenticated_jwe(),
    )
    .unwrap();
    // A nested JWT must go through decrypt_nested, which verifies the inner signature.
    assert!(matches!(
        jwt::decrypt::<Dyn>(
            &nested,
            &recipient,
            &base().dangerous_allow_unauthenticated_jwe()
        ),
        Err(Error::Malformed { .. })
    ));
    // Verify with a JWKS.
    let set = JwkSet::new().with(signer.to_jwk().with_kid("ed"));
    let jws = jwt::sign(&claims, &signer.clone().with_key_id("ed")).unwrap();
    jwt::verify::<Dyn>(&jws, &set, &base()).unwrap();
}

#[test]
fn bearer_parsing() {
    assert_eq!(bearer_token("Bearer abc.def.ghi").unwrap(), "abc.def.ghi");
    assert_eq!(bearer_token("BEARER abc").unwrap(), "abc");
    assert_eq!(bearer_token("bearer abc==").unwrap(), "abc==");
    assert_eq!(bearer_token("Bearer a-b_c~d+e/f").unwrap(), "a-b_c~d+e/f");
    for bad in [
        "",
        "   ",
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearerabc",
        "Bearer a b",
        "Bearer ===",
        "Bearer a\"b",
        "Bearer ab=c",
        "Token abc",
        "Bearer\tabc",
    ] {
        assert!(
            matches!(
                bearer_token(bad),
                Err(Error::Malformed {
                    part: josecraft::Part::HttpHeader,
                    ..
                })
            ),
            "{bad:?}"
        );
    }
}

/// JSON `null` is no value: for every claim a validation can require, a token carrying it
/// as `null` is refused (missing, or of the wrong type), never accepted as present.
#[test]
fn a_null_claim_is_never_present() {
    let full = json!({
        "iss": "iss", "sub": "ada", "aud": "aud", "exp": NOW + 60, "nbf": NOW - 60,
        "iat": NOW - 1, "jti": "j1", "client_id": "c", "scope": "read", "nonce": "n",
        "azp": "aud", "auth_time": NOW - 1,
    });
    let profile = || base().with_access_token_profile().with_typ("JWT");
    let require_all = || {
        let mut v = base().with_max_age(Duration::from_secs(3600));
        for c in [Claim::Sub, Claim::Jti, Claim::Nbf, Claim::Iat] {
            v = v.with_required(c);
        }
        v.with_required(Claim::Other("scope".into()))
    };
    check(full.clone(), &require_all()).unwrap();
    check(full.clone(), &profile()).unwrap();
    for (name, in_profile, in_require_all) in [
        ("iss", true, true),
        ("sub", true, true),
        ("aud", true, true),
        ("exp", true, true),
        ("nbf", false, true),
        ("iat", true, true),
        ("jti", true, true),
        ("client_id", true, false),
        ("scope", false, true),
    ] {
        let mut c = full.clone();
        c[name] = Value::Null;
        let validations = [in_require_all.then(require_all), in_profile.then(profile)];
        for v in validations.into_iter().flatten() {
            let e = check(c.clone(), &v);
            assert!(
                matches!(
                    e,
                    Err(Error::Claims(
                        ClaimsError::Missing(_) | ClaimsError::WrongType(_)
                    ))
                ),
                "{name}: null accepted or wrong error: {e:?}"
            );
        }
    }
    // A custom required claim that is null is missing; RFC 9068's client_id must be a string.
    let mut c = full.clone();
    c["scope"] = Value::Null;
    assert_eq!(
        check(c, &require_all()),
        Err(Error::Claims(ClaimsError::Missing(Claim::Other(
            "scope".into()
        ))))
    );
    for not_a_string in [json!(7), json!(["c"]), json!({"id": "c"}), json!(true)] {
        let mut c = full.clone();
        c["client_id"] = not_a_string;
        assert_eq!(
            check(c, &profile()),
            Err(Error::Claims(ClaimsError::WrongType(Claim::Other(
                "client_id".into()
            ))))
        );
    }
    // OpenID Connect claims: null nonce, azp, at_hash are refused too.
    let id = || {
        Validation::id_token("iss", "aud")
            .with_clock(FixedClock(at(NOW)))
            .with_nonce("n")
    };
    check(full.clone(), &id()).unwrap();
    for name in ["nonce", "azp"] {
        let mut c = full.clone();
        c[name] = Value::Null;
        assert!(check(c, &id()).is_err(), "{name}: null accepted");
    }
}

/// Claims structs in the style of other libraries, with registered claims as their own
/// fields, sign and verify; the registered claims are still typed and validated.
#[test]
fn flat_claims_structs_sign_and_verify() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Flat {
        sub: String,
        exp: i64,
        company: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nbf: Option<i64>,
    }
    let flat = Flat {
        sub: "ada".into(),
        exp: NOW + 60,
        company: "acme".into(),
        nbf: None,
    };
    let claims = Claims::new(flat).with_issuer("iss").with_audience("aud");
    let t = jwt::sign(&claims, &key()).unwrap();
    let verified = jwt::verify::<Flat>(&t, &key(), &base()).unwrap();
    assert_eq!(verified.claims().custom.sub, "ada");
    assert_eq!(verified.claims().custom.company, "acme");
    assert_eq!(verified.claims().sub.as_deref(), Some("ada"));
    assert_eq!(verified.claims().exp.unwrap().unix(), NOW + 60);
    // Read back, the claims serialize again (the registered claims appear once).
    let again = verified.claims().to_json().unwrap();
    let back: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(back["sub"], "ada");
    assert_eq!(again.matches("\"sub\"").count(), 1);
    let stored: Claims<Flat> = serde_json::from_str(&again).unwrap();
    assert_eq!(stored.to_json().unwrap(), again);
    // A flat struct that denies unknown fields gets only the registered claims it names.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct SubOnly {
        sub: String,
        company: String,
    }
    let t = jwt::sign(&claims, &key()).unwrap();
    assert_eq!(
        jwt::verify::<SubOnly>(&t, &key(), &base())
            .unwrap()
            .claims()
            .custom
            .sub,
        "ada"
    );
    // Registered claims reached through #[serde(flatten)] are not handed over; the error
    // says what to do.
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Flattened {
        #[serde(flatten)]
        inner: Inner,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        exp: i64,
    }
    let e = jwt::verify::<Flattened>(&t, &key(), &base())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("registered claim") && e.contains("flatten"),
        "{e}"
    );
    // exp from the flat struct is validated like any exp.
    let expired = Claims::new(Flat {
        sub: "ada".into(),
        exp: NOW - 3600,
        company: "acme".into(),
        nbf: None,
    })
    .with_issuer("iss")
    .with_audience("aud");
    let t = jwt::sign(&expired, &key()).unwrap();
    assert!(matches!(
        jwt::verify::<Flat>(&t, &key(), &base()),
        Err(Error::Claims(ClaimsError::Expired { .. }))
    ));
    // A type without registered fields still gets only the custom claims.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct OnlyCompany {
        company: String,
    }
    let t = jwt::sign(&claims, &key()).unwrap();
    assert_eq!(
        jwt::verify::<OnlyCompany>(&t, &key(), &base())
            .unwrap()
            .claims()
            .custom
            .company,
        "acme"
    );
    // A claim set twice, or of the wrong registered type, is refused when signing, with
    // a message that says which and what to do.
    let twice = Claims::new(Flat {
        sub: "ada".into(),
        exp: NOW + 60,
        company: "c".into(),
        nbf: None,
    })
    .with_subject("bob");
    let e = jwt::sign(&twice, &key()).unwrap_err().to_string();
    assert!(e.contains("\"sub\" is set twice"), "{e}");
    #[derive(serde::Serialize)]
    struct WrongExp {
        exp: String,
    }
    let e = jwt::sign(&Claims::new(WrongExp { exp: "soon".into() }), &key())
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"exp\"") && e.contains("NumericDate"), "{e}");
    // RFC 9068 access tokens from a flat struct.
    #[derive(serde::Serialize)]
    struct FlatAccess {
        iss: String,
        sub: String,
        aud: String,
        exp: i64,
        iat: i64,
        jti: String,
    }
    let t = jwt::sign_access_token(
        &Claims::new(FlatAccess {
            iss: "iss".into(),
            sub: "ada".into(),
            aud: "aud".into(),
            exp: NOW + 60,
            iat: NOW,
            jti: "j".into(),
        }),
        "client",
        &key(),
    )
    .unwrap();
    jwt::verify::<Dyn>(&t, &key(), &base().with_access_token_profile()).unwrap();
}

/// Claims, JWKs and JWK Sets deserialize with serde as strictly as their parsers read.
#[test]
fn claims_and_keys_deserialize_strictly() {
    let claims = Claims::new(json!({"scope": "read"}).as_object().unwrap().clone())
        .with_issuer("iss")
        .with_audiences(["a", "b"])
        .with_expiry(at(NOW));
    let text = serde_json::to_string(&claims).unwrap();
    let back: Claims = serde_json::from_str(&text).unwrap();
    assert_eq!(back, claims);
    let from_value: Claims =
        serde_json::from_value(serde_json::to_value(&claims).unwrap()).unwrap();
    assert_eq!(from_value, claims);
    for bad in [
        r#"{"iss":"a","iss":"b"}"#,
        r#"{"exp":"1700000000"}"#,
        r#"{"aud":5}"#,
        r#"{"x":{"y":1,"y":2}}"#,
        r#"[]"#,
    ] {
        assert!(serde_json::from_str::<Claims>(bad).is_err(), "{bad}");
    }
    let jwk = Jwk::generate(josecraft::jwk::KeySpec::P256)
        .unwrap()
        .with_kid("k")
        .with_alg("ES256");
    let back: Jwk = serde_json::from_str(&serde_json::to_string(&jwk).unwrap()).unwrap();
    assert_eq!(back, jwk);
    let set = JwkSet::new().with(jwk.to_public().unwrap());
    let back: JwkSet = serde_json::from_str(&serde_json::to_string(&set).unwrap()).unwrap();
    assert_eq!(back, set);
    for bad in [
        r#"{"kty":"oct","k":"AAAA","k":"AAAA"}"#,
        r#"{"kty":"oct","k":"AAAA="}"#,
        r#"{"kty":"oct"}"#,
        r#"{"kty":5,"k":"AAAA"}"#,
    ] {
        assert!(serde_json::from_str::<Jwk>(bad).is_err(), "{bad}");
    }
    assert!(serde_json::from_str::<JwkSet>(r#"{"keys":[],"keys":[]}"#).is_err());
    assert!(serde_json::from_str::<JwkSet>(r#"{"keys":{}}"#).is_err());
}
