//! The JWT claims set (RFC 7519 §4): registered claims typed, the caller's own claims
//! through serde.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::de::value::MapDeserializer;
use serde::de::DeserializeOwned;
use serde::ser::{Error as _, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::date::NumericDate;
use crate::error::{Claim, ClaimsError, Error, Part, Result};
use crate::json;

/// The `aud` claim: one audience or several, written back in the form it came in
/// (RFC 7519 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// `"aud": "api"`.
    Single(String),
    /// `"aud": ["api", "other"]`.
    Many(Vec<String>),
}

impl Audience {
    /// The audiences, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let slice: &[String] = match self {
            Self::Single(a) => std::slice::from_ref(a),
            Self::Many(v) => v,
        };
        slice.iter().map(String::as_str)
    }

    /// Whether `aud` is one of the audiences (exact comparison).
    pub fn contains(&self, aud: &str) -> bool {
        self.iter().any(|a| a == aud)
    }

    /// How many audiences there are.
    pub fn len(&self) -> usize {
        match self {
            Self::Single(_) => 1,
            Self::Many(v) => v.len(),
        }
    }

    /// Whether there are none (an empty array).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Serialize for Audience {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Single(a) => s.serialize_str(a),
            Self::Many(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Single(String),
            Many(Vec<String>),
        }
        Ok(match Form::deserialize(d)? {
            Form::Single(a) => Self::Single(a),
            Form::Many(v) => Self::Many(v),
        })
    }
}

impl From<&str> for Audience {
    fn from(a: &str) -> Self {
        Self::Single(a.to_string())
    }
}

impl From<String> for Audience {
    fn from(a: String) -> Self {
        Self::Single(a)
    }
}

impl From<Vec<String>> for Audience {
    fn from(v: Vec<String>) -> Self {
        Self::Many(v)
    }
}

/// A JWT claims set: the registered claims of RFC 7519 §4.1 and the caller's own claims
/// `T`, flattened beside them in JSON. `T` defaults to a JSON map, the dynamic form.
///
/// A registered claim of the wrong JSON type (`"exp": "1700000000"`, `"aud": 5`) is an
/// error ([`ClaimsError::WrongType`]), never "absent".
///
/// ```
/// use josecraft::jwt::{Claims, NumericDate};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Default)]
/// struct Access { scope: String }
///
/// let claims = Claims::new(Access { scope: "read".into() })
///     .with_issuer("https://auth.example")
///     .with_subject("ada")
///     .with_audience("api")
///     .with_expiry(NumericDate::from_unix(4_102_444_800).unwrap());
/// assert_eq!(
///     claims.to_json()?,
///     r#"{"iss":"https://auth.example","sub":"ada","aud":"api","exp":4102444800,"scope":"read"}"#
/// );
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Claims<T = serde_json::Map<String, serde_json::Value>> {
    /// `iss`: the issuer.
    pub iss: Option<String>,
    /// `sub`: the subject.
    pub sub: Option<String>,
    /// `aud`: the audience(s).
    pub aud: Option<Audience>,
    /// `exp`: expiration time.
    pub exp: Option<NumericDate>,
    /// `nbf`: not before.
    pub nbf: Option<NumericDate>,
    /// `iat`: issued at.
    pub iat: Option<NumericDate>,
    /// `jti`: the token's unique ID.
    pub jti: Option<String>,
    /// The other claims.
    pub custom: T,
}

/// The registered claims' names.
pub(crate) const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

impl<T> Claims<T> {
    /// Claims with no registered claim set and these custom claims.
    pub fn new(custom: T) -> Self {
        Self {
            iss: None,
            sub: None,
            aud: None,
            exp: None,
            nbf: None,
            iat: None,
            jti: None,
            custom,
        }
    }

    /// Sets `iss`.
    pub fn with_issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }
    /// Sets `sub`.
    pub fn with_subject(mut self, sub: impl Into<String>) -> Self {
        self.sub = Some(sub.into());
        self
    }
    /// Sets `aud` to one audience (written as a string).
    pub fn with_audience(mut self, aud: impl Into<String>) -> Self {
        self.aud = Some(Audience::Single(aud.into()));
        self
    }
    /// Sets `aud` to several audiences (written as an array).
    pub fn with_audiences<I: IntoIterator<Item = S>, S: Into<String>>(mut self, auds: I) -> Self {
        self.aud = Some(Audience::Many(auds.into_iter().map(Into::into).collect()));
        self
    }
    /// Sets `exp`.
    pub fn with_expiry(mut self, exp: NumericDate) -> Self {
        self.exp = Some(exp);
        self
    }
    /// Sets `nbf`.
    pub fn with_not_before(mut self, nbf: NumericDate) -> Self {
        self.nbf = Some(nbf);
        self
    }
    /// Sets `iat`.
    pub fn with_issued_at(mut self, iat: NumericDate) -> Self {
        self.iat = Some(iat);
        self
    }
    /// Sets `jti`.
    pub fn with_jti(mut self, jti: impl Into<String>) -> Self {
        self.jti = Some(jti.into());
        self
    }

    /// Sets `iat` to `now` and `exp` to `now + lifetime`.
    ///
    /// # Errors
    /// [`Error::Claims`] ([`ClaimsError::OutOfRange`]) if the expiry is out of range.
    pub fn valid_for(mut self, now: NumericDate, lifetime: std::time::Duration) -> Result<Self> {
        self.iat = Some(now);
        self.exp = Some(
            now.checked_add(lifetime)
                .ok_or(ClaimsError::OutOfRange(Claim::Exp))?,
        );
        Ok(self)
    }

    /// Sets `jti` to 128 random bits, base64url-encoded.
    ///
    /// # Errors
    /// If the system random generator fails.
    pub fn with_random_jti(mut self) -> Result<Self> {
        self.jti = Some(crate::base64url::encode(crate::crypto::rand::bytes(16)?));
        Ok(self)
    }
}

impl<T: Serialize> Claims<T> {
    /// The claims as compact JSON, registered claims first.
    ///
    /// # Errors
    /// [`Error::Malformed`] if the custom claims do not serialize to a JSON object, set a
    /// registered claim that is also set on `Claims`, or give one the wrong JSON type.
    pub fn to_json(&self) -> Result<String> {
        let custom = serde_json::to_string(&self.custom)
            .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
        if let Some(json) = self.write_beside(&custom) {
            return Ok(json);
        }
        // The custom type names registered claims (a flat claims type), or is not a plain
        // object: the general path merges and checks them.
        serde_json::to_string(self).map_err(|e| Error::malformed(Part::Claims, e.to_string()))
    }

    /// The usual case, written without an intermediate `serde_json::Value`: the custom
    /// claims, serialized once, are an object naming no registered claim, so the
    /// registered claims are written first and the custom members follow as serialized.
    /// `None` sends the caller to the general path.
    fn write_beside(&self, custom: &str) -> Option<String> {
        let inner = if custom == "null" {
            ""
        } else {
            let members = json::parse_object(
                custom.as_bytes(),
                Part::Claims,
                crate::Limits::default().max_json_depth(),
            )
            .ok()?;
            // A registered name, or a nested value the general path would have rewritten
            // (a duplicate name deeper down, which `Value` collapses; an escape it refuses):
            // the general path decides.
            let plain = members.iter().all(|(name, value)| {
                !REGISTERED.contains(&name.as_ref())
                    && json::check_nested(value, Part::Claims).is_ok()
            });
            if !plain {
                return None;
            }
            if members.is_empty() {
                ""
            } else {
                // The members are what lies between the braces (serde_json writes compact
                // JSON; a raw value may hold spaces, which stay valid there).
                custom.trim().strip_prefix('{')?.strip_suffix('}')?
            }
        };
        let mut out = String::with_capacity(custom.len() + 96);
        out.push('{');
        let name = |out: &mut String, n: &str| {
            if out.len() > 1 {
                out.push(',');
            }
            out.push('"');
            out.push_str(n);
            out.push_str("\":");
        };
        for (n, v) in [("iss", &self.iss), ("sub", &self.sub)] {
            if let Some(v) = v {
                name(&mut out, n);
                json::write_str(&mut out, v);
            }
        }
        if let Some(aud) = &self.aud {
            name(&mut out, "aud");
            match aud {
                Audience::Single(a) => json::write_str(&mut out, a),
                Audience::Many(all) => {
                    out.push('[');
                    for (i, a) in all.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        json::write_str(&mut out, a);
                    }
                    out.push(']');
                }
            }
        }
        for (n, v) in [("exp", self.exp), ("nbf", self.nbf), ("iat", self.iat)] {
            if let Some(v) = v {
                name(&mut out, n);
                // Writing to a String cannot fail.
                let _ = write!(out, "{}", v.unix());
            }
        }
        if let Some(v) = &self.jti {
            name(&mut out, "jti");
            json::write_str(&mut out, v);
        }
        if !inner.is_empty() {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(inner);
        }
        out.push('}');
        Some(out)
    }

    /// Every claim in the order they are written: the registered claims (from the fields
    /// of `Claims`, or from the custom type when it has them as its own fields, as claims
    /// types written for other libraries do), then the custom claims.
    pub(crate) fn members(&self) -> std::result::Result<Vec<(String, serde_json::Value)>, String> {
        use serde_json::Value;
        let custom = match serde_json::to_value(&self.custom).map_err(|e| e.to_string())? {
            Value::Object(m) => m,
            Value::Null => serde_json::Map::new(),
            Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => {
                return Err("custom claims must serialize to a JSON object".into())
            }
        };
        let to_value = |v: &dyn erased::ToJson| v.to_json();
        let fields: [(&str, Option<Value>); 7] = [
            ("iss", self.iss.as_ref().map(|v| to_value(v))),
            ("sub", self.sub.as_ref().map(|v| to_value(v))),
            ("aud", self.aud.as_ref().map(|v| to_value(v))),
            ("exp", self.exp.as_ref().map(|v| to_value(v))),
            ("nbf", self.nbf.as_ref().map(|v| to_value(v))),
            ("iat", self.iat.as_ref().map(|v| to_value(v))),
            ("jti", self.jti.as_ref().map(|v| to_value(v))),
        ];
        let mut out = Vec::with_capacity(7 + custom.len());
        for (name, field) in fields {
            let from_custom = custom.get(name).filter(|v| !v.is_null());
            match (field, from_custom) {
                // A flat claims type read back from a verified token holds the registered
                // claims twice, with the same values: that is one claim.
                (Some(v), Some(c)) if &v == c => out.push((name.to_string(), v)),
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "the claim \"{name}\" is set twice, differently: on Claims and in the custom claims type"
                    ))
                }
                (Some(v), None) => out.push((name.to_string(), v)),
                (None, Some(v)) => {
                    check_registered_type(name, v)?;
                    out.push((name.to_string(), v.clone()));
                }
                (None, None) => {}
            }
        }
        for (k, v) in custom {
            if !REGISTERED.contains(&k.as_str()) {
                out.push((k, v));
            }
        }
        Ok(out)
    }
}

/// The JSON type RFC 7519 §4.1 gives a registered claim, for registered claims that come
/// from a caller's own claims type.
fn check_registered_type(name: &str, v: &serde_json::Value) -> std::result::Result<(), String> {
    use serde_json::Value;
    let ok = match name {
        "iss" | "sub" | "jti" => v.is_string(),
        "aud" => v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        _ => v
            .as_number()
            .is_some_and(|n| NumericDate::from_json_number(n).is_some()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the claim \"{name}\" has the wrong JSON type (RFC 7519 §4.1: {})",
            match name {
                "iss" | "sub" | "jti" => "a string",
                "aud" => "a string or an array of strings",
                _ => "a NumericDate, seconds since the epoch",
            }
        ))
    }
}

/// Registered claim values as JSON, for [`Claims::members`].
mod erased {
    pub(super) trait ToJson {
        fn to_json(&self) -> serde_json::Value;
    }
    impl ToJson for String {
        fn to_json(&self) -> serde_json::Value {
            self.as_str().into()
        }
    }
    impl ToJson for super::Audience {
        fn to_json(&self) -> serde_json::Value {
            match self {
                super::Audience::Single(a) => a.as_str().into(),
                super::Audience::Many(v) => v.clone().into(),
            }
        }
    }
    impl ToJson for super::NumericDate {
        fn to_json(&self) -> serde_json::Value {
            self.unix().into()
        }
    }
}

impl<T: Serialize> Serialize for Claims<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let members = self.members().map_err(S::Error::custom)?;
        let mut m = s.serialize_map(Some(members.len()))?;
        for (k, v) in &members {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Reads claims through any serde deserializer as strictly as verification reads them
/// (duplicate members refused at every depth, registered claims of their registered
/// types), for storing and loading claims. Deserializing validates nothing: tokens go
/// through [`jwt::verify`](crate::jwt::verify).
impl<'de, T: DeserializeOwned> Deserialize<'de> for Claims<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::json::deserialize_strict(d, |json| {
            ParsedClaims::parse(json, crate::Limits::default().max_json_depth())?.into_claims()
        })
    }
}

/// A claims set split into members, with the registered claims typed: what validation
/// looks at before the caller's type is built.
pub(crate) struct ParsedClaims<'a> {
    pub(crate) registered: Claims<()>,
    pub(crate) members: json::Members<'a>,
}

fn date(claim: Claim, value: &RawValue) -> Result<NumericDate> {
    // The common case, a plain integer of up to 18 digits, without a second parse.
    let text = value.get();
    if !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text
            .parse()
            .map_err(|_| ClaimsError::OutOfRange(claim.clone()))?;
        return NumericDate::from_unix(seconds)
            .ok_or_else(|| ClaimsError::OutOfRange(claim).into());
    }
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(n) => {
            NumericDate::from_json_number(&n).ok_or_else(|| ClaimsError::OutOfRange(claim).into())
        }
        Err(_) => Err(ClaimsError::WrongType(claim).into()),
    }
}

fn typed<'a, V: Deserialize<'a>>(claim: Claim, value: &'a RawValue) -> Result<V> {
    serde_json::from_str(value.get()).map_err(|_| ClaimsError::WrongType(claim).into())
}

/// A string claim, escape-free ones without a second parse.
fn string(claim: Claim, value: &RawValue) -> Result<String> {
    match json::plain_str(value) {
        Some(s) => Ok(s.to_owned()),
        None => typed(claim, value),
    }
}

fn audience(value: &RawValue) -> Result<Audience> {
    match json::plain_str(value) {
        Some(s) => Ok(Audience::Single(s.to_owned())),
        None => typed(Claim::Aud, value),
    }
}

impl<'a> ParsedClaims<'a> {
    /// Splits and checks a claims set: one JSON object, no duplicate members at any depth,
    /// registered claims of their registered types.
    pub(crate) fn parse(payload: &'a [u8], max_depth: usize) -> Result<Self> {
        let members = json::parse_object(payload, Part::Claims, max_depth)?;
        let mut registered = Claims::new(());
        for (name, value) in &members {
            match name.as_ref() {
                "iss" => registered.iss = Some(string(Claim::Iss, value)?),
                "sub" => registered.sub = Some(string(Claim::Sub, value)?),
                "aud" => registered.aud = Some(audience(value)?),
                "exp" => registered.exp = Some(date(Claim::Exp, value)?),
                "nbf" => registered.nbf = Some(date(Claim::Nbf, value)?),
                "iat" => registered.iat = Some(date(Claim::Iat, value)?),
                "jti" => registered.jti = Some(string(Claim::Jti, value)?),
                _ => json::check_nested(value, Part::Claims)?,
            }
        }
        Ok(Self {
            registered,
            members,
        })
    }

    /// The member `name`, unparsed.
    pub(crate) fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.members
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// Builds the caller's type from the members that are not registered claims, or from
    /// every member when the type has registered claims among its own fields (a claims
    /// struct written for another library, with `sub`, `exp`, ... as fields).
    pub(crate) fn into_claims<T: DeserializeOwned>(self) -> Result<Claims<T>> {
        let custom = T::deserialize(CustomClaims {
            members: &self.members,
        })
        .map_err(|e| {
            let text = e.to_string();
            // A registered claim the type wanted but did not get: it reads its fields
            // through `#[serde(flatten)]` (a map), which hides which claims it names.
            let hint = REGISTERED
                .iter()
                .find(|r| text.contains(&format!("missing field `{r}`")))
                .map(|r| {
                    format!(
                        " (\"{r}\" is a registered claim: read it from Claims, or make it a named field of your type rather than one reached through #[serde(flatten)])"
                    )
                })
                .unwrap_or_default();
            Error::malformed(Part::Claims, format!("{text}{hint}"))
        })?;
        let r = self.registered;
        Ok(Claims {
            iss: r.iss,
            sub: r.sub,
            aud: r.aud,
            exp: r.exp,
            nbf: r.nbf,
            iat: r.iat,
            jti: r.jti,
            custom,
        })
    }
}

/// Deserializes the caller's claims type: the custom members, and for a struct the
/// registered claims it names as fields (a claims struct written for another library, with
/// `sub`, `exp`, ... as fields). Types read as maps (including structs that use
/// `#[serde(flatten)]`) get the custom members only.
struct CustomClaims<'m, 'a> {
    members: &'m json::Members<'a>,
}

impl<'m, 'a> CustomClaims<'m, 'a> {
    /// The custom members, and the registered ones the type names among its `fields`.
    fn map(
        &self,
        fields: &'static [&'static str],
    ) -> MapDeserializer<
        'a,
        impl Iterator<Item = (Cow<'a, str>, &'a RawValue)> + 'm,
        serde_json::Error,
    > {
        MapDeserializer::new(
            self.members
                .iter()
                .filter(move |(k, _)| {
                    !REGISTERED.contains(&k.as_ref()) || fields.contains(&k.as_ref())
                })
                .map(|(k, v)| (k.clone(), *v)),
        )
    }
}

impl<'de, 'm> serde::Deserializer<'de> for CustomClaims<'m, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_any(self.map(&[]), visitor)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_struct(self.map(fields), name, fields, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A read-only view of a claims set, for custom validators.
pub struct ClaimsView<'p> {
    parsed: &'p ParsedClaims<'p>,
}

impl<'p> ClaimsView<'p> {
    pub(crate) fn new(parsed: &'p ParsedClaims<'p>) -> Self {
        Self { parsed }
    }

    /// The registered claims, typed.
    pub fn registered(&self) -> &Claims<()> {
        &self.parsed.registered
    }

    /// Whether a claim called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.parsed.get(name).is_some()
    }

    /// The claim `name` parsed as `V`.
    ///
    /// # Errors
    /// [`ClaimsError::WrongType`] if it is present but not a `V`.
    pub fn get<V: DeserializeOwned>(&self, name: &str) -> Result<Option<V>> {
        match self.parsed.get(name) {
            None => Ok(None),
            Some(v) => typed(Claim::from_name(name), v).map(Some),
        }
    }

    /// The claim `name` as raw JSON text.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.parsed.get(name).map(RawValue::get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The direct writer and the general `Serialize` path give the same claims: the same
    /// bytes for the registered claims, and the same object with custom claims (the
    /// general path orders custom members by name, the direct one as serialized).
    #[test]
    fn direct_writer_matches_the_general_path() {
        #[derive(Serialize)]
        struct Custom {
            scope: &'static str,
            roles: Vec<&'static str>,
            nested: Value,
        }
        #[derive(Serialize)]
        struct Flat {
            sub: &'static str,
            extra: u8,
        }
        let registered = Claims::new(())
            .with_issuer("https://issuer.example/\"q\"\n\u{1}é")
            .with_subject("user")
            .with_audiences(["a", "b\\c"])
            .with_jti("id");
        let mut registered = registered;
        registered.exp = NumericDate::from_unix(1_700_000_000);
        registered.nbf = NumericDate::from_unix(-5);
        registered.iat = NumericDate::from_unix(0);
        let general = |c: &dyn erased_serialize::Ser| c.general();
        assert_eq!(registered.to_json().unwrap(), general(&registered));
        assert_eq!(Claims::new(()).to_json().unwrap(), "{}");

        let custom = Claims::new(Custom {
            scope: "read",
            roles: vec!["x"],
            nested: serde_json::json!({"k": [1, {"z": null}]}),
        })
        .with_issuer("i")
        .with_audience("api");
        let direct = custom.to_json().unwrap();
        assert!(
            direct.starts_with(r#"{"iss":"i","aud":"api","scope":"read""#),
            "{direct}"
        );
        let as_value = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(as_value(&direct), as_value(&general(&custom)));

        // A custom type naming a registered claim takes the general path, and its checks.
        let flat = Claims::new(Flat { sub: "s", extra: 1 }).with_subject("s");
        assert_eq!(
            as_value(&flat.to_json().unwrap()),
            as_value(&general(&flat))
        );
        let clash = Claims::new(Flat { sub: "s", extra: 1 }).with_subject("other");
        assert!(clash.to_json().is_err());
        assert!(Claims::new(5u8).to_json().is_err());

        // Raw custom claims: spaces around no members or some, and a nested duplicate,
        // which the general path collapses; every output parses and agrees.
        for raw in ["{ }", "{\n}", r#"{ "a" : 1 }"#, r#"{"x":{"a":1,"a":2}}"#] {
            let custom: Box<RawValue> = serde_json::from_str(raw).unwrap();
            let claims = Claims::new(custom).with_issuer("i");
            let direct = claims.to_json().unwrap();
            assert_eq!(as_value(&direct), as_value(&general(&claims)), "{raw}");
            crate::json::parse_object(direct.as_bytes(), Part::Claims, 8).unwrap();
        }
    }

    /// The general path, for comparing with the direct writer.
    mod erased_serialize {
        pub(super) trait Ser {
            fn general(&self) -> String;
        }
        impl<T: serde::Serialize> Ser for super::Claims<T> {
            fn general(&self) -> String {
                serde_json::to_string(self).unwrap()
            }
        }
    }

    #[test]
    fn audience_keeps_its_form() {
        let one: Audience = serde_json::from_str("\"api\"").unwrap();
        let many: Audience = serde_json::from_str("[\"a\",\"b\"]").unwrap();
        assert_eq!(serde_json::to_string(&one).unwrap(), "\"api\"");
        assert_eq!(serde_json::to_string(&many).unwrap(), "[\"a\",\"b\"]");
        assert!(many.contains("b") && !many.contains("c"));
        for bad in ["5", "null", "[1]", "{}", "[\"a\",2]"] {
            assert!(serde_json::from_str::<Audience>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wrong_types_are_errors_never_absent() {
        for (json, claim) in [
            (r#"{"exp":"1700000000"}"#, Claim::Exp),
            (r#"{"nbf":true}"#, Claim::Nbf),
            (r#"{"iat":null}"#, Claim::Iat),
            (r#"{"aud":5}"#, Claim::Aud),
            (r#"{"iss":["a"]}"#, Claim::Iss),
            (r#"{"sub":1}"#, Claim::Sub),
            (r#"{"jti":{}}"#, Claim::Jti),
        ] {
            assert_eq!(
                ParsedClaims::parse(json.as_bytes(), 32).err(),
                Some(Error::Claims(ClaimsError::WrongType(claim))),
                "{json}"
            );
        }
        assert_eq!(
            ParsedClaims::parse(br#"{"exp":1e300}"#, 32).err(),
            Some(Error::Claims(ClaimsError::OutOfRange(Claim::Exp)))
        );
        assert!(matches!(
            ParsedClaims::parse(br#"{"a":1,"a":2}"#, 32),
            Err(Error::Malformed { .. })
        ));
        assert!(matches!(
            ParsedClaims::parse(b"[]", 32),
            Err(Error::Malformed { .. })
        ));
    }

    #[test]
    fn custom_claims_exclude_registered_ones() {
        let p = ParsedClaims::parse(br#"{"iss":"i","exp":10.5,"scope":"r","roles":["a"]}"#, 32)
            .unwrap();
        let c: Claims = p.into_claims().unwrap();
        assert_eq!(c.iss.as_deref(), Some("i"));
        assert_eq!(c.exp.unwrap().unix(), 10);
        assert_eq!(c.custom.keys().collect::<Vec<_>>(), ["roles", "scope"]);
        assert_eq!(c.custom["roles"], Value::from(vec!["a"]));
        // A registered claim may come from the custom claims (a flat claims type), once,
        // and with its registered type.
        let mut flat = Claims::new(serde_json::Map::new());
        flat.custom.insert("exp".into(), Value::from(1));
        assert_eq!(flat.to_json().unwrap(), r#"{"exp":1}"#);
        assert!(flat
            .clone()
            .with_expiry(NumericDate::from_unix(2).unwrap())
            .to_json()
            .is_err());
        flat.custom.insert("exp".into(), Value::from("1"));
        assert!(flat.to_json().is_err());
    }
}
