//! Choosing the one key of a set for a token (DESIGN rule 1), for JWS verifiers and JWE
//! decryptors alike: by `kid`, then by algorithm; never "the first key", never one key
//! after another. Lookups are hash-indexed, so the cost does not grow with the set.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, KeySelectionError, Result};

/// Keys indexed by `kid` and by the name of the algorithm they are bound to.
pub(crate) struct KeyIndex<K: ?Sized> {
    keys: Vec<Entry<K>>,
    by_kid: HashMap<String, Vec<usize>>,
    by_alg: HashMap<&'static str, Vec<usize>>,
}

struct Entry<K: ?Sized> {
    key: Arc<K>,
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
        self.keys.push(Entry { key, binding });
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Arc<K>, &str)> {
        self.keys.iter().map(|e| (&e.key, e.binding.as_str()))
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
