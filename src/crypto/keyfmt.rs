//! Key encodings: PKCS#8, SPKI, PKCS#1, SEC 1 and X.509 in DER or PEM (RFC 5208, 5280,
//! 5480, 5915, 8017, 8410, 7468), decoded with the RustCrypto `der` family into plain key
//! material that the key types then validate, and keys encoded back as SPKI and PKCS#8.
//! Pure encoding, shared by every provider.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};
use zeroize::Zeroizing;

use super::ec::Curve;
use super::rsa::RsaPrivateParts;
use super::{PrivateKey, PublicKey};
use crate::error::{Error, Part, Result};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");

/// Private key material as found in a key file, not yet validated.
pub(crate) enum PrivateKeyMaterial {
    Rsa(RsaPrivateParts),
    Ec {
        curve: Curve,
        d: Zeroizing<Vec<u8>>,
        public: Option<Vec<u8>>,
    },
    Ed25519 {
        seed: Zeroizing<Vec<u8>>,
        public: Option<Vec<u8>>,
    },
    X25519 {
        d: Zeroizing<Vec<u8>>,
        public: Option<Vec<u8>>,
    },
}

/// Public key material as found in a key file, not yet validated.
pub(crate) enum PublicKeyMaterial {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Curve, point: Vec<u8> },
    Ed25519(Vec<u8>),
    X25519(Vec<u8>),
}

/// What a PEM or DER document held.
pub(crate) enum KeyDocument {
    Private(PrivateKeyMaterial),
    Public(PublicKeyMaterial),
    /// An X.509 certificate: its subject public key and the certificate's DER.
    Certificate {
        public: PublicKeyMaterial,
        der: Vec<u8>,
    },
}

fn bad(format: &str, e: impl std::fmt::Display) -> Error {
    Error::malformed(Part::Key, format!("not a valid {format} key: {e}"))
}

/// A PKCS#8 `PrivateKeyInfo` (RFC 5208, RFC 5958).
pub(crate) fn pkcs8_der(der: &[u8]) -> Result<PrivateKeyMaterial> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| bad("pkcs#8", e))?;
    let key = info.private_key.as_bytes();
    let oid = info.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        pkcs1_private_der(key)
    } else if oid == EC_PUBLIC_KEY {
        let curve = curve_param(info.algorithm.parameters)?;
        sec1_der(key, Some(curve))
    } else if oid == ED25519 || oid == X25519 {
        let seed = <&OctetStringRef>::from_der(key).map_err(|e| bad("okp pkcs#8", e))?;
        let public = match &info.public_key {
            Some(bits) => Some(
                bits.as_bytes()
                    .ok_or_else(|| bad("ed25519 pkcs#8", "public key has unused bits"))?
                    .to_vec(),
            ),
            None => None,
        };
        let seed = Zeroizing::new(seed.as_bytes().to_vec());
        Ok(if oid == ED25519 {
            PrivateKeyMaterial::Ed25519 { seed, public }
        } else {
            PrivateKeyMaterial::X25519 { d: seed, public }
        })
    } else {
        Err(unsupported_oid(&oid))
    }
}

/// A PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2).
pub(crate) fn pkcs1_private_der(der: &[u8]) -> Result<PrivateKeyMaterial> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|e| bad("pkcs#1 rsa private", e))?;
    if key.other_prime_infos.is_some() {
        return Err(Error::unsupported("multi-prime rsa keys"));
    }
    Ok(PrivateKeyMaterial::Rsa(RsaPrivateParts {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
        d: key.private_exponent.as_bytes().to_vec(),
        p: key.prime1.as_bytes().to_vec(),
        q: key.prime2.as_bytes().to_vec(),
        dp: key.exponent1.as_bytes().to_vec(),
        dq: key.exponent2.as_bytes().to_vec(),
        qi: key.coefficient.as_bytes().to_vec(),
    }))
}

/// A SEC 1 `ECPrivateKey` (RFC 5915). The curve comes from the key's own parameters or,
/// inside PKCS#8, from the algorithm identifier; the two must agree when both are there.
pub(crate) fn sec1_der(der: &[u8], outer: Option<Curve>) -> Result<PrivateKeyMaterial> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|e| bad("sec1 ec private", e))?;
    let inner = match key.parameters.and_then(|p| p.named_curve()) {
        Some(oid) => Some(curve_oid(&oid)?),
        None => None,
    };
    let curve = match (outer, inner) {
        (Some(a), Some(b)) if a != b => {
            return Err(bad("ec private", "the curve is given twice, differently"))
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => return Err(bad("sec1 ec private", "no named curve")),
    };
    Ok(PrivateKeyMaterial::Ec {
        curve,
        d: Zeroizing::new(key.private_key.to_vec()),
        public: key.public_key.map(<[u8]>::to_vec),
    })
}

/// A `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7, RFC 5480, RFC 8410).
pub(crate) fn spki_der(der: &[u8]) -> Result<PublicKeyMaterial> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| bad("spki public", e))?;
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| bad("spki public", "key bits are not whole bytes"))?;
    public_from(spki.algorithm.oid, spki.algorithm.parameters, key)
}

fn public_from(
    oid: ObjectIdentifier,
    params: Option<AnyRef<'_>>,
    key: &[u8],
) -> Result<PublicKeyMaterial> {
    if oid == RSA_ENCRYPTION {
        pkcs1_public_der(key)
    } else if oid == EC_PUBLIC_KEY {
        Ok(PublicKeyMaterial::Ec {
            curve: curve_param(params)?,
            point: key.to_vec(),
        })
    } else if oid == ED25519 {
        Ok(PublicKeyMaterial::Ed25519(key.to_vec()))
    } else if oid == X25519 {
        Ok(PublicKeyMaterial::X25519(key.to_vec()))
    } else {
        Err(unsupported_oid(&oid))
    }
}

/// A PKCS#1 `RSAPublicKey` (RFC 8017 §A.1.1).
pub(crate) fn pkcs1_public_der(der: &[u8]) -> Result<PublicKeyMaterial> {
    let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(der)
        .map_err(|e| bad("pkcs#1 rsa public", e))?;
    Ok(PublicKeyMaterial::Rsa {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
    })
}

/// The subject public key of an X.509 certificate (RFC 5280). The certificate is not
/// validated in any other way: no chain, no dates, no signature.
pub(crate) fn certificate_der(der: &[u8]) -> Result<PublicKeyMaterial> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|e| bad("x.509 certificate", e))?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| bad("x.509 certificate", e))?;
    spki_der(&spki)
}

/// Any DER document: PKCS#8, SPKI, X.509, PKCS#1 (private, public) or SEC 1, tried in that
/// order. Each has a distinct ASN.1 structure, so at most one can match.
pub(crate) fn der_any(der: &[u8]) -> Result<KeyDocument> {
    let mut unsupported = None;
    let mut note = |e: Error| {
        if matches!(e, Error::Unsupported(_)) && unsupported.is_none() {
            unsupported = Some(e);
        }
    };
    match pkcs8_der(der) {
        Ok(k) => return Ok(KeyDocument::Private(k)),
        Err(e) => note(e),
    }
    match spki_der(der) {
        Ok(k) => return Ok(KeyDocument::Public(k)),
        Err(e) => note(e),
    }
    match certificate_der(der) {
        Ok(public) => {
            return Ok(KeyDocument::Certificate {
                public,
                der: der.to_vec(),
            })
        }
        Err(e) => note(e),
    }
    match pkcs1_private_der(der) {
        Ok(k) => return Ok(KeyDocument::Private(k)),
        Err(e) => note(e),
    }
    match pkcs1_public_der(der) {
        Ok(k) => return Ok(KeyDocument::Public(k)),
        Err(e) => note(e),
    }
    match sec1_der(der, None) {
        Ok(k) => return Ok(KeyDocument::Private(k)),
        Err(e) => note(e),
    }
    // A key we recognise but cannot use says so; anything else is not a key.
    Err(unsupported.unwrap_or_else(|| {
        Error::malformed(
            Part::Key,
            "not a DER key in any supported format (PKCS#8, SPKI, X.509, PKCS#1, SEC 1)",
        )
    }))
}

/// The first key of a PEM document (RFC 7468), chosen by its label. Blocks with the
/// label `EC PARAMETERS` (written by `openssl ecparam -genkey`) are skipped.
pub(crate) fn pem(text: &[u8]) -> Result<KeyDocument> {
    for block in pem_blocks(text)? {
        let (label, der) = pem_rfc7468::decode_vec(block)
            .map_err(|e| Error::malformed(Part::Key, format!("pem: {e}")))?;
        let der = Zeroizing::new(der);
        return match label {
            "EC PARAMETERS" => continue,
            "PRIVATE KEY" => pkcs8_der(&der).map(KeyDocument::Private),
            "RSA PRIVATE KEY" => pkcs1_private_der(&der).map(KeyDocument::Private),
            "EC PRIVATE KEY" => sec1_der(&der, None).map(KeyDocument::Private),
            "PUBLIC KEY" => spki_der(&der).map(KeyDocument::Public),
            "RSA PUBLIC KEY" => pkcs1_public_der(&der).map(KeyDocument::Public),
            "CERTIFICATE" => certificate_der(&der).map(|public| KeyDocument::Certificate {
                public,
                der: der.to_vec(),
            }),
            "ENCRYPTED PRIVATE KEY" => Err(Error::unsupported(
                "encrypted pkcs#8 keys; decrypt it first (e.g. openssl pkcs8 -in key.pem -out plain.pem)",
            )),
            other => Err(Error::malformed(
                Part::Key,
                format!("pem label \"{}\" is not a key", other.escape_debug()),
            )),
        };
    }
    Err(Error::malformed(Part::Key, "pem: no key block"))
}

/// Splits a PEM document into its `-----BEGIN` … `-----END …-----` blocks, ignoring text
/// between them (explanatory text is allowed by RFC 7468 §5.2).
fn pem_blocks(text: &[u8]) -> Result<Vec<&[u8]>> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, BEGIN) {
        let from_start = &rest[start..];
        let end = find(from_start, END)
            .ok_or_else(|| Error::malformed(Part::Key, "pem: BEGIN without END"))?;
        let after_end = &from_start[end + END.len()..];
        let close = find(after_end, b"-----")
            .ok_or_else(|| Error::malformed(Part::Key, "pem: unterminated END line"))?;
        let len = end + END.len() + close + 5;
        blocks.push(&from_start[..len]);
        rest = &from_start[len..];
    }
    Ok(blocks)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn curve_param(params: Option<AnyRef<'_>>) -> Result<Curve> {
    let oid: ObjectIdentifier = params
        .ok_or_else(|| bad("ec", "no curve parameters"))?
        .decode_as()
        .map_err(|_| Error::unsupported("ec keys with explicit curve parameters"))?;
    curve_oid(&oid)
}

fn curve_oid(oid: &ObjectIdentifier) -> Result<Curve> {
    Curve::from_oid(&oid.to_string())
        .ok_or_else(|| Error::unsupported(format!("elliptic curve with oid {oid}")))
}

fn unsupported_oid(oid: &ObjectIdentifier) -> Error {
    Error::unsupported(format!("key algorithm with oid {oid}"))
}

// Encoding: keys out.

fn der_error(e: der::Error) -> Error {
    Error::malformed(Part::Key, format!("cannot encode the key: {e}"))
}

fn uint(bytes: &[u8]) -> Result<der::asn1::UintRef<'_>> {
    der::asn1::UintRef::new(bytes).map_err(der_error)
}

/// A public key as a DER `SubjectPublicKeyInfo` (RFC 5280, 5480, 8410).
pub(crate) fn spki_encode(key: &PublicKey) -> Result<Vec<u8>> {
    let curve_oid;
    let (oid, params, bits): (ObjectIdentifier, Option<AnyRef<'_>>, Vec<u8>) = match key {
        PublicKey::Rsa(k) => return rsa_spki(k.n(), k.e()),
        PublicKey::Ec(k) => {
            curve_oid = ObjectIdentifier::new(k.curve().oid()).map_err(|e| der_error(e.into()))?;
            (
                EC_PUBLIC_KEY,
                Some(AnyRef::from(&curve_oid)),
                k.sec1_uncompressed().to_vec(),
            )
        }
        PublicKey::Ed25519(k) => (ED25519, None, k.as_bytes().to_vec()),
        PublicKey::X25519(k) => (X25519, None, k.as_bytes().to_vec()),
    };
    spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid,
            parameters: params,
        },
        subject_public_key: BitStringRef::from_bytes(&bits).map_err(der_error)?,
    }
    .to_der()
    .map_err(der_error)
}

/// An RSA public key (`n`, `e`, big-endian) as a DER `SubjectPublicKeyInfo` (RFC 3279).
pub(crate) fn rsa_spki(n: &[u8], e: &[u8]) -> Result<Vec<u8>> {
    let pkcs1 = pkcs1::RsaPublicKey {
        modulus: uint(n)?,
        public_exponent: uint(e)?,
    }
    .to_der()
    .map_err(der_error)?;
    spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid: RSA_ENCRYPTION,
            parameters: Some(AnyRef::NULL),
        },
        subject_public_key: BitStringRef::from_bytes(&pkcs1).map_err(der_error)?,
    }
    .to_der()
    .map_err(der_error)
}

/// An EC private scalar as a DER `ECPrivateKey` (RFC 5915) naming its curve, without the
/// public point.
#[cfg(feature = "aws-lc")]
pub(crate) fn sec1_private(curve: Curve, d: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let oid = ObjectIdentifier::new(curve.oid()).map_err(|e| der_error(e.into()))?;
    Ok(Zeroizing::new(
        sec1::EcPrivateKey {
            private_key: d,
            parameters: Some(sec1::EcParameters::NamedCurve(oid)),
            public_key: None,
        }
        .to_der()
        .map_err(der_error)?,
    ))
}

pub(crate) fn pkcs8_encode(key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    let curve_oid;
    let (oid, params, inner): (ObjectIdentifier, Option<AnyRef<'_>>, Zeroizing<Vec<u8>>) = match key
    {
        PrivateKey::Rsa(k) => {
            let p = k.parts();
            let der = pkcs1::RsaPrivateKey {
                modulus: uint(&p.n)?,
                public_exponent: uint(&p.e)?,
                private_exponent: uint(&p.d)?,
                prime1: uint(&p.p)?,
                prime2: uint(&p.q)?,
                exponent1: uint(&p.dp)?,
                exponent2: uint(&p.dq)?,
                coefficient: uint(&p.qi)?,
                other_prime_infos: None,
            }
            .to_der()
            .map_err(der_error)?;
            (RSA_ENCRYPTION, Some(AnyRef::NULL), Zeroizing::new(der))
        }
        PrivateKey::Ec(k) => {
            curve_oid = ObjectIdentifier::new(k.curve().oid()).map_err(|e| der_error(e.into()))?;
            let der = sec1::EcPrivateKey {
                private_key: k.d(),
                parameters: None,
                public_key: Some(k.public().sec1_uncompressed()),
            }
            .to_der()
            .map_err(der_error)?;
            (
                EC_PUBLIC_KEY,
                Some(AnyRef::from(&curve_oid)),
                Zeroizing::new(der),
            )
        }
        PrivateKey::Ed25519(k) => (ED25519, None, octets(k.seed())?),
        PrivateKey::X25519(k) => (X25519, None, octets(&*k.secret_bytes())?),
    };
    let info = pkcs8::PrivateKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid,
            parameters: params,
        },
        private_key: OctetStringRef::new(&inner).map_err(der_error)?,
        public_key: None,
    };
    Ok(Zeroizing::new(info.to_der().map_err(der_error)?))
}

/// `CurvePrivateKey ::= OCTET STRING` (RFC 8410 §7).
fn octets(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    Ok(Zeroizing::new(
        OctetStringRef::new(bytes)
            .map_err(der_error)?
            .to_der()
            .map_err(der_error)?,
    ))
}

pub(crate) fn pem_encode(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| Error::malformed(Part::Key, format!("cannot encode pem: {e}")))
}
