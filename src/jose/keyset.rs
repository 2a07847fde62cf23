//! Key sets, the same for signing and encryption: choosing the one key of a set for a token
//! (DESIGN rule 1) by `kid`, then by algorithm; never "the first key", never one key after
//! another. Lookups are hash-indexed, so the cost does not grow with the set.
//!
//! [`KeySet`] holds keys already built ([`VerifierSet`](crate::jws::VerifierSet) and
//! [`DecryptorSet`](crate::jwe::DecryptorSet) are its two uses); [`PreparedJwks`] is a JWK
//! Set turned into such a set, which also remembers the entries it skipped and the `kid`s it
//! cannot resolve with certainty. Its rules hold for verification and decryption alike.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::encrypt::{DecryptorSource, KeyDecryptor};
use super::sign::{Verifier, VerifierSource};
use crate::alg::{JwsAlgorithm, KeyManagementAlgorithm};
use crate::error::{Error, KeySelectionError, Result};
use crate::header::{JweHeader, JwsHeader, Untrusted};

/// Keys indexed by `kid` and by the name of the algorithm they are bound to.
pub(crate) struct KeyIndex<K: ?Sized> {
    keys: Vec<Entry<K>>,
    by_kid: HashMap<String, Vec<usize>>,
    by_alg: HashMap<&'static str, Vec<usize>>,
}

struct Entry<K: ?Sized> {
    key: Arc<K>,
    kid: Option<String>,
    /// What the key is bound to, for messages ("HS256", "dir (A128GCM)").
    binding: String,
}

impl<K: ?Sized> Clone for KeyIndex<K> {
    fn clone(&self) -> Self {
        Self {
            keys: self
                .keys
                .iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    kid: e.kid.clone(),
                    binding: e.binding.clone(),
                })
                .collect(),
            by_kid: self.by_kid.clone(),
            by_alg: self.by_alg.clone(),
        }
    }
}

impl<K: ?Sized> Default for KeyIndex<K> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            by_kid: HashMap::new(),
            by_alg: HashMap::new(),
        }
    }
}

impl<K: ?Sized> KeyIndex<K> {
    /// Adds `key`, bound to the algorithm named `alg` (one name per binding).
    pub(crate) fn insert(
        &mut self,
        key: Arc<K>,
        kid: Option<&str>,
        alg: &'static str,
        binding: String,
    ) {
        let i = self.keys.len();
        if let Some(kid) = kid {
            self.by_kid.entry(kid.to_string()).or_default().push(i);
        }
        self.by_alg.entry(alg).or_default().push(i);
        self.keys.push(Entry {
            key,
            kid: kid.map(str::to_string),
            binding,
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Each key's binding and `kid`, for `Debug`.
    fn describe(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.keys
            .iter()
            .map(|e| (e.binding.as_str(), e.kid.as_deref()))
    }

    /// The one key for a token with this `kid` and algorithm.
    ///
    /// `alg` is the token's algorithm as written, `index` the binding name it is indexed
    /// under (`None` for a name no key can be bound to), and `fits` says whether a key
    /// really fits the token (its algorithm, and for `dir` keys the content encryption).
    pub(crate) fn select(
        &self,
        kid: Option<&str>,
        alg: &str,
        index: Option<&str>,
        fits: impl Fn(&K) -> bool,
    ) -> Result<&Arc<K>> {
        let for_alg: &[usize] = index
            .and_then(|n| self.by_alg.get(n))
            .map_or(&[], Vec::as_slice);
        let no_such_alg = || {
            let mut names: Vec<&str> = self.by_alg.keys().copied().collect();
            names.sort_unstable();
            if names.is_empty() {
                Error::KeySelection(KeySelectionError::NoKey {
                    kid: kid.map(str::to_string),
                    alg: alg.to_string(),
                })
            } else {
                Error::AlgorithmMismatch {
                    expected: names.join(", "),
                    found: alg.to_string(),
                }
            }
        };
        let candidates: Vec<usize> = match kid {
            Some(kid) => {
                let with_kid = self.by_kid.get(kid).map_or(&[][..], Vec::as_slice);
                let fitting: Vec<usize> = with_kid
                    .iter()
                    .copied()
                    .filter(|&i| fits(&self.keys[i].key))
                    .collect();
                if fitting.is_empty() {
                    return Err(match with_kid {
                        [only] => Error::AlgorithmMismatch {
                            expected: self.keys[*only].binding.clone(),
                            found: alg.to_string(),
                        },
                        _ if for_alg.is_empty() => no_such_alg(),
                        _ => Error::KeySelection(KeySelectionError::NoKey {
                            kid: Some(kid.to_string()),
                            alg: alg.to_string(),
                        }),
                    });
                }
                fitting
            }
            None => {
                if for_alg.is_empty() {
                    return Err(no_such_alg());
                }
                let fitting: Vec<usize> = for_alg
                    .iter()
                    .copied()
                    .filter(|&i| fits(&self.keys[i].key))
                    .collect();
                if fitting.is_empty() {
                    return Err(Error::KeySelection(KeySelectionError::NoKey {
                        kid: None,
                        alg: alg.to_string(),
                    }));
                }
                fitting
            }
        };
        match candidates.as_slice() {
            [one] => Ok(&self.keys[*one].key),
            many => Err(Error::KeySelection(KeySelectionError::SeveralKeys {
                kid: kid.map(str::to_string),
                alg: alg.to_string(),
                count: many.len(),
            })),
        }
    }
}

/// An in-memory set of keys, indexed by `kid` and by algorithm so that selection costs the
/// same for 1 key or 10 000: [`VerifierSet`](crate::jws::VerifierSet) for JWS verification
/// keys, [`DecryptorSet`](crate::jwe::DecryptorSet) for JWE decryption keys.
///
/// For JWK Sets use [`JwkSet`](crate::jwk::JwkSet); this type holds keys that are already
/// built (including your own [`Verifier`] or [`KeyDecryptor`] implementations).
pub struct KeySet<K: ?Sized> {
    index: KeyIndex<K>,
}

impl<K: ?Sized> Clone for KeySet<K> {
    fn clone(&self) -> Self {
        Self {
            index: self.index.clone(),
        }
    }
}

impl<K: ?Sized> Default for KeySet<K> {
    fn default() -> Self {
        Self {
            index: KeyIndex::default(),
        }
    }
}

impl<K: ?Sized> fmt::Debug for KeySet<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.index.describe()).finish()
    }
}

impl<K: ?Sized> KeySet<K> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }
}

impl KeySet<dyn Verifier> {
    /// Adds a verifier.
    pub fn insert(&mut self, key: impl Verifier + 'static) {
        self.insert_arc(Arc::new(key));
    }

    /// Adds a shared verifier.
    pub fn insert_arc(&mut self, key: Arc<dyn Verifier>) {
        let alg = key.algorithm();
        let kid = key.key_id().map(str::to_string);
        self.index.insert(
            key,
            kid.as_deref(),
            alg.binding().name(),
            alg.name().to_string(),
        );
    }

    /// Adds a verifier, builder style.
    pub fn with(mut self, key: impl Verifier + 'static) -> Self {
        self.insert(key);
        self
    }
}

impl VerifierSource for KeySet<dyn Verifier> {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier> {
        let header = header.untrusted();
        let alg = header.alg().unwrap_or("");
        let index = JwsAlgorithm::from_name(alg).map(|a| a.binding().name());
        let key = self
            .index
            .select(header.kid(), alg, index, |k| k.algorithm().accepts(alg))?;
        Ok(&**key)
    }
}

impl KeySet<dyn KeyDecryptor> {
    /// Adds a key.
    pub fn insert(&mut self, key: impl KeyDecryptor + 'static) {
        self.insert_arc(Arc::new(key));
    }

    /// Adds a shared key.
    pub fn insert_arc(&mut self, key: Arc<dyn KeyDecryptor>) {
        let alg = key.algorithm();
        let kid = key.key_id().map(str::to_string);
        let binding = match key.content_encryption() {
            Some(enc) => format!("{alg} ({enc})"),
            None => alg.name().to_string(),
        };
        self.index.insert(key, kid.as_deref(), alg.name(), binding);
    }

    /// Adds a key, builder style.
    pub fn with(mut self, key: impl KeyDecryptor + 'static) -> Self {
        self.insert(key);
        self
    }
}

impl DecryptorSource for KeySet<dyn KeyDecryptor> {
    fn select_decryptor(&self, header: &Untrusted<JweHeader>) -> Result<&dyn KeyDecryptor> {
        let header = header.untrusted();
        let alg = header.alg().unwrap_or("");
        let index = KeyManagementAlgorithm::from_name(alg).map(KeyManagementAlgorithm::name);
        let enc = header.content_encryption();
        let key = self.index.select(header.kid(), alg, index, |k| {
            k.algorithm().name() == alg && k.content_encryption().is_none_or(|e| Some(e) == enc)
        })?;
        Ok(&**key)
    }
}

/// In the JSON serializations, where one token has several signatures or recipients, a
/// key with a `kid` is used only for the entries that name the same `kid` or none: a
/// single key is not tried on an entry meant for another key.
pub(crate) fn check_entry_kid(
    key_kid: Option<&str>,
    entry_kid: Option<&str>,
    alg: &str,
) -> Result<()> {
    match (key_kid, entry_kid) {
        (Some(key), Some(entry)) if key != entry => {
            Err(Error::KeySelection(KeySelectionError::NoKey {
                kid: Some(entry.to_string()),
                alg: alg.to_string(),
            }))
        }
        _ => Ok(()),
    }
}

/// The error to report when no entry of a JSON serialization worked, kept as entries are
/// tried: the one that tells the caller most wins, the first among equals. A key that was
/// tried and failed says most (the token is bad), then a selection that found no key (the
/// caller's keys may be stale), then an algorithm no key is bound to, then anything else
/// (an entry this library cannot read, such as an `RSA1_5` recipient next to a good one).
pub(crate) fn keep_most_telling(kept: &mut Option<Error>, error: Error) {
    fn rank(e: &Error) -> u8 {
        if matches!(e, Error::InvalidSignature | Error::DecryptionFailed) {
            3
        } else if matches!(e, Error::KeySelection(_)) {
            2
        } else if matches!(e, Error::AlgorithmMismatch { .. }) {
            1
        } else {
            0
        }
    }
    if kept.as_ref().is_none_or(|k| rank(&error) > rank(k)) {
        *kept = Some(error);
    }
}

/// A key set skipped this key when it prepared a JWK Set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedKey {
    /// The key's `kid`, if it had one.
    pub kid: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

impl SkippedKey {
    pub(crate) fn new(kid: Option<String>, reason: String) -> Self {
        Self { kid, reason }
    }
}

/// A JWK Set prepared for use: every usable key built once and indexed by `kid` and
/// algorithm, so selection costs the same for any size of set. The same rules hold for
/// verification ([`JwksVerifier`](crate::jwk::JwksVerifier)) and decryption
/// ([`JwksDecryptor`](crate::jwk::JwksDecryptor)): a `kid` shared by a usable key and an
/// entry that could not be read is ambiguous, and selecting it fails.
///
/// Cloning is cheap (the prepared keys are shared), so a snapshot can be handed to every
/// request.
pub struct PreparedJwks<K: ?Sized> {
    inner: Arc<Prepared<K>>,
}

struct Prepared<K: ?Sized> {
    set: KeySet<K>,
    skipped: Vec<SkippedKey>,
    /// `kid`s shared by a usable key and an entry that could not be read: a token with one
    /// of them cannot be matched to one key with certainty.
    ambiguous: Vec<(String, usize)>,
}

impl<K: ?Sized> Clone for PreparedJwks<K> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K: ?Sized> fmt::Debug for PreparedJwks<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedJwks")
            .field("keys", &self.inner.set)
            .field("skipped", &self.inner.skipped)
            .finish()
    }
}

impl<K: ?Sized> PreparedJwks<K> {
    pub(crate) fn new(
        set: KeySet<K>,
        skipped: Vec<SkippedKey>,
        ambiguous: Vec<(String, usize)>,
    ) -> Self {
        Self {
            inner: Arc::new(Prepared {
                set,
                skipped,
                ambiguous,
            }),
        }
    }

    /// The number of prepared keys (a key used with two algorithms counts twice).
    pub fn len(&self) -> usize {
        self.inner.set.len()
    }

    /// Whether no key of the set is usable.
    pub fn is_empty(&self) -> bool {
        self.inner.set.is_empty()
    }

    /// The entries left out, and why.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.inner.skipped
    }

    /// Fails for a `kid` that cannot be matched to one key with certainty.
    fn check_unambiguous(&self, kid: Option<&str>, alg: Option<&str>) -> Result<()> {
        let Some(kid) = kid else { return Ok(()) };
        match self.inner.ambiguous.iter().find(|(k, _)| k == kid) {
            Some((_, count)) => Err(Error::KeySelection(KeySelectionError::SeveralKeys {
                kid: Some(kid.to_string()),
                alg: alg.unwrap_or_default().to_string(),
                count: *count,
            })),
            None => Ok(()),
        }
    }
}

impl VerifierSource for PreparedJwks<dyn Verifier> {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier> {
        let h = header.untrusted();
        self.check_unambiguous(h.kid(), h.alg())?;
        self.inner.set.select_verifier(header)
    }
}

impl DecryptorSource for PreparedJwks<dyn KeyDecryptor> {
    fn select_decryptor(&self, header: &Untrusted<JweHeader>) -> Result<&dyn KeyDecryptor> {
        let h = header.untrusted();
        self.check_unambiguous(h.kid(), h.alg())?;
        self.inner.set.select_decryptor(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::VerifierSet;
    use crate::{Error, HmacAlgorithm, HmacKey, KeySelectionError};

    fn key(alg: JwsAlgorithm, kid: Option<&str>) -> HmacKey {
        let k = HmacKey::new(HmacAlgorithm::try_from(alg).unwrap(), &[1u8; 64]).unwrap();
        match kid {
            Some(kid) => k.with_key_id(kid),
            None => k,
        }
    }

    fn header(alg: &str, kid: Option<&str>) -> Untrusted<JwsHeader> {
        let h = JwsHeader::new().with_member("alg", alg).unwrap();
        Untrusted::new(match kid {
            Some(kid) => h.with_kid(kid),
            None => h,
        })
    }

    #[test]
    fn selects_by_kid_then_alg() {
        let set = VerifierSet::new()
            .with(key(JwsAlgorithm::Hs256, Some("a")))
            .with(key(JwsAlgorithm::Hs384, Some("a")))
            .with(key(JwsAlgorithm::Hs256, Some("b")));
        let got = set.select_verifier(&header("HS384", Some("a"))).unwrap();
        assert_eq!(got.algorithm(), JwsAlgorithm::Hs384);
        let got = set.select_verifier(&header("HS256", Some("b"))).unwrap();
        assert_eq!(got.key_id(), Some("b"));
    }

    #[test]
    fn never_guesses() {
        let set = VerifierSet::new()
            .with(key(JwsAlgorithm::Hs256, Some("a")))
            .with(key(JwsAlgorithm::Hs256, Some("b")))
            .with(key(JwsAlgorithm::Hs512, Some("c")))
            .with(key(JwsAlgorithm::Hs512, Some("c")));
        // No kid and two HS256 keys: ambiguous.
        assert!(matches!(
            set.select_verifier(&header("HS256", None)),
            Err(Error::KeySelection(KeySelectionError::SeveralKeys {
                count: 2,
                ..
            }))
        ));
        // Same kid twice: ambiguous.
        assert!(matches!(
            set.select_verifier(&header("HS512", Some("c"))),
            Err(Error::KeySelection(KeySelectionError::SeveralKeys { .. }))
        ));
        // Unknown kid.
        assert!(matches!(
            set.select_verifier(&header("HS256", Some("zz"))),
            Err(Error::KeySelection(KeySelectionError::NoKey { .. }))
        ));
        // Known kid, other algorithm.
        assert_eq!(
            set.select_verifier(&header("HS384", Some("a"))).err(),
            Some(Error::AlgorithmMismatch {
                expected: "HS256".into(),
                found: "HS384".into()
            })
        );
        // An algorithm no key has, including none.
        for alg in ["none", "RS256", "HS384"] {
            assert!(matches!(
                set.select_verifier(&header(alg, None)),
                Err(Error::AlgorithmMismatch { .. })
            ));
        }
        // Without kid the one key for the algorithm is used.
        let one = VerifierSet::new().with(key(JwsAlgorithm::Hs256, Some("a")));
        assert!(one.select_verifier(&header("HS256", None)).is_ok());
        assert!(matches!(
            VerifierSet::new().select_verifier(&header("HS256", None)),
            Err(Error::KeySelection(KeySelectionError::NoKey { .. }))
        ));
    }
}
