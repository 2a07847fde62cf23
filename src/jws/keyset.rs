//! Choosing the one key of a set for a token (DESIGN rule 1): by `kid`, then by `alg`;
//! never the first key, never one key after another.

use std::collections::HashMap;
use std::sync::Arc;

use super::{JwsAlgorithm, Verifier, VerifierSource};
use crate::error::{Error, KeySelectionError, Result};
use crate::header::JwsHeader;

/// An in-memory set of verifiers, indexed by `kid` and by algorithm so that selection
/// costs the same for 1 key or 10 000.
///
/// For JWK Sets use [`JwkSet`](crate::jwk::JwkSet); this type holds keys that are already
/// built (including your own [`Verifier`] implementations).
///
/// ```
/// use josecraft::{jws, HmacKey, JwsAlgorithm, JwsHeader, SigningKey};
/// use josecraft::jws::{VerifierSet, VerifyOptions};
///
/// let old = SigningKey::generate(JwsAlgorithm::Es256)?.with_key_id("2023");
/// let new = SigningKey::generate(JwsAlgorithm::Es256)?.with_key_id("2024");
/// let keys = VerifierSet::new()
///     .with(old.verifying_key())
///     .with(new.verifying_key());
///
/// let token = jws::sign_compact(&JwsHeader::new(), b"x", &new)?;
/// let verified = jws::verify_compact_with(&token, &keys, &VerifyOptions::default())?;
/// assert_eq!(verified.header().kid(), Some("2024"));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct VerifierSet {
    keys: Vec<Arc<dyn Verifier>>,
    by_kid: HashMap<String, Vec<usize>>,
    by_alg: HashMap<JwsAlgorithm, Vec<usize>>,
}

impl std::fmt::Debug for VerifierSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.keys
                    .iter()
                    .map(|k| (k.algorithm(), k.key_id().map(str::to_string))),
            )
            .finish()
    }
}

impl VerifierSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a verifier.
    pub fn insert(&mut self, key: impl Verifier + 'static) {
        self.insert_arc(Arc::new(key));
    }

    /// Adds a shared verifier.
    pub fn insert_arc(&mut self, key: Arc<dyn Verifier>) {
        let i = self.keys.len();
        if let Some(kid) = key.key_id() {
            self.by_kid.entry(kid.to_string()).or_default().push(i);
        }
        self.by_alg
            .entry(key.algorithm().canonical())
            .or_default()
            .push(i);
        self.keys.push(key);
    }

    /// Adds a verifier, builder style.
    pub fn with(mut self, key: impl Verifier + 'static) -> Self {
        self.insert(key);
        self
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl VerifierSource for VerifierSet {
    fn select_verifier(&self, header: &JwsHeader) -> Result<&dyn Verifier> {
        let index = select_index(
            header.kid(),
            header.alg().unwrap_or(""),
            |kid| self.by_kid.get(kid).map_or(&[][..], Vec::as_slice),
            |alg| self.by_alg.get(&alg).map_or(&[][..], Vec::as_slice),
            |i| self.keys[i].algorithm(),
            || self.by_alg.keys().copied().collect(),
        )?;
        Ok(&*self.keys[index])
    }
}

/// The selection rule shared by every key set.
///
/// - With a `kid`: the keys with that `kid` whose algorithm accepts `alg`.
/// - Without: the keys whose algorithm accepts `alg`.
///
/// Exactly one must remain. `by_kid` and `by_alg` are index lookups (O(1)); `algs` is only
/// called to describe an error.
pub(crate) fn select_index<'s>(
    kid: Option<&str>,
    alg: &str,
    by_kid: impl Fn(&str) -> &'s [usize],
    by_alg: impl Fn(JwsAlgorithm) -> &'s [usize],
    alg_of: impl Fn(usize) -> JwsAlgorithm,
    algs: impl Fn() -> Vec<JwsAlgorithm>,
) -> Result<usize> {
    let for_alg = JwsAlgorithm::from_name(alg)
        .map(|a| by_alg(a.canonical()))
        .unwrap_or(&[]);
    let no_such_alg = || {
        let mut names: Vec<&str> = algs().into_iter().map(JwsAlgorithm::name).collect();
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
    let (fitting, count) = match kid {
        Some(kid) => {
            let with_kid = by_kid(kid);
            let mut fitting = with_kid.iter().copied().filter(|&i| alg_of(i).accepts(alg));
            let first = fitting.next();
            let count = first.map_or(0, |_| 1 + fitting.count());
            if count == 0 {
                return Err(match with_kid {
                    [only] => Error::AlgorithmMismatch {
                        expected: alg_of(*only).name().to_string(),
                        found: alg.to_string(),
                    },
                    _ if for_alg.is_empty() => no_such_alg(),
                    _ => Error::KeySelection(KeySelectionError::NoKey {
                        kid: Some(kid.to_string()),
                        alg: alg.to_string(),
                    }),
                });
            }
            (first, count)
        }
        None => {
            if for_alg.is_empty() {
                return Err(no_such_alg());
            }
            (for_alg.first().copied(), for_alg.len())
        }
    };
    match (fitting, count) {
        (Some(i), 1) => Ok(i),
        _ => Err(Error::KeySelection(KeySelectionError::SeveralKeys {
            kid: kid.map(str::to_string),
            alg: alg.to_string(),
            count,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HmacKey;

    fn key(alg: JwsAlgorithm, kid: Option<&str>) -> HmacKey {
        let k = HmacKey::new(alg, &[1u8; 64]).unwrap();
        match kid {
            Some(kid) => k.with_key_id(kid),
            None => k,
        }
    }

    fn header(alg: &str, kid: Option<&str>) -> JwsHeader {
        let h = JwsHeader::new().with_member("alg", alg).unwrap();
        match kid {
            Some(kid) => h.with_kid(kid),
            None => h,
        }
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
