//! AES for ring's provider: GCM on ring for 128 and 256-bit keys; AES-192-GCM and AES-CBC,
//! which ring lacks, on the RustCrypto `aes-gcm` and `aes` + `cbc` crates (AES Key Wrap is
//! in `crypto::rustcrypto`); PBKDF2 on ring.

use std::num::NonZeroU32;

use aes_gcm::aead::{AeadInOut, KeyInit};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use zeroize::Zeroizing;

use crate::crypto::digest::Sha;

/// AES-192-GCM with the standard 96-bit nonce and 128-bit tag; ring has no AES-192.
type Aes192Gcm = aes_gcm::AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>;

const GCM_TAG_LEN: usize = 16;

/// AES-GCM encryption; `key` is 16, 24 or 32 bytes. Returns ciphertext and tag.
pub(super) fn gcm_seal(
    key: &[u8],
    iv: &[u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> Option<(Vec<u8>, [u8; GCM_TAG_LEN])> {
    let mut buf = plaintext.to_vec();
    let tag: [u8; GCM_TAG_LEN] = match key.len() {
        16 | 32 => {
            let alg = if key.len() == 16 {
                &aead::AES_128_GCM
            } else {
                &aead::AES_256_GCM
            };
            let key = LessSafeKey::new(UnboundKey::new(alg, key).ok()?);
            let tag = key
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(*iv),
                    Aad::from(aad),
                    &mut buf,
                )
                .ok()?;
            tag.as_ref().try_into().ok()?
        }
        24 => {
            let cipher = Aes192Gcm::new_from_slice(key).ok()?;
            let nonce = aes_gcm::Nonce::try_from(&iv[..]).ok()?;
            let tag = cipher
                .encrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into())
                .ok()?;
            tag.as_slice().try_into().ok()?
        }
        _ => return None,
    };
    Some((buf, tag))
}

/// AES-GCM decryption; `None` unless the tag verifies.
pub(super) fn gcm_open(
    key: &[u8],
    iv: &[u8; 12],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8; GCM_TAG_LEN],
) -> Option<Zeroizing<Vec<u8>>> {
    match key.len() {
        16 | 32 => {
            let alg = if key.len() == 16 {
                &aead::AES_128_GCM
            } else {
                &aead::AES_256_GCM
            };
            let key = LessSafeKey::new(UnboundKey::new(alg, key).ok()?);
            let mut buf = Zeroizing::new(Vec::with_capacity(ciphertext.len() + GCM_TAG_LEN));
            buf.extend_from_slice(ciphertext);
            buf.extend_from_slice(tag);
            let len = key
                .open_in_place(Nonce::assume_unique_for_key(*iv), Aad::from(aad), &mut buf)
                .ok()?
                .len();
            buf.truncate(len);
            Some(buf)
        }
        24 => {
            let cipher = Aes192Gcm::new_from_slice(key).ok()?;
            let nonce = aes_gcm::Nonce::try_from(&iv[..]).ok()?;
            let tag = aes_gcm::Tag::try_from(&tag[..]).ok()?;
            let mut buf = Zeroizing::new(ciphertext.to_vec());
            cipher
                .decrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into(), &tag)
                .ok()?;
            Some(buf)
        }
        _ => None,
    }
}

/// Plain AES-CBC with PKCS#7 padding (the encryption half of AES_CBC_HMAC_SHA2).
pub(super) fn cbc_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Option<Vec<u8>> {
    Some(match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv[..])
            .ok()?
            .encrypt_padded_vec::<Pkcs7>(plaintext),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, &iv[..])
            .ok()?
            .encrypt_padded_vec::<Pkcs7>(plaintext),
        32 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &iv[..])
            .ok()?
            .encrypt_padded_vec::<Pkcs7>(plaintext),
        _ => return None,
    })
}

/// Plain AES-CBC decryption and PKCS#7 unpadding. Unauthenticated: only ever called after
/// the tag has been verified.
pub(super) fn cbc_decrypt(
    key: &[u8],
    iv: &[u8; 16],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let plaintext = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, &iv[..])
            .ok()?
            .decrypt_padded_vec::<Pkcs7>(ciphertext),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, &iv[..])
            .ok()?
            .decrypt_padded_vec::<Pkcs7>(ciphertext),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, &iv[..])
            .ok()?
            .decrypt_padded_vec::<Pkcs7>(ciphertext),
        _ => return None,
    };
    plaintext.ok().map(Zeroizing::new)
}

/// PBKDF2 with HMAC-SHA-2 (RFC 8018 §5.2), as PBES2 uses it (RFC 7518 §4.8.1.2).
pub(super) fn pbkdf2(
    sha: Sha,
    password: &[u8],
    salt: &[u8],
    iterations: NonZeroU32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let alg = match sha {
        Sha::Sha256 => ring::pbkdf2::PBKDF2_HMAC_SHA256,
        Sha::Sha384 => ring::pbkdf2::PBKDF2_HMAC_SHA384,
        Sha::Sha512 => ring::pbkdf2::PBKDF2_HMAC_SHA512,
    };
    let mut out = Zeroizing::new(vec![0u8; len]);
    ring::pbkdf2::derive(alg, iterations, salt, password, &mut out);
    out
}
