//! The JWE header (RFC 7516 §4.1; the key-management parameters of RFC 7518 §4.6–4.8).

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::{common_accessors, Members, Param, Side, Value};
use crate::alg::{ContentEncryption, KeyManagementAlgorithm};

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
    members: Members,
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

impl JweHeader {
    const SIDE: Side = Side::Jwe;

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
        self.members.text(Param::Enc)
    }
    /// `enc` as a known [`ContentEncryption`].
    pub fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc().and_then(ContentEncryption::from_name)
    }
    /// `zip`: the compression applied before encryption (`DEF`).
    pub fn zip(&self) -> Option<&str> {
        self.members.text(Param::Zip)
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
        self.members.json(Param::Epk)
    }
    /// `apu`: Agreement PartyUInfo for ECDH-ES, decoded.
    pub fn apu(&self) -> Option<&[u8]> {
        self.members.bytes(Param::Apu)
    }
    /// `apv`: Agreement PartyVInfo for ECDH-ES, decoded.
    pub fn apv(&self) -> Option<&[u8]> {
        self.members.bytes(Param::Apv)
    }
    /// `iv`: the IV of AES-GCM key wrapping, decoded.
    pub fn iv(&self) -> Option<&[u8]> {
        self.members.bytes(Param::Iv)
    }
    /// `tag`: the tag of AES-GCM key wrapping, decoded.
    pub fn tag(&self) -> Option<&[u8]> {
        self.members.bytes(Param::Tag)
    }
    /// `p2s`: the PBES2 salt input, decoded.
    pub fn p2s(&self) -> Option<&[u8]> {
        self.members.bytes(Param::P2s)
    }
    /// `p2c`: the PBES2 iteration count.
    pub fn p2c(&self) -> Option<u64> {
        self.members.count(Param::P2c)
    }

    /// Sets `alg`.
    pub fn with_alg(mut self, alg: KeyManagementAlgorithm) -> Self {
        self.set_alg_name(alg.name());
        self
    }
    /// Sets `enc`.
    pub fn with_enc(mut self, enc: ContentEncryption) -> Self {
        self.set_enc_name(enc.name());
        self
    }
    /// Asks for `zip: "DEF"`: the plaintext is compressed before encryption. Compression
    /// can leak plaintext through the ciphertext's length (RFC 8725 §3.6); use it only
    /// when no attacker-chosen text is mixed with secrets.
    pub fn with_deflate(mut self) -> Self {
        self.members
            .put(Param::Zip, Value::Text(Cow::Borrowed("DEF")));
        self
    }
    /// Sets `apu` (ECDH-ES Agreement PartyUInfo).
    pub fn with_apu(mut self, apu: impl Into<Vec<u8>>) -> Self {
        self.members.put(Param::Apu, Value::Bytes(apu.into()));
        self
    }
    /// Sets `apv` (ECDH-ES Agreement PartyVInfo).
    pub fn with_apv(mut self, apv: impl Into<Vec<u8>>) -> Self {
        self.members.put(Param::Apv, Value::Bytes(apv.into()));
        self
    }

    pub(crate) fn set_enc_name(&mut self, enc: &'static str) {
        self.members
            .put(Param::Enc, Value::Text(Cow::Borrowed(enc)));
    }
    pub(crate) fn set_epk(&mut self, epk: Box<RawValue>) {
        self.members.put(Param::Epk, Value::Json(epk));
    }
    pub(crate) fn set_iv_tag(&mut self, iv: Vec<u8>, tag: Vec<u8>) {
        self.members.put(Param::Iv, Value::Bytes(iv));
        self.members.put(Param::Tag, Value::Bytes(tag));
    }
    pub(crate) fn set_pbes2(&mut self, p2s: Vec<u8>, p2c: u64) {
        self.members.put(Param::P2s, Value::Bytes(p2s));
        self.members.put(Param::P2c, Value::Count(p2c));
    }
}

impl Serialize for JweHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::serialize_members(s, |m| self.members.write(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
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
