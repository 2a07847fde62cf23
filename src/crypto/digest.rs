//! SHA-2 digests, through ring.

use ring::digest;

/// A SHA-2 hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sha {
    Sha256,
    Sha384,
    Sha512,
}

impl Sha {
    pub(crate) fn output_len(self) -> usize {
        match self {
            Sha::Sha256 => 32,
            Sha::Sha384 => 48,
            Sha::Sha512 => 64,
        }
    }

    fn ring(self) -> &'static digest::Algorithm {
        match self {
            Sha::Sha256 => &digest::SHA256,
            Sha::Sha384 => &digest::SHA384,
            Sha::Sha512 => &digest::SHA512,
        }
    }

    /// The digest of `data`.
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        digest::digest(self.ring(), data).as_ref().to_vec()
    }
}
