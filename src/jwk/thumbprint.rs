//! JWK Thumbprints (RFC 7638) and JWK Thumbprint URIs (RFC 9278).

use super::{Jwk, KeyParams};
use crate::base64url;
use crate::crypto::digest::Sha;

/// The hash function of a JWK thumbprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ThumbprintHash {
    /// SHA-256, the usual choice.
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl ThumbprintHash {
    fn sha(self) -> Sha {
        match self {
            Self::Sha256 => Sha::Sha256,
            Self::Sha384 => Sha::Sha384,
            Self::Sha512 => Sha::Sha512,
        }
    }

    /// The hash name of the IANA "Named Information Hash Algorithm" registry, as used in
    /// thumbprint URIs (RFC 9278 §3).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha-256",
            Self::Sha384 => "sha-384",
            Self::Sha512 => "sha-512",
        }
    }
}

fn push_member(out: &mut String, name: &str, value: &str, first: bool) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
    // Values are base64url or curve names; anything unusual is escaped.
    crate::json::write_str(out, value);
}

impl Jwk {
    /// The RFC 7638 §3.2 input: the required public members in lexicographic order, no
    /// whitespace. Private members never enter it, so a private key and its public key
    /// have the same thumbprint.
    pub fn thumbprint_input(&self) -> String {
        let b = |v: &[u8]| base64url::encode(v);
        let mut out = String::from("{");
        match &self.params {
            KeyParams::Ec { crv, x, y, .. } => {
                push_member(&mut out, "crv", crv, true);
                push_member(&mut out, "kty", "EC", false);
                push_member(&mut out, "x", &b(x), false);
                push_member(&mut out, "y", &b(y), false);
            }
            KeyParams::Rsa { n, e, .. } => {
                push_member(&mut out, "e", &b(e), true);
                push_member(&mut out, "kty", "RSA", false);
                push_member(&mut out, "n", &b(n), false);
            }
            KeyParams::Oct { k } => {
                push_member(&mut out, "k", &b(k.expose()), true);
                push_member(&mut out, "kty", "oct", false);
            }
            KeyParams::Okp { crv, x, .. } => {
                push_member(&mut out, "crv", crv, true);
                push_member(&mut out, "kty", "OKP", false);
                push_member(&mut out, "x", &b(x), false);
            }
        }
        out.push('}');
        out
    }

    /// The RFC 7638 thumbprint: the hash of [`thumbprint_input`](Self::thumbprint_input).
    pub fn thumbprint(&self, hash: ThumbprintHash) -> Vec<u8> {
        let mut input = self.thumbprint_input();
        let digest = hash.sha().digest(input.as_bytes());
        // The input of an oct key holds the secret.
        zeroize::Zeroize::zeroize(&mut input);
        digest
    }

    /// The thumbprint, base64url-encoded (the usual `kid` form).
    ///
    /// ```
    /// use josecraft::jwk::{Jwk, ThumbprintHash};
    ///
    /// // RFC 8037 Appendix A.3.
    /// let jwk = Jwk::from_json(br#"{"kty":"OKP","crv":"Ed25519",
    ///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
    /// assert_eq!(
    ///     jwk.thumbprint_b64(ThumbprintHash::Sha256),
    ///     "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    /// );
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    pub fn thumbprint_b64(&self, hash: ThumbprintHash) -> String {
        base64url::encode(self.thumbprint(hash))
    }

    /// The JWK Thumbprint URI (RFC 9278), e.g.
    /// `urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbL…`.
    pub fn thumbprint_uri(&self, hash: ThumbprintHash) -> String {
        format!(
            "urn:ietf:params:oauth:jwk-thumbprint:{}:{}",
            hash.name(),
            self.thumbprint_b64(hash)
        )
    }

    /// Sets `kid` to the base64url SHA-256 thumbprint, a common convention for key IDs.
    pub fn with_thumbprint_kid(self) -> Self {
        let kid = self.thumbprint_b64(ThumbprintHash::Sha256);
        self.with_kid(kid)
    }
}
