//! Elliptic-curve keys and ECDSA (FIPS 186-4, RFC 7518 §3.4), over the active provider.
//!
//! Points are validated when a key is built (on the curve, not the identity) and kept
//! uncompressed; coordinates and scalars must have exactly the curve's field length.
//! Signatures are the fixed `r ‖ s` form JWS uses, never DER.

use zeroize::Zeroizing;

use super::{Active, Provider};
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

    /// The curves ECDH-ES agrees on (RFC 7518 §4.6; secp256k1 is registered for ECDSA
    /// only). The model refuses any other curve before the provider sees it.
    pub(crate) const AGREEMENT: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];

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
        // SEC 1 §2.3.3 forms only, checked here so that every provider refuses the same
        // inputs (hybrid 0x06/0x07 and non-standard "compact" 0x05 points included).
        let field = curve.field_len();
        let sec1_form = match bytes.first() {
            Some(4) => bytes.len() == 1 + 2 * field,
            Some(2 | 3) => bytes.len() == 1 + field,
            _ => false,
        };
        if !sec1_form {
            return Err(Error::key(format!(
                "not a SEC 1 point on {} (0x04 and both coordinates, or 0x02/0x03 and x)",
                curve.name()
            )));
        }
        let point = Active::ec_point(curve, bytes)
            .filter(|p| p.len() == 1 + 2 * curve.field_len())
            .ok_or_else(|| Error::key(format!("not a valid point on {}", curve.name())))?;
        Ok(Self { curve, point })
    }

    /// A point the active provider computed itself (an ephemeral ECDH-ES key): only its
    /// form is checked, it is on the curve by construction.
    pub(crate) fn from_computed(curve: Curve, point: Vec<u8>) -> Result<Self> {
        if point.len() != 1 + 2 * curve.field_len() || point.first() != Some(&4) {
            return Err(Error::crypto(format!(
                "the provider returned a malformed {} point",
                curve.name()
            )));
        }
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
    // The point is `0x04 ‖ x ‖ y`, its length checked when built.
    pub(crate) fn x(&self) -> &[u8] {
        self.point
            .get(1..1 + self.curve.field_len())
            .unwrap_or_default()
    }
    pub(crate) fn y(&self) -> &[u8] {
        self.point
            .get(1 + self.curve.field_len()..)
            .unwrap_or_default()
    }
    pub(crate) fn sec1_uncompressed(&self) -> &[u8] {
        &self.point
    }

    /// Verifies a fixed-length `r ‖ s` ECDSA signature with the curve's hash (SHA-256,
    /// SHA-384, SHA-512, SHA-256).
    pub(crate) fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        Active::ecdsa_verify(self.curve, &self.point, msg, signature)
    }
}

/// An EC private key: the scalar (zeroized on drop), its public point, and a signer.
pub(crate) struct EcPrivateKey {
    d: Zeroizing<Vec<u8>>,
    public: EcPublicKey,
    signer: <Active as Provider>::EcdsaSigningKey,
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
        let computed = Active::ec_public_point(curve, d)
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
        let signer = Active::ecdsa_signing_key(curve, d, &public_key.point)?;
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
        Active::ecdsa_sign(&self.signer, msg)
    }
}

/// A new random private scalar for `curve`, by rejection sampling from the system RNG.
pub(crate) fn generate_scalar(curve: Curve) -> Result<Zeroizing<Vec<u8>>> {
    generate_scalar_with::<Active>(curve).map(|(d, _)| d)
}

/// A random scalar in range for `curve` and its uncompressed public point, on provider `P`.
pub(crate) fn generate_scalar_with<P: Provider>(
    curve: Curve,
) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
    let mut d = Zeroizing::new(vec![0u8; curve.field_len()]);
    // Each try succeeds with probability above 1/2 (P-521's order is just below 2^521),
    // so 128 failures in a row mean the RNG is broken.
    for _ in 0..128 {
        P::fill_random(&mut d)?;
        if curve == Curve::P521 {
            if let Some(top) = d.first_mut() {
                *top &= 0x01; // 521 bits
            }
        }
        if let Some(public) = P::ec_public_point(curve, &d) {
            return Ok((d, public));
        }
    }
    Err(Error::crypto("the system random generator failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the SEC 1 forms reach a provider: every provider refuses the same bytes.
    #[test]
    fn only_sec1_forms_are_points() {
        let d = generate_scalar(Curve::P256).unwrap();
        let point = Active::ec_public_point(Curve::P256, &d).unwrap();
        let key = EcPublicKey::from_sec1(Curve::P256, &point).unwrap();
        // Compressed form of the same point.
        let mut compressed = vec![2 + (point[64] & 1)];
        compressed.extend_from_slice(&point[1..33]);
        assert!(EcPublicKey::from_sec1(Curve::P256, &compressed).unwrap() == key);
        // Hybrid (0x06/0x07), "compact" (0x05, x only), identity, truncated, trailing bytes.
        let mut hybrid = point.clone();
        hybrid[0] = 6 + (point[64] & 1);
        let mut compact = compressed.clone();
        compact[0] = 5;
        let mut trailing = point.clone();
        trailing.push(0);
        for bad in [
            hybrid,
            compact,
            vec![0],
            point[..64].to_vec(),
            trailing,
            Vec::new(),
        ] {
            assert!(
                EcPublicKey::from_sec1(Curve::P256, &bad).is_err(),
                "{bad:02x?}"
            );
        }
    }
}
