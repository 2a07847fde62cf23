//! RSA for the aws-lc provider: signatures, RSAES-OAEP (aws-lc's decoding is constant time
//! and checks the leading octet), private-key consistency (`RSA_check_key`: `p·q = n`,
//! `d` against `e`, and `dP`, `dQ`, `qInv`) and key generation at 2048, 3072 and 4096 bits.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeyPairComponents, KeySize, OaepAlgorithm, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
    PrivateDecryptingKey, PublicEncryptingKey, PublicKeyComponents,
};
use aws_lc_rs::signature::{self as sig, RsaKeyPair};
use zeroize::Zeroizing;

use crate::crypto::digest::Sha;
use crate::crypto::keyfmt::{self, PrivateKeyMaterial};
use crate::crypto::rsa::{RsaPrivateParts, RsaScheme};
use crate::crypto::{contain, rustcrypto};
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

fn oaep(sha: Option<Sha>) -> &'static OaepAlgorithm {
    match sha {
        None => &aws_lc_rs::rsa::OAEP_SHA1_MGF1SHA1,
        Some(Sha::Sha256) => &aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256,
        Some(Sha::Sha384) => &aws_lc_rs::rsa::OAEP_SHA384_MGF1SHA384,
        Some(Sha::Sha512) => &aws_lc_rs::rsa::OAEP_SHA512_MGF1SHA512,
    }
}

/// Verifies with the public key (`n`, `e`).
pub(super) fn verify(n: &[u8], e: &[u8], scheme: RsaScheme, msg: &[u8], signature: &[u8]) -> bool {
    sig::RsaPublicKeyComponents { n, e }
        .verify(verification(scheme), msg, signature)
        .is_ok()
}

/// The private key as aws-lc holds it; building it runs `RSA_check_key`.
pub(super) fn key_pair(parts: &RsaPrivateParts) -> Result<RsaKeyPair> {
    contain("rsa private key", || {
        RsaKeyPair::from_components(&KeyPairComponents {
            public_key: PublicKeyComponents {
                n: &parts.n[..],
                e: &parts.e[..],
            },
            d: &parts.d[..],
            p: &parts.p[..],
            q: &parts.q[..],
            dP: &parts.dp[..],
            dQ: &parts.dq[..],
            qInv: &parts.qi[..],
        })
        .map_err(|e| Error::key(format!("rsa private key: {e}")))
    })
}

/// aws-lc's prepared signing key.
pub(crate) struct SigningKey(RsaKeyPair);

impl SigningKey {
    pub(super) fn new(parts: &RsaPrivateParts) -> Result<Self> {
        key_pair(parts).map(Self)
    }

    pub(super) fn sign(&self, scheme: RsaScheme, msg: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.0.public_modulus_len()];
        self.0
            .sign(
                signing(scheme),
                &aws_lc_rs::rand::SystemRandom::new(),
                msg,
                &mut out,
            )
            .map_err(|_| Error::SigningFailed("rsa signing failed".into()))?;
        Ok(out)
    }
}

/// An RSA public key for RSAES-OAEP encryption, built once.
pub(crate) struct OaepPublicKey(OaepPublicEncryptingKey);

impl OaepPublicKey {
    pub(super) fn new(n: &[u8], e: &[u8]) -> Result<Self> {
        let spki = keyfmt::rsa_spki(n, e)?;
        contain("rsa public key", || {
            let key = PublicEncryptingKey::from_der(&spki)
                .map_err(|e| Error::key(format!("rsa key: {e}")))?;
            OaepPublicEncryptingKey::new(key)
                .map(Self)
                .map_err(|_| Error::key("rsa key: refused for RSAES-OAEP"))
        })
    }

    pub(super) fn encrypt(&self, sha: Option<Sha>, msg: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.0.ciphertext_size()];
        let len = self
            .0
            .encrypt(oaep(sha), msg, &mut out, None)
            .map_err(|_| Error::crypto("rsa-oaep encryption failed"))?
            .len();
        out.truncate(len);
        Ok(out)
    }
}

/// An RSA private key for RSAES-OAEP decryption, built once; aws-lc blinds it.
pub(crate) struct OaepPrivateKey(OaepPrivateDecryptingKey);

impl OaepPrivateKey {
    pub(super) fn new(parts: &RsaPrivateParts) -> Result<Self> {
        let pair = key_pair(parts)?;
        contain("rsa private key", || {
            let der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der<'_>>::as_der(&pair)
                .map_err(|_| Error::key("rsa private key: cannot be encoded"))?;
            let key = PrivateDecryptingKey::from_pkcs8(der.as_ref())
                .map_err(|e| Error::key(format!("rsa private key: {e}")))?;
            OaepPrivateDecryptingKey::new(key)
                .map(Self)
                .map_err(|_| Error::key("rsa private key: refused for RSAES-OAEP"))
        })
    }

    /// RSAES-OAEP-DECRYPT (RFC 8017 §7.1.2) with a label; aws-lc checks every step in
    /// constant time (`RSA_padding_check_PKCS1_OAEP_mgf1`, leading octet included).
    pub(super) fn decrypt(
        &self,
        sha: Option<Sha>,
        ciphertext: &[u8],
        label: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(vec![0u8; self.0.min_output_size()]);
        let len = self
            .0
            .decrypt(oaep(sha), ciphertext, &mut out, Some(label))
            .ok()?
            .len();
        out.truncate(len);
        Some(out)
    }
}

/// A new two-prime key with e = 65537: on aws-lc at the sizes it generates, else on the
/// shared `rsa` crate code.
pub(super) fn generate(bits: usize) -> Result<RsaPrivateParts> {
    let size = match bits {
        2048 => KeySize::Rsa2048,
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        _ => return rustcrypto::rsa_generate(bits),
    };
    let pair =
        RsaKeyPair::generate(size).map_err(|_| Error::crypto("rsa key generation failed"))?;
    let der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der<'_>>::as_der(&pair)
        .map_err(|_| Error::crypto("rsa key generation: the key cannot be encoded"))?;
    match keyfmt::pkcs8_der(der.as_ref())? {
        PrivateKeyMaterial::Rsa(parts) => Ok(parts.minimal()),
        PrivateKeyMaterial::Ec { .. }
        | PrivateKeyMaterial::Ed25519 { .. }
        | PrivateKeyMaterial::X25519 { .. } => Err(Error::crypto(
            "rsa key generation returned another key type",
        )),
    }
}
