//! A set of JWE decryption keys, selected by `kid`, `alg` and, for `dir`, `enc`.

use std::sync::Arc;

use super::{DecryptorSource, KeyDecryptor, KeyManagementAlgorithm};
use crate::error::Result;
use crate::header::JweHeader;
use crate::keyset::KeyIndex;

/// An in-memory set of [`KeyDecryptor`]s, indexed so that selection costs the same for any
/// number of keys.
///
/// ```
/// use josecraft::jwe::{self, DecryptOptions, DecryptorSet, SymmetricKey};
/// use josecraft::{ContentEncryption, KeyManagementAlgorithm};
/// use josecraft::JweHeader;
///
/// let a = SymmetricKey::generate(KeyManagementAlgorithm::A128Kw)?.with_key_id("a");
/// let b = SymmetricKey::generate(KeyManagementAlgorithm::A128Kw)?.with_key_id("b");
/// let keys = DecryptorSet::new().with(a.clone()).with(b);
/// let token = jwe::encrypt_compact(&JweHeader::new(), b"hi", ContentEncryption::A128Gcm, &a)?;
/// assert_eq!(jwe::decrypt_compact_with(&token, &keys, &DecryptOptions::default())?.plaintext(), b"hi");
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct DecryptorSet {
    index: KeyIndex<dyn KeyDecryptor>,
}

impl std::fmt::Debug for DecryptorSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.index
                    .iter()
                    .map(|(k, b)| (b.to_string(), k.key_id().map(str::to_string))),
            )
            .finish()
    }
}

impl DecryptorSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

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

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }
}

impl DecryptorSource for DecryptorSet {
    fn select_decryptor(&self, header: &JweHeader) -> Result<&dyn KeyDecryptor> {
        let alg = header.alg().unwrap_or("");
        let index = KeyManagementAlgorithm::from_name(alg).map(KeyManagementAlgorithm::name);
        let enc = header.content_encryption();
        let key = self.index.select(header.kid(), alg, index, |k| {
            k.algorithm().name() == alg && k.content_encryption().is_none_or(|e| Some(e) == enc)
        })?;
        Ok(&**key)
    }
}
