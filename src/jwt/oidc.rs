//! OpenID Connect ID tokens (OpenID Connect Core 1.0 §2, §3.1.3.7): required claims,
//! `nonce`, `azp`, `auth_time` with `max_age`, and `at_hash`/`c_hash`.

use std::time::Duration;

use super::claims::ParsedClaims;
use super::validation::Validation;
use crate::alg::JwsAlgorithm;
use crate::base64url;
use crate::date::NumericDate;
use crate::error::{Claim, ClaimsError, Error, Result};

/// The left-most half of the hash of `value` with the hash of `alg`, base64url-encoded: the
/// `at_hash` of an access token and the `c_hash` of a code (OpenID Connect Core §3.1.3.6,
/// §3.3.2.11). For EdDSA/Ed25519 the hash is SHA-512, the consensus reading of the spec.
///
/// ```
/// use josecraft::jwt::oidc_token_hash;
/// use josecraft::JwsAlgorithm;
///
/// // The c_hash example of OpenID Connect Core §A.4.
/// assert_eq!(
///     oidc_token_hash(JwsAlgorithm::Rs256, "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"),
///     "LDktKdoQak3Pk0cnXxCltA"
/// );
/// ```
pub fn oidc_token_hash(alg: JwsAlgorithm, value: &str) -> String {
    let digest = alg.descriptor().oidc_hash.digest(value.as_bytes());
    base64url::encode(&digest[..digest.len() / 2])
}

/// The ID-token rules a [`Validation`] carries.
#[derive(Debug, Clone)]
pub(crate) struct IdTokenRules {
    client_id: String,
    nonce: Option<String>,
    max_auth_age: Option<Duration>,
    access_token: Option<String>,
    code: Option<String>,
}

impl Validation {
    /// An OpenID Connect ID-token validator for `client_id` from `issuer`: `iss`, `sub`,
    /// `aud`, `exp` and `iat` required, `aud` must contain `client_id`, and with several
    /// audiences `azp` must be present and be `client_id` (OpenID Connect Core §3.1.3.7).
    ///
    /// ```
    /// use josecraft::jwt::Validation;
    ///
    /// let v = Validation::id_token("https://accounts.example", "my-client")
    ///     .with_nonce("n-0S6_WzA2Mj")
    ///     .with_access_token_hash("jHkWEdUXMU1BwAsC4vtUsZwnNYxIMbbT");
    /// # let _ = v;
    /// ```
    pub fn id_token(issuer: impl Into<String>, client_id: impl Into<String>) -> Validation {
        let client_id = client_id.into();
        let mut v = Validation::issuer(issuer)
            .audience(client_id.clone())
            .with_required(Claim::Sub)
            .with_required(Claim::Iat);
        v.id_token = Some(IdTokenRules {
            client_id,
            nonce: None,
            max_auth_age: None,
            access_token: None,
            code: None,
        });
        v
    }

    fn rules(&mut self) -> &mut IdTokenRules {
        self.id_token.get_or_insert_with(|| IdTokenRules {
            client_id: String::new(),
            nonce: None,
            max_auth_age: None,
            access_token: None,
            code: None,
        })
    }

    /// Requires `nonce` to be exactly the value sent in the authentication request.
    pub fn with_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.rules().nonce = Some(nonce.into());
        self
    }

    /// Requires `auth_time` no older than `max_age` (the request's `max_age`).
    pub fn with_max_auth_age(mut self, max_age: Duration) -> Self {
        self.rules().max_auth_age = Some(max_age);
        self
    }

    /// Requires `at_hash` to match this access token.
    pub fn with_access_token_hash(mut self, access_token: impl Into<String>) -> Self {
        self.rules().access_token = Some(access_token.into());
        self
    }

    /// Requires `c_hash` to match this authorization code.
    pub fn with_code_hash(mut self, code: impl Into<String>) -> Self {
        self.rules().code = Some(code.into());
        self
    }
}

impl IdTokenRules {
    pub(crate) fn check(
        &self,
        parsed: &ParsedClaims<'_>,
        alg: Option<JwsAlgorithm>,
        now: NumericDate,
        leeway: Duration,
    ) -> Result<()> {
        let string = |name: &str| -> Result<Option<String>> {
            match parsed.get(name) {
                None => Ok(None),
                Some(v) => serde_json::from_str(v.get())
                    .map(Some)
                    .map_err(|_| Error::from(ClaimsError::WrongType(Claim::from_name(name)))),
            }
        };
        let azp = string("azp")?;
        if let Some(aud) = &parsed.registered.aud {
            if aud.len() > 1 && azp.is_none() {
                return Err(ClaimsError::Missing(Claim::Other("azp".into())).into());
            }
        }
        if let Some(azp) = azp {
            if !self.client_id.is_empty() && azp != self.client_id {
                return Err(ClaimsError::Mismatch(Claim::Other("azp".into())).into());
            }
        }
        if let Some(expected) = &self.nonce {
            match string("nonce")? {
                None => return Err(ClaimsError::Missing(Claim::Other("nonce".into())).into()),
                Some(n) if &n != expected => {
                    return Err(ClaimsError::Mismatch(Claim::Other("nonce".into())).into())
                }
                _ => {}
            }
        }
        if let Some(max_age) = self.max_auth_age {
            let claim = Claim::Other("auth_time".into());
            let raw = parsed
                .get("auth_time")
                .ok_or_else(|| ClaimsError::Missing(claim.clone()))?;
            let n: serde_json::Number = serde_json::from_str(raw.get())
                .map_err(|_| ClaimsError::WrongType(claim.clone()))?;
            let auth_time =
                NumericDate::from_json_number(&n).ok_or(ClaimsError::OutOfRange(claim))?;
            let oldest = now.checked_sub(max_age).and_then(|o| o.checked_sub(leeway));
            if oldest.is_some_and(|o| auth_time < o) {
                return Err(ClaimsError::TooOld {
                    iat: auth_time,
                    now,
                    max_age_seconds: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
                }
                .into());
            }
        }
        for (name, value) in [("at_hash", &self.access_token), ("c_hash", &self.code)] {
            if let Some(value) = value {
                let claim = Claim::Other(name.into());
                let found = string(name)?.ok_or_else(|| ClaimsError::Missing(claim.clone()))?;
                let alg = alg.ok_or_else(|| ClaimsError::Mismatch(claim.clone()))?;
                if found != oidc_token_hash(alg, value) {
                    return Err(ClaimsError::Mismatch(claim).into());
                }
            }
        }
        Ok(())
    }
}
