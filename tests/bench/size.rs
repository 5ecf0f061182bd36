//! The bundle-size check: the first load as a browser receives it over
//! HTTPS (brotli), from the files the browser fetched on a cold load of
//! the editor, each counted as the precompressed `.br` file the server
//! sends for it. Files in `dist/` the first load did not fetch (code loaded
//! on demand, other pages) are listed apart and not counted.

use std::fmt::Write as _;
use std::path::Path;

/// The goal of issue 15 for the first load, in bytes of brotli.
pub const GOAL: u64 = 250_000;

/// The bench fails when the first load grows past this (bytes of brotli).
/// It stands a little above the last recorded figure; lower it when the
/// app shrinks, so that growth is a decision, not an accident.
pub const CEILING: u64 = 465_000;

/// One file of `dist/`: its name, its size and its brotli size.
pub struct Row {
    pub name: String,
    pub raw: u64,
    pub brotli: u64,
}

/// What the first load fetched and what it did not.
pub struct Sizes {
    pub first_load: Vec<Row>,
    pub elsewhere: Vec<Row>,
}

impl Sizes {
    pub fn first_load_total(&self) -> u64 {
        self.first_load.iter().map(|r| r.brotli).sum()
    }
}

/// The file of `dist/` a fetched path names: the page `/` (or any path
/// ending in `/`) is `index.html`.
fn file_name(path: &str) -> String {
    match path.rsplit('/').next() {
        Some("") | None => "index.html".to_string(),
        Some(name) => name.to_string(),
    }
}

/// Sorts the brotli files of `dist` into the first load (the paths the
/// browser `fetched`) and the rest. A fetched file without its `.br` copy
/// is an error: the figure would be wrong.
pub fn of_dist(dist: &Path, fetched: &[String]) -> Result<Sizes, String> {
    let wanted: Vec<String> = fetched.iter().map(|p| file_name(p)).collect();
    let mut sizes = Sizes {
        first_load: Vec::new(),
        elsewhere: Vec::new(),
    };
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(base) = name.strip_suffix(".br") else {
            continue;
        };
        let raw = std::fs::metadata(dist.join(base)).map_or(0, |m| m.len());
        let brotli = entry.metadata().map_or(0, |m| m.len());
        let row = Row {
            name: base.to_string(),
            raw,
            brotli,
        };
        if wanted.iter().any(|w| w == base) {
            sizes.first_load.push(row);
        } else {
            sizes.elsewhere.push(row);
        }
    }
    for w in &wanted {
        if !sizes.first_load.iter().any(|r| &r.name == w) {
            return Err(format!(
                "the first load fetched {w}, which has no {w}.br in {} (run `cargo xtask bench`, which precompresses)",
                dist.display()
            ));
        }
    }
    sizes.first_load.sort_by(|a, b| a.name.cmp(&b.name));
    sizes.elsewhere.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sizes)
}

/// `Err` names the figure and the ceiling when the first load grew past it.
pub fn check(sizes: &Sizes) -> Result<(), String> {
    let total = sizes.first_load_total();
    if total > CEILING {
        return Err(format!(
            "the first load is {total} bytes of brotli, over the ceiling of {CEILING} (tests/bench/size.rs); the goal is {GOAL}"
        ));
    }
    Ok(())
}

/// The brotli tables of BENCHMARKS.md.
pub fn section(md: &mut String, sizes: &Sizes) {
    let total = sizes.first_load_total();
    let _ = writeln!(
        md,
        "The first load over HTTPS, as the precompressed brotli files (quality 11) that `cargo xtask` writes next to the build and the server sends to browsers that accept `br`: the files Chromium fetched on a cold load of the editor. `cargo xtask bench` fails when this total passes {CEILING} bytes (`tests/bench/size.rs`).\n"
    );
    let _ = writeln!(
        md,
        "| file | raw (bytes) | brotli (bytes) |\n|---|---:|---:|"
    );
    for r in &sizes.first_load {
        let _ = writeln!(md, "| `{}` | {} | {} |", r.name, r.raw, r.brotli);
    }
    let verdict = if total <= GOAL {
        "within the goal"
    } else {
        "over the goal"
    };
    let _ = writeln!(
        md,
        "| **first load** | | **{total}** ({:.1} KB; goal {:.0} KB, {verdict}) |\n",
        total as f64 / 1000.0,
        GOAL as f64 / 1000.0
    );
    if !sizes.elsewhere.is_empty() {
        let _ = writeln!(
            md,
            "Not fetched by the first load (loaded on demand or by another page):\n\n| file | raw (bytes) | brotli (bytes) |\n|---|---:|---:|"
        );
        for r in &sizes.elsewhere {
            let _ = writeln!(md, "| `{}` | {} | {} |", r.name, r.raw, r.brotli);
        }
        let _ = writeln!(md);
    }
}

/// Where the bytes are and what was tried, measured on 2026-12-03 with
/// brotli -q 11 of the wasm only (`twiggy` on the release wasm built with
/// names; shares of 1.69 MB of code and data). Written while over the goal.
pub fn reading(md: &mut String, total: u64) {
    if total <= GOAL {
        return;
    }
    let _ = writeln!(
        md,
        "### Reading the size figures\n\n\
Over the goal. Where the bytes are (`twiggy top` on the release wasm built with names, then `wasm-opt -Os -g`; 1.69 MB of code and data): \
Leptos 36% (`tachys` views 22%, `reactive_graph` 9%, `leptos` 5%; the components' own view code is inlined into `tachys`'s generic build closures, so much of this is ours), \
the app's own functions 18%, `storyreel-core` 10%, data (messages, labels, tables) 9%, JSON 6% (`serde_json` 3%, `indexmap` 1.3% through `preserve_order`, `serde` 1.5%), \
`core`/`alloc` generics (drop glue, iterators, formatting) about 12%, `miniz_oxide` 0.9%, `js-sys`/`web-sys`/`wasm-bindgen` 1.2%, `idb` 0.5%, the allocator 0.4%. \
By feature, the generation path is the largest: the job runner (`jobs` 2.3%), the IndexedDB journal (`journal` 1.7%), the core's `transport` (1.9%) and `response` (1.3%), the player (1.6%) and the takes (0.5%), before their views; \
then the cast's file intake (1.6%), the shared view (1.3%), the shot panel (1.2%) and share links (0.9%). \
Steps measured on the wasm (brotli, against 442,866 bytes): `wasm-opt -Oz` instead of `-Os` +997 (smaller raw, larger compressed; not taken); \
`--low-memory-unused --zero-filled-memory` after `-Os` -2,724 (taken, `data-wasm-opt-params` in `index.html`); \
`opt-level = \"z\"` for the crates off the keystroke path only (`serde_json`, `serde`, `serde_core`, `indexmap`, `idb`, `miniz_oxide`, `base64`, `wasm-bindgen-futures`, `console_error_panic_hook`, `thiserror`) +4,249 (generic code is compiled where it is used; not taken); \
`Debug` code is 2.6 KB raw in all, not worth cutting. \
What loads on demand with Trunk 0.21, measured with the code removed from the editor: the read-only shared view as its own page (`share.html`, a second bin that `trunk build` makes from a `<link data-trunk rel=\"rust\" data-bin=\"share\" data-type=\"worker\" data-bindgen-target=\"web\">`, which Trunk builds without loading it) takes 18,512 bytes off the editor's wasm and opens a link with 114,157 bytes of wasm and 5,691 of JS instead of the whole editor; \
removing as well the player, the takes, the comparison, the jobs panel and the job runner (all that runs after Generate) takes 35,037 bytes more (the editor's wasm 386,593). \
So the two splits together leave the first load near 403 KB: the goal needs the editor itself smaller, not only what it can defer. \
A second Leptos module carries its own runtime (the share page's 114 KB is mostly that), and cannot share the editor's signals, so a split pays only where a feature's code is much larger than that copy and talks to the editor through plain data.\n"
    );
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn the_page_is_index_html() {
        assert_eq!(file_name("/"), "index.html");
        assert_eq!(file_name("/some/path/"), "index.html");
        assert_eq!(file_name("/some/path/app-0123.js"), "app-0123.js");
    }
}
