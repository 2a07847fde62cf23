//! The JWE header (RFC 7516 §4.1; the key-management parameters of RFC 7518 §4.6–4.8).

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::{b64_member, check_disjoint, common_accessors, Common};
use crate::alg::{ContentEncryption, KeyManagementAlgorithm};
use crate::base64url;
use crate::error::{Error, Part, Result};
use crate::json;

/// The JOSE header of a JWE (RFC 7516 §4.1).
///
/// Build one for encryption with the `with_*` methods; `alg` and `enc` are filled in from
/// the key and the content encryption, and the key-management parameters (`epk`, `iv`,
/// `tag`, `p2s`, `p2c`) by the key management.
///
/// ```
/// use josecraft::JweHeader;
///
/// let header = JweHeader::new().with_cty("JWT").with_kid("k1");
/// assert_eq!(header.to_json(), r#"{"kid":"k1","cty":"JWT"}"#);
/// ```
#[derive(Clone, Default)]
pub struct JweHeader {
    common: Common,
    enc: Option<String>,
    zip: Option<String>,
    epk: Option<Box<RawValue>>,
    apu: Option<Vec<u8>>,
    apv: Option<Vec<u8>>,
    iv: Option<Vec<u8>>,
    tag: Option<Vec<u8>>,
    p2s: Option<Vec<u8>>,
    p2c: Option<u64>,
}

impl fmt::Debug for JweHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JweHeader({})", self.to_json())
    }
}

impl PartialEq for JweHeader {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}

/// The JWE-only registered parameters, in serialization order.
const JWE_NAMES: [&str; 9] = ["enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"];

impl JweHeader {
    /// An empty header.
    pub fn new() -> Self {
        Self::default()
    }

    common_accessors!();

    /// `alg` as a known [`KeyManagementAlgorithm`].
    pub fn key_management(&self) -> Option<KeyManagementAlgorithm> {
        self.alg().and_then(KeyManagementAlgorithm::from_name)
    }
    /// `enc`: the content encryption, as written.
    pub fn enc(&self) -> Option<&str> {
        self.enc.as_deref()
    }
    /// `enc` as a known [`ContentEncryption`].
    pub fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc().and_then(ContentEncryption::from_name)
    }
    /// `zip`: the compression applied before encryption (`DEF`).
    pub fn zip(&self) -> Option<&str> {
        self.zip.as_deref()
    }
    /// Whether `cty` says the plaintext is a JWT, i.e. this is a nested JWT (RFC 7519 §5.2:
    /// `JWT`, compared as a media type).
    ///
    /// ```
    /// use josecraft::JweHeader;
    ///
    /// assert!(JweHeader::new().with_cty("application/jwt").is_nested_jwt());
    /// assert!(!JweHeader::new().with_cty("at+jwt").is_nested_jwt());
    /// assert!(!JweHeader::new().is_nested_jwt());
    /// ```
    pub fn is_nested_jwt(&self) -> bool {
        self.cty()
            .is_some_and(|c| super::media_type_matches(c, "JWT"))
    }
    /// `epk`: the sender's ephemeral public key for ECDH-ES, as JSON.
    pub fn epk(&self) -> Option<&RawValue> {
        self.epk.as_deref()
    }
    /// `apu`: Agreement PartyUInfo for ECDH-ES, decoded.
    pub fn apu(&self) -> Option<&[u8]> {
        self.apu.as_deref()
    }
    /// `apv`: Agreement PartyVInfo for ECDH-ES, decoded.
    pub fn apv(&self) -> Option<&[u8]> {
        self.apv.as_deref()
    }
    /// `iv`: the IV of AES-GCM key wrapping, decoded.
    pub fn iv(&self) -> Option<&[u8]> {
        self.iv.as_deref()
    }
    /// `tag`: the tag of AES-GCM key wrapping, decoded.
    pub fn tag(&self) -> Option<&[u8]> {
        self.tag.as_deref()
    }
    /// `p2s`: the PBES2 salt input, decoded.
    pub fn p2s(&self) -> Option<&[u8]> {
        self.p2s.as_deref()
    }
    /// `p2c`: the PBES2 iteration count.
    pub fn p2c(&self) -> Option<u64> {
        self.p2c
    }

    /// Sets `alg`.
    pub fn with_alg(mut self, alg: KeyManagementAlgorithm) -> Self {
        self.common.alg = Some(alg.name().to_string());
        self
    }
    /// Sets `enc`.
    pub fn with_enc(mut self, enc: ContentEncryption) -> Self {
        self.enc = Some(enc.name().to_string());
        self
    }
    /// Asks for `zip: "DEF"`: the plaintext is compressed before encryption. Compression
    /// can leak plaintext through the ciphertext's length (RFC 8725 §3.6); use it only
    /// when no attacker-chosen text is mixed with secrets.
    pub fn with_deflate(mut self) -> Self {
        self.zip = Some("DEF".to_string());
        self
    }
    /// Sets `apu` (ECDH-ES Agreement PartyUInfo).
    pub fn with_apu(mut self, apu: impl Into<Vec<u8>>) -> Self {
        self.apu = Some(apu.into());
        self
    }
    /// Sets `apv` (ECDH-ES Agreement PartyVInfo).
    pub fn with_apv(mut self, apv: impl Into<Vec<u8>>) -> Self {
        self.apv = Some(apv.into());
        self
    }

    pub(crate) fn set_enc_name(&mut self, enc: &str) {
        self.enc = Some(enc.to_string());
    }
    pub(crate) fn set_epk(&mut self, epk: Box<RawValue>) {
        self.epk = Some(epk);
    }
    pub(crate) fn set_iv_tag(&mut self, iv: Vec<u8>, tag: Vec<u8>) {
        self.iv = Some(iv);
        self.tag = Some(tag);
    }
    pub(crate) fn set_pbes2(&mut self, p2s: Vec<u8>, p2c: u64) {
        self.p2s = Some(p2s);
        self.p2c = Some(p2c);
    }

    /// Whether a member called `name` (registered or not) is present.
    pub fn contains(&self, name: &str) -> bool {
        match name {
            "enc" => self.enc.is_some(),
            "zip" => self.zip.is_some(),
            "epk" => self.epk.is_some(),
            "apu" => self.apu.is_some(),
            "apv" => self.apv.is_some(),
            "iv" => self.iv.is_some(),
            "tag" => self.tag.is_some(),
            "p2s" => self.p2s.is_some(),
            "p2c" => self.p2c.is_some(),
            _ => self.common.contains(name),
        }
    }

    /// Names of all members present, registered ones first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.common
            .registered_names()
            .chain(JWE_NAMES.into_iter().filter(|n| self.contains(n)))
            .chain(self.common.extra_names())
    }

    /// Whether the header has no members.
    pub fn is_empty(&self) -> bool {
        self.names().next().is_none()
    }

    /// Removes a member, registered or not, and says whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let was = self.contains(name);
        match name {
            "enc" => self.enc = None,
            "zip" => self.zip = None,
            "epk" => self.epk = None,
            "apu" => self.apu = None,
            "apv" => self.apv = None,
            "iv" => self.iv = None,
            "tag" => self.tag = None,
            "p2s" => self.p2s = None,
            "p2c" => self.p2c = None,
            _ => self.common.remove(name),
        }
        was
    }

    /// Parses a header from its JSON text, strictly (see [`JwsHeader::from_json`]).
    ///
    /// [`JwsHeader::from_json`]: crate::JwsHeader::from_json
    ///
    /// # Errors
    /// [`Error::Malformed`] for invalid or duplicate-member JSON or wrong types,
    /// [`Error::LimitExceeded`] for a header over the length or depth limit.
    pub fn from_json(json: &[u8], limits: &crate::Limits) -> Result<Self> {
        limits.check_header_len(json.len())?;
        Self::parse(json, Part::Header, limits.json_depth())
    }

    pub(crate) fn parse(json: &[u8], part: Part, max_depth: usize) -> Result<Self> {
        let mut header = Self::default();
        for (name, value) in json::parse_object(json, part, max_depth)? {
            header.set(name, value, part)?;
        }
        Ok(header)
    }

    fn set(&mut self, name: Cow<'_, str>, value: &RawValue, part: Part) -> Result<()> {
        let n = name.as_ref();
        match n {
            "enc" => self.enc = Some(json::member(n, value, part)?),
            "zip" => self.zip = Some(json::member(n, value, part)?),
            "epk" => {
                if !value.get().starts_with('{') {
                    return Err(Error::malformed(
                        part,
                        "member \"epk\": expected a JSON object",
                    ));
                }
                json::check_nested(value, part)?;
                self.epk = Some(value.to_owned());
            }
            "apu" => self.apu = Some(b64_member(n, value, part)?),
            "apv" => self.apv = Some(b64_member(n, value, part)?),
            "iv" => self.iv = Some(b64_member(n, value, part)?),
            "tag" => self.tag = Some(b64_member(n, value, part)?),
            "p2s" => self.p2s = Some(b64_member(n, value, part)?),
            "p2c" => self.p2c = Some(json::member(n, value, part)?),
            _ => self.common.set(name, value, part)?,
        }
        Ok(())
    }

    /// Merges `other` into a copy of `self`; the two must not share a member name
    /// (RFC 7516 §7.2.1).
    pub(crate) fn joined(&self, other: &JweHeader) -> Result<JweHeader> {
        check_disjoint(self.names(), &|n| other.contains(n))?;
        let o = other.clone();
        let mut out = self.clone();
        out.common.absorb(o.common);
        out.enc = out.enc.or(o.enc);
        out.zip = out.zip.or(o.zip);
        out.epk = out.epk.or(o.epk);
        out.apu = out.apu.or(o.apu);
        out.apv = out.apv.or(o.apv);
        out.iv = out.iv.or(o.iv);
        out.tag = out.tag.or(o.tag);
        out.p2s = out.p2s.or(o.p2s);
        out.p2c = out.p2c.or(o.p2c);
        Ok(out)
    }
}

impl JweHeader {
    fn members(&self, m: &mut dyn crate::json::MemberSink) {
        self.common.write_alg(m);
        if let Some(v) = &self.enc {
            m.str("enc", v);
        }
        if let Some(v) = &self.zip {
            m.str("zip", v);
        }
        self.common.write_rest(m);
        if let Some(v) = &self.epk {
            m.raw("epk", v);
        }
        for (name, v) in [
            ("apu", &self.apu),
            ("apv", &self.apv),
            ("iv", &self.iv),
            ("tag", &self.tag),
            ("p2s", &self.p2s),
        ] {
            if let Some(v) = v {
                m.str(name, &base64url::encode(v));
            }
        }
        if let Some(v) = self.p2c {
            m.uint("p2c", v);
        }
        self.common.write_crit(m);
        self.common.write_extra(m);
    }
}

impl Serialize for JweHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::serialize_members(s, |m| self.members(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    #[test]
    fn parses_jwe_parameters_strictly() {
        let h = JweHeader::from_json(
            br#"{"alg":"PBES2-HS256+A128KW","enc":"A128CBC-HS256","p2s":"AAAAAAAAAAA","p2c":4096,
                "zip":"DEF","epk":{"kty":"EC"},"apu":"QWxpY2U","apv":"Qm9i","iv":"AAAAAAAAAAAAAAAA","tag":"AAAAAAAAAAAAAAAAAAAAAA","x":1}"#,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            h.key_management(),
            Some(KeyManagementAlgorithm::Pbes2Hs256A128Kw)
        );
        assert_eq!(
            h.content_encryption(),
            Some(ContentEncryption::A128CbcHs256)
        );
        assert_eq!((h.p2c(), h.zip()), (Some(4096), Some("DEF")));
        assert_eq!(h.apu(), Some(&b"Alice"[..]));
        assert_eq!(h.p2s().map(<[u8]>::len), Some(8));
        assert_eq!(
            JweHeader::from_json(h.to_json().as_bytes(), &Limits::default()).unwrap(),
            h
        );
        for bad in [
            r#"{"p2c":-1}"#,
            r#"{"p2c":1.5}"#,
            r#"{"p2c":"10"}"#,
            r#"{"apu":"QWxpY2U="}"#,
            r#"{"iv":1}"#,
            r#"{"epk":"x"}"#,
            r#"{"enc":["A128GCM"]}"#,
            r#"{"zip":"DEF","zip":"DEF"}"#,
        ] {
            assert!(
                matches!(
                    JweHeader::from_json(bad.as_bytes(), &Limits::default()),
                    Err(Error::Malformed { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn three_headers_must_be_disjoint() {
        let p = JweHeader::new().with_enc(ContentEncryption::A128Gcm);
        let u = JweHeader::new().with_kid("a");
        let j = p.joined(&u).unwrap();
        assert_eq!((j.enc(), j.kid()), (Some("A128GCM"), Some("a")));
        assert!(j.joined(&JweHeader::new().with_kid("b")).is_err());
    }
}
