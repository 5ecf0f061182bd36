//! Installing what the build and the tests need, only when it is missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::run::{cmd, root};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// moto, the S3-compatible server the upload tests run against.
pub const MOTO_VERSION: &str = "5.1.22";
/// Where moto is installed: a virtual environment of its own.
pub const MOTO_VENV: &str = "target/moto-venv";

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn step(what: &str) {
    eprintln!("xtask: {what}");
}

/// The parts of `Cargo.lock` read here.
#[derive(Deserialize)]
struct CargoLock {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The parts of `Trunk.toml` read here: `[tools]`, tool name to version.
#[derive(Deserialize)]
struct TrunkToml {
    #[serde(default)]
    tools: BTreeMap<String, String>,
}

/// The `wasm-bindgen` version pinned in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    locked_version(&lock, "wasm-bindgen")
}

/// The version of package `name` in the text of a `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Result<String, String> {
    let lock: CargoLock =
        toml::from_str(lock).map_err(|e| format!("Cargo.lock is not valid TOML: {e}"))?;
    lock.package
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.version)
        .ok_or_else(|| format!("Cargo.lock has no {name} entry"))
}

/// The version `Trunk.toml` pins for tool `name` (`[tools]`).
fn trunk_toml_tool(name: &str) -> Result<Option<String>, String> {
    let text = std::fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    trunk_tool(&text, name)
}

fn trunk_tool(text: &str, name: &str) -> Result<Option<String>, String> {
    let trunk: TrunkToml =
        toml::from_str(text).map_err(|e| format!("Trunk.toml is not valid TOML: {e}"))?;
    Ok(trunk.tools.get(name).cloned())
}

/// Everything `trunk build --release --offline` needs.
pub fn build_tools() -> Result<(), String> {
    rust_tools()?;
    wasm_opt()
}

/// The tools built from crates.io are the pinned versions, built with
/// lighter settings than their own release profiles ask for: trunk's
/// (`lto = "fat"`, one codegen unit) took 10 of the 14 minutes a fresh
/// machine spent installing (6.2 without LTO, 5.5 also at `opt-level` 1).
/// Trunk is built at `opt-level` 0: alone on this machine that took 132 s
/// and 236 s of CPU against 275 s and 519 s at 1 (2026-12-04), and what
/// trunk does itself, start Cargo and copy and hash a few files, took 8.4 s
/// against 7.8 s for the editor's release build. wasm-bindgen stays at its
/// profile's level, as it reads and writes every wasm file of a build (at
/// 1 it built in 109 s against 124 s: too little to trade).
fn tool_install(args: &[&str]) -> crate::run::Cmd {
    cmd("cargo", args)
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
}

/// The Rust side of the build: the wasm target, trunk and wasm-bindgen.
pub fn rust_tools() -> Result<(), String> {
    wasm_target()?;
    built_tools()
}

/// The wasm32 target (all the wasm clippy pass needs).
pub fn wasm_target() -> Result<(), String> {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        step("adding the wasm32-unknown-unknown target");
        cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]).run()?;
    }
    Ok(())
}

/// Trunk and the wasm-bindgen CLI, built from crates.io at their pins.
pub fn built_tools() -> Result<(), String> {
    let trunk = output_of("trunk", &["--version"]).unwrap_or_default();
    if trunk != format!("trunk {TRUNK_VERSION}") {
        step(&format!("installing trunk {TRUNK_VERSION} (a few minutes)"));
        // Without TLS and the update check: `trunk build --offline`
        // downloads nothing, and the tools it would fetch are installed here.
        tool_install(&[
            "install",
            "--locked",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--no-default-features",
        ])
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .run()?;
    }

    if !root().join("Cargo.lock").exists() {
        cmd("cargo", &["generate-lockfile"]).run()?;
    }
    let wb = locked_wasm_bindgen()?;
    match trunk_toml_tool("wasm_bindgen")? {
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
        // Without TLS: the test runner is given Debian's chromedriver
        // (`CHROMEDRIVER`) and downloads nothing.
        tool_install(&[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wb,
            "--force",
            "--no-default-features",
        ])
        .run()?;
    }
    Ok(())
}

/// wasm-opt, from binaryen's npm package.
pub fn wasm_opt() -> Result<(), String> {
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

/// The version of moto that `python` imports, if any.
fn moto_version(python: &str) -> Option<String> {
    output_of(python, &["-c", "import moto; print(moto.__version__)"])
}

/// moto's S3 server (`moto_server`) for the upload tests, installed from
/// PyPI as `moto[server]==MOTO_VERSION` into a virtual environment at
/// [`MOTO_VENV`] unless it is there already; where `python3 -m venv` does
/// not work, with `pip install --user`. Returns the path of `moto_server`.
pub fn moto() -> Result<PathBuf, String> {
    let spec = format!("moto[server]=={MOTO_VERSION}");
    let venv = root().join(MOTO_VENV);
    let python = venv.join("bin/python");
    let bin = venv.join("bin/moto_server");
    let py = python.to_string_lossy().into_owned();
    if bin.is_file() && moto_version(&py).as_deref() == Some(MOTO_VERSION) {
        step(&format!("moto {MOTO_VERSION} is installed in {MOTO_VENV}"));
        return Ok(bin);
    }
    let venv_ok = python.is_file() && output_of(&py, &["-m", "pip", "--version"]).is_some() || {
        let _ = std::fs::remove_dir_all(&venv);
        cmd("python3", &["-m", "venv", MOTO_VENV]).run().is_ok()
            && output_of(&py, &["-m", "pip", "--version"]).is_some()
    };
    if venv_ok {
        step(&format!(
            "installing {spec} into {MOTO_VENV} (about half a minute)"
        ));
        cmd(
            &py,
            &[
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &spec,
            ],
        )
        .run()?;
        return bin
            .is_file()
            .then_some(bin)
            .ok_or_else(|| format!("{spec} installed but {MOTO_VENV}/bin/moto_server is missing"));
    }
    let _ = std::fs::remove_dir_all(&venv);
    step("python3 -m venv does not work here: installing moto with pip install --user");
    let user_base = output_of("python3", &["-m", "site", "--user-base"])
        .ok_or("python3 -m site --user-base failed")?;
    let user_bin = Path::new(&user_base).join("bin/moto_server");
    if !(user_bin.is_file() && moto_version("python3").as_deref() == Some(MOTO_VERSION)) {
        cmd(
            "python3",
            &[
                "-m",
                "pip",
                "install",
                "--user",
                "--quiet",
                "--disable-pip-version-check",
                &spec,
            ],
        )
        .run()?;
    }
    user_bin
        .is_file()
        .then_some(user_bin.clone())
        .ok_or_else(|| format!("{spec} installed but {} is missing", user_bin.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locked_wasm_bindgen_and_trunks_pin_are_read() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["cfg-if"]
"#;
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Ok("0.2.130")
        );
        assert!(locked_version(lock, "trunk").is_err());
        assert!(locked_version("[[package]", "wasm-bindgen").is_err());
        let trunk = "[build]\ntarget = \"index.html\"\n\n[tools]\n# pinned\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            trunk_tool(trunk, "wasm_bindgen"),
            Ok(Some("0.2.130".to_string()))
        );
        assert_eq!(
            trunk_tool(trunk, "wasm_opt"),
            Ok(Some("version_132".into()))
        );
        assert_eq!(trunk_tool("[build]\n", "wasm_bindgen"), Ok(None));
    }

    #[test]
    fn this_checkouts_files_read() {
        assert!(locked_wasm_bindgen().is_ok());
        assert_eq!(
            trunk_toml_tool("wasm_bindgen").ok().flatten(),
            locked_wasm_bindgen().ok()
        );
    }
}
