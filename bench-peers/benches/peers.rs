//! josecraft side by side with jsonwebtoken, jwt-simple, josekit and the raw floors, in the
//! same criterion groups, on the same key material. `scripts/bench.sh` turns the results into
//! docs/PERFORMANCE.md.
//!
//! josecraft's provider is chosen per process (JOSECRAFT_CRYPTO_PROVIDER), so the bench runs
//! once per provider: the ring run measures `raw/ring`, `josecraft/ring` and every peer; the
//! aws-lc run measures `raw/aws-lc` and `josecraft/aws-lc` only, so each josecraft row has
//! its floor on the same backend in the same process.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use josecraft_bench_peers::*;

#[cfg(feature = "jsonwebtoken-aws-lc")]
const JSONWEBTOKEN: &str = "jsonwebtoken/aws-lc";
#[cfg(not(feature = "jsonwebtoken-aws-lc"))]
const JSONWEBTOKEN: &str = "jsonwebtoken/rust-crypto";

/// Only the jsonwebtoken rows run in the second (rust-crypto) build.
fn all_libs() -> bool {
    cfg!(feature = "jsonwebtoken-aws-lc")
}

/// The peers run once, in the ring run of the main build.
fn peers_here() -> bool {
    all_libs() && Backend::of_josecraft() == Backend::Ring
}

/// `raw/<backend>` and `josecraft/<backend>` for the provider of this process.
fn labels() -> (String, String) {
    let b = Backend::of_josecraft().name();
    (format!("raw/{b}"), format!("josecraft/{b}"))
}

// ------------------------------------------------------------------ josecraft

mod jc {
    use super::*;
    use josecraft::jwt::{self, Claims, NumericDate, Validation};
    use josecraft::{JwsAlgorithm, SigningKey};

    pub fn validation() -> Validation {
        Validation::issuer(ISSUER).audience(AUDIENCE)
    }

    pub fn claims(c: &AccessClaims) -> Claims<Custom> {
        let mut out = Claims::new(Custom { scope: c.scope.clone(), roles: c.roles.clone(), blob: c.blob.clone() })
            .with_issuer(c.iss.clone())
            .with_subject(c.sub.clone())
            .with_audience(c.aud.clone())
            .with_jti(c.jti.clone());
        out.exp = NumericDate::from_unix(c.exp);
        out.iat = NumericDate::from_unix(c.iat);
        out.nbf = NumericDate::from_unix(c.nbf);
        out
    }

    pub fn signing_key(alg: JwsAlgorithm) -> Box<dyn josecraft::jws::Signer> {
        match alg {
            JwsAlgorithm::Hs256 => Box::new(josecraft::HmacKey::new(alg.try_into().unwrap(), HS256_SECRET).unwrap()),
            JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256 => Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), RSA_PKCS8_PEM).unwrap()),
            JwsAlgorithm::Es256 => Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), P256_PKCS8_PEM).unwrap()),
            _ => Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), ED25519_PKCS8_PEM).unwrap()),
        }
    }

    pub fn verifying_key(alg: JwsAlgorithm) -> Box<dyn josecraft::jws::Verifier> {
        match alg {
            JwsAlgorithm::Hs256 => Box::new(josecraft::HmacKey::new(alg.try_into().unwrap(), HS256_SECRET).unwrap()),
            JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256 => Box::new(josecraft::VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), RSA_SPKI_PEM).unwrap()),
            JwsAlgorithm::Es256 => Box::new(josecraft::VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), P256_SPKI_PEM).unwrap()),
            _ => Box::new(josecraft::VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(alg).unwrap(), ED25519_SPKI_PEM).unwrap()),
        }
    }

    pub fn sign(key: &dyn josecraft::jws::Signer, c: &Claims<Custom>) -> String {
        jwt::sign(c, key).unwrap()
    }

    pub fn verify(key: &dyn josecraft::jws::VerifierSource, token: &str, v: &Validation) -> Custom {
        jwt::verify::<Custom>(token, key, v).unwrap().into_claims().custom
    }
}

// ------------------------------------------------------------------ JWT groups

fn jwt_groups(c: &mut Criterion) {
    let (raw_label, jc_label) = labels();
    for (alg, large) in [
        ("HS256", false),
        ("HS256", true),
        ("RS256", false),
        ("PS256", false),
        ("ES256", false),
        ("EdDSA", false),
    ] {
        let suffix = if large { "_64KiB" } else { "" };
        let claims = claims(large);
        let jalg = josecraft::JwsAlgorithm::from_name(alg).unwrap();
        let jc_signer = jc::signing_key(jalg);
        let jc_verifier = jc::verifying_key(jalg);
        let jc_claims = jc::claims(&claims);
        let jc_validation = jc::validation();
        let (raw_sign_fn, raw_verify_fn) = raw_jws(Backend::of_josecraft(), alg);

        let jwt_alg = match alg {
            "HS256" => jsonwebtoken::Algorithm::HS256,
            "RS256" => jsonwebtoken::Algorithm::RS256,
            "PS256" => jsonwebtoken::Algorithm::PS256,
            "ES256" => jsonwebtoken::Algorithm::ES256,
            _ => jsonwebtoken::Algorithm::EdDSA,
        };
        let (jwt_enc, jwt_dec) = match alg {
            "HS256" => (jsonwebtoken::EncodingKey::from_secret(HS256_SECRET), jsonwebtoken::DecodingKey::from_secret(HS256_SECRET)),
            "RS256" | "PS256" => (
                jsonwebtoken::EncodingKey::from_rsa_pem(RSA_PKCS8_PEM.as_bytes()).unwrap(),
                jsonwebtoken::DecodingKey::from_rsa_pem(RSA_SPKI_PEM.as_bytes()).unwrap(),
            ),
            "ES256" => (
                jsonwebtoken::EncodingKey::from_ec_pem(P256_PKCS8_PEM.as_bytes()).unwrap(),
                jsonwebtoken::DecodingKey::from_ec_pem(P256_SPKI_PEM.as_bytes()).unwrap(),
            ),
            _ => (
                jsonwebtoken::EncodingKey::from_ed_pem(ED25519_PKCS8_PEM.as_bytes()).unwrap(),
                jsonwebtoken::DecodingKey::from_ed_pem(ED25519_SPKI_PEM.as_bytes()).unwrap(),
            ),
        };
        let mut jwt_validation = jsonwebtoken::Validation::new(jwt_alg);
        jwt_validation.set_audience(&[AUDIENCE]);
        jwt_validation.set_issuer(&[ISSUER]);
        let jwt_header = jsonwebtoken::Header::new(jwt_alg);

        // Every library's token verifies in every library.
        let token = jc::sign(&*jc_signer, &jc_claims);

        if !large {
            let mut g = c.benchmark_group(format!("jwt_{alg}_sign"));
            if all_libs() {
                g.bench_function(&raw_label, |b| b.iter(|| raw_sign(alg, black_box(&claims), &raw_sign_fn)));
                g.bench_function(&jc_label, |b| b.iter(|| jc::sign(&*jc_signer, black_box(&jc_claims))));
            }
            if peers_here() {
                peers_sign(&mut g, alg, &claims);
            }
            if !all_libs() || peers_here() {
                g.bench_function(JSONWEBTOKEN, |b| b.iter(|| jsonwebtoken::encode(&jwt_header, black_box(&claims), &jwt_enc).unwrap()));
            }
            g.finish();
        }

        let mut g = c.benchmark_group(format!("jwt_{alg}_verify{suffix}"));
        if all_libs() {
            g.bench_function(&raw_label, |b| b.iter(|| raw_verify(black_box(&token), alg, &raw_verify_fn).unwrap()));
            g.bench_function(&jc_label, |b| b.iter(|| jc::verify(&jc_verifier, black_box(&token), &jc_validation)));
        }
        if peers_here() {
            peers_verify(&mut g, alg, &token);
        }
        if !all_libs() || peers_here() {
            g.bench_function(JSONWEBTOKEN, |b| {
                b.iter(|| jsonwebtoken::decode::<AccessClaims>(black_box(&token), &jwt_dec, &jwt_validation).unwrap())
            });
        }
        g.finish();
    }
}

// ------------------------------------------------------------------ jwt-simple, josekit

fn simple_claims(c: &AccessClaims) -> jwt_simple::prelude::JWTClaims<Custom> {
    use jwt_simple::prelude::*;
    Claims::with_custom_claims(
        Custom { scope: c.scope.clone(), roles: c.roles.clone(), blob: c.blob.clone() },
        Duration::from_hours(1),
    )
    .with_issuer(ISSUER)
    .with_audience(AUDIENCE)
    .with_subject(c.sub.clone())
    .with_jwt_id(c.jti.clone())
}

fn simple_options() -> jwt_simple::prelude::VerificationOptions {
    use jwt_simple::prelude::*;
    VerificationOptions {
        allowed_issuers: Some(HashSet::from_strings(&[ISSUER])),
        allowed_audiences: Some(HashSet::from_strings(&[AUDIENCE])),
        ..Default::default()
    }
}

fn josekit_payload(c: &AccessClaims) -> josekit::jwt::JwtPayload {
    let serde_json::Value::Object(map) = serde_json::to_value(c).unwrap() else { unreachable!() };
    josekit::jwt::JwtPayload::from_map(map).unwrap()
}

fn josekit_verify(token: &str, verifier: &dyn josekit::jws::JwsVerifier) -> AccessClaims {
    let (payload, _) = josekit::jwt::decode_with_verifier(token, verifier).unwrap();
    let mut v = josekit::jwt::JwtPayloadValidator::new();
    v.set_base_time(std::time::SystemTime::now());
    v.set_issuer(ISSUER);
    v.set_audience(AUDIENCE);
    v.validate(&payload).unwrap();
    serde_json::from_value(serde_json::Value::Object(payload.claims_set().clone())).unwrap()
}

/// The benchmark RSA key as a josekit JWK (private or public).
fn rsa_jwk(private: bool) -> josekit::jwk::Jwk {
    let jwk = josecraft::jwk::Jwk::from_pem(RSA_PKCS8_PEM).unwrap();
    let jwk = if private { jwk } else { jwk.to_public().unwrap() };
    josekit::jwk::Jwk::from_bytes(jwk.to_json().as_bytes()).unwrap()
}

type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

fn peers_sign(g: &mut Group<'_>, alg: &str, claims: &AccessClaims) {
    use jwt_simple::prelude::*;
    let sc = simple_claims(claims);
    let payload = josekit_payload(claims);
    let mut header = josekit::jws::JwsHeader::new();
    header.set_token_type("JWT");
    let signer: Box<dyn josekit::jws::JwsSigner> = match alg {
        "HS256" => Box::new(josekit::jws::HS256.signer_from_bytes(HS256_SECRET).unwrap()),
        "RS256" => Box::new(josekit::jws::RS256.signer_from_pem(RSA_PKCS8_PEM).unwrap()),
        // josekit reads PS256 PEM keys only with the RSASSA-PSS OID: give it the JWK.
        "PS256" => Box::new(josekit::jws::PS256.signer_from_jwk(&rsa_jwk(true)).unwrap()),
        "ES256" => Box::new(josekit::jws::ES256.signer_from_pem(P256_PKCS8_PEM).unwrap()),
        _ => Box::new(josekit::jws::EdDSA.signer_from_pem(ED25519_PKCS8_PEM).unwrap()),
    };
    g.bench_function("josekit", |b| b.iter(|| josekit::jwt::encode_with_signer(black_box(&payload), &header, &*signer).unwrap()));
    match alg {
        "HS256" => {
            let k = HS256Key::from_bytes(HS256_SECRET);
            g.bench_function("jwt-simple", |b| b.iter(|| k.authenticate(black_box(sc.clone())).unwrap()));
        }
        "RS256" => {
            let k = RS256KeyPair::from_pem(RSA_PKCS8_PEM).unwrap();
            g.bench_function("jwt-simple", |b| b.iter(|| k.sign(black_box(sc.clone())).unwrap()));
        }
        "PS256" => {
            let k = PS256KeyPair::from_pem(RSA_PKCS8_PEM).unwrap();
            g.bench_function("jwt-simple", |b| b.iter(|| k.sign(black_box(sc.clone())).unwrap()));
        }
        "ES256" => {
            let k = ES256KeyPair::from_pem(P256_PKCS8_PEM).unwrap();
            g.bench_function("jwt-simple", |b| b.iter(|| k.sign(black_box(sc.clone())).unwrap()));
        }
        _ => {
            let k = Ed25519KeyPair::from_pem(ED25519_PKCS8_PEM).unwrap();
            g.bench_function("jwt-simple", |b| b.iter(|| k.sign(black_box(sc.clone())).unwrap()));
        }
    }
}

fn peers_verify(g: &mut Group<'_>, alg: &str, token: &str) {
    use jwt_simple::prelude::*;
    let verifier: Box<dyn josekit::jws::JwsVerifier> = match alg {
        "HS256" => Box::new(josekit::jws::HS256.verifier_from_bytes(HS256_SECRET).unwrap()),
        "RS256" => Box::new(josekit::jws::RS256.verifier_from_pem(RSA_SPKI_PEM).unwrap()),
        "PS256" => Box::new(josekit::jws::PS256.verifier_from_jwk(&rsa_jwk(false)).unwrap()),
        "ES256" => Box::new(josekit::jws::ES256.verifier_from_pem(P256_SPKI_PEM).unwrap()),
        _ => Box::new(josekit::jws::EdDSA.verifier_from_pem(ED25519_SPKI_PEM).unwrap()),
    };
    g.bench_function("josekit", |b| b.iter(|| josekit_verify(black_box(token), &*verifier)));
    let opts = simple_options();
    match alg {
        "HS256" => {
            let k = HS256Key::from_bytes(HS256_SECRET);
            g.bench_function("jwt-simple", |b| b.iter(|| k.verify_token::<Custom>(black_box(token), Some(opts.clone())).unwrap()));
        }
        "RS256" => {
            let k = RS256KeyPair::from_pem(RSA_PKCS8_PEM).unwrap().public_key();
            g.bench_function("jwt-simple", |b| b.iter(|| k.verify_token::<Custom>(black_box(token), Some(opts.clone())).unwrap()));
        }
        "PS256" => {
            let k = PS256KeyPair::from_pem(RSA_PKCS8_PEM).unwrap().public_key();
            g.bench_function("jwt-simple", |b| b.iter(|| k.verify_token::<Custom>(black_box(token), Some(opts.clone())).unwrap()));
        }
        "ES256" => {
            let k = ES256KeyPair::from_pem(P256_PKCS8_PEM).unwrap().public_key();
            g.bench_function("jwt-simple", |b| b.iter(|| k.verify_token::<Custom>(black_box(token), Some(opts.clone())).unwrap()));
        }
        _ => {
            let k = Ed25519KeyPair::from_pem(ED25519_PKCS8_PEM).unwrap().public_key();
            g.bench_function("jwt-simple", |b| b.iter(|| k.verify_token::<Custom>(black_box(token), Some(opts.clone())).unwrap()));
        }
    }
}

// ------------------------------------------------------------------ JWE groups

fn jwe_groups(c: &mut Criterion) {
    use josecraft::jwe::{self as jjwe, SymmetricKey};
    use josecraft::jwk::Jwk;
    use josecraft::{AsymmetricKeyManagement as A, ContentEncryption, SymmetricKeyManagement as K};
    if !all_libs() {
        return;
    }
    let (raw_label, jc_label) = labels();
    let plaintext = vec![b'p'; 1024];
    let key32 = JWE_KEY;
    let key16 = [7u8; 16];
    let password = b"correct horse battery staple";
    let ec_dk = Jwk::from_pem(P256_PKCS8_PEM).unwrap().to_decryption_key(Some(A::EcdhEsA256Kw)).unwrap();
    let rsa_dk = Jwk::from_pem(RSA_PKCS8_PEM).unwrap().to_decryption_key(Some(A::RsaOaep256)).unwrap();
    type Enc = Box<dyn jjwe::KeyEncryptor>;
    type Dec = Box<dyn jjwe::KeyDecryptor>;
    // (row, floor's alg, josecraft's keys, content encryption)
    let cases: Vec<(&str, Option<&str>, Enc, Dec, ContentEncryption)> = vec![
        ("dir+A256GCM", Some("dir"), Box::new(SymmetricKey::direct(ContentEncryption::A256Gcm, &key32).unwrap()), Box::new(SymmetricKey::direct(ContentEncryption::A256Gcm, &key32).unwrap()), ContentEncryption::A256Gcm),
        ("A256KW+A256GCM", Some("A256KW"), Box::new(SymmetricKey::new(K::A256Kw, &key32).unwrap()), Box::new(SymmetricKey::new(K::A256Kw, &key32).unwrap()), ContentEncryption::A256Gcm),
        ("ECDH-ES+A256KW+A256GCM", Some("ECDH-ES+A256KW"), Box::new(ec_dk.encryption_key()), Box::new(ec_dk.clone()), ContentEncryption::A256Gcm),
        ("RSA-OAEP-256+A256GCM", Some("RSA-OAEP-256"), Box::new(rsa_dk.encryption_key()), Box::new(rsa_dk.clone()), ContentEncryption::A256Gcm),
        ("PBES2-HS256+A128KW+A256GCM", None, Box::new(SymmetricKey::new(K::Pbes2Hs256A128Kw, password).unwrap()), Box::new(SymmetricKey::new(K::Pbes2Hs256A128Kw, password).unwrap()), ContentEncryption::A256Gcm),
        ("A128KW+A128CBC-HS256", None, Box::new(SymmetricKey::new(K::A128Kw, &key16).unwrap()), Box::new(SymmetricKey::new(K::A128Kw, &key16).unwrap()), ContentEncryption::A128CbcHs256),
    ];
    for (name, floor_alg, ek, dk, enc) in &cases {
        let token = jjwe::encrypt_compact(&josecraft::JweHeader::new(), &plaintext, *enc, ek.as_ref()).unwrap();
        let floor = floor_alg.map(|a| RawJwe::new(Backend::of_josecraft(), a));
        if let Some(f) = &floor {
            // The floor opens josecraft's token and josecraft opens the floor's.
            assert_eq!(f.decrypt(&token), plaintext);
            assert_eq!(jjwe::decrypt_compact(&f.encrypt(&plaintext), dk.as_ref()).unwrap().plaintext(), &plaintext[..]);
        }
        // josekit
        let mut jh = josekit::jwe::JweHeader::new();
        jh.set_content_encryption(enc.name());
        let (jk_enc, jk_dec): (Box<dyn josekit::jwe::JweEncrypter>, Box<dyn josekit::jwe::JweDecrypter>) = match *name {
            "dir+A256GCM" => (Box::new(josekit::jwe::Dir.encrypter_from_bytes(key32).unwrap()), Box::new(josekit::jwe::Dir.decrypter_from_bytes(key32).unwrap())),
            "A256KW+A256GCM" => (Box::new(josekit::jwe::A256KW.encrypter_from_bytes(key32).unwrap()), Box::new(josekit::jwe::A256KW.decrypter_from_bytes(key32).unwrap())),
            "ECDH-ES+A256KW+A256GCM" => (Box::new(josekit::jwe::ECDH_ES_A256KW.encrypter_from_pem(P256_SPKI_PEM).unwrap()), Box::new(josekit::jwe::ECDH_ES_A256KW.decrypter_from_pem(P256_PKCS8_PEM).unwrap())),
            "RSA-OAEP-256+A256GCM" => (Box::new(josekit::jwe::RSA_OAEP_256.encrypter_from_pem(RSA_SPKI_PEM).unwrap()), Box::new(josekit::jwe::RSA_OAEP_256.decrypter_from_pem(RSA_PKCS8_PEM).unwrap())),
            "PBES2-HS256+A128KW+A256GCM" => (Box::new(josekit::jwe::PBES2_HS256_A128KW.encrypter_from_bytes(password).unwrap()), Box::new(josekit::jwe::PBES2_HS256_A128KW.decrypter_from_bytes(password).unwrap())),
            _ => (Box::new(josekit::jwe::A128KW.encrypter_from_bytes(key16).unwrap()), Box::new(josekit::jwe::A128KW.decrypter_from_bytes(key16).unwrap())),
        };
        let jk_token = josekit::jwe::serialize_compact(&plaintext, &jh, &*jk_enc).unwrap();

        let mut g = c.benchmark_group(format!("jwe_{name}_encrypt"));
        if let Some(f) = &floor {
            g.bench_function(&raw_label, |b| b.iter(|| f.encrypt(black_box(&plaintext))));
        }
        g.bench_function(&jc_label, |b| b.iter(|| jjwe::encrypt_compact(&josecraft::JweHeader::new(), black_box(&plaintext), *enc, ek.as_ref()).unwrap()));
        if peers_here() {
            g.bench_function("josekit", |b| b.iter(|| josekit::jwe::serialize_compact(black_box(&plaintext), &jh, &*jk_enc).unwrap()));
        }
        g.finish();

        let mut g = c.benchmark_group(format!("jwe_{name}_decrypt"));
        if let Some(f) = &floor {
            g.bench_function(&raw_label, |b| b.iter(|| f.decrypt(black_box(&token))));
        }
        g.bench_function(&jc_label, |b| b.iter(|| jjwe::decrypt_compact(black_box(&token), dk.as_ref()).unwrap()));
        if peers_here() {
            g.bench_function("josekit", |b| b.iter(|| josekit::jwe::deserialize_compact(black_box(&jk_token), &*jk_dec).unwrap()));
        }
        g.finish();
    }
}

criterion_group!(benches, jwt_groups, jwe_groups);
criterion_main!(benches);
