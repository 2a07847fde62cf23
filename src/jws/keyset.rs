//! A set of JWS verifiers, selected by `kid` and `alg` (see `crate::keyset`).

use std::sync::Arc;

use super::{JwsAlgorithm, Verifier, VerifierSource};
use crate::error::Result;
use crate::header::JwsHeader;
use crate::keyset::KeyIndex;

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
    index: KeyIndex<dyn Verifier>,
}

impl std::fmt::Debug for VerifierSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.index
                    .iter()
                    .map(|(k, _)| (k.algorithm(), k.key_id().map(str::to_string))),
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

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }
}

impl VerifierSource for VerifierSet {
    fn select_verifier(&self, header: &JwsHeader) -> Result<&dyn Verifier> {
        let alg = header.alg().unwrap_or("");
        let index = JwsAlgorithm::from_name(alg).map(|a| a.binding().name());
        let key = self
            .index
            .select(header.kid(), alg, index, |k| k.algorithm().accepts(alg))?;
        Ok(&**key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, HmacKey, KeySelectionError};

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
