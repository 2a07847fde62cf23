//! Nested JWTs (RFC 7519 §5.2, §11.2): a signed JWS as the plaintext of a JWE with
//! `cty: "JWT"`. Sign first, then encrypt, so that the signature covers what the signer
//! meant and decryption keys cannot forge it.

use super::{
    encrypt_compact, ContentEncryption, DecryptOptions, Decrypted, DecryptorSource,
    EncryptedCompact, KeyEncryptor,
};
use crate::error::{Error, Part, Result};
use crate::header::JweHeader;
use crate::jws::{UnverifiedCompact, VerifiedJws, VerifierSource, VerifyOptions};

/// Encrypts a compact JWS (typically a signed JWT) into a compact JWE with `cty: "JWT"`.
///
/// # Errors
/// [`Error::Malformed`] if `jws` is not a compact JWS or the header names another `cty`,
/// and the errors of [`encrypt_compact`].
pub fn encrypt_nested(
    jws: &str,
    header: &JweHeader,
    enc: ContentEncryption,
    key: &dyn KeyEncryptor,
) -> Result<String> {
    if jws.split('.').count() != 3 {
        return Err(Error::malformed(
            Part::Payload,
            "a nested JWT wraps a compact JWS (three parts)",
        ));
    }
    let header = match header.cty() {
        None => header.clone().with_cty("JWT"),
        Some(_) if header.is_nested_jwt() => header.clone(),
        Some(_) => {
            return Err(Error::malformed(
                Part::Header,
                "a nested JWT's cty must be \"JWT\"",
            ))
        }
    };
    encrypt_compact(&header, jws.as_bytes(), enc, key)
}

/// A decrypted and verified nested JWT: the outer JWE's headers and the inner JWS.
#[derive(Debug, Clone, PartialEq)]
pub struct Nested {
    outer: Decrypted,
    inner: VerifiedJws,
}

impl Nested {
    /// The decrypted JWE (its plaintext is the inner JWS's compact form).
    pub fn outer(&self) -> &Decrypted {
        &self.outer
    }
    /// The verified inner JWS: its header and payload (the JWT claims).
    pub fn inner(&self) -> &VerifiedJws {
        &self.inner
    }
    /// Takes the verified inner JWS.
    pub fn into_inner(self) -> VerifiedJws {
        self.inner
    }
}

/// Decrypts a compact nested JWT with `decryption_keys`, then verifies the inner JWS with
/// `verification_keys`. Both layers must succeed (RFC 8725 §3.3); an outer JWE without
/// `cty: "JWT"` is refused. A single key can be passed for either set.
///
/// # Errors
/// Any error of decryption, then any error of verification; [`Error::Malformed`] when the
/// outer `cty` is not `JWT` or the plaintext is not a compact JWS.
pub fn decrypt_nested(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    verification_keys: &dyn VerifierSource,
    decrypt_options: &DecryptOptions,
    verify_options: &VerifyOptions,
) -> Result<Nested> {
    let outer = decrypt_nested_outer(token, decryption_keys, decrypt_options)?;
    let jws = std::str::from_utf8(outer.plaintext())
        .map_err(|_| Error::malformed(Part::Payload, "the nested JWS is not text"))?;
    let inner = UnverifiedCompact::parse(jws, verify_options)?.verify_with(verification_keys)?;
    Ok(Nested { outer, inner })
}

/// The outer layer of a nested JWT: a compact JWE with `cty: "JWT"`, decrypted.
pub(crate) fn decrypt_nested_outer(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    decrypt_options: &DecryptOptions,
) -> Result<Decrypted> {
    let outer = EncryptedCompact::parse(token, decrypt_options)?;
    if !outer.header().is_nested_jwt() {
        return Err(Error::malformed(
            Part::Header,
            "not a nested JWT: the JWE's cty is not \"JWT\"",
        ));
    }
    outer.decrypt_with(decryption_keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_media_types() {
        let nested = |cty: &str| JweHeader::new().with_cty(cty).is_nested_jwt();
        for yes in ["JWT", "jwt", "application/JWT", "Application/jwt"] {
            assert!(nested(yes), "{yes}");
        }
        for no in [
            "",
            "JWS",
            "application/",
            "at+jwt",
            "application/jwt+x",
            "xapplication/jwt",
        ] {
            assert!(!nested(no), "{no}");
        }
    }
}
