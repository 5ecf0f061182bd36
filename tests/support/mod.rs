//! The end-to-end harness: the real `storyreel-server` serving the release
//! build, ChromeDriver, and a headless Chromium session. Everything runs on
//! loopback; every wait is bounded.

pub mod files;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long any single wait may take.
pub const WAIT: Duration = Duration::from_secs(15);

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub struct Harness {
    pub client: Client,
    pub base: String,
    /// `storyreel-server` with the directory it is given as its `TMPDIR`
    /// (removed with the harness, as the killed server cannot), or `None`
    /// when a plain static server (a task of this process) serves the app.
    server: Option<(Child, tempfile::TempDir)>,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Serves `dir` under the URL path `prefix` (e.g. `/some/path`) as any
/// static host would, on loopback; returns the base URL with the prefix.
pub async fn serve_static(dir: PathBuf, prefix: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("local address");
    let app = axum::Router::new().nest_service(prefix, tower_http::services::ServeDir::new(dir));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}{prefix}")
}

impl Harness {
    /// Starts server, driver and browser at 1280×800.
    pub async fn start() -> Harness {
        Harness::start_with(&[]).await
    }

    /// Like [`Harness::start`], with more `serve` arguments (e.g. the
    /// simulator's timings and `--sim-control`).
    pub async fn start_with(extra: &[&str]) -> Harness {
        Harness::start_with_env(extra, &[]).await
    }

    /// Like [`Harness::start_with`], with environment variables for the
    /// server (e.g. a test `FAL_KEY` for a loopback fal double).
    pub async fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Harness {
        let bin = std::env::var_os("STORYREEL_SERVER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target/debug/storyreel-server"));
        let dist = std::env::var_os("STORYREEL_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("dist"));
        assert!(
            dist.join("index.html").is_file(),
            "no release build at {} (run `cargo xtask test`)",
            dist.display()
        );
        let tmp = tempfile::tempdir().expect("a temporary directory for the server");
        let mut server = Command::new(&bin)
            .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
            .arg(&dist)
            .args(extra)
            // No provider keys: Kling goes to the built-in simulator.
            .env_remove("KLING_ACCESS_KEY")
            .env_remove("KLING_SECRET_KEY")
            .env_remove("FAL_KEY")
            .env_remove("REPLICATE_API_TOKEN")
            // One log line per request would bury the test output.
            .env("RUST_LOG", "warn")
            .env("TMPDIR", tmp.path())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdout = server.stdout.take().expect("server stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("the server printed its address in time")
            .expect("server stdout readable")
            .expect("server printed a line");
        let base = line
            .rsplit(' ')
            .next()
            .filter(|u| u.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("unexpected first line from the server: {line}"))
            .to_string();
        // Keep draining the server's stdout so it never blocks.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Harness::with_browser(base, Some((server, tmp))).await
    }

    /// A browser for an app served by `base` (see [`serve_static`]),
    /// with no `storyreel-server` at all.
    pub async fn browser_for(base: String) -> Harness {
        Harness::with_browser(base, None).await
    }

    async fn with_browser(base: String, server: Option<(Child, tempfile::TempDir)>) -> Harness {
        let port = free_port();
        let profile = tempfile::tempdir().expect("profile dir");
        // ChromeDriver's own scratch folders go inside the profile's, so
        // they go with it even when the browser is killed.
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("TMPDIR", profile.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver on PATH (cargo xtask test installs it)");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,800",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = match caps {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if attempt < 60 => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("cannot open a Chromium session via chromedriver: {e}"),
            }
        };
        Harness {
            client,
            base,
            server,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigation");
    }

    /// Opens the editor and waits until it is interactive.
    pub async fn open_editor(&self) {
        self.goto("/").await;
        self.wait_for("body[data-ready] #timeline").await;
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element matching `{css}` within {WAIT:?}: {e}"))
    }

    /// Scrolls the element to the middle of the view (as a person would,
    /// out from under the sticky header) and clicks it. Panels that arrive
    /// late (jobs, takes, the simulator banner) can move the page between
    /// the scroll and the click; a click that lands on something else is
    /// scrolled and tried again, a few times at most.
    pub async fn click(&self, css: &str) {
        const TRIES: u32 = 5;
        // A list may draw a row again between finding and clicking it (an
        // autosave gives the row a new key): find it again then.
        let passing = |e: &str| e.contains("click intercepted") || e.contains("stale element");
        for attempt in 1..=TRIES {
            let el = self.wait_for(css).await;
            let scrolled = self
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![serde_json::to_value(&el).expect("element reference")],
                )
                .await;
            let clicked = match scrolled {
                Ok(_) => el.click().await.map(|_| ()),
                Err(e) => Err(e),
            };
            match clicked {
                Ok(()) => return,
                Err(e) if attempt < TRIES && passing(&e.to_string()) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// Runs JavaScript in the page; `arguments[0..]` are `args`.
    pub async fn eval(&self, js: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(js, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
    }

    /// Waits until `js` (an expression) is truthy; returns its last value.
    pub async fn wait_until(&self, what: &str, js: &str) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let v = self.eval(&format!("return ({js});"), vec![]).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}: `{js}` is {v}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends a request from the page (same origin) and returns
    /// `[status, body text]`.
    pub async fn http(&self, method: &str, path: &str, body: Option<Value>) -> (u64, String) {
        let v = self
            .eval(
                "const x = new XMLHttpRequest();
                 x.open(arguments[0], arguments[1], false);
                 if (arguments[2] !== null) x.setRequestHeader('content-type', 'application/json');
                 x.send(arguments[2]);
                 return [x.status, x.responseText];",
                vec![
                    json!(method),
                    json!(path),
                    body.map(|b| json!(b.to_string())).unwrap_or(Value::Null),
                ],
            )
            .await;
        (
            v[0].as_u64().unwrap_or(0),
            v[1].as_str().unwrap_or_default().to_string(),
        )
    }

    /// The simulator's counters (needs `--sim-control`).
    pub async fn sim_stats(&self) -> Value {
        let (status, text) = self.http("GET", "/sim/kling/control/stats", None).await;
        assert_eq!(status, 200, "simulator stats: {text}");
        serde_json::from_str(&text).expect("stats are JSON")
    }

    /// Queues simulator faults (needs `--sim-control`).
    pub async fn sim_faults(&self, plan: Value) {
        let (status, text) = self
            .http("POST", "/sim/kling/control/faults", Some(plan))
            .await;
        assert_eq!(status, 204, "simulator faults: {text}");
    }

    /// Replaces the saved board and reloads the editor with it.
    pub async fn load_board(&self, board: &Value) {
        self.eval(
            "localStorage.setItem('storyreel.board', arguments[0]);",
            vec![json!(board.to_string())],
        )
        .await;
        self.client.refresh().await.expect("reload");
        self.wait_for("body[data-ready] #timeline").await;
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_default()
    }

    pub async fn set_window_size(&self, w: u32, h: u32) {
        self.client
            .set_window_size(w, h)
            .await
            .expect("window size");
    }

    /// Saves a PNG of the page to `target/screens/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = workspace().join("target/screens");
        std::fs::create_dir_all(&dir).expect("screens dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the browser session and stops the processes.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop stops the rest.
    }
}

impl Drop for Harness {
    /// Also runs when a test panics: the browser would otherwise outlive a
    /// killed ChromeDriver, so it is found by its own profile directory.
    fn drop(&mut self) {
        let _ = self.driver.start_kill();
        if let Some((server, _)) = self.server.as_mut() {
            let _ = server.start_kill();
        }
        let _ = std::process::Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!(
                "--user-data-dir={}",
                self._profile.path().display()
            ))
            .status();
    }
}

/// Files the server stored under `dir` (its `--upload-dir`), at any depth.
pub fn stored_files(dir: &std::path::Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                count += 1;
            }
        }
    }
    count
}

/// Types `text` into a textarea or input the way a user does, then lets the
/// app react.
pub async fn type_into(el: &Element, text: &str) {
    el.send_keys(text).await.expect("typing");
}
