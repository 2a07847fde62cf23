//! Server-provided nonces (RFC 9449 §8, §9): the server hands out a value in the
//! `DPoP-Nonce` header and accepts proofs carrying a current one, which bounds how long
//! before use a proof can have been made, whatever the client's clock says.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::alg::HmacAlgorithm;
use crate::base64url;
use crate::date::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::jose::{Signer, Verifier};
use crate::jws::HmacKey;

/// Where a [`ProofVerifier`](super::ProofVerifier) gets nonces from.
pub trait NonceSource: Send + Sync {
    /// The nonce to send to clients now (in `DPoP-Nonce`).
    fn current(&self) -> String;

    /// Whether a proof carrying `nonce` is acceptable now.
    fn accepts(&self, nonce: &str) -> bool;
}

/// Nonces that rotate every `period` and need no storage: a nonce is its time window and
/// an HMAC of it, so every server instance configured with the same secret issues and
/// accepts the same nonces. A nonce is accepted in its window and the next one, so it
/// lives between one and two periods.
#[derive(Clone)]
pub struct RotatingNonces {
    key: HmacKey,
    period: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for RotatingNonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotatingNonces")
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

const DOMAIN: &[u8] = b"josecraft DPoP nonce v1:";

impl RotatingNonces {
    /// Nonces from `secret` (at least 32 bytes, shared by the instances that must accept
    /// each other's nonces), rotating every `period` (at least one second).
    ///
    /// # Errors
    /// [`Error::KeyRejected`] for a secret shorter than 32 bytes; [`Error::Unsupported`]
    /// for a period under one second.
    pub fn new(secret: &[u8], period: Duration) -> Result<Self> {
        if period < Duration::from_secs(1) {
            return Err(Error::Unsupported(
                "a DPoP nonce period under one second".into(),
            ));
        }
        Ok(Self {
            key: HmacKey::new(HmacAlgorithm::Hs256, secret)?,
            period,
            clock: Arc::new(SystemClock),
        })
    }

    /// Nonces from a fresh random secret: for a single server instance.
    ///
    /// # Errors
    /// If the system random generator fails.
    pub fn generate(period: Duration) -> Result<Self> {
        Self::new(&crate::crypto::rand::bytes(32)?, period)
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn window(&self) -> u64 {
        let now = u64::try_from(self.clock.now().unix()).unwrap_or(0);
        now / self.period.as_secs().max(1)
    }

    fn input(window: u64) -> Vec<u8> {
        let mut input = DOMAIN.to_vec();
        input.extend_from_slice(&window.to_be_bytes());
        input
    }

    fn nonce_for(&self, window: u64) -> String {
        let mac = self.key.sign(&Self::input(window)).unwrap_or_default();
        let mut raw = window.to_be_bytes().to_vec();
        raw.extend_from_slice(&mac);
        base64url::encode(raw)
    }
}

impl NonceSource for RotatingNonces {
    fn current(&self) -> String {
        self.nonce_for(self.window())
    }

    fn accepts(&self, nonce: &str) -> bool {
        let Ok(raw) = base64url::decode(nonce) else {
            return false;
        };
        let Some((window, mac)) = raw.split_first_chunk::<8>() else {
            return false;
        };
        let window = u64::from_be_bytes(*window);
        let now = self.window();
        if window != now && window.checked_add(1) != Some(now) {
            return false;
        }
        // The MAC is compared in constant time by the HMAC verifier.
        self.key.verify(&Self::input(window), mac).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{FixedClock, NumericDate};

    fn at(t: i64) -> Arc<dyn Clock> {
        Arc::new(FixedClock(NumericDate::from_unix(t).unwrap()))
    }

    #[test]
    fn a_nonce_lives_one_to_two_periods() {
        let secret = [7u8; 32];
        let period = Duration::from_secs(60);
        let issued = RotatingNonces::new(&secret, period)
            .unwrap()
            .with_clock(at(6_000))
            .current();
        for (t, ok) in [
            (6_000, true),
            (6_059, true),
            (6_060, true),
            (6_119, true),
            (6_120, false),
            (5_999, false),
        ] {
            let n = RotatingNonces::new(&secret, period)
                .unwrap()
                .with_clock(at(t));
            assert_eq!(n.accepts(&issued), ok, "t = {t}");
        }
    }

    #[test]
    fn foreign_or_forged_nonces_are_refused() {
        let period = Duration::from_secs(60);
        let ours = RotatingNonces::new(&[1u8; 32], period)
            .unwrap()
            .with_clock(at(6_000));
        let theirs = RotatingNonces::new(&[2u8; 32], period)
            .unwrap()
            .with_clock(at(6_000));
        assert!(ours.accepts(&ours.current()));
        assert!(!ours.accepts(&theirs.current()));
        let mut forged = base64url::decode(ours.current()).unwrap();
        forged[12] ^= 1;
        assert!(!ours.accepts(&base64url::encode(&forged)));
        for junk in ["", "abc", "!!!!", &base64url::encode([0u8; 8])] {
            assert!(!ours.accepts(junk), "{junk:?}");
        }
        assert!(RotatingNonces::new(&[1u8; 16], period).is_err());
        assert!(RotatingNonces::new(&[1u8; 32], Duration::ZERO).is_err());
    }
}
