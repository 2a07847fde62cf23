//! Bounds on the work any input can cause (DESIGN rule 3).
//!
//! One [`Limits`] value travels with every parser. Each bound is checked before the work it
//! bounds, so an oversized or hostile input costs O(input) with a small constant and is
//! refused with [`Error::LimitExceeded`](crate::Error::LimitExceeded).

use crate::error::{Error, Limit, Result};

/// Configurable bounds on the size and cost of tokens, keys and key sets.
///
/// The defaults are safe for servers that accept tokens from the internet; raise a bound
/// only for a reason.
///
/// ```
/// use josecraft::Limits;
///
/// let limits = Limits::default().with_max_token_len(64 * 1024);
/// assert_eq!(limits.max_token_len(), 64 * 1024);
/// assert_eq!(limits.max_pbes2_count(), 10_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    max_token_len: usize,
    max_header_len: usize,
    max_json_depth: usize,
    max_signatures: usize,
    max_recipients: usize,
    max_keys: usize,
    max_key_len: usize,
    max_pbes2_count: u32,
    max_decompressed_len: usize,
    max_costly_unwraps: usize,
    max_disclosures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_token_len: 1_000_000,
            max_header_len: 16 * 1024,
            max_json_depth: 32,
            max_signatures: 16,
            max_recipients: 16,
            max_keys: 1_000,
            max_key_len: 1_000_000,
            max_pbes2_count: 10_000,
            max_decompressed_len: 250_000,
            max_costly_unwraps: 1,
            max_disclosures: 256,
        }
    }
}

/// serde_json refuses documents nested deeper than this on its own; a configured depth
/// above it is effectively this.
const PARSER_DEPTH_CEILING: usize = 127;

impl Limits {
    /// Maximum length of a serialized token (compact or JSON) in bytes, checked before any
    /// decoding. Default: 1 000 000.
    pub fn max_token_len(&self) -> usize {
        self.max_token_len
    }
    /// Maximum length of one decoded JOSE header in bytes. Default: 16 KiB.
    pub fn max_header_len(&self) -> usize {
        self.max_header_len
    }
    /// Maximum nesting depth of any JSON document (header, claims, key, key set); a
    /// top-level object is depth 1. Default: 32; values above 127 act as 127.
    pub fn max_json_depth(&self) -> usize {
        self.max_json_depth
    }
    /// Maximum number of signatures in a JWS JSON serialization. Default: 16.
    pub fn max_signatures(&self) -> usize {
        self.max_signatures
    }
    /// Maximum number of recipients in a JWE JSON serialization. Default: 16.
    pub fn max_recipients(&self) -> usize {
        self.max_recipients
    }
    /// Maximum number of keys in a JWK Set. Default: 1 000.
    pub fn max_keys(&self) -> usize {
        self.max_keys
    }
    /// Maximum length of a key document (JWK, JWK Set, PEM or DER) in bytes.
    /// Default: 1 000 000.
    pub fn max_key_len(&self) -> usize {
        self.max_key_len
    }
    /// Maximum PBES2 iteration count (`p2c`) accepted on decryption. Default: 10 000.
    pub fn max_pbes2_count(&self) -> u32 {
        self.max_pbes2_count
    }
    /// Maximum size of a `zip: "DEF"` plaintext after inflation. Default: 250 000 bytes.
    pub fn max_decompressed_len(&self) -> usize {
        self.max_decompressed_len
    }

    /// Sets [`max_token_len`](Self::max_token_len).
    pub fn with_max_token_len(mut self, bytes: usize) -> Self {
        self.max_token_len = bytes;
        self
    }
    /// Sets [`max_header_len`](Self::max_header_len).
    pub fn with_max_header_len(mut self, bytes: usize) -> Self {
        self.max_header_len = bytes;
        self
    }
    /// Sets [`max_json_depth`](Self::max_json_depth).
    pub fn with_max_json_depth(mut self, depth: usize) -> Self {
        self.max_json_depth = depth;
        self
    }
    /// Sets [`max_signatures`](Self::max_signatures).
    pub fn with_max_signatures(mut self, count: usize) -> Self {
        self.max_signatures = count;
        self
    }
    /// Sets [`max_recipients`](Self::max_recipients).
    pub fn with_max_recipients(mut self, count: usize) -> Self {
        self.max_recipients = count;
        self
    }
    /// Sets [`max_keys`](Self::max_keys).
    pub fn with_max_keys(mut self, count: usize) -> Self {
        self.max_keys = count;
        self
    }
    /// Sets [`max_key_len`](Self::max_key_len).
    pub fn with_max_key_len(mut self, bytes: usize) -> Self {
        self.max_key_len = bytes;
        self
    }
    /// Sets [`max_pbes2_count`](Self::max_pbes2_count).
    pub fn with_max_pbes2_count(mut self, count: u32) -> Self {
        self.max_pbes2_count = count;
        self
    }
    /// Maximum number of costly key-management operations (a PBES2 derivation, an RSA
    /// private-key operation, an ECDH agreement) one JWE may cause, over all its recipients:
    /// attempts stop there. Default: 1. A JSON JWE can name many recipients, but one of
    /// them is for you, and an honest JWE decrypts with the first costly operation; each key
    /// is also tried on one recipient only. Cheap key wraps (`dir`, `A*KW`, `A*GCMKW`) are
    /// tried first and not counted.
    pub fn max_costly_unwraps(&self) -> usize {
        self.max_costly_unwraps
    }

    /// Sets [`max_costly_unwraps`](Self::max_costly_unwraps).
    pub fn with_max_costly_unwraps(mut self, count: usize) -> Self {
        self.max_costly_unwraps = count;
        self
    }

    /// The most disclosures one SD-JWT may carry (default 256).
    pub fn max_disclosures(&self) -> usize {
        self.max_disclosures
    }

    /// Sets [`max_disclosures`](Self::max_disclosures).
    pub fn with_max_disclosures(mut self, count: usize) -> Self {
        self.max_disclosures = count;
        self
    }

    /// Sets [`max_decompressed_len`](Self::max_decompressed_len).
    pub fn with_max_decompressed_len(mut self, bytes: usize) -> Self {
        self.max_decompressed_len = bytes;
        self
    }

    pub(crate) fn json_depth(&self) -> usize {
        self.max_json_depth.min(PARSER_DEPTH_CEILING)
    }

    pub(crate) fn check_token_len(&self, len: usize) -> Result<()> {
        check(Limit::TokenLength, len, self.max_token_len)
    }

    /// Checks the *encoded* length of a header against the decoded-length bound, so that an
    /// oversized header is refused before it is decoded.
    pub(crate) fn check_encoded_header_len(&self, encoded_len: usize) -> Result<()> {
        // base64url: 4 characters for every 3 bytes, rounded up.
        check(
            Limit::HeaderLength,
            encoded_len / 4 * 3 + (encoded_len % 4).saturating_sub(1),
            self.max_header_len,
        )
    }

    pub(crate) fn check_header_len(&self, len: usize) -> Result<()> {
        check(Limit::HeaderLength, len, self.max_header_len)
    }

    pub(crate) fn check_key_len(&self, len: usize) -> Result<()> {
        check(Limit::KeyLength, len, self.max_key_len)
    }
}

pub(crate) fn check(limit: Limit, found: usize, max: usize) -> Result<()> {
    if found > max {
        Err(Error::limit(limit, max))
    } else {
        Ok(())
    }
}
