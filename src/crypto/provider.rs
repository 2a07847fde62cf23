//! The crypto provider seam: every primitive josecraft needs, as one trait.
//!
//! A provider is a zero-sized type implementing [`Provider`]; the crate is compiled
//! against one of them or against both ([`Active`](super::Active): the one compiled in, or
//! a dispatcher following the process's choice). The rest of
//! `crypto/` (the key model, the validation rules, the
//! CBC-HMAC composition, the Concat KDF, key encodings) is shared by all providers and is
//! the only caller of this trait; `jws`, `jwe` and `jwk` never see a provider.
//!
//! Everything here works on bytes and on the provider's own prepared key types, so a
//! provider is free to keep keys in its native form (ring's `RsaKeyPair`, an aws-lc
//! `EVP_PKEY`, ...). Inputs arrive validated as far as the shared model can: lengths, RSA
//! sizes and exponents, the ROCA fingerprint, Ed25519 keys (canonical, not of small order),
//! the ECDH-ES curves, an all-zero X25519 secret. What needs the curve arithmetic (is a
//! point on the curve? does a scalar lie in range?) or a padding decoder (RSA-OAEP, in
//! constant time, leading octet included) is the provider's, and it must refuse rather than
//! guess; the model's tests (Wycheproof vectors, hand-built OAEP encodings) run through the
//! active provider and hold it to that.
//!
//! Adding a provider: a module `crypto/<name>/` implementing this trait, a Cargo feature,
//! the `cfg` lines choosing `Active`, and its arm in the dispatcher (docs/ARCHITECTURE.md).
//! Every suite then runs under it (`JOSECRAFT_CRYPTO_PROVIDER=<name>` in `.ci/run`).

use std::num::NonZeroU32;

use zeroize::Zeroizing;

use super::digest::Sha;
use super::ec::Curve;
use super::rsa::{RsaPrivateParts, RsaScheme};
use crate::error::{Error, Result};

/// Every primitive josecraft needs from a cryptographic backend.
///
/// Functions return `Option` where the only thing a caller may learn is "it failed" (a tag
/// or a padding check, an invalid point), and `Result` where the reason helps the user
/// (a key the backend refuses, a failing random generator).
pub(crate) trait Provider: Sized + 'static {
    /// An HMAC key, precomputed once.
    type HmacKey: Send + Sync;
    /// An RSA private key prepared for RSASSA-PKCS1-v1_5 and RSASSA-PSS signing.
    type RsaSigningKey: Send + Sync;
    /// An RSA public key prepared for RSAES-OAEP encryption.
    type RsaOaepPublicKey: Send + Sync;
    /// An RSA private key prepared for (blinded) RSAES-OAEP decryption.
    type RsaOaepPrivateKey: Send + Sync;
    /// An EC private key prepared for ECDSA signing.
    type EcdsaSigningKey: Send + Sync;
    /// An Ed25519 private key prepared for signing.
    type Ed25519SigningKey: Send + Sync;

    // Randomness and hashing.

    /// Fills `out` from the operating system's random generator.
    fn fill_random(out: &mut [u8]) -> Result<()>;
    /// The SHA-2 digest of `data`.
    fn digest(sha: Sha, data: &[u8]) -> Vec<u8>;

    // HMAC (JWS HS*, and the MAC half of AES-CBC-HMAC).

    /// Prepares an HMAC key.
    fn hmac_key(sha: Sha, secret: &[u8]) -> Self::HmacKey;
    /// The full-length tag of `data`.
    fn hmac_sign(key: &Self::HmacKey, data: &[u8]) -> Vec<u8>;
    /// Whether `tag` is the full-length tag of `data`, compared in constant time.
    fn hmac_verify(key: &Self::HmacKey, data: &[u8], tag: &[u8]) -> bool;

    // RSA (JWS RS*/PS*, JWE RSA-OAEP*). Moduli are 2048–8192 bits, checked by the model.

    /// Verifies an RSA signature with the public key (`n`, `e`), big-endian, no leading zeros.
    fn rsa_verify(n: &[u8], e: &[u8], scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool;
    /// Prepares a private key for signing; the parts are consistent (checked by
    /// [`Provider::rsa_check_private`] first). May refuse sizes the backend cannot sign with.
    fn rsa_signing_key(parts: &RsaPrivateParts) -> Result<Self::RsaSigningKey>;
    /// Signs `msg` (the backend hashes it).
    fn rsa_sign(key: &Self::RsaSigningKey, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>>;
    /// Prepares a public key for RSAES-OAEP.
    fn rsa_oaep_public_key(n: &[u8], e: &[u8]) -> Result<Self::RsaOaepPublicKey>;
    /// RSAES-OAEP encryption with `sha` (`None`: SHA-1) for the hash and MGF1, empty label.
    fn rsa_oaep_encrypt(
        key: &Self::RsaOaepPublicKey,
        sha: Option<Sha>,
        msg: &[u8],
    ) -> Result<Vec<u8>>;
    /// Prepares a private key for RSAES-OAEP decryption.
    fn rsa_oaep_private_key(parts: &RsaPrivateParts) -> Result<Self::RsaOaepPrivateKey>;
    /// RSAES-OAEP-DECRYPT (RFC 8017 §7.1.2) with a label; `None` for any failure, decided
    /// in constant time (every check of step 3, including the leading octet `Y`).
    fn rsa_oaep_decrypt(
        key: &Self::RsaOaepPrivateKey,
        sha: Option<Sha>,
        ciphertext: &[u8],
        label: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>>;
    /// Whether the parts of a two-prime private key belong together: `p·q = n`, `d`
    /// inverts `e`, and `dp`, `dq`, `qi` are the ones `p`, `q` and `d` give.
    fn rsa_check_private(parts: &RsaPrivateParts) -> Result<()>;
    /// Recovers `p`, `q` and the CRT values from `n`, `e` and `d` (NIST SP 800-56B Rev. 2
    /// Appendix C.2). The model has checked `e > 2^16` and `1 < d < n`.
    fn rsa_recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts>;
    /// A new two-prime key with `e = 65537` (`bits` is 2048–4096, a multiple of 8).
    fn rsa_generate(bits: usize) -> Result<RsaPrivateParts>;

    // Elliptic curves (JWS ES*, JWE ECDH-ES on the NIST curves).

    /// Validates a SEC 1 point (compressed or not) on `curve` and returns it uncompressed;
    /// `None` if it is not a point of the curve or is the identity.
    fn ec_point(curve: Curve, sec1: &[u8]) -> Option<Vec<u8>>;
    /// The uncompressed public point of the scalar `d`; `None` if `d` is out of range.
    fn ec_public_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>>;
    /// Verifies a fixed-length `r ‖ s` ECDSA signature with the curve's hash; any `s`
    /// (high or low) that verifies mathematically is accepted.
    fn ecdsa_verify(curve: Curve, point: &[u8], msg: &[u8], signature: &[u8]) -> bool;
    /// Prepares a private key for ECDSA; `point` is `d`'s public point.
    fn ecdsa_signing_key(curve: Curve, d: &[u8], point: &[u8]) -> Result<Self::EcdsaSigningKey>;
    /// Signs with the curve's hash; fixed-length `r ‖ s`.
    fn ecdsa_sign(key: &Self::EcdsaSigningKey, msg: &[u8]) -> Result<Vec<u8>>;
    /// The ECDH shared secret (the x-coordinate) of scalar `d` and the validated uncompressed
    /// point `peer`; `None` if the agreement fails. The model has refused curves other than
    /// `Curve::AGREEMENT` and validated `peer` already.
    fn ecdh(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>>;

    /// The ECDH-ES sender's half: a fresh ephemeral key on `curve` (one of
    /// `Curve::AGREEMENT`) agreed with the validated uncompressed point `peer`; returns the
    /// ephemeral public point, uncompressed, and the shared secret. By default a scalar
    /// drawn here with [`Provider::ec_public_point`] and [`Provider::ecdh`]; a backend with
    /// faster ephemeral keys overrides it.
    fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
        ecdh_ephemeral_composed::<Self>(curve, peer)
    }

    // Curve25519 (JWS EdDSA/Ed25519, JWE ECDH-ES with X25519).

    /// Verifies an Ed25519 signature. The model has checked `public` (canonical, not of
    /// small order) when the key was built.
    fn ed25519_verify(public: &[u8; 32], msg: &[u8], signature: &[u8]) -> bool;
    /// Prepares a private key from its seed; returns it with its public key.
    fn ed25519_signing_key(seed: &[u8; 32]) -> Result<(Self::Ed25519SigningKey, [u8; 32])>;
    /// Signs `msg`.
    fn ed25519_sign(key: &Self::Ed25519SigningKey, msg: &[u8]) -> Vec<u8>;
    /// The X25519 public key of a private key; `None` only if the provider fails.
    fn x25519_public_key(d: &[u8; 32]) -> Option<[u8; 32]>;
    /// The 32-byte X25519 shared secret, as computed (the model refuses an all-zero one,
    /// RFC 7748 §6.1); `None` only if the provider fails.
    fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>>;
    /// The X25519 sender's half: a fresh ephemeral key agreed with `peer`; returns its
    /// public key and the shared secret as computed (the model checks it).
    fn x25519_ephemeral(peer: &[u8; 32]) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
        x25519_ephemeral_composed::<Self>(peer)
    }

    // Symmetric ciphers (JWE content encryption and key wrapping).

    /// AES-GCM with a 96-bit IV and a 128-bit tag; `key` is 16, 24 or 32 bytes.
    fn aes_gcm_seal(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Option<(Vec<u8>, [u8; 16])>;
    /// AES-GCM decryption; `None` unless the tag verifies.
    fn aes_gcm_open(
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Option<Zeroizing<Vec<u8>>>;
    /// AES-CBC with PKCS#7 padding; `key` is 16, 24 or 32 bytes.
    fn aes_cbc_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Option<Vec<u8>>;
    /// AES-CBC decryption and PKCS#7 unpadding. Unauthenticated: the model calls it only
    /// after the tag has been verified.
    fn aes_cbc_decrypt(key: &[u8], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>>;
    /// AES Key Wrap (RFC 3394) of `key` under `kek` (16, 24 or 32 bytes).
    fn aes_kw_wrap(kek: &[u8], key: &[u8]) -> Option<Vec<u8>>;
    /// AES Key Unwrap; `None` if the integrity check fails.
    fn aes_kw_unwrap(kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>>;
    /// PBKDF2 with HMAC over `sha` (RFC 8018 §5.2).
    fn pbkdf2(
        sha: Sha,
        password: &[u8],
        salt: &[u8],
        iterations: NonZeroU32,
        len: usize,
    ) -> Zeroizing<Vec<u8>>;

    // TLS for the JWKS fetcher (feature `http`).

    /// A rustls provider for TLS 1.3 built on this backend.
    #[cfg(feature = "http")]
    fn tls() -> std::sync::Arc<rustls::crypto::CryptoProvider>;
}

/// [`Provider::ecdh_ephemeral`] from the static primitives.
pub(crate) fn ecdh_ephemeral_composed<P: Provider>(
    curve: Curve,
    peer: &[u8],
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    let (d, public) = super::ec::generate_scalar_with::<P>(curve)?;
    let z = P::ecdh(curve, &d, peer).ok_or_else(|| Error::crypto("ecdh failed"))?;
    Ok((public, z))
}

/// [`Provider::x25519_ephemeral`] from the static primitives.
pub(crate) fn x25519_ephemeral_composed<P: Provider>(
    peer: &[u8; 32],
) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
    let mut d = Zeroizing::new([0u8; 32]);
    P::fill_random(&mut d[..])?;
    let public = P::x25519_public_key(&d).ok_or_else(|| Error::crypto("x25519 failed"))?;
    let z = P::x25519_agree(&d, peer).ok_or_else(|| Error::crypto("x25519 failed"))?;
    Ok((public, z))
}
