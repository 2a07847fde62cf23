//! The provider of a build with both `ring` and `aws-lc`: every call goes to the provider
//! the process chose ([`CryptoProvider::get_default`]), and every prepared key remembers
//! the provider that built it, so a key is always used by its own backend.

use std::num::NonZeroU32;

use zeroize::Zeroizing;

use super::aws_lc::AwsLc;
use super::choice::CryptoProvider;
use super::digest::Sha;
use super::ec::Curve;
use super::provider::Provider;
use super::ring::Ring;
use super::rsa::{RsaPrivateParts, RsaScheme};
use crate::error::Result;

/// The dispatching provider.
pub(crate) struct Selected;

/// A key prepared by one of the two providers.
pub(crate) enum Either<R, A> {
    Ring(R),
    AwsLc(A),
}

/// Calls the chosen provider's `$f`.
macro_rules! chosen {
    ($f:ident($($a:expr),*)) => {
        match CryptoProvider::get_default() {
            CryptoProvider::Ring => Ring::$f($($a),*),
            CryptoProvider::AwsLc => AwsLc::$f($($a),*),
        }
    };
}

/// Calls the chosen provider's key constructor `$f` and tags the key with its provider.
macro_rules! prepare {
    ($f:ident($($a:expr),*)) => {
        match CryptoProvider::get_default() {
            CryptoProvider::Ring => Ring::$f($($a),*).map(Either::Ring),
            CryptoProvider::AwsLc => AwsLc::$f($($a),*).map(Either::AwsLc),
        }
    };
}

/// Calls `$f` of the provider that prepared `$key`.
macro_rules! with_key {
    ($key:expr, $f:ident($($a:expr),*)) => {
        match $key {
            Either::Ring(k) => Ring::$f(k, $($a),*),
            Either::AwsLc(k) => AwsLc::$f(k, $($a),*),
        }
    };
}

impl Provider for Selected {
    type HmacKey = Either<<Ring as Provider>::HmacKey, <AwsLc as Provider>::HmacKey>;
    type RsaSigningKey =
        Either<<Ring as Provider>::RsaSigningKey, <AwsLc as Provider>::RsaSigningKey>;
    type RsaOaepPublicKey =
        Either<<Ring as Provider>::RsaOaepPublicKey, <AwsLc as Provider>::RsaOaepPublicKey>;
    type RsaOaepPrivateKey =
        Either<<Ring as Provider>::RsaOaepPrivateKey, <AwsLc as Provider>::RsaOaepPrivateKey>;
    type EcdsaSigningKey =
        Either<<Ring as Provider>::EcdsaSigningKey, <AwsLc as Provider>::EcdsaSigningKey>;
    type Ed25519SigningKey =
        Either<<Ring as Provider>::Ed25519SigningKey, <AwsLc as Provider>::Ed25519SigningKey>;

    fn fill_random(out: &mut [u8]) -> Result<()> {
        chosen!(fill_random(out))
    }
    fn digest(sha: Sha, data: &[u8]) -> Vec<u8> {
        chosen!(digest(sha, data))
    }
    fn hmac_key(sha: Sha, secret: &[u8]) -> Self::HmacKey {
        match CryptoProvider::get_default() {
            CryptoProvider::Ring => Either::Ring(Ring::hmac_key(sha, secret)),
            CryptoProvider::AwsLc => Either::AwsLc(AwsLc::hmac_key(sha, secret)),
        }
    }
    fn hmac_sign(key: &Self::HmacKey, data: &[u8]) -> Vec<u8> {
        with_key!(key, hmac_sign(data))
    }
    fn hmac_verify(key: &Self::HmacKey, data: &[u8], tag: &[u8]) -> bool {
        with_key!(key, hmac_verify(data, tag))
    }
    fn rsa_verify(n: &[u8], e: &[u8], scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool {
        chosen!(rsa_verify(n, e, scheme, msg, signature))
    }
    fn rsa_signing_key(parts: &RsaPrivateParts) -> Result<Self::RsaSigningKey> {
        prepare!(rsa_signing_key(parts))
    }
    fn rsa_sign(key: &Self::RsaSigningKey, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>> {
        with_key!(key, rsa_sign(scheme, msg))
    }
    fn rsa_oaep_public_key(n: &[u8], e: &[u8]) -> Result<Self::RsaOaepPublicKey> {
        prepare!(rsa_oaep_public_key(n, e))
    }
    fn rsa_oaep_encrypt(
        key: &Self::RsaOaepPublicKey,
        sha: Option<Sha>,
        msg: &[u8],
    ) -> Result<Vec<u8>> {
        with_key!(key, rsa_oaep_encrypt(sha, msg))
    }
    fn rsa_oaep_private_key(parts: &RsaPrivateParts) -> Result<Self::RsaOaepPrivateKey> {
        prepare!(rsa_oaep_private_key(parts))
    }
    fn rsa_oaep_decrypt(
        key: &Self::RsaOaepPrivateKey,
        sha: Option<Sha>,
        ciphertext: &[u8],
        label: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        with_key!(key, rsa_oaep_decrypt(sha, ciphertext, label))
    }
    fn rsa_check_private(parts: &RsaPrivateParts) -> Result<()> {
        chosen!(rsa_check_private(parts))
    }
    fn rsa_recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts> {
        chosen!(rsa_recover_crt(n, e, d))
    }
    fn rsa_generate(bits: usize) -> Result<RsaPrivateParts> {
        chosen!(rsa_generate(bits))
    }
    fn ec_point(curve: Curve, sec1: &[u8]) -> Option<Vec<u8>> {
        chosen!(ec_point(curve, sec1))
    }
    fn ec_public_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>> {
        chosen!(ec_public_point(curve, d))
    }
    fn ecdsa_verify(curve: Curve, point: &[u8], msg: &[u8], signature: &[u8]) -> bool {
        chosen!(ecdsa_verify(curve, point, msg, signature))
    }
    fn ecdsa_signing_key(curve: Curve, d: &[u8], point: &[u8]) -> Result<Self::EcdsaSigningKey> {
        prepare!(ecdsa_signing_key(curve, d, point))
    }
    fn ecdsa_sign(key: &Self::EcdsaSigningKey, msg: &[u8]) -> Result<Vec<u8>> {
        with_key!(key, ecdsa_sign(msg))
    }
    fn ecdh(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        chosen!(ecdh(curve, d, peer))
    }
    fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
        chosen!(ecdh_ephemeral(curve, peer))
    }
    fn x25519_ephemeral(peer: &[u8; 32]) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
        chosen!(x25519_ephemeral(peer))
    }
    fn ed25519_verify(public: &[u8; 32], msg: &[u8], signature: &[u8]) -> bool {
        chosen!(ed25519_verify(public, msg, signature))
    }
    fn ed25519_signing_key(seed: &[u8; 32]) -> Result<(Self::Ed25519SigningKey, [u8; 32])> {
        match CryptoProvider::get_default() {
            CryptoProvider::Ring => {
                Ring::ed25519_signing_key(seed).map(|(k, p)| (Either::Ring(k), p))
            }
            CryptoProvider::AwsLc => {
                AwsLc::ed25519_signing_key(seed).map(|(k, p)| (Either::AwsLc(k), p))
            }
        }
    }
    fn ed25519_sign(key: &Self::Ed25519SigningKey, msg: &[u8]) -> Vec<u8> {
        with_key!(key, ed25519_sign(msg))
    }
    fn x25519_public_key(d: &[u8; 32]) -> Option<[u8; 32]> {
        chosen!(x25519_public_key(d))
    }
    fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
        chosen!(x25519_agree(d, peer))
    }
    fn aes_gcm_seal(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Option<(Vec<u8>, [u8; 16])> {
        chosen!(aes_gcm_seal(key, iv, aad, plaintext))
    }
    fn aes_gcm_open(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Option<Zeroizing<Vec<u8>>> {
        chosen!(aes_gcm_open(key, iv, aad, ciphertext, tag))
    }
    fn aes_cbc_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Option<Vec<u8>> {
        chosen!(aes_cbc_encrypt(key, iv, plaintext))
    }
    fn aes_cbc_decrypt(key: &[u8], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        chosen!(aes_cbc_decrypt(key, iv, ciphertext))
    }
    fn aes_kw_wrap(kek: &[u8], key: &[u8]) -> Option<Vec<u8>> {
        chosen!(aes_kw_wrap(kek, key))
    }
    fn aes_kw_unwrap(kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        chosen!(aes_kw_unwrap(kek, wrapped))
    }
    fn pbkdf2(
        sha: Sha,
        password: &[u8],
        salt: &[u8],
        iterations: NonZeroU32,
        len: usize,
    ) -> Zeroizing<Vec<u8>> {
        chosen!(pbkdf2(sha, password, salt, iterations, len))
    }
    #[cfg(feature = "http")]
    fn tls() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
        chosen!(tls())
    }
}
