//! Strict base64url (RFC 7515 §2, RFC 4648 §5).
//!
//! JOSE uses the URL-safe alphabet without padding. Decoding here accepts exactly the
//! canonical encoding and nothing else: no `=` padding, no `+` or `/`, no whitespace or line
//! breaks, no length ≡ 1 (mod 4), and no stray bits in the last character. Two different
//! strings therefore never decode to the same bytes, which keeps signatures over the
//! encoded form meaningful (RFC 7519 §7.2).
//!
//! ```
//! use josecraft::base64url;
//!
//! assert_eq!(base64url::encode(b"\xfb\xff"), "-_8");
//! assert_eq!(base64url::decode("-_8")?, b"\xfb\xff");
//! assert!(base64url::decode("-_8=").is_err()); // padding
//! assert!(base64url::decode("-_9").is_err()); // non-zero trailing bits
//! # Ok::<(), josecraft::Error>(())
//! ```

use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use base64::{alphabet, DecodeSliceError, Engine as _};

use crate::error::{Error, Part, Result};

const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Encodes bytes as unpadded base64url.
pub fn encode(input: impl AsRef<[u8]>) -> String {
    ENGINE.encode(input)
}

/// Appends the unpadded base64url encoding of `input` to `out`.
pub fn encode_into(input: impl AsRef<[u8]>, out: &mut String) {
    ENGINE.encode_string(input, out)
}

/// Length of the unpadded base64url encoding of `len` bytes.
pub(crate) const fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + (len % 3 * 4).div_ceil(3)
}

/// Decodes strict, canonical, unpadded base64url.
///
/// # Errors
/// [`Error::Malformed`] (part [`Part::Base64`]) for anything but the canonical encoding.
pub fn decode(input: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    decode_part(input.as_ref(), Part::Base64)
}

/// Decodes `input`, reporting failures as malformed `part`.
pub(crate) fn decode_part(input: &[u8], part: Part) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    decode_into(input, part, &mut out)?;
    Ok(out)
}

/// Decodes `input` into `out` (cleared first), reporting failures as malformed `part`.
pub(crate) fn decode_into(input: &[u8], part: Part, out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    // The exact decoded length is known from the input length alone, so allocate once.
    let len = exact_len(input, part)?;
    out.resize(len, 0);
    let result = decode_exact(input, part, out);
    if result.is_err() {
        out.clear();
    }
    result
}

/// Bytes decoded into an inline buffer of `N` bytes when they fit (headers, signatures:
/// no allocation on the verify path), else onto the heap.
pub(crate) enum Decoded<const N: usize> {
    Inline([u8; N], usize),
    Heap(Vec<u8>),
}

impl<const N: usize> std::ops::Deref for Decoded<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Decoded::Inline(buf, len) => buf.get(..*len).unwrap_or_default(),
            Decoded::Heap(v) => v,
        }
    }
}

impl<const N: usize> std::fmt::Debug for Decoded<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Decoded").field(&&**self).finish()
    }
}

/// Decodes `input` as [`decode_part`] does, inline when it fits in `N` bytes.
pub(crate) fn decode_small<const N: usize>(input: &[u8], part: Part) -> Result<Decoded<N>> {
    let len = exact_len(input, part)?;
    if len > N {
        return decode_part(input, part).map(Decoded::Heap);
    }
    let mut buf = [0u8; N];
    decode_exact(input, part, buf.get_mut(..len).unwrap_or_default())?;
    Ok(Decoded::Inline(buf, len))
}

/// The decoded length of `input`, or the error naming why it cannot be base64url.
fn exact_len(input: &[u8], part: Part) -> Result<usize> {
    decoded_len(input.len()).ok_or_else(|| {
        // Name a stray byte if there is one: more useful than the length.
        let reason = match input.iter().position(|&b| !is_alphabet(b)) {
            Some(i) => describe(base64::DecodeError::InvalidByte(i, input[i])),
            None => "invalid base64url length (1 more than a multiple of 4)".into(),
        };
        Error::malformed(part, reason)
    })
}

/// Decodes into `out`, which has exactly the decoded length.
fn decode_exact(input: &[u8], part: Part, out: &mut [u8]) -> Result<()> {
    let len = out.len();
    Err(match ENGINE.decode_slice(input, out) {
        Ok(n) if n == len => return Ok(()),
        Ok(_) | Err(DecodeSliceError::OutputSliceTooSmall) => {
            Error::malformed(part, "invalid base64url")
        }
        Err(DecodeSliceError::DecodeError(e)) => Error::malformed(part, describe(e)),
    })
}

/// The decoded length of a canonical unpadded encoding of `n` characters, or `None` for a
/// length no canonical encoding has.
pub(crate) const fn decoded_len(n: usize) -> Option<usize> {
    match n % 4 {
        1 => None,
        0 => Some(n / 4 * 3),
        r => Some(n / 4 * 3 + r - 1),
    }
}

fn is_alphabet(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn describe(e: base64::DecodeError) -> String {
    use base64::DecodeError::*;
    match e {
        InvalidByte(offset, byte) => match byte {
            b'=' => format!("base64url padding '=' at offset {offset} (JOSE forbids padding)"),
            b'+' | b'/' => format!(
                "'{}' at offset {offset} is standard base64, not base64url",
                byte as char
            ),
            b' ' | b'\t' | b'\r' | b'\n' => {
                format!("whitespace at offset {offset} is not allowed in base64url")
            }
            _ => format!("invalid base64url byte 0x{byte:02x} at offset {offset}"),
        },
        InvalidLength(_) => "invalid base64url length".into(),
        InvalidLastSymbol { offset, .. } => format!(
            "non-canonical base64url: unused bits of the last character (offset {offset}) are not zero"
        ),
        InvalidPadding => "base64url padding '=' (JOSE forbids padding)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejects(input: &str, needle: &str) {
        match decode(input) {
            Err(Error::Malformed { part, reason }) => {
                assert_eq!(part, Part::Base64);
                assert!(
                    reason.contains(needle),
                    "{input:?}: {reason:?} lacks {needle:?}"
                );
            }
            other => panic!("{input:?} should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..data.len() {
            let enc = encode(&data[..len]);
            assert_eq!(enc.len(), encoded_len(len));
            assert!(!enc.contains('='));
            assert_eq!(decode(&enc).unwrap(), &data[..len]);
        }
    }

    #[test]
    fn rfc4648_vectors_without_padding() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain), enc);
            assert_eq!(decode(enc).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn url_safe_alphabet() {
        assert_eq!(encode([0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn rejects_padding() {
        rejects("Zg==", "padding");
        rejects("Zm8=", "padding");
        rejects("Zm9v====", "padding");
        rejects("=", "padding");
        rejects("Zm9vY", "length");
    }

    #[test]
    fn rejects_standard_alphabet() {
        rejects("+/+/", "standard base64");
        rejects("ab/c", "standard base64");
    }

    #[test]
    fn rejects_whitespace_and_line_breaks() {
        rejects("Zm9v Yg", "whitespace");
        rejects("Zm9v\nYmFy", "whitespace");
        rejects("Zm9v\r\nYmFy", "whitespace");
        rejects("\tZm9v", "whitespace");
        rejects("Zm9vYmFy ", "whitespace");
    }

    #[test]
    fn rejects_other_bytes() {
        rejects("Zm9v.mFy", "invalid base64url byte 0x2e");
        rejects("Zm9v?mFy", "0x3f");
        rejects("Zm9v#mFy", "0x23");
        rejects("Zm9v\u{e9}", "invalid base64url byte");
        rejects("Zm9v\0Ymy", "0x00");
    }

    #[test]
    fn rejects_impossible_lengths() {
        rejects("Z", "length");
        rejects("Zm9vY", "length");
        rejects("Zm9vYmFyZ", "length");
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // "AA" is the canonical encoding of one zero byte; "AB" sets an unused bit.
        assert_eq!(decode("AA").unwrap(), [0]);
        rejects("AB", "non-canonical");
        rejects("Zh", "non-canonical");
        rejects("Zm9", "non-canonical");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
    }

    #[test]
    fn decode_into_reuses_and_clears_on_error() {
        let mut buf = vec![1, 2, 3];
        decode_into(b"Zm9v", Part::Payload, &mut buf).unwrap();
        assert_eq!(buf, b"foo");
        let err = decode_into(b"Zm9v=", Part::Payload, &mut buf).unwrap_err();
        assert!(matches!(
            err,
            Error::Malformed {
                part: Part::Payload,
                ..
            }
        ));
        assert!(buf.is_empty());
    }
}
