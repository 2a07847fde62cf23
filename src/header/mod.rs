//! JOSE headers (RFC 7515 §4, RFC 7516 §4, RFC 7797 §3) and the `crit` rules (RFC 7515
//! §4.1.11).
//!
//! [`JwsHeader`] and [`JweHeader`] hold every registered header parameter as a typed field
//! and keep every other member, in document order, as unparsed JSON. Parsing is strict:
//! the header must be one JSON object, member names must be unique, registered members must
//! have their registered JSON types.
//!
//! A header read from a token that has not been verified or decrypted is
//! attacker-controlled; the APIs that hand one out wrap it in [`Untrusted`].

mod jwe;
mod jws;

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

pub use jwe::JweHeader;
pub use jws::JwsHeader;

use crate::base64url;
use crate::error::{Error, Part, Result};
use crate::json;

/// A value taken from a token that has not been verified (yet), and so is controlled by
/// whoever made the token. Readable, to choose a key or to log, but never proof of anything:
/// reading it takes a call whose name says so ([`untrusted`](Self::untrusted)).
///
/// ```
/// use josecraft::jws::UnverifiedCompact;
///
/// let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImEifQ.e30.c2lnbmF0dXJl";
/// let unverified = UnverifiedCompact::parse(token)?;
/// let kid = unverified.untrusted_header().untrusted().kid();
/// assert_eq!(kid, Some("a")); // whoever made the token chose it
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Untrusted<T>(T);

impl<T> Untrusted<T> {
    /// Marks a value as unverified (for a key source of your own, or a test).
    pub fn new(value: T) -> Self {
        Self(value)
    }
    /// The value, still unverified; the name is a reminder.
    pub fn untrusted(&self) -> &T {
        &self.0
    }
    /// Takes the value out, still unverified.
    pub fn into_untrusted(self) -> T {
        self.0
    }
}

/// Media-type comparison of `typ` and `cty` (RFC 7515 §4.1.9–4.1.10): case-insensitive,
/// the `application/` prefix optional on either side.
pub(crate) fn media_type_matches(found: &str, expected: &str) -> bool {
    fn strip(v: &str) -> &str {
        // `get` keeps this total: a shorter value, or one cut inside a character, has no prefix.
        match v.get(..12) {
            Some(p) if p.eq_ignore_ascii_case("application/") => v.get(12..).unwrap_or(v),
            _ => v,
        }
    }
    strip(found).eq_ignore_ascii_case(strip(expected))
}

/// Header parameters registered by RFC 7515, 7516 and 7518 for JWS and JWE; `crit` must not
/// list them (RFC 7515 §4.1.11).
pub(crate) const REGISTERED_NAMES: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// Extension header parameters josecraft itself understands when they are listed in `crit`.
pub(crate) const UNDERSTOOD_EXTENSIONS: &[&str] = &["b64"];

/// The parameters JWS and JWE headers share (RFC 7515 §4.1, RFC 7516 §4.1), plus the
/// members nobody registered.
#[derive(Clone, Default)]
pub(crate) struct Common {
    pub(crate) alg: Option<String>,
    pub(crate) jku: Option<String>,
    pub(crate) jwk: Option<Box<RawValue>>,
    pub(crate) kid: Option<String>,
    pub(crate) x5u: Option<String>,
    pub(crate) x5c: Option<Vec<String>>,
    pub(crate) x5t: Option<String>,
    pub(crate) x5t_s256: Option<String>,
    pub(crate) typ: Option<String>,
    pub(crate) cty: Option<String>,
    pub(crate) crit: Option<Vec<String>>,
    pub(crate) extra: Vec<(String, Box<RawValue>)>,
}

/// The names of [`Common`]'s registered parameters, in serialization order.
const COMMON_NAMES: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

impl Common {
    /// Sets a shared registered member, or an extra one when `registered` is false for the
    /// header type. Returns false for a registered name this type does not hold.
    pub(crate) fn set(&mut self, name: Cow<'_, str>, value: &RawValue, part: Part) -> Result<()> {
        let n = name.as_ref();
        match n {
            "alg" => self.alg = Some(non_empty(n, json::string(n, value, part)?, part)?),
            "jku" => self.jku = Some(json::string(n, value, part)?),
            "jwk" => {
                if !value.get().starts_with('{') {
                    return Err(Error::malformed(
                        part,
                        "member \"jwk\": expected a JSON object",
                    ));
                }
                json::check_nested(value, part)?;
                self.jwk = Some(value.to_owned());
            }
            "kid" => self.kid = Some(json::string(n, value, part)?),
            "x5u" => self.x5u = Some(json::string(n, value, part)?),
            "x5c" => self.x5c = Some(parse_x5c(json::member(n, value, part)?, part)?),
            "x5t" => self.x5t = Some(thumbprint(n, json::member(n, value, part)?, 20, part)?),
            "x5t#S256" => {
                self.x5t_s256 = Some(thumbprint(n, json::member(n, value, part)?, 32, part)?)
            }
            "typ" => self.typ = Some(json::string(n, value, part)?),
            "cty" => self.cty = Some(json::string(n, value, part)?),
            "crit" => self.crit = Some(json::member(n, value, part)?),
            _ => {
                json::check_nested(value, part)?;
                let value = value.to_owned();
                match self.extra.iter_mut().find(|(k, _)| k == n) {
                    Some(slot) => slot.1 = value,
                    None => self.extra.push((name.into_owned(), value)),
                }
            }
        }
        Ok(())
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        match name {
            "alg" => self.alg.is_some(),
            "jku" => self.jku.is_some(),
            "jwk" => self.jwk.is_some(),
            "kid" => self.kid.is_some(),
            "x5u" => self.x5u.is_some(),
            "x5c" => self.x5c.is_some(),
            "x5t" => self.x5t.is_some(),
            "x5t#S256" => self.x5t_s256.is_some(),
            "typ" => self.typ.is_some(),
            "cty" => self.cty.is_some(),
            "crit" => self.crit.is_some(),
            _ => self.extra.iter().any(|(k, _)| k == name),
        }
    }

    /// Removes a shared registered member or an extra one.
    pub(crate) fn remove(&mut self, name: &str) {
        match name {
            "alg" => self.alg = None,
            "jku" => self.jku = None,
            "jwk" => self.jwk = None,
            "kid" => self.kid = None,
            "x5u" => self.x5u = None,
            "x5c" => self.x5c = None,
            "x5t" => self.x5t = None,
            "x5t#S256" => self.x5t_s256 = None,
            "typ" => self.typ = None,
            "cty" => self.cty = None,
            "crit" => self.crit = None,
            _ => self.extra.retain(|(k, _)| k != name),
        }
    }

    /// Names of the shared registered members present, in order.
    pub(crate) fn registered_names(&self) -> impl Iterator<Item = &str> {
        COMMON_NAMES.into_iter().filter(|n| self.contains(n))
    }

    pub(crate) fn extra_names(&self) -> impl Iterator<Item = &str> {
        self.extra.iter().map(|(k, _)| k.as_str())
    }

    /// Moves every member of `other` into `self`; the caller has checked they are disjoint.
    pub(crate) fn absorb(&mut self, o: Common) {
        self.alg = self.alg.take().or(o.alg);
        self.jku = self.jku.take().or(o.jku);
        self.jwk = self.jwk.take().or(o.jwk);
        self.kid = self.kid.take().or(o.kid);
        self.x5u = self.x5u.take().or(o.x5u);
        self.x5c = self.x5c.take().or(o.x5c);
        self.x5t = self.x5t.take().or(o.x5t);
        self.x5t_s256 = self.x5t_s256.take().or(o.x5t_s256);
        self.typ = self.typ.take().or(o.typ);
        self.cty = self.cty.take().or(o.cty);
        self.crit = self.crit.take().or(o.crit);
        self.extra.extend(o.extra);
    }

    pub(crate) fn extra<T: DeserializeOwned>(&self, name: &str, part: Part) -> Result<Option<T>> {
        match self.extra.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, v)) => json::member(name, v, part).map(Some),
        }
    }

    /// `alg`, written first.
    pub(crate) fn write_alg(&self, m: &mut dyn json::MemberSink) {
        if let Some(v) = &self.alg {
            m.str("alg", v);
        }
    }

    /// The other shared registered members, in [`COMMON_NAMES`] order, `crit` excepted.
    pub(crate) fn write_rest(&self, m: &mut dyn json::MemberSink) {
        let opt = json::opt_str;
        opt(m, "jku", self.jku.as_deref());
        if let Some(v) = &self.jwk {
            m.raw("jwk", v);
        }
        opt(m, "kid", self.kid.as_deref());
        opt(m, "x5u", self.x5u.as_deref());
        if let Some(v) = &self.x5c {
            m.strs("x5c", v);
        }
        opt(m, "x5t", self.x5t.as_deref());
        opt(m, "x5t#S256", self.x5t_s256.as_deref());
        opt(m, "typ", self.typ.as_deref());
        opt(m, "cty", self.cty.as_deref());
    }

    pub(crate) fn write_crit(&self, m: &mut dyn json::MemberSink) {
        if let Some(v) = &self.crit {
            m.strs("crit", v);
        }
    }

    pub(crate) fn write_extra(&self, m: &mut dyn json::MemberSink) {
        for (k, v) in &self.extra {
            m.raw(k, v);
        }
    }
}

/// Getters and builders for the parameters every JOSE header has; expanded into
/// [`JwsHeader`] and [`JweHeader`] so the two present the same interface.
macro_rules! common_accessors {
    () => {
        /// `alg`: the algorithm name as written, if present.
        pub fn alg(&self) -> Option<&str> {
            self.common.alg.as_deref()
        }
        /// `jku`: a URL for a JWK Set. Never fetched or trusted by josecraft.
        pub fn jku(&self) -> Option<&str> {
            self.common.jku.as_deref()
        }
        /// `jwk`: an embedded public key, as JSON. Never used by josecraft to verify or
        /// decrypt; parse it with [`Jwk::from_json`](crate::jwk::Jwk::from_json) if you have
        /// a trust policy for it.
        pub fn jwk(&self) -> Option<&serde_json::value::RawValue> {
            self.common.jwk.as_deref()
        }
        /// `kid`: the key ID.
        pub fn kid(&self) -> Option<&str> {
            self.common.kid.as_deref()
        }
        /// `x5u`: a URL for an X.509 certificate chain. Never fetched or trusted.
        pub fn x5u(&self) -> Option<&str> {
            self.common.x5u.as_deref()
        }
        /// `x5c`: an X.509 certificate chain, each entry standard base64 of DER. Never
        /// trusted.
        pub fn x5c(&self) -> Option<&[String]> {
            self.common.x5c.as_deref()
        }
        /// `x5t`: base64url SHA-1 thumbprint of a certificate.
        pub fn x5t(&self) -> Option<&str> {
            self.common.x5t.as_deref()
        }
        /// `x5t#S256`: base64url SHA-256 thumbprint of a certificate.
        pub fn x5t_s256(&self) -> Option<&str> {
            self.common.x5t_s256.as_deref()
        }
        /// `typ`: the media type of the whole object (e.g. `JWT`, `at+jwt`).
        pub fn typ(&self) -> Option<&str> {
            self.common.typ.as_deref()
        }
        /// `cty`: the media type of the content (`JWT` for a nested JWT).
        pub fn cty(&self) -> Option<&str> {
            self.common.cty.as_deref()
        }
        /// `crit`: extension parameters the recipient must understand.
        pub fn crit(&self) -> Option<&[String]> {
            self.common.crit.as_deref()
        }

        /// Members that are not registered header parameters, in document order.
        pub fn extra_members(&self) -> impl Iterator<Item = (&str, &serde_json::value::RawValue)> {
            self.common.extra.iter().map(|(k, v)| (k.as_str(), &**v))
        }

        /// The member `name` (not a registered parameter) parsed as `T`, if present.
        ///
        /// # Errors
        /// [`Error::Malformed`](crate::Error::Malformed) if the member is present but is
        /// not a `T`.
        pub fn extra<T: serde::de::DeserializeOwned>(
            &self,
            name: &str,
        ) -> crate::Result<Option<T>> {
            self.common.extra(name, crate::Part::Header)
        }

        /// Sets `kid`.
        pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
            self.common.kid = Some(kid.into());
            self
        }
        /// Sets `typ`.
        pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
            self.common.typ = Some(typ.into());
            self
        }
        /// Sets `cty`.
        pub fn with_cty(mut self, cty: impl Into<String>) -> Self {
            self.common.cty = Some(cty.into());
            self
        }
        /// Sets `jku`.
        pub fn with_jku(mut self, url: impl Into<String>) -> Self {
            self.common.jku = Some(url.into());
            self
        }
        /// Sets `x5u`.
        pub fn with_x5u(mut self, url: impl Into<String>) -> Self {
            self.common.x5u = Some(url.into());
            self
        }
        /// Sets `crit`. Producing a token checks the list: non-empty, distinct, no
        /// registered names, each present in the header.
        pub fn with_crit<I, S>(mut self, names: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.common.crit = Some(names.into_iter().map(Into::into).collect());
            self
        }

        /// Sets any member, registered or not, from a serializable value. Registered members
        /// are checked against their JSON types (e.g. `kid` must be a string).
        ///
        /// # Errors
        /// [`Error::Malformed`](crate::Error::Malformed) if the value cannot be serialized
        /// or has the wrong type for a registered member.
        pub fn with_member(
            mut self,
            name: &str,
            value: impl serde::Serialize,
        ) -> crate::Result<Self> {
            let raw = serde_json::value::to_raw_value(&value)
                .map_err(|e| crate::Error::malformed(crate::Part::Header, e.to_string()))?;
            crate::json::check_nested(&raw, crate::Part::Header)?;
            self.set(std::borrow::Cow::Borrowed(name), &raw, crate::Part::Header)?;
            Ok(self)
        }

        /// The header as compact JSON: `alg` first, then the other registered members, then
        /// the extra members in order.
        pub fn to_json(&self) -> String {
            let mut w = crate::json::ObjectWriter::new();
            self.members(&mut w);
            w.finish()
        }

        pub(crate) fn set_alg_name(&mut self, alg: &str) {
            self.common.alg = Some(alg.to_string());
        }

        pub(crate) fn set_kid_if_absent(&mut self, kid: Option<&str>) {
            if self.common.kid.is_none() {
                self.common.kid = kid.map(str::to_string);
            }
        }
    };
}
pub(crate) use common_accessors;

fn non_empty(name: &str, value: String, part: Part) -> Result<String> {
    if value.is_empty() {
        Err(Error::malformed(
            part,
            format!("member \"{name}\" is empty"),
        ))
    } else {
        Ok(value)
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
        _ => Err(Error::malformed(
            part,
            format!("member \"{name}\": expected base64url of {len} bytes"),
        )),
    }
}

/// A base64url header member (`apu`, `iv`, `p2s`, ...), decoded strictly.
pub(crate) fn b64_member(name: &str, value: &RawValue, part: Part) -> Result<Vec<u8>> {
    let text: Cow<'_, str> = json::member(name, value, part)?;
    base64url::decode_part(text.as_bytes(), part).map_err(|e| {
        if let Error::Malformed { reason, .. } = e {
            Error::malformed(part, format!("member \"{name}\": {reason}"))
        } else {
            e
        }
    })
}

/// Fails if `a` and `b` share a member name (RFC 7515 §7.2.1, RFC 7516 §7.2.1).
pub(crate) fn check_disjoint<'a>(
    a: impl Iterator<Item = &'a str>,
    b: &dyn Fn(&str) -> bool,
) -> Result<()> {
    for name in a {
        if b(name) {
            return Err(Error::malformed(
                Part::UnprotectedHeader,
                format!("member \"{name}\" appears in more than one header"),
            ));
        }
    }
    Ok(())
}

/// Checks `crit` (RFC 7515 §4.1.11, RFC 7797 §6) for a token being read.
///
/// `protected_crit` is the protected header's list, `unprotected_has_crit` whether an
/// unprotected header has one (never allowed), `contains` whether the whole JOSE header has
/// a member, `understood` the extension names the caller processes in addition to ours.
pub(crate) fn check_crit(
    protected_crit: Option<&[String]>,
    unprotected_has_crit: bool,
    contains: &dyn Fn(&str) -> bool,
    understood: &[String],
) -> Result<()> {
    if unprotected_has_crit {
        return Err(Error::Critical(
            "crit must be in the protected header".into(),
        ));
    }
    let Some(list) = protected_crit else {
        return Ok(());
    };
    check_crit_list(list, contains)?;
    for name in list {
        let known =
            UNDERSTOOD_EXTENSIONS.contains(&name.as_str()) || understood.iter().any(|u| u == name);
        if !known {
            return Err(Error::Critical(format!(
                "extension \"{}\" is not understood",
                name.escape_debug()
            )));
        }
    }
    Ok(())
}

/// The producer-side rules for a `crit` list: non-empty, distinct, no registered names,
/// each name present in the header.
pub(crate) fn check_crit_list(list: &[String], contains: &dyn Fn(&str) -> bool) -> Result<()> {
    if list.is_empty() {
        return Err(Error::Critical("crit is an empty list".into()));
    }
    for (i, name) in list.iter().enumerate() {
        if list[..i].contains(name) {
            return Err(Error::Critical(format!(
                "\"{}\" is listed twice",
                name.escape_debug()
            )));
        }
        if REGISTERED_NAMES.contains(&name.as_str()) {
            return Err(Error::Critical(format!(
                "\"{name}\" is a registered header parameter and must not be listed"
            )));
        }
        if !contains(name) {
            return Err(Error::Critical(format!(
                "\"{}\" is listed but not present in the header",
                name.escape_debug()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crit_rules() {
        let has = |names: &'static [&'static str]| move |n: &str| names.contains(&n);
        let ok = |crit: &[&str], present: &'static [&'static str], understood: &[&str]| {
            let crit: Vec<String> = crit.iter().map(|s| s.to_string()).collect();
            let understood: Vec<String> = understood.iter().map(|s| s.to_string()).collect();
            check_crit(Some(&crit), false, &has(present), &understood)
        };
        ok(&["b64"], &["b64"], &[]).unwrap();
        ok(&["exp"], &["exp"], &["exp"]).unwrap();
        assert!(matches!(ok(&[], &[], &[]), Err(Error::Critical(_))));
        assert!(matches!(
            ok(&["exp"], &["exp"], &[]),
            Err(Error::Critical(_))
        ));
        assert!(matches!(
            ok(&["b64", "b64"], &["b64"], &[]),
            Err(Error::Critical(_))
        ));
        assert!(matches!(
            ok(&["alg"], &["alg"], &["alg"]),
            Err(Error::Critical(_))
        ));
        assert!(matches!(
            ok(&["enc"], &["enc"], &["enc"]),
            Err(Error::Critical(_))
        ));
        assert!(matches!(ok(&["b64"], &[], &[]), Err(Error::Critical(_))));
        assert!(matches!(
            check_crit(None, true, &has(&[]), &[]),
            Err(Error::Critical(_))
        ));
        check_crit(None, false, &has(&[]), &[]).unwrap();
    }
}
