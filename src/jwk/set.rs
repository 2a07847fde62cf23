//! JWK Sets (RFC 7517 §5): parsing, selection, and turning a set into the key source of JWS
//! verification under an explicit algorithm policy.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

use super::{Jwk, Operation, SecretBytes};
use crate::alg::{ContentEncryption, JwsAlgorithm, KeyManagementAlgorithm};
use crate::error::{Error, KeySelectionError, Limit, Part, Result};
use crate::header::{JweHeader, JwsHeader};
use crate::json;
use crate::jwe::{DecryptorSet, DecryptorSource, KeyDecryptor};
use crate::jws::{Verifier, VerifierSet, VerifierSource};
use crate::limits::{self, Limits};

/// A JSON Web Key Set.
///
/// Keys josecraft cannot use (an unknown `kty`, a curve it lacks, a malformed member) are
/// kept, so the set serializes back as it came, but never selected.
///
/// ```
/// use josecraft::jwk::{JwkSet, KeyQuery};
///
/// let set = JwkSet::from_json(br#"{"keys":[
///   {"kty":"OKP","crv":"Ed25519","kid":"a","alg":"EdDSA","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
///   {"kty":"XYZ","kid":"from-the-future"}
/// ]}"#)?;
/// assert_eq!(set.keys().count(), 1);
/// assert_eq!(set.unusable().count(), 1);
/// assert_eq!(set.select(&KeyQuery::new().kid("a"))?.crv(), Some("Ed25519"));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct JwkSet {
    entries: Vec<Entry>,
    extra: Vec<(String, json::RawJson)>,
    default_verifier: Arc<OnceLock<Result<JwksVerifier>>>,
    default_decryptor: Arc<OnceLock<Result<JwksDecryptor>>>,
}

#[derive(Clone)]
enum Entry {
    Key(Box<Jwk>),
    Unusable { json: json::RawJson, reason: String },
}

impl fmt::Debug for JwkSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwkSet")
            .field("keys", &self.keys().collect::<Vec<_>>())
            .field(
                "unusable",
                &self.unusable().map(|(_, r)| r).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl PartialEq for JwkSet {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

impl JwkSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a JWK Set with default [`Limits`].
    ///
    /// # Errors
    /// [`Error::Malformed`] for a document that is not a strict JSON object with a `keys`
    /// array of objects, [`Error::LimitExceeded`] for too many keys or too long a document.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        Self::from_json_with(json, &Limits::default())
    }

    /// Parses a JWK Set with the given limits.
    ///
    /// # Errors
    /// As [`JwkSet::from_json`].
    pub fn from_json_with(json: &[u8], limits: &Limits) -> Result<Self> {
        limits.check_key_len(json.len())?;
        let members = json::parse_object(json, Part::JwkSet, limits.json_depth())?;
        let mut keys: Option<&RawValue> = None;
        let mut extra = Vec::new();
        for (name, value) in members {
            if name == "keys" {
                keys = Some(value);
            } else {
                json::check_nested(value, Part::JwkSet)?;
                extra.push((name.into_owned(), json::RawJson::new(value)));
            }
        }
        let keys = keys.ok_or_else(|| Error::malformed(Part::JwkSet, "missing \"keys\""))?;
        let list: Vec<&RawValue> = json::member("keys", keys, Part::JwkSet)?;
        limits::check(Limit::KeySetSize, list.len(), limits.max_keys())?;
        let mut entries = Vec::with_capacity(list.len());
        for raw in list {
            let members =
                json::parse_object(raw.get().as_bytes(), Part::JwkSet, limits.json_depth())?;
            entries.push(match Jwk::from_members(members) {
                Ok(jwk) => Entry::Key(Box::new(jwk)),
                Err(e) => Entry::Unusable {
                    json: json::RawJson::new(raw),
                    reason: e.to_string(),
                },
            });
        }
        Ok(Self {
            entries,
            extra,
            default_verifier: Arc::default(),
            default_decryptor: Arc::default(),
        })
    }

    /// The set as compact JSON, every key as it was (private members included).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + 400 * self.entries.len());
        out.push_str("{\"keys\":[");
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match e {
                Entry::Key(k) => {
                    let mut w = json::ObjectWriter::new();
                    k.members(&mut w);
                    out.push_str(&w.finish());
                }
                Entry::Unusable { json, .. } => out.push_str(json.get()),
            }
        }
        out.push(']');
        for (k, v) in &self.extra {
            out.push(',');
            json::write_str(&mut out, k);
            out.push(':');
            out.push_str(v.get());
        }
        out.push('}');
        out
    }

    /// Adds a key.
    pub fn push(&mut self, jwk: Jwk) {
        self.entries.push(Entry::Key(Box::new(jwk)));
        self.default_verifier = Arc::default();
        self.default_decryptor = Arc::default();
    }

    /// Adds a key, builder style.
    pub fn with(mut self, jwk: Jwk) -> Self {
        self.push(jwk);
        self
    }

    /// The keys josecraft can read, in order.
    pub fn keys(&self) -> impl Iterator<Item = &Jwk> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Key(k) => Some(&**k),
            Entry::Unusable { .. } => None,
        })
    }

    /// The entries josecraft cannot read: their JSON and why.
    pub fn unusable(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Key(_) => None,
            Entry::Unusable { json, reason } => Some((json.get(), reason.as_str())),
        })
    }

    /// Number of entries, readable or not.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every readable key that matches `query`.
    pub fn find_all<'s, 'q>(
        &'s self,
        query: &'q KeyQuery,
    ) -> impl Iterator<Item = &'s Jwk> + use<'s, 'q> {
        self.keys().filter(move |k| query.matches(k))
    }

    /// The one key that matches `query`.
    ///
    /// # Errors
    /// [`Error::KeySelection`]: no key, or several keys (never "the first").
    pub fn select(&self, query: &KeyQuery) -> Result<&Jwk> {
        let mut found = self.find_all(query);
        let first = found.next();
        let more = found.count();
        match (first, more) {
            (Some(k), 0) => Ok(k),
            (None, _) => Err(Error::KeySelection(KeySelectionError::NoKey {
                kid: query.kid.clone(),
                alg: query.alg.clone().unwrap_or_default(),
            })),
            (Some(_), n) => Err(Error::KeySelection(KeySelectionError::SeveralKeys {
                kid: query.kid.clone(),
                alg: query.alg.clone().unwrap_or_default(),
                count: n + 1,
            })),
        }
    }

    /// The public keys of the set: private members removed, `key_ops` mapped, `oct` keys
    /// and unreadable entries left out.
    pub fn to_public(&self) -> JwkSet {
        let mut out = JwkSet::new();
        for k in self.keys() {
            if let Ok(public) = k.to_public() {
                out.push(public);
            }
        }
        out.extra = self.extra.clone();
        out
    }

    /// The set prepared for verification with the default policy: each key is used with
    /// the algorithm in its own `alg` member only; keys without `alg` are skipped; a set
    /// mixing shared secrets and public keys is refused.
    ///
    /// # Errors
    /// As [`JwkSet::verifier_with`].
    pub fn verifier(&self) -> Result<JwksVerifier> {
        self.verifier_with(&VerifierPolicy::default())
    }

    /// The set prepared for verification under `policy`: every usable key built once and
    /// indexed by `kid` and algorithm. Keys that cannot verify (wrong `use` or `key_ops`,
    /// an encryption algorithm, an unsupported curve, no `alg` and none stated) are
    /// skipped and listed in [`JwksVerifier::skipped`].
    ///
    /// ```
    /// use josecraft::jwk::{JwkSet, VerifierPolicy};
    /// use josecraft::JwsAlgorithm;
    ///
    /// let set = JwkSet::from_json(br#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"a",
    ///   "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#)?;
    /// // The key has no alg: without a policy it is skipped, never guessed.
    /// assert_eq!(set.verifier()?.len(), 0);
    /// let policy = VerifierPolicy::new().with_algorithm(JwsAlgorithm::EdDsa);
    /// assert_eq!(set.verifier_with(&policy)?.len(), 1);
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if usable keys mix shared secrets (`oct`) and public keys and
    /// the policy does not allow it (an HS256 token could then be checked against a public
    /// key's bytes by a careless caller; Wycheproof `MixedKeySet`).
    pub fn verifier_with(&self, policy: &VerifierPolicy) -> Result<JwksVerifier> {
        let mut set = VerifierSet::new();
        let mut skipped = Vec::new();
        let mut unreadable_kids: Vec<String> = Vec::new();
        let mut usable_kids: Vec<String> = Vec::new();
        let (mut symmetric, mut asymmetric) = (false, false);
        for entry in &self.entries {
            let jwk = match entry {
                Entry::Key(k) => &**k,
                Entry::Unusable { json, reason } => {
                    let kid = raw_kid(json.get());
                    unreadable_kids.extend(kid.clone());
                    skipped.push(SkippedKey {
                        kid,
                        reason: reason.clone(),
                    });
                    continue;
                }
            };
            let skip = |reason: String| SkippedKey {
                kid: jwk.kid().map(str::to_string),
                reason,
            };
            if let Err(e) = jwk.check_operation(Operation::Verify) {
                skipped.push(skip(e.to_string()));
                continue;
            }
            let algs: Vec<JwsAlgorithm> = match jwk.alg() {
                Some(name) => match JwsAlgorithm::from_name(name) {
                    Some(a) => vec![a],
                    None => {
                        skipped.push(skip(format!(
                            "alg \"{}\" is not a JWS algorithm",
                            name.escape_debug()
                        )));
                        continue;
                    }
                },
                None => policy
                    .algorithms
                    .iter()
                    .copied()
                    .filter(|a| crate::alg::fits_jwk(a.name(), jwk.kty(), jwk.crv()) == Some(true))
                    .collect(),
            };
            if algs.is_empty() {
                skipped.push(skip(
                    "no alg, and the policy states none for this key type".into(),
                ));
                continue;
            }
            for alg in algs {
                let built: Result<Arc<dyn Verifier>> = if alg.is_symmetric() {
                    jwk.to_hmac_key(Some(alg))
                        .map(|k| Arc::new(k) as Arc<dyn Verifier>)
                } else {
                    jwk.to_verifying_key(Some(alg))
                        .map(|k| Arc::new(k) as Arc<dyn Verifier>)
                };
                match built {
                    Ok(v) => {
                        symmetric |= alg.is_symmetric();
                        asymmetric |= !alg.is_symmetric();
                        usable_kids.extend(v.key_id().map(str::to_string));
                        set.insert_arc(v);
                    }
                    Err(e) => skipped.push(skip(e.to_string())),
                }
            }
        }
        if symmetric && asymmetric && !policy.allow_mixed {
            return Err(Error::key(
                "the key set mixes shared secrets (oct) and public keys; refused unless the policy allows it",
            ));
        }
        let mut ambiguous: Vec<(String, usize)> = Vec::new();
        for kid in &unreadable_kids {
            if usable_kids.contains(kid) && !ambiguous.iter().any(|(k, _)| k == kid) {
                let count = usable_kids
                    .iter()
                    .chain(&unreadable_kids)
                    .filter(|k| *k == kid)
                    .count();
                ambiguous.push((kid.clone(), count));
            }
        }
        Ok(JwksVerifier {
            inner: Arc::new(VerifierInner {
                set,
                skipped,
                ambiguous,
            }),
        })
    }
}

impl Serialize for JwkSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Keys<'a>(&'a [Entry]);
        impl Serialize for Keys<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.len()))?;
                for e in self.0 {
                    match e {
                        Entry::Key(k) => seq.serialize_element(&**k)?,
                        Entry::Unusable { json, .. } => seq.serialize_element(&**json)?,
                    }
                }
                seq.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("keys", &Keys(&self.entries))?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, &**v)?;
        }
        m.end()
    }
}

/// As strict as [`JwkSet::from_json`] (default [`Limits`]); entries josecraft cannot use
/// are kept, as when parsing.
impl<'de> serde::Deserialize<'de> for JwkSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::deserialize_strict(d, JwkSet::from_json)
    }
}

/// JWK Sets are used directly as a key source with the default [`VerifierPolicy`] (keys'
/// own `alg` only, mixed sets refused); build a [`JwksVerifier`] with
/// [`JwkSet::verifier_with`] for anything else. The prepared keys are cached.
impl VerifierSource for JwkSet {
    fn select_verifier(&self, header: &JwsHeader) -> Result<&dyn Verifier> {
        match self.default_verifier.get_or_init(|| self.verifier()) {
            Ok(v) => v.select_verifier(header),
            Err(e) => Err(e.clone()),
        }
    }
}

impl JwkSet {
    /// The cached verifier of the default policy (what [`VerifierSource`] uses).
    pub(crate) fn default_verifier(&self) -> Result<JwksVerifier> {
        self.default_verifier
            .get_or_init(|| self.verifier())
            .clone()
    }
}

/// Which keys a [`KeyQuery`] matches: every criterion given must hold.
///
/// A key without `alg` matches an algorithm its `kty`/`crv` can do; a key without `use` or
/// `key_ops` matches any use or operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyQuery {
    kid: Option<String>,
    alg: Option<String>,
    key_use: Option<String>,
    key_op: Option<String>,
    kty: Option<String>,
    crv: Option<String>,
}

impl KeyQuery {
    /// Matches every key.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only keys with this `kid`.
    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
    /// Only keys for this algorithm.
    pub fn alg(mut self, alg: impl Into<String>) -> Self {
        self.alg = Some(alg.into());
        self
    }
    /// Only keys whose `use` is this (or absent).
    pub fn key_use(mut self, key_use: impl Into<String>) -> Self {
        self.key_use = Some(key_use.into());
        self
    }
    /// Only keys whose `key_ops` contain this (or are absent).
    pub fn key_op(mut self, op: impl Into<String>) -> Self {
        self.key_op = Some(op.into());
        self
    }
    /// Only keys of this `kty`.
    pub fn kty(mut self, kty: impl Into<String>) -> Self {
        self.kty = Some(kty.into());
        self
    }
    /// Only keys on this `crv`.
    pub fn crv(mut self, crv: impl Into<String>) -> Self {
        self.crv = Some(crv.into());
        self
    }

    /// Whether `jwk` matches.
    pub fn matches(&self, jwk: &Jwk) -> bool {
        let kid = self.kid.as_deref().is_none_or(|q| jwk.kid() == Some(q));
        let alg = self.alg.as_deref().is_none_or(|q| match jwk.alg() {
            Some(own) => own == q || JwsAlgorithm::from_name(own).is_some_and(|a| a.accepts(q)),
            None => crate::alg::fits_jwk(q, jwk.kty(), jwk.crv()) == Some(true),
        });
        let key_use = self
            .key_use
            .as_deref()
            .is_none_or(|q| jwk.key_use().is_none_or(|u| u == q));
        let key_op = self
            .key_op
            .as_deref()
            .is_none_or(|q| jwk.key_ops().is_none_or(|ops| ops.iter().any(|o| o == q)));
        let kty = self.kty.as_deref().is_none_or(|q| jwk.kty() == q);
        let crv = self.crv.as_deref().is_none_or(|q| jwk.crv() == Some(q));
        kid && alg && key_use && key_op && kty && crv
    }
}

/// How a [`JwkSet`] becomes a set of verifiers.
///
/// By default a key is used only with the algorithm its own `alg` member names. Keys
/// without `alg` get their algorithm(s) from the caller (DESIGN rule 1: never from the
/// token): [`with_algorithm`](Self::with_algorithm) says, for instance, "RSA keys here are
/// RS256".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifierPolicy {
    algorithms: Vec<JwsAlgorithm>,
    allow_mixed: bool,
}

impl VerifierPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keys without `alg` whose type fits `alg` are used with it (call several times for
    /// several algorithms; each gives its own verifier).
    pub fn with_algorithm(mut self, alg: JwsAlgorithm) -> Self {
        if !self.algorithms.contains(&alg) {
            self.algorithms.push(alg);
        }
        self
    }

    /// Accepts a set that mixes shared secrets (`oct`) and public keys. Each key stays
    /// bound to its own algorithm, so this is safe, but such sets usually mean a mistake.
    pub fn allow_mixed_symmetric(mut self) -> Self {
        self.allow_mixed = true;
        self
    }
}

/// A key set skipped this key when preparing for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    /// The key's `kid`, if it had one.
    pub kid: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

/// A JWK Set prepared for JWS verification: every usable key built once and indexed by
/// `kid` and algorithm, so selection costs the same for any size of set.
///
/// Cloning is cheap (the prepared keys are shared), so a snapshot can be handed to every
/// request; it is also a [`KeySource`](crate::keysource::KeySource).
#[derive(Debug, Clone)]
pub struct JwksVerifier {
    inner: Arc<VerifierInner>,
}

#[derive(Debug)]
struct VerifierInner {
    set: VerifierSet,
    skipped: Vec<SkippedKey>,
    /// `kid`s shared by a usable key and an entry that could not be read: a token with one
    /// of them cannot be matched to one key with certainty.
    ambiguous: Vec<(String, usize)>,
}

impl JwksVerifier {
    /// The number of verifiers (a key used with two algorithms counts twice).
    pub fn len(&self) -> usize {
        self.inner.set.len()
    }

    /// Whether no key of the set can verify.
    pub fn is_empty(&self) -> bool {
        self.inner.set.is_empty()
    }

    /// The keys left out, and why.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.inner.skipped
    }
}

impl VerifierSource for JwksVerifier {
    fn select_verifier(&self, header: &JwsHeader) -> Result<&dyn Verifier> {
        if let Some(kid) = header.kid() {
            if let Some((_, count)) = self.inner.ambiguous.iter().find(|(k, _)| k == kid) {
                return Err(Error::KeySelection(KeySelectionError::SeveralKeys {
                    kid: Some(kid.to_string()),
                    alg: header.alg().unwrap_or_default().to_string(),
                    count: *count,
                }));
            }
        }
        self.inner.set.select_verifier(header)
    }
}

/// The `kid` of an entry that is not a readable JWK, if it has a string one.
fn raw_kid(json: &str) -> Option<String> {
    let members = json::parse_object(json.as_bytes(), Part::JwkSet, 128).ok()?;
    let (_, value) = members.into_iter().find(|(k, _)| k == "kid")?;
    serde_json::from_str(value.get()).ok()
}

/// How a [`JwkSet`] becomes a set of JWE decryptors.
///
/// By default a key is used only with the algorithm its own `alg` member names (for a
/// `dir` key that may be the content encryption, RFC 7520 §5.6). Keys without `alg` get
/// their algorithms from the caller, never from the JWE.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecryptorPolicy {
    algorithms: Vec<KeyManagementAlgorithm>,
    direct: Vec<ContentEncryption>,
}

impl DecryptorPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keys without `alg` whose type fits `alg` are used with it.
    pub fn with_algorithm(mut self, alg: KeyManagementAlgorithm) -> Self {
        if !self.algorithms.contains(&alg) {
            self.algorithms.push(alg);
        }
        self
    }

    /// `oct` keys without `alg` whose length fits `enc` are `dir` keys for it.
    pub fn with_direct(mut self, enc: ContentEncryption) -> Self {
        if !self.direct.contains(&enc) {
            self.direct.push(enc);
        }
        self
    }
}

/// A JWK Set prepared for JWE decryption: usable keys built once and indexed.
#[derive(Debug, Clone)]
pub struct JwksDecryptor {
    set: DecryptorSet,
    skipped: Vec<SkippedKey>,
}

impl JwksDecryptor {
    /// The number of decryptors (a key used with two algorithms counts twice).
    pub fn len(&self) -> usize {
        self.set.len()
    }
    /// Whether no key of the set can decrypt.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
    /// The keys left out, and why.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }
}

impl DecryptorSource for JwksDecryptor {
    fn select_decryptor(&self, header: &JweHeader) -> Result<&dyn KeyDecryptor> {
        self.set.select_decryptor(header)
    }
}

impl JwkSet {
    /// The set prepared for JWE decryption with the default policy (keys' own `alg` only).
    ///
    /// # Errors
    /// None today; the `Result` leaves room for policy checks.
    pub fn decryptor(&self) -> Result<JwksDecryptor> {
        self.decryptor_with(&DecryptorPolicy::default())
    }

    /// The set prepared for JWE decryption under `policy`. Keys that cannot decrypt (a
    /// signature key, wrong `use`/`key_ops`, no `alg` and none stated) are skipped.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for policy checks.
    pub fn decryptor_with(&self, policy: &DecryptorPolicy) -> Result<JwksDecryptor> {
        let mut set = DecryptorSet::new();
        let mut skipped = Vec::new();
        for entry in &self.entries {
            let jwk = match entry {
                Entry::Key(k) => &**k,
                Entry::Unusable { json, reason } => {
                    skipped.push(SkippedKey {
                        kid: raw_kid(json.get()),
                        reason: reason.clone(),
                    });
                    continue;
                }
            };
            let skip = |reason: String| SkippedKey {
                kid: jwk.kid().map(str::to_string),
                reason,
            };
            if let Err(e) = jwk.check_operation(Operation::Decrypt) {
                skipped.push(skip(e.to_string()));
                continue;
            }
            let direct_for =
                |k: &SecretBytes| -> Vec<(KeyManagementAlgorithm, Option<ContentEncryption>)> {
                    policy
                        .direct
                        .iter()
                        .filter(|e| e.key_len() == k.len())
                        .map(|e| (KeyManagementAlgorithm::Dir, Some(*e)))
                        .collect()
                };
            let pairs: Vec<(KeyManagementAlgorithm, Option<ContentEncryption>)> = if jwk
                .alg()
                .is_some()
            {
                match (jwk.jwe_algorithms(None, None), jwk.params()) {
                    // `"alg": "dir"` names no content encryption; as for the same key
                    // alone, the caller states it (RFC 7520 §5.6 spells it as the alg).
                    (Ok((KeyManagementAlgorithm::Dir, None)), super::KeyParams::Oct { k }) => {
                        direct_for(k)
                    }
                    (Ok(pair), _) => vec![pair],
                    (Err(e), _) => {
                        skipped.push(skip(e.to_string()));
                        continue;
                    }
                }
            } else {
                let mut pairs: Vec<_> = policy
                    .algorithms
                    .iter()
                    .filter(|a| **a != KeyManagementAlgorithm::Dir)
                    .filter(|a| crate::alg::fits_jwk(a.name(), jwk.kty(), jwk.crv()) == Some(true))
                    .map(|a| (*a, None))
                    .collect();
                if let super::KeyParams::Oct { k } = jwk.params() {
                    pairs.extend(direct_for(k));
                }
                pairs
            };
            if pairs.is_empty() {
                skipped.push(skip(if jwk.alg() == Some("dir") {
                    "a dir key needs its content encryption: DecryptorPolicy::with_direct states it"
                        .into()
                } else {
                    "no alg, and the policy states none for this key type".into()
                }));
                continue;
            }
            for (alg, enc) in pairs {
                match jwk.to_key_decryptor(alg, enc) {
                    Ok(k) => set.insert_arc(k),
                    Err(e) => skipped.push(skip(e.to_string())),
                }
            }
        }
        Ok(JwksDecryptor { set, skipped })
    }
}

/// JWK Sets are used directly as a decryption key source with the default
/// [`DecryptorPolicy`]; the prepared keys are cached.
impl DecryptorSource for JwkSet {
    fn select_decryptor(&self, header: &JweHeader) -> Result<&dyn KeyDecryptor> {
        match self.default_decryptor.get_or_init(|| self.decryptor()) {
            Ok(d) => d.select_decryptor(header),
            Err(e) => Err(e.clone()),
        }
    }
}
