//! `zip: "DEF"` (RFC 7516 §4.1.3): raw DEFLATE (RFC 1951), inflated with a cap so that a
//! small token cannot expand into gigabytes (a "zip bomb").
//!
//! Inflation is exact: the data must be one complete DEFLATE stream (ending with a block
//! marked final) and nothing may follow it. A stream without a final block, or bytes after
//! it, are refused rather than inflated as far as they go.

use miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use crate::error::{Error, Limit, Part, Result};

/// Compresses with raw DEFLATE (default level).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 6)
}

/// Inflates one complete raw DEFLATE stream, stopping as soon as the output would exceed
/// `max` bytes.
pub(crate) fn inflate(data: &[u8], max: usize) -> Result<Vec<u8>> {
    let malformed = |why: &str| Error::malformed(Part::Ciphertext, format!("zip DEF: {why}"));
    // Not setting TINFL_FLAG_HAS_MORE_INPUT tells the inflater this is all the input: a
    // stream that ends before its final block is an error, not a pause.
    let flags = TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut state = Box::<DecompressorOxide>::default();
    let initial = data
        .len()
        .saturating_mul(4)
        .max(64)
        .min(max.saturating_add(1));
    let mut out = vec![0u8; initial];
    let (mut read, mut written) = (0usize, 0usize);
    loop {
        let input = data.get(read..).unwrap_or_default();
        let (status, consumed, produced) = decompress(&mut state, input, &mut out, written, flags);
        read = read.saturating_add(consumed);
        written = written.saturating_add(produced);
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() > max {
                    return Err(Error::limit(Limit::DecompressedSize, max));
                }
                let grown = out.len().saturating_mul(2).min(max.saturating_add(1));
                out.resize(grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(malformed("the stream ends before its final block"))
            }
            // Every other status is a failure, including any miniz_oxide may add.
            TINFLStatus::BadParam | TINFLStatus::Adler32Mismatch | TINFLStatus::Failed | _ => {
                return Err(malformed("invalid DEFLATE data"))
            }
        }
    }
    if written > max {
        return Err(Error::limit(Limit::DecompressedSize, max));
    }
    if read != data.len() {
        return Err(malformed("data follows the end of the DEFLATE stream"));
    }
    out.truncate(written);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_cap() {
        let data =
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".repeat(100);
        let z = deflate(&data);
        assert!(z.len() < data.len() / 10);
        assert_eq!(inflate(&z, data.len()).unwrap(), data);
        assert_eq!(
            inflate(&z, data.len() - 1).unwrap_err(),
            Error::limit(Limit::DecompressedSize, data.len() - 1)
        );
        assert!(matches!(
            inflate(b"\xff\xff\xff", 100),
            Err(Error::Malformed { .. })
        ));
        assert_eq!(inflate(&deflate(b""), 0).unwrap(), b"");
    }

    #[test]
    fn only_a_complete_stream_with_nothing_after_it() {
        let z = deflate(b"hello hello hello hello");
        // Trailing bytes, of any value, after the final block.
        for extra in [0u8, 1, 0xff] {
            let mut more = z.clone();
            more.push(extra);
            assert!(matches!(
                inflate(&more, 1000),
                Err(Error::Malformed { reason, .. }) if reason.contains("follows")
            ));
        }
        // Every truncation: the final block never arrives.
        for cut in 0..z.len() {
            assert!(inflate(&z[..cut], 1000).is_err(), "cut at {cut}");
        }
        // A stored block not marked final (BFINAL = 0), complete in itself.
        let not_final = [0x00, 0x02, 0x00, 0xfd, 0xff, b'h', b'i'];
        assert!(inflate(&not_final, 1000).is_err());
        // The same block marked final is fine.
        let final_block = [0x01, 0x02, 0x00, 0xfd, 0xff, b'h', b'i'];
        assert_eq!(inflate(&final_block, 1000).unwrap(), b"hi");
    }

    /// Random byte strings, and real streams with one byte changed, cut short or extended.
    fn candidates() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..48),
            (
                prop::collection::vec(any::<u8>(), 0..200),
                any::<usize>(),
                any::<u8>(),
                0u8..3
            )
                .prop_map(|(plain, at, byte, how)| {
                    let mut z = deflate(&plain);
                    let i = at % (z.len() + 1);
                    match how {
                        0 if i < z.len() => z[i] ^= byte | 1,
                        1 => z.truncate(i),
                        _ => z.insert(i, byte),
                    }
                    z
                }),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Whatever is accepted was one complete stream consumed to its last byte: it
        /// inflates again to the same output, nothing may be appended to it, no proper
        /// prefix of it is a stream, and what it inflates to survives a round trip.
        #[test]
        fn accepted_input_is_exactly_one_complete_stream(data in candidates()) {
            if let Ok(out) = inflate(&data, 10_000) {
                proptest::prop_assert_eq!(inflate(&data, 10_000).unwrap(), out.clone());
                for extra in [0u8, 0x5a, 0xff] {
                    let mut more = data.clone();
                    more.push(extra);
                    proptest::prop_assert!(inflate(&more, 10_000).is_err());
                }
                for cut in 0..data.len() {
                    proptest::prop_assert!(inflate(&data[..cut], 10_000).is_err(), "prefix {} of {}", cut, data.len());
                }
                proptest::prop_assert_eq!(inflate(&deflate(&out), 10_000).unwrap(), out);
            }
        }
    }
}
