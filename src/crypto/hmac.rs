//! HMAC-SHA-2 (RFC 2104), over the active provider; tags are compared in constant time.

use super::digest::Sha;
use super::{Active, Provider};

/// An HMAC key, precomputed once.
pub(crate) struct HmacKey {
    key: <Active as Provider>::HmacKey,
}

impl HmacKey {
    pub(crate) fn new(sha: Sha, secret: &[u8]) -> Self {
        Self {
            key: Active::hmac_key(sha, secret),
        }
    }

    /// The full-length tag of `data`.
    pub(crate) fn sign(&self, data: &[u8]) -> Vec<u8> {
        Active::hmac_sign(&self.key, data)
    }

    /// Whether `tag` is the full-length tag of `data`, in constant time.
    pub(crate) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        Active::hmac_verify(&self.key, data, tag)
    }
}
