//! josecraft side by side with jsonwebtoken, jwt-simple, josekit and the raw floor, in the
//! same criterion groups, on the same key material. `scripts/bench.sh` turns the results into
//! docs/PERFORMANCE.md.

use std::hint::black_box;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use criterion::{criterion_group, criterion_main, Criterion};
use josecraft_bench_peers::*;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self as rsig, KeyPair};

#[cfg(feature = "jsonwebtoken-aws-lc")]
const JSONWEBTOKEN: &str = "jsonwebtoken/aws-lc";
#[cfg(not(feature = "jsonwebtoken-aws-lc"))]
const JSONWEBTOKEN: &str = "jsonwebtoken/rust-crypto";

/// Only the jsonwebtoken rows run in the second (rust-crypto) build.
fn all_libs() -> bool {
    cfg!(feature = "jsonwebtoken-aws-lc")
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

// ------------------------------------------------------------------ raw ring

enum RawKey {
    Hmac(ring::hmac::Key),
    Rsa(rsig::RsaKeyPair, &'static dyn rsig::RsaEncoding, &'static rsig::RsaParameters),
    Ecdsa(rsig::EcdsaKeyPair),
    Ed(rsig::Ed25519KeyPair),
}

impl RawKey {
    fn new(alg: &str) -> Self {
        match alg {
            "HS256" => Self::Hmac(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HS256_SECRET)),
            "RS256" => Self::Rsa(rsig::RsaKeyPair::from_pkcs8(&pem_der(RSA_PKCS8_PEM)).unwrap(), &rsig::RSA_PKCS1_SHA256, &rsig::RSA_PKCS1_2048_8192_SHA256),
            "PS256" => Self::Rsa(rsig::RsaKeyPair::from_pkcs8(&pem_der(RSA_PKCS8_PEM)).unwrap(), &rsig::RSA_PSS_SHA256, &rsig::RSA_PSS_2048_8192_SHA256),
            "ES256" => Self::Ecdsa(rsig::EcdsaKeyPair::from_pkcs8(&rsig::ECDSA_P256_SHA256_FIXED_SIGNING, &pem_der(P256_PKCS8_PEM), &SystemRandom::new()).unwrap()),
            _ => Self::Ed(rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pem_der(ED25519_PKCS8_PEM)).unwrap()),
        }
    }

    fn sign(&self, input: &[u8], rng: &SystemRandom) -> Vec<u8> {
        match self {
            Self::Hmac(k) => ring::hmac::sign(k, input).as_ref().to_vec(),
            Self::Rsa(k, enc, _) => {
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(*enc, rng, input, &mut sig).unwrap();
                sig
            }
            Self::Ecdsa(k) => k.sign(rng, input).unwrap().as_ref().to_vec(),
            Self::Ed(k) => k.sign(input).as_ref().to_vec(),
        }
    }

    fn verify(&self, input: &[u8], sig: &[u8]) -> bool {
        match self {
            Self::Hmac(k) => ring::hmac::verify(k, input, sig).is_ok(),
            Self::Rsa(k, _, params) => rsig::UnparsedPublicKey::new(*params, k.public().as_ref()).verify(input, sig).is_ok(),
            Self::Ecdsa(k) => rsig::UnparsedPublicKey::new(&rsig::ECDSA_P256_SHA256_FIXED, k.public_key().as_ref()).verify(input, sig).is_ok(),
            Self::Ed(k) => rsig::UnparsedPublicKey::new(&rsig::ED25519, k.public_key().as_ref()).verify(input, sig).is_ok(),
        }
    }
}

// ------------------------------------------------------------------ JWT groups

fn jwt_groups(c: &mut Criterion) {
    let rng = SystemRandom::new();
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
        let raw = RawKey::new(alg);

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
                g.bench_function("raw", |b| b.iter(|| raw_sign(alg, black_box(&claims), |i| raw.sign(i, &rng))));
                g.bench_function("josecraft", |b| b.iter(|| jc::sign(&*jc_signer, black_box(&jc_claims))));
                peers_sign(&mut g, alg, &claims);
            }
            g.bench_function(JSONWEBTOKEN, |b| b.iter(|| jsonwebtoken::encode(&jwt_header, black_box(&claims), &jwt_enc).unwrap()));
            g.finish();
        }

        let mut g = c.benchmark_group(format!("jwt_{alg}_verify{suffix}"));
        if all_libs() {
            g.bench_function("raw", |b| b.iter(|| raw_verify(black_box(&token), alg, |i, s| raw.verify(i, s)).unwrap()));
            g.bench_function("josecraft", |b| b.iter(|| jc::verify(&jc_verifier, black_box(&token), &jc_validation)));
            peers_verify(&mut g, alg, &token);
        }
        g.bench_function(JSONWEBTOKEN, |b| {
            b.iter(|| jsonwebtoken::decode::<AccessClaims>(black_box(&token), &jwt_dec, &jwt_validation).unwrap())
        });
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

/// Raw compact JWE with AES-256-GCM content encryption and a given CEK/encrypted key.
fn raw_jwe_encrypt(header: &str, cek: &[u8], encrypted_key: &[u8], plaintext: &[u8], rng: &SystemRandom) -> String {
    use ring::aead;
    let protected = B64.encode(header);
    let mut iv = [0u8; 12];
    rng.fill(&mut iv).unwrap();
    let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
    let mut buf = plaintext.to_vec();
    let tag = key
        .seal_in_place_separate_tag(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(protected.as_bytes()), &mut buf)
        .unwrap();
    format!("{protected}.{}.{}.{}.{}", B64.encode(encrypted_key), B64.encode(iv), B64.encode(&buf), B64.encode(tag.as_ref()))
}

fn raw_jwe_decrypt(token: &str, alg: &str, unwrap: impl FnOnce(&[u8]) -> Vec<u8>) -> Vec<u8> {
    use ring::aead;
    #[derive(serde::Deserialize)]
    struct H<'a> {
        alg: &'a str,
        enc: &'a str,
    }
    let p: Vec<&str> = token.split('.').collect();
    assert_eq!(p.len(), 5);
    let hjson = B64.decode(p[0]).unwrap();
    let h: H<'_> = serde_json::from_slice(&hjson).unwrap();
    assert!(h.alg == alg && h.enc == "A256GCM");
    let cek = unwrap(&B64.decode(p[1]).unwrap());
    let iv: [u8; 12] = B64.decode(p[2]).unwrap().try_into().unwrap();
    let mut buf = B64.decode(p[3]).unwrap();
    buf.extend_from_slice(&B64.decode(p[4]).unwrap());
    let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, &cek).unwrap());
    let pt = key
        .open_in_place(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(p[0].as_bytes()), &mut buf)
        .unwrap();
    pt.to_vec()
}

fn jwe_groups(c: &mut Criterion) {
    use josecraft::jwe::{self as jjwe, SymmetricKey};
    use josecraft::{AsymmetricKeyManagement as A, ContentEncryption, SymmetricKeyManagement as K};
    use josecraft::jwk::Jwk;
    if !all_libs() {
        return;
    }
    let rng = SystemRandom::new();
    let plaintext = vec![b'p'; 1024];
    let key32 = [7u8; 32];
    let key16 = [7u8; 16];
    let password = b"correct horse battery staple";
    let ec_dk = Jwk::from_pem(P256_PKCS8_PEM).unwrap().to_decryption_key(Some(A::EcdhEsA256Kw)).unwrap();
    let rsa_dk = Jwk::from_pem(RSA_PKCS8_PEM).unwrap().to_decryption_key(Some(A::RsaOaep256)).unwrap();
    type Enc = Box<dyn jjwe::KeyEncryptor>;
    type Dec = Box<dyn jjwe::KeyDecryptor>;
    let cases: Vec<(&str, Enc, Dec, ContentEncryption)> = vec![
        ("dir+A256GCM", Box::new(SymmetricKey::direct(ContentEncryption::A256Gcm, &key32).unwrap()), Box::new(SymmetricKey::direct(ContentEncryption::A256Gcm, &key32).unwrap()), ContentEncryption::A256Gcm),
        ("A256KW+A256GCM", Box::new(SymmetricKey::new(K::A256Kw, &key32).unwrap()), Box::new(SymmetricKey::new(K::A256Kw, &key32).unwrap()), ContentEncryption::A256Gcm),
        ("ECDH-ES+A256KW+A256GCM", Box::new(ec_dk.encryption_key()), Box::new(ec_dk.clone()), ContentEncryption::A256Gcm),
        ("RSA-OAEP-256+A256GCM", Box::new(rsa_dk.encryption_key()), Box::new(rsa_dk.clone()), ContentEncryption::A256Gcm),
        ("PBES2-HS256+A128KW+A256GCM", Box::new(SymmetricKey::new(K::Pbes2Hs256A128Kw, password).unwrap()), Box::new(SymmetricKey::new(K::Pbes2Hs256A128Kw, password).unwrap()), ContentEncryption::A256Gcm),
        ("A128KW+A128CBC-HS256", Box::new(SymmetricKey::new(K::A128Kw, &key16).unwrap()), Box::new(SymmetricKey::new(K::A128Kw, &key16).unwrap()), ContentEncryption::A128CbcHs256),
    ];
    for (name, ek, dk, enc) in &cases {
        let token = jjwe::encrypt_compact(&josecraft::JweHeader::new(), &plaintext, *enc, ek.as_ref()).unwrap();
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
        g.bench_function("josecraft", |b| b.iter(|| jjwe::encrypt_compact(&josecraft::JweHeader::new(), black_box(&plaintext), *enc, ek.as_ref()).unwrap()));
        g.bench_function("josekit", |b| b.iter(|| josekit::jwe::serialize_compact(black_box(&plaintext), &jh, &*jk_enc).unwrap()));
        match *name {
            "dir+A256GCM" => {
                g.bench_function("raw", |b| b.iter(|| raw_jwe_encrypt(r#"{"alg":"dir","enc":"A256GCM"}"#, &key32, &[], black_box(&plaintext), &rng)));
            }
            "A256KW+A256GCM" => {
                let kek = <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(&key32).unwrap();
                g.bench_function("raw", |b| {
                    b.iter(|| {
                        let mut cek = [0u8; 32];
                        rng.fill(&mut cek).unwrap();
                        let mut wrapped = [0u8; 40];
                        kek.wrap_key(&cek, &mut wrapped).unwrap();
                        raw_jwe_encrypt(r#"{"alg":"A256KW","enc":"A256GCM"}"#, &cek, &wrapped, black_box(&plaintext), &rng)
                    })
                });
            }
            _ => {}
        }
        g.finish();

        let mut g = c.benchmark_group(format!("jwe_{name}_decrypt"));
        g.bench_function("josecraft", |b| b.iter(|| jjwe::decrypt_compact(black_box(&token), dk.as_ref()).unwrap()));
        g.bench_function("josekit", |b| b.iter(|| josekit::jwe::deserialize_compact(black_box(&jk_token), &*jk_dec).unwrap()));
        match *name {
            "dir+A256GCM" => {
                g.bench_function("raw", |b| b.iter(|| raw_jwe_decrypt(black_box(&token), "dir", |_| key32.to_vec())));
            }
            "A256KW+A256GCM" => {
                let kek = <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(&key32).unwrap();
                g.bench_function("raw", |b| {
                    b.iter(|| {
                        raw_jwe_decrypt(black_box(&token), "A256KW", |wrapped| {
                            let mut cek = vec![0u8; 32];
                            kek.unwrap_key(wrapped, &mut cek).unwrap();
                            cek
                        })
                    })
                });
            }
            _ => {}
        }
        g.finish();
    }
}

criterion_group!(benches, jwt_groups, jwe_groups);
criterion_main!(benches);
