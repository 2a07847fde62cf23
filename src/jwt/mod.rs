//! JSON Web Tokens (RFC 7519): issuing, verifying and validating claims, the RFC 9068
//! access-token and OpenID Connect ID-token profiles, nested (signed then encrypted) JWTs,
//! revocation, and `Authorization: Bearer` parsing (RFC 6750).
//!
//! A JWT is accepted only when its signature verifies with the caller's key *and* its
//! claims pass a [`Validation`] the caller built — there is no verify-without-validate
//! entry point outside [`dangerous`](crate::dangerous).
//!
//! ```
//! use josecraft::jwt::{self, Claims, Validation};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Scope { scope: String }
//!
//! // The auth server issues a 5-minute ES256 access token (RFC 9068).
//! let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2026-11");
//! let claims = Claims::new(Scope { scope: "read".into() })
//!     .with_issuer("https://auth.example")
//!     .with_subject("ada")
//!     .with_audience("https://api.example")
//!     .valid_for(jwt::NumericDate::now(), std::time::Duration::from_secs(300))?
//!     .with_random_jti()?;
//! let token = jwt::sign_access_token(&claims, "client-7", &key)?;
//!
//! // The resource server verifies it offline with the public key.
//! let validation = Validation::issuer("https://auth.example")
//!     .audience("https://api.example")
//!     .with_access_token_profile();
//! let verified = jwt::verify::<Scope>(&token, &key.verifying_key(), &validation)?;
//! assert_eq!(verified.claims().custom.scope, "read");
//! assert_eq!(verified.claims().sub.as_deref(), Some("ada"));
//! # Ok::<(), josecraft::Error>(())
//! ```
//!
//! A resource server usually holds the issuer's keys as a JWK Set and lets the token's
//! `kid` pick one:
//!
//! ```
//! use josecraft::jwk::JwkSet;
//! use josecraft::jwt::{self, Claims, Validation};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//!
//! # let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("2026-11");
//! # let claims = Claims::new(serde_json::Map::new()).with_issuer("https://auth.example")
//! #     .with_audience("api").valid_for(jwt::NumericDate::now(), std::time::Duration::from_secs(300))?;
//! # let token = jwt::sign(&claims, &key)?;
//! // Published by the auth server at /.well-known/jwks.json:
//! let jwks = JwkSet::new().with(key.to_jwk());
//! let jwks = JwkSet::from_json(jwks.to_json().as_bytes())?;
//!
//! let validation = Validation::issuer("https://auth.example").audience("api");
//! let verified = jwt::verify::<serde_json::Map<_, _>>(&token, &jwks, &validation)?;
//! assert_eq!(verified.header().kid(), Some("2026-11"));
//! # Ok::<(), josecraft::Error>(())
//! ```

mod authorization;
mod claims;
mod nested;
mod oidc;
mod revocation;
mod store;
mod validation;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use crate::date::{Clock, FixedClock, NumericDate, SystemClock};
pub use crate::error::Forbidden;
pub use claims::{Audience, Claims, ClaimsView};
pub(crate) use nested::decrypt_nested_outer;
pub use nested::encrypt_nested;
pub use oidc::oidc_token_hash;
pub use revocation::{JtiDenylist, RevocationCheck};
pub use store::{
    MemoryRefreshFamilies, MemoryReplayCache, RefreshFamilies, ReplayCache, RevocationStore,
    Rotation, StoreFuture,
};
pub use validation::{NeedsAudience, Validation, DEFAULT_LEEWAY, MAX_LEEWAY};

use crate::alg::KeyManagementAlgorithm;
use crate::error::{Claim, ClaimsError, Error, Part, Result};
use crate::header::{JweHeader, JwsHeader};
use crate::jose::{DecryptorSource, KeySource, Signer, VerifierSource};
use crate::jwe::EncryptedCompact;
use crate::jws::{self, UnverifiedCompact};
use claims::ParsedClaims;

/// A JWT whose signature verified and whose claims passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt<T = serde_json::Map<String, serde_json::Value>> {
    header: JwsHeader,
    claims: Claims<T>,
    payload: Vec<u8>,
    outer: Option<JweHeader>,
}

impl<T> VerifiedJwt<T> {
    /// The JWS header.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }
    /// The claims.
    pub fn claims(&self) -> &Claims<T> {
        &self.claims
    }
    /// Takes the claims.
    pub fn into_claims(self) -> Claims<T> {
        self.claims
    }
    /// The payload exactly as signed (member order and fractional dates intact), for tools
    /// that show what was signed.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
    /// For a nested JWT, the protected header of the outer JWE.
    pub fn outer_header(&self) -> Option<&JweHeader> {
        self.outer.as_ref()
    }
    /// The scopes the token grants (`scope` and `scp`, read as
    /// [`ClaimsView::scopes`] reads them), whatever `T` keeps of the claims.
    ///
    /// # Errors
    /// [`ClaimsError::WrongType`] when `scope` or `scp` has
    /// the wrong JSON type.
    pub fn scopes(&self) -> Result<Vec<String>> {
        // The payload parsed once under the caller's depth limit; serde_json's own
        // recursion limit (128) still bounds this second parse.
        let parsed = ParsedClaims::parse(&self.payload, usize::MAX)?;
        ClaimsView::new(&parsed).scopes()
    }
}

fn reject_json_serialization(token: &str) -> Result<()> {
    if token.trim_start().starts_with('{') {
        return Err(Error::malformed(
            Part::Token,
            "JWTs use the compact serialization only (RFC 7519 §1)",
        ));
    }
    Ok(())
}

/// Claims validation on a verified JWS payload.
fn validate<T: DeserializeOwned>(
    header: JwsHeader,
    payload: Vec<u8>,
    validation: &Validation,
    outer: Option<JweHeader>,
    proof_jkt: Option<&str>,
) -> Result<VerifiedJwt<T>> {
    // RFC 7797 §7: JWTs never use the unencoded payload option.
    if !header.is_payload_encoded() {
        return Err(Error::malformed(
            Part::Header,
            "a JWT cannot use \"b64\": false",
        ));
    }
    validation.check_header(&header)?;
    let parsed = ParsedClaims::parse(&payload, validation.limits().json_depth())?;
    validation.check_binding(&parsed, proof_jkt)?;
    validation.check_claims(&parsed, header.algorithm())?;
    let claims = parsed.into_claims()?;
    Ok(VerifiedJwt {
        header,
        claims,
        payload,
        outer,
    })
}

/// [`validate`] for the synchronous entry points, which cannot wait for a revocation store.
fn validate_sync<T: DeserializeOwned>(
    header: JwsHeader,
    payload: Vec<u8>,
    validation: &Validation,
    outer: Option<JweHeader>,
) -> Result<VerifiedJwt<T>> {
    if validation.revocation_store().is_some() {
        return Err(Error::Unsupported(
            "a validation with a revocation store needs the async entry points (jwt::verify_async)"
                .into(),
        ));
    }
    validate(header, payload, validation, outer, None)
}

/// [`validate`], then the revocation store and, after it, authorization: a revoked token is
/// invalid (401) even where it would also be forbidden (403).
async fn validate_async<T: DeserializeOwned>(
    header: JwsHeader,
    payload: Vec<u8>,
    validation: &Validation,
    outer: Option<JweHeader>,
    proof_jkt: Option<&str>,
) -> Result<VerifiedJwt<T>> {
    let verified = validate(header, payload, validation, outer, proof_jkt)?;
    if let Some(store) = validation.revocation_store() {
        // After the signature and every claim passed: only authentic, valid tokens cost a
        // round trip to the store.
        let jti = verified
            .claims
            .jti
            .as_deref()
            .ok_or(ClaimsError::Missing(Claim::Jti))?;
        if store.is_revoked(jti).await? {
            return Err(ClaimsError::Revoked {
                jti: jti.to_string(),
            }
            .into());
        }
        validation.authorize_payload(&verified.payload)?;
    }
    Ok(verified)
}

/// Verifies a compact JWT with the key of `keys` that fits its `kid` and `alg` (a single
/// key works too), then validates its claims.
///
/// # Errors
/// Any error of [`jws::verify_compact`]; [`Error::Claims`] for a claim that fails;
/// [`Error::Malformed`] for a JSON serialization or a claims set that is not a JSON object
/// or does not fit `T`.
pub fn verify<T: DeserializeOwned>(
    token: &str,
    keys: &dyn VerifierSource,
    validation: &Validation,
) -> Result<VerifiedJwt<T>> {
    reject_json_serialization(token)?;
    let verified =
        UnverifiedCompact::parse_with(token, validation.parse_options())?.verify(keys)?;
    let (header, payload) = verified.into_parts();
    validate_sync(header, payload, validation, None)
}

/// Verifies a compact JWT with a [`KeySource`] — a local [`JwkSet`](crate::jwk::JwkSet)
/// or a [`RemoteJwks`](crate::keysource::RemoteJwks) that fetches the issuer's keys and
/// follows their rotation — then validates its claims.
///
/// ```
/// use josecraft::jwk::JwkSet;
/// use josecraft::jwt::{self, Claims, Validation};
/// use josecraft::{SignatureAlgorithm, SigningKey};
///
/// # let key = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("k1");
/// # let claims = Claims::new(serde_json::Map::new()).with_issuer("https://auth.example")
/// #     .with_audience("api").valid_for(jwt::NumericDate::now(), std::time::Duration::from_secs(300))?;
/// # let token = jwt::sign(&claims, &key)?;
/// # let jwks = JwkSet::new().with(key.to_jwk());
/// let validation = Validation::issuer("https://auth.example").audience("api");
/// # josecraft::keysource::block_on(async {
/// let verified = jwt::verify_async::<serde_json::Map<_, _>>(&token, &jwks, &validation).await?;
/// assert_eq!(verified.claims().iss.as_deref(), Some("https://auth.example"));
/// # Ok::<(), josecraft::Error>(())
/// # })?;
/// # Ok::<(), josecraft::Error>(())
/// ```
///
/// # Errors
/// As [`verify`], plus [`Error::KeysUnavailable`] when a remote source has no usable keys
/// (answer 503: the token may be fine).
pub async fn verify_async<T: DeserializeOwned>(
    token: &str,
    keys: &dyn KeySource,
    validation: &Validation,
) -> Result<VerifiedJwt<T>> {
    reject_json_serialization(token)?;
    let unverified = UnverifiedCompact::parse_with(token, validation.parse_options())?;
    let found = keys.keys_for(unverified.untrusted_header()).await?;
    let (header, payload) = unverified.verify(&found)?.into_parts();
    validate_async(header, payload, validation, None, None).await
}

/// Validation of claims whose signature was verified elsewhere (the processed claims of an
/// SD-JWT): the header's `typ`, every claim, the revocation store, authorization.
pub(crate) async fn validate_payload<T: DeserializeOwned>(
    header: JwsHeader,
    payload: Vec<u8>,
    validation: &Validation,
) -> Result<VerifiedJwt<T>> {
    validate_async(header, payload, validation, None, None).await
}

/// [`verify_async`] for a token presented with a DPoP proof whose key has the RFC 7638
/// thumbprint `proof_jkt`: the token must be bound to that key (`cnf.jkt`).
pub(crate) async fn verify_async_bound<T: DeserializeOwned>(
    token: &str,
    keys: &dyn KeySource,
    validation: &Validation,
    proof_jkt: &str,
) -> Result<VerifiedJwt<T>> {
    reject_json_serialization(token)?;
    let unverified = UnverifiedCompact::parse_with(token, validation.parse_options())?;
    let found = keys.keys_for(unverified.untrusted_header()).await?;
    let (header, payload) = unverified.verify(&found)?.into_parts();
    validate_async(header, payload, validation, None, Some(proof_jkt)).await
}

/// Signs claims as a compact JWT with `typ: "JWT"`.
///
/// # Errors
/// [`Error::Malformed`] for claims that do not serialize to an object, and the errors of
/// [`jws::sign_compact`].
pub fn sign<T: Serialize>(claims: &Claims<T>, signer: &dyn Signer) -> Result<String> {
    // The header every plain JWT gets, written directly: the bytes `sign_with_header` gives
    // for `{"typ":"JWT"}` (a test holds them equal), without building and cloning a header.
    let alg = signer.algorithm();
    let mut header = String::with_capacity(48);
    header.push_str("{\"alg\":");
    crate::json::write_str(&mut header, alg.name());
    if let Some(kid) = signer.key_id() {
        header.push_str(",\"kid\":");
        crate::json::write_str(&mut header, kid);
    }
    header.push_str(",\"typ\":\"JWT\"}");
    let input = crate::jws::CompactSigningInput::from_header_json(
        header.as_bytes(),
        alg,
        true,
        claims.to_json()?.as_bytes(),
    )?;
    let signature = signer.sign(input.as_bytes())?;
    input.into_token(&signature)
}

/// Signs claims as a compact JWT under the given header.
///
/// # Errors
/// As [`sign`].
pub fn sign_with_header<T: Serialize>(
    header: &JwsHeader,
    claims: &Claims<T>,
    signer: &dyn Signer,
) -> Result<String> {
    if !header.is_payload_encoded() {
        return Err(Error::malformed(
            Part::Header,
            "a JWT cannot use \"b64\": false",
        ));
    }
    jws::sign_compact(header, claims.to_json()?.as_bytes(), signer)
}

/// Signs an RFC 9068 access token: `typ: "at+jwt"`, `client_id` added, and `iss`, `exp`,
/// `aud`, `sub`, `iat`, `jti` required to be set.
///
/// # Errors
/// [`Error::Claims`] ([`ClaimsError::Missing`]) for a missing
/// required claim; [`Error::Malformed`] if the custom claims already have a `client_id`;
/// the errors of [`sign`].
pub fn sign_access_token<T: Serialize>(
    claims: &Claims<T>,
    client_id: &str,
    signer: &dyn Signer,
) -> Result<String> {
    use crate::error::{Claim, ClaimsError};
    let mut members = claims
        .members()
        .map_err(|e| Error::malformed(Part::Claims, e))?;
    for claim in [
        Claim::Iss,
        Claim::Sub,
        Claim::Aud,
        Claim::Exp,
        Claim::Iat,
        Claim::Jti,
    ] {
        if !members.iter().any(|(k, _)| k == claim.name()) {
            return Err(ClaimsError::Missing(claim).into());
        }
    }
    if members.iter().any(|(k, _)| k == "client_id") {
        return Err(Error::malformed(
            Part::Claims,
            "client_id is set from the argument",
        ));
    }
    members.push(("client_id".into(), client_id.into()));
    let mut w = crate::json::ObjectWriter::new();
    for (k, v) in &members {
        let raw = serde_json::value::to_raw_value(v)
            .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
        crate::json::MemberSink::raw(&mut w, k, &raw);
    }
    jws::sign_compact(
        &JwsHeader::new().with_typ("at+jwt"),
        w.finish().as_bytes(),
        signer,
    )
}

/// Decrypts a nested JWT (a signed JWT inside a JWE with `cty: "JWT"`), verifies the
/// inner signature and validates the claims: all three must pass (RFC 8725 §3.3). A single
/// key can be passed for either set.
///
/// # Errors
/// Any error of decryption ([`Error::Malformed`] when the outer `cty` is not `JWT`), then
/// of [`verify`].
pub fn decrypt_nested<T: DeserializeOwned>(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    verification_keys: &dyn VerifierSource,
    validation: &Validation,
) -> Result<VerifiedJwt<T>> {
    reject_json_serialization(token)?;
    let outer = decrypt_nested_outer(token, decryption_keys, &validation.outer_parse_options())?;
    let inner =
        UnverifiedCompact::parse_with(nested::inner_jws(&outer)?, validation.parse_options())?;
    let (header, payload) = inner.verify(verification_keys)?.into_parts();
    validate_sync(header, payload, validation, Some(outer.header().clone()))
}

/// [`decrypt_nested`] with the inner signature's keys from a [`KeySource`] (for example
/// the issuer's [`RemoteJwks`](crate::keysource::RemoteJwks)).
///
/// # Errors
/// As [`decrypt_nested`], plus [`Error::KeysUnavailable`].
pub async fn decrypt_nested_async<T: DeserializeOwned>(
    token: &str,
    decryption_keys: &dyn DecryptorSource,
    verification_keys: &dyn KeySource,
    validation: &Validation,
) -> Result<VerifiedJwt<T>> {
    reject_json_serialization(token)?;
    let outer = decrypt_nested_outer(token, decryption_keys, &validation.outer_parse_options())?;
    let inner =
        UnverifiedCompact::parse_with(nested::inner_jws(&outer)?, validation.parse_options())?;
    let found = verification_keys.keys_for(inner.untrusted_header()).await?;
    let (header, payload) = inner.verify(&found)?.into_parts();
    validate_async(
        header,
        payload,
        validation,
        Some(outer.header().clone()),
        None,
    )
    .await
}

/// A JWT that is only encrypted (its claims are the JWE plaintext, no signature inside).
#[derive(Debug, Clone, PartialEq)]
pub struct DecryptedJwt<T = serde_json::Map<String, serde_json::Value>> {
    header: JweHeader,
    claims: Claims<T>,
    payload: Vec<u8>,
}

impl<T> DecryptedJwt<T> {
    /// The JWE protected header.
    pub fn header(&self) -> &JweHeader {
        &self.header
    }
    /// The claims.
    pub fn claims(&self) -> &Claims<T> {
        &self.claims
    }
    /// The decrypted claims set exactly as it was encrypted.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
}

/// Decrypts a JWT that is a JWE whose plaintext is the claims set (not nested), then
/// validates the claims.
///
/// Such a token authenticates its sender only when the key management is symmetric (`dir`,
/// `A*KW`, `A*GCMKW`, PBES2). With ECDH-ES or RSA-OAEP anyone holding the public key can
/// make one, so those are refused unless the validation says
/// [`dangerous_allow_unauthenticated_jwe`](Validation::dangerous_allow_unauthenticated_jwe). Nested
/// JWTs (`cty: "JWT"`) go to [`decrypt_nested`].
///
/// # Errors
/// [`Error::KeyRejected`] for an asymmetric JWE without the opt-in; [`Error::Malformed`]
/// for a nested JWT; decryption and claim errors.
pub fn decrypt<T: DeserializeOwned>(
    token: &str,
    keys: &dyn DecryptorSource,
    validation: &Validation,
) -> Result<DecryptedJwt<T>> {
    if validation.revocation_store().is_some() {
        return Err(Error::Unsupported(
            "a validation with a revocation store cannot be used by jwt::decrypt, which does not wait for the store"
                .into(),
        ));
    }
    reject_json_serialization(token)?;
    let encrypted = EncryptedCompact::parse_with(token, validation.parse_options())?;
    if encrypted.untrusted_header().untrusted().is_nested_jwt() {
        return Err(Error::malformed(
            Part::Header,
            "a nested JWT (cty JWT): use decrypt_nested, which also verifies the inner signature",
        ));
    }
    let alg: KeyManagementAlgorithm = encrypted.key_management();
    if !alg.is_symmetric() && !validation.accepts_unauthenticated_jwe() {
        return Err(Error::key(format!(
            "an encrypted-only JWT with {alg} could have been made by anyone with the public key; \
             sign it (nested JWT) or opt in with Validation::dangerous_allow_unauthenticated_jwe"
        )));
    }
    let decrypted = encrypted.decrypt(keys)?;
    let header = decrypted.header().clone();
    let payload = decrypted.into_plaintext();
    // The JWE header's typ is checked as a JWS header's would be.
    let typ_view = match header.typ() {
        Some(t) => JwsHeader::new().with_typ(t),
        None => JwsHeader::new(),
    };
    validation.check_header(&typ_view)?;
    let parsed = ParsedClaims::parse(&payload, validation.limits().json_depth())?;
    // No proof travels with an encrypted-only JWT here: a bound one is a Bearer use.
    validation.check_binding(&parsed, None)?;
    validation.check_claims(&parsed, None)?;
    let claims = parsed.into_claims()?;
    Ok(DecryptedJwt {
        header,
        claims,
        payload,
    })
}

/// The token of an `Authorization: Bearer` header value (RFC 6750 §2.1): the scheme is
/// case-insensitive, the token must be a `b64token`.
///
/// ```
/// use josecraft::jwt::bearer_token;
///
/// assert_eq!(bearer_token("Bearer eyJhbGciOi.J9.abc")?, "eyJhbGciOi.J9.abc");
/// assert_eq!(bearer_token("bearer   abc")?, "abc");
/// assert!(bearer_token("Basic dXNlcjpwYXNz").is_err());
/// assert!(bearer_token("Bearer").is_err());
/// # Ok::<(), josecraft::Error>(())
/// ```
///
/// # Errors
/// [`Error::Malformed`] (part [`Part::HttpHeader`]) for an empty value, another scheme, or
/// a token with characters outside `b64token`.
pub fn bearer_token(authorization: &str) -> Result<&str> {
    credentials(authorization, "Bearer")
}

/// The `token68` credentials of an `Authorization` value in `scheme` (compared without
/// case): `Bearer` (RFC 6750 §2.1) or `DPoP` (RFC 9449 §7.1).
pub(crate) fn credentials<'a>(authorization: &'a str, scheme: &str) -> Result<&'a str> {
    let bad = |why: String| Error::malformed(Part::HttpHeader, why);
    let value = authorization.trim_matches(|c| c == ' ' || c == '\t');
    if value.is_empty() {
        return Err(bad("the Authorization header is empty".into()));
    }
    let (found, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !found.eq_ignore_ascii_case(scheme) {
        return Err(bad(format!("the Authorization scheme is not {scheme}")));
    }
    let token = rest.trim_start_matches(' ');
    if token.is_empty() {
        return Err(bad(format!("the {scheme} credentials are empty")));
    }
    // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    let body = token.trim_end_matches('=');
    let valid = !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        });
    if !valid {
        return Err(bad(format!("the {scheme} token is not a b64token")));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HmacAlgorithm, HmacKey};

    /// `sign` writes its header directly; it must be the header `sign_with_header` builds
    /// for `{"typ":"JWT"}`, with and without a `kid`, escapes included.
    #[test]
    fn sign_writes_the_header_sign_with_header_would() {
        let claims = Claims::new(()).with_subject("s");
        for alg in [HmacAlgorithm::Hs256, HmacAlgorithm::Hs512] {
            for kid in [None, Some("k1"), Some("a\"b\\c\n\u{7f}é")] {
                let mut key = HmacKey::new(alg, &[7u8; 64]).unwrap();
                if let Some(kid) = kid {
                    key = key.with_key_id(kid);
                }
                let general =
                    sign_with_header(&JwsHeader::new().with_typ("JWT"), &claims, &key).unwrap();
                assert_eq!(sign(&claims, &key).unwrap(), general, "{alg:?} {kid:?}");
            }
        }
    }
}
