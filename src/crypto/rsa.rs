//! RSA signatures (RFC 8017 RSASSA-PKCS1-v1_5 and RSASSA-PSS), through ring.
//!
//! ring verifies with moduli of 2048 to 8192 bits and signs with two-prime keys of 2048 to
//! 4096 bits that carry all CRT parameters and e ≥ 65537. josecraft refuses other keys when
//! they are built, with a message saying why, rather than at first use.

use ring::signature::{self as sig, RsaKeyPair};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::digest::Sha;
use super::{bit_len, strip_leading_zeros};
use crate::error::{Error, Result};

/// Smallest modulus accepted for any use (RFC 7518 §3.3, §3.5).
pub(crate) const MIN_BITS: usize = 2048;
/// Largest modulus accepted for verification (ring's limit).
pub(crate) const MAX_VERIFY_BITS: usize = 8192;
/// Largest modulus ring can sign with.
pub(crate) const MAX_SIGN_BITS: usize = 4096;

/// An RSA signature scheme with its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RsaScheme {
    Pkcs1(Sha),
    Pss(Sha),
}

impl RsaScheme {
    fn verification(self) -> &'static sig::RsaParameters {
        match self {
            Self::Pkcs1(Sha::Sha256) => &sig::RSA_PKCS1_2048_8192_SHA256,
            Self::Pkcs1(Sha::Sha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
            Self::Pkcs1(Sha::Sha512) => &sig::RSA_PKCS1_2048_8192_SHA512,
            Self::Pss(Sha::Sha256) => &sig::RSA_PSS_2048_8192_SHA256,
            Self::Pss(Sha::Sha384) => &sig::RSA_PSS_2048_8192_SHA384,
            Self::Pss(Sha::Sha512) => &sig::RSA_PSS_2048_8192_SHA512,
        }
    }

    fn signing(self) -> &'static dyn sig::RsaEncoding {
        match self {
            Self::Pkcs1(Sha::Sha256) => &sig::RSA_PKCS1_SHA256,
            Self::Pkcs1(Sha::Sha384) => &sig::RSA_PKCS1_SHA384,
            Self::Pkcs1(Sha::Sha512) => &sig::RSA_PKCS1_SHA512,
            Self::Pss(Sha::Sha256) => &sig::RSA_PSS_SHA256,
            Self::Pss(Sha::Sha384) => &sig::RSA_PSS_SHA384,
            Self::Pss(Sha::Sha512) => &sig::RSA_PSS_SHA512,
        }
    }
}

/// An RSA public key, checked once when built.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RsaPublicKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl RsaPublicKey {
    /// Builds a public key from big-endian `n` and `e` (leading zeros are ignored).
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = bit_len(n);
        if bits < MIN_BITS {
            return Err(Error::key(format!(
                "rsa modulus of {bits} bits is too small (at least {MIN_BITS})"
            )));
        }
        if bits > MAX_VERIFY_BITS {
            return Err(Error::key(format!(
                "rsa modulus of {bits} bits is too large (at most {MAX_VERIFY_BITS})"
            )));
        }
        if n.last().is_some_and(|b| b & 1 == 0) {
            return Err(Error::key("rsa modulus is even"));
        }
        // ring accepts 3 ≤ e < 2^33, odd; e = 1 would make every signature its own message.
        let e_bits = bit_len(e);
        if !(2..=33).contains(&e_bits) || e.last().is_some_and(|b| b & 1 == 0) {
            return Err(Error::key(
                "rsa public exponent must be odd, at least 3 and below 2^33",
            ));
        }
        if has_roca_fingerprint(n) {
            return Err(Error::key(
                "rsa modulus has the ROCA fingerprint (CVE-2017-15361): the private key can be computed from it",
            ));
        }
        Ok(Self {
            n: n.to_vec(),
            e: e.to_vec(),
        })
    }

    pub(crate) fn n(&self) -> &[u8] {
        &self.n
    }
    pub(crate) fn e(&self) -> &[u8] {
        &self.e
    }
    pub(crate) fn bits(&self) -> usize {
        bit_len(&self.n)
    }

    pub(crate) fn verify(&self, scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool {
        sig::RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(scheme.verification(), msg, signature)
        .is_ok()
    }
}

/// The big-endian components of a two-prime RSA private key (RFC 8017 §3.2, RFC 7518
/// §6.3.2). Zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct RsaPrivateParts {
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
    pub(crate) d: Vec<u8>,
    pub(crate) p: Vec<u8>,
    pub(crate) q: Vec<u8>,
    pub(crate) dp: Vec<u8>,
    pub(crate) dq: Vec<u8>,
    pub(crate) qi: Vec<u8>,
}

impl RsaPrivateParts {
    /// The same parts without leading zero bytes, as ring and RFC 7518 want them.
    pub(crate) fn minimal(&self) -> Self {
        let s = |v: &Vec<u8>| strip_leading_zeros(v).to_vec();
        Self {
            n: s(&self.n),
            e: s(&self.e),
            d: s(&self.d),
            p: s(&self.p),
            q: s(&self.q),
            dp: s(&self.dp),
            dq: s(&self.dq),
            qi: s(&self.qi),
        }
    }
}

/// An RSA private key that can sign, with its parts kept for export.
pub(crate) struct RsaPrivateKey {
    pair: RsaKeyPair,
    parts: RsaPrivateParts,
    public: RsaPublicKey,
}

impl RsaPrivateKey {
    pub(crate) fn new(parts: &RsaPrivateParts) -> Result<Self> {
        let parts = parts.minimal();
        let public = RsaPublicKey::new(&parts.n, &parts.e)?;
        let bits = public.bits();
        if bits > MAX_SIGN_BITS {
            return Err(Error::key(format!(
                "rsa signing keys of {bits} bits are not supported (at most {MAX_SIGN_BITS})"
            )));
        }
        let pair = RsaKeyPair::from_components(&ring::rsa::KeyPairComponents {
            public_key: ring::rsa::PublicKeyComponents {
                n: &parts.n,
                e: &parts.e,
            },
            d: &parts.d,
            p: &parts.p,
            q: &parts.q,
            dP: &parts.dp,
            dQ: &parts.dq,
            qInv: &parts.qi,
        })
        .map_err(|e| Error::key(format!("rsa private key: {e}")))?;
        Ok(Self {
            pair,
            parts,
            public,
        })
    }

    pub(crate) fn public(&self) -> &RsaPublicKey {
        &self.public
    }

    pub(crate) fn parts(&self) -> &RsaPrivateParts {
        &self.parts
    }

    pub(crate) fn sign(&self, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                scheme.signing(),
                &ring::rand::SystemRandom::new(),
                msg,
                &mut out,
            )
            .map_err(|_| Error::SigningFailed("rsa signing failed".into()))?;
        Ok(out)
    }
}

/// The small primes of the ROCA detector (Nemec et al., CCS 2017). A modulus made by the
/// vulnerable Infineon library is, modulo each of them, a power of 65537.
const ROCA_PRIMES: [u32; 38] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
];

/// Whether `n` has the fingerprint of ROCA-vulnerable keys: for every prime `p` above,
/// `n mod p` lies in the subgroup generated by 65537. A random modulus passes all 38 tests
/// with negligible probability.
pub(crate) fn has_roca_fingerprint(n: &[u8]) -> bool {
    ROCA_PRIMES.iter().all(|&p| {
        let r = n
            .iter()
            .fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % p);
        let g = 65537 % p;
        let mut x = 1;
        loop {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                return false;
            }
        }
    })
}

fn trimmed(v: &rsa::BoxedUint) -> Vec<u8> {
    v.to_be_bytes_trimmed_vartime().to_vec()
}

fn parts_of(key: &rsa::PrivateKey) -> Result<RsaPrivateParts> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let missing = || Error::key("rsa key without two primes and CRT values");
    let [p, q] = key.primes() else {
        return Err(missing());
    };
    Ok(RsaPrivateParts {
        n: key.n_bytes().to_vec(),
        e: key.e_bytes().to_vec(),
        d: trimmed(key.d()),
        p: trimmed(p.as_ref()),
        q: trimmed(q.as_ref()),
        dp: trimmed(key.dp().ok_or_else(missing)?),
        dq: trimmed(key.dq().ok_or_else(missing)?),
        qi: trimmed(&key.crt_coefficient().ok_or_else(missing)?),
    }
    .minimal())
}

/// Recovers the primes and CRT values of a key given only `n`, `e` and `d` (NIST SP
/// 800-56B Rev. 2 Appendix C.2), as RFC 7518 §6.3.2 allows a JWK to omit them.
pub(crate) fn recover_crt(n: &[u8], e: &[u8], d: &[u8]) -> Result<RsaPrivateParts> {
    let from = |b: &[u8]| rsa::BoxedUint::from_be_slice_vartime(strip_leading_zeros(b));
    let key = rsa::PrivateKey::from_components(from(n), from(e), from(d), Vec::new())
        .map_err(|e| Error::key(format!("rsa private key without CRT values: {e}")))?;
    parts_of(&key)
}

/// A new two-prime RSA key with e = 65537.
pub(crate) fn generate(bits: usize) -> Result<RsaPrivateParts> {
    if !(MIN_BITS..=MAX_SIGN_BITS).contains(&bits) || !bits.is_multiple_of(8) {
        return Err(Error::unsupported(format!(
            "generating {bits}-bit rsa keys (2048 to 4096, a multiple of 8)"
        )));
    }
    let key = rsa::PrivateKey::new(&mut super::rand::SystemRng, bits)
        .map_err(|e| Error::unsupported(format!("rsa key generation failed: {e}")))?;
    parts_of(&key)
}
