//! What reading a token accepts beyond its keys, the same for JWS and JWE.

use crate::limits::Limits;

/// What parsing a JWS or JWE accepts beyond the key: the [`Limits`] in force and the `crit`
/// extensions the caller understands and processes (RFC 7515 §4.1.11, RFC 7516 §4.1.13).
///
/// Give it to the two-step parsers ([`UnverifiedCompact::parse_with`](crate::jws::UnverifiedCompact::parse_with),
/// [`EncryptedCompact::parse_with`](crate::jwe::EncryptedCompact::parse_with), and their
/// JSON counterparts); the one-call functions use the defaults.
///
/// ```
/// use josecraft::{Limits, ParseOptions};
///
/// let options = ParseOptions::new()
///     .with_limits(Limits::default().with_max_token_len(8 * 1024))
///     .with_critical("http://example.com/purpose");
/// assert_eq!(options.limits().max_token_len(), 8 * 1024);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    limits: Limits,
    critical: Vec<String>,
}

impl ParseOptions {
    /// Default limits; no extensions beyond those josecraft implements (`b64`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Declares that the caller understands and processes the extension header parameter
    /// `name`, so that a token listing it in `crit` is not rejected.
    pub fn with_critical(mut self, name: impl Into<String>) -> Self {
        self.critical.push(name.into());
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn critical(&self) -> &[String] {
        &self.critical
    }
}
