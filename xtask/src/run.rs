//! The three commands, and running programs with their output echoed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::ensure;
use crate::summary::Summary;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub struct Cmd {
    inner: Command,
    shown: String,
}

thread_local! {
    /// Where the programs started on this thread write their output, when
    /// not to the terminal (see [`Background`]).
    static LOG: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

pub fn cmd(program: &str, args: &[&str]) -> Cmd {
    cmd_at(Priority::Normal, program, args)
}

/// How a program shares the cores with the others running.
#[derive(Clone, Copy)]
pub enum Priority {
    Normal,
    /// Under `nice -n 10`: it gets what the others leave idle, and about
    /// a tenth of a core they want.
    Low,
}

pub fn cmd_at(priority: Priority, program: &str, args: &[&str]) -> Cmd {
    let (program, args): (&str, Vec<&str>) = match priority {
        Priority::Normal => (program, args.to_vec()),
        Priority::Low => ("nice", [&["-n", "10", program], args].concat()),
    };
    let mut inner = Command::new(program);
    inner.args(&args).current_dir(root());
    if let Some(log) = LOG.with(|l| l.borrow().clone()) {
        let file = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&log);
        if let Ok(file) = file {
            if let Ok(copy) = file.try_clone() {
                inner.stdout(copy);
            }
            inner.stderr(file);
        }
    }
    // `cargo xtask` is `cargo run`, which gives this process the
    // variables of the xtask package (`CARGO_MANIFEST_DIR`, ...). Passed
    // on, they reach build scripts that watch them (ring's does), whose
    // crates and everything above them then build again between a run
    // from xtask and a plain `cargo test`.
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(is_package_variable) {
            inner.env_remove(&key);
        }
    }
    Cmd {
        inner,
        shown: format!("{program} {}", args.join(" ")),
    }
}

/// The variables cargo sets for the one package it runs.
fn is_package_variable(name: &str) -> bool {
    name == "CARGO_MANIFEST_DIR"
        || name == "CARGO_MANIFEST_PATH"
        || name == "CARGO_CRATE_NAME"
        || name == "CARGO_BIN_NAME"
        || name == "CARGO_PRIMARY_PACKAGE"
        || name.starts_with("CARGO_PKG_")
}

/// The packages every native `cargo test` of `cargo xtask test` selects:
/// the workspace but the app (wasm only). The same selection each time,
/// so dependencies resolve to the same features and build once: the
/// native tests, the server binary and the end-to-end tests share them.
const NATIVE: [&str; 3] = ["--workspace", "--exclude", "storyreel"];

/// `cargo test` on [`NATIVE`] with `args` after it.
fn native_test(args: &[&str]) -> Cmd {
    native_test_at(Priority::Normal, args)
}

fn native_test_at(priority: Priority, args: &[&str]) -> Cmd {
    let mut all = vec!["test"];
    all.extend(NATIVE);
    all.extend(args);
    cmd_at(priority, "cargo", &all)
}

impl Cmd {
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.inner.env(key, value);
        self
    }

    /// The workspace's own crates built by clippy-driver, warnings as
    /// errors: the build that runs the tests is also the lint, so no
    /// separate `cargo clippy` checks every dependency a second (and, for
    /// wasm, a third) time. This is how `cargo clippy` itself runs clippy
    /// (Cargo's workspace wrapper and clippy's `CLIPPY_ARGS`, its
    /// arguments joined by `__CLIPPY_HACKERY__`), with a full build in
    /// place of `cargo check`. Dependencies are built by plain rustc as
    /// ever. A lint fails the build it is found in.
    ///
    /// These builds are also whole builds, made once and run once, so they
    /// skip incremental compilation's bookkeeping (`CARGO_INCREMENTAL=0`,
    /// as CI builds usually do): the app's wasm tests took 38.8 s of CPU
    /// to build with it and 30.3 s without (2026-12-06).
    pub fn linted(self) -> Cmd {
        self.env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver")
            .env(
                "CLIPPY_ARGS",
                "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
            )
            .env("CARGO_INCREMENTAL", "0")
    }

    /// Runs to completion; an error names the command.
    pub fn run(self) -> Result<(), String> {
        let shown = self.shown.clone();
        self.spawn_as(&shown)?.wait()
    }

    /// Becomes the program, so Ctrl-C and SIGTERM reach it directly.
    #[cfg(unix)]
    pub fn exec(mut self) -> Result<(), String> {
        use std::os::unix::process::CommandExt;
        eprintln!("$ {}", self.shown);
        let e = self.inner.exec();
        Err(format!("cannot start `{}`: {e}", self.shown))
    }

    /// Without `exec`, runs the program to completion.
    #[cfg(not(unix))]
    pub fn exec(self) -> Result<(), String> {
        self.run()
    }

    /// Starts the program and goes on; `shown` is how messages name it.
    pub fn spawn_as(mut self, shown: &str) -> Result<Running, String> {
        eprintln!("$ {shown}");
        let child = self
            .inner
            .spawn()
            .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
        Ok(Running {
            child,
            shown: shown.to_string(),
        })
    }

    /// Runs, echoing stdout while keeping a copy; returns (success, stdout).
    pub fn run_captured(mut self) -> (bool, String) {
        eprintln!("$ {}", self.shown);
        let mut child = match self.inner.stdout(Stdio::piped()).spawn() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cannot start `{}`: {e}", self.shown);
                return (false, String::new());
            }
        };
        let mut copy = String::new();
        if let Some(out) = child.stdout.take() {
            let mut stdout = std::io::stdout();
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = writeln!(stdout, "{line}");
                copy.push_str(&line);
                copy.push('\n');
            }
        }
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        (ok, copy)
    }
}

/// A program started by [`Cmd::spawn_as`].
pub struct Running {
    child: std::process::Child,
    shown: String,
}

impl Running {
    /// Waits for it to end; an error names it.
    pub fn wait(mut self) -> Result<(), String> {
        let status = self
            .child
            .wait()
            .map_err(|e| format!("`{}` did not end well: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }
}

/// Work started on a thread of its own (an install that waits on the
/// network and the disk more than on the CPU), with the output of the
/// programs it runs in `target/xtask-logs/<name>.log` so that it does not
/// mix with the build's.
pub struct Background<T> {
    name: &'static str,
    log: PathBuf,
    handle: std::thread::JoinHandle<Result<T, String>>,
}

impl<T: Send + 'static> Background<T> {
    pub fn start(
        name: &'static str,
        work: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) -> Background<T> {
        let dir = root().join("target/xtask-logs");
        let _ = std::fs::create_dir_all(&dir);
        let log = dir.join(format!("{name}.log"));
        let _ = std::fs::remove_file(&log);
        let for_thread = log.clone();
        let handle = std::thread::spawn(move || {
            LOG.with(|l| *l.borrow_mut() = Some(for_thread));
            work()
        });
        Background { name, log, handle }
    }

    /// Waits for the work; a failure carries the end of its log.
    pub fn wait(self) -> Result<T, String> {
        let result = self
            .handle
            .join()
            .unwrap_or_else(|_| Err(format!("{} panicked", self.name)));
        result.map_err(|e| {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(20)..].join("\n");
            format!("{e}\n(the end of {}):\n{tail}", self.log.display())
        })
    }
}

/// Held while an xtask builds or tests against `dist/`: Trunk stages its
/// output inside `dist/`, so two builds at once in one checkout break each
/// other. Released on drop.
pub struct DistLock {
    _file: std::fs::File,
}

fn lock_dist() -> Result<DistLock, String> {
    let dir = root().join("target");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("xtask-dist.lock");
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("xtask: waiting for another xtask using dist/ in this checkout");
            file.lock()
                .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", path.display()))
        }
    }
    Ok(DistLock { _file: file })
}

/// The target directory of the app's release build (Trunk's Cargo),
/// apart from `target/`: Cargo locks a target directory for a whole
/// build, and `cargo xtask test` builds the app beside the native checks
/// and tests. Nothing else builds for wasm in release, so nothing is
/// compiled twice for it.
pub const APP_TARGET: &str = "target/app";

/// `trunk ARGS` building into [`APP_TARGET`].
fn trunk(args: &[&str]) -> Cmd {
    cmd("trunk", args).env("CARGO_TARGET_DIR", root().join(APP_TARGET))
}

/// Whether a build is also the lint ([`Cmd::linted`]): in `cargo xtask
/// test` only, so that a lint never stops `serve` or `bench`.
#[derive(Clone, Copy)]
enum Lint {
    Yes,
    No,
}

impl Lint {
    fn apply(self, c: Cmd) -> Cmd {
        match self {
            Lint::Yes => c.linted(),
            Lint::No => c,
        }
    }
}

/// Builds `dist/` and returns the lock that keeps other xtasks from
/// rebuilding it while the caller uses it.
fn trunk_build(lint: Lint) -> Result<DistLock, String> {
    let lock = lock_dist()?;
    lint.apply(trunk(&["build", "--release", "--offline"]))
        .run()?;
    crate::split::dist(&root().join("dist"))?;
    crate::precompress::dist(&root().join("dist"))?;
    Ok(lock)
}

/// End-to-end tests at once. Each has its own server, ChromeDriver and
/// browser profile, and most of a test's time is the browser's and the
/// page's waiting, so three share two cores: 43 tests took 204 s one at a
/// time, 124 s two, 101 s three and 103 s four (2026-12-04).
const E2E_THREADS: &str = "--test-threads=3";

/// Where the sub-path build goes, and the path it is built for.
const SUBPATH_DIST: &str = "target/dist-subpath";
const SUBPATH_URL: &str = "/some/path/";

/// Builds the app for hosting under [`SUBPATH_URL`] (the end-to-end test
/// of static hosting). Cargo's output is shared with `dist/`, so only
/// wasm-bindgen and wasm-opt run again.
fn trunk_build_subpath(lint: Lint) -> Result<(), String> {
    build_for_host(SUBPATH_URL, &root().join(SUBPATH_DIST), lint)
}

/// Builds the app into `out` for hosting under `public_url`, the lazy
/// parts cut out (a plain `trunk build` leaves them unresolved and the
/// page does not start).
fn build_for_host(public_url: &str, out: &Path, lint: Lint) -> Result<(), String> {
    let out_arg = out.to_string_lossy();
    lint.apply(trunk(&[
        "build",
        "--release",
        "--offline",
        "--public-url",
        public_url,
        "--dist",
        &out_arg,
    ]))
    .run()?;
    crate::split::dist(out)
}

/// `cargo xtask dist`: the app built into `dist/` as `serve` builds it
/// (Trunk, the lazy parts cut out, brotli and gzip copies), not served;
/// with `--public-url URL --dist DIR`, for a static host instead.
pub fn dist(args: &[String]) -> Result<ExitCode, String> {
    let mut public_url = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--public-url" => public_url = Some(it.next().ok_or("--public-url needs a value")?),
            "--dist" => out = Some(it.next().ok_or("--dist needs a value")?),
            other => {
                return Err(format!(
                    "unknown option {other}; use --public-url and --dist"
                ))
            }
        }
    }
    ensure::build_tools()?;
    match (public_url, out) {
        (None, None) => {
            drop(trunk_build(Lint::No)?);
            crate::first_load::check(&root().join("dist"))?;
        }
        (url, out) => {
            // Relative to where the command was given, as Trunk reads it.
            let here = std::env::current_dir().map_err(|e| e.to_string())?;
            let out = here.join(out.map(String::as_str).unwrap_or("dist"));
            build_for_host(url.map(String::as_str).unwrap_or("/"), &out, Lint::No)?;
            crate::precompress::dist(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn serve(args: &[String]) -> Result<ExitCode, String> {
    let mut addr = "127.0.0.1".to_string();
    let mut port = "8080".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => addr = it.next().cloned().ok_or("--addr needs a value")?,
            "--port" => port = it.next().cloned().ok_or("--port needs a value")?,
            other => return Err(format!("unknown option {other}; use --addr and --port")),
        }
    }
    ensure::build_tools()?;
    drop(trunk_build(Lint::No)?);
    cmd("cargo", &["build", "--release", "-p", "storyreel-server"]).run()?;
    let server = root().join("target/release/storyreel-server");
    let dist = root().join("dist");
    cmd(
        &server.to_string_lossy(),
        &[
            "serve",
            "--addr",
            &addr,
            "--port",
            &port,
            "--dist",
            &dist.to_string_lossy(),
        ],
    )
    .exec()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `f`, recording its wall time and outcome under `name`.
fn timed<T>(summary: &mut Summary, name: &str, f: impl FnOnce() -> (bool, T)) -> (bool, T) {
    eprintln!("xtask: == {name}");
    let started = Instant::now();
    let (ok, value) = f();
    summary.time(name, started.elapsed(), ok);
    (ok, value)
}

pub fn test() -> Result<ExitCode, String> {
    let mut summary = Summary::default();
    // The installs that mostly wait on the network and the disk run beside
    // the ones that compile.
    let browser = Background::start("apt-chromium", ensure::browser);
    let wasm_opt = Background::start("npm-binaryen", ensure::wasm_opt);
    let moto = Background::start("pip-moto", ensure::moto);
    let node_deps = Background::start("npm-tests-node", ensure::node_deps);
    let name = "ensure the wasm target";
    let (ok, target) = timed(&mut summary, name, || {
        let r = ensure::wasm_target();
        (r.is_ok(), r)
    });
    if let Err(e) = target {
        eprintln!("xtask: {e}");
        summary.check(name, ok);
    }

    // Trunk and the wasm-bindgen CLI are built, then the app's release
    // (dist/ and the sub-path build), on a thread of their own beside the
    // checks and native tests below, which need neither: on two cores the
    // one fills what the other leaves idle (a serial crate, a link). The
    // app builds in a target directory of its own (APP_TARGET), since
    // Cargo locks one for a whole build. Output:
    // target/xtask-logs/tools-and-app.log. The lock on dist/ comes back
    // with them and is held through the end-to-end tests.
    let (tools_said, tools_ready) = std::sync::mpsc::channel::<Result<(), String>>();
    let app_build = Background::start("tools-and-app", move || {
        let tools = ensure::built_tools()
            .map_err(|e| format!("{e} (see target/xtask-logs/tools-and-app.log)"));
        let _ = tools_said.send(tools.clone());
        tools?;
        wasm_opt.wait()?;
        let lock = trunk_build(Lint::Yes)?;
        let subpath = trunk_build_subpath(Lint::Yes);
        Ok((lock, subpath))
    });

    // Clippy is no step of its own: every build below that compiles the
    // workspace's crates is also their lint (`Cmd::linted`).
    let name = "cargo fmt --check";
    let (ok, _) = timed(&mut summary, name, || {
        cmd("cargo", &["fmt", "--all", "--", "--check"]).run_captured()
    });
    summary.check(name, ok);

    // The native tests are compiled while pip may still be installing the
    // S3 server (it waits on the network, the compile on the cores); the
    // run below then finds them built. This thread's builds run at low
    // priority: the tools and the app's release build on the other thread
    // are what the end-to-end tests wait for, and this thread has time to
    // spare (on a fresh machine it waited 132 s for them at normal
    // priority, 2026-12-06). Its test runs keep normal priority.
    let name = "native tests: build (with clippy)";
    let (ok, _) = timed(&mut summary, name, || {
        native_test_at(Priority::Low, &["--no-fail-fast", "--no-run"])
            .linted()
            .run_captured()
    });
    summary.check(name, ok);

    // The upload tests' S3 server. Without it those tests fail (they are
    // required here) and say why.
    let name = "ensure moto (S3 server for the upload tests)";
    let (ok, moto) = timed(&mut summary, name, || match moto.wait() {
        Ok(bin) => (true, Some(bin)),
        Err(e) => {
            eprintln!("xtask: {e}");
            (false, None)
        }
    });
    if !ok {
        summary.check(name, ok);
    }

    let name = "native tests: run";
    let (ok, out) = timed(&mut summary, name, || {
        // The end-to-end binary (`test = false`) is left for later; its
        // package is selected all the same, see [`NATIVE`]. Every test
        // binary runs even when one fails.
        let mut c = native_test(&["--no-fail-fast"])
            .linted()
            .env("STORYREEL_REQUIRE_MOTO", "1");
        if let Some(bin) = &moto {
            c = c.env("STORYREEL_MOTO", bin);
        }
        c.run_captured()
    });
    summary.tests(name, ok, &out);

    // The wasm tests need the test runner and Chromium.
    let name = "ensure tools (built beside the above)";
    let (ok, ensured) = timed(&mut summary, name, || {
        let tools = tools_ready
            .recv()
            .unwrap_or_else(|_| Err("the tools' thread ended without a word".into()));
        let r = every_error([tools, browser.wait()]);
        (r.is_ok(), r)
    });
    if let Err(e) = ensured {
        eprintln!("xtask: {e}");
        summary.check(name, ok);
    }

    let wasm_suites: [(&str, &[&str]); 2] = [
        (
            "core wasm tests in Chromium",
            &[
                "test",
                "-p",
                "storyreel-core",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "wasm",
            ],
        ),
        (
            "app wasm tests in Chromium",
            &[
                "test",
                "-p",
                "storyreel",
                "--target",
                "wasm32-unknown-unknown",
            ],
        ),
    ];
    for (name, args) in wasm_suites {
        let build = format!("{name}: build (with clippy)");
        let (ok, _) = timed(&mut summary, &build, || {
            let mut build_args = args.to_vec();
            build_args.push("--no-run");
            cmd_at(Priority::Low, "cargo", &build_args)
                .linted()
                .run_captured()
        });
        summary.check(&build, ok);
        let name = &format!("{name}: run");
        // ChromeDriver, started by the test runner without a profile, makes
        // one under TMPDIR (about 20 MB) and the runner's kill leaves it
        // there: each suite gets a folder of its own, removed after it.
        let tmp = root().join("target/tmp/wasm-browser");
        let _ = std::fs::remove_dir_all(&tmp);
        let (ok, out) = timed(&mut summary, name, || {
            if let Err(e) = std::fs::create_dir_all(&tmp) {
                return (false, format!("cannot create {}: {e}", tmp.display()));
            }
            cmd("cargo", args)
                .linted()
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    "wasm-bindgen-test-runner",
                )
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                .env("TMPDIR", &tmp)
                .run_captured()
        });
        let _ = std::fs::remove_dir_all(&tmp);
        summary.tests(name, ok, &out);
    }

    // The end-to-end tests are compiled now: the release build's last
    // part (cutting the editor's wasm, wasm-bindgen, wasm-opt) runs on one
    // core and leaves the other to this.
    let name = "end-to-end tests: build (with clippy)";
    let (e2e_built, _) = timed(&mut summary, name, || {
        native_test_at(Priority::Low, &["--test", "e2e", "--no-run"])
            .linted()
            .run_captured()
    });
    summary.check(name, e2e_built);

    let name = "trunk build --release (the rest of it)";
    // The lock is held through the end-to-end tests, which use dist/.
    let (built, app) = timed(&mut summary, name, || match app_build.wait() {
        Ok((lock, subpath)) => (true, Some((lock, subpath))),
        Err(e) => {
            eprintln!("xtask: {e}");
            (false, None)
        }
    });
    let (_dist_lock, subpath) = match app {
        Some((lock, subpath)) => (Some(lock), subpath),
        None => (None, Err("not built: the release build failed".to_string())),
    };
    summary.check(name, built);
    if built {
        let name = "first load size (brotli)";
        let (small, _) = timed(&mut summary, name, || {
            match crate::first_load::check(&root().join("dist")) {
                Ok(()) => (true, ()),
                Err(e) => {
                    eprintln!("xtask: {e}");
                    (false, ())
                }
            }
        });
        summary.check(name, small);
    }
    let name = "trunk build --public-url /some/path/";
    let built_subpath = match subpath {
        Ok(()) => true,
        Err(e) => {
            eprintln!("xtask: {e}");
            false
        }
    };
    summary.check(name, built_subpath);
    let built = built && built_subpath;
    let name = "build storyreel-server";
    // Built by the native tests already (their integration tests run it);
    // this makes sure it is there, without building anything again.
    let (server, _) = timed(&mut summary, name, || {
        (native_test(&["--no-run"]).linted().run().is_ok(), ())
    });
    summary.check(name, server);

    let name = "node tests (fal client via the proxy)";
    let node_deps = node_deps.wait();
    if server {
        let (ok, out) = timed(&mut summary, name, || {
            if let Err(e) = &node_deps {
                eprintln!("xtask: {e}");
                return (false, String::new());
            }
            cmd(
                "node",
                &[
                    "--test",
                    "--test-reporter=tap",
                    "tests/node/fal-client.test.mjs",
                ],
            )
            .env(
                "STORYREEL_SERVER_BIN",
                root().join("target/debug/storyreel-server"),
            )
            .run_captured()
        });
        summary.tests(name, ok, &node_results(&out));
    } else {
        summary.step_failed("node tests (not run: build failed)");
        summary.failed += 1;
    }

    if built && server {
        let name = "end-to-end tests";
        let (ok, out) = timed(&mut summary, name, || {
            native_test(&["--test", "e2e", "--", E2E_THREADS])
                .linted()
                .env(
                    "STORYREEL_SERVER_BIN",
                    root().join("target/debug/storyreel-server"),
                )
                .env("STORYREEL_DIST", root().join("dist"))
                .env("STORYREEL_DIST_SUBPATH", root().join(SUBPATH_DIST))
                .run_captured()
        });
        summary.tests(name, ok, &out);
    } else {
        summary.step_failed("end-to-end tests (not run: build failed)");
        summary.failed += 1;
    }

    eprintln!("xtask: step times");
    eprint!("{}", summary.timing_report());
    if !summary.failed_steps.is_empty() {
        eprintln!("failed: {}", summary.failed_steps.join(", "));
    }
    println!("{} passed, {} failed", summary.passed, summary.failed);
    Ok(if summary.failed == 0 && summary.failed_steps.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Ok when all are; otherwise every error, one a line, so that no
/// failed install hides another.
fn every_error(results: impl IntoIterator<Item = Result<(), String>>) -> Result<(), String> {
    let errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\nxtask: "))
    }
}

/// node's TAP totals (`# pass N`, `# fail N`) as a cargo-style result line
/// for the summary; empty when there are none.
fn node_results(tap: &str) -> String {
    let count = |what: &str| {
        tap.lines()
            .find_map(|l| l.trim().strip_prefix(what)?.trim().parse::<u64>().ok())
    };
    match (count("# pass "), count("# fail ")) {
        (Some(p), Some(f)) => format!("test result: {p} passed; {f} failed"),
        _ => String::new(),
    }
}

/// Runs the server's benchmark example `name` against the release
/// server; it replaces its own section of BENCHMARKS.md.
fn server_bench(name: &str) -> Result<(), String> {
    cmd(
        "cargo",
        &[
            "run",
            "--release",
            "-p",
            "storyreel-server",
            "--example",
            name,
        ],
    )
    .env(
        "STORYREEL_SERVER_BIN",
        root().join("target/release/storyreel-server"),
    )
    .env("STORYREEL_BENCH_OUT", root().join("BENCHMARKS.md"))
    .run()
}

/// The browser benchmarks (`tests/bench`) against release builds of the
/// app and the server; `only` picks one (`STORYREEL_BENCH_ONLY`).
fn browser_bench(only: Option<&str>) -> Result<(), String> {
    ensure::build_tools()?;
    ensure::browser()?;
    // browser-image-compression, the peer of the photo benchmark.
    ensure::node_deps()?;
    let _dist = trunk_build(Lint::No)?;
    cmd("cargo", &["build", "--release", "-p", "storyreel-server"]).run()?;
    let mut run = cmd(
        "cargo",
        &["run", "--release", "-p", "storyreel-e2e", "--bin", "bench"],
    )
    .env(
        "STORYREEL_SERVER_BIN",
        root().join("target/release/storyreel-server"),
    )
    .env("STORYREEL_DIST", root().join("dist"))
    .env("STORYREEL_BENCH_OUT", root().join("BENCHMARKS.md"));
    if let Some(only) = only {
        run = run.env("STORYREEL_BENCH_ONLY", only);
    }
    run.run()
}

/// The benchmarks `cargo xtask bench NAME` runs alone and prints,
/// leaving BENCHMARKS.md as it is: the photos, the keystrokes, and
/// navigation (7 cold loads, 10 warm).
pub const BENCH_ALONE: [&str; 3] = ["photos", "keys", "load"];

/// `cargo xtask bench NAME`, one of [`BENCH_ALONE`].
pub fn bench_alone(name: &str) -> Result<ExitCode, String> {
    browser_bench(Some(name))?;
    Ok(ExitCode::SUCCESS)
}

pub fn bench() -> Result<ExitCode, String> {
    browser_bench(None)?;
    // After the browser figures, which rewrite the file: the fal proxy
    // against @fal-ai/server-proxy replaces only its own section.
    server_bench("proxy_bench")?;
    // A 200 MB upload: throughput and the server's memory.
    server_bench("upload_bench")?;
    // The server under load for 2 × 60 s: status calls at a fixed rate
    // and whole Kling jobs driven by the core's journal, plain and with
    // the simulator's faults; its own section too.
    server_bench("load_bench")?;
    // Share links against lz-string on the same corpus: node writes
    // lz-string's lengths, the example compares and writes its section.
    let corpus = "crates/core/tests/fixtures/share-corpus";
    let (ok, lz) = cmd("node", &["tests/node/share-bench.mjs", corpus]).run_captured();
    if !ok {
        return Err("the lz-string side of the share benchmark failed".into());
    }
    let lz_path = root().join("target/share-bench-lz.json");
    std::fs::write(&lz_path, lz).map_err(|e| format!("cannot write {}: {e}", lz_path.display()))?;
    cmd(
        "cargo",
        &[
            "run",
            "--release",
            "-p",
            "storyreel-core",
            "--example",
            "share_bench",
            "--",
            corpus,
            "target/share-bench-lz.json",
            "BENCHMARKS.md",
        ],
    )
    .run()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{every_error, is_package_variable};

    #[test]
    fn every_failed_install_is_reported() {
        assert_eq!(every_error([Ok(()), Ok(())]), Ok(()));
        let both = every_error([
            Err("trunk failed".to_string()),
            Ok(()),
            Err("apt failed".into()),
        ])
        .expect_err("two failed");
        assert!(both.contains("trunk failed"), "{both}");
        assert!(both.contains("apt failed"), "{both}");
    }

    #[test]
    fn only_the_run_packages_variables_are_dropped() {
        for name in [
            "CARGO_MANIFEST_DIR",
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION",
            "CARGO_CRATE_NAME",
        ] {
            assert!(is_package_variable(name), "{name}");
        }
        for name in [
            "CARGO",
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "PATH",
            "RUSTFLAGS",
        ] {
            assert!(!is_package_variable(name), "{name}");
        }
    }
}
