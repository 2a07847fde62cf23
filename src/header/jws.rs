//! The JWS header (RFC 7515 §4.1, RFC 7797 §3).

use std::fmt;

use serde::ser::{Serialize, Serializer};

use super::{common_accessors, Members, Param, Side, Value};
use crate::alg::JwsAlgorithm;

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
    members: Members,
}

impl fmt::Debug for JwsHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JwsHeader({})", self.to_json())
    }
}

impl PartialEq for JwsHeader {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

impl JwsHeader {
    const SIDE: Side = Side::Jws;

    /// An empty header.
    pub fn new() -> Self {
        Self::default()
    }

    common_accessors!();

    /// `alg` as a known [`JwsAlgorithm`]; `None` when absent or not one josecraft knows.
    pub fn algorithm(&self) -> Option<JwsAlgorithm> {
        self.alg().and_then(JwsAlgorithm::from_name)
    }
    /// `b64` (RFC 7797) as written, if present.
    pub fn b64(&self) -> Option<bool> {
        self.members.flag(Param::B64)
    }
    /// Whether the payload is base64url-encoded: false only for `"b64": false`.
    pub fn is_payload_encoded(&self) -> bool {
        self.b64() != Some(false)
    }

    /// Sets `alg`. Signing fills it in from the signer, and fails if it was set to another
    /// algorithm.
    pub fn with_alg(mut self, alg: JwsAlgorithm) -> Self {
        self.set_alg_name(alg.name());
        self
    }
    /// Sets `b64` (RFC 7797). `false` also needs `"crit": ["b64"]`, which signing checks.
    pub fn with_b64(mut self, b64: bool) -> Self {
        self.members.put(Param::B64, Value::Flag(b64));
        self
    }
}

impl Serialize for JwsHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::serialize_members(s, |m| self.members.write(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Part, Result};
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
        for jwe_only in ["enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"] {
            let r = parse(&format!(r#"{{"alg":"HS256","{jwe_only}":"x"}}"#));
            assert!(matches!(r, Err(Error::Malformed { .. })), "{jwe_only}");
        }
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
