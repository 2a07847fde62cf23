//! The `ring` provider (the default): `ring` does what it can (HMAC, SHA-2, RSA signatures,
//! ECDSA P-256/P-384, Ed25519, AES-128/256-GCM, PBKDF2, randomness, the TLS primitives of
//! the JWKS fetcher) and RustCrypto crates fill exactly the gaps ring leaves (AES Key Wrap,
//! AES-CBC, AES-192-GCM, RSA-OAEP, RSA key generation and CRT recovery, P-521, secp256k1,
//! ECDH with a stored private key, Ed25519 key checks); see DESIGN's dependency policy.

mod aead;
mod curve25519;
mod ec;
mod rand;
mod rsa_impl;
// The rustls provider of the JWKS fetcher, shared with aws-lc (their APIs are the same).
// Included once per backend on purpose: the same code over two `lib`s.
#[cfg(feature = "http")]
#[allow(clippy::duplicate_mod)]
#[path = "../tls13.rs"]
mod tls;

/// The backend `tls13.rs` is built on.
#[cfg(feature = "http")]
use ::ring as lib;
/// webpki's signature algorithms on this backend.
#[cfg(feature = "http")]
use webpki::ring as webpki_algorithms;

/// An ephemeral ECDH agreement for TLS (ring's signature of `agree_ephemeral`).
#[cfg(feature = "http")]
fn agree_ephemeral(
    private: lib::agreement::EphemeralPrivateKey,
    peer: &lib::agreement::UnparsedPublicKey<&[u8]>,
) -> Option<rustls::crypto::SharedSecret> {
    lib::agreement::agree_ephemeral(private, peer, |secret| {
        rustls::crypto::SharedSecret::from(secret)
    })
    .ok()
}

use std::num::NonZeroU32;

use ::ring::{digest, hmac};
use zeroize::Zeroizing;

use super::digest::Sha;
use super::ec::Curve;
use super::provider::Provider;
use super::rsa::{RsaPrivateParts, RsaScheme};
use super::rustcrypto;
use crate::error::Result;

/// The ring + RustCrypto provider.
pub(crate) struct Ring;

fn hmac_algorithm(sha: Sha) -> hmac::Algorithm {
    match sha {
        Sha::Sha256 => hmac::HMAC_SHA256,
        Sha::Sha384 => hmac::HMAC_SHA384,
        Sha::Sha512 => hmac::HMAC_SHA512,
    }
}

impl Provider for Ring {
    type HmacKey = hmac::Key;
    type RsaSigningKey = rsa_impl::SigningKey;
    type RsaOaepPublicKey = rsa_impl::OaepPublicKey;
    type RsaOaepPrivateKey = rsa_impl::OaepPrivateKey;
    type EcdsaSigningKey = ec::SigningKey;
    type Ed25519SigningKey = curve25519::SigningKey;

    fn fill_random(out: &mut [u8]) -> Result<()> {
        rand::fill(out)
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
        rsa_impl::consistent_private(parts).map(|_| ())
    }

    fn rsa_recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts> {
        rustcrypto::rsa_recover_crt(n, e, d)
    }

    fn rsa_generate(bits: usize) -> Result<RsaPrivateParts> {
        rustcrypto::rsa_generate(bits)
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
        curve25519::x25519_ephemeral(peer)
    }

    fn ed25519_verify(public: &[u8; 32], msg: &[u8], signature: &[u8]) -> bool {
        curve25519::verify(public, msg, signature)
    }

    fn ed25519_signing_key(seed: &[u8; 32]) -> Result<(curve25519::SigningKey, [u8; 32])> {
        curve25519::SigningKey::new(seed)
    }

    fn ed25519_sign(key: &curve25519::SigningKey, msg: &[u8]) -> Vec<u8> {
        key.sign(msg)
    }

    fn x25519_public_key(d: &[u8; 32]) -> Option<[u8; 32]> {
        Some(curve25519::x25519_public_key(d))
    }

    fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
        curve25519::x25519_agree(d, peer)
    }

    fn aes_gcm_seal(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Option<(Vec<u8>, [u8; 16])> {
        aead::gcm_seal(key, iv, aad, plaintext)
    }

    fn aes_gcm_open(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Option<Zeroizing<Vec<u8>>> {
        aead::gcm_open(key, iv, aad, ciphertext, tag)
    }

    fn aes_cbc_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Option<Vec<u8>> {
        aead::cbc_encrypt(key, iv, plaintext)
    }

    fn aes_cbc_decrypt(key: &[u8], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        aead::cbc_decrypt(key, iv, ciphertext)
    }

    fn aes_kw_wrap(kek: &[u8], key: &[u8]) -> Option<Vec<u8>> {
        rustcrypto::kw_wrap(kek, key)
    }

    fn aes_kw_unwrap(kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        rustcrypto::kw_unwrap(kek, wrapped)
    }

    fn pbkdf2(
        sha: Sha,
        password: &[u8],
        salt: &[u8],
        iterations: NonZeroU32,
        len: usize,
    ) -> Zeroizing<Vec<u8>> {
        aead::pbkdf2(sha, password, salt, iterations, len)
    }

    #[cfg(feature = "http")]
    fn tls() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
        tls::provider()
    }
}
