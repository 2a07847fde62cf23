//! Content encryption (RFC 7518 §5): the CEK, IV and AAD in, ciphertext and tag out.

use zeroize::Zeroizing;

use super::ContentEncryption;
use crate::alg::ContentOp;
use crate::crypto::{aes, rand};
use crate::error::{Error, Result};

/// Encrypts with a fresh random IV; returns (IV, ciphertext, tag).
pub(crate) fn encrypt(
    enc: ContentEncryption,
    cek: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let iv = rand::bytes(enc.iv_len())?;
    let (ciphertext, tag) = encrypt_with_iv(enc, cek, &iv, aad, plaintext)?;
    Ok((iv, ciphertext, tag))
}

/// Encrypts with the given IV (known-answer tests fix it; everything else uses
/// [`encrypt`]).
pub(crate) fn encrypt_with_iv(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let failed = || Error::key(format!("the content key does not fit {enc}"));
    if cek.len() != enc.key_len() || iv.len() != enc.iv_len() {
        return Err(failed());
    }
    match enc.op() {
        ContentOp::AesGcm => {
            let iv: &[u8; aes::GCM_IV_LEN] = iv.try_into().map_err(|_| failed())?;
            let (ct, tag) = aes::gcm_encrypt(cek, iv, aad, plaintext).ok_or_else(failed)?;
            Ok((ct, tag.to_vec()))
        }
        ContentOp::AesCbcHmac(sha) => {
            let iv: &[u8; aes::CBC_IV_LEN] = iv.try_into().map_err(|_| failed())?;
            aes::cbc_hs_encrypt(sha, cek, iv, aad, plaintext).ok_or_else(failed)
        }
    }
}

/// Decrypts and authenticates; `None` for any failure, including a CEK of the wrong length.
pub(crate) fn decrypt(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if cek.len() != enc.key_len() || iv.len() != enc.iv_len() || tag.len() != enc.tag_len() {
        return None;
    }
    match enc.op() {
        ContentOp::AesGcm => aes::gcm_decrypt(cek, iv, aad, ciphertext, tag),
        ContentOp::AesCbcHmac(sha) => aes::cbc_hs_decrypt(sha, cek, iv, aad, ciphertext, tag),
    }
}
