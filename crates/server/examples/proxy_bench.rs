//! The fal proxy benchmark, on loopback: a fake fal upstream (in this
//! process, answering a small JSON at once), then the same requests
//! (a) straight to it, (b) through `storyreel-server`'s `/api/fal/proxy`,
//! (c) through `@fal-ai/server-proxy`'s Express handler under Node
//! (`tests/node/bench-proxy.mjs`). Reports latency at concurrency 1 (the
//! proxy's own overhead) and at concurrency 32 (throughput), and each
//! proxy's peak RSS (`VmHWM`).
//!
//! `cargo run --release -p storyreel-server --example proxy_bench`, after
//! `cargo build --release -p storyreel-server` and `npm ci` in tests/node
//! (`cargo xtask bench` does all three). With `STORYREEL_BENCH_OUT` set,
//! the results replace their own section of that Markdown file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{root, spawn_announcing, write_section, Proc};

const KEY: &str = "bench-fal-key";
const ENDPOINT: &str = "fal-ai/kling-video/o3/standard/text-to-video";
const BODY: &str = r#"{"multi_prompt":[{"prompt":"A cat jumps","duration":"3"},{"prompt":"It lands","duration":"2"}],"duration":"5"}"#;
const ANSWER: &str = r#"{"request_id":"bench","status":"IN_QUEUE","queue_position":0}"#;
const SERIAL_REQUESTS: usize = 2_000;
const LOADED_REQUESTS: usize = 20_000;
const CONCURRENCY: usize = 32;
const WARM_UP: usize = 500;

#[derive(Clone)]
struct Target {
    url: String,
    /// `x-fal-target-url`, for the proxies.
    target: Option<String>,
}

struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
    errors: usize,
}

impl Run {
    fn percentile(&self, p: f64) -> Duration {
        let mut v = self.latencies.clone();
        v.sort();
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v.get(i).copied().unwrap_or_default()
    }
    fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
}

async fn one(client: &reqwest::Client, t: &Target) -> bool {
    let mut req = client
        .post(&t.url)
        .header("content-type", "application/json")
        .body(BODY);
    if let Some(target) = &t.target {
        req = req.header("x-fal-target-url", target);
    }
    match req.send().await {
        Ok(res) => {
            res.status().is_success() && res.bytes().await.is_ok_and(|b| b.len() == ANSWER.len())
        }
        Err(_) => false,
    }
}

async fn load(t: &Target, requests: usize, concurrency: usize) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap_or_default();
    for _ in 0..WARM_UP {
        one(&client, t).await;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, t, next) = (client.clone(), t.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let s = Instant::now();
                if one(&client, &t).await {
                    lat.push(s.elapsed());
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for task in tasks {
        if let Ok((l, e)) = task.await {
            latencies.extend(l);
            errors += e;
        }
    }
    Run {
        latencies,
        wall: started.elapsed(),
        errors,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn added(proxy: Duration, direct: Duration) -> String {
    let d = proxy.as_secs_f64() - direct.as_secs_f64();
    format!("{:+.3}", d * 1000.0)
}

struct Case {
    name: &'static str,
    target: Target,
    proc: Option<Proc>,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let root = root();
    let server_bin = std::env::var_os("STORYREEL_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/storyreel-server"));

    let upstream = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let up = upstream.local_addr().map_err(|e| e.to_string())?;
    let app = Router::new().fallback(|| async { ([("content-type", "application/json")], ANSWER) });
    tokio::spawn(async move {
        let _ = axum::serve(upstream, app).await;
    });
    let upstream_url = format!("http://{up}/{ENDPOINT}");

    let dist = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html>").map_err(|e| e.to_string())?;
    let mut server = Command::new(&server_bin);
    server
        .args([
            "serve",
            "--addr",
            "127.0.0.1",
            "--port",
            "0",
            // A benchmark is one client sending thousands of creates.
            "--rate-limit-per-minute",
            "0",
            "--max-jobs-per-client",
            "0",
            "--fal-allow-host",
        ])
        .arg(up.to_string())
        .arg("--dist")
        .arg(dist.path())
        .env_clear()
        .env("FAL_KEY", KEY)
        .env("RUST_LOG", "warn");
    let (server, server_url) = spawn_announcing(server)?;

    let mut node = Command::new("node");
    node.arg(root.join("tests/node/bench-proxy.mjs"))
        .env("FAL_KEY", KEY)
        .env("BENCH_ALLOW", format!("{up}/**"))
        .env("NODE_ENV", "production");
    let (node, node_url) = spawn_announcing(node)?;
    let node_version = Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();

    let mut cases = vec![
        Case {
            name: "direct to the fake upstream",
            target: Target {
                url: upstream_url.clone(),
                target: None,
            },
            proc: None,
        },
        Case {
            name: "storyreel-server `/api/fal/proxy`",
            target: Target {
                url: format!("{server_url}/api/fal/proxy"),
                target: Some(upstream_url.clone()),
            },
            proc: Some(server),
        },
        Case {
            name: "`@fal-ai/server-proxy` 1.2.1 (Express 4)",
            target: Target {
                url: format!("{node_url}/api/fal/proxy"),
                target: Some(upstream_url.clone()),
            },
            proc: Some(node),
        },
    ];

    // Each case must work before it is timed.
    for c in &cases {
        let client = reqwest::Client::new();
        if !one(&client, &c.target).await {
            return Err(format!("{}: a single request failed", c.name));
        }
    }

    let mut serial = Vec::new();
    let mut loaded = Vec::new();
    for c in &cases {
        eprintln!("proxy_bench: {} (concurrency 1)", c.name);
        serial.push(load(&c.target, SERIAL_REQUESTS, 1).await);
    }
    for c in &cases {
        eprintln!("proxy_bench: {} (concurrency {CONCURRENCY})", c.name);
        loaded.push(load(&c.target, LOADED_REQUESTS, CONCURRENCY).await);
    }
    let rss: Vec<Option<u64>> = cases
        .iter()
        .map(|c| c.proc.as_ref().and_then(Proc::peak_rss_kib))
        .collect();

    let mut md = String::new();
    md.push_str("## fal proxy overhead (goal: p99 added under 2 ms, at least 5× the Node proxy's throughput)\n\n");
    md.push_str(&format!(
        "Written by `cargo xtask bench` (`crates/server/examples/proxy_bench.rs`). On loopback, on this 2-core machine: a fake fal upstream (axum, in the load generator's process) answers a {}-byte JSON at once; the load generator (reqwest, keep-alive) POSTs a {}-byte JSON body with `x-fal-target-url` set. The release `storyreel-server` admits the upstream with `--fal-allow-host`; `@fal-ai/server-proxy`'s Express handler (Node {node_version}, `tests/node/bench-proxy.mjs`) with its own `allowedUrlPatterns` option. Both add `Authorization: Key ...` and stream the answer back. The load generator, the upstream and the proxy share the two cores, so the loaded figures include contention. Each run follows {WARM_UP} warm-up requests.\n\n",
        ANSWER.len(),
        BODY.len()
    ));
    md.push_str(&format!(
        "### One request at a time ({SERIAL_REQUESTS} requests): the proxy's own overhead\n\n| path | p50 ms | p99 ms | p50 added ms | p99 added ms |\n|---|---:|---:|---:|---:|\n"
    ));
    for (c, r) in cases.iter().zip(&serial) {
        let (p50, p99) = (r.percentile(0.5), r.percentile(0.99));
        let (a50, a99) = if c.proc.is_some() {
            (
                added(p50, serial[0].percentile(0.5)),
                added(p99, serial[0].percentile(0.99)),
            )
        } else {
            ("—".into(), "—".into())
        };
        md.push_str(&format!(
            "| {} | {} | {} | {a50} | {a99} |\n",
            c.name,
            ms(p50),
            ms(p99)
        ));
    }
    md.push_str(&format!(
        "\n### Concurrency {CONCURRENCY} ({LOADED_REQUESTS} requests): throughput\n\n| path | requests/s | p50 ms | p99 ms | p99 added ms | errors | peak RSS of the proxy |\n|---|---:|---:|---:|---:|---:|---:|\n"
    ));
    for ((c, r), rss) in cases.iter().zip(&loaded).zip(&rss) {
        let a99 = if c.proc.is_some() {
            added(r.percentile(0.99), loaded[0].percentile(0.99))
        } else {
            "—".into()
        };
        let rss = rss
            .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
            .unwrap_or("—".into());
        md.push_str(&format!(
            "| {} | {:.0} | {} | {} | {a99} | {} | {rss} |\n",
            c.name,
            r.rps(),
            ms(r.percentile(0.5)),
            ms(r.percentile(0.99)),
            r.errors
        ));
    }
    let ratio = loaded[1].rps() / loaded[2].rps().max(1.0);
    let serial_p99 = (serial[1].percentile(0.99).as_secs_f64()
        - serial[0].percentile(0.99).as_secs_f64())
        * 1000.0;
    let loaded_p99 = (loaded[1].percentile(0.99).as_secs_f64()
        - loaded[0].percentile(0.99).as_secs_f64())
        * 1000.0;
    md.push_str(&format!(
        "\nstoryreel-server's throughput is {ratio:.1}× the Node proxy's (goal ≥ 5×: {}). Its p99 added latency one request at a time is {serial_p99:.3} ms (goal < 2 ms: {}); at concurrency {CONCURRENCY} it is {loaded_p99:.3} ms, which includes waiting for the two cores that the load generator, the upstream and the proxy share (the CPU is saturated in that run).\n\n",
        if ratio >= 5.0 { "met" } else { "not met" },
        if serial_p99 < 2.0 { "met" } else { "not met" },
    ));
    print!("{md}");
    for c in &mut cases {
        drop(c.proc.take());
    }
    if let Some(out) = std::env::var_os("STORYREEL_BENCH_OUT") {
        write_section(Path::new(&out), "proxy-bench", &md)?;
        eprintln!("proxy_bench: wrote {}", PathBuf::from(out).display());
    }
    let errors: usize = serial.iter().chain(&loaded).map(|r| r.errors).sum();
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}
