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

/// Lowercase or uppercase hex to bytes.
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Counts for a conformance file, printed by the test.
#[derive(Default, Debug)]
pub struct Tally {
    pub run: usize,
    pub passed: usize,
    pub skipped: Vec<(u64, &'static str)>,
    pub errata: Vec<(u64, String)>,
    pub failures: Vec<String>,
}

impl Tally {
    pub fn report(&self, name: &str) {
        println!(
            "{name}: {} cases run, {} passed, {} skipped, {} failed",
            self.run,
            self.passed,
            self.skipped.len(),
            self.failures.len()
        );
        for (id, why) in &self.skipped {
            println!("  skipped tcId {id}: {why}");
        }
        for (id, why) in &self.errata {
            println!("  note, tcId {id}: {why}");
        }
        for f in &self.failures {
            println!("  FAILED {f}");
        }
        assert!(
            self.failures.is_empty(),
            "{name}: {} failures",
            self.failures.len()
        );
        assert_eq!(self.run, self.passed, "{name}");
    }
}
