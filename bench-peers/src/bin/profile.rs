//! A fixed number of one operation, for callgrind (`valgrind --tool=callgrind`): instruction
//! counts are repeatable where wall-clock medians on a shared machine are not.
//!   profile IMPL ALG OP [N] [large]   IMPL: raw | josecraft; ALG: HS256 RS256 PS256 ES256
//!   EdDSA; OP: sign | verify
//!   profile josecraft dir encrypt|decrypt [N]   JWE dir + A256GCM, 1 KiB plaintext

use josecraft::jws::{Signer, Verifier};
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::{JwsAlgorithm, SigningKey, VerifyingKey};
use josecraft_bench_peers::*;
use ring::rand::SystemRandom;
use ring::signature::{self as rsig, KeyPair};

#[derive(serde::Serialize, serde::Deserialize)]
struct JcCustom {
    scope: String,
    roles: Vec<String>,
    #[serde(default)]
    blob: String,
}

enum Raw {
    Hmac(ring::hmac::Key),
    Rsa(rsig::RsaKeyPair, &'static dyn rsig::RsaEncoding, &'static rsig::RsaParameters),
    Ec(rsig::EcdsaKeyPair),
    Ed(rsig::Ed25519KeyPair),
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let (imp, alg, op) = (a[0].as_str(), a[1].as_str(), a[2].as_str());
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let large = a.get(4).is_some_and(|s| s == "large");
    if alg == "dir" {
        return jwe_dir(op, n);
    }
    let c = claims(large);
    let rng = SystemRandom::new();
    let raw = match alg {
        "HS256" => Raw::Hmac(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HS256_SECRET)),
        "RS256" => Raw::Rsa(rsig::RsaKeyPair::from_pkcs8(&pem_der(RSA_PKCS8_PEM)).unwrap(), &rsig::RSA_PKCS1_SHA256, &rsig::RSA_PKCS1_2048_8192_SHA256),
        "PS256" => Raw::Rsa(rsig::RsaKeyPair::from_pkcs8(&pem_der(RSA_PKCS8_PEM)).unwrap(), &rsig::RSA_PSS_SHA256, &rsig::RSA_PSS_2048_8192_SHA256),
        "ES256" => Raw::Ec(rsig::EcdsaKeyPair::from_pkcs8(&rsig::ECDSA_P256_SHA256_FIXED_SIGNING, &pem_der(P256_PKCS8_PEM), &rng).unwrap()),
        _ => Raw::Ed(rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pem_der(ED25519_PKCS8_PEM)).unwrap()),
    };
    let raw_sign_fn = |i: &[u8]| -> Vec<u8> {
        match &raw {
            Raw::Hmac(k) => ring::hmac::sign(k, i).as_ref().to_vec(),
            Raw::Rsa(k, e, _) => {
                let mut s = vec![0; k.public().modulus_len()];
                k.sign(*e, &rng, i, &mut s).unwrap();
                s
            }
            Raw::Ec(k) => k.sign(&rng, i).unwrap().as_ref().to_vec(),
            Raw::Ed(k) => k.sign(i).as_ref().to_vec(),
        }
    };
    let raw_verify_fn = |i: &[u8], s: &[u8]| -> bool {
        match &raw {
            Raw::Hmac(k) => ring::hmac::verify(k, i, s).is_ok(),
            Raw::Rsa(k, _, p) => rsig::UnparsedPublicKey::new(*p, k.public().as_ref()).verify(i, s).is_ok(),
            Raw::Ec(k) => rsig::UnparsedPublicKey::new(&rsig::ECDSA_P256_SHA256_FIXED, k.public_key().as_ref()).verify(i, s).is_ok(),
            Raw::Ed(k) => rsig::UnparsedPublicKey::new(&rsig::ED25519, k.public_key().as_ref()).verify(i, s).is_ok(),
        }
    };
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
            ("raw", "sign") => {
                std::hint::black_box(raw_sign(alg, &c, raw_sign_fn));
            }
            ("raw", _) => {
                std::hint::black_box(raw_verify(&token, alg, raw_verify_fn).unwrap());
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

/// JWE `dir` + A256GCM over 1 KiB: the symmetric path without key wrapping, where the
/// library's own work (header, base64url, AAD) is largest next to the AEAD.
fn jwe_dir(op: &str, n: usize) {
    use josecraft::jwe::{self, SymmetricKey};
use josecraft::ContentEncryption;
    let key = SymmetricKey::direct(ContentEncryption::A256Gcm, &[7u8; 32]).unwrap();
    let plaintext = vec![b'x'; 1024];
    let header = josecraft::JweHeader::new();
    let token = jwe::encrypt_compact(&header, &plaintext, ContentEncryption::A256Gcm, &key).unwrap();
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(jwe::encrypt_compact(&header, &plaintext, ContentEncryption::A256Gcm, &key).unwrap());
        } else {
            std::hint::black_box(jwe::decrypt_compact(&token, &key).unwrap());
        }
    }
}
