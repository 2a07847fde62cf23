//! JSON Web Encryption (RFC 7516), with the algorithms of RFC 7518 §4–5 and RFC 8037 §3.2.
//!
//! - Algorithms (from [`alg`](crate::alg), re-exported at the crate root):
//!   [`KeyManagementAlgorithm`] (`alg`) and [`ContentEncryption`] (`enc`).
//! - Keys: [`SymmetricKey`] for `dir`, AES Key Wrap, AES-GCM key wrap and PBES2, each bound
//!   to its algorithm (a `dir` key to its `enc` as well); [`EncryptionKey`] and
//!   [`DecryptionKey`] for ECDH-ES (P-256, P-384, P-521, X25519) and RSA-OAEP. `RSA1_5` is
//!   refused as [`Error::Unsupported`] before any RSA operation: PKCS#1 v1.5 decryption is
//!   a Bleichenbacher oracle.
//! - Nested JWTs (a signed JWT inside): [`jwt::encrypt_nested`](crate::jwt::encrypt_nested)
//!   and [`jwt::decrypt_nested`](crate::jwt::decrypt_nested), which also validates the claims.
//! - The [`KeyEncryptor`] and [`KeyDecryptor`] traits, which a KMS can implement to wrap and
//!   unwrap content encryption keys.
//! - Serializations: compact ([`encrypt_compact`], [`decrypt_compact`],
//!   [`EncryptedCompact`]), flattened and general JSON ([`JweJsonBuilder`],
//!   [`EncryptedJson`]) with several recipients, shared and per-recipient headers and `aad`.
//! - `zip: "DEF"`, inflated with the [`Limits`](crate::Limits) cap.
//!
//! # What a successful decryption proves
//!
//! Decryption checks the authentication tag, so the plaintext and the protected header are
//! exactly what the holder of the content encryption key produced. Who could have produced
//! them depends on the key management:
//!
//! | key management | who could have made the JWE |
//! |---|---|
//! | `dir`, `A*KW`, `A*GCMKW` | a holder of the shared key: the sender is authenticated to the extent the key is shared |
//! | `PBES2-*` | anyone who knows the password |
//! | `ECDH-ES*`, `RSA-OAEP*` | **anyone** who has the recipient's *public* key: decryption proves nothing about the sender; sign first ([`jwt::encrypt_nested`](crate::jwt::encrypt_nested)) when the sender matters |
//!
//! Every failure from key unwrapping to the tag check is the same opaque
//! [`Error::DecryptionFailed`] (RFC 7516 §11.5); limit and structure checks that happen
//! before any secret is touched say what they found.

mod asymmetric;
mod compact;
mod content;
pub(crate) mod json;
mod jwk;
mod keys;
mod zip;

pub use crate::jose::{
    ContentEncryptionKey, DecryptorSource, EncryptedKey, KeyDecryptor, KeyEncryptor,
};
pub use asymmetric::{DecryptionKey, EncryptionKey};
pub use compact::{decrypt_compact, encrypt_compact, EncryptedCompact};
pub use json::{EncryptedJson, JweJsonBuilder, RecipientInfo};
pub use keys::{SymmetricKey, DEFAULT_PBES2_COUNT};

use crate::alg::{ContentEncryption, KeyManagementAlgorithm};
use crate::error::{Error, Result};
use crate::header::{JweHeader, Untrusted};
use crate::jose::KeySet;

/// An in-memory set of [`KeyDecryptor`]s, indexed so that selection costs the same for any
/// number of keys.
///
/// ```
/// use josecraft::jwe::{self, DecryptorSet, SymmetricKey};
/// use josecraft::{ContentEncryption, JweHeader, SymmetricKeyManagement};
///
/// let a = SymmetricKey::generate(SymmetricKeyManagement::A128Kw)?.with_key_id("a");
/// let b = SymmetricKey::generate(SymmetricKeyManagement::A128Kw)?.with_key_id("b");
/// let keys = DecryptorSet::new().with(a.clone()).with(b);
/// let token = jwe::encrypt_compact(&JweHeader::new(), b"hi", ContentEncryption::A128Gcm, &a)?;
/// assert_eq!(jwe::decrypt_compact(&token, &keys)?.plaintext(), b"hi");
/// # Ok::<(), josecraft::Error>(())
/// ```
pub type DecryptorSet = KeySet<dyn KeyDecryptor>;

/// A decrypted JWE: its plaintext and headers.
///
/// The plaintext and the protected header are authenticated by the content encryption's
/// tag; what that says about the *sender* depends on the key management (see the
/// [module documentation](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Decrypted {
    header: JweHeader,
    shared_unprotected: Option<Untrusted<JweHeader>>,
    recipient: Option<Untrusted<JweHeader>>,
    aad: Option<Vec<u8>>,
    plaintext: Vec<u8>,
    key_management: KeyManagementAlgorithm,
}

impl Decrypted {
    /// The protected header (authenticated).
    pub fn header(&self) -> &JweHeader {
        &self.header
    }
    /// The shared unprotected header of a JSON JWE: not authenticated.
    pub fn unprotected_header(&self) -> Option<&Untrusted<JweHeader>> {
        self.shared_unprotected.as_ref()
    }
    /// The per-recipient header of a JSON JWE: not authenticated.
    pub fn recipient_header(&self) -> Option<&Untrusted<JweHeader>> {
        self.recipient.as_ref()
    }
    /// The additional authenticated data of a JSON JWE (authenticated).
    pub fn aad(&self) -> Option<&[u8]> {
        self.aad.as_deref()
    }
    /// The plaintext.
    pub fn plaintext(&self) -> &[u8] {
        &self.plaintext
    }
    /// Takes the plaintext.
    pub fn into_plaintext(self) -> Vec<u8> {
        self.plaintext
    }
    /// The key management the JWE was decrypted with.
    pub fn key_management(&self) -> KeyManagementAlgorithm {
        self.key_management
    }
}

/// Fails unless `key` is bound to this JWE's `alg` (and, for `dir`, `enc`).
pub(crate) fn check_binding(
    key_alg: KeyManagementAlgorithm,
    key_enc: Option<ContentEncryption>,
    alg: &str,
    enc: ContentEncryption,
) -> Result<()> {
    if key_alg.name() != alg {
        return Err(Error::AlgorithmMismatch {
            expected: key_alg.name().to_string(),
            found: alg.to_string(),
        });
    }
    if let Some(bound) = key_enc {
        if bound != enc {
            return Err(Error::AlgorithmMismatch {
                expected: bound.name().to_string(),
                found: enc.name().to_string(),
            });
        }
    }
    Ok(())
}

/// Everything after the structure checks is one opaque failure (RFC 7516 §11.5), except
/// limits and structure problems in header parameters, which involve no secret.
pub(crate) fn opaque(e: Error) -> Error {
    if matches!(e, Error::LimitExceeded { .. } | Error::Malformed { .. }) {
        e
    } else {
        Error::DecryptionFailed
    }
}

/// Known-answer tests that need fixed CEKs and IVs, which no public API takes.
#[cfg(test)]
mod kat {
    use super::*;
    use crate::alg::KeyOp;
    use crate::base64url;
    use crate::crypto::aes;
    use serde_json::Value;

    fn b(v: &Value) -> Vec<u8> {
        base64url::decode(v.as_str().unwrap()).unwrap()
    }

    /// Re-creates a cookbook JWE from its fixed CEK and IV: the encrypted key (for the
    /// deterministic key wraps) and the ciphertext and tag, byte for byte.
    fn reproduce(doc: &str) {
        let v: Value = serde_json::from_str(doc).unwrap();
        let enc = ContentEncryption::from_name(v["input"]["enc"].as_str().unwrap()).unwrap();
        let alg = KeyManagementAlgorithm::from_name(v["input"]["alg"].as_str().unwrap()).unwrap();
        // For dir the CEK is the key itself.
        let cek = match v["generated"].get("cek") {
            Some(c) => b(c),
            None => b(&v["input"]["key"]["k"]),
        };
        let iv = b(&v["generated"]["iv"]);
        let ek = &v["encrypting_key"];
        match alg.op() {
            KeyOp::AesKw { .. } => {
                let kek = b(&v["input"]["key"]["k"]);
                assert_eq!(aes::kw_wrap(&kek, &cek).unwrap(), b(&ek["encrypted_key"]));
            }
            KeyOp::AesGcmKw { .. } => {
                let kek = b(&v["input"]["key"]["k"]);
                let wiv: [u8; 12] = b(&ek["iv"]).try_into().unwrap();
                let (ct, tag) = aes::gcm_encrypt(&kek, &wiv, b"", &cek).unwrap();
                assert_eq!((ct, tag.to_vec()), (b(&ek["encrypted_key"]), b(&ek["tag"])));
            }
            KeyOp::Pbes2 { sha, kek_len: len } => {
                let pwd = v["input"]["pwd"].as_str().unwrap().as_bytes();
                let mut salt = alg.name().as_bytes().to_vec();
                salt.push(0);
                salt.extend(b(&ek["salt"]));
                let count = ek["iteration_count"].as_u64().unwrap() as u32;
                let kek = aes::pbkdf2(sha, pwd, &salt, count, len).unwrap();
                assert_eq!(aes::kw_wrap(&kek, &cek).unwrap(), b(&ek["encrypted_key"]));
            }
            KeyOp::Direct | KeyOp::EcdhEs { .. } | KeyOp::RsaOaep(_) => {}
        }
        let c = &v["encrypting_content"];
        let mut aad = c["protected_b64u"]
            .as_str()
            .unwrap_or("")
            .as_bytes()
            .to_vec();
        if let Some(a) = v["generated"]
            .get("aad_b64u")
            .or(v["encrypting_content"].get("aad_b64u"))
        {
            aad.push(b'.');
            aad.extend_from_slice(a.as_str().unwrap().as_bytes());
        }
        let plaintext = match v["generated"].get("plaintext_c") {
            Some(compressed) => b(compressed),
            None => v["input"]["plaintext"]
                .as_str()
                .unwrap()
                .as_bytes()
                .to_vec(),
        };
        let (ct, tag) = content::encrypt_with_iv(enc, &cek, &iv, &aad, &plaintext).unwrap();
        assert_eq!(ct, b(&c["ciphertext"]));
        assert_eq!(tag, b(&c["tag"]));
    }

    #[test]
    fn rfc7520_deterministic_examples_byte_for_byte() {
        reproduce(include_str!("../../tests/vectors/rfc7520/jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json"));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_6.direct_encryption_using_aes-gcm.json"
        ));
        reproduce(include_str!("../../tests/vectors/rfc7520/jwe/5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json"));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json"
        ));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_9.compressed_content.json"
        ));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_10.including_additional_authentication_data.json"
        ));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_11.protecting_specific_header_fields.json"
        ));
        reproduce(include_str!(
            "../../tests/vectors/rfc7520/jwe/5_12.protecting_content_only.json"
        ));
    }

    /// RFC 7516 Appendix A.3, every step.
    #[test]
    fn rfc7516_a3_byte_for_byte() {
        let doc: Value =
            serde_json::from_str(include_str!("../../tests/vectors/rfc/rfc7516.json")).unwrap();
        let e = doc["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "RFC7516-A.3-A128KW-A128CBC-HS256")
            .unwrap();
        let cek = b(&e["input"]["cek_b64u"]);
        let kek = b(&e["key"]["k"]);
        let ek = aes::kw_wrap(&kek, &cek).unwrap();
        assert_eq!(ek, b(&e["expected"]["encrypted_key_b64u"]));
        let protected = base64url::encode(e["input"]["protected_header_utf8"].as_str().unwrap());
        let (ct, tag) = content::encrypt_with_iv(
            ContentEncryption::A128CbcHs256,
            &cek,
            &b(&e["input"]["iv_b64u"]),
            protected.as_bytes(),
            e["input"]["plaintext_utf8"].as_str().unwrap().as_bytes(),
        )
        .unwrap();
        let compact = [
            protected,
            base64url::encode(&ek),
            e["input"]["iv_b64u"].as_str().unwrap().to_string(),
            base64url::encode(&ct),
            base64url::encode(&tag),
        ]
        .join(".");
        assert_eq!(compact, e["expected"]["compact"].as_str().unwrap());
    }
}
