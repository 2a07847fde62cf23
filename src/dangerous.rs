//! Operations that give up a security property, each named for what it gives up.
//!
//! Nothing in here is used by any verification path of josecraft. Reach for these only
//! for debugging tools, known-answer tests, or protocols that really use unsecured JWS
//! (RFC 7515 Appendix A.5); every use deserves a comment saying why.

use serde_json::value::RawValue;

use crate::error::{Error, Part, Result};
use crate::header::{self, JwsHeader};
use crate::jose::serialization;
use crate::jose::{DecryptorSource, ParseOptions, Signer, VerifierSource};
use crate::json;
use crate::jwe::Decrypted;
use crate::jws::compact::{check_b64, split3, CompactSigningInput};
use crate::jws::{UnverifiedCompact, VerifiedJws};
use crate::{base64url, Limits};

/// Decodes a compact JWS **without verifying its signature**: the header and payload are
/// whatever the sender wanted them to be. For inspecting tokens only.
///
/// The structure is still checked strictly (three parts, canonical base64url, a strict
/// JSON header, default [`Limits`]); `crit` is not.
///
/// ```
/// use josecraft::{dangerous, jws, HmacAlgorithm, HmacKey, JwsHeader};
///
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
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
    let (h, p, s) = split3(token)?;
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

/// Which serialization [`inspect`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenForm {
    /// A compact JWS (three parts).
    CompactJws,
    /// A JWS in the flattened or general JSON serialization.
    JsonJws,
    /// A compact JWE (five parts).
    CompactJwe,
    /// A JWE in the flattened or general JSON serialization.
    JsonJwe,
}

/// What [`inspect`] found in a token's payload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InspectedPayload {
    /// The JWS payload bytes (decoded, or as-is for `"b64": false`).
    Bytes(Vec<u8>),
    /// The JWS carries no payload (a detached JSON JWS).
    Detached,
    /// A JWE: the payload is encrypted.
    Encrypted,
}

/// A token's header and payload as [`inspect`] read them, **unverified**.
#[derive(Debug, Clone)]
pub struct Inspection {
    form: TokenForm,
    header: Vec<(String, Box<RawValue>)>,
    payload: InspectedPayload,
}

impl Inspection {
    /// The serialization.
    pub fn form(&self) -> TokenForm {
        self.form
    }

    /// The header members in token order, values as their JSON text. For a JSON JWS: the
    /// first signature's protected members, then its unprotected ones; for a JWE: the
    /// protected header only.
    pub fn header(&self) -> &[(String, Box<RawValue>)] {
        &self.header
    }

    /// The header as one JSON object (member order kept).
    pub fn header_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (name, value)) in self.header.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::json::write_str(&mut out, name);
            out.push(':');
            out.push_str(value.get());
        }
        out.push('}');
        out
    }

    /// The payload.
    pub fn payload(&self) -> &InspectedPayload {
        &self.payload
    }
}

/// Reads any JWS or JWE — compact or JSON — **without verifying or decrypting anything**:
/// for tools that show what a token says. Nothing read here is trustworthy.
///
/// Syntax is still checked strictly (canonical base64url in every part, strict JSON without
/// duplicate members, default [`Limits`]), but algorithms, `crit` and header member types
/// are not, so that odd tokens (`alg: none`, `RSA1_5`) can be shown.
///
/// ```
/// use josecraft::dangerous::{self, InspectedPayload, TokenForm};
/// use josecraft::{jws, HmacAlgorithm, HmacKey, JwsHeader};
///
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
/// let token = jws::sign_compact(&JwsHeader::new().with_typ("JWT"), br#"{"sub":"ada"}"#, &key)?;
/// let seen = dangerous::inspect(&token)?;
/// assert_eq!(seen.form(), TokenForm::CompactJws);
/// assert_eq!(seen.header_json(), r#"{"alg":"HS256","typ":"JWT"}"#);
/// assert_eq!(seen.payload(), &InspectedPayload::Bytes(br#"{"sub":"ada"}"#.to_vec()));
/// # Ok::<(), josecraft::Error>(())
/// ```
///
/// # Errors
/// [`Error::Malformed`] or [`Error::LimitExceeded`] for anything that is not a JWS or JWE.
pub fn inspect(token: &str) -> Result<Inspection> {
    let limits = Limits::default();
    limits.check_token_len(token.len())?;
    if token.trim_start().starts_with('{') {
        return inspect_json(token, &limits);
    }
    let parts: Vec<&[u8]> = token.as_bytes().split(|&b| b == b'.').collect();
    let header_of = |h: &[u8]| -> Result<Vec<(String, Box<RawValue>)>> {
        limits.check_encoded_header_len(h.len())?;
        let bytes = base64url::decode_part(h, Part::Header)?;
        owned_members(&bytes, Part::Header, limits.json_depth())
    };
    match parts.as_slice() {
        [h, p, s] => {
            let header = header_of(h)?;
            base64url::decode_part(s, Part::Signature)?;
            let payload = if payload_encoded(&header)? {
                base64url::decode_part(p, Part::Payload)?
            } else {
                p.to_vec()
            };
            Ok(Inspection {
                form: TokenForm::CompactJws,
                header,
                payload: InspectedPayload::Bytes(payload),
            })
        }
        [h, rest @ ..] if rest.len() == 4 => {
            let header = header_of(h)?;
            for (part, name) in
                rest.iter()
                    .zip([Part::EncryptedKey, Part::Iv, Part::Ciphertext, Part::Tag])
            {
                base64url::decode_part(part, name)?;
            }
            Ok(Inspection {
                form: TokenForm::CompactJwe,
                header,
                payload: InspectedPayload::Encrypted,
            })
        }
        _ => Err(Error::malformed(
            Part::Token,
            format!(
                "a compact JWS has 3 parts and a compact JWE 5, this has {}",
                parts.len()
            ),
        )),
    }
}

fn owned_members(bytes: &[u8], part: Part, depth: usize) -> Result<Vec<(String, Box<RawValue>)>> {
    let members = json::parse_object(bytes, part, depth)?;
    members
        .into_iter()
        .map(|(name, value)| {
            json::check_nested(value, part)?;
            Ok((name.into_owned(), value.to_owned()))
        })
        .collect()
}

fn payload_encoded(header: &[(String, Box<RawValue>)]) -> Result<bool> {
    match header.iter().find(|(n, _)| n == "b64") {
        None => Ok(true),
        Some((_, v)) => json::member::<bool>("b64", v, Part::Header),
    }
}

/// The member `name` of a split JSON serialization.
fn named<'a>(members: &[(&'static str, &'a RawValue)], name: &str) -> Option<&'a RawValue> {
    members.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn inspect_json(token: &str, limits: &Limits) -> Result<Inspection> {
    let top = json::parse_object(token.as_bytes(), Part::Token, limits.json_depth())?;
    let protected = |value: Option<&RawValue>| -> Result<Vec<(String, Box<RawValue>)>> {
        match value {
            None => Ok(Vec::new()),
            Some(v) => {
                let b64: &str = json::member("protected", v, Part::Header)?;
                let bytes = base64url::decode_part(b64.as_bytes(), Part::Header)?;
                owned_members(&bytes, Part::Header, limits.json_depth())
            }
        }
    };
    if top.iter().any(|(n, _)| n == "ciphertext") {
        let shape = serialization::split(&top, &crate::jwe::json::LAYOUT, limits)?;
        return Ok(Inspection {
            form: TokenForm::JsonJwe,
            header: protected(named(&shape.shared, "protected"))?,
            payload: InspectedPayload::Encrypted,
        });
    }
    let shape = serialization::split(&top, &crate::jws::json::LAYOUT, limits)?;
    // The first signature (the only one when flattened).
    let signature = shape
        .entries
        .first()
        .ok_or_else(|| Error::malformed(Part::Token, "a JWS needs a signature"))?;
    let mut header = protected(named(signature, "protected"))?;
    if let Some(unprotected) = named(signature, "header") {
        let extra = owned_members(
            unprotected.get().as_bytes(),
            Part::UnprotectedHeader,
            limits.json_depth(),
        )?;
        for (name, value) in extra {
            if header.iter().any(|(n, _)| *n == name) {
                return Err(Error::malformed(
                    Part::UnprotectedHeader,
                    format!("\"{}\" is in both headers", name.escape_debug()),
                ));
            }
            header.push((name, value));
        }
    }
    if let Some(s) = named(signature, "signature") {
        let s: &str = json::member("signature", s, Part::Signature)?;
        base64url::decode_part(s.as_bytes(), Part::Signature)?;
    }
    let payload = match named(&shape.shared, "payload") {
        None => InspectedPayload::Detached,
        Some(p) => {
            let p: String = json::member("payload", p, Part::Payload)?;
            if payload_encoded(&header)? {
                InspectedPayload::Bytes(base64url::decode_part(p.as_bytes(), Part::Payload)?)
            } else {
                InspectedPayload::Bytes(p.into_bytes())
            }
        }
    };
    Ok(Inspection {
        form: TokenForm::JsonJws,
        header,
        payload,
    })
}

/// A decrypted nested JWT whose inner signature verified, its claims **not validated**: the
/// outer JWE's headers and the inner JWS.
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
    /// The verified inner JWS: its header and payload (the JWT claims, not validated).
    pub fn inner(&self) -> &VerifiedJws {
        &self.inner
    }
    /// Takes the verified inner JWS.
    pub fn into_inner(self) -> VerifiedJws {
        self.inner
    }
}

/// Decrypts a compact nested JWT and verifies the inner JWS **without validating its
/// claims**: no `exp`, `nbf`, `iss`, `aud` or `typ` check. Both layers must succeed (RFC 8725
/// §3.3); an outer JWE without `cty: "JWT"` is refused. For a JWT,
/// [`jwt::decrypt_nested`](crate::jwt::decrypt_nested) is the function to use.
///
/// # Errors
/// Any error of decryption, then any error of verification; [`Error::Malformed`] when the
/// outer `cty` is not `JWT` or the plaintext is not a compact JWS.
pub fn decrypt_nested_unvalidated(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    verification_keys: &dyn VerifierSource,
    options: &ParseOptions,
) -> Result<Nested> {
    let outer = crate::jwt::decrypt_nested_outer(token, decryption_keys, options)?;
    let jws = std::str::from_utf8(outer.plaintext())
        .map_err(|_| Error::malformed(Part::Payload, "the nested JWS is not text"))?;
    let inner = UnverifiedCompact::parse_with(jws, options)?.verify(verification_keys)?;
    Ok(Nested { outer, inner })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::ContentEncryption;
    use crate::jwe::{self, SymmetricKey};
    use crate::jws::{self, JsonJwsBuilder};
    use crate::{HmacAlgorithm, SymmetricKeyManagement};
    use crate::{HmacKey, JweHeader};

    fn key() -> HmacKey {
        HmacKey::new(HmacAlgorithm::Hs256, &[7u8; 32])
            .unwrap()
            .with_key_id("k")
    }

    #[test]
    fn every_form() {
        let compact = jws::sign_compact(&JwsHeader::new(), b"not json", &key()).unwrap();
        let seen = inspect(&compact).unwrap();
        assert_eq!(seen.form(), TokenForm::CompactJws);
        assert_eq!(seen.header_json(), r#"{"alg":"HS256","kid":"k"}"#);
        assert_eq!(
            seen.payload(),
            &InspectedPayload::Bytes(b"not json".to_vec())
        );

        let unprotected = JwsHeader::new().with_typ("x");
        let general = JsonJwsBuilder::new(b"{}")
            .sign(&key(), &JwsHeader::new(), Some(&unprotected))
            .unwrap()
            .sign(
                &HmacKey::new(HmacAlgorithm::Hs384, &[1u8; 48]).unwrap(),
                &JwsHeader::new(),
                None,
            )
            .unwrap()
            .general()
            .unwrap();
        let seen = inspect(&general).unwrap();
        assert_eq!(seen.form(), TokenForm::JsonJws);
        assert_eq!(seen.header_json(), r#"{"alg":"HS256","kid":"k","typ":"x"}"#);
        assert_eq!(seen.payload(), &InspectedPayload::Bytes(b"{}".to_vec()));

        let detached = JsonJwsBuilder::new(b"{}")
            .with_detached_payload()
            .sign(&key(), &JwsHeader::new(), None)
            .unwrap()
            .flattened()
            .unwrap();
        assert_eq!(
            inspect(&detached).unwrap().payload(),
            &InspectedPayload::Detached
        );

        let unencoded = jws::sign_compact(
            &JwsHeader::new().with_b64(false).with_crit(["b64"]),
            b"$02",
            &key(),
        )
        .unwrap();
        assert_eq!(
            inspect(&unencoded).unwrap().payload(),
            &InspectedPayload::Bytes(b"$02".to_vec())
        );

        let k = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
        let jwe =
            jwe::encrypt_compact(&JweHeader::new(), b"secret", ContentEncryption::A128Gcm, &k)
                .unwrap();
        let seen = inspect(&jwe).unwrap();
        assert_eq!(seen.form(), TokenForm::CompactJwe);
        assert_eq!(seen.header_json(), r#"{"alg":"A128KW","enc":"A128GCM"}"#);
        assert_eq!(seen.payload(), &InspectedPayload::Encrypted);
        let json = jwe::JweJsonBuilder::new(ContentEncryption::A128Gcm)
            .with_recipient(&k, None)
            .flattened(b"secret")
            .unwrap();
        let seen = inspect(&json).unwrap();
        assert_eq!(seen.form(), TokenForm::JsonJwe);
        assert!(seen.header_json().contains(r#""enc":"A128GCM""#));

        // Odd but well-formed tokens are shown.
        let none = sign_unsecured(&JwsHeader::new(), b"x").unwrap();
        assert!(inspect(&none).unwrap().header_json().contains("none"));
    }

    #[test]
    fn malformed_tokens() {
        let h = base64url::encode(r#"{"alg":"HS256"}"#);
        let dup = base64url::encode(r#"{"alg":"HS256","alg":"none"}"#);
        for bad in [
            String::new(),
            "a.b".into(),
            "a.b.c.d".into(),
            format!("{h}.e30.+++"),
            format!("{dup}.e30."),
            format!("{h}.e30=.AA"),
            format!("{}.e30.", base64url::encode(r#"{"b64":"no"}"#)),
            r#"{"payload":"e30"}"#.into(),
            r#"{"signatures":[],"payload":"e30"}"#.into(),
            format!(r#"{{"protected":"{h}","header":{{"alg":"x"}},"signature":"","payload":""}}"#),
            r#"{"ciphertext":"x","protected":"!"}"#.into(),
        ] {
            assert!(
                matches!(inspect(&bad), Err(Error::Malformed { .. })),
                "{bad}: {:?}",
                inspect(&bad)
            );
        }
    }
}
