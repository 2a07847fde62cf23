//! RustCrypto code shared by the providers, for what neither ring nor aws-lc-rs offers:
//!
//! - RSA CRT recovery from `n`, `e` and `d` alone (a JWK may carry no primes) and RSA key
//!   generation at sizes other than 2048, 3072 and 4096 bits, on the `rsa` crate
//!   (constant-time `crypto-bigint` arithmetic); neither backend exposes big-number
//!   arithmetic or arbitrary key sizes;
//! - AES Key Wrap (RFC 3394) on `aes-kw`: ring has none, aws-lc-rs has no AES-192 KEK.
//!
//! Randomness comes from the active provider ([`super::rand`]), so this module names no
//! backend.

use aes_kw::cipher::KeyInit;
use zeroize::Zeroizing;

use super::rsa::RsaPrivateParts;
use crate::crypto::contain;
use crate::error::{Error, Result};

/// The active provider's random generator, in the shape the `rsa` crate asks for.
pub(crate) struct SystemRng;

/// The system random generator failed.
#[derive(Debug)]
pub(crate) struct RngFailure;

impl std::fmt::Display for RngFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the system random generator failed")
    }
}

impl std::error::Error for RngFailure {}

impl rsa::rand_core::TryRng for SystemRng {
    type Error = RngFailure;
    fn try_next_u32(&mut self) -> std::result::Result<u32, RngFailure> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> std::result::Result<u64, RngFailure> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), RngFailure> {
        super::rand::fill(dst).map_err(|_| RngFailure)
    }
}

impl rsa::rand_core::TryCryptoRng for SystemRng {}

fn trimmed(v: &rsa::BoxedUint) -> Vec<u8> {
    v.to_be_bytes_trimmed_vartime().to_vec()
}

/// The two-prime parts of an `rsa` crate key.
pub(crate) fn rsa_parts_of(key: &rsa::PrivateKey) -> Result<RsaPrivateParts> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let missing = || Error::key("rsa key without two primes and CRT values");
    let [p, q] = key.primes() else {
        return Err(missing());
    };
    Ok(RsaPrivateParts {
        n: key.n_bytes().to_vec(),
        e: key.e_bytes().to_vec(),
        d: trimmed(key.d()),
        p: trimmed(p.as_ref()),
        q: trimmed(q.as_ref()),
        dp: trimmed(key.dp().ok_or_else(missing)?),
        dq: trimmed(key.dq().ok_or_else(missing)?),
        qi: trimmed(&key.crt_coefficient().ok_or_else(missing)?),
    }
    .minimal())
}

/// Recovers the primes and CRT values (NIST SP 800-56B Rev. 2 Appendix C.2); the inputs
/// are checked by the model first.
pub(crate) fn rsa_recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts> {
    contain("rsa private key", || {
        let n_uint = rsa::BoxedUint::from_be_slice_vartime(n);
        let width = n_uint.bits_precision();
        let d = rsa::BoxedUint::from_be_slice(d, width)
            .map_err(|_| Error::key("rsa private exponent d is wider than n"))?;
        let e = rsa::BoxedUint::from_be_slice_vartime(e);
        let key = rsa::PrivateKey::from_components(n_uint, e, d, Vec::new()).map_err(|_| {
            Error::key("rsa private key without CRT values: d does not belong to n and e")
        })?;
        rsa_parts_of(&key)
    })
}

/// A new two-prime RSA key with e = 65537, of any size the model allows.
pub(crate) fn rsa_generate(bits: usize) -> Result<RsaPrivateParts> {
    let key = rsa::PrivateKey::new(&mut SystemRng, bits)
        .map_err(|e| Error::crypto(format!("rsa key generation failed: {e}")))?;
    rsa_parts_of(&key)
}

/// Runs `$op` (`wrap_key` or `unwrap_key`) with the AES-KW cipher for the KEK's size
/// (16, 24 or 32 bytes), giving the length written, or `None` for another size or a failure.
macro_rules! with_kek {
    ($kek:expr, $op:ident($input:expr, $out:expr)) => {
        match $kek.len() {
            16 => aes_kw::KwAes128::new_from_slice($kek)
                .ok()?
                .$op($input, $out)
                .ok()
                .map(|o| o.len()),
            24 => aes_kw::KwAes192::new_from_slice($kek)
                .ok()?
                .$op($input, $out)
                .ok()
                .map(|o| o.len()),
            32 => aes_kw::KwAes256::new_from_slice($kek)
                .ok()?
                .$op($input, $out)
                .ok()
                .map(|o| o.len()),
            _ => None,
        }
    };
}

/// AES Key Wrap (RFC 3394) of `key` under `kek` (16, 24 or 32 bytes).
pub(crate) fn kw_wrap(kek: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; key.len() + 8];
    let n = with_kek!(kek, wrap_key(key, &mut out))?;
    out.truncate(n);
    Some(out)
}

/// AES Key Unwrap (RFC 3394); `None` if the integrity check fails.
pub(crate) fn kw_unwrap(kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return None;
    }
    let mut out = Zeroizing::new(vec![0u8; wrapped.len() - 8]);
    let n = with_kek!(kek, unwrap_key(wrapped, &mut out))?;
    out.truncate(n);
    Some(out)
}
