//! HMAC-SHA-2 (RFC 2104), through ring. Tags are compared in constant time by
//! `ring::hmac::verify`.

use ring::hmac;

use super::digest::Sha;

/// An HMAC key, precomputed once.
pub(crate) struct HmacKey {
    key: hmac::Key,
}

impl HmacKey {
    pub(crate) fn new(sha: Sha, secret: &[u8]) -> Self {
        let alg = match sha {
            Sha::Sha256 => hmac::HMAC_SHA256,
            Sha::Sha384 => hmac::HMAC_SHA384,
            Sha::Sha512 => hmac::HMAC_SHA512,
        };
        Self {
            key: hmac::Key::new(alg, secret),
        }
    }

    /// The full-length tag of `data`.
    pub(crate) fn sign(&self, data: &[u8]) -> Vec<u8> {
        hmac::sign(&self.key, data).as_ref().to_vec()
    }

    /// Whether `tag` is the full-length tag of `data`, in constant time.
    pub(crate) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        hmac::verify(&self.key, data, tag).is_ok()
    }
}
