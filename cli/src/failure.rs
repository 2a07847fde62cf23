//! How a command fails: the token was rejected (exit 1), or the command could not run as
//! asked (exit 2).

use std::fmt;

/// A failed command. The message becomes the one `error: …` line on stderr.
#[derive(Debug)]
pub enum Failure {
    /// The token was judged and refused: malformed, bad signature, failed decryption,
    /// failed claims, a key that does not fit it. Exit 1.
    Rejected(String),
    /// Bad or conflicting arguments, unreadable files, keys or JSON the library refuses to
    /// load, a key of the wrong kind for the command. Exit 2.
    Usage(String),
}

pub type CliResult<T> = Result<T, Failure>;

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Rejected(_) => 1,
            Self::Usage(_) => 2,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Rejected(m) | Self::Usage(m) => m,
        }
    }
}

/// A usage or input error.
pub fn usage(message: impl fmt::Display) -> Failure {
    Failure::Usage(one_line(message))
}

/// A rejected token.
pub fn rejected(message: impl fmt::Display) -> Failure {
    Failure::Rejected(one_line(message))
}

/// A library error met while loading or preparing a key or argument: exit 2, named.
pub fn key_error(what: &str) -> impl Fn(josecraft::Error) -> Failure + '_ {
    move |e| usage(format!("{what}: {e}"))
}

// The contract is one `error:` line; library messages are single-line, but input echoed
// back (a file name, a claim value) might not be.
fn one_line(message: impl fmt::Display) -> String {
    message
        .to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
