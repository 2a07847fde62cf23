//! JWE Compact Serialization (RFC 7516 §7.1) and the encryption and decryption steps every
//! serialization shares (§5.1, §5.2).

use super::{
    check_binding, content, opaque, zip, ContentEncryption, ContentEncryptionKey, Decrypted,
    DecryptorSource, KeyDecryptor, KeyEncryptor, KeyManagementAlgorithm,
};
use crate::base64url;
use crate::crypto::rand;
use crate::error::{Error, Part, Result};
use crate::header::{self, JweHeader, Untrusted};
use crate::jose::ParseOptions;
use crate::limits::Limits;

/// Encrypts `plaintext` for one recipient and returns a compact JWE
/// (`header.encrypted_key.iv.ciphertext.tag`).
///
/// `alg` comes from the key and `enc` from the argument (a header naming others is an
/// error); `kid` from the key unless the header has one. The plaintext is compressed only
/// when the header asks for it ([`JweHeader::with_deflate`]).
///
/// # Errors
/// [`Error::AlgorithmMismatch`] for a header or `dir` key bound to other algorithms,
/// [`Error::Critical`] for an invalid `crit`, [`Error::Unsupported`] for a `zip` other than
/// `DEF`, and the key's errors.
pub fn encrypt_compact(
    header: &JweHeader,
    plaintext: &[u8],
    enc: ContentEncryption,
    key: &dyn KeyEncryptor,
) -> Result<String> {
    let mut header = prepare_header(header, key, enc)?;
    check_produced_crit(&header, None)?;
    let plaintext = compress(&header, plaintext)?;
    let cek = ContentEncryptionKey::new(rand::bytes(enc.key_len())?);
    let wrapped = key.encrypt_key(enc, cek, &mut header)?;
    check_cek(&wrapped.cek, enc)?;
    let protected = base64url::encode(header.to_json());
    let (iv, ciphertext, tag) = content::encrypt(
        enc,
        wrapped.cek.as_bytes(),
        protected.as_bytes(),
        &plaintext,
    )?;
    let mut out = protected;
    for part in [&wrapped.encrypted_key, &iv, &ciphertext, &tag] {
        out.push('.');
        base64url::encode_into(part, &mut out);
    }
    Ok(out)
}

/// Decrypts a compact JWE with a key, or with the one key of a set that fits its `kid`,
/// `alg` and `enc`; default [`ParseOptions`] (for others, [`EncryptedCompact::parse_with`]).
///
/// # Errors
/// [`Error::Malformed`], [`Error::LimitExceeded`], [`Error::Unsupported`],
/// [`Error::Critical`], [`Error::KeySelection`], [`Error::AlgorithmMismatch`] before any
/// key is used; then only [`Error::DecryptionFailed`].
pub fn decrypt_compact(token: &str, keys: &dyn DecryptorSource) -> Result<Decrypted> {
    EncryptedCompact::parse(token)?.decrypt(keys)
}

/// The header a key will encrypt under: `alg` and `enc` set (and checked against what the
/// caller wrote), `kid` from the key unless present.
pub(crate) fn prepare_header(
    header: &JweHeader,
    key: &dyn KeyEncryptor,
    enc: ContentEncryption,
) -> Result<JweHeader> {
    let alg = key.algorithm();
    let mut header = header.clone();
    named_or_set(&mut header, alg, enc)?;
    if let Some(bound) = key.content_encryption() {
        if bound != enc {
            return Err(Error::AlgorithmMismatch {
                expected: bound.name().to_string(),
                found: enc.name().to_string(),
            });
        }
    }
    header.set_kid_if_absent(key.key_id());
    Ok(header)
}

/// Sets `alg` and `enc`, or checks the values the caller already put there.
fn named_or_set(
    header: &mut JweHeader,
    alg: KeyManagementAlgorithm,
    enc: ContentEncryption,
) -> Result<()> {
    match header.alg() {
        Some(named) if named != alg.name() => {
            return Err(Error::AlgorithmMismatch {
                expected: alg.name().to_string(),
                found: named.to_string(),
            })
        }
        Some(_) => {}
        None => header.set_alg_name(alg.name()),
    }
    match header.enc() {
        Some(named) if named != enc.name() => Err(Error::AlgorithmMismatch {
            expected: enc.name().to_string(),
            found: named.to_string(),
        }),
        Some(_) => Ok(()),
        None => {
            header.set_enc_name(enc.name());
            Ok(())
        }
    }
}

/// Producer rules for `crit` (in the protected header only, RFC 7515 §4.1.11).
pub(crate) fn check_produced_crit(protected: &JweHeader, joined: Option<&JweHeader>) -> Result<()> {
    if let Some(crit) = protected.crit() {
        let whole = joined.unwrap_or(protected);
        header::check_crit_list(crit, &|n| whole.contains(n))?;
    }
    Ok(())
}

/// Applies `zip` if the protected header asks for it.
pub(crate) fn compress(protected: &JweHeader, plaintext: &[u8]) -> Result<Vec<u8>> {
    match protected.zip() {
        None => Ok(plaintext.to_vec()),
        Some("DEF") => Ok(zip::deflate(plaintext)),
        Some(other) => Err(Error::unsupported(format!(
            "zip \"{}\" (only DEF exists)",
            other.escape_debug()
        ))),
    }
}

/// A CEK from a key encryptor must fit the content encryption.
pub(crate) fn check_cek(cek: &ContentEncryptionKey, enc: ContentEncryption) -> Result<()> {
    if cek.len() == enc.key_len() {
        Ok(())
    } else {
        Err(Error::key(format!(
            "the key encryptor returned a {}-byte CEK; {enc} needs {}",
            cek.len(),
            enc.key_len()
        )))
    }
}

/// The per-recipient part of decryption: binding check, key unwrap, content decryption,
/// inflation. Every failure between the first secret operation and the tag check is
/// [`Error::DecryptionFailed`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn decrypt_with_key(
    key: &dyn KeyDecryptor,
    alg: &str,
    enc: ContentEncryption,
    joined: &Untrusted<JweHeader>,
    encrypted_key: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
    deflated: bool,
    limits: &Limits,
) -> Result<Vec<u8>> {
    check_binding(key.algorithm(), key.content_encryption(), alg, enc)?;
    if key.algorithm().is_direct() && !encrypted_key.is_empty() {
        return Err(Error::malformed(
            Part::EncryptedKey,
            format!("{alg} uses no encrypted key; it must be empty"),
        ));
    }
    let cek = key
        .decrypt_key(enc, encrypted_key, joined, limits)
        .map_err(opaque)?;
    let plaintext = content::decrypt(enc, cek.as_bytes(), iv, aad, ciphertext, tag)
        .ok_or(Error::DecryptionFailed)?;
    if deflated {
        zip::inflate(&plaintext, limits.max_decompressed_len())
    } else {
        Ok(plaintext.to_vec())
    }
}

/// The key-management algorithm a (joined) header names. Unknown names and `RSA1_5` are
/// refused here, before any key or RSA operation.
pub(crate) fn header_alg(joined: &JweHeader) -> Result<KeyManagementAlgorithm> {
    let alg = joined
        .alg()
        .ok_or_else(|| Error::malformed(Part::Header, "missing \"alg\""))?;
    KeyManagementAlgorithm::from_token(alg)
}

/// Checks `enc`, `crit` and `zip` of a JWE's headers, before any key is used; returns the
/// content encryption and whether the plaintext is deflated.
pub(crate) fn check_header(
    protected: &JweHeader,
    joined: &JweHeader,
    unprotected_crit: bool,
    options: &ParseOptions,
) -> Result<(ContentEncryption, bool)> {
    let enc = joined
        .enc()
        .ok_or_else(|| Error::malformed(Part::Header, "missing \"enc\""))?;
    let enc = ContentEncryption::from_token(enc)?;
    header::check_crit(
        protected.crit(),
        unprotected_crit,
        &|n| joined.contains(n),
        options.critical(),
    )?;
    let deflated = match (protected.zip(), joined.zip()) {
        (None, None) => false,
        (Some("DEF"), _) => true,
        (Some(other), _) => {
            return Err(Error::unsupported(format!(
                "zip \"{}\" (only DEF exists)",
                other.escape_debug()
            )))
        }
        // RFC 7516 §4.1.3: zip must be integrity protected.
        (None, Some(_)) => {
            return Err(Error::malformed(
                Part::UnprotectedHeader,
                "\"zip\" must be in the protected header",
            ))
        }
    };
    Ok((enc, deflated))
}

/// Checks the lengths of IV and tag for `enc` (RFC 7518 §5.2–5.3: exact).
pub(crate) fn check_lengths(enc: ContentEncryption, iv: &[u8], tag: &[u8]) -> Result<()> {
    if iv.len() != enc.iv_len() {
        return Err(Error::malformed(
            Part::Iv,
            format!("{enc} needs a {}-byte IV, not {}", enc.iv_len(), iv.len()),
        ));
    }
    if tag.len() != enc.tag_len() {
        return Err(Error::malformed(
            Part::Tag,
            format!(
                "{enc} needs a {}-byte tag, not {}",
                enc.tag_len(),
                tag.len()
            ),
        ));
    }
    Ok(())
}

/// A compact JWE, parsed but not decrypted. Its header is readable, to choose a key, but
/// attacker-controlled.
#[derive(Debug)]
pub struct EncryptedCompact {
    protected_b64: Vec<u8>,
    header: Untrusted<JweHeader>,
    alg: KeyManagementAlgorithm,
    enc: ContentEncryption,
    deflated: bool,
    encrypted_key: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
    limits: Limits,
}

impl EncryptedCompact {
    /// Parses a compact JWE: five base64url parts, a strict protected header naming known
    /// algorithms, a valid `crit`, and an IV and tag of the exact lengths `enc` needs.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`], [`Error::Malformed`], [`Error::Unsupported`] (unknown
    /// algorithms, `RSA1_5`), [`Error::Critical`].
    pub fn parse(token: &str) -> Result<Self> {
        Self::parse_with(token, &ParseOptions::default())
    }

    /// As [`parse`](Self::parse), with other [`ParseOptions`] (limits, understood `crit`
    /// extensions).
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with(token: &str, options: &ParseOptions) -> Result<Self> {
        let limits = options.limits();
        limits.check_token_len(token.len())?;
        let parts: Vec<&[u8]> = token.as_bytes().split(|&b| b == b'.').collect();
        let [h, ek, iv, ct, tag] = parts.as_slice() else {
            let hint = if parts.len() == 3 {
                " (this looks like a JWS)"
            } else {
                ""
            };
            return Err(Error::malformed(
                Part::Token,
                format!(
                    "a compact JWE has 5 parts separated by '.', this has {}{hint}",
                    parts.len()
                ),
            ));
        };
        limits.check_encoded_header_len(h.len())?;
        let header = JweHeader::parse(
            &base64url::decode_part(h, Part::Header)?,
            Part::Header,
            limits.json_depth(),
        )?;
        let (enc, deflated) = check_header(&header, &header, false, options)?;
        let alg = header_alg(&header)?;
        let encrypted_key = base64url::decode_part(ek, Part::EncryptedKey)?;
        let iv = base64url::decode_part(iv, Part::Iv)?;
        let ciphertext = base64url::decode_part(ct, Part::Ciphertext)?;
        let tag = base64url::decode_part(tag, Part::Tag)?;
        check_lengths(enc, &iv, &tag)?;
        Ok(Self {
            protected_b64: h.to_vec(),
            header: Untrusted::new(header),
            alg,
            enc,
            deflated,
            encrypted_key,
            iv,
            ciphertext,
            tag,
            limits: limits.clone(),
        })
    }

    /// The protected header, before decryption: use it to choose a key, nothing else.
    pub fn untrusted_header(&self) -> &Untrusted<JweHeader> {
        &self.header
    }

    /// The key-management algorithm the JWE names.
    pub fn key_management(&self) -> KeyManagementAlgorithm {
        self.alg
    }

    /// The content encryption the JWE names.
    pub fn content_encryption(&self) -> ContentEncryption {
        self.enc
    }

    /// Decrypts with a key, or with the one key of a set that fits the header. The key must
    /// be bound to the JWE's `alg` (and `enc` for `dir`).
    ///
    /// # Errors
    /// [`Error::KeySelection`] and [`Error::AlgorithmMismatch`] before a key is used; then
    /// [`Error::DecryptionFailed`] for any failure up to the tag check;
    /// [`Error::LimitExceeded`] for a PBES2 count or an inflated size over the limits.
    pub fn decrypt(self, keys: &dyn DecryptorSource) -> Result<Decrypted> {
        let key = keys.select_decryptor(&self.header)?;
        if key.algorithm().is_costly() {
            crate::limits::check(
                crate::error::Limit::CostlyUnwraps,
                1,
                self.limits.max_costly_unwraps(),
            )?;
        }
        let plaintext = decrypt_with_key(
            key,
            self.alg.name(),
            self.enc,
            &self.header,
            &self.encrypted_key,
            &self.iv,
            &self.protected_b64,
            &self.ciphertext,
            &self.tag,
            self.deflated,
            &self.limits,
        )?;
        Ok(Decrypted {
            header: self.header.into_untrusted(),
            shared_unprotected: None,
            recipient: None,
            aad: None,
            plaintext,
            key_management: self.alg,
        })
    }
}
