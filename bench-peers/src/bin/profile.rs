//! A fixed number of one operation, for callgrind (`valgrind --tool=callgrind`): instruction
//! counts are repeatable where wall-clock medians on a shared machine are not.
//!   profile IMPL ALG OP [N] [large]   IMPL: raw (ring) | raw-aws-lc | josecraft; ALG: HS256
//!   RS256 PS256 ES256 EdDSA; OP: sign | verify
//!   profile josecraft dir encrypt|decrypt [N]   JWE dir + A256GCM, 1 KiB plaintext
//! josecraft runs on the provider JOSECRAFT_CRYPTO_PROVIDER names (ring by default); each
//! raw floor is the same work written directly on one backend.

#![allow(deprecated)] // ring's public_modulus_len, the name both backends share

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

type SignFn = Box<dyn Fn(&[u8]) -> Vec<u8>>;
type VerifyFn = Box<dyn Fn(&[u8], &[u8]) -> bool>;

/// The raw sign and verify calls of one backend; ring and aws-lc-rs share this API.
macro_rules! raw_floor {
    ($lib:ident, $alg:expr, $ec_from_pkcs8:expr) => {{
        use $lib::signature::{self as rsig, KeyPair as _};
        let rng = $lib::rand::SystemRandom::new();
        let out: (SignFn, VerifyFn) = match $alg {
            "HS256" => {
                let k = $lib::hmac::Key::new($lib::hmac::HMAC_SHA256, HS256_SECRET);
                let k2 = k.clone();
                (
                    Box::new(move |i| $lib::hmac::sign(&k, i).as_ref().to_vec()),
                    Box::new(move |i, s| $lib::hmac::verify(&k2, i, s).is_ok()),
                )
            }
            "RS256" | "PS256" => {
                let pss = $alg == "PS256";
                let k = rsig::RsaKeyPair::from_pkcs8(&pem_der(RSA_PKCS8_PEM)).unwrap();
                let public = k.public_key().as_ref().to_vec();
                (
                    Box::new(move |i| {
                        let mut s = vec![0; k.public_modulus_len()];
                        let enc: &'static dyn rsig::RsaEncoding =
                            if pss { &rsig::RSA_PSS_SHA256 } else { &rsig::RSA_PKCS1_SHA256 };
                        k.sign(enc, &rng, i, &mut s).unwrap();
                        s
                    }),
                    Box::new(move |i, s| {
                        let params = if pss {
                            &rsig::RSA_PSS_2048_8192_SHA256
                        } else {
                            &rsig::RSA_PKCS1_2048_8192_SHA256
                        };
                        rsig::UnparsedPublicKey::new(params, &public).verify(i, s).is_ok()
                    }),
                )
            }
            "ES256" => {
                let k: rsig::EcdsaKeyPair =
                    $ec_from_pkcs8(&rsig::ECDSA_P256_SHA256_FIXED_SIGNING, &pem_der(P256_PKCS8_PEM));
                let public = k.public_key().as_ref().to_vec();
                (
                    Box::new(move |i| k.sign(&rng, i).unwrap().as_ref().to_vec()),
                    Box::new(move |i, s| {
                        rsig::UnparsedPublicKey::new(&rsig::ECDSA_P256_SHA256_FIXED, &public)
                            .verify(i, s)
                            .is_ok()
                    }),
                )
            }
            _ => {
                let k = rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pem_der(ED25519_PKCS8_PEM))
                    .unwrap();
                let public = k.public_key().as_ref().to_vec();
                (
                    Box::new(move |i| k.sign(i).as_ref().to_vec()),
                    Box::new(move |i, s| {
                        rsig::UnparsedPublicKey::new(&rsig::ED25519, &public).verify(i, s).is_ok()
                    }),
                )
            }
        };
        out
    }};
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let (imp, alg, op) = (a[0].as_str(), a[1].as_str(), a[2].as_str());
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let large = a.get(4).is_some_and(|s| s == "large");
    if alg == "dir" {
        return jwe_dir(op, n);
    }
    if alg == "ECDH-ES+A256KW" || alg == "RSA-OAEP-256" {
        return jwe_asymmetric(alg, op, n);
    }
    let c = claims(large);
    let (raw_sign_fn, raw_verify_fn) = if imp == "raw-aws-lc" {
        raw_floor!(aws_lc_rs, alg, |a, der: &[u8]| {
            aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(a, der).unwrap()
        })
    } else {
        raw_floor!(ring, alg, |a, der: &[u8]| {
            ring::signature::EcdsaKeyPair::from_pkcs8(a, der, &ring::rand::SystemRandom::new())
                .unwrap()
        })
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

/// JWE ECDH-ES+A256KW (P-256) or RSA-OAEP-256 with A256GCM over 1 KiB, on the provider
/// JOSECRAFT_CRYPTO_PROVIDER names.
fn jwe_asymmetric(alg: &str, op: &str, n: usize) {
    use josecraft::jwe;
    use josecraft::jwk::Jwk;
    use josecraft::{AsymmetricKeyManagement as A, ContentEncryption};
    let (pem, km) = if alg == "RSA-OAEP-256" {
        (RSA_PKCS8_PEM, A::RsaOaep256)
    } else {
        (P256_PKCS8_PEM, A::EcdhEsA256Kw)
    };
    let dk = Jwk::from_pem(pem).unwrap().to_decryption_key(Some(km)).unwrap();
    let ek = dk.encryption_key();
    let plaintext = vec![b'p'; 1024];
    let header = josecraft::JweHeader::new();
    let token = jwe::encrypt_compact(&header, &plaintext, ContentEncryption::A256Gcm, &ek).unwrap();
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(jwe::encrypt_compact(&header, &plaintext, ContentEncryption::A256Gcm, &ek).unwrap());
        } else {
            std::hint::black_box(jwe::decrypt_compact(&token, &dk).unwrap());
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
