#![no_main]
//! Structure-aware JWK fuzzing: keys built member by member from meaningful integers
//! (0, 1, 2, n, n−1, n+1, the real primes and exponents of a key, swapped or mismatched
//! CRT members, curve orders and field primes) and raw bytes, for every `kty` and curve
//! name, then every conversion: validation, JWS and JWE keys for every algorithm, key sets,
//! thumbprints, export. Random bytes almost never make a 2048-bit modulus; this target
//! starts from one, which is how a hostile private JWK reached the `rsa` crate's prime
//! recovery and panicked.

use std::sync::LazyLock;
use josecraft::{AsymmetricKeyManagement, ContentEncryption, HmacAlgorithm, SignatureAlgorithm};

use josecraft::base64url;
use josecraft::KeyManagementAlgorithm;
use josecraft::jwk::{DecryptorPolicy, Jwk, JwkSet, ThumbprintHash, VerifierPolicy};
use josecraft::JwsAlgorithm;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// The members of the fixed RSA key, decoded.
struct Rsa {
    n: Vec<u8>,
    e: Vec<u8>,
    d: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    dp: Vec<u8>,
    dq: Vec<u8>,
    qi: Vec<u8>,
}

static RSA: LazyLock<Rsa> = LazyLock::new(|| {
    let v: Value = serde_json::from_str(include_str!("../keys/rsa-oaep-256.jwk")).unwrap();
    let m = |k: &str| base64url::decode(v[k].as_str().unwrap()).unwrap();
    Rsa {
        n: m("n"),
        e: m("e"),
        d: m("d"),
        p: m("p"),
        q: m("q"),
        dp: m("dp"),
        dq: m("dq"),
        qi: m("qi"),
    }
});

/// The members of the fixed P-256 key, decoded.
static EC: LazyLock<(Vec<u8>, Vec<u8>, Vec<u8>)> = LazyLock::new(|| {
    let v: Value = serde_json::from_str(include_str!("../keys/es256.jwk")).unwrap();
    let m = |k: &str| base64url::decode(v[k].as_str().unwrap()).unwrap();
    (m("x"), m("y"), m("d"))
});

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// P-256's group order and field prime.
static P256_N: LazyLock<Vec<u8>> = LazyLock::new(|| {
    hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
});
static P256_P: LazyLock<Vec<u8>> = LazyLock::new(|| {
    hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
});

fn add(x: &[u8], up: bool) -> Vec<u8> {
    let mut out = x.to_vec();
    for b in out.iter_mut().rev() {
        let (v, carry) = if up {
            b.overflowing_add(1)
        } else {
            b.overflowing_sub(1)
        };
        *b = v;
        if !carry {
            break;
        }
    }
    out
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Int {
    Zero,
    One,
    Two,
    Three,
    Sixty5537,
    N,
    NMinus1,
    NPlus1,
    E,
    D,
    DPlus1,
    P,
    Q,
    Dp,
    Dq,
    Qi,
    P256Order,
    P256OrderMinus1,
    P256Prime,
    EcX,
    EcY,
    EcD,
    Ones { len: u8 },
    Zeros { len: u8 },
    Byte { value: u8, len: u8 },
}

impl Int {
    fn bytes(self, raw: &[u8]) -> Vec<u8> {
        let r = &*RSA;
        match self {
            Int::Zero => vec![0],
            Int::One => vec![1],
            Int::Two => vec![2],
            Int::Three => vec![3],
            Int::Sixty5537 => vec![1, 0, 1],
            Int::N => r.n.clone(),
            Int::NMinus1 => add(&r.n, false),
            Int::NPlus1 => add(&r.n, true),
            Int::E => r.e.clone(),
            Int::D => r.d.clone(),
            Int::DPlus1 => add(&r.d, true),
            Int::P => r.p.clone(),
            Int::Q => r.q.clone(),
            Int::Dp => r.dp.clone(),
            Int::Dq => r.dq.clone(),
            Int::Qi => r.qi.clone(),
            Int::P256Order => P256_N.clone(),
            Int::P256OrderMinus1 => add(&P256_N, false),
            Int::P256Prime => P256_P.clone(),
            Int::EcX => EC.0.clone(),
            Int::EcY => EC.1.clone(),
            Int::EcD => EC.2.clone(),
            Int::Ones { len } => vec![0xff; usize::from(len) + 1],
            Int::Zeros { len } => vec![0; usize::from(len) + 1],
            Int::Byte { value, len } => {
                let mut v = raw.to_vec();
                v.resize(usize::from(len) + 1, value);
                v
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Curve {
    P256,
    P384,
    P521,
    Secp256k1,
    Ed25519,
    X25519,
    Ed448,
    X448,
    Other,
}

impl Curve {
    fn name(&self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Secp256k1 => "secp256k1",
            Curve::Ed25519 => "Ed25519",
            Curve::X25519 => "X25519",
            Curve::Ed448 => "Ed448",
            Curve::X448 => "X448",
            Curve::Other => "P-192",
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Key {
    Rsa {
        n: Int,
        e: Int,
        d: Option<Int>,
        crt: Option<[Int; 5]>,
        oth: bool,
    },
    Ec {
        crv: Curve,
        x: Int,
        y: Int,
        d: Option<Int>,
    },
    Okp {
        crv: Curve,
        x: Int,
        d: Option<Int>,
    },
    Oct {
        k: Int,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    key: Key,
    /// Index into the JWS then JWE algorithm names; out of range: no `alg`.
    alg: u8,
    key_use: Option<bool>,
    raw: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let raw = &input.raw;
    let b = |i: Int| Value::from(base64url::encode(i.bytes(raw)));
    let mut m = Map::new();
    match input.key {
        Key::Rsa { n, e, d, crt, oth } => {
            m.insert("kty".into(), "RSA".into());
            m.insert("n".into(), b(n));
            m.insert("e".into(), b(e));
            if let Some(d) = d {
                m.insert("d".into(), b(d));
            }
            if let Some([p, q, dp, dq, qi]) = crt {
                for (name, v) in [("p", p), ("q", q), ("dp", dp), ("dq", dq), ("qi", qi)] {
                    m.insert(name.into(), b(v));
                }
            }
            if oth {
                m.insert("oth".into(), Value::Array(Vec::new()));
            }
        }
        Key::Ec { crv, x, y, d } => {
            m.insert("kty".into(), "EC".into());
            m.insert("crv".into(), crv.name().into());
            m.insert("x".into(), b(x));
            m.insert("y".into(), b(y));
            if let Some(d) = d {
                m.insert("d".into(), b(d));
            }
        }
        Key::Okp { crv, x, d } => {
            m.insert("kty".into(), "OKP".into());
            m.insert("crv".into(), crv.name().into());
            m.insert("x".into(), b(x));
            if let Some(d) = d {
                m.insert("d".into(), b(d));
            }
        }
        Key::Oct { k } => {
            m.insert("kty".into(), "oct".into());
            m.insert("k".into(), b(k));
        }
    }
    let names: Vec<&str> = JwsAlgorithm::ALL
        .iter()
        .map(|a| a.name())
        .chain(KeyManagementAlgorithm::ALL.iter().map(|a| a.name()))
        .collect();
    if let Some(name) = names.get(usize::from(input.alg)) {
        m.insert("alg".into(), (*name).into());
    }
    if let Some(sig) = input.key_use {
        m.insert("use".into(), if sig { "sig" } else { "enc" }.into());
    }
    let doc = serde_json::to_vec(&Value::Object(m)).unwrap();
    let Ok(jwk) = Jwk::from_json(&doc) else {
        return;
    };
    let _ = jwk.validate();
    let _ = jwk.thumbprint_b64(ThumbprintHash::Sha256);
    let _ = jwk.to_public();
    let _ = jwk.to_spki_der();
    let _ = jwk.to_pkcs8_der();
    let json = jwk.to_json();
    assert!(!json.is_empty());
    let again = Jwk::from_json(json.as_bytes()).expect("a parsed JWK re-parses");
    assert_eq!(again.to_json(), json);
    let _ = jwk.to_hmac_key(None);
    let _ = jwk.to_symmetric_key(None, None);
    for &alg in HmacAlgorithm::ALL {
        let _ = jwk.to_hmac_key(Some(alg));
    }
    for &alg in SignatureAlgorithm::ALL {
        let _ = jwk.to_verifying_key(Some(alg));
        let _ = jwk.to_signing_key(Some(alg));
    }
    for alg in KeyManagementAlgorithm::ALL {
        for enc in ContentEncryption::ALL {
            let _ = jwk.to_symmetric_key(Some(alg), Some(enc));
        }
    }
    for &alg in AsymmetricKeyManagement::ALL {
        let _ = jwk.to_encryption_key(Some(alg));
        let _ = jwk.to_decryption_key(Some(alg));
    }
    let set = JwkSet::new().with(jwk.clone());
    let _ = set.verifier();
    let _ = set.verifier_with(&VerifierPolicy::new().with_algorithm(JwsAlgorithm::Rs256));
    let _ = set.decryptor_with(
        &DecryptorPolicy::new().with_algorithm(KeyManagementAlgorithm::RsaOaep256),
    );
    assert!(!set.to_json().is_empty());
});
