//! Elliptic-curve keys and ECDSA (FIPS 186-4, RFC 7518 §3.4).
//!
//! Points are validated when a key is built (on the curve, not the identity) with the
//! RustCrypto curve crates; ECDSA on P-256 and P-384 runs on ring. Signatures are the fixed
//! `r ‖ s` form JWS uses, never DER.

use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, PublicKey, SecretKey};
use ring::signature::{self as sig, EcdsaKeyPair, KeyPair as _};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A named curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    P256,
    P384,
}

impl Curve {
    /// The JWK `crv` name (RFC 7518 §6.2.1.1).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            _ => None,
        }
    }

    /// Length of a field element and of a scalar in bytes.
    pub(crate) fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
        }
    }

    /// The curve's OID in SEC 1 / RFC 5480 key encodings.
    pub(crate) fn oid(self) -> &'static str {
        match self {
            Curve::P256 => "1.2.840.10045.3.1.7",
            Curve::P384 => "1.3.132.0.34",
        }
    }

    pub(crate) fn from_oid(oid: &str) -> Option<Self> {
        [Curve::P256, Curve::P384]
            .into_iter()
            .find(|c| c.oid() == oid)
    }

    fn ring_signing(self) -> &'static sig::EcdsaSigningAlgorithm {
        match self {
            Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        }
    }

    fn ring_verification(self) -> &'static sig::EcdsaVerificationAlgorithm {
        match self {
            Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
            Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
        }
    }
}

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

/// A validated public point.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct EcPublicKey {
    curve: Curve,
    /// `0x04 ‖ x ‖ y`.
    point: Vec<u8>,
}

impl EcPublicKey {
    /// From a SEC 1 encoded point, compressed or not.
    pub(crate) fn from_sec1(curve: Curve, bytes: &[u8]) -> Result<Self> {
        let point = match curve {
            Curve::P256 => uncompressed::<p256::NistP256>(bytes),
            Curve::P384 => uncompressed::<p384::NistP384>(bytes),
        }
        .ok_or_else(|| Error::key(format!("not a valid point on {}", curve.name())))?;
        Ok(Self { curve, point })
    }

    /// From affine coordinates, each exactly the curve's field length (RFC 7518 §6.2.1.2).
    pub(crate) fn from_coordinates(curve: Curve, x: &[u8], y: &[u8]) -> Result<Self> {
        let len = curve.field_len();
        if x.len() != len || y.len() != len {
            return Err(Error::key(format!(
                "{} coordinates must be {len} bytes each",
                curve.name()
            )));
        }
        let mut sec1 = Vec::with_capacity(1 + 2 * len);
        sec1.push(4);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        Self::from_sec1(curve, &sec1)
    }

    pub(crate) fn curve(&self) -> Curve {
        self.curve
    }
    pub(crate) fn x(&self) -> &[u8] {
        &self.point[1..1 + self.curve.field_len()]
    }
    pub(crate) fn y(&self) -> &[u8] {
        &self.point[1 + self.curve.field_len()..]
    }
    pub(crate) fn sec1_uncompressed(&self) -> &[u8] {
        &self.point
    }

    /// Verifies a fixed-length `r ‖ s` ECDSA signature with the curve's hash.
    pub(crate) fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        sig::UnparsedPublicKey::new(self.curve.ring_verification(), &self.point)
            .verify(msg, signature)
            .is_ok()
    }
}

/// An EC private key: the scalar (zeroized on drop), its public point, and a signer.
pub(crate) struct EcPrivateKey {
    d: Zeroizing<Vec<u8>>,
    public: EcPublicKey,
    pair: EcdsaKeyPair,
}

impl EcPrivateKey {
    /// From the private scalar `d` (big-endian, exactly the field length) and, if known,
    /// the public point, which must then belong to `d`.
    pub(crate) fn new(curve: Curve, d: &[u8], public: Option<&[u8]>) -> Result<Self> {
        let len = curve.field_len();
        if d.len() != len {
            return Err(Error::key(format!(
                "{} private key must be {len} bytes",
                curve.name()
            )));
        }
        let computed = match curve {
            Curve::P256 => public_of::<p256::NistP256>(d),
            Curve::P384 => public_of::<p384::NistP384>(d),
        }
        .ok_or_else(|| Error::key(format!("not a valid {} private key", curve.name())))?;
        let public_key = EcPublicKey::from_sec1(curve, &computed)?;
        if let Some(given) = public {
            let given = EcPublicKey::from_sec1(curve, given)?;
            if given != public_key {
                return Err(Error::key(format!(
                    "{} public key does not belong to the private key",
                    curve.name()
                )));
            }
        }
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            curve.ring_signing(),
            d,
            &public_key.point,
            &ring::rand::SystemRandom::new(),
        )
        .map_err(|e| Error::key(format!("{} key: {e}", curve.name())))?;
        debug_assert_eq!(pair.public_key().as_ref(), public_key.point.as_slice());
        Ok(Self {
            d: Zeroizing::new(d.to_vec()),
            public: public_key,
            pair,
        })
    }

    pub(crate) fn curve(&self) -> Curve {
        self.public.curve
    }
    pub(crate) fn public(&self) -> &EcPublicKey {
        &self.public
    }
    pub(crate) fn d(&self) -> &[u8] {
        &self.d
    }

    /// Signs with the curve's hash; `r ‖ s` output.
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        self.pair
            .sign(&ring::rand::SystemRandom::new(), msg)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| Error::SigningFailed("ecdsa signing failed".into()))
    }
}
