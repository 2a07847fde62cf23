//! Misuse that must not compile, and must say what to do instead: a key of the wrong
//! algorithm family (`HmacKey::new(EcdsaAlgorithm::Es256, ..)`); a `SigningKey` or a `RemoteJwks` given to the
//! synchronous `jwt::verify` names `.verifying_key()` and `verify_async`
//! (`#[diagnostic::on_unimplemented]` on the key traits). The expected messages are in
//! `tests/ui/*.stderr`; regenerate them with `TRYBUILD=overwrite` after a deliberate change.

#[test]
fn key_type_mistakes_explain_themselves() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
