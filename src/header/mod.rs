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
mod params;

pub use jwe::JweHeader;
pub use jws::JwsHeader;
pub(crate) use params::{Members, Param, Side, Value};

use crate::error::{Error, Part, Result};

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

/// Extension header parameters josecraft itself understands when they are listed in `crit`.
pub(crate) const UNDERSTOOD_EXTENSIONS: &[&str] = &["b64"];

/// Getters and builders for the parameters every JOSE header has; expanded into
/// [`JwsHeader`] and [`JweHeader`] so the two present the same interface.
macro_rules! common_accessors {
    () => {
        /// `alg`: the algorithm name as written, if present.
        pub fn alg(&self) -> Option<&str> {
            self.members.text(Param::Alg)
        }
        /// `jku`: a URL for a JWK Set. Never fetched or trusted by josecraft.
        pub fn jku(&self) -> Option<&str> {
            self.members.text(Param::Jku)
        }
        /// `jwk`: an embedded public key, as JSON. Never used by josecraft to verify or
        /// decrypt; parse it with [`Jwk::from_json`](crate::jwk::Jwk::from_json) if you have
        /// a trust policy for it.
        pub fn jwk(&self) -> Option<&serde_json::value::RawValue> {
            self.members.json(Param::Jwk)
        }
        /// `kid`: the key ID.
        pub fn kid(&self) -> Option<&str> {
            self.members.text(Param::Kid)
        }
        /// `x5u`: a URL for an X.509 certificate chain. Never fetched or trusted.
        pub fn x5u(&self) -> Option<&str> {
            self.members.text(Param::X5u)
        }
        /// `x5c`: an X.509 certificate chain, each entry standard base64 of DER. Never
        /// trusted.
        pub fn x5c(&self) -> Option<&[String]> {
            self.members.texts(Param::X5c)
        }
        /// `x5t`: base64url SHA-1 thumbprint of a certificate.
        pub fn x5t(&self) -> Option<&str> {
            self.members.text(Param::X5t)
        }
        /// `x5t#S256`: base64url SHA-256 thumbprint of a certificate.
        pub fn x5t_s256(&self) -> Option<&str> {
            self.members.text(Param::X5tS256)
        }
        /// `typ`: the media type of the whole object (e.g. `JWT`, `at+jwt`).
        pub fn typ(&self) -> Option<&str> {
            self.members.text(Param::Typ)
        }
        /// `cty`: the media type of the content (`JWT` for a nested JWT).
        pub fn cty(&self) -> Option<&str> {
            self.members.text(Param::Cty)
        }
        /// `crit`: extension parameters the recipient must understand.
        pub fn crit(&self) -> Option<&[String]> {
            self.members.texts(Param::Crit)
        }

        /// Members that are not registered header parameters, in document order.
        pub fn extra_members(&self) -> impl Iterator<Item = (&str, &serde_json::value::RawValue)> {
            self.members.extra_members()
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
            match self.members.extra_members().find(|(k, _)| *k == name) {
                None => Ok(None),
                Some((_, v)) => crate::json::member(name, v, crate::Part::Header).map(Some),
            }
        }

        /// Whether a member called `name` (registered or not) is present.
        pub fn contains(&self, name: &str) -> bool {
            self.members.contains(name)
        }

        /// Names of all members present, registered ones first.
        pub fn names(&self) -> impl Iterator<Item = &str> {
            self.members.names()
        }

        /// Whether the header has no members.
        pub fn is_empty(&self) -> bool {
            self.members.is_empty()
        }

        /// Removes a member, registered or not, and says whether it was there.
        pub fn remove(&mut self, name: &str) -> bool {
            self.members.remove(name)
        }

        /// Sets `kid`.
        pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
            self.members.put(
                Param::Kid,
                Value::Text(::std::borrow::Cow::Owned(kid.into())),
            );
            self
        }
        /// Sets `typ`.
        pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
            self.members.put(
                Param::Typ,
                Value::Text(::std::borrow::Cow::Owned(typ.into())),
            );
            self
        }
        /// Sets `cty`.
        pub fn with_cty(mut self, cty: impl Into<String>) -> Self {
            self.members.put(
                Param::Cty,
                Value::Text(::std::borrow::Cow::Owned(cty.into())),
            );
            self
        }
        /// Sets `jku`.
        pub fn with_jku(mut self, url: impl Into<String>) -> Self {
            self.members.put(
                Param::Jku,
                Value::Text(::std::borrow::Cow::Owned(url.into())),
            );
            self
        }
        /// Sets `x5u`.
        pub fn with_x5u(mut self, url: impl Into<String>) -> Self {
            self.members.put(
                Param::X5u,
                Value::Text(::std::borrow::Cow::Owned(url.into())),
            );
            self
        }
        /// Sets `crit`. Producing a token checks the list: non-empty, distinct, no
        /// registered names, each present in the header.
        pub fn with_crit<I, S>(mut self, names: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            let names = names.into_iter().map(Into::into).collect();
            self.members.put(Param::Crit, Value::Texts(names));
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
            self.members.set(
                Self::SIDE,
                std::borrow::Cow::Borrowed(name),
                &raw,
                crate::Part::Header,
            )?;
            Ok(self)
        }

        /// The header as compact JSON: the registered members in a fixed order (`alg`
        /// first), then the other members in order.
        pub fn to_json(&self) -> String {
            let mut w = crate::json::ObjectWriter::new();
            self.members.write(&mut w);
            w.finish()
        }

        /// Parses a header from its JSON text, strictly: one object, unique member names,
        /// registered members of the registered types. `crit` is *not* checked here; token
        /// verification does that with the caller's list of understood extensions.
        ///
        /// # Errors
        /// [`Error::Malformed`](crate::Error::Malformed) for invalid or duplicate-member JSON
        /// or wrong types, [`Error::LimitExceeded`](crate::Error::LimitExceeded) for a header
        /// over the length or depth limit.
        pub fn from_json(json: &[u8], limits: &crate::Limits) -> crate::Result<Self> {
            limits.check_header_len(json.len())?;
            Self::parse(json, crate::Part::Header, limits.json_depth())
        }

        pub(crate) fn parse(
            json: &[u8],
            part: crate::Part,
            max_depth: usize,
        ) -> crate::Result<Self> {
            let mut header = Self::default();
            crate::json::for_each_member(json, part, max_depth, &mut |name, value| {
                header.members.set(Self::SIDE, name, value, part)
            })?;
            Ok(header)
        }

        /// Merges `other` into a copy of `self`; the two must not share a member name
        /// (RFC 7515 §7.2.1, RFC 7516 §7.2.1).
        pub(crate) fn joined(&self, other: &Self) -> crate::Result<Self> {
            super::check_disjoint(self.names(), &|n| other.contains(n))?;
            let mut out = self.clone();
            out.members.absorb(other.members.clone());
            Ok(out)
        }

        pub(crate) fn set_alg_name(&mut self, alg: &'static str) {
            self.members
                .put(Param::Alg, Value::Text(::std::borrow::Cow::Borrowed(alg)));
        }

        pub(crate) fn set_kid_if_absent(&mut self, kid: Option<&str>) {
            if let (None, Some(kid)) = (self.kid(), kid) {
                self.members.put(
                    Param::Kid,
                    Value::Text(::std::borrow::Cow::Owned(kid.to_string())),
                );
            }
        }
    };
}
pub(crate) use common_accessors;

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
        if Param::from_name(name).is_some_and(Param::is_registered) {
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
