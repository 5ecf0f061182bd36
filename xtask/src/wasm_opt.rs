//! wasm-opt over many files at once.
//!
//! The wasm-opt installed here is binaryen's npm package: binaryen compiled
//! to wasm, which Node starts and compiles again on every run (about 0.4 s,
//! and a hundred runs for the editor's lazy parts: 95 s against 14 s in one
//! process, 2026-12-06). `xtask/wasm-opt.mjs` runs the same optimisation
//! through that package's JS API, once for a whole batch; its output is
//! byte for byte the CLI's: a batch of several files checks that on one of
//! them.
//! Where the `wasm-opt` on `PATH` is not that package, each file gets its
//! own run of it.

use std::path::{Path, PathBuf};

use crate::run::{cmd, root};

/// A batch of `(input, output)` files under way.
pub struct Batch {
    running: Option<crate::run::Running>,
    /// The file checked against the CLI once the batch is done.
    check: Option<(PathBuf, PathBuf)>,
    flags: Vec<String>,
}

impl Batch {
    /// Starts wasm-opt with `flags` on every file. Through the JS API the
    /// batch runs in a process of its own, beside whatever the caller does
    /// next; through the CLI it is done before this returns.
    pub fn start(files: &[(PathBuf, PathBuf)], flags: &[String]) -> Result<Batch, String> {
        let done = Batch {
            running: None,
            check: None,
            flags: flags.to_vec(),
        };
        if files.is_empty() {
            return Ok(done);
        }
        let Some(package) = binaryen_package() else {
            for (input, output) in files {
                one(input, output, flags)?;
            }
            return Ok(done);
        };
        let script = root().join("xtask/wasm-opt.mjs");
        let mut args: Vec<String> = vec![
            script.to_string_lossy().into_owned(),
            package.to_string_lossy().into_owned(),
        ];
        args.extend(flags.iter().cloned());
        args.push("--".into());
        for (input, output) in files {
            args.push(input.to_string_lossy().into_owned());
            args.push(output.to_string_lossy().into_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let shown = format!(
            "wasm-opt {} on {} files (xtask/wasm-opt.mjs)",
            flags.join(" "),
            files.len()
        );
        Ok(Batch {
            running: Some(cmd("node", &args).spawn_as(&shown)?),
            check: file_to_check(files),
            ..done
        })
    }

    /// Waits for the batch to end, then checks one of its files against
    /// the `wasm-opt` command.
    pub fn wait(self) -> Result<(), String> {
        if let Some(running) = self.running {
            running.wait()?;
        }
        if let Some((input, output)) = &self.check {
            let cli = output.with_extension("cli.wasm");
            one(input, &cli, &self.flags)?;
            let same = std::fs::read(&cli).ok() == std::fs::read(output).ok();
            let _ = std::fs::remove_file(&cli);
            if !same {
                return Err(format!(
                    "xtask/wasm-opt.mjs and the wasm-opt command optimised {} differently: \
                     binaryen's JS API no longer matches its CLI here (see xtask/src/wasm_opt.rs)",
                    input.display()
                ));
            }
        }
        Ok(())
    }
}

/// The file of a batch checked against the CLI: one larger than nine in
/// ten of them, big enough to go through most passes and small enough to
/// take a second. A batch of one file (the editor's main module, 13 s) is
/// not optimised twice.
fn file_to_check(files: &[(PathBuf, PathBuf)]) -> Option<(PathBuf, PathBuf)> {
    if files.len() < 2 {
        return None;
    }
    let mut by_size: Vec<&(PathBuf, PathBuf)> = files.iter().collect();
    by_size.sort_by_cached_key(|(input, _)| std::fs::metadata(input).map(|m| m.len()).unwrap_or(0));
    by_size.get(by_size.len() * 9 / 10).map(|f| (*f).clone())
}

/// One file through the `wasm-opt` command.
fn one(input: &Path, output: &Path, flags: &[String]) -> Result<(), String> {
    let output = format!("--output={}", output.display());
    let input = input.to_string_lossy();
    let mut args: Vec<&str> = vec![&output];
    args.extend(flags.iter().map(String::as_str));
    args.push(&input);
    cmd("wasm-opt", &args).run()
}

/// binaryen's npm package, when it is what `wasm-opt` on `PATH` is:
/// `<package>/bin/wasm-opt`, with `index.js` (the JS API) beside `bin/`.
fn binaryen_package() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let exe = std::env::split_paths(&path)
        .map(|dir| dir.join("wasm-opt"))
        .find(|p| p.is_file())?;
    let package = exe.canonicalize().ok()?.parent()?.parent()?.to_path_buf();
    let manifest = std::fs::read_to_string(package.join("package.json")).ok()?;
    (manifest.contains("\"name\": \"binaryen\"") && package.join("index.js").is_file())
        .then_some(package)
}
