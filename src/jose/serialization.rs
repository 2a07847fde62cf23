//! The JSON serialization skeleton JWS (RFC 7515 §7.2) and JWE (RFC 7516 §7.2) share: an
//! object with members that belong to the whole token and a list of entries (signatures,
//! recipients), which the flattened form writes at the top level instead of in an array.
//!
//! [`split`] reads that shape strictly (every member of the right kind, no entry members
//! both flattened and in the array, the entry count bounded before anything is decoded);
//! [`write`] writes it. What the members mean stays with `jws` and `jwe`.

use std::borrow::Cow;

use serde_json::value::RawValue;

use crate::error::{Error, Limit, Part, Result};
use crate::json::{self, ObjectWriter};
use crate::limits::{self, Limits};

/// How one JSON serialization is laid out.
pub(crate) struct Layout {
    /// The member holding the entries in the general form: `signatures` or `recipients`.
    pub(crate) array: &'static str,
    /// The members that belong to the whole token.
    pub(crate) shared: &'static [&'static str],
    /// The members of one entry.
    pub(crate) entry: &'static [&'static str],
    /// The limit on the number of entries, and where its maximum is.
    pub(crate) limit: Limit,
    pub(crate) max: fn(&Limits) -> usize,
    /// Whether an object with neither the array nor any entry member is a flattened token
    /// with an empty entry (a JWE for `dir` has no per-recipient member, RFC 7520 §5.6).
    pub(crate) entry_may_be_empty: bool,
    /// What the serialization is called, for messages.
    pub(crate) what: &'static str,
}

/// A JSON serialization split into its shape: members are named by the layout's names, so
/// a caller matches on them without allocating.
pub(crate) struct Shape<'a> {
    pub(crate) shared: Vec<(&'static str, &'a RawValue)>,
    pub(crate) entries: Vec<Vec<(&'static str, &'a RawValue)>>,
    pub(crate) flattened: bool,
}

/// The layout's own spelling of `name`, if it lists it.
fn known(names: &'static [&'static str], name: &str) -> Option<&'static str> {
    names.iter().copied().find(|n| *n == name)
}

/// Splits a parsed top-level object into shared members and entries. Members the layout
/// does not name are checked for depth and ignored (RFC 7515 §7.2.1: "other members").
pub(crate) fn split<'a>(
    members: &[(Cow<'a, str>, &'a RawValue)],
    layout: &Layout,
    limits: &Limits,
) -> Result<Shape<'a>> {
    let mut shared = Vec::new();
    let mut flat = Vec::new();
    let mut array: Option<&RawValue> = None;
    for (name, value) in members {
        if name == layout.array {
            array = Some(value);
        } else if let Some(n) = known(layout.shared, name) {
            shared.push((n, *value));
        } else if let Some(n) = known(layout.entry, name) {
            flat.push((n, *value));
        } else {
            json::check_nested(value, Part::Token)?;
        }
    }
    let (entries, flattened) = match (array, flat.is_empty()) {
        (Some(_), false) => {
            return Err(Error::malformed(
                Part::Token,
                format!("both \"{}\" and flattened entry members", layout.array),
            ))
        }
        (None, true) if !layout.entry_may_be_empty => {
            return Err(Error::malformed(
                Part::Token,
                format!(
                    "neither \"{}\" nor flattened entry members: not a {}",
                    layout.array, layout.what
                ),
            ))
        }
        (None, _) => (vec![flat], true),
        (Some(list), true) => {
            let list: Vec<&RawValue> = json::member(layout.array, list, Part::Token)?;
            if list.is_empty() {
                return Err(Error::malformed(
                    Part::Token,
                    format!("\"{}\" is empty", layout.array),
                ));
            }
            limits::check(layout.limit, list.len(), (layout.max)(limits))?;
            let mut entries = Vec::with_capacity(list.len());
            for raw in list {
                let object =
                    json::parse_object(raw.get().as_bytes(), Part::Token, limits.json_depth())?;
                let mut entry = Vec::with_capacity(object.len());
                for (name, value) in object {
                    match known(layout.entry, &name) {
                        Some(n) => entry.push((n, value)),
                        None => json::check_nested(value, Part::Token)?,
                    }
                }
                entries.push(entry);
            }
            (entries, false)
        }
    };
    Ok(Shape {
        shared,
        entries,
        flattened,
    })
}

/// The entries of a token being written, in one of the two forms.
pub(crate) enum Entries<'e, E> {
    /// The flattened form: one entry, its members at the top level.
    Flattened(&'e E),
    /// The general form: the entries in an array.
    General(&'e [E]),
}

/// Writes a JSON serialization: `before` (shared members that come first), the entries,
/// then `after`.
pub(crate) fn write<E>(
    layout: &Layout,
    entries: Entries<'_, E>,
    before: impl FnOnce(&mut ObjectWriter),
    entry: impl Fn(&E, &mut ObjectWriter),
    after: impl FnOnce(&mut ObjectWriter),
) -> String {
    let mut out = ObjectWriter::with_capacity(256);
    before(&mut out);
    match entries {
        Entries::Flattened(one) => entry(one, &mut out),
        Entries::General(entries) => {
            let mut array = String::from("[");
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    array.push(',');
                }
                let mut object = ObjectWriter::new();
                entry(e, &mut object);
                array.push_str(&object.finish());
            }
            array.push(']');
            out.json(layout.array, &array);
        }
    }
    after(&mut out);
    out.finish()
}
