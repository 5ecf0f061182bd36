//! Installing what the build and the tests need, only when it is missing.

use std::path::Path;
use std::process::Command;

use crate::run::{cmd, root};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn step(what: &str) {
    eprintln!("xtask: {what}");
}

/// The `wasm-bindgen` version pinned in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn trunk_toml_tool(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root().join("Trunk.toml")).ok()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Everything `trunk build --release --offline` needs.
pub fn build_tools() -> Result<(), String> {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        step("adding the wasm32-unknown-unknown target");
        cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]).run()?;
    }

    let trunk = output_of("trunk", &["--version"]).unwrap_or_default();
    if trunk != format!("trunk {TRUNK_VERSION}") {
        step(&format!(
            "installing trunk {TRUNK_VERSION} (takes several minutes)"
        ));
        cmd(
            "cargo",
            &["install", "--locked", "trunk", "--version", TRUNK_VERSION],
        )
        .run()?;
    }

    if !root().join("Cargo.lock").exists() {
        cmd("cargo", &["generate-lockfile"]).run()?;
    }
    let wb = locked_wasm_bindgen()?;
    match trunk_toml_tool("wasm_bindgen") {
        Some(v) if v == wb => {}
        other => {
            return Err(format!(
                "Trunk.toml [tools] wasm_bindgen is {other:?} but Cargo.lock has wasm-bindgen {wb}; set them equal"
            ))
        }
    }
    // Both come from wasm-bindgen-cli; the runner drives the wasm tests.
    let have = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output_of("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if have != format!("wasm-bindgen {wb}") || runner != format!("wasm-bindgen-test-runner {wb}") {
        step(&format!("installing wasm-bindgen-cli {wb}"));
        cmd(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &wb, "--force"],
        )
        .run()?;
    }

    let opt = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    if !opt.contains(&format!("version {BINARYEN_VERSION}")) {
        step(&format!("installing binaryen {BINARYEN_VERSION} from npm"));
        cmd(
            "npm",
            &["install", "-g", &format!("binaryen@{BINARYEN_VERSION}")],
        )
        .run()?;
    }
    Ok(())
}

/// Debian's Chromium and ChromeDriver, for the browser tests.
pub fn browser() -> Result<(), String> {
    let present = Path::new("/usr/bin/chromium").exists()
        && output_of("chromedriver", &["--version"]).is_some();
    if !present {
        step("installing chromium and chromium-driver from apt");
        cmd("apt-get", &["update"]).run()?;
        cmd("apt-get", &["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()?;
    }
    Ok(())
}

/// The Node tests' packages (`tests/node`), installed with `npm ci` from the
/// committed lock file unless the installed tree is newer than it.
pub fn node_deps() -> Result<(), String> {
    let dir = root().join("tests/node");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&dir.join("package-lock.json"))
        .ok_or("tests/node/package-lock.json is missing")?;
    match modified(&dir.join("node_modules/.package-lock.json")) {
        Some(installed) if installed >= lock => {
            step("tests/node packages are installed");
            Ok(())
        }
        _ => {
            step("installing tests/node packages (npm ci)");
            cmd(
                "npm",
                &["ci", "--prefix", "tests/node", "--no-audit", "--no-fund"],
            )
            .run()
        }
    }
}
