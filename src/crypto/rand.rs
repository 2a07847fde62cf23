//! Randomness from the operating system, over the active provider.

use super::{Active, Provider};
use crate::error::Result;

/// Fills `out` with random bytes.
pub(crate) fn fill(out: &mut [u8]) -> Result<()> {
    Active::fill_random(out)
}

/// `len` random bytes.
pub(crate) fn bytes(len: usize) -> Result<Vec<u8>> {
    let mut v = vec![0u8; len];
    fill(&mut v)?;
    Ok(v)
}
