//! A real S3-compatible server on loopback for the tests: moto
//! (`moto_server` from PyPI's `moto[server]`), one process per test on a
//! free port, killed on drop.
//!
//! Where it is: `STORYREEL_MOTO` (set by `cargo xtask test`, which installs
//! it in `target/moto-venv`), else `target/moto-venv/bin/moto_server` if a
//! previous `cargo xtask test` left it there. Without it a test that needs
//! it prints `skipped: ...` and passes, unless `CI` or
//! `STORYREEL_REQUIRE_MOTO` is set: then it fails saying so.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ENV_MOTO: &str = "STORYREEL_MOTO";
pub const ENV_REQUIRE: &str = "STORYREEL_REQUIRE_MOTO";
/// The keys the servers under test are given (moto takes any).
pub const ACCESS_KEY_ID: &str = "AKIASTORYREELTEST01";
pub const SECRET_ACCESS_KEY: &str = "storyreel-moto-test-secret";
const START_WAIT: Duration = Duration::from_secs(30);

/// `moto_server`, or `None` (after saying why) when the test is to be
/// skipped.
pub fn binary(test: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_MOTO).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "{ENV_MOTO}={} is not a file (cargo xtask test installs moto)",
            p.display()
        );
        return Some(p);
    }
    let local =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/moto-venv/bin/moto_server");
    if local.is_file() {
        return Some(local);
    }
    let required = ["CI", ENV_REQUIRE]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty() && v != "0" && v != "false"));
    assert!(
        !required,
        "{test}: moto is required here (CI or {ENV_REQUIRE} is set) but {ENV_MOTO} is not set \
         and target/moto-venv/bin/moto_server does not exist; run `cargo xtask test`, which installs it"
    );
    eprintln!(
        "{test}: skipped: moto not installed (cargo xtask test installs it; or set {ENV_MOTO}=/path/to/moto_server)"
    );
    None
}

/// A running moto; killed when dropped.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Moto {
    /// Starts moto on a free loopback port and waits until it answers;
    /// `None` when the test is to be skipped (see [`binary`]).
    pub fn start(test: &str) -> Option<Moto> {
        let bin = binary(test)?;
        // The port is free when picked; another process may take it before
        // moto binds, so a moto that exits at once is tried again.
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new(&bin)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            let endpoint = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + START_WAIT;
            let up = loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break false;
                }
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break true;
                }
                assert!(
                    Instant::now() < deadline,
                    "moto did not listen on {endpoint} within {START_WAIT:?}"
                );
                std::thread::sleep(Duration::from_millis(50));
            };
            if up {
                return Some(Moto { child, endpoint });
            }
        }
        panic!("moto ({}) exited at start three times", bin.display());
    }

    /// Creates `bucket` (path-style `PUT /bucket`, which moto takes
    /// unsigned).
    pub async fn bucket(&self, bucket: &str) {
        let res = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .timeout(START_WAIT)
            .send()
            .await
            .expect("moto answers");
        assert!(
            res.status().is_success(),
            "creating bucket {bucket}: {}",
            res.status()
        );
    }

    /// The `serve` arguments for uploads in `bucket` (with `prefix`).
    pub fn serve_args(&self, bucket: &str, prefix: Option<&str>) -> Vec<String> {
        let location = match prefix {
            Some(p) => format!("s3://{bucket}/{p}"),
            None => format!("s3://{bucket}"),
        };
        vec![
            "--upload-store".into(),
            location,
            "--s3-endpoint".into(),
            self.endpoint.clone(),
        ]
    }

    /// The environment those servers get.
    pub fn serve_env() -> [(&'static str, &'static str); 3] {
        [
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY),
            ("AWS_REGION", "us-east-1"),
        ]
    }

    /// A client of the same bucket, for looking at what the server left.
    pub fn store(
        &self,
        bucket: &str,
        prefix: Option<&str>,
    ) -> std::sync::Arc<dyn object_store::ObjectStore> {
        storyreel_server::uploads::s3::tls_provider();
        let s3 = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region("us-east-1")
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_access_key_id(ACCESS_KEY_ID)
            .with_secret_access_key(SECRET_ACCESS_KEY)
            .build()
            .expect("an S3 client");
        match prefix {
            Some(p) => std::sync::Arc::new(object_store::prefix::PrefixStore::new(s3, p)),
            None => std::sync::Arc::new(s3),
        }
    }
}

/// Every object in `store` with its size, sorted by name.
pub async fn objects(store: &dyn object_store::ObjectStore) -> Vec<(String, u64)> {
    use futures_util::StreamExt;
    let mut all: Vec<(String, u64)> = store
        .list(None)
        .map(|m| {
            let m = m.expect("list the bucket");
            (m.location.to_string(), m.size)
        })
        .collect()
        .await;
    all.sort();
    all
}
