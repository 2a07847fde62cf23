//! Randomness for ring's provider, from ring's `SystemRandom`, also in the shape the
//! RustCrypto crates ask for.

use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, Result};

pub(super) fn fill(out: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| Error::crypto("the operating system's random number generator failed"))
}

/// The system RNG for the `rsa` crate.
pub(super) struct SystemRng;

/// The system random generator failed.
#[derive(Debug)]
pub(super) struct RngFailure;

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
        SystemRandom::new().fill(dst).map_err(|_| RngFailure)
    }
}

impl rsa::rand_core::TryCryptoRng for SystemRng {}
