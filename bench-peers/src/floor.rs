//! The raw floors: the mandated work written directly on one backend (`ring` or
//! `aws-lc-rs`), so each josecraft provider is measured against a floor on its own
//! primitives. JWS floors are a (sign, verify) pair for `raw_sign`/`raw_verify`; JWE floors
//! make and open a compact JWE with A256GCM.

#![allow(deprecated)] // ring's public_modulus_len, the name both backends share

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;

use crate::*;

/// The library a floor is written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Ring,
    AwsLc,
}

impl Backend {
    /// The backend josecraft's provider of this process runs on.
    pub fn of_josecraft() -> Self {
        match josecraft::CryptoProvider::get_default().name() {
            "aws-lc" => Self::AwsLc,
            _ => Self::Ring,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ring => "ring",
            Self::AwsLc => "aws-lc",
        }
    }
}

pub type SignFn = Box<dyn Fn(&[u8]) -> Vec<u8>>;
pub type VerifyFn = Box<dyn Fn(&[u8], &[u8]) -> bool>;

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

/// The JWS sign and verify primitives of `alg` (HS256, RS256, PS256, ES256, EdDSA) on one
/// backend, over the benchmark keys.
pub fn raw_jws(backend: Backend, alg: &str) -> (SignFn, VerifyFn) {
    match backend {
        Backend::AwsLc => raw_floor!(aws_lc_rs, alg, |a, der: &[u8]| {
            aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(a, der).unwrap()
        }),
        Backend::Ring => raw_floor!(ring, alg, |a, der: &[u8]| {
            ring::signature::EcdsaKeyPair::from_pkcs8(a, der, &ring::rand::SystemRandom::new())
                .unwrap()
        }),
    }
}

/// The symmetric key of the `dir` and `A256KW` floors (and of josecraft's and the peers'
/// keys in the same rows).
pub const JWE_KEY: [u8; 32] = [7u8; 32];

/// The floor of a compact JWE with A256GCM over any plaintext, for `dir`, `A256KW`,
/// `ECDH-ES+A256KW` (P-256) or `RSA-OAEP-256`, on one backend: header JSON written and read
/// directly (borrowed), the key management — ECDH: ring has no static agreement keys, so
/// the sender's ephemeral half is on ring and the recipient's static half on RustCrypto
/// `p256`, aws-lc does both; RSA-OAEP: ring has none, so the `rsa` crate, aws-lc its own;
/// AES Key Wrap: `aes-kw` under ring, aws-lc's own — the Concat KDF, AES-GCM and base64url.
pub struct RawJwe {
    backend: Backend,
    alg: &'static str,
    p256_secret: Option<p256::SecretKey>,
    p256_public: Vec<u8>,
    rsa_ring: Option<rsa::RsaPrivateKey>,
    rsa_aws_pub: Option<aws_lc_rs::rsa::OaepPublicEncryptingKey>,
    rsa_aws: Option<aws_lc_rs::rsa::OaepPrivateDecryptingKey>,
}

#[derive(serde::Deserialize)]
struct Epk<'a> {
    x: &'a str,
    y: &'a str,
}

#[derive(serde::Deserialize)]
struct JweHeader<'a> {
    alg: &'a str,
    enc: &'a str,
    #[serde(borrow)]
    epk: Option<Epk<'a>>,
}

impl RawJwe {
    /// # Panics
    /// On an algorithm other than the four above.
    pub fn new(backend: Backend, alg: &str) -> Self {
        let alg = ["dir", "A256KW", "ECDH-ES+A256KW", "RSA-OAEP-256"]
            .into_iter()
            .find(|a| *a == alg)
            .expect("a JWE floor exists for dir, A256KW, ECDH-ES+A256KW and RSA-OAEP-256");
        let aws = backend == Backend::AwsLc;
        let rsa = alg == "RSA-OAEP-256";
        let ecdh = alg == "ECDH-ES+A256KW";
        let der = pem_der(if rsa { RSA_PKCS8_PEM } else { P256_PKCS8_PEM });
        let p256_secret = ecdh.then(|| {
            use p256::pkcs8::DecodePrivateKey;
            p256::SecretKey::from_pkcs8_der(&der).unwrap()
        });
        let p256_public = p256_secret
            .as_ref()
            .map(|k| {
                use p256::elliptic_curve::sec1::ToSec1Point;
                k.public_key().to_sec1_point(false).as_bytes().to_vec()
            })
            .unwrap_or_default();
        let rsa_ring = (rsa && !aws).then(|| {
            use rsa::pkcs8::DecodePrivateKey;
            rsa::RsaPrivateKey::from_pkcs8_der(&der).unwrap()
        });
        let rsa_aws_key = (rsa && aws).then(|| aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(&der).unwrap());
        let rsa_aws_pub =
            rsa_aws_key.as_ref().map(|k| aws_lc_rs::rsa::OaepPublicEncryptingKey::new(k.public_key()).unwrap());
        let rsa_aws = rsa_aws_key.map(|k| aws_lc_rs::rsa::OaepPrivateDecryptingKey::new(k).unwrap());
        Self { backend, alg, p256_secret, p256_public, rsa_ring, rsa_aws_pub, rsa_aws }
    }

    fn aws(&self) -> bool {
        self.backend == Backend::AwsLc
    }

    fn concat_kdf(&self, z: &[u8]) -> [u8; 32] {
        let mut input = Vec::with_capacity(4 + z.len() + 40);
        input.extend_from_slice(&1u32.to_be_bytes());
        input.extend_from_slice(z);
        let id = b"ECDH-ES+A256KW";
        input.extend_from_slice(&(id.len() as u32).to_be_bytes());
        input.extend_from_slice(id);
        input.extend_from_slice(&0u32.to_be_bytes());
        input.extend_from_slice(&0u32.to_be_bytes());
        input.extend_from_slice(&256u32.to_be_bytes());
        let mut out = [0u8; 32];
        if self.aws() {
            out.copy_from_slice(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &input).as_ref());
        } else {
            out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, &input).as_ref());
        }
        out
    }

    fn wrap(&self, kek: &[u8; 32], cek: &[u8; 32]) -> Vec<u8> {
        let mut out = vec![0u8; 40];
        if self.aws() {
            use aws_lc_rs::key_wrap::{AesKek, KeyWrap, AES_256};
            AesKek::new(&AES_256, kek).unwrap().wrap(cek, &mut out).unwrap();
        } else {
            <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(kek).unwrap().wrap_key(cek, &mut out).unwrap();
        }
        out
    }

    fn unwrap(&self, kek: &[u8; 32], wrapped: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        if self.aws() {
            use aws_lc_rs::key_wrap::{AesKek, KeyWrap, AES_256};
            let mut buf = [0u8; 40];
            let n = AesKek::new(&AES_256, kek).unwrap().unwrap(wrapped, &mut buf).unwrap().len();
            out.copy_from_slice(&buf[..n]);
        } else {
            <aes_kw::KwAes256 as aes_kw::KeyInit>::new_from_slice(kek).unwrap().unwrap_key(wrapped, &mut out).unwrap();
        }
        out
    }

    fn random(&self, out: &mut [u8]) {
        if self.aws() {
            aws_lc_rs::rand::fill(out).unwrap();
        } else {
            use ring::rand::SecureRandom;
            ring::rand::SystemRandom::new().fill(out).unwrap();
        }
    }

    fn seal(&self, cek: &[u8; 32], iv: [u8; 12], aad: &[u8], buf: &mut Vec<u8>) -> Vec<u8> {
        if self.aws() {
            use aws_lc_rs::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.seal_in_place_separate_tag(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().as_ref().to_vec()
        } else {
            use ring::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.seal_in_place_separate_tag(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().as_ref().to_vec()
        }
    }

    fn open(&self, cek: &[u8; 32], iv: [u8; 12], aad: &[u8], buf: &mut [u8]) -> usize {
        if self.aws() {
            use aws_lc_rs::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.open_in_place(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().len()
        } else {
            use ring::aead;
            let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, cek).unwrap());
            key.open_in_place(aead::Nonce::assume_unique_for_key(iv), aead::Aad::from(aad), buf).unwrap().len()
        }
    }

    /// The sender's half: (header JSON, encrypted key, CEK).
    fn sender(&self) -> (String, Vec<u8>, [u8; 32]) {
        match self.alg {
            "dir" => (r#"{"alg":"dir","enc":"A256GCM"}"#.to_string(), Vec::new(), JWE_KEY),
            "A256KW" => {
                let mut cek = [0u8; 32];
                self.random(&mut cek);
                (r#"{"alg":"A256KW","enc":"A256GCM"}"#.to_string(), self.wrap(&JWE_KEY, &cek), cek)
            }
            "RSA-OAEP-256" => {
                let mut cek = [0u8; 32];
                self.random(&mut cek);
                let ek = if let Some(k) = &self.rsa_aws_pub {
                    let mut out = vec![0u8; k.ciphertext_size()];
                    k.encrypt(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256, &cek, &mut out, None).unwrap();
                    out
                } else {
                    let k = self.rsa_ring.as_ref().unwrap().to_public_key();
                    k.encrypt(&mut RingRng, rsa::Oaep::<sha2::Sha256>::new(), &cek).unwrap()
                };
                (r#"{"alg":"RSA-OAEP-256","enc":"A256GCM"}"#.to_string(), ek, cek)
            }
            _ => {
                let (epk, z) = if self.aws() {
                    use aws_lc_rs::agreement as ag;
                    let k = ag::EphemeralPrivateKey::generate(&ag::ECDH_P256, &aws_lc_rs::rand::SystemRandom::new()).unwrap();
                    let epk = k.compute_public_key().unwrap().as_ref().to_vec();
                    let z = ag::agree_ephemeral(k, ag::UnparsedPublicKey::new(&ag::ECDH_P256, &self.p256_public), (), |z| Ok(z.to_vec())).unwrap();
                    (epk, z)
                } else {
                    use ring::agreement as ag;
                    let k = ag::EphemeralPrivateKey::generate(&ag::ECDH_P256, &ring::rand::SystemRandom::new()).unwrap();
                    let epk = k.compute_public_key().unwrap().as_ref().to_vec();
                    let z = ag::agree_ephemeral(k, &ag::UnparsedPublicKey::new(&ag::ECDH_P256, &self.p256_public), |z| z.to_vec()).unwrap();
                    (epk, z)
                };
                let kek = self.concat_kdf(&z);
                let mut cek = [0u8; 32];
                self.random(&mut cek);
                let header = format!(
                    r#"{{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}}}"#,
                    B64.encode(&epk[1..33]),
                    B64.encode(&epk[33..])
                );
                (header, self.wrap(&kek, &cek), cek)
            }
        }
    }

    /// A compact JWE of `plaintext`.
    pub fn encrypt(&self, plaintext: &[u8]) -> String {
        let (header, ek, cek) = self.sender();
        let protected = B64.encode(header);
        let mut iv = [0u8; 12];
        self.random(&mut iv);
        let mut buf = plaintext.to_vec();
        let tag = self.seal(&cek, iv, protected.as_bytes(), &mut buf);
        format!("{protected}.{}.{}.{}.{}", B64.encode(ek), B64.encode(iv), B64.encode(&buf), B64.encode(tag))
    }

    /// The plaintext of a compact JWE made with this floor's algorithm and key (by any
    /// library).
    pub fn decrypt(&self, token: &str) -> Vec<u8> {
        let mut p = token.splitn(5, '.');
        let (h, ek, iv, ct, tag) =
            (p.next().unwrap(), p.next().unwrap(), p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
        let mut hbuf = [0u8; 512];
        let n = B64.decode_slice(h, &mut hbuf).unwrap();
        let header: JweHeader<'_> = serde_json::from_slice(&hbuf[..n]).unwrap();
        assert!(header.alg == self.alg && header.enc == "A256GCM");
        let mut ekbuf = [0u8; 512];
        let eklen = B64.decode_slice(ek, &mut ekbuf).unwrap();
        let ek = &ekbuf[..eklen];
        let cek: [u8; 32] = match self.alg {
            "dir" => JWE_KEY,
            "A256KW" => self.unwrap(&JWE_KEY, ek),
            "RSA-OAEP-256" => {
                if let Some(k) = &self.rsa_aws {
                    let mut out = [0u8; 512];
                    let n = k.decrypt(&aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256, ek, &mut out, None).unwrap().len();
                    out[..n].try_into().unwrap()
                } else {
                    self.rsa_ring.as_ref().unwrap().decrypt(rsa::Oaep::<sha2::Sha256>::new(), ek).unwrap().try_into().unwrap()
                }
            }
            _ => {
                let epk = header.epk.unwrap();
                let mut point = [0u8; 65];
                point[0] = 4;
                B64.decode_slice(epk.x, &mut point[1..33]).unwrap();
                B64.decode_slice(epk.y, &mut point[33..]).unwrap();
                let secret = self.p256_secret.as_ref().unwrap();
                let z = if self.aws() {
                    use aws_lc_rs::agreement as ag;
                    let k = ag::PrivateKey::from_private_key(&ag::ECDH_P256, &secret.to_bytes()).unwrap();
                    ag::agree(&k, ag::UnparsedPublicKey::new(&ag::ECDH_P256, &point), (), |z| Ok(z.to_vec())).unwrap()
                } else {
                    let peer = p256::PublicKey::from_sec1_bytes(&point).unwrap();
                    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), peer.as_affine());
                    shared.raw_secret_bytes().to_vec()
                };
                self.unwrap(&self.concat_kdf(&z), ek)
            }
        };
        let mut iv_buf = [0u8; 12];
        B64.decode_slice(iv, &mut iv_buf).unwrap();
        let mut buf = B64.decode(ct).unwrap();
        B64.decode_vec(tag, &mut buf).unwrap();
        let len = self.open(&cek, iv_buf, h.as_bytes(), &mut buf);
        buf.truncate(len);
        buf
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
