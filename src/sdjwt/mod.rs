//! SD-JWT (RFC 9901): JWTs whose claims the holder discloses selectively.
//!
//! The **issuer** replaces chosen claims — object members or array elements, at any depth —
//! with salted digests and hands the holder one disclosure per claim ([`Issuer`]). The
//! **holder** picks which disclosures to show and, when the issuer bound the token to the
//! holder's key (`cnf.jwk`), signs a Key Binding JWT over the presentation ([`SdJwt`]). The
//! **verifier** checks the signature, puts the disclosed claims back where their digests
//! are, validates the result like any JWT and checks the key binding ([`PresentationVerifier`]).
//!
//! ```
//! use josecraft::sdjwt::{Issuer, KeyBinding, SdJwt, PresentationVerifier};
//! use josecraft::jwt::{NumericDate, Validation};
//! use josecraft::{SignatureAlgorithm, SigningKey};
//! use serde_json::json;
//!
//! let issuer_key = SigningKey::generate(SignatureAlgorithm::Es256)?;
//! let holder_key = SigningKey::generate(SignatureAlgorithm::Es256)?;
//!
//! // Issue: five claims, each selectively disclosable.
//! let claims = json!({"iss": "https://issuer.example", "exp": 4_102_444_800_i64,
//!     "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com",
//!     "birthdate": "1815-12-10", "nationality": "GB"});
//! let issued = Issuer::new(claims.as_object().unwrap().clone())
//!     .disclosable(["/given_name", "/family_name", "/email", "/birthdate", "/nationality"])
//!     .with_holder_key(&holder_key.to_jwk())
//!     .with_typ("dc+sd-jwt")
//!     .issue(&issuer_key)?;
//!
//! // Present two of the five, bound to this verifier's nonce.
//! let presentation = SdJwt::parse(&issued)?
//!     .select(["/given_name", "/nationality"])?
//!     .with_key_binding(&holder_key, "https://verifier.example", "n-0S6_WzA2Mj", NumericDate::now())?;
//!
//! // Verify: signature, disclosures, claims, key binding.
//! let verifier = PresentationVerifier::new(
//!     Validation::issuer("https://issuer.example").no_audience().with_typ("dc+sd-jwt"),
//!     KeyBinding::required("https://verifier.example", "n-0S6_WzA2Mj"),
//! );
//! # josecraft::keysource::block_on(async {
//! let verified = verifier.verify::<serde_json::Value>(&presentation, &issuer_key.verifying_key()).await?;
//! let shown = &verified.claims().custom;
//! assert_eq!(shown["given_name"], "Ada");
//! assert_eq!(shown["nationality"], "GB");
//! assert!(shown.get("email").is_none());
//! # Ok::<(), josecraft::Error>(())
//! # })?;
//! # Ok::<(), josecraft::Error>(())
//! ```

mod disclosure;
mod process;

pub use disclosure::{Disclosure, SdAlg};

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::alg::SignatureAlgorithm;
use crate::base64url;
use crate::date::{Clock, NumericDate, SystemClock};
use crate::error::{Error, Part, Result, SdJwtError};
use crate::header::{media_type_matches, JwsHeader};
use crate::jose::{KeySource, Signer};
use crate::json;
use crate::jwk::Jwk;
use crate::jws::{self, SigningKey, UnverifiedCompact};
use crate::jwt::{self, Claims, Validation, VerifiedJwt};
use crate::limits::Limits;
use process::{escape, process, Processed};

/// The `typ` of a Key Binding JWT.
pub const KB_JWT_TYPE: &str = "kb+jwt";

/// The `typ` [`Issuer`] writes unless told another (`dc+sd-jwt` for SD-JWT VC).
pub const DEFAULT_TYPE: &str = "sd-jwt";

/// Top-level claims that are never selectively disclosable (RFC 9901 §9.7): the verifier
/// needs them whatever the holder discloses. The issuer refuses to hide them and the
/// verifier refuses a disclosure of one.
const ALWAYS_VISIBLE: &[&str] = &["iss", "aud", "exp", "nbf", "cnf", "status"];

/// The most decoys one object gets.
pub const MAX_DECOYS: usize = 64;

fn malformed(why: impl Into<String>) -> Error {
    SdJwtError::Malformed(why.into()).into()
}

/// A JSON pointer (RFC 6901) split into its reference tokens, strictly: `~` only in `~0`
/// and `~1`. (Array indexes are checked against the claims: `0` or no leading zero.)
fn pointer_tokens(pointer: &str) -> Result<Vec<String>> {
    let bad = || malformed(format!("{pointer:?} is not a JSON pointer (RFC 6901)"));
    let rest = pointer.strip_prefix('/').ok_or_else(bad)?;
    rest.split('/')
        .map(|t| {
            let mut out = String::with_capacity(t.len());
            let mut chars = t.chars();
            while let Some(c) = chars.next() {
                if c != '~' {
                    out.push(c);
                    continue;
                }
                // `~` only as `~0` or `~1`.
                match chars.next() {
                    Some('0') => out.push('~'),
                    Some('1') => out.push('/'),
                    _ => return Err(bad()),
                }
            }
            Ok(out)
        })
        .collect()
}

/// An array index as RFC 6901 writes one: `0`, or digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0"
        || (!token.is_empty()
            && !token.starts_with('0')
            && token.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| token.parse().ok()).flatten()
}

/// The first `_sd`, `...` or `_sd_alg` member anywhere in `value`.
fn reserved_member(value: &Value) -> Option<&str> {
    match value {
        Value::Object(m) => m.iter().find_map(|(k, v)| {
            if disclosure::is_reserved(k) {
                Some(k.as_str())
            } else {
                reserved_member(v)
            }
        }),
        Value::Array(items) => items.iter().find_map(reserved_member),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => None,
    }
}

// ------------------------------------------------------------------ issuer

/// Issues an SD-JWT: claims with the members and elements named by
/// [`disclosable`](Self::disclosable) replaced by digests, signed, followed by the
/// disclosures.
pub struct Issuer {
    claims: Map<String, Value>,
    disclosable: BTreeSet<String>,
    decoys: usize,
    alg: SdAlg,
    holder: Option<Jwk>,
    typ: Option<String>,
    salts: Option<SaltSource>,
}

/// Where fixed salts come from ([`Issuer::dangerous_with_salts`]).
type SaltSource = Box<dyn FnMut(&str) -> String + Send>;

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issuer")
            .field("disclosable", &self.disclosable)
            .field("decoys", &self.decoys)
            .field("alg", &self.alg)
            .field("typ", &self.typ)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// An SD-JWT of `claims` (the JWT claims set, every member visible until made
    /// disclosable).
    pub fn new(claims: Map<String, Value>) -> Self {
        Self {
            claims,
            disclosable: BTreeSet::new(),
            decoys: 0,
            alg: SdAlg::Sha256,
            holder: None,
            typ: Some(DEFAULT_TYPE.into()),
            salts: None,
        }
    }

    /// Makes the claims at these JSON pointers (RFC 6901: `/address/street_address`,
    /// `/nationalities/1`) selectively disclosable. A pointer inside a disclosable claim
    /// makes a recursive disclosure (RFC 9901 §6.3).
    pub fn disclosable<I: IntoIterator<Item = S>, S: Into<String>>(mut self, pointers: I) -> Self {
        self.disclosable
            .extend(pointers.into_iter().map(Into::into));
        self
    }

    /// Adds between `count` and `2 × count` decoy digests (a random number each time) to
    /// every object that has disclosable members, so the number of hidden claims does not
    /// show (RFC 9901 §4.2.5). At most [`MAX_DECOYS`].
    pub fn with_decoys(mut self, count: usize) -> Self {
        self.decoys = count.min(MAX_DECOYS);
        self
    }

    /// The digest hash function (default SHA-256).
    pub fn with_hash(mut self, alg: SdAlg) -> Self {
        self.alg = alg;
        self
    }

    /// Binds the SD-JWT to the holder's public key (`cnf.jwk`), so presentations need a
    /// Key Binding JWT signed with it. Only the public members are written.
    pub fn with_holder_key(mut self, key: &Jwk) -> Self {
        self.holder = Some(key.to_public().unwrap_or_else(|_| key.clone()));
        self
    }

    /// The JWT's `typ` (default [`DEFAULT_TYPE`]; `dc+sd-jwt` for SD-JWT VC,
    /// `example+sd-jwt` in the RFC). A [`PresentationVerifier`] accepts `sd-jwt` and `…+sd-jwt` types
    /// unless told otherwise.
    pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// Takes the salt of the claim at each JSON pointer (and of an object's decoys, at the
    /// object's pointer followed by `#decoy-N`) from `salts` instead of 128 random bits: for
    /// reproducing fixed vectors only (a guessable salt lets anyone confirm a guessed claim
    /// value).
    pub fn dangerous_with_salts(
        mut self,
        salts: impl FnMut(&str) -> String + Send + 'static,
    ) -> Self {
        self.salts = Some(Box::new(salts));
        self
    }

    /// Signs the SD-JWT: `<JWT>~<Disclosure 1>~…~<Disclosure N>~`.
    ///
    /// # Errors
    /// [`SdJwtError::Malformed`] for a pointer that is not canonical RFC 6901 or names no
    /// claim or a claim that must stay visible (`iss`, `aud`, `exp`, `nbf`, `cnf`,
    /// `status`), a holder key that is not public, or a `cnf` both in the claims and given
    /// with [`with_holder_key`](Self::with_holder_key); [`SdJwtError::ReservedName`] for
    /// `_sd`, `...` or `_sd_alg` anywhere in the claims; the errors of
    /// [`jws::sign_compact`].
    pub fn issue(self, signer: &dyn Signer) -> Result<String> {
        self.issue_with_disclosures(signer).map(|(token, _)| token)
    }

    /// As [`issue`](Self::issue), also returning the disclosures made.
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn issue_with_disclosures(
        mut self,
        signer: &dyn Signer,
    ) -> Result<(String, Vec<Disclosure>)> {
        // Claims that would be read as digests were never the issuer's to write.
        if let Some(name) = reserved_member(&Value::Object(self.claims.clone())) {
            return Err(SdJwtError::ReservedName(name.to_string()).into());
        }
        if self.holder.is_some() && self.claims.contains_key("cnf") {
            return Err(malformed(
                "the claims already have a cnf: give the holder key there or with with_holder_key, not both",
            ));
        }
        for pointer in &self.disclosable {
            let tokens = pointer_tokens(pointer)?;
            if let Some(name) = tokens.iter().find(|t| disclosure::is_reserved(t)) {
                return Err(SdJwtError::ReservedName(name.clone()).into());
            }
            if let [only] = tokens.as_slice() {
                if ALWAYS_VISIBLE.contains(&only.as_str()) {
                    return Err(malformed(format!(
                        "{pointer}: {only} stays visible (the verifier needs it before anything is disclosed)"
                    )));
                }
            }
            if resolve(&self.claims, &tokens).is_none() {
                return Err(malformed(format!("{pointer}: no such claim")));
            }
        }
        let mut claims = std::mem::take(&mut self.claims);
        let mut made = Vec::new();
        let mut salt = |pointer: &str| -> Result<String> {
            match &mut self.salts {
                Some(next) => Ok(next(pointer)),
                None => Ok(base64url::encode(crate::crypto::rand::bytes(16)?)),
            }
        };
        let ctx = Conceal {
            disclosable: &self.disclosable,
            decoys: self.decoys,
            alg: self.alg,
        };
        ctx.object(&mut claims, "", &mut salt, &mut made)?;
        // Every pointer named a claim (checked above) and must have made its disclosure: a
        // pointer the walk did not meet would leave the claim in clear.
        if made.len() != self.disclosable.len() {
            return Err(malformed(
                "a pointer is not in canonical RFC 6901 form (e.g. an index with a leading zero)",
            ));
        }
        claims.insert("_sd_alg".into(), self.alg.name().into());
        if let Some(holder) = &self.holder {
            if holder.is_private() {
                return Err(malformed("the holder key in cnf must be public"));
            }
            let jwk: Value =
                serde_json::from_str(&holder.to_json()).map_err(|e| malformed(e.to_string()))?;
            claims.insert("cnf".into(), serde_json::json!({ "jwk": jwk }));
        }
        let mut header = JwsHeader::new();
        if let Some(typ) = &self.typ {
            header = header.with_typ(typ.clone());
        }
        let payload = serde_json::to_vec(&claims)
            .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
        let jwt = jws::sign_compact(&header, &payload, signer)?;
        let mut out = jwt;
        out.push('~');
        for d in &made {
            out.push_str(d.encoded());
            out.push('~');
        }
        Ok((out, made))
    }
}

/// The value at `tokens` in `claims`.
fn resolve<'a>(claims: &'a Map<String, Value>, tokens: &[String]) -> Option<&'a Value> {
    let (first, rest) = tokens.split_first()?;
    let mut v = claims.get(first)?;
    for t in rest {
        v = match v {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(array_index(t)?)?,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => return None,
        };
    }
    Some(v)
}

struct Conceal<'a> {
    disclosable: &'a BTreeSet<String>,
    decoys: usize,
    alg: SdAlg,
}

type Salts<'s> = dyn FnMut(&str) -> Result<String> + 's;

impl Conceal<'_> {
    /// Innermost first, so a disclosed value carries its own nested digests.
    fn value(
        &self,
        v: &mut Value,
        pointer: &str,
        salt: &mut Salts<'_>,
        made: &mut Vec<Disclosure>,
    ) -> Result<()> {
        match v {
            Value::Object(m) => self.object(m, pointer, salt, made),
            Value::Array(a) => self.array(a, pointer, salt, made),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Ok(()),
        }
    }

    fn object(
        &self,
        map: &mut Map<String, Value>,
        pointer: &str,
        salt: &mut Salts<'_>,
        made: &mut Vec<Disclosure>,
    ) -> Result<()> {
        let names: Vec<String> = map.keys().cloned().collect();
        let mut digests = Vec::new();
        for name in names {
            let child = format!("{pointer}/{}", escape(&name));
            if let Some(v) = map.get_mut(&name) {
                self.value(v, &child, salt, made)?;
            }
            if self.disclosable.contains(&child) {
                let v = map.remove(&name).unwrap_or(Value::Null);
                let d = Disclosure::member(&salt(&child)?, &name, v)?;
                digests.push(d.digest(self.alg));
                made.push(d);
            }
        }
        if !digests.is_empty() {
            // Between `decoys` and twice as many, so the count says nothing either.
            let extra = match self.decoys {
                0 => 0,
                n => {
                    let byte = crate::crypto::rand::bytes(1)?.first().copied().unwrap_or(0);
                    usize::from(byte) % (n + 1)
                }
            };
            for i in 0..self.decoys + extra {
                // A digest of a random salt: indistinguishable from a real one.
                let seed = salt(&format!("{pointer}#decoy-{i}"))?;
                digests.push(self.alg.digest(seed.as_bytes()));
            }
            // Sorted, so the order says nothing about the claims (RFC 9901 §4.2.4.1).
            digests.sort();
            map.insert(
                "_sd".into(),
                Value::Array(digests.into_iter().map(Value::String).collect()),
            );
        }
        Ok(())
    }

    fn array(
        &self,
        items: &mut [Value],
        pointer: &str,
        salt: &mut Salts<'_>,
        made: &mut Vec<Disclosure>,
    ) -> Result<()> {
        for (i, item) in items.iter_mut().enumerate() {
            let child = format!("{pointer}/{i}");
            self.value(item, &child, salt, made)?;
            if self.disclosable.contains(&child) {
                let d = Disclosure::element(&salt(&child)?, std::mem::take(item));
                *item = serde_json::json!({ "...": d.digest(self.alg) });
                made.push(d);
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ holder

/// An SD-JWT as it travels: the issuer-signed JWT, disclosures, and a Key Binding JWT in a
/// presentation. Parsing checks the form only; [`PresentationVerifier`] checks everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdJwt {
    jwt: String,
    disclosures: Vec<Disclosure>,
    key_binding: Option<String>,
}

impl fmt::Display for SdJwt {
    /// The SD-JWT without its Key Binding JWT: `<JWT>~<D1>~…~` (what `sd_hash` is over).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.jwt)?;
        f.write_str("~")?;
        for d in &self.disclosures {
            f.write_str(d.encoded())?;
            f.write_str("~")?;
        }
        Ok(())
    }
}

impl SdJwt {
    /// Splits `<JWT>~<Disclosure>~…~[<KB-JWT>]` with the default [`Limits`].
    ///
    /// # Errors
    /// [`SdJwtError::Malformed`] for another form or a malformed disclosure;
    /// [`Error::LimitExceeded`] over the length or disclosure-count limit.
    pub fn parse(sd_jwt: &str) -> Result<Self> {
        Self::parse_with(sd_jwt, &Limits::default())
    }

    /// As [`parse`](Self::parse), with `limits`.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with(sd_jwt: &str, limits: &Limits) -> Result<Self> {
        limits.check_token_len(sd_jwt.len())?;
        let mut parts: Vec<&str> = sd_jwt.split('~').collect();
        if parts.len() < 2 {
            return Err(malformed("an SD-JWT has a ~ after the issuer-signed JWT"));
        }
        if parts.len() - 2 > limits.max_disclosures() {
            return Err(Error::limit(
                crate::error::Limit::Disclosures,
                limits.max_disclosures(),
            ));
        }
        let last = parts.pop().unwrap_or_default();
        // What follows the last `~` is a Key Binding JWT or nothing: a disclosure there (a
        // missing final `~`) is an error, not a disclosure silently dropped.
        if !last.is_empty() && last.split('.').count() != 3 {
            return Err(malformed(
                "the SD-JWT does not end in ~ or a Key Binding JWT (is the last ~ missing?)",
            ));
        }
        let key_binding = (!last.is_empty()).then(|| last.to_string());
        let jwt = parts.remove(0).to_string();
        if jwt.split('.').count() != 3 {
            return Err(malformed("the issuer-signed JWT is not a compact JWS"));
        }
        let disclosures = parts
            .iter()
            .map(|d| {
                if d.is_empty() {
                    Err(malformed("an empty disclosure (~~)"))
                } else {
                    Disclosure::parse_with(d, limits)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            jwt,
            disclosures,
            key_binding,
        })
    }

    /// The issuer-signed JWT.
    pub fn issuer_jwt(&self) -> &str {
        &self.jwt
    }

    /// The disclosures, in order.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
    }

    /// The Key Binding JWT, in a presentation that has one.
    pub fn key_binding_jwt(&self) -> Option<&str> {
        self.key_binding.as_deref()
    }

    /// Where each disclosure goes, as a JSON pointer into the claims with every disclosure
    /// in place, in the order of [`disclosures`](Self::disclosures). The issuer's
    /// signature is **not** checked (the holder reads its own credential); the processing
    /// rules are. To check a credential on receipt, verify it with a [`PresentationVerifier`] and
    /// [`KeyBinding::NotRequired`].
    ///
    /// # Errors
    /// The processing errors of [`PresentationVerifier::verify`].
    pub fn disclosable_claims(&self) -> Result<Vec<(String, &Disclosure)>> {
        let (_, processed) = self.process_unverified(&Limits::default())?;
        Ok(processed
            .pointers
            .into_iter()
            .zip(&self.disclosures)
            .collect())
    }

    fn process_unverified(&self, limits: &Limits) -> Result<(SdAlg, Processed)> {
        let payload = unverified_payload(&self.jwt)?;
        process(
            payload_object(&payload, limits)?,
            &self.disclosures,
            limits.json_depth(),
        )
    }

    /// A presentation with only the disclosures for the claims at `pointers` (from
    /// [`disclosable_claims`](Self::disclosable_claims)) and those their disclosure is
    /// nested in; no Key Binding JWT.
    ///
    /// # Errors
    /// [`SdJwtError::Malformed`] for a pointer that is not a disclosable claim; the
    /// errors of [`disclosable_claims`](Self::disclosable_claims).
    pub fn select<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, pointers: I) -> Result<Self> {
        let listed = self.disclosable_claims()?;
        let mut keep = vec![false; self.disclosures.len()];
        for wanted in pointers {
            let wanted = wanted.as_ref();
            if !listed.iter().any(|(p, _)| p == wanted) {
                return Err(malformed(format!("{wanted}: not a disclosable claim")));
            }
            // The claim's own disclosure and every disclosure it sits inside.
            for (i, (p, _)) in listed.iter().enumerate() {
                if p == wanted || wanted.starts_with(&format!("{p}/")) {
                    keep[i] = true;
                }
            }
        }
        Ok(Self {
            jwt: self.jwt.clone(),
            disclosures: self
                .disclosures
                .iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(d, _)| d.clone())
                .collect(),
            key_binding: None,
        })
    }

    /// The presentation with a Key Binding JWT (RFC 9901 §4.3) signed by `holder` for the
    /// verifier `audience`, its `nonce`, at `iat`: `<JWT>~<D1>~…~<KB-JWT>`.
    ///
    /// # Errors
    /// [`SdJwtError::UnsupportedHashAlgorithm`] when the issuer used an unknown
    /// `_sd_alg`; the errors of [`jws::sign_compact`].
    pub fn with_key_binding(
        &self,
        holder: &SigningKey,
        audience: &str,
        nonce: &str,
        iat: NumericDate,
    ) -> Result<String> {
        let payload = unverified_payload(&self.jwt)?;
        let alg = sd_alg_of(&payload_object(&payload, &Limits::default())?)?;
        let presented = self.to_string();
        let claims = serde_json::json!({
            "iat": iat.unix(),
            "aud": audience,
            "nonce": nonce,
            "sd_hash": alg.digest(presented.as_bytes()),
        });
        let kb = jws::sign_compact(
            &JwsHeader::new().with_typ(KB_JWT_TYPE),
            claims.to_string().as_bytes(),
            &WithoutKeyId(holder),
        )?;
        Ok(presented + &kb)
    }
}

/// The holder's `kid` stays out of the Key Binding JWT: `cnf.jwk` names the key.
struct WithoutKeyId<'k>(&'k SigningKey);

impl Signer for WithoutKeyId<'_> {
    fn algorithm(&self) -> crate::alg::JwsAlgorithm {
        self.0.algorithm()
    }
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        Signer::sign(self.0, signing_input)
    }
}

/// The payload of the issuer-signed JWT, for the holder, who reads its own credential
/// (the verifier verifies the signature first).
fn unverified_payload(jwt: &str) -> Result<Vec<u8>> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| malformed("the issuer-signed JWT is not a compact JWS"))?;
    base64url::decode(part).map_err(|_| Error::malformed(Part::Payload, "not base64url"))
}

fn payload_object(payload: &[u8], limits: &Limits) -> Result<Map<String, Value>> {
    json::check_depth(payload, limits.json_depth())?;
    let json::StrictValue(v) = serde_json::from_slice(payload)
        .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
    match v {
        Value::Object(m) => Ok(m),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => {
            Err(Error::malformed(
                Part::Claims,
                "the claims set is not a JSON object",
            ))
        }
    }
}

/// `sd-jwt`, or a media type ending in `+sd-jwt` (with or without `application/`).
fn is_sd_jwt_type(typ: &str) -> bool {
    let t = typ.to_ascii_lowercase();
    let t = t.strip_prefix("application/").unwrap_or(&t);
    t == "sd-jwt" || t.ends_with("+sd-jwt")
}

fn sd_alg_of(claims: &Map<String, Value>) -> Result<SdAlg> {
    match claims.get("_sd_alg") {
        None => Ok(SdAlg::Sha256),
        Some(Value::String(n)) => SdAlg::from_name(n)
            .ok_or_else(|| SdJwtError::UnsupportedHashAlgorithm(n.clone()).into()),
        Some(_) => Err(malformed("_sd_alg is not a string")),
    }
}

// ------------------------------------------------------------------ verifier

/// Whether presentations must prove possession of the holder key (RFC 9901 §7.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyBinding {
    /// A Key Binding JWT signed with `cnf.jwk`, for this verifier's `aud` and `nonce`.
    Required {
        /// The verifier's identifier, expected in `aud`.
        audience: String,
        /// The nonce the verifier gave the holder.
        nonce: String,
    },
    /// Presentations without key binding are accepted, and a Key Binding JWT, if any, is
    /// ignored: **whoever holds the SD-JWT can present it**.
    NotRequired,
}

impl KeyBinding {
    /// [`KeyBinding::Required`] for `audience` and `nonce`.
    pub fn required(audience: impl Into<String>, nonce: impl Into<String>) -> Self {
        Self::Required {
            audience: audience.into(),
            nonce: nonce.into(),
        }
    }
}

/// Verifies SD-JWT presentations (RFC 9901 §7): the issuer's signature with a
/// [`KeySource`], the disclosures, the claims with a [`Validation`], the key binding.
#[derive(Clone)]
pub struct PresentationVerifier {
    validation: Validation,
    key_binding: KeyBinding,
    hashes: Vec<SdAlg>,
    kb_algorithms: Vec<SignatureAlgorithm>,
    kb_max_age: Duration,
    kb_leeway: Duration,
    clock: Arc<dyn Clock>,
    untyped: bool,
}

impl fmt::Debug for PresentationVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresentationVerifier")
            .field("validation", &self.validation)
            .field("key_binding", &self.key_binding)
            .field("hashes", &self.hashes)
            .field("kb_algorithms", &self.kb_algorithms)
            .finish_non_exhaustive()
    }
}

/// A presentation that passed every check: the claims with the disclosed ones in place.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedSdJwt<T = Map<String, Value>> {
    token: VerifiedJwt<T>,
    disclosed: Vec<(String, Disclosure)>,
    key_bound: bool,
}

impl<T> VerifiedSdJwt<T> {
    /// The processed claims (no `_sd`, `_sd_alg` or `...` left).
    pub fn claims(&self) -> &Claims<T> {
        self.token.claims()
    }
    /// The issuer-signed JWT's header.
    pub fn header(&self) -> &JwsHeader {
        self.token.header()
    }
    /// The processed claims as JSON bytes.
    pub fn payload(&self) -> &[u8] {
        self.token.payload()
    }
    /// The disclosed claims: where each went (a JSON pointer) and its disclosure.
    pub fn disclosed(&self) -> &[(String, Disclosure)] {
        &self.disclosed
    }
    /// Whether a Key Binding JWT was verified.
    pub fn key_bound(&self) -> bool {
        self.key_bound
    }
    /// Takes the claims.
    pub fn into_claims(self) -> Claims<T> {
        self.token.into_claims()
    }
}

impl PresentationVerifier {
    /// A verifier validating the processed claims with `validation` and key binding as
    /// `key_binding` says. Defaults: the issuer-signed JWT's `typ` is `sd-jwt` or ends in
    /// `+sd-jwt` (explicit typing, RFC 9901 §10.11; `validation` may name one exactly);
    /// every `_sd_alg` of [`SdAlg::ALL`]; Key Binding JWTs signed with an ES, PS, RS or
    /// EdDSA algorithm, at most 5 minutes old, 60 s of leeway.
    pub fn new(validation: Validation, key_binding: KeyBinding) -> Self {
        Self {
            validation,
            key_binding,
            hashes: SdAlg::ALL.to_vec(),
            kb_algorithms: SignatureAlgorithm::ALL.to_vec(),
            kb_max_age: Duration::from_secs(300),
            kb_leeway: jwt::DEFAULT_LEEWAY,
            clock: Arc::new(SystemClock),
            untyped: false,
        }
    }

    /// Accepts issuer-signed JWTs of any `typ`, or none. **Any JWT the issuer's key signed
    /// (an ID token, an access token) then passes as an SD-JWT with all its claims**
    /// (RFC 9901 §10.11): only for issuers that do not type their SD-JWTs.
    pub fn dangerous_accept_untyped(mut self) -> Self {
        self.untyped = true;
        self
    }

    /// Accepts only these `_sd_alg` hash functions.
    pub fn with_hashes(mut self, hashes: impl IntoIterator<Item = SdAlg>) -> Self {
        self.hashes = hashes.into_iter().collect();
        self
    }

    /// Accepts Key Binding JWTs signed with these algorithms only.
    pub fn with_key_binding_algorithms(
        mut self,
        algorithms: impl IntoIterator<Item = SignatureAlgorithm>,
    ) -> Self {
        self.kb_algorithms = algorithms.into_iter().collect();
        self
    }

    /// How old a Key Binding JWT's `iat` may be (default 5 minutes), and the clock skew
    /// allowed (at most [`jwt::MAX_LEEWAY`]).
    pub fn with_key_binding_window(mut self, max_age: Duration, leeway: Duration) -> Self {
        self.kb_max_age = max_age;
        self.kb_leeway = leeway.min(jwt::MAX_LEEWAY);
        self
    }

    /// Reads the time for the Key Binding JWT from `clock` (set the validation's clock
    /// for the claims).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Verifies a presentation (RFC 9901 §7.1–§7.3) with the issuer's keys `keys`.
    ///
    /// # Errors
    /// [`Error::SdJwt`] for a disclosure or key-binding rule; the errors of
    /// [`jwt::verify_async`] for the issuer-signed JWT and the processed claims.
    pub async fn verify<T: DeserializeOwned>(
        &self,
        presentation: &str,
        keys: &dyn KeySource,
    ) -> Result<VerifiedSdJwt<T>> {
        let limits = self.validation.limits().clone();
        let sd = SdJwt::parse_with(presentation, &limits)?;
        // The issuer's signature, before anything of the payload is used.
        let unverified = UnverifiedCompact::parse_with(&sd.jwt, self.validation.parse_options())?;
        let found = keys.keys_for(unverified.untrusted_header()).await?;
        let (header, payload) = unverified.verify(&found)?.into_parts();
        if !self.untyped && !header.typ().is_some_and(is_sd_jwt_type) {
            return Err(crate::error::ClaimsError::Type {
                found: header.typ().map(str::to_string),
            }
            .into());
        }
        let (alg, processed) = process(
            payload_object(&payload, &limits)?,
            &sd.disclosures,
            limits.json_depth(),
        )?;
        if !self.hashes.contains(&alg) {
            return Err(SdJwtError::UnsupportedHashAlgorithm(alg.name().into()).into());
        }
        let holder = match processed.claims.get("cnf") {
            Some(Value::Object(cnf)) => cnf.get("jwk").cloned(),
            _ => None,
        };
        // A claim the verifier relies on never comes from the holder's choice (RFC 9901
        // §9.7): a disclosed `nbf` could be left out, a disclosed `cnf` swapped for none.
        if let Some(name) = processed
            .pointers
            .iter()
            .filter_map(|p| p.strip_prefix('/'))
            .find(|p| ALWAYS_VISIBLE.contains(p))
        {
            return Err(SdJwtError::VisibleClaimDisclosed(name.to_string()).into());
        }
        // The key binding before the claims: a presentation by someone without the holder
        // key costs no revocation lookup.
        let key_bound = match &self.key_binding {
            KeyBinding::NotRequired => false,
            KeyBinding::Required { audience, nonce } => {
                let kb = sd
                    .key_binding
                    .as_deref()
                    .ok_or(SdJwtError::MissingKeyBinding)?;
                let holder = holder.ok_or(SdJwtError::NoHolderKey)?;
                self.check_key_binding(kb, &holder, &sd.to_string(), alg, audience, nonce)?;
                true
            }
        };
        let claims_json = serde_json::to_vec(&processed.claims)
            .map_err(|e| Error::malformed(Part::Claims, e.to_string()))?;
        let token = jwt::validate_payload::<T>(header, claims_json, &self.validation).await?;
        let disclosed = processed.pointers.into_iter().zip(sd.disclosures).collect();
        Ok(VerifiedSdJwt {
            token,
            disclosed,
            key_bound,
        })
    }

    fn check_key_binding(
        &self,
        kb: &str,
        holder: &Value,
        presented: &str,
        alg: SdAlg,
        audience: &str,
        nonce: &str,
    ) -> Result<()> {
        let refuse = |why: &str| -> Error { SdJwtError::KeyBinding(why.to_string()).into() };
        let unverified = UnverifiedCompact::parse_with(kb, self.validation.parse_options())
            .map_err(|e| refuse(&e.to_string()))?;
        let header = unverified.untrusted_header().untrusted();
        if !header
            .typ()
            .is_some_and(|t| media_type_matches(t, KB_JWT_TYPE))
        {
            return Err(refuse("typ is not kb+jwt"));
        }
        if !header.is_payload_encoded() {
            return Err(refuse("a key binding JWT cannot use \"b64\": false"));
        }
        let sig_alg = header
            .alg()
            .and_then(|a| a.parse::<SignatureAlgorithm>().ok())
            .filter(|a| self.kb_algorithms.contains(a))
            .ok_or_else(|| refuse("alg is not an accepted asymmetric algorithm"))?;
        let jwk = Jwk::from_json(holder.to_string().as_bytes())
            .map_err(|e| refuse(&format!("cnf.jwk: {e}")))?;
        if jwk.is_private() {
            return Err(refuse("cnf.jwk is a private key"));
        }
        let key = jwk
            .to_verifying_key(Some(sig_alg))
            .map_err(|e| refuse(&format!("cnf.jwk: {e}")))?;
        let verified = unverified.verify(&key).map_err(|e| {
            if e == Error::InvalidSignature {
                refuse("the signature does not verify with cnf.jwk")
            } else {
                refuse(&e.to_string())
            }
        })?;
        let claims = payload_object(verified.payload(), self.validation.limits())
            .map_err(|e| refuse(&e.to_string()))?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("aud") != Some(audience) {
            return Err(refuse("aud is not this verifier"));
        }
        if text("nonce") != Some(nonce) {
            return Err(refuse("nonce is not this verifier's"));
        }
        let iat = claims
            .get("iat")
            .and_then(Value::as_i64)
            .ok_or_else(|| refuse("iat is missing or not an integer"))?;
        let now = self.clock.now().unix();
        let leeway = i64::try_from(self.kb_leeway.as_secs()).unwrap_or(i64::MAX);
        let max_age = i64::try_from(self.kb_max_age.as_secs()).unwrap_or(i64::MAX);
        if iat > now.saturating_add(leeway) {
            return Err(refuse("iat is in the future"));
        }
        if iat < now.saturating_sub(max_age).saturating_sub(leeway) {
            return Err(refuse("iat is too old"));
        }
        let sd_hash = text("sd_hash").ok_or_else(|| refuse("sd_hash is missing"))?;
        if sd_hash != alg.digest(presented.as_bytes()) {
            return Err(SdJwtError::SdHashMismatch.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
