//! A tour of josecraft: `cargo run --example tour`.
//!
//! Generates keys, signs and verifies tokens with several algorithms, and shows the
//! errors josecraft gives for tokens it refuses.

use josecraft::jws::{self, VerifierSet, VerifyOptions};
use josecraft::{dangerous, HmacKey, JwsAlgorithm, JwsHeader, SigningKey};

fn main() -> Result<(), josecraft::Error> {
    let claims = br#"{"iss":"https://auth.example","sub":"ada","scope":"read"}"#;
    println!("josecraft tour\n");

    // 1. Sign and verify with three algorithms. Every key is bound to one algorithm.
    let hs = HmacKey::generate(JwsAlgorithm::Hs256)?.with_key_id("hmac-1");
    let es = SigningKey::generate(JwsAlgorithm::Es256)?.with_key_id("ec-1");
    let ed = SigningKey::generate(JwsAlgorithm::EdDsa)?.with_key_id("ed-1");
    let header = JwsHeader::new().with_typ("JWT");

    let tokens = [
        ("HS256", jws::sign_compact(&header, claims, &hs)?),
        ("ES256", jws::sign_compact(&header, claims, &es)?),
        ("EdDSA", jws::sign_compact(&header, claims, &ed)?),
    ];

    // A resource server holds the public keys (and here the shared secret) in a set, and
    // picks the key by the token's kid and alg.
    let keys = VerifierSet::new()
        .with(hs.clone())
        .with(es.verifying_key())
        .with(ed.verifying_key());
    let options = VerifyOptions::default();
    for (alg, token) in &tokens {
        let verified = jws::verify_compact_with(token, &keys, &options)?;
        println!(
            "signed and verified with {alg:<5} kid={:<7} {} bytes of token",
            verified.header().kid().unwrap_or("-"),
            token.len()
        );
    }

    // 2. Tokens josecraft refuses, and why.
    println!();
    let (_, es_token) = &tokens[1];
    let mut tampered = es_token.clone();
    let i = tampered.find('.').unwrap_or(0) + 3;
    tampered.replace_range(i..i + 1, if &tampered[i..i + 1] == "A" { "B" } else { "A" });
    report(
        "a tampered ES256 token",
        jws::verify_compact_with(&tampered, &keys, &options),
    );

    let unsecured = dangerous::sign_unsecured(&JwsHeader::new().with_kid("ec-1"), claims)?;
    report(
        "an alg:none token",
        jws::verify_compact_with(&unsecured, &keys, &options),
    );

    // RS256→HS256 confusion: an HMAC token keyed with a public key's bytes.
    let public_bytes = es.to_jwk().to_json();
    let forged_key =
        HmacKey::new(JwsAlgorithm::Hs256, public_bytes.as_bytes())?.with_key_id("ec-1");
    let forged = jws::sign_compact(&header, claims, &forged_key)?;
    report(
        "an HS256 token keyed with the EC public key",
        jws::verify_compact_with(&forged, &keys, &options),
    );

    let stranger = SigningKey::generate(JwsAlgorithm::Es256)?.with_key_id("ec-9");
    let unknown = jws::sign_compact(&header, claims, &stranger)?;
    report(
        "a token from an unknown key",
        jws::verify_compact_with(&unknown, &keys, &options),
    );

    println!(
        "\nthe ES256 verifying key as a JWK:\n{}",
        es.to_jwk().to_json()
    );
    Ok(())
}

fn report(what: &str, result: josecraft::Result<jws::VerifiedJws>) {
    match result {
        Ok(_) => println!("UNEXPECTED: {what} was accepted"),
        Err(e) => println!("rejected {what}: {e}"),
    }
}
