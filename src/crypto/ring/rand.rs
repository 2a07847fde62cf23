//! Randomness for ring's provider, from ring's `SystemRandom`.

use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, Result};

pub(super) fn fill(out: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| Error::crypto("the operating system's random number generator failed"))
}
