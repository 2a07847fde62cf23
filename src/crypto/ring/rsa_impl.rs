//! RSA for ring's provider: signatures on ring (it verifies 2048–8192-bit moduli and signs
//! with two-prime 2048–4096-bit keys that carry all CRT values); RSAES-OAEP and the
//! consistency check of private keys, which ring lacks, on the `rsa` crate (constant-time
//! `crypto-bigint` arithmetic, blinded private operations). Key generation and CRT
//! recovery are shared with the other provider (`crypto::rustcrypto`).

use ring::signature::{self as sig, RsaKeyPair};

use crate::crypto::digest::Sha;
use crate::crypto::rsa::{RsaPrivateParts, RsaScheme};
use crate::crypto::rustcrypto::{rsa_parts_of, SystemRng};
use crate::crypto::{contain, strip_leading_zeros};
use crate::error::{Error, Result};

fn verification(scheme: RsaScheme) -> &'static sig::RsaParameters {
    match scheme {
        RsaScheme::Pkcs1(Sha::Sha256) => &sig::RSA_PKCS1_2048_8192_SHA256,
        RsaScheme::Pkcs1(Sha::Sha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        RsaScheme::Pkcs1(Sha::Sha512) => &sig::RSA_PKCS1_2048_8192_SHA512,
        RsaScheme::Pss(Sha::Sha256) => &sig::RSA_PSS_2048_8192_SHA256,
        RsaScheme::Pss(Sha::Sha384) => &sig::RSA_PSS_2048_8192_SHA384,
        RsaScheme::Pss(Sha::Sha512) => &sig::RSA_PSS_2048_8192_SHA512,
    }
}

fn signing(scheme: RsaScheme) -> &'static dyn sig::RsaEncoding {
    match scheme {
        RsaScheme::Pkcs1(Sha::Sha256) => &sig::RSA_PKCS1_SHA256,
        RsaScheme::Pkcs1(Sha::Sha384) => &sig::RSA_PKCS1_SHA384,
        RsaScheme::Pkcs1(Sha::Sha512) => &sig::RSA_PKCS1_SHA512,
        RsaScheme::Pss(Sha::Sha256) => &sig::RSA_PSS_SHA256,
        RsaScheme::Pss(Sha::Sha384) => &sig::RSA_PSS_SHA384,
        RsaScheme::Pss(Sha::Sha512) => &sig::RSA_PSS_SHA512,
    }
}

/// Verifies with the public key (`n`, `e`).
pub(super) fn verify(n: &[u8], e: &[u8], scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool {
    sig::RsaPublicKeyComponents { n, e }
        .verify(verification(scheme), msg, signature)
        .is_ok()
}

/// ring's prepared signing key.
pub(crate) struct SigningKey(RsaKeyPair);

impl SigningKey {
    pub(super) fn new(parts: &RsaPrivateParts) -> Result<Self> {
        RsaKeyPair::from_components(&ring::rsa::KeyPairComponents {
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
        .map(Self)
        .map_err(|e| Error::key(format!("rsa private key: {e}")))
    }

    pub(super) fn sign(&self, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.0.public().modulus_len()];
        self.0
            .sign(
                signing(scheme),
                &ring::rand::SystemRandom::new(),
                msg,
                &mut out,
            )
            .map_err(|_| Error::SigningFailed("rsa signing failed".into()))?;
        Ok(out)
    }
}

/// Checks that the parts of a two-prime private key belong together (the primes multiply
/// to `n`, `d` inverts `e`, and the given `dp`, `dq` and `qi` are the ones `p`, `q` and `d`
/// give) and returns the key as the `rsa` crate holds it. ring checks less at construction
/// (it verifies `dp` and `dq` only when signing), so every private key passes here first.
pub(super) fn consistent_private(parts: &RsaPrivateParts) -> Result<rsa::PrivateKey> {
    let p = parts.minimal();
    let from = |b: &[u8]| rsa::BoxedUint::from_be_slice_vartime(b);
    contain("rsa private key", || {
        let key = rsa::PrivateKey::from_components(
            from(&p.n),
            from(&p.e),
            from(&p.d),
            vec![from(&p.p), from(&p.q)],
        )
        .map_err(|e| Error::key(format!("rsa private key: {e}")))?;
        let computed = rsa_parts_of(&key)?;
        let same = |a: &[u8], b: &[u8]| -> bool {
            use subtle::ConstantTimeEq;
            let (a, b) = (strip_leading_zeros(a), strip_leading_zeros(b));
            a.len() == b.len() && bool::from(a.ct_eq(b))
        };
        if !(same(&computed.dp, &p.dp) && same(&computed.dq, &p.dq) && same(&computed.qi, &p.qi)) {
            return Err(Error::key(
                "rsa private key: dp, dq or qi do not belong to p, q and d",
            ));
        }
        Ok(key)
    })
}

/// Calls `$f` with the OAEP padding for `$sha` (RFC 7518 §4.3: SHA-1 for `RSA-OAEP`,
/// SHA-2 for the others; MGF1 uses the same hash). The padding types differ per hash and
/// the trait is not object safe, hence a macro.
macro_rules! with_oaep {
    ($sha:expr, |$p:ident| $body:expr) => {
        match $sha {
            None => {
                let $p = rsa::Oaep::<sha1::Sha1>::new();
                $body
            }
            Some(Sha::Sha256) => {
                let $p = rsa::Oaep::<sha2::Sha256>::new();
                $body
            }
            Some(Sha::Sha384) => {
                let $p = rsa::Oaep::<sha2::Sha384>::new();
                $body
            }
            Some(Sha::Sha512) => {
                let $p = rsa::Oaep::<sha2::Sha512>::new();
                $body
            }
        }
    };
}

/// An RSA public key for RSAES-OAEP encryption, built once.
pub(crate) struct OaepPublicKey(rsa::PublicKey);

impl OaepPublicKey {
    pub(super) fn new(n: &[u8], e: &[u8]) -> Result<Self> {
        let from = |b: &[u8]| rsa::BoxedUint::from_be_slice_vartime(b);
        contain("rsa public key", || {
            rsa::PublicKey::new_with_size_limits(
                from(n),
                from(e),
                crate::crypto::rsa::MIN_BITS..=crate::crypto::rsa::MAX_VERIFY_BITS,
            )
            .map(Self)
            .map_err(|e| Error::key(format!("rsa key: {e}")))
        })
    }

    pub(super) fn encrypt(&self, sha: Option<Sha>, msg: &[u8]) -> Result<Vec<u8>> {
        with_oaep!(sha, |p| self.0.encrypt(&mut SystemRng, p, msg))
            .map_err(|e| Error::crypto(format!("rsa-oaep encryption failed: {e}")))
    }
}

/// An RSA private key for RSAES-OAEP decryption, built once; decryption is blinded.
pub(crate) struct OaepPrivateKey(rsa::PrivateKey);

impl OaepPrivateKey {
    pub(super) fn new(parts: &RsaPrivateParts) -> Result<Self> {
        consistent_private(parts).map(Self)
    }

    /// RSAES-OAEP-DECRYPT (RFC 8017 §7.1.2) with an explicit label. The decoding is ours
    /// rather than the `rsa` crate's because that one ignores the leading octet `Y`, which
    /// step 3g requires to be zero; every check below runs in constant time and they are
    /// combined into one verdict.
    pub(super) fn decrypt(
        &self,
        sha: Option<Sha>,
        ciphertext: &[u8],
        label: &[u8],
    ) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        use rsa::traits::PublicKeyParts;
        use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
        let k = self.0.size();
        let h_len = sha.map_or(20, Sha::output_len);
        if ciphertext.len() != k || k < 2 * h_len + 2 {
            return None;
        }
        let c = rsa::BoxedUint::from_be_slice(ciphertext, self.0.n_bits_precision()).ok()?;
        let m = rsa::hazmat::rsa_decrypt_and_check(&self.0, Some(&mut SystemRng), &c).ok()?;
        let mut em = zeroize::Zeroizing::new(vec![0u8; k]);
        // `m` at the modulus' fixed width: its last k octets are EM (m < n), taken by length
        // alone. Stripping leading zeros instead would time whether Y is zero (Manger).
        let bytes = zeroize::Zeroizing::new(m.to_be_bytes());
        match bytes.len().checked_sub(k) {
            Some(extra) => em.copy_from_slice(bytes.get(extra..)?),
            None => em.get_mut(k - bytes.len()..)?.copy_from_slice(&bytes),
        }

        let (y, rest) = em.split_first_mut()?;
        let (masked_seed, masked_db) = rest.split_at_mut(h_len);
        let seed_mask = mgf1(sha, masked_db, h_len);
        for (s, m) in masked_seed.iter_mut().zip(seed_mask.iter()) {
            *s ^= m;
        }
        let db_mask = mgf1(sha, masked_seed, masked_db.len());
        for (d, m) in masked_db.iter_mut().zip(db_mask.iter()) {
            *d ^= m;
        }
        let l_hash = oaep_hash(sha, label);
        let (db_hash, ps_m) = masked_db.split_at(h_len);
        let mut good = y.ct_eq(&0) & db_hash.ct_eq(&l_hash);
        // PS is zero octets, then 0x01, then the message; find the 0x01 without branching.
        let mut looking = Choice::from(1);
        let mut index = 0u32;
        for (i, b) in ps_m.iter().enumerate() {
            let is_one = b.ct_eq(&1);
            let is_zero = b.ct_eq(&0);
            index.conditional_assign(&(i as u32), looking & is_one);
            good &= !(looking & !is_zero & !is_one);
            looking &= !is_one;
        }
        good &= !looking;
        if bool::from(good) {
            Some(zeroize::Zeroizing::new(ps_m[index as usize + 1..].to_vec()))
        } else {
            None
        }
    }
}

fn oaep_hash(sha: Option<Sha>, data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match sha {
        None => sha1::Sha1::digest(data).to_vec(),
        Some(sha) => sha.digest(data),
    }
}

/// MGF1 (RFC 8017 §B.2.1) with the OAEP hash.
fn mgf1(sha: Option<Sha>, seed: &[u8], len: usize) -> zeroize::Zeroizing<Vec<u8>> {
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(len + 64));
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut input = zeroize::Zeroizing::new(Vec::with_capacity(seed.len() + 4));
        input.extend_from_slice(seed);
        input.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&oaep_hash(sha, &input));
        counter += 1;
    }
    out.truncate(len);
    out
}
