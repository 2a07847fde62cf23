//! JWS JSON Serialization (RFC 7515 §7.2): flattened and general, with several signatures,
//! per-signature unprotected headers, detached (Appendix F) and unencoded (RFC 7797)
//! payloads.
//!
//! Unprotected header members are not covered by any signature. josecraft uses them only to
//! choose a key (`kid`, and `alg`, which the key's own binding then checks) and reports
//! them as [`Untrusted`].

use serde_json::value::RawValue;

use super::compact::{check_b64, check_signature_len};
use super::{check_binding, Signer, VerifiedJws, Verifier, VerifierSource};
use crate::base64url;
use crate::error::{Error, Limit, Part, Result};
use crate::header::{self, JwsHeader, Untrusted};
use crate::jose::serialization::{self, Entries, Layout};
use crate::jose::{check_entry_kid, keep_most_telling, ParseOptions};
use crate::json::{self, MemberSink, ObjectWriter};
use crate::limits::Limits;

/// Builds a JWS in the JSON serialization, one signature at a time.
///
/// ```
/// use josecraft::jws::{JsonJwsBuilder, UnverifiedJson};
/// use josecraft::{HmacAlgorithm, HmacKey, JwsHeader, SignatureAlgorithm, SigningKey};
///
/// let ec = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("ec");
/// let mac = HmacKey::generate(HmacAlgorithm::Hs256)?.with_key_id("mac");
/// let json = JsonJwsBuilder::new(b"two signatures")
///     .sign(&ec, &JwsHeader::new(), None)?
///     .sign(&mac, &JwsHeader::new(), Some(&JwsHeader::new().with_member("note", "x")?))?
///     .general()?;
///
/// let parsed = UnverifiedJson::parse(&json)?;
/// assert_eq!(parsed.signature_count(), 2);
/// let verified = parsed.verify(&ec.verifying_key())?;
/// assert_eq!(verified.payload(), b"two signatures");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct JsonJwsBuilder<'p> {
    payload: &'p [u8],
    detached: bool,
    encoded: Option<bool>,
    signatures: Vec<SignatureEntry>,
}

#[derive(Debug, Clone)]
struct SignatureEntry {
    protected_b64: String,
    unprotected: Option<JwsHeader>,
    signature: Vec<u8>,
}

impl<'p> JsonJwsBuilder<'p> {
    /// Starts a JWS over `payload`.
    pub fn new(payload: &'p [u8]) -> Self {
        Self {
            payload,
            detached: false,
            encoded: None,
            signatures: Vec::new(),
        }
    }

    /// Leaves the payload out of the output (RFC 7515 Appendix F); the verifier gets it
    /// separately.
    pub fn with_detached_payload(mut self) -> Self {
        self.detached = true;
        self
    }

    /// Adds a signature made by `signer` with the given protected header and, optionally,
    /// unprotected header.
    ///
    /// `alg` goes into the protected header unless the caller put it into the unprotected
    /// one (RFC 7520 §4.7 does); likewise the signer's key ID as `kid`, unless either header
    /// has a `kid`. The two headers must not share a member name (RFC 7515 §7.2.1); `crit`
    /// and `b64` must be protected; every signature must agree on `b64` (RFC 7797 §3).
    ///
    /// # Errors
    /// [`Error::AlgorithmMismatch`] if a header names another algorithm than the signer's,
    /// [`Error::Malformed`] for overlapping headers, [`Error::Critical`] for `crit`/`b64`
    /// violations, and the signer's errors.
    pub fn sign(
        mut self,
        signer: &dyn Signer,
        protected: &JwsHeader,
        unprotected: Option<&JwsHeader>,
    ) -> Result<Self> {
        let alg = signer.algorithm();
        let mut protected = protected.clone();
        let unprotected = unprotected.cloned();
        for h in std::iter::once(&protected).chain(unprotected.as_ref()) {
            if let Some(named) = h.alg() {
                if !alg.accepts(named) {
                    return Err(Error::AlgorithmMismatch {
                        expected: alg.name().to_string(),
                        found: named.to_string(),
                    });
                }
            }
        }
        let alg_unprotected = unprotected.as_ref().is_some_and(|u| u.alg().is_some());
        if !alg_unprotected && protected.alg().is_none() {
            protected.set_alg_name(alg.name());
        }
        if unprotected.as_ref().is_none_or(|u| u.kid().is_none()) {
            protected.set_kid_if_absent(signer.key_id());
        }
        let joined = match &unprotected {
            Some(u) => protected.joined(u)?,
            None => protected.clone(),
        };
        if let Some(u) = &unprotected {
            if u.crit().is_some() {
                return Err(Error::Critical(
                    "crit must be in the protected header".into(),
                ));
            }
            if u.b64().is_some() {
                return Err(Error::Critical(
                    "b64 must be in the protected header (RFC 7797 §3)".into(),
                ));
            }
        }
        if let Some(crit) = protected.crit() {
            header::check_crit_list(crit, &|n| joined.contains(n))?;
        }
        check_b64(&protected, protected.crit())?;
        let encoded = protected.is_payload_encoded();
        // A payload carried inside the JSON must be text; find out before the signer is
        // asked (a detached one can be any bytes).
        if !encoded && !self.detached && std::str::from_utf8(self.payload).is_err() {
            return Err(Error::malformed(
                Part::Payload,
                "an unencoded (b64: false) payload carried in the JSON must be UTF-8 text; detach it to sign any bytes",
            ));
        }
        if *self.encoded.get_or_insert(encoded) != encoded {
            return Err(Error::Critical(
                "every signature of a JWS must use the same b64 value".into(),
            ));
        }
        let protected_b64 = if protected.names().next().is_some() {
            base64url::encode(protected.to_json())
        } else {
            String::new()
        };
        // RFC 7797 §5: an unencoded payload enters the signing input as it is, any bytes;
        // only one that is carried inside the JSON must be text (checked when written).
        let mut text = String::with_capacity(
            protected_b64.len() + 1 + base64url::encoded_len(self.payload.len()),
        );
        text.push_str(&protected_b64);
        text.push('.');
        let input = if encoded {
            base64url::encode_into(self.payload, &mut text);
            text.into_bytes()
        } else {
            let mut bytes = text.into_bytes();
            bytes.extend_from_slice(self.payload);
            bytes
        };
        let signature = signer.sign(&input)?;
        check_signature_len(alg, &signature)?;
        self.signatures.push(SignatureEntry {
            protected_b64,
            unprotected,
            signature,
        });
        Ok(self)
    }

    /// The flattened JSON serialization (exactly one signature).
    ///
    /// # Errors
    /// [`Error::Malformed`] with no signature or more than one.
    pub fn flattened(self) -> Result<String> {
        let [entry] = self.signatures.as_slice() else {
            return Err(Error::malformed(
                Part::Token,
                format!(
                    "the flattened serialization has exactly one signature, not {}",
                    self.signatures.len()
                ),
            ));
        };
        self.write(Entries::Flattened(entry))
    }

    /// The general JSON serialization (one or more signatures).
    ///
    /// # Errors
    /// [`Error::Malformed`] with no signature.
    pub fn general(self) -> Result<String> {
        if self.signatures.is_empty() {
            return Err(Error::malformed(Part::Token, "a JWS needs a signature"));
        }
        self.write(Entries::General(&self.signatures))
    }

    fn write(&self, entries: Entries<'_, SignatureEntry>) -> Result<String> {
        let payload = if self.detached {
            None
        } else {
            let mut value = String::new();
            push_payload(&mut value, self.payload, self.encoded.unwrap_or(true))?;
            Some(value)
        };
        Ok(serialization::write(
            &LAYOUT,
            entries,
            |m| json::opt_str(m, "payload", payload.as_deref()),
            signature_members,
            |_| {},
        ))
    }
}

/// The JWS JSON serialization (RFC 7515 §7.2.1).
pub(crate) const LAYOUT: Layout = Layout {
    array: "signatures",
    shared: &["payload"],
    entry: &["protected", "header", "signature"],
    limit: Limit::Signatures,
    max: Limits::max_signatures,
    entry_may_be_empty: false,
    what: "JWS JSON serialization",
};

fn push_payload(out: &mut String, payload: &[u8], encoded: bool) -> Result<()> {
    if encoded {
        base64url::encode_into(payload, out);
    } else {
        out.push_str(std::str::from_utf8(payload).map_err(|_| {
            Error::malformed(
                Part::Payload,
                "an unencoded (b64: false) payload must be UTF-8 text",
            )
        })?);
    }
    Ok(())
}

fn signature_members(entry: &SignatureEntry, m: &mut ObjectWriter) {
    if !entry.protected_b64.is_empty() {
        m.str("protected", &entry.protected_b64);
    }
    if let Some(u) = &entry.unprotected {
        m.json("header", &u.to_json());
    }
    m.str("signature", &base64url::encode(&entry.signature));
}

/// A JWS in the JSON serialization (flattened or general), parsed but not verified.
#[derive(Debug)]
pub struct UnverifiedJson<'a> {
    payload: JsonPayload<'a>,
    /// The payload as it enters every signing input.
    payload_input: Vec<u8>,
    signatures: Vec<ParsedSignature>,
    flattened: bool,
}

#[derive(Debug)]
enum JsonPayload<'a> {
    /// Decoded at parse, so a malformed payload is reported as such.
    Decoded(Vec<u8>),
    Raw(Vec<u8>),
    Detached(&'a [u8]),
}

/// One signature of a JSON JWS, with its headers.
#[derive(Debug, Clone)]
pub struct ParsedSignature {
    protected_b64: String,
    protected: JwsHeader,
    unprotected: Option<JwsHeader>,
    joined: Untrusted<JwsHeader>,
    alg: String,
    signature: Vec<u8>,
}

impl ParsedSignature {
    /// The protected and unprotected members together, unverified: for choosing a key.
    pub fn untrusted_header(&self) -> &Untrusted<JwsHeader> {
        &self.joined
    }
}

/// The outcome for one signature of a general JSON JWS.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureOutcome {
    /// Position in the `signatures` array.
    pub index: usize,
    /// The signature's `kid` (protected or unprotected), if any.
    pub kid: Option<String>,
    /// The signature's `alg`.
    pub alg: String,
    /// `Ok` if a key was found and the signature verified with it.
    pub result: Result<()>,
}

/// The result of checking every signature of a JSON JWS with a key set.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonVerification {
    verified: VerifiedJws,
    outcomes: Vec<SignatureOutcome>,
}

impl JsonVerification {
    /// The payload and the headers of the first signature that verified.
    pub fn verified(&self) -> &VerifiedJws {
        &self.verified
    }
    /// Takes the verified payload and headers.
    pub fn into_verified(self) -> VerifiedJws {
        self.verified
    }
    /// One outcome per signature, in order.
    pub fn outcomes(&self) -> &[SignatureOutcome] {
        &self.outcomes
    }
    /// Whether every signature verified.
    pub fn all_verified(&self) -> bool {
        self.outcomes.iter().all(|o| o.result.is_ok())
    }
}

impl<'a> UnverifiedJson<'a> {
    /// Parses a flattened or general JSON JWS.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for too long a document or too many signatures (before
    /// anything else is decoded), [`Error::Malformed`] for anything not a JWS JSON
    /// serialization, [`Error::Critical`] for `crit`/`b64` violations.
    pub fn parse(json: &'a str) -> Result<Self> {
        Self::parse_inner(json, None, &ParseOptions::default())
    }

    /// As [`parse`](Self::parse), with other [`ParseOptions`].
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with(json: &'a str, options: &ParseOptions) -> Result<Self> {
        Self::parse_inner(json, None, options)
    }

    /// Parses a JSON JWS whose payload is detached, with the payload given separately.
    ///
    /// # Errors
    /// As [`parse`](Self::parse); [`Error::Malformed`] if the JWS carries a payload.
    pub fn parse_detached(json: &'a str, payload: &'a [u8]) -> Result<Self> {
        Self::parse_inner(json, Some(payload), &ParseOptions::default())
    }

    /// As [`parse_detached`](Self::parse_detached), with other [`ParseOptions`].
    ///
    /// # Errors
    /// As [`parse_detached`](Self::parse_detached).
    pub fn parse_detached_with(
        json: &'a str,
        payload: &'a [u8],
        options: &ParseOptions,
    ) -> Result<Self> {
        Self::parse_inner(json, Some(payload), options)
    }

    fn parse_inner(
        json: &'a str,
        detached: Option<&'a [u8]>,
        options: &ParseOptions,
    ) -> Result<Self> {
        let limits = options.limits();
        limits.check_token_len(json.len())?;
        let members = json::parse_object(json.as_bytes(), Part::Token, limits.json_depth())?;
        let shape = serialization::split(&members, &LAYOUT, limits)?;
        let mut payload: Option<String> = None;
        for (name, value) in shape.shared {
            if name == "payload" {
                payload = Some(json::member("payload", value, Part::Token)?);
            }
        }
        let (raw_entries, flattened) = (shape.entries, shape.flattened);
        let mut parsed = Vec::with_capacity(raw_entries.len());
        for entry in raw_entries {
            parsed.push(parse_signature(&entry, options)?);
        }
        // Never empty: an empty "signatures" was refused above, and flattened is one entry.
        let encoded = parsed[0].protected.is_payload_encoded();
        if parsed
            .iter()
            .any(|s| s.protected.is_payload_encoded() != encoded)
        {
            return Err(Error::Critical(
                "every signature of a JWS must use the same b64 value".into(),
            ));
        }
        let (payload, payload_input) = match (payload, detached) {
            (Some(_), Some(_)) => {
                return Err(Error::malformed(
                    Part::Payload,
                    "a detached payload was given but the JWS carries one",
                ))
            }
            (None, None) => {
                return Err(Error::malformed(
                    Part::Payload,
                    "no \"payload\": a detached payload must be given",
                ))
            }
            (Some(p), None) => {
                let input = p.as_bytes().to_vec();
                if encoded {
                    (
                        JsonPayload::Decoded(base64url::decode_part(p.as_bytes(), Part::Payload)?),
                        input,
                    )
                } else {
                    (JsonPayload::Raw(input.clone()), input)
                }
            }
            (None, Some(p)) => {
                let input = if encoded {
                    base64url::encode(p).into_bytes()
                } else {
                    p.to_vec()
                };
                (JsonPayload::Detached(p), input)
            }
        };
        Ok(Self {
            payload,
            payload_input,
            signatures: parsed,
            flattened,
        })
    }

    /// Whether this is the flattened form.
    pub fn is_flattened(&self) -> bool {
        self.flattened
    }

    /// The number of signatures.
    pub fn signature_count(&self) -> usize {
        self.signatures.len()
    }

    /// The signatures, with their unverified headers.
    pub fn signatures(&self) -> &[ParsedSignature] {
        &self.signatures
    }

    fn signing_input(&self, sig: &ParsedSignature) -> Vec<u8> {
        let mut input = Vec::with_capacity(sig.protected_b64.len() + 1 + self.payload_input.len());
        input.extend_from_slice(sig.protected_b64.as_bytes());
        input.push(b'.');
        input.extend_from_slice(&self.payload_input);
        input
    }

    fn check(&self, sig: &ParsedSignature, key: &dyn Verifier) -> Result<()> {
        check_binding(key, &sig.alg)?;
        key.verify(&self.signing_input(sig), &sig.signature)
    }

    fn finish(self, index: usize) -> Result<VerifiedJws> {
        let payload = match self.payload {
            JsonPayload::Decoded(p) => p,
            JsonPayload::Raw(p) => p,
            JsonPayload::Detached(p) => p.to_vec(),
        };
        let mut signatures = self.signatures;
        let sig = signatures.swap_remove(index);
        Ok(VerifiedJws::with_unprotected(
            sig.protected,
            sig.unprotected.map(Untrusted::new),
            payload,
        ))
    }

    /// Verifies with a key, or with a key set: each signature gets the key its own `kid`
    /// and `alg` select (a single key is tried on the signatures of its algorithm).
    /// Succeeds when one signature verifies; use [`verify_each`](Self::verify_each) to
    /// require more.
    ///
    /// # Errors
    /// [`Error::InvalidSignature`] if a selected key did not verify its signature and none
    /// did; otherwise [`Error::KeySelection`] if some signature found no key, then
    /// [`Error::AlgorithmMismatch`] if no signature is for a single key's algorithm, then
    /// the first signature's own error (an algorithm this library does not implement).
    pub fn verify(self, keys: &dyn VerifierSource) -> Result<VerifiedJws> {
        self.verify_each(keys).map(JsonVerification::into_verified)
    }

    /// Checks every signature against the key its header selects from `keys`, and reports
    /// each outcome. Fails only when no signature verifies.
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn verify_each(self, keys: &dyn VerifierSource) -> Result<JsonVerification> {
        let mut outcomes = Vec::with_capacity(self.signatures.len());
        for (index, sig) in self.signatures.iter().enumerate() {
            let result = keys.select_verifier(&sig.joined).and_then(|key| {
                check_entry_kid(key.key_id(), sig.joined.untrusted().kid(), &sig.alg)?;
                self.check(sig, key)
            });
            outcomes.push(SignatureOutcome {
                index,
                kid: sig.joined.untrusted().kid().map(str::to_string),
                alg: sig.alg.clone(),
                result,
            });
        }
        match outcomes.iter().position(|o| o.result.is_ok()) {
            Some(i) => Ok(JsonVerification {
                verified: self.finish(i)?,
                outcomes,
            }),
            None => {
                let mut error = None;
                for o in &outcomes {
                    if let Err(e) = &o.result {
                        keep_most_telling(&mut error, e.clone());
                    }
                }
                Err(error.unwrap_or(Error::InvalidSignature))
            }
        }
    }
}

fn parse_signature(entry: &[(&str, &RawValue)], options: &ParseOptions) -> Result<ParsedSignature> {
    let limits = options.limits();
    let mut protected_b64 = None;
    let mut unprotected = None;
    let mut signature = None;
    for (name, value) in entry {
        match *name {
            "protected" => {
                let b64: String = json::member("protected", value, Part::Header)?;
                if b64.is_empty() {
                    return Err(Error::malformed(
                        Part::Header,
                        "\"protected\" is empty; omit it instead (RFC 7515 §7.2.1)",
                    ));
                }
                protected_b64 = Some(b64);
            }
            "header" => {
                limits.check_header_len(value.get().len())?;
                unprotected = Some(JwsHeader::parse(
                    value.get().as_bytes(),
                    Part::UnprotectedHeader,
                    limits.json_depth(),
                )?);
            }
            _ => {
                let b64: String = json::member("signature", value, Part::Signature)?;
                signature = Some(base64url::decode_part(b64.as_bytes(), Part::Signature)?);
            }
        }
    }
    let signature =
        signature.ok_or_else(|| Error::malformed(Part::Signature, "missing \"signature\""))?;
    let protected = match &protected_b64 {
        Some(b64) => {
            limits.check_encoded_header_len(b64.len())?;
            let bytes = base64url::decode_part(b64.as_bytes(), Part::Header)?;
            JwsHeader::parse(&bytes, Part::Header, limits.json_depth())?
        }
        None if unprotected.is_none() => {
            return Err(Error::malformed(
                Part::Header,
                "a signature needs a \"protected\" or a \"header\" member",
            ))
        }
        None => JwsHeader::new(),
    };
    let joined = match &unprotected {
        Some(u) => protected.joined(u)?,
        None => protected.clone(),
    };
    let unprotected_has = |name: &str| unprotected.as_ref().is_some_and(|u| u.contains(name));
    header::check_crit(
        protected.crit(),
        unprotected_has("crit"),
        &|n| joined.contains(n),
        options.critical(),
    )?;
    if unprotected_has("b64") {
        return Err(Error::Critical(
            "b64 must be in the protected header (RFC 7797 §3)".into(),
        ));
    }
    check_b64(&protected, protected.crit())?;
    let alg = joined
        .alg()
        .ok_or_else(|| Error::malformed(Part::Header, "missing \"alg\""))?
        .to_string();
    Ok(ParsedSignature {
        protected_b64: protected_b64.unwrap_or_default(),
        protected,
        unprotected,
        joined: Untrusted::new(joined),
        alg,
        signature,
    })
}
