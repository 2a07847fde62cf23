//! Randomness from the operating system, through ring.

use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, Result};

/// Fills `out` with random bytes.
pub(crate) fn fill(out: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| Error::unsupported("the operating system's random number generator failed"))
}

/// `len` random bytes.
pub(crate) fn bytes(len: usize) -> Result<Vec<u8>> {
    let mut v = vec![0u8; len];
    fill(&mut v)?;
    Ok(v)
}
