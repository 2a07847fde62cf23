//! A tour of josecraft: `cargo run --example tour`.
//!
//! An auth server issues JWTs with HS256, ES256 and EdDSA keys and publishes its public keys
//! as a JWK Set; a resource server verifies them offline with that set and validates the
//! claims. Then: the tokens josecraft refuses (tampered, expired, `alg: none`, key
//! confusion) and the errors it gives, and a nested JWT (signed, then encrypted).

use josecraft::jwk::{Jwk, JwkSet, KeySpec};
use josecraft::jwt::{self, Claims, NumericDate, Validation};
use josecraft::ContentEncryption;
use josecraft::{dangerous, HmacKey, JweHeader, JwsHeader, SigningKey};
use josecraft::{AsymmetricKeyManagement, HmacAlgorithm, SignatureAlgorithm};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Serialize, Deserialize, Debug)]
struct Scope {
    scope: String,
}

fn main() -> Result<(), josecraft::Error> {
    println!("josecraft tour\n");
    let now = NumericDate::now();
    let claims = Claims::new(Scope {
        scope: "read:orders".into(),
    })
    .with_issuer("https://auth.example")
    .with_subject("ada")
    .with_audience("https://api.example")
    .valid_for(now, Duration::from_secs(300))?
    .with_random_jti()?;

    // 1. The auth server: three keys, each bound to one algorithm, with key IDs.
    let hs = HmacKey::generate(HmacAlgorithm::Hs256)?.with_key_id("hmac-2026-11");
    let es = SigningKey::generate(SignatureAlgorithm::Es256)?.with_key_id("ec-2026-11");
    let ed = SigningKey::generate(SignatureAlgorithm::EdDsa)?.with_key_id("ed-2026-11");
    let tokens = [
        ("HS256", jwt::sign(&claims, &hs)?),
        ("ES256", jwt::sign(&claims, &es)?),
        ("EdDSA", jwt::sign(&claims, &ed)?),
    ];

    // It publishes its public keys (never the HMAC secret) at /.well-known/jwks.json.
    let jwks = JwkSet::new().with(es.to_jwk()).with(ed.to_jwk());
    println!("published JWK Set:\n{}\n", jwks.to_json());

    // 2. The resource server: verifies offline with the set, picking the key by kid; the
    // validation says which issuer and audience it accepts.
    let published = JwkSet::from_json(jwks.to_json().as_bytes())?;
    let validation = Validation::issuer("https://auth.example").audience("https://api.example");
    for (alg, token) in &tokens[1..] {
        let verified = jwt::verify::<Scope>(token, &published, &validation)?;
        println!(
            "{alg:<5} verified: kid={} sub={} scope={:?} ({} bytes)",
            verified.header().kid().unwrap_or("-"),
            verified.claims().sub.as_deref().unwrap_or("-"),
            verified.claims().custom.scope,
            token.len()
        );
    }
    // HS256 needs the shared secret, which only a trusted party holds.
    let verified = jwt::verify::<Scope>(&tokens[0].1, &hs, &validation)?;
    println!(
        "HS256 verified with the shared secret: sub={}\n",
        verified.claims().sub.as_deref().unwrap_or("-")
    );

    // 3. What gets refused, and why.
    let (_, es_token) = &tokens[1];
    let mut tampered = es_token.clone();
    let i = tampered.find('.').unwrap_or(0) + 5;
    let c = if &tampered[i..=i] == "A" { "B" } else { "A" };
    tampered.replace_range(i..=i, c);
    refused(
        "a tampered ES256 token",
        jwt::verify::<Scope>(&tampered, &published, &validation),
    );

    let expired_claims = Claims::new(Scope {
        scope: "read".into(),
    })
    .with_issuer("https://auth.example")
    .with_audience("https://api.example")
    .valid_for(
        NumericDate::from_unix(now.unix() - 7200).expect("in range"),
        Duration::from_secs(300),
    )?;
    let expired = jwt::sign(&expired_claims, &es)?;
    refused(
        "an expired token",
        jwt::verify::<Scope>(&expired, &published, &validation),
    );

    let unsecured = dangerous::sign_unsecured(
        &JwsHeader::new().with_kid("ec-2026-11"),
        br#"{"sub":"admin"}"#,
    )?;
    refused(
        "an alg:none token",
        jwt::verify::<Scope>(&unsecured, &published, &validation),
    );

    // Key confusion: an HS256 token whose "secret" is the EC public key's JSON.
    let forged_key = HmacKey::new(HmacAlgorithm::Hs256, es.to_jwk().to_json().as_bytes())?
        .with_key_id("ec-2026-11");
    let forged = jwt::sign(&claims, &forged_key)?;
    refused(
        "an HS256 token keyed with the public key",
        jwt::verify::<Scope>(&forged, &published, &validation),
    );

    let other_api = Validation::issuer("https://auth.example").audience("https://billing.example");
    refused(
        "a token for another audience",
        jwt::verify::<Scope>(es_token, &published, &other_api),
    );

    // 4. A nested JWT: signed by the auth server, then encrypted to the resource server's
    // ECDH-ES key, so only it can read the claims and it still knows who issued them.
    let rs_key = Jwk::generate(KeySpec::P256)?
        .with_alg("ECDH-ES+A256KW")
        .with_kid("rs-enc-1");
    let decryption = rs_key.to_decryption_key(Some(AsymmetricKeyManagement::EcdhEsA256Kw))?;
    let nested = jwt::encrypt_nested(
        es_token,
        &JweHeader::new(),
        ContentEncryption::A256Gcm,
        &decryption.encryption_key(),
    )?;
    let opened = jwt::decrypt_nested::<Scope>(&nested, &decryption, &published, &validation)?;
    println!(
        "\nnested JWT ({} bytes): decrypted, signature verified, sub={}",
        nested.len(),
        opened.claims().sub.as_deref().unwrap_or("-")
    );
    Ok(())
}

fn refused<T>(what: &str, result: josecraft::Result<T>) {
    match result {
        Ok(_) => println!("ACCEPTED {what} (this should not happen)"),
        Err(e) => println!("refused {what}: {e}"),
    }
}
