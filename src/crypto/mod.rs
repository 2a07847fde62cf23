//! Every call into a cryptographic backend goes through this module (DESIGN: crypto
//! backend policy), so that `jws`, `jwe` and `jwk` never name `ring` or a RustCrypto crate
//! and a second backend can be added behind the same seam.
//!
//! `ring` does what it can (HMAC, SHA-2, RSA signatures, ECDSA P-256/P-384, Ed25519,
//! randomness); RustCrypto crates fill exactly the gaps ring leaves. Key parsing (PEM, DER)
//! uses the RustCrypto `der` family and lives in [`keyfmt`].

pub(crate) mod digest;
pub(crate) mod ec;
pub(crate) mod ed25519;
pub(crate) mod hmac;
pub(crate) mod keyfmt;
pub(crate) mod rand;
pub(crate) mod rsa;

/// Removes leading zero bytes from a big-endian unsigned integer.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn bit_len(bytes: &[u8]) -> usize {
    let b = strip_leading_zeros(bytes);
    match b.first() {
        None => 0,
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(strip_leading_zeros(&[0, 0, 1, 0]), &[1, 0]);
        assert_eq!(strip_leading_zeros(&[0, 0]), &[] as &[u8]);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
