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
        return match imp {
            "raw" | "raw-aws-lc" => raw_jwe(imp == "raw-aws-lc", alg, op, n),
            _ => jwe_asymmetric(alg, op, n),
        };
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

/// The floor of a compact JWE with ECDH-ES+A256KW (P-256) or RSA-OAEP-256 and A256GCM over
/// 1 KiB, on one backend: header JSON written and read directly, the key agreement (ring:
/// ephemeral half on ring, the static half on RustCrypto `p256`, as ring has no static
/// agreement keys; aws-lc: both halves) or RSA-OAEP (ring has none: the `rsa` crate;
/// aws-lc's own), the Concat KDF, AES Key Wrap (`aes-kw` under ring, aws-lc's own),
/// AES-GCM and base64url.
fn raw_jwe(aws: bool, alg: &str, op: &str, n: usize) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;
    let plaintext = vec![b'p'; 1024];
    let der = pem_der(if alg == "RSA-OAEP-256" { RSA_PKCS8_PEM } else { P256_PKCS8_PEM });
    // The recipient's key: for ECDH the private scalar and public point from PKCS#8.
    let p256_secret = (alg != "RSA-OAEP-256").then(|| {
        use p256::pkcs8::DecodePrivateKey;
        p256::SecretKey::from_pkcs8_der(&der).unwrap()
    });
    let p256_public: Vec<u8> = p256_secret
        .as_ref()
        .map(|k| {
            use p256::elliptic_curve::sec1::ToSec1Point;
            k.public_key().to_sec1_point(false).as_bytes().to_vec()
        })
        .unwrap_or_default();
    let rsa_ring = (alg == "RSA-OAEP-256" && !aws).then(|| {
        use rsa::pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_der(&der).unwrap()
    });
    let rsa_aws_key = (alg == "RSA-OAEP-256" && aws)
        .then(|| aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(&der).unwrap());
    let rsa_aws_pub = rsa_aws_key
        .as_ref()
        .map(|k| aws_lc_rs::rsa::OaepPublicEncryptingKey::new(k.public_key()).unwrap());
    let rsa_aws = rsa_aws_key.map(|k| aws_lc_rs::rsa::OaepPrivateDecryptingKey::new(k).unwrap());
    let concat_kdf = |z: &[u8]| -> [u8; 32] {
        let mut input = Vec::with_capacity(4 + z.len() + 40);
        input.extend_from_slice(&1u32.to_be_bytes());
        input.extend_from_slice(z);
        let id = b"ECDH-ES+A256KW";
        input.extend_from_slice(&(id.len() as u32).to_be_bytes());
        input.extend_from_slice(id);
        input.extend_from_slice(&0u32.to_be_bytes());
        input.extend_from_slice(&0u32.to_be_bytes());
        input.extend_from_slice(&256u32.to_be_bytes());
        let d = if aws {
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &input).as_ref().to_vec()
        } else {
            ring::digest::digest(&ring::digest::SHA256, &input).as_ref().to_vec()
        };
        d.try_into().unwrap()
    };
    let wrap = |kek: &[u8; 32], cek: &[u8; 32]| -> Vec<u8> {
        let mut out = vec![0u8; 40];
        if aws {
            use aws_lc_rs::key_wrap::{AesKek, KeyWrap, AES_256};
            AesKek::new(&AES_256, kek).unwrap().wrap(cek, &mut out).unwrap();
        } else {
            <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(kek).unwrap().wrap_key(cek, &mut out).unwrap();
        }
        out
    };
    let unwrap = |kek: &[u8; 32], wrapped: &[u8]| -> [u8; 32] {
        let mut out = [0u8; 32];
        if aws {
            use aws_lc_rs::key_wrap::{AesKek, KeyWrap, AES_256};
            let mut buf = [0u8; 40];
            let n = AesKek::new(&AES_256, kek).unwrap().unwrap(wrapped, &mut buf).unwrap().len();
            out.copy_from_slice(&buf[..n]);
        } else {
            <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(kek).unwrap().unwrap_key(wrapped, &mut out).unwrap();
        }
        out
    };
    let random = |out: &mut [u8]| {
        if aws {
            aws_lc_rs::rand::fill(out).unwrap();
        } else {
            use ring::rand::SecureRandom;
            ring::rand::SystemRandom::new().fill(out).unwrap();
        }
    };
    let seal = |cek: &[u8; 32], iv: [u8; 12], aad: &[u8], buf: &mut Vec<u8>| -> Vec<u8> {
        if aws {
            use aws_lc_rs::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.seal_in_place_separate_tag(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().as_ref().to_vec()
        } else {
            use ring::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.seal_in_place_separate_tag(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().as_ref().to_vec()
        }
    };
    let open = |cek: &[u8; 32], iv: [u8; 12], aad: &[u8], buf: &mut Vec<u8>| -> usize {
        if aws {
            use aws_lc_rs::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.open_in_place(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().len()
        } else {
            use ring::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.open_in_place(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().len()
        }
    };
    // Sender: (header JSON, encrypted key, CEK).
    let sender = || -> (String, Vec<u8>, [u8; 32]) {
        if alg == "RSA-OAEP-256" {
            let mut cek = [0u8; 32];
            random(&mut cek);
            let ek = if aws {
                let k = rsa_aws_pub.as_ref().unwrap();
                let mut out = vec![0u8; k.ciphertext_size()];
                k.encrypt(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256, &cek, &mut out, None).unwrap();
                out
            } else {
                let k = rsa_ring.as_ref().unwrap().to_public_key();
                k.encrypt(&mut RingRng, rsa::Oaep::<sha2::Sha256>::new(), &cek).unwrap()
            };
            (r#"{"alg":"RSA-OAEP-256","enc":"A256GCM"}"#.to_string(), ek, cek)
        } else {
            let (epk, z) = if aws {
                use aws_lc_rs::agreement as ag;
                let k = ag::EphemeralPrivateKey::generate(&ag::ECDH_P256, &aws_lc_rs::rand::SystemRandom::new()).unwrap();
                let epk = k.compute_public_key().unwrap().as_ref().to_vec();
                let z = ag::agree_ephemeral(k, ag::UnparsedPublicKey::new(&ag::ECDH_P256, &p256_public), (), |z| Ok(z.to_vec())).unwrap();
                (epk, z)
            } else {
                use ring::agreement as ag;
                let k = ag::EphemeralPrivateKey::generate(&ag::ECDH_P256, &ring::rand::SystemRandom::new()).unwrap();
                let epk = k.compute_public_key().unwrap().as_ref().to_vec();
                let z = ag::agree_ephemeral(k, &ag::UnparsedPublicKey::new(&ag::ECDH_P256, &p256_public), |z| z.to_vec()).unwrap();
                (epk, z)
            };
            let kek = concat_kdf(&z);
            let mut cek = [0u8; 32];
            random(&mut cek);
            let header = format!(
                r#"{{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}}}"#,
                B64.encode(&epk[1..33]),
                B64.encode(&epk[33..])
            );
            (header, wrap(&kek, &cek), cek)
        }
    };
    let encrypt = || -> String {
        let (header, ek, cek) = sender();
        let protected = B64.encode(header);
        let mut iv = [0u8; 12];
        random(&mut iv);
        let mut buf = plaintext.clone();
        let tag = seal(&cek, iv, protected.as_bytes(), &mut buf);
        format!("{protected}.{}.{}.{}.{}", B64.encode(ek), B64.encode(iv), B64.encode(&buf), B64.encode(tag))
    };
    let token = encrypt();
    #[derive(serde::Deserialize)]
    struct Epk<'a> {
        x: &'a str,
        y: &'a str,
    }
    #[derive(serde::Deserialize)]
    struct H<'a> {
        alg: &'a str,
        enc: &'a str,
        #[serde(borrow)]
        epk: Option<Epk<'a>>,
    }
    let decrypt = |token: &str| -> Vec<u8> {
        let p: Vec<&str> = token.split('.').collect();
        let hjson = B64.decode(p[0]).unwrap();
        let h: H<'_> = serde_json::from_slice(&hjson).unwrap();
        assert!(h.alg == alg && h.enc == "A256GCM");
        let ek = B64.decode(p[1]).unwrap();
        let cek: [u8; 32] = if alg == "RSA-OAEP-256" {
            if aws {
                let k = rsa_aws.as_ref().unwrap();
                let mut out = vec![0u8; k.min_output_size()];
                let n = k.decrypt(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256, &ek, &mut out, None).unwrap().len();
                out[..n].try_into().unwrap()
            } else {
                rsa_ring.as_ref().unwrap().decrypt(rsa::Oaep::<sha2::Sha256>::new(), &ek).unwrap().try_into().unwrap()
            }
        } else {
            let epk = h.epk.unwrap();
            let mut point = vec![4u8];
            point.extend_from_slice(&B64.decode(epk.x).unwrap());
            point.extend_from_slice(&B64.decode(epk.y).unwrap());
            let z = if aws {
                use aws_lc_rs::agreement as ag;
                let d = p256_secret.as_ref().unwrap().to_bytes();
                let k = ag::PrivateKey::from_private_key(&ag::ECDH_P256, &d).unwrap();
                ag::agree(&k, ag::UnparsedPublicKey::new(&ag::ECDH_P256, &point), (), |z| Ok(z.to_vec())).unwrap()
            } else {
                let peer = p256::PublicKey::from_sec1_bytes(&point).unwrap();
                let shared = p256::ecdh::diffie_hellman(p256_secret.as_ref().unwrap().to_nonzero_scalar(), peer.as_affine());
                shared.raw_secret_bytes().to_vec()
            };
            unwrap(&concat_kdf(&z), &ek)
        };
        let iv: [u8; 12] = B64.decode(p[2]).unwrap().try_into().unwrap();
        let mut buf = B64.decode(p[3]).unwrap();
        buf.extend_from_slice(&B64.decode(p[4]).unwrap());
        let len = open(&cek, iv, p[0].as_bytes(), &mut buf);
        buf.truncate(len);
        buf
    };
    assert_eq!(decrypt(&token), plaintext);
    for _ in 0..n {
        if op == "encrypt" {
            std::hint::black_box(encrypt());
        } else {
            std::hint::black_box(decrypt(&token));
        }
    }
}

/// ring's system generator for the `rsa` crate.
struct RingRng;

impl rsa::rand_core::TryRng for RingRng {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        use ring::rand::SecureRandom;
        ring::rand::SystemRandom::new().fill(dst).unwrap();
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for RingRng {}
