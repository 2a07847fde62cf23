//! Elliptic curves for ring's provider: ECDSA on P-256 and P-384 on ring (random nonces);
//! on P-521 and secp256k1, which ring lacks, on `p521` and `k256` (RFC 6979 nonces). Point
//! and scalar validation and ECDH on the RustCrypto curve crates, one implementation per
//! curve for both halves of the agreement (ring's agreement keys are ephemeral only).

use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, PublicKey, SecretKey};
use ring::signature::{self as sig, EcdsaKeyPair};
use zeroize::Zeroizing;

use crate::crypto::ec::Curve;
use crate::error::{Error, Result};

/// Validates a SEC 1 point on curve `C` and returns it uncompressed.
fn uncompressed<C>(bytes: &[u8]) -> Option<Vec<u8>>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    let key = PublicKey::<C>::from_sec1_bytes(bytes).ok()?;
    Some(key.as_affine().to_sec1_point(false).as_bytes().to_vec())
}

/// The uncompressed public point of the scalar `d` on curve `C`.
fn public_of<C>(d: &[u8]) -> Option<Vec<u8>>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    let secret = SecretKey::<C>::from_slice(d).ok()?;
    Some(
        secret
            .public_key()
            .as_affine()
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
    )
}

fn agree<C>(d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    let secret = SecretKey::<C>::from_slice(d).ok()?;
    let public = PublicKey::<C>::from_sec1_bytes(peer).ok()?;
    let shared =
        elliptic_curve::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
    Some(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
}

pub(super) fn point(curve: Curve, sec1: &[u8]) -> Option<Vec<u8>> {
    match curve {
        Curve::P256 => uncompressed::<p256::NistP256>(sec1),
        Curve::P384 => uncompressed::<p384::NistP384>(sec1),
        Curve::P521 => uncompressed::<p521::NistP521>(sec1),
        Curve::Secp256k1 => uncompressed::<k256::Secp256k1>(sec1),
    }
}

pub(super) fn public_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>> {
    match curve {
        Curve::P256 => public_of::<p256::NistP256>(d),
        Curve::P384 => public_of::<p384::NistP384>(d),
        Curve::P521 => public_of::<p521::NistP521>(d),
        Curve::Secp256k1 => public_of::<k256::Secp256k1>(d),
    }
}

pub(super) fn ecdh(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    match curve {
        Curve::P256 => agree::<p256::NistP256>(d, peer),
        Curve::P384 => agree::<p384::NistP384>(d, peer),
        Curve::P521 => agree::<p521::NistP521>(d, peer),
        // RFC 7518 defines ECDH-ES on the NIST curves only; the model refuses it before.
        Curve::Secp256k1 => None,
    }
}

/// The sender's ephemeral half on ring where ring has the curve (P-256, P-384: its
/// agreement keys are ephemeral only, which is exactly this use); P-521 on the composition.
pub(super) fn ecdh_ephemeral(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    use ring::agreement;
    let alg = match curve {
        Curve::P256 => &agreement::ECDH_P256,
        Curve::P384 => &agreement::ECDH_P384,
        Curve::P521 | Curve::Secp256k1 => {
            return crate::crypto::provider::ecdh_ephemeral_composed::<super::Ring>(curve, peer)
        }
    };
    let private = agreement::EphemeralPrivateKey::generate(alg, &ring::rand::SystemRandom::new())
        .map_err(|_| Error::crypto("the system random generator failed"))?;
    let public = private
        .compute_public_key()
        .map_err(|_| Error::crypto("ecdh failed"))?
        .as_ref()
        .to_vec();
    let z = agreement::agree_ephemeral(
        private,
        &agreement::UnparsedPublicKey::new(alg, peer),
        |z| Zeroizing::new(z.to_vec()),
    )
    .map_err(|_| Error::crypto("ecdh failed"))?;
    Ok((public, z))
}

pub(super) fn verify(curve: Curve, point: &[u8], msg: &[u8], signature: &[u8]) -> bool {
    use signature::Verifier as _;
    let ring = |alg: &'static sig::EcdsaVerificationAlgorithm| {
        sig::UnparsedPublicKey::new(alg, point)
            .verify(msg, signature)
            .is_ok()
    };
    match curve {
        Curve::P256 => ring(&sig::ECDSA_P256_SHA256_FIXED),
        Curve::P384 => ring(&sig::ECDSA_P384_SHA384_FIXED),
        Curve::P521 => {
            let (Ok(key), Ok(sig)) = (
                p521::ecdsa::VerifyingKey::from_sec1_bytes(point),
                p521::ecdsa::Signature::from_slice(signature),
            ) else {
                return false;
            };
            key.verify(msg, &sig).is_ok()
        }
        Curve::Secp256k1 => {
            let (Ok(key), Ok(sig)) = (
                k256::ecdsa::VerifyingKey::from_sec1_bytes(point),
                k256::ecdsa::Signature::from_slice(signature),
            ) else {
                return false;
            };
            // RFC 8812 does not require low-S; k256 does, and (r, s) verifies exactly
            // when (r, n - s) does, so normalizing accepts what the RFC accepts.
            key.verify(msg, &sig.normalize_s()).is_ok()
        }
    }
}

/// A prepared ECDSA signing key.
pub(crate) enum SigningKey {
    Ring(EcdsaKeyPair),
    P521(p521::ecdsa::SigningKey),
    Secp256k1(k256::ecdsa::SigningKey),
}

impl SigningKey {
    pub(super) fn new(curve: Curve, d: &[u8], point: &[u8]) -> Result<Self> {
        let rejected = |e: &dyn std::fmt::Display| Error::key(format!("{} key: {e}", curve.name()));
        let ring = |alg: &'static sig::EcdsaSigningAlgorithm| {
            EcdsaKeyPair::from_private_key_and_public_key(
                alg,
                d,
                point,
                &ring::rand::SystemRandom::new(),
            )
            .map(Self::Ring)
            .map_err(|e| rejected(&e))
        };
        match curve {
            Curve::P256 => ring(&sig::ECDSA_P256_SHA256_FIXED_SIGNING),
            Curve::P384 => ring(&sig::ECDSA_P384_SHA384_FIXED_SIGNING),
            Curve::P521 => p521::ecdsa::SigningKey::from_slice(d)
                .map(Self::P521)
                .map_err(|e| rejected(&e)),
            Curve::Secp256k1 => k256::ecdsa::SigningKey::from_slice(d)
                .map(Self::Secp256k1)
                .map_err(|e| rejected(&e)),
        }
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        use signature::Signer as _;
        let failed = |_| Error::SigningFailed("ecdsa signing failed".into());
        match self {
            Self::Ring(pair) => pair
                .sign(&ring::rand::SystemRandom::new(), msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::SigningFailed("ecdsa signing failed".into())),
            Self::P521(key) => {
                let sig: p521::ecdsa::Signature = key.try_sign(msg).map_err(failed)?;
                Ok(sig.to_bytes().to_vec())
            }
            Self::Secp256k1(key) => {
                let sig: k256::ecdsa::Signature = key.try_sign(msg).map_err(failed)?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }
}
