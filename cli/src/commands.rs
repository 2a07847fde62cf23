//! One function per command: read inputs, call the library, return what goes to stdout.

use std::path::Path;

use josecraft::dangerous::{self, InspectedPayload};
use josecraft::jwe::{self, EncryptedCompact, EncryptedJson, JweJsonBuilder};
use josecraft::jwk::{Jwk, KeySpec, ThumbprintHash};
use josecraft::jws::{self, JsonJwsBuilder, UnverifiedCompact, UnverifiedJson};
use josecraft::jwt::{self, NumericDate, Validation};
use josecraft::ParseOptions;
use josecraft::{base64url, Claim, JweHeader, JwsHeader, Limits};
use serde_json::{Map, Value};

use crate::args::{
    DecodeArgs, DecryptArgs, DpopProofArgs, DpopVerifyArgs, EncryptArgs, JwtSignArgs,
    JwtVerifyArgs, KeygenArgs, SdJwtIssueArgs, SdJwtPresentArgs, SdJwtVerifyArgs, SignArgs,
    VerifyArgs,
};
use crate::failure::{key_error, rejected, usage, CliResult};
use crate::input::Inputs;
use crate::keys::{self, KeyFile};
use crate::Output;

type Stdout = CliResult<Vec<u8>>;

// ---------------------------------------------------------------- keys

pub fn keygen(a: &KeygenArgs, out: &Output) -> Stdout {
    let alg = a.alg.as_str();
    if alg == "none" {
        return Err(usage("alg none has no key"));
    }
    if alg == "RSA1_5" {
        keys::key_management(alg)?;
    }
    // What the algorithm needs comes from the library's algorithm table, never from its name.
    let rsa = matches!(
        KeySpec::for_algorithm(alg, a.enc.as_deref()),
        Ok(KeySpec::Rsa { .. })
    );
    let ecdh = josecraft::KeyManagementAlgorithm::from_name(alg)
        .is_some_and(|a| josecraft::EcdhAlgorithm::try_from(a).is_ok());
    if a.bits.is_some() && !rsa {
        return Err(usage(format!("--bits is for RSA algorithms, not {alg}")));
    }
    if a.crv.is_some() && !ecdh {
        return Err(usage(format!("--crv is for ECDH-ES algorithms, not {alg}")));
    }
    if a.enc.is_some() && alg != "dir" {
        return Err(usage(format!("--enc is for dir keys, not {alg}")));
    }
    if alg == "dir" {
        match &a.enc {
            None => return Err(usage("a dir key needs --enc (its content encryption)")),
            Some(enc) => {
                keys::content_encryption(enc)?;
            }
        }
    }
    let mut spec = KeySpec::for_algorithm(alg, a.enc.as_deref()).map_err(key_error("ALG"))?;
    if let Some(bits) = a.bits {
        spec = KeySpec::Rsa { bits };
    }
    if let Some(crv) = &a.crv {
        spec = match crv.as_str() {
            "P-256" => KeySpec::P256,
            "P-384" => KeySpec::P384,
            "P-521" => KeySpec::P521,
            "X25519" => KeySpec::X25519,
            other => {
                return Err(usage(format!(
                    "--crv {other}: ECDH-ES keys are P-256, P-384, P-521 or X25519"
                )))
            }
        };
    }
    let alg_member = match (alg, &a.enc) {
        ("dir", Some(enc)) => enc.as_str(),
        _ => alg,
    };
    let jwk = Jwk::generate(spec)
        .map_err(key_error("keygen"))?
        .with_alg(alg_member);
    let jwk = match &a.kid {
        Some(kid) => jwk.with_kid(kid.clone()),
        None => jwk.with_thumbprint_kid(),
    };
    Ok(out.json(&jwk.to_json()))
}

pub fn jwk_public(inputs: &Inputs, file: Option<&Path>, out: &Output) -> Stdout {
    let bytes = inputs.read(file, "key file")?;
    match KeyFile::parse(&bytes, "FILE")? {
        KeyFile::One(jwk) => {
            let public = jwk.to_public().map_err(key_error("FILE"))?;
            Ok(out.json(&public.to_json()))
        }
        KeyFile::Set(set) => Ok(out.json(&set.to_public().to_json())),
    }
}

pub fn jwk_thumbprint(
    inputs: &Inputs,
    hash: &str,
    kid: Option<&str>,
    file: Option<&Path>,
) -> Stdout {
    let hash = match hash {
        "sha384" => ThumbprintHash::Sha384,
        "sha512" => ThumbprintHash::Sha512,
        _ => ThumbprintHash::Sha256,
    };
    let bytes = inputs.read(file, "key file")?;
    let keys = KeyFile::parse(&bytes, "FILE")?;
    if let KeyFile::One(jwk) = &keys {
        if kid.is_some_and(|kid| jwk.kid() != Some(kid)) {
            return Err(usage("--kid does not match the key's kid"));
        }
    }
    let jwk = keys.pick(kid, |_| true, "be chosen", "")?;
    Ok(Output::line(&jwk.thumbprint_b64(hash)))
}

pub fn jwk_from_pem(
    inputs: &Inputs,
    alg: Option<&str>,
    kid: Option<&str>,
    file: Option<&Path>,
    out: &Output,
) -> Stdout {
    let bytes = inputs.read(file, "PEM file")?;
    let jwk = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => Jwk::from_pem(text),
        _ => Jwk::from_der(&bytes),
    }
    .map_err(key_error("FILE"))?;
    let jwk = match alg {
        Some(alg) => {
            match jwk.fits_algorithm(alg) {
                Some(true) => {}
                Some(false) => {
                    return Err(usage(format!(
                        "--alg {alg} does not fit a {} key",
                        jwk.crv().unwrap_or(jwk.kty())
                    )))
                }
                None => return Err(usage(format!("--alg {alg}: unknown algorithm"))),
            }
            jwk.with_alg(alg)
        }
        None => jwk,
    };
    let jwk = match kid {
        Some(kid) => jwk.with_kid(kid),
        None => jwk,
    };
    Ok(out.json(&jwk.to_json()))
}

// ---------------------------------------------------------------- JWS

/// A header from an inline JSON object, with the members the flags set refused.
fn header_json(
    json: Option<&str>,
    what: &str,
    flags: &[(&str, bool)],
) -> CliResult<Option<JwsHeader>> {
    let Some(json) = json else {
        return Ok(None);
    };
    let header = JwsHeader::from_json(json.as_bytes(), &Limits::default())
        .map_err(|e| usage(format!("{what}: {e}")))?;
    for (member, flag_set) in flags {
        if *flag_set && header.contains(member) {
            return Err(usage(format!(
                "{what} sets \"{member}\", which a flag also sets"
            )));
        }
    }
    Ok(Some(header))
}

pub fn sign(inputs: &Inputs, a: &SignArgs, out: &Output) -> Stdout {
    if a.unprotected.is_some() && !a.json {
        return Err(usage(
            "--unprotected needs --json (compact JWS has no unprotected header)",
        ));
    }
    let flags = [
        ("alg", a.alg.is_some()),
        ("kid", a.kid.is_some()),
        ("typ", a.typ.is_some()),
        ("cty", a.cty.is_some()),
        ("b64", a.unencoded),
        ("crit", a.unencoded),
    ];
    let protected = header_json(a.header.as_deref(), "--header", &flags)?;
    let unprotected = header_json(a.unprotected.as_deref(), "--unprotected", &flags)?;
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let signer = keys::signer(&keys, a.alg.as_deref(), a.kid.as_deref())?;
    let payload = inputs.read(a.file.as_deref(), "payload")?;

    let mut header = protected.unwrap_or_default();
    if let Some(kid) = &a.kid {
        header = header.with_kid(kid.clone());
    }
    if let Some(typ) = &a.typ {
        header = header.with_typ(typ.clone());
    }
    if let Some(cty) = &a.cty {
        header = header.with_cty(cty.clone());
    }
    if a.unencoded {
        header = header.with_b64(false).with_crit(["b64"]);
    }
    let signing = key_error("cannot sign");
    if a.json {
        let mut builder = JsonJwsBuilder::new(&payload);
        if a.detached {
            builder = builder.with_detached_payload();
        }
        let json = builder
            .sign(&*signer, &header, unprotected.as_ref())
            .and_then(|b| b.flattened())
            .map_err(signing)?;
        Ok(out.json(&json))
    } else {
        let token = if a.detached {
            jws::sign_compact_detached(&header, &payload, &*signer)
        } else {
            jws::sign_compact(&header, &payload, &*signer)
        }
        .map_err(signing)?;
        Ok(Output::line(&token))
    }
}

fn is_json(token: &str) -> bool {
    token.starts_with('{')
}

pub fn verify(inputs: &Inputs, a: &VerifyArgs) -> Stdout {
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let source = keys::verifiers(&keys, a.alg.as_deref())?;
    let (file, literal) = (a.token.file.as_ref(), a.token.literal.as_deref());
    if a.payload.is_some()
        && Inputs::is_stdin(a.payload.as_deref())
        && Inputs::token_from_stdin(file, literal)
    {
        return Err(usage(
            "the token and the --payload cannot both come from standard input",
        ));
    }
    let token = inputs.token(file, literal)?;
    let detached = match &a.payload {
        Some(path) => Some(inputs.read(Some(path), "payload")?),
        None => None,
    };
    let options = ParseOptions::default();
    let verified = if is_json(&token) {
        let carries_payload =
            dangerous::inspect(&token).map_err(rejected)?.payload() != &InspectedPayload::Detached;
        match (&detached, carries_payload) {
            (Some(_), true) => {
                return Err(usage("--payload given, but the token carries a payload"))
            }
            (None, false) => {
                return Err(usage(
                    "the token's payload is detached: give it with --payload",
                ))
            }
            _ => {}
        }
        match &detached {
            Some(p) => UnverifiedJson::parse_detached_with(&token, p, &options),
            None => UnverifiedJson::parse_with(&token, &options),
        }
        .and_then(|u| u.verify(&*source))
    } else {
        let payload_part = token.split('.').nth(1).unwrap_or("");
        if detached.is_some() && !payload_part.is_empty() {
            return Err(usage("--payload given, but the token carries a payload"));
        }
        match &detached {
            Some(p) => UnverifiedCompact::parse_detached_with(&token, p, &options),
            None => UnverifiedCompact::parse_with(&token, &options),
        }
        .and_then(|u| u.verify(&*source))
    }
    .map_err(rejected)?;
    Ok(verified.into_payload())
}

// ---------------------------------------------------------------- JWE

pub fn encrypt(inputs: &Inputs, a: &EncryptArgs, out: &Output) -> Stdout {
    let alg = keys::key_management(&a.alg)?;
    let enc = keys::content_encryption(&a.enc)?;
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let key = keys::encryptor(&keys, alg, enc, a.kid.as_deref())?;
    let plaintext = inputs.read(a.file.as_deref(), "plaintext")?;
    let mut header = JweHeader::new();
    if let Some(kid) = &a.kid {
        header = header.with_kid(kid.clone());
    }
    if let Some(cty) = &a.cty {
        header = header.with_cty(cty.clone());
    }
    if a.zip {
        header = header.with_deflate();
    }
    let encrypting = key_error("cannot encrypt");
    if a.json {
        let json = JweJsonBuilder::new(enc)
            .with_protected(header)
            .with_recipient(&*key, None)
            .flattened(&plaintext)
            .map_err(encrypting)?;
        Ok(out.json(&json))
    } else {
        let token = jwe::encrypt_compact(&header, &plaintext, enc, &*key).map_err(encrypting)?;
        Ok(Output::line(&token))
    }
}

/// A parsed JWE of either serialization.
enum Encrypted {
    Compact(Box<EncryptedCompact>),
    Json(Box<EncryptedJson>),
}

impl Encrypted {
    fn parse(token: &str) -> CliResult<Self> {
        let options = ParseOptions::default();
        if is_json(token) {
            EncryptedJson::parse_with(token, &options).map(|e| Encrypted::Json(Box::new(e)))
        } else {
            EncryptedCompact::parse_with(token, &options).map(|e| Encrypted::Compact(Box::new(e)))
        }
        .map_err(rejected)
    }

    fn enc(&self) -> josecraft::ContentEncryption {
        match self {
            Encrypted::Compact(e) => e.content_encryption(),
            Encrypted::Json(e) => e.content_encryption(),
        }
    }

    fn decrypt(self, keys: &dyn josecraft::jwe::DecryptorSource) -> CliResult<Vec<u8>> {
        match self {
            Encrypted::Compact(e) => e.decrypt(keys),
            Encrypted::Json(e) => e.decrypt(keys),
        }
        .map(|d| d.into_plaintext())
        .map_err(rejected)
    }
}

pub fn decrypt(inputs: &Inputs, a: &DecryptArgs) -> Stdout {
    if let Some(alg) = &a.alg {
        keys::key_management(alg)?;
    }
    let enc = a.enc.as_deref().map(keys::content_encryption).transpose()?;
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let token = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    let encrypted = Encrypted::parse(&token)?;
    // A flag that contradicts the key is a usage error (checked while preparing the keys);
    // a token that the flags do not accept is rejected, as with --alg.
    let decryptors = keys::decryptors(&keys, a.alg.as_deref(), enc, Some(encrypted.enc()))?;
    if let Some(wanted) = enc {
        if encrypted.enc() != wanted {
            return Err(rejected(format!(
                "algorithm mismatch: --enc accepts {}, the token uses {}",
                wanted.name(),
                encrypted.enc().name()
            )));
        }
    }
    encrypted.decrypt(&*decryptors)
}

// ---------------------------------------------------------------- JWT

/// A time offset from now: `90s`, `15m`, `1h`, `7d`, or plain seconds, with a leading `-`
/// for the past.
#[derive(Clone, Copy)]
struct Offset {
    past: bool,
    length: std::time::Duration,
}

fn offset(text: &str, flag: &str) -> CliResult<Offset> {
    let bad = || {
        usage(format!(
            "{flag} {text:?}: expected a duration such as 90s, 15m, 1h or 7d"
        ))
    };
    let (past, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (digits, unit) = match rest.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => rest.split_at(i),
        None => (rest, "s"),
    };
    if digits.is_empty() {
        return Err(bad());
    }
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let seconds = n.checked_mul(scale).ok_or_else(bad)?;
    Ok(Offset {
        past: past && seconds > 0,
        length: std::time::Duration::from_secs(seconds),
    })
}

/// `--exp`: a lifetime, so never in the past (a token that is expired when it is made is a
/// mistake, not a token).
fn lifetime(text: &str, flag: &str) -> CliResult<Offset> {
    let d = offset(text, flag)?;
    if d.past {
        return Err(usage(format!(
            "{flag} {text:?}: a lifetime cannot be negative (exp = now + {flag}); use e.g. 15m"
        )));
    }
    Ok(d)
}

fn date_at(now: NumericDate, d: Offset, flag: &str) -> CliResult<Value> {
    let at = if d.past {
        now.checked_sub(d.length)
    } else {
        now.checked_add(d.length)
    };
    let at = at.ok_or_else(|| usage(format!("{flag}: the date is out of range")))?;
    Ok(Value::from(at.unix()))
}

pub fn jwt_sign(inputs: &Inputs, a: &JwtSignArgs) -> Stdout {
    let now = NumericDate::now();
    let mut claims: Map<String, Value> = match &a.claims {
        Some(path) => {
            let bytes = inputs.read(Some(path), "claims file")?;
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(m)) => m,
                Ok(_) => return Err(usage("--claims: the claims must be a JSON object")),
                Err(e) => return Err(usage(format!("--claims: not valid JSON: {e}"))),
            }
        }
        None => Map::new(),
    };
    // Parse every flag before reading the key, so that argument errors come first.
    let exp = a.exp.as_deref().map(|d| lifetime(d, "--exp")).transpose()?;
    let nbf = a.nbf.as_deref().map(|d| offset(d, "--nbf")).transpose()?;
    if let Some(iss) = &a.iss {
        claims.insert("iss".into(), iss.clone().into());
    }
    if let Some(sub) = &a.sub {
        claims.insert("sub".into(), sub.clone().into());
    }
    match a.aud.as_slice() {
        [] => {}
        [one] => {
            claims.insert("aud".into(), one.clone().into());
        }
        many => {
            claims.insert("aud".into(), many.to_vec().into());
        }
    }
    if !claims.contains_key("iat") {
        claims.insert("iat".into(), now.unix().into());
    }
    match exp {
        Some(d) => {
            claims.insert("exp".into(), date_at(now, d, "--exp")?);
        }
        None if a.no_exp => {
            claims.remove("exp");
        }
        None => {
            if !claims.contains_key("exp") {
                let hour = Offset {
                    past: false,
                    length: std::time::Duration::from_secs(3600),
                };
                claims.insert("exp".into(), date_at(now, hour, "exp")?);
            }
        }
    }
    if let Some(d) = nbf {
        claims.insert("nbf".into(), date_at(now, d, "--nbf")?);
    }
    if let Some(jti) = &a.jti {
        claims.insert("jti".into(), jti.clone().into());
    }
    if a.random_jti {
        let jti = jwt::Claims::new(())
            .with_random_jti()
            .map_err(key_error("--random-jti"))?
            .jti
            .unwrap_or_default();
        claims.insert("jti".into(), jti.into());
    }
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let signer = keys::signer(&keys, a.alg.as_deref(), a.kid.as_deref())?;
    let mut header = JwsHeader::new().with_typ(a.typ.clone().unwrap_or_else(|| "JWT".into()));
    if let Some(kid) = &a.kid {
        header = header.with_kid(kid.clone());
    }
    let payload = Value::Object(claims).to_string();
    let token = jws::sign_compact(&header, payload.as_bytes(), &*signer)
        .map_err(key_error("cannot sign"))?;
    Ok(Output::line(&token))
}

pub fn jwt_verify(inputs: &Inputs, a: &JwtVerifyArgs) -> Stdout {
    let issuer = match a.iss.as_slice() {
        [] => Validation::any_issuer(),
        [one] => Validation::issuer(one.clone()),
        many => Validation::issuers(many.to_vec()),
    };
    let mut validation = match (a.aud.as_slice(), a.any_aud) {
        (_, true) => issuer.any_audience(),
        ([], false) => issuer.no_audience(),
        ([one], false) => issuer.audience(one.clone()),
        (many, false) => issuer.audiences(many.to_vec()),
    };
    if let Some(sub) = &a.sub {
        validation = validation.with_subject(sub.clone());
    }
    if let Some(typ) = &a.typ {
        validation = validation.with_typ(typ.clone());
    }
    let max = jwt::MAX_LEEWAY.as_secs();
    if a.leeway > max {
        return Err(usage(format!("--leeway: at most {max} seconds")));
    }
    validation = validation.with_leeway(std::time::Duration::from_secs(a.leeway));
    if a.allow_no_exp {
        validation = validation.dangerous_allow_missing_exp();
    }
    for name in &a.require {
        if name.is_empty() {
            return Err(usage("--require needs a claim name"));
        }
        validation = validation.with_required(Claim::from_name(name));
    }
    let keys = KeyFile::load(inputs, &a.key, "key")?;
    let decrypt_keys = a
        .decrypt_key
        .as_ref()
        .map(|p| KeyFile::load(inputs, p, "decryption key"))
        .transpose()?;
    let verifiers = keys::verifiers(&keys, a.alg.as_deref())?;
    let token = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    if is_json(&token) {
        return Err(rejected(
            "malformed token: JWTs use the compact serialization only (RFC 7519 §1)",
        ));
    }
    let parts = token.split('.').count();
    type Claims = Map<String, Value>;
    let payload = if parts == 5 {
        let Some(decrypt_keys) = decrypt_keys else {
            return Err(usage(
                "the token is a JWE: give the key to decrypt it with --decrypt-key",
            ));
        };
        let encrypted = EncryptedCompact::parse(&token).map_err(rejected)?;
        let decryptors = keys::decryptors(
            &decrypt_keys,
            None,
            None,
            Some(encrypted.content_encryption()),
        )?;
        if encrypted.untrusted_header().untrusted().is_nested_jwt() {
            jwt::decrypt_nested::<Claims>(&token, &*decryptors, &*verifiers, &validation)
                .map(|v| v.payload().to_vec())
        } else {
            jwt::decrypt::<Claims>(&token, &*decryptors, &validation).map(|v| v.payload().to_vec())
        }
    } else {
        jwt::verify::<Claims>(&token, &*verifiers, &validation).map(|v| v.payload().to_vec())
    }
    .map_err(|e| rejected(with_flag_hint(e)))?;
    let mut out = payload;
    out.push(b'\n');
    Ok(out)
}

/// A claims failure, with the flag that would accept the token when one exists.
fn with_flag_hint(e: josecraft::Error) -> String {
    use josecraft::ClaimsError;
    let hint = match &e {
        josecraft::Error::Claims(ClaimsError::Audience { found }) if found.is_empty() => "",
        josecraft::Error::Claims(ClaimsError::Audience { .. }) => {
            " (accept an audience with --aud, or any with --any-aud)"
        }
        josecraft::Error::Claims(ClaimsError::Missing(josecraft::Claim::Aud)) => {
            " (the token has no aud: leave out --aud, or accept any with --any-aud)"
        }
        josecraft::Error::Claims(ClaimsError::Issuer { .. }) => " (accept an issuer with --iss)",
        josecraft::Error::Claims(ClaimsError::Missing(josecraft::Claim::Exp)) => {
            " (accept a token without exp with --allow-no-exp)"
        }
        _ => "",
    };
    format!("{e}{hint}")
}

// ---------------------------------------------------------------- decode

pub fn decode(inputs: &Inputs, a: &DecodeArgs, out: &Output) -> Stdout {
    let token = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    let seen = dangerous::inspect(&token).map_err(rejected)?;
    eprintln!("WARNING: decoded WITHOUT verification: anyone could have made this token");
    let header = seen.header_json();
    let json = match seen.payload() {
        InspectedPayload::Encrypted => format!("{{\"header\":{header}}}"),
        InspectedPayload::Detached => format!("{{\"header\":{header},\"payload\":null}}"),
        InspectedPayload::Bytes(bytes) => {
            let payload = match serde_json::from_slice::<&serde_json::value::RawValue>(bytes) {
                Ok(raw) => raw.get().to_string(),
                Err(_) => Value::from(base64url::encode(bytes)).to_string(),
            };
            format!(
                "{{\"header\":{header},\"payload\":{payload}{}}}",
                readable_dates(bytes)
            )
        }
        _ => format!("{{\"header\":{header}}}"),
    };
    Ok(out.json(&json))
}

/// For a payload that is a claims set: its dates (`exp`, `nbf`, `iat`, `auth_time`) as
/// RFC 3339 times in UTC, as `,"dates":{...}` to follow the payload; empty otherwise.
fn readable_dates(payload: &[u8]) -> String {
    let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(payload) else {
        return String::new();
    };
    let mut dates = Map::new();
    for name in ["exp", "nbf", "iat", "auth_time"] {
        let seconds = match claims.get(name) {
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f.floor() as i64)),
            _ => None,
        };
        if let Some(date) = seconds.and_then(NumericDate::from_unix) {
            dates.insert(name.into(), Value::from(date.to_string()));
        }
    }
    if dates.is_empty() {
        String::new()
    } else {
        format!(",\"dates\":{}", Value::Object(dates))
    }
}

// ---------------------------------------------------------------- dpop

pub fn dpop_proof(inputs: &Inputs, a: &DpopProofArgs) -> Stdout {
    use josecraft::dpop::{HttpRequest, Proof};
    // Arguments before the key, as elsewhere.
    HttpRequest::new(&a.htm, &a.htu).map_err(|e| usage(format!("--htm/--htu: {e}")))?;
    let keys = KeyFile::load(inputs, &a.key, "KEY")?;
    let key = keys::proof_key(&keys, a.alg.as_deref(), a.kid.as_deref())?;
    let mut proof = Proof::new(&a.htm, &a.htu);
    if let Some(t) = &a.ath_token {
        proof = proof.with_access_token(t.trim());
    }
    if let Some(n) = &a.nonce {
        proof = proof.with_nonce(n);
    }
    let token = proof.sign(&key).map_err(key_error("KEY"))?;
    Ok(Output::line(&token))
}

/// The one nonce `--nonce` names.
struct ExpectedNonce(String);

impl josecraft::dpop::NonceSource for ExpectedNonce {
    fn current(&self) -> String {
        self.0.clone()
    }
    fn accepts(&self, nonce: &str) -> bool {
        nonce == self.0
    }
}

pub fn dpop_verify(inputs: &Inputs, a: &DpopVerifyArgs, out: &Output) -> Stdout {
    use josecraft::dpop::{HttpRequest, ProofVerifier};
    use josecraft::SignatureAlgorithm;
    use std::time::Duration;

    let request =
        HttpRequest::new(&a.htm, &a.htu).map_err(|e| usage(format!("--htm/--htu: {e}")))?;
    let algorithms = if a.alg.is_empty() {
        SignatureAlgorithm::ALL.to_vec()
    } else {
        a.alg
            .iter()
            .map(|name| {
                name.parse::<SignatureAlgorithm>().map_err(|_| {
                    usage(format!("--alg {name}: not an asymmetric JWS algorithm (DPoP proofs are never HMAC or none)"))
                })
            })
            .collect::<CliResult<Vec<_>>>()?
    };
    if a.leeway > jwt::MAX_LEEWAY.as_secs() {
        return Err(usage(format!(
            "--leeway: at most {} seconds",
            jwt::MAX_LEEWAY.as_secs()
        )));
    }
    if a.max_age > josecraft::dpop::MAX_PROOF_AGE.as_secs() {
        return Err(usage(format!(
            "--max-age: at most {} seconds (use --at to judge an old proof)",
            josecraft::dpop::MAX_PROOF_AGE.as_secs()
        )));
    }
    let mut verifier = ProofVerifier::new(algorithms)
        .with_max_age(Duration::from_secs(a.max_age))
        .with_leeway(Duration::from_secs(a.leeway));
    if let Some(t) = a.at {
        let at =
            NumericDate::from_unix(t).ok_or_else(|| usage("--at: not a representable time"))?;
        verifier = verifier.with_clock(std::sync::Arc::new(jwt::FixedClock(at)));
    }
    if let Some(n) = &a.nonce {
        verifier = verifier.with_nonces(std::sync::Arc::new(ExpectedNonce(n.clone())));
    }
    let proof = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    let verified = josecraft::keysource::block_on(async {
        match &a.access_token {
            Some(t) => {
                verifier
                    .verify_with_access_token(&proof, &request, t.trim())
                    .await
            }
            None => verifier.verify(&proof, &request).await,
        }
    })
    .map_err(rejected)?;
    if let Some(expected) = &a.jkt {
        if verified.thumbprint() != expected {
            return Err(rejected(josecraft::Error::Dpop(
                josecraft::DpopError::KeyMismatch,
            )));
        }
    }
    let report = serde_json::json!({
        "jkt": verified.thumbprint(),
        "alg": verified.algorithm().name(),
        "jwk": serde_json::from_str::<Value>(&verified.jwk().to_json()).unwrap_or(Value::Null),
        "jti": verified.jti(),
        "htm": verified.htm(),
        "htu": verified.htu(),
        "iat": verified.issued_at().unix(),
        "nonce": verified.nonce(),
    });
    Ok(out.json(&report.to_string()))
}

// ---------------------------------------------------------------- sd-jwt

pub fn sd_jwt_issue(inputs: &Inputs, a: &SdJwtIssueArgs) -> Stdout {
    use josecraft::sdjwt::{Issuer, SdAlg};
    let bytes = inputs.read(Some(&a.claims), "claims file")?;
    let claims = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err(usage("--claims: the claims must be a JSON object")),
        Err(e) => return Err(usage(format!("--claims: not valid JSON: {e}"))),
    };
    let hash = SdAlg::from_name(&a.hash).ok_or_else(|| usage("--hash: unknown"))?;
    let keys = KeyFile::load(inputs, &a.key, "KEY")?;
    let signer = keys::signer(&keys, a.alg.as_deref(), a.kid.as_deref())?;
    let mut issuer = Issuer::new(claims)
        .disclosable(a.disclose.iter().cloned())
        .with_decoys(a.decoys)
        .with_hash(hash);
    if let Some(path) = &a.holder_key {
        let holder = match KeyFile::load(inputs, path, "--holder-key")? {
            KeyFile::One(jwk) => *jwk,
            KeyFile::Set(_) => return Err(usage("--holder-key: one key, not a key set")),
        };
        if holder.kty() == "oct" {
            return Err(usage(
                "--holder-key: an asymmetric key (its public part goes into cnf.jwk)",
            ));
        }
        issuer = issuer.with_holder_key(&holder);
    }
    if let Some(typ) = &a.typ {
        issuer = issuer.with_typ(typ.clone());
    }
    // Pointers that name nothing are the caller's mistake (exit 2), like any other argument.
    let token = issuer
        .issue(&*signer)
        .map_err(|e| usage(format!("cannot issue: {e}")))?;
    Ok(Output::line(&token))
}

pub fn sd_jwt_present(inputs: &Inputs, a: &SdJwtPresentArgs, out: &Output) -> Stdout {
    use josecraft::sdjwt::SdJwt;
    let token = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    let sd = SdJwt::parse(&token).map_err(rejected)?;
    if a.list {
        let listed = sd.disclosable_claims().map_err(rejected)?;
        let mut map = Map::new();
        for (pointer, d) in listed {
            map.insert(pointer, d.value().clone());
        }
        return Ok(out.json(&Value::Object(map).to_string()));
    }
    // A path the SD-JWT does not have is the caller's mistake (exit 2); an SD-JWT that
    // cannot be processed is a rejected token (exit 1), as with --list.
    let listed = sd.disclosable_claims().map_err(rejected)?;
    if let Some(unknown) = a
        .disclose
        .iter()
        .find(|p| !listed.iter().any(|(l, _)| l == *p))
    {
        return Err(usage(format!(
            "--disclose {unknown}: not a disclosable claim of this SD-JWT (see --list)"
        )));
    }
    let presented = sd.select(a.disclose.iter()).map_err(rejected)?;
    let text = match (&a.holder_key, &a.aud, &a.nonce) {
        (Some(path), Some(aud), Some(nonce)) => {
            let keys = KeyFile::load(inputs, path, "--holder-key")?;
            let key = keys::proof_key(&keys, a.alg.as_deref(), None)?;
            presented
                .with_key_binding(&key, aud, nonce, NumericDate::now())
                .map_err(rejected)?
        }
        _ => presented.to_string(),
    };
    Ok(Output::line(&text))
}

pub fn sd_jwt_verify(inputs: &Inputs, a: &SdJwtVerifyArgs, out: &Output) -> Stdout {
    use josecraft::sdjwt::{KeyBinding, PresentationVerifier};
    let mut validation = if a.iss.is_empty() {
        Validation::any_issuer()
    } else {
        Validation::issuers(a.iss.iter().cloned())
    }
    .any_audience();
    if let Some(typ) = &a.typ {
        validation = validation.with_typ(typ.clone());
    }
    let clock: std::sync::Arc<dyn jwt::Clock> = match a.at {
        Some(t) => std::sync::Arc::new(jwt::FixedClock(
            NumericDate::from_unix(t).ok_or_else(|| usage("--at: not a representable time"))?,
        )),
        None => std::sync::Arc::new(jwt::SystemClock),
    };
    validation = validation.with_clock(std::sync::Arc::clone(&clock));
    let key_binding = match (&a.kb_aud, &a.kb_nonce) {
        (Some(aud), Some(nonce)) => KeyBinding::required(aud.clone(), nonce.clone()),
        _ => KeyBinding::NotRequired,
    };
    let keys = KeyFile::load(inputs, &a.key, "KEY")?;
    let source = keys::AsKeySource(keys::verifiers(&keys, a.alg.as_deref())?);
    let token = inputs.token(a.token.file.as_ref(), a.token.literal.as_deref())?;
    let verifier = PresentationVerifier::new(validation, key_binding).with_clock(clock);
    let verified =
        josecraft::keysource::block_on(verifier.verify::<Map<String, Value>>(&token, &source))
            .map_err(rejected)?;
    let report = serde_json::json!({
        "claims": verified.claims(),
        "disclosed": verified.disclosed().iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        "key_bound": verified.key_bound(),
    });
    Ok(out.json(&report.to_string()))
}
