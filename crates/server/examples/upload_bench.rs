//! Uploading a 200 MB video to `storyreel-server` on loopback: throughput,
//! and the server's memory while it streams the file to its store (it must
//! stay flat: the body is hashed and written as it arrives, never held).
//!
//! `cargo run --release -p storyreel-server --example upload_bench`, after
//! `cargo build --release -p storyreel-server` (`cargo xtask bench` does
//! both). With `STORYREEL_BENCH_OUT` set, the results replace their own
//! section of that Markdown file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The file: 200 MB, as the board format's video limit is written.
const FILE_BYTES: u64 = 200_000_000;
const CHUNK: usize = 1 << 20;
const RUNS: usize = 3;

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{root, spawn_announcing, status_kib, write_section};

/// An MP4 of `len` bytes: an `ftyp` box, then one `mdat` box of
/// pseudo-random bytes (a video's media data does not compress), made as
/// it is sent.
fn body(len: u64, run: u64) -> reqwest::Body {
    let mut head = Vec::new();
    head.extend(24u32.to_be_bytes());
    head.extend(b"ftypisom\0\0\x02\0isomavc1");
    let mdat = (len - head.len() as u64) as u32;
    head.extend(mdat.to_be_bytes());
    head.extend(b"mdat");
    let mut sent = 0u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ run;
    let stream = futures_util::stream::poll_fn(move |_| {
        if sent >= len {
            return std::task::Poll::Ready(None);
        }
        let n = (len - sent).min(CHUNK as u64) as usize;
        let mut chunk = Vec::with_capacity(n);
        if sent == 0 {
            chunk.extend_from_slice(&head);
        }
        while chunk.len() < n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let take = (n - chunk.len()).min(8);
            chunk.extend_from_slice(&seed.to_le_bytes()[..take]);
        }
        sent += n as u64;
        std::task::Poll::Ready(Some(Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))))
    });
    reqwest::Body::wrap_stream(stream)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let root = root();
    let server_bin = std::env::var_os("STORYREEL_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/storyreel-server"));
    let dist = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html>").map_err(|e| e.to_string())?;
    let store = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(&server_bin);
    cmd.args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
        .arg(dist.path())
        .arg("--upload-dir")
        .arg(store.path())
        .env_clear()
        .env("RUST_LOG", "warn");
    let (server, base) = spawn_announcing(cmd)?;
    let pid = server.0.id();
    let client = reqwest::Client::new();
    // Warm up: one small upload, so the baseline includes a used runtime.
    let small = client
        .post(format!("{base}/api/uploads"))
        .body(body(64 * 1024, 999))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !small.status().is_success() {
        return Err(format!("warm-up upload refused: {}", small.status()));
    }
    let before = status_kib(pid, "VmRSS").unwrap_or(0);

    let mut seconds = Vec::new();
    let mut peak_during = 0u64;
    for run in 0..RUNS {
        let done = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let sampler = {
            let (done, peak) = (done.clone(), peak.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if let Some(rss) = status_kib(pid, "VmRSS") {
                        peak.fetch_max(rss, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        let started = Instant::now();
        let res = client
            .post(format!("{base}/api/uploads"))
            .header("content-length", FILE_BYTES.to_string())
            .body(body(FILE_BYTES, run as u64))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        let took = started.elapsed();
        done.store(true, Ordering::Relaxed);
        let _ = sampler.join();
        if status.as_u16() != 201 {
            return Err(format!("the 200 MB upload got {status}: {text}"));
        }
        seconds.push(took.as_secs_f64());
        peak_during = peak_during.max(peak.load(Ordering::Relaxed));
    }
    let after = status_kib(pid, "VmRSS").unwrap_or(0);
    let hwm = status_kib(pid, "VmHWM").unwrap_or(0);
    drop(server);

    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let mb_s = FILE_BYTES as f64 / 1e6 / median;
    let mib = |k: u64| k as f64 / 1024.0;
    let section = format!(
        "## Uploading a 200 MB video (goal: memory stays flat)\n\n\
         Written by `cargo xtask bench` (`crates/server/examples/upload_bench.rs`). The release \
         `storyreel-server` on loopback stores uploads on the local filesystem through `object_store`; \
         the client streams a {} byte MP4 (an `ftyp` box and one `mdat` of random bytes, made as it is \
         sent, 1 MiB chunks) to `POST /api/uploads`, {RUNS} times (different bytes each time, so each \
         is stored anew: 201). The server's resident memory is sampled every 20 ms from `/proc` while \
         it receives, hashes (SHA-256) and writes the file.\n\n\
         | median time | throughput | server RSS before | highest RSS while uploading | RSS after | peak (VmHWM) |\n\
         |---:|---:|---:|---:|---:|---:|\n\
         | {:.2} s | {:.0} MB/s | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB |\n\n\
         The server's memory grew by {:.1} MiB while taking in {} MB three times over: it does not \
         hold the file.\n\n",
        FILE_BYTES,
        median,
        mb_s,
        mib(before),
        mib(peak_during),
        mib(after),
        mib(hwm),
        mib(peak_during.saturating_sub(before)),
        FILE_BYTES / 1_000_000,
    );
    print!("{section}");
    if let Some(out) = std::env::var_os("STORYREEL_BENCH_OUT") {
        write_section(Path::new(&out), "upload-bench", &section)?;
    }
    Ok(())
}
