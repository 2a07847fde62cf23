//! The auth server binary refuses bad configuration from its environment with the reason
//! and a non-zero exit, before it listens, instead of panicking; a good one starts it.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The exit status and standard error of the auth server started with `var=value`; a
/// server still running after 30 s (it accepted the value) is killed and fails the test.
fn auth_server_with(var: &str, value: &str) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_auth_server"))
        .arg("0")
        .env(var, value)
        .env_remove("JOSECRAFT_SIGNING_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the auth server accepted {var} and started");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status, stderr)
}

#[test]
fn a_refresh_secret_under_32_bytes_stops_the_server_with_the_reason() {
    // 31 bytes, valid base64url.
    let short = josecraft::base64url::encode([9u8; 31]);
    let (status, stderr) = auth_server_with("JOSECRAFT_REFRESH_SECRET", &short);
    assert!(!status.success());
    assert!(stderr.contains("JOSECRAFT_REFRESH_SECRET"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.contains(&short),
        "the secret is never printed: {stderr}"
    );
}

#[test]
fn a_refresh_secret_that_is_not_base64url_stops_the_server() {
    let (status, stderr) = auth_server_with("JOSECRAFT_REFRESH_SECRET", "not base64url!");
    assert!(!status.success());
    assert!(stderr.contains("JOSECRAFT_REFRESH_SECRET"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_refresh_secret_of_32_bytes_is_accepted() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_auth_server"))
        .arg("0")
        .env(
            "JOSECRAFT_REFRESH_SECRET",
            josecraft::base64url::encode([9u8; 32]),
        )
        .env_remove("JOSECRAFT_SIGNING_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read its output on a thread, so that a server that never says it listens fails the
    // test after 30 s instead of hanging it.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.starts_with("auth server on") {
                let _ = tx.send(line);
                break;
            }
        }
    });
    let listening = rx.recv_timeout(Duration::from_secs(30));
    let _ = child.kill();
    let _ = child.wait();
    assert!(listening.is_ok(), "the auth server did not start");
}
