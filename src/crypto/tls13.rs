//! A rustls crypto provider for josecraft's own JWKS fetcher (`http` feature), written once
//! over the ring API that both ring and aws-lc-rs offer: each provider includes this file
//! with its backend as `super::lib`, webpki's algorithms for it as
//! `super::webpki_algorithms`, and its `super::agree_ephemeral` (the one call whose
//! signature differs).
//!
//! Why not rustls' own `ring` or `aws-lc-rs` provider: enabling a provider feature of rustls changes the
//! application's rustls too (Cargo unifies features). With both `ring` and `aws-lc-rs`
//! enabled, rustls can no longer pick a process default, and code elsewhere in the
//! application that calls `ClientConfig::builder()` (or a reqwest client without its own
//! provider) panics. Enabling josecraft's `http` feature must not change how anything else
//! in the program behaves, so josecraft brings this provider instead and enables no rustls
//! provider feature at all.
//!
//! It speaks TLS 1.3 only (RFC 8446; enabling rustls' `tls12` feature would also be
//! visible to the application): AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 suites,
//! X25519, P-256 and P-384 key exchange, and certificate signature checks from webpki's
//! algorithms for the backend. It is a client provider: it loads no private keys.

use std::fmt;
use std::sync::Arc;

use super::lib::{aead, agreement, digest, hmac, rand};
use super::webpki_algorithms as alg;
use rustls::crypto::cipher::{
    make_tls13_aad, AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv, MessageDecrypter,
    MessageEncrypter, Nonce, OutboundOpaqueMessage, OutboundPlainMessage, PrefixedPayload,
    Tls13AeadAlgorithm, UnsupportedOperationError,
};
use rustls::crypto::tls13::HkdfUsingHmac;
use rustls::crypto::{
    hash, ActiveKeyExchange, CipherSuiteCommon, CryptoProvider, GetRandomFailed, KeyProvider,
    SecureRandom, SharedSecret, SupportedKxGroup, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::{
    CipherSuite, ConnectionTrafficSecrets, ContentType, NamedGroup, ProtocolVersion,
    SignatureScheme, SupportedCipherSuite, Tls13CipherSuite,
};

/// The provider josecraft's HTTP fetcher builds its TLS configuration with.
pub(super) fn provider() -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        cipher_suites: vec![
            SupportedCipherSuite::Tls13(&TLS13_AES_256_GCM_SHA384),
            SupportedCipherSuite::Tls13(&TLS13_AES_128_GCM_SHA256),
            SupportedCipherSuite::Tls13(&TLS13_CHACHA20_POLY1305_SHA256),
        ],
        kx_groups: vec![&X25519, &SECP256R1, &SECP384R1],
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        secure_random: &Backend,
        key_provider: &Backend,
    })
}

// ---------------------------------------------------------------- cipher suites

/// AES-GCM keys are good for 2^24 full-size records (rustls' figure for AES-GCM); ChaCha20
/// has no practical limit.
const AES_GCM_LIMIT: u64 = 1 << 24;

static SHA256: Sha = Sha(&digest::SHA256, hash::HashAlgorithm::SHA256);
static SHA384: Sha = Sha(&digest::SHA384, hash::HashAlgorithm::SHA384);
static HMAC_SHA256: Hmac = Hmac(hmac::HMAC_SHA256);
static HMAC_SHA384: Hmac = Hmac(hmac::HMAC_SHA384);
static HKDF_SHA256: HkdfUsingHmac<'static> = HkdfUsingHmac(&HMAC_SHA256);
static HKDF_SHA384: HkdfUsingHmac<'static> = HkdfUsingHmac(&HMAC_SHA384);

static TLS13_AES_128_GCM_SHA256: Tls13CipherSuite = Tls13CipherSuite {
    common: CipherSuiteCommon {
        suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
        hash_provider: &SHA256,
        confidentiality_limit: AES_GCM_LIMIT,
    },
    hkdf_provider: &HKDF_SHA256,
    aead_alg: &Aead(&aead::AES_128_GCM),
    quic: None,
};

static TLS13_AES_256_GCM_SHA384: Tls13CipherSuite = Tls13CipherSuite {
    common: CipherSuiteCommon {
        suite: CipherSuite::TLS13_AES_256_GCM_SHA384,
        hash_provider: &SHA384,
        confidentiality_limit: AES_GCM_LIMIT,
    },
    hkdf_provider: &HKDF_SHA384,
    aead_alg: &Aead(&aead::AES_256_GCM),
    quic: None,
};

static TLS13_CHACHA20_POLY1305_SHA256: Tls13CipherSuite = Tls13CipherSuite {
    common: CipherSuiteCommon {
        suite: CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
        hash_provider: &SHA256,
        confidentiality_limit: u64::MAX,
    },
    hkdf_provider: &HKDF_SHA256,
    aead_alg: &Aead(&aead::CHACHA20_POLY1305),
    quic: None,
};

/// A hash function for the handshake transcript.
struct Sha(&'static digest::Algorithm, hash::HashAlgorithm);

impl hash::Hash for Sha {
    fn start(&self) -> Box<dyn hash::Context> {
        Box::new(ShaContext(digest::Context::new(self.0)))
    }
    fn hash(&self, data: &[u8]) -> hash::Output {
        hash::Output::new(digest::digest(self.0, data).as_ref())
    }
    fn output_len(&self) -> usize {
        self.0.output_len()
    }
    fn algorithm(&self) -> hash::HashAlgorithm {
        self.1
    }
}

struct ShaContext(digest::Context);

impl hash::Context for ShaContext {
    fn fork_finish(&self) -> hash::Output {
        hash::Output::new(self.0.clone().finish().as_ref())
    }
    fn fork(&self) -> Box<dyn hash::Context> {
        Box::new(ShaContext(self.0.clone()))
    }
    fn finish(self: Box<Self>) -> hash::Output {
        hash::Output::new(self.0.finish().as_ref())
    }
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
}

/// HMAC, from which rustls builds the TLS 1.3 key schedule's HKDF (RFC 5869).
struct Hmac(hmac::Algorithm);

impl rustls::crypto::hmac::Hmac for Hmac {
    fn with_key(&self, key: &[u8]) -> Box<dyn rustls::crypto::hmac::Key> {
        Box::new(HmacKey(hmac::Key::new(self.0, key)))
    }
    fn hash_output_len(&self) -> usize {
        self.0.digest_algorithm().output_len()
    }
}

struct HmacKey(hmac::Key);

impl rustls::crypto::hmac::Key for HmacKey {
    fn sign_concat(
        &self,
        first: &[u8],
        middle: &[&[u8]],
        last: &[u8],
    ) -> rustls::crypto::hmac::Tag {
        let mut ctx = hmac::Context::with_key(&self.0);
        ctx.update(first);
        for m in middle {
            ctx.update(m);
        }
        ctx.update(last);
        rustls::crypto::hmac::Tag::new(ctx.sign().as_ref())
    }
    fn tag_len(&self) -> usize {
        self.0.algorithm().digest_algorithm().output_len()
    }
}

/// A TLS 1.3 record AEAD (RFC 8446 §5.2): the per-record nonce is the IV XOR the sequence
/// number, the additional data the record header, the inner content type follows the data.
struct Aead(&'static aead::Algorithm);

impl Tls13AeadAlgorithm for Aead {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        // rustls hands over a key of `key_len()` bytes; were it not, every record fails.
        match aead::UnboundKey::new(self.0, key.as_ref()) {
            Ok(k) => Box::new(Sealer {
                key: aead::LessSafeKey::new(k),
                iv,
            }),
            Err(_) => Box::new(Broken),
        }
    }
    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        match aead::UnboundKey::new(self.0, key.as_ref()) {
            Ok(k) => Box::new(Opener {
                key: aead::LessSafeKey::new(k),
                iv,
            }),
            Err(_) => Box::new(Broken),
        }
    }
    fn key_len(&self) -> usize {
        self.0.key_len()
    }
    fn extract_keys(
        &self,
        _key: AeadKey,
        _iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        // Kernel TLS offload is not offered: the keys stay inside rustls.
        Err(UnsupportedOperationError)
    }
}

struct Sealer {
    key: aead::LessSafeKey,
    iv: Iv,
}

impl MessageEncrypter for Sealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, rustls::Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        payload.extend_from_chunks(&msg.payload);
        payload.extend_from_slice(&msg.typ.to_array());
        let nonce = aead::Nonce::assume_unique_for_key(Nonce::new(&self.iv, seq).0);
        self.key
            .seal_in_place_append_tag(
                nonce,
                aead::Aad::from(make_tls13_aad(total_len)),
                &mut payload,
            )
            .map_err(|_| rustls::Error::EncryptError)?;
        // RFC 8446 §5.1: protected records carry application_data and the legacy version.
        Ok(OutboundOpaqueMessage::new(
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            payload,
        ))
    }
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + self.key.algorithm().tag_len()
    }
}

struct Opener {
    key: aead::LessSafeKey,
    iv: Iv,
}

impl MessageDecrypter for Opener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, rustls::Error> {
        let payload = &mut msg.payload;
        if payload.len() < self.key.algorithm().tag_len() {
            return Err(rustls::Error::DecryptError);
        }
        let nonce = aead::Nonce::assume_unique_for_key(Nonce::new(&self.iv, seq).0);
        let aad = aead::Aad::from(make_tls13_aad(payload.len()));
        let plain_len = self
            .key
            .open_in_place(nonce, aad, payload)
            .map_err(|_| rustls::Error::DecryptError)?
            .len();
        payload.truncate(plain_len);
        msg.into_tls13_unpadded_message()
    }
}

/// Stands in for a record protector that could not be built: it fails every record.
struct Broken;

impl MessageEncrypter for Broken {
    fn encrypt(
        &mut self,
        _msg: OutboundPlainMessage<'_>,
        _seq: u64,
    ) -> Result<OutboundOpaqueMessage, rustls::Error> {
        Err(rustls::Error::EncryptError)
    }
    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        // As a real sealer would say (content type and a 16-byte tag); nothing is sealed.
        payload_len + 1 + 16
    }
}

impl MessageDecrypter for Broken {
    fn decrypt<'a>(
        &mut self,
        _msg: InboundOpaqueMessage<'a>,
        _seq: u64,
    ) -> Result<InboundPlainMessage<'a>, rustls::Error> {
        Err(rustls::Error::DecryptError)
    }
}

// ---------------------------------------------------------------- key exchange

/// An ephemeral ECDH group (RFC 8446 §4.2.7).
struct Group {
    name: NamedGroup,
    agreement: &'static agreement::Algorithm,
    /// The length of a key share: 32 bytes for X25519, an uncompressed point for the NIST
    /// curves (RFC 8446 §4.2.8.2).
    share_len: usize,
}

impl fmt::Debug for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.name)
    }
}

static X25519: Group = Group {
    name: NamedGroup::X25519,
    agreement: &agreement::X25519,
    share_len: 32,
};
static SECP256R1: Group = Group {
    name: NamedGroup::secp256r1,
    agreement: &agreement::ECDH_P256,
    share_len: 65,
};
static SECP384R1: Group = Group {
    name: NamedGroup::secp384r1,
    agreement: &agreement::ECDH_P384,
    share_len: 97,
};

impl SupportedKxGroup for Group {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        let rng = rand::SystemRandom::new();
        let private = agreement::EphemeralPrivateKey::generate(self.agreement, &rng)
            .map_err(|_| GetRandomFailed)?;
        let public = private.compute_public_key().map_err(|_| GetRandomFailed)?;
        Ok(Box::new(Exchange {
            name: self.name,
            agreement: self.agreement,
            share_len: self.share_len,
            private,
            public: public.as_ref().to_vec(),
        }))
    }
    fn name(&self) -> NamedGroup {
        self.name
    }
}

struct Exchange {
    name: NamedGroup,
    agreement: &'static agreement::Algorithm,
    share_len: usize,
    private: agreement::EphemeralPrivateKey,
    public: Vec<u8>,
}

impl ActiveKeyExchange for Exchange {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, rustls::Error> {
        // The share's form first (RFC 8446 §4.2.8.2: exactly 32 bytes, or an uncompressed
        // point); the backend then validates the point and refuses an all-zero X25519 secret
        // (§7.4.2).
        let uncompressed = self.share_len == 32 || peer_pub_key.first() == Some(&4);
        if peer_pub_key.len() != self.share_len || !uncompressed {
            return Err(rustls::PeerMisbehaved::InvalidKeyShare.into());
        }
        let peer = agreement::UnparsedPublicKey::new(self.agreement, peer_pub_key);
        super::agree_ephemeral(self.private, &peer)
            .ok_or_else(|| rustls::Error::from(rustls::PeerMisbehaved::InvalidKeyShare))
    }
    fn pub_key(&self) -> &[u8] {
        &self.public
    }
    fn group(&self) -> NamedGroup {
        self.name
    }
}

// ---------------------------------------------------------------- the rest

#[derive(Debug)]
struct Backend;

impl SecureRandom for Backend {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        use super::lib::rand::SecureRandom as _;
        rand::SystemRandom::new()
            .fill(buf)
            .map_err(|_| GetRandomFailed)
    }
}

impl KeyProvider for Backend {
    fn load_private_key(
        &self,
        _key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn rustls::sign::SigningKey>, rustls::Error> {
        // A client without client certificates never loads a private key.
        Err(rustls::Error::General(
            "josecraft's JWKS fetcher does not use client certificates".into(),
        ))
    }
}

/// Certificate and handshake signature checks: webpki's algorithms for the backend. TLS 1.3 signs
/// handshakes with ECDSA, EdDSA or RSA-PSS; certificates may also carry PKCS#1 v1.5.
static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        alg::ECDSA_P256_SHA256,
        alg::ECDSA_P256_SHA384,
        alg::ECDSA_P384_SHA256,
        alg::ECDSA_P384_SHA384,
        alg::ED25519,
        alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        alg::RSA_PKCS1_2048_8192_SHA256,
        alg::RSA_PKCS1_2048_8192_SHA384,
        alg::RSA_PKCS1_2048_8192_SHA512,
        alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[alg::ECDSA_P384_SHA384, alg::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[alg::ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[alg::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[alg::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[alg::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};
