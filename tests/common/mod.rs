//! Helpers shared by the integration suites: vector loading and tampering.
#![allow(dead_code)]

use std::path::PathBuf;

use josecraft::base64url;
use serde_json::Value;

/// The path of a file under `tests/vectors`.
pub fn vector_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(rel)
}

/// A JSON file under `tests/vectors`.
pub fn json(rel: &str) -> Value {
    let text = std::fs::read_to_string(vector_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A text file under `tests/vectors`.
pub fn text(rel: &str) -> String {
    std::fs::read_to_string(vector_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A binary file under `tests/vectors`.
pub fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(vector_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The entry with this `id` of an `rfc/*.json` file.
pub fn rfc_entry(file: &str, id: &str) -> Value {
    let doc = json(&format!("rfc/{file}"));
    doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{file}: no entry {id}"))
        .clone()
}

/// A JSON value as bytes of its compact serialization.
pub fn to_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

/// Every variant of a compact token with one bit flipped in the decoded bytes of part
/// `part` (0-based), re-encoded canonically. `step` spreads the flips over the part.
pub fn flip_each(token: &str, part: usize, step: usize) -> Vec<String> {
    let parts: Vec<&str> = token.split('.').collect();
    let decoded = base64url::decode(parts[part]).unwrap();
    let mut out = Vec::new();
    let mut i = 0;
    while i < decoded.len() {
        let mut d = decoded.clone();
        d[i] ^= 1 << (i % 8);
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        p[part] = base64url::encode(&d);
        out.push(p.join("."));
        i += step.max(1);
    }
    out
}
