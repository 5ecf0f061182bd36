//! What the server's integration tests share: a dist directory, the
//! whole app (`app::router`) on a loopback port with peer addresses, a
//! recording fake upstream, the server binary as a child process.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use serde_json::{json, Value};
use storyreel_server::api::Api;

pub mod moto;
pub mod sim_call;

pub const BIN: &str = env!("CARGO_BIN_EXE_storyreel-server");
pub const WAIT: Duration = Duration::from_secs(20);

pub const INDEX: &str = "<!DOCTYPE html><html><head><title>Storyreel</title>\
<script type=\"module\">import init from '/storyreel-0123456789abcdef.js';await init();</script>\
</head><body><script>window.x = 1;</script><script src=\"/a.js\"></script></body></html>";

pub fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("index.html");
    std::fs::write(
        dir.path().join("storyreel-0123456789abcdef.js"),
        "export default async function init() {}",
    )
    .expect("js");
    std::fs::write(
        dir.path().join("storyreel-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("wasm");
    dir
}

/// The SHA-256 of `bytes` in lowercase hex: an upload's name.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Serves `app` on loopback with peer addresses; returns `http://ADDR`.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

/// Serves a plain router (a fake upstream) on loopback.
pub async fn listen(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// The whole app for `api` and `dist`, served; returns its URL.
pub async fn serve_api(api: Api, dist: &Path) -> String {
    serve(storyreel_server::app::router(api, dist)).await
}

/// A client that opens a connection per request: a refused body (413)
/// closes its connection, which a pooled client might reuse.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(WAIT)
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The body as JSON (`Null` when it is not).
pub async fn json_of(res: reqwest::Response) -> Value {
    let bytes = res.bytes().await.expect("body");
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// Requests a fake upstream saw: (method, path and query, headers).
pub type Seen = Arc<Mutex<Vec<(String, String, axum::http::HeaderMap)>>>;

pub fn seen_count(seen: &Seen) -> usize {
    seen.lock().expect("lock").len()
}

/// The whole API with no keys (Kling on the simulator), its test
/// controls on, as a router to call without a socket.
pub fn sim_api(config: storyreel_server::sim::SimConfig) -> Router {
    Api::new(
        storyreel_server::config::Keys::default(),
        storyreel_server::sim::SimConfig {
            control: true,
            ..config
        },
    )
    .expect("simulator starts")
    .router()
}

/// A valid three-shot Kling omni-video body.
pub fn three_shots(key: &str) -> Value {
    json!({
        "model_name": "kling-v3-omni",
        "multi_shot": true,
        "shot_type": "customize",
        "prompt": "",
        "multi_prompt": [
            {"index": 1, "prompt": "A lighthouse at dusk.", "duration": "3"},
            {"index": 2, "prompt": "Waves on the rocks.", "duration": "2"},
            {"index": 3, "prompt": "The lamp turns on.", "duration": "3"}
        ],
        "sound": "off",
        "mode": "std",
        "aspect_ratio": "16:9",
        "duration": "8",
        "external_task_id": key
    })
}

/// The server binary as a child, killed on drop.
pub struct Child_ {
    pub child: Child,
    pub url: String,
    /// Reads stderr as it comes (a full pipe would stall the server).
    stderr: Option<std::thread::JoinHandle<String>>,
    /// The server's TMPDIR: a killed server cannot remove what it made
    /// there (the simulator's clips), so the test removes it.
    _tmp: tempfile::TempDir,
}

impl Drop for Child_ {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve --port 0 --dist DIST ARGS` with `env` (and nothing else
/// of this process's environment but PATH, and a TMPDIR of its own),
/// stderr piped; waits for the address line.
pub fn spawn(dist: &Path, args: &[&str], env: &[(&str, &str)]) -> Child_ {
    let tmp = tempfile::tempdir().expect("a temporary directory for the server");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
        .arg(dist)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start storyreel-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        use std::io::Read;
        let mut out = Vec::new();
        let _ = stderr.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let mut c = Child_ {
        child,
        url: String::new(),
        stderr: Some(stderr),
        _tmp: tmp,
    };
    let line = rx.recv_timeout(WAIT).expect("the address line in time");
    c.url = line
        .trim_end()
        .strip_prefix("storyreel-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    c
}

impl Child_ {
    /// Stops the server and returns everything it wrote on stderr.
    pub fn stop_and_read_stderr(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

/// A bare HTTP/1.1 request with `path` sent as written (no normalising);
/// returns the whole answer as text, which must be an HTTP answer.
pub async fn raw(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = url.strip_prefix("http://").expect("http URL");
    let mut s = tokio::net::TcpStream::connect(host).await.expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    s.write_all(&bytes).await.expect("send");
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(WAIT, s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    assert!(
        text.starts_with("HTTP/1.1 "),
        "{method} {path}: not an HTTP answer: {text:?}"
    );
    text
}

/// A fake upstream that records every request and answers with `answer`
/// (given the path).
pub async fn recording(
    answer: impl Fn(&str) -> axum::response::Response + Clone + Send + Sync + 'static,
) -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let s = seen.clone();
    let app = Router::new().fallback(move |req: axum::extract::Request| {
        let s = s.clone();
        let answer = answer.clone();
        async move {
            let path = req
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default();
            s.lock().expect("lock").push((
                req.method().to_string(),
                path.clone(),
                req.headers().clone(),
            ));
            answer(&path)
        }
    });
    (listen(app).await, seen)
}
