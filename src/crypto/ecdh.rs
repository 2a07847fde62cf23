//! ECDH key agreement for JWE ECDH-ES (RFC 7518 §4.6, RFC 8037 §3.2) and the Concat KDF
//! (NIST SP 800-56A §5.8.1, RFC 7518 §4.6.2).
//!
//! Both halves of the agreement (the sender's ephemeral key and the recipient's static key)
//! run on the active provider. The rules are the model's, not the provider's: peer public
//! keys are validated (on the curve, not the identity), only the ECDH-ES curves agree, and an
//! X25519 agreement whose shared secret is all zeros (a small-order peer key) is refused.

use zeroize::Zeroizing;

use super::digest::Sha;
use super::ec::Curve;
use super::{Active, Provider};
use crate::error::{Error, Result};

/// The ECDH shared secret Z (the x-coordinate) of the private scalar `d` and the SEC 1
/// point `peer` on `curve`; `None` if the point is not a valid point of the curve.
pub(crate) fn agree_ec(curve: Curve, d: &[u8], peer: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if !Curve::AGREEMENT.contains(&curve) {
        return None;
    }
    // Invalid-curve attacks: the point must be on the curve (RFC 8725 §3.4).
    let peer = Active::ec_point(curve, peer)?;
    Active::ecdh(curve, d, &peer)
}

/// The ECDH-ES sender's agreement with the recipient's validated uncompressed point: the
/// ephemeral public point and Z.
pub(crate) fn ephemeral_ec(curve: Curve, peer: &[u8]) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)> {
    if !Curve::AGREEMENT.contains(&curve) {
        return Err(Error::key(format!(
            "ECDH-ES is not defined on {} (RFC 7518 §4.6)",
            curve.name()
        )));
    }
    Active::ecdh_ephemeral(curve, peer)
}

/// The X25519 sender's agreement: the ephemeral public key and Z, refused when Z is all
/// zeros (the recipient's key is of small order).
pub(crate) fn ephemeral_x25519(peer: &[u8; 32]) -> Result<([u8; 32], Zeroizing<Vec<u8>>)> {
    use subtle::ConstantTimeEq;
    let (public, shared) = Active::x25519_ephemeral(peer)?;
    let all_zero = shared.ct_eq(&[0u8; 32][..]);
    if shared.len() != 32 || bool::from(all_zero) {
        return Err(Error::key(
            "the recipient's X25519 key is a small-order point",
        ));
    }
    Ok((public, shared))
}

/// The X25519 shared secret; `None` when it is all zeros (RFC 7748 §6.1, RFC 8037 §3.2).
pub(crate) fn agree_x25519(d: &[u8; 32], peer: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
    use subtle::ConstantTimeEq;
    let shared = Active::x25519_agree(d, peer)?;
    // Compared in constant time: which peer keys are refused must not leak through timing.
    let all_zero = shared.ct_eq(&[0u8; 32][..]);
    if shared.len() != 32 || bool::from(all_zero) {
        return None;
    }
    Some(shared)
}

/// The X25519 public key of a private key.
#[cfg(test)]
pub(crate) fn x25519_public(d: &[u8; 32]) -> Result<[u8; 32]> {
    Active::x25519_public_key(d)
        .ok_or_else(|| Error::crypto("x25519: the provider could not derive the public key"))
}

/// The Concat KDF of RFC 7518 §4.6.2 with SHA-256: `keydatalen` bits from Z and the
/// OtherInfo built from `algorithm_id`, `apu` and `apv`.
pub(crate) fn concat_kdf(
    z: &[u8],
    algorithm_id: &str,
    apu: &[u8],
    apv: &[u8],
    key_len: usize,
) -> Zeroizing<Vec<u8>> {
    let other_info = other_info(algorithm_id, apu, apv, key_len);
    let mut out = Zeroizing::new(Vec::with_capacity(key_len + 32));
    let mut counter: u32 = 1;
    while out.len() < key_len {
        let mut input = Zeroizing::new(Vec::with_capacity(4 + z.len() + other_info.len()));
        input.extend_from_slice(&counter.to_be_bytes());
        input.extend_from_slice(z);
        input.extend_from_slice(&other_info);
        out.extend_from_slice(&Sha::Sha256.digest(&input));
        counter += 1;
    }
    out.truncate(key_len);
    out
}

/// OtherInfo = AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo, each datum
/// length-prefixed with 32 bits, SuppPubInfo the key length in bits.
pub(crate) fn other_info(algorithm_id: &str, apu: &[u8], apv: &[u8], key_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + algorithm_id.len() + apu.len() + apv.len());
    for datum in [algorithm_id.as_bytes(), apu, apv] {
        out.extend_from_slice(&(datum.len() as u32).to_be_bytes());
        out.extend_from_slice(datum);
    }
    out.extend_from_slice(&((key_len * 8) as u32).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64url;
    use serde_json::Value;

    /// RFC 7518 Appendix C: Z from the two keys, OtherInfo, and the derived key.
    #[test]
    fn rfc7518_appendix_c() {
        let doc: Value =
            serde_json::from_str(include_str!("../../tests/vectors/rfc/rfc7518.json")).unwrap();
        let e = doc["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "ecdh_es_concat_kdf")
            .unwrap();
        let octets = |v: &Value| -> Vec<u8> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_u64().unwrap() as u8)
                .collect()
        };
        let b = |v: &Value| base64url::decode(v.as_str().unwrap()).unwrap();
        let alice = &e["input"]["alice_ephemeral_jwk"];
        let bob = &e["input"]["bob_jwk"];
        let point = |jwk: &Value| [vec![4u8], b(&jwk["x"]), b(&jwk["y"])].concat();
        // Both sides agree on the RFC's Z.
        let z = octets(&e["intermediate"]["Z"]);
        assert_eq!(
            *agree_ec(Curve::P256, &b(&alice["d"]), &point(bob)).unwrap(),
            z
        );
        assert_eq!(
            *agree_ec(Curve::P256, &b(&bob["d"]), &point(alice)).unwrap(),
            z
        );
        assert_eq!(
            other_info("A128GCM", b"Alice", b"Bob", 16),
            octets(&e["intermediate"]["OtherInfo"])
        );
        let key = concat_kdf(&z, "A128GCM", b"Alice", b"Bob", 16);
        assert_eq!(*key, octets(&e["expected"]["derived_key_octets"]));
    }

    #[test]
    fn x25519_rejects_small_order_points() {
        let d = [7u8; 32];
        assert!(agree_x25519(&d, &[0u8; 32]).is_none());
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(agree_x25519(&d, &one).is_none());
        assert!(agree_x25519(&d, &x25519_public(&[9u8; 32]).unwrap()).is_some());
    }

    /// secp256k1 is a signing curve only: the model refuses to agree on it, whatever the
    /// provider would do with a valid point.
    #[test]
    fn secp256k1_does_not_agree() {
        let d = [3u8; 32];
        let point = Active::ec_public_point(Curve::Secp256k1, &d).unwrap();
        assert!(agree_ec(Curve::Secp256k1, &d, &point).is_none());
        let p256 = Active::ec_public_point(Curve::P256, &d).unwrap();
        assert!(agree_ec(Curve::P256, &d, &p256).is_some());
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn b64(v: &Value) -> Option<Vec<u8>> {
        base64url::decode(v.as_str()?).ok()
    }

    /// Wycheproof ECDH with keys as JWKs, including invalid-curve and off-curve public keys.
    #[test]
    fn wycheproof_ecdh_webcrypto() {
        for (file, curve) in [
            (
                include_str!(
                    "../../tests/vectors/wycheproof/primitives/ecdh_secp256r1_webcrypto_test.json"
                ),
                Curve::P256,
            ),
            (
                include_str!(
                    "../../tests/vectors/wycheproof/primitives/ecdh_secp384r1_webcrypto_test.json"
                ),
                Curve::P384,
            ),
            (
                include_str!(
                    "../../tests/vectors/wycheproof/primitives/ecdh_secp521r1_webcrypto_test.json"
                ),
                Curve::P521,
            ),
        ] {
            let doc: Value = serde_json::from_str(file).unwrap();
            let (mut run, mut invalid) = (0, 0);
            for g in doc["testGroups"].as_array().unwrap() {
                for t in g["tests"].as_array().unwrap() {
                    run += 1;
                    let public = &t["public"];
                    let d = b64(&t["private"]["d"]).unwrap();
                    // A public key for another curve never reaches the agreement.
                    let z = if public["crv"] != curve.name() {
                        None
                    } else {
                        match (b64(&public["x"]), b64(&public["y"])) {
                            (Some(x), Some(y))
                                if x.len() == curve.field_len() && y.len() == curve.field_len() =>
                            {
                                agree_ec(curve, &d, &[vec![4u8], x, y].concat())
                            }
                            _ => None,
                        }
                    };
                    match t["result"].as_str().unwrap() {
                        "valid" => assert_eq!(
                            z.as_deref().map(Vec::as_slice),
                            Some(&hex(t["shared"].as_str().unwrap())[..]),
                            "{curve:?} tcId {}",
                            t["tcId"]
                        ),
                        "invalid" => {
                            invalid += 1;
                            assert!(z.is_none(), "{curve:?} tcId {} accepted", t["tcId"]);
                        }
                        // "acceptable": either outcome, but a result must be the right one.
                        _ => {
                            if let Some(z) = z {
                                assert_eq!(
                                    *z,
                                    hex(t["shared"].as_str().unwrap()),
                                    "{curve:?} tcId {}",
                                    t["tcId"]
                                );
                            }
                        }
                    }
                }
            }
            let bits = &format!("{curve:?}")[1..];
            println!(
                "ecdh_secp{bits}r1_webcrypto_test.json: {run} run, all passed ({invalid} invalid public keys refused)"
            );
        }
    }

    /// Wycheproof X25519 with keys as OKP JWKs. "Acceptable" cases are decided as the
    /// upstream notes advise for JOSE: low-order and zero-shared-secret points are refused,
    /// the rest (twist points, non-canonical encodings) agree as RFC 7748 computes them.
    #[test]
    fn wycheproof_x25519_jwk() {
        let doc: Value = serde_json::from_str(include_str!(
            "../../tests/vectors/wycheproof/x25519_jwk_test.json"
        ))
        .unwrap();
        let (mut run, mut refused) = (0, 0);
        for g in doc["testGroups"].as_array().unwrap() {
            for t in g["tests"].as_array().unwrap() {
                run += 1;
                let flags: Vec<&str> = t["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let d: [u8; 32] = b64(&t["private"]["d"]).unwrap().try_into().unwrap();
                // The public key is a JWK: read it as the JWE layer reads an `epk`.
                let peer: Option<[u8; 32]> =
                    crate::jwk::Jwk::from_json(t["public"].to_string().as_bytes())
                        .ok()
                        .filter(|j| j.kty() == "OKP" && j.crv() == Some("X25519"))
                        .and_then(|j| match j.params() {
                            crate::jwk::KeyParams::Okp { x, .. } => x.as_slice().try_into().ok(),
                            crate::jwk::KeyParams::Ec { .. }
                            | crate::jwk::KeyParams::Rsa { .. }
                            | crate::jwk::KeyParams::Oct { .. } => None,
                        });
                let z = peer.and_then(|p| agree_x25519(&d, &p));
                let must_refuse = t["result"] == "invalid"
                    || flags.iter().any(|f| {
                        matches!(*f, "LowOrderPublic" | "ZeroSharedSecret" | "InvalidPublic")
                    });
                if must_refuse {
                    refused += 1;
                    assert!(z.is_none(), "tcId {} {:?} accepted", t["tcId"], flags);
                } else {
                    assert_eq!(
                        z.as_deref().map(Vec::as_slice),
                        Some(&hex(t["shared"].as_str().unwrap())[..]),
                        "tcId {} {:?}",
                        t["tcId"],
                        flags
                    );
                }
            }
        }
        println!("x25519_jwk_test.json: {run} run, all passed ({refused} refused)");
    }
}
