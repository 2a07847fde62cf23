//! JOSE headers (RFC 7515 §4, RFC 7797 §3) and the `crit` rules (RFC 7515 §4.1.11).
//!
//! [`JwsHeader`] holds every registered JWS header parameter as a typed field and keeps
//! every other member, in document order, as unparsed JSON. Parsing is strict: the header
//! must be one JSON object, member names must be unique, registered members must have their
//! registered JSON types.
//!
//! A header read from a token that has not been verified is attacker-controlled; the APIs
//! that hand one out wrap it in [`Untrusted`].

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::base64url;
use crate::error::{Error, Part, Result};
use crate::json;
use crate::jws::JwsAlgorithm;

/// A value taken from a token that has not been verified (yet), and so is controlled by
/// whoever made the token. Readable, to choose a key or to log, but never proof of anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Untrusted<T>(T);

impl<T> Untrusted<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }
    /// Takes the value out, still unverified; the name is a reminder.
    pub fn into_untrusted(self) -> T {
        self.0
    }
}

impl<T> Deref for Untrusted<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Header parameters registered by RFC 7515, 7516 and 7518 for JWS and JWE; `crit` must not
/// list them (RFC 7515 §4.1.11).
pub(crate) const REGISTERED_NAMES: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// Extension header parameters josecraft itself understands when they are listed in `crit`.
pub(crate) const UNDERSTOOD_EXTENSIONS: &[&str] = &["b64"];

/// The JOSE header of a JWS (RFC 7515 §4.1, RFC 7797 §3).
///
/// Build one for signing with the `with_*` methods; `alg` is filled in from the signer.
///
/// ```
/// use josecraft::JwsHeader;
///
/// let header = JwsHeader::new().with_typ("at+jwt").with_member("tenant", "acme")?;
/// assert_eq!(header.typ(), Some("at+jwt"));
/// assert_eq!(header.extra::<String>("tenant")?, Some("acme".to_string()));
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct JwsHeader {
    alg: Option<String>,
    jku: Option<String>,
    jwk: Option<Box<RawValue>>,
    kid: Option<String>,
    x5u: Option<String>,
    x5c: Option<Vec<String>>,
    x5t: Option<String>,
    x5t_s256: Option<String>,
    typ: Option<String>,
    cty: Option<String>,
    crit: Option<Vec<String>>,
    b64: Option<bool>,
    extra: Vec<(String, Box<RawValue>)>,
}

impl fmt::Debug for JwsHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwsHeader(")?;
        f.write_str(&self.to_json())?;
        f.write_str(")")
    }
}

impl PartialEq for JwsHeader {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

impl JwsHeader {
    /// An empty header.
    pub fn new() -> Self {
        Self::default()
    }

    /// `alg`: the algorithm name as written, if present.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }
    /// `alg` as a known [`JwsAlgorithm`]; `None` when absent or not one josecraft knows.
    pub fn algorithm(&self) -> Option<JwsAlgorithm> {
        self.alg.as_deref().and_then(JwsAlgorithm::from_name)
    }
    /// `jku`: a URL for a JWK Set. Never fetched or trusted by josecraft.
    pub fn jku(&self) -> Option<&str> {
        self.jku.as_deref()
    }
    /// `jwk`: an embedded public key, as JSON. Never used to verify anything; parse it with
    /// [`Jwk::from_json`](crate::jwk::Jwk::from_json) if you have a trust policy for it.
    pub fn jwk(&self) -> Option<&RawValue> {
        self.jwk.as_deref()
    }
    /// `kid`: the key ID.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
    /// `x5u`: a URL for an X.509 certificate chain. Never fetched or trusted.
    pub fn x5u(&self) -> Option<&str> {
        self.x5u.as_deref()
    }
    /// `x5c`: an X.509 certificate chain, each entry standard base64 of DER. Never trusted.
    pub fn x5c(&self) -> Option<&[String]> {
        self.x5c.as_deref()
    }
    /// `x5t`: base64url SHA-1 thumbprint of a certificate.
    pub fn x5t(&self) -> Option<&str> {
        self.x5t.as_deref()
    }
    /// `x5t#S256`: base64url SHA-256 thumbprint of a certificate.
    pub fn x5t_s256(&self) -> Option<&str> {
        self.x5t_s256.as_deref()
    }
    /// `typ`: the media type of the whole JWS (e.g. `JWT`, `at+jwt`).
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_deref()
    }
    /// `cty`: the media type of the payload (`JWT` for a nested JWT).
    pub fn cty(&self) -> Option<&str> {
        self.cty.as_deref()
    }
    /// `crit`: extension parameters the recipient must understand.
    pub fn crit(&self) -> Option<&[String]> {
        self.crit.as_deref()
    }
    /// `b64` (RFC 7797) as written, if present.
    pub fn b64(&self) -> Option<bool> {
        self.b64
    }
    /// Whether the payload is base64url-encoded: false only for `"b64": false`.
    pub fn is_payload_encoded(&self) -> bool {
        self.b64 != Some(false)
    }

    /// Members that are not registered header parameters, in document order.
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.extra.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// The member `name` (not a registered parameter) parsed as `T`, if present.
    ///
    /// # Errors
    /// [`Error::Malformed`] if the member is present but is not a `T`.
    pub fn extra<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        match self.extra.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, v)) => json::member(name, v, Part::Header).map(Some),
        }
    }

    /// Whether a member called `name` (registered or not) is present.
    pub fn contains(&self, name: &str) -> bool {
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
            "b64" => self.b64.is_some(),
            _ => self.extra.iter().any(|(k, _)| k == name),
        }
    }

    /// Names of all members present, registered ones first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        const FIXED: [&str; 12] = [
            "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "b64",
            "crit",
        ];
        FIXED
            .into_iter()
            .filter(|n| self.contains(n))
            .chain(self.extra.iter().map(|(k, _)| k.as_str()))
    }

    /// Sets `alg`. Signing fills it in from the signer, and fails if it was set to another
    /// algorithm.
    pub fn with_alg(mut self, alg: JwsAlgorithm) -> Self {
        self.alg = Some(alg.name().to_string());
        self
    }
    /// Sets `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }
    /// Sets `typ`.
    pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }
    /// Sets `cty`.
    pub fn with_cty(mut self, cty: impl Into<String>) -> Self {
        self.cty = Some(cty.into());
        self
    }
    /// Sets `jku`.
    pub fn with_jku(mut self, url: impl Into<String>) -> Self {
        self.jku = Some(url.into());
        self
    }
    /// Sets `x5u`.
    pub fn with_x5u(mut self, url: impl Into<String>) -> Self {
        self.x5u = Some(url.into());
        self
    }
    /// Sets `crit`. Signing checks the list: non-empty, distinct, no registered names, each
    /// present in the header.
    pub fn with_crit<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.crit = Some(names.into_iter().map(Into::into).collect());
        self
    }
    /// Sets `b64` (RFC 7797). `false` also needs `"crit": ["b64"]`, which signing checks.
    pub fn with_b64(mut self, b64: bool) -> Self {
        self.b64 = Some(b64);
        self
    }

    /// Sets any member, registered or not, from a serializable value. Registered members are
    /// checked against their JSON types (e.g. `kid` must be a string).
    ///
    /// # Errors
    /// [`Error::Malformed`] if the value cannot be serialized or has the wrong type for a
    /// registered member.
    pub fn with_member(mut self, name: &str, value: impl Serialize) -> Result<Self> {
        let raw = serde_json::value::to_raw_value(&value)
            .map_err(|e| Error::malformed(Part::Header, e.to_string()))?;
        json::check_nested(&raw, Part::Header)?;
        self.set(Cow::Borrowed(name), &raw, Part::Header)?;
        Ok(self)
    }

    /// Removes a member, registered or not, and says whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let was = self.contains(name);
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
            "b64" => self.b64 = None,
            _ => self.extra.retain(|(k, _)| k != name),
        }
        was
    }

    /// Parses a header from its JSON text, strictly: one object, unique member names,
    /// registered members of the registered types. `crit` is *not* checked here; token
    /// verification does that with the caller's list of understood extensions.
    ///
    /// # Errors
    /// [`Error::Malformed`] for invalid or duplicate-member JSON or wrong types,
    /// [`Error::LimitExceeded`] for a header over the length or depth limit.
    pub fn from_json(json: &[u8], limits: &crate::Limits) -> Result<Self> {
        limits.check_header_len(json.len())?;
        Self::parse(json, Part::Header, limits.json_depth())
    }

    pub(crate) fn parse(json: &[u8], part: Part, max_depth: usize) -> Result<Self> {
        let members = json::parse_object(json, part, max_depth)?;
        let mut header = Self::default();
        for (name, value) in members {
            header.set(name, value, part)?;
        }
        Ok(header)
    }

    fn set(&mut self, name: Cow<'_, str>, value: &RawValue, part: Part) -> Result<()> {
        let n = name.as_ref();
        match n {
            "alg" => self.alg = Some(non_empty(n, json::member(n, value, part)?, part)?),
            "jku" => self.jku = Some(json::member(n, value, part)?),
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
            "kid" => self.kid = Some(json::member(n, value, part)?),
            "x5u" => self.x5u = Some(json::member(n, value, part)?),
            "x5c" => self.x5c = Some(parse_x5c(json::member(n, value, part)?, part)?),
            "x5t" => self.x5t = Some(thumbprint(n, json::member(n, value, part)?, 20, part)?),
            "x5t#S256" => {
                self.x5t_s256 = Some(thumbprint(n, json::member(n, value, part)?, 32, part)?)
            }
            "typ" => self.typ = Some(json::member(n, value, part)?),
            "cty" => self.cty = Some(json::member(n, value, part)?),
            "crit" => self.crit = Some(json::member(n, value, part)?),
            "b64" => self.b64 = Some(json::member(n, value, part)?),
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

    /// Merges `other` into a copy of `self`; the two must not share a member name
    /// (RFC 7515 §7.2.1, RFC 7516 §7.2.1).
    pub(crate) fn joined(&self, other: &JwsHeader) -> Result<JwsHeader> {
        if let Some(shared) = self.names().find(|n| other.contains(n)) {
            return Err(Error::malformed(
                Part::UnprotectedHeader,
                format!("member \"{shared}\" is in both the protected and the unprotected header"),
            ));
        }
        let o = other.clone();
        let mut out = self.clone();
        out.alg = out.alg.or(o.alg);
        out.jku = out.jku.or(o.jku);
        out.jwk = out.jwk.or(o.jwk);
        out.kid = out.kid.or(o.kid);
        out.x5u = out.x5u.or(o.x5u);
        out.x5c = out.x5c.or(o.x5c);
        out.x5t = out.x5t.or(o.x5t);
        out.x5t_s256 = out.x5t_s256.or(o.x5t_s256);
        out.typ = out.typ.or(o.typ);
        out.cty = out.cty.or(o.cty);
        out.crit = out.crit.or(o.crit);
        out.b64 = out.b64.or(o.b64);
        out.extra.extend(o.extra);
        Ok(out)
    }

    /// The header as compact JSON: `alg` first, then the other registered members, then
    /// the extra members in order.
    pub fn to_json(&self) -> String {
        // Serializing strings, bools and already-valid raw JSON into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub(crate) fn set_alg_name(&mut self, alg: &str) {
        self.alg = Some(alg.to_string());
    }

    pub(crate) fn set_kid_if_absent(&mut self, kid: Option<&str>) {
        if self.kid.is_none() {
            self.kid = kid.map(str::to_string);
        }
    }
}

impl Serialize for JwsHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &self.alg {
            m.serialize_entry("alg", v)?;
        }
        if let Some(v) = &self.jku {
            m.serialize_entry("jku", v)?;
        }
        if let Some(v) = &self.jwk {
            m.serialize_entry("jwk", v)?;
        }
        if let Some(v) = &self.kid {
            m.serialize_entry("kid", v)?;
        }
        if let Some(v) = &self.x5u {
            m.serialize_entry("x5u", v)?;
        }
        if let Some(v) = &self.x5c {
            m.serialize_entry("x5c", v)?;
        }
        if let Some(v) = &self.x5t {
            m.serialize_entry("x5t", v)?;
        }
        if let Some(v) = &self.x5t_s256 {
            m.serialize_entry("x5t#S256", v)?;
        }
        if let Some(v) = &self.typ {
            m.serialize_entry("typ", v)?;
        }
        if let Some(v) = &self.cty {
            m.serialize_entry("cty", v)?;
        }
        // b64 before crit, as RFC 7797 §4.2 writes it.
        if let Some(v) = &self.b64 {
            m.serialize_entry("b64", v)?;
        }
        if let Some(v) = &self.crit {
            m.serialize_entry("crit", v)?;
        }
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

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

/// Checks `crit` (RFC 7515 §4.1.11, RFC 7797 §6) for a token being read.
///
/// `protected` is the integrity-protected header, `joined` the whole JOSE header
/// (protected and unprotected members together; the same as `protected` for compact
/// tokens), `understood` the extension names the caller processes in addition to ours.
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
    use crate::Limits;

    fn parse(json: &str) -> Result<JwsHeader> {
        JwsHeader::from_json(json.as_bytes(), &Limits::default())
    }

    #[test]
    fn parses_every_registered_parameter() {
        let h = parse(
            r#"{"alg":"ES256","jku":"https://e/jwks","jwk":{"kty":"EC"},"kid":"k1",
                "x5u":"https://e/c","x5c":["MIIB","AAAA"],"x5t":"AAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "x5t#S256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","typ":"JWT","cty":"x",
                "crit":["b64"],"b64":false,"z":{"n":[1,2]},"a":1}"#,
        )
        .unwrap();
        assert_eq!(h.alg(), Some("ES256"));
        assert_eq!(h.algorithm(), Some(JwsAlgorithm::Es256));
        assert_eq!(h.jku(), Some("https://e/jwks"));
        assert_eq!(h.jwk().unwrap().get(), r#"{"kty":"EC"}"#);
        assert_eq!(h.kid(), Some("k1"));
        assert_eq!(h.x5u(), Some("https://e/c"));
        assert_eq!(h.x5c().unwrap().len(), 2);
        assert!(h.x5t().is_some() && h.x5t_s256().is_some());
        assert_eq!((h.typ(), h.cty()), (Some("JWT"), Some("x")));
        assert_eq!(h.crit().unwrap(), ["b64"]);
        assert!(!h.is_payload_encoded());
        let extra: Vec<&str> = h.extra_members().map(|(k, _)| k).collect();
        assert_eq!(extra, ["z", "a"]);
        assert_eq!(h.extra::<u32>("a").unwrap(), Some(1));
        // Round trip keeps every member and the order of the extras.
        let again = parse(&h.to_json()).unwrap();
        assert_eq!(again, h);
        assert!(h.to_json().ends_with(r#""z":{"n":[1,2]},"a":1}"#));
    }

    #[test]
    fn wrong_types_are_malformed() {
        for bad in [
            r#"{"alg":1}"#,
            r#"{"alg":""}"#,
            r#"{"alg":null}"#,
            r#"{"kid":7}"#,
            r#"{"typ":["JWT"]}"#,
            r#"{"crit":"b64"}"#,
            r#"{"crit":[1]}"#,
            r#"{"b64":"false"}"#,
            r#"{"x5c":"MIIB"}"#,
            r#"{"x5c":[]}"#,
            r#"{"x5c":["not base64!"]}"#,
            r#"{"x5t":"AAAA"}"#,
            r#"{"jwk":"key"}"#,
            r#"{"jwk":{"a":1,"a":2}}"#,
            r#"{"alg":"HS256","alg":"none"}"#,
            r#"{"other":{"x":1,"x":1}}"#,
        ] {
            assert!(
                matches!(
                    parse(bad),
                    Err(Error::Malformed {
                        part: Part::Header,
                        ..
                    })
                ),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn header_length_limit() {
        let limits = Limits::default().with_max_header_len(20);
        let at = br#"{"alg":"HS256","a":1}"#; // 21 bytes
        assert!(matches!(
            JwsHeader::from_json(at, &limits),
            Err(Error::LimitExceeded { .. })
        ));
        JwsHeader::from_json(&at[..], &limits.with_max_header_len(21)).unwrap();
    }

    #[test]
    fn with_member_types_registered_names() {
        let h = JwsHeader::new().with_member("kid", "abc").unwrap();
        assert_eq!(h.kid(), Some("abc"));
        assert!(JwsHeader::new().with_member("kid", 5).is_err());
        let h = h
            .with_member("x", [1, 2])
            .unwrap()
            .with_member("x", "y")
            .unwrap();
        assert_eq!(h.extra::<String>("x").unwrap().as_deref(), Some("y"));
        assert_eq!(h.extra_members().count(), 1);
    }

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

    #[test]
    fn joined_headers_must_be_disjoint() {
        let p = JwsHeader::new().with_kid("a");
        let u = JwsHeader::new()
            .with_typ("JWT")
            .with_member("x", 1)
            .unwrap();
        let j = p.joined(&u).unwrap();
        assert_eq!((j.kid(), j.typ()), (Some("a"), Some("JWT")));
        assert_eq!(j.extra::<u8>("x").unwrap(), Some(1));
        assert!(p.joined(&JwsHeader::new().with_kid("b")).is_err());
        let x = JwsHeader::new().with_member("x", 1).unwrap();
        assert!(x.joined(&x).is_err());
    }
}
