//! JWS Compact Serialization (RFC 7515 §7.1), with detached (Appendix F) and unencoded
//! (RFC 7797) payloads.

use std::borrow::Cow;
use std::fmt;

use super::{check_binding, Signer, VerifiedJws, VerifierSource};
use crate::alg::JwsAlgorithm;
use crate::base64url;
use crate::error::{Error, Part, Result};
use crate::header::{self, JwsHeader, Untrusted};
use crate::jose::{KeySource, ParseOptions};

/// Signs `payload` and returns a compact JWS (`header.payload.signature`).
///
/// `alg` is set from the signer (a header that already names another algorithm is an
/// error), and `kid` from the signer's key ID unless the header has one.
///
/// # Errors
/// [`Error::AlgorithmMismatch`] if the header names another algorithm than the signer's,
/// [`Error::Critical`] for an invalid `crit`, [`Error::Malformed`] for `b64: false` with a
/// payload containing `.`, and whatever the signer reports.
pub fn sign_compact(header: &JwsHeader, payload: &[u8], signer: &dyn Signer) -> Result<String> {
    let input = CompactSigningInput::new(header, signer.algorithm(), signer.key_id(), payload)?;
    // Refuse an unencoded payload the token cannot carry before the signer is asked (a KMS
    // call costs money and time).
    input.check_carriable()?;
    let signature = signer.sign(input.as_bytes())?;
    input.into_token(&signature)
}

/// Signs `payload` and returns a compact JWS with a detached payload (RFC 7515 Appendix F):
/// `header..signature`. The payload travels separately; verify with
/// [`UnverifiedCompact::parse_detached`].
///
/// # Errors
/// As [`sign_compact`].
pub fn sign_compact_detached(
    header: &JwsHeader,
    payload: &[u8],
    signer: &dyn Signer,
) -> Result<String> {
    let input =
        CompactSigningInput::new(header, signer.algorithm(), signer.key_id(), payload)?.detached();
    let signature = signer.sign(input.as_bytes())?;
    input.into_token(&signature)
}

/// Verifies a compact JWS with a key, or with the one key of a set that fits its `kid` and
/// `alg`; default [`ParseOptions`] (for others, [`UnverifiedCompact::parse_with`]).
///
/// A single key's algorithm must be the token's `alg`; its `kid` is not compared (the
/// caller chose the key).
///
/// ```
/// use josecraft::{jws, HmacAlgorithm, HmacKey, JwsHeader};
///
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
/// let token = jws::sign_compact(&JwsHeader::new(), b"hello", &key)?;
/// assert_eq!(jws::verify_compact(&token, &key)?.payload(), b"hello");
/// # Ok::<(), josecraft::Error>(())
/// ```
///
/// # Errors
/// [`Error::Malformed`], [`Error::LimitExceeded`], [`Error::Critical`],
/// [`Error::KeySelection`], [`Error::AlgorithmMismatch`] or [`Error::InvalidSignature`].
pub fn verify_compact(token: &str, keys: &dyn VerifierSource) -> Result<VerifiedJws> {
    UnverifiedCompact::parse(token)?.verify(keys)
}

/// Verifies a compact JWS with keys from a [`KeySource`] (a key, a set, or a
/// [`RemoteJwks`](crate::keysource::RemoteJwks) that may fetch first): the source gives
/// its keys for the token's header, and the one key that fits `kid` and `alg` verifies.
///
/// # Errors
/// As [`verify_compact`], plus [`Error::KeysUnavailable`] from a remote source.
pub async fn verify_compact_async(token: &str, keys: &dyn KeySource) -> Result<VerifiedJws> {
    let unverified = UnverifiedCompact::parse(token)?;
    let found = keys.keys_for(unverified.untrusted_header()).await?;
    unverified.verify(&found)
}

/// The JWS Signing Input of a compact JWS, for signers that cannot be called
/// synchronously (a KMS behind an async API, an HSM on another machine): build it, have it
/// signed however you like, then assemble the token.
///
/// ```
/// use josecraft::{jws, JwsAlgorithm, JwsHeader, SigningKey};
/// use josecraft::jws::{CompactSigningInput, Signer};
/// use josecraft::SignatureAlgorithm;
///
/// let key = SigningKey::generate(SignatureAlgorithm::EdDsa)?;
/// let input = CompactSigningInput::new(&JwsHeader::new(), JwsAlgorithm::EdDsa, Some("kms-1"), b"data")?;
/// // ... send input.as_bytes() to the remote signer, await the signature ...
/// let signature = key.sign(input.as_bytes())?;
/// let token = input.into_token(&signature)?;
/// assert_eq!(jws::verify_compact(&token, &key.verifying_key())?.header().kid(), Some("kms-1"));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompactSigningInput {
    alg: JwsAlgorithm,
    /// `BASE64URL(header) '.' payload-part`.
    input: SigningBytes,
    /// Length of the encoded header.
    header_len: usize,
    /// Whether the payload part is base64url (not RFC 7797 `b64: false`).
    encoded: bool,
    detached: bool,
}

/// The signing input, kept as text whenever it is text: an encoded payload always is, so
/// assembling the token needs no second UTF-8 scan of it.
#[derive(Clone)]
enum SigningBytes {
    Text(String),
    /// An unencoded payload that is not UTF-8 (it can only be detached).
    Bytes(Vec<u8>),
}

impl fmt::Debug for SigningBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) => f.debug_tuple("Text").field(&t.len()).finish(),
            Self::Bytes(b) => f.debug_tuple("Bytes").field(&b.len()).finish(),
        }
    }
}

impl CompactSigningInput {
    /// Prepares the signing input for `payload` under `header`, which gets `alg` and, unless
    /// it has one, `kid`.
    ///
    /// # Errors
    /// As [`sign_compact`].
    pub fn new(
        header: &JwsHeader,
        alg: JwsAlgorithm,
        kid: Option<&str>,
        payload: &[u8],
    ) -> Result<Self> {
        let header = prepare_header(header, alg, kid)?;
        Self::from_header_json(
            header.to_json().as_bytes(),
            alg,
            header.is_payload_encoded(),
            payload,
        )
    }

    /// From the exact header bytes (for known-answer tests and `dangerous`).
    pub(crate) fn from_header_json(
        header_json: &[u8],
        alg: JwsAlgorithm,
        encoded: bool,
        payload: &[u8],
    ) -> Result<Self> {
        let mut text = String::with_capacity(
            base64url::encoded_len(header_json.len()) + 1 + base64url::encoded_len(payload.len()),
        );
        base64url::encode_into(header_json, &mut text);
        let header_len = text.len();
        text.push('.');
        let input = if encoded {
            base64url::encode_into(payload, &mut text);
            SigningBytes::Text(text)
        } else {
            // RFC 7797 §5: the payload goes in as it is, any bytes. Only a payload that is
            // carried in the token must also be text without '.' (checked when it is
            // assembled); a detached one travels separately.
            match std::str::from_utf8(payload) {
                Ok(p) => {
                    text.push_str(p);
                    SigningBytes::Text(text)
                }
                Err(_) => {
                    let mut bytes = text.into_bytes();
                    bytes.extend_from_slice(payload);
                    SigningBytes::Bytes(bytes)
                }
            }
        };
        Ok(Self {
            alg,
            input,
            header_len,
            encoded,
            detached: false,
        })
    }

    fn detached(mut self) -> Self {
        self.detached = true;
        self
    }

    /// The bytes to sign.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.input {
            SigningBytes::Text(t) => t.as_bytes(),
            SigningBytes::Bytes(b) => b,
        }
    }

    /// The algorithm the header names.
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.alg
    }

    /// Fails if the payload cannot travel inside a compact JWS: an unencoded one that is not
    /// text or contains `.` (RFC 7797 §5.2). A detached payload can be any bytes.
    fn check_carriable(&self) -> Result<()> {
        // base64url never contains '.', and a detached payload is not carried.
        if self.detached || self.encoded {
            return Ok(());
        }
        match &self.input {
            SigningBytes::Bytes(_) => Err(Error::malformed(
                Part::Payload,
                "an unencoded (b64: false) payload carried in a compact JWS must be UTF-8 text; detach it to sign any bytes",
            )),
            // `t` starts with the encoded header and its '.', so `header_len + 1 <= len`.
            SigningBytes::Text(t) if t[self.header_len + 1..].contains('.') => Err(Error::malformed(
                Part::Payload,
                "an unencoded (b64: false) payload containing '.' can only be detached (RFC 7797 §5.2)",
            )),
            SigningBytes::Text(_) => Ok(()),
        }
    }

    /// Assembles the compact JWS from the signature over [`as_bytes`](Self::as_bytes).
    ///
    /// # Errors
    /// [`Error::SigningFailed`] if the signature cannot belong to the algorithm (wrong
    /// length); [`Error::Malformed`] if an unencoded payload contains `.`.
    pub fn into_token(self, signature: &[u8]) -> Result<String> {
        check_signature_len(self.alg, signature)?;
        self.check_carriable()?;
        let keep = if self.detached {
            self.header_len + 1
        } else {
            usize::MAX
        };
        let mut token = match self.input {
            SigningBytes::Text(mut t) => {
                t.truncate(keep.min(t.len()));
                t
            }
            // Only a detached payload can be bytes (checked above); what remains is the
            // base64url header and its '.'.
            SigningBytes::Bytes(mut b) => {
                b.truncate(keep.min(b.len()));
                String::from_utf8(b).map_err(|_| {
                    Error::malformed(Part::Payload, "an unencoded payload must be UTF-8 text")
                })?
            }
        };
        token.push('.');
        base64url::encode_into(signature, &mut token);
        Ok(token)
    }
}

/// Checks that a signature has a length its algorithm can produce.
pub(crate) fn check_signature_len(alg: JwsAlgorithm, signature: &[u8]) -> Result<()> {
    if alg.descriptor().signature.allows(signature.len()) {
        Ok(())
    } else {
        Err(Error::SigningFailed(format!(
            "a {alg} signature cannot be {} bytes long",
            signature.len()
        )))
    }
}

/// The header a signer will sign: `alg` from the signer, `kid` filled in, `crit` and `b64`
/// checked as RFC 7515 §4.1.11 and RFC 7797 §6 require of producers.
pub(crate) fn prepare_header(
    header: &JwsHeader,
    alg: JwsAlgorithm,
    kid: Option<&str>,
) -> Result<JwsHeader> {
    if let Some(named) = header.alg() {
        if !alg.accepts(named) {
            return Err(Error::AlgorithmMismatch {
                expected: alg.name().to_string(),
                found: named.to_string(),
            });
        }
    }
    let mut header = header.clone();
    if header.alg().is_none() {
        header.set_alg_name(alg.name());
    }
    header.set_kid_if_absent(kid);
    if let Some(crit) = header.crit() {
        header::check_crit_list(crit, &|n| header.contains(n))?;
    }
    check_b64(&header, header.crit())?;
    Ok(header)
}

/// RFC 7797 §6: `b64: false` must be listed in `crit`.
pub(crate) fn check_b64(header: &JwsHeader, crit: Option<&[String]>) -> Result<()> {
    if !header.is_payload_encoded() && !crit.is_some_and(|c| c.iter().any(|n| n == "b64")) {
        return Err(Error::Critical(
            "\"b64\": false must be listed in \"crit\" (RFC 7797 §6)".into(),
        ));
    }
    Ok(())
}

/// A compact JWS that has been parsed but not verified. Its header is readable, to choose
/// a key, but attacker-controlled until [`verify`](Self::verify) succeeds.
///
/// ```
/// use josecraft::{jws, HmacAlgorithm, HmacKey, JwsHeader, Limits, ParseOptions};
/// use josecraft::jws::UnverifiedCompact;
///
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?.with_key_id("2024-01");
/// let token = jws::sign_compact(&JwsHeader::new(), b"{}", &key)?;
///
/// let options = ParseOptions::new().with_limits(Limits::default().with_max_token_len(4096));
/// let unverified = UnverifiedCompact::parse_with(&token, &options)?;
/// // Reading the header takes a call that says what it is: only a hint.
/// assert_eq!(unverified.untrusted_header().untrusted().kid(), Some("2024-01"));
/// let verified = unverified.verify(&key)?;
/// assert_eq!(verified.payload(), b"{}");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Debug)]
pub struct UnverifiedCompact<'a> {
    header: Untrusted<JwsHeader>,
    signing_input: Cow<'a, [u8]>,
    payload: Payload<'a>,
    signature: base64url::Decoded<SIGNATURE_INLINE>,
}

/// Signatures up to this length (HMAC, ECDSA up to P-521, EdDSA) are kept inline.
const SIGNATURE_INLINE: usize = 132;

#[derive(Debug)]
enum Payload<'a> {
    /// Decoded from the token's payload part (checked canonical at parse, so that a
    /// malformed payload is reported as such rather than as a bad signature).
    Decoded(Vec<u8>),
    /// The payload bytes themselves (unencoded or detached).
    Raw(&'a [u8]),
}

impl<'a> UnverifiedCompact<'a> {
    /// Parses a compact JWS: three base64url parts, a strict header with an `alg`, a valid
    /// `crit` and, for `b64: false`, an unencoded payload.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] before anything is decoded for an over-long token or
    /// header; [`Error::Malformed`] for anything not a compact JWS; [`Error::Critical`].
    pub fn parse(token: &'a str) -> Result<Self> {
        Self::parse_inner(token, None, &ParseOptions::default())
    }

    /// As [`parse`](Self::parse), with other [`ParseOptions`] (limits, understood `crit`
    /// extensions).
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with(token: &'a str, options: &ParseOptions) -> Result<Self> {
        Self::parse_inner(token, None, options)
    }

    /// Parses a compact JWS with a detached payload (an empty payload part) and the payload
    /// given separately (RFC 7515 Appendix F, RFC 7797).
    ///
    /// # Errors
    /// As [`parse`](Self::parse); also [`Error::Malformed`] if the token carries a payload
    /// of its own.
    pub fn parse_detached(token: &'a str, payload: &'a [u8]) -> Result<Self> {
        Self::parse_inner(token, Some(payload), &ParseOptions::default())
    }

    /// As [`parse_detached`](Self::parse_detached), with other [`ParseOptions`].
    ///
    /// # Errors
    /// As [`parse_detached`](Self::parse_detached).
    pub fn parse_detached_with(
        token: &'a str,
        payload: &'a [u8],
        options: &ParseOptions,
    ) -> Result<Self> {
        Self::parse_inner(token, Some(payload), options)
    }

    fn parse_inner(
        token: &'a str,
        detached: Option<&'a [u8]>,
        options: &ParseOptions,
    ) -> Result<Self> {
        let limits = options.limits();
        limits.check_token_len(token.len())?;
        let bytes = token.as_bytes();
        let (h, p, s) = split3(token)?;
        limits.check_encoded_header_len(h.len())?;
        let header_json = base64url::decode_small::<512>(h, Part::Header)?;
        let header = JwsHeader::parse(&header_json, Part::Header, limits.json_depth())?;
        if header.alg().is_none() {
            return Err(Error::malformed(Part::Header, "missing \"alg\""));
        }
        header::check_crit(
            header.crit(),
            false,
            &|n| header.contains(n),
            options.critical(),
        )?;
        check_b64(&header, header.crit())?;
        let signature = base64url::decode_small::<SIGNATURE_INLINE>(s, Part::Signature)?;
        let encoded = header.is_payload_encoded();
        let (signing_input, payload) = match detached {
            None => {
                let input = Cow::Borrowed(&bytes[..h.len() + 1 + p.len()]);
                let payload = if encoded {
                    Payload::Decoded(base64url::decode_part(p, Part::Payload)?)
                } else {
                    Payload::Raw(p)
                };
                (input, payload)
            }
            Some(payload) => {
                if !p.is_empty() {
                    return Err(Error::malformed(
                        Part::Payload,
                        "a detached payload was given but the token carries one",
                    ));
                }
                let mut input =
                    Vec::with_capacity(h.len() + 1 + base64url::encoded_len(payload.len()));
                input.extend_from_slice(h);
                input.push(b'.');
                if encoded {
                    input.extend_from_slice(base64url::encode(payload).as_bytes());
                } else {
                    input.extend_from_slice(payload);
                }
                (Cow::Owned(input), Payload::Raw(payload))
            }
        };
        Ok(Self {
            header: Untrusted::new(header),
            signing_input,
            payload,
            signature,
        })
    }

    /// The header, unverified: use it to choose a key, not to decide anything.
    pub fn untrusted_header(&self) -> &Untrusted<JwsHeader> {
        &self.header
    }

    /// Verifies with a key, or with the one key of a set that fits the token's `kid` and
    /// `alg`. The key's algorithm must be the token's `alg`.
    ///
    /// # Errors
    /// [`Error::KeySelection`], [`Error::AlgorithmMismatch`], [`Error::InvalidSignature`].
    pub fn verify(self, keys: &dyn VerifierSource) -> Result<VerifiedJws> {
        let key = keys.select_verifier(&self.header)?;
        // `alg` was checked present when the token was parsed.
        check_binding(key, self.header.untrusted().alg().unwrap_or_default())?;
        key.verify(&self.signing_input, &self.signature)?;
        let payload = match self.payload {
            Payload::Decoded(p) => p,
            Payload::Raw(p) => p.to_vec(),
        };
        Ok(VerifiedJws::new(self.header.into_untrusted(), payload))
    }
}

/// Splits a compact JWS into its three parts.
pub(crate) fn split3(token: &str) -> Result<(&[u8], &[u8], &[u8])> {
    // `str::find` on a char searches with memchr: tokens are split in a few vector steps.
    let split = token.split_once('.').and_then(|(h, rest)| {
        let (p, s) = rest.split_once('.')?;
        (!s.contains('.')).then_some((h, p, s))
    });
    match split {
        Some((h, p, s)) => Ok((h.as_bytes(), p.as_bytes(), s.as_bytes())),
        None => {
            let dots = token.bytes().filter(|&b| b == b'.').count();
            let hint = if dots == 4 {
                " (this looks like a JWE)"
            } else {
                ""
            };
            Err(Error::malformed(
                Part::Token,
                format!(
                    "a compact JWS has 3 parts separated by '.', this has {}{hint}",
                    dots + 1
                ),
            ))
        }
    }
}
