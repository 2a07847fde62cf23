//! Cost accounting: how much costly work (PBES2 derivations, RSA private-key operations,
//! ECDH agreements) one token can make a recipient do, counted by a key that tallies its
//! own calls. Limits on sizes do not bound this: a small JSON JWE with 16 recipients once
//! made one key run 16 PBES2 derivations. Each case is checked at and above its bound.

use josecraft::{AsymmetricKeyManagement, SymmetricKeyManagement, Untrusted};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use josecraft::jwe::{
    ContentEncryptionKey, DecryptionKey, DecryptorSet, EncryptedJson, JweJsonBuilder, KeyDecryptor,
    KeyEncryptor, SymmetricKey,
};
use josecraft::ParseOptions;
use josecraft::{ContentEncryption, KeyManagementAlgorithm};
use josecraft::{Error, JweHeader, KeySelectionError, Limit, Limits};

/// A decryption key that counts how often it is asked to recover a CEK.
struct Counting<K> {
    inner: K,
    calls: Arc<AtomicUsize>,
}

impl<K: KeyDecryptor> KeyDecryptor for Counting<K> {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        self.inner.algorithm()
    }
    fn key_id(&self) -> Option<&str> {
        self.inner.key_id()
    }
    fn content_encryption(&self) -> Option<ContentEncryption> {
        self.inner.content_encryption()
    }
    fn decrypt_key(
        &self,
        enc: ContentEncryption,
        encrypted_key: &[u8],
        header: &Untrusted<JweHeader>,
        limits: &Limits,
    ) -> josecraft::Result<ContentEncryptionKey> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.decrypt_key(enc, encrypted_key, header, limits)
    }
}

fn counting<K>(inner: K) -> (Counting<K>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    (
        Counting {
            inner,
            calls: Arc::clone(&calls),
        },
        calls,
    )
}

/// The costly algorithms, each with a key pair (decryptor, encryptor).
fn costly_keys(kid: Option<&str>) -> Vec<(DecryptorKind, Box<dyn KeyEncryptor>)> {
    let with = |k: SymmetricKey| match kid {
        Some(kid) => k.with_key_id(kid),
        None => k,
    };
    let with_d = |k: DecryptionKey| match kid {
        Some(kid) => k.with_key_id(kid),
        None => k,
    };
    let pbes2 = with(
        SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"correct horse")
            .unwrap()
            .with_pbes2_count(1000)
            .unwrap(),
    );
    let rsa = with_d(DecryptionKey::generate(AsymmetricKeyManagement::RsaOaep256).unwrap());
    let ecdh = with_d(DecryptionKey::generate(AsymmetricKeyManagement::EcdhEsA128Kw).unwrap());
    vec![
        (
            DecryptorKind::Symmetric(pbes2.clone()),
            Box::new(pbes2) as Box<dyn KeyEncryptor>,
        ),
        (
            DecryptorKind::Asymmetric(rsa.clone()),
            Box::new(rsa.encryption_key()),
        ),
        (
            DecryptorKind::Asymmetric(ecdh.clone()),
            Box::new(ecdh.encryption_key()),
        ),
    ]
}

#[derive(Clone)]
enum DecryptorKind {
    Symmetric(SymmetricKey),
    Asymmetric(DecryptionKey),
}

impl KeyDecryptor for DecryptorKind {
    fn algorithm(&self) -> KeyManagementAlgorithm {
        match self {
            Self::Symmetric(k) => KeyDecryptor::algorithm(k),
            Self::Asymmetric(k) => KeyDecryptor::algorithm(k),
        }
    }
    fn key_id(&self) -> Option<&str> {
        match self {
            Self::Symmetric(k) => KeyDecryptor::key_id(k),
            Self::Asymmetric(k) => KeyDecryptor::key_id(k),
        }
    }
    fn decrypt_key(
        &self,
        enc: ContentEncryption,
        encrypted_key: &[u8],
        header: &Untrusted<JweHeader>,
        limits: &Limits,
    ) -> josecraft::Result<ContentEncryptionKey> {
        match self {
            Self::Symmetric(k) => k.decrypt_key(enc, encrypted_key, header, limits),
            Self::Asymmetric(k) => k.decrypt_key(enc, encrypted_key, header, limits),
        }
    }
}

/// A general JSON JWE with `n` recipients, all for `key`, each with the given `kid`s.
fn many_recipients(key: &dyn KeyEncryptor, kids: &[Option<&str>]) -> String {
    let mut b = JweJsonBuilder::new(ContentEncryption::A128Gcm);
    for kid in kids {
        let header = kid.map(|k| JweHeader::new().with_kid(k));
        b = b.with_recipient(key, header);
    }
    b.general(b"payload").unwrap()
}

fn parse(json: &str, limits: Limits) -> EncryptedJson {
    EncryptedJson::parse_with(json, &ParseOptions::default().with_limits(limits)).unwrap()
}

#[test]
fn sixteen_kidless_recipients_cost_no_costly_work_for_one_key() {
    for (key, encryptor) in costly_keys(None) {
        let alg = key.algorithm();
        let token = many_recipients(&*encryptor, &[None; 16]);
        let (counted, calls) = counting(key.clone());
        let e = parse(&token, Limits::default())
            .decrypt(&counted)
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::KeySelection(KeySelectionError::SeveralRecipients { count: 16, .. })
            ),
            "{alg}: {e:?}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{alg}");
        // The same through a key set: the set selects the key for each recipient, and the
        // key is still tried on one recipient only.
        let (counted, calls) = counting(key.clone());
        let set = DecryptorSet::new().with(counted);
        let e = parse(&token, Limits::default()).decrypt(&set).unwrap_err();
        assert!(
            matches!(
                e,
                Error::KeySelection(KeySelectionError::SeveralRecipients { .. })
            ),
            "{alg}: {e:?}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{alg}");
    }
}

#[test]
fn a_kid_picks_the_one_recipient_a_costly_key_is_tried_on() {
    for (key, encryptor) in costly_keys(Some("mine")) {
        let alg = key.algorithm();
        let others: Vec<String> = (0..15).map(|i| format!("other-{i}")).collect();
        let mut kids: Vec<Option<&str>> = others.iter().map(|k| Some(k.as_str())).collect();
        kids.push(Some("mine"));
        let token = many_recipients(&*encryptor, &kids);
        let (counted, calls) = counting(key.clone());
        let d = parse(&token, Limits::default()).decrypt(&counted).unwrap();
        assert_eq!(d.plaintext(), b"payload", "{alg}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "{alg}");
        let (counted, calls) = counting(key);
        let set = DecryptorSet::new().with(counted);
        let d = parse(&token, Limits::default()).decrypt(&set).unwrap();
        assert_eq!(d.plaintext(), b"payload", "{alg}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "{alg}");
    }
}

#[test]
fn costly_work_over_several_keys_is_bounded_at_and_above_the_limit() {
    // A set of three PBES2 keys, and a JWE naming all three; only the last one decrypts
    // (the others were encrypted with other passwords under the same kids).
    let real = |kid: &str, pw: &[u8]| {
        SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, pw)
            .unwrap()
            .with_pbes2_count(1000)
            .unwrap()
            .with_key_id(kid)
    };
    let senders = [
        real("a", b"wrong-a"),
        real("b", b"wrong-b"),
        real("c", b"pw-c"),
    ];
    let mut builder = JweJsonBuilder::new(ContentEncryption::A128Gcm);
    for s in &senders {
        builder = builder.with_recipient(s, None);
    }
    let token = builder.general(b"three").unwrap();
    let ours = [real("a", b"pw-a"), real("b", b"pw-b"), real("c", b"pw-c")];
    // Costly attempts run in recipient order and stop at the limit.
    for (limit, expect_ok) in [(1usize, false), (2, false), (3, true), (4, true)] {
        let mut set = DecryptorSet::new();
        let mut tallies = Vec::new();
        for k in &ours {
            let (c, calls) = counting(k.clone());
            set.insert(c);
            tallies.push(calls);
        }
        let r = parse(&token, Limits::default().with_max_costly_unwraps(limit)).decrypt(&set);
        let total: usize = tallies.iter().map(|c| c.load(Ordering::SeqCst)).sum();
        if expect_ok {
            assert_eq!(r.unwrap().plaintext(), b"three");
            assert_eq!(total, 3, "limit {limit}");
        } else {
            assert_eq!(
                r.unwrap_err(),
                Error::LimitExceeded {
                    limit: Limit::CostlyUnwraps,
                    max: limit as u64
                },
                "limit {limit}"
            );
            assert_eq!(total, limit, "exactly the limit's worth of derivations");
        }
    }
    // Compact JWEs obey the limit too: zero means no costly key management at all.
    let compact = josecraft::jwe::encrypt_compact(
        &JweHeader::new(),
        b"x",
        ContentEncryption::A128Gcm,
        &ours[2],
    )
    .unwrap();
    let opts = ParseOptions::default().with_limits(Limits::default().with_max_costly_unwraps(0));
    assert!(matches!(
        josecraft::jwe::EncryptedCompact::parse_with(&compact, &opts)
            .and_then(|u| u.decrypt(&ours[2])),
        Err(Error::LimitExceeded {
            limit: Limit::CostlyUnwraps,
            ..
        })
    ));
}

#[test]
fn cheap_key_wraps_still_try_every_fitting_recipient() {
    // AES key wrap costs microseconds: a kid-less key is tried on each recipient for its
    // algorithm, so a JWE whose recipient for us is not the first still decrypts.
    let others = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    let ours = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    let mut b = JweJsonBuilder::new(ContentEncryption::A128Gcm);
    for _ in 0..15 {
        b = b.with_recipient(&others, None);
    }
    let token = b.with_recipient(&ours, None).general(b"last").unwrap();
    let (counted, calls) = counting(ours);
    let d = parse(&token, Limits::default()).decrypt(&counted).unwrap();
    assert_eq!(d.plaintext(), b"last");
    assert_eq!(calls.load(Ordering::SeqCst), 16);
}

#[test]
fn a_jwe_for_two_of_our_costly_keys_decrypts_with_the_first() {
    // RSA-OAEP for kid a and ECDH-ES for kid b, both ours: the first decrypts, with one
    // costly operation, under the default limit of one.
    let rsa = DecryptionKey::generate(AsymmetricKeyManagement::RsaOaep256)
        .unwrap()
        .with_key_id("a");
    let ec = DecryptionKey::generate(AsymmetricKeyManagement::EcdhEsA128Kw)
        .unwrap()
        .with_key_id("b");
    let token = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&rsa.encryption_key(), None)
        .with_recipient(&ec.encryption_key(), None)
        .general(b"both")
        .unwrap();
    let (r, rc) = counting(rsa);
    let (e, ec_calls) = counting(ec);
    let set = DecryptorSet::new().with(r).with(e);
    let d = parse(&token, Limits::default()).decrypt(&set).unwrap();
    assert_eq!(d.plaintext(), b"both");
    assert_eq!(
        rc.load(Ordering::SeqCst) + ec_calls.load(Ordering::SeqCst),
        1
    );
    // A cheap recipient that decrypts wins even when a costly key is ambiguous.
    let pw = SymmetricKey::new(SymmetricKeyManagement::Pbes2Hs256A128Kw, b"pw")
        .unwrap()
        .with_pbes2_count(1000)
        .unwrap();
    let kw = SymmetricKey::generate(SymmetricKeyManagement::A128Kw).unwrap();
    let token = JweJsonBuilder::new(ContentEncryption::A128Gcm)
        .with_recipient(&pw, None)
        .with_recipient(&pw, None)
        .with_recipient(&kw, None)
        .general(b"cheap")
        .unwrap();
    let (p, pc) = counting(pw);
    let set = DecryptorSet::new().with(p).with(kw);
    let d = parse(&token, Limits::default()).decrypt(&set).unwrap();
    assert_eq!(d.plaintext(), b"cheap");
    assert_eq!(pc.load(Ordering::SeqCst), 0);
}
