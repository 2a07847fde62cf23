//! Elliptic curves for the aws-lc provider: ECDSA on P-256, P-384, P-521 and secp256k1
//! (random nonces), point and scalar validation, ECDH with stored private keys on the NIST
//! curves and X25519.

use aws_lc_rs::agreement::{self, PrivateKey as AgreementKey};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, KeyPair as _};
use der::Decode as _;
use zeroize::Zeroizing;

use crate::crypto::ec::Curve;
use crate::crypto::keyfmt;
use crate::error::{Error, Result};

fn verification(curve: Curve) -> &'static sig::EcdsaVerificationAlgorithm {
    match curve {
        Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
        Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
        Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED,
        Curve::Secp256k1 => &sig::ECDSA_P256K1_SHA256_FIXED,
    }
}

fn signing(curve: Curve) -> &'static sig::EcdsaSigningAlgorithm {
    match curve {
        Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
        Curve::Secp256k1 => &sig::ECDSA_P256K1_SHA256_FIXED_SIGNING,
    }
}

/// The agreement algorithm of a curve ECDH-ES may use (RFC 7518 §4.6: the NIST curves).
fn agreement(curve: Curve) -> Option<&'static agreement::Algorithm> {
    match curve {
        Curve::P256 => Some(&agreement::ECDH_P256),
        Curve::P384 => Some(&agreement::ECDH_P384),
        Curve::P521 => Some(&agreement::ECDH_P521),
        Curve::Secp256k1 => None,
    }
}

/// Validates a SEC 1 point (compressed or uncompressed; never hybrid) and returns it
/// uncompressed. aws-lc parses the point onto the curve; a compressed point is expanded by
/// re-encoding the parsed key as a `SubjectPublicKeyInfo`, which aws-lc writes uncompressed.
pub(super) fn point(curve: Curve, sec1: &[u8]) -> Option<Vec<u8>> {
    let field = curve.field_len();
    let well_formed = match sec1.first() {
        Some(4) => sec1.len() == 1 + 2 * field,
        Some(2 | 3) => sec1.len() == 1 + field,
        _ => false,
    };
    if !well_formed {
        return None;
    }
    let parsed = sig::ParsedPublicKey::new(verification(curve), sec1).ok()?;
    if sec1.first() == Some(&4) {
        return Some(sec1.to_vec());
    }
    let der = AsDer::<aws_lc_rs::encoding::PublicKeyX509Der<'_>>::as_der(&parsed).ok()?;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der.as_ref()).ok()?;
    let bytes = spki.subject_public_key.as_bytes()?;
    (bytes.len() == 1 + 2 * field && bytes.first() == Some(&4)).then(|| bytes.to_vec())
}

/// The uncompressed public point of the scalar `d`; `None` if `d` is out of range.
pub(super) fn public_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>> {
    if d.len() != curve.field_len() {
        return None;
    }
    let der = keyfmt::sec1_private(curve, d).ok()?;
    let pair = EcdsaKeyPair::from_private_key_der(signing(curve), &der).ok()?;
    Some(pair.public_key().as_ref().to_vec())
}

pub(super) fn verify(curve: Curve, point: &[u8], msg: &[u8], signature: &[u8]) -> bool {
    sig::UnparsedPublicKey::new(verification(curve), point)
        .verify(msg, signature)
        .is_ok()
}

pub(super) fn ecdh(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let alg = agreement(curve)?;
    let private = AgreementKey::from_private_key(alg, d).ok()?;
    agreement::agree(
        &private,
        agreement::UnparsedPublicKey::new(alg, peer),
        (),
        |shared| Ok(Zeroizing::new(shared.to_vec())),
    )
    .ok()
}

/// An ephemeral agreement on `alg` with `peer`: the ephemeral public key and Z;
/// `refused` when the agreement fails.
pub(super) fn ephemeral(
    alg: &'static agreement::Algorithm,
    peer: &[u8],
    refused: Error,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    let private =
        agreement::EphemeralPrivateKey::generate(alg, &aws_lc_rs::rand::SystemRandom::new())
            .map_err(|_| Error::crypto("the system random generator failed"))?;
    let public = private
        .compute_public_key()
        .map_err(|_| Error::crypto("ecdh failed"))?
        .as_ref()
        .to_vec();
    let z = agreement::agree_ephemeral(
        private,
        agreement::UnparsedPublicKey::new(alg, peer),
        refused,
        |z| Ok(Zeroizing::new(z.to_vec())),
    )?;
    Ok((public, z))
}

/// The ECDH-ES sender's half on the NIST curves.
pub(super) fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    let alg = agreement(curve)
        .ok_or_else(|| Error::key(format!("ECDH-ES is not defined on {}", curve.name())))?;
    ephemeral(alg, peer, Error::crypto("ecdh failed"))
}

pub(super) fn x25519_public_key(d: &[u8; 32]) -> Option<[u8; 32]> {
    let private = AgreementKey::from_private_key(&agreement::X25519, d).ok()?;
    private.compute_public_key().ok()?.as_ref().try_into().ok()
}

pub(super) fn x25519_agree(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
    let private = AgreementKey::from_private_key(&agreement::X25519, d).ok()?;
    agreement::agree(
        &private,
        agreement::UnparsedPublicKey::new(&agreement::X25519, peer),
        (),
        |shared| Ok(Zeroizing::new(shared.to_vec())),
    )
    .ok()
}

/// A prepared ECDSA signing key.
pub(crate) struct SigningKey(EcdsaKeyPair, Curve);

impl SigningKey {
    pub(super) fn new(curve: Curve, d: &[u8], point: &[u8]) -> Result<Self> {
        EcdsaKeyPair::from_private_key_and_public_key(signing(curve), d, point)
            .map(|k| Self(k, curve))
            .map_err(|e| Error::key(format!("{} key: {e}", curve.name())))
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        let mut signature = self
            .0
            .sign(&aws_lc_rs::rand::SystemRandom::new(), msg)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| Error::SigningFailed("ecdsa signing failed".into()))?;
        if self.1 == Curve::Secp256k1 {
            low_s_secp256k1(&mut signature);
        }
        Ok(signature)
    }
}

/// The order n of secp256k1, big-endian.
const SECP256K1_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// n / 2 for secp256k1, big-endian: the largest low `s`.
const SECP256K1_HALF_N: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

/// Rewrites a fixed-length secp256k1 signature `r ‖ s` with `s > n/2` as `r ‖ n − s`, an
/// equally valid signature. The ring provider's signer (k256) writes low `s` only, and
/// Bitcoin-derived verifiers refuse high `s`; both providers now sign alike. (`s` is part of
/// the public signature: comparing it in variable time leaks nothing.)
fn low_s_secp256k1(signature: &mut [u8]) {
    let Some(s) = signature.get_mut(32..64) else {
        return;
    };
    if *s <= SECP256K1_HALF_N[..] {
        return;
    }
    let mut borrow = 0i16;
    for (byte, n) in s.iter_mut().zip(SECP256K1_N.iter()).rev() {
        let diff = i16::from(*n) - i16::from(*byte) - borrow;
        borrow = i16::from(diff < 0);
        *byte = (diff + (borrow << 8)) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_s_becomes_n_minus_s() {
        // s = n - 1 (high) becomes 1; s = n/2 (low) stays; s = n/2 + 1 becomes n/2.
        let mut sig = [0u8; 64];
        sig[32..].copy_from_slice(&SECP256K1_N);
        sig[63] -= 1;
        low_s_secp256k1(&mut sig);
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(sig[32..], one);

        sig[32..].copy_from_slice(&SECP256K1_HALF_N);
        low_s_secp256k1(&mut sig);
        assert_eq!(sig[32..], SECP256K1_HALF_N);

        let mut above = SECP256K1_HALF_N;
        above[31] += 1;
        sig[32..].copy_from_slice(&above);
        low_s_secp256k1(&mut sig);
        assert_eq!(sig[32..], SECP256K1_HALF_N);
    }

    #[test]
    fn secp256k1_signatures_are_low_s_and_verify() {
        let d = crate::crypto::ec::generate_scalar(Curve::Secp256k1).unwrap();
        let point = public_point(Curve::Secp256k1, &d).unwrap();
        let key = SigningKey::new(Curve::Secp256k1, &d, &point).unwrap();
        for i in 0..64u8 {
            let sig = key.sign(&[i]).unwrap();
            assert!(sig[32..] <= SECP256K1_HALF_N[..]);
            assert!(verify(Curve::Secp256k1, &point, &[i], &sig));
        }
    }
}
