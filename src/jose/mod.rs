//! The JOSE core under JWS and JWE: what both need and neither owns.
//!
//! - the key traits: [`Signer`], [`Verifier`] and [`VerifierSource`] for signatures,
//!   [`KeyEncryptor`], [`KeyDecryptor`] and [`DecryptorSource`] for encryption;
//! - [`KeySource`], the sync-or-async source of verification keys;
//! - [`KeySet`] and [`PreparedJwks`]: one key-set implementation, with one set of rules for
//!   selecting a key (by `kid`, then algorithm; ambiguity refused), for both sides;
//! - [`ParseOptions`], what reading a token accepts beyond its keys.
//!
//! The items are public through the modules users know them from (`jws`, `jwe`, `jwk`,
//! `keysource`, the crate root); this module is the one place they are defined. It depends
//! on `alg`, `header` and the leaves only.

mod encrypt;
mod keyset;
mod options;
pub(crate) mod serialization;
mod sign;
mod source;

pub use encrypt::{
    ContentEncryptionKey, DecryptorSource, EncryptedKey, KeyDecryptor, KeyEncryptor,
};
pub(crate) use keyset::{check_entry_kid, keep_most_telling};
pub use keyset::{KeySet, PreparedJwks, SkippedKey};
pub use options::ParseOptions;
pub use sign::{Signer, Verifier, VerifierSource};
pub use source::{KeySource, Keys, KeysFuture};
