//! `KEY` files (a JWK, a JWK Set or a PEM/DER key) and choosing the one key, or the set of
//! keys, a command uses. The library decides what a key can do; this module only applies
//! the CLI's rules for `--alg`, `--enc` and `--kid`.

use std::path::Path;

use josecraft::header::JweHeader;
use josecraft::jwe::{DecryptorSource, KeyDecryptor, KeyEncryptor};
use josecraft::jwk::{DecryptorPolicy, Jwk, JwkSet, KeyParams, VerifierPolicy};
use josecraft::jws::{Signer, Verifier, VerifierSource};
use josecraft::{
    AsymmetricKeyManagement, Error, HmacAlgorithm, JwsAlgorithm, JwsHeader, SignatureAlgorithm,
    Untrusted,
};
use josecraft::{ContentEncryption, KeyManagementAlgorithm};

use crate::failure::{key_error, rejected, usage, CliResult};
use crate::input::Inputs;

/// What a `KEY` file holds.
pub enum KeyFile {
    One(Box<Jwk>),
    Set(JwkSet),
}

impl KeyFile {
    /// Reads a JWK, a JWK Set (an object with `keys`), or a PEM or DER key or certificate.
    pub fn load(inputs: &Inputs, path: &Path, what: &'static str) -> CliResult<Self> {
        let bytes = inputs.read(Some(path), what)?;
        Self::parse(&bytes, what)
    }

    pub fn parse(bytes: &[u8], what: &str) -> CliResult<Self> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'{') {
            let is_set =
                serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes)
                    .map(|m| m.contains_key("keys"))
                    .map_err(|e| usage(format!("{what}: not valid JSON: {e}")))?;
            return if is_set {
                JwkSet::from_json(bytes)
                    .map(KeyFile::Set)
                    .map_err(key_error(what))
            } else {
                let jwk = Jwk::from_json(bytes).map_err(key_error(what))?;
                jwk.validate().map_err(key_error(what))?;
                Ok(KeyFile::One(Box::new(jwk)))
            };
        }
        let jwk = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => Jwk::from_pem(text),
            _ => Jwk::from_der(bytes),
        };
        let jwk = jwk.map_err(key_error(what))?;
        jwk.validate().map_err(key_error(what))?;
        Ok(KeyFile::One(Box::new(jwk)))
    }

    /// The one key of a set for an operation (by `--kid` when given), or the key itself.
    /// `what` completes "can …"; `hint` follows the message when no key fits at all.
    pub fn pick(
        &self,
        kid: Option<&str>,
        fits: impl Fn(&Jwk) -> bool,
        what: &str,
        hint: &str,
    ) -> CliResult<&Jwk> {
        let set = match self {
            KeyFile::One(jwk) => return Ok(jwk),
            KeyFile::Set(set) => set,
        };
        let found: Vec<&Jwk> = set
            .keys()
            .filter(|k| kid.is_none_or(|kid| k.kid() == Some(kid)))
            .filter(|k| fits(k))
            .collect();
        match (found.as_slice(), kid) {
            ([one], _) => Ok(one),
            ([], Some(kid)) => Err(usage(format!(
                "no key with kid {kid:?} in the key set can {what}"
            ))),
            ([], None) => Err(usage(format!("no key in the key set can {what}{hint}"))),
            (many, Some(kid)) => Err(usage(format!(
                "{} keys with kid {kid:?} in the key set can {what}",
                many.len()
            ))),
            (many, None) => Err(usage(format!(
                "{} keys in the key set can {what}: choose one with --kid",
                many.len()
            ))),
        }
    }
}

const NEEDS_ALG: &str = " (keys without alg need --alg)";

/// The algorithm a key is used with: its own `alg`, or `--alg`; both must agree, and one
/// of them must be there (never a guess).
fn algorithm_for(jwk: &Jwk, flag: Option<&str>) -> CliResult<String> {
    match (jwk.alg(), flag) {
        (Some(own), Some(flag)) if own != flag => Err(usage(format!(
            "--alg {flag} disagrees with the key's alg {own}"
        ))),
        (Some(own), _) => Ok(own.to_string()),
        (None, Some(flag)) => Ok(flag.to_string()),
        (None, None) => Err(usage(
            "the key has no alg: say which algorithm it is for with --alg",
        )),
    }
}

fn jws_algorithm(name: &str) -> CliResult<JwsAlgorithm> {
    if name == "none" {
        return Err(usage(
            "alg none makes an unsecured token that anyone can forge; josecraft will not make one",
        ));
    }
    JwsAlgorithm::from_name(name).ok_or_else(|| {
        usage(format!(
            "{name:?} is not a JWS algorithm josecraft implements"
        ))
    })
}

/// A JWE key-management algorithm named on the command line or in a key.
pub fn key_management(name: &str) -> CliResult<KeyManagementAlgorithm> {
    if name == "RSA1_5" {
        return Err(usage(
            "RSA1_5 is not supported (RSAES-PKCS1-v1_5 is open to Bleichenbacher's attack); use RSA-OAEP-256",
        ));
    }
    KeyManagementAlgorithm::from_name(name).ok_or_else(|| {
        usage(format!(
            "{name:?} is not a JWE key-management algorithm josecraft implements"
        ))
    })
}

/// A content encryption named on the command line.
pub fn content_encryption(name: &str) -> CliResult<ContentEncryption> {
    ContentEncryption::from_name(name).ok_or_else(|| {
        usage(format!(
            "{name:?} is not a content encryption josecraft implements"
        ))
    })
}

fn is_jws_key_for(jwk: &Jwk, flag: Option<&str>) -> bool {
    match (jwk.alg(), flag) {
        (Some(own), Some(flag)) => own == flag,
        (Some(own), None) => JwsAlgorithm::from_name(own).is_some(),
        (None, Some(flag)) => jwk.fits_algorithm(flag) == Some(true),
        (None, None) => false,
    }
}

/// The signer for `sign` and `jwt sign`.
pub fn signer(keys: &KeyFile, alg: Option<&str>, kid: Option<&str>) -> CliResult<Box<dyn Signer>> {
    if alg == Some("none") {
        jws_algorithm("none")?;
    }
    let can_sign = |k: &Jwk| (k.kty() == "oct" || k.is_private()) && is_jws_key_for(k, alg);
    let jwk = keys.pick(kid, can_sign, "sign", NEEDS_ALG)?;
    let alg = jws_algorithm(&algorithm_for(jwk, alg)?)?;
    let what = "KEY";
    Ok(match HmacAlgorithm::try_from(alg) {
        Ok(hmac) => Box::new(jwk.to_hmac_key(Some(hmac)).map_err(key_error(what))?),
        Err(_) => {
            if !jwk.is_private() {
                return Err(usage("KEY: a public key cannot sign; give the private key"));
            }
            let alg = SignatureAlgorithm::try_from(alg).map_err(key_error(what))?;
            Box::new(jwk.to_signing_key(Some(alg)).map_err(key_error(what))?)
        }
    })
}

/// The asymmetric private key of `dpop proof`.
pub fn proof_key(
    keys: &KeyFile,
    alg: Option<&str>,
    kid: Option<&str>,
) -> CliResult<josecraft::SigningKey> {
    let can_sign = |k: &Jwk| k.kty() != "oct" && k.is_private() && is_jws_key_for(k, alg);
    let jwk = keys
        .pick(kid, can_sign, "sign a DPoP proof", NEEDS_ALG)
        .map_err(|e| match keys {
            KeyFile::One(k) if k.kty() == "oct" => {
                usage("KEY: a DPoP proof is signed with an asymmetric key, never a shared secret")
            }
            KeyFile::One(k) if !k.is_private() => {
                usage("KEY: a public key cannot sign; give the private key")
            }
            _ => e,
        })?;
    let alg = jws_algorithm(&algorithm_for(jwk, alg)?)?;
    let alg = SignatureAlgorithm::try_from(alg).map_err(|_| {
        usage(format!(
            "{alg} is not an asymmetric algorithm: DPoP proofs are never HMAC"
        ))
    })?;
    jwk.to_signing_key(Some(alg)).map_err(key_error("KEY"))
}

/// Keys for `verify` and `jwt verify`: one key bound to its algorithm, or a set that selects
/// by `kid` and `alg`. With `--alg`, tokens naming another algorithm are refused.
pub fn verifiers(keys: &KeyFile, alg: Option<&str>) -> CliResult<Verifiers> {
    let what = "KEY";
    let source: Verifiers = match keys {
        KeyFile::One(jwk) => {
            let alg = jws_algorithm(&algorithm_for(jwk, alg)?)?;
            match HmacAlgorithm::try_from(alg) {
                Ok(hmac) => Box::new(jwk.to_hmac_key(Some(hmac)).map_err(key_error(what))?),
                Err(_) => {
                    let alg = SignatureAlgorithm::try_from(alg).map_err(key_error(what))?;
                    Box::new(jwk.to_verifying_key(Some(alg)).map_err(key_error(what))?)
                }
            }
        }
        KeyFile::Set(set) => {
            let mut policy = VerifierPolicy::new();
            if let Some(alg) = alg {
                policy = policy.with_algorithm(jws_algorithm(alg)?);
            }
            let verifier = set.verifier_with(&policy).map_err(key_error(what))?;
            if verifier.is_empty() {
                return Err(usage(
                    "KEY: no key in the key set can verify (keys without alg need --alg)",
                ));
            }
            Box::new(verifier)
        }
    };
    Ok(match alg {
        Some(alg) => Box::new(OnlyAlgorithm {
            inner: source,
            alg: jws_algorithm(alg)?,
        }),
        None => source,
    })
}

/// The verification keys of a `KEY` file.
pub type Verifiers = Box<dyn VerifierSource + Send + Sync>;

/// [`Verifiers`] where an asynchronous key source is expected (`sd-jwt verify`).
pub struct AsKeySource(pub Verifiers);

impl VerifierSource for AsKeySource {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> josecraft::Result<&dyn Verifier> {
        self.0.select_verifier(header)
    }
}

/// Refuses tokens whose `alg` is not the one given with `--alg`.
struct OnlyAlgorithm {
    inner: Verifiers,
    alg: JwsAlgorithm,
}

impl VerifierSource for OnlyAlgorithm {
    fn select_verifier(&self, header: &Untrusted<JwsHeader>) -> josecraft::Result<&dyn Verifier> {
        match header.untrusted().alg() {
            Some(named) if self.alg.accepts(named) => self.inner.select_verifier(header),
            named => Err(Error::AlgorithmMismatch {
                expected: self.alg.name().to_string(),
                found: named.unwrap_or_default().to_string(),
            }),
        }
    }
}

/// A `dir` key's content encryption named by its `alg` (RFC 7520 §5.6), if it does.
fn alg_as_enc(jwk: &Jwk) -> Option<ContentEncryption> {
    jwk.alg().and_then(ContentEncryption::from_name)
}

/// The key-management algorithm for a JWE key: as [`algorithm_for`], where a key whose
/// `alg` is a content encryption is a `dir` key.
fn jwe_algorithm_for(jwk: &Jwk, flag: Option<&str>) -> CliResult<KeyManagementAlgorithm> {
    if let Some(enc) = alg_as_enc(jwk) {
        return match flag {
            None | Some("dir") => Ok(KeyManagementAlgorithm::Dir),
            Some(other) => Err(usage(format!(
                "--alg {other} disagrees with the key, a dir key for {}",
                enc.name()
            ))),
        };
    }
    key_management(&algorithm_for(jwk, flag)?)
}

fn oct_len(jwk: &Jwk) -> Option<usize> {
    match jwk.params() {
        KeyParams::Oct { k } => Some(k.len()),
        _ => None,
    }
}

/// The recipient key for `encrypt`.
pub fn encryptor(
    keys: &KeyFile,
    alg: KeyManagementAlgorithm,
    enc: ContentEncryption,
    kid: Option<&str>,
) -> CliResult<Box<dyn KeyEncryptor>> {
    let fits = |k: &Jwk| {
        k.fits_algorithm(alg.name()) == Some(true)
            && match (k.alg(), alg_as_enc(k)) {
                (None, _) => true,
                (Some(_), Some(own_enc)) => alg == KeyManagementAlgorithm::Dir && own_enc == enc,
                (Some(own), None) => own == alg.name(),
            }
    };
    let jwk = keys.pick(
        kid,
        fits,
        &format!("encrypt with {}", alg.name()),
        NEEDS_ALG,
    )?;
    let own = jwe_algorithm_for(jwk, Some(alg.name()))?;
    if let (KeyManagementAlgorithm::Dir, Some(own_enc)) = (own, alg_as_enc(jwk)) {
        if own_enc != enc {
            return Err(usage(format!(
                "--enc {} disagrees with the key, a dir key for {}",
                enc.name(),
                own_enc.name()
            )));
        }
    }
    let what = "KEY";
    Ok(if jwk.kty() == "oct" {
        let enc = (own == KeyManagementAlgorithm::Dir).then_some(enc);
        Box::new(
            jwk.to_symmetric_key(Some(own), enc)
                .map_err(key_error(what))?,
        )
    } else {
        let own = AsymmetricKeyManagement::try_from(own).map_err(key_error(what))?;
        Box::new(jwk.to_encryption_key(Some(own)).map_err(key_error(what))?)
    })
}

/// Keys for `decrypt` and `jwt verify --decrypt-key`, given the token's `enc`.
///
/// A `dir` key decrypts the `enc` of `--enc`, else the one its `alg` names, else the
/// token's when the key's length fits it.
pub fn decryptors(
    keys: &KeyFile,
    alg: Option<&str>,
    enc: Option<ContentEncryption>,
    token_enc: Option<ContentEncryption>,
) -> CliResult<Box<dyn DecryptorSource>> {
    let what = "KEY";
    let source: Box<dyn DecryptorSource> = match keys {
        KeyFile::One(jwk) => {
            let own = jwe_algorithm_for(jwk, alg)?;
            if jwk.kty() == "oct" {
                let enc = if own == KeyManagementAlgorithm::Dir {
                    match (enc, alg_as_enc(jwk)) {
                        (Some(flag), Some(own_enc)) if flag != own_enc => {
                            return Err(usage(format!(
                                "--enc {} disagrees with the key, a dir key for {}",
                                flag.name(),
                                own_enc.name()
                            )))
                        }
                        (Some(e), _) | (None, Some(e)) => Some(e),
                        (None, None) => match token_enc {
                            Some(e) if oct_len(jwk) == Some(e.key_len()) => Some(e),
                            Some(e) => {
                                return Err(rejected(format!(
                                    "the dir key is {} bytes, the token's {} needs {}",
                                    oct_len(jwk).unwrap_or(0),
                                    e.name(),
                                    e.key_len()
                                )))
                            }
                            None => None,
                        },
                    }
                } else {
                    None
                };
                Box::new(
                    jwk.to_symmetric_key(Some(own), enc)
                        .map_err(key_error(what))?,
                )
            } else {
                let own = AsymmetricKeyManagement::try_from(own).map_err(key_error(what))?;
                Box::new(jwk.to_decryption_key(Some(own)).map_err(key_error(what))?)
            }
        }
        KeyFile::Set(set) => {
            let mut policy = DecryptorPolicy::new();
            if let Some(alg) = alg {
                policy = policy.with_algorithm(key_management(alg)?);
            }
            if let Some(e) = enc.or(token_enc) {
                policy = policy.with_direct(e);
            }
            let decryptor = set.decryptor_with(&policy).map_err(key_error(what))?;
            if decryptor.is_empty() {
                return Err(usage(
                    "KEY: no key in the key set can decrypt (keys without alg need --alg)",
                ));
            }
            Box::new(decryptor)
        }
    };
    Ok(match alg {
        Some(alg) => Box::new(OnlyKeyManagement {
            inner: source,
            alg: key_management(alg)?,
        }),
        None => source,
    })
}

/// Refuses JWEs whose `alg` is not the one given with `--alg`.
struct OnlyKeyManagement {
    inner: Box<dyn DecryptorSource>,
    alg: KeyManagementAlgorithm,
}

impl DecryptorSource for OnlyKeyManagement {
    fn select_decryptor(
        &self,
        header: &Untrusted<JweHeader>,
    ) -> josecraft::Result<&dyn KeyDecryptor> {
        match header.untrusted().alg() {
            Some(named) if named == self.alg.name() => self.inner.select_decryptor(header),
            named => Err(Error::AlgorithmMismatch {
                expected: self.alg.name().to_string(),
                found: named.unwrap_or_default().to_string(),
            }),
        }
    }
}
