//! Nested JWTs (RFC 7519 §5.2, §11.2): a signed JWS as the plaintext of a JWE with
//! `cty: "JWT"`. Sign first, then encrypt, so that the signature covers what the signer
//! meant and decryption keys cannot forge it.

use crate::alg::ContentEncryption;
use crate::error::{Error, Part, Result};
use crate::header::JweHeader;
use crate::jose::ParseOptions;
use crate::jwe::{encrypt_compact, Decrypted, DecryptorSource, EncryptedCompact, KeyEncryptor};

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

/// The outer layer of a nested JWT: a compact JWE with `cty: "JWT"`, decrypted.
pub(crate) fn decrypt_nested_outer(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    options: &ParseOptions,
) -> Result<Decrypted> {
    let outer = EncryptedCompact::parse_with(token, options)?;
    if !outer.untrusted_header().untrusted().is_nested_jwt() {
        return Err(Error::malformed(
            Part::Header,
            "not a nested JWT: the JWE's cty is not \"JWT\"",
        ));
    }
    outer.decrypt(decryption_keys)
}

/// The inner JWS of a decrypted nested JWT, as text.
pub(crate) fn inner_jws(outer: &Decrypted) -> Result<&str> {
    std::str::from_utf8(outer.plaintext())
        .map_err(|_| Error::malformed(Part::Payload, "the nested JWS is not text"))
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
