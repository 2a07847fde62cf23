//! Loading keys from every supported format (fixtures made by OpenSSL, see
//! `tests/vectors/keys/make.sh`), and the keys josecraft refuses.

mod common;

use common::{bytes, text};
use josecraft::jwk::Jwk;
use josecraft::jws::{self, Signer, VerifierSource};
use josecraft::{EcdsaAlgorithm, HmacAlgorithm, SignatureAlgorithm};
use josecraft::{EdDsaAlgorithm, RsaAlgorithm};
use josecraft::{Error, HmacKey, JwsHeader, SigningKey, VerifyingKey};

fn round_trip(signer: &dyn Signer, verifier: &dyn VerifierSource) {
    let token = jws::sign_compact(&JwsHeader::new(), b"key formats", signer).unwrap();
    assert_eq!(
        jws::verify_compact(&token, verifier).unwrap().payload(),
        b"key formats"
    );
}

#[test]
fn rsa_every_format() {
    for alg in [RsaAlgorithm::Rs256, RsaAlgorithm::Ps512] {
        let from_pkcs8_pem = SigningKey::from_pem(
            SignatureAlgorithm::from(alg),
            &text("keys/rsa2048.pkcs8.pem"),
        )
        .unwrap();
        let from_pkcs1_pem = SigningKey::from_pem(
            SignatureAlgorithm::from(alg),
            &text("keys/rsa2048.pkcs1.pem"),
        )
        .unwrap();
        let from_pkcs8_der = SigningKey::from_pkcs8_der(
            SignatureAlgorithm::from(alg),
            &bytes("keys/rsa2048.pkcs8.der"),
        )
        .unwrap();
        let from_any_der = SigningKey::from_der(
            SignatureAlgorithm::from(alg),
            &bytes("keys/rsa2048.pkcs8.der"),
        )
        .unwrap();
        let verifiers = [
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text("keys/rsa2048.spki.pem"),
            )
            .unwrap(),
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text("keys/rsa2048.pkcs1-public.pem"),
            )
            .unwrap(),
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text("keys/rsa2048.cert.pem"),
            )
            .unwrap(),
            VerifyingKey::from_spki_der(
                SignatureAlgorithm::from(alg),
                &bytes("keys/rsa2048.spki.der"),
            )
            .unwrap(),
            VerifyingKey::from_certificate_der(
                SignatureAlgorithm::from(alg),
                &bytes("keys/rsa2048.cert.der"),
            )
            .unwrap(),
            VerifyingKey::from_der(
                SignatureAlgorithm::from(alg),
                &bytes("keys/rsa2048.cert.der"),
            )
            .unwrap(),
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text("keys/rsa2048.pkcs8.pem"),
            )
            .unwrap(),
        ];
        for v in &verifiers {
            assert_eq!(v, &from_pkcs8_pem.verifying_key());
        }
        for s in [
            &from_pkcs8_pem,
            &from_pkcs1_pem,
            &from_pkcs8_der,
            &from_any_der,
        ] {
            for v in &verifiers {
                round_trip(s, v);
            }
        }
        // Components, as a JWK gives them.
        let jwk = from_pkcs8_pem.to_private_jwk();
        let again = Jwk::from_json(jwk.to_json().as_bytes())
            .unwrap()
            .to_signing_key(None)
            .unwrap();
        round_trip(&again, &verifiers[0]);
    }
}

#[test]
fn ec_every_format() {
    for (alg, name) in [
        (EcdsaAlgorithm::Es256, "p256"),
        (EcdsaAlgorithm::Es384, "p384"),
    ] {
        let signers = [
            SigningKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text(&format!("keys/{name}.pkcs8.pem")),
            )
            .unwrap(),
            // SEC 1 PEM with an EC PARAMETERS block in front, as `openssl ecparam -genkey`
            // writes it.
            SigningKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text(&format!("keys/{name}.sec1.pem")),
            )
            .unwrap(),
            SigningKey::from_sec1_der(alg, &bytes(&format!("keys/{name}.sec1.der"))).unwrap(),
            SigningKey::from_der(
                SignatureAlgorithm::from(alg),
                &bytes(&format!("keys/{name}.sec1.der")),
            )
            .unwrap(),
            SigningKey::from_pkcs8_der(
                SignatureAlgorithm::from(alg),
                &bytes(&format!("keys/{name}.pkcs8.der")),
            )
            .unwrap(),
        ];
        let verifiers = [
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text(&format!("keys/{name}.spki.pem")),
            )
            .unwrap(),
            VerifyingKey::from_pem(
                SignatureAlgorithm::from(alg),
                &text(&format!("keys/{name}.cert.pem")),
            )
            .unwrap(),
            VerifyingKey::from_spki_der(
                SignatureAlgorithm::from(alg),
                &bytes(&format!("keys/{name}.spki.der")),
            )
            .unwrap(),
            // A compressed point is decompressed and validated.
            VerifyingKey::from_spki_der(
                SignatureAlgorithm::from(alg),
                &bytes(&format!("keys/{name}.spki-compressed.der")),
            )
            .unwrap(),
        ];
        for s in &signers {
            for v in &verifiers {
                assert_eq!(v, &s.verifying_key());
                round_trip(s, v);
            }
        }
        // Coordinates and scalar, as a JWK gives them.
        let jwk = signers[0].to_private_jwk();
        let reparsed = Jwk::from_json(jwk.to_json().as_bytes()).unwrap();
        round_trip(&reparsed.to_signing_key(None).unwrap(), &verifiers[0]);
        let josecraft::jwk::KeyParams::Ec { x, y, d, .. } = reparsed.params() else {
            panic!("not EC")
        };
        let from_coords = VerifyingKey::from_ec_coordinates(alg, x, y).unwrap();
        let from_scalar = SigningKey::from_ec_scalar(alg, d.as_ref().unwrap().expose()).unwrap();
        assert_eq!(from_coords, from_scalar.verifying_key());
        round_trip(&from_scalar, &from_coords);
    }
    // A P-256 key is not a P-384 key.
    let err =
        SigningKey::from_pem(SignatureAlgorithm::Es384, &text("keys/p256.pkcs8.pem")).unwrap_err();
    assert!(
        matches!(err, Error::KeyRejected(ref m) if m.contains("P-384")),
        "{err:?}"
    );
}

#[test]
fn ed25519_every_format() {
    for alg in [EdDsaAlgorithm::EdDsa, EdDsaAlgorithm::Ed25519] {
        let s = SigningKey::from_pem(
            SignatureAlgorithm::from(alg),
            &text("keys/ed25519.pkcs8.pem"),
        )
        .unwrap();
        let v1 = VerifyingKey::from_pem(
            SignatureAlgorithm::from(alg),
            &text("keys/ed25519.spki.pem"),
        )
        .unwrap();
        let v2 = VerifyingKey::from_pem(
            SignatureAlgorithm::from(alg),
            &text("keys/ed25519.cert.pem"),
        )
        .unwrap();
        assert_eq!(v1, s.verifying_key());
        assert_eq!(v2, s.verifying_key());
        round_trip(&s, &v1);
        let jwk = s.to_private_jwk();
        let josecraft::jwk::KeyParams::Okp { x, d, .. } = jwk.params() else {
            panic!("not OKP")
        };
        let from_seed = SigningKey::from_ed25519_seed(alg, d.as_ref().unwrap().expose()).unwrap();
        let from_bytes = VerifyingKey::from_ed25519_bytes(alg, x).unwrap();
        round_trip(&from_seed, &from_bytes);
    }
}

#[test]
fn refused_keys() {
    let key_rejected = |r: josecraft::Result<SigningKey>| {
        assert!(matches!(r, Err(Error::KeyRejected(_))), "{r:?}");
    };
    // RSA below 2048 bits, to sign and to verify.
    let small = text("keys/rsa1024.pkcs8.pem");
    key_rejected(SigningKey::from_pem(SignatureAlgorithm::Rs256, &small));
    assert!(matches!(
        VerifyingKey::from_pem(SignatureAlgorithm::Rs256, &small),
        Err(Error::KeyRejected(ref m)) if m.contains("1024")
    ));
    // A key of another family.
    key_rejected(SigningKey::from_pem(
        SignatureAlgorithm::Es256,
        &text("keys/rsa2048.pkcs8.pem"),
    ));
    key_rejected(SigningKey::from_pem(
        SignatureAlgorithm::Rs256,
        &text("keys/ed25519.pkcs8.pem"),
    ));
    key_rejected(SigningKey::from_pem(
        SignatureAlgorithm::EdDsa,
        &text("keys/p256.pkcs8.pem"),
    ));
    // Asymmetric keys are never HMAC keys, and the other way round: with the algorithm
    // family in the constructor's type, that is a compile error (tests/ui/wrong_family_key.rs);
    // at run time, a JWK that says so is refused.
    let secret = HmacKey::generate(HmacAlgorithm::Hs256)
        .unwrap()
        .to_secret_jwk();
    key_rejected(secret.to_signing_key(Some(SignatureAlgorithm::Es256)));
    // A public key cannot sign.
    key_rejected(SigningKey::from_pem(
        SignatureAlgorithm::Es256,
        &text("keys/p256.spki.pem"),
    ));
    // Encrypted PKCS#8 is unsupported, with a clear message.
    assert!(matches!(
        SigningKey::from_pem(SignatureAlgorithm::Es256, &text("keys/p256.encrypted.pem")),
        Err(Error::Unsupported(ref m)) if m.contains("encrypted")
    ));
    // Garbage.
    for junk in [
        &b""[..],
        b"\x30\x00",
        b"-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
    ] {
        assert!(SigningKey::from_der(SignatureAlgorithm::Es256, junk).is_err());
        assert!(VerifyingKey::from_der(SignatureAlgorithm::Es256, junk).is_err());
    }
    // HMAC secrets shorter than the hash.
    for (alg, len) in [
        (HmacAlgorithm::Hs256, 32),
        (HmacAlgorithm::Hs384, 48),
        (HmacAlgorithm::Hs512, 64),
    ] {
        HmacKey::new(alg, &vec![1; len]).unwrap();
        assert!(matches!(
            HmacKey::new(alg, &vec![1; len - 1]),
            Err(Error::KeyRejected(_))
        ));
    }
    // Points not on the curve.
    let mut point = vec![4u8];
    point.extend([1u8; 64]);
    assert!(matches!(
        VerifyingKey::from_ec_point(EcdsaAlgorithm::Es256, &point),
        Err(Error::KeyRejected(_))
    ));
    // An EC private key whose public half belongs to another key.
    let a = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .to_private_jwk();
    let b = SigningKey::generate(SignatureAlgorithm::Es256)
        .unwrap()
        .to_jwk();
    let mut mixed: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    let bv: serde_json::Value = serde_json::from_str(&b.to_json()).unwrap();
    mixed["x"] = bv["x"].clone();
    mixed["y"] = bv["y"].clone();
    let mixed = Jwk::from_json(mixed.to_string().as_bytes()).unwrap();
    assert!(matches!(
        mixed.to_signing_key(None),
        Err(Error::KeyRejected(_))
    ));
}

#[test]
fn secrets_are_not_printed() {
    let h = HmacKey::new(HmacAlgorithm::Hs256, b"0123456789abcdef0123456789abcdef").unwrap();
    let dbg = format!("{h:?}");
    assert!(dbg.contains("redacted") && !dbg.contains("0123"), "{dbg}");
    let s =
        SigningKey::from_pem(SignatureAlgorithm::Rs256, &text("keys/rsa2048.pkcs8.pem")).unwrap();
    let jwk = s.to_private_jwk();
    let d = match jwk.params() {
        josecraft::jwk::KeyParams::Rsa { private, .. } => {
            josecraft::base64url::encode(private.as_ref().unwrap().d.expose())
        }
        _ => unreachable!(),
    };
    for dbg in [format!("{s:?}"), format!("{jwk:?}")] {
        assert!(!dbg.contains(&d[..20]), "{dbg}");
    }
    // The default JWK of a private key is public.
    assert!(!s.to_jwk().is_private());
    assert!(s.to_private_jwk().is_private());
}
