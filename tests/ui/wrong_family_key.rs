// A key constructor takes the algorithm family it can be bound to, so a key of the wrong
// family does not compile (ring's style: `EcdsaKeyPair::from_pkcs8(&ECDSA_P256_...)`).
use josecraft::{EcdsaAlgorithm, HmacAlgorithm, HmacKey, JwsAlgorithm, RsaAlgorithm, SigningKey};

fn main() {
    // An HMAC key for ES256.
    let _ = HmacKey::new(EcdsaAlgorithm::Es256, &[0; 32]);
    // A signing key for HS256.
    let _ = SigningKey::generate(HmacAlgorithm::Hs256);
    // An EC scalar for an RSA algorithm.
    let _ = SigningKey::from_ec_scalar(RsaAlgorithm::Rs256, &[1; 32]);
    // The wire-name enum does not pass for a family: convert it, which checks.
    let _ = HmacKey::new(JwsAlgorithm::Hs256, &[0; 32]);
}
