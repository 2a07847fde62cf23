//! Elliptic-curve keys and ECDSA (FIPS 186-4, RFC 7518 §3.4).
//!
//! Points are validated when a key is built (on the curve, not the identity) with the
//! RustCrypto curve crates. ECDSA on P-256 and P-384 runs on ring (random nonces); on P-521
//! and secp256k1, which ring lacks, on `p521` and `k256` (RFC 6979 nonces). Signatures are
//! the fixed `r ‖ s` form JWS uses, never DER.

use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, PublicKey, SecretKey};
use ring::signature::{self as sig, EcdsaKeyPair};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A named curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
    Secp256k1,
}

impl Curve {
    /// The JWK `crv` name (RFC 7518 §6.2.1.1).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Secp256k1 => "secp256k1",
        }
    }

    pub(crate) const ALL: [Curve; 4] = [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1];

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Length of a field element and of a scalar in bytes.
    pub(crate) fn field_len(self) -> usize {
        match self {
            Curve::P256 | Curve::Secp256k1 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The curve's OID in SEC 1 / RFC 5480 key encodings.
    pub(crate) fn oid(self) -> &'static str {
        match self {
            Curve::P256 => "1.2.840.10045.3.1.7",
            Curve::P384 => "1.3.132.0.34",
            Curve::P521 => "1.3.132.0.35",
            Curve::Secp256k1 => "1.3.132.0.10",
        }
    }

    pub(crate) fn from_oid(oid: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == oid)
    }

    /// ring's ECDSA for this curve, where ring has one.
    fn ring_signing(self) -> Option<&'static sig::EcdsaSigningAlgorithm> {
        match self {
            Curve::P256 => Some(&sig::ECDSA_P256_SHA256_FIXED_SIGNING),
            Curve::P384 => Some(&sig::ECDSA_P384_SHA384_FIXED_SIGNING),
            Curve::P521 | Curve::Secp256k1 => None,
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
            Curve::P521 => uncompressed::<p521::NistP521>(bytes),
            Curve::Secp256k1 => uncompressed::<k256::Secp256k1>(bytes),
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

    /// Verifies a fixed-length `r ‖ s` ECDSA signature with the curve's hash (SHA-256,
    /// SHA-384, SHA-512, SHA-256).
    pub(crate) fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        use signature::Verifier as _;
        let ring = |alg: &'static sig::EcdsaVerificationAlgorithm| {
            sig::UnparsedPublicKey::new(alg, &self.point)
                .verify(msg, signature)
                .is_ok()
        };
        match self.curve {
            Curve::P256 => ring(&sig::ECDSA_P256_SHA256_FIXED),
            Curve::P384 => ring(&sig::ECDSA_P384_SHA384_FIXED),
            Curve::P521 => {
                let (Ok(key), Ok(sig)) = (
                    p521::ecdsa::VerifyingKey::from_sec1_bytes(&self.point),
                    p521::ecdsa::Signature::from_slice(signature),
                ) else {
                    return false;
                };
                key.verify(msg, &sig).is_ok()
            }
            Curve::Secp256k1 => {
                let (Ok(key), Ok(sig)) = (
                    k256::ecdsa::VerifyingKey::from_sec1_bytes(&self.point),
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
}

/// An EC private key: the scalar (zeroized on drop), its public point, and a signer.
pub(crate) struct EcPrivateKey {
    d: Zeroizing<Vec<u8>>,
    public: EcPublicKey,
    signer: EcdsaSigner,
}

enum EcdsaSigner {
    Ring(EcdsaKeyPair),
    P521(p521::ecdsa::SigningKey),
    Secp256k1(k256::ecdsa::SigningKey),
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
            Curve::P521 => public_of::<p521::NistP521>(d),
            Curve::Secp256k1 => public_of::<k256::Secp256k1>(d),
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
        let rejected = |e: &dyn std::fmt::Display| Error::key(format!("{} key: {e}", curve.name()));
        let signer = match (curve.ring_signing(), curve) {
            (Some(alg), _) => EcdsaSigner::Ring(
                EcdsaKeyPair::from_private_key_and_public_key(
                    alg,
                    d,
                    &public_key.point,
                    &ring::rand::SystemRandom::new(),
                )
                .map_err(|e| rejected(&e))?,
            ),
            (None, Curve::P521) => {
                EcdsaSigner::P521(p521::ecdsa::SigningKey::from_slice(d).map_err(|e| rejected(&e))?)
            }
            (None, _) => EcdsaSigner::Secp256k1(
                k256::ecdsa::SigningKey::from_slice(d).map_err(|e| rejected(&e))?,
            ),
        };
        Ok(Self {
            d: Zeroizing::new(d.to_vec()),
            public: public_key,
            signer,
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
        use signature::Signer as _;
        let failed = |_| Error::SigningFailed("ecdsa signing failed".into());
        match &self.signer {
            EcdsaSigner::Ring(pair) => pair
                .sign(&ring::rand::SystemRandom::new(), msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::SigningFailed("ecdsa signing failed".into())),
            EcdsaSigner::P521(key) => {
                let sig: p521::ecdsa::Signature = key.try_sign(msg).map_err(failed)?;
                Ok(sig.to_bytes().to_vec())
            }
            EcdsaSigner::Secp256k1(key) => {
                let sig: k256::ecdsa::Signature = key.try_sign(msg).map_err(failed)?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }
}

/// A new random private scalar for `curve`, by rejection sampling from the system RNG.
pub(crate) fn generate_scalar(curve: Curve) -> Result<Zeroizing<Vec<u8>>> {
    let mut d = Zeroizing::new(vec![0u8; curve.field_len()]);
    // Each try succeeds with probability above 1/2 (P-521's order is just below 2^521),
    // so 128 failures in a row mean the RNG is broken.
    for _ in 0..128 {
        super::rand::fill(&mut d)?;
        if curve == Curve::P521 {
            d[0] &= 0x01; // 521 bits
        }
        let valid = match curve {
            Curve::P256 => SecretKey::<p256::NistP256>::from_slice(&d).is_ok(),
            Curve::P384 => SecretKey::<p384::NistP384>::from_slice(&d).is_ok(),
            Curve::P521 => SecretKey::<p521::NistP521>::from_slice(&d).is_ok(),
            Curve::Secp256k1 => SecretKey::<k256::Secp256k1>::from_slice(&d).is_ok(),
        };
        if valid {
            return Ok(d);
        }
    }
    Err(Error::crypto("the system random generator failed"))
}
