//! Running the built `josecraft` binary in a scratch directory.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// Every JWS algorithm the CLI signs with.
pub const JWS_ALGS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "ES256K", "EdDSA", "Ed25519",
];

/// Every JWE key-management algorithm with a key of its own (all but `dir`).
pub const JWE_ALGS: &[&str] = &[
    "A128KW",
    "A192KW",
    "A256KW",
    "A128GCMKW",
    "A192GCMKW",
    "A256GCMKW",
    "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW",
    "PBES2-HS512+A256KW",
    "ECDH-ES",
    "ECDH-ES+A128KW",
    "ECDH-ES+A192KW",
    "ECDH-ES+A256KW",
    "RSA-OAEP",
    "RSA-OAEP-256",
    "RSA-OAEP-384",
    "RSA-OAEP-512",
];

/// Every JWE content encryption.
pub const ENCS: &[&str] = &[
    "A128GCM",
    "A192GCM",
    "A256GCM",
    "A128CBC-HS256",
    "A192CBC-HS384",
    "A256CBC-HS512",
];

pub struct Env {
    dir: tempfile::TempDir,
}

pub struct Out {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    args: String,
}

/// Test fixtures shared with the library's tests.
pub fn vector(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(rel)
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_with_stdin(args, None)
    }

    /// Runs with `JOSECRAFT_CRYPTO_PROVIDER` set to `provider` and asserts success.
    pub fn ok_under(&self, provider: &str, args: &[&str]) -> Vec<u8> {
        self.spawn(args, None, Some(provider)).ok()
    }

    pub fn run_in(&self, args: &[&str], stdin: impl AsRef<[u8]>) -> Out {
        self.run_with_stdin(args, Some(stdin.as_ref()))
    }

    fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Out {
        self.spawn(args, stdin, None)
    }

    fn spawn(&self, args: &[&str], stdin: Option<&[u8]>, provider: Option<&str>) -> Out {
        let mut command = Command::new(env!("CARGO_BIN_EXE_josecraft"));
        if let Some(p) = provider {
            command.env(josecraft::CRYPTO_PROVIDER_ENV, p);
        }
        let mut child = command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            // The command may exit before reading everything; that is its right.
            let _ = pipe.write_all(input);
        }
        let out = child.wait_with_output().unwrap();
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            args: args.join(" "),
        }
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> Vec<u8> {
        self.run(args).ok()
    }

    /// A new key from `keygen`, written to `name`.
    pub fn keygen(&self, name: &str, args: &[&str]) -> String {
        let mut all = vec!["keygen"];
        all.extend_from_slice(args);
        let jwk = self.ok(&all);
        self.write(name, jwk)
    }
}

impl Out {
    pub fn ok(self) -> Vec<u8> {
        assert_eq!(
            self.code, 0,
            "`josecraft {}` failed: {}",
            self.args, self.stderr
        );
        self.stdout
    }

    pub fn text(self) -> String {
        String::from_utf8(self.ok()).unwrap()
    }

    /// One line ending in exactly one newline; returns it without the newline.
    pub fn line(self) -> String {
        let text = self.text();
        assert!(
            text.ends_with('\n') && !text[..text.len() - 1].contains('\n'),
            "{text:?}"
        );
        text.trim_end_matches('\n').to_string()
    }

    pub fn json(self) -> Value {
        serde_json::from_str(&self.line()).unwrap()
    }

    /// Asserts the failure contract: the exit code, nothing on stdout, and stderr starting
    /// with one `error: …` line. Returns that line.
    pub fn fails(self, code: i32) -> String {
        assert_eq!(
            self.code, code,
            "`josecraft {}`: expected exit {code}, stderr: {}",
            self.args, self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "`josecraft {}`: stdout not empty on failure",
            self.args
        );
        assert!(
            self.stderr.starts_with("error: "),
            "`josecraft {}`: stderr {:?}",
            self.args,
            self.stderr
        );
        let first = self.stderr.lines().next().unwrap().to_string();
        if code == 1 {
            assert_eq!(
                self.stderr.trim_end(),
                first,
                "exit 1 prints the error line only"
            );
        }
        first
    }
}
