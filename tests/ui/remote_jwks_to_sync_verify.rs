// A RemoteJwks passed to the synchronous verify: the error must point at verify_async.
use josecraft::jwt::{self, Validation};
use josecraft::keysource::{Fetched, RemoteJwks};

fn main() {
    let jwks = RemoteJwks::new(|| async { Ok(Fetched::new(b"{\"keys\":[]}".to_vec())) });
    let validation = Validation::issuer("i").audience("a");
    let _ = jwt::verify::<serde_json::Value>("t", &jwks, &validation);
}
