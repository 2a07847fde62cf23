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

/// An ephemeral agreement on `alg` with `peer`: the ephemeral public key and Z.
pub(super) fn ephemeral(
    alg: &'static agreement::Algorithm,
    peer: &[u8],
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
        Error::key("the recipient's key does not agree (small-order or invalid point)"),
        |z| Ok(Zeroizing::new(z.to_vec())),
    )?;
    Ok((public, z))
}

/// The ECDH-ES sender's half on the NIST curves.
pub(super) fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    let alg = agreement(curve)
        .ok_or_else(|| Error::key(format!("ECDH-ES is not defined on {}", curve.name())))?;
    ephemeral(alg, peer)
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
pub(crate) struct SigningKey(EcdsaKeyPair);

impl SigningKey {
    pub(super) fn new(curve: Curve, d: &[u8], point: &[u8]) -> Result<Self> {
        EcdsaKeyPair::from_private_key_and_public_key(signing(curve), d, point)
            .map(Self)
            .map_err(|e| Error::key(format!("{} key: {e}", curve.name())))
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        self.0
            .sign(&aws_lc_rs::rand::SystemRandom::new(), msg)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| Error::SigningFailed("ecdsa signing failed".into()))
    }
}
