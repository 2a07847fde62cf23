//! Putting disclosures back into the issuer-signed payload (RFC 9901 §7.1 step 3), shared by
//! the verifier and by the holder's listing of what can be disclosed.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::disclosure::{Disclosure, SdAlg};
use crate::error::{Error, Result, SdJwtError};

/// The payload with every given disclosure in place, and where each one went (an RFC 6901
/// JSON pointer per disclosure, in the order given).
pub(crate) struct Processed {
    pub(crate) claims: Map<String, Value>,
    pub(crate) pointers: Vec<String>,
}

struct Walk<'d> {
    by_digest: HashMap<String, usize>,
    disclosures: &'d [Disclosure],
    used: Vec<bool>,
    pointers: Vec<String>,
    seen: HashSet<String>,
    max_depth: usize,
}

/// Processes `payload` (the issuer-signed JWT's claims) with `disclosures`.
pub(crate) fn process(
    mut payload: Map<String, Value>,
    disclosures: &[Disclosure],
    max_depth: usize,
) -> Result<(SdAlg, Processed)> {
    let alg = match payload.remove("_sd_alg") {
        None => SdAlg::Sha256,
        Some(Value::String(name)) => {
            SdAlg::from_name(&name).ok_or(SdJwtError::UnsupportedHashAlgorithm(name))?
        }
        Some(_) => return Err(malformed("_sd_alg is not a string")),
    };
    let mut by_digest = HashMap::with_capacity(disclosures.len());
    for (i, d) in disclosures.iter().enumerate() {
        if by_digest.insert(d.digest(alg), i).is_some() {
            return Err(SdJwtError::DuplicateDisclosure.into());
        }
    }
    let mut walk = Walk {
        by_digest,
        disclosures,
        used: vec![false; disclosures.len()],
        pointers: vec![String::new(); disclosures.len()],
        seen: HashSet::new(),
        max_depth,
    };
    walk.object(&mut payload, "", 0)?;
    if walk.used.iter().any(|u| !u) {
        return Err(SdJwtError::DisclosureNotReferenced.into());
    }
    Ok((
        alg,
        Processed {
            claims: payload,
            pointers: walk.pointers,
        },
    ))
}

fn malformed(why: &str) -> Error {
    SdJwtError::Malformed(why.to_string()).into()
}

/// RFC 6901 escaping of one reference token.
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Walk<'_> {
    /// A digest met in the payload or a disclosure: the disclosure it names, if any.
    fn take(&mut self, digest: &str) -> Result<Option<usize>> {
        if !self.seen.insert(digest.to_string()) {
            return Err(SdJwtError::DuplicateDigest.into());
        }
        Ok(self.by_digest.get(digest).copied().inspect(|&i| {
            self.used[i] = true;
        }))
    }

    fn value(&mut self, value: &mut Value, pointer: &str, depth: usize) -> Result<()> {
        match value {
            Value::Object(map) => self.object(map, pointer, depth + 1),
            Value::Array(items) => self.array(items, pointer, depth + 1),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Ok(()),
        }
    }

    fn object(&mut self, map: &mut Map<String, Value>, pointer: &str, depth: usize) -> Result<()> {
        if depth > self.max_depth {
            return Err(Error::limit(crate::error::Limit::JsonDepth, self.max_depth));
        }
        let digests = match map.remove("_sd") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|d| match d {
                    Value::String(s) => Ok(s),
                    Value::Null
                    | Value::Bool(_)
                    | Value::Number(_)
                    | Value::Array(_)
                    | Value::Object(_) => Err(malformed("an _sd entry is not a string")),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(_) => return Err(malformed("_sd is not an array")),
        };
        // Members present in the payload first, then disclosed ones (which are processed
        // as they are inserted).
        let names: Vec<String> = map.keys().cloned().collect();
        for name in names {
            if name == "..." {
                return Err(malformed("\"...\" outside an array element"));
            }
            // `_sd_alg` belongs to the top level only (removed before the walk).
            if name == "_sd_alg" {
                return Err(malformed("_sd_alg below the top level"));
            }
            let child = format!("{pointer}/{}", escape(&name));
            if let Some(v) = map.get_mut(&name) {
                self.value(v, &child, depth)?;
            }
        }
        for digest in digests {
            let Some(i) = self.take(&digest)? else {
                continue; // a decoy, or a claim the holder did not disclose
            };
            let d = &self.disclosures[i];
            let Some(name) = d.name() else {
                return Err(SdJwtError::WrongDisclosureKind.into());
            };
            if map.contains_key(name) {
                return Err(SdJwtError::ClaimOverwrite(name.to_string()).into());
            }
            let name = name.to_string();
            let mut v = d.value().clone();
            let child = format!("{pointer}/{}", escape(&name));
            self.value(&mut v, &child, depth)?;
            self.pointers[i] = child;
            map.insert(name, v);
        }
        Ok(())
    }

    fn array(&mut self, items: &mut Vec<Value>, pointer: &str, depth: usize) -> Result<()> {
        if depth > self.max_depth {
            return Err(Error::limit(crate::error::Limit::JsonDepth, self.max_depth));
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            match element_digest(&item)? {
                Some(digest) => {
                    let Some(i) = self.take(&digest)? else {
                        continue; // an undisclosed element or a decoy: left out
                    };
                    let d = &self.disclosures[i];
                    if d.name().is_some() {
                        return Err(SdJwtError::WrongDisclosureKind.into());
                    }
                    let mut v = d.value().clone();
                    let child = format!("{pointer}/{}", out.len());
                    self.value(&mut v, &child, depth)?;
                    self.pointers[i] = child;
                    out.push(v);
                }
                None => {
                    let mut v = item;
                    let child = format!("{pointer}/{}", out.len());
                    self.value(&mut v, &child, depth)?;
                    out.push(v);
                }
            }
        }
        *items = out;
        Ok(())
    }
}

/// The digest of an array element `{"...": digest}`; `None` for any other element.
fn element_digest(item: &Value) -> Result<Option<String>> {
    let Value::Object(map) = item else {
        return Ok(None);
    };
    match map.get("...") {
        None => Ok(None),
        Some(Value::String(d)) if map.len() == 1 => Ok(Some(d.clone())),
        Some(_) => Err(malformed(
            "an array element with \"...\" must be exactly {\"...\": digest}",
        )),
    }
}
