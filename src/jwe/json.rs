//! JWE JSON Serialization (RFC 7516 §7.2): flattened and general, several recipients
//! sharing one CEK, protected, shared unprotected and per-recipient headers, and `aad`.

use serde_json::value::RawValue;

use super::compact::{
    check_cek, check_header, check_lengths, check_produced_crit, compress, decrypt_with_key,
    header_alg,
};
use super::{
    check_binding, content, ContentEncryption, ContentEncryptionKey, Decrypted, DecryptorSource,
    KeyDecryptor, KeyEncryptor, KeyManagementAlgorithm,
};
use crate::base64url;
use crate::crypto::rand;
use crate::error::{Error, KeySelectionError, Limit, Part, Result};
use crate::header::{check_disjoint, JweHeader, Untrusted};
use crate::jose::serialization::{self, Entries, Layout};
use crate::jose::{check_entry_kid, keep_most_telling, ParseOptions};
use crate::json::{self, MemberSink};
use crate::limits::Limits;

/// Builds a JWE in the JSON serialization for one or more recipients.
///
/// With one recipient, `alg`, `kid` and the key-management parameters go into the
/// protected header (as RFC 7520's flattened examples do) unless the recipient header was
/// given an `alg`; with several, each recipient's go into its own header. `dir` and
/// `ECDH-ES`, whose CEK cannot be shared, take exactly one recipient.
///
/// ```
/// use josecraft::jwe::{EncryptedJson, JweJsonBuilder, SymmetricKey};
/// use josecraft::{ContentEncryption, JweHeader, SymmetricKeyManagement};
///
/// let alice = SymmetricKey::generate(SymmetricKeyManagement::A128Kw)?.with_key_id("alice");
/// let bob = SymmetricKey::generate(SymmetricKeyManagement::A256GcmKw)?.with_key_id("bob");
/// let json = JweJsonBuilder::new(ContentEncryption::A128CbcHs256)
///     .with_unprotected(JweHeader::new().with_cty("text/plain"))
///     .with_aad(b"context")
///     .with_recipient(&alice, None)
///     .with_recipient(&bob, None)
///     .general(b"for both of you")?;
///
/// let jwe = EncryptedJson::parse(&json)?;
/// assert_eq!(jwe.recipients().len(), 2);
/// assert_eq!(jwe.decrypt(&bob)?.plaintext(), b"for both of you");
/// # Ok::<(), josecraft::Error>(())
/// ```
pub struct JweJsonBuilder<'k> {
    enc: ContentEncryption,
    protected: JweHeader,
    unprotected: Option<JweHeader>,
    aad: Option<Vec<u8>>,
    recipients: Vec<(&'k dyn KeyEncryptor, Option<JweHeader>)>,
}

impl<'k> JweJsonBuilder<'k> {
    /// Starts a JWE with content encryption `enc`.
    pub fn new(enc: ContentEncryption) -> Self {
        Self {
            enc,
            protected: JweHeader::new(),
            unprotected: None,
            aad: None,
            recipients: Vec::new(),
        }
    }

    /// Sets the protected header (shared by all recipients; `zip` and `crit` go here).
    pub fn with_protected(mut self, header: JweHeader) -> Self {
        self.protected = header;
        self
    }

    /// Sets the shared unprotected header. Not authenticated.
    pub fn with_unprotected(mut self, header: JweHeader) -> Self {
        self.unprotected = Some(header);
        self
    }

    /// Sets additional authenticated data.
    pub fn with_aad(mut self, aad: &[u8]) -> Self {
        self.aad = Some(aad.to_vec());
        self
    }

    /// Adds a recipient, with an optional per-recipient header (not authenticated).
    pub fn with_recipient(mut self, key: &'k dyn KeyEncryptor, header: Option<JweHeader>) -> Self {
        self.recipients.push((key, header));
        self
    }

    /// The general JSON serialization.
    ///
    /// # Errors
    /// [`Error::Malformed`] for no recipients or overlapping headers,
    /// [`Error::Unsupported`] for several recipients with `dir` or `ECDH-ES`, and the errors
    /// of [`encrypt_compact`](super::encrypt_compact).
    pub fn general(self, plaintext: &[u8]) -> Result<String> {
        self.encrypt(plaintext, false)
    }

    /// The flattened JSON serialization (exactly one recipient).
    ///
    /// # Errors
    /// As [`general`](Self::general), and [`Error::Malformed`] for several recipients.
    pub fn flattened(self, plaintext: &[u8]) -> Result<String> {
        if self.recipients.len() != 1 {
            return Err(Error::malformed(
                Part::Token,
                format!(
                    "the flattened serialization has exactly one recipient, not {}",
                    self.recipients.len()
                ),
            ));
        }
        self.encrypt(plaintext, true)
    }

    fn encrypt(self, plaintext: &[u8], flattened: bool) -> Result<String> {
        let enc = self.enc;
        let n = self.recipients.len();
        if n == 0 {
            return Err(Error::malformed(Part::Token, "a JWE needs a recipient"));
        }
        if n > 1
            && self
                .recipients
                .iter()
                .any(|(k, _)| k.algorithm().is_direct())
        {
            return Err(Error::unsupported(
                "dir and ECDH-ES with several recipients (their CEK cannot be shared)",
            ));
        }
        let mut protected = self.protected.clone();
        match protected.enc() {
            Some(named) if named != enc.name() => {
                return Err(Error::AlgorithmMismatch {
                    expected: enc.name().to_string(),
                    found: named.to_string(),
                })
            }
            Some(_) => {}
            None => protected.set_enc_name(enc.name()),
        }
        let mut cek = ContentEncryptionKey::new(rand::bytes(enc.key_len())?);
        let mut recipients: Vec<(Option<JweHeader>, Vec<u8>)> = Vec::with_capacity(n);
        for (key, header) in &self.recipients {
            let alg = key.algorithm();
            if let Some(bound) = key.content_encryption() {
                if bound != enc {
                    return Err(Error::AlgorithmMismatch {
                        expected: bound.name().to_string(),
                        found: enc.name().to_string(),
                    });
                }
            }
            // Where alg, kid and the key-management parameters go.
            let in_protected = n == 1 && header.as_ref().is_none_or(|h| h.alg().is_none());
            let mut target = if in_protected {
                protected.clone()
            } else {
                header.clone().unwrap_or_default()
            };
            match target.alg() {
                Some(named) if named != alg.name() => {
                    return Err(Error::AlgorithmMismatch {
                        expected: alg.name().to_string(),
                        found: named.to_string(),
                    })
                }
                Some(_) => {}
                None => target.set_alg_name(alg.name()),
            }
            let has_kid = protected.kid().is_some()
                || self.unprotected.as_ref().is_some_and(|u| u.kid().is_some())
                || header.as_ref().is_some_and(|h| h.kid().is_some());
            if !has_kid {
                target.set_kid_if_absent(key.key_id());
            }
            let wrapped = key.encrypt_key(enc, cek.clone(), &mut target)?;
            check_cek(&wrapped.cek, enc)?;
            if alg.is_direct() {
                cek = wrapped.cek;
            }
            if in_protected {
                protected = target;
                recipients.push((header.clone(), wrapped.encrypted_key));
            } else {
                recipients.push((Some(target), wrapped.encrypted_key));
            }
        }
        // RFC 7516 §7.2.1: the three headers are disjoint.
        for (h, _) in &recipients {
            let joined = self.joined(&protected, h.as_ref())?;
            check_produced_crit(&protected, Some(&joined))?;
        }
        for h in self
            .unprotected
            .iter()
            .chain(recipients.iter().filter_map(|(h, _)| h.as_ref()))
        {
            if h.crit().is_some() || h.zip().is_some() {
                return Err(Error::malformed(
                    Part::UnprotectedHeader,
                    "\"crit\" and \"zip\" must be in the protected header",
                ));
            }
        }
        let plaintext = compress(&protected, plaintext)?;
        let protected_b64 = if protected.is_empty() {
            String::new()
        } else {
            base64url::encode(protected.to_json())
        };
        let aad_b64 = self.aad.as_deref().map(base64url::encode);
        let aad = full_aad(&protected_b64, aad_b64.as_deref());
        let (iv, ciphertext, tag) = content::encrypt(enc, cek.as_bytes(), &aad, &plaintext)?;

        let entries = match recipients.as_slice() {
            // `flattened()` checked there is exactly one recipient.
            [one] if flattened => Entries::Flattened(one),
            all => Entries::General(all),
        };
        Ok(serialization::write(
            &LAYOUT,
            entries,
            |m| {
                if !protected_b64.is_empty() {
                    m.str("protected", &protected_b64);
                }
                if let Some(u) = &self.unprotected {
                    m.json("unprotected", &u.to_json());
                }
            },
            |(h, ek), m| {
                if let Some(h) = h {
                    m.json("header", &h.to_json());
                }
                if !ek.is_empty() {
                    m.str("encrypted_key", &base64url::encode(ek));
                }
            },
            |m| {
                json::opt_str(m, "aad", aad_b64.as_deref());
                m.str("iv", &base64url::encode(&iv));
                m.str("ciphertext", &base64url::encode(&ciphertext));
                m.str("tag", &base64url::encode(&tag));
            },
        ))
    }

    fn joined(&self, protected: &JweHeader, recipient: Option<&JweHeader>) -> Result<JweHeader> {
        let mut joined = protected.clone();
        if let Some(u) = &self.unprotected {
            joined = joined.joined(u)?;
        }
        if let Some(r) = recipient {
            joined = joined.joined(r)?;
        }
        Ok(joined)
    }
}

/// The JWE JSON serialization (RFC 7516 §7.2.1).
pub(crate) const LAYOUT: Layout = Layout {
    array: "recipients",
    shared: &["protected", "unprotected", "aad", "iv", "ciphertext", "tag"],
    entry: &["header", "encrypted_key"],
    limit: Limit::Recipients,
    max: Limits::max_recipients,
    entry_may_be_empty: true,
    what: "JWE JSON serialization",
};

/// The AAD of RFC 7516 §5.1 step 14: `ASCII(BASE64URL(protected))`, then `.` and the
/// base64url `aad` member when there is one.
fn full_aad(protected_b64: &str, aad_b64: Option<&str>) -> Vec<u8> {
    let mut aad = protected_b64.as_bytes().to_vec();
    if let Some(a) = aad_b64 {
        aad.push(b'.');
        aad.extend_from_slice(a.as_bytes());
    }
    aad
}

/// One recipient of a JSON JWE: its header (unverified) and encrypted key.
#[derive(Debug, Clone)]
pub struct RecipientInfo {
    header: Option<JweHeader>,
    joined: Untrusted<JweHeader>,
    alg: Result<KeyManagementAlgorithm>,
    encrypted_key: Vec<u8>,
}

impl RecipientInfo {
    /// The protected, shared and per-recipient members together, unverified: for choosing
    /// a key.
    pub fn untrusted_header(&self) -> &Untrusted<JweHeader> {
        &self.joined
    }

    /// The recipient's key-management algorithm, or why josecraft cannot use it (e.g.
    /// `RSA1_5`).
    pub fn key_management(&self) -> Result<KeyManagementAlgorithm> {
        self.alg.clone()
    }
}

/// A JWE in the JSON serialization, parsed but not decrypted.
#[derive(Debug)]
pub struct EncryptedJson {
    protected_b64: String,
    protected: JweHeader,
    unprotected: Option<JweHeader>,
    recipients: Vec<RecipientInfo>,
    aad_b64: Option<String>,
    aad: Option<Vec<u8>>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
    enc: ContentEncryption,
    deflated: bool,
    flattened: bool,
    limits: Limits,
}

impl EncryptedJson {
    /// Parses a flattened or general JSON JWE.
    ///
    /// A recipient whose algorithm josecraft does not implement (such as `RSA1_5`) does not
    /// make the JWE unreadable for the others: its [`RecipientInfo::key_management`] says
    /// why it is skipped.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] (length, recipients), [`Error::Malformed`],
    /// [`Error::Unsupported`] for an unknown `enc` or `zip`, [`Error::Critical`].
    pub fn parse(json: &str) -> Result<Self> {
        Self::parse_with(json, &ParseOptions::default())
    }

    /// As [`parse`](Self::parse), with other [`ParseOptions`].
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with(json: &str, options: &ParseOptions) -> Result<Self> {
        let limits = options.limits();
        limits.check_token_len(json.len())?;
        let members = json::parse_object(json.as_bytes(), Part::Token, limits.json_depth())?;
        let shape = serialization::split(&members, &LAYOUT, limits)?;
        let mut protected_b64 = None;
        let mut unprotected = None;
        let (mut aad_b64, mut iv, mut ciphertext, mut tag) = (None, None, None, None);
        let string = |n: &str, v: &RawValue| -> Result<String> { json::member(n, v, Part::Token) };
        for (name, value) in shape.shared {
            match name {
                "protected" => protected_b64 = Some(string(name, value)?),
                "unprotected" => {
                    limits.check_header_len(value.get().len())?;
                    unprotected = Some(JweHeader::parse(
                        value.get().as_bytes(),
                        Part::UnprotectedHeader,
                        limits.json_depth(),
                    )?)
                }
                "aad" => aad_b64 = Some(string(name, value)?),
                "iv" => iv = Some(string(name, value)?),
                "ciphertext" => ciphertext = Some(string(name, value)?),
                "tag" => tag = Some(string(name, value)?),
                // The layout names no other shared member.
                _ => {}
            }
        }
        let (entries, flattened) = (shape.entries, shape.flattened);
        let (Some(iv), Some(ciphertext), Some(tag)) = (iv, ciphertext, tag) else {
            return Err(Error::malformed(
                Part::Token,
                "\"iv\", \"ciphertext\" and \"tag\" are required: not a JWE JSON serialization",
            ));
        };
        let protected = match &protected_b64 {
            Some(b64) if b64.is_empty() => {
                return Err(Error::malformed(
                    Part::Header,
                    "\"protected\" is empty; omit it instead",
                ))
            }
            Some(b64) => {
                limits.check_encoded_header_len(b64.len())?;
                JweHeader::parse(
                    &base64url::decode_part(b64.as_bytes(), Part::Header)?,
                    Part::Header,
                    limits.json_depth(),
                )?
            }
            None => JweHeader::new(),
        };
        let mut shared = protected.clone();
        if let Some(u) = &unprotected {
            shared = shared.joined(u)?;
        }
        let mut recipients = Vec::with_capacity(entries.len());
        let mut enc_deflated: Option<(ContentEncryption, bool)> = None;
        for entry in entries {
            let mut header = None;
            let mut encrypted_key = Vec::new();
            for (name, value) in entry {
                if name == "header" {
                    limits.check_header_len(value.get().len())?;
                    header = Some(JweHeader::parse(
                        value.get().as_bytes(),
                        Part::UnprotectedHeader,
                        limits.json_depth(),
                    )?);
                } else {
                    let b64: String = json::member(name, value, Part::EncryptedKey)?;
                    encrypted_key = base64url::decode_part(b64.as_bytes(), Part::EncryptedKey)?;
                }
            }
            let joined = match &header {
                Some(h) => {
                    check_disjoint(h.names(), &|n| shared.contains(n))?;
                    shared.joined(h)?
                }
                None => shared.clone(),
            };
            let unprotected_crit = unprotected.as_ref().is_some_and(|u| u.crit().is_some())
                || header.as_ref().is_some_and(|h| h.crit().is_some());
            let ed = check_header(&protected, &joined, unprotected_crit, options)?;
            if *enc_deflated.get_or_insert(ed) != ed {
                return Err(Error::malformed(
                    Part::Header,
                    "recipients disagree on \"enc\"",
                ));
            }
            recipients.push(RecipientInfo {
                alg: header_alg(&joined),
                header,
                joined: Untrusted::new(joined),
                encrypted_key,
            });
        }
        let (enc, deflated) =
            enc_deflated.ok_or_else(|| Error::malformed(Part::Token, "a JWE needs a recipient"))?;
        let iv = base64url::decode_part(iv.as_bytes(), Part::Iv)?;
        let ciphertext = base64url::decode_part(ciphertext.as_bytes(), Part::Ciphertext)?;
        let tag = base64url::decode_part(tag.as_bytes(), Part::Tag)?;
        let aad = match &aad_b64 {
            Some(a) => Some(base64url::decode_part(a.as_bytes(), Part::Aad)?),
            None => None,
        };
        check_lengths(enc, &iv, &tag)?;
        Ok(Self {
            protected_b64: protected_b64.unwrap_or_default(),
            protected,
            unprotected,
            recipients,
            aad_b64,
            aad,
            iv,
            ciphertext,
            tag,
            enc,
            deflated,
            flattened,
            limits: limits.clone(),
        })
    }

    /// Whether this is the flattened form.
    pub fn is_flattened(&self) -> bool {
        self.flattened
    }

    /// The recipients, with their unverified headers.
    pub fn recipients(&self) -> &[RecipientInfo] {
        &self.recipients
    }

    /// The content encryption.
    pub fn content_encryption(&self) -> ContentEncryption {
        self.enc
    }

    fn try_recipient(
        &self,
        i: usize,
        key: &dyn KeyDecryptor,
    ) -> Result<(KeyManagementAlgorithm, Vec<u8>)> {
        let r = self.recipients.get(i).ok_or(Error::DecryptionFailed)?;
        let alg = r.alg.clone()?;
        let plaintext = decrypt_with_key(
            key,
            alg.name(),
            self.enc,
            &r.joined,
            &r.encrypted_key,
            &self.iv,
            &full_aad(&self.protected_b64, self.aad_b64.as_deref()),
            &self.ciphertext,
            &self.tag,
            self.deflated,
            &self.limits,
        )?;
        Ok((alg, plaintext))
    }

    fn finish(self, i: usize, (alg, plaintext): (KeyManagementAlgorithm, Vec<u8>)) -> Decrypted {
        let mut recipients = self.recipients;
        let r = recipients.swap_remove(i);
        Decrypted {
            header: self.protected,
            shared_unprotected: self.unprotected.map(Untrusted::new),
            recipient: r.header.map(Untrusted::new),
            aad: self.aad,
            plaintext,
            key_management: alg,
        }
    }

    /// Decrypts with a key, or with a key set: each recipient selects its key by its own
    /// header (a single key is every recipient's), and only recipients whose algorithms the
    /// selected key is bound to are tried.
    ///
    /// A key whose algorithm is costly (PBES2, RSA-OAEP, ECDH-ES) is tried on one recipient
    /// only: when several recipients fit it, the one naming the key's `kid` is chosen, and
    /// without one the key is not tried at all ([`KeySelectionError::SeveralRecipients`]).
    /// Costly attempts of the whole JWE stop at [`Limits::max_costly_unwraps`].
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] if a selected key failed; [`Error::LimitExceeded`] over
    /// the costly-work bound; [`Error::KeySelection`] when several recipients fit a costly
    /// key; otherwise [`Error::KeySelection`] if some recipient found no key, then
    /// [`Error::AlgorithmMismatch`] if no recipient is for a single key's algorithm, then
    /// the first recipient's own error (an algorithm this library does not implement).
    pub fn decrypt(self, keys: &dyn DecryptorSource) -> Result<Decrypted> {
        let mut selection_error = None;
        let mut candidates = Vec::new();
        for (i, r) in self.recipients.iter().enumerate() {
            let alg = match &r.alg {
                Ok(alg) => *alg,
                Err(e) => {
                    keep_most_telling(&mut selection_error, e.clone());
                    continue;
                }
            };
            let key = keys.select_decryptor(&r.joined).and_then(|key| {
                check_binding(
                    key.algorithm(),
                    key.content_encryption(),
                    alg.name(),
                    self.enc,
                )?;
                check_entry_kid(key.key_id(), r.joined.untrusted().kid(), alg.name())?;
                Ok(key)
            });
            match key {
                Ok(key) => candidates.push((i, key)),
                Err(e) => keep_most_telling(&mut selection_error, e),
            }
        }
        if candidates.is_empty() {
            return Err(selection_error.unwrap_or(Error::DecryptionFailed));
        }
        self.try_candidates(candidates, selection_error)
    }

    /// Tries the candidate (recipient, key) pairs within the bound on costly work: cheap
    /// key unwraps first, in recipient order (each distinct), then costly ones, each key on
    /// one recipient only (the one naming its `kid` when several fit) and at most
    /// [`Limits::max_costly_unwraps`] of them. The first success wins; errors are reported
    /// only when nothing decrypted.
    fn try_candidates(
        self,
        candidates: Vec<(usize, &dyn KeyDecryptor)>,
        selection_error: Option<Error>,
    ) -> Result<Decrypted> {
        // Two candidates are the same key when they are the same object bound the same way.
        let same = |a: &dyn KeyDecryptor, b: &dyn KeyDecryptor| {
            std::ptr::addr_eq(a, b)
                && a.algorithm() == b.algorithm()
                && a.key_id() == b.key_id()
                && a.content_encryption() == b.content_encryption()
        };
        let mut last: Option<Error> = None;
        let (cheap, costly): (Vec<_>, Vec<_>) = candidates
            .iter()
            .copied()
            .partition(|(_, k)| !k.algorithm().is_costly());
        for (n, &(i, key)) in cheap.iter().enumerate() {
            // A `dir` key gives the same CEK for every recipient: one try is enough.
            if key.algorithm().is_direct() && cheap[..n].iter().any(|(_, k)| same(*k, key)) {
                continue;
            }
            match self.try_recipient(i, key) {
                Ok(pt) => return Ok(self.finish(i, pt)),
                Err(e) => last = Some(e),
            }
        }
        let mut planned: Vec<(usize, &dyn KeyDecryptor)> = Vec::new();
        let mut ambiguous = None;
        for (n, &(_, key)) in costly.iter().enumerate() {
            if costly[..n].iter().any(|(_, k)| same(*k, key)) {
                continue; // decided at its first recipient
            }
            let fitting: Vec<usize> = costly
                .iter()
                .filter(|(_, k)| same(*k, key))
                .map(|(i, _)| *i)
                .collect();
            let named: Vec<usize> = fitting
                .iter()
                .copied()
                .filter(|&i| {
                    key.key_id().is_some()
                        && self.recipients[i].joined.untrusted().kid() == key.key_id()
                })
                .collect();
            match (fitting.as_slice(), named.as_slice()) {
                ([one], _) | (_, [one]) => planned.push((*one, key)),
                (many, _) => {
                    ambiguous.get_or_insert(Error::KeySelection(
                        KeySelectionError::SeveralRecipients {
                            kid: key.key_id().map(str::to_string),
                            alg: key.algorithm().name().to_string(),
                            count: many.len(),
                        },
                    ));
                }
            }
        }
        planned.sort_by_key(|(i, _)| *i);
        let budget = self.limits.max_costly_unwraps();
        let mut over_budget = None;
        for (attempt, &(i, key)) in planned.iter().enumerate() {
            if attempt >= budget {
                over_budget = Some(Error::limit(Limit::CostlyUnwraps, budget));
                break;
            }
            match self.try_recipient(i, key) {
                Ok(pt) => return Ok(self.finish(i, pt)),
                Err(e) => last = Some(e),
            }
        }
        Err(over_budget
            .or(ambiguous)
            .or(last)
            .or(selection_error)
            .unwrap_or(Error::DecryptionFailed))
    }
}
