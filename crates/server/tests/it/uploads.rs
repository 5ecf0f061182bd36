//! Uploads through a real `storyreel-server serve` on loopback, with a
//! temporary `--upload-dir`: round trips, storing a file once, the URL
//! with `--public-base-url`, every refusal (type, size, empty, bad names)
//! leaving nothing behind, and range requests on a real MP4.
//!
//! The tests that do not depend on the store run twice, as `NAME::fs` and
//! `NAME::s3`: the second with `--upload-store s3://BUCKET/PREFIX` on a moto
//! server of its own (see `common/moto.rs`; skipped when moto is not
//! installed, unless CI or `STORYREEL_REQUIRE_MOTO` is set).

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use bytes::Bytes;
use common::moto::{self, Moto};
use common::sha256_hex;
use reqwest::header;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_storyreel-server");
const WAIT: Duration = Duration::from_secs(30);
const MIB: usize = 1024 * 1024;
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Which store a test's server keeps its uploads in.
#[derive(Clone, Copy, Debug)]
enum Backend {
    Fs,
    S3,
}

enum Store {
    Dir(tempfile::TempDir),
    S3 {
        /// Dropped after the server (fields drop in order).
        client: Arc<dyn object_store::ObjectStore>,
        _moto: Moto,
    },
}

/// Kills the server if a test fails before it ends.
struct Server {
    child: Child,
    url: String,
    _dist: tempfile::TempDir,
    uploads: Store,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Every object the server keeps, as `(name, size)` relative to its
    /// directory or bucket prefix, sorted.
    async fn objects(&self) -> Vec<(String, u64)> {
        match &self.uploads {
            Store::Dir(d) => files(d.path())
                .into_iter()
                .map(|f| {
                    let len = std::fs::metadata(d.path().join(&f)).map_or(0, |m| m.len());
                    (f, len)
                })
                .collect(),
            Store::S3 { client, .. } => moto::objects(client.as_ref()).await,
        }
    }

    /// The names of [`Server::objects`].
    async fn files(&self) -> Vec<String> {
        self.objects().await.into_iter().map(|(n, _)| n).collect()
    }
}

/// Runs each named `async fn NAME(Backend)` twice: `NAME::fs` and `NAME::s3`.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn fs() {
                super::$name(super::Backend::Fs).await
            }
            #[tokio::test]
            async fn s3() {
                super::$name(super::Backend::S3).await
            }
        }
    )*};
}

on_both_stores!(
    a_png_round_trips_with_its_type,
    the_same_file_is_stored_once,
    text_named_png_is_refused_and_leaves_nothing,
    over_the_upload_limit_is_413_and_leaves_nothing,
    an_empty_body_is_400,
    only_sha256_names_are_looked_up,
    a_jpeg_over_10_mib_is_413_naming_the_image_limit,
    a_video_larger_than_the_api_body_limit_uploads,
    an_mp4_uploads_as_video_and_seeks,
);

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><title>Storyreel</title>",
    )
    .expect("index.html");
    dir
}

/// `serve --port 0 --upload-dir <temp>` plus `extra`.
fn start(extra: &[&str]) -> Server {
    let uploads = tempfile::tempdir().expect("upload dir");
    let args = vec![
        "--upload-dir".to_string(),
        uploads.path().to_string_lossy().into_owned(),
    ];
    spawn_with(Store::Dir(uploads), args, &[], extra)
}

/// A server on `backend` with `extra` arguments; `None` when the test is
/// skipped (S3 without moto). S3 uploads go to a fresh bucket under a
/// prefix, with the keys in the environment only.
async fn start_on(backend: Backend, test: &str, extra: &[&str]) -> Option<Server> {
    match backend {
        Backend::Fs => Some(start(extra)),
        Backend::S3 => {
            let m = Moto::start(test)?;
            m.bucket("storyreel-test").await;
            let args = m.serve_args("storyreel-test", Some("uploads"));
            let client = m.store("storyreel-test", Some("uploads"));
            let store = Store::S3 { client, _moto: m };
            Some(spawn_with(store, args, &Moto::serve_env(), extra))
        }
    }
}

fn spawn_with(uploads: Store, args: Vec<String>, env: &[(&str, &str)], extra: &[&str]) -> Server {
    let dist = dist();
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
        .arg(dist.path())
        .args(&args)
        .args(extra)
        .env_remove("STORYREEL_UPLOAD_STORE")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start storyreel-server");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let mut server = Server {
        child,
        url: String::new(),
        uploads,
        _dist: dist,
    };
    let line = rx.recv_timeout(WAIT).expect("the address line in time");
    server.url = line
        .trim_end()
        .strip_prefix("storyreel-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    server
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(WAIT)
        .build()
        .expect("client")
}

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p: PathBuf = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .expect("under base")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A PNG signature followed by `len - 8` bytes of pattern (the server
/// sniffs; it does not decode).
fn png(len: usize, seed: u8) -> Vec<u8> {
    let mut b = PNG_SIGNATURE.to_vec();
    b.extend((0..len - 8).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    b
}

struct Answer {
    status: u16,
    headers: header::HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header"))
    }
}

async fn send(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.expect("the server answers");
    Answer {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.bytes().await.expect("body"),
    }
}

async fn upload(s: &Server, body: Vec<u8>) -> Answer {
    send(client().post(format!("{}/api/uploads", s.url)).body(body)).await
}

/// Uploads `body` in `chunk`-byte pieces with no `Content-Length`, so the
/// server can only count.
async fn upload_streamed(s: &Server, body: Vec<u8>, chunk: usize) -> Answer {
    let pieces: Vec<Result<Bytes, std::io::Error>> = body
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let stream = futures_util::stream::iter(pieces);
    send(
        client()
            .post(format!("{}/api/uploads", s.url))
            .body(reqwest::Body::wrap_stream(stream)),
    )
    .await
}

/// A bare HTTP/1.1 request with the path exactly as given (reqwest would
/// resolve `..`).
fn raw_get(url: &str, path: &str) -> String {
    let host = url.strip_prefix("http://").expect("http URL");
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read response");
    String::from_utf8_lossy(&buf).into_owned()
}

async fn a_png_round_trips_with_its_type(b: Backend) {
    let Some(s) = start_on(b, "a_png_round_trips_with_its_type", &[]).await else {
        return;
    };
    let body = png(5000, 1);
    let hex = sha256_hex(&body);
    let a = upload(&s, body.clone()).await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let j = a.json();
    assert_eq!(j["ref"], format!("upload:{hex}"));
    assert_eq!(j["sha256"], hex);
    assert_eq!(j["bytes"], 5000);
    assert_eq!(j["content_type"], "image/png");
    assert_eq!(j["url"], format!("/uploads/{hex}"));
    assert_eq!(a.header(header::LOCATION), format!("/uploads/{hex}"));
    assert_eq!(s.files().await, vec![format!("objects/{hex}")]);

    let g = send(client().get(format!("{}/uploads/{hex}", s.url))).await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body.as_ref(), body.as_slice());
    assert_eq!(g.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(g.header(header::CONTENT_LENGTH), "5000");
    assert_eq!(g.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        g.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let etag = g.header(header::ETAG).to_string();
    assert_eq!(etag, format!("\"{hex}\""));

    let h = send(client().head(format!("{}/uploads/{hex}", s.url))).await;
    assert_eq!(h.status, 200);
    assert_eq!(h.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(h.header(header::CONTENT_LENGTH), "5000");
    assert!(h.body.is_empty());

    let c = send(
        client()
            .get(format!("{}/uploads/{hex}", s.url))
            .header(header::IF_NONE_MATCH, &etag),
    )
    .await;
    assert_eq!(c.status, 304);
    assert!(c.body.is_empty());

    let st = send(client().get(format!("{}/api/status", s.url)))
        .await
        .json();
    assert_eq!(st["uploads"]["available"], true);
    assert_eq!(st["uploads"]["public_base_url"], Value::Null);
    assert_eq!(st["uploads"]["upload_base_url"], "/uploads");
    assert_eq!(st["uploads"]["image_max_bytes"], 10 * MIB);
    assert_eq!(st["uploads"]["max_bytes"], 200 * MIB);
    // What was there before is still there.
    assert_eq!(st["simulator"], true);
    assert_eq!(st["providers"]["kling"]["ready"], true);
}

async fn the_same_file_is_stored_once(b: Backend) {
    let Some(s) = start_on(b, "the_same_file_is_stored_once", &[]).await else {
        return;
    };
    let body = png(3000, 7);
    let hex = sha256_hex(&body);
    let first = upload(&s, body.clone()).await;
    assert_eq!(first.status, 201);
    let second = upload_streamed(&s, body.clone(), 100).await;
    assert_eq!(
        second.status,
        200,
        "{}",
        String::from_utf8_lossy(&second.body)
    );
    assert_eq!(second.json(), first.json());
    assert_eq!(s.files().await, vec![format!("objects/{hex}")]);
    // Another file is another object.
    let other = upload(&s, png(3000, 8)).await;
    assert_eq!(other.status, 201);
    assert_eq!(s.files().await.len(), 2);
}

#[tokio::test]
async fn a_public_base_url_makes_absolute_urls() {
    let s = start(&["--public-base-url", "https://cdn.example.com/media/"]);
    let body = png(100, 2);
    let hex = sha256_hex(&body);
    let a = upload(&s, body).await;
    assert_eq!(a.status, 201);
    assert_eq!(
        a.json()["url"],
        format!("https://cdn.example.com/media/uploads/{hex}")
    );
    let st = send(client().get(format!("{}/api/status", s.url)))
        .await
        .json();
    assert_eq!(
        st["uploads"]["public_base_url"],
        "https://cdn.example.com/media"
    );
    assert_eq!(
        st["uploads"]["upload_base_url"],
        "https://cdn.example.com/media/uploads"
    );
}

/// A WAV of `seconds` of silence, 8 kHz mono 8-bit.
fn wav(seconds: u32) -> Vec<u8> {
    let data = 8000 * seconds;
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&8000u32.to_le_bytes()); // bytes per second
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data.to_le_bytes());
    b.resize(b.len() + data as usize, 128);
    b
}

#[tokio::test]
async fn a_voice_clip_uploads_as_audio_and_needs_a_public_address_for_kling() {
    let s = start(&[]);
    let body = wav(6);
    let hex = sha256_hex(&body);
    let a = upload(&s, body.clone()).await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.json()["content_type"], "audio/wav");
    let g = send(client().get(format!("{}/uploads/{hex}", s.url))).await;
    assert_eq!(g.status, 200);
    assert_eq!(g.header(header::CONTENT_TYPE), "audio/wav");
    assert_eq!(g.body.as_ref(), body.as_slice());

    // Kling fetches voice clips by URL only: without a public base URL the
    // relay says so and sends nothing.
    let v = send(
        client()
            .post(format!("{}/api/kling/v1/general/custom-voices", s.url))
            .header(header::CONTENT_TYPE, "application/json")
            .body(
                serde_json::json!({
                    "voice_name": "mia",
                    "voice_url": format!("upload:{hex}"),
                })
                .to_string(),
            ),
    )
    .await;
    assert_eq!(v.status, 400, "{}", String::from_utf8_lossy(&v.body));
    let msg = v.json()["error"].as_str().unwrap_or_default().to_string();
    assert!(
        msg.contains("voice clip") && msg.contains("--public-base-url"),
        "{msg}"
    );
}

#[test]
fn a_bad_public_base_url_stops_the_start() {
    let d = dist();
    for bad in [
        "cdn.example.com",
        "ftp://cdn.example.com",
        "https://u:p@x.org",
    ] {
        let out = Command::new(BIN)
            .args(["serve", "--port", "0", "--dist"])
            .arg(d.path())
            .args(["--public-base-url", bad])
            .output()
            .expect("run storyreel-server");
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--public-base-url"), "{err}");
    }
}

async fn text_named_png_is_refused_and_leaves_nothing(b: Backend) {
    let Some(s) = start_on(b, "text_named_png_is_refused_and_leaves_nothing", &[]).await else {
        return;
    };
    let a = send(
        client()
            .post(format!("{}/api/uploads", s.url))
            .header(header::CONTENT_TYPE, "image/png")
            .header(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"cat.png\"",
            )
            .body("this is not a picture of a cat, just text\n".repeat(100)),
    )
    .await;
    assert_eq!(a.status, 415);
    let j = a.json();
    assert_eq!(j["relay"], true);
    assert_eq!(j["found"], "text");
    let msg = j["error"].as_str().expect("error");
    assert!(msg.contains("text") && msg.contains("JPEG or PNG"), "{msg}");
    assert_eq!(
        j["accepted"],
        serde_json::json!([
            "image/jpeg",
            "image/png",
            "video/mp4",
            "video/quicktime",
            "audio/mpeg",
            "audio/wav"
        ])
    );
    assert!(s.files().await.is_empty(), "{:?}", s.files().await);
}

async fn over_the_upload_limit_is_413_and_leaves_nothing(b: Backend) {
    let Some(s) = start_on(
        b,
        "over_the_upload_limit_is_413_and_leaves_nothing",
        &["--upload-max-bytes", "1000"],
    )
    .await
    else {
        return;
    };
    // Counted while streaming (no Content-Length): written, then deleted.
    let a = upload_streamed(&s, png(5000, 3), 100).await;
    assert_eq!(a.status, 413);
    let j = a.json();
    let msg = j["error"].as_str().expect("error");
    assert!(msg.contains("at most 1000 bytes"), "{msg}");
    assert!(
        msg.contains("reached") && msg.contains("before it was stopped"),
        "{msg}"
    );
    assert_eq!(j["limit"], 1000);
    let size = j["size"].as_u64().expect("size");
    assert!((1001..=1100).contains(&size), "{size}");
    // Declared too large: refused before anything is written.
    let a = upload(&s, png(5000, 3)).await;
    assert_eq!(a.status, 413);
    let msg = a.json()["error"].as_str().expect("error").to_string();
    assert!(msg.contains("at most 1000 bytes"), "{msg}");
    assert!(msg.contains("is 5000 bytes"), "{msg}");
    assert!(s.files().await.is_empty(), "{:?}", s.files().await);
    // At the limit is fine.
    assert_eq!(upload(&s, png(1000, 3)).await.status, 201);
    assert_eq!(s.files().await.len(), 1);
}

#[tokio::test]
async fn a_client_that_goes_away_leaves_nothing() {
    let s = start(&[]);
    let host = s.url.strip_prefix("http://").expect("http URL").to_string();
    let mut conn = TcpStream::connect(&host).expect("connect");
    write!(
        conn,
        "POST /api/uploads HTTP/1.1\r\nHost: {host}\r\nContent-Length: 8000000\r\n\r\n"
    )
    .expect("headers");
    conn.write_all(&png(2 * MIB, 5)).expect("half the body");
    conn.flush().expect("flush");
    // Wait until the server has started writing, then hang up.
    let deadline = std::time::Instant::now() + WAIT;
    while s.files().await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "nothing was written");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(conn);
    while !s.files().await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "left behind: {:?}",
            s.files().await
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn an_empty_body_is_400(b: Backend) {
    let Some(s) = start_on(b, "an_empty_body_is_400", &[]).await else {
        return;
    };
    let a = upload(&s, Vec::new()).await;
    assert_eq!(a.status, 400);
    assert!(a.json()["error"].as_str().unwrap_or("").contains("empty"));
    assert!(s.files().await.is_empty());
}

async fn only_sha256_names_are_looked_up(b: Backend) {
    let Some(s) = start_on(b, "only_sha256_names_are_looked_up", &[]).await else {
        return;
    };
    let body = png(64, 4);
    let hex = sha256_hex(&body);
    assert_eq!(upload(&s, body).await.status, 201);
    for path in [
        "/uploads/../../etc/passwd".to_string(),
        "/uploads/..%2F..%2Fetc%2Fpasswd".to_string(),
        "/uploads/%2e%2e/%2e%2e/etc/passwd".to_string(),
        format!("/uploads/objects/{hex}"),
        format!("/uploads/{}", hex.to_uppercase()),
        format!("/uploads/{}", &hex[..63]),
        format!("/uploads/{hex}0"),
        format!("/uploads/{hex}.png"),
        "/uploads/not-hex".to_string(),
    ] {
        let res = raw_get(&s.url, &path);
        assert!(
            res.starts_with("HTTP/1.1 400") || res.starts_with("HTTP/1.1 404"),
            "{path}: {res}"
        );
        assert!(!res.contains("root:"), "{path}: {res}");
    }
    // A well-formed name that was never stored.
    let res = raw_get(&s.url, &format!("/uploads/{}", "0".repeat(64)));
    assert!(res.starts_with("HTTP/1.1 404"), "{res}");
    assert!(res.contains("\"relay\":true"), "{res}");
}

async fn a_jpeg_over_10_mib_is_413_naming_the_image_limit(b: Backend) {
    let Some(s) = start_on(b, "a_jpeg_over_10_mib_is_413_naming_the_image_limit", &[]).await else {
        return;
    };
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.resize(10 * MIB + 1, 0x55);
    for a in [
        upload_streamed(&s, jpeg.clone(), 64 * 1024).await,
        upload(&s, jpeg.clone()).await,
    ] {
        assert_eq!(a.status, 413);
        let j = a.json();
        let msg = j["error"].as_str().expect("error");
        assert!(msg.contains("images may be at most 10 MiB"), "{msg}");
        assert_eq!(j["limit"], 10 * MIB);
    }
    assert!(s.files().await.is_empty(), "{:?}", s.files().await);
    // Exactly 10 MiB is fine.
    jpeg.truncate(10 * MIB);
    let a = upload(&s, jpeg).await;
    assert_eq!(a.status, 201);
    assert_eq!(a.json()["content_type"], "image/jpeg");
}

async fn a_video_larger_than_the_api_body_limit_uploads(b: Backend) {
    // The relays take at most 32 MiB; an upload has its own limit.
    let Some(s) = start_on(b, "a_video_larger_than_the_api_body_limit_uploads", &[]).await else {
        return;
    };
    let mut mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomavc1".to_vec();
    mp4.resize(40 * MIB, 0);
    let a = upload_streamed(&s, mp4.clone(), 256 * 1024).await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.json()["bytes"], 40 * MIB);
    assert_eq!(a.json()["content_type"], "video/mp4");
    let hex = sha256_hex(&mp4);
    assert_eq!(
        s.objects().await,
        vec![(format!("objects/{hex}"), mp4.len() as u64)]
    );
}

async fn an_mp4_uploads_as_video_and_seeks(b: Backend) {
    let spec = storyreel_clip::ClipSpec {
        width: 64,
        height: 64,
        fps: 12,
        shots: vec![storyreel_clip::ShotSpec {
            seconds: 1,
            label: "upload test".into(),
        }],
        sound: false,
    };
    let mp4 = storyreel_clip::render_mp4(&spec).expect("clip");
    let size = mp4.len();
    assert!(size > 200, "{size}");
    let Some(s) = start_on(b, "an_mp4_uploads_as_video_and_seeks", &[]).await else {
        return;
    };
    let a = upload(&s, mp4.clone()).await;
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.json()["content_type"], "video/mp4");
    let url = format!("{}{}", s.url, a.json()["url"].as_str().expect("url"));

    let g = send(client().get(&url).header(header::RANGE, "bytes=100-199")).await;
    assert_eq!(g.status, 206);
    assert_eq!(g.header(header::CONTENT_TYPE), "video/mp4");
    assert_eq!(
        g.header(header::CONTENT_RANGE),
        format!("bytes 100-199/{size}")
    );
    assert_eq!(g.header(header::CONTENT_LENGTH), "100");
    assert_eq!(g.body.as_ref(), &mp4[100..200]);

    let tail = send(client().get(&url).header(header::RANGE, "bytes=-10")).await;
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body.as_ref(), &mp4[size - 10..]);

    let past = send(
        client()
            .get(&url)
            .header(header::RANGE, format!("bytes={size}-")),
    )
    .await;
    assert_eq!(past.status, 416);
    assert_eq!(
        past.header(header::CONTENT_RANGE),
        format!("bytes */{size}")
    );

    let whole = send(client().get(&url)).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header(header::ACCEPT_RANGES), "bytes");
    assert_eq!(whole.body.as_ref(), mp4.as_slice());
}
