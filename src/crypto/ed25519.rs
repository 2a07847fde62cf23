//! Ed25519 keys (RFC 8032, RFC 8037), over the active provider.

use zeroize::Zeroizing;

use super::{Active, Provider};
use crate::error::{Error, Result};

/// An Ed25519 public key (32 bytes): a canonical encoding of a curve point that is not of
/// small order.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Ed25519PublicKey([u8; 32]);

impl Ed25519PublicKey {
    pub(crate) fn new(bytes: &[u8]) -> Result<Self> {
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::key("ed25519 public key must be 32 bytes"))?;
        if !is_valid_public_key(&bytes) {
            return Err(Error::key(
                "ed25519 public key is not a canonically encoded curve point of large order",
            ));
        }
        Ok(Self(bytes))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub(crate) fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        Active::ed25519_verify(&self.0, msg, signature)
    }
}

/// RFC 8032 §5.1.3: the encoding must decode to a point on the curve, canonically; and a
/// small-order key makes signatures that verify for many messages (SECURITY A5). Checked
/// here, whatever the provider: some (ring among them) accept such keys.
fn is_valid_public_key(bytes: &[u8; 32]) -> bool {
    let Some(point) = curve25519_dalek::edwards::CompressedEdwardsY(*bytes).decompress() else {
        return false;
    };
    point.compress().0 == *bytes && !point.is_small_order()
}

/// An Ed25519 private key: the 32-byte seed (zeroized on drop) and the provider's key.
pub(crate) struct Ed25519PrivateKey {
    seed: Zeroizing<[u8; 32]>,
    public: Ed25519PublicKey,
    key: <Active as Provider>::Ed25519SigningKey,
}

impl Ed25519PrivateKey {
    /// From the 32-byte seed (the JWK `d`) and, if known, the public key, which must then
    /// belong to the seed.
    pub(crate) fn new(seed: &[u8], public: Option<&[u8]>) -> Result<Self> {
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
            seed.try_into()
                .map_err(|_| Error::key("ed25519 private key must be 32 bytes"))?,
        );
        let (key, computed) = Active::ed25519_signing_key(&seed)?;
        if public.is_some_and(|given| given != computed) {
            return Err(Error::key(
                "ed25519 public key does not belong to the private key",
            ));
        }
        let public = Ed25519PublicKey::new(&computed)?;
        Ok(Self { seed, public, key })
    }

    pub(crate) fn seed(&self) -> &[u8; 32] {
        &self.seed
    }
    pub(crate) fn public(&self) -> &Ed25519PublicKey {
        &self.public
    }

    pub(crate) fn sign(&self, msg: &[u8]) -> Vec<u8> {
        Active::ed25519_sign(&self.key, msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Wycheproof Ed25519 (through the provider, with the key validation in front).
    #[test]
    fn wycheproof_ed25519() {
        let doc: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/vectors/wycheproof/primitives/ed25519_test.json"
        ))
        .unwrap();
        let mut run = 0;
        for g in doc["testGroups"].as_array().unwrap() {
            let key = Ed25519PublicKey::new(&hex(g["publicKey"]["pk"].as_str().unwrap())).unwrap();
            for t in g["tests"].as_array().unwrap() {
                run += 1;
                let ok = key.verify(
                    &hex(t["msg"].as_str().unwrap()),
                    &hex(t["sig"].as_str().unwrap()),
                );
                assert_eq!(ok, t["result"] == "valid", "tcId {}", t["tcId"]);
            }
        }
        println!("ed25519_test.json: {run} run, all passed");
    }

    #[test]
    fn small_order_and_non_canonical_keys_refused() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(Ed25519PublicKey::new(&identity).is_err());
        assert!(Ed25519PublicKey::new(&[0u8; 32]).is_err());
        // y = p (non-canonical encoding of y = 0).
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(Ed25519PublicKey::new(&p).is_err());
    }
}
