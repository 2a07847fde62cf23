//! The josecraft side of the interop suite, in batches (one process per direction):
//!
//! - `make CASES.json`: keys and tokens made by josecraft, for a peer to check;
//! - `check CASES.json RESULTS.json`: a peer's keys and tokens, checked by josecraft;
//! - `dpop-make CASES.json`: DPoP requests (an RFC 9068 access token bound to a key, and
//!   its proof) made by josecraft, for a resource-server peer to check;
//! - `sdjwt-make CASES.json`: SD-JWTs and presentations made by josecraft.
//!
//! A case: `{id, kind: jws|jwe|nested|jwk, alg, enc, zip, form: compact|json, payload
//! (base64url), key (the JWK the checker uses), sig_key (nested: the verification key),
//! token, expect: valid|invalid, thumbprint (jwk)}`; a DPoP case: `{id, kind: dpop, alg,
//! htm, htu, proof, jkt, nonce?, access_token?, as_jwk, issuer, audience, expect}`.
//! Results: `{id: "pass" | "fail: why"}`.

use std::fs;
use std::sync::Arc;
use std::time::Duration;

use josecraft::dpop::{Confirmation, HttpRequest, NonceSource, Proof, ProofVerifier};
use josecraft::jwe::{self, EncryptedJson, JweJsonBuilder, KeyDecryptor, KeyEncryptor};
use josecraft::jwk::{Jwk, KeySpec, ThumbprintHash};
use josecraft::jws::{self, JsonJwsBuilder, Signer, UnverifiedJson, Verifier};
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::SigningKey;
use josecraft::{base64url, JweHeader, JwsAlgorithm, JwsHeader};
use josecraft::{
    AsymmetricKeyManagement, ContentEncryption, HmacAlgorithm, KeyManagementAlgorithm,
    SignatureAlgorithm,
};
use serde_json::{json, Map, Value};

type Res<T> = Result<T, String>;

// The whole matrix is every algorithm the library implements: a new one joins the
// interop suite without an edit here.
fn jws_algs() -> impl Iterator<Item = &'static str> {
    JwsAlgorithm::ALL.into_iter().map(JwsAlgorithm::name)
}
fn jwe_algs() -> impl Iterator<Item = &'static str> {
    KeyManagementAlgorithm::ALL
        .into_iter()
        .map(KeyManagementAlgorithm::name)
}
fn encs() -> impl Iterator<Item = &'static str> {
    ContentEncryption::ALL
        .into_iter()
        .map(ContentEncryption::name)
}

fn payloads() -> Vec<(&'static str, Vec<u8>)> {
    let big: Vec<u8> = (0..100 * 1024u32)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789 "[(i * 7 % 37) as usize])
        .collect();
    vec![
        ("empty", Vec::new()),
        (
            "binary",
            "\u{0}\u{1}\u{7f}\r\n\t\u{1b}[0m\"\\/{}".as_bytes().to_vec(),
        ),
        ("utf8", "héllo wörld ✓ 日本語 🦀".as_bytes().to_vec()),
        ("100k", big),
    ]
}

fn b64(d: impl AsRef<[u8]>) -> String {
    base64url::encode(d)
}

fn jwk_value(jwk: &Jwk) -> Value {
    serde_json::from_str(&jwk.to_json()).unwrap()
}

fn public_value(jwk: &Jwk) -> Value {
    match jwk.to_public() {
        Ok(p) => jwk_value(&p),
        Err(_) => jwk_value(jwk), // oct: the shared secret itself
    }
}

/// Flips one bit in the middle of the last part of a compact token (signature or tag).
fn tamper(token: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let last = parts.len() - 1;
    let mut bytes = base64url::decode(&parts[last]).unwrap_or_default();
    if bytes.is_empty() {
        bytes.push(0);
    }
    let i = bytes.len() / 2;
    bytes[i] ^= 0x10;
    parts[last] = b64(bytes);
    parts.join(".")
}

// ------------------------------------------------------------------ keys

struct Keys {
    rsa: Jwk,
}

impl Keys {
    fn new() -> Self {
        Self {
            rsa: Jwk::generate(KeySpec::Rsa { bits: 2048 }).unwrap(),
        }
    }

    /// A private JWK with `alg` and `kid` for a JWS or JWE algorithm.
    fn for_alg(&self, alg: &str, enc: Option<&str>, curve: usize) -> Jwk {
        let base = if alg.starts_with("RS") || alg.starts_with("PS") || alg.starts_with("RSA") {
            self.rsa.clone()
        } else if alg.starts_with("ECDH-ES") {
            let spec = [KeySpec::P256, KeySpec::P384, KeySpec::P521, KeySpec::X25519][curve % 4];
            Jwk::generate(spec).unwrap()
        } else {
            Jwk::generate(KeySpec::for_algorithm(alg, enc).unwrap()).unwrap()
        };
        let alg_member = match (alg, enc) {
            ("dir", Some(e)) => e,
            _ => alg,
        };
        base.with_alg(alg_member).with_kid(format!("k-{alg}"))
    }
}

fn signer(jwk: &Jwk) -> Res<Box<dyn Signer>> {
    let alg = JwsAlgorithm::from_name(jwk.alg().unwrap_or_default()).ok_or("alg")?;
    Ok(if alg.is_symmetric() {
        Box::new(jwk.to_hmac_key(None).map_err(|e| e.to_string())?)
    } else {
        Box::new(jwk.to_signing_key(None).map_err(|e| e.to_string())?)
    })
}

fn verifier(jwk: &Jwk, alg: &str) -> Res<Box<dyn Verifier>> {
    let alg = JwsAlgorithm::from_name(alg).ok_or_else(|| format!("unknown alg {alg}"))?;
    Ok(match HmacAlgorithm::try_from(alg) {
        Ok(hmac) => Box::new(jwk.to_hmac_key(Some(hmac)).map_err(|e| e.to_string())?),
        Err(_) => {
            let alg = SignatureAlgorithm::try_from(alg).map_err(|e| e.to_string())?;
            Box::new(jwk.to_verifying_key(Some(alg)).map_err(|e| e.to_string())?)
        }
    })
}

fn km(alg: &str) -> Res<KeyManagementAlgorithm> {
    KeyManagementAlgorithm::from_name(alg).ok_or_else(|| format!("unknown alg {alg}"))
}

fn ce(enc: &str) -> Res<ContentEncryption> {
    ContentEncryption::from_name(enc).ok_or_else(|| format!("unknown enc {enc}"))
}

fn encryptor(jwk: &Jwk, alg: &str, enc: &str) -> Res<Box<dyn KeyEncryptor>> {
    let alg = km(alg)?;
    Ok(if jwk.kty() == "oct" {
        let enc = (alg == KeyManagementAlgorithm::Dir)
            .then(|| ce(enc))
            .transpose()?;
        Box::new(
            jwk.to_symmetric_key(Some(alg), enc)
                .map_err(|e| e.to_string())?,
        )
    } else {
        let alg = AsymmetricKeyManagement::try_from(alg).map_err(|e| e.to_string())?;
        Box::new(
            jwk.to_encryption_key(Some(alg))
                .map_err(|e| e.to_string())?,
        )
    })
}

fn decryptor(jwk: &Jwk, alg: &str, enc: &str) -> Res<Box<dyn KeyDecryptor>> {
    let alg = km(alg)?;
    Ok(if jwk.kty() == "oct" {
        let enc = (alg == KeyManagementAlgorithm::Dir)
            .then(|| ce(enc))
            .transpose()?;
        Box::new(
            jwk.to_symmetric_key(Some(alg), enc)
                .map_err(|e| e.to_string())?,
        )
    } else {
        let alg = AsymmetricKeyManagement::try_from(alg).map_err(|e| e.to_string())?;
        Box::new(
            jwk.to_decryption_key(Some(alg))
                .map_err(|e| e.to_string())?,
        )
    })
}

// ------------------------------------------------------------------ make

fn case(id: String, kind: &str, alg: &str, enc: Option<&str>, form: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), id.into());
    m.insert("kind".into(), kind.into());
    m.insert("alg".into(), alg.into());
    m.insert("enc".into(), enc.map_or(Value::Null, Value::from));
    m.insert("form".into(), form.into());
    m.insert("zip".into(), false.into());
    m.insert("expect".into(), "valid".into());
    m
}

fn make() -> Res<Vec<Value>> {
    let keys = Keys::new();
    let mut cases = Vec::new();
    let payloads = payloads();
    for alg in jws_algs() {
        let jwk = keys.for_alg(alg, None, 0);
        let s = signer(&jwk)?;
        let key = public_value(&jwk);
        for (name, p) in &payloads {
            let token =
                jws::sign_compact(&JwsHeader::new(), p, s.as_ref()).map_err(|e| e.to_string())?;
            let mut c = case(
                format!("jws:{alg}:compact:{name}"),
                "jws",
                alg,
                None,
                "compact",
            );
            c.insert("payload".into(), b64(p).into());
            c.insert("key".into(), key.clone());
            if *name == "utf8" {
                let mut bad = c.clone();
                bad.insert("id".into(), format!("jws:{alg}:compact:tampered").into());
                bad.insert("token".into(), tamper(&token).into());
                bad.insert("expect".into(), "invalid".into());
                cases.push(Value::Object(bad));
            }
            c.insert("token".into(), token.into());
            cases.push(Value::Object(c));
        }
        let (_, p) = &payloads[2];
        let json = JsonJwsBuilder::new(p)
            .sign(s.as_ref(), &JwsHeader::new(), None)
            .and_then(|b| b.flattened())
            .map_err(|e| e.to_string())?;
        let mut c = case(format!("jws:{alg}:json:utf8"), "jws", alg, None, "json");
        c.insert("payload".into(), b64(p).into());
        c.insert("key".into(), key.clone());
        c.insert("token".into(), json.into());
        cases.push(Value::Object(c));
    }
    for (i, alg) in jwe_algs().enumerate() {
        for (j, enc) in encs().enumerate() {
            let jwk = keys.for_alg(alg, Some(enc), i + j);
            let k = encryptor(&jwk, alg, enc)?;
            let e = ce(enc)?;
            let (name, p) = &payloads[j % 3];
            let token = jwe::encrypt_compact(&JweHeader::new(), p, e, k.as_ref())
                .map_err(|e| e.to_string())?;
            let mut c = case(
                format!("jwe:{alg}:{enc}:compact:{name}"),
                "jwe",
                alg,
                Some(enc),
                "compact",
            );
            c.insert("payload".into(), b64(p).into());
            c.insert("key".into(), jwk_value(&jwk));
            if j == 0 {
                let mut bad = c.clone();
                bad.insert(
                    "id".into(),
                    format!("jwe:{alg}:{enc}:compact:tampered").into(),
                );
                bad.insert("token".into(), tamper(&token).into());
                bad.insert("expect".into(), "invalid".into());
                cases.push(Value::Object(bad));
            }
            c.insert("token".into(), token.into());
            cases.push(Value::Object(c));
            for zip in [false, true] {
                let header = if zip {
                    JweHeader::new().with_deflate()
                } else {
                    JweHeader::new()
                };
                let (_, p) = &payloads[2];
                let json = JweJsonBuilder::new(e)
                    .with_protected(header)
                    .with_recipient(k.as_ref(), None)
                    .flattened(p)
                    .map_err(|e| e.to_string())?;
                let z = if zip { "zip" } else { "plain" };
                let mut c = case(
                    format!("jwe:{alg}:{enc}:json:{z}"),
                    "jwe",
                    alg,
                    Some(enc),
                    "json",
                );
                c.insert("zip".into(), zip.into());
                c.insert("payload".into(), b64(p).into());
                c.insert("key".into(), jwk_value(&jwk));
                c.insert("token".into(), json.into());
                cases.push(Value::Object(c));
            }
            if enc == "A256GCM" {
                let (_, p) = &payloads[3];
                for zip in [false, true] {
                    let header = if zip {
                        JweHeader::new().with_deflate()
                    } else {
                        JweHeader::new()
                    };
                    let token = jwe::encrypt_compact(&header, p, e, k.as_ref())
                        .map_err(|e| e.to_string())?;
                    let name = if zip { "100k-zip" } else { "100k" };
                    let mut c = case(
                        format!("jwe:{alg}:{enc}:compact:{name}"),
                        "jwe",
                        alg,
                        Some(enc),
                        "compact",
                    );
                    c.insert("zip".into(), zip.into());
                    c.insert("payload".into(), b64(p).into());
                    c.insert("key".into(), jwk_value(&jwk));
                    c.insert("token".into(), token.into());
                    cases.push(Value::Object(c));
                }
            }
        }
    }
    // Nested JWTs: sign (ES256 / RS256), then encrypt.
    for (sig_alg, enc_alg) in [("ES256", "ECDH-ES+A256KW"), ("RS256", "RSA-OAEP-256")] {
        let sig = keys.for_alg(sig_alg, None, 0);
        let enc_key = keys.for_alg(enc_alg, None, 0);
        let claims = json!({"iss": "josecraft", "sub": "interop", "aud": "peer",
            "exp": josecraft::jwt::NumericDate::now().unix() + 600})
        .to_string();
        let inner = jws::sign_compact(
            &JwsHeader::new().with_typ("JWT"),
            claims.as_bytes(),
            signer(&sig)?.as_ref(),
        )
        .map_err(|e| e.to_string())?;
        let token = jwt::encrypt_nested(
            &inner,
            &JweHeader::new(),
            ContentEncryption::A256Gcm,
            encryptor(&enc_key, enc_alg, "A256GCM")?.as_ref(),
        )
        .map_err(|e| e.to_string())?;
        let mut c = case(
            format!("nested:{sig_alg}+{enc_alg}"),
            "nested",
            enc_alg,
            Some("A256GCM"),
            "compact",
        );
        c.insert("payload".into(), b64(&claims).into());
        c.insert("key".into(), jwk_value(&enc_key));
        c.insert("sig_key".into(), public_value(&sig));
        c.insert("sig_alg".into(), sig_alg.into());
        c.insert("token".into(), token.into());
        cases.push(Value::Object(c));
    }
    // Keys and thumbprints.
    for (name, spec) in [
        ("RSA", KeySpec::Rsa { bits: 2048 }),
        ("P-256", KeySpec::P256),
        ("P-384", KeySpec::P384),
        ("P-521", KeySpec::P521),
        ("secp256k1", KeySpec::Secp256k1),
        ("Ed25519", KeySpec::Ed25519),
        ("X25519", KeySpec::X25519),
        ("oct", KeySpec::Oct { len: 32 }),
    ] {
        let private = if name == "RSA" {
            keys.rsa.clone()
        } else {
            Jwk::generate(spec).unwrap()
        };
        let tp = private.thumbprint_b64(ThumbprintHash::Sha256);
        let mut c = case(format!("jwk:{name}:private"), "jwk", name, None, "jwk");
        c.insert("key".into(), jwk_value(&private));
        c.insert("thumbprint".into(), tp.clone().into());
        cases.push(Value::Object(c));
        if let Ok(public) = private.to_public() {
            let mut c = case(format!("jwk:{name}:public"), "jwk", name, None, "jwk");
            c.insert("key".into(), jwk_value(&public));
            c.insert("thumbprint".into(), tp.into());
            cases.push(Value::Object(c));
        }
    }
    Ok(cases)
}

// ------------------------------------------------------------------ check

fn str_field<'a>(c: &'a Value, name: &str) -> Res<&'a str> {
    c[name]
        .as_str()
        .ok_or_else(|| format!("case has no {name}"))
}

fn jwk_field(c: &Value, name: &str) -> Res<Jwk> {
    Jwk::from_json(c[name].to_string().as_bytes()).map_err(|e| format!("{name}: {e}"))
}

fn check_one(c: &Value) -> Res<Vec<u8>> {
    let kind = str_field(c, "kind")?;
    let alg = str_field(c, "alg")?;
    let token = c["token"].as_str().unwrap_or_default();
    let form = c["form"].as_str().unwrap_or("compact");
    match kind {
        "jws" => {
            let key = jwk_field(c, "key")?;
            let v = verifier(&key, alg)?;
            let verified = if form == "json" {
                UnverifiedJson::parse(token).and_then(|u| u.verify(&v))
            } else {
                jws::verify_compact(token, &v)
            };
            verified
                .map(|v| v.into_payload())
                .map_err(|e| e.to_string())
        }
        "jwe" => {
            let key = jwk_field(c, "key")?;
            let enc = str_field(c, "enc")?;
            let d = decryptor(&key, alg, enc)?;
            let decrypted = if form == "json" {
                EncryptedJson::parse(token).and_then(|e| e.decrypt(&d))
            } else {
                jwe::decrypt_compact(token, &d)
            };
            decrypted
                .map(|d| d.into_plaintext())
                .map_err(|e| e.to_string())
        }
        "nested" => {
            let key = jwk_field(c, "key")?;
            let enc = str_field(c, "enc")?;
            let sig_key = jwk_field(c, "sig_key")?;
            let v = verifier(&sig_key, str_field(c, "sig_alg")?)?;
            let d = decryptor(&key, alg, enc)?;
            let validation = Validation::any_issuer().any_audience();
            jwt::decrypt_nested::<Value>(token, &d, &v, &validation)
                .map(|j| j.payload().to_vec())
                .map_err(|e| e.to_string())
        }
        "jwk" => {
            let key = jwk_field(c, "key")?;
            key.validate().map_err(|e| e.to_string())?;
            let tp = key.thumbprint_b64(ThumbprintHash::Sha256);
            if tp != str_field(c, "thumbprint")? {
                return Err(format!("thumbprint {tp}"));
            }
            if let Ok(public) = key.to_public() {
                if public.thumbprint_b64(ThumbprintHash::Sha256) != tp {
                    return Err("public part has another thumbprint".into());
                }
            }
            Ok(Vec::new())
        }
        "dpop" => check_dpop(c).map(|()| Vec::new()),
        "sdjwt" => check_sdjwt(c).map(|()| Vec::new()),
        other => Err(format!("unknown kind {other}")),
    }
}

/// The nonce a peer's proof was made with, as the server that handed it out.
struct Expected(String);

impl NonceSource for Expected {
    fn current(&self) -> String {
        self.0.clone()
    }
    fn accepts(&self, nonce: &str) -> bool {
        nonce == self.0
    }
}

/// A peer's DPoP proof, checked as a server would: every asymmetric algorithm accepted,
/// the request's method and URI, `ath` with an access token, the nonce, and the
/// thumbprint the peer computed.
fn check_dpop(c: &Value) -> Res<()> {
    let mut verifier = ProofVerifier::new(SignatureAlgorithm::ALL.iter().copied())
        .with_max_age(Duration::from_secs(600));
    if let Some(n) = c["nonce"].as_str() {
        verifier = verifier.with_nonces(Arc::new(Expected(n.to_string())));
    }
    let request =
        HttpRequest::new(str_field(c, "htm")?, str_field(c, "htu")?).map_err(|e| e.to_string())?;
    let proof = str_field(c, "proof")?;
    let verified = josecraft::keysource::block_on(async {
        match c["access_token"].as_str() {
            Some(t) => verifier.verify_with_access_token(proof, &request, t).await,
            None => verifier.verify(proof, &request).await,
        }
    })
    .map_err(|e| e.to_string())?;
    if verified.thumbprint() != str_field(c, "jkt")? {
        return Err(format!("thumbprint {}", verified.thumbprint()));
    }
    if verified.nonce() != c["nonce"].as_str() {
        return Err("nonce differs".into());
    }
    Ok(())
}

/// The processed claims of a verified SD-JWT, without `cnf` (peers differ in what they
/// keep of it).
fn sdjwt_claims(v: &josecraft::sdjwt::VerifiedSdJwt<Map<String, Value>>) -> Value {
    let mut claims = serde_json::to_value(v.claims()).unwrap_or(Value::Null);
    if let Some(m) = claims.as_object_mut() {
        m.remove("cnf");
    }
    claims
}

/// A peer's SD-JWT: verified with key binding when the case names an audience, its
/// processed claims compared with the peer's.
fn check_sdjwt(c: &Value) -> Res<()> {
    use josecraft::sdjwt::{KeyBinding, PresentationVerifier};
    let key = jwk_field(c, "issuer_jwk")?;
    let alg: SignatureAlgorithm = str_field(c, "alg")?.parse().map_err(|e| format!("{e}"))?;
    let key = key.to_verifying_key(Some(alg)).map_err(|e| e.to_string())?;
    let kb = match (c["aud"].as_str(), c["nonce"].as_str()) {
        (Some(aud), Some(nonce)) => KeyBinding::required(aud, nonce),
        _ => KeyBinding::NotRequired,
    };
    let verifier = PresentationVerifier::new(Validation::any_issuer().any_audience(), kb);
    let v = josecraft::keysource::block_on(
        verifier.verify::<Map<String, Value>>(str_field(c, "presentation")?, &key),
    )
    .map_err(|e| e.to_string())?;
    if sdjwt_claims(&v) != c["claims"] {
        return Err(format!("claims differ: {}", sdjwt_claims(&v)));
    }
    Ok(())
}

/// SD-JWTs for a peer: per issuer algorithm, a presentation with key binding (ES256, the
/// one the reference implementation checks) and the issuance without, both valid; another
/// nonce, the thief's key, a Key Binding JWT of another presentation, a tampered and a
/// foreign disclosure, all invalid.
fn make_sdjwt() -> Res<Vec<Value>> {
    use josecraft::sdjwt::{Issuer, KeyBinding, PresentationVerifier, SdJwt};
    const AUD: &str = "https://verifier.example";
    const NONCE: &str = "n-0S6_WzA2Mj";
    let now = NumericDate::now();
    let claims = json!({"iss": "https://issuer.example", "iat": now.unix(), "exp": now.unix() + 3600,
        "given_name": "Jöhn", "family_name": "Doe", "email": "john@example.com",
        "address": {"street_address": "123 Main St", "locality": "Anytown", "country": "US"},
        "nationalities": ["US", "DE"]});
    let claims = claims.as_object().cloned().ok_or("claims")?;
    let e = |e: josecraft::Error| e.to_string();
    let mut cases = Vec::new();
    for alg in [
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::EdDsa,
    ] {
        let issuer = SigningKey::generate(alg).map_err(e)?;
        let holder = SigningKey::generate(SignatureAlgorithm::Es256).map_err(e)?;
        let thief = SigningKey::generate(SignatureAlgorithm::Es256).map_err(e)?;
        let issue = || {
            Issuer::new(claims.clone())
                .disclosable([
                    "/given_name",
                    "/family_name",
                    "/email",
                    "/address",
                    "/address/street_address",
                    "/nationalities/1",
                ])
                .with_decoys(2)
                .with_holder_key(&holder.to_jwk())
                .with_typ("dc+sd-jwt")
                .issue(&issuer)
                .map_err(e)
        };
        let issued = issue()?;
        let sd = SdJwt::parse(&issued).map_err(e)?;
        let subset = sd
            .select(["/given_name", "/address/street_address", "/nationalities/1"])
            .map_err(e)?;
        let shown = subset
            .with_key_binding(&holder, AUD, NONCE, now)
            .map_err(e)?;
        let expected = |presentation: &str, kb: KeyBinding| -> Res<Value> {
            let v = josecraft::keysource::block_on(
                PresentationVerifier::new(Validation::any_issuer().any_audience(), kb)
                    .verify::<Map<String, Value>>(presentation, &issuer.verifying_key()),
            )
            .map_err(e)?;
            Ok(sdjwt_claims(&v))
        };
        let issuer_jwk = public_value(&issuer.to_private_jwk());
        let base = |what: &str, presentation: String| {
            let mut m = Map::new();
            m.insert("id".into(), format!("sdjwt:{}:{what}", alg.name()).into());
            m.insert("kind".into(), "sdjwt".into());
            m.insert("alg".into(), alg.name().into());
            m.insert("issuer_jwk".into(), issuer_jwk.clone());
            m.insert("presentation".into(), presentation.into());
            m
        };
        let mut kb_case = base("kb", shown.clone());
        kb_case.insert("aud".into(), AUD.into());
        kb_case.insert("nonce".into(), NONCE.into());
        kb_case.insert(
            "claims".into(),
            expected(&shown, KeyBinding::required(AUD, NONCE))?,
        );
        kb_case.insert("expect".into(), "valid".into());
        cases.push(Value::Object(kb_case));
        let mut plain = base("issuance", issued.clone());
        plain.insert("claims".into(), expected(&issued, KeyBinding::NotRequired)?);
        plain.insert("expect".into(), "valid".into());
        cases.push(Value::Object(plain));

        let other_kb = sd
            .select(["/email"])
            .map_err(e)?
            .with_key_binding(&holder, AUD, NONCE, now)
            .map_err(e)?;
        let moved_kb = subset.to_string() + other_kb.rsplit('~').next().unwrap_or_default();
        let tampered = {
            let mut parts: Vec<String> = issued.split('~').map(str::to_string).collect();
            let d = josecraft::sdjwt::Disclosure::parse(&parts[1]).map_err(e)?;
            let forged = match d.name() {
                Some(name) => josecraft::sdjwt::Disclosure::member(d.salt(), name, json!("forged"))
                    .map_err(e)?,
                None => josecraft::sdjwt::Disclosure::element(d.salt(), json!("forged")),
            };
            parts[1] = forged.encoded().to_string();
            parts.join("~")
        };
        let foreign = {
            let again = issue()?;
            let d = again.split('~').nth(1).unwrap_or_default().to_string();
            issued.clone() + &d + "~"
        };
        // What a verifier that ignores the odd disclosure out would show: the rest.
        let without_first = {
            let mut parts: Vec<&str> = issued.split('~').collect();
            parts.remove(1);
            parts.join("~")
        };
        let rest_of_tampered = expected(&without_first, KeyBinding::NotRequired)?;
        let rest_of_foreign = expected(&issued, KeyBinding::NotRequired)?;
        for (what, presentation, with_kb, peer_error, ignored_rest) in [
            (
                "other-nonce",
                subset
                    .with_key_binding(&holder, AUD, "other", now)
                    .map_err(e)?,
                true,
                Some("nonce"),
                None,
            ),
            (
                "thief-key",
                subset
                    .with_key_binding(&thief, AUD, NONCE, now)
                    .map_err(e)?,
                true,
                Some("Verification failed"),
                None,
            ),
            ("moved-kb-jwt", moved_kb, true, Some("Invalid digest"), None),
            // sd-jwt 0.10.4 ignores disclosures no digest references, where RFC 9901 §7.1
            // step 3 says refuse; a tampered or foreign disclosure is one. The peer still
            // checks them: accepting them with the rest of the claims unchanged is reported
            // n/a (josecraft refuses them: tests/attacks/sdjwt.rs S1, S3).
            (
                "tampered-disclosure",
                tampered,
                false,
                None,
                Some(rest_of_tampered),
            ),
            (
                "foreign-disclosure",
                foreign,
                false,
                None,
                Some(rest_of_foreign),
            ),
        ] {
            let mut m = base(what, presentation);
            if with_kb {
                m.insert("aud".into(), AUD.into());
                m.insert("nonce".into(), NONCE.into());
            }
            m.insert("expect".into(), "invalid".into());
            if let Some(text) = peer_error {
                m.insert("peer_error".into(), text.into());
            }
            if let Some(rest) = ignored_rest {
                m.insert("ignored_rest".into(), rest);
            }
            cases.push(Value::Object(m));
        }
    }
    Ok(cases)
}

/// DPoP requests for a resource-server peer: per algorithm, an RFC 9068 access token bound
/// to the client's key with a proof of that key (valid), and the same token with the
/// thief's proof, a proof for another method, a proof for another token (invalid).
fn make_dpop() -> Res<Vec<Value>> {
    const ISSUER: &str = "https://as.example";
    const AUDIENCE: &str = "https://rs.example";
    const HTU: &str = "https://rs.example/api/orders?page=2";
    let issuer = SigningKey::generate(SignatureAlgorithm::Es256)
        .map_err(|e| e.to_string())?
        .with_key_id("as-1");
    let as_jwk = jwk_value(&issuer.to_jwk().with_alg("ES256").with_use("sig"));
    let mut cases = Vec::new();
    for alg in [
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Es512,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::Ps384,
        SignatureAlgorithm::Rs256,
        SignatureAlgorithm::EdDsa,
        SignatureAlgorithm::Ed25519,
    ] {
        let client = SigningKey::generate(alg).map_err(|e| e.to_string())?;
        let thief = SigningKey::generate(alg).map_err(|e| e.to_string())?;
        let jkt = client
            .verifying_key()
            .to_jwk()
            .thumbprint_b64(ThumbprintHash::Sha256);
        let token = |holder_jkt: &str| -> Res<String> {
            let mut custom = Map::new();
            custom.insert(
                "cnf".into(),
                serde_json::to_value(Confirmation {
                    jkt: holder_jkt.to_string(),
                })
                .map_err(|e| e.to_string())?,
            );
            let now = NumericDate::now();
            let claims = Claims::new(custom)
                .with_issuer(ISSUER)
                .with_subject("ada")
                .with_audience(AUDIENCE)
                .with_issued_at(now)
                .valid_for(now, Duration::from_secs(600))
                .and_then(|c| c.with_random_jti())
                .map_err(|e| e.to_string())?;
            jwt::sign_access_token(&claims, "client-1", &issuer).map_err(|e| e.to_string())
        };
        let access = token(&jkt)?;
        let other = token(&jkt)?;
        let proof = |key: &SigningKey, htm: &str, ath_of: &str| -> Res<String> {
            Proof::new(htm, HTU)
                .with_access_token(ath_of)
                .sign(key)
                .map_err(|e| e.to_string())
        };
        // Refusals must name the failed step (oauth4webapi's messages).
        for (what, proof, expect, error) in [
            ("valid", proof(&client, "GET", &access)?, "valid", None),
            (
                "thief-key",
                proof(&thief, "GET", &access)?,
                "invalid",
                Some("confirmation mismatch"),
            ),
            (
                "other-method",
                proof(&client, "POST", &access)?,
                "invalid",
                Some("htm mismatch"),
            ),
            (
                "other-token",
                proof(&client, "GET", &other)?,
                "invalid",
                Some("ath mismatch"),
            ),
        ] {
            cases.push(json!({
                "id": format!("dpop:{}:{what}", alg.name()),
                "kind": "dpop",
                "alg": alg.name(),
                "htm": "GET",
                "htu": HTU,
                "proof": proof,
                "jkt": jkt,
                "access_token": access,
                "as_jwk": as_jwk,
                "issuer": ISSUER,
                "audience": AUDIENCE,
                "expect": expect,
                "expect_error": error,
            }));
        }
    }
    Ok(cases)
}

fn check(cases: &[Value]) -> Map<String, Value> {
    let mut results = Map::new();
    for c in cases {
        let id = c["id"].as_str().unwrap_or("?").to_string();
        let expect_valid = c["expect"] != "invalid";
        let outcome = check_one(c);
        let status = match (outcome, expect_valid) {
            (Ok(payload), true) => {
                let want = base64url::decode(c["payload"].as_str().unwrap_or_default())
                    .unwrap_or_default();
                if c["kind"] == "jwk"
                    || c["kind"] == "dpop"
                    || c["kind"] == "sdjwt"
                    || payload == want
                {
                    "pass".to_string()
                } else {
                    "fail: payload differs".to_string()
                }
            }
            (Err(e), true) => format!("fail: {e}"),
            (Ok(_), false) => "fail: tampered token accepted".to_string(),
            (Err(e), false) => match c["expect_error"].as_str() {
                Some(want) if !e.contains(want) => format!("fail: refused for another reason: {e}"),
                _ => "pass".to_string(),
            },
        };
        results.insert(id, status.into());
    }
    results
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("make") if args.len() == 3 => {
            let cases = make().unwrap_or_else(|e| panic!("make: {e}"));
            fs::write(&args[2], json!({"cases": cases}).to_string()).unwrap();
        }
        Some("dpop-make") if args.len() == 3 => {
            let cases = make_dpop().unwrap_or_else(|e| panic!("dpop-make: {e}"));
            fs::write(&args[2], json!({"cases": cases}).to_string()).unwrap();
        }
        Some("sdjwt-make") if args.len() == 3 => {
            let cases = make_sdjwt().unwrap_or_else(|e| panic!("sdjwt-make: {e}"));
            fs::write(&args[2], json!({"cases": cases}).to_string()).unwrap();
        }
        Some("check") if args.len() == 4 => {
            let text = fs::read_to_string(&args[2]).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap();
            let cases = doc["cases"].as_array().cloned().unwrap_or_default();
            fs::write(&args[3], Value::Object(check(&cases)).to_string()).unwrap();
        }
        _ => {
            eprintln!("usage: josecraft-interop make CASES.json | dpop-make CASES.json | sdjwt-make CASES.json | check CASES.json RESULTS.json");
            std::process::exit(2);
        }
    }
}
