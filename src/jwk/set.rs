//! JWK Sets (RFC 7517 §5): parsing, selection by query, and the policies under which a set
//! becomes prepared keys (the preparing itself is `crate::keyset`'s).

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

use super::Jwk;
use crate::alg::{ContentEncryption, JwsAlgorithm, KeyManagementAlgorithm};
use crate::error::{Error, KeySelectionError, Limit, Part, Result};
use crate::jose::{KeyDecryptor, PreparedJwks, Verifier};
use crate::json;
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
/// assert_eq!(set.select(&KeyQuery::new().with_kid("a"))?.crv(), Some("Ed25519"));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct JwkSet {
    entries: Vec<Entry>,
    extra: Vec<(String, json::RawJson)>,
    /// The set prepared with the default policies, built on first use and shared by clones
    /// (any change makes a new one).
    prepared: Arc<PreparedCache>,
}

/// The default preparations of a set (see `crate::keyset`).
#[derive(Default)]
pub(crate) struct PreparedCache {
    pub(crate) verifier: OnceLock<Result<JwksVerifier>>,
    pub(crate) decryptor: OnceLock<Result<JwksDecryptor>>,
}

/// A [`JwkSet`] prepared for JWS verification (see
/// [`JwkSet::verifier_with`](JwkSet::verifier_with)).
pub type JwksVerifier = PreparedJwks<dyn Verifier>;

/// A [`JwkSet`] prepared for JWE decryption (see
/// [`JwkSet::decryptor_with`](JwkSet::decryptor_with)).
pub type JwksDecryptor = PreparedJwks<dyn KeyDecryptor>;

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
            prepared: Arc::default(),
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
        self.prepared = Arc::default();
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

    /// Every entry in order: a readable key, or the JSON of one that is not and why.
    pub(crate) fn entries(&self) -> impl Iterator<Item = std::result::Result<&Jwk, (&str, &str)>> {
        self.entries.iter().map(|e| match e {
            Entry::Key(k) => Ok(&**k),
            Entry::Unusable { json, reason } => Err((json.get(), reason.as_str())),
        })
    }

    /// The cached preparations with the default policies.
    pub(crate) fn prepared(&self) -> &PreparedCache {
        &self.prepared
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
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
    /// Only keys for this algorithm.
    pub fn with_alg(mut self, alg: impl Into<String>) -> Self {
        self.alg = Some(alg.into());
        self
    }
    /// Only keys whose `use` is this (or absent).
    pub fn with_use(mut self, key_use: impl Into<String>) -> Self {
        self.key_use = Some(key_use.into());
        self
    }
    /// Only keys whose `key_ops` contain this (or are absent).
    pub fn with_key_op(mut self, op: impl Into<String>) -> Self {
        self.key_op = Some(op.into());
        self
    }
    /// Only keys of this `kty`.
    pub fn with_kty(mut self, kty: impl Into<String>) -> Self {
        self.kty = Some(kty.into());
        self
    }
    /// Only keys on this `crv`.
    pub fn with_crv(mut self, crv: impl Into<String>) -> Self {
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
    pub(crate) algorithms: Vec<JwsAlgorithm>,
    pub(crate) allow_mixed: bool,
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
    pub fn with_mixed_symmetric_keys(mut self) -> Self {
        self.allow_mixed = true;
        self
    }
}

/// The `kid` of an entry that is not a readable JWK, if it has a string one.
pub(crate) fn raw_kid(json: &str) -> Option<String> {
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
    pub(crate) algorithms: Vec<KeyManagementAlgorithm>,
    pub(crate) direct: Vec<ContentEncryption>,
    pub(crate) allow_mixed: bool,
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

    /// Accepts a set that mixes shared secrets (`oct`) and private keys. Each key stays
    /// bound to its own algorithm, so this is safe, but such sets usually mean a mistake.
    pub fn with_mixed_symmetric_keys(mut self) -> Self {
        self.allow_mixed = true;
        self
    }
}
