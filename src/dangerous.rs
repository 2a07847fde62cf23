//! Operations that give up a security property, each named for what it gives up.
//!
//! Nothing in here is used by any verification path of josecraft. Reach for these only
//! for debugging tools, known-answer tests, or protocols that really use unsecured JWS
//! (RFC 7515 Appendix A.5); every use deserves a comment saying why.

use crate::error::{Error, Part, Result};
use crate::header::{self, JwsHeader};
use crate::jws::compact::{check_b64, split3, CompactSigningInput};
use crate::jws::Signer;
use crate::{base64url, Limits};

/// Decodes a compact JWS **without verifying its signature**: the header and payload are
/// whatever the sender wanted them to be. For inspecting tokens only.
///
/// The structure is still checked strictly (three parts, canonical base64url, a strict
/// JSON header, default [`Limits`]); `crit` is not.
///
/// ```
/// use josecraft::{dangerous, jws, HmacKey, JwsAlgorithm, JwsHeader};
///
/// let key = HmacKey::generate(JwsAlgorithm::Hs256)?;
/// let token = jws::sign_compact(&JwsHeader::new().with_typ("JWT"), b"{}", &key)?;
/// let (header, payload) = dangerous::decode_unverified(&token)?;
/// assert_eq!(header.typ(), Some("JWT"));
/// assert_eq!(payload, b"{}");
/// # Ok::<(), josecraft::Error>(())
/// ```
///
/// # Errors
/// [`Error::Malformed`] or [`Error::LimitExceeded`] for anything not a compact JWS.
pub fn decode_unverified(token: &str) -> Result<(JwsHeader, Vec<u8>)> {
    let limits = Limits::default();
    limits.check_token_len(token.len())?;
    let (h, p, s) = split3(token.as_bytes())?;
    limits.check_encoded_header_len(h.len())?;
    let header = JwsHeader::parse(
        &base64url::decode_part(h, Part::Header)?,
        Part::Header,
        limits.json_depth(),
    )?;
    base64url::decode_part(s, Part::Signature)?;
    let payload = if header.is_payload_encoded() {
        base64url::decode_part(p, Part::Payload)?
    } else {
        p.to_vec()
    };
    Ok((header, payload))
}

/// Makes an unsecured JWS (`"alg": "none"`, empty signature; RFC 7515 Appendix A.5).
/// Anyone can make or change such a token; no josecraft verify function accepts one.
///
/// # Errors
/// [`Error::AlgorithmMismatch`] if the header names another algorithm,
/// [`Error::Critical`] for an invalid `crit`.
pub fn sign_unsecured(header: &JwsHeader, payload: &[u8]) -> Result<String> {
    if let Some(alg) = header.alg() {
        if alg != "none" {
            return Err(Error::AlgorithmMismatch {
                expected: "none".into(),
                found: alg.to_string(),
            });
        }
    }
    let mut header = header.clone();
    header.set_alg_name("none");
    if let Some(crit) = header.crit() {
        header::check_crit_list(crit, &|n| header.contains(n))?;
    }
    check_b64(&header, header.crit())?;
    let mut token = base64url::encode(header.to_json());
    token.push('.');
    base64url::encode_into(payload, &mut token);
    token.push('.');
    Ok(token)
}

/// Reads an unsecured JWS (`"alg": "none"` and an empty signature) and returns its header
/// and payload. Proves nothing about who made it.
///
/// # Errors
/// [`Error::AlgorithmMismatch`] for any `alg` but `none`, [`Error::Malformed`] for a
/// non-empty signature or a malformed token.
pub fn decode_unsecured(token: &str) -> Result<(JwsHeader, Vec<u8>)> {
    let (header, payload) = decode_unverified(token)?;
    if header.alg() != Some("none") {
        return Err(Error::AlgorithmMismatch {
            expected: "none".into(),
            found: header.alg().unwrap_or_default().to_string(),
        });
    }
    if !token.ends_with('.') {
        return Err(Error::malformed(
            Part::Signature,
            "an unsecured JWS has an empty signature",
        ));
    }
    Ok((header, payload))
}

/// Signs with the exact header bytes given, instead of josecraft's serialization of a
/// [`JwsHeader`]: for reproducing known-answer vectors whose headers contain line breaks
/// or a particular member order (RFC 7515 Appendix A.1).
///
/// The header is still parsed and checked: it must be strict JSON naming the signer's
/// algorithm, with a valid `crit`.
///
/// # Errors
/// [`Error::Malformed`] for a bad header, [`Error::AlgorithmMismatch`] if it names another
/// algorithm than the signer's, [`Error::Critical`], and the signer's errors.
pub fn sign_compact_with_header_json(
    header_json: &[u8],
    payload: &[u8],
    signer: &dyn Signer,
) -> Result<String> {
    let header = JwsHeader::from_json(header_json, &Limits::default())?;
    let alg = signer.algorithm();
    match header.alg() {
        Some(named) if alg.accepts(named) => {}
        named => {
            return Err(Error::AlgorithmMismatch {
                expected: alg.name().to_string(),
                found: named.unwrap_or_default().to_string(),
            })
        }
    }
    if let Some(crit) = header.crit() {
        header::check_crit_list(crit, &|n| header.contains(n))?;
    }
    check_b64(&header, header.crit())?;
    let input = CompactSigningInput::from_header_json(
        header_json,
        alg,
        header.is_payload_encoded(),
        payload,
    )?;
    let signature = signer.sign(input.as_bytes())?;
    input.into_token(&signature)
}
