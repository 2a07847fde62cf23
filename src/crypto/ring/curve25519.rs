//! Curve25519 for ring's provider: Ed25519 on ring (public keys are checked by the model,
//! `crypto::ed25519`); X25519 on `x25519-dalek` for both halves of ECDH-ES (ring's
//! agreement keys are ephemeral only).

use ring::signature::{self as sig, Ed25519KeyPair, KeyPair as _};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub(super) fn verify(public: &[u8; 32], msg: &[u8], signature: &[u8]) -> bool {
    sig::UnparsedPublicKey::new(&sig::ED25519, public)
        .verify(msg, signature)
        .is_ok()
}

/// ring's expanded Ed25519 key.
pub(crate) struct SigningKey(Ed25519KeyPair);

impl SigningKey {
    pub(super) fn new(seed: &[u8; 32]) -> Result<(Self, [u8; 32])> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| Error::key(format!("ed25519 key: {e}")))?;
        let public: [u8; 32] = pair
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| Error::key("ed25519 public key must be 32 bytes"))?;
        Ok((Self(pair), public))
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.0.sign(msg).as_ref().to_vec()
    }
}

/// The sender's ephemeral half on ring (its agreement keys are ephemeral only). ring
/// refuses an all-zero shared secret itself; that is reported like the model's check.
pub(super) fn x25519_ephemeral(peer: &[u8; 32]) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
    use ring::agreement;
    let private = agreement::EphemeralPrivateKey::generate(
        &agreement::X25519,
        &ring::rand::SystemRandom::new(),
    )
    .map_err(|_| Error::crypto("the system random generator failed"))?;
    let public: [u8; 32] = private
        .compute_public_key()
        .map_err(|_| Error::crypto("x25519 failed"))?
        .as_ref()
        .try_into()
        .map_err(|_| Error::crypto("x25519 public key must be 32 bytes"))?;
    let z = agreement::agree_ephemeral(
        private,
        &agreement::UnparsedPublicKey::new(&agreement::X25519, peer),
        |z| Zeroizing::new(z.to_vec()),
    )
    .map_err(|_| Error::key("the recipient's X25519 key is a small-order point"))?;
    Ok((public, z))
}

pub(super) fn x25519_public_key(d: &[u8; 32]) -> [u8; 32] {
    x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(*d)).to_bytes()
}

pub(super) fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
    let secret = x25519_dalek::StaticSecret::from(*d);
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(*peer));
    Some(Zeroizing::new(shared.as_bytes().to_vec()))
}
