//! The `aws-lc` provider (feature `aws-lc`): every primitive on aws-lc-rs — HMAC, SHA-2,
//! RSA PKCS#1 v1.5/PSS/OAEP, ECDSA on P-256, P-384, P-521 and secp256k1, Ed25519, ECDH with
//! stored private keys on the NIST curves and X25519, AES-GCM and AES-CBC at every key
//! size, AES Key Wrap with 128 and 256-bit KEKs, PBKDF2, randomness and the TLS primitives
//! of the JWKS fetcher.
//!
//! What aws-lc-rs lacks comes from `crypto::rustcrypto`, shared with the ring provider: AES
//! Key Wrap under a 192-bit KEK (`aes-kw`), RSA CRT recovery from `n`, `e`, `d` alone and
//! RSA key generation at sizes other than 2048/3072/4096 (`rsa`). The model's Ed25519
//! public-key check uses `curve25519-dalek` in every build.

mod ec;
mod rsa_impl;

use std::num::NonZeroU32;

use aws_lc_rs::{aead, cipher, digest, hmac, iv, key_wrap, pbkdf2, signature};
use zeroize::Zeroizing;

use super::digest::Sha;
use super::ec::Curve;
use super::provider::Provider;
use super::rsa::{RsaPrivateParts, RsaScheme};
use super::rustcrypto;
use crate::error::{Error, Result};

// The rustls provider of the JWKS fetcher, shared with ring (their APIs are the same).
// Included once per backend on purpose: the same code over two `lib`s.
#[cfg(feature = "http")]
#[allow(clippy::duplicate_mod)]
#[path = "../tls13.rs"]
mod tls;

/// The backend `tls13.rs` is built on.
#[cfg(feature = "http")]
use ::aws_lc_rs as lib;
/// webpki's signature algorithms on this backend.
#[cfg(feature = "http")]
use webpki::aws_lc_rs as webpki_algorithms;

/// An ephemeral ECDH agreement for TLS (aws-lc-rs's `agree_ephemeral` takes an error value).
#[cfg(feature = "http")]
fn agree_ephemeral(
    private: lib::agreement::EphemeralPrivateKey,
    peer: &lib::agreement::UnparsedPublicKey<&[u8]>,
) -> Option<rustls::crypto::SharedSecret> {
    lib::agreement::agree_ephemeral(private, peer, (), |secret| {
        Ok(rustls::crypto::SharedSecret::from(secret))
    })
    .ok()
}

/// The aws-lc-rs provider.
pub(crate) struct AwsLc;

fn hmac_algorithm(sha: Sha) -> hmac::Algorithm {
    match sha {
        Sha::Sha256 => hmac::HMAC_SHA256,
        Sha::Sha384 => hmac::HMAC_SHA384,
        Sha::Sha512 => hmac::HMAC_SHA512,
    }
}

fn gcm_algorithm(key: &[u8]) -> Option<&'static aead::Algorithm> {
    match key.len() {
        16 => Some(&aead::AES_128_GCM),
        24 => Some(&aead::AES_192_GCM),
        32 => Some(&aead::AES_256_GCM),
        _ => None,
    }
}

fn cbc_key(key: &[u8]) -> Option<cipher::UnboundCipherKey> {
    let alg = match key.len() {
        16 => &cipher::AES_128,
        24 => &cipher::AES_192,
        32 => &cipher::AES_256,
        _ => return None,
    };
    cipher::UnboundCipherKey::new(alg, key).ok()
}

fn kek(kek: &[u8]) -> Option<key_wrap::AesKek> {
    let alg = match kek.len() {
        16 => &key_wrap::AES_128,
        32 => &key_wrap::AES_256,
        _ => return None,
    };
    key_wrap::AesKek::new(alg, kek).ok()
}

impl Provider for AwsLc {
    type HmacKey = hmac::Key;
    type RsaSigningKey = rsa_impl::SigningKey;
    type RsaOaepPublicKey = rsa_impl::OaepPublicKey;
    type RsaOaepPrivateKey = rsa_impl::OaepPrivateKey;
    type EcdsaSigningKey = ec::SigningKey;
    type Ed25519SigningKey = signature::Ed25519KeyPair;

    fn fill_random(out: &mut [u8]) -> Result<()> {
        aws_lc_rs::rand::fill(out)
            .map_err(|_| Error::crypto("the operating system's random number generator failed"))
    }

    fn digest(sha: Sha, data: &[u8]) -> Vec<u8> {
        let alg = match sha {
            Sha::Sha256 => &digest::SHA256,
            Sha::Sha384 => &digest::SHA384,
            Sha::Sha512 => &digest::SHA512,
        };
        digest::digest(alg, data).as_ref().to_vec()
    }

    fn hmac_key(sha: Sha, secret: &[u8]) -> hmac::Key {
        hmac::Key::new(hmac_algorithm(sha), secret)
    }

    fn hmac_sign(key: &hmac::Key, data: &[u8]) -> Vec<u8> {
        hmac::sign(key, data).as_ref().to_vec()
    }

    fn hmac_verify(key: &hmac::Key, data: &[u8], tag: &[u8]) -> bool {
        hmac::verify(key, data, tag).is_ok()
    }

    fn rsa_verify(n: &[u8], e: &[u8], scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool {
        rsa_impl::verify(n, e, scheme, msg, signature)
    }

    fn rsa_signing_key(parts: &RsaPrivateParts) -> Result<rsa_impl::SigningKey> {
        rsa_impl::SigningKey::new(parts)
    }

    fn rsa_sign(key: &rsa_impl::SigningKey, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>> {
        key.sign(scheme, msg)
    }

    fn rsa_oaep_public_key(n: &[u8], e: &[u8]) -> Result<rsa_impl::OaepPublicKey> {
        rsa_impl::OaepPublicKey::new(n, e)
    }

    fn rsa_oaep_encrypt(
        key: &rsa_impl::OaepPublicKey,
        sha: Option<Sha>,
        msg: &[u8],
    ) -> Result<Vec<u8>> {
        key.encrypt(sha, msg)
    }

    fn rsa_oaep_private_key(parts: &RsaPrivateParts) -> Result<rsa_impl::OaepPrivateKey> {
        rsa_impl::OaepPrivateKey::new(parts)
    }

    fn rsa_oaep_decrypt(
        key: &rsa_impl::OaepPrivateKey,
        sha: Option<Sha>,
        ciphertext: &[u8],
        label: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        key.decrypt(sha, ciphertext, label)
    }

    fn rsa_check_private(parts: &RsaPrivateParts) -> Result<()> {
        rsa_impl::key_pair(parts).map(|_| ())
    }

    fn rsa_recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts> {
        rustcrypto::rsa_recover_crt(n, e, d)
    }

    fn rsa_generate(bits: usize) -> Result<RsaPrivateParts> {
        rsa_impl::generate(bits)
    }

    fn ec_point(curve: Curve, sec1: &[u8]) -> Option<Vec<u8>> {
        ec::point(curve, sec1)
    }

    fn ec_public_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>> {
        ec::public_point(curve, d)
    }

    fn ecdsa_verify(curve: Curve, point: &[u8], msg: &[u8], signature: &[u8]) -> bool {
        ec::verify(curve, point, msg, signature)
    }

    fn ecdsa_signing_key(curve: Curve, d: &[u8], point: &[u8]) -> Result<ec::SigningKey> {
        ec::SigningKey::new(curve, d, point)
    }

    fn ecdsa_sign(key: &ec::SigningKey, msg: &[u8]) -> Result<Vec<u8>> {
        key.sign(msg)
    }

    fn ecdh(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        ec::ecdh(curve, d, peer)
    }

    fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
        ec::ecdh_ephemeral(curve, peer)
    }

    fn x25519_ephemeral(peer: &[u8; 32]) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
        // aws-lc refuses an all-zero shared secret itself: a small-order recipient key.
        let (public, z) = ec::ephemeral(
            &aws_lc_rs::agreement::X25519,
            peer,
            Error::key("the recipient's X25519 key is a small-order point"),
        )?;
        let public = public
            .try_into()
            .map_err(|_| Error::crypto("x25519 public key must be 32 bytes"))?;
        Ok((public, z))
    }

    fn ed25519_verify(public: &[u8; 32], msg: &[u8], signature: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ED25519, public)
            .verify(msg, signature)
            .is_ok()
    }

    fn ed25519_signing_key(seed: &[u8; 32]) -> Result<(signature::Ed25519KeyPair, [u8; 32])> {
        use signature::KeyPair as _;
        let pair = signature::Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| Error::key(format!("ed25519 key: {e}")))?;
        let public: [u8; 32] = pair
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| Error::key("ed25519 public key must be 32 bytes"))?;
        Ok((pair, public))
    }

    fn ed25519_sign(key: &signature::Ed25519KeyPair, msg: &[u8]) -> Vec<u8> {
        key.sign(msg).as_ref().to_vec()
    }

    fn x25519_public_key(d: &[u8; 32]) -> Option<[u8; 32]> {
        ec::x25519_public_key(d)
    }

    fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
        ec::x25519_agree(d, peer)
    }

    fn aes_gcm_seal(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Option<(Vec<u8>, [u8; 16])> {
        let key = aead::LessSafeKey::new(aead::UnboundKey::new(gcm_algorithm(key)?, key).ok()?);
        let mut buf = plaintext.to_vec();
        let tag = key
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(*iv),
                aead::Aad::from(aad),
                &mut buf,
            )
            .ok()?;
        Some((buf, tag.as_ref().try_into().ok()?))
    }

    fn aes_gcm_open(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let key = aead::LessSafeKey::new(aead::UnboundKey::new(gcm_algorithm(key)?, key).ok()?);
        let mut buf = Zeroizing::new(Vec::with_capacity(ciphertext.len() + tag.len()));
        buf.extend_from_slice(ciphertext);
        buf.extend_from_slice(tag);
        let len = key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(*iv),
                aead::Aad::from(aad),
                &mut buf,
            )
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }

    fn aes_cbc_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Option<Vec<u8>> {
        let key = cipher::PaddedBlockEncryptingKey::cbc_pkcs7(cbc_key(key)?).ok()?;
        let mut buf = plaintext.to_vec();
        key.less_safe_encrypt(
            &mut buf,
            cipher::EncryptionContext::Iv128(iv::FixedLength::from(*iv)),
        )
        .ok()?;
        Some(buf)
    }

    fn aes_cbc_decrypt(key: &[u8], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let key = cipher::PaddedBlockDecryptingKey::cbc_pkcs7(cbc_key(key)?).ok()?;
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        let len = key
            .decrypt(
                &mut buf,
                cipher::DecryptionContext::Iv128(iv::FixedLength::from(*iv)),
            )
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }

    fn aes_kw_wrap(kek_bytes: &[u8], key: &[u8]) -> Option<Vec<u8>> {
        use key_wrap::KeyWrap as _;
        if kek_bytes.len() == 24 {
            return rustcrypto::kw_wrap(kek_bytes, key);
        }
        let mut out = vec![0u8; key.len() + 8];
        let len = kek(kek_bytes)?.wrap(key, &mut out).ok()?.len();
        out.truncate(len);
        Some(out)
    }

    fn aes_kw_unwrap(kek_bytes: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        use key_wrap::KeyWrap as _;
        if kek_bytes.len() == 24 {
            return rustcrypto::kw_unwrap(kek_bytes, wrapped);
        }
        if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
            return None;
        }
        let mut out = Zeroizing::new(vec![0u8; wrapped.len()]);
        let len = kek(kek_bytes)?.unwrap(wrapped, &mut out).ok()?.len();
        out.truncate(len);
        Some(out)
    }

    fn pbkdf2(
        sha: Sha,
        password: &[u8],
        salt: &[u8],
        iterations: NonZeroU32,
        len: usize,
    ) -> Zeroizing<Vec<u8>> {
        let alg = match sha {
            Sha::Sha256 => pbkdf2::PBKDF2_HMAC_SHA256,
            Sha::Sha384 => pbkdf2::PBKDF2_HMAC_SHA384,
            Sha::Sha512 => pbkdf2::PBKDF2_HMAC_SHA512,
        };
        let mut out = Zeroizing::new(vec![0u8; len]);
        pbkdf2::derive(alg, iterations, salt, password, &mut out);
        out
    }

    #[cfg(feature = "http")]
    fn tls() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
        tls::provider()
    }
}
