//! `josecraft`: the command-line tool over the josecraft library. Every JOSE rule lives in
//! the library; this crate reads arguments and files, picks keys, and prints.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod failure;
mod input;
mod jsonfmt;
mod keys;

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use args::{Cli, Command, DpopCommand, JwkCommand, JwtCommand, SdJwtCommand};
use failure::Failure;
use input::Inputs;

/// The message of the last panic, recorded by the hook for `main` to report.
static PANIC: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn main() -> ExitCode {
    // Even a bug keeps the failure contract: one `error:` line on stderr and exit 2, never
    // Rust's panic report and 101. The hook only records the message: panics the library
    // contains (a backend refusing a hostile key) must stay contained and silent, so the
    // report is printed only when a panic reaches `main`.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut last) = PANIC.lock() {
            *last = what.replace(['\n', '\r'], " ");
        }
    }));
    // Usage errors from clap exit with 2 and print `error: …` first, as ours do. A missing
    // command is one too: clap would print only the help, so say so first.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("error: a command is required\n");
            eprint!("{}", e.render());
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let inputs = Inputs::default();
    let out = Output { pretty: cli.pretty };
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&cli, &inputs, &out)))
            .unwrap_or_else(|_| {
                let what = PANIC.lock().map(|m| m.clone()).unwrap_or_default();
                Err(Failure::Usage(format!(
                    "internal error in josecraft (please report it): {what}"
                )))
            });
    match result {
        Ok(bytes) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .is_err()
            {
                eprintln!("error: cannot write to standard output");
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            if let Failure::Usage(_) = failure {
                eprintln!("\nFor more information, try '--help'.");
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs the command; what goes to stdout, or the failure.
fn run(cli: &Cli, inputs: &Inputs, out: &Output) -> failure::CliResult<Vec<u8>> {
    match &cli.command {
        Command::Keygen(a) => commands::keygen(a, out),
        Command::Jwk(JwkCommand::Public { file }) => {
            commands::jwk_public(inputs, file.as_deref(), out)
        }
        Command::Jwk(JwkCommand::Thumbprint { hash, kid, file }) => {
            commands::jwk_thumbprint(inputs, hash, kid.as_deref(), file.as_deref())
        }
        Command::Jwk(JwkCommand::FromPem { alg, kid, file }) => {
            commands::jwk_from_pem(inputs, alg.as_deref(), kid.as_deref(), file.as_deref(), out)
        }
        Command::Sign(a) => commands::sign(inputs, a, out),
        Command::Verify(a) => commands::verify(inputs, a),
        Command::Encrypt(a) => commands::encrypt(inputs, a, out),
        Command::Decrypt(a) => commands::decrypt(inputs, a),
        Command::Jwt(JwtCommand::Sign(a)) => commands::jwt_sign(inputs, a),
        Command::Jwt(JwtCommand::Verify(a)) => commands::jwt_verify(inputs, a),
        Command::Decode(a) => commands::decode(inputs, a, out),
        Command::Dpop(DpopCommand::Proof(a)) => commands::dpop_proof(inputs, a),
        Command::Dpop(DpopCommand::Verify(a)) => commands::dpop_verify(inputs, a, out),
        Command::SdJwt(SdJwtCommand::Issue(a)) => commands::sd_jwt_issue(inputs, a),
        Command::SdJwt(SdJwtCommand::Present(a)) => commands::sd_jwt_present(inputs, a, out),
        Command::SdJwt(SdJwtCommand::Verify(a)) => commands::sd_jwt_verify(inputs, a, out),
    }
}

/// How JSON output is laid out.
pub struct Output {
    pub pretty: bool,
}

impl Output {
    /// JSON text laid out as asked, with one newline.
    pub fn json(&self, json: &str) -> Vec<u8> {
        let mut s = jsonfmt::layout(json, self.pretty);
        s.push('\n');
        s.into_bytes()
    }

    /// A line of text (a compact token, a thumbprint).
    pub fn line(text: &str) -> Vec<u8> {
        let mut v = text.as_bytes().to_vec();
        v.push(b'\n');
        v
    }
}
