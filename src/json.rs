//! Strict, bounded JSON (DESIGN rule 2 and 3).
//!
//! serde_json on its own keeps the last of two members with the same name, both in `Map`
//! and in `#[serde(flatten)]`; RFC 7515 §5.2 and RFC 7519 §4 require such input to be
//! rejected. Everything JOSE reads (headers, claims, keys) goes through [`parse_object`],
//! which splits a top-level object into its members in order, rejects duplicate names, and
//! bounds the nesting depth before serde_json sees the input. Nested values of members the
//! caller does not know are checked the same way with [`check_nested`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Limit, Part, Result};

/// The members of one JSON object, in document order, each value left unparsed.
pub(crate) type Members<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// Splits `input`, which must be one JSON object, into its members.
///
/// Rejects: nesting deeper than `max_depth` (as [`Error::LimitExceeded`]), anything but
/// an object at the top level, invalid JSON or UTF-8, and duplicate member names at the top
/// level (as [`Error::Malformed`] for `part`).
pub(crate) fn parse_object<'a>(
    input: &'a [u8],
    part: Part,
    max_depth: usize,
) -> Result<Members<'a>> {
    let text = object_text(input, part, max_depth)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let members = ObjectSeed
        .deserialize(&mut de)
        .and_then(|m| de.end().map(|()| m))
        .map_err(|e| json_error(part, e))?;
    Ok(members)
}

/// As [`parse_object`], handing each member to `each` in document order instead of
/// collecting them (headers: no list of members is built). An error from `each` stops the
/// walk and is returned as it is.
pub(crate) fn for_each_member<'a>(
    input: &'a [u8],
    part: Part,
    max_depth: usize,
    each: &mut dyn FnMut(Cow<'a, str>, &'a RawValue) -> Result<()>,
) -> Result<()> {
    let text = object_text(input, part, max_depth)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let mut failed = None;
    let walked = de
        .deserialize_map(EachVisitor {
            each,
            failed: &mut failed,
        })
        .and_then(|()| de.end());
    match (failed, walked) {
        (Some(e), _) => Err(e),
        (None, Ok(())) => Ok(()),
        (None, Err(e)) => Err(json_error(part, e)),
    }
}

/// Calls a closure per member, refusing duplicate names: a scan of up to
/// [`Names::LINEAR_MAX`] names kept on the stack, then a set.
struct EachVisitor<'f, 'a> {
    each: &'f mut dyn FnMut(Cow<'a, str>, &'a RawValue) -> Result<()>,
    failed: &'f mut Option<Error>,
}

impl<'de> Visitor<'de> for EachVisitor<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: [Option<Cow<'de, str>>; Names::LINEAR_MAX] = Default::default();
        let mut count = 0usize;
        let mut set: Option<HashSet<Cow<'de, str>>> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let duplicate_name = match &mut set {
                Some(set) => !set.insert(key.clone()),
                None => seen.iter().take(count).flatten().any(|k| *k == key),
            };
            if duplicate_name {
                return Err(duplicate(&key));
            }
            if set.is_none() {
                match seen.get_mut(count) {
                    Some(slot) => *slot = Some(key.clone()),
                    None => {
                        let mut all: HashSet<Cow<'de, str>> =
                            seen.iter_mut().filter_map(Option::take).collect();
                        all.insert(key.clone());
                        set = Some(all);
                    }
                }
                count += 1;
            }
            let value: &'de RawValue = map.next_value()?;
            if let Err(e) = (self.each)(key, value) {
                *self.failed = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// The checks every object parse starts with: depth, an object at the top level, UTF-8.
fn object_text(input: &[u8], part: Part, max_depth: usize) -> Result<&str> {
    check_depth(input, max_depth)?;
    match input.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(_) => return Err(Error::malformed(part, "expected a JSON object")),
        None => return Err(Error::malformed(part, "empty")),
    }
    // One UTF-8 check of the whole document up front; serde_json's str reader then borrows
    // every member without validating each one again.
    std::str::from_utf8(input)
        .map_err(|e| Error::malformed(part, format!("invalid UTF-8 at byte {}", e.valid_up_to())))
}

/// Rejects duplicate member names at any depth inside `value`, and invalid escapes such as
/// lone UTF-16 surrogates, which serde_json does not look at when it skips a value.
pub(crate) fn check_nested(value: &RawValue, part: Part) -> Result<()> {
    let text = value.get();
    // Numbers, booleans, null, and strings and arrays without escapes or objects hold no
    // member names and no escapes to check; the parse that produced the raw value already
    // validated them. (A '{' inside a string only sends the value down the full walk.)
    match text.as_bytes().first() {
        Some(b'"') if !text.contains('\\') => return Ok(()),
        Some(b'[') if !text.contains('\\') && !text.contains('{') => return Ok(()),
        Some(b'"' | b'[' | b'{') => {}
        _ => return Ok(()),
    }
    let mut de = serde_json::Deserializer::from_str(value.get());
    StrictAny
        .deserialize(&mut de)
        .map_err(|e| json_error(part, e))
}

/// Parses one member's value as `T`, naming the member in the error.
pub(crate) fn member<'a, T: de::Deserialize<'a>>(
    name: &str,
    value: &'a RawValue,
    part: Part,
) -> Result<T> {
    serde_json::from_str(value.get())
        .map_err(|e| Error::malformed(part, format!("member \"{name}\": {}", strip_position(&e))))
}

/// The content of a JSON string value without escapes, borrowed from its raw text; `None`
/// for anything else. Sound because the raw value came out of a full parse, which already
/// refused control characters and invalid UTF-8.
pub(crate) fn plain_str(value: &RawValue) -> Option<&str> {
    let inner = value.get().strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// A string member: escape-free strings are copied straight out of the raw text, others
/// (and non-strings, for the error) go through serde_json.
pub(crate) fn string(name: &str, value: &RawValue, part: Part) -> Result<String> {
    match plain_str(value) {
        Some(s) => Ok(s.to_owned()),
        None => member(name, value, part),
    }
}

pub(crate) fn json_error(part: Part, e: serde_json::Error) -> Error {
    Error::malformed(part, e.to_string())
}

fn strip_position(e: &serde_json::Error) -> String {
    // Positions inside a member's own text would mislead: they are not document positions.
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Refuses input nested deeper than `max_depth` before any parser recurses into it.
pub(crate) fn check_depth(input: &[u8], max_depth: usize) -> Result<()> {
    // Fast path: depth can never exceed the number of opening brackets.
    let openers = input.iter().filter(|&&b| b == b'{' || b == b'[').count();
    if openers <= max_depth {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in input {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::limit(Limit::JsonDepth, max_depth));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Tracks the member names of one object and reports the first repeated one.
struct Names<'a> {
    list: Vec<Cow<'a, str>>,
    set: Option<HashSet<Cow<'a, str>>>,
}

impl<'a> Names<'a> {
    const LINEAR_MAX: usize = 16;

    fn new() -> Self {
        Self {
            list: Vec::new(),
            set: None,
        }
    }

    /// Records `name`; false if it was already there.
    fn insert(&mut self, name: Cow<'a, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(name);
        }
        if self.list.contains(&name) {
            return false;
        }
        self.list.push(name);
        if self.list.len() > Self::LINEAR_MAX {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }
}

fn duplicate<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("duplicate member \"{}\"", name.escape_debug()))
}

/// A member name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

struct ObjectSeed;

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = Members<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Members<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Members<'de> = Vec::with_capacity(map.size_hint().unwrap_or(12));
        // Small objects (headers, claims) are checked by a scan of the names so far; a set
        // takes over for large ones.
        let mut set: Option<HashSet<Cow<'de, str>>> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let seen = match &mut set {
                Some(set) => !set.insert(key.clone()),
                None => members.iter().any(|(k, _)| *k == key),
            };
            if seen {
                return Err(duplicate(&key));
            }
            if set.is_none() && members.len() >= Names::LINEAR_MAX {
                let mut all: HashSet<Cow<'de, str>> =
                    members.iter().map(|(k, _)| k.clone()).collect();
                all.insert(key.clone());
                set = Some(all);
            }
            let value: &'de RawValue = map.next_value()?;
            members.push((key, value));
        }
        Ok(members)
    }
}

/// Walks any JSON value, rejecting duplicate member names at every level.
struct StrictAny;

impl<'de> DeserializeSeed<'de> for StrictAny {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(StrictAny)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = Names::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !names.insert(key.clone()) {
                return Err(duplicate(&key));
            }
            map.next_value_seed(StrictAny)?;
        }
        Ok(())
    }
}

/// A JSON value read through any serde deserializer with the strictness of
/// [`parse_object`]: a member name twice in one object is an error at every depth, and
/// nesting is bounded. Behind the `Deserialize` impls of the types josecraft also parses
/// itself (keys, key sets, claims), which then run their own strict parser over it.
pub(crate) struct StrictValue(pub(crate) serde_json::Value);

/// The nesting bound of [`StrictValue`]: the default [`Limits`](crate::Limits) depth.
const STRICT_VALUE_DEPTH: usize = 32;

impl<'de> de::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StrictValueSeed { depth: 0 }.deserialize(d).map(StrictValue)
    }
}

struct StrictValueSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictValueSeed {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(StrictValueVisitor { depth: self.depth })
    }
}

struct StrictValueVisitor {
    depth: usize,
}

impl StrictValueVisitor {
    fn deeper<E: de::Error>(&self) -> Result<StrictValueSeed, E> {
        if self.depth >= STRICT_VALUE_DEPTH {
            return Err(E::custom(format_args!(
                "nested deeper than {STRICT_VALUE_DEPTH} levels"
            )));
        }
        Ok(StrictValueSeed {
            depth: self.depth + 1,
        })
    }
}

impl<'de> Visitor<'de> for StrictValueVisitor {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        StrictValueSeed { depth: self.depth }.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let seed = || self.deeper::<A::Error>();
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(seed()?)? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(duplicate(&key));
            }
            let value = map.next_value_seed(self.deeper::<A::Error>()?)?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Reads a value with [`StrictValue`] and hands its JSON text to a strict parser.
pub(crate) fn deserialize_strict<'de, D, T>(
    d: D,
    parse: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = <StrictValue as de::Deserialize>::deserialize(d)?;
    let text = serde_json::to_vec(&value.0).map_err(de::Error::custom)?;
    parse(&text).map_err(de::Error::custom)
}

/// JSON text that was valid when it was read, kept as it came; equal when the texts are.
#[derive(Debug, Clone)]
pub(crate) struct RawJson(Box<RawValue>);

impl RawJson {
    pub(crate) fn new(value: &RawValue) -> Self {
        Self(value.to_owned())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Eq for RawJson {}

impl std::ops::Deref for RawJson {
    type Target = RawValue;
    fn deref(&self) -> &RawValue {
        &self.0
    }
}

/// Where the members of an object josecraft writes go: straight into JSON text
/// ([`ObjectWriter`], which cannot fail) or into a serde map ([`serialize_members`]). A type
/// lists its members once, in one function over a `MemberSink`, and both outputs follow.
pub(crate) trait MemberSink {
    /// A string member.
    fn str(&mut self, name: &str, value: &str);
    /// A member whose value is JSON text that was valid when it was parsed.
    fn raw(&mut self, name: &str, value: &RawValue);
    /// An array of strings.
    fn strs(&mut self, name: &str, values: &[String]);
    /// A non-negative integer.
    fn uint(&mut self, name: &str, value: u64);
    /// A boolean.
    fn bool(&mut self, name: &str, value: bool);
}

/// A string member, when there is a value.
pub(crate) fn opt_str(m: &mut dyn MemberSink, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        m.str(name, v);
    }
}

/// Writes one JSON object into a `String`. Infallible: every value is a string, an integer,
/// or raw JSON that was validated when it was read.
pub(crate) struct ObjectWriter {
    out: String,
    empty: bool,
}

impl ObjectWriter {
    pub(crate) fn new() -> Self {
        Self::with_capacity(128)
    }

    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push('{');
        Self { out, empty: true }
    }

    fn name(&mut self, name: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_str(&mut self.out, name);
        self.out.push(':');
    }

    /// A member whose value is JSON text this crate wrote (an array of objects written by
    /// other `ObjectWriter`s).
    pub(crate) fn json(&mut self, name: &str, text: &str) {
        self.name(name);
        self.out.push_str(text);
    }

    /// The object's JSON text.
    pub(crate) fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

impl MemberSink for ObjectWriter {
    fn str(&mut self, name: &str, value: &str) {
        self.name(name);
        write_str(&mut self.out, value);
    }
    fn raw(&mut self, name: &str, value: &RawValue) {
        self.name(name);
        self.out.push_str(value.get());
    }
    fn strs(&mut self, name: &str, values: &[String]) {
        self.name(name);
        self.out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_str(&mut self.out, v);
        }
        self.out.push(']');
    }
    fn uint(&mut self, name: &str, value: u64) {
        use fmt::Write;
        self.name(name);
        let _ = write!(self.out, "{value}"); // writing into a String cannot fail
    }
    fn bool(&mut self, name: &str, value: bool) {
        self.name(name);
        self.out.push_str(if value { "true" } else { "false" });
    }
}

/// Appends `s` as a JSON string: `"` and `\` escaped, control characters as `\n`-style
/// or `\u00XX` escapes, everything else as it is (RFC 8259 §7), as serde_json writes it.
pub(crate) fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Adapts a serde map to a [`MemberSink`], keeping the first error.
struct SerdeSink<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> SerdeSink<M> {
    fn put<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(name, value) {
                self.error = Some(e);
            }
        }
    }
}

impl<M: serde::ser::SerializeMap> MemberSink for SerdeSink<M> {
    fn str(&mut self, name: &str, value: &str) {
        self.put(name, value);
    }
    fn raw(&mut self, name: &str, value: &RawValue) {
        self.put(name, value);
    }
    fn strs(&mut self, name: &str, values: &[String]) {
        self.put(name, values);
    }
    fn uint(&mut self, name: &str, value: u64) {
        self.put(name, &value);
    }
    fn bool(&mut self, name: &str, value: bool) {
        self.put(name, &value);
    }
}

/// Serializes an object whose members `members` lists, with any serde serializer.
pub(crate) fn serialize_members<S: serde::Serializer>(
    serializer: S,
    members: impl FnOnce(&mut dyn MemberSink),
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut sink = SerdeSink {
        map: serializer.serialize_map(None)?,
        error: None,
    };
    members(&mut sink);
    match sink.error {
        Some(e) => Err(e),
        None => sink.map.end(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(r: Result<impl fmt::Debug>) -> String {
        match r {
            Err(Error::Malformed { reason, .. }) => reason,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn splits_members_in_order() {
        let m = parse_object(br#" {"b":1,"a":{"x":[1,2]},"c":"s"} "#, Part::Header, 8).unwrap();
        let names: Vec<&str> = m.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(m[1].1.get(), r#"{"x":[1,2]}"#);
    }

    #[test]
    fn rejects_duplicates_including_escaped_spellings() {
        assert!(
            malformed(parse_object(br#"{"a":1,"a":2}"#, Part::Header, 8)).contains("duplicate")
        );
        assert!(
            malformed(parse_object(br#"{"alg":1,"\u0061lg":2}"#, Part::Header, 8))
                .contains("duplicate")
        );
    }

    #[test]
    fn rejects_duplicates_among_many_members() {
        let mut doc = String::from("{");
        for i in 0..40 {
            doc.push_str(&format!("\"m{i}\":{i},"));
        }
        doc.push_str("\"m3\":0}");
        assert!(malformed(parse_object(doc.as_bytes(), Part::Claims, 8)).contains("m3"));
    }

    /// `for_each_member` agrees with `parse_object` on every document: the same members in
    /// the same order, and a refusal where it refuses (duplicates before, at and after the
    /// switch from the stack scan to the set, escaped spellings, non-objects).
    #[test]
    fn each_member_walk_agrees_with_parse_object() {
        let mut docs: Vec<String> = vec![
            r#"{"b":1,"a":{"x":[1,2]},"c":"s"}"#.into(),
            r#"{"a":1,"a":2}"#.into(),
            r#"{"alg":1,"\u0061lg":2}"#.into(),
            "[1]".into(),
            "{}".into(),
            "{\"a\":1".into(),
        ];
        for (n, dup) in [
            (15, None),
            (16, Some(3)),
            (16, Some(15)),
            (17, Some(16)),
            (40, Some(3)),
        ] {
            let mut doc = String::from("{");
            for i in 0..n {
                doc.push_str(&format!("\"m{i}\":{i},"));
            }
            match dup {
                Some(d) => doc.push_str(&format!("\"m{d}\":0}}")),
                None => doc.push_str("\"last\":0}"),
            }
            docs.push(doc);
        }
        for doc in &docs {
            let listed = parse_object(doc.as_bytes(), Part::Claims, 8);
            let mut walked = Vec::new();
            let result = for_each_member(doc.as_bytes(), Part::Claims, 8, &mut |k, v| {
                walked.push((k, v));
                Ok(())
            });
            match listed {
                Ok(members) => {
                    assert!(result.is_ok(), "{doc}");
                    let text = |m: &Members<'_>| -> Vec<(String, String)> {
                        m.iter()
                            .map(|(k, v)| (k.to_string(), v.get().to_string()))
                            .collect()
                    };
                    assert_eq!(text(&members), text(&walked), "{doc}");
                }
                Err(e) => assert_eq!(format!("{e}"), format!("{}", result.unwrap_err()), "{doc}"),
            }
        }
        // The closure's error comes back as it is, and stops the walk.
        let mut calls = 0;
        let stop = for_each_member(br#"{"a":1,"b":2}"#, Part::Header, 8, &mut |_, _| {
            calls += 1;
            Err(Error::malformed(Part::Header, "refused here"))
        });
        assert!(malformed(stop).contains("refused here"));
        assert_eq!(calls, 1);
    }

    #[test]
    fn nested_duplicates_and_surrogates() {
        let m = parse_object(
            br#"{"x":{"a":{"b":1,"b":2}},"y":"\ud800"}"#,
            Part::Header,
            8,
        )
        .unwrap();
        assert!(malformed(check_nested(m[0].1, Part::Header)).contains("duplicate"));
        malformed(check_nested(m[1].1, Part::Header)); // lone surrogate
        let ok = parse_object(br#"{"x":[{"a":1},{"a":1}]}"#, Part::Header, 8).unwrap();
        check_nested(ok[0].1, Part::Header).unwrap();
        // Arrays take the short way only without objects and escapes inside.
        let arrays = parse_object(
            br#"{"p":["a","b",[1,2]],"d":[1,{"a":1,"a":2}],"s":["\ud800"],"q":["{",{"k":1}]}"#,
            Part::Header,
            8,
        )
        .unwrap();
        check_nested(arrays[0].1, Part::Header).unwrap();
        assert!(malformed(check_nested(arrays[1].1, Part::Header)).contains("duplicate"));
        malformed(check_nested(arrays[2].1, Part::Header));
        check_nested(arrays[3].1, Part::Header).unwrap();
    }

    #[test]
    fn top_level_must_be_one_object() {
        for doc in [
            &b"[]"[..],
            b"\"x\"",
            b"1",
            b"null",
            b"",
            b"  ",
            b"{} {}",
            b"{",
            b"\xef\xbb\xbf{}",
        ] {
            assert!(matches!(
                parse_object(doc, Part::Header, 8),
                Err(Error::Malformed { .. })
            ));
        }
    }

    #[test]
    fn rejects_invalid_utf8() {
        malformed(parse_object(b"{\"a\":\"\xff\"}", Part::Header, 8));
        malformed(parse_object(b"{\"\xc3\":1}", Part::Header, 8));
    }

    #[test]
    fn depth_is_bounded_before_parsing() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let doc = format!("{{\"a\":{deep}}}");
        assert_eq!(
            parse_object(doc.as_bytes(), Part::Claims, 32).err(),
            Some(Error::limit(Limit::JsonDepth, 32))
        );
        // Exactly at the limit is fine; one more is not. The object itself is depth 1.
        let at = format!("{{\"a\":{}1{}}}", "[".repeat(31), "]".repeat(31));
        parse_object(at.as_bytes(), Part::Claims, 32).unwrap();
        let over = format!("{{\"a\":{}1{}}}", "[".repeat(32), "]".repeat(32));
        assert!(matches!(
            parse_object(over.as_bytes(), Part::Claims, 32),
            Err(Error::LimitExceeded { .. })
        ));
        // Brackets inside strings do not count.
        let strings = format!("{{\"a\":\"{}\"}}", "[{".repeat(100));
        parse_object(strings.as_bytes(), Part::Claims, 2).unwrap();
        let escaped = format!("{{\"a\":\"\\\"{}\"}}", "[".repeat(100));
        parse_object(escaped.as_bytes(), Part::Claims, 2).unwrap();
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0x7f, 0xe9, 0x2028, 0x1f600]) {
            all.push(char::from_u32(c).unwrap());
        }
        for s in ["", "plain", "a\"b\\c", "\u{0}\u{1f}\n\r\t\u{8}\u{c}", &all] {
            let mut out = String::new();
            write_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn object_writer_and_serde_sink_agree() {
        let raw = RawValue::from_string(r#"{"k":[1,"x"]}"#.to_string()).unwrap();
        let fill = |m: &mut dyn MemberSink| {
            m.str("a", "x\"y");
            m.raw("b", &raw);
            m.strs("c", &["p".to_string(), "q\n".to_string()]);
            m.uint("d", u64::MAX);
            m.bool("e", false);
        };
        let mut w = ObjectWriter::new();
        fill(&mut w);
        let text = w.finish();
        let mut via_serde = Vec::new();
        serialize_members(&mut serde_json::Serializer::new(&mut via_serde), fill).unwrap();
        assert_eq!(text, String::from_utf8(via_serde).unwrap());
        assert_eq!(ObjectWriter::new().finish(), "{}");
    }

    #[test]
    fn strict_values_refuse_duplicates_at_every_depth_and_deep_nesting() {
        let ok: StrictValue = serde_json::from_str(r#"{"a":[{"b":1},{"b":2}],"c":null}"#).unwrap();
        assert_eq!(ok.0["a"][1]["b"], 2);
        for bad in [
            r#"{"a":1,"a":2}"#,
            r#"{"x":{"a":1,"a":2}}"#,
            r#"[{"a":1,"\u0061":2}]"#,
        ] {
            let e = serde_json::from_str::<StrictValue>(bad).err().unwrap();
            assert!(e.to_string().contains("duplicate"), "{bad}: {e}");
        }
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        assert!(serde_json::from_str::<StrictValue>(&deep).is_err());
        // From a serde_json::Value too (another deserializer).
        let v = serde_json::json!({"k": [1, 2, {"z": true}]});
        let again: StrictValue = serde::Deserialize::deserialize(v.clone()).unwrap();
        assert_eq!(again.0, v);
    }
}
