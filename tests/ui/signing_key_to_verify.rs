// A SigningKey passed where a verification key is expected: the error must point at
// `.verifying_key()`.
use josecraft::jwt::{self, Validation};
use josecraft::SignatureAlgorithm;
use josecraft::SigningKey;

fn main() {
    let key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let validation = Validation::issuer("i").audience("a");
    let _ = jwt::verify::<serde_json::Value>("t", &key, &validation);
}
