//! Disclosures (RFC 9901 §4.2) and the hash functions of `_sd_alg`.

use serde_json::Value;

use crate::base64url;
use crate::crypto::digest::Sha;
use crate::error::{Result, SdJwtError};

/// The hash function of the digests (`_sd_alg`, RFC 9901 §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SdAlg {
    /// `sha-256`, the default when `_sd_alg` is absent.
    #[default]
    Sha256,
    /// `sha-384`.
    Sha384,
    /// `sha-512`.
    Sha512,
}

impl SdAlg {
    /// Every supported hash function.
    pub const ALL: &'static [SdAlg] = &[SdAlg::Sha256, SdAlg::Sha384, SdAlg::Sha512];

    /// The IANA "Named Information Hash Algorithm" name written in `_sd_alg`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha-256",
            Self::Sha384 => "sha-384",
            Self::Sha512 => "sha-512",
        }
    }

    /// The hash function called `name`, if supported.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }

    fn sha(self) -> Sha {
        match self {
            Self::Sha256 => Sha::Sha256,
            Self::Sha384 => Sha::Sha384,
            Self::Sha512 => Sha::Sha512,
        }
    }

    /// base64url of the hash of `data`: a digest as it appears in `_sd`, `...` and
    /// `sd_hash`.
    pub fn digest(self, data: &[u8]) -> String {
        base64url::encode(self.sha().digest(data))
    }
}

/// One disclosure: a salt, the member name for an object member (none for an array
/// element), and the value; kept with its encoded form, whose bytes the digest is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    encoded: String,
    salt: String,
    name: Option<String>,
    value: Value,
}

impl Disclosure {
    /// A disclosure of the object member `name` with `value`.
    ///
    /// # Errors
    /// [`SdJwtError::ReservedName`] for `_sd`, `...` or `_sd_alg`.
    pub fn member(salt: &str, name: &str, value: Value) -> Result<Self> {
        if is_reserved(name) {
            return Err(SdJwtError::ReservedName(name.to_string()).into());
        }
        let array = Value::Array(vec![salt.into(), name.into(), value.clone()]);
        Ok(Self {
            encoded: base64url::encode(to_spec_json(&array)),
            salt: salt.to_string(),
            name: Some(name.to_string()),
            value,
        })
    }

    /// A disclosure of an array element with `value`.
    pub fn element(salt: &str, value: Value) -> Self {
        let array = Value::Array(vec![salt.into(), value.clone()]);
        Self {
            encoded: base64url::encode(to_spec_json(&array)),
            salt: salt.to_string(),
            name: None,
            value,
        }
    }

    /// Reads an encoded disclosure: base64url of a JSON array `[salt, name, value]` or
    /// `[salt, value]`, with a string salt and name.
    ///
    /// # Errors
    /// [`SdJwtError::Malformed`] for anything else; [`SdJwtError::ReservedName`] for a
    /// reserved member name.
    pub fn parse(encoded: &str) -> Result<Self> {
        Self::parse_with(encoded, &crate::limits::Limits::default())
    }

    /// As [`parse`](Self::parse), with `limits`' JSON depth.
    ///
    /// # Errors
    /// As [`parse`](Self::parse), and [`Error::LimitExceeded`](crate::Error::LimitExceeded)
    /// for a value nested deeper than the limit.
    pub fn parse_with(encoded: &str, limits: &crate::limits::Limits) -> Result<Self> {
        let bad = |why: &str| SdJwtError::Malformed(format!("disclosure: {why}"));
        let bytes = base64url::decode(encoded).map_err(|_| bad("not base64url"))?;
        crate::json::check_depth(&bytes, limits.json_depth())?;
        let crate::json::StrictValue(value) =
            serde_json::from_slice(&bytes).map_err(|e| bad(&e.to_string()))?;
        let Value::Array(mut items) = value else {
            return Err(bad("not a JSON array").into());
        };
        let (salt, name, value) = match items.len() {
            2 => {
                let value = items.pop().unwrap_or(Value::Null);
                (items.pop().unwrap_or(Value::Null), None, value)
            }
            3 => {
                let value = items.pop().unwrap_or(Value::Null);
                let name = items.pop().unwrap_or(Value::Null);
                (items.pop().unwrap_or(Value::Null), Some(name), value)
            }
            _ => return Err(bad("not an array of 2 or 3 elements").into()),
        };
        let Value::String(salt) = salt else {
            return Err(bad("the salt is not a string").into());
        };
        let name = match name {
            None => None,
            Some(Value::String(n)) if is_reserved(&n) => {
                return Err(SdJwtError::ReservedName(n).into())
            }
            Some(Value::String(n)) => Some(n),
            Some(_) => return Err(bad("the claim name is not a string").into()),
        };
        Ok(Self {
            encoded: encoded.to_string(),
            salt,
            name,
            value,
        })
    }

    /// The encoded form, as it travels between `~`.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }
    /// The salt.
    pub fn salt(&self) -> &str {
        &self.salt
    }
    /// The member name, for an object member; `None` for an array element.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// The disclosed value (which may itself contain digests of nested disclosures).
    pub fn value(&self) -> &Value {
        &self.value
    }
    /// The digest of this disclosure with `alg`.
    pub fn digest(&self, alg: SdAlg) -> String {
        alg.digest(self.encoded.as_bytes())
    }
}

/// Names a disclosure may not set: they would change how the rest is processed.
pub(crate) fn is_reserved(name: &str) -> bool {
    matches!(name, "_sd" | "..." | "_sd_alg")
}

/// JSON as the RFC's examples write disclosures: `", "` between elements and members,
/// `": "` after names, non-ASCII characters as UTF-8. Any form is valid (the digest is over
/// the encoded bytes, whatever they are); this one reproduces the RFC's digests.
pub(crate) fn to_spec_json(value: &Value) -> Vec<u8> {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SpecFormatter);
    // Serializing a `Value` into memory cannot fail.
    let _ = value.serialize(&mut ser);
    out
}

struct SpecFormatter;

/// `", "` before every element or member but the first.
fn separator<W: ?Sized + std::io::Write>(writer: &mut W, first: bool) -> std::io::Result<()> {
    if first {
        Ok(())
    } else {
        writer.write_all(b", ")
    }
}

impl serde_json::ser::Formatter for SpecFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(writer, first)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}
