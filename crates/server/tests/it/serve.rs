//! `storyreel-server serve` as a real process on loopback: the address
//! line, a real HTTP exchange, a clear error without a build, and a clean
//! exit on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_storyreel-server");
const WAIT: Duration = Duration::from_secs(10);

/// Kills the server if a test fails before stopping it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><title>Storyreel</title>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("storyreel-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    dir
}

/// Starts `serve --port 0` and returns the server and its announced URL.
fn start(dist: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
        .arg(dist)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start storyreel-server");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(WAIT).expect("the address line in time");
    let url = line
        .trim_end()
        .strip_prefix("storyreel-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    (server, url)
}

/// A bare HTTP/1.1 GET; returns the whole response as text.
fn http_get(url: &str, path: &str) -> String {
    let host = url.strip_prefix("http://").expect("http URL");
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read response");
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn announces_the_real_port_and_serves() {
    let d = dist();
    let (_server, url) = start(d.path());
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad URL {url}"));
    assert_ne!(port, 0);

    let res = http_get(&url, "/healthz");
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.ends_with("ok"), "{res}");

    let res = http_get(&url, "/storyreel-0123456789abcdef_bg.wasm").to_ascii_lowercase();
    assert!(res.contains("content-type: application/wasm"), "{res}");
    assert!(
        res.contains("cache-control: public, max-age=31536000, immutable"),
        "{res}"
    );
    assert!(res.contains("x-content-type-options: nosniff"), "{res}");

    let res = http_get(&url, "/some/route").to_ascii_lowercase();
    assert!(res.starts_with("http/1.1 200"), "{res}");
    assert!(res.contains("cache-control: no-cache"), "{res}");
    assert!(res.contains("<title>storyreel</title>"), "{res}");
}

/// Sends `signal` right after the announcement and expects a clean exit.
#[cfg(unix)]
fn stops_cleanly_on(signal: &str) {
    let d = dist();
    let (mut server, _url) = start(d.path());
    let status = Command::new("kill")
        .args([signal, &server.0.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            assert!(status.success(), "exit after {signal}: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after {signal}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_sigterm() {
    stops_cleanly_on("-TERM");
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_ctrl_c() {
    stops_cleanly_on("-INT");
}

#[test]
fn missing_dist_names_the_path_and_the_fix() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("no-such-dist");
    let out = Command::new(BIN)
        .args(["serve", "--port", "0", "--dist"])
        .arg(&missing)
        .output()
        .expect("run storyreel-server");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout without a server");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(err.contains("cargo xtask serve"), "{err}");
}
