//! The registered header parameters, listed once: [`Param`] says, for each, its name, which
//! headers have it, its JSON type and where it is written. [`Members`] stores a header's
//! members by that table, so reading, writing, joining and removing a parameter is the same
//! code for all of them, and adding one is one `Param` variant whose matches the compiler
//! then asks for.

use std::borrow::Cow;

use serde_json::value::RawValue;

use crate::alg::{ContentEncryption, JwsAlgorithm, KeyManagementAlgorithm};
use crate::base64url;
use crate::error::{Error, Part, Result};
use crate::json;

/// A registered header parameter (RFC 7515 §4.1, RFC 7516 §4.1, RFC 7518 §4.6–4.8, RFC 7797
/// §3). The order of the variants is the order members are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Param {
    Alg,
    Enc,
    Zip,
    Jku,
    Jwk,
    Kid,
    X5u,
    X5c,
    X5t,
    X5tS256,
    Typ,
    Cty,
    Epk,
    Apu,
    Apv,
    Iv,
    Tag,
    P2s,
    P2c,
    B64,
    Crit,
}

/// Which headers a parameter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// JWS and JWE (RFC 7515 §4.1, RFC 7516 §4.1).
    Both,
    /// JWS only (RFC 7797's `b64`).
    Jws,
    /// JWE only (RFC 7516 §4.1.2–4.1.3, RFC 7518 §4.6–4.8).
    Jwe,
}

/// The kind of header a [`Members`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Jws,
    Jwe,
}

/// A parameter's JSON type and its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string.
    Text,
    /// A non-empty string (`alg`).
    NonEmptyText,
    /// A JSON object, kept as written (`jwk`, `epk`).
    Object,
    /// A certificate chain: standard base64 strings.
    Chain,
    /// base64url of exactly this many bytes, kept as text (`x5t`, `x5t#S256`).
    Thumbprint(usize),
    /// base64url bytes, decoded strictly.
    Bytes,
    /// An unsigned integer.
    Count,
    /// A boolean.
    Flag,
    /// An array of strings.
    Names,
}

/// Values of `alg`, `enc`, `typ`, `cty` and `zip` common enough to keep without copying.
const WELL_KNOWN: &[&str] = &[
    "JWT",
    "at+jwt",
    "JOSE",
    "JOSE+JSON",
    "DEF",
    "dpop+jwt",
    "secevent+jwt",
    "logout+jwt",
];

/// A string parameter: a well-known value is borrowed from the static tables, anything
/// else copied.
fn text(name: &str, value: &RawValue, part: Part) -> Result<Cow<'static, str>> {
    if let Some(plain) = json::plain_str(value) {
        let known = JwsAlgorithm::from_name(plain)
            .map(JwsAlgorithm::name)
            .or_else(|| KeyManagementAlgorithm::from_name(plain).map(KeyManagementAlgorithm::name))
            .or_else(|| ContentEncryption::from_name(plain).map(ContentEncryption::name))
            .or_else(|| WELL_KNOWN.iter().copied().find(|k| *k == plain))
            .filter(|k| *k == plain);
        if let Some(known) = known {
            return Ok(Cow::Borrowed(known));
        }
    }
    json::string(name, value, part).map(Cow::Owned)
}

/// A stored parameter value.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// Borrowed for the well-known values (algorithm names, common `typ`s), so that
    /// reading a typical header allocates nothing for them.
    Text(Cow<'static, str>),
    Texts(Vec<String>),
    Json(Box<RawValue>),
    Bytes(Vec<u8>),
    Count(u64),
    Flag(bool),
}

impl Param {
    /// Every parameter, in writing order.
    pub(crate) const ALL: [Param; 21] = [
        Param::Alg,
        Param::Enc,
        Param::Zip,
        Param::Jku,
        Param::Jwk,
        Param::Kid,
        Param::X5u,
        Param::X5c,
        Param::X5t,
        Param::X5tS256,
        Param::Typ,
        Param::Cty,
        Param::Epk,
        Param::Apu,
        Param::Apv,
        Param::Iv,
        Param::Tag,
        Param::P2s,
        Param::P2c,
        Param::B64,
        Param::Crit,
    ];

    /// The member name.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Param::Alg => "alg",
            Param::Enc => "enc",
            Param::Zip => "zip",
            Param::Jku => "jku",
            Param::Jwk => "jwk",
            Param::Kid => "kid",
            Param::X5u => "x5u",
            Param::X5c => "x5c",
            Param::X5t => "x5t",
            Param::X5tS256 => "x5t#S256",
            Param::Typ => "typ",
            Param::Cty => "cty",
            Param::Epk => "epk",
            Param::Apu => "apu",
            Param::Apv => "apv",
            Param::Iv => "iv",
            Param::Tag => "tag",
            Param::P2s => "p2s",
            Param::P2c => "p2c",
            Param::B64 => "b64",
            Param::Crit => "crit",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Param> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    pub(crate) const fn scope(self) -> Scope {
        match self {
            Param::Alg
            | Param::Jku
            | Param::Jwk
            | Param::Kid
            | Param::X5u
            | Param::X5c
            | Param::X5t
            | Param::X5tS256
            | Param::Typ
            | Param::Cty
            | Param::Crit => Scope::Both,
            Param::B64 => Scope::Jws,
            Param::Enc
            | Param::Zip
            | Param::Epk
            | Param::Apu
            | Param::Apv
            | Param::Iv
            | Param::Tag
            | Param::P2s
            | Param::P2c => Scope::Jwe,
        }
    }

    /// Whether the parameter is registered (and so may not be listed in `crit`, RFC 7515
    /// §4.1.11). `b64` is an extension (RFC 7797): it must be listed.
    pub(crate) const fn is_registered(self) -> bool {
        match self.scope() {
            Scope::Both | Scope::Jwe => true,
            Scope::Jws => false,
        }
    }

    const fn kind(self) -> Kind {
        match self {
            Param::Alg => Kind::NonEmptyText,
            Param::Enc
            | Param::Zip
            | Param::Jku
            | Param::Kid
            | Param::X5u
            | Param::Typ
            | Param::Cty => Kind::Text,
            Param::Jwk | Param::Epk => Kind::Object,
            Param::X5c => Kind::Chain,
            Param::X5t => Kind::Thumbprint(20),
            Param::X5tS256 => Kind::Thumbprint(32),
            Param::Apu | Param::Apv | Param::Iv | Param::Tag | Param::P2s => Kind::Bytes,
            Param::P2c => Kind::Count,
            Param::B64 => Kind::Flag,
            Param::Crit => Kind::Names,
        }
    }

    /// Whether a header of `side` has this parameter.
    const fn on(self, side: Side) -> bool {
        match (self.scope(), side) {
            (Scope::Both, Side::Jws | Side::Jwe)
            | (Scope::Jws, Side::Jws)
            | (Scope::Jwe, Side::Jwe) => true,
            (Scope::Jws, Side::Jwe) | (Scope::Jwe, Side::Jws) => false,
        }
    }

    /// Parses the JSON value of this parameter.
    fn parse(self, value: &RawValue, part: Part) -> Result<Value> {
        let n = self.name();
        Ok(match self.kind() {
            Kind::Text => Value::Text(text(n, value, part)?),
            Kind::NonEmptyText => {
                let text = text(n, value, part)?;
                if text.is_empty() {
                    return Err(Error::malformed(part, format!("member \"{n}\" is empty")));
                }
                Value::Text(text)
            }
            Kind::Object => {
                if !value.get().starts_with('{') {
                    return Err(Error::malformed(
                        part,
                        format!("member \"{n}\": expected a JSON object"),
                    ));
                }
                json::check_nested(value, part)?;
                Value::Json(value.to_owned())
            }
            Kind::Chain => Value::Texts(parse_x5c(json::member(n, value, part)?, part)?),
            Kind::Thumbprint(len) => Value::Text(Cow::Owned(thumbprint(
                n,
                json::member(n, value, part)?,
                len,
                part,
            )?)),
            Kind::Bytes => Value::Bytes(b64_member(n, value, part)?),
            Kind::Count => Value::Count(json::member(n, value, part)?),
            Kind::Flag => Value::Flag(json::member(n, value, part)?),
            Kind::Names => Value::Texts(json::member(n, value, part)?),
        })
    }
}

/// A header's members: the registered parameters by the table above, and every other
/// member as written, in document order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Members {
    /// Sorted by [`Param`] (writing order), each at most once.
    registered: Vec<(Param, Value)>,
    extra: Vec<(String, Box<RawValue>)>,
}

impl Members {
    pub(crate) fn get(&self, p: Param) -> Option<&Value> {
        self.registered
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, v)| v)
    }

    pub(crate) fn text(&self, p: Param) -> Option<&str> {
        match self.get(p)? {
            Value::Text(t) => Some(t),
            Value::Texts(_)
            | Value::Json(_)
            | Value::Bytes(_)
            | Value::Count(_)
            | Value::Flag(_) => None,
        }
    }

    pub(crate) fn texts(&self, p: Param) -> Option<&[String]> {
        match self.get(p)? {
            Value::Texts(t) => Some(t),
            Value::Text(_)
            | Value::Json(_)
            | Value::Bytes(_)
            | Value::Count(_)
            | Value::Flag(_) => None,
        }
    }

    pub(crate) fn json(&self, p: Param) -> Option<&RawValue> {
        match self.get(p)? {
            Value::Json(j) => Some(j),
            Value::Text(_)
            | Value::Texts(_)
            | Value::Bytes(_)
            | Value::Count(_)
            | Value::Flag(_) => None,
        }
    }

    pub(crate) fn bytes(&self, p: Param) -> Option<&[u8]> {
        match self.get(p)? {
            Value::Bytes(b) => Some(b),
            Value::Text(_)
            | Value::Texts(_)
            | Value::Json(_)
            | Value::Count(_)
            | Value::Flag(_) => None,
        }
    }

    pub(crate) fn count(&self, p: Param) -> Option<u64> {
        match self.get(p)? {
            Value::Count(c) => Some(*c),
            Value::Text(_)
            | Value::Texts(_)
            | Value::Json(_)
            | Value::Bytes(_)
            | Value::Flag(_) => None,
        }
    }

    pub(crate) fn flag(&self, p: Param) -> Option<bool> {
        match self.get(p)? {
            Value::Flag(f) => Some(*f),
            Value::Text(_)
            | Value::Texts(_)
            | Value::Json(_)
            | Value::Bytes(_)
            | Value::Count(_) => None,
        }
    }

    /// Sets a registered parameter (the value's type is the caller's to get right).
    pub(crate) fn put(&mut self, p: Param, v: Value) {
        match self.registered.binary_search_by(|(q, _)| q.cmp(&p)) {
            Ok(i) => {
                if let Some(slot) = self.registered.get_mut(i) {
                    slot.1 = v;
                }
            }
            Err(i) => self.registered.insert(i, (p, v)),
        }
    }

    /// Sets a member from its JSON value, as a `side` header reads it: a registered
    /// parameter is parsed and checked by its type; one registered for the other kind of
    /// header is refused in a JWS (a `zip` a verifier might be expected to honour, an `enc`
    /// of a JWE in disguise) and kept as an extra member in a JWE (`b64` means nothing
    /// there); anything else is kept as written.
    pub(crate) fn set(
        &mut self,
        side: Side,
        name: Cow<'_, str>,
        value: &RawValue,
        part: Part,
    ) -> Result<()> {
        match Param::from_name(&name) {
            Some(p) if p.on(side) => {
                let v = p.parse(value, part)?;
                self.put(p, v);
            }
            Some(p) if side == Side::Jws => {
                return Err(Error::malformed(
                    part,
                    format!("\"{}\" is a JWE header parameter, not a JWS one", p.name()),
                ))
            }
            Some(_) | None => {
                json::check_nested(value, part)?;
                let value = value.to_owned();
                match self.extra.iter_mut().find(|(k, _)| *k == name) {
                    Some(slot) => slot.1 = value,
                    None => self.extra.push((name.into_owned(), value)),
                }
            }
        }
        Ok(())
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.registered.iter().any(|(p, _)| p.name() == name)
            || self.extra.iter().any(|(k, _)| k == name)
    }

    /// Removes a member; whether it was there.
    pub(crate) fn remove(&mut self, name: &str) -> bool {
        let before = self.registered.len() + self.extra.len();
        self.registered.retain(|(p, _)| p.name() != name);
        self.extra.retain(|(k, _)| k != name);
        before != self.registered.len() + self.extra.len()
    }

    /// Names of the members present: registered ones in writing order, then the others.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.registered
            .iter()
            .map(|(p, _)| p.name())
            .chain(self.extra.iter().map(|(k, _)| k.as_str()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.registered.is_empty() && self.extra.is_empty()
    }

    /// Moves every member of `other` into `self`; the caller has checked they are disjoint.
    pub(crate) fn absorb(&mut self, other: Members) {
        for (p, v) in other.registered {
            self.put(p, v);
        }
        self.extra.extend(other.extra);
    }

    pub(crate) fn extra_members(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.extra.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// Writes the members: registered ones in [`Param`] order, then the others as read.
    pub(crate) fn write(&self, m: &mut dyn json::MemberSink) {
        for (p, v) in &self.registered {
            let n = p.name();
            match v {
                Value::Text(t) => m.str(n, t),
                Value::Texts(t) => m.strs(n, t),
                Value::Json(j) => m.raw(n, j),
                Value::Bytes(b) => m.str(n, &base64url::encode(b)),
                Value::Count(c) => m.uint(n, *c),
                Value::Flag(f) => m.bool(n, *f),
            }
        }
        for (k, v) in &self.extra {
            m.raw(k, v);
        }
    }
}

fn parse_x5c(chain: Vec<String>, part: Part) -> Result<Vec<String>> {
    use base64::Engine as _;
    if chain.is_empty() {
        return Err(Error::malformed(
            part,
            "member \"x5c\": empty certificate chain",
        ));
    }
    for cert in &chain {
        // RFC 7515 §4.1.6: standard (not URL-safe) base64 of DER, padding allowed.
        if base64::engine::general_purpose::STANDARD
            .decode(cert)
            .is_err()
        {
            return Err(Error::malformed(
                part,
                "member \"x5c\": an entry is not standard base64",
            ));
        }
    }
    Ok(chain)
}

fn thumbprint(name: &str, value: String, len: usize, part: Part) -> Result<String> {
    match base64url::decode(&value) {
        Ok(bytes) if bytes.len() == len => Ok(value),
        Ok(_) | Err(_) => Err(Error::malformed(
            part,
            format!("member \"{name}\": expected base64url of {len} bytes"),
        )),
    }
}

/// A base64url header member (`apu`, `iv`, `p2s`, ...), decoded strictly.
fn b64_member(name: &str, value: &RawValue, part: Part) -> Result<Vec<u8>> {
    let text: Cow<'_, str> = json::member(name, value, part)?;
    base64url::decode_part(text.as_bytes(), part).map_err(|e| {
        if let Error::Malformed { reason, .. } = e {
            Error::malformed(part, format!("member \"{name}\": {reason}"))
        } else {
            e
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_one_list() {
        for (i, p) in Param::ALL.into_iter().enumerate() {
            assert_eq!(Param::from_name(p.name()), Some(p));
            // ALL is in variant order, which is the writing order.
            assert!(Param::ALL.get(i + 1).is_none_or(|next| p < *next), "{p:?}");
        }
        let registered: Vec<&str> = Param::ALL
            .into_iter()
            .filter(|p| p.is_registered())
            .map(Param::name)
            .collect();
        assert_eq!(registered.len(), 20);
        assert!(!registered.contains(&"b64"));
    }
}
