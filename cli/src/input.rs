//! Reading files, standard input and tokens.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::failure::{rejected, usage, CliResult};

/// A token longer than this is refused while reading: the library's cap is 1 MB, and the
/// extra room is for surrounding whitespace.
const MAX_TOKEN_READ: u64 = 1_000_000 + 64 * 1024;

/// Hands out standard input at most once per run.
#[derive(Default)]
pub struct Inputs {
    stdin_taken_by: Cell<Option<&'static str>>,
}

impl Inputs {
    fn take_stdin(&self, what: &'static str) -> CliResult<()> {
        if let Some(first) = self.stdin_taken_by.get() {
            return Err(usage(format!(
                "standard input cannot be both the {first} and the {what}"
            )));
        }
        self.stdin_taken_by.set(Some(what));
        Ok(())
    }

    /// Whether the named input comes from standard input (absent or `-`).
    pub fn is_stdin(path: Option<&Path>) -> bool {
        path.is_none_or(|p| p == Path::new("-"))
    }

    /// All bytes of a file, or of standard input for `None` or `-`.
    pub fn read(&self, path: Option<&Path>, what: &'static str) -> CliResult<Vec<u8>> {
        self.read_limited(path, what, u64::MAX)
    }

    fn read_limited(
        &self,
        path: Option<&Path>,
        what: &'static str,
        max: u64,
    ) -> CliResult<Vec<u8>> {
        let mut out = Vec::new();
        let result = if Self::is_stdin(path) {
            self.take_stdin(what)?;
            io::stdin().lock().take(max).read_to_end(&mut out)
        } else {
            let path = path.unwrap_or(Path::new("-"));
            let file = File::open(path)
                .map_err(|e| usage(format!("cannot read the {what} {}: {e}", path.display())))?;
            file.take(max).read_to_end(&mut out)
        };
        result.map_err(|e| usage(format!("cannot read the {what}: {e}")))?;
        Ok(out)
    }

    /// The token from `--token`, or from the file (standard input when absent or `-`),
    /// with surrounding ASCII whitespace removed.
    pub fn token(&self, file: Option<&PathBuf>, literal: Option<&str>) -> CliResult<String> {
        if let Some(path) = file {
            let text = path.to_string_lossy();
            if !Self::is_stdin(Some(path)) && !path.exists() && looks_like_a_token(&text) {
                return Err(usage(
                    "TOKEN is a file name, and this is not one but a token: pass a token itself with --token (or on standard input)",
                ));
            }
        }
        let bytes = match literal {
            Some(t) => t.as_bytes().to_vec(),
            None => self.read_limited(file.map(PathBuf::as_path), "token", MAX_TOKEN_READ + 1)?,
        };
        if bytes.len() as u64 > MAX_TOKEN_READ {
            return Err(rejected("malformed token: longer than the 1 MB limit"));
        }
        let text =
            String::from_utf8(bytes).map_err(|_| rejected("malformed token: not UTF-8 text"))?;
        let token = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if token.is_empty() {
            return Err(rejected("malformed token: empty"));
        }
        Ok(token.to_string())
    }

    /// Whether the token comes from standard input.
    pub fn token_from_stdin(file: Option<&PathBuf>, literal: Option<&str>) -> bool {
        literal.is_none() && Self::is_stdin(file.map(PathBuf::as_path))
    }
}

/// Whether text given as a file name is rather a compact JWS or JWE: three or five
/// base64url parts (the header part beginning with `eyJ`, the encoding of `{"`).
fn looks_like_a_token(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('.').collect();
    (parts.len() == 3 || parts.len() == 5)
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_given_as_paths_are_recognised() {
        use super::looks_like_a_token as t;
        assert!(t("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
        assert!(t("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn"));
        assert!(t("eyJhbGciOiJIUzI1NiJ9..c2ln"));
        for not in ["token", "token.jwt", "./a.b.c", "eyJ.a/b.c", "x.y.z", ""] {
            assert!(!t(not), "{not}");
        }
    }
}
