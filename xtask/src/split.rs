//! Cutting the editor's `#[lazy]` functions out of its first load.
//!
//! Leptos's `#[lazy]` marks a function whose code (and everything only it
//! reaches) may load when first called. Trunk 0.21 cannot do the cut, so
//! after `trunk build` this step redoes the editor's last two stages on
//! the raw wasm cargo linked (the app's `build.rs` keeps its relocations):
//! - `wasm_split_cli_support` cuts it into the main module, one file per
//!   lazy function (and chunks they share) and the small JS module that
//!   loads them;
//! - wasm-bindgen runs on the main module with `--keep-lld-exports
//!   --no-demangle` (the loader needs those names), its imports from the
//!   glue get short names (`short_imports.rs`), and wasm-opt runs with the
//!   flags the editor's link in `index.html` gives, on every wasm file;
//! - the results replace Trunk's two files under Trunk's own names, and
//!   `index.html` gets their new SRI digests plus a `modulepreload` of the
//!   loader module, which the main module imports at start.
//!
//! The lazy functions are `lazy!` ones (src/lazy.rs): Leptos's `#[lazy]`
//! only in the editor's build (the app's `split` feature, asked for by
//! its link in `index.html`). The share page is built without it, so it
//! carries none of their code; this step checks that.
//!
//! Every new file of the editor is named with Trunk's content hash, so the
//! server caches it forever like Trunk's own. The work is kept in
//! `target/wasm-split/` under the raw wasm's digest, so the sub-path build
//! reuses it.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::run::{cmd, root};
use crate::wasm_opt::Batch;

/// The editor's files as Trunk names them: `storyreel-<hash>…`.
struct Bin {
    name: &'static str,
    hash: String,
}

impl Bin {
    /// `name-hash`: the JS glue's stem.
    fn stem(&self) -> String {
        format!("{}-{}", self.name, self.hash)
    }
    fn glue(&self) -> String {
        format!("{}.js", self.stem())
    }
    fn wasm(&self) -> String {
        format!("{}_bg.wasm", self.stem())
    }
    /// The module that loads the lazy parts.
    fn loader(&self) -> String {
        format!("{}-split-{}.js", self.name, self.hash)
    }
    /// A lazy part's file, from the name wasm-split gave it.
    fn part(&self, stem: &str) -> String {
        format!("{stem}-{}.wasm", self.hash)
    }
}

/// The editor's bin and the hash of Trunk's names for it in `dist`.
fn editor(dist: &Path) -> Result<Bin, String> {
    let entries = fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let prefix = format!("{EDITOR}-");
    let mut hashes: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| {
            n.strip_prefix(&prefix)?
                .strip_suffix("_bg.wasm")
                .map(str::to_string)
        })
        .filter(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    match (hashes.pop(), hashes.is_empty()) {
        (Some(hash), true) => Ok(Bin { name: EDITOR, hash }),
        (None, _) => Err(format!(
            "{} has no {EDITOR}-<hash>_bg.wasm: did trunk build run?",
            dist.display()
        )),
        (Some(_), false) => Err(format!(
            "{} has more than one {EDITOR}-<hash>_bg.wasm: clear it and build again",
            dist.display()
        )),
    }
}

/// The editor's bin (its `rel="rust"` link in `index.html`).
const EDITOR: &str = "storyreel";
/// The share page's bin, built without the lazy functions.
const SHARE: &str = "share";

/// The `--flag`s of `data-wasm-opt-params` on `bin`'s link in Trunk's
/// source `index.html`, and its `data-split-wasm-opt` level (its
/// `data-wasm-opt` is 0: Trunk's optimised file would be replaced).
fn wasm_opt_args(source_html: &str, bin: &str) -> Result<Vec<String>, String> {
    let tag = source_html
        .split('<')
        .find(|t| t.contains("rel=\"rust\"") && t.contains(&format!("data-bin=\"{bin}\"")))
        .ok_or_else(|| format!("index.html has no rel=\"rust\" link with data-bin=\"{bin}\""))?;
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        let start = tag.find(&key)? + key.len();
        let len = tag[start..].find('"')?;
        Some(tag[start..start + len].to_string())
    };
    let level = attr("data-split-wasm-opt").unwrap_or_else(|| "s".into());
    let mut args = vec![format!("-O{level}")];
    if let Some(params) = attr("data-wasm-opt-params") {
        args.extend(params.split_whitespace().map(str::to_string));
    }
    Ok(args)
}

/// `sha384-…` as a browser checks `integrity`.
fn sri(data: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(data))
    )
}

/// The files the split made, by their names in `dist`.
struct Split {
    /// `(name in dist, path in the work folder)`.
    files: Vec<(String, PathBuf)>,
}

impl Split {
    fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        let (_, path) = self
            .files
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| format!("the split made no {name}"))?;
        fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// The version of the steps below; a change makes earlier work stale.
const RECIPE: &str = "2: glue imports shortened";

/// Splits `bin`'s raw wasm, reusing an earlier split of the same wasm.
fn split(bin: &Bin, opt_args: &[String]) -> Result<Split, String> {
    let raw_path = root()
        .join(crate::run::APP_TARGET)
        .join(format!("wasm32-unknown-unknown/release/{}.wasm", bin.name));
    let raw =
        fs::read(&raw_path).map_err(|e| format!("cannot read {}: {e}", raw_path.display()))?;
    // The work is kept by what it is made from: the raw wasm, the steps
    // (their version, [`RECIPE`]) and wasm-opt's flags.
    let mut hasher = Sha256::new();
    hasher.update(&raw);
    hasher.update(RECIPE);
    for arg in opt_args {
        hasher.update(arg.as_bytes());
        hasher.update([0]);
    }
    let digest = hex::encode(&hasher.finalize()[..8]);
    let work = root()
        .join("target/wasm-split")
        .join(format!("{}-{digest}", bin.stem()));
    let out = work.join("out");
    let done = work.join("done");
    if !done.exists() {
        let _ = fs::remove_dir_all(&work);
        let cut = work.join("cut");
        fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        let main = cut.join("main.wasm");
        let link_name = format!("./{}", bin.loader());
        let main_module = format!("./{}", bin.glue());
        let mut opts = wasm_split_cli_support::Options::new(&raw);
        opts.output_dir = &cut;
        opts.main_out_path = &main;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        let result = wasm_split_cli_support::transform(opts)
            .map_err(|e| format!("wasm-split could not cut {}: {e:#}", raw_path.display()))?;
        // The loader names each lazy part's file; those get the hash too.
        let loader_path = cut.join(bin.loader());
        let mut parts = Vec::new();
        let mut js = fs::read_to_string(&loader_path)
            .map_err(|e| format!("cannot read {}: {e}", loader_path.display()))?;
        for part in &result.split_modules {
            let stem = part
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("odd part name {}", part.display()))?;
            let named = bin.part(stem);
            js = js.replace(&format!("\"./{stem}.wasm\""), &format!("\"./{named}\""));
            parts.push((part.clone(), out.join(&named)));
        }
        // The parts are optimised while the main module goes on below.
        let parts = Batch::start(&parts, opt_args)?;
        fs::write(out.join(bin.loader()), js).map_err(|e| e.to_string())?;
        let bindgen = work.join("bindgen");
        let out_dir = format!("--out-dir={}", bindgen.display());
        let out_name = format!("--out-name={}", bin.stem());
        cmd(
            "wasm-bindgen",
            &[
                "--target=web",
                &out_dir,
                &out_name,
                "--no-typescript",
                "--keep-lld-exports",
                "--no-demangle",
                &main.to_string_lossy(),
            ],
        )
        .run()?;
        let read = |name: String| {
            let path = bindgen.join(name);
            fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let glue = String::from_utf8(read(bin.glue())?).map_err(|e| e.to_string())?;
        let module = format!("./{}_bg.js", bin.stem());
        let (wasm, glue) = crate::short_imports::shorten(&read(bin.wasm())?, &glue, &module)?;
        let shortened = work.join("shortened.wasm");
        fs::write(&shortened, wasm).map_err(|e| e.to_string())?;
        fs::write(out.join(bin.glue()), glue).map_err(|e| e.to_string())?;
        let main = Batch::start(&[(shortened, out.join(bin.wasm()))], opt_args)?;
        main.wait()?;
        parts.wait()?;
        fs::write(&done, "").map_err(|e| e.to_string())?;
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(&out).map_err(|e| e.to_string())?.flatten() {
        if let Ok(name) = entry.file_name().into_string() {
            files.push((name, entry.path()));
        }
    }
    files.sort();
    Ok(Split { files })
}

fn copy_in(split: &Split, dist: &Path) -> Result<(), String> {
    for (name, path) in &split.files {
        fs::copy(path, dist.join(name))
            .map_err(|e| format!("cannot copy {name} into {}: {e}", dist.display()))?;
    }
    Ok(())
}

/// Replaces Trunk's editor files in `dist` with the split ones and
/// updates `dist/index.html` to match.
pub fn dist(dist: &Path) -> Result<(), String> {
    let source_html = fs::read_to_string(root().join("index.html")).map_err(|e| e.to_string())?;
    let editor = editor(dist)?;
    let split_editor = split(&editor, &wasm_opt_args(&source_html, EDITOR)?)?;
    let share_js = dist.join(format!("{SHARE}.js"));
    let share = fs::read_to_string(&share_js)
        .map_err(|e| format!("cannot read {}: {e}", share_js.display()))?;
    if share.contains("__wasm_split_placeholder__") {
        return Err(format!(
            "{} asks for a lazy function's loader: the share page must be built without the app's `split` feature",
            share_js.display()
        ));
    }

    let page_path = dist.join("index.html");
    let mut page = fs::read_to_string(&page_path).map_err(|e| e.to_string())?;
    for name in [editor.glue(), editor.wasm()] {
        let before = fs::read(dist.join(&name)).map_err(|e| e.to_string())?;
        page = page.replace(&sri(&before), &sri(&split_editor.read(&name)?));
    }
    // The main module imports the loader as it starts: fetch it alongside.
    let preload_start = page
        .find("<link rel=\"modulepreload\"")
        .ok_or("Trunk's index.html has no modulepreload link")?;
    let preload_end = preload_start
        + page[preload_start..]
            .find('>')
            .ok_or("unclosed modulepreload link")?
        + 1;
    let loader_link = page[preload_start..preload_end]
        .replace(&editor.glue(), &editor.loader())
        .replace(
            &sri(&split_editor.read(&editor.glue())?),
            &sri(&split_editor.read(&editor.loader())?),
        );
    if !page.contains(&editor.loader()) {
        page.insert_str(preload_end, &loader_link);
    }
    copy_in(&split_editor, dist)?;
    fs::write(&page_path, page).map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{sri, wasm_opt_args};

    #[test]
    fn the_editor_link_s_wasm_opt_flags_are_read() {
        let html = r#"<link data-trunk rel="css" href="a.css" />
<link data-trunk rel="rust" data-wasm-opt="0" data-split-wasm-opt="z" data-wasm-opt-params="--a  --b" data-bin="storyreel" />
<link data-trunk rel="rust" data-bin="share" data-wasm-opt="0" />"#;
        assert_eq!(
            wasm_opt_args(html, "storyreel").unwrap(),
            vec!["-Oz", "--a", "--b"]
        );
        assert_eq!(wasm_opt_args(html, "share").unwrap(), vec!["-Os"]);
        let none = r#"<link data-trunk rel="rust" data-bin="share" />"#;
        assert!(wasm_opt_args(none, "storyreel")
            .unwrap_err()
            .contains("storyreel"));
    }

    #[test]
    fn this_checkout_s_page_gives_flags() {
        let page = include_str!("../../index.html");
        for bin in ["storyreel", "share"] {
            let args = wasm_opt_args(page, bin).unwrap();
            assert!(args[0].starts_with("-O"), "{args:?}");
        }
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // The digest of "abc" from FIPS 180-2, as SRI writes it.
        assert_eq!(
            sri(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
