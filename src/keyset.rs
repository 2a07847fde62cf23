//! Turning a JWK Set into prepared keys: one preparer for JWS verification and JWE
//! decryption, so that its rules hold for both.
//!
//! For every entry of the set, in order:
//!
//! 1. an entry josecraft cannot read is skipped, and its `kid` (if it has a string one) is
//!    remembered: a token naming a `kid` shared by a readable and an unreadable entry cannot
//!    be matched to one key with certainty, and is refused (`KeySelectionError::SeveralKeys`);
//! 2. a key whose `use` or `key_ops` forbid the operation is skipped;
//! 3. the key is bound to the algorithm(s) its own `alg` names or, without `alg`, to those
//!    the policy states for its key type; never to one a token names;
//! 4. the key is built (and so validated) once per binding; one that fails is skipped;
//! 5. a set whose usable keys mix shared secrets with public/private keys is refused unless
//!    the policy allows it.
//!
//! Every skipped entry is listed, with the reason, in the prepared keys.

use std::sync::Arc;

use crate::alg::{
    ContentEncryption, HmacAlgorithm, JwsAlgorithm, KeyManagementAlgorithm, SignatureAlgorithm,
};
use crate::error::{Error, Result};
use crate::header::{JweHeader, JwsHeader, Untrusted};
use crate::jose::{
    DecryptorSource, KeyDecryptor, KeySet, PreparedJwks, SkippedKey, Verifier, VerifierSource,
};
use crate::jwk::{
    raw_kid, DecryptorPolicy, Jwk, JwkSet, JwksDecryptor, JwksVerifier, KeyParams, Operation,
    VerifierPolicy,
};

/// One way of using a JWK Set's keys: what the preparer asks of it.
trait KeyUse {
    /// The key trait the prepared set holds.
    type Key: ?Sized;
    /// What the algorithm a key is bound to is (and, for `dir`, its content encryption).
    type Binding: Copy;
    /// The operation `use` and `key_ops` must allow.
    const OPERATION: Operation;
    /// Whether mixed sets are allowed.
    fn allow_mixed(&self) -> bool;
    /// The bindings of one key, or why it has none.
    fn bindings(&self, jwk: &Jwk) -> std::result::Result<Vec<Self::Binding>, String>;
    /// Whether a binding uses a shared secret.
    fn is_symmetric(binding: Self::Binding) -> bool;
    /// Builds the key for one binding and adds it to the set.
    fn build(
        jwk: &Jwk,
        binding: Self::Binding,
        set: &mut KeySet<Self::Key>,
    ) -> Result<Option<String>>;
}

fn prepare<U: KeyUse>(jwks: &JwkSet, usage: &U) -> Result<PreparedJwks<U::Key>> {
    let mut set = KeySet::new();
    let mut skipped = Vec::new();
    let mut unreadable_kids: Vec<String> = Vec::new();
    let mut usable_kids: Vec<String> = Vec::new();
    let (mut symmetric, mut asymmetric) = (false, false);
    for entry in jwks.entries() {
        let jwk = match entry {
            Ok(jwk) => jwk,
            Err((json, reason)) => {
                let kid = raw_kid(json);
                unreadable_kids.extend(kid.clone());
                skipped.push(SkippedKey::new(kid, reason.to_string()));
                continue;
            }
        };
        let skip = |reason: String| SkippedKey::new(jwk.kid().map(str::to_string), reason);
        if let Err(e) = jwk.check_operation(U::OPERATION) {
            skipped.push(skip(e.to_string()));
            continue;
        }
        let bindings = match usage.bindings(jwk) {
            Ok(b) if !b.is_empty() => b,
            Ok(_) => {
                skipped.push(skip(
                    "no alg, and the policy states none for this key type".into(),
                ));
                continue;
            }
            Err(reason) => {
                skipped.push(skip(reason));
                continue;
            }
        };
        for binding in bindings {
            match U::build(jwk, binding, &mut set) {
                Ok(kid) => {
                    symmetric |= U::is_symmetric(binding);
                    asymmetric |= !U::is_symmetric(binding);
                    usable_kids.extend(kid);
                }
                Err(e) => skipped.push(skip(e.to_string())),
            }
        }
    }
    if symmetric && asymmetric && !usage.allow_mixed() {
        return Err(Error::key(
            "the key set mixes shared secrets (oct) and public or private keys; refused unless the policy says with_mixed_symmetric_keys",
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
    Ok(PreparedJwks::new(set, skipped, ambiguous))
}

impl KeyUse for VerifierPolicy {
    type Key = dyn Verifier;
    type Binding = JwsAlgorithm;
    const OPERATION: Operation = Operation::Verify;

    fn allow_mixed(&self) -> bool {
        self.allow_mixed
    }

    fn bindings(&self, jwk: &Jwk) -> std::result::Result<Vec<JwsAlgorithm>, String> {
        match jwk.alg() {
            Some(name) => JwsAlgorithm::from_name(name)
                .map(|a| vec![a])
                .ok_or_else(|| format!("alg \"{}\" is not a JWS algorithm", name.escape_debug())),
            None => Ok(self
                .algorithms
                .iter()
                .copied()
                .filter(|a| a.descriptor().key.fits_jwk(jwk.kty(), jwk.crv()))
                .collect()),
        }
    }

    fn is_symmetric(alg: JwsAlgorithm) -> bool {
        alg.is_symmetric()
    }

    fn build(
        jwk: &Jwk,
        alg: JwsAlgorithm,
        set: &mut KeySet<dyn Verifier>,
    ) -> Result<Option<String>> {
        let key: Arc<dyn Verifier> = match HmacAlgorithm::try_from(alg) {
            Ok(hmac) => Arc::new(jwk.to_hmac_key(Some(hmac))?),
            Err(_) => Arc::new(jwk.to_verifying_key(Some(SignatureAlgorithm::try_from(alg)?))?),
        };
        let kid = key.key_id().map(str::to_string);
        set.insert_arc(key);
        Ok(kid)
    }
}

/// A JWE binding: the key-management algorithm and, for `dir`, the content encryption.
type JweBinding = (KeyManagementAlgorithm, Option<ContentEncryption>);

impl KeyUse for DecryptorPolicy {
    type Key = dyn KeyDecryptor;
    type Binding = JweBinding;
    const OPERATION: Operation = Operation::Decrypt;

    fn allow_mixed(&self) -> bool {
        self.allow_mixed
    }

    fn bindings(&self, jwk: &Jwk) -> std::result::Result<Vec<JweBinding>, String> {
        // A dir key's content encryption: as for the same key alone, the caller states it.
        let direct_for = |k: &crate::jwk::SecretBytes| -> Vec<JweBinding> {
            self.direct
                .iter()
                .filter(|e| e.key_len() == k.len())
                .map(|e| (KeyManagementAlgorithm::Dir, Some(*e)))
                .collect()
        };
        let pairs = if jwk.alg().is_some() {
            match (jwk.jwe_algorithms(None, None), jwk.params()) {
                // `"alg": "dir"` names no content encryption (RFC 7520 §5.6 spells it as the alg).
                (Ok((KeyManagementAlgorithm::Dir, None)), KeyParams::Oct { k }) => direct_for(k),
                (Ok(pair), _) => vec![pair],
                (Err(e), _) => return Err(e.to_string()),
            }
        } else {
            let mut pairs: Vec<JweBinding> = self
                .algorithms
                .iter()
                .filter(|a| **a != KeyManagementAlgorithm::Dir)
                .filter(|a| a.descriptor().key.fits_jwk(jwk.kty(), jwk.crv()))
                .map(|a| (*a, None))
                .collect();
            if let KeyParams::Oct { k } = jwk.params() {
                pairs.extend(direct_for(k));
            }
            pairs
        };
        if pairs.is_empty() && jwk.alg() == Some("dir") {
            return Err(
                "a dir key needs its content encryption: DecryptorPolicy::with_direct states it"
                    .into(),
            );
        }
        Ok(pairs)
    }

    fn is_symmetric((alg, _): JweBinding) -> bool {
        alg.is_symmetric()
    }

    fn build(
        jwk: &Jwk,
        (alg, enc): JweBinding,
        set: &mut KeySet<dyn KeyDecryptor>,
    ) -> Result<Option<String>> {
        let key = jwk.to_key_decryptor(alg, enc)?;
        let kid = key.key_id().map(str::to_string);
        set.insert_arc(key);
        Ok(kid)
    }
}

impl JwkSet {
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
    /// skipped and listed in [`PreparedJwks::skipped`].
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
        prepare(self, policy)
    }

    /// The set prepared for JWE decryption with the default policy (keys' own `alg` only).
    ///
    /// # Errors
    /// As [`JwkSet::decryptor_with`].
    pub fn decryptor(&self) -> Result<JwksDecryptor> {
        self.decryptor_with(&DecryptorPolicy::default())
    }

    /// The set prepared for JWE decryption under `policy`, by the same rules as
    /// [`verifier_with`](Self::verifier_with): keys that cannot decrypt (a signature key,
    /// wrong `use`/`key_ops`, no `alg` and none stated) are skipped; a `kid` shared with an
    /// unreadable entry is refused when a JWE names it.
    ///
    /// # Errors
    /// [`Error::KeyRejected`] if usable keys mix shared secrets and private keys and the
    /// policy does not allow it.
    pub fn decryptor_with(&self, policy: &DecryptorPolicy) -> Result<JwksDecryptor> {
        prepare(self, policy)
    }
}

/// JWK Sets are used directly as a key source with the default [`VerifierPolicy`] (keys'
/// own `alg` only, mixed sets refused); prepare a [`JwksVerifier`] with
/// [`JwkSet::verifier_with`] for anything else. The prepared keys are cached.
impl VerifierSource for JwkSet {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> Result<&dyn Verifier> {
        match self.prepared().verifier.get_or_init(|| self.verifier()) {
            Ok(v) => v.select_verifier(header),
            Err(e) => Err(e.clone()),
        }
    }
}

/// JWK Sets are used directly as a decryption key source with the default
/// [`DecryptorPolicy`]; the prepared keys are cached.
impl DecryptorSource for JwkSet {
    fn select_decryptor(&self, header: &Untrusted<JweHeader>) -> Result<&dyn KeyDecryptor> {
        match self.prepared().decryptor.get_or_init(|| self.decryptor()) {
            Ok(d) => d.select_decryptor(header),
            Err(e) => Err(e.clone()),
        }
    }
}
