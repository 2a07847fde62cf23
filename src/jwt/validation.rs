//! Claims validation (RFC 7519 §4, §7.2; RFC 8725 §3.8–3.12): the caller names what they
//! accept, the defaults are the safe ones.

use std::fmt;
use std::sync::Arc;

use std::time::Duration;

use super::authorization::{authorize, Rule};
use super::claims::{ClaimsView, ParsedClaims};
use super::oidc::IdTokenRules;
use super::revocation::RevocationCheck;
use super::store::RevocationStore;
use crate::alg::JwsAlgorithm;
use crate::date::{Clock, NumericDate, SystemClock};
use crate::error::{Claim, ClaimsError, DpopError, Result};
use crate::header::JwsHeader;
use crate::jose::ParseOptions;
use crate::json;
use crate::limits::Limits;

/// The default clock-skew allowance: 60 seconds.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// The largest clock-skew allowance [`Validation::with_leeway`] keeps: one day. Skew is
/// minutes at most (RFC 7519 §4.1.4); a larger value would quietly extend every token's
/// life. To judge tokens at another time, use [`Validation::with_clock`].
pub const MAX_LEEWAY: Duration = Duration::from_secs(86_400);

#[derive(Debug, Clone)]
enum Issuers {
    Any,
    OneOf(Vec<String>),
}

#[derive(Debug, Clone)]
enum Audiences {
    None,
    Any,
    OneOf(Vec<String>),
}

type Validator = Arc<dyn Fn(&ClaimsView<'_>) -> std::result::Result<(), String> + Send + Sync>;

/// What a JWT must be to be accepted.
///
/// Built in two required steps — who may have issued the token, who it must be for — then
/// refined. Secure by default:
///
/// - `exp` is required ([`dangerous_allow_missing_exp`](Self::dangerous_allow_missing_exp) waives it); `nbf` is
///   checked when present; an `iat` in the future is refused; 60 s of leeway.
/// - Naming an expected `iss`, `aud`, `sub` or `typ` makes it required.
/// - A token with an `aud` is refused when the validator names no audience.
///
/// ```
/// use josecraft::jwt::{self, Claims, FixedClock, NumericDate, Validation};
/// use josecraft::{HmacAlgorithm, HmacKey};
///
/// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
/// let now = NumericDate::from_unix(1_700_000_000).unwrap();
/// let claims = Claims::new(serde_json::Map::new())
///     .with_issuer("https://auth.example")
///     .with_audience("api")
///     .valid_for(now, std::time::Duration::from_secs(300))?;
/// let token = jwt::sign(&claims, &key)?;
///
/// let validation = Validation::issuer("https://auth.example")
///     .audience("api")
///     .with_clock(FixedClock(now));
/// let verified = jwt::verify::<serde_json::Map<_, _>>(&token, &key, &validation)?;
/// assert_eq!(verified.claims().iss.as_deref(), Some("https://auth.example"));
///
/// let other_api = Validation::issuer("https://auth.example").audience("billing").with_clock(FixedClock(now));
/// assert!(jwt::verify::<serde_json::Map<_, _>>(&token, &key, &other_api).is_err());
/// # Ok::<(), josecraft::Error>(())
/// ```
#[derive(Clone)]
pub struct Validation {
    issuers: Issuers,
    audiences: Audiences,
    subject: Option<String>,
    typ: Option<String>,
    leeway: Duration,
    require_exp: bool,
    max_age: Option<Duration>,
    required: Vec<Claim>,
    /// Required claims that must also be JSON strings (RFC 9068's `client_id`).
    required_strings: Vec<Claim>,
    exact: Vec<(String, serde_json::Value)>,
    prohibited: Vec<String>,
    validators: Vec<Validator>,
    required_scopes: Vec<String>,
    rules: Vec<(String, Rule)>,
    clock: Arc<dyn Clock>,
    revocation: Option<Arc<dyn RevocationCheck>>,
    revocation_store: Option<Arc<dyn RevocationStore>>,
    pub(crate) id_token: Option<IdTokenRules>,
    parse_options: ParseOptions,
    allow_unauthenticated_jwe: bool,
    binding: Binding,
}

/// What a validation does with a token's `cnf.jkt` (RFC 9449 §6) when no DPoP proof is
/// presented with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    /// A bound token needs its proof; an unbound token is a bearer token.
    ProofWhenBound,
    /// Every token must be bound and come with its proof.
    DpopOnly,
    /// A bound token is accepted without its proof (someone else checked it).
    Ignored,
}

impl fmt::Debug for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validation")
            .field("issuers", &self.issuers)
            .field("audiences", &self.audiences)
            .field("subject", &self.subject)
            .field("typ", &self.typ)
            .field("leeway", &self.leeway)
            .field("require_exp", &self.require_exp)
            .field("max_age", &self.max_age)
            .field("required", &self.required)
            .field("prohibited", &self.prohibited)
            .field("validators", &self.validators.len())
            .field("required_scopes", &self.required_scopes)
            .field(
                "rules",
                &self.rules.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("revocation", &self.revocation.is_some())
            .field("binding", &self.binding)
            .finish_non_exhaustive()
    }
}

/// The second step of building a [`Validation`]: who the token must be for.
#[derive(Debug, Clone)]
pub struct NeedsAudience {
    issuers: Issuers,
}

impl Validation {
    /// Accept tokens from this issuer only (exact comparison); `iss` becomes required.
    pub fn issuer(iss: impl Into<String>) -> NeedsAudience {
        NeedsAudience {
            issuers: Issuers::OneOf(vec![iss.into()]),
        }
    }

    /// Accept tokens from any of these issuers; `iss` becomes required.
    pub fn issuers<I: IntoIterator<Item = S>, S: Into<String>>(issuers: I) -> NeedsAudience {
        NeedsAudience {
            issuers: Issuers::OneOf(issuers.into_iter().map(Into::into).collect()),
        }
    }

    /// Accept tokens from any issuer (or none). The keys then decide alone who may issue
    /// tokens; RFC 8725 §3.8 asks that they belong to one issuer.
    pub fn any_issuer() -> NeedsAudience {
        NeedsAudience {
            issuers: Issuers::Any,
        }
    }
}

impl NeedsAudience {
    fn finish(self, audiences: Audiences) -> Validation {
        Validation {
            issuers: self.issuers,
            audiences,
            subject: None,
            typ: None,
            leeway: DEFAULT_LEEWAY,
            require_exp: true,
            max_age: None,
            required: Vec::new(),
            required_strings: Vec::new(),
            exact: Vec::new(),
            prohibited: Vec::new(),
            validators: Vec::new(),
            required_scopes: Vec::new(),
            rules: Vec::new(),
            clock: Arc::new(SystemClock),
            revocation: None,
            revocation_store: None,
            id_token: None,
            parse_options: ParseOptions::default(),
            allow_unauthenticated_jwe: false,
            binding: Binding::ProofWhenBound,
        }
    }

    /// Accept tokens for this audience only; `aud` becomes required.
    pub fn audience(self, aud: impl Into<String>) -> Validation {
        self.finish(Audiences::OneOf(vec![aud.into()]))
    }

    /// Accept tokens whose `aud` contains any of these; `aud` becomes required.
    pub fn audiences<I: IntoIterator<Item = S>, S: Into<String>>(self, auds: I) -> Validation {
        self.finish(Audiences::OneOf(auds.into_iter().map(Into::into).collect()))
    }

    /// Accept only tokens *without* an `aud` (for a service that is the only audience of
    /// its issuer). A token that carries one is refused (RFC 7519 §4.1.3).
    pub fn no_audience(self) -> Validation {
        self.finish(Audiences::None)
    }

    /// Accept tokens for any audience. Weaker: a token issued for another service is
    /// accepted here too (RFC 8725 §3.9). Meant for tools, not for resource servers.
    pub fn any_audience(self) -> Validation {
        self.finish(Audiences::Any)
    }
}

impl Validation {
    /// Requires `sub` to be exactly this.
    pub fn with_subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }

    /// Requires the header's `typ` to be this (RFC 8725 §3.11), compared case-insensitively
    /// with an optional `application/` prefix (RFC 7515 §4.1.9).
    pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// Sets the clock-skew allowance for `exp`, `nbf` and `iat` (default
    /// [`DEFAULT_LEEWAY`]; values above [`MAX_LEEWAY`] count as that).
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway.min(MAX_LEEWAY);
        self
    }

    /// Refuses tokens whose `iat` is older than `max_age`; `iat` becomes required.
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Requires a claim to be present with a value: a claim that is JSON `null` counts as
    /// absent ([`ClaimsError::Missing`]).
    pub fn with_required(mut self, claim: Claim) -> Self {
        if !self.required.contains(&claim) {
            self.required.push(claim);
        }
        self
    }

    /// Requires the claim `name` to be present with exactly this JSON value.
    pub fn with_required_value(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.exact.push((name.into(), value.into()));
        self
    }

    /// Refuses tokens that carry the claim `name`.
    pub fn with_prohibited(mut self, name: impl Into<String>) -> Self {
        self.prohibited.push(name.into());
        self
    }

    /// Adds a check of your own, run after the built-in ones; its error message becomes
    /// [`ClaimsError::Custom`].
    pub fn with_validator<F>(mut self, f: F) -> Self
    where
        F: Fn(&ClaimsView<'_>) -> std::result::Result<(), String> + Send + Sync + 'static,
    {
        self.validators.push(Arc::new(f));
        self
    }

    /// Requires every one of `scopes` to be granted by the token's `scope` claim (space
    /// separated, RFC 9068 §2.2.3) or `scp` claim (an array or a string); a token without
    /// them is refused with [`Error::Forbidden`](crate::Error::Forbidden)
    /// ([`Forbidden::InsufficientScope`](super::Forbidden::InsufficientScope)), after every
    /// validity check passed. Adds to scopes required before.
    ///
    /// ```
    /// use josecraft::jwt::{self, Claims, Forbidden, Validation};
    /// use josecraft::{Error, HmacAlgorithm, HmacKey};
    ///
    /// let key = HmacKey::generate(HmacAlgorithm::Hs256)?;
    /// let claims = Claims::new(serde_json::json!({"scope": "orders:read"}))
    ///     .with_issuer("https://auth.example")
    ///     .with_audience("api")
    ///     .valid_for(jwt::NumericDate::now(), std::time::Duration::from_secs(300))?;
    /// let token = jwt::sign(&claims, &key)?;
    ///
    /// let read = Validation::issuer("https://auth.example").audience("api");
    /// let write = read.clone().with_required_scopes(["orders:write"]);
    /// assert!(jwt::verify::<serde_json::Value>(&token, &key, &read.with_required_scopes(["orders:read"])).is_ok());
    /// assert!(matches!(
    ///     jwt::verify::<serde_json::Value>(&token, &key, &write),
    ///     Err(Error::Forbidden(Forbidden::InsufficientScope { .. }))
    /// ));
    /// # Ok::<(), josecraft::Error>(())
    /// ```
    pub fn with_required_scopes<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        scopes: I,
    ) -> Self {
        for s in scopes {
            let s = s.into();
            if !self.required_scopes.contains(&s) {
                self.required_scopes.push(s);
            }
        }
        self
    }

    /// The scopes [`with_required_scopes`](Self::with_required_scopes) requires.
    pub fn required_scopes(&self) -> &[String] {
        &self.required_scopes
    }

    /// Adds an authorization rule: `allow` sees the claims of a token that passed every
    /// validity check and says whether it may proceed; a `false` is
    /// [`Error::Forbidden`](crate::Error::Forbidden)
    /// ([`Forbidden::Denied`](super::Forbidden::Denied) naming `name`), a 403 — unlike
    /// [`with_validator`](Self::with_validator), whose refusals make the token invalid.
    /// [`ClaimsView::strings`](super::ClaimsView::strings) reads `roles`/`groups` lists.
    pub fn with_rule<F>(mut self, name: impl Into<String>, allow: F) -> Self
    where
        F: Fn(&ClaimsView<'_>) -> bool + Send + Sync + 'static,
    {
        self.rules.push((name.into(), Arc::new(allow)));
        self
    }

    /// Reads the time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Consults a shared, asynchronous `store` (Redis through `josecraft-redis`, or the
    /// in-memory [`JtiDenylist`](super::JtiDenylist)) in [`verify_async`](super::verify_async),
    /// after the signature and every claim passed: a revoked `jti` is refused
    /// ([`ClaimsError::Revoked`]) and `jti` becomes required. A store that cannot answer
    /// fails the verification with [`Error::StoreUnavailable`](crate::Error::StoreUnavailable)
    /// (answer 503). The synchronous [`verify`](super::verify) cannot wait for a store and
    /// refuses such a validation with [`Error::Unsupported`](crate::Error::Unsupported).
    pub fn with_revocation_store(mut self, store: Arc<dyn RevocationStore>) -> Self {
        self.revocation_store = Some(store);
        self.required.push(Claim::Jti);
        self
    }

    pub(crate) fn revocation_store(&self) -> Option<&Arc<dyn RevocationStore>> {
        self.revocation_store.as_ref()
    }

    /// Consults `check` after the signature and every claim passed: a revoked `jti` is
    /// refused, and `jti` becomes required.
    pub fn with_revocation(mut self, check: Arc<dyn RevocationCheck>) -> Self {
        self.revocation = Some(check);
        self
    }

    /// Replaces the limits used while reading the token.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.parse_options = self.parse_options.with_limits(limits);
        self
    }

    /// Declares a `crit` header extension the caller processes, in the JWT's own header: the
    /// JWS's, or the JWE's of an encrypted-only JWT. The outer JWE of a nested JWT is held to
    /// RFC 7516 with no extension understood.
    pub fn with_critical(mut self, name: impl Into<String>) -> Self {
        self.parse_options = self.parse_options.with_critical(name);
        self
    }

    /// Accepts tokens without `exp`. Such tokens never expire; only revocation can stop
    /// them.
    pub fn dangerous_allow_missing_exp(mut self) -> Self {
        self.require_exp = false;
        self
    }

    /// Accepts a JWT that is only encrypted (not signed inside) with ECDH-ES or RSA-OAEP.
    /// **Anyone who has the recipient's public key can make such a token**: nothing then
    /// says who the issuer is. Only for protocols that authenticate the sender otherwise.
    pub fn dangerous_allow_unauthenticated_jwe(mut self) -> Self {
        self.allow_unauthenticated_jwe = true;
        self
    }

    /// Accepts DPoP-bound tokens only (RFC 9449): a token without `cnf.jkt`, or any token
    /// presented without a proof, is refused ([`DpopError::TokenNotBound`],
    /// [`DpopError::BoundTokenAsBearer`](crate::DpopError::BoundTokenAsBearer)). Use it with
    /// [`dpop::verify_access_token`](crate::dpop::verify_access_token), which checks the
    /// proof. Without this option a token *with* `cnf.jkt` is already refused as a bearer
    /// token (§7.2), and one without it is accepted as a bearer token.
    pub fn require_dpop_binding(mut self) -> Self {
        self.binding = Binding::DpopOnly;
        self
    }

    /// Accepts a DPoP-bound token (`cnf.jkt`) presented without a proof, as a bearer token.
    /// **Whoever holds the token can then use it**: only for a component behind one that
    /// checked the proof (a gateway), or for token introspection.
    pub fn dangerous_accept_dpop_bound_as_bearer(mut self) -> Self {
        self.binding = Binding::Ignored;
        self
    }

    /// The sender constraint (RFC 9449 §6, §7): `proof_jkt` is the thumbprint of the key of
    /// a DPoP proof that was verified for this token, if one was presented.
    pub(crate) fn check_binding(
        &self,
        parsed: &ParsedClaims<'_>,
        proof_jkt: Option<&str>,
    ) -> Result<()> {
        let jkt = match parsed.get("cnf") {
            None => None,
            Some(raw) => {
                #[derive(serde::Deserialize)]
                struct Cnf {
                    jkt: Option<String>,
                }
                let cnf: Cnf = serde_json::from_str(raw.get())
                    .map_err(|_| ClaimsError::WrongType(Claim::Other("cnf".into())))?;
                cnf.jkt
            }
        };
        match (proof_jkt, jkt) {
            (Some(proof), Some(token)) if proof == token => Ok(()),
            (Some(_), Some(_)) => Err(DpopError::KeyMismatch.into()),
            (Some(_), None) => Err(DpopError::TokenNotBound.into()),
            (None, Some(_)) if self.binding == Binding::Ignored => Ok(()),
            (None, Some(_)) => Err(DpopError::BoundTokenAsBearer.into()),
            (None, None) if self.binding == Binding::DpopOnly => {
                Err(DpopError::TokenNotBound.into())
            }
            (None, None) => Ok(()),
        }
    }

    pub(crate) fn accepts_unauthenticated_jwe(&self) -> bool {
        self.allow_unauthenticated_jwe
    }

    /// RFC 9068 JWT access tokens: `typ` `at+jwt`, and `iss`, `exp`, `aud`, `sub`,
    /// `client_id`, `iat`, `jti` required.
    pub fn with_access_token_profile(self) -> Self {
        let client_id = Claim::Other("client_id".into());
        let mut v = self
            .with_typ("at+jwt")
            .with_required(Claim::Iss)
            .with_required(Claim::Exp)
            .with_required(Claim::Aud)
            .with_required(Claim::Sub)
            .with_required(client_id.clone())
            .with_required(Claim::Iat)
            .with_required(Claim::Jti);
        // RFC 9068 §2.2: client_id is a string (RFC 8693 §4.3).
        if !v.required_strings.contains(&client_id) {
            v.required_strings.push(client_id);
        }
        v
    }

    pub(crate) fn parse_options(&self) -> &ParseOptions {
        &self.parse_options
    }

    /// For the outer JWE of a nested JWT: the same limits, and no critical extension (those
    /// the caller declared are for the JWT's own header).
    pub(crate) fn outer_parse_options(&self) -> ParseOptions {
        ParseOptions::new().with_limits(self.limits().clone())
    }

    pub(crate) fn limits(&self) -> &Limits {
        self.parse_options.limits()
    }

    /// Checks the header's `typ`.
    pub(crate) fn check_header(&self, header: &JwsHeader) -> Result<()> {
        if let Some(expected) = &self.typ {
            if !header.typ().is_some_and(|t| typ_matches(t, expected)) {
                return Err(ClaimsError::Type {
                    found: header.typ().map(str::to_string),
                }
                .into());
            }
        }
        // RFC 8725 §3.12: an ID token is never another kind of JWT. Without an expected
        // typ, an ID-token validation refuses explicitly typed other tokens (`at+jwt`,
        // `logout+jwt`, ...); plain `JWT` or none is what OpenID providers send.
        if self.typ.is_none() && self.id_token.is_some() {
            if let Some(t) = header.typ() {
                if !typ_matches(t, "JWT") {
                    return Err(ClaimsError::Type {
                        found: Some(t.to_string()),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Every claim rule, in order; the revocation check is last.
    pub(crate) fn check_claims(
        &self,
        parsed: &ParsedClaims<'_>,
        alg: Option<JwsAlgorithm>,
    ) -> Result<()> {
        let c = &parsed.registered;
        let now = self.clock.now();
        let late = |d: NumericDate| d.checked_add(self.leeway).unwrap_or(d);
        let early = |d: NumericDate| d.checked_sub(self.leeway).unwrap_or(d);
        match c.exp {
            // RFC 7519 §4.1.4: the current time must be before exp.
            Some(exp) if now >= late(exp) => return Err(ClaimsError::Expired { exp, now }.into()),
            None if self.require_exp => return Err(ClaimsError::Missing(Claim::Exp).into()),
            _ => {}
        }
        if let Some(nbf) = c.nbf {
            if now < early(nbf) {
                return Err(ClaimsError::NotYetValid { nbf, now }.into());
            }
        }
        if let Some(iat) = c.iat {
            if iat > late(now) {
                return Err(ClaimsError::IssuedInFuture { iat, now }.into());
            }
        }
        if let Some(max_age) = self.max_age {
            let iat = c.iat.ok_or(ClaimsError::Missing(Claim::Iat))?;
            let oldest = now
                .checked_sub(max_age)
                .and_then(|o| o.checked_sub(self.leeway));
            if oldest.is_some_and(|o| iat < o) {
                return Err(ClaimsError::TooOld {
                    iat,
                    now,
                    max_age_seconds: i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
                }
                .into());
            }
        }
        if let Issuers::OneOf(list) = &self.issuers {
            let iss = c.iss.as_deref().ok_or(ClaimsError::Missing(Claim::Iss))?;
            if !list.iter().any(|i| i == iss) {
                return Err(ClaimsError::Issuer {
                    found: iss.to_string(),
                }
                .into());
            }
        }
        match (&self.audiences, &c.aud) {
            (Audiences::Any, _) | (Audiences::None, None) => {}
            (Audiences::None, Some(aud)) => {
                return Err(ClaimsError::Audience {
                    found: aud.iter().map(str::to_string).collect(),
                }
                .into())
            }
            (Audiences::OneOf(_), None) => return Err(ClaimsError::Missing(Claim::Aud).into()),
            (Audiences::OneOf(list), Some(aud)) => {
                if !list.iter().any(|a| aud.contains(a)) {
                    return Err(ClaimsError::Audience {
                        found: aud.iter().map(str::to_string).collect(),
                    }
                    .into());
                }
            }
        }
        if let Some(expected) = &self.subject {
            let sub = c.sub.as_deref().ok_or(ClaimsError::Missing(Claim::Sub))?;
            if sub != expected {
                return Err(ClaimsError::Subject {
                    found: sub.to_string(),
                }
                .into());
            }
        }
        for claim in &self.required {
            // JSON null is no value: a claim that is null is not present (RFC 7519 §4
            // gives every claim a value; null is the absence of one).
            match parsed.get(claim.name()) {
                None => return Err(ClaimsError::Missing(claim.clone()).into()),
                Some(v) if v.get() == "null" => {
                    return Err(ClaimsError::Missing(claim.clone()).into())
                }
                Some(v)
                    if self.required_strings.contains(claim)
                        && json::plain_str(v).is_none()
                        && serde_json::from_str::<String>(v.get()).is_err() =>
                {
                    return Err(ClaimsError::WrongType(claim.clone()).into());
                }
                Some(_) => {}
            }
        }
        for (name, value) in &self.exact {
            let claim = Claim::from_name(name);
            let raw = parsed
                .get(name)
                .ok_or_else(|| ClaimsError::Missing(claim.clone()))?;
            let found: serde_json::Value = serde_json::from_str(raw.get())
                .map_err(|_| ClaimsError::WrongType(claim.clone()))?;
            if &found != value {
                return Err(ClaimsError::Mismatch(claim).into());
            }
        }
        for name in &self.prohibited {
            if parsed.get(name).is_some() {
                return Err(ClaimsError::Prohibited(Claim::from_name(name)).into());
            }
        }
        if let Some(rules) = &self.id_token {
            rules.check(parsed, alg, now, self.leeway)?;
        }
        let view = ClaimsView::new(parsed);
        for v in &self.validators {
            v(&view).map_err(ClaimsError::Custom)?;
        }
        if let Some(check) = &self.revocation {
            let jti = c.jti.as_deref().ok_or(ClaimsError::Missing(Claim::Jti))?;
            if check.is_revoked(jti) {
                return Err(ClaimsError::Revoked {
                    jti: jti.to_string(),
                }
                .into());
            }
        }
        if self.revocation_store.is_some() {
            // Authorization waits for the store (see `authorize_payload`).
            return Ok(());
        }
        authorize(&view, &self.required_scopes, &self.rules)
    }

    /// The authorization step alone, on a payload that passed [`check_claims`](Self::check_claims).
    pub(crate) fn authorize_payload(&self, payload: &[u8]) -> Result<()> {
        // Parsed once already under the caller's depth limit.
        let parsed = ParsedClaims::parse(payload, usize::MAX)?;
        authorize(
            &ClaimsView::new(&parsed),
            &self.required_scopes,
            &self.rules,
        )
    }
}

use crate::header::media_type_matches as typ_matches;
