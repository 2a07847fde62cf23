//! A fixed number of one operation, for callgrind (`valgrind --tool=callgrind`): instruction
//! counts are repeatable where wall-clock medians on a shared machine are not.
//!   profile IMPL ALG OP [N] [large]   IMPL: raw (ring) | raw-aws-lc | josecraft; ALG: HS256
//!   RS256 PS256 ES256 EdDSA; OP: sign | verify; IMPL jsonwebtoken: its aws-lc backend
//!   profile IMPL JWE-ALG encrypt|decrypt [N]   IMPL: raw | raw-aws-lc | josecraft | josekit;
//!   JWE-ALG: dir A256KW ECDH-ES+A256KW RSA-OAEP-256, with A256GCM over 1 KiB
//! josecraft runs on the provider JOSECRAFT_CRYPTO_PROVIDER names (ring by default); each
//! raw floor is the same work written directly on one backend.

use josecraft::jws::{Signer, Verifier};
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::{JwsAlgorithm, SigningKey, VerifyingKey};
use josecraft_bench_peers::*;

#[derive(serde::Serialize, serde::Deserialize)]
struct JcCustom {
    scope: String,
    roles: Vec<String>,
    #[serde(default)]
    blob: String,
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let (imp, alg, op) = (a[0].as_str(), a[1].as_str(), a[2].as_str());
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let large = a.get(4).is_some_and(|s| s == "large");
    if JWE_ALGS.contains(&alg) {
        return match imp {
            "raw" | "raw-aws-lc" => raw_jwe(imp == "raw-aws-lc", alg, op, n),
            "josekit" => josekit_jwe(alg, op, n),
            _ => josecraft_jwe(alg, op, n),
        };
    }
    if imp == "jsonwebtoken" {
        return jsonwebtoken_jwt(alg, op, n);
    }
    let c = claims(large);
    let (raw_sign_fn, raw_verify_fn) =
        raw_jws(if imp == "raw-aws-lc" { Backend::AwsLc } else { Backend::Ring }, alg);
    let jalg = JwsAlgorithm::from_name(alg).unwrap();
    let (signer, verifier): (Box<dyn Signer>, Box<dyn Verifier>) = match alg {
        "HS256" => (Box::new(josecraft::HmacKey::new(jalg.try_into().unwrap(), HS256_SECRET).unwrap()), Box::new(josecraft::HmacKey::new(jalg.try_into().unwrap(), HS256_SECRET).unwrap())),
        "RS256" | "PS256" => (Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), RSA_PKCS8_PEM).unwrap()), Box::new(VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), RSA_SPKI_PEM).unwrap())),
        "ES256" => (Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), P256_PKCS8_PEM).unwrap()), Box::new(VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), P256_SPKI_PEM).unwrap())),
        _ => (Box::new(SigningKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), ED25519_PKCS8_PEM).unwrap()), Box::new(VerifyingKey::from_pem(josecraft::SignatureAlgorithm::try_from(jalg).unwrap(), ED25519_SPKI_PEM).unwrap())),
    };
    let mut jc_claims = Claims::new(JcCustom { scope: c.scope.clone(), roles: c.roles.clone(), blob: c.blob.clone() })
        .with_issuer(c.iss.clone())
        .with_subject(c.sub.clone())
        .with_audience(c.aud.clone())
        .with_jti(c.jti.clone());
    jc_claims.exp = NumericDate::from_unix(c.exp);
    jc_claims.iat = NumericDate::from_unix(c.iat);
    jc_claims.nbf = NumericDate::from_unix(c.nbf);
    let validation = Validation::issuer(ISSUER).audience(AUDIENCE);
    let token = jwt::sign(&jc_claims, &signer).unwrap();
    for _ in 0..n {
        match (imp, op) {
            ("raw" | "raw-aws-lc", "sign") => {
                std::hint::black_box(raw_sign(alg, &c, &raw_sign_fn));
            }
            ("raw" | "raw-aws-lc", _) => {
                std::hint::black_box(raw_verify(&token, alg, &raw_verify_fn).unwrap());
            }
            (_, "sign") => {
                std::hint::black_box(jwt::sign(&jc_claims, &signer).unwrap());
            }
            _ => {
                std::hint::black_box(jwt::verify::<JcCustom>(&token, &verifier, &validation).unwrap());
            }
        }
    }
}

/// The same JWT work with jsonwebtoken on its aws-lc-rs backend, for rows where a peer
/// on the same backend is the one to beat.
fn jsonwebtoken_jwt(alg: &str, op: &str, n: usize) {
    use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
    let (a, enc, dec) = match alg {
        "HS256" => (Algorithm::HS256, EncodingKey::from_secret(HS256_SECRET), DecodingKey::from_secret(HS256_SECRET)),
        "RS256" | "PS256" => (
            if alg == "RS256" { Algorithm::RS256 } else { Algorithm::PS256 },
            EncodingKey::from_rsa_pem(RSA_PKCS8_PEM.as_bytes()).unwrap(),
            DecodingKey::from_rsa_pem(RSA_SPKI_PEM.as_bytes()).unwrap(),
        ),
        "ES256" => (Algorithm::ES256, EncodingKey::from_ec_pem(P256_PKCS8_PEM.as_bytes()).unwrap(), DecodingKey::from_ec_pem(P256_SPKI_PEM.as_bytes()).unwrap()),
        _ => (Algorithm::EdDSA, EncodingKey::from_ed_pem(ED25519_PKCS8_PEM.as_bytes()).unwrap(), DecodingKey::from_ed_pem(ED25519_SPKI_PEM.as_bytes()).unwrap()),
    };
    let c = claims(false);
    let header = Header::new(a);
    let mut v = Validation::new(a);
    v.set_audience(&[AUDIENCE]);
    v.set_issuer(&[ISSUER]);
    let token = jsonwebtoken::encode(&header, &c, &enc).unwrap();
    for _ in 0..n {
        if op == "sign" {
            std::hint::black_box(jsonwebtoken::encode(&header, &c, &enc).unwrap());
        } else {
            std::hint::black_box(jsonwebtoken::decode::<AccessClaims>(&token, &dec, &v).unwrap());
        }
    }
}

const JWE_ALGS: [&str; 4] = ["dir", "A256KW", "ECDH-ES+A256KW", "RSA-OAEP-256"];

/// A compact JWE with A256GCM over 1 KiB with josecraft, on the provider
/// JOSECRAFT_CRYPTO_PROVIDER names.
fn josecraft_jwe(alg: &str, op: &str, n: usize) {
    use josecraft::jwe::{self, KeyDecryptor, KeyEncryptor, SymmetricKey};
    use josecraft::jwk::Jwk;
    use josecraft::{AsymmetricKeyManagement as A, ContentEncryption, SymmetricKeyManagement as K};
    let enc = ContentEncryption::A256Gcm;
    let (ek, dk): (Box<dyn KeyEncryptor>, Box<dyn KeyDecryptor>) = match alg {
        "dir" => (Box::new(SymmetricKey::direct(enc, &JWE_KEY).unwrap()), Box::new(SymmetricKey::direct(enc, &JWE_KEY).unwrap())),
        "A256KW" => (Box::new(SymmetricKey::new(K::A256Kw, &JWE_KEY).unwrap()), Box::new(SymmetricKey::new(K::A256Kw, &JWE_KEY).unwrap())),
        _ => {
            let (pem, km) = if alg == "RSA-OAEP-256" { (RSA_PKCS8_PEM, A::RsaOaep256) } else { (P256_PKCS8_PEM, A::EcdhEsA256Kw) };
            let dk = Jwk::from_pem(pem).unwrap().to_decryption_key(Some(km)).unwrap();
            (Box::new(dk.encryption_key()), Box::new(dk))
        }
    };
    let plaintext = vec![b'p'; 1024];
    let header = josecraft::JweHeader::new();
    let token = jwe::encrypt_compact(&header, &plaintext, enc, ek.as_ref()).unwrap();
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(jwe::encrypt_compact(&header, &plaintext, enc, ek.as_ref()).unwrap());
        } else {
            std::hint::black_box(jwe::decrypt_compact(&token, dk.as_ref()).unwrap());
        }
    }
}

/// The same JWE with josekit (OpenSSL): the RSA-OAEP target compares with it.
fn josekit_jwe(alg: &str, op: &str, n: usize) {
    use josekit::jwe::{self, JweDecrypter, JweEncrypter};
    let (enc, dec): (Box<dyn JweEncrypter>, Box<dyn JweDecrypter>) = match alg {
        "dir" => (Box::new(jwe::Dir.encrypter_from_bytes(JWE_KEY).unwrap()), Box::new(jwe::Dir.decrypter_from_bytes(JWE_KEY).unwrap())),
        "A256KW" => (Box::new(jwe::A256KW.encrypter_from_bytes(JWE_KEY).unwrap()), Box::new(jwe::A256KW.decrypter_from_bytes(JWE_KEY).unwrap())),
        "RSA-OAEP-256" => (Box::new(jwe::RSA_OAEP_256.encrypter_from_pem(RSA_SPKI_PEM).unwrap()), Box::new(jwe::RSA_OAEP_256.decrypter_from_pem(RSA_PKCS8_PEM).unwrap())),
        _ => (Box::new(jwe::ECDH_ES_A256KW.encrypter_from_pem(P256_SPKI_PEM).unwrap()), Box::new(jwe::ECDH_ES_A256KW.decrypter_from_pem(P256_PKCS8_PEM).unwrap())),
    };
    let mut header = jwe::JweHeader::new();
    header.set_content_encryption("A256GCM");
    let plaintext = vec![b'p'; 1024];
    let token = jwe::serialize_compact(&plaintext, &header, &*enc).unwrap();
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(jwe::serialize_compact(&plaintext, &header, &*enc).unwrap());
        } else {
            std::hint::black_box(jwe::deserialize_compact(&token, &*dec).unwrap());
        }
    }
}

/// The floor of the same JWE on one backend (`floor::RawJwe`).
fn raw_jwe(aws: bool, alg: &str, op: &str, n: usize) {
    let floor = RawJwe::new(if aws { Backend::AwsLc } else { Backend::Ring }, alg);
    let plaintext = vec![b'p'; 1024];
    let token = floor.encrypt(&plaintext);
    assert_eq!(floor.decrypt(&token), plaintext);
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(floor.encrypt(&plaintext));
        } else {
            std::hint::black_box(floor.decrypt(&token));
        }
    }
}
