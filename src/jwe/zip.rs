//! `zip: "DEF"` (RFC 7516 §4.1.3): raw DEFLATE (RFC 1951), inflated as a stream with a cap
//! so that a small token cannot expand into gigabytes (a "zip bomb").

use std::io::{Read, Write};

use crate::error::{Error, Limit, Part, Result};

/// Compresses with raw DEFLATE.
pub(crate) fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data)
        .and_then(|()| enc.finish())
        .map_err(|e| Error::malformed(Part::Payload, format!("deflate failed: {e}")))
}

/// Inflates raw DEFLATE, stopping as soon as the output would exceed `max` bytes.
pub(crate) fn inflate(data: &[u8], max: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut reader = flate2::read::DeflateDecoder::new(data).take(max as u64 + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| Error::malformed(Part::Ciphertext, format!("invalid DEFLATE data: {e}")))?;
    if out.len() > max {
        return Err(Error::limit(Limit::DecompressedSize, max));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_cap() {
        let data =
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".repeat(100);
        let z = deflate(&data).unwrap();
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
    }
}
